//! The `cxone-signal` contract: what a Cognigy voicebot's Exit Interaction node sends to CXone to
//! escalate or end (`action`, `businessNumber`, `contactId`, `spawnedContactId`,
//! `optionalParamsObject`), or the signal request as captured (`p1`..`p9`, bare or under `body` or `query`).

use super::{Contract, SENTINEL_CONTACT_ID, has_root_key, integer_id, json_in_string};
use crate::engine::{At, Context};
use crate::json::{Kind, quote};
use crate::rules;

pub struct CxoneSignal;

const ACTIONS: &[&str] = &["Escalate", "End"];

impl Contract for CxoneSignal {
    fn name(&self) -> &'static str {
        "cxone-signal"
    }

    fn description(&self) -> &'static str {
        "a voicebot's Exit Interaction signal to CXone: action, contact ids, p1..p9"
    }

    fn claims(&self, doc: &crate::json::Document<'_>) -> bool {
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
            || params_object(doc).is_some_and(|o| o != 0)
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        match params_object(cx.doc) {
            Some(params) => check_captured(cx, params),
            None => check_exit_interaction(cx),
        }
    }
}

/// The object holding `p1`..: the root, or its `body` or `query`.
fn params_object(doc: &crate::json::Document<'_>) -> Option<usize> {
    if doc.kind(0) != Kind::Object {
        return None;
    }
    if doc.get(0, "p1").is_some() {
        return Some(0);
    }
    ["body", "query"]
        .iter()
        .filter_map(|k| doc.get(0, k))
        .find(|&o| doc.kind(o) == Kind::Object && doc.get(o, "p1").is_some())
}

fn parameter_index(key: &str) -> Option<u32> {
    key.strip_prefix(['p', 'P'])?.parse().ok()
}

fn check_action(cx: &mut Context<'_, '_>, node: usize, field: &str) {
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
        &rules::SIGNAL_INVALID_ACTION,
        At::Value(node),
        format!("`{field}` is {}, not Escalate or End", quote(&value)),
    );
    if let Some(action) = ACTIONS
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
    {
        reported.replace_with(quote(action));
    }
}

fn check_captured(cx: &mut Context<'_, '_>, params: usize) {
    let doc = cx.doc;
    let keys: Vec<(usize, u32)> = doc
        .children(params)
        .filter_map(|m| parameter_index(&doc.key(m)).map(|i| (m, i)))
        .collect();
    if keys.len() > 9 {
        cx.report(
            &rules::SIGNAL_TOO_MANY_PARAMETERS,
            At::Key(keys[9].0),
            format!(
                "the signal carries {} parameters; Studio's ONSIGNAL takes at most 9",
                keys.len()
            ),
        );
    } else if let Some(&(member, _)) = keys.iter().find(|(_, i)| *i > 9 || *i == 0) {
        cx.report(
            &rules::SIGNAL_TOO_MANY_PARAMETERS,
            At::Key(member),
            format!(
                "parameter `{}` does not exist: a signal has p1..p9",
                doc.key(member)
            ),
        );
    }
    match doc.get(params, "p1") {
        Some(p1) => check_action(cx, p1, "p1"),
        None => {
            cx.report(
                &rules::SIGNAL_MISSING_FIELD,
                At::MissingIn(params),
                "the signal has no `p1` (Escalate or End)",
            );
        }
    }
    if let Some(p2) = doc.get(params, "p2") {
        if doc.kind(p2) != Kind::String {
            cx.report(
                &rules::SIGNAL_PARAMETER_NOT_JSON,
                At::Value(p2),
                format!(
                    "`p2` must be a JSON-encoded string, found a {}",
                    doc.kind(p2).name()
                ),
            );
        } else if !cx.holds_template(p2) {
            json_in_string(cx, p2, &rules::SIGNAL_PARAMETER_NOT_JSON, "`p2`");
        }
    }
}

fn check_contact_id(cx: &mut Context<'_, '_>, field: &str) {
    let doc = cx.doc;
    let Some(node) = doc.get(0, field) else {
        cx.report(
            &rules::SIGNAL_MISSING_FIELD,
            At::MissingIn(0),
            format!("`{field}` is missing"),
        );
        return;
    };
    if doc.kind(node) == Kind::String && cx.holds_template(node) {
        return;
    }
    match integer_id(doc, node) {
        None => {
            let shown = if doc.kind(node) == Kind::String {
                quote(&doc.str(node))
            } else {
                doc.raw(node).to_string()
            };
            let message = if doc.kind(node) == Kind::String && doc.str(node).trim().is_empty() {
                format!(
                    "`{field}` is empty: Exit Interaction sends nothing when a contact id is empty"
                )
            } else {
                format!("`{field}` {shown} is not a contact id (a positive integer)")
            };
            cx.report(&rules::SIGNAL_INVALID_CONTACT_ID, At::Value(node), message);
        }
        Some(id) if id == SENTINEL_CONTACT_ID => {
            cx.report(
                &rules::SIGNAL_SENTINEL_CONTACT_ID,
                At::Value(node),
                format!("`{field}` is {SENTINEL_CONTACT_ID}, the test default: the SIP headers never arrived, and Exit Interaction silently sends no signal"),
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
        Some(action) => check_action(cx, action, "action"),
        None => {
            cx.report(
                &rules::SIGNAL_MISSING_FIELD,
                At::MissingIn(0),
                "`action` is missing (Escalate or End)",
            );
        }
    }
    check_contact_id(cx, "contactId");
    check_contact_id(cx, "spawnedContactId");
    if let Some(number) = doc.get(0, "businessNumber")
        && !(doc.kind(number) == Kind::String && cx.holds_template(number))
        && integer_id(doc, number).is_none()
    {
        cx.report(
            &rules::SIGNAL_INVALID_BUSINESS_NUMBER,
            At::Value(number),
            format!(
                "`businessNumber` {} is not a business unit number",
                doc.raw(number)
            ),
        );
    }
    if let Some(optional) = doc.get(0, "optionalParamsObject")
        && doc.kind(optional) != Kind::Array
    {
        cx.report(
            &rules::SIGNAL_PARAMETERS_NOT_ARRAY,
            At::Value(optional),
            format!(
                "`optionalParamsObject` must be an array, found a {}",
                doc.kind(optional).name()
            ),
        );
    }
}
