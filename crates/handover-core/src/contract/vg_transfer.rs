//! The `vg-transfer` contract: a Voice Gateway transfer, in the forms the sources give it.
//!
//! - The `dial` verb (`target` array of `{type: phone|sip|user|teams, number|sipUri|name}`,
//!   `headers` object, `callerId`) and the `sip:refer` verb (`referTo`, `referredBy`, `headers`
//!   object): Cognigy/Documentation `docs/voice-gateway/references/verbs/{dial,sip-refer}.md`,
//!   jambonz/verb-specifications `specs.json`. Bare, or as a Code Node sends them in
//!   `_cognigy._voiceGateway2.json`.
//! - The Transfer node's settings. Cognigy publishes only their labels (Target, Referred By,
//!   Transfer SIP Headers), not their JSON keys, so the keys the tool always took stay accepted
//!   (`transferTarget`, `customHeaders`), beside the real keys of the legacy Voice Gateway
//!   extension (`transferTarget`, `transferReferredByURL`) and of the AudioCodes Bot API transfer
//!   activity it emits (`_cognigy._voiceGateway.json.activities[]`, `transferSipHeaders`). Headers
//!   are an object (the node since 2025) or `[{name, value}]` (the node before, and the deprecated
//!   Generic and AudioCodes nodes).

use serde_json::{Value, json};

use super::{Contract, has_root_key};
use crate::context::{At, Context};
use crate::finding::Finding;
use crate::json::{Document, Kind, quote};
use crate::phone;
use crate::rule::Rule;
use crate::settings::CheckSettings;

pub struct VgTransfer;

crate::catalog! {
    TRANSFER_TARGET_INVALID = "HD940", "transfer-target-invalid", Error,
        "the transfer target is missing, or not an address its node or verb takes",
        "The Transfer node takes E.164 or a SIP URI; sip:refer also a phone number or user identifier; dial an array of {type: phone|sip|user|teams} with number, sipUri or name.";
    TRANSFER_HEADER_FORMAT = "HD941", "transfer-header-format", Error,
        "headers in a form neither the node nor the verb takes: a verb's `headers` not an object, or entries not {name, value}",
        "The verbs and the Transfer node since 2025 take an object {\"X-Name\": \"value\"}; the node before, and the deprecated Generic and AudioCodes nodes, [{\"name\", \"value\"}].";
    TRANSFER_HEADER_NOT_X = "HD942", "transfer-header-not-x", Warning,
        "a header for CXone does not start with `X-`",
        "CXone Studio reads only headers that start with X- (on the initial INVITE, with the trunk setting on): rename it X-...";
    TRANSFER_UUI_LONG = "HD943", "transfer-uui-long", Warning,
        "`User-to-User` is longer than 128 characters, Genesys Cloud's recommended maximum",
        "Genesys Cloud recommends at most 128 characters of UUI, as some systems discard longer data: send an id and look the data up.";
    TRANSFER_UUI_TOO_LONG = "HD944", "transfer-uui-too-long", Warning,
        "`User-to-User` is longer than 256 bytes, Talkdesk's maximum",
        "Talkdesk caps UUI data at 256 bytes; no CXone source sets a limit. Send an id instead when the call can reach such a system.";
    TRANSFER_HEADER_TOO_LONG = "HD945", "transfer-header-too-long", Warning,
        "one header line is longer than 1024 bytes",
        "Many SIP parsers and middleboxes assume header lines of at most 1024 bytes: shorten the value.";
    TRANSFER_HEADERS_TOO_LARGE = "HD946", "transfer-headers-too-large", Warning,
        "all custom headers of one SIP message together are larger than 4000 bytes, Asterisk/PJSIP's packet buffer",
        "Asterisk's PJSIP stack holds a whole packet in 4000 bytes (pjproject PJSIP_MAX_PKT_LEN, asterisk#956); no CXone source sets a limit. Send less when the call can cross such a stack.";
    TRANSFER_HEADER_NOT_STRING = "HD947", "transfer-header-not-string", Error,
        "a header name or value is not a string",
        "SIP headers are text: send every name and value as a string.";
    TRANSFER_TOO_MANY_TARGETS = "HD948", "transfer-too-many-targets", Warning,
        "a `dial` verb lists more than 10 targets",
        "Voice Gateway dials up to 10 destinations at once and drops the rest: list at most 10.";
    TRANSFER_CALLER_ID_INVALID = "HD949", "transfer-caller-id-invalid", Error,
        "a `dial` verb's `callerId` is not an E.164 number",
        "Cognigy's dial verb: \"The caller ID must be a valid E.164 number.\" Send `+`, country code and number.";
    TRANSFER_REFERRED_BY_INVALID = "HD950", "transfer-referred-by-invalid", Error,
        "`referredBy` or `transferReferredByURL` is not a SIP URI, a phone number or a user identifier",
        "Referred-By takes a SIP URI such as sip:bot@example.com, or a number or user that Voice Gateway completes with the carrier's domain.";
    TRANSFER_HEADER_MALFORMED = "HD951", "transfer-header-malformed", Error,
        "a header name is not a SIP token, or a value holds a line break",
        "RFC 3261: a header name is a token (letters, digits, -.!%*_+`'~), and a line break ends the header: fix the name, put the value on one line.";
}

