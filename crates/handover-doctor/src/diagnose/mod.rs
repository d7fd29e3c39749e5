//! The diagnosis: the steps a handover goes through, in its order, each independent step run
//! concurrently. payload and auth need nothing; queue and agents need auth and a queue id; simulate
//! needs auth, a usable payload and a queue that passed. A step whose inputs failed is skipped, with
//! the reason.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cxone_client::{
    Agents, CallStats, ClientError, ContactCenter, ContactState, Media, Profile, Queue,
    RequestPreview, Session, TestContact,
};
use handover_core::contract::Facts;
use handover_core::rules::{self, Rule};
use handover_core::{Checker, Finding, Parser, Severity, Span};

use crate::report::{Diagnosis, Located, RecordReport, Status, Step, StepId};

/// A finding about the tenant, a call or the run: no place in a file.
fn finding(rule: &'static Rule, message: impl Into<String>) -> Located {
    Located::unplaced(Finding {
        rule,
        severity: rule.severity,
        span: Span::default(),
        pointer: String::new(),
        message: message.into(),
        hint: rule.hint.to_string(),
        fix: None,
    })
}

/// The same finding with a hint of its own.
fn with_hint(mut located: Located, hint: impl Into<String>) -> Located {
    located.finding.hint = hint.into();
    located
}

impl Step {
    fn new(
        id: StepId,
        started: Instant,
        detail: impl Into<String>,
        findings: Vec<Located>,
    ) -> Self {
        Self {
            id,
            status: Status::of(&findings),
            duration: started.elapsed(),
            detail: detail.into(),
            record: None,
            findings,
            request: None,
            contact_id: None,
            polls: None,
            missing: None,
            queue: None,
            agents: None,
        }
    }

    /// A step that did not run because one it needs failed (or it was not asked for).
    fn skip(id: StepId, why: impl Into<String>) -> Self {
        Self {
            status: Status::Skip,
            duration: Duration::ZERO,
            ..Self::new(id, Instant::now(), why, Vec::new())
        }
    }

    /// A step that did not run because an input is missing: `what` names it, and `why` says
    /// where to give it.
    fn missing(id: StepId, what: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            missing: Some(what.into()),
            ..Self::skip(id, why)
        }
    }

    /// Adds findings, and the status they call for.
    fn extend(&mut self, findings: Vec<Located>) {
        self.findings.extend(findings);
        self.status = self.status.max(Status::of(self.all_findings()));
    }

    fn failed(&self) -> bool {
        self.status == Status::Fail
    }
}

/// The payload to check: its name for messages and its bytes.
pub struct PayloadInput {
    pub source: String,
    pub bytes: Vec<u8>,
    /// The bytes are the user's file as it is, so lines and columns mean something to them.
    pub positions: bool,
}

/// Which steps run, on what.
/// `simulate --via signal`: the contact to signal and its parameters (both from the payload when not given).
pub struct SignalPlan {
    pub contact_id: Option<String>,
    pub params: Vec<String>,
}

pub struct Plan {
    pub steps: Vec<StepId>,
    /// Signal a running contact, as Exit Interaction does, instead of placing a test contact.
    pub signal: Option<SignalPlan>,
    pub payload: Option<PayloadInput>,
    pub queue: Option<String>,
    pub live: bool,
    pub follow: Option<Duration>,
    pub script_path: Option<String>,
    pub slow_call: Duration,
}

impl Plan {
    fn runs(&self, id: StepId) -> bool {
        self.steps.contains(&id)
    }
}

/// What the payload step learnt for the later steps: the contract's facts, from the one parse.
#[derive(Default)]
struct PayloadFacts {
    facts: Facts,
    has_errors: bool,
}

impl PayloadFacts {
    /// The test contact the payload describes, when it names a queue.
    fn contact(&self) -> Option<TestContact> {
        let facts = &self.facts;
        facts.queue_id.clone().map(|queue_id| TestContact {
            queue_id,
            phone_number: facts.phone_number.clone(),
            name: facts.name.clone(),
            // The contract already read this as JSON; only a number beyond a float (HD107)
            // could fail here, and then the attributes are sent empty.
            custom_attributes: serde_json::from_str(&facts.custom_attributes)
                .unwrap_or_else(|_| serde_json::json!({})),
            script_path: None,
        })
    }
}

