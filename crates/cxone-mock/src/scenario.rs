//! Scenarios: the tenant the mock plays and the faults it injects, as YAML. Every key is optional;
//! what a file leaves out comes from the healthy tenant, so a scenario states only what it changes.

use std::collections::BTreeMap;

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
];

impl Scenario {
    pub fn from_yaml(text: &str) -> Result<Self, ScenarioError> {
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(Self::default());
        }
        let scenario: Scenario =
            serde_saphyr::from_str(text).map_err(|e| ScenarioError(e.to_string()))?;
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