/// Headers meant for the carrier, not for Studio: they need no `X-`.
const NETWORK_HEADERS: &[&str] = &[
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Privacy",
    "Diversion",
    "History-Info",
    "Remote-Party-ID",
    "Referred-By",
];
/// Genesys Cloud's recommended maximum of User-to-User, in characters.
const UUI_WARN: usize = 128;
/// Talkdesk's maximum of User-to-User data, in bytes.
const UUI_MAX: usize = 256;
/// The header line length many SIP parsers assume at most.
const LINE_MAX: usize = 1024;
/// pjproject's PJSIP_MAX_PKT_LEN, which Asterisk's PJSIP stack uses for a whole packet.
const ALL_MAX: usize = 4000;
/// Cognigy's dial verb: "An array of up to 10 destinations"; jambonz dials the first 10.
const MAX_TARGETS: usize = 10;
const TARGET_TYPES: &[&str] = &["phone", "sip", "user", "teams"];
/// Root keys of a Transfer node's settings (the legacy extension's and the ones the tool took).
const NODE_KEYS: &[&str] = &[
    "transferTarget",
    "transferType",
    "referTo",
    "customHeaders",
    "transferReferredByURL",
];
/// Cognigy's docs spell the Code Node envelope both ways: `_voiceGateway2` in the page's earlier
/// version, `_voice-gateway2` in the current one.
const VERB_ENVELOPES: &[&str] = &["_voiceGateway2", "_voice-gateway2"];
/// The legacy (AudioCodes-era) Voice Gateway extension's envelope of Bot API activities.
const ACTIVITY_ENVELOPE: &str = "_voiceGateway";

/// Which shape the transfer has; it decides the keys and the header format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Dial,
    Refer,
    Node,
}

/// What kind of address a field holds, for its check and its message.
#[derive(Clone, Copy)]
enum Address {
    /// The Transfer node's Target: "E.164 syntax or a SIP URI"; the legacy nodes also took `tel:`.
    NodeTarget,
    /// `referTo` / `referredBy`: "A SIP URI or a phone number/user identifier".
    Refer,
    /// A `phone` or `teams` dial target's `number`: "A telephone number in E.164 format".
    Number,
    /// A `sip` dial target's `sipUri`.
    SipUri,
    /// A `user` dial target's `name`: a registered SIP user, dialled as `sip:<name>`.
    User,
}

impl Contract for VgTransfer {
    fn name(&self) -> &'static str {
        "vg-transfer"
    }

    fn description(&self) -> &'static str {
        "a Voice Gateway transfer: the dial or sip:refer verb (bare or in _cognigy._voiceGateway2), the Transfer node's settings, or the legacy transfer activity"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        at_root(doc) || envelope(doc).is_some()
    }

    fn schema(&self, _: crate::Api) -> serde_json::Value {
        json_schema()
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let doc = cx.doc;
        let base = if at_root(doc) {
            0
        } else {
            envelope(doc).unwrap_or(0)
        };
        match form(doc, base) {
            Form::Dial => check_dial(cx, base),
            Form::Refer => check_refer(cx, base),
            Form::Node => check_node(cx, base),
        }
    }
}

