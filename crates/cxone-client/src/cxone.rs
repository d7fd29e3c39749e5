//! The real CXone API: a password-grant token with an access key (or the access-key endpoint),
//! discovery of the tenant's API host, and the ACD API under `/inContactAPI/services/{version}/`.

use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use tokio::sync::Mutex;
use url::Url;

use crate::error::ClientError;
use crate::http::{self, CallStats, HttpSettings, Transport, endpoint_name};
use crate::models::{
    AgentStatesAnswer, CxoneConfiguration, SkillActivityAnswer, SkillAgentsAnswer, SkillAnswer,
    SpawnAnswer, StateHistoryAnswer, TokenResponse,
};
use crate::{
    Agents, ContactCenter, ContactState, Credentials, Media, Profile, Queue, QueueActivity,
    RequestPreview, Secret, Session, TestContact, as_base, jwt, parse_url, segment,
};

/// Where a CXone client signs in and which API version it speaks.
#[derive(Clone, Debug)]
pub struct CxoneSettings {
    /// The token endpoint's host: `https://cxone.niceincontact.com` (FedRAMP: `https://cxone-gov.niceincontact.com`).
    pub auth_url: String,
    /// The access-key endpoint's host, used when no client id and secret are configured.
    pub access_key_url: String,
    /// An explicit API host; skips discovery.
    pub api_base: Option<String>,
    /// The ACD API version, `v30.0`. A wrong version answers 404.
    pub api_version: String,
}

impl Default for CxoneSettings {
    fn default() -> Self {
        Self {
            auth_url: "https://cxone.niceincontact.com".into(),
            access_key_url: "https://na1.nice-incontact.com".into(),
            api_base: None,
            api_version: "v30.0".into(),
        }
    }
}

/// Seconds taken off a token's lifetime, so that it is renewed before the server stops taking it.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

struct SignedIn {
    token: Secret,
    renew_at: Instant,
    session: Session,
    /// `{api_endpoint}/inContactAPI/services/{version}/`
    api_root: Url,
}

pub struct CxoneClient {
    transport: Transport,
    credentials: Credentials,
    settings: CxoneSettings,
    signed_in: Mutex<Option<SignedIn>>,
}

/// A token's renewal time: its lifetime less the margin, or half of a lifetime shorter than twice the margin.
pub fn renew_after(lifetime: Duration) -> Duration {
    if lifetime > TOKEN_MARGIN * 2 {
        lifetime - TOKEN_MARGIN
    } else {
        lifetime / 2
    }
}

impl CxoneClient {
    pub fn new(
        credentials: Credentials,
        settings: CxoneSettings,
        http: HttpSettings,
    ) -> Result<Self, ClientError> {
        if credentials.access_key_id.is_none() || credentials.access_key_secret.is_none() {
            return Err(ClientError::Config(
                "the cxone profile needs an access key: set access_key_id and access_key_secret"
                    .into(),
            ));
        }
        Ok(Self {
            transport: Transport::new(http)?,
            credentials,
            settings,
            signed_in: Mutex::new(None),
        })
    }

    async fn token(&self) -> Result<(TokenResponse, &'static str), ClientError> {
        let key_id = self
            .credentials
            .access_key_id
            .as_deref()
            .unwrap_or_default();
        let key_secret = self
            .credentials
            .access_key_secret
            .as_ref()
            .map(Secret::expose)
            .unwrap_or_default();
        let (operation, response, endpoint) =
            match (&self.credentials.client_id, &self.credentials.client_secret) {
                (Some(client_id), Some(client_secret)) => {
                    let url = as_base(parse_url("auth_url", &self.settings.auth_url)?)
                        .join("auth/token")
                        .map_err(url_error)?;
                    let form = [
                        ("grant_type", "password"),
                        ("username", key_id),
                        ("password", key_secret),
                    ];
                    let response = self
                        .transport
                        .send("get token", Method::POST, &url, |r| {
                            r.basic_auth(client_id, Some(client_secret.expose()))
                                .form(&form)
                        })
                        .await?;
                    ("get token", response, endpoint_name(&Method::POST, &url))
                }
                _ => {
                    let url = as_base(parse_url("access_key_url", &self.settings.access_key_url)?)
                        .join("authentication/v1/token/access-key")
                        .map_err(url_error)?;
                    let body =
                        serde_json::json!({"accessKeyId": key_id, "accessKeySecret": key_secret});
                    let response = self
                        .transport
                        .send("get token (access key)", Method::POST, &url, |r| {
                            r.json(&body)
                        })
                        .await?;
                    (
                        "get token (access key)",
                        response,
                        endpoint_name(&Method::POST, &url),
                    )
                }
            };
        if !response.status().is_success() {
            return Err(http::status_error(operation, &endpoint, response, 1).await);
        }
        let token: TokenResponse =
            http::json(operation, &endpoint, "a token answer", response).await?;
        if token.access_token.is_empty() {
            return Err(ClientError::Unexpected {
                operation,
                endpoint,
                expected: "an access_token".into(),
                excerpt: "an answer without one".into(),
            });
        }
        Ok((token, operation))
    }

