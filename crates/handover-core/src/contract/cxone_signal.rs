//! The `cxone-signal` contract: what a Cognigy voicebot's Exit Interaction node is configured to send
//! to CXone to escalate or end (`action`, `businessNumber`, `contactId`, `spawnedContactId`,
//! `optionalParamsObject`), or a signal request as captured (`p1`..`p9`, bare or under `body` or
//! `query`).
//!
//! Source: NICE's extension in `Cognigy/Extensions`, `extensions/cxone` (pull-request refs only):
//! 1.0.9 at 2c0c7ae4, 1.0.11 at d4817ae4, with 1.0.5 (74231a74) and 1.0.6 (4b8d84b5) for the legacy
//! fields. A captured signal whose `p1` is exactly `Escalate` or `End` is Exit Interaction's
//! (`sendSignalHandover`, p1 = the action, p2 = the JSON of `optionalParamsObject`); any other `p1`
//! is Signal Interaction's (`sendSignal`), whose parameters are free text.

use super::{
    Contract, Facts, SENTINEL_CONTACT_ID, has_root_key, id_text, integer_id, json_in_string,
    text_of,
};
use crate::context::{At, Context};
use crate::json::{Document, Kind, quote};

pub struct CxoneSignal;

crate::catalog! {
    SIGNAL_INVALID_CONTACT_ID = "HD910", "signal-invalid-contact-id", Error,
        "`contactId` or `spawnedContactId` is empty or not a positive integer",
        "Map the ids from the SIP headers: `contactId` from X-InContact-MasterId, `spawnedContactId` from X-InContact-ContactId. On a voice call Context Init leaves them empty when those headers did not arrive, and Exit Interaction then sends no signal.";
    SIGNAL_SENTINEL_CONTACT_ID = "HD911", "signal-sentinel-contact-id", Error,
        "a contact id is 100000000000, the placeholder Context Init writes for a non-voice chat without a contact id",
        "The payload came from a Cognigy test chat or webchat, not from a CXone contact, and Exit Interaction sends nothing for it. Test the handover from a real CXone contact; on voice, map the ids from X-InContact-MasterId and X-InContact-ContactId, never from a test context.";
    SIGNAL_TOO_MANY_PARAMETERS = "HD912", "signal-too-many-parameters", Error,
        "a signal carries more than 9 parameters, or one named outside p1..p9",
        "CXone's signal API (POST interactions/{contactId}/signal) defines p1..p9 only: put the rest into one parameter as a JSON string.";
    SIGNAL_INVALID_ACTION = "HD913", "signal-invalid-action", Error,
        "Exit Interaction's `action` is not Escalate or End",
        "Exit Interaction offers exactly `Escalate` and `End`; from 1.0.10 on it throws on any other value, and it sends the action as the signal's p1.";
    SIGNAL_PARAMETER_NOT_JSON = "HD914", "signal-parameter-not-json", Warning,
        "`p2` of an Escalate or End signal is not a string holding valid JSON",
        "Exit Interaction 1.0.8 and later send p2 as JSON.stringify(optionalParamsObject); a free-text p2 comes from 1.0.5/1.0.6's stringArray mode or a hand-built request, and a script written for the current node will not parse it.";
    SIGNAL_PARAMETERS_NOT_ARRAY = "HD915", "signal-parameters-not-array", Warning,
        "`optionalParamsObject` is not a JSON array, so Exit Interaction drops it",
        "From 1.0.8 on Exit Interaction sends p2 only for a non-empty array and drops anything else without a word: wrap the objects in an array.";
    SIGNAL_MISSING_FIELD = "HD916", "signal-missing-field", Error,
        "Exit Interaction's `action`, `contactId` or `spawnedContactId` is missing",
        "Exit Interaction needs `action`, `contactId` and `spawnedContactId`, required fields of the node; without `spawnedContactId` it sends no signal on a voice call.";
    SIGNAL_INVALID_BUSINESS_NUMBER = "HD917", "signal-invalid-business-number", Warning,
        "`businessNumber` is not the business unit's number (digits)",
        "Set the business unit number (Admin > Account Info), digits only; Exit Interaction sends it to CXone's transcript service as `busId`.";
    SIGNAL_ACTION_NEAR_MISS = "HD918", "signal-action-near-miss", Warning,
        "a captured signal's `p1` is close to Escalate or End (another case, or up to 2 edits away) but not exactly either",
        "Only p1 exactly `Escalate` or `End` is Exit Interaction's signal; anything else is a Signal Interaction signal with free-text parameters. If you meant the handover, send the exact word.";
    SIGNAL_LEGACY_FIELD = "HD919", "signal-legacy-field", Warning,
        "Exit Interaction's config has a field that only older versions of the node read",
        "Exit Interaction 1.0.8 and later read only `action`, `businessNumber`, `contactId`, `spawnedContactId` and `optionalParamsObject`: move what the old field carried into `optionalParamsObject`, or remove it.";
}

