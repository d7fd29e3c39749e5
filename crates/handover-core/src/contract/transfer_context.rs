//! The `transfer-context` contract: the tutorial's handover payload,
//! `{"transferContext": {"queueId", "participant": {"name", "phoneNumber"}, "customAttributes", "flowVersionId"}}`.

use crate::context::{At, Context};
use crate::contract::Contract;
use crate::json::{Kind, quote};
use crate::phone;
use crate::settings::{Api, PhoneCheck};
use crate::text;

pub struct TransferContext;

crate::catalog! {
    MISSING_TRANSFER_CONTEXT = "HD101", "missing-transfer-context", Error,
        "the root is not an object, or has no `transferContext` key",
        "Wrap the handover data as {\"transferContext\": {...}}.";
    WRONG_TYPE = "HD102", "wrong-type", Error,
        "a contract field has the wrong JSON type",
        "Send the field with the JSON type the contract names.";
    UNKNOWN_FIELD = "HD103", "unknown-field", Warning,
        "a key inside `transferContext` or `participant` that the contract does not know",
        "Remove the key or correct its spelling; the contact center ignores keys it does not know.";
    MISSING_QUEUE_ID = "HD201", "missing-queue-id", Error,
        "`queueId` is absent, null, empty or only whitespace",
        "Set `transferContext.queueId` to the id of the target queue (a CXone skill id); without it the contact cannot be routed.";
    INVALID_QUEUE_ID = "HD202", "invalid-queue-id", Error,
        "`queueId` is not an id of the selected API profile",
        "CXone skill ids are positive integers; routing-v2 queue ids are UUIDs.";
    INVALID_FLOW_VERSION_ID = "HD203", "invalid-flow-version-id", Error,
        "`flowVersionId` is not a canonical 8-4-4-4-12 hex UUID",
        "Copy the flow version id as a UUID such as 3f2b8c1e-5a4d-4e7b-9c1a-2d3e4f5a6b7c, or leave the key out.";
    MISSING_PARTICIPANT = "HD301", "missing-participant", Error,
        "`participant` is absent or null",
        "Add `transferContext.participant` with the caller's `name` and `phoneNumber`.";
    MISSING_PARTICIPANT_NAME = "HD302", "missing-participant-name", Error,
        "`participant.name` is absent, null, empty or only whitespace",
        "Set `participant.name`; use a neutral value such as \"Unknown caller\" when the bot did not learn it.";
    MISSING_PHONE_NUMBER = "HD303", "missing-phone-number", Error,
        "`participant.phoneNumber` is absent, null, empty or only whitespace",
        "Set `participant.phoneNumber` to the caller's number in E.164 (the ANI for voice).";
    PHONE_NOT_E164 = "HD304", "phone-not-e164", Error,
        "`phoneNumber` is not E.164: `+` then 2 to 15 digits, the first not 0",
        "Normalise the number in the bot before the handover: `+`, country code, national number, no separators.";
    PHONE_UNKNOWN_COUNTRY = "HD305", "phone-unknown-country", Error,
        "E.164 syntax, but no country uses that calling code",
        "Check the country code; the number was probably cut or typed with a wrong prefix.";
    PHONE_INVALID_NUMBER = "HD306", "phone-invalid-number", Warning,
        "the number is not valid in its country's numbering plan",
        "Check the number's length and area code; carriers reject calls to or from invalid numbers.";
    CUSTOM_ATTRIBUTES_TOO_LARGE = "HD401", "custom-attributes-too-large", Warning,
        "`customAttributes` serialised is larger than `max_custom_attributes_bytes`",
        "Send ids instead of whole documents; the bot platform caps context at 65 kB by default.";
    MISSING_REQUIRED_ATTRIBUTE = "HD402", "missing-required-attribute", Error,
        "a key listed in `required_attributes` is absent from `customAttributes`",
        "Set the attribute in the bot before the handover; the Studio script expects it.";
}

const CONTEXT_KEYS: &[&str; 4] = &[
    "queueId",
    "participant",
    "customAttributes",
    "flowVersionId",
];
const PARTICIPANT_KEYS: &[&str; 2] = &["name", "phoneNumber"];

