//! Scenarios: the tenant the mock plays and the faults it injects, as YAML. Every key is optional;
//! what a file leaves out comes from the healthy tenant, so a scenario states only what it changes.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// One line on what the scenario plays.
    pub description: String,
    pub tenant: Tenant,
    pub credentials: MockCredentials,
    /// Queues: CXone skills, also served as routing-v2 queues.
    pub skills: Vec<Skill>,
    pub agents: Vec<Agent>,
    /// Contacts a voicebot holds now, which it may signal (`POST interactions/{id}/signal`).
    pub contacts: Vec<BotContact>,
    /// Web-Studio scripts `GET scripts?scriptPath=` serves, by path.
    pub scripts: Vec<StudioScript>,
    pub faults: Faults,
    /// Changes to skills and agents at set times from the server's start, so a demo moves.
    pub timeline: Vec<Change>,
    /// The timeline starts over (from the tenant above) this many seconds after it started.
    pub timeline_repeat_seconds: Option<f64>,
    /// Generated skills and agents added to the scenario's own, for size tests. Loading a scenario
    /// adds them to `skills` and `agents` and clears this key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crowd: Option<Crowd>,
}

/// One moment on the timeline: what changes for one skill, and for some agents, at `at_seconds`.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub at_seconds: f64,
    /// The skill whose `active`, `queued` and `activity_available` change.
    #[serde(default)]
    pub skill: Option<u64>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub queued: Option<u32>,
    #[serde(default)]
    pub activity_available: Option<u32>,
    /// Agents whose `state` changes, by id.
    #[serde(default)]
    pub agents: Vec<u64>,
    /// Every agent assigned to this skill has its `state` changed too.
    #[serde(default)]
    pub agents_of_skill: Option<u64>,
    /// The ACD state the named agents go to.
    #[serde(default)]
    pub state: Option<String>,
}

/// A generated crowd: `skills` phone skills (ids from 5,000,000, named `Skill 0001`..) and
/// `agents` agents (ids from 100,000) in a fixed mix of states, each on `skills_per_agent` skills.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Crowd {
    pub skills: usize,
    pub agents: usize,
    pub skills_per_agent: usize,
}

const CROWD_FIRST_SKILL: u64 = 5_000_000;
const CROWD_FIRST_AGENT: u64 = 100_000;
/// The states crowd agents take in turn: most of a crowd can take contacts or is on one.
const CROWD_STATES: &[&str] = &[
    "Available",
    "Available",
    "Available",
    "Unavailable",
    "Unavailable",
    "InboundContact",
    "InboundContact",
    "LoggedOut",
    "LoggedOut",
    "OutboundContact",
];

impl Crowd {
    fn add_to(&self, skills: &mut Vec<Skill>, agents: &mut Vec<Agent>) {
        skills.extend((0..self.skills).map(|i| Skill {
            id: CROWD_FIRST_SKILL + i as u64,
            routing_id: None,
            name: format!("Skill {:04}", i + 1),
            media: phone(),
            active: true,
            queued: 0,
            script: None,
            activity_available: None,
        }));
        // Round robin, so every skill gets a share and neighbouring agents share few skills.
        agents.extend((0..self.agents).map(|i| {
            let skills = (0..self.skills_per_agent)
                .map(|j| CROWD_FIRST_SKILL + ((i * self.skills_per_agent + j) % self.skills) as u64)
                .collect();
            Agent::new(
                CROWD_FIRST_AGENT + i as u64,
                "Agent",
                &format!("{:05}", i + 1),
                CROWD_STATES[i % CROWD_STATES.len()],
                skills,
            )
        }));
    }
}

