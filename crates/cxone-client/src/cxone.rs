//! The real CXone API: a password-grant token with an access key (or the access-key endpoint),
//! discovery of the tenant's API host, and the ACD API under `/inContactAPI/services/{version}/`.
//! Every path comes from `endpoints`, where docs/cxone-endpoints.md names its public source.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use reqwest::{RequestBuilder, Response, StatusCode};
use tokio::sync::OnceCell;
use url::Url;

use crate::endpoints::{self, Endpoint};
use crate::error::ClientError;
use crate::http::{self, CallStats, Grant, HttpSettings, TokenCache, Transport, endpoint_name};
use crate::models::{
    AgentSkillAssignment, AgentState, ContactStateDescription, ContactStateEntry,
    CxoneConfiguration, Page, SkillActivity, SpawnAnswer, TokenResponse,
};
use crate::{
    Agents, CompletedContact, ContactCenter, ContactState, Credentials, Media, Profile, Queue,
    QueueActivity, RequestPreview, Secret, Session, Sweep, TestContact, Truncated, Window, as_base,
    jwt, parse_url,
};

/// Where a signal's parameters travel. The published API takes `p1`..`p9` in the query; NICE's
/// Cognigy extension sent `p1` in the query and the rest in a JSON body up to 1.0.9, and everything
/// in the body since 2026-03. CXone answers 202 whatever it read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignalParams {
    Query,
    Body,
    /// Both, so that the script receives them whichever the tenant reads.
    #[default]
    Both,
}

impl SignalParams {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalParams::Query => "query",
            SignalParams::Body => "body",
            SignalParams::Both => "both",
        }
    }

    fn in_query(self) -> bool {
        self != SignalParams::Body
    }

    fn in_body(self) -> bool {
        self != SignalParams::Query
    }
}

/// Where a CXone client signs in and which API version it speaks.
#[derive(Clone, Debug)]
pub struct CxoneSettings {
    /// The token endpoint's host: `https://cxone.niceincontact.com` (FedRAMP: `https://cxone-gov.niceincontact.com`).
    /// Its `.well-known/openid-configuration` names the token endpoint; its
    /// `.well-known/cxone-configuration` is the global discovery a token's issuer falls back to.
    pub auth_url: String,
    /// The access-key endpoint's host, used when no client id and secret are configured.
    pub access_key_url: String,
    /// An explicit API host; skips discovery.
    pub api_base: Option<String>,
    /// The ACD API version, `v30.0`. A wrong version answers 404.
    pub api_version: String,
    pub signal_params: SignalParams,
    /// The most pages of 100 records one list is read to; past it, the rest is reported unread.
    pub max_pages: u32,
    /// The API host when discovery fails, from the token's `icClusterId`: `{cluster}` is replaced.
    pub cluster_api_url: String,
}

/// The largest page the API serves (`top`).
pub const PAGE_SIZE: usize = 100;

/// 500 pages of 100: 50,000 records, enough for the skill assignments of 10,000 agents with
/// five skills each (`agents/skills`, which `watch` reads), in at most 500 requests per list.
/// The cap is there for a server that never stops paging, not to ration a real tenant's list.
pub const DEFAULT_MAX_PAGES: u32 = 500;

/// Pages fetched at once once the total is known: fast, without tripping a rate limit.
const PAGES_AT_ONCE: usize = 4;

impl Default for CxoneSettings {
    fn default() -> Self {
        Self {
            auth_url: "https://cxone.niceincontact.com".into(),
            access_key_url: "https://na1.nice-incontact.com".into(),
            api_base: None,
            api_version: "v30.0".into(),
            signal_params: SignalParams::default(),
            max_pages: DEFAULT_MAX_PAGES,
            cluster_api_url: "https://api-{cluster}.nice-incontact.com".into(),
        }
    }
}

