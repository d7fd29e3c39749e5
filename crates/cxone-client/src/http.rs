//! One HTTP transport for both profiles: timeouts, retries with backoff that honour Retry-After,
//! a total time budget, the plain-http guard, and errors that say which endpoint answered what.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use url::Url;

use crate::endpoints::Endpoint;
use crate::error::{ClientError, Unreachable, excerpt, parse_retry_after};

#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Total time all attempts of one call may take, waits included.
    pub retry_budget: Duration,
    pub max_attempts: u32,
    /// First backoff; it doubles with every attempt, with jitter, up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    pub allow_insecure_http: bool,
    /// Take a proxy from HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (with NO_PROXY), as curl does.
    /// Off for a mock tenant on this machine, which no proxy can reach.
    pub proxy_from_environment: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            retry_budget: Duration::from_secs(30),
            max_attempts: 5,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            allow_insecure_http: false,
            proxy_from_environment: true,
        }
    }
}

pub struct Transport {
    client: reqwest::Client,
    settings: HttpSettings,
    jitter: Mutex<u64>,
    stats: Mutex<CallStats>,
    /// Renewed tokens whose refused predecessor is already counted.
    refusals_counted: Mutex<Vec<Instant>>,
}

/// What the calls so far looked like, for a diagnosis to report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallStats {
    /// Every request sent, retries included.
    pub requests: u32,
    /// Answers that were retried, by HTTP status; 0 stands for a connection failure or timeout.
    pub retried: std::collections::BTreeMap<u16, u32>,
    /// The longest a single request took.
    pub slowest: Duration,
    /// Tokens the API refused before the lifetime they were issued with, after which a new token
    /// made the call succeed: once per refused token.
    pub early_token_refusals: Vec<EarlyRefusal>,
    /// Every request by endpoint and outcome, their durations, and token renewals: what a monitor
    /// exports.
    pub metrics: RequestMetrics,
}

impl CallStats {
    /// The same stats, with the renewals of the token cache the calls used.
    pub fn with_token_renewals(mut self, renewals: u64) -> Self {
        self.metrics.token_renewals = renewals;
        self
    }

    /// One request sent: `retried` when it is about to be sent again.
    fn record(&mut self, endpoint: &Endpoint, outcome: Outcome, took: Duration, retried: bool) {
        self.requests += 1;
        self.slowest = self.slowest.max(took);
        if retried {
            let status = match outcome {
                Outcome::Status(status) => status,
                Outcome::NoAnswer => 0,
            };
            *self.retried.entry(status).or_default() += 1;
        }
        *self
            .metrics
            .by_endpoint
            .entry((endpoint.label, outcome))
            .or_default() += 1;
        self.metrics
            .durations
            .entry(endpoint.label)
            .or_default()
            .observe(took);
    }
}

/// The calls of both, as if one client had made them.
impl std::ops::AddAssign<&CallStats> for CallStats {
    fn add_assign(&mut self, other: &CallStats) {
        self.requests += other.requests;
        for (status, n) in &other.retried {
            *self.retried.entry(*status).or_default() += n;
        }
        self.slowest = self.slowest.max(other.slowest);
        self.early_token_refusals
            .extend_from_slice(&other.early_token_refusals);
        let metrics = &mut self.metrics;
        for (key, n) in &other.metrics.by_endpoint {
            *metrics.by_endpoint.entry(*key).or_default() += n;
        }
        for (label, histogram) in &other.metrics.durations {
            let into = metrics.durations.entry(label).or_default();
            for (bucket, n) in into.buckets.iter_mut().zip(histogram.buckets) {
                *bucket += n;
            }
            into.sum = into.sum.saturating_add(histogram.sum);
        }
        metrics.token_renewals += other.metrics.token_renewals;
    }
}

tokio::task_local! {
    /// The stats of the calls made inside [`counted`], beside the transport's own.
    static COUNTED: std::cell::RefCell<CallStats>;
}