    /// The API host: from config, from a legacy token answer, or discovered from the token's issuer.
    async fn discover(&self, token: &TokenResponse) -> Result<(String, &'static str), ClientError> {
        if let Some(base) = &self.settings.api_base {
            return Ok((base.trim_end_matches('/').to_string(), "config"));
        }
        if let Some(base) = &token.resource_server_base_uri {
            let base = base.trim_end_matches('/');
            return Ok((
                base.strip_suffix("/inContactAPI")
                    .unwrap_or(base)
                    .to_string(),
                "token",
            ));
        }
        let claims = token
            .id_token
            .as_deref()
            .and_then(jwt::claims)
            .or_else(|| jwt::claims(&token.access_token))
            .ok_or_else(|| {
                ClientError::Discovery("the token carries no readable claims; set api_base".into())
            })?;
        let (Some(tenant), Some(issuer)) = (claims.tenant_id, claims.iss) else {
            return Err(ClientError::Discovery(
                "the token's claims name no tenantId or issuer; set api_base".into(),
            ));
        };
        let mut url = as_base(parse_url("the token's issuer", &issuer)?)
            .join(".well-known/cxone-configuration")
            .map_err(url_error)?;
        url.query_pairs_mut().append_pair("tenantId", &tenant);
        let endpoint = endpoint_name(&Method::GET, &url);
        let response = self
            .transport
            .send("discover the API host", Method::GET, &url, |r| r)
            .await
            .map_err(|e| ClientError::Discovery(e.to_string()))?;
        if !response.status().is_success() {
            let error = http::status_error("discover the API host", &endpoint, response, 1).await;
            return Err(ClientError::Discovery(error.to_string()));
        }
        let configuration: CxoneConfiguration = http::json(
            "discover the API host",
            &endpoint,
            "the tenant's configuration",
            response,
        )
        .await
        .map_err(|e| ClientError::Discovery(e.to_string()))?;
        let api = configuration
            .api_endpoint
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| ClientError::Discovery(format!("{endpoint} names no api_endpoint")))?;
        Ok((api.trim_end_matches('/').to_string(), "discovery"))
    }

    /// The token and API root, signing in when there is no token or `renew` says the last one was refused.
    async fn signed_in(&self, renew: bool) -> Result<(Secret, Url, Session), ClientError> {
        let mut state = self.signed_in.lock().await;
        if let Some(s) = state.as_ref()
            && !renew
            && Instant::now() < s.renew_at
        {
            return Ok((s.token.clone(), s.api_root.clone(), s.session.clone()));
        }
        let (token, _) = self.token().await?;
        let (api_endpoint, source) = match state.as_ref() {
            // A renewed token lives on the same tenant: no need to discover again.
            Some(s) => (
                s.session.api_endpoint.clone(),
                s.session.api_endpoint_source,
            ),
            None => self.discover(&token).await?,
        };
        let api_root = as_base(parse_url("api_endpoint", &api_endpoint)?)
            .join(&format!(
                "inContactAPI/services/{}/",
                self.settings.api_version.trim_matches('/')
            ))
            .map_err(url_error)?;
        self.transport.check_url(&api_root)?;
        let claims = token
            .id_token
            .as_deref()
            .and_then(jwt::claims)
            .or_else(|| jwt::claims(&token.access_token))
            .unwrap_or_default();
        let lifetime = Duration::from_secs(u64::from(token.expires_in.max(1)));
        let session = Session {
            profile: Profile::Cxone,
            tenant: claims.tenant_id,
            business_unit: claims.business_unit,
            issuer: claims.iss,
            api_endpoint,
            token_lifetime: lifetime,
            api_endpoint_source: source,
        };
        let secret = Secret::new(token.access_token);
        *state = Some(SignedIn {
            token: secret.clone(),
            renew_at: Instant::now() + renew_after(lifetime),
            session: session.clone(),
            api_root: api_root.clone(),
        });
        Ok((secret, api_root, session))
    }

    /// An ACD API call: a 401 gets a new token once, then the call is sent once more.
    async fn call(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(Response, String), ClientError> {
        let sign_in = |renew| async move {
            let (token, root, _) = self.signed_in(renew).await?;
            Ok((token, root))
        };
        self.transport
            .authorized(operation, method, path, sign_in, build)
            .await
    }

    async fn get<T: serde::de::DeserializeOwned + Default>(
        &self,
        operation: &'static str,
        path: &str,
        expected: &str,
    ) -> Result<T, ClientError> {
        let (response, endpoint) = self.call(operation, Method::GET, path, |r| r).await?;
        // 204: nothing to report (no activity, no contacts), which is an empty answer, not an error.
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(T::default());
        }
        http::json(operation, &endpoint, expected, response).await
    }

    /// The API root a preview shows: the configured or discovered one, or a placeholder before sign-in.
    async fn preview_root(&self) -> String {
        match &self.settings.api_base {
            Some(base) => format!(
                "{}/inContactAPI/services/{}/",
                base.trim_end_matches('/'),
                self.settings.api_version
            ),
            None => match self.signed_in.lock().await.as_ref() {
                Some(s) => s.api_root.to_string(),
                None => format!(
                    "{{api_endpoint}}/inContactAPI/services/{}/",
                    self.settings.api_version
                ),
            },
        }
    }

    /// `GET skills/{id}`.
    pub async fn skill(&self, skill_id: &str) -> Result<crate::models::Skill, ClientError> {
        let path = format!("skills/{}", segment(skill_id));
        let (response, endpoint) = self.call("get skill", Method::GET, &path, |r| r).await?;
        let answer: SkillAnswer = http::json("get skill", &endpoint, "a skill", response).await?;
        answer.into_skill().ok_or_else(|| ClientError::Unexpected {
            operation: "get skill",
            endpoint,
            expected: "a skill".into(),
            excerpt: "an empty skills list".into(),
        })
    }

    /// `GET skills/{id}/activity`.
    pub async fn skill_activity(&self, skill_id: &str) -> Result<SkillActivityAnswer, ClientError> {
        self.get(
            "get skill activity",
            &format!("skills/{}/activity", segment(skill_id)),
            "skill activity",
        )
        .await
    }

    /// `GET skills/{id}/agents`.
    pub async fn skill_agents(&self, skill_id: &str) -> Result<SkillAgentsAnswer, ClientError> {
        self.get(
            "get skill agents",
            &format!("skills/{}/agents", segment(skill_id)),
            "the skill's agents",
        )
        .await
    }

    /// `GET agents/states`.
    pub async fn agent_states(&self) -> Result<AgentStatesAnswer, ClientError> {
        self.get("get agent states", "agents/states", "agent states")
            .await
    }

    /// `POST scripts/start`: spawns a Studio script into a skill; returns the new contact's id.
    pub async fn spawn_script(
        &self,
        skill_id: &str,
        script_path: &str,
        parameters: &[String],
    ) -> Result<String, ClientError> {
        let query = spawn_query(skill_id, script_path, parameters);
        let (response, endpoint) = self
            .call("spawn script", Method::POST, "scripts/start", |r| {
                r.query(&query)
            })
            .await?;
        let answer: SpawnAnswer =
            http::json("spawn script", &endpoint, "{contactId}", response).await?;
        if answer.contact_id.is_empty() {
            return Err(ClientError::Unexpected {
                operation: "spawn script",
                endpoint,
                expected: "a contactId".into(),
                excerpt: "an answer without one".into(),
            });
        }
        Ok(answer.contact_id)
    }

    /// `GET contacts/{id}/state-history`.
    pub async fn state_history(&self, contact_id: &str) -> Result<StateHistoryAnswer, ClientError> {
        self.get(
            "get contact state history",
            &format!("contacts/{}/state-history", segment(contact_id)),
            "a contact state history",
        )
        .await
    }
}