pub struct CxoneClient {
    transport: Transport,
    credentials: Credentials,
    settings: CxoneSettings,
    /// The token, and the session and API root learnt with the first one.
    signed_in: TokenCache<(Session, Url)>,
    /// The tenant's contact state names by id, fetched once.
    state_names: OnceCell<HashMap<String, ContactStateDescription>>,
    /// The token endpoint and how it was found, looked up once.
    token_endpoint: OnceCell<(Url, &'static str)>,
}

fn url_error(e: url::ParseError) -> ClientError {
    ClientError::Config(format!("cannot build the request URL: {e}"))
}

impl CxoneClient {
    pub fn new(
        credentials: Credentials,
        settings: CxoneSettings,
        http: HttpSettings,
    ) -> Result<Self, ClientError> {
        if !credentials.missing(Profile::Cxone).is_empty() {
            return Err(ClientError::Config(
                "the cxone profile needs an access key: set access_key_id and access_key_secret"
                    .into(),
            ));
        }
        Ok(Self {
            transport: Transport::new(http)?,
            credentials,
            settings,
            signed_in: TokenCache::default(),
            state_names: OnceCell::new(),
            token_endpoint: OnceCell::new(),
        })
    }

    fn auth_url(&self, path: &str) -> Result<Url, ClientError> {
        as_base(parse_url("auth_url", &self.settings.auth_url)?)
            .join(path)
            .map_err(url_error)
    }

    /// The token endpoint as NICE's Cognigy extension finds it: the `token_endpoint` of the auth
    /// host's OpenID configuration, else `{auth_url}/auth/token`.
    async fn token_endpoint(&self) -> Result<(Url, &'static str), ClientError> {
        let fallback = || -> Result<(Url, &'static str), ClientError> {
            Ok((self.auth_url(endpoints::TOKEN.path)?, "the default path"))
        };
        let url = self.auth_url(endpoints::OPENID_CONFIGURATION.path)?;
        let endpoint = &endpoints::OPENID_CONFIGURATION;
        let Ok(response) = self.transport.send(endpoint, &url, |r| r).await else {
            return fallback();
        };
        if !response.status().is_success() {
            return fallback();
        }
        let named = response
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("token_endpoint")?.as_str().map(str::to_string))
            .and_then(|t| Url::parse(t.trim()).ok());
        match named {
            Some(url) => {
                self.transport.check_url(&url)?;
                Ok((url, "openid-configuration"))
            }
            None => fallback(),
        }
    }

