//! Findings from round to round: which stand, which were raised or cleared, and where each
//! change goes (the reporter, `--events FILE`, `--webhook URL`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use tokio::sync::mpsc;

use super::round::{Check, Found, Round, Subject};
use crate::report::WatchEvent;

/// The findings standing now, by rule code and subject.
#[derive(Default)]
pub struct Standing {
    by_key: BTreeMap<(&'static str, String), Found>,
}

impl Standing {
    /// The round's findings replace those it looked at again, and the changes are returned:
    /// cleared first, then raised. A finding about something the round could not look at (a
    /// skill, when a list failed; the rehearsal, between rehearsals) stands: it was not checked,
    /// so it is not cleared.
    pub fn update(&mut self, round: &mut Round, number: u64, at: &str) -> Vec<WatchEvent> {
        let ran: BTreeSet<Check> = round.checks.iter().map(|(check, _)| *check).collect();
        let looked_at = |found: &Found| match &found.subject {
            Subject::Skill { .. } => round.skills.is_some(),
            Subject::Rehearsal => round.rehearsal.is_some(),
            Subject::Tenant => ran.contains(&found.check),
        };
        let mut now: BTreeMap<(&'static str, String), Found> = BTreeMap::new();
        for found in round.findings.drain(..) {
            now.insert(
                (found.located.finding.rule.code, found.subject.key()),
                found,
            );
        }
        let mut events = Vec::new();
        let before = std::mem::take(&mut self.by_key);
        let mut raised = Vec::new();
        for (key, found) in &now {
            if !before.contains_key(key) {
                raised.push(event("raised", number, at, found));
            }
        }
        for (key, found) in before {
            if now.contains_key(&key) {
                continue;
            }
            if looked_at(&found) {
                events.push(event("cleared", number, at, &found));
            } else {
                self.by_key.insert(key, found);
            }
        }
        self.by_key.extend(now);
        events.extend(raised);
        events
    }

    /// Rule code and severity of every standing finding: `handover_finding`.
    pub fn codes(&self) -> BTreeSet<(&'static str, &'static str)> {
        self.by_key
            .values()
            .map(|f| {
                (
                    f.located.finding.rule.code,
                    f.located.finding.severity.as_str(),
                )
            })
            .collect()
    }

    /// The standing findings, each with the check that raised it.
    pub fn iter(&self) -> impl Iterator<Item = &Found> {
        self.by_key.values()
    }
}

fn event(change: &'static str, round: u64, at: &str, found: &Found) -> WatchEvent {
    let (skill_id, skill_name) = match &found.subject {
        Subject::Skill { id, name } => (
            Some(id.clone()),
            Some(name.clone()).filter(|n| !n.is_empty()),
        ),
        _ => (None, None),
    };
    WatchEvent {
        change,
        at: at.to_string(),
        round,
        subject: found.subject.key(),
        check: found.check.as_str(),
        skill_id,
        skill_name,
        finding: found.located.clone(),
    }
}

/// `--events FILE`: one JSON line per event, appended, so that a restarted watch adds to the
/// file instead of replacing what it held.
pub struct EventsFile {
    file: std::fs::File,
}

impl EventsFile {
    pub fn open(path: &std::path::Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self { file })
    }

    /// One line, in one write: lines from two watches appending to one file do not interleave.
    pub fn write(&mut self, line: &[u8]) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
        self.file.write_all(&bytes)
    }
}

/// How many events may wait for the webhook before new ones are dropped (and counted).
const WEBHOOK_QUEUE: usize = 256;
/// Attempts per event, the first included, and the wait before each retry.
const WEBHOOK_BACKOFF: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

/// `--webhook URL`: each event POSTed as JSON by a task of its own, so that a slow or failing
/// receiver never holds up a round. Retried on no answer, 429 and 5xx; given up (and counted in
/// `handover_events_dropped_total`) after the last retry, or when the queue is full.
pub struct Webhook {
    queue: mpsc::Sender<Vec<u8>>,
    task: tokio::task::JoinHandle<()>,
    dropped: Counter,
}

impl Webhook {
    pub fn start(url: url::Url, dropped: Counter) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .build()
            .map_err(|e| format!("cannot build the webhook's HTTP client: {e}"))?;
        let (queue, mut events) = mpsc::channel::<Vec<u8>>(WEBHOOK_QUEUE);
        let shown = masked(&url);
        let given_up = dropped.clone();
        let task = tokio::spawn(async move {
            while let Some(body) = events.recv().await {
                if !deliver(&client, &url, &shown, body).await {
                    given_up.inc();
                }
            }
        });
        Ok(Self {
            queue,
            task,
            dropped,
        })
    }

    /// Queues an event; never waits.
    pub fn send(&self, body: Vec<u8>) {
        if self.queue.try_send(body).is_err() {
            self.dropped.inc();
            tracing::warn!("webhook: queue full, an event was dropped");
        }
    }

    /// Delivers what is queued, for at most `wait`.
    pub async fn finish(self, wait: Duration) {
        drop(self.queue);
        let _ = tokio::time::timeout(wait, self.task).await;
    }
}