const ACTIONS: &[&str] = &["Escalate", "End"];

/// Exit Interaction's fields that 1.0.8 and later no longer read, with the versions that did.
const LEGACY_FIELDS: &[(&str, &str)] = &[
    (
        "transferIntent",
        "a field of Exit Interaction 1.0.6 only (\"Exit Reason or Intent\"); from 1.0.8 on the node ignores it, and the chat envelope's `data.Intent` is always the action",
    ),
    (
        "optionalParamsMode",
        "a field of Exit Interaction 1.0.5 and 1.0.6 (singleObject or stringArray); from 1.0.8 on the node ignores it and always sends `optionalParamsObject` as one JSON string in p2",
    ),
    (
        "optionalParamsArray",
        "a field of Exit Interaction 1.0.5 and 1.0.6 (stringArray mode: p2, p3, ...); from 1.0.8 on the node ignores it, and these parameters are not sent",
    ),
    (
        "optionalParams",
        "Exit Interaction's parameters field of 1.0.1 to 1.0.3, kept hidden in 1.0.5 and 1.0.6; from 1.0.8 on the node ignores it, and these parameters are not sent",
    ),
];

impl Contract for CxoneSignal {
    fn name(&self) -> &'static str {
        "cxone-signal"
    }

    fn description(&self) -> &'static str {
        "a voicebot's Exit Interaction config, or a captured CXone signal (p1..p9)"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        has_root_key(
            doc,
            &[
                "spawnedContactId",
                "optionalParamsObject",
                "businessNumber",
                "p1",
            ],
            false,
        ) || (has_root_key(doc, &["action"], false) && has_root_key(doc, &["contactId"], false))
            || holders(doc)
                .iter()
                .flatten()
                .any(|&o| doc.get(o, "p1").is_some())
    }

    fn schema(&self, _: crate::Api) -> serde_json::Value {
        json_schema()
    }

    /// The contact to signal and the parameters, as a captured request carries them (bare, under
    /// `body` or `query`, or split between the two as 1.0.8 to 1.0.10 send them), else as Exit
    /// Interaction's config builds them: p1 the action, p2 the optional parameters as one JSON
    /// string, only when there are any.
    fn facts(&self, doc: &Document<'_>) -> Facts {
        if doc.kind(0) != Kind::Object {
            return Facts::default();
        }
        let object = |key: &str| doc.get(0, key).filter(|&n| doc.kind(n) == Kind::Object);
        let places = [Some(0), object("body"), object("query")];
        let captured: Vec<String> = (1..=9)
            .map_while(|i| {
                let key = format!("p{i}");
                places
                    .iter()
                    .flatten()
                    .find_map(|&place| doc.get(place, &key))
            })
            .map(|node| text_of(doc, node))
            .collect();
        let signal_params = if captured.is_empty() {
            let action = doc
                .get(0, "action")
                .filter(|&n| doc.kind(n) == Kind::String)
                .map(|n| doc.str(n).into_owned());
            let optional = doc
                .get(0, "optionalParamsObject")
                .filter(|&n| doc.kind(n) == Kind::Array && doc.children(n).next().is_some())
                .map(|n| doc.compact(n));
            match action {
                Some(action) => std::iter::once(action).chain(optional).collect(),
                None => Vec::new(),
            }
        } else {
            captured
        };
        Facts {
            signal_contact: id_text(doc, doc.get(0, "spawnedContactId"))
                .or_else(|| id_text(doc, doc.get(0, "contactId"))),
            signal_params,
            ..Facts::default()
        }
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let found = holders(cx.doc);
        let p1 = found.iter().flatten().find_map(|&o| cx.doc.get(o, "p1"));
        match p1 {
            Some(p1) => check_captured(cx, &found, p1),
            None => check_exit_interaction(cx),
        }
    }
}

/// The objects a captured signal's parameters stand in: the root, its `body` and its `query`. They
/// are read together because 1.0.8 to 1.0.10 send Exit Interaction's p1 in the query and p2 in the
/// body (`cxone-utils.ts` at 2c0c7ae4), while 1.0.11 sends all in the body.
fn holders(doc: &Document<'_>) -> [Option<usize>; 3] {
    if doc.kind(0) != Kind::Object {
        return [None; 3];
    }
    let nested = |key| doc.get(0, key).filter(|&o| doc.kind(o) == Kind::Object);
    [Some(0), nested("body"), nested("query")]
}

