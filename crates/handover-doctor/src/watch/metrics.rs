//! The watch's metrics, in the Prometheus (OpenMetrics) text format through `prometheus-client`:
//! docs/watch.md lists each one, and the dashboard and alert rules in docs/watch/ use them.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use cxone_client::RequestMetrics;
use cxone_client::http::DURATION_BUCKETS;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::round::{Check, Reading};

type Labels = Vec<(&'static str, String)>;

/// Seconds in a gauge: f64 values in an atomic.
type Seconds = Gauge<f64, AtomicU64>;

/// Every metric the watch exports, registered once; the rounds set them, `/metrics` encodes them.
pub struct Metrics {
    registry: Registry,
    skill_available: Family<Labels, Gauge>,
    skill_queue_length: Family<Labels, Gauge>,
    skill_active: Family<Labels, Gauge>,
    skill_logged_in: Family<Labels, Gauge>,
    check_status: Family<Labels, Gauge>,
    finding: Family<Labels, Gauge>,
    round_duration: Histogram,
    rounds: Family<Labels, Counter>,
    pub rounds_skipped: Counter,
    last_round: Seconds,
    pub backoff: Seconds,
    pub events_dropped: Counter,
    /// The skills and findings exported now, so that the next round can drop or zero the ones
    /// that went away.
    skills: std::sync::Mutex<BTreeSet<(String, String)>>,
    findings_seen: std::sync::Mutex<BTreeSet<(&'static str, &'static str)>>,
}

/// `metric`, registered with its help under `name`; the handle the rounds set.
fn registered<M: prometheus_client::registry::Metric + Clone>(
    registry: &mut Registry,
    name: &str,
    help: &str,
    metric: M,
) -> M {
    registry.register(name, help, metric.clone());
    metric
}

fn skill_labels(id: &str, name: &str) -> Labels {
    vec![
        ("skill_id", id.to_string()),
        ("skill_name", name.to_string()),
    ]
}

impl Metrics {
    /// `requests` reads the client's request counts at each scrape, so that a long round's calls
    /// show before it ends.
    pub fn new(
        interval: std::time::Duration,
        requests: impl Fn() -> RequestMetrics + Send + Sync + 'static,
    ) -> Self {
        let mut registry = Registry::default();
        let skill_available = registered(
            &mut registry,
            "handover_skill_agents_available",
            "Agents with an active assignment to the skill who are Available now (agents/skills with agents/states)",
            Family::<Labels, Gauge>::default(),
        );
        let skill_queue_length = registered(
            &mut registry,
            "handover_skill_queue_length",
            "Contacts waiting in the skill (its activity's queueCount)",
            Family::<Labels, Gauge>::default(),
        );
        let skill_active = registered(
            &mut registry,
            "handover_skill_active",
            "1 when the skill is active (takes contacts), 0 when it is not",
            Family::<Labels, Gauge>::default(),
        );
        let skill_logged_in = registered(
            &mut registry,
            "handover_skill_agents_logged_in",
            "Agents with an active assignment to the skill who are logged in (Available, Unavailable or working)",
            Family::<Labels, Gauge>::default(),
        );
        let check_status = registered(
            &mut registry,
            "handover_check_status",
            "1 when the check passed in the last round, 0 when it failed; no series for a check that did not run",
            Family::<Labels, Gauge>::default(),
        );
        let finding = registered(
            &mut registry,
            "handover_finding",
            "1 while a finding of the rule stands, 0 once it has cleared",
            Family::<Labels, Gauge>::default(),
        );
        let round_duration = registered(
            &mut registry,
            "handover_round_duration_seconds",
            "How long a round took: sign-in and the three lists (and a rehearsal, in its rounds)",
            Histogram::new(DURATION_BUCKETS.iter().map(|d| d.as_secs_f64())),
        );
        let rounds = registered(
            &mut registry,
            "handover_rounds",
            "Rounds finished, by outcome: ok when every check that ran passed, failed otherwise",
            Family::<Labels, Counter>::default(),
        );
        let rounds_skipped = registered(
            &mut registry,
            "handover_rounds_skipped",
            "Rounds not started because the one before was still running",
            Counter::default(),
        );
        let last_round = registered(
            &mut registry,
            "handover_last_round_timestamp_seconds",
            "When the last round finished, in seconds since the Unix epoch",
            Seconds::default(),
        );
        let watch_interval = registered(
            &mut registry,
            "handover_watch_interval_seconds",
            "The time between rounds the watch was started with",
            Seconds::default(),
        );
        watch_interval.set(interval.as_secs_f64());
        let backoff = registered(
            &mut registry,
            "handover_backoff_seconds",
            "Extra wait before the next round after answers of 429 (rate limited); 0 when none",
            Seconds::default(),
        );
        let events_dropped = registered(
            &mut registry,
            "handover_events_dropped",
            "Finding events the webhook could not deliver after its retries, or that found its queue full",
            Counter::default(),
        );
        registry.register_collector(Box::new(ApiRequests(Arc::new(requests))));
        Self {
            registry,
            skill_available,
            skill_queue_length,
            skill_active,
            skill_logged_in,
            check_status,
            finding,
            round_duration,
            rounds,
            rounds_skipped,
            last_round,
            backoff,
            events_dropped,
            skills: std::sync::Mutex::new(BTreeSet::new()),
            findings_seen: std::sync::Mutex::new(BTreeSet::new()),
        }
    }

    /// A round's results. Checks that did not run lose their series; skills are replaced by the
    /// round's, or dropped when the round could not read them.
    pub fn round(
        &self,
        checks: &[(Check, bool)],
        skills: Option<&[Reading]>,
        took: std::time::Duration,
    ) {
        self.check_status.clear();
        for (check, passed) in checks {
            self.check_status
                .get_or_create(&vec![("check", check.as_str().to_string())])
                .set(i64::from(*passed));
        }
        let now: BTreeSet<(String, String)> = skills
            .unwrap_or_default()
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        let mut exported = self.skills.lock().unwrap_or_else(|e| e.into_inner());
        for (id, name) in exported.difference(&now) {
            let labels = skill_labels(id, name);
            for family in [
                &self.skill_available,
                &self.skill_queue_length,
                &self.skill_active,
                &self.skill_logged_in,
            ] {
                family.remove(&labels);
            }
        }
        for skill in skills.unwrap_or_default() {
            let labels = skill_labels(&skill.id, &skill.name);
            self.skill_available
                .get_or_create(&labels)
                .set(skill.available.into());
            self.skill_queue_length
                .get_or_create(&labels)
                .set(skill.queued.into());
            self.skill_active
                .get_or_create(&labels)
                .set(i64::from(skill.active));
            self.skill_logged_in
                .get_or_create(&labels)
                .set(skill.logged_in.into());
        }
        *exported = now;
        self.round_duration.observe(took.as_secs_f64());
        let outcome = if checks.iter().all(|(_, passed)| *passed) {
            "ok"
        } else {
            "failed"
        };
        self.rounds
            .get_or_create(&vec![("outcome", outcome.to_string())])
            .inc();
        self.last_round.set(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs_f64(),
        );
    }

    /// The findings standing after a round, by rule code and severity: 1 for each, and 0 for
    /// those that stood before and have cleared, so that the series goes on.
    pub fn findings(&self, standing: BTreeSet<(&'static str, &'static str)>) {
        let mut seen = self.findings_seen.lock().unwrap_or_else(|e| e.into_inner());
        for (code, severity) in seen.difference(&standing) {
            self.finding
                .get_or_create(&finding_labels(code, severity))
                .set(0);
        }
        for (code, severity) in &standing {
            self.finding
                .get_or_create(&finding_labels(code, severity))
                .set(1);
        }
        seen.extend(standing);
    }

    /// The text `/metrics` answers with.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

fn finding_labels(code: &str, severity: &str) -> Labels {
    vec![
        ("code", code.to_string()),
        ("severity", severity.to_string()),
    ]
}

/// `handover_api_requests_total`, `handover_api_request_duration_seconds` and
/// `handover_token_renewals_total`, from the client's own counts at each scrape.
struct ApiRequests(Arc<dyn Fn() -> RequestMetrics + Send + Sync>);

impl std::fmt::Debug for ApiRequests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiRequests")
    }
}