/// Runs `calls` and returns, with their result, the stats of the requests they sent, whatever
/// other calls share the transport meanwhile: a run that diagnoses several queues at once on one
/// client tells each queue's calls (and their retries and slowest) apart. Counted apart also from
/// an enclosing `counted`: a call counted here is not counted there.
pub async fn counted<T>(calls: impl std::future::Future<Output = T>) -> (T, CallStats) {
    COUNTED
        .scope(std::cell::RefCell::default(), async {
            let result = calls.await;
            (result, COUNTED.with(std::cell::RefCell::take))
        })
        .await
}

/// Runs `update` on the transport's stats and, inside [`counted`], on those of the scope.
fn count(stats: &Mutex<CallStats>, update: impl Fn(&mut CallStats)) {
    update(&mut stats.lock().unwrap_or_else(|e| e.into_inner()));
    let _ = COUNTED.try_with(|scope| update(&mut scope.borrow_mut()));
}

/// Requests as a monitor counts them. Bounded: one counter per endpoint and outcome, one
/// histogram per endpoint, whatever the number of calls, skills or contacts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestMetrics {
    /// Requests sent, retries included, by endpoint label ([`Endpoint::label`]) and outcome.
    pub by_endpoint: BTreeMap<(&'static str, Outcome), u64>,
    /// How long those requests took, by endpoint label.
    pub durations: BTreeMap<&'static str, Histogram>,
    /// New tokens fetched while the client held one (it was due, or the API refused it); the
    /// first sign-in is not one.
    pub token_renewals: u64,
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The HTTP status it was answered with.
    Status(u16),
    /// No HTTP answer: the connection failed, or no answer came in time.
    NoAnswer,
}

impl Outcome {
    fn of(result: &Result<Response, reqwest::Error>) -> Self {
        result
            .as_ref()
            .map_or(Outcome::NoAnswer, |r| Outcome::Status(r.status().as_u16()))
    }
}

/// The status label: the HTTP status, or `error` when there was no answer.
impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Status(status) => write!(f, "{status}"),
            Outcome::NoAnswer => f.write_str("error"),
        }
    }
}

/// The upper bounds of the duration histogram's buckets. Prometheus's default buckets (5 ms to
/// 10 s, which fit an API call) with 15 s and 30 s added: 250 ms is `slow_call_ms`'s default, 15 s
/// the default request timeout (a request slower than that timed out), 30 s the retry budget. A
/// request timeout set higher lands past the last bound, in `+Inf`.
pub const DURATION_BUCKETS: [Duration; 13] = [
    Duration::from_millis(5),
    Duration::from_millis(10),
    Duration::from_millis(25),
    Duration::from_millis(50),
    Duration::from_millis(100),
    Duration::from_millis(250),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_millis(2500),
    Duration::from_secs(5),
    Duration::from_secs(10),
    Duration::from_secs(15),
    Duration::from_secs(30),
];

/// Request durations in the fixed buckets of [`DURATION_BUCKETS`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// Requests per bucket, not cumulative: `buckets[i]` took more than the bound before `i` and
    /// at most `DURATION_BUCKETS[i]`; the last took more than every bound.
    pub buckets: [u64; DURATION_BUCKETS.len() + 1],
    /// Their durations added up.
    pub sum: Duration,
}

impl Histogram {
    fn observe(&mut self, took: Duration) {
        let bucket = DURATION_BUCKETS.partition_point(|bound| *bound < took);
        self.buckets[bucket] += 1;
        self.sum = self.sum.saturating_add(took);
    }

    /// Requests observed.
    pub fn count(&self) -> u64 {
        self.buckets.iter().sum()
    }

    /// Each bound in seconds with the requests that took at most that long, as Prometheus's `le`
    /// buckets count them; `+Inf` is [`Histogram::count`].
    pub fn cumulative(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        DURATION_BUCKETS
            .iter()
            .zip(&self.buckets)
            .scan(0, |seen, (bound, n)| {
                *seen += n;
                Some((bound.as_secs_f64(), *seen))
            })
    }
}

/// A token the API stopped taking long before its announced `expires_in`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EarlyRefusal {
    /// How old the token was when the API refused it.
    pub age: Duration,
    /// The lifetime the token endpoint announced.
    pub announced: Duration,
}

