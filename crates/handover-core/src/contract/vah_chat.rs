//! The `vah-chat` contract: the bot's reply envelope for CXone Virtual Agent Hub chat,
//! `_cognigy._niceCXOne.json` with `action`, `data` and `uiComponent`, as NICE's Cognigy extension
//! emits it: Exit Interaction (`Cognigy/Extensions`, `extensions/cxone/src/nodes/handover.ts`) and
//! the Adaptive Card node (`extensions/cxone-nice/src/nodes/adaptive-card.ts`).

use serde_json::{Value, json};

use super::{Contract, has_root_key, vg_transfer};
use crate::context::{At, Context};
use crate::json::{Document, Kind, quote};
use crate::text;

pub struct VahChat;

crate::catalog! {
    VAH_ENVELOPE_MISSING = "HD930", "vah-envelope-missing", Error,
        "the reply has no `_cognigy._niceCXOne.json` object",
        "NICE's nodes reply in `_cognigy._niceCXOne.json` (case-sensitive) on a CXone Guide Chat channel; Virtual Agent Hub finds nothing else.";
    VAH_INVALID_ACTION = "HD931", "vah-invalid-action", Error,
        "`action` is not AGENT_TRANSFER, END_CONVERSATION or ADAPTIVE_CARD",
        "NICE's extension sends exactly these: AGENT_TRANSFER to escalate and END_CONVERSATION to end (Exit Interaction), ADAPTIVE_CARD to show a card (Adaptive Card node).";
    VAH_MISSING_DATA = "HD932", "vah-missing-data", Error,
        "the envelope has no `data` object (the Adaptive Card's may be left out)",
        "Send `data` with the intent, as Exit Interaction does: Studio reads it at customPayloadFromBot.scriptPayloads[1].";
    VAH_MISSING_INTENT = "HD933", "vah-missing-intent", Error,
        "an AGENT_TRANSFER or END_CONVERSATION reply's `data` has no non-empty `Intent`",
        "Set `data.Intent` to Escalate or End, as Exit Interaction does: Studio reads it at customPayloadFromBot.scriptPayloads[1].Intent.";
    VAH_UNKNOWN_INTENT = "HD934", "vah-unknown-intent", Warning,
        "`data.Intent` is neither Escalate nor End, the only intents NICE's Exit Interaction sends",
        "NICE's Studio template is not public, so whether it acts on another intent is unknown: send Escalate or End, or turn this rule off where your own Studio script handles the intent.";
    VAH_INTENT_ACTION_MISMATCH = "HD935", "vah-intent-action-mismatch", Warning,
        "`data.Intent` and `action` disagree: Escalate without AGENT_TRANSFER, or End without END_CONVERSATION",
        "Exit Interaction derives the action from the intent (End: END_CONVERSATION, Escalate: AGENT_TRANSFER); send the pair it sends.";
    VAH_CARD_MISSING = "HD936", "vah-card-missing", Error,
        "an ADAPTIVE_CARD reply has no Adaptive Card in `uiComponent`",
        "NICE's Adaptive Card node puts the card's type (\"AdaptiveCard\"), version, body and actions into `uiComponent` and leaves `data` empty.";
}

/// Every `action` NICE's nodes put into the envelope: Exit Interaction's two, the Adaptive Card's one.
const ACTIONS: &[&str] = &["AGENT_TRANSFER", "END_CONVERSATION", "ADAPTIVE_CARD"];
/// Exit Interaction copies its Exit Action into `data.Intent`, and derives `action` from it.
const INTENTS: &[&str] = &["Escalate", "End"];

/// What the envelope's `action` asks for, as far as the later checks care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Transfer,
    End,
    Card,
    /// Missing, unknown, or a template HD501 already reports.
    Other,
}

impl Contract for VahChat {
    fn name(&self) -> &'static str {
        "vah-chat"
    }

    fn description(&self) -> &'static str {
        "a chat bot's reply envelope for Virtual Agent Hub: _cognigy._niceCXOne.json {action, data, uiComponent}"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        // A Voice Gateway verb or activity rides in `_cognigy` too; vg-transfer takes those.
        has_root_key(doc, &["_cognigy"], false) && !vg_transfer::is_voice_gateway_envelope(doc)
    }

    fn schema(&self, _: crate::Api) -> serde_json::Value {
        json_schema()
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let Some(envelope) = find_envelope(cx) else {
            return;
        };
        let action = check_action(cx, envelope);
        check_data(cx, envelope, action);
        if action == Action::Card {
            check_card(cx, envelope);
        }
    }
}