impl Contract for TransferContext {
    fn name(&self) -> &'static str {
        "transfer-context"
    }

    fn description(&self) -> &'static str {
        "the tutorial's {\"transferContext\": {queueId, participant, customAttributes, flowVersionId}} payload"
    }

    fn claims(&self, doc: &crate::json::Document<'_>) -> bool {
        super::has_root_key(doc, &["transferContext"], false)
    }

    fn schema(&self, api: crate::Api) -> serde_json::Value {
        crate::schema::transfer_context(api)
    }

    fn facts(&self, doc: &crate::json::Document<'_>) -> super::Facts {
        let object = |node: Option<usize>| node.filter(|&n| doc.kind(n) == Kind::Object);
        let Some(context) =
            object(Some(0)).and_then(|root| object(doc.get(root, "transferContext")))
        else {
            return super::Facts::default();
        };
        let participant = object(doc.get(context, "participant"));
        let text = |key: &str| {
            participant
                .and_then(|p| doc.get(p, key))
                .filter(|&n| doc.kind(n) == Kind::String)
                .map(|n| doc.str(n).into_owned())
                .unwrap_or_default()
        };
        super::Facts {
            queue_id: super::id_text(doc, doc.get(context, "queueId")),
            phone_number: text("phoneNumber"),
            name: text("name"),
            custom_attributes: doc
                .get(context, "customAttributes")
                .map_or_else(|| "{}".to_string(), |n| doc.compact(n)),
            ..super::Facts::default()
        }
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        let doc = cx.doc;
        if doc.kind(0) != Kind::Object {
            let hint = if doc.kind(0) == Kind::Array {
                "A .json file holds one payload; for many payloads use JSON Lines (.jsonl), one per line."
            } else {
                MISSING_TRANSFER_CONTEXT.hint
            };
            cx.report(
                &MISSING_TRANSFER_CONTEXT,
                At::Value(0),
                format!(
                    "the payload is a JSON {}, not an object holding `transferContext`",
                    doc.kind(0).name()
                ),
            )
            .hint(hint);
            return;
        }
        let Some(context) = doc.get(0, "transferContext") else {
            let near = doc
                .children(0)
                .find(|&m| text::did_you_mean(&doc.key(m), &["transferContext"]).is_some());
            match near {
                Some(m) => {
                    cx.report(
                        &MISSING_TRANSFER_CONTEXT,
                        At::Key(m),
                        format!("no `transferContext` key; did you mean `transferContext` instead of `{}`?", doc.key(m)),
                    )
                    .replace_with(quote("transferContext"));
                }
                None => {
                    cx.report(
                        &MISSING_TRANSFER_CONTEXT,
                        At::MissingIn(0),
                        "the payload has no `transferContext` key",
                    );
                }
            }
            return;
        };
        if doc.kind(context) != Kind::Object {
            wrong_type(cx, context, "transferContext", "an object");
            return;
        }
        let ([queue, participant, attributes, flow], others) = doc.lookup(context, CONTEXT_KEYS);
        if others {
            unknown_keys(cx, context, CONTEXT_KEYS);
        }
        check_queue_id(cx, context, queue);
        check_participant(cx, context, participant);
        check_custom_attributes(cx, context, attributes);
        check_flow_version_id(cx, flow);
    }
}

fn wrong_type(cx: &mut Context<'_, '_>, node: usize, field: &str, expected: &str) {
    let found = cx.doc.kind(node).name();
    cx.report(
        &WRONG_TYPE,
        At::Value(node),
        ["`", field, "` must be ", expected, ", found a ", found].concat(),
    );
}