fn payload_step(plan: &Plan, checker: &Checker) -> (Step, PayloadFacts) {
    let started = Instant::now();
    let Some(input) = &plan.payload else {
        return (
            Step::missing(
                StepId::Payload,
                "a payload",
                "no payload: give --payload FILE, or set test_payload in the config",
            ),
            PayloadFacts::default(),
        );
    };
    let mut core_findings = Vec::new();
    let (contract, facts) =
        checker.check_with_facts(&mut Parser::new(), &input.bytes, &mut core_findings);
    let contract = contract.map(|c| c.name());
    let text = String::from_utf8_lossy(&input.bytes);
    let record = RecordReport::new(
        input.source.as_str().into(),
        contract,
        1,
        0,
        &text,
        core_findings,
        input.positions,
    );
    // A payload that is not the user's file as it is has no lines of theirs to point at.
    let record = if input.positions {
        record
    } else {
        record.unplaced()
    };
    let has_errors = !record.valid();
    let facts = PayloadFacts { facts, has_errors };
    let detail = if record.findings.is_empty() {
        format!(
            "{} is a valid {} payload",
            input.source,
            contract.unwrap_or("JSON")
        )
    } else {
        format!(
            "{} ({}): {}",
            input.source,
            contract.unwrap_or("not JSON"),
            count_findings(&record.findings)
        )
    };
    let mut step = Step::new(StepId::Payload, started, detail, Vec::new());
    step.status = Status::of(&record.findings);
    step.record = Some(record);
    (step, facts)
}

