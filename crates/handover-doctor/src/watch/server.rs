//! `/metrics` and `/healthz`, for Prometheus and for whatever keeps the watch running.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
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

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        shared.metrics.encode(),
    )
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