/// The JSON Schema (draft 2020-12) of the transfer forms this contract checks.
fn json_schema() -> Value {
    let headers_object = json!({
        "type": "object",
        "description": "SIP headers as {\"Header-Name\": \"value\"}. CXone Studio reads only headers that start with X- (NICE help, SIPGETHEADER).",
        "additionalProperties": {"type": "string"}
    });
    let headers_array = json!({
        "type": "array",
        "description": "SIP headers as [{\"name\": ..., \"value\": ...}]: the Transfer node before 2025, the deprecated Generic and AudioCodes nodes, and the AudioCodes Bot API's transferSipHeaders.",
        "items": {
            "type": "object",
            "required": ["name", "value"],
            "properties": {"name": {"type": "string"}, "value": {"type": "string"}}
        }
    });
    let e164 = "^\\+[1-9][0-9]{1,14}$";
    let node_target = "^(\\+[1-9][0-9]{1,14}|[sS][iI][pP][sS]?:\\S+|[tT][eE][lL]:\\S+)$";
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Voice Gateway transfer (vg-transfer contract)",
        "description": "A Voice Gateway transfer: the dial or sip:refer verb (Cognigy/Documentation@62998e05 docs/voice-gateway/references/verbs/dial.md and sip-refer.md; jambonz/verb-specifications@1b1452d1 specs.json), bare or in the Code Node envelope _cognigy._voiceGateway2.json; the Transfer node's settings (Cognigy publishes their labels, not their JSON keys: the keys here are the legacy Voice Gateway extension's, Cognigy/Extensions@3d249905 extensions/voice-gateway/src/nodes/handover.ts, and the ones this tool took before); or the legacy extension's transfer activity. The rules say more: limits other vendors set (HD943 to HD946), X- headers for CXone (HD942).",
        "anyOf": [
            {"$ref": "#/$defs/dial"},
            {"$ref": "#/$defs/sipRefer"},
            {"$ref": "#/$defs/node"},
            {
                "description": "A Code Node's verb: _cognigy._voiceGateway2.json (spelt _voice-gateway2 in Cognigy's current docs).",
                "type": "object",
                "required": ["_cognigy"],
                "properties": {"_cognigy": {
                    "type": "object",
                    "properties": {
                        "_voiceGateway2": {"type": "object", "required": ["json"], "properties": {"json": {"anyOf": [{"$ref": "#/$defs/dial"}, {"$ref": "#/$defs/sipRefer"}]}}},
                        "_voice-gateway2": {"type": "object", "required": ["json"], "properties": {"json": {"anyOf": [{"$ref": "#/$defs/dial"}, {"$ref": "#/$defs/sipRefer"}]}}}
                    }
                }}
            },
            {
                "description": "The legacy Voice Gateway extension's output: _cognigy._voiceGateway.json.activities[] with a handover (or transfer) event whose activityParams hold the transfer.",
                "type": "object",
                "required": ["_cognigy"],
                "properties": {"_cognigy": {"type": "object", "properties": {"_voiceGateway": {
                    "type": "object",
                    "properties": {"json": {"type": "object", "properties": {"activities": {
                        "type": "array",
                        "items": {"type": "object", "properties": {
                            "type": {"const": "event"},
                            "name": {"enum": ["handover", "transfer"]},
                            "activityParams": {"$ref": "#/$defs/node"}
                        }}
                    }}}}
                }}}}
            }
        ],
        "$defs": {
            "dial": {
                "description": "The dial verb: target is required (jambonz specs.json), up to 10 destinations dialled at once (Cognigy dial.md).",
                "type": "object",
                "required": ["verb", "target"],
                "properties": {
                    "verb": {"const": "dial"},
                    "target": {"type": "array", "minItems": 1, "maxItems": MAX_TARGETS, "items": {"$ref": "#/$defs/target"}},
                    "callerId": {"type": "string", "pattern": e164, "description": "\"The caller ID must be a valid E.164 number.\" (Cognigy dial.md)"},
                    "callerName": {"type": "string"},
                    "headers": headers_object
                }
            },
            "target": {
                "description": "A dial destination; jambonz specs.json: type is phone, sip, user or teams; the feature server needs number (phone, teams), sipUri (sip) or name (user).",
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"enum": TARGET_TYPES},
                    "number": {"type": "string", "pattern": e164},
                    "sipUri": {"type": "string", "pattern": "^[sS][iI][pP][sS]?:\\S+$"},
                    "name": {"type": "string", "pattern": "^[^\\s:]+$"},
                    "tenant": {"type": "string"},
                    "trunk": {"type": "string"},
                    "vmail": {"type": "boolean"},
                    "headers": headers_object
                },
                "allOf": [
                    {"if": {"properties": {"type": {"enum": ["phone", "teams"]}}}, "then": {"required": ["number"]}},
                    {"if": {"properties": {"type": {"const": "sip"}}}, "then": {"required": ["sipUri"]}},
                    {"if": {"properties": {"type": {"const": "user"}}}, "then": {"required": ["name"]}}
                ]
            },
            "sipRefer": {
                "description": "The sip:refer verb (Cognigy sip-refer.md; jambonz specs.json requires referTo).",
                "type": "object",
                "required": ["verb", "referTo"],
                "properties": {
                    "verb": {"const": "sip:refer"},
                    "referTo": {"type": "string", "minLength": 1, "description": "\"A SIP URI or a phone number/user identifier.\""},
                    "referredBy": {"type": "string", "description": "\"A SIP URI or a phone number/user identifier.\""},
                    "referredByDisplayName": {"type": "string"},
                    "headers": headers_object
                }
            },
            "node": {
                "description": "A Transfer node's settings. Cognigy documents the fields by label only (Target: \"E.164 syntax or a SIP URI are supported\"; Transfer SIP Headers); transferTarget and transferReferredByURL are the legacy Voice Gateway extension's keys, transferSipHeaders the AudioCodes Bot API's, customHeaders the key this tool took before: no public source names it.",
                "type": "object",
                "anyOf": [{"required": ["transferTarget"]}, {"required": ["target"]}],
                "not": {"required": ["verb"]},
                "properties": {
                    "transferType": {"type": "string"},
                    "transferTarget": {"type": "string", "pattern": node_target},
                    "target": {"anyOf": [{"type": "string", "pattern": node_target}, {"type": "array", "items": {"$ref": "#/$defs/target"}}]},
                    "handoverReason": {"type": "string"},
                    "transferReferredByURL": {"type": "string"},
                    "customHeaders": {"anyOf": [headers_object, headers_array]},
                    "headers": {"anyOf": [headers_object, headers_array]},
                    "transferSipHeaders": {"anyOf": [headers_object, headers_array]}
                }
            }
        }
    })
}