fn count_findings(findings: &[Located]) -> String {
    let count = |severity| {
        findings
            .iter()
            .filter(|l| l.finding.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    format!("{errors} errors, {warnings} warnings")
}

/// The finding for a failed call, by what failed.
fn call_finding(error: &ClientError, step: StepId) -> Located {
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
fn call_findings(before: &CallStats, after: &CallStats, slow_call: Duration) -> Vec<Located> {
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

async fn auth_step(client: &impl ContactCenter, slow_call: Duration) -> (Step, Option<Session>) {
    let started = Instant::now();
    let before = client.stats();
    match client.session().await {
        Ok(session) => {
            let findings = call_findings(&before, &client.stats(), slow_call);
            let mut parts = Vec::new();
            if let Some(tenant) = &session.tenant {
                parts.push(format!("tenant {tenant}"));
            }
            if let Some(unit) = &session.business_unit {
                parts.push(format!("business unit {unit}"));
            }
            parts.push(format!(
                "API {} (from {})",
                session.api_endpoint, session.api_endpoint_source
            ));
            parts.push(format!(
                "token valid {} s",
                session.token_lifetime.as_secs()
            ));
            let detail = parts.join(", ");
            (
                Step::new(StepId::Auth, started, detail, findings),
                Some(session),
            )
        }
        Err(e) => {
            let finding = call_finding(&e, StepId::Auth);
            (
                Step::new(StepId::Auth, started, "could not sign in", vec![finding]),
                None,
            )
        }
    }
}

fn queue_findings(queue: &Queue) -> Vec<Located> {
    let mut findings = Vec::new();
    if !queue.active {
        findings.push(finding(
            &rules::QUEUE_INACTIVE,
            format!(
                "queue {} \"{}\" is {}: handovers into it will not reach agents",
                queue.id, queue.name, queue.state
            ),
        ));
    }
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

fn names(names: &[String]) -> String {
    names.join(", ")
}

fn agents_findings(agents: &Agents, queue: Option<&Queue>) -> Vec<Located> {
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
        findings.push(finding(
            &rules::LIST_TRUNCATED,
            format!(
                "{} has more than {} pages: read {} records{}; the counts cover only those",
                cut.endpoint,
                cut.pages,
                cut.read,
                cut.total.map(|t| format!(" of {t}")).unwrap_or_default()
            ),
        ));
    }
    findings
}

fn describe_queue(queue: &Queue) -> String {
    let media = queue
        .media
        .map_or_else(|| "media unknown".to_string(), Media::name);
    let activity = queue
        .activity
        .as_ref()
        .map(|a| {
            format!(
                ", {} waiting, {} Available by the skill's activity",
                a.queued, a.available
            )
        })
        .unwrap_or_default();
    format!(
        "queue {} \"{}\": {}, {media}{activity}",
        queue.id, queue.name, queue.state
    )
}

fn describe_agents(agents: &Agents) -> String {
    let available = if agents.available_names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names(&agents.available_names))
    };
    let inactive = match agents.inactive_assignments {
        0 => String::new(),
        n => format!("; {n} inactive assignments not counted"),
    };
    format!(
        "{} of {} assigned agents Available{available}; {} working, {} unavailable, {} logged out{inactive}",
        agents.available, agents.assigned, agents.working, agents.unavailable, agents.logged_out
    )
}

/// queue and agents, run together. Returns the queue when it was found.
async fn queue_steps(
    plan: &Plan,
    client: &impl ContactCenter,
    queue_id: &str,
    emit: &(dyn Fn(&Step) + Sync),
) -> (Step, Step, Option<Queue>) {
    let before = client.stats();
    let started = Instant::now();
    let (queue, agents) = tokio::join!(client.queue(queue_id), client.agents(queue_id));
    let calls = call_findings(&before, &client.stats(), plan.slow_call);
    let (mut queue_step, found) = match &queue {
        Ok(q) => {
            let mut step = Step::new(StepId::Queue, started, describe_queue(q), queue_findings(q));
            step.queue = Some(q.clone());
            (step, Some(q.clone()))
        }
        Err(e) => (
            Step::new(
                StepId::Queue,
                started,
                format!("queue {queue_id}"),
                vec![call_finding(e, StepId::Queue)],
            ),
            None,
        ),
    };
    queue_step.extend(calls);
    let agents_step = match (&agents, &queue) {
        // The queue's own 404 already says it: agents of a queue that does not exist add nothing.
        (Err(_), Err(q)) if matches!(q.status(), Some(404)) => {
            Step::skip(StepId::Agents, format!("queue {queue_id} does not exist"))
        }
        (Ok(a), _) => {
            let mut step = Step::new(
                StepId::Agents,
                started,
                describe_agents(a),
                agents_findings(a, found.as_ref()),
            );
            step.agents = Some(a.clone());
            step
        }
        (Err(e), _) => Step::new(
            StepId::Agents,
            started,
            "agents of the queue",
            vec![call_finding(e, StepId::Agents)],
        ),
    };
    emit(&queue_step);
    emit(&agents_step);
    (queue_step, agents_step, found)
}

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
fn outcome(contact_id: &str, history: &[ContactState]) -> Option<(String, Vec<Located>)> {
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
async fn follow_outcome(
    plan: &Plan,
    client: &impl ContactCenter,
    contact_id: &str,
    what: &str,
) -> (String, Vec<Located>, Option<u32>) {
    match plan.follow {
        Some(within) if client.profile() == Profile::Cxone => {
            match follow(client, contact_id, within).await {
                Ok(f) => (
                    format!(
                        "{what}; {}; {} {}",
                        f.detail,
                        f.polls,
                        if f.polls == 1 { "poll" } else { "polls" }
                    ),
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

async fn simulate_step(
    plan: &Plan,
    client: &impl ContactCenter,
    contact: TestContact,
    confirm: &(dyn Fn(&RequestPreview) -> bool + Sync),
) -> Step {
    let started = Instant::now();
    let before = client.stats();
    let preview = match client.preview_test_contact(&contact).await {
        Ok(p) => p,
        Err(e) => {
            return Step::new(
                StepId::Simulate,
                started,
                "test contact",
                vec![call_finding(&e, StepId::Simulate)],
            );
        }
    };
    if !plan.live {
        let finding = finding(
            &rules::SIMULATE_DRY_RUN,
            format!("dry run: would send {} {}", preview.method, preview.url),
        );
        let mut step = Step::new(
            StepId::Simulate,
            started,
            "dry run: nothing was sent",
            vec![finding],
        );
        step.request = Some(preview);
        return step;
    }
    if !confirm(&preview) {
        let mut step = Step::missing(
            StepId::Simulate,
            "your confirmation",
            "not confirmed: nothing was sent",
        );
        step.request = Some(preview);
        return step;
    }
    let id = match client.place_test_contact(&contact).await {
        Ok(id) => id,
        Err(e) => {
            let mut step = Step::new(
                StepId::Simulate,
                started,
                "test contact",
                vec![call_finding(&e, StepId::Simulate)],
            );
            step.request = Some(preview);
            return step;
        }
    };
    let (detail, mut findings, polls) =
        follow_outcome(plan, client, &id, &format!("contact {id} created")).await;
    findings.extend(call_findings(&before, &client.stats(), plan.slow_call));
    let mut step = Step::new(StepId::Simulate, started, detail, findings);
    step.request = Some(preview);
    step.contact_id = Some(id);
    step.polls = polls;
    step
}

/// Signals a running contact as Exit Interaction does; with --follow (cxone), watches where it goes.
async fn signal_step(
    plan: &Plan,
    client: &impl ContactCenter,
    contact_id: &str,
    params: &[String],
    confirm: &(dyn Fn(&RequestPreview) -> bool + Sync),
) -> Step {
    let started = Instant::now();
    let before = client.stats();
    let preview = match client.preview_signal(contact_id, params).await {
        Ok(p) => p,
        Err(e) => {
            return Step::new(
                StepId::Simulate,
                started,
                "signal",
                vec![call_finding(&e, StepId::Simulate)],
            );
        }
    };
    let mut step = if !plan.live {
        let finding = finding(
            &rules::SIMULATE_DRY_RUN,
            format!("dry run: would send {} {}", preview.method, preview.url),
        );
        Step::new(
            StepId::Simulate,
            started,
            "dry run: nothing was sent",
            vec![finding],
        )
    } else if !confirm(&preview) {
        Step::missing(
            StepId::Simulate,
            "your confirmation",
            "not confirmed: nothing was sent",
        )
    } else {
        match client.signal(contact_id, params).await {
            Err(e) => Step::new(
                StepId::Simulate,
                started,
                format!("signal to contact {contact_id}"),
                vec![call_finding(&e, StepId::Simulate)],
            ),
            Ok(()) => {
                let mut what = format!("signal {} to contact {contact_id} accepted", params[0]);
                if plan.follow.is_none() {
                    // CXone answers 202 whatever it read: only where the contact goes shows it.
                    what += " (a 202 does not show that the script read the parameters: --follow shows where the contact goes)";
                }
                let (detail, mut findings, polls) =
                    follow_outcome(plan, client, contact_id, &what).await;
                findings.extend(call_findings(&before, &client.stats(), plan.slow_call));
                let mut step = Step::new(StepId::Simulate, started, detail, findings);
                step.contact_id = Some(contact_id.to_string());
                step.polls = polls;
                step
            }
        }
    };
    step.request = Some(preview);
    step
}

/// Runs the plan. `emit` hears of each step as it finishes; `confirm` is asked before a live contact.
pub async fn run(
    plan: &Plan,
    checker: Option<&Checker>,
    client: &impl ContactCenter,
    confirm: &(dyn Fn(&RequestPreview) -> bool + Sync),
    emit: &(dyn Fn(&Step) + Sync),
) -> Diagnosis {
    let started = Instant::now();
    let mut steps = Vec::new();
    // Only the commands that check a payload have a checker; the others plan no payload step.
    let payload = async {
        let Some(checker) = checker.filter(|_| plan.runs(StepId::Payload)) else {
            return (
                Step::skip(StepId::Payload, "not asked for"),
                PayloadFacts::default(),
            );
        };
        let (step, facts) = payload_step(plan, checker);
        emit(&step);
        (step, facts)
    };
    let auth = async {
        let (step, session) = auth_step(client, plan.slow_call).await;
        emit(&step);
        (step, session)
    };
    let ((payload_step, facts), (auth_step, session)) = tokio::join!(payload, auth);
    if plan.runs(StepId::Payload) {
        steps.push(payload_step);
    }
    let signed_in = session.is_some();
    steps.push(auth_step);

    let queue_id = plan.queue.clone().or(facts.facts.queue_id.clone());
    let mut queue_ok = true;
    if plan.runs(StepId::Queue) {
        let skipped = |id| match (&queue_id, signed_in) {
            (_, false) => Some(Step::skip(id, "auth failed")),
            (None, _) => Some(Step::missing(
                id,
                "a queue id",
                "no queue id: the payload has no queueId, and no --queue was given",
            )),
            _ => None,
        };
        match (skipped(StepId::Queue), skipped(StepId::Agents)) {
            (Some(queue_step), Some(agents_step)) => {
                for step in [queue_step, agents_step] {
                    emit(&step);
                    steps.push(step);
                }
                queue_ok = false;
            }
            _ => {
                let id = queue_id.as_deref().unwrap_or_default();
                let (queue_step, agents_step, _) = queue_steps(plan, client, id, emit).await;
                queue_ok = !queue_step.failed() && queue_step.status != Status::Skip;
                steps.push(queue_step);
                steps.push(agents_step);
            }
        }
    }

    if plan.runs(StepId::Simulate)
        && let Some(signal) = &plan.signal
    {
        let contact_id = signal
            .contact_id
            .clone()
            .or(facts.facts.signal_contact.clone());
        let mut params = if signal.params.is_empty() {
            facts.facts.signal_params.clone()
        } else {
            signal.params.clone()
        };
        if params.is_empty() {
            params.push("Escalate".into());
        }
        let step = match (signed_in, facts.has_errors, contact_id) {
            (false, _, _) => Step::skip(StepId::Simulate, "auth failed"),
            (_, true, _) => Step::skip(StepId::Simulate, "the payload has errors: fix them first"),
            (_, _, None) => Step::missing(
                StepId::Simulate,
                "a contact to signal",
                "no contact to signal: give --contact-id, or a cxone-signal payload",
            ),
            (true, false, Some(id)) => signal_step(plan, client, &id, &params, confirm).await,
        };
        emit(&step);
        steps.push(step);
    } else if plan.runs(StepId::Simulate) {
        let contact = facts.contact().map(|mut c| {
            if let Some(q) = &plan.queue {
                c.queue_id = q.clone();
            }
            c.script_path = plan.script_path.clone();
            c
        });
        let step = match contact {
            _ if !signed_in => Step::skip(StepId::Simulate, "auth failed"),
            _ if !queue_ok && queue_id.is_some() => {
                Step::skip(StepId::Simulate, "the queue check failed")
            }
            _ if facts.has_errors => {
                Step::skip(StepId::Simulate, "the payload has errors: fix them first")
            }
            None => Step::missing(
                StepId::Simulate,
                "a payload with a queue id",
                "no payload with a queue id to place a test contact with",
            ),
            Some(contact) => simulate_step(plan, client, contact, confirm).await,
        };
        emit(&step);
        steps.push(step);
    }
    Diagnosis {
        api: client.profile(),
        steps,
        duration: started.elapsed(),
        stats: client.stats(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(payload: serde_json::Value) -> Vec<String> {
        let checker = Checker::auto(handover_core::CheckSettings::default());
        let (_, facts) = checker.check_with_facts(
            &mut Parser::new(),
            payload.to_string().as_bytes(),
            &mut Vec::new(),
        );
        facts.signal_params
    }

    #[test]
    fn a_signal_split_between_query_and_body_is_read_as_one() {
        assert_eq!(
            params(serde_json::json!({
                "query": {"p1": "Escalate"},
                "body": {"p2": "[{\"reason\":\"billing\"}]"}
            })),
            vec!["Escalate", "[{\"reason\":\"billing\"}]"]
        );
        assert_eq!(
            params(serde_json::json!({"p1": "Transfer", "p2": "a", "p4": "gap"})),
            vec!["Transfer", "a"]
        );
    }

    #[test]
    fn exit_interaction_sends_p2_only_with_optional_parameters() {
        let config = |optional: serde_json::Value| serde_json::json!({"action": "Escalate", "contactId": "1", "spawnedContactId": "2", "optionalParamsObject": optional});
        assert_eq!(params(config(serde_json::json!([]))), vec!["Escalate"]);
        assert_eq!(
            params(config(
                serde_json::json!([{"key": "reason", "value": "billing"}])
            )),
            vec!["Escalate", "[{\"key\":\"reason\",\"value\":\"billing\"}]"]
        );
    }
}
