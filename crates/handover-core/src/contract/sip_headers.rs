//! The `cxone-sip-headers` contract: the SIP headers CXone sends the bot, as the bot logs them (a
//! JSON object of header name to value, `input.data.payload.sip.headers`).
//!
//! Source: the Context Init node of NICE's extension, `Cognigy/Extensions` at 2c0c7ae4 (1.0.9, the
//! only version that has it), `extensions/cxone/src/nodes/init-context.ts`. It looks each header up
//! by its exact name (a JavaScript property access, so case-sensitive), parses `X-CXone` whole and
//! `X-CXone-Custom` / `X-CXone-Extended` only when longer than 7 characters, keeps only
//! `ivaParams` of `X-CXone-Custom`, and copies the two contact id headers into `contactId` and
//! `spawnedContactId`. A header it cannot parse loses data; the handover breaks only when a
//! contact id does not arrive, which Exit Interaction needs to signal.

use super::{Contract, SENTINEL_CONTACT_ID, integer_id, json_in_string};
use crate::context::{At, Context};
use crate::json::{Document, Kind, quote};

pub struct SipHeaders;

crate::catalog! {
    SIP_HEADER_MISSING = "HD920", "sip-header-missing", Error,
        "`X-InContact-MasterId` or `X-InContact-ContactId` is missing",
        "The SIP backchannel script must send both. Without them Context Init leaves `contactId` or `spawnedContactId` empty on a voice call, and Exit Interaction sends no signal.";
    SIP_CONTACT_ID_INVALID = "HD921", "sip-contact-id-invalid", Error,
        "a contact id header is empty or not numeric",
        "CXone contact ids are numbers; check what the Studio script puts into the header.";
    SIP_CONTACT_ID_SENTINEL = "HD922", "sip-contact-id-sentinel", Error,
        "a contact id header holds 100000000000, the placeholder Context Init writes only for a non-voice test chat",
        "These headers did not come from a CXone call: a test harness or a copied test context filled them. Context Init copies the value into the context, and Exit Interaction sends no signal for it; run the call through the real SIP backchannel script.";
    SIP_HEADER_NOT_JSON = "HD923", "sip-header-not-json", Warning,
        "`X-CXone`, `X-CXone-Custom` or `X-CXone-Extended` does not hold valid JSON, so Context Init drops its data",
        "Context Init cannot parse it and drops its data; a bad `X-CXone` also makes it skip `X-CXone-Custom` and `X-CXone-Extended`. The contact ids still arrive. Build the header value with JSON encoding in the Studio script, not string concatenation.";
    SIP_IVA_PARAMS_INVALID = "HD924", "sip-iva-params-invalid", Warning,
        "`ivaParams` inside `X-CXone-Custom` is neither empty nor a JSON string that parses, so Context Init sets it to {}",
        "`ivaParams` is itself JSON-encoded inside the header's JSON: encode it twice. An empty string is fine.";
    SIP_ID_HEADER_NAME_CASE = "HD925", "sip-id-header-name-case", Error,
        "`X-InContact-MasterId` or `X-InContact-ContactId` is present only in another case, which Context Init does not find",
        "Context Init looks header names up exactly (case-sensitive): send the header as `X-InContact-MasterId` / `X-InContact-ContactId`, or check what rewrites its case between CXone and the bot.";
    SIP_DATA_HEADER_NAME_CASE = "HD926", "sip-data-header-name-case", Warning,
        "`X-CXone`, `X-CXone-Custom` or `X-CXone-Extended` is present only in another case, which Context Init does not read",
        "Context Init looks header names up exactly (case-sensitive), so the header's data never reaches the context: send it with the exact name.";
    SIP_HEADER_DATA_DROPPED = "HD927", "sip-header-data-dropped", Warning,
        "Context Init drops data a header carries: keys of `X-CXone-Custom` other than `ivaParams`, or a value of 7 characters or fewer",
        "Context Init keeps only `ivaParams` of X-CXone-Custom, and reads X-CXone-Custom and X-CXone-Extended only when longer than 7 characters: move other data into X-CXone or X-CXone-Extended.";
}

/// The contact id headers and the context field Context Init copies each into.
const CONTACT_IDS: [(&str, &str); 2] = [
    ("X-InContact-MasterId", "contactId"),
    ("X-InContact-ContactId", "spawnedContactId"),
];
const X_CXONE: &str = "X-CXone";
const X_CXONE_CUSTOM: &str = "X-CXone-Custom";
const X_CXONE_EXTENDED: &str = "X-CXone-Extended";
const JSON_HEADERS: [&str; 3] = [X_CXONE, X_CXONE_CUSTOM, X_CXONE_EXTENDED];
/// Every header Context Init reads; the contact ids first, in the order of `CONTACT_IDS`.
const NAMES: [&str; 5] = [
    CONTACT_IDS[0].0,
    CONTACT_IDS[1].0,
    X_CXONE,
    X_CXONE_CUSTOM,
    X_CXONE_EXTENDED,
];
/// `X-CXone-Custom` and `X-CXone-Extended` are read only when their JavaScript length (UTF-16 code
/// units) is greater than this.
const SHORTEST_READ: usize = 7;

