//! The mock's HTTP side: token endpoints, discovery, the ACD API and the routing-v2 API, with the
//! scenario's faults applied to API calls.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::scenario::{Scenario, media_type_id};

/// Hears of every request: method, path (no query), status, time taken.
pub type RequestLog = Arc<dyn Fn(&str, &str, u16, Duration) + Send + Sync>;

/// What tokens claim to last; the `token-expiry` scenario makes the server stop taking them sooner.
const ADVERTISED_TOKEN_SECONDS: u64 = 3600;

/// A contact the mock created, as tests and the `mock` command see it.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRecord {
    pub id: u64,
    pub skill_id: u64,
    pub script: Option<String>,
    pub parameters: Vec<String>,
    /// The states it went through, oldest first.
    pub states: Vec<String>,
    /// The agent it reached, if any.
    pub agent_id: Option<u64>,
    /// Each signal's parameters, `p1`..`p9`.
    pub signals: Vec<BTreeMap<String, String>>,
    /// Whether its script has an ONSIGNAL handler.
    pub onsignal: bool,
    /// Placed by a request (a spawned script, a routing-v2 interaction), not named by the scenario.
    pub placed: bool,
}

struct Mutable {
    tokens: HashMap<String, Instant>,
    contacts: BTreeMap<u64, ContactRecord>,
    next_contact: u64,
    next_token: u64,
    random: u64,
}

pub struct Shared {
    pub scenario: Scenario,
    url: String,
    log: Option<RequestLog>,
    pub requests: AtomicU64,
    api_calls: AtomicU64,
    state: Mutex<Mutable>,
}

impl Shared {
    pub fn new(scenario: Scenario, url: String, log: Option<RequestLog>) -> Self {
        let contacts = scenario
            .contacts
            .iter()
            .map(|c| {
                let record = ContactRecord {
                    id: c.id,
                    skill_id: c.skill,
                    script: None,
                    parameters: Vec::new(),
                    states: vec!["Incoming".into(), "PreQueue".into()],
                    agent_id: None,
                    signals: Vec::new(),
                    onsignal: c.onsignal,
                    placed: false,
                };
                (c.id, record)
            })
            .collect();
        Self {
            scenario,
            url,
            log,
            requests: AtomicU64::new(0),
            api_calls: AtomicU64::new(0),
            state: Mutex::new(Mutable {
                tokens: HashMap::new(),
                contacts,
                next_contact: 123_456_789_101,
                next_token: 1,
                random: 0x2545_F491_4F6C_DD1D,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mutable> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn contacts(&self) -> Vec<ContactRecord> {
        self.lock().contacts.values().cloned().collect()
    }

    fn issue_token(&self, claims: bool) -> String {
        let mut state = self.lock();
        let n = state.next_token;
        state.next_token += 1;
        let token = if claims {
            let t = &self.scenario.tenant;
            jwt(&json!({
                "iss": self.url,
                "tenantId": t.tenant_id,
                "icBUId": t.business_unit,
                "icClusterId": t.cluster,
                "sub": format!("user:{}", t.tenant_id),
                "jti": n,
            }))
        } else {
            format!("mock-routing-token-{n}")
        };
        state.tokens.insert(token.clone(), Instant::now());
        token
    }

    /// A number in [0, 1) from a fixed-seed sequence, so fault runs repeat.
    fn random(&self) -> f64 {
        let mut state = self.lock();
        let mut x = state.random;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.random = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

pub fn router(shared: Arc<Shared>) -> Router {
    let acd = Router::new()
        .route("/skills/activity", get(all_skills_activity))
        .route("/skills/{id}", get(skill))
        .route("/skills/{id}/activity", get(skill_activity))
        .route("/skills/{id}/agents", get(skill_agents))
        .route("/agents/states", get(agent_states))
        .route("/scripts/start", post(spawn_script))
        .route("/interactions/{contact}/signal", post(signal))
        .route("/contacts/{contact}/state-history", get(state_history))
        .route_layer(middleware::from_fn_with_state(shared.clone(), acd_guard));
    let routing_api = Router::new()
        .route("/api/v2/routing/queues/{id}", get(routing_queue))
        .route("/api/v2/routing/queues/{id}/agents", get(routing_agents))
        .route("/api/v2/interactions", post(routing_interaction))
        .route_layer(middleware::from_fn_with_state(shared.clone(), api_guard));
    Router::new()
        .route("/auth/token", post(cxone_token))
        .route(
            "/authentication/v1/token/access-key",
            post(access_key_token),
        )
        .route("/.well-known/cxone-configuration", get(cxone_configuration))
        .route(
            "/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .nest("/inContactAPI/services/{version}", acd)
        .route("/oauth/token", post(routing_token))
        .merge(routing_api)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), observe))
        .with_state(shared)
}

/// Latency, the request count and the log line, for every request.
async fn observe(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let latency = shared.scenario.faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let response = next.run(request).await;
    if let Some(log) = &shared.log {
        log(
            &method,
            &path,
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    response
}

/// Before every ACD call: the API version and `Accept`, then the faults and the token.
async fn acd_guard(
    State(shared): State<Arc<Shared>>,
    Path(params): Path<HashMap<String, String>>,
    request: Request,
    next: Next,
) -> Response {
    let version = params.get("version").map_or("", String::as_str);
    match acd_refusal(&shared, request.headers(), version) {
        Some(answer) => answer,
        None => next.run(request).await,
    }
}

/// Before every routing-v2 API call: the faults and the token.
async fn api_guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    match refusal(&shared, request.headers()) {
        Some(answer) => answer,
        None => next.run(request).await,
    }
}

async fn not_found() -> Response {
    cxone_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        "no such endpoint on the mock tenant",
    )
}

/// An ACD-style error: the reason in the `icStatusDescription` header and in the body.
fn cxone_error(status: StatusCode, reason: &str, description: &str) -> Response {
    let mut response = (
        status,
        Json(json!({"error": reason, "errorDescription": description})),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(reason) {
        response.headers_mut().insert("icStatusDescription", value);
    }
    response
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn token_answer(shared: &Shared, token: String, id_token: bool) -> Response {
    let mut answer = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ADVERTISED_TOKEN_SECONDS,
        "refresh_token": "mock-refresh-token",
    });
    if id_token {
        answer["id_token"] = Value::String(shared.issue_token(true));
    }
    Json(answer).into_response()
}

/// `POST /auth/token`: password grant, the access key as username and password, the app as Basic.
async fn cxone_token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let c = &shared.scenario.credentials;
    if shared.scenario.faults.reject_credentials {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid access key or secret",
        );
    }
    if basic_credentials(&headers) != Some((c.client_id.clone(), c.client_secret.clone())) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client or wrong client secret",
        );
    }
    if form.get("grant_type").map(String::as_str) != Some("password") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use grant_type=password",
        );
    }
    if form.get("username") != Some(&c.access_key_id)
        || form.get("password") != Some(&c.access_key_secret)
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid access key or secret",
        );
    }
    let token = shared.issue_token(true);
    token_answer(&shared, token, true)
}

