//! Wire models, parsed leniently: every field has a default, renamed fields have aliases, ids may be
//! numbers or strings, and lists may come as one object. The API's versions disagree; a diagnosis
//! should not fail because a field moved.

use serde::{Deserialize, Deserializer};

/// An id the API sends as a number in one version and a string in another.
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
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
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
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

/// Text, when it is text and not empty; anything else is none.
pub(crate) fn some_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        _ => None,
    })
}

/// An id sent as a string or a number; anything else, empty, or 0 (which the API sends for "no
/// agent") is none.
pub(crate) fn some_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|id| !id.is_empty() && id != "0"))
}

/// Seconds as a number (whole or not), a numeric string, or null for unknown.
pub(crate) fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let seconds = match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    Ok(seconds
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| s.round().min(f64::from(u32::MAX)) as u32))
}

/// A list that may come as one object, or as null for none.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
    Nothing(()),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(v) => v,
            OneOrMany::One(t) => vec![t],
            OneOrMany::Nothing(()) => Vec::new(),
        }
    }
}

fn one_or_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(OneOrMany::deserialize(d)?.into_vec())
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

/// `GET skills/{id}`: a flat skill in v23 and later, `{skills: [...]}` in some versions. An answer
/// with neither a `skillId` nor a `skills` list is not a skill: `None`, never an empty skill.
pub fn skill_of(value: serde_json::Value) -> Option<Skill> {
    let value = match value {
        serde_json::Value::Object(object) => {
            serde_json::Value::Object(unwrapped(object, &["skills", "skillId"]))
        }
        other => other,
    };
    let skill = match value {
        serde_json::Value::Object(mut object) if object.contains_key("skills") => {
            let skills: OneOrMany<Skill> = serde_json::from_value(object.remove("skills")?).ok()?;
            skills.into_vec().into_iter().next()?
        }
        object @ serde_json::Value::Object(_) => serde_json::from_value(object).ok()?,
        _ => return None,
    };
    Some(skill).filter(|s| !s.skill_id.trim().is_empty())
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

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentSkillAssignment {
    #[serde(deserialize_with = "id")]
    pub agent_id: String,
    pub first_name: String,
    pub last_name: String,
    /// `agents/skills` names the agent in one field, where `skills/{id}/agents` gives two.
    pub agent_name: String,
    /// Which skill: `agents/skills` lists every skill's assignments in one list.
    #[serde(deserialize_with = "id")]
    pub skill_id: String,
    #[serde(deserialize_with = "flag")]
    pub is_active: Option<bool>,
    #[serde(deserialize_with = "flag")]
    pub is_skill_active: Option<bool>,
    /// `agents/skills` only, beside `isActive`; the spec does not say how the two differ, so an
    /// assignment routes only when neither is false.
    #[serde(deserialize_with = "flag")]
    pub is_agent_active: Option<bool>,
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

/// `GET contact-state-descriptions`: the tenant's names for its contact states, in PascalCase.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(default)]
pub struct ContactStateDescription {
    #[serde(
        deserialize_with = "id",
        rename = "ContactStateId",
        alias = "contactStateId"
    )]
    pub id: String,
    #[serde(
        rename = "ContactStateDescription",
        alias = "contactStateDescription",
        alias = "ContactStateName",
        alias = "contactStateName"
    )]
    pub name: String,
    #[serde(rename = "ContactStateCategory", alias = "contactStateCategory")]
    pub category: Option<String>,
}

/// The answer, or the object inside its `resultSet` when only that holds one of `keys`. A
/// live-tested client reports that some endpoints wrap their answer so: the one wrapper known, it
/// is opened; any other is reported, not guessed through.
fn unwrapped(
    mut object: serde_json::Map<String, serde_json::Value>,
    keys: &[&str],
) -> serde_json::Map<String, serde_json::Value> {
    let holds = |inner: &serde_json::Map<String, serde_json::Value>| {
        keys.iter().any(|k| inner.contains_key(*k))
    };
    if !holds(&object)
        && matches!(object.get("resultSet"), Some(serde_json::Value::Object(inner)) if holds(inner))
        && let Some(serde_json::Value::Object(inner)) = object.remove("resultSet")
    {
        return inner;
    }
    object
}

/// What an answer the client does not understand was expected to be, and what it was.
#[derive(Debug, PartialEq, Eq)]
pub struct Misread {
    pub expected: String,
    pub got: String,
}

/// One page of a list answer.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `totalRecords`: the whole list's length, when the API says.
    pub total: Option<u32>,
    /// `_links.next` names a next page.
    pub more: bool,
}