/// Whether the record itself is the transfer: a node's settings or a bare verb.
fn at_root(doc: &Document<'_>) -> bool {
    has_root_key(doc, NODE_KEYS, false) || transfer_verb(doc, 0).is_some()
}

/// The verb's form when `object` is a `dial` or `sip:refer` verb. `refer` is taken too: the tool
/// always took it, and the Transfer node calls this transfer type Refer.
fn transfer_verb(doc: &Document<'_>, object: usize) -> Option<Form> {
    let verb = doc.get(object, "verb")?;
    if doc.kind(verb) != Kind::String {
        return None;
    }
    match doc.str(verb).as_ref() {
        "dial" => Some(Form::Dial),
        "sip:refer" | "refer" => Some(Form::Refer),
        _ => None,
    }
}

/// The `_cognigy` object, when the record's root has one.
fn cognigy(doc: &Document<'_>) -> Option<usize> {
    doc.get(0, "_cognigy")
        .filter(|&c| doc.kind(c) == Kind::Object)
}

/// Whether the record is Voice Gateway output in a `_cognigy` envelope rather than a chat reply.
pub(super) fn is_voice_gateway_envelope(doc: &Document<'_>) -> bool {
    cognigy(doc).is_some_and(|c| {
        doc.get(c, "_niceCXOne").is_none()
            && doc.children(c).any(|m| {
                let key = doc.key(m);
                key == ACTIVITY_ENVELOPE || VERB_ENVELOPES.contains(&key.as_ref())
            })
    })
}

/// The transfer inside a Voice Gateway envelope: a Code Node's `dial` or `sip:refer` verb, or the
/// `activityParams` of the legacy extension's `handover` event (AudioCodes' Bot API also names it
/// `transfer`).
fn envelope(doc: &Document<'_>) -> Option<usize> {
    let object = |n: &usize| doc.kind(*n) == Kind::Object;
    let c = cognigy(doc)?;
    for key in VERB_ENVELOPES {
        if let Some(json) = doc
            .get(c, key)
            .filter(object)
            .and_then(|e| doc.get(e, "json"))
            .filter(object)
        {
            return transfer_verb(doc, json).map(|_| json);
        }
    }
    let activities = doc
        .get(c, ACTIVITY_ENVELOPE)
        .filter(object)
        .and_then(|e| doc.get(e, "json"))
        .filter(object)
        .and_then(|j| doc.get(j, "activities"))
        .filter(|&a| doc.kind(a) == Kind::Array)?;
    doc.children(activities)
        .filter(object)
        .find(|&a| {
            doc.get(a, "name").is_some_and(|n| {
                doc.kind(n) == Kind::String
                    && matches!(doc.str(n).as_ref(), "handover" | "transfer")
            })
        })
        .and_then(|a| doc.get(a, "activityParams"))
        .filter(object)
}