/// The parameter members (`p1`, `P7`, `p10`...) of the holders, with their numbers.
fn parameters<'a>(
    doc: &'a Document<'_>,
    found: &'a [Option<usize>; 3],
) -> impl Iterator<Item = (usize, u32)> + 'a {
    found
        .iter()
        .flatten()
        .flat_map(move |&o| doc.children(o))
        .filter_map(move |m| parameter_index(&doc.key(m)).map(|i| (m, i)))
}

fn parameter_index(key: &str) -> Option<u32> {
    key.strip_prefix(['p', 'P'])?.parse().ok()
}

/// Escalate or End when `value` is one of them in another case or up to two edits away, as the
/// issue's "did you mean" asks; `None` when it is exactly one, or nothing like either.
fn near_miss(value: &str) -> Option<&'static str> {
    // Longer than "Escalate" plus two edits cannot be a near miss: most free text stops here, before
    // the allocating comparison.
    if value.len() > "Escalate".len() + 2 || ACTIONS.contains(&value) {
        return None;
    }
    crate::text::did_you_mean(value, ACTIONS)
}

fn check_action(cx: &mut Context<'_, '_>, node: usize) {
    let doc = cx.doc;
    if doc.kind(node) == Kind::String && cx.holds_template(node) {
        return;
    }
    let value = if doc.kind(node) == Kind::String {
        doc.str(node).into_owned()
    } else {
        doc.raw(node).to_string()
    };
    if ACTIONS.contains(&value.as_str()) {
        return;
    }
    let reported = cx.report(
        &SIGNAL_INVALID_ACTION,
        At::Value(node),
        format!("`action` is {}, not Escalate or End", quote(&value)),
    );
    if let Some(action) = ACTIONS
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
    {
        reported.replace_with(quote(action));
    }
}

fn check_captured(cx: &mut Context<'_, '_>, found: &[Option<usize>; 3], p1: usize) {
    let doc = cx.doc;
    let count = parameters(doc, found).count();
    let beyond = parameters(doc, found).find(|&(_, i)| i > 9 || i == 0);
    if count > 9 {
        // Point at a parameter the API does not define; with duplicates only, at the last one.
        let (member, _) = beyond
            .or_else(|| parameters(doc, found).last())
            .expect("more than 9");
        cx.report(
            &SIGNAL_TOO_MANY_PARAMETERS,
            At::Key(member),
            format!(
                "the signal carries {count} parameters; CXone's signal API defines p1..p9 only"
            ),
        );
    } else if let Some((member, _)) = beyond {
        cx.report(
            &SIGNAL_TOO_MANY_PARAMETERS,
            At::Key(member),
            format!(
                "parameter `{}` does not exist: CXone's signal API defines p1..p9",
                doc.key(member)
            ),
        );
    }
    if doc.kind(p1) != Kind::String || cx.holds_template(p1) {
        // Signal Interaction passes any value through as p1: free text, nothing to check.
        return;
    }
    let value = doc.str(p1);
    if ACTIONS.contains(&value.as_ref()) {
        check_exit_p2(cx, found);
        return;
    }
    if let Some(action) = near_miss(&value) {
        let reported = cx.report(
            &SIGNAL_ACTION_NEAR_MISS,
            At::Value(p1),
            format!(
                "`p1` is {}: did you mean `{action}`? Only exactly `Escalate` or `End` is Exit Interaction's signal; as sent, this is a Signal Interaction signal with free-text parameters",
                quote(&value)
            ),
        );
        // Only a difference of case or surrounding space is safe to rewrite; "Send" may be meant.
        if action.eq_ignore_ascii_case(value.trim()) {
            reported.replace_with(quote(action));
        }
    }
}

/// Exit Interaction's p2: from 1.0.8 on, JSON.stringify of `optionalParamsObject`.
fn check_exit_p2(cx: &mut Context<'_, '_>, found: &[Option<usize>; 3]) {
    let doc = cx.doc;
    let Some(p2) = found.iter().flatten().find_map(|&o| doc.get(o, "p2")) else {
        return;
    };
    if doc.kind(p2) != Kind::String {
        cx.report(
            &SIGNAL_PARAMETER_NOT_JSON,
            At::Value(p2),
            format!(
                "`p2` of an Exit Interaction signal is a {}; Exit Interaction 1.0.8 and later send it as a string, the JSON of optionalParamsObject",
                doc.kind(p2).name()
            ),
        );
    } else if !cx.holds_template(p2) {
        json_in_string(
            cx,
            p2,
            &SIGNAL_PARAMETER_NOT_JSON,
            "`p2` of an Exit Interaction signal",
        );
    }
}

