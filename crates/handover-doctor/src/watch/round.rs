//! One round of a watch: the same three lists whatever the number of skills (every skill's
//! activity, every agent's skill assignments, every agent's state), and what they show.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cxone_client::cxone::{CxoneClient, rosters};
use cxone_client::{
    Agents, CallStats, ClientError, ContactCenter, Outcome, Queue, QueueActivity, Truncated,
};

use crate::diagnose::{
    self, agents_findings, call_finding, call_findings, finding, queue_inactive, truncated,
};
use crate::report::{Diagnosis, Located, StepId};

/// A link of the handover chain a round checks; `handover_check_status{check}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    Auth,
    SkillActivity,
    AgentAssignments,
    AgentStates,
    /// A dry-run (or, with `--live --yes`, a live) diagnosis every `--rehearse-every` rounds.
    Rehearsal,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Auth => "auth",
            Check::SkillActivity => "skill_activity",
            Check::AgentAssignments => "agent_assignments",
            Check::AgentStates => "agent_states",
            Check::Rehearsal => "rehearsal",
        }
    }

    /// The diagnosis step whose findings this check's are, for the report at the end.
    pub fn step(self) -> StepId {
        match self {
            Check::Auth => StepId::Auth,
            Check::SkillActivity => StepId::Queue,
            Check::AgentAssignments | Check::AgentStates => StepId::Agents,
            Check::Rehearsal => StepId::Simulate,
        }
    }
}

/// What a finding is about: a finding stands from round to round while the same rule fires on
/// the same subject, whatever its message says this time (counts change).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// The tenant's sign-in, its API and its lists.
    Tenant,
    Skill {
        id: String,
        name: String,
    },
    Rehearsal,
}

impl Subject {
    /// The part of a finding's identity its subject gives: a skill by id, as names change.
    pub fn key(&self) -> String {
        match self {
            Subject::Tenant => "tenant".into(),
            Subject::Skill { id, .. } => format!("skill/{id}"),
            Subject::Rehearsal => "rehearsal".into(),
        }
    }
}

/// A finding of a round, with what it is about and the check that raised it.
pub struct Found {
    pub subject: Subject,
    pub check: Check,
    pub located: Located,
}

/// One skill as the round saw it: what the skill gauges export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub queued: u32,
    /// From the assignments and the agents' states: agents with a routable assignment who are
    /// Available now.
    pub available: u32,
    pub logged_in: u32,
}

/// Which skills a watch looks at.
#[derive(Clone, Debug)]
pub enum Watched {
    /// Every skill the tenant's activity lists.
    All,
    Skills(Vec<String>),
}

/// What one round read and found.
pub struct Round {
    /// The checks that ran, passed or not; a check that did not run is absent, not a pass.
    pub checks: Vec<(Check, bool)>,
    /// The watched skills, when all three lists were read; `None` otherwise, so that no stale
    /// or partial count is exported as if it were current.
    pub skills: Option<Vec<Reading>>,
    pub findings: Vec<Found>,
    /// An answer was 429 in this round: the next waits longer.
    pub rate_limited: bool,
    pub took: Duration,
    /// The rehearsal, when one ran this round.
    pub rehearsal: Option<Diagnosis>,
}

impl Round {
    fn found(&mut self, subject: Subject, check: Check, located: Located) {
        self.findings.push(Found {
            subject,
            check,
            located,
        });
    }

    /// A list that could not be read: the check fails, with the finding its error calls for.
    fn failed(&mut self, check: Check, error: &ClientError) {
        self.checks.push((check, false));
        let located = match (check, error) {
            // A whole-tenant list names no skill: its 404 is a path the API version does not
            // serve, not a skill that does not exist.
            (Check::Auth, _) => call_finding(error, StepId::Auth),
            (_, ClientError::Status { status: 404, .. }) => finding(
                &diagnose::rules::UNEXPECTED_RESPONSE,
                format!("{error}; the ACD API version in api_version may not serve this list"),
            ),
            _ => call_finding(error, StepId::Agents),
        };
        self.found(Subject::Tenant, check, located);
    }

    /// A list that was read, perhaps only up to the page cap.
    fn read<T>(
        &mut self,
        check: Check,
        list: Result<(T, Option<Truncated>), ClientError>,
    ) -> Option<T> {
        match list {
            Ok((items, cut)) => {
                self.checks.push((check, true));
                if let Some(cut) = cut {
                    self.found(
                        Subject::Tenant,
                        check,
                        truncated(&cut, "record", "the watch's counts cover only those"),
                    );
                }
                Some(items)
            }
            Err(error) => {
                self.failed(check, &error);
                None
            }
        }
    }
}