/// The JSON Schema (draft 2020-12) of the envelope this contract checks.
fn json_schema() -> Value {
    let source = "Cognigy/Extensions refs/pull/830/head (d4817ae4) extensions/cxone/src/nodes/handover.ts; refs/pull/808/head (2c0c7ae4) extensions/cxone-nice/src/nodes/adaptive-card.ts";
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Virtual Agent Hub chat reply (vah-chat contract)",
        "description": format!("The envelope NICE's Cognigy extension outputs on a CXone Guide Chat channel: Exit Interaction (AGENT_TRANSFER or END_CONVERSATION, with data.Intent Escalate or End) or the Adaptive Card node (ADAPTIVE_CARD, the card in uiComponent, data {{}}). Source: {source}. The rules say more: which intent the Studio template acts on is not public (HD934), and Intent and action belong together (HD935)."),
        "type": "object",
        "required": ["_cognigy"],
        "properties": {
            "_cognigy": {
                "type": "object",
                "required": ["_niceCXOne"],
                "properties": {
                    "_niceCXOne": {
                        "type": "object",
                        "required": ["json"],
                        "properties": {"json": {"$ref": "#/$defs/reply"}}
                    }
                }
            }
        },
        "$defs": {
            "reply": {
                "description": "_cognigy._niceCXOne.json: the names are case-sensitive.",
                "type": "object",
                "required": ["action"],
                "properties": {
                    "text": {"type": "string", "description": "Sent empty by both nodes."},
                    "action": {
                        "enum": ACTIONS,
                        "description": "Exit Interaction: `action === \"End\" ? \"END_CONVERSATION\" : \"AGENT_TRANSFER\"`; the Adaptive Card node: \"ADAPTIVE_CARD\"."
                    },
                    "data": {"type": "object"},
                    "uiComponent": {"type": "object"}
                },
                "oneOf": [
                    {
                        "description": "Exit Interaction. The extension's README: Studio reads the intent at customPayloadFromBot.scriptPayloads[1].Intent.",
                        "properties": {
                            "action": {"enum": ["AGENT_TRANSFER", "END_CONVERSATION"]},
                            "data": {
                                "type": "object",
                                "required": ["Intent"],
                                "properties": {
                                    "Intent": {
                                        "type": "string",
                                        "minLength": 1,
                                        "description": "The Exit Action: Escalate (with AGENT_TRANSFER) or End (with END_CONVERSATION). Another value is legal JSON, but NICE's template is not known to act on it."
                                    },
                                    "Params": {
                                        "type": "string",
                                        "description": "The optional parameters: JSON.stringify of the node's array of objects."
                                    }
                                }
                            }
                        },
                        "required": ["data"]
                    },
                    {
                        "description": "The Adaptive Card node: the card's type, version, body and actions copied into uiComponent; data is {}.",
                        "properties": {
                            "action": {"const": "ADAPTIVE_CARD"},
                            "uiComponent": {
                                "type": "object",
                                "required": ["type"],
                                "properties": {
                                    "type": {"const": "AdaptiveCard"},
                                    "version": {"type": "string"},
                                    "body": {"type": "array"},
                                    "actions": {"type": "array"}
                                }
                            }
                        },
                        "required": ["uiComponent"]
                    }
                ]
            }
        }
    })
}

