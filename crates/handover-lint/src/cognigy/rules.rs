//! The flow's rules (HD960-HD969), beside the checks that raise them.
//!
//! Sources: NICE's extension in `Cognigy/Extensions`, `extensions/cxone` (pull-request refs only):
//! Exit Interaction (`src/nodes/handover.ts`, node type `handoverToCXone`) at 1.0.11 (d4817ae4),
//! 1.0.6 (4b8d84b5) and 1.0.5 (74231a74); Context Init (`src/nodes/init-context.ts`, node type
//! `setCxoneContextInit`) at 1.0.9 (21ec1f37). The nodes are matched by type alone: a chart names a
//! custom extension by its package name, which a team can change, while the type is the node's.

use handover_core::json::Kind;

use super::Chart;
use super::graph::FlowNode;
use super::script;

handover_core::catalog! {
    CONTACT_ID_UNBOUND = "HD960", "exit-node-contact-id-unbound", Error,
        "Exit Interaction's `contactId` or `spawnedContactId` is missing, empty, a literal or the sentinel 100000000000",
        "Bind the ids to what Context Init fills in: `contactId` to `{{context.data.contactId}}` and `spawnedContactId` to `{{context.data.spawnedContactId}}`. Exit Interaction signals CXone only when both are non-empty and neither is 100000000000; otherwise it sends nothing and says nothing.";
    CONTACT_ID_OTHER_PATH = "HD961", "exit-node-contact-id-path", Warning,
        "Exit Interaction's `contactId` or `spawnedContactId` reads something other than `context.data.contactId` / `context.data.spawnedContactId`",
        "Context Init writes the ids to `context.data.contactId` (from X-InContact-MasterId) and `context.data.spawnedContactId` (from X-InContact-ContactId). Read those, unless the flow fills the path you read another way before the handover.";
    CONTEXT_INIT_MISSING = "HD962", "context-init-missing", Warning,
        "a path from the flow's start reaches Exit Interaction without an enabled Context Init",
        "Put Context Init (CXone extension 1.0.9) right after the flow's start, so that `context.data.contactId` and `context.data.spawnedContactId` hold the call's ids. If another flow runs Context Init before this one, or the flow fills the ids another way, this warning does not apply.";
    TRANSFER_INTENT_MISSING = "HD963", "exit-node-transfer-intent-missing", Warning,
        "an Exit Interaction node made by extension 1.0.5 or earlier has no `transferIntent`, which 1.0.6 reads",
        "Exit Interaction 1.0.6 calls transferIntent.trim() and throws on a node without the field; from 1.0.8 on the field is not read. Open the node and save it again with the installed extension, or update the extension to 1.0.8 or later.";
    OPTIONAL_PARAMS_INVALID = "HD964", "exit-node-optional-params-invalid", Warning,
        "`optionalParams*` is not valid for its mode: `optionalParamsObject` is not a JSON array, or stringArray mode without an `optionalParamsArray` array",
        "From 1.0.8 on Exit Interaction sends p2 only for a non-empty array in `optionalParamsObject` and drops anything else without a word: wrap the objects in an array. In 1.0.5 and 1.0.6, stringArray mode sends `optionalParamsArray` only when it is an array.";
}

/// Node type of NICE's Exit Interaction.
pub const EXIT_INTERACTION: &str = "handoverToCXone";
/// Node type of NICE's Context Init.
pub const CONTEXT_INIT: &str = "setCxoneContextInit";

const SENTINEL: &str = "100000000000";

/// Runs every flow rule on one Exit Interaction node.
pub fn check_exit_interaction(chart: &mut Chart<'_, '_>, node: usize) {
    for (field, expected) in [
        ("contactId", "context.data.contactId"),
        ("spawnedContactId", "context.data.spawnedContactId"),
    ] {
        check_contact_id(chart, node, field, expected);
    }
    check_context_init(chart, node);
    check_transfer_intent(chart, node);
    check_optional_params(chart, node);
}

/// HD960 and HD961: the ids Exit Interaction signals with. Source: handover.ts at d4817ae4 (the
/// signal is sent only `if (contactId && spawnedContactId && isVoice && contactId !==
/// SENTINEL_CONTACT_ID && ...)`); init-context.ts at 21ec1f37 (where the ids are written).
fn check_contact_id(chart: &mut Chart<'_, '_>, node: usize, field: &str, expected: &str) {
    let Some(value) = chart.field(node, field) else {
        chart.missing(
            &CONTACT_ID_UNBOUND,
            node,
            format!("`{field}` is missing, so Exit Interaction signals nothing"),
        );
        return;
    };
    let doc = chart.doc;
    if doc.kind(value) != Kind::String {
        let raw = doc.raw(value).to_string();
        chart.at(
            &CONTACT_ID_UNBOUND,
            node,
            value,
            format!("`{field}` is the literal {raw}, not CognigyScript: every call would signal the same contact"),
        );
        return;
    }
    let text = doc.str(value);
    let reads = script::reads(&text);
    let literal = script::literal(&text, &reads);
    let message = if text.trim().is_empty() {
        Some(format!(
            "`{field}` is empty, so Exit Interaction signals nothing"
        ))
    } else if text.trim() == SENTINEL {
        Some(format!(
            "`{field}` is the sentinel {SENTINEL}, the test-chat placeholder Exit Interaction never signals"
        ))
    } else if reads.is_empty() {
        Some(format!(
            "`{field}` is the literal \"{}\", not CognigyScript: every call would signal the same contact",
            text.trim()
        ))
    } else {
        None
    };
    if let Some(message) = message {
        chart.at(&CONTACT_ID_UNBOUND, node, value, message);
        return;
    }
    let bound = reads.len() == 1 && reads[0].path == expected && literal.trim().is_empty();
    if !bound {
        let read: Vec<String> = reads.iter().map(|r| format!("`{}`", r.path)).collect();
        let extra = if literal.trim().is_empty() {
            String::new()
        } else {
            format!(" with the text \"{}\" around it", literal.trim())
        };
        chart.at(
            &CONTACT_ID_OTHER_PATH,
            node,
            value,
            format!(
                "`{field}` reads {}{extra}, not `{expected}`",
                read.join(" and ")
            ),
        );
    }
}

