//! Every endpoint the client calls, in one table: the client builds its requests from it, and
//! docs/cxone-endpoints.md, which gives each one's parameters, fields and public source, is tested
//! against it.

use crate::http::Retry;

#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// How errors and logs name the call.
    pub operation: &'static str,
    pub method: &'static str,
    /// The host the path is relative to, as the docs name it.
    pub base: &'static str,
    /// The path, with `{name}` for each path parameter.
    pub path: &'static str,
    pub retry: Retry,
    /// How the client's request metrics name the call: method and path template
    /// (`GET skills/{skillId}/agents`), the row of docs/cxone-endpoints.md. Never an id, a query
    /// or a host, so that the set of labels stays as small as this table.
    pub label: &'static str,
}

impl Endpoint {
    /// The HTTP method; the table holds only GET and POST.
    pub fn http_method(&self) -> reqwest::Method {
        match self.method {
            "POST" => reqwest::Method::POST,
            _ => reqwest::Method::GET,
        }
    }

    /// The path with its parameters filled in, in order, each percent-encoded as one segment.
    pub fn path_with(&self, values: &[&str]) -> String {
        let mut path = String::with_capacity(self.path.len() + 16);
        let mut rest = self.path;
        let mut values = values.iter();
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            path.push_str(&crate::segment(values.next().copied().unwrap_or_default()));
            rest = &rest[close..];
        }
        path.push_str(rest);
        path
    }
}

macro_rules! endpoints {
    ($($ident:ident = $operation:literal, $method:literal, $base:expr, $path:literal, $retry:ident;)*) => {
        $(
            pub static $ident: Endpoint = Endpoint {
                operation: $operation,
                method: $method,
                base: $base,
                path: $path,
                retry: Retry::$retry,
                label: concat!($method, " ", $path),
            };
        )*
        /// Every endpoint, in the order docs/cxone-endpoints.md lists them.
        pub static ALL: &[&Endpoint] = &[$(&$ident),*];
    };
}

const ACD: &str = "{api_endpoint}/inContactAPI/services/{api_version}";

/// Cognigy.AI's API: `{cognigy_url}/new/v2.0`, or `/v2.0` where that alone answers.
pub const COGNIGY: &str = "{cognigy_url}/new/v2.0";

endpoints! {
    OPENID_CONFIGURATION = "find the token endpoint", "GET", "auth_url", ".well-known/openid-configuration", Idempotent;
    TOKEN = "get token", "POST", "auth_url", "auth/token", Idempotent;
    ACCESS_KEY_TOKEN = "get token (access key)", "POST", "access_key_url", "authentication/v1/token/access-key", Idempotent;
    CXONE_CONFIGURATION = "discover the API host", "GET", "the token's `iss`, then auth_url", ".well-known/cxone-configuration", Idempotent;
    SKILL = "get skill", "GET", ACD, "skills/{skillId}", Idempotent;
    SKILL_ACTIVITY = "get skill activity", "GET", ACD, "skills/{skillId}/activity", Idempotent;
    ALL_SKILLS_ACTIVITY = "get all skills' activity", "GET", ACD, "skills/activity", Idempotent;
    SKILL_AGENTS = "get skill agents", "GET", ACD, "skills/{skillId}/agents", Idempotent;
    AGENT_STATES = "get agent states", "GET", ACD, "agents/states", Idempotent;
    ALL_AGENT_SKILLS = "get every agent's skill assignments", "GET", ACD, "agents/skills", Idempotent;
    STUDIO_SCRIPT = "get script", "GET", ACD, "scripts", Idempotent;
    SPAWN_SCRIPT = "spawn script", "POST", ACD, "scripts/start", OnlyIfUnsent;
    SIGNAL = "signal contact", "POST", ACD, "interactions/{contactId}/signal", OnlyIfUnsent;
    STATE_HISTORY = "get contact state history", "GET", ACD, "contacts/{contactId}/state-history", Idempotent;
    STATE_DESCRIPTIONS = "get contact state names", "GET", ACD, "contact-state-descriptions", Idempotent;
    COMPLETED_CONTACTS = "get completed contacts", "GET", ACD, "contacts/completed", Idempotent;
    ROUTING_TOKEN = "get token", "POST", "base_url", "oauth/token", Idempotent;
    ROUTING_QUEUE = "get queue", "GET", "base_url", "api/v2/routing/queues/{queueId}", Idempotent;
    ROUTING_AGENTS = "get queue agents", "GET", "base_url", "api/v2/routing/queues/{queueId}/agents", Idempotent;
    ROUTING_INTERACTION = "create interaction", "POST", "base_url", "api/v2/interactions", OnlyIfUnsent;
    COGNIGY_FLOWS = "list Cognigy flows", "GET", COGNIGY, "flows", Idempotent;
    COGNIGY_LOCALES = "list Cognigy locales", "GET", COGNIGY, "locales", Idempotent;
    COGNIGY_CHART = "get Cognigy chart", "GET", COGNIGY, "flows/{flowId}/chart", Idempotent;
    COGNIGY_CHART_NODE = "get Cognigy chart node", "GET", COGNIGY, "flows/{flowId}/chart/nodes/{nodeId}", Idempotent;
    COGNIGY_LOGS = "list Cognigy log entries", "GET", COGNIGY, "projects/{projectId}/logs", Idempotent;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_filled_in_order_and_stay_one_segment() {
        assert_eq!(SKILL_AGENTS.path_with(&["42"]), "skills/42/agents");
        assert_eq!(
            SIGNAL.path_with(&["1/../x"]),
            "interactions/1%2F..%2Fx/signal"
        );
        assert_eq!(AGENT_STATES.path_with(&[]), "agents/states");
    }

    #[test]
    fn every_method_is_one_the_client_can_send() {
        for endpoint in ALL {
            assert_eq!(
                endpoint.http_method().as_str(),
                endpoint.method,
                "{}",
                endpoint.path
            );
        }
    }

    #[test]
    fn every_endpoint_has_its_own_label_without_an_id_or_a_query() {
        let labels: std::collections::BTreeSet<_> = ALL.iter().map(|e| e.label).collect();
        assert_eq!(labels.len(), ALL.len());
        assert_eq!(SKILL_AGENTS.label, "GET skills/{skillId}/agents");
        assert!(
            labels
                .iter()
                .all(|l| !l.contains(['?', '=']) && !l.contains("://"))
        );
    }

    #[test]
    fn only_calls_that_create_nothing_are_retried_freely() {
        for endpoint in ALL {
            let creates = matches!(endpoint.path, "scripts/start" | "api/v2/interactions")
                || endpoint.path.ends_with("/signal");
            assert_eq!(
                endpoint.retry == Retry::OnlyIfUnsent,
                creates,
                "{}",
                endpoint.path
            );
        }
    }
}
