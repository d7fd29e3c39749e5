//! The steps, each on its own: what it calls, what it found, and its one-line detail.

use std::time::{Duration, Instant};

use super::rules;
use cxone_client::{
    Agents, ClientError, ContactCenter, Media, Queue, RequestPreview, Session, TestContact,
};
use handover_core::{Checker, Parser};

use super::findings::{
    agents_findings, call_finding, call_findings, count_findings, finding, names, queue_findings,
};
use super::follow::follow_outcome;
use super::{PayloadFacts, Plan};
use crate::report::{Located, RecordReport, Status, Step, StepId, plural};

impl Step {
    pub(crate) fn new(
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
    pub(crate) fn skip(id: StepId, why: impl Into<String>) -> Self {
        Self {
            status: Status::Skip,
            duration: Duration::ZERO,
            ..Self::new(id, Instant::now(), why, Vec::new())
        }
    }

    /// A step that did not run because an input is missing: `what` names it, and `why` says
    /// where to give it.
    pub(crate) fn missing(id: StepId, what: impl Into<String>, why: impl Into<String>) -> Self {
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

    pub(super) fn failed(&self) -> bool {
        self.status == Status::Fail
    }
}

pub(super) fn payload_step(plan: &Plan, checker: &Checker) -> (Step, PayloadFacts) {
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

pub(super) async fn auth_step(
    client: &impl ContactCenter,
    slow_call: Duration,
) -> (Step, Option<Session>) {
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
        n => format!("; {} not counted", plural(n.into(), "inactive assignment")),
    };
    format!(
        "{} of {} Available{available}; {} working, {} unavailable, {} logged out{inactive}",
        agents.available,
        plural(agents.assigned.into(), "assigned agent"),
        agents.working,
        agents.unavailable,
        agents.logged_out
    )
}

/// queue and agents, run together. Returns the queue when it was found.
pub(super) async fn queue_steps(
    plan: &Plan,
    client: &impl ContactCenter,
    queue_id: &str,
    emit: &(dyn Fn(&Step) + Sync),
) -> (Step, Step, Option<Queue>) {
    let before = client.stats();
    let started = Instant::now();
    let (queue, agents) = tokio::join!(client.queue(queue_id), client.agents(queue_id));
    let calls = call_findings(&before, &client.stats(), plan.slow_call);
    let (queue_step, agents_step, found) =
        queue_and_agents(queue_id, started, &queue, agents.as_ref(), calls);
    emit(&queue_step);
    emit(&agents_step);
    (queue_step, agents_step, found)
}

/// The queue and agents steps from what their calls answered; `calls` are the findings about
/// the calls themselves (HD806, HD807), which the queue step carries.
pub(super) fn queue_and_agents(
    queue_id: &str,
    started: Instant,
    queue: &Result<Queue, ClientError>,
    agents: Result<&Agents, &ClientError>,
    calls: Vec<Located>,
) -> (Step, Step, Option<Queue>) {
    let (mut queue_step, found) = match queue {
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
    let agents_step = match (agents, queue) {
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
    (queue_step, agents_step, found)
}

pub(super) async fn simulate_step(
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
    if let Some(mut step) = not_sent(plan, started, &preview, confirm) {
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

/// The step when the request is not sent: a dry run (no `--live`), or a live one not confirmed.
fn not_sent(
    plan: &Plan,
    started: Instant,
    preview: &RequestPreview,
    confirm: &(dyn Fn(&RequestPreview) -> bool + Sync),
) -> Option<Step> {
    if !plan.live {
        let finding = finding(
            &rules::SIMULATE_DRY_RUN,
            format!("dry run: would send {} {}", preview.method, preview.url),
        );
        return Some(Step::new(
            StepId::Simulate,
            started,
            "dry run: nothing was sent",
            vec![finding],
        ));
    }
    (!confirm(preview)).then(|| {
        Step::missing(
            StepId::Simulate,
            "your confirmation",
            "not confirmed: nothing was sent",
        )
    })
}

/// Signals a running contact as Exit Interaction does; with --follow (cxone), watches where it goes.
pub(super) async fn signal_step(
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
    let mut step = if let Some(step) = not_sent(plan, started, &preview, confirm) {
        step
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