fn check_contact_id(cx: &mut Context<'_, '_>, field: &str, header: &str) {
    let doc = cx.doc;
    let Some(node) = doc.get(0, field) else {
        cx.report(
            &SIGNAL_MISSING_FIELD,
            At::MissingIn(0),
            format!("`{field}` is missing: it is a required field of Exit Interaction"),
        );
        return;
    };
    if doc.kind(node) == Kind::String && cx.holds_template(node) {
        return;
    }
    match integer_id(doc, node) {
        None => {
            let message = if doc.kind(node) == Kind::String && doc.str(node).trim().is_empty() {
                format!(
                    "`{field}` is empty: on a voice call Context Init fills it from the SIP header {header}, so that header did not arrive; Exit Interaction sends no signal without both ids"
                )
            } else {
                let shown = if doc.kind(node) == Kind::String {
                    quote(&doc.str(node))
                } else {
                    doc.raw(node).to_string()
                };
                format!("`{field}` {shown} is not a contact id (a positive integer)")
            };
            cx.report(&SIGNAL_INVALID_CONTACT_ID, At::Value(node), message);
        }
        Some(id) if id == SENTINEL_CONTACT_ID => {
            cx.report(
                &SIGNAL_SENTINEL_CONTACT_ID,
                At::Value(node),
                format!("`{field}` is {SENTINEL_CONTACT_ID}, the placeholder Context Init writes only on a non-voice channel without a contact id: this payload came from a Cognigy test chat or webchat, not from a CXone contact, and Exit Interaction sends nothing for it"),
            );
        }
        Some(_) => {}
    }
}

fn check_exit_interaction(cx: &mut Context<'_, '_>) {
    let doc = cx.doc;
    if doc.kind(0) != Kind::Object {
        return;
    }
    match doc.get(0, "action") {
        Some(action) => check_action(cx, action),
        None => {
            cx.report(
                &SIGNAL_MISSING_FIELD,
                At::MissingIn(0),
                "`action` is missing (Escalate or End)",
            );
        }
    }
    check_contact_id(cx, "contactId", "X-InContact-MasterId");
    check_contact_id(cx, "spawnedContactId", "X-InContact-ContactId");
    if let Some(number) = doc.get(0, "businessNumber")
        && !(doc.kind(number) == Kind::String && cx.holds_template(number))
        && integer_id(doc, number).is_none()
    {
        cx.report(
            &SIGNAL_INVALID_BUSINESS_NUMBER,
            At::Value(number),
            format!(
                "`businessNumber` {} is not a business unit number",
                doc.raw(number)
            ),
        );
    }
    if let Some(optional) = doc.get(0, "optionalParamsObject")
        && doc.kind(optional) != Kind::Array
        && !(doc.kind(optional) == Kind::String && cx.holds_template(optional))
    {
        cx.report(
            &SIGNAL_PARAMETERS_NOT_ARRAY,
            At::Value(optional),
            format!(
                "`optionalParamsObject` is a {}, not an array: Exit Interaction 1.0.8 and later send no p2 for it, so these parameters are lost (1.0.5 and 1.0.6's singleObject mode sent any value)",
                doc.kind(optional).name()
            ),
        );
    }
    for member in doc.children(0) {
        let key = doc.key(member);
        if let Some((_, versions)) = LEGACY_FIELDS.iter().find(|(name, _)| *name == key) {
            cx.report(
                &SIGNAL_LEGACY_FIELD,
                At::Key(member),
                format!("`{key}` is {versions}"),
            );
        }
    }
}

