//! Wire models, parsed leniently: every field has a default, renamed fields have aliases, ids may be
//! numbers or strings, and lists may come as one object. The API's versions disagree; a diagnosis
//! should not fail because a field moved.

use serde::{Deserialize, Deserializer};

/// An id the API sends as a number in one version and a string in another.
fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// A count the API may send as a number, a numeric string, or null.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().map_or(0, |n| n.min(u32::MAX as u64) as u32),
        serde_json::Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

/// A flag the API may send as a boolean, `"True"`/`"false"`, or 0/1.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Some(b),
        serde_json::Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        serde_json::Value::Number(n) => n.as_u64().map(|n| n != 0),
        _ => None,
    })
}

/// A list that may come as one object.
fn one_or_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
        Nothing(()),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::Many(v) => v,
        OneOrMany::One(t) => vec![t],
        OneOrMany::Nothing(()) => Vec::new(),
    })
}

// ---- CXone ------------------------------------------------------------------------------------

/// `POST /auth/token` and the access-key endpoint.
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct TokenResponse {
    #[serde(alias = "accessToken")]
    pub access_token: String,
    #[serde(alias = "idToken")]
    pub id_token: Option<String>,
    #[serde(alias = "expiresIn", deserialize_with = "count")]
    pub expires_in: u32,
    #[serde(alias = "tokenType")]
    pub token_type: Option<String>,
    /// The API base, in legacy token answers.
    pub resource_server_base_uri: Option<String>,
}

/// `GET {iss}/.well-known/cxone-configuration?tenantId=`.
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct CxoneConfiguration {
    #[serde(alias = "apiEndpoint")]
    pub api_endpoint: Option<String>,
    #[serde(alias = "authEndpoint")]
    pub auth_endpoint: Option<String>,
    pub area: Option<String>,
    pub cluster: Option<String>,
    pub domain: Option<String>,
}

/// A skill: what CXone calls a queue.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct Skill {
    #[serde(deserialize_with = "id")]
    pub skill_id: String,
    pub skill_name: String,
    #[serde(deserialize_with = "id")]
    pub media_type_id: String,
    pub media_type_name: Option<String>,
    #[serde(deserialize_with = "flag", alias = "active")]
    pub is_active: Option<bool>,
    #[serde(deserialize_with = "flag")]
    pub is_outbound: Option<bool>,
    pub script_name: Option<String>,
}

/// `GET skills/{id}`: a flat skill in v23 and later, `{skills: [...]}` in some versions.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum SkillAnswer {
    Wrapped {
        #[serde(deserialize_with = "one_or_many")]
        skills: Vec<Skill>,
    },
    Flat(Skill),
}

impl SkillAnswer {
    pub fn into_skill(self) -> Option<Skill> {
        match self {
            SkillAnswer::Wrapped { skills } => skills.into_iter().next(),
            SkillAnswer::Flat(skill) => Some(skill),
        }
    }
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct SkillActivity {
    #[serde(deserialize_with = "id")]
    pub skill_id: String,
    pub skill_name: String,
    #[serde(deserialize_with = "flag")]
    pub is_active: Option<bool>,
    #[serde(deserialize_with = "id")]
    pub media_type_id: String,
    #[serde(deserialize_with = "count")]
    pub agents_available: u32,
    #[serde(deserialize_with = "count")]
    pub agents_logged_in: u32,
    #[serde(deserialize_with = "count")]
    pub agents_unavailable: u32,
    #[serde(deserialize_with = "count")]
    pub agents_working: u32,
    #[serde(deserialize_with = "count", rename = "agentsACW", alias = "agentsAcw")]
    pub agents_acw: u32,
    #[serde(deserialize_with = "count", alias = "inQueue", alias = "queueCount")]
    pub queue_count: u32,
    #[serde(deserialize_with = "count")]
    pub contacts_active: u32,
    pub earliest_queue_time: Option<String>,
}

/// `GET skills/{id}/activity` and `GET skills/activity`: `skillActivity` is an array even for one skill.
#[derive(Deserialize, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SkillActivityAnswer {
    pub last_poll_time: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub skill_activity: Vec<SkillActivity>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentSkillAssignment {
    #[serde(deserialize_with = "id")]
    pub agent_id: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(deserialize_with = "flag")]
    pub is_active: Option<bool>,
    #[serde(deserialize_with = "flag")]
    pub is_skill_active: Option<bool>,
}

/// `GET skills/{id}/agents`.
#[derive(Deserialize, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SkillAgentsAnswer {
    #[serde(deserialize_with = "count")]
    pub total_records: u32,
    #[serde(deserialize_with = "one_or_many", alias = "agents")]
    pub agent_skill_assignments: Vec<AgentSkillAssignment>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentState {
    #[serde(deserialize_with = "id")]
    pub agent_id: String,
    #[serde(alias = "stateName", alias = "currentState")]
    pub agent_state_name: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(deserialize_with = "id")]
    pub contact_id: String,
    pub out_state_description: Option<String>,
}