/// A Studio script the tenant holds: the shape of examples/studio/healthy.json (BEGIN, ONSIGNAL,
/// REQAGENT with its branches wired), queueing on `reqagent_skill`, or with no REQAGENT at all.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StudioScript {
    /// `Folder\Name`, as `scriptPath` names it.
    pub path: String,
    /// The skill name the REQAGENT's `Skill` property holds; none: the script has no REQAGENT.
    #[serde(default)]
    pub reqagent_skill: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BotContact {
    pub id: u64,
    /// The skill an escalation queues it into.
    pub skill: u64,
    /// Whether its script has an ONSIGNAL handler. Without one, a signal is accepted and the
    /// contact ends without reaching Queued: signalling the main contact instead of the spawned one.
    #[serde(default = "yes")]
    pub onsignal: bool,
}

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Tenant {
    pub tenant_id: String,
    pub business_unit: u64,
    pub cluster: String,
    /// Contact state names as this tenant spells them, by the mock's own name (`PreQueue: Prequeue`).
    /// NICE publishes no state names, so a client must learn them from `contact-state-descriptions`.
    pub state_names: BTreeMap<String, String>,
    /// Where a signalled script reads `p1`..`p9` from: `query` (the published spec), `body` (what
    /// NICE's Cognigy extension sends since 2026-03) or `both`.
    pub signal_reads: String,
}

/// The contact states the mock plays: its own name for each, the stable `contactStateId`, and the
/// category `contact-state-descriptions` gives it. NICE publishes no categories; these are the mock's.
pub(crate) const CONTACT_STATES: &[(&str, u32, &str)] = &[
    ("Incoming", 1, "Inbound"),
    ("PreQueue", 2, "Routing"),
    ("Queued", 3, "Queued"),
    ("Active", 4, "Active"),
    ("EndContact", 9, "Ended"),
];

impl Tenant {
    /// A contact state's name as this tenant spells it.
    pub fn state_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.state_names.get(name).map_or(name, String::as_str)
    }
}

/// What the mock accepts. Built-in scenarios use these defaults; they are test values, not secrets.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MockCredentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// The CXone skill id.
    pub id: u64,
    /// The same queue's id on the routing-v2 API (a UUID).
    #[serde(default)]
    pub routing_id: Option<String>,
    pub name: String,
    /// phone, chat, email, sms, workitem, voicemail, social, digital.
    #[serde(default = "phone")]
    pub media: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// Contacts already waiting.
    #[serde(default)]
    pub queued: u32,
    /// The Studio script spawned contacts run.
    #[serde(default)]
    pub script: Option<String>,
    /// The `agentsAvailable` the activity answers report instead of counting agents: the platform's
    /// own figure, stale or disagreeing with the assignments and agent states.
    #[serde(default)]
    pub activity_available: Option<u32>,
}

fn phone() -> String {
    "phone".into()
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    /// An ACD state name: Available, Unavailable, InboundContact, LoggedOut, ...
    pub state: String,
    /// Skill ids the agent is assigned to.
    #[serde(default)]
    pub skills: Vec<u64>,
    /// Whether the user is active (`isActive`); an inactive user takes no contacts.
    #[serde(default = "yes")]
    pub active: bool,
    /// Skills among `skills` whose assignment is inactive (`isSkillActive: false`).
    #[serde(default)]
    pub inactive_skills: Vec<u64>,
}

impl Agent {
    /// An active user in `state`, with an active assignment to each of `skills`.
    pub fn new(id: u64, first_name: &str, last_name: &str, state: &str, skills: Vec<u64>) -> Self {
        Self {
            id,
            first_name: first_name.into(),
            last_name: last_name.into(),
            state: state.into(),
            skills,
            active: true,
            inactive_skills: Vec::new(),
        }
    }

    /// Whether a contact in `skill` can reach this agent: an active user with an active assignment,
    /// the only kind the platform routes to and counts in a skill's activity.
    pub fn routable(&self, skill: u64) -> bool {
        self.active && self.skills.contains(&skill) && !self.inactive_skills.contains(&skill)
    }
}

