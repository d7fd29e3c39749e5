//! `/metrics` and `/healthz`, for Prometheus and for whatever keeps the watch running.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use super::metrics::Metrics;

/// What the endpoints read: the metrics, and when the last round finished.
pub struct Shared {
    pub metrics: Metrics,
    pub interval: Duration,
    pub started: Instant,
    pub last_round: std::sync::Mutex<Option<Instant>>,
}

impl Shared {
    /// Healthy while the last round (or, before the first, the start) is not older than three
    /// intervals: a watch whose rounds stopped says so, whatever the tenant's health.
    fn health(&self) -> (bool, String) {
        let last = *self.last_round.lock().unwrap_or_else(|e| e.into_inner());
        let limit = self.interval * 3;
        match last {
            Some(at) => {
                let age = at.elapsed();
                (
                    age <= limit,
                    format!(
                        "the last round finished {:.1} s ago (limit {:.1} s)",
                        age.as_secs_f64(),
                        limit.as_secs_f64()
                    ),
                )
            }
            None => {
                let age = self.started.elapsed();
                (
                    age <= limit,
                    format!(
                        "no round has finished yet; started {:.1} s ago (limit {:.1} s)",
                        age.as_secs_f64(),
                        limit.as_secs_f64()
                    ),
                )
            }
        }
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/", get(index))
        .with_state(shared)
}

/// OpenMetrics for a scraper that asks for it (Prometheus does), else the classic text format
/// (version 0.0.4) that `curl`, `promtool check metrics` and older scrapers read: as the
/// Prometheus project's Go client negotiates.
async fn metrics(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> impl IntoResponse {
    let openmetrics = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/openmetrics-text"));
    let text = shared.metrics.encode();
    if openmetrics {
        (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
    } else {
        (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            classic(&text),
        )
    }
}

/// The classic text format from OpenMetrics text, for what this exporter writes: a counter's
/// `HELP` and `TYPE` name its samples (`x_total`, where OpenMetrics names the family `x`), and
/// the format has no `# UNIT` and no `# EOF`. Gauges and histograms read the same in both.
fn classic(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.strip_suffix(" counter"))
        .collect();
    let mut text = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let renamed = ["# HELP ", "# TYPE "].iter().find_map(|prefix| {
            let rest = line.strip_prefix(prefix)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(name)
                .then(|| format!("{prefix}{name}_total {tail}"))
        });
        match renamed {
            Some(line) => text.push_str(&line),
            None => text.push_str(line),
        }
        text.push('\n');
    }
    text
}

async fn healthz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let (healthy, why) = shared.health();
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        format!("{}: {why}\n", if healthy { "ok" } else { "stale" }),
    )
}

async fn index() -> &'static str {
    "handover-doctor watch: /metrics (Prometheus), /healthz\n"
}