fn form(doc: &Document<'_>, base: usize) -> Form {
    transfer_verb(doc, base).unwrap_or_else(|| {
        let node_target =
            doc.get(base, "transferTarget").is_some() || doc.get(base, "target").is_some();
        if doc.get(base, "referTo").is_some() && !node_target {
            Form::Refer
        } else {
            Form::Node
        }
    })
}

fn is_scheme(text: &str, schemes: &[&str]) -> bool {
    schemes.iter().any(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
            && !text[scheme.len()..].trim().is_empty()
            && !text[scheme.len()..].contains(char::is_whitespace)
    })
}

/// RFC 3261's `user` characters: unreserved, escaped and user-unreserved.
fn is_user_part(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%&=+$,;?/".contains(&b))
}

/// Why an address does not fit its field, or `None` when it does.
fn address_problem(address: Address, text: &str) -> Option<&'static str> {
    let e164 = phone::is_e164(text);
    let sip = is_scheme(text, &["sip:", "sips:"]);
    let ok = match address {
        Address::NodeTarget => e164 || sip || is_scheme(text, &["tel:"]),
        Address::Number => e164,
        Address::SipUri => sip,
        Address::User => {
            !text.is_empty()
                && !text.contains(char::is_whitespace)
                && !is_scheme(text, &["sip:", "sips:", "tel:"])
        }
        // jambonz sends a value that starts with `sip`, `<` or `"` as it is, and wraps anything
        // else as sip:<value>@<host>.
        Address::Refer => {
            if is_scheme(text, &["tel:"]) {
                return Some(
                    "a tel: URI, which Voice Gateway's sip:refer (jambonz) would send as sip:tel:...@host: use E.164 or a SIP URI",
                );
            }
            e164 || sip || text.starts_with('<') || text.starts_with('"') || is_user_part(text)
        }
    };
    if ok {
        return None;
    }
    Some(match address {
        Address::NodeTarget => "neither E.164 nor a sip:, sips: or tel: URI",
        Address::Number => {
            "not an E.164 number, which a `phone` or `teams` target's `number` must be"
        }
        Address::SipUri => "not a sip: or sips: URI",
        Address::User => {
            "not a registered user's name: Voice Gateway dials sip:<name>, so it takes no scheme and no spaces"
        }
        Address::Refer => {
            "neither E.164, a SIP URI, nor a phone number or user identifier (RFC 3261 user characters, no spaces)"
        }
    })
}

/// Checks one address field; a phone number that can be normalised gets a fix.
fn check_address(
    cx: &mut Context<'_, '_>,
    rule: &'static Rule,
    node: usize,
    field: &str,
    address: Address,
) {
    let doc = cx.doc;
    if doc.kind(node) != Kind::String {
        cx.report(
            rule,
            At::Value(node),
            format!(
                "`{field}` must be a string, found a {}",
                doc.kind(node).name()
            ),
        );
        return;
    }
    if cx.holds_template(node) {
        return;
    }
    let text = doc.str(node);
    let Some(problem) = address_problem(address, &text) else {
        return;
    };
    let numbered = !matches!(address, Address::SipUri | Address::User);
    let suggestion = numbered
        .then(|| {
            let settings = cx.settings;
            phone::suggest_e164(
                &text,
                settings.default_region.as_deref(),
                settings.numbering_plan.as_ref(),
            )
        })
        .flatten();
    let reported = cx.report(
        rule,
        At::Value(node),
        format!("`{field}` {} is {problem}", quote(&text)),
    );
    if let Some(e164) = suggestion {
        reported.replace_with(quote(&e164));
    }
}

/// Checks a Transfer node's settings that sit at `object` inside a larger document (a node's
/// `config` in a Cognigy flow's chart) with the rules the contract gives a record of those
/// settings; the findings point into `doc`. Templates are the caller's to judge: no string is
/// taken for one here, as the caller's template syntax is not the payload's.
pub fn check_node_settings(
    doc: &Document<'_>,
    object: usize,
    settings: &CheckSettings,
    findings: &mut Vec<Finding>,
) {
    let mut cx = Context {
        doc,
        settings,
        findings,
        templated: Vec::new(),
    };
    check_node(&mut cx, object);
}