/// Whether a call may be sent again when its answer did not come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Reading, or asking for a token: sending it twice changes nothing on the tenant.
    Idempotent,
    /// It may create something (a contact, a signal): sent again only when it surely never
    /// reached the tenant (no connection) or was refused outright (429).
    OnlyIfUnsent,
}

/// Statuses worth another attempt: the server is busy or a gateway failed, not the request.
fn retryable(status: StatusCode, retry: Retry) -> bool {
    match retry {
        Retry::Idempotent => matches!(status.as_u16(), 429 | 502 | 503 | 504),
        Retry::OnlyIfUnsent => status.as_u16() == 429,
    }
}

/// A token as the client holds it: the secret, when it was issued and how long it was said to last.
#[derive(Clone, Debug)]
pub struct Grant {
    pub token: crate::Secret,
    pub issued: Instant,
    pub lifetime: Duration,
}

/// Seconds taken off a token's lifetime, so that it is renewed before the server stops taking it.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// A token's renewal time: its lifetime less the margin, or half of a lifetime shorter than twice the margin.
pub fn renew_after(lifetime: Duration) -> Duration {
    if lifetime > TOKEN_MARGIN * 2 {
        lifetime - TOKEN_MARGIN
    } else {
        lifetime / 2
    }
}

/// The token every call of a client shares, with what was learnt when it was fetched (`S`: the
/// session, the API root).
pub struct TokenCache<S> {
    state: tokio::sync::Mutex<Option<(Grant, Instant, S)>>,
    renewals: AtomicU64,
}

impl<S: Clone> Default for TokenCache<S> {
    fn default() -> Self {
        Self {
            state: tokio::sync::Mutex::new(None),
            renewals: AtomicU64::new(0),
        }
    }
}

impl<S: Clone> TokenCache<S> {
    /// The token, fetched by `fetch` when there is none, when it is due for renewal, or when
    /// `renew` names it (by its issue time) as one the API refused. Calls refused together share
    /// one renewal: a token newer than the refused one is used as it is. `fetch` is given what the
    /// last token learnt, so that a renewal need not learn it again; it returns the token, its
    /// announced lifetime and what it learnt.
    pub async fn get<F, Fut>(
        &self,
        renew: Option<Instant>,
        fetch: F,
    ) -> Result<(Grant, S), ClientError>
    where
        F: FnOnce(Option<S>) -> Fut,
        Fut: std::future::Future<Output = Result<(crate::Secret, Duration, S), ClientError>>,
    {
        let mut state = self.state.lock().await;
        if let Some((grant, renew_at, learnt)) = state.as_ref() {
            let refused = renew.is_some_and(|issued| grant.issued <= issued);
            if !refused && Instant::now() < *renew_at {
                return Ok((grant.clone(), learnt.clone()));
            }
        }
        let renewing = state.is_some();
        let (token, lifetime, learnt) = fetch(state.as_ref().map(|s| s.2.clone())).await?;
        if renewing {
            self.renewals.fetch_add(1, Ordering::Relaxed);
        }
        let grant = Grant {
            token,
            issued: Instant::now(),
            lifetime,
        };
        let renew_at = grant.issued + renew_after(lifetime);
        *state = Some((grant.clone(), renew_at, learnt.clone()));
        Ok((grant, learnt))
    }

    /// New tokens fetched while one was held.
    pub fn renewals(&self) -> u64 {
        self.renewals.load(Ordering::Relaxed)
    }

    /// What the current token learnt, without fetching one.
    pub async fn learnt(&self) -> Option<S> {
        self.state.lock().await.as_ref().map(|s| s.2.clone())
    }
}

/// Whether a host is this machine, where plain http is no risk.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// How an endpoint is named in errors and logs: method, scheme, host and path. The query is left
/// out; no secret ever travels in a URL, but a query can be long.
pub fn endpoint_name(method: &Method, url: &Url) -> String {
    format!(
        "{method} {}://{}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port().map(|p| format!(":{p}")).unwrap_or_default()
    ) + url.path()
}