    /// A token, and where it came from.
    async fn token(&self) -> Result<(TokenResponse, String), ClientError> {
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
        let (endpoint, response, at, source) =
            match (&self.credentials.client_id, &self.credentials.client_secret) {
                (Some(client_id), Some(client_secret)) => {
                    let (url, source) = self
                        .token_endpoint
                        .get_or_try_init(|| self.token_endpoint())
                        .await?
                        .clone();
                    let form = [
                        ("grant_type", "password"),
                        ("username", key_id),
                        ("password", key_secret),
                    ];
                    let endpoint = &endpoints::TOKEN;
                    let response = self
                        .transport
                        .send(endpoint, &url, |r| {
                            r.basic_auth(client_id, Some(client_secret.expose()))
                                .form(&form)
                        })
                        .await?;
                    (endpoint, response, url, source)
                }
                _ => {
                    let endpoint = &endpoints::ACCESS_KEY_TOKEN;
                    let url = as_base(parse_url("access_key_url", &self.settings.access_key_url)?)
                        .join(endpoint.path)
                        .map_err(url_error)?;
                    let body =
                        serde_json::json!({"accessKeyId": key_id, "accessKeySecret": key_secret});
                    let response = self
                        .transport
                        .send(endpoint, &url, |r| r.json(&body))
                        .await?;
                    (endpoint, response, url, "access keys")
                }
            };
        let name = endpoint_name(&endpoint.http_method(), &at);
        if !response.status().is_success() {
            return Err(http::status_error(endpoint.operation, &name, response, 1).await);
        }
        let token: TokenResponse =
            http::json(endpoint.operation, &name, "a token answer", response).await?;
        if token.access_token.is_empty() {
            return Err(ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: name,
                expected: "an access_token".into(),
                excerpt: "an answer without one".into(),
            });
        }
        Ok((token, format!("{name} ({source})")))
    }

    /// `GET {host}/.well-known/cxone-configuration?tenantId=`: the tenant's API host.
    async fn cxone_configuration(&self, host: &str, tenant: &str) -> Result<String, String> {
        let endpoint = &endpoints::CXONE_CONFIGURATION;
        let mut url = as_base(Url::parse(host.trim()).map_err(|e| format!("{host}: {e}"))?)
            .join(endpoint.path)
            .map_err(|e| e.to_string())?;
        url.query_pairs_mut().append_pair("tenantId", tenant);
        let name = endpoint_name(&endpoint.http_method(), &url);
        let response = self
            .transport
            .send(endpoint, &url, |r| r)
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(http::status_error(endpoint.operation, &name, response, 1)
                .await
                .to_string());
        }
        let configuration: CxoneConfiguration = http::json(
            endpoint.operation,
            &name,
            "the tenant's configuration",
            response,
        )
        .await
        .map_err(|e| e.to_string())?;
        configuration
            .api_endpoint
            .filter(|a| !a.trim().is_empty())
            .map(|a| a.trim().trim_end_matches('/').to_string())
            .ok_or_else(|| format!("{name} names no api_endpoint"))
    }

    /// The API host: from config, from a legacy token answer, or discovered as real clients do:
    /// the token issuer's configuration, then the global host's (access-key tokens' issuers serve
    /// none), then `api-{icClusterId}`.
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
                "the token answer",
            ));
        }
        let claims = token
            .id_token
            .as_deref()
            .and_then(jwt::claims)
            .or_else(|| jwt::claims(&token.access_token))
            .unwrap_or_default();
        let mut tried = Vec::new();
        match &claims.tenant_id {
            Some(tenant) => {
                let mut hosts = Vec::new();
                if let Some(issuer) = &claims.iss {
                    hosts.push((issuer.as_str(), "the token issuer's discovery"));
                }
                let global = self.settings.auth_url.as_str();
                if claims.iss.as_deref().map(|i| i.trim_end_matches('/'))
                    != Some(global.trim_end_matches('/'))
                {
                    hosts.push((global, "the global host's discovery"));
                }
                for (host, source) in hosts {
                    match self.cxone_configuration(host, tenant).await {
                        Ok(api) => return Ok((api, source)),
                        Err(e) => tried.push(e),
                    }
                }
            }
            None => tried.push("the token's claims name no tenantId".to_string()),
        }
        if let Some(cluster) = &claims.cluster {
            // Hosts are lower case; a live-tested client lowercases the claim the same way.
            let api = self
                .settings
                .cluster_api_url
                .replace("{cluster}", &cluster.to_ascii_lowercase());
            if Url::parse(&api).is_ok() {
                return Ok((api, "the token's icClusterId"));
            }
        } else {
            tried.push("the token's claims name no icClusterId".to_string());
        }
        Err(ClientError::Discovery(format!(
            "{}; set api_base",
            tried.join("; ")
        )))
    }

    /// The token and API root. `renew` names the issue time of a token the API refused.
    async fn signed_in(
        &self,
        renew: Option<Instant>,
    ) -> Result<(Grant, Url, Session), ClientError> {
        let (grant, (session, api_root)) = self
            .signed_in
            .get(renew, |before| self.sign_in(before))
            .await?;
        Ok((grant, api_root, session))
    }

    /// A new token; on the first sign-in, the API host too (a renewed token lives on the same tenant).
    async fn sign_in(
        &self,
        before: Option<(Session, Url)>,
    ) -> Result<(Secret, Duration, (Session, Url)), ClientError> {
        let (token, token_endpoint) = self.token().await?;
        let (api_endpoint, source) = match &before {
            Some((session, _)) => (session.api_endpoint.clone(), session.api_endpoint_source),
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
            token_endpoint,
        };
        Ok((
            Secret::new(token.access_token),
            lifetime,
            (session, api_root),
        ))
    }

    /// An ACD API call: a 401 gets a new token once, then the call is sent once more.
    async fn call(
        &self,
        endpoint: &Endpoint,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(Response, String), ClientError> {
        let sign_in = |renew| async move {
            let (grant, root, _) = self.signed_in(renew).await?;
            Ok((grant, root))
        };
        self.transport
            .authorized(endpoint, path, sign_in, build)
            .await
    }

    /// A GET whose answer is JSON; `None` for 204, which the API sends for "nothing to report".
    async fn get_json(
        &self,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<(Option<serde_json::Value>, String), ClientError> {
        let (response, at) = self.call(endpoint, path, |r| r.query(query)).await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok((None, at));
        }
        let value = http::json(endpoint.operation, &at, "a JSON answer", response).await?;
        Ok((Some(value), at))
    }

    /// One page of a list, from record `skip` on, with the list's own `filter` parameters; 204 is
    /// an empty last page.
    async fn page<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        keys: &[&str],
        skip: usize,
        filter: &[(&str, String)],
    ) -> Result<(Page<T>, String), ClientError> {
        let mut query = filter.to_vec();
        query.extend([("skip", skip.to_string()), ("top", PAGE_SIZE.to_string())]);
        let (value, at) = self.get_json(endpoint, path, &query).await?;
        let Some(value) = value else {
            return Ok((
                Page {
                    items: Vec::new(),
                    total: Some(0),
                    more: false,
                },
                at,
            ));
        };
        let page = crate::models::page_of(value, keys).map_err(|m| ClientError::Unexpected {
            operation: endpoint.operation,
            endpoint: at.clone(),
            expected: m.expected,
            excerpt: m.got,
        })?;
        Ok((page, at))
    }

    /// A whole list, page by page: once the first page gives `totalRecords`, the others are
    /// fetched a few at a time; without it, `_links.next` (or a full page) leads on. At most
    /// `max_pages` pages are read; what is left is reported, never silently dropped.
    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        keys: &[&str],
    ) -> Result<(Vec<T>, Option<Truncated>), ClientError> {
        let max_pages = self.settings.max_pages.max(1);
        let (first, at) = self.page::<T>(endpoint, path, keys, 0, &[]).await?;
        let page_len = first.items.len();
        let total = first.total;
        let mut more = first.more || (total.is_none() && page_len == PAGE_SIZE);
        let mut items = first.items;
        let mut pages = 1u32;
        if let Some(total) = total
            .map(|t| t as usize)
            .filter(|&t| t > page_len && page_len > 0)
        {
            // The server's page may be smaller than asked for: step by what it sent.
            let needed = total.div_ceil(page_len);
            let fetch = needed.min(max_pages as usize);
            let rest: Vec<(Page<T>, String)> = futures_util::stream::iter(1..fetch)
                .map(|i| self.page::<T>(endpoint, path, keys, i * page_len, &[]))
                .buffered(PAGES_AT_ONCE)
                .try_collect()
                .await?;
            pages = fetch as u32;
            for (page, _) in rest {
                items.extend(page.items);
            }
            more = needed > fetch;
        } else {
            while more && pages < max_pages {
                let (page, _) = self
                    .page::<T>(endpoint, path, keys, items.len(), &[])
                    .await?;
                pages += 1;
                more = !page.items.is_empty() && (page.more || page.items.len() == PAGE_SIZE);
                items.extend(page.items);
            }
        }
        let truncated = more.then_some(Truncated {
            endpoint: at,
            read: items.len(),
            total,
            pages,
        });
        Ok((items, truncated))
    }

    /// The API root a preview shows: the configured or discovered one, or a placeholder before sign-in.
    async fn preview_root(&self) -> String {
        match (&self.settings.api_base, self.signed_in.learnt().await) {
            (Some(base), _) => format!(
                "{}/inContactAPI/services/{}/",
                base.trim_end_matches('/'),
                self.settings.api_version
            ),
            (None, Some((_, api_root))) => api_root.to_string(),
            (None, None) => format!(
                "{{api_endpoint}}/inContactAPI/services/{}/",
                self.settings.api_version
            ),
        }
    }

    /// `GET skills/{id}`.
    pub async fn skill(&self, skill_id: &str) -> Result<crate::models::Skill, ClientError> {
        let endpoint = &endpoints::SKILL;
        let (value, at) = self
            .get_json(endpoint, &endpoint.path_with(&[skill_id]), &[])
            .await?;
        let got = value.as_ref().map_or_else(
            || "204 No Content".to_string(),
            |v| crate::error::excerpt(&v.to_string()),
        );
        value
            .and_then(crate::models::skill_of)
            .ok_or_else(|| ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: at,
                expected: "a skill with a skillId (flat, or in a `skills` list)".into(),
                excerpt: got,
            })
    }

    /// `GET skills/{id}/activity`: the platform's counts for one skill, if it reports the skill.
    pub async fn skill_activity(
        &self,
        skill_id: &str,
    ) -> Result<Option<SkillActivity>, ClientError> {
        let endpoint = &endpoints::SKILL_ACTIVITY;
        let (activity, _) = self
            .list::<SkillActivity>(
                endpoint,
                &endpoint.path_with(&[skill_id]),
                &["skillActivity"],
            )
            .await?;
        Ok(activity
            .into_iter()
            .find(|a| a.skill_id.trim() == skill_id.trim()))
    }

    /// `GET skills/{id}/agents`: the skill's assignments, and what the page cap left unread.
    pub async fn skill_assignments(
        &self,
        skill_id: &str,
    ) -> Result<(Vec<AgentSkillAssignment>, Option<Truncated>), ClientError> {
        let endpoint = &endpoints::SKILL_AGENTS;
        self.list(
            endpoint,
            &endpoint.path_with(&[skill_id]),
            &["agentSkillAssignments", "agents"],
        )
        .await
    }

    /// `GET agents/states`: every agent's state, and what the page cap left unread.
    pub async fn agent_states(&self) -> Result<(Vec<AgentState>, Option<Truncated>), ClientError> {
        let endpoint = &endpoints::AGENT_STATES;
        self.list(endpoint, endpoint.path, &["agentStates"]).await
    }

    /// `GET agents/skills`: every agent's skill assignments in one list, so that a watch of many
    /// skills needs no call per skill. See [`rosters`].
    pub async fn all_assignments(
        &self,
    ) -> Result<(Vec<AgentSkillAssignment>, Option<Truncated>), ClientError> {
        let endpoint = &endpoints::ALL_AGENT_SKILLS;
        self.list(endpoint, endpoint.path, &["agentSkillAssignments"])
            .await
    }

    /// `POST scripts/start`: spawns a Studio script into a skill; returns the new contact's id.
    /// Never sent twice: a lost answer may mean a contact exists.
    pub async fn spawn_script(
        &self,
        skill_id: &str,
        script_path: &str,
        parameters: &[String],
    ) -> Result<String, ClientError> {
        let endpoint = &endpoints::SPAWN_SCRIPT;
        let query = spawn_query(skill_id, script_path, parameters);
        let (response, at) = self
            .call(endpoint, endpoint.path, |r| r.query(&query))
            .await?;
        let answer: SpawnAnswer =
            http::json(endpoint.operation, &at, "{contactId}", response).await?;
        if answer.contact_id.is_empty() {
            return Err(ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: at,
                expected: "a contactId".into(),
                excerpt: "an answer without one".into(),
            });
        }
        Ok(answer.contact_id)
    }

    /// `GET contacts/{id}/state-history`, oldest first.
    pub async fn state_history(
        &self,
        contact_id: &str,
    ) -> Result<Vec<ContactStateEntry>, ClientError> {
        let endpoint = &endpoints::STATE_HISTORY;
        let (value, at) = self
            .get_json(endpoint, &endpoint.path_with(&[contact_id]), &[])
            .await?;
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        let mut history = crate::models::page_of::<ContactStateEntry>(
            value,
            &["contactStateHistory", "stateHistory"],
        )
        .map_err(|m| ClientError::Unexpected {
            operation: endpoint.operation,
            endpoint: at,
            expected: m.expected,
            excerpt: m.got,
        })?
        .items;
        history.sort_by_key(|s| s.state_index);
        Ok(history)
    }

    /// The tenant's state names by id, from `GET contact-state-descriptions`, fetched once per
    /// client. A tenant that will not say leaves the history's own names to stand.
    async fn state_names(&self) -> &HashMap<String, ContactStateDescription> {
        self.state_names
            .get_or_init(|| async {
                let endpoint = &endpoints::STATE_DESCRIPTIONS;
                match self
                    .list::<ContactStateDescription>(
                        endpoint,
                        endpoint.path,
                        &["contactStateDescriptions"],
                    )
                    .await
                {
                    Ok((names, _)) => names.into_iter().map(|d| (d.id.clone(), d)).collect(),
                    Err(e) => {
                        tracing::debug!(error = %e, "no contact state names: using the history's");
                        HashMap::new()
                    }
                }
            })
            .await
    }
}