/// `POST /authentication/v1/token/access-key`, for an access key without a registered app.
async fn access_key_token(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    let c = &shared.scenario.credentials;
    let matches = body.get("accessKeyId").and_then(Value::as_str) == Some(c.access_key_id.as_str())
        && body.get("accessKeySecret").and_then(Value::as_str)
            == Some(c.access_key_secret.as_str());
    if shared.scenario.faults.reject_credentials || !matches {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
            "Invalid access key or secret",
        );
    }
    let token = shared.issue_token(true);
    token_answer(&shared, token, false)
}

async fn cxone_configuration(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if query.get("tenantId") != Some(&shared.scenario.tenant.tenant_id) {
        return cxone_error(
            StatusCode::NOT_FOUND,
            "TenantNotFound",
            "no tenant with that id",
        );
    }
    Json(json!({
        "api_endpoint": shared.url,
        "auth_endpoint": shared.url,
        "area": "na1",
        "cluster": shared.scenario.tenant.cluster,
        "domain": "mock.invalid",
        "acdDomain": "mock.invalid",
        "uhDomain": "mock.invalid",
    }))
    .into_response()
}

async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({
        "issuer": shared.url,
        "token_endpoint": format!("{}/auth/token", shared.url),
    }))
    .into_response()
}

/// The faults that apply to every API call, then the token check: the answer to send instead of serving the call, if any.
fn refusal(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let faults = &shared.scenario.faults;
    let call = shared.api_calls.fetch_add(1, Ordering::Relaxed) + 1;
    if call <= u64::from(faults.rate_limit_first) {
        let mut response = cxone_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "rate limit exceeded",
        );
        if let Some(seconds) = faults.retry_after_seconds
            && call % 2 == 1
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        return Some(response);
    }
    // The first call admitted fails for sure, so that a flaky tenant shows itself in every run.
    let first_admitted = call == u64::from(faults.rate_limit_first) + 1;
    if faults.fail_rate > 0.0 && (first_admitted || shared.random() < faults.fail_rate) {
        return Some(cxone_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "back-end at capacity",
        ));
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let issued = token.and_then(|t| shared.lock().tokens.get(t).copied());
    let Some(issued) = issued else {
        return Some(cxone_error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "missing or unknown token",
        ));
    };
    if let Some(lifetime) = faults.token_lifetime_seconds
        && issued.elapsed() > Duration::from_secs(lifetime)
    {
        return Some(cxone_error(
            StatusCode::UNAUTHORIZED,
            "TokenExpired",
            "the token has expired",
        ));
    }
    if faults.forbid_api {
        return Some(cxone_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "the access key's role lacks the permission for this call",
        ));
    }
    None
}