/// Answers with status 429 among the calls `stats` counts.
fn rate_limited(stats: &CallStats) -> u64 {
    stats
        .metrics
        .by_endpoint
        .iter()
        .filter(|((_, outcome), _)| *outcome == Outcome::Status(429))
        .map(|(_, n)| n)
        .sum()
}

/// Reads the tenant once: sign in (the client reuses its token until it is due), then the three
/// lists at once.
pub async fn round(client: &CxoneClient, watched: &Watched) -> Round {
    let started = Instant::now();
    let before = client.stats();
    let mut round = Round {
        checks: Vec::new(),
        skills: None,
        findings: Vec::new(),
        rate_limited: false,
        took: Duration::ZERO,
        rehearsal: None,
    };
    match client.session().await {
        Err(error) => round.failed(Check::Auth, &error),
        Ok(_) => {
            round.checks.push((Check::Auth, true));
            let (activity, assignments, states) = tokio::join!(
                client.queues(),
                client.all_assignments(),
                client.agent_states()
            );
            let activity = round.read(
                Check::SkillActivity,
                activity.map(|sweep| (sweep.queues, sweep.truncated)),
            );
            let assignments = round.read(Check::AgentAssignments, assignments);
            let states = round.read(Check::AgentStates, states);
            if let (Some(activity), Some(assignments), Some(states)) =
                (activity, assignments, states)
            {
                let rosters = rosters(&assignments, &states);
                round.skills = Some(skills(&mut round, watched, activity, &rosters));
            }
        }
    }
    let after = client.stats();
    // How long calls take is exported as a histogram; a finding for each slow round would only
    // flap, so HD807 is left to the dashboard.
    for located in call_findings(&before, &after, Duration::MAX) {
        round.found(Subject::Tenant, Check::Auth, located);
    }
    round.rate_limited = rate_limited(&after) > rate_limited(&before);
    round.took = started.elapsed();
    round
}

/// The watched skills' readings and findings, from the three lists.
fn skills(
    round: &mut Round,
    watched: &Watched,
    activity: Vec<QueueActivity>,
    rosters: &HashMap<String, Agents>,
) -> Vec<Reading> {
    let mut by_id: HashMap<String, QueueActivity> = activity
        .into_iter()
        .map(|a| (a.id.trim().to_string(), a))
        .collect();
    let ids: Vec<String> = match watched {
        Watched::All => {
            let mut ids: Vec<String> = by_id.keys().cloned().collect();
            ids.sort();
            ids
        }
        Watched::Skills(ids) => {
            // A skill named twice is watched once: its gauges and findings would collide.
            let mut seen = std::collections::HashSet::new();
            ids.iter()
                .map(|id| id.trim().to_string())
                .filter(|id| seen.insert(id.clone()))
                .collect()
        }
    };
    let none = Agents::default();
    let mut readings = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(activity) = by_id.remove(&id) else {
            round.found(
                Subject::Skill {
                    id: id.clone(),
                    name: String::new(),
                },
                Check::SkillActivity,
                finding(
                    &diagnose::rules::QUEUE_NOT_FOUND,
                    format!(
                        "skill {id} is not in the tenant's skill activity (GET skills/activity): it does not exist, or this business unit does not list it"
                    ),
                ),
            );
            continue;
        };
        let agents = rosters.get(&id).unwrap_or(&none);
        let active = activity.active.unwrap_or(true);
        let queue = Queue {
            id: id.clone(),
            name: activity.name.clone(),
            active,
            state: if active { "active" } else { "inactive" }.into(),
            media: activity.media,
            activity: Some(activity.clone()),
        };
        let subject = Subject::Skill {
            id: id.clone(),
            name: queue.name.clone(),
        };
        match queue_inactive(&queue) {
            Some(located) => round.found(subject, Check::SkillActivity, located),
            // An inactive skill takes no contacts: who is Available for it says nothing more.
            None => {
                for mut located in agents_findings(agents, Some(&queue)) {
                    located.finding.message =
                        format!("skill {id} \"{}\": {}", queue.name, located.finding.message);
                    round.found(subject.clone(), Check::AgentStates, located);
                }
            }
        }
        readings.push(Reading {
            id,
            name: queue.name,
            active,
            queued: activity.queued,
            available: agents.available,
            logged_in: agents.logged_in(),
        });
    }
    readings
}
