//! The diagnosis's findings about the tenant, its calls and the run, by what was seen.

use std::collections::BTreeMap;
use std::time::Duration;

use cxone_client::{Agents, CallStats, ClientError, Media, Queue, Truncated};
use handover_core::Rule;

use super::rules;
use handover_core::{Finding, Severity, Span};

use crate::report::{Located, StepId, plural};

/// A finding about the tenant, a call or the run: no place in a file.
pub(crate) fn finding(rule: &'static Rule, message: impl Into<String>) -> Located {
    Located::unplaced(Finding::new(rule, Span::default(), "", message))
}

/// The same finding with a hint of its own.
fn with_hint(mut located: Located, hint: impl Into<std::borrow::Cow<'static, str>>) -> Located {
    located.finding.hint = hint.into();
    located
}

pub(super) fn count_findings(findings: &[Located]) -> String {
    let count = |severity| {
        findings
            .iter()
            .filter(|l| l.finding.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    format!(
        "{}, {}",
        plural(errors as u64, "error"),
        plural(warnings as u64, "warning")
    )
}

/// The finding for a failed call, by what failed.
pub(crate) fn call_finding(error: &ClientError, step: StepId) -> Located {
    let message = error.to_string();
    match error {
        ClientError::Unreachable { .. } => finding(&rules::ENDPOINT_UNREACHABLE, message),
        ClientError::AnswerLost { .. } => finding(&rules::ANSWER_LOST, message),
        ClientError::Unexpected { .. } => finding(&rules::UNEXPECTED_RESPONSE, message),
        ClientError::Discovery(_) => finding(&rules::DISCOVERY_FAILED, message),
        ClientError::InsecureHttp { .. } | ClientError::Config(_) => with_hint(
            finding(&rules::ENDPOINT_UNREACHABLE, message),
            "Fix the connection settings (see `handover-doctor settings`).",
        ),
        ClientError::Status { status, .. } => match (*status, step) {
            (429, _) => finding(&rules::RATE_LIMITED, message),
            (500..=599, _) => finding(&rules::SERVER_ERROR, message),
            (400 | 401 | 403, StepId::Auth) => finding(&rules::AUTH_REJECTED, message),
            (401, _) => finding(&rules::TOKEN_EXPIRED, message),
            (403, _) => finding(&rules::PERMISSION_DENIED, message),
            (404, StepId::Queue | StepId::Agents) => finding(&rules::QUEUE_NOT_FOUND, message),
            (404, StepId::Simulate) if error.reason() == Some("InvalidSkillId") => {
                finding(&rules::QUEUE_NOT_FOUND, message)
            }
            (400..=499, StepId::Simulate) => finding(&rules::SIMULATE_REJECTED, message),
            _ => finding(&rules::UNEXPECTED_RESPONSE, message),
        },
    }
}

/// HD806 and HD807 from what the calls of one step looked like.
pub(crate) fn call_findings(
    before: &CallStats,
    after: &CallStats,
    slow_call: Duration,
) -> Vec<Located> {
    let mut findings = Vec::new();
    let mut retried: BTreeMap<u16, u32> = after.retried.clone();
    for (status, n) in &before.retried {
        if let Some(count) = retried.get_mut(status) {
            *count -= n;
        }
    }
    retried.retain(|_, n| *n > 0);
    if !retried.is_empty() {
        let total: u32 = retried.values().sum();
        let parts: Vec<String> = retried
            .iter()
            .map(|(status, n)| match status {
                0 => format!("{n}× no answer"),
                s => format!("{n}× HTTP {s}"),
            })
            .collect();
        findings.push(finding(
            &rules::RETRIED_CALLS,
            format!(
                "{total} {} retried ({}); the calls succeeded after backoff",
                if total == 1 {
                    "answer was"
                } else {
                    "answers were"
                },
                parts.join(", ")
            ),
        ));
    }
    for refusal in after
        .early_token_refusals
        .iter()
        .skip(before.early_token_refusals.len())
    {
        findings.push(finding(
            &rules::TOKEN_REFUSED_EARLY,
            format!(
                "the API refused a token {:.1} s after it was issued, though it was announced to last {} s; a new token made the call work",
                refusal.age.as_secs_f64(),
                refusal.announced.as_secs()
            ),
        ));
    }
    if after.slowest > slow_call && after.slowest > before.slowest {
        findings.push(finding(
            &rules::SLOW_API,
            format!(
                "the slowest call took {} ms, over slow_call_ms ({} ms)",
                after.slowest.as_millis(),
                slow_call.as_millis()
            ),
        ));
    }
    findings
}

/// HD702 for a queue that takes no contacts.
pub(crate) fn queue_inactive(queue: &Queue) -> Option<Located> {
    (!queue.active).then(|| {
        finding(
            &rules::QUEUE_INACTIVE,
            format!(
                "queue {} \"{}\" is {}: handovers into it will not reach agents",
                queue.id, queue.name, queue.state
            ),
        )
    })
}

pub(super) fn queue_findings(queue: &Queue) -> Vec<Located> {
    let mut findings: Vec<Located> = queue_inactive(queue).into_iter().collect();
    if let Some(media) = queue.media
        && media != Media::Phone
    {
        findings.push(finding(
            &rules::MEDIA_TYPE_MISMATCH,
            format!(
                "queue {} \"{}\" is a {} skill, but the handover is a voice call",
                queue.id,
                queue.name,
                media.name()
            ),
        ));
    }
    findings
}

pub(super) fn names(names: &[String]) -> String {
    names.join(", ")
}

pub(crate) fn agents_findings(agents: &Agents, queue: Option<&Queue>) -> Vec<Located> {
    let mut findings = Vec::new();
    let inactive_note = if agents.inactive_but_available.is_empty() {
        String::new()
    } else {
        format!(
            "; Available but with an inactive assignment to this skill: {}",
            names(&agents.inactive_but_available)
        )
    };
    if agents.available == 0 {
        let message = if agents.assigned == 0 {
            format!("no agents are assigned to the queue{inactive_note}")
        } else {
            format!(
                "nobody is Available: of {} assigned, {} logged in ({} unavailable, {} working), {} logged out{inactive_note}",
                agents.assigned,
                agents.logged_in(),
                agents.unavailable,
                agents.working,
                agents.logged_out
            )
        };
        findings.push(finding(&rules::NO_AGENTS_AVAILABLE, message));
        if let Some(waiting) = queue.and_then(Queue::queued).filter(|&n| n > 0) {
            findings.push(finding(
                &rules::QUEUE_BACKLOG,
                format!(
                    "{waiting} {} already waiting and nobody is available to take them",
                    if waiting == 1 {
                        "contact is"
                    } else {
                        "contacts are"
                    }
                ),
            ));
        }
    }
    if let Some(activity) = queue.and_then(|q| q.activity.as_ref())
        && activity.available != agents.available
    {
        let mut causes = Vec::new();
        if !agents.inactive_but_available.is_empty() {
            causes.push(format!(
                "{} {} Available with an inactive assignment to this skill (isSkillActive false, or an inactive user)",
                names(&agents.inactive_but_available),
                if agents.inactive_but_available.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            ));
        }
        causes.push("an agent may be Available only for other skills".to_string());
        causes.push("one of the two may be a few seconds stale".to_string());
        findings.push(finding(
            &rules::AVAILABILITY_DISAGREES,
            format!(
                "the skill's activity counts {} Available, its assignments and the agents' states {}: {}",
                activity.available,
                agents.available,
                causes.join("; ")
            ),
        ));
    }
    for cut in &agents.truncated {
        findings.push(truncated(cut, "record", "the counts cover only those"));
    }
    findings
}

/// HD707 for a list cut at the page cap: what was read of it, and what that means.
pub(crate) fn truncated(cut: &Truncated, what: &str, meaning: &str) -> Located {
    finding(
        &rules::LIST_TRUNCATED,
        format!(
            "{} has more than {}: read {}{}; {meaning}",
            cut.endpoint,
            plural(cut.pages.into(), "page"),
            plural(cut.read as u64, what),
            cut.total.map(|t| format!(" of {t}")).unwrap_or_default()
        ),
    )
}

/// `queue --all` read the skills up to the page cap only.
pub fn truncated_skills(cut: &Truncated) -> Located {
    truncated(cut, "skill", "raise max_pages to read them all")
}
