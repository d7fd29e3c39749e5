//! `queue` with several ids: one client signs in once; on CXone, every agent's state is read once
//! for all the queues (`agents/states` is the same list whichever skill asks); each queue's own
//! calls run a few queues at a time. Each queue's diagnosis is what a run over that queue alone
//! finds, its calls and findings included, and is reported in the order the ids were given, as
//! soon as it and those before it are done.

use std::time::Instant;

use cxone_client::cxone::{self, CxoneClient};
use cxone_client::http::counted;
use cxone_client::models::AgentState;
use cxone_client::{CallStats, Client, ClientError, ContactCenter, Queue, Truncated};
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use tokio::sync::{OnceCell, Semaphore};

use super::findings::call_findings;
use super::steps::{auth_step, queue_and_agents};
use super::{Plan, finish};
use crate::report::{Diagnosis, Step, StepId};

/// Queues whose calls are in flight at once. Each queue is three requests (the skill, its
/// activity, its assignments), so 8 queues keep 24 requests open: 20 queues take three round
/// trips, while a run over hundreds of ids never opens more connections than that, rather than a
/// burst that a tenant's rate limit answers with 429.
const QUEUES_AT_ONCE: usize = 8;

/// Every agent's state with what the page cap left unread, and the stats of reading it.
type States = (
    Result<(Vec<AgentState>, Option<Truncated>), ClientError>,
    CallStats,
);

/// Diagnoses each queue of `ids` (auth, queue and agents, as `plan` says of slow calls and
/// severities) and hands each diagnosis to `report`, in the order of `ids`.
pub async fn queues(
    plan: &Plan,
    client: &Client,
    ids: &[String],
    mut report: impl FnMut(Diagnosis) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let ((auth, session), signed_in) = counted(auth_step(client, plan.slow_call)).await;
    let diagnosis = |queue: Step, agents: Step, stats: CallStats| {
        let steps = vec![auth.clone(), queue, agents];
        finish(plan, client.profile(), steps, started, stats)
    };
    if session.is_none() {
        for _ in ids {
            let skipped = |id| Step::skip(id, "auth failed");
            let stats = signed_in.clone();
            report(diagnosis(
                skipped(StepId::Queue),
                skipped(StepId::Agents),
                stats,
            ))?;
        }
        return Ok(());
    }
    let slots = Semaphore::new(QUEUES_AT_ONCE);
    let states = OnceCell::new();
    let mut pending: FuturesOrdered<_> = ids
        .iter()
        .map(|id| queue_steps(plan, client, id, &signed_in, &slots, &states))
        .collect();
    // Read from the start, beside the first queues' calls, rather than after them.
    let read_states = async {
        if let Client::Cxone(cxone) = client {
            every_state(cxone, &states).await;
        }
    };
    let reports = async {
        while let Some((queue, agents, stats)) = pending.next().await {
            report(diagnosis(queue, agents, stats))?;
        }
        Ok(())
    };
    tokio::join!(read_states, reports).1
}

/// Every agent's state, read once whichever queue asks first.
async fn every_state<'a>(cxone: &CxoneClient, states: &'a OnceCell<States>) -> &'a States {
    states.get_or_init(|| counted(cxone.agent_states())).await
}

/// One queue's queue and agents steps, and the stats of the calls its diagnosis needed: the
/// sign-in's (`signed_in`) and, on CXone, the read of every agent's state count in each queue's
/// stats, as a run over that queue alone makes them; and HD806 and HD807 come from its own calls
/// after the sign-in's, as they do in such a run.
async fn queue_steps(
    plan: &Plan,
    client: &Client,
    id: &str,
    signed_in: &CallStats,
    slots: &Semaphore,
    states: &OnceCell<States>,
) -> (Step, Step, CallStats) {
    let steps = |started, queue: &Result<Queue, ClientError>, agents, stats: CallStats| {
        let mut all = signed_in.clone();
        all += &stats;
        let calls = call_findings(signed_in, &all, plan.slow_call);
        let (queue, agents, _) = queue_and_agents(id, started, queue, agents, calls);
        (queue, agents, all)
    };
    match client {
        Client::Cxone(cxone) => {
            let (started, ((queue, assigned), mut stats)) = {
                let _slot = slots.acquire().await;
                let started = Instant::now();
                let calls = async { tokio::join!(cxone.queue(id), cxone.skill_assignments(id)) };
                (started, counted(calls).await)
            };
            let (every, read) = every_state(cxone, states).await;
            stats += read;
            let agents = match (&assigned, every) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(assigned), Ok(every)) => Ok(cxone::agents_of(assigned, every)),
            };
            steps(started, &queue, agents.as_ref().map_err(|e| *e), stats)
        }
        Client::RoutingV2(routing) => {
            let _slot = slots.acquire().await;
            let started = Instant::now();
            let calls = async { tokio::join!(routing.queue(id), routing.agents(id)) };
            let ((queue, agents), stats) = counted(calls).await;
            steps(started, &queue, agents.as_ref(), stats)
        }
    }
}