/// For each name of `NAMES`: the member with exactly that name (the last, as JSON.parse keeps), and
/// the first whose name differs from it only in case.
struct Found {
    exact: [Option<usize>; 5],
    other_case: [Option<usize>; 5],
}

fn find_headers(doc: &Document<'_>) -> Found {
    let mut found = Found {
        exact: [None; 5],
        other_case: [None; 5],
    };
    for member in doc.children(0) {
        let key = doc.key(member);
        for (i, name) in NAMES.iter().enumerate() {
            if key == *name {
                found.exact[i] = Some(member);
            } else if found.other_case[i].is_none() && key.eq_ignore_ascii_case(name) {
                found.other_case[i] = Some(member);
            }
        }
    }
    found
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl Contract for SipHeaders {
    fn name(&self) -> &'static str {
        "cxone-sip-headers"
    }

    fn description(&self) -> &'static str {
        "the SIP headers CXone sends the bot: X-InContact-MasterId, X-InContact-ContactId, X-CXone-*"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        // Any case: a log with lower-cased names is still these headers, and the rules say why
        // Context Init will not find them.
        doc.children(0).any(|m| {
            let key = doc.key(m);
            starts_with_ignore_case(&key, "x-incontact-")
                || starts_with_ignore_case(&key, "x-cxone")
        })
    }

    fn schema(&self, _: crate::Api) -> serde_json::Value {
        json_schema()
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let found = find_headers(cx.doc);
        for (i, (name, field)) in CONTACT_IDS.iter().enumerate() {
            match (found.exact[i], found.other_case[i]) {
                (Some(value), _) => check_contact_id(cx, value, name, field),
                (None, Some(member)) => {
                    cx.report(
                        &SIP_ID_HEADER_NAME_CASE,
                        At::Key(member),
                        format!(
                            "`{}` is not `{name}`: Context Init looks header names up exactly (case-sensitive), so it does not find this one and leaves `{field}` empty; Exit Interaction then sends no signal",
                            cx.doc.key(member)
                        ),
                    );
                }
                (None, None) => {
                    cx.report(
                        &SIP_HEADER_MISSING,
                        At::MissingIn(0),
                        format!(
                            "`{name}` is missing: on a voice call Context Init then leaves `{field}` empty (its {SENTINEL_CONTACT_ID} placeholder is only for non-voice chats), and Exit Interaction sends no signal without it"
                        ),
                    );
                }
            }
        }
        for (j, name) in JSON_HEADERS.iter().enumerate() {
            let i = CONTACT_IDS.len() + j;
            match (found.exact[i], found.other_case[i]) {
                (Some(value), _) => check_json_header(cx, value, name),
                (None, Some(member)) => {
                    let lost = if *name == X_CXONE_CUSTOM {
                        "its `ivaParams` never reach the context"
                    } else {
                        "its data never reaches the context"
                    };
                    cx.report(
                        &SIP_DATA_HEADER_NAME_CASE,
                        At::Key(member),
                        format!(
                            "`{}` is not `{name}`: Context Init looks header names up exactly (case-sensitive), so it never reads this header, and {lost}",
                            cx.doc.key(member)
                        ),
                    );
                }
                (None, None) => {}
            }
        }
    }
}

fn check_contact_id(cx: &mut Context<'_, '_>, value: usize, name: &str, field: &str) {
    let doc = cx.doc;
    if doc.kind(value) == Kind::String && cx.holds_template(value) {
        return;
    }
    match integer_id(doc, value) {
        None => {
            // Context Init copies the header only when it is truthy: "" and null count as absent.
            let absent = doc.kind(value) == Kind::Null
                || (doc.kind(value) == Kind::String && doc.str(value).is_empty());
            let message = if absent {
                format!(
                    "`{name}` is {}: Context Init treats it as absent and leaves `{field}` empty, and Exit Interaction sends no signal",
                    doc.raw(value)
                )
            } else {
                format!("`{name}` is {}, not a contact id", doc.raw(value))
            };
            cx.report(&SIP_CONTACT_ID_INVALID, At::Value(value), message);
        }
        Some(id) if id == SENTINEL_CONTACT_ID => {
            cx.report(
                &SIP_CONTACT_ID_SENTINEL,
                At::Value(value),
                format!("`{name}` is {SENTINEL_CONTACT_ID}, the placeholder Context Init writes only for a non-voice chat without a contact id: these headers did not come from a CXone call, and Exit Interaction sends no signal for `{field}` {SENTINEL_CONTACT_ID}"),
            );
        }
        Some(_) => {}
    }
}