/// `GET agents/states`.
#[derive(Deserialize, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentStatesAnswer {
    pub last_poll_time: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub agent_states: Vec<AgentState>,
}

/// `POST scripts/start`.
#[derive(Deserialize, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SpawnAnswer {
    #[serde(deserialize_with = "id", alias = "ContactId", alias = "contactID")]
    pub contact_id: String,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct ContactStateEntry {
    #[serde(deserialize_with = "count")]
    pub state_index: u32,
    #[serde(deserialize_with = "id")]
    pub contact_state_id: String,
    #[serde(alias = "stateName")]
    pub contact_state_name: String,
    #[serde(alias = "startDateTime")]
    pub start_date: Option<String>,
    #[serde(deserialize_with = "id")]
    pub skill_id: String,
    #[serde(deserialize_with = "id")]
    pub agent_id: String,
}

/// `GET contacts/{id}/state-history`.
#[derive(Deserialize, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct StateHistoryAnswer {
    #[serde(deserialize_with = "one_or_many", alias = "stateHistory")]
    pub contact_state_history: Vec<ContactStateEntry>,
}

// ---- routing-v2 -------------------------------------------------------------------------------

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct RoutingQueue {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub name: String,
    pub status: Option<String>,
    #[serde(deserialize_with = "count")]
    pub max_concurrent_calls: u32,
    pub wrap_up_codes: Vec<serde_json::Value>,
    pub media_type: Option<String>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default)]
pub struct RoutingAgentStatus {
    pub name: String,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default)]
pub struct RoutingAgent {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "flag")]
    pub available: Option<bool>,
    pub status: RoutingAgentStatus,
}

#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct RoutingAgentsAnswer {
    #[serde(deserialize_with = "one_or_many", alias = "entities")]
    pub items: Vec<RoutingAgent>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct RoutingInteraction {
    #[serde(deserialize_with = "id")]
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skill_flat_or_wrapped() {
        let flat: SkillAnswer = serde_json::from_str(
            r#"{"skillId": 42, "skillName": "Billing", "mediaTypeId": 4, "isActive": true}"#,
        )
        .unwrap();
        let skill = flat.into_skill().unwrap();
        assert_eq!(
            (
                skill.skill_id.as_str(),
                skill.media_type_id.as_str(),
                skill.is_active
            ),
            ("42", "4", Some(true))
        );
        let wrapped: SkillAnswer = serde_json::from_str(
            r#"{"skills": [{"skillId": "42", "skillName": "Billing", "isActive": "False"}]}"#,
        )
        .unwrap();
        let skill = wrapped.into_skill().unwrap();
        assert_eq!(
            (skill.skill_id.as_str(), skill.is_active),
            ("42", Some(false))
        );
        let single: SkillAnswer = serde_json::from_str(r#"{"skills": {"skillId": 7}}"#).unwrap();
        assert_eq!(single.into_skill().unwrap().skill_id, "7");
    }

    #[test]
    fn skill_activity_is_a_list_even_when_sent_as_one() {
        let many: SkillActivityAnswer = serde_json::from_str(
            r#"{"lastPollTime": "2026-11-24T10:00:00Z", "skillActivity": [{"skillId": 1, "agentsAvailable": "3", "queueCount": 2, "agentsACW": 1}]}"#,
        )
        .unwrap();
        assert_eq!(many.skill_activity[0].agents_available, 3);
        assert_eq!(many.skill_activity[0].queue_count, 2);
        assert_eq!(many.skill_activity[0].agents_acw, 1);
        let one: SkillActivityAnswer =
            serde_json::from_str(r#"{"skillActivity": {"skillId": 1, "inQueue": 5}}"#).unwrap();
        assert_eq!(one.skill_activity.len(), 1);
        assert_eq!(one.skill_activity[0].queue_count, 5);
        let none: SkillActivityAnswer = serde_json::from_str(r#"{"skillActivity": null}"#).unwrap();
        assert!(none.skill_activity.is_empty());
    }

    #[test]
    fn unknown_and_missing_fields_are_fine() {
        let states: AgentStatesAnswer = serde_json::from_str(
            r#"{"agentStates": [{"agentId": 9, "stateName": "Available", "newField": [1]}]}"#,
        )
        .unwrap();
        assert_eq!(states.agent_states[0].agent_state_name, "Available");
        let spawn: SpawnAnswer = serde_json::from_str(r#"{"contactId": 123456789012}"#).unwrap();
        assert_eq!(spawn.contact_id, "123456789012");
        let token: TokenResponse =
            serde_json::from_str(r#"{"access_token": "t", "expires_in": "3600"}"#).unwrap();
        assert_eq!(token.expires_in, 3600);
    }
}