fn url_error(e: url::ParseError) -> ClientError {
    ClientError::Config(format!("cannot build the request URL: {e}"))
}

/// A signal's JSON body, `{"p1": ..}`: at most nine parameters, as Studio's ONSIGNAL takes.
fn signal_body(
    params: &[String],
) -> Result<serde_json::Map<String, serde_json::Value>, ClientError> {
    if params.len() > 9 {
        return Err(ClientError::Config(format!(
            "a signal carries at most 9 parameters (p1..p9), not {}",
            params.len()
        )));
    }
    Ok(params
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("p{}", i + 1), serde_json::Value::String(p.clone())))
        .collect())
}

/// Spawn parameters are pipe-delimited; a pipe inside a value would shift every later parameter.
fn spawn_query(
    skill_id: &str,
    script_path: &str,
    parameters: &[String],
) -> Vec<(&'static str, String)> {
    let parameters = parameters
        .iter()
        .map(|p| p.replace('|', "/"))
        .collect::<Vec<_>>()
        .join("|");
    vec![
        ("skillId", skill_id.trim().to_string()),
        ("scriptPath", script_path.to_string()),
        ("parameters", parameters),
        ("startDate", String::new()),
    ]
}

/// The parameters a test contact hands to the Studio script: P1 phone, P2 name, P3 custom attributes as JSON.
fn spawn_parameters(contact: &TestContact) -> Vec<String> {
    vec![
        contact.phone_number.clone(),
        contact.name.clone(),
        contact.custom_attributes.to_string(),
    ]
}