/// The JSON Schema (draft 2020-12) of what this contract checks: Exit Interaction's config, or a
/// captured signal. The rules say more than a schema can: the sentinel id, near misses of the
/// action, legacy fields by version.
fn json_schema() -> serde_json::Value {
    let contact_id = |header: &str| {
        serde_json::json!({
            "description": format!("A CXone contact id, a positive integer as digits or a JSON integer. Context Init fills it from the SIP header {header} on a voice call (init-context.ts at Cognigy/Extensions@2c0c7ae4). 100000000000 is its placeholder for a non-voice chat without a contact id, and Exit Interaction sends nothing for it (handover.ts at @d4817ae4, SENTINEL_CONTACT_ID in src/config/index.ts)."),
            "oneOf": [
                {"type": "string", "pattern": "^[0-9]*[1-9][0-9]*$", "not": {"const": SENTINEL_CONTACT_ID}},
                {"type": "integer", "minimum": 1, "not": {"const": 100_000_000_000_u64}}
            ]
        })
    };
    let parameter = serde_json::json!({
        "description": "A signal parameter. Exit Interaction and Signal Interaction send strings (cxone-api-client.ts at Cognigy/Extensions@d4817ae4); Signal Interaction does not check the type of what it passes on."
    });
    let mut parameters = serde_json::Map::new();
    for i in 1..=9 {
        parameters.insert(format!("p{i}"), parameter.clone());
    }
    let signal = serde_json::json!({
        "type": "object",
        "description": "CXone's signal API (POST interactions/{contactId}/signal) defines p1..p9 (calljacob/nice-cxone-api, src/services/admin/AdminContactsService.ts, generated from NICE's OpenAPI).",
        "properties": parameters,
        "patternProperties": {"^[pP](0|[1-9][0-9]+)$": false}
    });
    let exit_p2 = serde_json::json!({
        "if": {"properties": {"p1": {"enum": ACTIONS}}, "required": ["p1"]},
        "then": {"properties": {"p2": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": "Exit Interaction 1.0.8 and later: JSON.stringify(optionalParamsObject), sent only when that array is not empty (handover.ts at Cognigy/Extensions@d4817ae4)."
        }}}
    });
    let legacy = |versions: &str| serde_json::json!({"deprecated": true, "description": versions});
    let mut exit_properties = serde_json::Map::new();
    exit_properties.insert(
        "action".into(),
        serde_json::json!({
            "enum": ACTIONS,
            "description": "Exit Action: Escalate to Agent or End Conversation; sent as p1. From 1.0.10 on the node throws on any other value (handover.ts at Cognigy/Extensions@d4817ae4)."
        }),
    );
    exit_properties.insert(
        "businessNumber".into(),
        serde_json::json!({
            "description": "The CXone Business Unit Number, sent to the transcript service as busId (tms-payload.ts at Cognigy/Extensions@d4817ae4).",
            "type": ["string", "integer"],
            "pattern": "^[0-9]+$"
        }),
    );
    exit_properties.insert("contactId".into(), contact_id("X-InContact-MasterId"));
    exit_properties.insert(
        "spawnedContactId".into(),
        contact_id("X-InContact-ContactId"),
    );
    exit_properties.insert(
        "optionalParamsObject".into(),
        serde_json::json!({
            "type": "array",
            "description": "Parameters (optional): Array of JSON Objects. Sent as p2, JSON.stringify of the array, only when it is not empty; anything but an array is dropped (handover.ts at Cognigy/Extensions@d4817ae4)."
        }),
    );
    for (name, versions) in LEGACY_FIELDS {
        exit_properties.insert((*name).into(), legacy(versions));
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CXone signal (cxone-signal contract)",
        "description": "Exit Interaction's config (node handoverToCXone of NICE's Cognigy extension, Cognigy/Extensions extensions/cxone, 1.0.9 to 1.0.11), or a signal request as captured: p1..p9 bare, or under body and query. A p1 of exactly Escalate or End is Exit Interaction's signal; any other p1 is Signal Interaction's, with free-text parameters.",
        "oneOf": [
            {
                "title": "Captured signal",
                "anyOf": [
                    {"allOf": [signal.clone(), exit_p2.clone(), {"required": ["p1"]}]},
                    {"type": "object", "required": ["body"], "properties": {"body": {"allOf": [signal.clone(), exit_p2.clone()]}}},
                    {"type": "object", "required": ["query"], "properties": {"query": {"allOf": [signal, exit_p2]}}}
                ]
            },
            {
                "title": "Exit Interaction config",
                "type": "object",
                "required": ["action", "contactId", "spawnedContactId"],
                "not": {"required": ["p1"]},
                "properties": exit_properties
            }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_draft_2020_12_and_cites_the_source() {
        let schema = json_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "CXone signal (cxone-signal contract)");
        assert!(
            schema["description"]
                .as_str()
                .unwrap()
                .contains("Cognigy/Extensions")
        );
        let exit = &schema["oneOf"][1];
        assert_eq!(
            exit["properties"]["action"]["enum"],
            serde_json::json!(ACTIONS)
        );
        assert_eq!(
            exit["required"],
            serde_json::json!(["action", "contactId", "spawnedContactId"])
        );
        assert_eq!(exit["properties"]["transferIntent"]["deprecated"], true);
        let captured = &schema["oneOf"][0]["anyOf"][0]["allOf"][0];
        assert!(captured["properties"]["p9"].is_object());
        assert!(captured["properties"].get("p10").is_none());
    }
}
