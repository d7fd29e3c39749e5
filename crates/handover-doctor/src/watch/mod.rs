//! `watch`: the handover chain checked round after round, exported as Prometheus metrics, with
//! each finding raised or cleared told as an event. Rounds never overlap: one that runs past the
//! next start skips it (counted), and answers of 429 stretch the wait before the next.

pub mod events;
pub mod metrics;
pub mod round;
pub mod server;

use std::time::{Duration, Instant};

use cxone_client::cxone::CxoneClient;
use handover_core::Checker;
use tokio::sync::watch as signal;

use crate::diagnose::{self, Plan};
use crate::report::{Diagnosis, Encoder, Reporter, WatchEvent};
use events::{EventsFile, Standing, Webhook};
use round::{Check, Round, Subject, Watched};
use server::Shared;

/// The longest a rate-limited watch stretches its interval: eight times.
const MAX_BACKOFF_FACTOR: u32 = 8;

pub struct Settings {
    pub interval: Duration,
    pub watched: Watched,
    /// Stop after this many rounds (`--rounds`); none: until a signal.
    pub rounds: Option<u64>,
    /// Rehearse a handover every N rounds, with this plan.
    pub rehearsal: Option<(u32, Plan)>,
    /// The config's `severity` map, as every command applies it.
    pub levels: Vec<(&'static handover_core::Rule, handover_core::Level)>,
}

/// Where events go besides the metrics.
pub struct Sinks {
    pub reporter: Box<dyn Reporter>,
    pub events_file: Option<EventsFile>,
    pub webhook: Option<Webhook>,
    pub encoder: Encoder,
}

impl Sinks {
    /// One event to each sink. A sink that fails (a closed pipe, a full disk) is reported once
    /// and then left out, so that the watch and its metrics go on.
    fn tell(&mut self, event: &WatchEvent) {
        let mut line = Vec::with_capacity(512);
        self.encoder.watch_event(event, &mut line);
        if let Some(file) = &mut self.events_file
            && let Err(e) = file.write(&line)
        {
            eprintln!(
                "watch: cannot write to the events file ({e}); events go on to the other outputs only"
            );
            self.events_file = None;
        }
        if let Some(webhook) = &self.webhook {
            webhook.send(line);
        }
        let _ = self.reporter.watch(event);
    }
}

/// How a watch ended.
pub struct Ended {
    pub standing: Standing,
    /// The checks of the last round that finished.
    pub checks: Vec<(Check, bool)>,
    pub rounds: u64,
    /// Stopped by Ctrl-C or SIGTERM, not by `--rounds`.
    pub by_signal: bool,
    pub last_rehearsal: Option<Diagnosis>,
}

/// Runs rounds until `--rounds` are done or `stop` turns true.
pub async fn run(
    client: &CxoneClient,
    checker: Option<&Checker>,
    settings: &Settings,
    shared: &Shared,
    sinks: &mut Sinks,
    mut stop: signal::Receiver<bool>,
) -> Ended {
    let mut ended = Ended {
        standing: Standing::default(),
        checks: Vec::new(),
        rounds: 0,
        by_signal: false,
        last_rehearsal: None,
    };
    let mut backoff = 1u32;
    let mut due = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(due) => {}
            _ = stop.wait_for(|stopped| *stopped) => {
                ended.by_signal = true;
                break;
            }
        }
        let started = tokio::time::Instant::now();
        let number = ended.rounds + 1;
        let rehearse = settings
            .rehearsal
            .as_ref()
            .filter(|(every, _)| number.is_multiple_of(u64::from((*every).max(1))));
        // A round in flight finishes before a signal is obeyed: it may be placing a live test
        // contact, which must be followed and reported, not abandoned half way.
        let mut round = round::round(client, &settings.watched).await;
        if let Some((_, plan)) = rehearse {
            let diagnosis = rehearsal(client, checker, plan).await;
            round.checks.push((
                Check::Rehearsal,
                diagnosis.verdict() != crate::report::Verdict::Fail,
            ));
            for step in &diagnosis.steps {
                for located in step.all_findings() {
                    round.findings.push(round::Found {
                        subject: Subject::Rehearsal,
                        check: Check::Rehearsal,
                        located: located.clone(),
                    });
                }
            }
            round.took = started.elapsed();
            round.rehearsal = Some(diagnosis);
        }
        ended.rounds = number;
        round.findings.retain_mut(|found| {
            handover_core::settings::relevel_finding(&settings.levels, &mut found.located.finding)
        });
        finish_round(&mut round, number, shared, &mut ended.standing, sinks);
        ended.checks = round.checks.clone();
        if round.rehearsal.is_some() {
            ended.last_rehearsal = round.rehearsal.take();
        }
        backoff = if round.rate_limited {
            (backoff * 2).min(MAX_BACKOFF_FACTOR)
        } else {
            1
        };
        let period = settings.interval * backoff;
        shared
            .metrics
            .backoff
            .set((period - settings.interval).as_secs_f64());
        if settings.rounds.is_some_and(|n| number >= n) {
            break;
        }
        // The starts that passed while the round ran are skipped, not made up for.
        let missed = started.elapsed().as_nanos() / period.as_nanos().max(1);
        if missed > 0 {
            shared.metrics.rounds_skipped.inc_by(missed as u64);
            tracing::warn!(
                "round {number} took {:.1} s, longer than the interval: {missed} skipped",
                started.elapsed().as_secs_f64()
            );
        }
        due = started + period * (missed as u32 + 1);
    }
    ended
}

async fn rehearsal(client: &CxoneClient, checker: Option<&Checker>, plan: &Plan) -> Diagnosis {
    // Consent was given up front (`--live` needs `--yes`); a dry run sends nothing to ask about.
    let confirm = |_: &cxone_client::RequestPreview| true;
    let emit = |_: &crate::report::Step| {};
    diagnose::run(plan, checker, client, &confirm, &emit).await
}

/// A round's results into the metrics, the standing findings and the events.
fn finish_round(
    round: &mut Round,
    number: u64,
    shared: &Shared,
    standing: &mut Standing,
    sinks: &mut Sinks,
) {
    shared
        .metrics
        .round(&round.checks, round.skills.as_deref(), round.took);
    let at = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string();
    for event in standing.update(round, number, &at) {
        sinks.tell(&event);
    }
    shared.metrics.findings(standing.codes());
    *shared.last_round.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
}

/// Turns `stop` true on Ctrl-C or SIGTERM.
pub fn on_signal() -> signal::Receiver<bool> {
    let (tell, stop) = signal::channel(false);
    tokio::spawn(async move {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    term.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate => {}
        }
        let _ = tell.send(true);
    });
    stop
}