/// A signal's parameters, `p1`..`p9`, as Studio's ONSIGNAL takes them.
fn signal_params(params: &[String]) -> Result<Vec<(String, String)>, ClientError> {
    if params.len() > 9 {
        return Err(ClientError::Config(format!(
            "a signal carries at most 9 parameters (p1..p9), not {}",
            params.len()
        )));
    }
    Ok(params
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("p{}", i + 1), p.clone()))
        .collect())
}

fn signal_body(params: &[(String, String)]) -> serde_json::Value {
    serde_json::Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// `scripts/start`'s query, spelt as the published API spells it: `Parameters` with a capital P,
/// and no `startDate`, which is for scheduling. Parameters are pipe-delimited; a pipe inside a
/// value would shift every later parameter.
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
        ("Parameters", parameters),
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

/// What an agent state means for taking a handover.
enum Bucket {
    Available,
    Unavailable,
    Working,
    LoggedOut,
}

/// Maps an agent state name (any case) to what it means for taking a handover.
fn bucket(state: &str) -> Bucket {
    match state.to_ascii_lowercase().as_str() {
        "available" => Bucket::Available,
        "loggedout" | "logged out" | "" => Bucket::LoggedOut,
        "unavailable" | "loggedin" | "logged in" => Bucket::Unavailable,
        _ => Bucket::Working,
    }
}

fn activity_of(s: SkillActivity) -> QueueActivity {
    QueueActivity {
        media: s.media_type_id.parse().ok().map(Media::from_id),
        id: s.skill_id,
        name: s.skill_name,
        active: s.is_active,
        available: s.agents_available,
        logged_in: s.agents_logged_in,
        working: s.agents_working + s.agents_acw,
        unavailable: s.agents_unavailable,
        queued: s.queue_count,
    }
}

fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

/// Each agent's state name, by agent id.
fn states_by_agent(states: &[AgentState]) -> HashMap<&str, &str> {
    states
        .iter()
        .map(|s| (s.agent_id.as_str(), s.agent_state_name.as_str()))
        .collect()
}

/// One skill's agents from its assignments and every agent's state. Only a routable assignment
/// counts: no flag of it says the user or the assignment is inactive.
fn tally<'a>(
    assignments: impl IntoIterator<Item = &'a AgentSkillAssignment>,
    state_of: &HashMap<&str, &str>,
) -> Agents {
    let mut agents = Agents::default();
    // An agent counts once, even from a server that ignored `skip` and sent a page again.
    let mut seen = std::collections::HashSet::new();
    for assignment in assignments
        .into_iter()
        .filter(|a| seen.insert(a.agent_id.as_str()))
    {
        let state = bucket(
            state_of
                .get(assignment.agent_id.as_str())
                .copied()
                .unwrap_or(""),
        );
        let name = || {
            let name = full_name(&assignment.first_name, &assignment.last_name);
            if name.is_empty() {
                assignment.agent_name.trim().to_string()
            } else {
                name
            }
        };
        let routable = [
            assignment.is_active,
            assignment.is_skill_active,
            assignment.is_agent_active,
        ]
        .iter()
        .all(|flag| *flag != Some(false));
        if !routable {
            agents.inactive_assignments += 1;
            if matches!(state, Bucket::Available) {
                agents.inactive_but_available.push(name());
            }
            continue;
        }
        agents.assigned += 1;
        match state {
            Bucket::Available => {
                agents.available += 1;
                agents.available_names.push(name());
            }
            Bucket::Unavailable => agents.unavailable += 1,
            Bucket::Working => agents.working += 1,
            Bucket::LoggedOut => agents.logged_out += 1,
        }
    }
    agents
}