fn check_json_header(cx: &mut Context<'_, '_>, value: usize, name: &str) {
    let doc = cx.doc;
    let parsed = match doc.kind(value) {
        Kind::String if cx.holds_template(value) => return,
        Kind::String => {
            let text = doc.str(value);
            // Context Init reads a header only when it is truthy; the two later ones only when longer
            // than 7 characters.
            if text.is_empty() {
                return;
            }
            if name != X_CXONE && js_length(&text) <= SHORTEST_READ {
                check_short_header(cx, value, name, &text);
                return;
            }
            let what = if name == X_CXONE {
                "`X-CXone` (so Context Init also skips X-CXone-Custom and X-CXone-Extended)".into()
            } else {
                format!("`{name}`")
            };
            json_in_string(cx, value, &SIP_HEADER_NOT_JSON, &what)
        }
        // A logger that parsed the header's JSON shows it as an object: that is JSON that parsed.
        Kind::Object => serde_json::from_str(doc.raw(value)).ok(),
        Kind::Null => return,
        other => {
            cx.report(
                &SIP_HEADER_NOT_JSON,
                At::Value(value),
                format!(
                    "`{name}` must hold JSON (a string, or the object as a logger parsed it), found a {}; Context Init drops it",
                    other.name()
                ),
            );
            None
        }
    };
    if name == X_CXONE_CUSTOM
        && let Some(custom) = parsed
    {
        check_custom(cx, value, &custom);
    }
}

/// A string's `.length` in JavaScript: UTF-16 code units.
fn js_length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// A header of 7 characters or fewer is not read; an object with keys in it is data lost.
fn check_short_header(cx: &mut Context<'_, '_>, value: usize, name: &str, text: &str) {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return;
    };
    if object.is_empty() {
        return;
    }
    cx.report(
        &SIP_HEADER_DATA_DROPPED,
        At::Value(value),
        format!(
            "`{name}` is {} characters: Context Init reads it only when longer than {SHORTEST_READ} characters, so it drops {}",
            js_length(text),
            key_list(object.keys())
        ),
    );
}

