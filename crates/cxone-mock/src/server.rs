//! The mock's HTTP side: token endpoints, discovery, the ACD API and the routing-v2 API, with the
//! scenario's faults applied to API calls; and Cognigy.AI's API (`cognigy`), whose routes under
//! `/new/v2.0` collide with none of them.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::cognigy;
use crate::scenario::{Agent, CONTACT_STATES, Change, Scenario, Skill, media_type_id};

/// Hears of every request: method, path (no query), status, time taken.
pub type RequestLog = Arc<dyn Fn(&str, &str, u16, Duration) + Send + Sync>;

/// What tokens claim to last; the `token-expiry` scenario makes the server stop taking them sooner.
const ADVERTISED_TOKEN_SECONDS: u64 = 3600;

/// The `iss` of access-key tokens, under the mock's URL. It serves no discovery (as with real
/// access-key tokens), so `{iss}/.well-known/cxone-configuration` answers 404 and a client must
/// fall back to the global host's.
const ACCESS_KEY_ISSUER: &str = "/access-key-issuer";

/// The page every ACD list answers when the request names no `top`, as a live-tested client reports.
pub const DEFAULT_PAGE: usize = 50;
/// The largest page the ACD API answers; a larger `top` gets this many.
pub const MAX_PAGE: usize = 100;

const LAST_POLL_TIME: &str = "2026-11-24T00:00:00.000Z";

/// A contact the mock created, as tests and the `mock` command see it.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRecord {
    pub id: u64,
    pub skill_id: u64,
    pub script: Option<String>,
    /// The spawn's `Parameters`, split at `|`: what the script gets as P1..Pn.
    pub parameters: Vec<String>,
    /// The query keys the spawn request carried, sorted, read or not: whether a client sent
    /// `Parameters` (the spec's spelling) or `startDate` shows here.
    pub query_keys: Vec<String>,
    /// The states it went through, oldest first, by the mock's own names (not the tenant's spelling).
    pub states: Vec<String>,
    /// The agent it reached, if any.
    pub agent_id: Option<u64>,
    /// The agent it was offered to and who refused it (`faults.agent_refuses`).
    pub refused_by: Option<u64>,
    /// When it started: its state history and completed-contact record count from here.
    pub started: jiff::Timestamp,
    /// The signals it got, oldest first.
    pub signals: Vec<SignalRecord>,
    /// Whether its script has an ONSIGNAL handler.
    pub onsignal: bool,
    /// Placed by a request (a spawned script, a routing-v2 interaction), not named by the scenario.
    pub placed: bool,
}

/// One signal to a contact: what arrived in the query and in the JSON body (every key, values as
/// text), and the `p1`..`p9` its script read from them, per the tenant's `signal_reads`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SignalRecord {
    pub query: BTreeMap<String, String>,
    pub body: BTreeMap<String, String>,
    pub read: BTreeMap<String, String>,
}

struct Mutable {
    tokens: HashMap<String, Instant>,
    contacts: BTreeMap<u64, ContactRecord>,
    next_contact: u64,
    next_token: u64,
    random: u64,
}

/// The skills and agents as they are now: the scenario's, with the timeline's due changes made.
struct Live {
    skills: Vec<Skill>,
    agents: Vec<Agent>,
    /// How many of the (sorted) timeline's changes are made.
    made: usize,
    /// How many times the timeline has started over.
    round: u64,
}

impl Live {
    fn new(scenario: &Scenario) -> Self {
        Self {
            skills: scenario.skills.clone(),
            agents: scenario.agents.clone(),
            made: 0,
            round: 0,
        }
    }

    fn make(&mut self, change: &Change) {
        if let Some(skill) = change
            .skill
            .and_then(|id| self.skills.iter_mut().find(|s| s.id == id))
        {
            skill.active = change.active.unwrap_or(skill.active);
            skill.queued = change.queued.unwrap_or(skill.queued);
            skill.activity_available = change.activity_available.or(skill.activity_available);
        }
        if let Some(state) = &change.state {
            let named = |a: &Agent| {
                change.agents.contains(&a.id)
                    || change
                        .agents_of_skill
                        .is_some_and(|s| a.skills.contains(&s))
            };
            for agent in self.agents.iter_mut().filter(|a| named(a)) {
                agent.state.clone_from(state);
            }
        }
    }
}