/// One skill's agents, as [`ContactCenter::agents`] tells them, from its assignments
/// ([`CxoneClient::skill_assignments`]) and every agent's state ([`CxoneClient::agent_states`]):
/// the states read once serve every skill. Either list cut at the page cap is named.
pub fn agents_of(
    (assigned, assigned_cut): &(Vec<AgentSkillAssignment>, Option<Truncated>),
    (states, states_cut): &(Vec<AgentState>, Option<Truncated>),
) -> Agents {
    let mut agents = tally(assigned, &states_by_agent(states));
    agents.truncated = assigned_cut.iter().chain(states_cut).cloned().collect();
    agents
}

/// Every skill's agents, by skill id, from every agent's assignments (`agents/skills`) and states
/// (`agents/states`): what `agents` tells of one skill, for all of them from two lists.
pub fn rosters(
    assignments: &[AgentSkillAssignment],
    states: &[AgentState],
) -> HashMap<String, Agents> {
    let state_of = states_by_agent(states);
    let mut by_skill: HashMap<&str, Vec<&AgentSkillAssignment>> = HashMap::new();
    for assignment in assignments {
        by_skill
            .entry(assignment.skill_id.trim())
            .or_default()
            .push(assignment);
    }
    by_skill
        .into_iter()
        .map(|(skill, assigned)| (skill.to_string(), tally(assigned, &state_of)))
        .collect()
}