/// HD962: Context Init before Exit Interaction. Source: init-context.ts at 21ec1f37 (the only
/// place the extension writes `context.data.contactId`); a flow that another flow calls or
/// switches to may have run Context Init there, so this is a warning.
fn check_context_init(chart: &mut Chart<'_, '_>, node: usize) {
    let flow = &chart.flow;
    let is_init = |n: &FlowNode| n.kind == CONTEXT_INIT;
    if !flow.reachable(node) || !flow.reaches_avoiding(node, is_init) {
        return;
    }
    let inits: Vec<usize> = flow.of_kind(CONTEXT_INIT).collect();
    let enabled = inits.iter().filter(|&&i| !flow.nodes[i].disabled).count();
    let message = match (inits.as_slice(), enabled) {
        ([], _) => "the flow has no Context Init, so on this flow alone the ids it reads are empty".to_string(),
        ([only], 0) => format!(
            "the only Context Init, node {}, is disabled, so on this flow alone the ids it reads are empty",
            chart.name(*only)
        ),
        (_, 0) => "every Context Init in the flow is disabled, so on this flow alone the ids it reads are empty".to_string(),
        _ => "a path from the flow's start reaches it without passing an enabled Context Init".to_string(),
    };
    let kind = chart
        .doc
        .get(chart.flow.nodes[node].at, "type")
        .unwrap_or(chart.flow.nodes[node].at);
    chart.at(&CONTEXT_INIT_MISSING, node, kind, message);
}

/// HD963: a field Exit Interaction 1.0.6 reads and older nodes lack. Source: handover.ts at
/// 4b8d84b5 (1.0.6: `transferIntent.trim()`), 74231a74 (1.0.5: `optionalParamsMode`, no
/// `transferIntent`) and f2d525e2 (1.0.8: neither is read any more).
fn check_transfer_intent(chart: &mut Chart<'_, '_>, node: usize) {
    let old = ["optionalParamsMode", "optionalParams"]
        .iter()
        .any(|key| chart.field(node, key).is_some());
    if old && chart.field(node, "transferIntent").is_none() {
        chart.missing(
            &TRANSFER_INTENT_MISSING,
            node,
            "the node was made by extension 1.0.5 or earlier (it has `optionalParamsMode` or `optionalParams`) and has no `transferIntent`, so Exit Interaction 1.0.6 throws on it".to_string(),
        );
    }
}

/// HD964: the optional parameters for the mode they are in. Source: handover.ts at d4817ae4
/// (`Array.isArray(optionalParamsObject) && optionalParamsObject.length > 0`) and at 4b8d84b5
/// (`mode === "stringArray" && Array.isArray(optionalParamsArray)`); the same fact as HD915.
fn check_optional_params(chart: &mut Chart<'_, '_>, node: usize) {
    let doc = chart.doc;
    let mode = chart
        .field(node, "optionalParamsMode")
        .filter(|&n| doc.kind(n) == Kind::String)
        .map(|n| doc.str(n).into_owned());
    if mode.as_deref() == Some("stringArray") {
        match chart.field(node, "optionalParamsArray") {
            Some(array) if doc.kind(array) == Kind::Array => {}
            Some(other) => {
                let kind = with_article(doc.kind(other));
                chart.at(
                    &OPTIONAL_PARAMS_INVALID,
                    node,
                    other,
                    format!("`optionalParamsMode` is stringArray but `optionalParamsArray` is {kind}, not an array, so no parameters are sent"),
                );
            }
            None => chart.missing(
                &OPTIONAL_PARAMS_INVALID,
                node,
                "`optionalParamsMode` is stringArray but there is no `optionalParamsArray`, so no parameters are sent".to_string(),
            ),
        }
        return;
    }
    if let Some(object) = chart.field(node, "optionalParamsObject")
        && doc.kind(object) != Kind::Array
    {
        let kind = with_article(doc.kind(object));
        chart.at(
            &OPTIONAL_PARAMS_INVALID,
            node,
            object,
            format!(
                "`optionalParamsObject` is {kind}, not a JSON array, so Exit Interaction drops it"
            ),
        );
    }
}

/// A JSON type as a message says it: "an object", "a string".
fn with_article(kind: Kind) -> String {
    match kind {
        Kind::Array | Kind::Object => format!("an {}", kind.name()),
        _ => format!("a {}", kind.name()),
    }
}
