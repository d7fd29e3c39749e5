//! The `vah-chat` contract: the bot's reply envelope for CXone Virtual Agent Hub chat,
//! `_cognigy._niceCXOne.json` with `action` and `data`.

use super::{Contract, has_root_key};
use crate::engine::{At, Context};
use crate::json::{Document, Kind, quote};
use crate::rules;

pub struct VahChat;

const ACTIONS: &[&str] = &["AGENT_TRANSFER", "END_CONVERSATION"];

impl Contract for VahChat {
    fn name(&self) -> &'static str {
        "vah-chat"
    }

    fn description(&self) -> &'static str {
        "a chat bot's reply envelope for Virtual Agent Hub: _cognigy._niceCXOne.json {action, data}"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        has_root_key(doc, &["_cognigy"], false)
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let doc = cx.doc;
        let mut at = 0;
        for step in ["_cognigy", "_niceCXOne", "json"] {
            match doc.get(at, step).filter(|&n| doc.kind(n) == Kind::Object) {
                Some(next) => at = next,
                None => {
                    let near = doc
                        .children(at)
                        .map(|m| doc.key(m))
                        .find(|k| k.eq_ignore_ascii_case(step) && k != step)
                        .map(|k| format!(" (found `{k}`: the name is case-sensitive)"))
                        .unwrap_or_default();
                    cx.report(
                        &rules::VAH_ENVELOPE_MISSING,
                        At::MissingIn(at),
                        format!(
                            "no `{step}` object on the way to `_cognigy._niceCXOne.json`{near}"
                        ),
                    );
                    return;
                }
            }
        }
        let envelope = at;
        match doc.get(envelope, "action") {
            None => {
                cx.report(
                    &rules::VAH_INVALID_ACTION,
                    At::MissingIn(envelope),
                    "the envelope has no `action`",
                );
            }
            Some(action) if doc.kind(action) == Kind::String && cx.holds_template(action) => {}
            Some(action) => {
                let value = if doc.kind(action) == Kind::String {
                    doc.str(action).into_owned()
                } else {
                    doc.raw(action).to_string()
                };
                if !ACTIONS.contains(&value.as_str()) {
                    let reported = cx.report(
                        &rules::VAH_INVALID_ACTION,
                        At::Value(action),
                        format!(
                            "`action` is {}, not AGENT_TRANSFER or END_CONVERSATION",
                            quote(&value)
                        ),
                    );
                    if let Some(fixed) = ACTIONS
                        .iter()
                        .find(|a| a.eq_ignore_ascii_case(value.trim()))
                    {
                        reported.replace_with(quote(fixed));
                    }
                }
            }
        }
        match doc.get(envelope, "data") {
            Some(data) if doc.kind(data) == Kind::Object => {
                let intent = doc
                    .children(data)
                    .find(|&m| doc.key(m).eq_ignore_ascii_case("intent"))
                    .filter(|&i| doc.kind(i) == Kind::String && !doc.str(i).trim().is_empty());
                if intent.is_none() {
                    cx.report(
                        &rules::VAH_MISSING_INTENT,
                        At::MissingIn(data),
                        "`data` has no intent",
                    );
                }
            }
            Some(data) => {
                cx.report(
                    &rules::VAH_MISSING_DATA,
                    At::Value(data),
                    format!(
                        "`data` must be an object, found a {}",
                        doc.kind(data).name()
                    ),
                );
            }
            None => {
                cx.report(
                    &rules::VAH_MISSING_DATA,
                    At::MissingIn(envelope),
                    "the envelope has no `data`",
                );
            }
        }
    }
}