#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every request.
    pub latency_ms: u64,
    /// Share of API calls (0 to 1) that answer 503.
    pub fail_rate: f64,
    /// The first N API calls answer 429.
    pub rate_limit_first: u32,
    /// With rate limiting: every other 429 carries `Retry-After` with these seconds.
    pub retry_after_seconds: Option<u64>,
    /// Tokens stop working once this many seconds old, whatever `expires_in` said; 0 refuses them at once.
    pub token_lifetime_seconds: Option<u64>,
    /// The token endpoints refuse every credential.
    pub reject_credentials: bool,
    /// API calls answer 403 (the access key's role lacks a permission).
    pub forbid_api: bool,
    /// Created contacts end in this state instead of reaching an agent (`PreQueue`).
    pub contacts_end_in: Option<String>,
    /// The agent a queued contact is offered to refuses it, for this reason (`Busy`), and the
    /// contact ends in the queue.
    pub agent_refuses: Option<String>,
    /// Answers lost after the request reached the tenant: `spawn` (`scripts/start`) and `signal`
    /// answer 504 after doing their work, so a client that retries places a second contact or signal.
    pub lose_answers: Vec<String>,
    /// `/.well-known/openid-configuration` answers 404, so a client must fall back to `/auth/token`.
    pub no_openid_configuration: bool,
    /// Every ACD GET that would answer 200 answers `{}` (`empty`) or wraps its answer as
    /// `{"resultSet": ...}` (`result-set`), as versions and gateways vary.
    pub answer_shape: Option<String>,
    /// Cognigy's API answers only under `/v2.0`, as some deployments do; `/new/v2.0` is 404.
    pub cognigy_v2_only: bool,
    /// Cognigy's lists give no `nextCursor`, only `total`, so a client must page with `skip`.
    pub cognigy_no_cursor: bool,
    /// The first request for a page of Cognigy's log past the first answers 500, once: a pull
    /// stops half way, as when a connection drops, and the next one is served whole.
    pub cognigy_logs_fail_once: bool,
    /// Cognigy's log is listed newest first: no public source says which order the API uses.
    pub cognigy_logs_newest_first: bool,
}

/// The answers `faults.lose_answers` can lose.
const LOSABLE_ANSWERS: &[&str] = &["spawn", "signal"];
const ANSWER_SHAPES: &[&str] = &["empty", "result-set"];
const SIGNAL_READS: &[&str] = &["query", "body", "both"];

impl Default for Tenant {
    fn default() -> Self {
        Self {
            tenant_id: "11eb0f1a-5d2c-4e4b-9a7c-0242ac120002".into(),
            business_unit: 4_600_123,
            cluster: "c32".into(),
            state_names: BTreeMap::new(),
            signal_reads: "query".into(),
        }
    }
}

impl Default for MockCredentials {
    fn default() -> Self {
        Self {
            access_key_id: "mock-access-key-id".into(),
            access_key_secret: "mock-access-key-secret".into(),
            client_id: "mock-client-id".into(),
            client_secret: "mock-client-secret".into(),
        }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            description: String::new(),
            tenant: Tenant::default(),
            credentials: MockCredentials::default(),
            skills: vec![
                Skill {
                    id: 4_012_345,
                    routing_id: Some("a1b2c3d4-5678-90ab-cdef-123456789012".into()),
                    name: "Billing Voice".into(),
                    media: "phone".into(),
                    active: true,
                    queued: 0,
                    script: Some("Handover\\Cognigy".into()),
                    activity_available: None,
                },
                Skill {
                    id: 4_012_346,
                    routing_id: Some("b2c3d4e5-6789-4abc-8def-234567890123".into()),
                    name: "Billing Chat".into(),
                    media: "chat".into(),
                    active: true,
                    queued: 0,
                    script: None,
                    activity_available: None,
                },
            ],
            agents: vec![
                Agent::new(9001, "Ana", "Lima", "Available", vec![4_012_345, 4_012_346]),
                Agent::new(9002, "Ben", "Okafor", "Available", vec![4_012_345]),
                Agent::new(9003, "Chen", "Wu", "InboundContact", vec![4_012_345]),
            ],
            contacts: vec![
                BotContact {
                    id: 123_456_789_012,
                    skill: 4_012_345,
                    onsignal: true,
                },
                BotContact {
                    id: 123_456_789_011,
                    skill: 4_012_345,
                    onsignal: false,
                },
            ],
            scripts: vec![
                StudioScript {
                    path: "Handover\\Cognigy".into(),
                    reqagent_skill: Some("Billing Voice".into()),
                },
                StudioScript {
                    path: "Handover\\NoAgent".into(),
                    reqagent_skill: None,
                },
                StudioScript {
                    path: "Handover\\OldSkill".into(),
                    reqagent_skill: Some("Billing Legacy".into()),
                },
            ],
            faults: Faults::default(),
            timeline: Vec::new(),
            timeline_repeat_seconds: None,
            crowd: None,
        }
    }
}