impl ContactCenter for CxoneClient {
    fn profile(&self) -> Profile {
        Profile::Cxone
    }

    async fn session(&self) -> Result<Session, ClientError> {
        Ok(self.signed_in(None).await?.2)
    }

    async fn queue(&self, id: &str) -> Result<Queue, ClientError> {
        let (skill, activity) = tokio::join!(self.skill(id), self.skill_activity(id));
        let skill = skill?;
        let activity = activity?.map(activity_of);
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
            activity,
        })
    }

    async fn agents(&self, queue_id: &str) -> Result<Agents, ClientError> {
        let (assigned, states) =
            tokio::join!(self.skill_assignments(queue_id), self.agent_states());
        Ok(agents_of(&assigned?, &states?))
    }

    async fn queues(&self) -> Result<Sweep, ClientError> {
        let endpoint = &endpoints::ALL_SKILLS_ACTIVITY;
        let (activity, truncated) = self
            .list::<SkillActivity>(endpoint, endpoint.path, &["skillActivity"])
            .await?;
        let mut seen = std::collections::HashSet::new();
        Ok(Sweep {
            queues: activity
                .into_iter()
                .filter(|a| seen.insert(a.skill_id.clone()))
                .map(activity_of)
                .collect(),
            truncated,
        })
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
            method: endpoints::SPAWN_SCRIPT.method.into(),
            url: format!("{root}{}?{query}", endpoints::SPAWN_SCRIPT.path),
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
        let params = signal_params(params)?;
        let mode = self.settings.signal_params;
        let endpoint = &endpoints::SIGNAL;
        let mut url = format!(
            "{}{}",
            self.preview_root().await,
            endpoint.path_with(&[contact_id])
        );
        if mode.in_query() && !params.is_empty() {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&params)
                .finish();
            url = format!("{url}?{query}");
        }
        let mut headers = vec![
            ("Accept".into(), "application/json".into()),
            ("Authorization".into(), "Bearer ***".into()),
        ];
        let body = mode.in_body().then(|| {
            headers.push(("Content-Type".into(), "application/json".into()));
            signal_body(&params).to_string()
        });
        Ok(RequestPreview {
            method: endpoint.method.into(),
            url,
            headers,
            body,
        })
    }

    async fn signal(&self, contact_id: &str, params: &[String]) -> Result<(), ClientError> {
        let params = signal_params(params)?;
        let mode = self.settings.signal_params;
        let body = signal_body(&params);
        let endpoint = &endpoints::SIGNAL;
        self.call(endpoint, &endpoint.path_with(&[contact_id]), |r| {
            let r = if mode.in_query() { r.query(&params) } else { r };
            if mode.in_body() { r.json(&body) } else { r }
        })
        .await?;
        Ok(())
    }

    /// `GET scripts?scriptPath=`. Only a GET: `POST scripts` saves a script.
    async fn studio_script(&self, script_path: &str) -> Result<Vec<u8>, ClientError> {
        let endpoint = &endpoints::STUDIO_SCRIPT;
        let query = [("scriptPath", script_path.to_string())];
        let (response, at) = self
            .call(endpoint, endpoint.path, |r| r.query(&query))
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: at,
                expected: "a web-Studio script".into(),
                excerpt: format!("a body that could not be read: {e}"),
            })?;
        Ok(bytes.to_vec())
    }

    async fn contact_history(&self, contact_id: &str) -> Result<Vec<ContactState>, ClientError> {
        let (history, names) = tokio::join!(self.state_history(contact_id), self.state_names());
        let some = |s: String| Some(s).filter(|s| !s.is_empty() && s != "0");
        Ok(history?
            .into_iter()
            .map(|s| {
                let described = names.get(&s.contact_state_id);
                ContactState {
                    name: described
                        .map(|d| d.name.clone())
                        .filter(|n| !n.trim().is_empty())
                        .or_else(|| some(s.contact_state_name.clone()))
                        .unwrap_or_else(|| format!("state {}", s.contact_state_id)),
                    category: described.and_then(|d| d.category.clone()),
                    skill_id: some(s.skill_id),
                    agent_id: some(s.agent_id),
                    started: s.start_date,
                }
            })
            .collect())
    }

    /// `GET contacts/completed?startDate&endDate`, page by page until the contact is found. The
    /// published API filters by skill, agent, team and more, but not by contact id, so the client
    /// looks through the window's records; it stops at the page cap and says so rather than
    /// answer "none" for a list it did not read whole.
    async fn completed_contact(
        &self,
        contact_id: &str,
        window: Window,
    ) -> Result<Option<CompletedContact>, ClientError> {
        let window = Window::new(window.start, window.end)?;
        let endpoint = &endpoints::COMPLETED_CONTACTS;
        let wanted = contact_id.trim();
        let filter = [
            ("startDate", utc_seconds(window.start)),
            ("endDate", utc_seconds(window.end)),
        ];
        let max_pages = self.settings.max_pages.max(1);
        let (mut read, mut pages) = (0usize, 0u32);
        loop {
            let (page, at) = self
                .page::<CompletedContact>(
                    endpoint,
                    endpoint.path,
                    &["completedContacts"],
                    read,
                    &filter,
                )
                .await?;
            pages += 1;
            let len = page.items.len();
            if let Some(found) = page
                .items
                .into_iter()
                .find(|c| c.contact_id.trim() == wanted)
            {
                return Ok(Some(found));
            }
            read += len;
            // The server's page may be smaller than asked for: step by what it sent.
            let more = len > 0
                && page
                    .total
                    .map_or(page.more || len == PAGE_SIZE, |t| read < t as usize);
            if !more {
                return Ok(None);
            }
            if pages >= max_pages {
                let total = page.total.map_or_else(String::new, |t| format!(" of {t}"));
                return Err(ClientError::Config(format!(
                    "{at}: contact {wanted} is not among the first {read}{total} completed contacts from {} to {} ({pages} pages, the page cap); search a shorter window",
                    filter[0].1, filter[1].1
                )));
            }
        }
    }

    fn stats(&self) -> CallStats {
        self.transport
            .stats()
            .with_token_renewals(self.signed_in.renewals())
    }
}