/// Maps an agent state name to what it means for taking a handover.
fn bucket(state: &str) -> Bucket {
    match state.to_ascii_lowercase().as_str() {
        "available" => Bucket::Available,
        "loggedout" | "logged out" | "" => Bucket::LoggedOut,
        "unavailable" | "loggedin" | "logged in" => Bucket::Unavailable,
        _ => Bucket::Working,
    }
}

enum Bucket {
    Available,
    Unavailable,
    Working,
    LoggedOut,
}

impl ContactCenter for CxoneClient {
    fn profile(&self) -> Profile {
        Profile::Cxone
    }

    async fn session(&self) -> Result<Session, ClientError> {
        Ok(self.signed_in(false).await?.2)
    }

    async fn queue(&self, id: &str) -> Result<Queue, ClientError> {
        let (skill, activity) = tokio::join!(self.skill(id), self.skill_activity(id));
        let skill = skill?;
        let activity = activity.ok().and_then(|a| {
            a.skill_activity
                .into_iter()
                .find(|s| s.skill_id == skill.skill_id)
        });
        let media = skill
            .media_type_id
            .parse()
            .ok()
            .map(Media::from_id)
            .or_else(|| skill.media_type_name.as_deref().and_then(Media::from_name));
        let active = skill.is_active.unwrap_or(true);
        Ok(Queue {
            id: skill.skill_id,
            name: skill.skill_name,
            active,
            state: if active { "active" } else { "inactive" }.into(),
            media,
            queued: activity.map(|a| a.queue_count),
        })
    }

    async fn agents(&self, queue_id: &str) -> Result<Agents, ClientError> {
        let (assigned, states) = tokio::join!(self.skill_agents(queue_id), self.agent_states());
        let assigned = assigned?;
        let states = states?;
        let mut agents = Agents::default();
        for assignment in assigned
            .agent_skill_assignments
            .iter()
            .filter(|a| a.is_active != Some(false))
        {
            agents.assigned += 1;
            let state = states
                .agent_states
                .iter()
                .find(|s| s.agent_id == assignment.agent_id);
            match bucket(state.map_or("", |s| s.agent_state_name.as_str())) {
                Bucket::Available => {
                    agents.available += 1;
                    agents.available_names.push(
                        format!("{} {}", assignment.first_name, assignment.last_name)
                            .trim()
                            .to_string(),
                    );
                }
                Bucket::Unavailable => agents.unavailable += 1,
                Bucket::Working => agents.working += 1,
                Bucket::LoggedOut => agents.logged_out += 1,
            }
        }
        Ok(agents)
    }