#[derive(thiserror::Error, Debug)]
#[error("{0}")]
pub struct ScenarioError(pub String);

/// The built-in scenarios, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("healthy", include_str!("../scenarios/healthy.yaml")),
    (
        "queue-paused",
        include_str!("../scenarios/queue-paused.yaml"),
    ),
    ("no-agents", include_str!("../scenarios/no-agents.yaml")),
    (
        "unknown-queue",
        include_str!("../scenarios/unknown-queue.yaml"),
    ),
    (
        "bad-credentials",
        include_str!("../scenarios/bad-credentials.yaml"),
    ),
    (
        "permission-denied",
        include_str!("../scenarios/permission-denied.yaml"),
    ),
    (
        "rate-limited",
        include_str!("../scenarios/rate-limited.yaml"),
    ),
    (
        "token-expiry",
        include_str!("../scenarios/token-expiry.yaml"),
    ),
    ("flaky", include_str!("../scenarios/flaky.yaml")),
    ("slow", include_str!("../scenarios/slow.yaml")),
    (
        "wrong-media-type",
        include_str!("../scenarios/wrong-media-type.yaml"),
    ),
    (
        "contact-drops",
        include_str!("../scenarios/contact-drops.yaml"),
    ),
    (
        "token-rejected",
        include_str!("../scenarios/token-rejected.yaml"),
    ),
    (
        "agent-refuses",
        include_str!("../scenarios/agent-refuses.yaml"),
    ),
    (
        "shift-change",
        include_str!("../scenarios/shift-change.yaml"),
    ),
    ("large", include_str!("../scenarios/large.yaml")),
];