fn unknown_keys(cx: &mut Context<'_, '_>, object: usize, known: &[&str]) {
    let doc = cx.doc;
    for member in doc.children(object) {
        let key = doc.key(member);
        if known.contains(&key.as_ref()) {
            continue;
        }
        let suggestion = text::did_you_mean(&key, known);
        match suggestion {
            Some(meant) => {
                let reported = cx.report(
                    &UNKNOWN_FIELD,
                    At::Key(member),
                    ["unknown key `", &key, "`; did you mean `", meant, "`?"].concat(),
                );
                if doc.get(object, meant).is_none() {
                    let node = doc.node(member);
                    let span = crate::Span::new(node.key_start as usize, node.key_end as usize);
                    reported.fix(format!("rename `{key}` to `{meant}`"), span, quote(meant));
                }
            }
            None => {
                cx.report(
                    &UNKNOWN_FIELD,
                    At::Key(member),
                    format!("unknown key `{key}`; the contract knows {}", list(known)),
                );
            }
        }
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The misspelt key that was probably meant for `field`, for messages about a missing field.
fn found_instead(cx: &Context<'_, '_>, object: usize, field: &str) -> String {
    let doc = cx.doc;
    doc.children(object)
        .map(|m| doc.key(m))
        .find(|k| k != field && text::did_you_mean(k, &[field]).is_some())
        .map(|k| [" (found `", &k, "`: a misspelling?)"].concat())
        .unwrap_or_default()
}

fn is_blank(cx: &Context<'_, '_>, node: usize) -> bool {
    let doc = cx.doc;
    if doc.kind(node) != Kind::String {
        return false;
    }
    // Nearly every value starts with a printable ASCII character, which says it without decoding
    // the string. (Control characters stand in a JSON string only escaped.)
    match doc.source().as_bytes()[doc.node(node).start as usize + 1] {
        b'"' => true,
        // A backslash may start an escaped white space; any other printable byte is no space.
        first @ 0x21..=0x7f if first != b'\\' => false,
        _ => doc.str(node).trim().is_empty(),
    }
}

fn check_queue_id(cx: &mut Context<'_, '_>, context: usize, queue: Option<usize>) {
    let doc = cx.doc;
    let Some(queue) = queue else {
        let found = found_instead(cx, context, "queueId");
        cx.report(
            &MISSING_QUEUE_ID,
            At::MissingIn(context),
            [
                "`queueId` is missing",
                &found,
                "; the contact center cannot route the contact",
            ]
            .concat(),
        );
        return;
    };
    let api = cx.settings.api;
    match doc.kind(queue) {
        Kind::Null => {
            cx.report(&MISSING_QUEUE_ID, At::Value(queue), "`queueId` is null");
        }
        Kind::String if is_blank(cx, queue) => {
            cx.report(&MISSING_QUEUE_ID, At::Value(queue), "`queueId` is empty");
        }
        Kind::String if cx.holds_template(queue) => {}
        Kind::String => {
            let value = doc.str(queue);
            match api {
                Api::Cxone => check_skill_id(cx, queue, &value),
                Api::RoutingV2 => check_routing_queue_id(cx, queue, &value),
            }
        }
        Kind::Number if api == Api::Cxone => {
            let raw = doc.raw(queue);
            if !is_positive_integer(raw) {
                cx.report(
                    &INVALID_QUEUE_ID,
                    At::Value(queue),
                    format!(
                        "`queueId` {raw} is not a CXone skill id: skill ids are positive integers"
                    ),
                );
            }
        }
        _ => {
            let expected = match api {
                Api::Cxone => "a skill id (a string of digits or an integer)",
                Api::RoutingV2 => "a string (a queue UUID)",
            };
            wrong_type(cx, queue, "queueId", expected);
        }
    }
}

fn is_positive_integer(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && text.bytes().any(|b| b != b'0')
}

fn check_skill_id(cx: &mut Context<'_, '_>, queue: usize, value: &str) {
    if is_positive_integer(value) {
        return;
    }
    if is_positive_integer(value.trim()) {
        cx.report(
            &INVALID_QUEUE_ID,
            At::Value(queue),
            "`queueId` has spaces around the skill id",
        )
        .replace_with(quote(value.trim()));
        return;
    }
    if text::canonical_uuid(value).is_some() {
        cx.report(
            &INVALID_QUEUE_ID,
            At::Value(queue),
            format!("`queueId` {} is a UUID, but CXone skill ids are numeric", quote(value)),
        )
        .hint(
            "Use the skill's numeric id (ACD > Skills). If the payload is meant for the tutorial's /api/v2 routing API, validate with --api routing-v2.",
        );
        return;
    }
    cx.report(
        &INVALID_QUEUE_ID,
        At::Value(queue),
        format!(
            "`queueId` {} is not a CXone skill id: skill ids are positive integers",
            quote(value)
        ),
    );
}

fn check_routing_queue_id(cx: &mut Context<'_, '_>, queue: usize, value: &str) {
    if text::is_canonical_uuid(value) {
        return;
    }
    if let Some(canonical) = text::canonical_uuid(value) {
        cx.report(
            &INVALID_QUEUE_ID,
            At::Value(queue),
            "`queueId` is a UUID, but not in the canonical 8-4-4-4-12 form",
        )
        .replace_with(quote(&canonical));
        return;
    }
    let reported = cx.report(
        &INVALID_QUEUE_ID,
        At::Value(queue),
        ["`queueId` ", &quote(value), " is not a UUID"].concat(),
    );
    if is_positive_integer(value) {
        reported.hint("This looks like a CXone skill id: validate with --api cxone (the default).");
    }
}

fn check_participant(cx: &mut Context<'_, '_>, context: usize, participant: Option<usize>) {
    let doc = cx.doc;
    let participant = match participant {
        None => {
            let found = found_instead(cx, context, "participant");
            cx.report(
                &MISSING_PARTICIPANT,
                At::MissingIn(context),
                [
                    "`participant` is missing",
                    &found,
                    "; the agent will not know who is calling",
                ]
                .concat(),
            );
            return;
        }
        Some(p) if doc.kind(p) == Kind::Null => {
            cx.report(&MISSING_PARTICIPANT, At::Value(p), "`participant` is null");
            return;
        }
        Some(p) if doc.kind(p) != Kind::Object => {
            wrong_type(cx, p, "participant", "an object");
            return;
        }
        Some(p) => p,
    };
    let ([name, phone], others) = doc.lookup(participant, PARTICIPANT_KEYS);
    if others {
        unknown_keys(cx, participant, PARTICIPANT_KEYS);
    }
    match name {
        None => {
            let found = found_instead(cx, participant, "name");
            cx.report(
                &MISSING_PARTICIPANT_NAME,
                At::MissingIn(participant),
                ["`participant.name` is missing", &found].concat(),
            );
        }
        Some(n) if doc.kind(n) == Kind::Null => {
            cx.report(
                &MISSING_PARTICIPANT_NAME,
                At::Value(n),
                "`participant.name` is null",
            );
        }
        Some(n) if is_blank(cx, n) => {
            cx.report(
                &MISSING_PARTICIPANT_NAME,
                At::Value(n),
                "`participant.name` is empty",
            );
        }
        Some(n) if doc.kind(n) != Kind::String => wrong_type(cx, n, "participant.name", "a string"),
        Some(_) => {}
    }
    match phone {
        None => {
            let found = found_instead(cx, participant, "phoneNumber");
            cx.report(
                &MISSING_PHONE_NUMBER,
                At::MissingIn(participant),
                ["`participant.phoneNumber` is missing", &found].concat(),
            );
        }
        Some(p) if doc.kind(p) == Kind::Null => {
            cx.report(
                &MISSING_PHONE_NUMBER,
                At::Value(p),
                "`participant.phoneNumber` is null",
            );
        }
        Some(p) if is_blank(cx, p) => {
            cx.report(
                &MISSING_PHONE_NUMBER,
                At::Value(p),
                "`participant.phoneNumber` is empty",
            );
        }
        Some(p) if doc.kind(p) == Kind::Number => {
            let raw = doc.raw(p);
            let number = ["+", raw].concat();
            let reported = cx.report(
                &WRONG_TYPE,
                At::Value(p),
                [
                    "`participant.phoneNumber` must be a string, found the number ",
                    raw,
                ]
                .concat(),
            );
            if phone::is_e164(&number) {
                reported
                    .hint("JSON numbers lose the leading `+` (and leading zeros): send the number as an E.164 string.")
                    .replace_with(quote(&number));
            }
        }
        Some(p) if doc.kind(p) != Kind::String => {
            wrong_type(cx, p, "participant.phoneNumber", "a string")
        }
        Some(p) if cx.holds_template(p) => {}
        Some(p) => check_phone_number(cx, p),
    }
}

fn check_phone_number(cx: &mut Context<'_, '_>, node: usize) {
    let number = cx.doc.str(node);
    let settings = cx.settings;
    if !phone::is_e164(&number) {
        let suggestion = phone::suggest_e164(
            &number,
            settings.default_region.as_deref(),
            settings.numbering_plan.as_ref(),
        );
        let reported = cx.report(
            &PHONE_NOT_E164,
            At::Value(node),
            [quote(&number).as_str(), " is not an E.164 phone number"].concat(),
        );
        match suggestion {
            Some(e164) => {
                reported.replace_with(quote(&e164));
            }
            None if settings.default_region.is_none() => {
                reported.hint(
                    "Send `+`, the country code and the national number, with no separators. For national numbers, set `default_region` (e.g. US) to get a fix.",
                );
            }
            None => {}
        }
        return;
    }
    if phone::calling_code(&number).is_none() {
        cx.report(
            &PHONE_UNKNOWN_COUNTRY,
            At::Value(node),
            format!("no country uses the calling code of {}", quote(&number)),
        );
        return;
    }
    if settings.phone_check == PhoneCheck::Full && !settings.numbering_plan.is_valid(&number) {
        cx.report(
            &PHONE_INVALID_NUMBER,
            At::Value(node),
            format!(
                "{} is not a valid number in its country's numbering plan",
                quote(&number)
            ),
        );
    }
}

fn check_custom_attributes(cx: &mut Context<'_, '_>, context: usize, attributes: Option<usize>) {
    let doc = cx.doc;
    let attributes = match attributes {
        None => None,
        Some(a) if doc.kind(a) == Kind::Object => Some(a),
        Some(a) => {
            let reported = cx.report(
                &WRONG_TYPE,
                At::Value(a),
                format!(
                    "`customAttributes` must be an object, found a {}",
                    doc.kind(a).name()
                ),
            );
            if doc.kind(a) == Kind::Null {
                reported.hint("Leave the key out, or send {}.");
            }
            return;
        }
    };
    if let Some(a) = attributes {
        let limit = cx.settings.max_custom_attributes_bytes;
        let node = doc.node(a);
        if (node.end - node.start) as usize > limit {
            let size = doc.compact_len(a);
            if size > limit {
                cx.report(
                    &CUSTOM_ATTRIBUTES_TOO_LARGE,
                    At::Value(a),
                    format!("`customAttributes` is {size} bytes serialised, over the limit of {limit} bytes"),
                );
            }
        }
    }
    let settings = cx.settings;
    for required in &settings.required_attributes {
        if attributes.and_then(|a| doc.get(a, required)).is_none() {
            cx.report(
                &MISSING_REQUIRED_ATTRIBUTE,
                At::MissingIn(attributes.unwrap_or(context)),
                format!("required attribute `{required}` is missing from `customAttributes`"),
            );
        }
    }
}

fn check_flow_version_id(cx: &mut Context<'_, '_>, flow: Option<usize>) {
    let doc = cx.doc;
    let Some(flow) = flow else {
        return;
    };
    if doc.kind(flow) != Kind::String {
        wrong_type(cx, flow, "flowVersionId", "a string (a UUID)");
        return;
    }
    if cx.holds_template(flow) {
        return;
    }
    let value = doc.str(flow);
    if text::is_canonical_uuid(&value) {
        return;
    }
    let reported = cx.report(
        &INVALID_FLOW_VERSION_ID,
        At::Value(flow),
        [
            "`flowVersionId` ",
            &quote(&value),
            " is not a canonical UUID",
        ]
        .concat(),
    );
    if let Some(canonical) = text::canonical_uuid(&value) {
        reported.replace_with(quote(&canonical));
    }
}