    async fn queues(&self) -> Result<Vec<QueueActivity>, ClientError> {
        let answer: SkillActivityAnswer = self
            .get(
                "get all skills' activity",
                "skills/activity",
                "skill activity",
            )
            .await?;
        Ok(answer
            .skill_activity
            .into_iter()
            .map(|s| QueueActivity {
                media: s.media_type_id.parse().ok().map(Media::from_id),
                id: s.skill_id,
                name: s.skill_name,
                active: s.is_active,
                available: s.agents_available,
                logged_in: s.agents_logged_in,
                working: s.agents_working + s.agents_acw,
                unavailable: s.agents_unavailable,
                queued: s.queue_count,
            })
            .collect())
    }

    async fn preview_test_contact(
        &self,
        contact: &TestContact,
    ) -> Result<RequestPreview, ClientError> {
        let root = self.preview_root().await;
        let script = contact.script_path.as_deref().unwrap_or("");
        let query = spawn_query(&contact.queue_id, script, &spawn_parameters(contact));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&query)
            .finish();
        Ok(RequestPreview {
            method: "POST".into(),
            url: format!("{root}scripts/start?{query}"),
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("Authorization".into(), "Bearer ***".into()),
            ],
            body: None,
        })
    }

    async fn place_test_contact(&self, contact: &TestContact) -> Result<String, ClientError> {
        let Some(script) = contact
            .script_path
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        else {
            return Err(ClientError::Config(
                "a test contact on cxone spawns a Studio script: set script_path (Folder\\Name)"
                    .into(),
            ));
        };
        self.spawn_script(&contact.queue_id, script, &spawn_parameters(contact))
            .await
    }

    async fn preview_signal(
        &self,
        contact_id: &str,
        params: &[String],
    ) -> Result<RequestPreview, ClientError> {
        let body = signal_body(params)?;
        Ok(RequestPreview {
            method: "POST".into(),
            url: format!(
                "{}interactions/{}/signal",
                self.preview_root().await,
                segment(contact_id)
            ),
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("Authorization".into(), "Bearer ***".into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some(serde_json::Value::Object(body).to_string()),
        })
    }

    async fn signal(&self, contact_id: &str, params: &[String]) -> Result<(), ClientError> {
        let body = signal_body(params)?;
        let path = format!("interactions/{}/signal", segment(contact_id));
        self.call("signal contact", Method::POST, &path, |r| r.json(&body))
            .await?;
        Ok(())
    }

    async fn contact_history(&self, contact_id: &str) -> Result<Vec<ContactState>, ClientError> {
        let mut history = self.state_history(contact_id).await?.contact_state_history;
        history.sort_by_key(|s| s.state_index);
        let some = |s: String| Some(s).filter(|s| !s.is_empty() && s != "0");
        Ok(history
            .into_iter()
            .map(|s| ContactState {
                name: s.contact_state_name,
                skill_id: some(s.skill_id),
                agent_id: some(s.agent_id),
                started: s.start_date,
            })
            .collect())
    }

    fn stats(&self) -> CallStats {
        self.transport.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_minute_early() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            renew_after(Duration::from_secs(60)),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn spawn_parameters_cannot_shift() {
        let query = spawn_query(" 42 ", "Handover\\Test", &["+1555|x".into(), "Jo".into()]);
        assert_eq!(query[0], ("skillId", "42".into()));
        assert_eq!(query[2], ("parameters", "+1555/x|Jo".into()));
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(segment("12/../x"), "12%2F..%2Fx");
    }

    #[test]
    fn cxone_needs_an_access_key() {
        let result = CxoneClient::new(
            Credentials::default(),
            CxoneSettings::default(),
            HttpSettings::default(),
        );
        assert!(matches!(result, Err(ClientError::Config(m)) if m.contains("access_key_id")));
    }
}