fn key_list<'k>(keys: impl Iterator<Item = &'k String>) -> String {
    keys.map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `X-CXone-Custom`: Context Init keeps `{ivaParams}` and nothing else.
fn check_custom(cx: &mut Context<'_, '_>, header: usize, custom: &serde_json::Value) {
    let doc = cx.doc;
    let logged_as_object = doc.kind(header) == Kind::Object;
    let serde_json::Value::Object(object) = custom else {
        cx.report(
            &SIP_HEADER_DATA_DROPPED,
            At::Value(header),
            format!(
                "`X-CXone-Custom` holds {}, not an object: Context Init reads only an object's `ivaParams` and keeps nothing of it",
                json_kind(custom)
            ),
        );
        return;
    };
    let mut dropped = object.keys().filter(|k| *k != "ivaParams").peekable();
    if let Some(first) = dropped.peek() {
        // When the header was logged as an object, its first dropped key is a node to point at.
        let at = if logged_as_object {
            doc.get(header, first).map_or(At::Value(header), At::Key)
        } else {
            At::Value(header)
        };
        let list = key_list(dropped);
        cx.report(
            &SIP_HEADER_DATA_DROPPED,
            at,
            format!(
                "`X-CXone-Custom` carries {list}: Context Init keeps only `ivaParams` of this header and drops the rest"
            ),
        );
    }
    let Some(iva) = object.get("ivaParams") else {
        return;
    };
    let node = if logged_as_object {
        doc.get(header, "ivaParams")
    } else {
        None
    };
    let at = node.map_or(At::Value(header), At::Value);
    match iva {
        // Context Init takes a blank ivaParams as {} on purpose, without a log line.
        serde_json::Value::String(text) if text.trim().is_empty() => {}
        serde_json::Value::String(text) => {
            if let Some(node) = node.filter(|&n| doc.kind(n) == Kind::String) {
                if !cx.holds_template(node) {
                    json_in_string(
                        cx,
                        node,
                        &SIP_IVA_PARAMS_INVALID,
                        "`ivaParams` in `X-CXone-Custom` (Context Init then silently sets it to {})",
                    );
                }
            } else if let Err(error) = crate::json::Parser::new().parse(text.as_bytes()) {
                cx.report(
                    &SIP_IVA_PARAMS_INVALID,
                    at,
                    format!(
                        "`ivaParams` in `X-CXone-Custom` is not valid JSON: {} (at character {} of {}); Context Init silently sets it to {{}}",
                        error.message(),
                        error.offset + 1,
                        quote(text)
                    ),
                );
            }
        }
        other => {
            cx.report(
                &SIP_IVA_PARAMS_INVALID,
                at,
                format!(
                    "`ivaParams` in `X-CXone-Custom` must be a JSON-encoded string, found {}: Context Init fails on it, logs \"Failed to parse X-CXone-Custom header\" and sets it to {{}}",
                    json_kind(other)
                ),
            );
        }
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The JSON Schema (draft 2020-12) of the headers as logged. Property names in JSON Schema are
/// case-sensitive, as Context Init's lookups are; the rules add the sentinel, the other-case
/// names, the 7-character threshold and the keys Context Init drops.
fn json_schema() -> serde_json::Value {
    const SOURCE: &str =
        "Context Init, extensions/cxone/src/nodes/init-context.ts at Cognigy/Extensions@2c0c7ae4";
    let contact_id = |field: &str| {
        serde_json::json!({
            "description": format!("A CXone contact id; Context Init copies it into context.data.{field} ({SOURCE}). 100000000000 is Context Init's placeholder for non-voice test chats; Exit Interaction sends no signal for it."),
            "oneOf": [
                {"type": "string", "pattern": "^[0-9]*[1-9][0-9]*$", "not": {"const": SENTINEL_CONTACT_ID}},
                {"type": "integer", "minimum": 1, "not": {"const": 100_000_000_000_u64}}
            ]
        })
    };
    let json_text = |description: String, schema: serde_json::Value| {
        serde_json::json!({
            "description": description,
            "oneOf": [
                {"type": "string", "contentMediaType": "application/json", "contentSchema": schema.clone()},
                {"allOf": [{"type": "object", "description": "The header's JSON as a logger parsed it."}, schema]}
            ]
        })
    };
    let custom = serde_json::json!({
        "type": "object",
        "properties": {
            "ivaParams": {
                "type": "string",
                "description": "JSON text inside the header's JSON (encoded twice), or empty. Context Init parses it; an empty or blank string gives {}, as does text that is not JSON."
            }
        },
        "additionalProperties": {"description": "Dropped: Context Init keeps only ivaParams of this header."}
    });
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CXone SIP headers (cxone-sip-headers contract)",
        "description": format!("The SIP headers of a CXone call as the bot logs input.data.payload.sip.headers. {SOURCE} looks each name up exactly (case-sensitive): x-incontact-masterid is not X-InContact-MasterId."),
        "type": "object",
        "required": [CONTACT_IDS[0].0, CONTACT_IDS[1].0],
        "properties": {
            (CONTACT_IDS[0].0): contact_id(CONTACT_IDS[0].1),
            (CONTACT_IDS[1].0): contact_id(CONTACT_IDS[1].1),
            (X_CXONE): json_text(
                format!("JSON, merged into context.data over X-CXone-Extended. Parsed whole; when it does not parse, Context Init also skips X-CXone-Custom and X-CXone-Extended ({SOURCE})."),
                serde_json::json!({})
            ),
            (X_CXONE_CUSTOM): json_text(
                format!("JSON with ivaParams; read only when longer than 7 characters ({SOURCE})."),
                custom
            ),
            (X_CXONE_EXTENDED): json_text(
                format!("JSON, merged into context.data first, so X-CXone overrides its keys; read only when longer than 7 characters ({SOURCE})."),
                serde_json::json!({})
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_draft_2020_12_and_names_headers_exactly() {
        let schema = json_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(
            schema["title"],
            "CXone SIP headers (cxone-sip-headers contract)"
        );
        assert!(
            schema["description"]
                .as_str()
                .unwrap()
                .contains("Cognigy/Extensions@2c0c7ae4")
        );
        assert_eq!(
            schema["required"],
            serde_json::json!(["X-InContact-MasterId", "X-InContact-ContactId"])
        );
        let custom = &schema["properties"]["X-CXone-Custom"]["oneOf"][0];
        assert_eq!(custom["contentMediaType"], "application/json");
        assert_eq!(
            custom["contentSchema"]["properties"]["ivaParams"]["type"],
            "string"
        );
    }

    #[test]
    fn javascript_length_counts_utf16_units() {
        assert_eq!(js_length("{\"a\":1}"), 7);
        assert_eq!(js_length("{\"é\":1}"), 7);
        assert_eq!(js_length("{\"😀\":1}"), 8);
    }
}
