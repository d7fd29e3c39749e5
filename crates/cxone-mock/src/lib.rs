//! A CXone tenant on a loopback port. One server plays both API profiles from one tenant state:
//! skills (queues), agents, credentials, and the contacts it creates with their state history.
//! A scenario's timeline changes skills and agents as time passes; every request sees the tenant
//! as it is at that moment.
//! Scenario files choose the tenant and the faults; tests, `handover-doctor mock` and
//! `diagnose --demo` all use it. The same server plays the bot's side too: a Cognigy.AI project
//! whose flows `lint --demo` pulls.

mod cognigy;
mod scenario;
mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

pub use cognigy::{COGNIGY_API_KEY, COGNIGY_PAGE, COGNIGY_PROJECT};
pub use scenario::{
    Agent, BUILT_IN, BotContact, Change, Crowd, Faults, MockCredentials, Scenario, ScenarioError,
    Skill, StudioScript, Tenant, media_type_id,
};
pub use server::{ContactRecord, DEFAULT_PAGE, MAX_PAGE, RequestLog, SignalRecord};

/// A running mock tenant. Dropping it stops the server.
pub struct MockServer {
    url: String,
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MockServer {
    /// Binds `addr` (port 0 for a free one) and serves the scenario until stopped. `log`, when
    /// given, hears of every request: method, path and status (never a header or a body).
    pub async fn start(
        scenario: Scenario,
        addr: SocketAddr,
        log: Option<RequestLog>,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let shared = Arc::new(server::Shared::new(scenario, url.clone(), log));
        let app = server::router(shared.clone());
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                eprintln!("mock tenant stopped: {e}");
            }
        });
        Ok(Self {
            url,
            addr,
            shared,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, the base URL of both profiles and of the token endpoints.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests served so far, of every kind.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Every contact: the scenario's and those placed since (spawned scripts, routing-v2
    /// interactions), with the signals they got.
    pub fn contacts(&self) -> Vec<ContactRecord> {
        self.shared.contacts()
    }

    /// The contacts placed by requests since the start.
    pub fn placed_contacts(&self) -> Vec<ContactRecord> {
        self.shared
            .contacts()
            .into_iter()
            .filter(|c| c.placed)
            .collect()
    }

    /// The Cognigy project's log as the API serves it now, oldest first.
    pub fn cognigy_log(&self) -> Vec<serde_json::Value> {
        cognigy::log_entries(&self.shared)
    }

    /// The scenario as loaded: the tenant at the start, before its timeline changes anything.
    pub fn scenario(&self) -> &Scenario {
        &self.shared.scenario
    }

    /// Stops the server and waits for it, at most a second.
    pub async fn stop(mut self) {
        self.stop_now();
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(1), task).await;
        }
    }

    fn stop_now(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}
