//! `--follow`: where a test contact or a signalled contact goes, from its state history.

use std::time::{Duration, Instant};

use super::rules;
use cxone_client::{ClientError, ContactCenter, ContactState, Profile};

use super::Plan;
use super::findings::{call_finding, finding};
use crate::report::{Located, StepId, plural};

/// Contact states that mean the contact is over, compared without regard to case: the tenant
/// names its states (`contact-state-descriptions`), and NICE publishes no list.
fn ended(state: &ContactState) -> bool {
    [
        "endcontact",
        "ended",
        "disconnected",
        "abandoned",
        "released",
    ]
    .iter()
    .any(|n| state.name.eq_ignore_ascii_case(n))
}

fn named(state: &ContactState, name: &str) -> bool {
    state.name.eq_ignore_ascii_case(name)
}

/// The contact state history is a reporting API: read it at most once a second.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The longest wait between polls after the tenant rate-limited one.
const POLL_BACKOFF_MAX: Duration = Duration::from_secs(8);

/// Where a followed contact ended up, and how many polls that took.
struct Followed {
    detail: String,
    findings: Vec<Located>,
    polls: u32,
}

/// Where the history stands: reached an agent, ended (in the queue or before it), or still on its way.
pub(crate) fn outcome(
    contact_id: &str,
    history: &[ContactState],
) -> Option<(String, Vec<Located>)> {
    let path = history
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    let agent = history.iter().find_map(|s| {
        s.agent_id
            .clone()
            .or_else(|| named(s, "Active").then(|| "(unnamed)".to_string()))
    });
    if let Some(agent) = agent {
        return Some((format!("reached agent {agent} ({path})"), Vec::new()));
    }
    if !history.last().is_some_and(ended) {
        return None;
    }
    let last_before_end = history
        .iter()
        .rev()
        .find(|s| !ended(s))
        .map_or("-", |s| s.name.as_str());
    let finding = if history.iter().any(|s| named(s, "Queued")) {
        finding(
            &rules::CONTACT_ABANDONED,
            format!(
                "contact {contact_id} reached the queue and ended before an agent took it (last state {last_before_end}; {path})"
            ),
        )
    } else {
        finding(
            &rules::CONTACT_DROPPED,
            format!(
                "contact {contact_id} ended in {last_before_end} and never reached Queued ({path})"
            ),
        )
    };
    Some(("ended".to_string(), vec![finding]))
}

/// Watches a contact's states until it reaches an agent, ends, or the time is up: at most one
/// poll a second, slower after a rate-limited one.
async fn follow(
    client: &impl ContactCenter,
    contact_id: &str,
    within: Duration,
) -> Result<Followed, (ClientError, u32)> {
    let deadline = Instant::now() + within;
    let mut every = POLL_EVERY;
    let mut polls = 0;
    loop {
        let limited_before = client.stats().retried.get(&429).copied().unwrap_or(0);
        polls += 1;
        let history = client
            .contact_history(contact_id)
            .await
            .map_err(|e| (e, polls))?;
        if let Some((detail, findings)) = outcome(contact_id, &history) {
            return Ok(Followed {
                detail,
                findings,
                polls,
            });
        }
        let now = Instant::now();
        if now >= deadline {
            let path = history
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(" → ");
            let where_ = history.last().map_or("no state yet", |s| s.name.as_str());
            return Ok(Followed {
                detail: format!("still in {where_} after {} s ({path})", within.as_secs()),
                findings: Vec::new(),
                polls,
            });
        }
        if client.stats().retried.get(&429).copied().unwrap_or(0) > limited_before {
            every = (every * 2).min(POLL_BACKOFF_MAX);
        }
        tokio::time::sleep(every.min(deadline - now)).await;
    }
}

/// Follows the contact when asked and the API can (cxone), into a detail line, findings and the poll count.
pub(super) async fn follow_outcome(
    plan: &Plan,
    client: &impl ContactCenter,
    contact_id: &str,
    what: &str,
) -> (String, Vec<Located>, Option<u32>) {
    match plan.follow {
        Some(within) if client.profile() == Profile::Cxone => {
            match follow(client, contact_id, within).await {
                Ok(f) => (
                    format!("{what}; {}; {}", f.detail, plural(f.polls.into(), "poll")),
                    f.findings,
                    Some(f.polls),
                ),
                Err((e, polls)) => (
                    format!("{what}; following contact {contact_id} failed"),
                    vec![call_finding(&e, StepId::Simulate)],
                    Some(polls),
                ),
            }
        }
        Some(_) => (
            format!("{what} (routing-v2 has no contact state history to follow)"),
            Vec::new(),
            None,
        ),
        None => (what.to_string(), Vec::new(), None),
    }
}