/// One event, with its retries; whether it was delivered.
async fn deliver(client: &reqwest::Client, url: &url::Url, shown: &str, body: Vec<u8>) -> bool {
    for attempt in 0..=WEBHOOK_BACKOFF.len() {
        if attempt > 0 {
            tokio::time::sleep(WEBHOOK_BACKOFF[attempt - 1]).await;
        }
        let answer = client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await;
        match answer {
            Ok(response) if response.status().is_success() => return true,
            Ok(response)
                if response.status().as_u16() == 429 || response.status().is_server_error() =>
            {
                tracing::info!("webhook {shown}: {}, retrying", response.status());
            }
            Ok(response) => {
                tracing::warn!("webhook {shown}: {}, not retried", response.status());
                return false;
            }
            // reqwest's error names the URL, which may hold a token: only its kind is logged.
            Err(e) => tracing::info!(
                "webhook {shown}: no answer ({}), retrying",
                if e.is_timeout() {
                    "timed out"
                } else {
                    "connection failed"
                }
            ),
        }
    }
    tracing::warn!(
        "webhook {shown}: gave up after {} attempts",
        WEBHOOK_BACKOFF.len() + 1
    );
    false
}

/// The webhook's URL as logs show it: scheme and host only, as its path or query may hold a
/// token (Slack's and Teams' incoming webhooks do).
pub fn masked(url: &url::Url) -> String {
    match url.port() {
        Some(port) => format!(
            "{}://{}:{port}/***",
            url.scheme(),
            url.host_str().unwrap_or("")
        ),
        None => format!("{}://{}/***", url.scheme(), url.host_str().unwrap_or("")),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Standing;
    use crate::diagnose::{finding, rules};
    use crate::watch::round::{Check, Found, Round, Subject};

    fn skill(id: &str) -> Subject {
        Subject::Skill {
            id: id.into(),
            name: format!("Skill {id}"),
        }
    }

    /// A round in which every list was read, with these findings.
    fn round(findings: Vec<(Subject, &'static handover_core::Rule)>, lists_read: bool) -> Round {
        Round {
            checks: vec![(Check::Auth, true), (Check::SkillActivity, lists_read)],
            skills: lists_read.then(Vec::new),
            findings: findings
                .into_iter()
                .map(|(subject, rule)| Found {
                    subject,
                    check: Check::SkillActivity,
                    located: finding(rule, "a message"),
                })
                .collect(),
            rate_limited: false,
            took: Duration::ZERO,
            rehearsal: None,
        }
    }

    fn changes(standing: &mut Standing, mut round: Round, number: u64) -> Vec<String> {
        standing
            .update(&mut round, number, "2026-11-25T06:00:00Z")
            .iter()
            .map(|e| format!("{} {} {}", e.change, e.finding.finding.rule.code, e.subject))
            .collect()
    }

    #[test]
    fn a_finding_is_raised_once_stands_and_clears_when_looked_at_again() {
        let mut standing = Standing::default();
        let inactive = &rules::QUEUE_INACTIVE;
        assert_eq!(
            changes(&mut standing, round(vec![(skill("1"), inactive)], true), 1),
            ["raised HD702 skill/1"]
        );
        // Still there, with another skill now: only the new one is news.
        assert_eq!(
            changes(
                &mut standing,
                round(vec![(skill("1"), inactive), (skill("2"), inactive)], true),
                2
            ),
            ["raised HD702 skill/2"]
        );
        // The lists failed: nothing was looked at, so nothing clears.
        assert!(changes(&mut standing, round(vec![], false), 3).is_empty());
        assert_eq!(standing.codes().len(), 1);
        assert_eq!(standing.iter().count(), 2);
        // Looked at again and gone: cleared, each once.
        assert_eq!(
            changes(&mut standing, round(vec![(skill("2"), inactive)], true), 4),
            ["cleared HD702 skill/1"]
        );
        assert_eq!(
            changes(&mut standing, round(vec![], true), 5),
            ["cleared HD702 skill/2"]
        );
        assert!(standing.codes().is_empty());
    }
}