impl Collector for ApiRequests {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let metrics = (self.0)();
        let mut requests = encoder.encode_descriptor(
            "handover_api_requests",
            "Requests sent to the contact center's API, retries included, by endpoint (method and path template) and status (error: no answer)",
            None,
            MetricType::Counter,
        )?;
        for ((endpoint, outcome), count) in &metrics.by_endpoint {
            let status = outcome.to_string();
            let labels = vec![("endpoint", *endpoint), ("status", status.as_str())];
            ConstCounter::new(*count).encode(requests.encode_family(&labels)?)?;
        }
        let mut durations = encoder.encode_descriptor(
            "handover_api_request_duration_seconds",
            "How long requests to the contact center's API took, by endpoint",
            None,
            MetricType::Histogram,
        )?;
        for (endpoint, histogram) in &metrics.durations {
            let labels = vec![("endpoint", *endpoint)];
            let buckets: Vec<(f64, u64)> = DURATION_BUCKETS
                .iter()
                .map(|d| d.as_secs_f64())
                .chain([f64::MAX])
                .zip(histogram.buckets)
                .collect();
            durations
                .encode_family(&labels)?
                .encode_histogram::<Labels>(
                    histogram.sum.as_secs_f64(),
                    histogram.count(),
                    &buckets,
                    None,
                )?;
        }
        let renewals = encoder.encode_descriptor(
            "handover_token_renewals",
            "New tokens fetched while the watch held one: it was due, or the API refused it",
            None,
            MetricType::Counter,
        )?;
        ConstCounter::new(metrics.token_renewals).encode(renewals)
    }
}