/// Walks `_cognigy._niceCXOne.json`; reports HD930 at the first step that is missing.
fn find_envelope(cx: &mut Context<'_, '_>) -> Option<usize> {
    let doc = cx.doc;
    let mut at = 0;
    for step in ["_cognigy", "_niceCXOne", "json"] {
        match doc.get(at, step).filter(|&n| doc.kind(n) == Kind::Object) {
            Some(next) => at = next,
            None => {
                let mut near = doc
                    .children(at)
                    .map(|m| doc.key(m))
                    .find(|k| k.eq_ignore_ascii_case(step) && k != step)
                    .map(|k| format!(" (found `{k}`: the name is case-sensitive)"))
                    .unwrap_or_default();
                // The Adaptive Card node writes Cognigy's webchat form on channels it takes for
                // Cognigy's own; on a CXone channel that means the channel name misled it.
                if step == "_niceCXOne" && near.is_empty() && doc.get(at, "_default").is_some() {
                    near = " (found `_default`: Cognigy's webchat form, which NICE's Adaptive Card node sends when the channel name contains adminconsole, webchat or test; Virtual Agent Hub reads only `_niceCXOne`)".to_string();
                }
                cx.report(
                    &VAH_ENVELOPE_MISSING,
                    At::MissingIn(at),
                    format!("no `{step}` object on the way to `_cognigy._niceCXOne.json`{near}"),
                );
                return None;
            }
        }
    }
    Some(at)
}

fn check_action(cx: &mut Context<'_, '_>, envelope: usize) -> Action {
    let doc = cx.doc;
    let Some(action) = doc.get(envelope, "action") else {
        cx.report(
            &VAH_INVALID_ACTION,
            At::MissingIn(envelope),
            "the envelope has no `action`",
        );
        return Action::Other;
    };
    if doc.kind(action) == Kind::String && cx.holds_template(action) {
        return Action::Other;
    }
    let value = if doc.kind(action) == Kind::String {
        doc.str(action)
    } else {
        doc.raw(action).into()
    };
    let meant = |v: &str| match v {
        "AGENT_TRANSFER" => Action::Transfer,
        "END_CONVERSATION" => Action::End,
        "ADAPTIVE_CARD" => Action::Card,
        _ => Action::Other,
    };
    let exact = meant(&value);
    if exact != Action::Other {
        return exact;
    }
    let reported = cx.report(
        &VAH_INVALID_ACTION,
        At::Value(action),
        format!(
            "`action` is {}, not AGENT_TRANSFER, END_CONVERSATION or ADAPTIVE_CARD",
            quote(&value)
        ),
    );
    // A value that differs only in case gets its fix, and the later checks judge it as fixed.
    match ACTIONS
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
    {
        Some(fixed) => {
            reported.replace_with(quote(fixed));
            meant(fixed)
        }
        None => Action::Other,
    }
}

fn check_data(cx: &mut Context<'_, '_>, envelope: usize, action: Action) {
    let doc = cx.doc;
    let data = match doc.get(envelope, "data") {
        Some(data) if doc.kind(data) == Kind::Object => data,
        Some(data) => {
            cx.report(
                &VAH_MISSING_DATA,
                At::Value(data),
                format!(
                    "`data` must be an object, found a {}",
                    doc.kind(data).name()
                ),
            );
            return;
        }
        // The Adaptive Card node sends `data: {}`; nothing in it is read, so its absence is no loss.
        None if action == Action::Card => return,
        None => {
            cx.report(
                &VAH_MISSING_DATA,
                At::MissingIn(envelope),
                "the envelope has no `data`",
            );
            return;
        }
    };
    if action == Action::Card {
        return;
    }
    let member = doc
        .children(data)
        .find(|&m| doc.key(m).eq_ignore_ascii_case("intent"));
    let intent = member.filter(|&i| doc.kind(i) == Kind::String && !doc.str(i).trim().is_empty());
    let Some(intent) = intent else {
        let message = match member {
            Some(m) if doc.kind(m) != Kind::String => format!(
                "`data.{}` must be a string (Escalate or End), found a {}",
                doc.key(m),
                doc.kind(m).name()
            ),
            Some(m) => format!("`data.{}` is empty", doc.key(m)),
            None => "`data` has no `Intent`".to_string(),
        };
        cx.report(
            &VAH_MISSING_INTENT,
            member.map_or(At::MissingIn(data), At::Value),
            message,
        );
        return;
    };
    let value = doc.str(intent);
    // HD501 and HD502 already speak for templates and stand-ins.
    if cx.holds_template(intent) || text::is_stand_in(&value) {
        return;
    }
    if !INTENTS.contains(&value.as_ref()) {
        let key = doc.key(intent);
        let near = text::did_you_mean(value.trim(), INTENTS);
        let mut message = format!(
            "`data.{key}` is {}: NICE's Exit Interaction node sends only \"Escalate\" or \"End\"",
            quote(&value)
        );
        if let Some(near) = near {
            message.push_str(&format!("; did you mean \"{near}\"?"));
        } else {
            message.push_str(", so NICE's Studio template is not expected to act on it (no public source shows the template); a custom Studio script may");
        }
        let reported = cx.report(&VAH_UNKNOWN_INTENT, At::Value(intent), message);
        if let Some(fixed) = near.filter(|n| n.eq_ignore_ascii_case(value.trim())) {
            reported.replace_with(quote(fixed));
        }
        return;
    }
    let paired = match value.as_ref() {
        "Escalate" => Action::Transfer,
        _ => Action::End,
    };
    if matches!(action, Action::Transfer | Action::End) && action != paired {
        let (wanted, found) = match paired {
            Action::Transfer => ("AGENT_TRANSFER", "END_CONVERSATION"),
            _ => ("END_CONVERSATION", "AGENT_TRANSFER"),
        };
        cx.report(
            &VAH_INTENT_ACTION_MISMATCH,
            At::Value(intent),
            format!(
                "`data.{}` is \"{value}\" but `action` is {found}: Exit Interaction sends \"{value}\" only with {wanted}, and which of the two the Studio script follows is not public",
                doc.key(intent)
            ),
        );
    }
}