/// A time as the ACD API takes it: UTC, to the second. A public client reports that the API does
/// not take offsets.
fn utc_seconds(at: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(at.as_second())
        .unwrap_or(at)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(agent: &str, skill: &str, flags: [Option<bool>; 3]) -> AgentSkillAssignment {
        AgentSkillAssignment {
            agent_id: agent.into(),
            agent_name: format!("Agent {agent}"),
            skill_id: skill.into(),
            is_active: flags[0],
            is_skill_active: flags[1],
            is_agent_active: flags[2],
            ..AgentSkillAssignment::default()
        }
    }

    fn state(agent: &str, name: &str) -> AgentState {
        AgentState {
            agent_id: agent.into(),
            agent_state_name: name.into(),
            ..AgentState::default()
        }
    }

    #[test]
    fn rosters_count_each_skill_from_every_agents_assignments_and_states() {
        let yes = Some(true);
        let assignments = [
            assignment("1", "10", [yes, yes, yes]),
            assignment("2", "10", [None, None, None]),
            assignment("3", "10", [yes, Some(false), yes]),
            assignment("4", "10", [yes, yes, Some(false)]),
            assignment("1", "20", [yes, yes, yes]),
            assignment("5", "20", [yes, yes, yes]),
        ];
        let states = [
            state("1", "Available"),
            state("2", "InboundContact"),
            state("3", "Available"),
            state("4", "Available"),
            state("5", "LoggedOut"),
        ];
        let rosters = rosters(&assignments, &states);
        let ten = &rosters["10"];
        assert_eq!((ten.assigned, ten.available, ten.working), (2, 1, 1));
        assert_eq!(ten.available_names, ["Agent 1"]);
        // isSkillActive false, and isAgentActive false: neither routes, both are named.
        assert_eq!(ten.inactive_assignments, 2);
        assert_eq!(ten.inactive_but_available, ["Agent 3", "Agent 4"]);
        let twenty = &rosters["20"];
        assert_eq!(
            (twenty.assigned, twenty.available, twenty.logged_out),
            (2, 1, 1)
        );
        assert!(!rosters.contains_key("30"));
    }

    #[test]
    fn spawn_parameters_cannot_shift_and_are_spelt_as_published() {
        let query = spawn_query(" 42 ", "Handover\\Test", &["+1555|x".into(), "Jo".into()]);
        assert_eq!(query[0], ("skillId", "42".into()));
        assert_eq!(query[2], ("Parameters", "+1555/x|Jo".into()));
        assert!(query.iter().all(|(k, _)| *k != "startDate"));
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
