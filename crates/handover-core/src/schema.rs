//! The JSON Schema (draft 2020-12) of the `transfer-context` contract, for editors and other tools.
//! It says what a schema can say; the rules say more (calling codes, stand-ins, duplicate keys).

use schemars::{JsonSchema, Schema, json_schema};
use serde_json::{Map, Value};

use crate::settings::Api;

/// A handover payload as the bot sends it. Other keys beside `transferContext` are allowed: bots wrap payloads.
#[derive(JsonSchema)]
#[schemars(title = "Handover payload (transfer-context contract)")]
#[allow(
    dead_code,
    reason = "the type exists only to describe the payload's schema"
)]
struct Payload {
    #[serde(rename = "transferContext")]
    transfer_context: TransferContext,
}

/// What the contact center needs to route the handed-over contact.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(
    dead_code,
    reason = "the type exists only to describe the payload's schema"
)]
struct TransferContext {
    /// The target queue: a CXone skill id, or a queue UUID on the routing-v2 API.
    #[schemars(schema_with = "queue_id_cxone")]
    queue_id: String,
    participant: Participant,
    /// Any data for the agent or the Studio script; at most 64 kB serialised by default.
    #[serde(default)]
    custom_attributes: Map<String, Value>,
    /// A specific flow version to run.
    #[serde(default)]
    #[schemars(regex(
        pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ))]
    flow_version_id: String,
}

/// The caller.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(
    dead_code,
    reason = "the type exists only to describe the payload's schema"
)]
struct Participant {
    /// The caller's name as the agent will see it.
    #[schemars(regex(pattern = r"\S"))]
    name: String,
    /// The caller's number in E.164: `+`, then 2 to 15 digits, the first not 0.
    #[schemars(regex(pattern = r"^\+[1-9][0-9]{1,14}$"))]
    phone_number: String,
}

fn queue_id_cxone(_: &mut schemars::SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A CXone skill id: a positive integer, as a string of digits or a JSON integer.",
        "oneOf": [
            {"type": "string", "pattern": "^[0-9]*[1-9][0-9]*$"},
            {"type": "integer", "minimum": 1}
        ]
    })
}

fn queue_id_routing_v2() -> Value {
    serde_json::json!({
        "description": "A routing-v2 queue id: a canonical 8-4-4-4-12 hex UUID.",
        "type": "string",
        "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    })
}

/// The schema for one API profile.
pub fn transfer_context(api: Api) -> Value {
    let mut schema = schemars::schema_for!(Payload).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$id".into(),
            Value::String(format!(
                "https://handover-doctor.invalid/schema/transfer-context/{}.json",
                api.as_str()
            )),
        );
    }
    if api == Api::RoutingV2
        && let Some(queue_id) = schema.pointer_mut("/$defs/TransferContext/properties/queueId")
    {
        *queue_id = queue_id_routing_v2();
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_draft_2020_12_with_the_contract_fields() {
        let schema = transfer_context(Api::Cxone);
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["required"], serde_json::json!(["transferContext"]));
        let context = &schema["$defs"]["TransferContext"];
        assert_eq!(
            context["required"],
            serde_json::json!(["queueId", "participant"])
        );
        assert_eq!(
            context["properties"]["queueId"]["oneOf"][1]["type"],
            "integer"
        );
        let participant = &schema["$defs"]["Participant"];
        assert_eq!(
            participant["required"],
            serde_json::json!(["name", "phoneNumber"])
        );
    }

    #[test]
    fn routing_v2_wants_a_uuid() {
        let schema = transfer_context(Api::RoutingV2);
        let queue_id = &schema["$defs"]["TransferContext"]["properties"]["queueId"];
        assert_eq!(queue_id["type"], "string");
        assert!(queue_id["pattern"].as_str().unwrap().contains("{12}"));
    }
}