fn check_node(cx: &mut Context<'_, '_>, base: usize) {
    let doc = cx.doc;
    let mut found = false;
    if let Some(node) = doc.get(base, "transferTarget") {
        found = true;
        check_address(
            cx,
            &TRANSFER_TARGET_INVALID,
            node,
            "transferTarget",
            Address::NodeTarget,
        );
    }
    if let Some(target) = doc.get(base, "target") {
        found = true;
        if doc.kind(target) == Kind::Array {
            check_targets(cx, target);
        } else {
            check_address(
                cx,
                &TRANSFER_TARGET_INVALID,
                target,
                "target",
                Address::NodeTarget,
            );
        }
    }
    if let Some(node) = doc.get(base, "referTo") {
        found = true;
        check_address(
            cx,
            &TRANSFER_TARGET_INVALID,
            node,
            "referTo",
            Address::Refer,
        );
    }
    if !found {
        cx.report(
            &TRANSFER_TARGET_INVALID,
            At::MissingIn(base),
            "no transfer target: `transferTarget` (Transfer node), `referTo` (sip:refer) or `target` (dial)",
        );
    }
    for field in ["referredBy", "transferReferredByURL"] {
        check_referred_by(cx, base, field);
    }
    let mut total = 0;
    let mut holder = None;
    for field in ["customHeaders", "headers", "transferSipHeaders"] {
        if let Some(node) = doc.get(base, field) {
            total += check_headers(cx, node, field, true);
            holder = Some(node);
        }
    }
    if let Some(node) = holder {
        report_total(cx, node, total, "the custom headers add up to");
    }
}

fn check_refer(cx: &mut Context<'_, '_>, base: usize) {
    let doc = cx.doc;
    match doc.get(base, "referTo") {
        Some(node) => check_address(
            cx,
            &TRANSFER_TARGET_INVALID,
            node,
            "referTo",
            Address::Refer,
        ),
        None => {
            cx.report(
                &TRANSFER_TARGET_INVALID,
                At::MissingIn(base),
                "a `sip:refer` verb needs `referTo`: a SIP URI or a phone number/user identifier",
            );
        }
    }
    check_referred_by(cx, base, "referredBy");
    if let Some(node) = doc.get(base, "headers") {
        let total = check_headers(cx, node, "headers", false);
        report_total(cx, node, total, "the REFER's custom headers add up to");
    }
}

fn check_dial(cx: &mut Context<'_, '_>, base: usize) {
    let doc = cx.doc;
    match doc.get(base, "target") {
        Some(target) if doc.kind(target) == Kind::Array => check_targets(cx, target),
        Some(target) => {
            cx.report(
                &TRANSFER_TARGET_INVALID,
                At::Value(target),
                format!(
                    "a `dial` verb's `target` is an array of destinations such as [{{\"type\": \"phone\", \"number\": \"+14155552671\"}}], found a {}",
                    doc.kind(target).name()
                ),
            );
        }
        None => {
            cx.report(
                &TRANSFER_TARGET_INVALID,
                At::MissingIn(base),
                "a `dial` verb needs `target`: an array of up to 10 destinations",
            );
        }
    }
    if let Some(caller) = doc.get(base, "callerId") {
        check_caller_id(cx, caller);
    }
    let verb_headers = doc.get(base, "headers");
    let verb_total = verb_headers.map_or(0, |h| check_headers(cx, h, "headers", false));
    // Each target's INVITE carries the verb's headers and its own (jambonz merges them).
    let mut target_headers = false;
    if let Some(target) = doc
        .get(base, "target")
        .filter(|&t| doc.kind(t) == Kind::Array)
    {
        for element in doc.children(target) {
            let Some(own) = (doc.kind(element) == Kind::Object)
                .then(|| doc.get(element, "headers"))
                .flatten()
            else {
                continue;
            };
            target_headers = true;
            let own_total = check_headers(cx, own, "headers", false);
            if verb_total <= ALL_MAX {
                report_total(
                    cx,
                    own,
                    verb_total + own_total,
                    "with the verb's headers, this target's INVITE carries",
                );
            }
        }
    }
    if let Some(node) = verb_headers
        && (verb_total > ALL_MAX || !target_headers)
    {
        report_total(cx, node, verb_total, "the custom headers add up to");
    }
}