pub struct Shared {
    pub scenario: Scenario,
    /// When the timeline started: the server's start.
    started: Instant,
    /// The scenario's timeline, by time.
    timeline: Vec<Change>,
    /// Locked before `state` whenever both are held.
    live: Mutex<Live>,
    url: String,
    log: Option<RequestLog>,
    pub requests: AtomicU64,
    api_calls: AtomicU64,
    /// Whether `faults.cognigy_logs_fail_once` has failed its page yet.
    pub cognigy_logs_failed: std::sync::atomic::AtomicBool,
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
                    query_keys: Vec::new(),
                    states: vec!["Incoming".into(), "PreQueue".into()],
                    agent_id: None,
                    refused_by: None,
                    started: jiff::Timestamp::now(),
                    signals: Vec::new(),
                    onsignal: c.onsignal,
                    placed: false,
                };
                (c.id, record)
            })
            .collect();
        let mut timeline = scenario.timeline.clone();
        timeline.sort_by(|a, b| a.at_seconds.total_cmp(&b.at_seconds));
        Self {
            live: Mutex::new(Live::new(&scenario)),
            started: Instant::now(),
            timeline,
            scenario,
            url,
            log,
            requests: AtomicU64::new(0),
            api_calls: AtomicU64::new(0),
            cognigy_logs_failed: std::sync::atomic::AtomicBool::new(false),
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

    /// The tenant as it is now: the changes due since the last request are made first (on a
    /// repeating timeline, a new round starts over from the scenario's tenant), so a request costs
    /// the changes it is the first to see, not a copy of the tenant.
    fn tenant(&self) -> std::sync::MutexGuard<'_, Live> {
        self.tenant_at(self.started.elapsed().as_secs_f64())
    }

    /// The tenant `at` seconds from the start; times go forward only, as `tenant` asks for them.
    fn tenant_at(&self, mut at: f64) -> std::sync::MutexGuard<'_, Live> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if self.timeline.is_empty() {
            return live;
        }
        if let Some(repeat) = self.scenario.timeline_repeat_seconds {
            let round = (at / repeat).floor();
            at -= round * repeat;
            if round as u64 != live.round {
                *live = Live::new(&self.scenario);
                live.round = round as u64;
            }
        }
        while let Some(change) = self.timeline.get(live.made).filter(|c| c.at_seconds <= at) {
            live.make(change);
            live.made += 1;
        }
        live
    }

    /// A CXone JWT whose `iss` is `issuer`, or without one routing-v2's opaque token.
    fn issue_token(&self, issuer: Option<&str>) -> String {
        let mut state = self.lock();
        let n = state.next_token;
        state.next_token += 1;
        let token = if let Some(issuer) = issuer {
            let t = &self.scenario.tenant;
            jwt(&json!({
                "iss": issuer,
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
        .route("/agents/skills", get(agents_skills))
        .route("/scripts", get(studio_script))
        .route("/scripts/start", post(spawn_script))
        .route("/interactions/{contact}/signal", post(signal))
        .route("/contacts/{contact}/state-history", get(state_history))
        .route("/contacts/active", get(active_contacts))
        .route("/contacts/completed", get(completed_contacts))
        .route(
            "/contact-state-descriptions",
            get(contact_state_descriptions),
        )
        .route_layer(middleware::from_fn_with_state(shared.clone(), reshape))
        .route_layer(middleware::from_fn_with_state(shared.clone(), acd_guard));
    let routing_api = Router::new()
        .route("/api/v2/routing/queues/{id}", get(routing_queue))
        .route("/api/v2/routing/queues/{id}/agents", get(routing_agents))
        .route("/api/v2/interactions", post(routing_interaction))
        .route_layer(middleware::from_fn_with_state(shared.clone(), api_guard));
    let cognigy = Router::new()
        .route("/flows", get(cognigy::list_flows))
        .route("/locales", get(cognigy::list_locales))
        .route("/flows/{flow}/chart", get(cognigy::chart))
        .route("/flows/{flow}/chart/nodes/{node}", get(cognigy::chart_node))
        .route("/projects/{project}/logs", get(cognigy::list_logs))
        .route_layer(middleware::from_fn(cognigy::guard));
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
        .nest(
            if shared.scenario.faults.cognigy_v2_only {
                "/v2.0"
            } else {
                "/new/v2.0"
            },
            cognigy,
        )
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

/// `faults.answer_shape`, for every ACD GET that answers 200: `{}`, or the answer under `resultSet`.
async fn reshape(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let is_get = request.method() == Method::GET;
    let response = next.run(request).await;
    let shape = shared.scenario.faults.answer_shape.as_deref();
    let Some(shape) = shape.filter(|_| is_get && response.status() == StatusCode::OK) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let reshaped = if shape == "empty" {
        json!({})
    } else {
        // The body is the handler's own JSON, in memory: reading it cannot fail or be too long.
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        json!({"resultSet": serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null)})
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(reshaped.to_string()))
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

/// A token answer: an access token from `issuer` (see `Shared::issue_token`), and an id token too
/// when asked.
fn token_answer(shared: &Shared, issuer: Option<&str>, id_token: bool) -> Response {
    let mut answer = json!({
        "access_token": shared.issue_token(issuer),
        "token_type": "Bearer",
        "expires_in": ADVERTISED_TOKEN_SECONDS,
        "refresh_token": "mock-refresh-token",
    });
    if id_token {
        answer["id_token"] = Value::String(shared.issue_token(issuer));
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
    token_answer(&shared, Some(&shared.url), true)
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
    let issuer = format!("{}{ACCESS_KEY_ISSUER}", shared.url);
    token_answer(&shared, Some(&issuer), false)
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
    if shared.scenario.faults.no_openid_configuration {
        return not_found().await;
    }
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
        && issued.elapsed() >= Duration::from_secs(lifetime)
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
        .is_some_and(|n| (1..=35).contains(&n))
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

fn find_skill<'t>(tenant: &'t Live, id: &str) -> Option<&'t Skill> {
    let id = id.trim();
    tenant.skills.iter().find(|s| {
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

fn skill_json(skill: &Skill) -> Value {
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

/// The page a list request asks for, as every ACD list reads it: `skip` (default 0) and `top`
/// (default [`DEFAULT_PAGE`], at most [`MAX_PAGE`]), and the request's URL for the `_links`.
struct Page {
    skip: usize,
    top: usize,
    uri: Uri,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let Query(query) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map_err(IntoResponse::into_response)?;
        let number = |key: &str, default: usize| match query.get(key) {
            None => Some(default),
            Some(text) => text.trim().parse::<usize>().ok(),
        };
        let invalid =
            |problem: &str| cxone_error(StatusCode::BAD_REQUEST, "InvalidParameter", problem);
        let skip = number("skip", 0).ok_or_else(|| invalid("skip must be a whole number"))?;
        let top = number("top", DEFAULT_PAGE)
            .filter(|&top| top > 0)
            .ok_or_else(|| invalid("top must be a whole number from 1"))?;
        // Nested routers see their own part of the path; the links name the whole one.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
        Ok(Self {
            skip,
            top: top.min(MAX_PAGE),
            uri,
        })
    }
}

impl Page {
    /// `answer` with this page of `items` under `key`, `totalRecords` (all of them) and `_links`,
    /// whose `next` is there only when more records follow. Only the page's items are rendered, so
    /// a page of a long list costs a page.
    fn answer<T>(
        &self,
        shared: &Shared,
        key: &str,
        items: Vec<T>,
        render: impl Fn(T) -> Value,
        mut answer: Value,
    ) -> Response {
        let total = items.len();
        let mut links = json!({"self": self.link(shared, self.skip)});
        let next = self.skip.saturating_add(self.top);
        if next < total {
            links["next"] = Value::String(self.link(shared, next));
        }
        answer["totalRecords"] = total.into();
        answer["_links"] = links;
        answer[key] = items
            .into_iter()
            .skip(self.skip)
            .take(self.top)
            .map(render)
            .collect();
        Json(answer).into_response()
    }

    /// The absolute URL of the page from `skip`: the request's path and query with `skip` and `top` set.
    fn link(&self, shared: &Shared, skip: usize) -> String {
        let mut query: Vec<&str> = self
            .uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| {
                !pair.is_empty() && !matches!(pair.split('=').next(), Some("skip" | "top"))
            })
            .collect();
        let paging = format!("skip={skip}&top={}", self.top);
        query.push(&paging);
        format!("{}{}?{}", shared.url, self.uri.path(), query.join("&"))
    }
}

/// The agent a contact queued in `skill` reaches: the first routable one who is Available.
fn available_agent(tenant: &Live, skill: u64) -> Option<u64> {
    tenant
        .agents
        .iter()
        .find(|a| a.routable(skill) && a.state == "Available")
        .map(|a| a.id)
}

/// How many of a skill's routable agents are in each bucket. Only routable agents count, as in
/// the platform's own count.
#[derive(Default, Clone, Copy)]
struct Staffing {
    available: u32,
    unavailable: u32,
    working: u32,
}

impl Staffing {
    /// Every skill's staffing, in one pass over the agents: a list of every skill's activity
    /// costs the number of assignments, not skills times agents.
    fn by_skill(agents: &[Agent]) -> HashMap<u64, Staffing> {
        let mut by_skill: HashMap<u64, Staffing> = HashMap::new();
        for agent in agents {
            for &skill in agent.skills.iter().filter(|&&s| agent.routable(s)) {
                let staffing = by_skill.entry(skill).or_default();
                match bucket(&agent.state) {
                    Bucket::Available => staffing.available += 1,
                    Bucket::Unavailable => staffing.unavailable += 1,
                    Bucket::Working => staffing.working += 1,
                    Bucket::LoggedOut => {}
                }
            }
        }
        by_skill
    }

    fn logged_in(&self) -> u32 {
        self.available + self.unavailable + self.working
    }
}

/// A skill's activity; the scenario's `activity_available` stands in for the platform's count of
/// Available agents when set.
fn activity_json(skill: &Skill, staffing: Staffing) -> Value {
    let (media_id, _) = media_type_id(&skill.media).unwrap_or((4, ""));
    json!({
        "skillId": skill.id,
        "skillName": skill.name,
        "isActive": skill.active,
        "mediaTypeId": media_id,
        "agentsAvailable": skill.activity_available.unwrap_or(staffing.available),
        "agentsLoggedIn": staffing.logged_in(),
        "agentsUnavailable": staffing.unavailable,
        "agentsWorking": staffing.working,
        "agentsACW": 0,
        "agentsIdle": 0,
        "queueCount": skill.queued,
        "contactsActive": skill.queued + staffing.working,
        "earliestQueueTime": Value::Null,
        "serviceLevel": 100,
    })
}

async fn skill(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match find_skill(&shared.tenant(), &id) {
        Some(skill) => Json(skill_json(skill)).into_response(),
        None => invalid_skill(),
    }
}

async fn skill_activity(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let tenant = shared.tenant();
    let Some(skill) = find_skill(&tenant, &id) else {
        return invalid_skill();
    };
    let staffing = Staffing::by_skill(&tenant.agents)
        .remove(&skill.id)
        .unwrap_or_default();
    Json(json!({
        "lastPollTime": LAST_POLL_TIME,
        "skillActivity": [activity_json(skill, staffing)],
    }))
    .into_response()
}

async fn all_skills_activity(State(shared): State<Arc<Shared>>, page: Page) -> Response {
    let tenant = shared.tenant();
    let staffing = Staffing::by_skill(&tenant.agents);
    page.answer(
        &shared,
        "skillActivity",
        tenant.skills.iter().collect(),
        |s| activity_json(s, staffing.get(&s.id).copied().unwrap_or_default()),
        json!({"lastPollTime": LAST_POLL_TIME}),
    )
}

async fn skill_agents(
    State(shared): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    page: Page,
) -> Response {
    let tenant = shared.tenant();
    let Some(skill) = find_skill(&tenant, &id) else {
        return invalid_skill();
    };
    let assigned = tenant
        .agents
        .iter()
        .filter(|a| a.skills.contains(&skill.id))
        .collect();
    let render = |a: &Agent| {
        json!({
            "agentId": a.id,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "isActive": a.active,
            "isSkillActive": !a.inactive_skills.contains(&skill.id),
            "agentProficiencyValue": 1,
            "skillId": skill.id,
        })
    };
    page.answer(
        &shared,
        "agentSkillAssignments",
        assigned,
        render,
        json!({}),
    )
}

/// `GET agents/skills`: every agent's skill assignments, by agent id and then skill id. An
/// assignment to a skill the tenant does not have is not listed.
async fn agents_skills(State(shared): State<Arc<Shared>>, page: Page) -> Response {
    let tenant = shared.tenant();
    let skills: HashMap<u64, &Skill> = tenant.skills.iter().map(|s| (s.id, s)).collect();
    let mut assignments: Vec<(&Agent, &Skill)> = tenant
        .agents
        .iter()
        .flat_map(|a| a.skills.iter().map(move |id| (a, id)))
        .filter_map(|(a, id)| Some((a, *skills.get(id)?)))
        .collect();
    assignments.sort_unstable_by_key(|(a, s)| (a.id, s.id));
    let render = |(a, s): (&Agent, &Skill)| {
        let (media_id, media_name) = media_type_id(&s.media).unwrap_or((4, "Phone Call"));
        json!({
            "agentId": a.id,
            "agentName": format!("{} {}", a.first_name, a.last_name),
            "firstName": a.first_name,
            "lastName": a.last_name,
            "skillId": s.id,
            "skillName": s.name,
            "mediaTypeId": media_id,
            "mediaTypeName": media_name,
            "isActive": a.active,
            "isAgentActive": a.active,
            "isSkillActive": !a.inactive_skills.contains(&s.id),
        })
    };
    page.answer(
        &shared,
        "agentSkillAssignments",
        assignments,
        render,
        json!({"lastPollTime": LAST_POLL_TIME}),
    )
}

async fn agent_states(State(shared): State<Arc<Shared>>, page: Page) -> Response {
    let tenant = shared.tenant();
    let render = |a: &Agent| {
        json!({
            "agentId": a.id,
            "agentStateName": a.state,
            "firstName": a.first_name,
            "lastName": a.last_name,
            "skillId": a.skills.first(),
        })
    };
    page.answer(
        &shared,
        "agentStates",
        tenant.agents.iter().collect(),
        render,
        json!({"lastPollTime": LAST_POLL_TIME}),
    )
}

/// Creates a contact in a skill and decides, from the tenant as it is now, how far it gets.
fn create_contact(
    shared: &Shared,
    tenant: &Live,
    skill: &Skill,
    script: Option<String>,
    parameters: Vec<String>,
    query_keys: Vec<String>,
) -> u64 {
    let mut states = vec!["Incoming".to_string(), "PreQueue".to_string()];
    let ends_early = shared.scenario.faults.contacts_end_in.clone().or_else(|| {
        (!skill.active || never_requests_agent(shared, script.as_deref()))
            .then(|| "PreQueue".to_string())
    });
    let (reached, refused_by) = match ends_early {
        Some(last) => {
            if states.last() != Some(&last) {
                states.push(last);
            }
            states.push("EndContact".into());
            (None, None)
        }
        None => queue(shared, tenant, skill.id, &mut states),
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
            query_keys,
            states,
            agent_id: reached,
            refused_by,
            started: jiff::Timestamp::now(),
            signals: Vec::new(),
            onsignal: true,
            placed: true,
        },
    );
    id
}

/// Queues a contact: it reaches the skill's first routable Available agent, unless that agent
/// refuses it (`faults.agent_refuses`) and it ends in the queue. The agent reached, and the one who
/// refused.
fn queue(
    shared: &Shared,
    tenant: &Live,
    skill: u64,
    states: &mut Vec<String>,
) -> (Option<u64>, Option<u64>) {
    states.push("Queued".into());
    let Some(agent) = available_agent(tenant, skill) else {
        return (None, None);
    };
    if shared.scenario.faults.agent_refuses.is_some() {
        states.push("EndContact".into());
        return (None, Some(agent));
    }
    states.push("Active".into());
    (Some(agent), None)
}

/// Whether the spawned script is one the scenario holds without a REQAGENT action: REQAGENT is
/// where a contact moves from PreQueue to Queued, so without one it never does.
fn never_requests_agent(shared: &Shared, script: Option<&str>) -> bool {
    script.is_some_and(|path| {
        shared
            .scenario
            .scripts
            .iter()
            .any(|s| s.path == path.trim() && s.reqagent_skill.is_none())
    })
}

/// `answer`, unless `faults.lose_answers` names `call`: then the 504 a gateway sends when the
/// tenant did the work but its answer never came back. (504 is the mock's choice of how a lost
/// answer looks; a client may as well see a timeout or a reset.)
fn deliver(shared: &Shared, call: &str, answer: Response) -> Response {
    if shared
        .scenario
        .faults
        .lose_answers
        .iter()
        .any(|a| a == call)
    {
        return cxone_error(
            StatusCode::GATEWAY_TIMEOUT,
            "GatewayTimeout",
            "the answer was lost after the request reached the tenant",
        );
    }
    answer
}

/// The web-Studio JSON every served script starts from: a healthy handover script.
const STUDIO_SCRIPT: &str = include_str!("../../../examples/studio/healthy.json");
/// The REQAGENT action in [`STUDIO_SCRIPT`].
const REQAGENT: &str = "13";

/// `GET scripts?scriptPath=Folder\Name`: the script's web-Studio JSON, as the scenario describes it.
async fn studio_script(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let path = query.get("scriptPath").map_or("", |p| p.trim());
    let Some(script) = shared.scenario.scripts.iter().find(|s| s.path == path) else {
        return cxone_error(
            StatusCode::NOT_FOUND,
            "ScriptNotFound",
            "no script at that scriptPath",
        );
    };
    let mut json: Value = serde_json::from_str(STUDIO_SCRIPT).expect("the bundled script is JSON");
    json["header"]["scriptName"] = json!(path.rsplit('\\').next().unwrap_or(path));
    match &script.reqagent_skill {
        Some(skill) => json["properties"][REQAGENT]["0"]["value"] = json!(skill),
        None => {
            for part in ["actions", "properties", "branches"] {
                if let Some(map) = json[part].as_object_mut() {
                    map.remove(REQAGENT);
                }
            }
            if let Some(branches) = json["branches"].as_object_mut() {
                for list in branches.values_mut().filter_map(Value::as_array_mut) {
                    list.retain(|b| {
                        b["to"].as_u64().map(|to| to.to_string()).as_deref() != Some(REQAGENT)
                    });
                }
            }
        }
    }
    Json(json).into_response()
}

async fn spawn_script(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let tenant = shared.tenant();
    let Some(skill) = query.get("skillId").and_then(|id| find_skill(&tenant, id)) else {
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
    // The spec spells it `Parameters`; a tenant reading that name never sees a `parameters` key.
    let parameters = query
        .get("Parameters")
        .map(|p| p.split('|').map(str::to_string).collect())
        .unwrap_or_default();
    let query_keys = query.keys().cloned().collect();
    let id = create_contact(
        &shared,
        &tenant,
        skill,
        Some(script),
        parameters,
        query_keys,
    );
    drop(tenant);
    deliver(
        &shared,
        "spawn",
        (StatusCode::ACCEPTED, Json(json!({"contactId": id}))).into_response(),
    )
}

async fn signal(
    State(shared): State<Arc<Shared>>,
    Path((_, contact)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let body: BTreeMap<String, String> = if body.is_empty() {
        BTreeMap::new()
    } else {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) else {
            return cxone_error(
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                "the body is not a JSON object",
            );
        };
        map.into_iter()
            .map(|(k, v)| {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                (k, text)
            })
            .collect()
    };
    // CXone answers 202 whatever it read, so where the script reads from is the tenant's to say.
    let reads = shared.scenario.tenant.signal_reads.as_str();
    let mut read = BTreeMap::new();
    if reads != "body" {
        read.extend(signal_params(&query));
    }
    if reads != "query" {
        read.extend(signal_params(&body));
    }
    let id = contact.trim().parse::<u64>().ok();
    let tenant = shared.tenant();
    let mut state = shared.lock();
    let Some(record) = id.and_then(|id| state.contacts.get_mut(&id)) else {
        return cxone_error(
            StatusCode::NOT_FOUND,
            "InvalidContactId",
            "no active contact with that id",
        );
    };
    let action = read
        .get("p1")
        .or_else(|| read.get("P1"))
        .cloned()
        .unwrap_or_default();
    record.signals.push(SignalRecord { query, body, read });
    let over = record.states.last().is_some_and(|s| s == "EndContact");
    if !over {
        if !record.onsignal || action.eq_ignore_ascii_case("End") {
            // No ONSIGNAL handler: the signal is taken, and the script just ends.
            record.states.push("EndContact".into());
        } else if action.eq_ignore_ascii_case("Escalate")
            && !record.states.iter().any(|s| s == "Queued")
        {
            (record.agent_id, record.refused_by) =
                queue(&shared, &tenant, record.skill_id, &mut record.states);
        }
    }
    drop(state);
    drop(tenant);
    deliver(&shared, "signal", StatusCode::ACCEPTED.into_response())
}

/// The signal parameters `p1`..`p9` among what arrived in one place.
fn signal_params(arrived: &BTreeMap<String, String>) -> impl Iterator<Item = (String, String)> {
    arrived
        .iter()
        .filter(|(k, _)| is_signal_param(k))
        .map(|(k, v)| (k.clone(), v.clone()))
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
    let tenant = &shared.scenario.tenant;
    let mut at = record.started;
    let history: Vec<Value> = record
        .states
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let seconds = state_seconds(name);
            let entry = json!({
                "stateIndex": i + 1,
                "contactStateId": state_id(name),
                "contactStateName": tenant.state_name(name),
                "startDate": utc_seconds(at),
                "skillId": record.skill_id,
                "agentId": if name == "Active" { record.agent_id } else { None },
                "duration": seconds,
            });
            at = at
                .saturating_add(jiff::SignedDuration::from_secs(seconds as i64))
                .unwrap_or(at);
            entry
        })
        .collect();
    Json(json!({"contactStateHistory": history})).into_response()
}

/// `GET contacts/active?skillId=`: the contacts not ended, in the skill when one is named; 204 when none.
async fn active_contacts(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let skill = match query.get("skillId") {
        Some(id) => match find_skill(&shared.tenant(), id) {
            Some(skill) => Some(skill.id),
            None => return invalid_skill(),
        },
        None => None,
    };
    let tenant = &shared.scenario.tenant;
    let active: Vec<Value> = shared
        .contacts()
        .into_iter()
        .filter(|c| skill.is_none_or(|s| s == c.skill_id))
        .filter_map(|c| {
            let state = c.states.last().filter(|s| *s != "EndContact")?;
            Some(json!({
                "contactId": c.id,
                "skillId": c.skill_id,
                "contactStateName": tenant.state_name(state),
            }))
        })
        .collect();
    if active.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    Json(json!({"totalRecords": active.len(), "activeContacts": active})).into_response()
}

/// How long a contact stays in a state, in the mock's play: a short ring, a bot or script before
/// the queue, a wait, a call. Not NICE's figures: there are none.
fn state_seconds(name: &str) -> u64 {
    match name {
        "Incoming" => 2,
        "PreQueue" => 28,
        "Queued" => 45,
        "Active" => 240,
        "EndContact" => 0,
        _ => 5,
    }
}

/// A time as the ACD API writes it: UTC, to the second.
fn utc_seconds(at: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(at.as_second())
        .unwrap_or(at)
        .to_string()
}

/// How a contact ended, in the mock's words (NICE publishes no list of `endReason`s): by the state
/// it was in last.
fn end_reason(last: &str) -> &'static str {
    match last {
        "Incoming" | "PreQueue" => "Script Ended",
        "Queued" => "Abandoned",
        "Active" => "Agent Hung Up",
        _ => "Contact Hung Up",
    }
}

/// The completed-contact record of an ended contact, its seconds from its state history.
fn completed_json(shared: &Shared, c: &ContactRecord) -> Option<Value> {
    let (end, states) = c.states.split_last()?;
    if end != "EndContact" {
        return None;
    }
    let last = states.last().map_or("Incoming", String::as_str);
    let seconds = |names: &[&str]| -> u64 {
        states
            .iter()
            .filter(|s| names.contains(&s.as_str()))
            .map(|s| state_seconds(s))
            .sum()
    };
    let in_queue = seconds(&["Queued"]);
    let abandoned = last == "Queued";
    let skill = shared.scenario.skills.iter().find(|s| s.id == c.skill_id);
    let (media_id, media_name) = skill
        .and_then(|s| media_type_id(&s.media))
        .unwrap_or((4, "Phone Call"));
    Some(json!({
        "contactId": c.id,
        "masterContactId": c.id,
        "contactStartDate": utc_seconds(c.started),
        "skillId": c.skill_id,
        "skillName": skill.map(|s| s.name.as_str()),
        "mediaTypeId": media_id,
        "mediaTypeName": media_name,
        "agentId": c.agent_id.or(c.refused_by).unwrap_or(0),
        "fromAddress": c.parameters.first(),
        "isOutbound": false,
        "endReason": end_reason(last),
        "abandoned": abandoned,
        "abandonSeconds": if abandoned { in_queue } else { 0 },
        "isRefused": c.refused_by.is_some(),
        "refuseReason": c.refused_by.and(shared.scenario.faults.agent_refuses.clone()),
        "preQueueSeconds": seconds(&["Incoming", "PreQueue"]),
        "inQueueSeconds": in_queue,
        "agentSeconds": seconds(&["Active"]),
        "postQueueSeconds": 0,
        "acwSeconds": 0,
        "totalDurationSeconds": states.iter().map(|s| state_seconds(s)).sum::<u64>(),
    }))
}

/// `GET contacts/completed?startDate&endDate`: the ended contacts that started in the window,
/// paged. Contacts still active are not in it; a window over 30 days answers 400.
async fn completed_contacts(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    page: Page,
) -> Response {
    let invalid = |problem: &str| cxone_error(StatusCode::BAD_REQUEST, "InvalidParameter", problem);
    // The key that is not a date, if one is not.
    let date = |key: &'static str| {
        query
            .get(key)
            .map(|text| text.trim().parse::<jiff::Timestamp>().map_err(|_| key))
            .transpose()
    };
    let (start, end) = match (date("startDate"), date("endDate")) {
        (Ok(start), Ok(end)) => (start, end),
        (Err(key), _) | (_, Err(key)) => {
            return invalid(&format!("{key} is not an ISO 8601 date and time"));
        }
    };
    if let (Some(start), Some(end)) = (start, end)
        && end.duration_since(start) > jiff::SignedDuration::from_hours(30 * 24)
    {
        return invalid("the date range may span at most 30 days");
    }
    let completed: Vec<Value> = shared
        .contacts()
        .iter()
        .filter(|c| start.is_none_or(|s| c.started >= s) && end.is_none_or(|e| c.started < e))
        .filter_map(|c| completed_json(&shared, c))
        .collect();
    page.answer(
        &shared,
        "completedContacts",
        completed,
        std::convert::identity,
        json!({"businessUnitId": shared.scenario.tenant.business_unit, "lastPollTime": LAST_POLL_TIME}),
    )
}

/// `GET contact-state-descriptions`: the tenant's spelling of every state its contacts can show.
async fn contact_state_descriptions(State(shared): State<Arc<Shared>>) -> Response {
    let tenant = &shared.scenario.tenant;
    let mut states: Vec<(&str, u32, &str)> = CONTACT_STATES.to_vec();
    if let Some(own) = shared.scenario.faults.contacts_end_in.as_deref()
        && !CONTACT_STATES.iter().any(|(name, _, _)| *name == own)
    {
        states.push((own, state_id(own), OWN_STATE_CATEGORY));
    }
    let descriptions: Vec<Value> = states
        .into_iter()
        .map(|(name, id, category)| {
            json!({
                "ContactStateId": id,
                "ContactStateDescription": tenant.state_name(name),
                "ContactStateCategory": category,
            })
        })
        .collect();
    Json(json!({"contactStateDescriptions": descriptions})).into_response()
}

/// The category of a state only `faults.contacts_end_in` names (the mock's word, as are all of them).
const OWN_STATE_CATEGORY: &str = "Other";

/// A state's `contactStateId`; a state only `faults.contacts_end_in` names is 0.
fn state_id(name: &str) -> u32 {
    CONTACT_STATES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or(0, |(_, id, _)| *id)
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
    token_answer(&shared, None, false)
}

fn routing_queue_json(skill: &Skill) -> Value {
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
    match find_skill(&shared.tenant(), &id) {
        Some(skill) => Json(routing_queue_json(skill)).into_response(),
        None => queue_not_found(),
    }
}

async fn routing_agents(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let tenant = shared.tenant();
    let Some(skill) = find_skill(&tenant, &id) else {
        return queue_not_found();
    };
    // routing-v2 has no assignment flags: its queue members are the agents who can take contacts.
    let items: Vec<Value> = tenant
        .agents
        .iter()
        .filter(|a| a.routable(skill.id))
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
    let tenant = shared.tenant();
    let Some(skill) = find_skill(&tenant, queue_id) else {
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
        &tenant,
        skill,
        None,
        vec![address.to_string(), name, attributes],
        Vec::new(),
    );
    (
        StatusCode::CREATED,
        Json(json!({"id": id.to_string(), "state": "queued"})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(tenant: &Live) -> Vec<(u64, &str)> {
        tenant
            .agents
            .iter()
            .map(|a| (a.id, a.state.as_str()))
            .collect()
    }

    #[test]
    fn shift_change_pauses_empties_and_refills_billing_voice_every_minute() {
        let shared = Shared::new(
            Scenario::built_in("shift-change").unwrap(),
            String::new(),
            None,
        );
        let billing = |tenant: &Live| {
            let skill = find_skill(tenant, "4012345").unwrap();
            (skill.active, skill.queued)
        };
        let healthy = [
            (9001, "Available"),
            (9002, "Available"),
            (9003, "InboundContact"),
        ];
        for round in [0.0, 60.0, 120.0] {
            let tenant = shared.tenant_at(round + 10.0);
            assert_eq!(
                (billing(&tenant), states(&tenant)),
                ((true, 0), healthy.to_vec())
            );
            drop(tenant);
            let tenant = shared.tenant_at(round + 20.0);
            assert_eq!(
                (billing(&tenant), states(&tenant)),
                ((false, 0), healthy.to_vec())
            );
            drop(tenant);
            let tenant = shared.tenant_at(round + 35.0);
            assert_eq!(billing(&tenant), (true, 3));
            assert_eq!(
                states(&tenant),
                [
                    (9001, "LoggedOut"),
                    (9002, "LoggedOut"),
                    (9003, "LoggedOut")
                ]
            );
            assert_eq!(available_agent(&tenant, 4_012_345), None);
            drop(tenant);
            let tenant = shared.tenant_at(round + 50.0);
            assert_eq!(
                (billing(&tenant), states(&tenant)),
                ((true, 0), healthy.to_vec())
            );
            assert_eq!(available_agent(&tenant, 4_012_345), Some(9001));
        }
    }

    #[test]
    fn a_timeline_that_does_not_repeat_stays_at_its_last_change() {
        let scenario = Scenario::from_yaml(
            "timeline:\n  - {at_seconds: 1, agents: [9002], state: LoggedOut}\n",
        )
        .unwrap();
        let shared = Shared::new(scenario, String::new(), None);
        assert_eq!(states(&shared.tenant_at(0.5))[1], (9002, "Available"));
        assert_eq!(states(&shared.tenant_at(1.0))[1], (9002, "LoggedOut"));
        assert_eq!(states(&shared.tenant_at(1000.0))[1], (9002, "LoggedOut"));
    }
}