/// Reads one page of a list answer whose list is under `keys[0]` (or an older spelling in `keys`).
/// An answer without that key is not an empty list: it is an answer the client does not know,
/// such as a list inside a `resultSet` wrapper, and saying "no agents" for it would be a guess.
pub fn page_of<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    keys: &[&str],
) -> Result<Page<T>, Misread> {
    let expected = || format!("a list under `{}`", keys[0]);
    let serde_json::Value::Object(object) = value else {
        return Err(Misread {
            expected: expected(),
            got: format!(
                "JSON that is not an object: {}",
                crate::error::excerpt(&value.to_string())
            ),
        });
    };
    let mut object = unwrapped(object, keys);
    let Some(list) = keys.iter().find_map(|k| object.remove(*k)) else {
        let found: Vec<&str> = object.keys().map(String::as_str).take(8).collect();
        return Err(Misread {
            expected: expected(),
            got: if found.is_empty() {
                "an empty object".to_string()
            } else {
                format!("an object with only {}", found.join(", "))
            },
        });
    };
    let items: OneOrMany<T> = serde_json::from_value(list).map_err(|e| Misread {
        expected: expected(),
        got: format!("`{}` that is not a list of records ({e})", keys[0]),
    })?;
    let total = object.get("totalRecords").and_then(|t| match t {
        serde_json::Value::Number(n) => n.as_u64().map(|n| n.min(u64::from(u32::MAX)) as u32),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let more = object
        .get("_links")
        .and_then(|l| l.get("next"))
        .and_then(serde_json::Value::as_str)
        .is_some_and(|next| !next.trim().is_empty());
    Ok(Page {
        items: items.into_vec(),
        total,
        more,
    })
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
        let skill = skill_of(serde_json::json!(
            {"skillId": 42, "skillName": "Billing", "mediaTypeId": 4, "isActive": true}
        ))
        .unwrap();
        assert_eq!(
            (
                skill.skill_id.as_str(),
                skill.media_type_id.as_str(),
                skill.is_active
            ),
            ("42", "4", Some(true))
        );
        let skill = skill_of(serde_json::json!(
            {"skills": [{"skillId": "42", "skillName": "Billing", "isActive": "False"}]}
        ))
        .unwrap();
        assert_eq!(
            (skill.skill_id.as_str(), skill.is_active),
            ("42", Some(false))
        );
        let single = skill_of(serde_json::json!({"skills": {"skillId": 7}})).unwrap();
        assert_eq!(single.skill_id, "7");
        let result_set = skill_of(serde_json::json!({"resultSet": {"skillId": 8}})).unwrap();
        assert_eq!(result_set.skill_id, "8");
    }

    #[test]
    fn an_answer_without_a_skill_id_is_no_skill() {
        for odd in [
            serde_json::json!({}),
            serde_json::json!({"skillName": "Billing", "isActive": true}),
            serde_json::json!({"data": {"skillId": 42}}),
            serde_json::json!({"resultSet": {"skillName": "Billing"}}),
            serde_json::json!({"skills": []}),
            serde_json::json!([{"skillId": 42}]),
        ] {
            assert!(skill_of(odd.clone()).is_none(), "{odd}");
        }
    }

    #[test]
    fn skill_activity_is_a_list_even_when_sent_as_one() {
        let many: Page<SkillActivity> = page_of(
            serde_json::json!({"lastPollTime": "2026-11-24T10:00:00Z", "skillActivity": [{"skillId": 1, "agentsAvailable": "3", "queueCount": 2, "agentsACW": 1}]}),
            &["skillActivity"],
        )
        .unwrap();
        assert_eq!(many.items[0].agents_available, 3);
        assert_eq!(many.items[0].queue_count, 2);
        assert_eq!(many.items[0].agents_acw, 1);
        let one: Page<SkillActivity> = page_of(
            serde_json::json!({"skillActivity": {"skillId": 1, "inQueue": 5}}),
            &["skillActivity"],
        )
        .unwrap();
        assert_eq!(one.items.len(), 1);
        assert_eq!(one.items[0].queue_count, 5);
        let none: Page<SkillActivity> = page_of(
            serde_json::json!({"skillActivity": null}),
            &["skillActivity"],
        )
        .unwrap();
        assert!(none.items.is_empty());
    }

    #[test]
    fn a_page_says_how_many_there_are_and_whether_more_follow() {
        let page: Page<AgentSkillAssignment> = page_of(
            serde_json::json!({
                "totalRecords": 130,
                "agentSkillAssignments": [{"agentId": 1, "isSkillActive": false}],
                "_links": {"self": "x", "next": "https://api/skills/1/agents?skip=50&top=50"}
            }),
            &["agentSkillAssignments"],
        )
        .unwrap();
        assert_eq!((page.total, page.more), (Some(130), true));
        assert_eq!(page.items[0].is_skill_active, Some(false));
        let last: Page<AgentSkillAssignment> = page_of(
            serde_json::json!({"totalRecords": "130", "agentSkillAssignments": [], "_links": {"self": "x"}}),
            &["agentSkillAssignments"],
        )
        .unwrap();
        assert_eq!((last.total, last.more), (Some(130), false));
    }

    #[test]
    fn a_list_under_a_key_the_client_does_not_know_is_not_an_empty_list() {
        let e = page_of::<AgentState>(
            serde_json::json!({"data": {"agentStates": []}}),
            &["agentStates"],
        )
        .unwrap_err();
        assert_eq!(
            e,
            Misread {
                expected: "a list under `agentStates`".into(),
                got: "an object with only data".into()
            }
        );
        let e = page_of::<AgentState>(serde_json::json!({}), &["agentStates"]).unwrap_err();
        assert_eq!(e.got, "an empty object");
    }

    #[test]
    fn a_result_set_wrapper_is_opened() {
        let page: Page<AgentState> = page_of(
            serde_json::json!({"resultSet": {"totalRecords": "2", "agentStates": [{"agentId": 1}, {"agentId": 2}]}}),
            &["agentStates"],
        )
        .unwrap();
        assert_eq!((page.items.len(), page.total), (2, Some(2)));
        let e = page_of::<AgentState>(serde_json::json!({"resultSet": {}}), &["agentStates"])
            .unwrap_err();
        assert_eq!(e.got, "an object with only resultSet");
    }

    #[test]
    fn state_names_come_in_pascal_case() {
        let page: Page<ContactStateDescription> = page_of(
            serde_json::json!({"contactStateDescriptions": [
                {"ContactStateId": 2, "ContactStateDescription": "Prequeue", "ContactStateCategory": "Routing"}
            ]}),
            &["contactStateDescriptions"],
        )
        .unwrap();
        let d = &page.items[0];
        assert_eq!(
            (d.id.as_str(), d.name.as_str(), d.category.as_deref()),
            ("2", "Prequeue", Some("Routing"))
        );
    }

    #[test]
    fn a_completed_contact_is_read_leniently() {
        let page: Page<crate::CompletedContact> = page_of(
            serde_json::json!({"totalRecords": "1", "completedContacts": [{
                "contactID": 42, "masterContactId": "41", "agentId": 0, "skillId": 7,
                "contactStart": "2026-11-24T10:00:00Z", "endReason": "", "abandoned": "True",
                "isRefused": 0, "preQueueSeconds": "12.6", "inQueueSeconds": 30.2,
                "agentSeconds": null, "totalDurationSeconds": -1, "newField": {"x": 1}
            }]}),
            &["completedContacts"],
        )
        .unwrap();
        let c = &page.items[0];
        assert_eq!(c.contact_id, "42");
        assert_eq!(c.master_contact_id.as_deref(), Some("41"));
        assert_eq!(
            (c.agent_id.as_deref(), c.skill_id.as_deref()),
            (None, Some("7"))
        );
        assert_eq!(c.started.as_deref(), Some("2026-11-24T10:00:00Z"));
        assert_eq!(c.end_reason, None);
        assert_eq!((c.abandoned, c.refused), (Some(true), Some(false)));
        assert_eq!(
            (c.pre_queue_seconds, c.in_queue_seconds),
            (Some(13), Some(30))
        );
        assert_eq!((c.agent_seconds, c.total_seconds), (None, None));
    }

    #[test]
    fn unknown_and_missing_fields_are_fine() {
        let states: Page<AgentState> = page_of(
            serde_json::json!({"agentStates": [{"agentId": 9, "stateName": "Available", "newField": [1]}]}),
            &["agentStates"],
        )
        .unwrap();
        assert_eq!(states.items[0].agent_state_name, "Available");
        let spawn: SpawnAnswer = serde_json::from_str(r#"{"contactId": 123456789012}"#).unwrap();
        assert_eq!(spawn.contact_id, "123456789012");
        let token: TokenResponse =
            serde_json::from_str(r#"{"access_token": "t", "expires_in": "3600"}"#).unwrap();
        assert_eq!(token.expires_in, 3600);
    }
}