/// The Adaptive Card node copies the card's `type`, `version`, `body` and `actions` into `uiComponent`.
fn check_card(cx: &mut Context<'_, '_>, envelope: usize) {
    let doc = cx.doc;
    let card_in_data = || {
        doc.get(envelope, "data")
            .filter(|&d| doc.kind(d) == Kind::Object)
            .and_then(|d| doc.get(d, "type"))
            .is_some_and(|t| doc.kind(t) == Kind::String && doc.str(t) == "AdaptiveCard")
    };
    let ui = match doc.get(envelope, "uiComponent") {
        Some(ui) if doc.kind(ui) == Kind::Object => ui,
        Some(ui) => {
            cx.report(
                &VAH_CARD_MISSING,
                At::Value(ui),
                format!(
                    "`uiComponent` must be the Adaptive Card object, found a {}",
                    doc.kind(ui).name()
                ),
            );
            return;
        }
        None => {
            let hint = if card_in_data() {
                " (the card is in `data`: move it to `uiComponent`)"
            } else {
                ""
            };
            cx.report(
                &VAH_CARD_MISSING,
                At::MissingIn(envelope),
                format!("ADAPTIVE_CARD without `uiComponent`, where NICE's Adaptive Card node puts the card{hint}"),
            );
            return;
        }
    };
    match doc.get(ui, "type") {
        Some(t) if doc.kind(t) == Kind::String && doc.str(t) == "AdaptiveCard" => {}
        Some(t) if doc.kind(t) == Kind::String && cx.holds_template(t) => {}
        Some(t) => {
            let found = if doc.kind(t) == Kind::String {
                quote(&doc.str(t))
            } else {
                doc.raw(t).to_string()
            };
            let reported = cx.report(
                &VAH_CARD_MISSING,
                At::Value(t),
                format!("`uiComponent.type` is {found}, not \"AdaptiveCard\""),
            );
            if doc.kind(t) == Kind::String && doc.str(t).eq_ignore_ascii_case("adaptivecard") {
                reported.replace_with(quote("AdaptiveCard"));
            }
        }
        None => {
            let hint = if card_in_data() {
                ": the card is in `data`; move it to `uiComponent`"
            } else {
                ""
            };
            cx.report(
                &VAH_CARD_MISSING,
                At::MissingIn(ui),
                format!("`uiComponent` holds no Adaptive Card (no `type`){hint}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_its_draft_and_the_actions_the_rules_take() {
        let schema = json_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(schema["title"].as_str().unwrap().contains("vah-chat"));
        assert_eq!(
            schema["$defs"]["reply"]["properties"]["action"]["enum"],
            json!(ACTIONS)
        );
    }
}
