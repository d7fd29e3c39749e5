//! The `cxone-sip-headers` contract: the SIP headers CXone sends the bot, as the bot logs them (a
//! JSON object of header name to value). Header names are matched ignoring case, as SIP does.

use super::{Contract, SENTINEL_CONTACT_ID, integer_id, json_in_string};
use crate::engine::{At, Context};
use crate::json::{Document, Kind, quote};
use crate::rules;

pub struct SipHeaders;

const CONTACT_IDS: &[&str] = &["X-InContact-MasterId", "X-InContact-ContactId"];
const JSON_HEADERS: &[&str] = &["X-CXone", "X-CXone-Custom", "X-CXone-Extended"];

/// The value of a header, by its name ignoring case; with duplicates, the last.
fn header(doc: &Document<'_>, name: &str) -> Option<usize> {
    doc.children(0)
        .filter(|&m| doc.key(m).eq_ignore_ascii_case(name))
        .last()
}

impl Contract for SipHeaders {
    fn name(&self) -> &'static str {
        "cxone-sip-headers"
    }

    fn description(&self) -> &'static str {
        "the SIP headers CXone sends the bot: X-InContact-MasterId, X-InContact-ContactId, X-CXone-*"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        doc.children(0).any(|m| {
            let key = doc.key(m).to_ascii_lowercase();
            key.starts_with("x-incontact-") || key.starts_with("x-cxone")
        })
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let doc = cx.doc;
        for name in CONTACT_IDS {
            let Some(value) = header(doc, name) else {
                cx.report(
                    &rules::SIP_HEADER_MISSING,
                    At::MissingIn(0),
                    format!("`{name}` is missing: the bot cannot tell which contact to signal"),
                );
                continue;
            };
            if doc.kind(value) == Kind::String && cx.holds_template(value) {
                continue;
            }
            match integer_id(doc, value) {
                None => {
                    cx.report(
                        &rules::SIP_CONTACT_ID_INVALID,
                        At::Value(value),
                        format!("`{name}` is {}, not a contact id", doc.raw(value)),
                    );
                }
                Some(id) if id == SENTINEL_CONTACT_ID => {
                    cx.report(
                        &rules::SIP_CONTACT_ID_SENTINEL,
                        At::Value(value),
                        format!("`{name}` is {SENTINEL_CONTACT_ID}, the test default the extension uses when headers are missing"),
                    );
                }
                Some(_) => {}
            }
        }
        for name in JSON_HEADERS {
            let Some(value) = header(doc, name) else {
                continue;
            };
            let parsed = match doc.kind(value) {
                Kind::String if cx.holds_template(value) => continue,
                Kind::String => {
                    json_in_string(cx, value, &rules::SIP_HEADER_NOT_JSON, &format!("`{name}`"))
                }
                Kind::Object => serde_json::from_str(doc.raw(value)).ok(),
                other => {
                    cx.report(
                        &rules::SIP_HEADER_NOT_JSON,
                        At::Value(value),
                        format!("`{name}` must hold JSON (a string, or the object as logged), found a {}", other.name()),
                    );
                    None
                }
            };
            if name.eq_ignore_ascii_case("X-CXone-Custom")
                && let Some(custom) = parsed
            {
                check_iva_params(cx, value, &custom);
            }
        }
    }
}

/// `ivaParams` is JSON encoded inside the header's JSON: a string that must parse in turn.
fn check_iva_params(cx: &mut Context<'_, '_>, header: usize, custom: &serde_json::Value) {
    let doc = cx.doc;
    let Some(iva) = custom.get("ivaParams") else {
        return;
    };
    // When the header was logged as an object, its ivaParams is a node of its own to point at.
    let at = if doc.kind(header) == Kind::Object {
        doc.get(header, "ivaParams")
            .map_or(At::Value(header), At::Value)
    } else {
        At::Value(header)
    };
    let problem = match iva {
        serde_json::Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .err()
            .map(|e| {
                format!(
                    "`ivaParams` in `X-CXone-Custom` is not valid JSON: {e} in {}",
                    quote(text)
                )
            }),
        other => Some(format!(
            "`ivaParams` in `X-CXone-Custom` must be a JSON-encoded string, found {}",
            other
        )),
    };
    if let Some(message) = problem {
        cx.report(&rules::SIP_IVA_PARAMS_INVALID, at, message);
    }
}