/// API versions the ACD API serves; a wrong one answers 404, as CXone does.
fn version_ok(version: &str) -> bool {
    version
        .strip_prefix('v')
        .and_then(|v| v.strip_suffix(".0"))
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (1..=33).contains(&n))
}

/// The ACD API renders only JSON; without an Accept that allows it, CXone answers this.
fn accepts_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json") || v.contains("*/*"))
}

fn acd_refusal(shared: &Shared, headers: &HeaderMap, version: &str) -> Option<Response> {
    if !version_ok(version) {
        return Some(cxone_error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "no such API version",
        ));
    }
    if !accepts_json(headers) {
        return Some(cxone_error(
            StatusCode::NOT_ACCEPTABLE,
            "No known way to render data",
            "send Accept: application/json",
        ));
    }
    refusal(shared, headers)
}

fn find_skill<'s>(shared: &'s Shared, id: &str) -> Option<&'s crate::Skill> {
    let id = id.trim();
    shared.scenario.skills.iter().find(|s| {
        s.id.to_string() == id
            || s.routing_id
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(id))
    })
}

fn invalid_skill() -> Response {
    cxone_error(
        StatusCode::NOT_FOUND,
        "InvalidSkillId",
        "no skill with that id",
    )
}

fn skill_json(skill: &crate::Skill) -> Value {
    let (media_id, media_name) = media_type_id(&skill.media).unwrap_or((4, "Phone Call"));
    json!({
        "skillId": skill.id,
        "skillName": skill.name,
        "mediaTypeId": media_id,
        "mediaTypeName": media_name,
        "isActive": skill.active,
        "isOutbound": false,
        "scriptName": skill.script,
        "requireManualAccept": false,
        "agentless": false,
        "serviceLevelThreshold": 30,
    })
}

/// An agent's state as it counts for taking contacts.
enum Bucket {
    Available,
    Unavailable,
    Working,
    LoggedOut,
}

fn bucket(state: &str) -> Bucket {
    match state {
        "Available" => Bucket::Available,
        "LoggedOut" => Bucket::LoggedOut,
        "Unavailable" | "LoggedIn" => Bucket::Unavailable,
        _ => Bucket::Working,
    }
}

fn activity_json(shared: &Shared, skill: &crate::Skill) -> Value {
    let (mut available, mut unavailable, mut working, mut logged_in) = (0, 0, 0, 0);
    for agent in shared
        .scenario
        .agents
        .iter()
        .filter(|a| a.skills.contains(&skill.id))
    {
        match bucket(&agent.state) {
            Bucket::Available => available += 1,
            Bucket::Unavailable => unavailable += 1,
            Bucket::Working => working += 1,
            Bucket::LoggedOut => continue,
        }
        logged_in += 1;
    }
    let (media_id, _) = media_type_id(&skill.media).unwrap_or((4, ""));
    json!({
        "skillId": skill.id,
        "skillName": skill.name,
        "isActive": skill.active,
        "mediaTypeId": media_id,
        "agentsAvailable": available,
        "agentsLoggedIn": logged_in,
        "agentsUnavailable": unavailable,
        "agentsWorking": working,
        "agentsACW": 0,
        "agentsIdle": 0,
        "queueCount": skill.queued,
        "contactsActive": skill.queued + working,
        "earliestQueueTime": Value::Null,
        "serviceLevel": 100,
    })
}

async fn skill(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match find_skill(&shared, &id) {
        Some(skill) => Json(skill_json(skill)).into_response(),
        None => invalid_skill(),
    }
}

async fn skill_activity(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match find_skill(&shared, &id) {
        Some(skill) => Json(json!({
            "lastPollTime": "2026-11-24T00:00:00.000Z",
            "skillActivity": [activity_json(&shared, skill)],
        }))
        .into_response(),
        None => invalid_skill(),
    }
}

async fn all_skills_activity(State(shared): State<Arc<Shared>>) -> Response {
    let activity: Vec<Value> = shared
        .scenario
        .skills
        .iter()
        .map(|s| activity_json(&shared, s))
        .collect();
    Json(json!({"lastPollTime": "2026-11-24T00:00:00.000Z", "skillActivity": activity}))
        .into_response()
}

async fn skill_agents(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let Some(skill) = find_skill(&shared, &id) else {
        return invalid_skill();
    };
    let assignments: Vec<Value> = shared
        .scenario
        .agents
        .iter()
        .filter(|a| a.skills.contains(&skill.id))
        .map(|a| {
            json!({
                "agentId": a.id,
                "firstName": a.first_name,
                "lastName": a.last_name,
                "isActive": true,
                "isSkillActive": true,
                "agentProficiencyValue": 1,
                "skillId": skill.id,
            })
        })
        .collect();
    Json(json!({"totalRecords": assignments.len(), "agentSkillAssignments": assignments}))
        .into_response()
}

async fn agent_states(State(shared): State<Arc<Shared>>) -> Response {
    let states: Vec<Value> = shared
        .scenario
        .agents
        .iter()
        .map(|a| {
            json!({
                "agentId": a.id,
                "agentStateName": a.state,
                "firstName": a.first_name,
                "lastName": a.last_name,
                "skillId": a.skills.first(),
            })
        })
        .collect();
    Json(json!({"lastPollTime": "2026-11-24T00:00:00.000Z", "agentStates": states})).into_response()
}

/// Creates a contact in a skill and decides, from the scenario, how far it gets.
fn create_contact(
    shared: &Shared,
    skill: &crate::Skill,
    script: Option<String>,
    parameters: Vec<String>,
) -> u64 {
    let agent = shared
        .scenario
        .agents
        .iter()
        .find(|a| a.skills.contains(&skill.id) && a.state == "Available")
        .map(|a| a.id);
    let mut states = vec!["Incoming".to_string(), "PreQueue".to_string()];
    let ends_early = shared
        .scenario
        .faults
        .contacts_end_in
        .clone()
        .or_else(|| (!skill.active).then(|| "PreQueue".to_string()));
    let reached = match ends_early {
        Some(last) => {
            if states.last() != Some(&last) {
                states.push(last);
            }
            states.push("EndContact".into());
            None
        }
        None => {
            states.push("Queued".into());
            if agent.is_some() {
                states.push("Active".into());
            }
            agent
        }
    };
    let mut state = shared.lock();
    let id = state.next_contact;
    state.next_contact += 1;
    state.contacts.insert(
        id,
        ContactRecord {
            id,
            skill_id: skill.id,
            script,
            parameters,
            states,
            agent_id: reached,
            signals: Vec::new(),
            onsignal: true,
            placed: true,
        },
    );
    id
}

async fn spawn_script(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(skill) = query.get("skillId").and_then(|id| find_skill(&shared, id)) else {
        return invalid_skill();
    };
    let script = query
        .get("scriptPath")
        .or_else(|| query.get("scriptId"))
        .filter(|s| !s.is_empty());
    let Some(script) = script.cloned() else {
        return cxone_error(
            StatusCode::BAD_REQUEST,
            "InvalidScript",
            "scriptPath or scriptId is required",
        );
    };
    let parameters = query
        .get("parameters")
        .map(|p| p.split('|').map(str::to_string).collect())
        .unwrap_or_default();
    let id = create_contact(&shared, skill, Some(script), parameters);
    (StatusCode::ACCEPTED, Json(json!({"contactId": id}))).into_response()
}

async fn signal(
    State(shared): State<Arc<Shared>>,
    Path((_, contact)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let mut params: BTreeMap<String, String> = query
        .into_iter()
        .filter(|(k, _)| is_signal_param(k))
        .collect();
    if !body.is_empty() {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) else {
            return cxone_error(
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                "the body is not a JSON object",
            );
        };
        for (k, v) in map.into_iter().filter(|(k, _)| is_signal_param(k)) {
            params.insert(k, v.as_str().map_or_else(|| v.to_string(), str::to_string));
        }
    }
    let id = contact.trim().parse::<u64>().ok();
    let mut state = shared.lock();
    match id.and_then(|id| state.contacts.get_mut(&id)) {
        Some(record) => {
            let action = params
                .get("p1")
                .or_else(|| params.get("P1"))
                .cloned()
                .unwrap_or_default();
            record.signals.push(params);
            let over = record.states.last().is_some_and(|s| s == "EndContact");
            if !over {
                if !record.onsignal || action.eq_ignore_ascii_case("End") {
                    // No ONSIGNAL handler: the signal is taken, and the script just ends.
                    record.states.push("EndContact".into());
                } else if action.eq_ignore_ascii_case("Escalate")
                    && !record.states.iter().any(|s| s == "Queued")
                {
                    record.states.push("Queued".into());
                    let agent = shared
                        .scenario
                        .agents
                        .iter()
                        .find(|a| a.skills.contains(&record.skill_id) && a.state == "Available")
                        .map(|a| a.id);
                    if let Some(agent) = agent {
                        record.states.push("Active".into());
                        record.agent_id = Some(agent);
                    }
                }
            }
            StatusCode::ACCEPTED.into_response()
        }
        None => cxone_error(
            StatusCode::NOT_FOUND,
            "InvalidContactId",
            "no active contact with that id",
        ),
    }
}

fn is_signal_param(key: &str) -> bool {
    key.strip_prefix('p')
        .or_else(|| key.strip_prefix('P'))
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (1..=9).contains(&n))
}

async fn state_history(
    State(shared): State<Arc<Shared>>,
    Path((_, contact)): Path<(String, String)>,
) -> Response {
    let record = contact
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|id| shared.lock().contacts.get(&id).cloned());
    let Some(record) = record else {
        return cxone_error(
            StatusCode::NOT_FOUND,
            "InvalidContactId",
            "no contact with that id",
        );
    };
    let history: Vec<Value> = record
        .states
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "stateIndex": i + 1,
                "contactStateId": state_id(name),
                "contactStateName": name,
                "skillId": record.skill_id,
                "agentId": if name == "Active" { record.agent_id } else { None },
                "duration": 1,
            })
        })
        .collect();
    Json(json!({"contactStateHistory": history})).into_response()
}

fn state_id(name: &str) -> u32 {
    match name {
        "Incoming" => 1,
        "PreQueue" => 2,
        "Queued" => 3,
        "Active" => 4,
        "EndContact" => 9,
        _ => 0,
    }
}

// ---- routing-v2 -------------------------------------------------------------------------------

async fn routing_token(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let c = &shared.scenario.credentials;
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use grant_type=client_credentials",
        );
    }
    if shared.scenario.faults.reject_credentials
        || form.get("client_id") != Some(&c.client_id)
        || form.get("client_secret") != Some(&c.client_secret)
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client or wrong client secret",
        );
    }
    let token = shared.issue_token(false);
    token_answer(&shared, token, false)
}

fn routing_queue_json(skill: &crate::Skill) -> Value {
    json!({
        "id": skill.routing_id.clone().unwrap_or_else(|| skill.id.to_string()),
        "name": skill.name,
        "status": if skill.active { "active" } else { "paused" },
        "mediaType": skill.media,
        "maxConcurrentCalls": 25,
        "wrapUpCodes": [{"id": "wrap-1", "name": "Resolved"}, {"id": "wrap-2", "name": "Callback"}],
    })
}

fn queue_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"message": "Queue not found", "code": "not.found"})),
    )
        .into_response()
}

async fn routing_queue(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match find_skill(&shared, &id) {
        Some(skill) => Json(routing_queue_json(skill)).into_response(),
        None => queue_not_found(),
    }
}

async fn routing_agents(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let Some(skill) = find_skill(&shared, &id) else {
        return queue_not_found();
    };
    let items: Vec<Value> = shared
        .scenario
        .agents
        .iter()
        .filter(|a| a.skills.contains(&skill.id))
        .map(|a| {
            let status = match bucket(&a.state) {
                Bucket::Available => "Available",
                Bucket::Unavailable => "Away",
                Bucket::Working => "Busy",
                Bucket::LoggedOut => "Offline",
            };
            json!({
                "id": a.id.to_string(),
                "name": format!("{} {}", a.first_name, a.last_name),
                "available": status == "Available",
                "status": {"name": status},
            })
        })
        .collect();
    Json(json!({"items": items})).into_response()
}

fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|d| {
        (2..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

async fn routing_interaction(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<Value>,
) -> Response {
    let bad = |message: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": message, "code": "bad.request"})),
        )
            .into_response()
    };
    let queue_id = body
        .pointer("/routingData/queueId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(skill) = find_skill(&shared, queue_id) else {
        return bad("routingData.queueId does not name a queue");
    };
    let participant = body
        .pointer("/participants/0")
        .cloned()
        .unwrap_or(Value::Null);
    let address = participant
        .get("address")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !is_e164(address) {
        return bad("Invalid phone number format");
    }
    let name = participant
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let attributes = participant
        .get("customAttributes")
        .map(Value::to_string)
        .unwrap_or_else(|| "{}".into());
    let id = create_contact(
        &shared,
        skill,
        None,
        vec![address.to_string(), name, attributes],
    );
    (
        StatusCode::CREATED,
        Json(json!({"id": id.to_string(), "state": "queued"})),
    )
        .into_response()
}