fn check_targets(cx: &mut Context<'_, '_>, target: usize) {
    let doc = cx.doc;
    let count = doc.children(target).count();
    if count == 0 {
        cx.report(
            &TRANSFER_TARGET_INVALID,
            At::Value(target),
            "`target` is empty: there is nothing to dial",
        );
        return;
    }
    if count > MAX_TARGETS {
        cx.report(
            &TRANSFER_TOO_MANY_TARGETS,
            At::Value(target),
            format!("`target` lists {count} destinations; Voice Gateway dials at most {MAX_TARGETS}, so the rest are never called"),
        );
    }
    for element in doc.children(target) {
        check_target(cx, element);
    }
}

fn check_target(cx: &mut Context<'_, '_>, element: usize) {
    let doc = cx.doc;
    if doc.kind(element) != Kind::Object {
        cx.report(
            &TRANSFER_TARGET_INVALID,
            At::Value(element),
            format!(
                "a dial target is an object {{\"type\": ..., ...}}, found a {}",
                doc.kind(element).name()
            ),
        );
        return;
    }
    let Some(kind) = doc.get(element, "type") else {
        cx.report(
            &TRANSFER_TARGET_INVALID,
            At::MissingIn(element),
            "a dial target needs `type`: phone, sip, user or teams",
        );
        return;
    };
    let value = if doc.kind(kind) == Kind::String {
        doc.str(kind)
    } else {
        doc.raw(kind).into()
    };
    if doc.kind(kind) == Kind::String && cx.holds_template(kind) {
        return;
    }
    let (field, address) = match value.as_ref() {
        "phone" | "teams" => ("number", Address::Number),
        "sip" => ("sipUri", Address::SipUri),
        "user" => ("name", Address::User),
        _ => {
            let reported = cx.report(
                &TRANSFER_TARGET_INVALID,
                At::Value(kind),
                format!(
                    "a dial target's `type` is {}, not phone, sip, user or teams",
                    quote(&value)
                ),
            );
            if let Some(fixed) = TARGET_TYPES
                .iter()
                .find(|t| t.eq_ignore_ascii_case(value.trim()))
            {
                reported.replace_with(quote(fixed));
            }
            return;
        }
    };
    match doc.get(element, field) {
        Some(node) => check_address(cx, &TRANSFER_TARGET_INVALID, node, field, address),
        None => {
            cx.report(
                &TRANSFER_TARGET_INVALID,
                At::MissingIn(element),
                format!("a `{value}` dial target needs `{field}`"),
            );
        }
    }
}

fn check_caller_id(cx: &mut Context<'_, '_>, node: usize) {
    check_address(
        cx,
        &TRANSFER_CALLER_ID_INVALID,
        node,
        "callerId",
        Address::Number,
    );
}

fn check_referred_by(cx: &mut Context<'_, '_>, base: usize, field: &str) {
    let doc = cx.doc;
    let Some(node) = doc.get(base, field) else {
        return;
    };
    // Empty is the legacy extension's default and means "not set": the identity of the caller.
    if doc.kind(node) == Kind::String && doc.str(node).trim().is_empty() {
        return;
    }
    check_address(
        cx,
        &TRANSFER_REFERRED_BY_INVALID,
        node,
        field,
        Address::Refer,
    );
}

/// Checks one set of headers, an object or (where the node takes it) `[{name, value}]`, and
/// returns the bytes its lines take in the SIP message.
fn check_headers(cx: &mut Context<'_, '_>, node: usize, field: &str, array_too: bool) -> usize {
    let doc = cx.doc;
    let mut total = 0;
    match doc.kind(node) {
        Kind::Object => {
            for member in doc.children(node) {
                if doc.kind(member) != Kind::String {
                    cx.report(
                        &TRANSFER_HEADER_NOT_STRING,
                        At::Value(member),
                        format!(
                            "the value of `{}` must be a string, found a {}",
                            doc.key(member),
                            doc.kind(member).name()
                        ),
                    );
                    continue;
                }
                total += check_header(
                    cx,
                    (At::Key(member), &*doc.key(member)),
                    (At::Value(member), &*doc.str(member)),
                );
            }
        }
        Kind::Array if array_too => {
            for element in doc.children(node) {
                let pair = (doc.kind(element) == Kind::Object)
                    .then(|| doc.get(element, "name").zip(doc.get(element, "value")))
                    .flatten();
                let Some((name, value)) = pair else {
                    cx.report(
                        &TRANSFER_HEADER_FORMAT,
                        At::Value(element),
                        "each header in the array must be {\"name\": ..., \"value\": ...}",
                    );
                    continue;
                };
                let mut strings = true;
                for (part, what) in [(name, "name"), (value, "value")] {
                    if doc.kind(part) != Kind::String {
                        strings = false;
                        cx.report(
                            &TRANSFER_HEADER_NOT_STRING,
                            At::Value(part),
                            format!(
                                "a header's {what} must be a string, found a {}",
                                doc.kind(part).name()
                            ),
                        );
                    }
                }
                if strings {
                    total += check_header(
                        cx,
                        (At::Value(name), &*doc.str(name)),
                        (At::Value(value), &*doc.str(value)),
                    );
                }
            }
        }
        Kind::Array => {
            cx.report(
                &TRANSFER_HEADER_FORMAT,
                At::Value(node),
                format!("a verb's `{field}` is an object {{\"X-Name\": \"value\"}}, not an array"),
            );
        }
        other => {
            let wanted = if array_too {
                "an object {\"X-Name\": \"value\"} or an array of {\"name\", \"value\"}"
            } else {
                "an object {\"X-Name\": \"value\"}"
            };
            cx.report(
                &TRANSFER_HEADER_FORMAT,
                At::Value(node),
                format!("`{field}` must be {wanted}, found a {}", other.name()),
            );
        }
    }
    total
}