impl Scenario {
    pub fn from_yaml(text: &str) -> Result<Self, ScenarioError> {
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(Self::default());
        }
        let mut scenario: Scenario =
            serde_saphyr::from_str(text).map_err(|e| ScenarioError(e.to_string()))?;
        if let Some(crowd) = scenario.crowd.take() {
            crowd.check()?;
            crowd.add_to(&mut scenario.skills, &mut scenario.agents);
        }
        scenario.check()?;
        Ok(scenario)
    }

    /// A built-in scenario by name.
    pub fn built_in(name: &str) -> Option<Self> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| Self::from_yaml(text).expect("built-in scenarios parse"))
    }

    fn check(&self) -> Result<(), ScenarioError> {
        if !(0.0..=1.0).contains(&self.faults.fail_rate) {
            return Err(ScenarioError(format!(
                "faults.fail_rate must be between 0 and 1, not {}",
                self.faults.fail_rate
            )));
        }
        for skill in &self.skills {
            if media_type_id(&skill.media).is_none() {
                return Err(ScenarioError(format!(
                    "skill {}: media `{}` is not one of phone, chat, email, sms, workitem, voicemail, social, digital",
                    skill.id, skill.media
                )));
            }
        }
        for agent in &self.agents {
            if let Some(skill) = agent
                .inactive_skills
                .iter()
                .find(|s| !agent.skills.contains(s))
            {
                return Err(ScenarioError(format!(
                    "agent {}: inactive_skills names skill {skill}, which is not among its skills",
                    agent.id
                )));
            }
        }
        let end_state = self.faults.contacts_end_in.as_deref();
        for name in self.tenant.state_names.keys() {
            if !CONTACT_STATES.iter().any(|(n, _, _)| n == name) && Some(name.as_str()) != end_state
            {
                let known: Vec<&str> = CONTACT_STATES.iter().map(|(n, _, _)| *n).collect();
                return Err(ScenarioError(format!(
                    "tenant.state_names: `{name}` is not one of the mock's states ({}) nor faults.contacts_end_in",
                    known.join(", ")
                )));
            }
        }
        one_of(
            "tenant.signal_reads",
            &self.tenant.signal_reads,
            SIGNAL_READS,
        )?;
        for answer in &self.faults.lose_answers {
            one_of("faults.lose_answers", answer, LOSABLE_ANSWERS)?;
        }
        if let Some(shape) = &self.faults.answer_shape {
            one_of("faults.answer_shape", shape, ANSWER_SHAPES)?;
        }
        self.check_ids()?;
        self.check_timeline()
    }

    /// Ids are how changes, assignments and requests name skills and agents: each names one.
    fn check_ids(&self) -> Result<(), ScenarioError> {
        let mut skills = HashSet::new();
        if let Some(skill) = self.skills.iter().find(|s| !skills.insert(s.id)) {
            return Err(ScenarioError(format!(
                "skill id {} is used twice",
                skill.id
            )));
        }
        let mut agents = HashSet::new();
        if let Some(agent) = self.agents.iter().find(|a| !agents.insert(a.id)) {
            return Err(ScenarioError(format!(
                "agent id {} is used twice",
                agent.id
            )));
        }
        Ok(())
    }

    fn check_timeline(&self) -> Result<(), ScenarioError> {
        let skills: HashSet<u64> = self.skills.iter().map(|s| s.id).collect();
        let agents: HashSet<u64> = self.agents.iter().map(|a| a.id).collect();
        let mut last = 0.0_f64;
        for (i, change) in self.timeline.iter().enumerate() {
            let at = change.at_seconds;
            let error = |problem: String| {
                Err(ScenarioError(format!(
                    "timeline[{i}] (at_seconds {at}): {problem}"
                )))
            };
            if !(at.is_finite() && at >= 0.0) {
                return error("at_seconds must be a number of seconds from 0".into());
            }
            last = last.max(at);
            let changes_skill = change.active.is_some()
                || change.queued.is_some()
                || change.activity_available.is_some();
            let names_agents = !change.agents.is_empty() || change.agents_of_skill.is_some();
            if changes_skill != change.skill.is_some() {
                return error(
                    "`skill` and at least one of active, queued, activity_available go together"
                        .into(),
                );
            }
            if names_agents != change.state.is_some() {
                return error("`state` and `agents` or `agents_of_skill` go together".into());
            }
            if !changes_skill && !names_agents {
                return error("changes nothing: name a skill or agents".into());
            }
            if let Some(id) = change
                .skill
                .iter()
                .chain(&change.agents_of_skill)
                .find(|id| !skills.contains(id))
            {
                return error(format!("no skill {id} in the scenario"));
            }
            if let Some(id) = change.agents.iter().find(|id| !agents.contains(id)) {
                return error(format!("no agent {id} in the scenario"));
            }
        }
        match self.timeline_repeat_seconds {
            Some(repeat) if !(repeat.is_finite() && repeat > last) => Err(ScenarioError(format!(
                "timeline_repeat_seconds ({repeat}) must be longer than the last change's at_seconds ({last})"
            ))),
            _ => Ok(()),
        }
    }
}

impl Crowd {
    fn check(&self) -> Result<(), ScenarioError> {
        if self.skills_per_agent > self.skills {
            return Err(ScenarioError(format!(
                "crowd.skills_per_agent ({}) must be at most crowd.skills ({})",
                self.skills_per_agent, self.skills
            )));
        }
        Ok(())
    }
}

fn one_of(key: &str, value: &str, allowed: &[&str]) -> Result<(), ScenarioError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(ScenarioError(format!(
        "{key}: `{value}` is not one of {}",
        allowed.join(", ")
    )))
}

