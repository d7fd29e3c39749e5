//! The diagnosis: the steps a handover goes through, in its order, each independent step run
//! concurrently. payload and auth need nothing; queue and agents need auth and a queue id; simulate
//! needs auth, a usable payload and a queue that passed. A step whose inputs failed is skipped, with
//! the reason.

use std::time::{Duration, Instant};

use cxone_client::{CallStats, ContactCenter, Profile, RequestPreview, TestContact};
use handover_core::contract::Facts;
use handover_core::{Checker, Level, Rule};

use crate::report::{Diagnosis, Status, Step, StepId};

mod findings;
mod follow;
mod queues;
pub mod rules;
mod script;
mod steps;

pub use findings::truncated_skills;
pub(crate) use findings::{
    agents_findings, call_finding, call_findings, finding, queue_inactive, truncated,
};
pub(crate) use follow::outcome as contact_outcome;
pub use queues::queues;
pub(crate) use script::explain_dropped;
pub use script::skill_facts;

use steps::{auth_step, payload_step, queue_steps, signal_step, simulate_step};

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
    /// The config's `severity` map.
    pub levels: Vec<(&'static Rule, Level)>,
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
    let queue = async {
        let mut queue_ok = true;
        let mut ran = Vec::new();
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
                        ran.push(step);
                    }
                    queue_ok = false;
                }
                _ => {
                    let id = queue_id.as_deref().unwrap_or_default();
                    let (queue_step, agents_step, _) = queue_steps(plan, client, id, emit).await;
                    queue_ok = !queue_step.failed() && queue_step.status != Status::Skip;
                    ran.push(queue_step);
                    ran.push(agents_step);
                }
            }
        }
        (ran, queue_ok)
    };
    let (ran, queue_ok) = queue.await;
    steps.extend(ran);
    // After the queue steps, not beside them: each step's HD806 and HD807 come from the calls
    // made while it ran, which steps running together would share.
    if let Some(step) = script::script_step(plan, client, signed_in).await {
        emit(&step);
        steps.push(step);
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
    finish(plan, client.profile(), steps, started, client.stats())
}

/// The diagnosis of the steps that ran since `started`, with the config's severities applied.
fn finish(
    plan: &Plan,
    api: Profile,
    mut steps: Vec<Step>,
    started: Instant,
    stats: CallStats,
) -> Diagnosis {
    relevel(&mut steps, &plan.levels);
    script::explain_dropped_contact(&mut steps);
    let dry_run = steps
        .iter()
        .flat_map(|s| s.all_findings())
        .any(|l| std::ptr::eq(l.finding.rule, &rules::SIMULATE_DRY_RUN));
    Diagnosis {
        api,
        steps,
        dry_run,
        duration: started.elapsed(),
        stats,
    }
}

/// The config's `severity` map applied to the steps' own findings (the payload's were re-levelled
/// by its checker), and each step's status to what its findings now call for.
fn relevel(steps: &mut [Step], levels: &[(&'static Rule, Level)]) {
    if levels.is_empty() {
        return;
    }
    for step in steps.iter_mut() {
        step.findings
            .retain_mut(|l| handover_core::settings::relevel_finding(levels, &mut l.finding));
        if step.status != Status::Skip {
            step.status = Status::of(step.all_findings());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_core::Parser;

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