impl Transport {
    pub fn new(settings: HttpSettings) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .user_agent(concat!("handover-doctor/", env!("CARGO_PKG_VERSION")));
        if !settings.proxy_from_environment {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| ClientError::Config(format!("cannot build the HTTP client: {e}")))?;
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64)
            | 1;
        Ok(Self {
            client,
            settings,
            jitter: Mutex::new(seed),
            stats: Mutex::new(CallStats::default()),
            refusals_counted: Mutex::new(Vec::new()),
        })
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    pub fn stats(&self) -> CallStats {
        self.stats.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// One request sent: `retried` when it is about to be sent again.
    fn record(&self, endpoint: &Endpoint, outcome: Outcome, took: Duration, retried: bool) {
        count(&self.stats, |stats| {
            stats.record(endpoint, outcome, took, retried)
        });
    }

    /// Refuses http:// to anything but this machine unless the user allowed it.
    pub fn check_url(&self, url: &Url) -> Result<(), ClientError> {
        if url.scheme() == "http" && !is_loopback(url) && !self.settings.allow_insecure_http {
            return Err(ClientError::InsecureHttp {
                host: url.host_str().unwrap_or("").to_string(),
            });
        }
        Ok(())
    }

    pub fn request(&self, method: Method, url: &Url) -> RequestBuilder {
        self.client
            .request(method, url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// A random factor in [0.5, 1): full backoff would synchronise clients retrying together.
    fn jitter(&self) -> f64 {
        let mut state = self.jitter.lock().unwrap_or_else(|e| e.into_inner());
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        0.5 + (*state >> 11) as f64 / (1u64 << 53) as f64 / 2.0
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .settings
            .base_backoff
            .saturating_mul(1 << attempt.min(16).saturating_sub(1));
        exponential
            .min(self.settings.max_backoff)
            .mul_f64(self.jitter())
    }

    /// Sends a request built by `build` (called again for each attempt). An idempotent call is
    /// retried on 429, 502, 503, 504, connection failures and timeouts within the budget; any other
    /// answer, success or not, is returned. A call that may create something is retried only on 429
    /// and on a connection that never opened; a 5xx or a lost answer is `ClientError::AnswerLost`.
    /// Every attempt is counted under `called`'s label, with its status and duration.
    pub async fn send(
        &self,
        called: &Endpoint,
        url: &Url,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<Response, ClientError> {
        self.check_url(url)?;
        let (operation, method, retry) = (called.operation, called.http_method(), called.retry);
        let endpoint = endpoint_name(&method, url);
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let sent = Instant::now();
            let result = build(self.request(method.clone(), url)).send().await;
            let took = sent.elapsed();
            let outcome = Outcome::of(&result);
            if retry == Retry::OnlyIfUnsent
                && let Some(lost) = lost_answer(operation, &endpoint, &result)
            {
                self.record(called, outcome, took, false);
                tracing::debug!(operation, endpoint, "answer lost: not sent again");
                return Err(lost);
            }
            let result = match result {
                Ok(response) if !retryable(response.status(), retry) => {
                    self.record(called, outcome, took, false);
                    tracing::debug!(
                        operation,
                        endpoint,
                        status = response.status().as_u16(),
                        "answer"
                    );
                    return Ok(response);
                }
                other => other,
            };
            let wait = match &result {
                Ok(response) => {
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    retry_after.unwrap_or_else(|| self.backoff(attempt))
                }
                Err(e) if e.is_connect() || (retry == Retry::Idempotent && e.is_timeout()) => {
                    self.backoff(attempt)
                }
                Err(_) => Duration::MAX,
            };
            let out_of_budget = attempt >= self.settings.max_attempts
                || wait == Duration::MAX
                || started.elapsed().saturating_add(wait) > self.settings.retry_budget;
            self.record(called, outcome, took, !out_of_budget);
            if out_of_budget {
                return match result {
                    Ok(response) => {
                        Err(status_error(operation, &endpoint, response, attempt).await)
                    }
                    Err(e) => Err(unreachable_error(operation, &endpoint, url, &e, attempt)),
                };
            }
            tracing::debug!(
                operation,
                endpoint,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

impl Transport {
    /// An API call with a bearer token from `sign_in`, joined onto the API root it returns. A 401
    /// gets a new token once (`sign_in(Some(issued))` names the refused token, so that calls refused
    /// together share one renewal), then the call is sent once more; a 401 after that, like any
    /// other error answer, is an error. A token refused before its announced lifetime, when the new
    /// one works, is counted in the stats: integrations that trust `expires_in` fail there.
    pub async fn authorized<F, Fut>(
        &self,
        called: &Endpoint,
        path: &str,
        sign_in: F,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(Response, String), ClientError>
    where
        F: Fn(Option<Instant>) -> Fut,
        Fut: std::future::Future<Output = Result<(Grant, Url), ClientError>>,
    {
        let operation = called.operation;
        let mut refused: Option<EarlyRefusal> = None;
        let mut renew = None;
        loop {
            let (grant, root) = sign_in(renew).await?;
            let url = root
                .join(path)
                .map_err(|e| ClientError::Config(format!("cannot build the request URL: {e}")))?;
            let endpoint = endpoint_name(&called.http_method(), &url);
            let response = self
                .send(called, &url, |r| build(r).bearer_auth(grant.token.expose()))
                .await?;
            if response.status() == StatusCode::UNAUTHORIZED && renew.is_none() {
                tracing::debug!(operation, "401: signing in again");
                let age = grant.issued.elapsed();
                refused = (age < grant.lifetime).then_some(EarlyRefusal {
                    age,
                    announced: grant.lifetime,
                });
                renew = Some(grant.issued);
                continue;
            }
            if !response.status().is_success() {
                return Err(status_error(operation, &endpoint, response, 1).await);
            }
            if let Some(refusal) = refused {
                self.record_early_refusal(grant.issued, refusal);
            }
            return Ok((response, endpoint));
        }
    }

    /// Counts a refused token once, however many calls it failed: `renewed` is the new token's
    /// issue time, which every call that renewed together shares.
    fn record_early_refusal(&self, renewed: Instant, refusal: EarlyRefusal) {
        let mut counted = self
            .refusals_counted
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if counted.contains(&renewed) {
            return;
        }
        counted.push(renewed);
        count(&self.stats, |stats| {
            stats.early_token_refusals.push(refusal)
        });
    }
}

/// The answer to a call that may have created something, when it cannot be trusted to say what
/// happened: a 5xx, a timeout, or a connection lost after the request went out.
fn lost_answer(
    operation: &'static str,
    endpoint: &str,
    result: &Result<Response, reqwest::Error>,
) -> Option<ClientError> {
    let what = match result {
        Ok(response) if response.status().is_server_error() => {
            format!("HTTP {}", response.status().as_u16())
        }
        Ok(_) => return None,
        // The connection never opened: the tenant never saw the request.
        Err(e) if e.is_connect() => return None,
        Err(e) if e.is_timeout() => "no answer in time".to_string(),
        Err(e) => format!("the connection failed: {e}"),
    };
    Some(ClientError::AnswerLost {
        operation,
        endpoint: endpoint.to_string(),
        what,
    })
}

/// Turns an error answer into a typed error, with the server's reason: the `icStatusDescription`
/// header CXone uses, an OAuth `error_description`, an `errorDescription`, Cognigy's problem
/// `detail`, or a body excerpt.
pub async fn status_error(
    operation: &'static str,
    endpoint: &str,
    response: Response,
    attempts: u32,
) -> ClientError {
    let status = response.status().as_u16();
    let header = response
        .headers()
        .get("icStatusDescription")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.text().await.unwrap_or_default();
    let from_body = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            [
                "error_description",
                "errorDescription",
                "message",
                "detail",
                "error",
                "title",
            ]
            .iter()
            .find_map(|k| v.get(k).and_then(|d| d.as_str()).map(str::to_string))
        });
    let reason = header.or(from_body).unwrap_or_else(|| excerpt(&body));
    tracing::debug!(operation, endpoint, status, reason, "error answer");
    ClientError::Status {
        operation,
        endpoint: endpoint.to_string(),
        status,
        reason,
        attempts,
    }
}

fn unreachable_error(
    operation: &'static str,
    endpoint: &str,
    url: &Url,
    e: &reqwest::Error,
    attempts: u32,
) -> ClientError {
    let chain = {
        let mut parts = vec![e.to_string()];
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            parts.push(s.to_string());
            source = s.source();
        }
        parts.join(": ")
    };
    let lower = chain.to_ascii_lowercase();
    let kind = if e.is_timeout() {
        Unreachable::Timeout
    } else if lower.contains("dns")
        || lower.contains("resolve")
        || lower.contains("name or service")
    {
        Unreachable::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        Unreachable::Tls
    } else if e.is_connect() {
        Unreachable::Connect
    } else {
        Unreachable::Other
    };
    ClientError::Unreachable {
        operation,
        endpoint: endpoint.to_string(),
        host: url.host_str().unwrap_or("").to_string(),
        kind,
        message: chain,
        attempts,
    }
}

/// Reads a successful answer as JSON of type `T`; anything else is an `Unexpected` error with an excerpt.
pub async fn json<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    endpoint: &str,
    expected: &str,
    response: Response,
) -> Result<T, ClientError> {
    let body = response.text().await.map_err(|e| ClientError::Unexpected {
        operation,
        endpoint: endpoint.to_string(),
        expected: expected.to_string(),
        excerpt: format!("a body that could not be read: {e}"),
    })?;
    serde_json::from_str(&body).map_err(|e| ClientError::Unexpected {
        operation,
        endpoint: endpoint.to_string(),
        expected: format!("{expected} ({e})"),
        excerpt: excerpt(&body),
    })
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
    fn backoff_grows_with_jitter_and_stays_capped() {
        let transport = Transport::new(HttpSettings::default()).unwrap();
        for attempt in 1..10 {
            let full = Duration::from_millis(250)
                .saturating_mul(1 << (attempt - 1))
                .min(Duration::from_secs(8));
            let wait = transport.backoff(attempt);
            assert!(
                wait >= full / 2 && wait <= full,
                "attempt {attempt}: {wait:?} vs {full:?}"
            );
        }
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        let transport = Transport::new(HttpSettings::default()).unwrap();
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://localhost/",
            "http://[::1]:9/",
            "https://example.com/",
        ] {
            assert!(
                transport.check_url(&Url::parse(ok).unwrap()).is_ok(),
                "{ok}"
            );
        }
        let refused = transport.check_url(&Url::parse("http://api.example.com/x").unwrap());
        assert!(
            matches!(refused, Err(ClientError::InsecureHttp { host }) if host == "api.example.com")
        );
        let allowed = Transport::new(HttpSettings {
            allow_insecure_http: true,
            ..HttpSettings::default()
        })
        .unwrap();
        assert!(
            allowed
                .check_url(&Url::parse("http://api.example.com/x").unwrap())
                .is_ok()
        );
    }

    #[test]
    fn durations_fall_in_the_first_bucket_whose_bound_they_do_not_pass() {
        let mut histogram = Histogram::default();
        for ms in [1, 5, 6, 250, 29_000, 31_000] {
            histogram.observe(Duration::from_millis(ms));
        }
        assert_eq!(histogram.count(), 6);
        assert_eq!(histogram.sum, Duration::from_millis(60_262));
        let cumulative: Vec<(f64, u64)> = histogram.cumulative().collect();
        assert_eq!(cumulative.len(), DURATION_BUCKETS.len());
        assert_eq!(cumulative[0], (0.005, 2), "5 ms is at most 5 ms");
        assert_eq!(cumulative[1], (0.01, 3));
        assert_eq!(cumulative[5], (0.25, 4));
        assert_eq!(cumulative[11], (15.0, 4));
        assert_eq!(
            cumulative[12],
            (30.0, 5),
            "31 s is past every bound: only +Inf"
        );
    }

    #[test]
    fn a_request_without_an_answer_is_labelled_error() {
        assert_eq!(Outcome::Status(429).to_string(), "429");
        assert_eq!(Outcome::NoAnswer.to_string(), "error");
    }

    #[test]
    fn endpoints_are_named_without_the_query() {
        let url = Url::parse(
            "https://api.example.com:8443/inContactAPI/services/v30.0/scripts/start?skillId=1",
        )
        .unwrap();
        assert_eq!(
            endpoint_name(&Method::POST, &url),
            "POST https://api.example.com:8443/inContactAPI/services/v30.0/scripts/start"
        );
    }
}