/// CXone's media type id and name for a media word.
pub fn media_type_id(media: &str) -> Option<(u32, &'static str)> {
    Some(match media.to_ascii_lowercase().as_str() {
        "email" => (1, "Email"),
        "chat" => (3, "Chat"),
        "phone" | "voice" => (4, "Phone Call"),
        "voicemail" => (5, "Voice Mail"),
        "workitem" | "work-item" => (6, "Work Item"),
        "sms" => (7, "SMS"),
        "social" => (8, "Social"),
        "digital" => (9, "Digital"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_parses_and_differs_from_healthy_where_it_says() {
        for (name, _) in BUILT_IN {
            let s = Scenario::built_in(name).unwrap();
            assert!(!s.description.is_empty(), "{name} has a description");
        }
        assert!(!Scenario::built_in("queue-paused").unwrap().skills[0].active);
        assert!(
            Scenario::built_in("bad-credentials")
                .unwrap()
                .faults
                .reject_credentials
        );
        assert_eq!(Scenario::built_in("healthy").unwrap().skills.len(), 2);
        let shift = Scenario::built_in("shift-change").unwrap();
        assert_eq!(shift.timeline_repeat_seconds, Some(60.0));
        assert_eq!(shift.timeline.len(), 4);
        assert!(shift.description.contains("60 s"), "{}", shift.description);
    }

    #[test]
    fn large_is_the_healthy_tenant_and_a_crowd_built_fast() {
        let started = std::time::Instant::now();
        let large = Scenario::built_in("large").unwrap();
        let took = started.elapsed();
        // 100 ms is the promise for a release build; a debug build on a busy machine gets room.
        assert!(took < std::time::Duration::from_millis(500), "{took:?}");
        assert_eq!(large.skills.len(), 2 + 2_000);
        assert_eq!(large.agents.len(), 3 + 10_000);
        assert_eq!(large.crowd, None);
        assert_eq!(large.skills[2].id, 5_000_000);
        assert_eq!(large.skills[2].name, "Skill 0001");
        assert_eq!(large.skills.last().unwrap().name, "Skill 2000");
        let crowd = &large.agents[3..];
        assert_eq!(crowd[0].id, 100_000);
        assert!(crowd.iter().all(|a| a.skills.len() == 3));
        assert_eq!(crowd[1].skills, [5_000_003, 5_000_004, 5_000_005]);
        let count = |state: &str| crowd.iter().filter(|a| a.state == state).count();
        assert_eq!(count("Available"), 3_000);
        assert_eq!(count("LoggedOut"), 2_000);
        // Round robin gives every skill the same share of the 30,000 assignments.
        let on_last_skill = crowd
            .iter()
            .filter(|a| a.skills.contains(&5_001_999))
            .count();
        assert_eq!(on_last_skill, 15);
        assert!(large.description.contains("10,000 agents"));
    }

    #[test]
    fn a_bad_timeline_or_crowd_says_what_is_wrong() {
        for (yaml, problem) in [
            (
                "timeline:\n  - {at_seconds: 1, skill: 4099999, active: false}\n",
                "timeline[0] (at_seconds 1): no skill 4099999 in the scenario",
            ),
            (
                "timeline:\n  - {at_seconds: 1, agents_of_skill: 7, state: LoggedOut}\n",
                "no skill 7 in the scenario",
            ),
            (
                "timeline:\n  - {at_seconds: 1, agents: [9001, 9999], state: LoggedOut}\n",
                "no agent 9999 in the scenario",
            ),
            (
                "timeline:\n  - {at_seconds: -1, skill: 4012345, queued: 2}\n",
                "at_seconds must be a number of seconds from 0",
            ),
            (
                "timeline:\n  - {at_seconds: 1, agents: [9001]}\n",
                "`state` and `agents` or `agents_of_skill` go together",
            ),
            (
                "timeline:\n  - {at_seconds: 1, skill: 4012345}\n",
                "`skill` and at least one of active, queued, activity_available go together",
            ),
            ("timeline:\n  - {at_seconds: 1}\n", "changes nothing"),
            (
                "timeline:\n  - {at_seconds: 1, skill: 4012345, activ: false}\n",
                "activ",
            ),
            (
                "timeline_repeat_seconds: 30\ntimeline:\n  - {at_seconds: 45, skill: 4012345, queued: 0}\n  - {at_seconds: 15, skill: 4012345, queued: 3}\n",
                "timeline_repeat_seconds (30) must be longer than the last change's at_seconds (45)",
            ),
            (
                "timeline_repeat_seconds: 0\n",
                "timeline_repeat_seconds (0) must be longer",
            ),
            (
                "crowd: {skills: 2, agents: 5, skills_per_agent: 3}\n",
                "crowd.skills_per_agent (3) must be at most crowd.skills (2)",
            ),
            (
                "agents:\n  - {id: 100000, first_name: A, last_name: B, state: Available}\ncrowd: {skills: 1, agents: 1, skills_per_agent: 1}\n",
                "agent id 100000 is used twice",
            ),
            (
                "skills:\n  - {id: 1, name: A}\n  - {id: 1, name: B}\n",
                "skill id 1 is used twice",
            ),
        ] {
            let e = Scenario::from_yaml(yaml).unwrap_err();
            assert!(e.0.contains(problem), "{yaml}: {e}");
        }
        let crowd_skill = Scenario::from_yaml(
            "crowd: {skills: 1, agents: 1, skills_per_agent: 1}\ntimeline:\n  - {at_seconds: 0, agents_of_skill: 5000000, state: LoggedOut}\n",
        )
        .unwrap();
        assert_eq!(crowd_skill.agents.len(), 4);
    }

    #[test]
    fn a_bad_scenario_says_what_is_wrong() {
        let e = Scenario::from_yaml("faults:\n  fail_rate: 2\n").unwrap_err();
        assert!(e.0.contains("fail_rate"), "{e}");
        let e = Scenario::from_yaml("skillz: []\n").unwrap_err();
        assert!(e.0.contains("skillz"), "{e}");
    }

    #[test]
    fn word_valued_keys_name_the_words_they_take() {
        for (yaml, words) in [
            (
                "faults:\n  lose_answers: [spawn, status]\n",
                "spawn, signal",
            ),
            ("faults:\n  answer_shape: wrapped\n", "empty, result-set"),
            ("tenant:\n  signal_reads: form\n", "query, body, both"),
        ] {
            let e = Scenario::from_yaml(yaml).unwrap_err();
            assert!(e.0.contains(words), "{yaml}: {e}");
        }
        let s = Scenario::from_yaml(
            "faults:\n  lose_answers: [spawn, signal]\n  answer_shape: result-set\ntenant:\n  signal_reads: both\n",
        )
        .unwrap();
        assert_eq!(s.faults.lose_answers, ["spawn", "signal"]);
    }

    #[test]
    fn state_names_and_inactive_skills_must_name_what_exists() {
        let e = Scenario::from_yaml("tenant:\n  state_names: {Prequeue: PQ}\n").unwrap_err();
        assert!(e.0.contains("`Prequeue`"), "{e}");
        Scenario::from_yaml(
            "tenant:\n  state_names: {Abandoned: abandoned}\nfaults:\n  contacts_end_in: Abandoned\n",
        )
        .unwrap();
        let e = Scenario::from_yaml(
            "agents:\n  - {id: 1, first_name: A, last_name: B, state: Available, skills: [1], inactive_skills: [2]}\n",
        )
        .unwrap_err();
        assert!(e.0.contains("skill 2"), "{e}");
    }

    #[test]
    fn new_keys_default_to_the_published_behaviour() {
        let s = Scenario::from_yaml(
            "agents:\n  - {id: 1, first_name: A, last_name: B, state: Available, skills: [7]}\n",
        )
        .unwrap();
        assert!(s.agents[0].active && s.agents[0].routable(7));
        assert_eq!(s.tenant.signal_reads, "query");
        assert_eq!(s.tenant.state_name("PreQueue"), "PreQueue");
        assert_eq!(s.skills[0].activity_available, None);
        assert!(s.faults.lose_answers.is_empty() && s.faults.answer_shape.is_none());
        let tokens = |name| {
            Scenario::built_in(name)
                .unwrap()
                .faults
                .token_lifetime_seconds
        };
        assert_eq!(tokens("token-expiry"), Some(1));
        assert_eq!(tokens("token-rejected"), Some(0));
    }
}