/// RFC 3261's `token`, which a header name is.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b))
}

/// Checks one header; returns the bytes of its line, CRLF included.
fn check_header(cx: &mut Context<'_, '_>, name: (At, &str), value: (At, &str)) -> usize {
    let ((name_at, name), (value_at, value)) = (name, value);
    let line = name.len() + 2 + value.len();
    if !is_token(name) {
        cx.report(
            &TRANSFER_HEADER_MALFORMED,
            name_at,
            format!("{} is not a valid SIP header name: letters, digits and -.!%*_+`'~ only, no spaces or colons", quote(name)),
        );
    } else if !name
        .as_bytes()
        .get(..2)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"X-"))
        && !NETWORK_HEADERS.iter().any(|n| n.eq_ignore_ascii_case(name))
    {
        let message = if name.eq_ignore_ascii_case("User-to-User") {
            "`User-to-User` does not start with X-: CXone Studio cannot read it; context sent only there may arrive unreadable".to_string()
        } else {
            format!("`{name}` does not start with X-: CXone Studio cannot read it")
        };
        cx.report(&TRANSFER_HEADER_NOT_X, name_at, message);
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        cx.report(
            &TRANSFER_HEADER_MALFORMED,
            value_at,
            format!("the value of `{name}` holds a line break, which ends a SIP header line"),
        );
    }
    if name.eq_ignore_ascii_case("User-to-User") {
        let chars = value.chars().count();
        if value.len() > UUI_MAX {
            cx.report(
                &TRANSFER_UUI_TOO_LONG,
                value_at,
                format!(
                    "`User-to-User` is {} bytes: Talkdesk caps UUI data at {UUI_MAX} bytes (and Genesys Cloud recommends at most {UUI_WARN} characters)",
                    value.len()
                ),
            );
        } else if chars > UUI_WARN {
            cx.report(
                &TRANSFER_UUI_LONG,
                value_at,
                format!("`User-to-User` is {chars} characters: Genesys Cloud recommends at most {UUI_WARN}, as some systems discard longer UUI"),
            );
        }
    }
    if line > LINE_MAX {
        cx.report(
            &TRANSFER_HEADER_TOO_LONG,
            value_at,
            format!("the `{name}` header line is {line} bytes, over the {LINE_MAX} many SIP parsers and middleboxes assume at most"),
        );
    }
    line + 2
}

fn report_total(cx: &mut Context<'_, '_>, node: usize, total: usize, what: &str) {
    if total > ALL_MAX {
        cx.report(
            &TRANSFER_HEADERS_TOO_LARGE,
            At::Value(node),
            format!("{what} {total} bytes: with the SDP, over the {ALL_MAX}-byte packet buffer of Asterisk's PJSIP stack (pjproject PJSIP_MAX_PKT_LEN, asterisk#956)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_its_draft_and_the_target_types_the_rules_take() {
        let schema = json_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(schema["title"].as_str().unwrap().contains("vg-transfer"));
        assert_eq!(
            schema["$defs"]["target"]["properties"]["type"]["enum"],
            json!(TARGET_TYPES)
        );
        assert_eq!(
            schema["$defs"]["dial"]["properties"]["target"]["maxItems"],
            MAX_TARGETS
        );
    }
}
