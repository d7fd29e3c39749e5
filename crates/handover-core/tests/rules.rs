//! Every rule of the transfer-context contract, table-driven: payloads where it fires (code,
//! severity, pointer, span and fix checked) and close payloads where it does not. Then the things a
//! table cannot say well: API profiles, null as missing, levels, parse-error spans, applying fixes.

use std::sync::Arc;

use handover_core::engine::PhoneCheck;
use handover_core::phone::Libphonenumber;
use handover_core::{
    Api, CheckSettings, Checker, Finding, Level, Parser, Severity, Span, contract, rules,
};

fn findings(payload: &str, settings: &CheckSettings) -> Vec<Finding> {
    findings_of_bytes(payload.as_bytes(), settings)
}

fn findings_of_bytes(payload: &[u8], settings: &CheckSettings) -> Vec<Finding> {
    let checker = Checker::new(
        settings.clone(),
        contract::find("transfer-context").unwrap(),
    );
    let mut findings = Vec::new();
    checker.check(&mut Parser::new(), payload, &mut findings);
    findings
}

/// The codes of a payload's findings, in the order they stand in the record.
fn codes(payload: &str, settings: &CheckSettings) -> Vec<&'static str> {
    findings(payload, settings)
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

const NONE: Vec<&str> = Vec::new();

// ---------------------------------------------------------------------------------------------
// Settings

fn cxone() -> CheckSettings {
    CheckSettings::default()
}

fn routing() -> CheckSettings {
    CheckSettings {
        api: Api::RoutingV2,
        ..CheckSettings::default()
    }
}

fn us() -> CheckSettings {
    CheckSettings {
        default_region: Some("US".into()),
        ..CheckSettings::default()
    }
}

fn full() -> CheckSettings {
    CheckSettings {
        phone_check: PhoneCheck::Full,
        numbering_plan: Arc::new(Libphonenumber),
        ..CheckSettings::default()
    }
}

fn small_attributes() -> CheckSettings {
    CheckSettings {
        max_custom_attributes_bytes: 20,
        ..CheckSettings::default()
    }
}

fn requires_intent() -> CheckSettings {
    CheckSettings {
        required_attributes: vec!["intent".into()],
        ..CheckSettings::default()
    }
}

fn requires_intent_and_customer() -> CheckSettings {
    CheckSettings {
        required_attributes: vec!["intent".into(), "customerId".into()],
        ..CheckSettings::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads

const QUEUE: &str = r#""queueId": "4012345""#;
const PARTICIPANT: &str = r#""participant": {"name": "John Doe", "phoneNumber": "+14155552671"}"#;
const UUID: &str = "a1b2c3d4-5678-90ab-cdef-123456789012";

/// `{"transferContext": {members}}`.
fn tc(members: &str) -> String {
    format!(r#"{{"transferContext": {{{members}}}}}"#)
}

/// A valid payload with one more member in its transferContext.
fn valid_with(extra: &str) -> String {
    if extra.is_empty() {
        tc(&format!("{QUEUE}, {PARTICIPANT}"))
    } else {
        tc(&format!("{QUEUE}, {PARTICIPANT}, {extra}"))
    }
}

fn valid() -> String {
    valid_with("")
}

/// A valid payload whose participant has these members.
fn with_participant(members: &str) -> String {
    tc(&format!(r#"{QUEUE}, "participant": {{{members}}}"#))
}

/// A valid payload whose participant has this phone number (a JSON string).
fn with_phone(number: &str) -> String {
    with_participant(&format!(r#""name": "A", "phoneNumber": "{number}""#))
}

/// A valid payload whose queueId is this JSON value.
fn with_queue(value: &str) -> String {
    tc(&format!(r#""queueId": {value}, {PARTICIPANT}"#))
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// ---------------------------------------------------------------------------------------------
// The tables

/// A payload where `code` fires exactly once, with what that finding must hold.
struct Fires {
    code: &'static str,
    payload: String,
    settings: fn() -> CheckSettings,
    severity: Severity,
    pointer: &'static str,
    /// The record's text under the finding's span.
    span: &'static str,
    /// The fix's replacement, a JSON text; `None` when the finding must offer no fix.
    fix: Option<&'static str>,
    /// A fragment the message must hold; empty to skip.
    says: &'static str,
}

fn fires(
    code: &'static str,
    severity: Severity,
    payload: impl Into<String>,
    pointer: &'static str,
    span: &'static str,
    fix: Option<&'static str>,
) -> Fires {
    Fires {
        code,
        payload: payload.into(),
        settings: cxone,
        severity,
        pointer,
        span,
        fix,
        says: "",
    }
}

impl Fires {
    fn with(mut self, settings: fn() -> CheckSettings) -> Self {
        self.settings = settings;
        self
    }

    fn says(mut self, fragment: &'static str) -> Self {
        self.says = fragment;
        self
    }
}

use Severity::{Error, Warning};

fn firing_cases() -> Vec<Fires> {
    vec![
        // HD100 invalid-json
        fires(
            "HD100",
            Error,
            r#"{"transferContext": {"queueId": "1",}}"#,
            "",
            "}",
            None,
        )
        .says("invalid JSON"),
        fires("HD100", Error, "\"\u{0}\"", "", "\u{0}", None).says("control character"),
        fires(
            "HD100",
            Error,
            r#"{"transferContext": {"queueId": "1""#,
            "",
            "",
            None,
        )
        .says("unexpected end of input"),
        // HD101 missing-transfer-context
        fires("HD101", Error, "[]", "", "[]", None).says("JSON array"),
        fires("HD101", Error, "\"text\"", "", "\"text\"", None).says("JSON string"),
        fires("HD101", Error, r#"{"other": {}}"#, "", "{", None).says("no `transferContext`"),
        fires(
            "HD101",
            Error,
            r#"{"transferContex": {}}"#,
            "/transferContex",
            "\"transferContex\"",
            Some("\"transferContext\""),
        )
        .says("did you mean `transferContext`"),
        fires(
            "HD101",
            Error,
            r#"{"TransferContext": {}}"#,
            "/TransferContext",
            "\"TransferContext\"",
            Some("\"transferContext\""),
        ),
        // HD102 wrong-type
        fires(
            "HD102",
            Error,
            r#"{"transferContext": []}"#,
            "/transferContext",
            "[]",
            None,
        )
        .says("must be an object"),
        fires(
            "HD102",
            Error,
            r#"{"transferContext": null}"#,
            "/transferContext",
            "null",
            None,
        ),
        fires(
            "HD102",
            Error,
            tc(&format!(r#"{QUEUE}, "participant": "John""#)),
            "/transferContext/participant",
            "\"John\"",
            None,
        ),
        fires(
            "HD102",
            Error,
            with_participant(r#""name": 5, "phoneNumber": "+14155552671""#),
            "/transferContext/participant/name",
            "5",
            None,
        ),
        fires(
            "HD102",
            Error,
            with_queue("true"),
            "/transferContext/queueId",
            "true",
            None,
        ),
        fires(
            "HD102",
            Error,
            with_queue("4012345"),
            "/transferContext/queueId",
            "4012345",
            None,
        )
        .with(routing)
        .says("a string (a queue UUID)"),
        fires(
            "HD102",
            Error,
            valid_with(r#""customAttributes": [1]"#),
            "/transferContext/customAttributes",
            "[1]",
            None,
        ),
        fires(
            "HD102",
            Error,
            valid_with(r#""customAttributes": null"#),
            "/transferContext/customAttributes",
            "null",
            None,
        ),
        fires(
            "HD102",
            Error,
            valid_with(r#""flowVersionId": 7"#),
            "/transferContext/flowVersionId",
            "7",
            None,
        ),
        fires(
            "HD102",
            Error,
            with_participant(r#""name": "A", "phoneNumber": 4915112345678"#),
            "/transferContext/participant/phoneNumber",
            "4915112345678",
            Some("\"+4915112345678\""),
        )
        .says("must be a string"),
        fires(
            "HD102",
            Error,
            with_participant(r#""name": "A", "phoneNumber": 1.5"#),
            "/transferContext/participant/phoneNumber",
            "1.5",
            None,
        ),
        fires(
            "HD102",
            Error,
            with_participant(r#""name": "A", "phoneNumber": ["+14155552671"]"#),
            "/transferContext/participant/phoneNumber",
            "[\"+14155552671\"]",
            None,
        ),
        // HD103 unknown-field
        fires(
            "HD103",
            Warning,
            tc(&format!(r#""queue_id": "4012345", {PARTICIPANT}"#)),
            "/transferContext/queue_id",
            "\"queue_id\"",
            Some("\"queueId\""),
        )
        .says("did you mean `queueId`"),
        fires(
            "HD103",
            Warning,
            tc(&format!(
                r#"{QUEUE}, "participants": {{"name": "A", "phoneNumber": "+14155552671"}}"#
            )),
            "/transferContext/participants",
            "\"participants\"",
            Some("\"participant\""),
        ),
        fires(
            "HD103",
            Warning,
            with_participant(r#""name": "A", "phonenumber": "+14155552671""#),
            "/transferContext/participant/phonenumber",
            "\"phonenumber\"",
            Some("\"phoneNumber\""),
        ),
        // The meant key is there already: renaming would duplicate it, so no fix.
        fires(
            "HD103",
            Warning,
            valid_with(r#""queueID": "1""#),
            "/transferContext/queueID",
            "\"queueID\"",
            None,
        )
        .says("did you mean `queueId`"),
        fires(
            "HD103",
            Warning,
            valid_with(r#""priority": 1"#),
            "/transferContext/priority",
            "\"priority\"",
            None,
        )
        .says("the contract knows"),
        fires(
            "HD103",
            Warning,
            with_participant(r#""name": "A", "phone": "+1", "phoneNumber": "+14155552671""#),
            "/transferContext/participant/phone",
            "\"phone\"",
            None,
        ),
        fires(
            "HD103",
            Warning,
            valid_with(r#""a/b~c": 1"#),
            "/transferContext/a~1b~0c",
            "\"a/b~c\"",
            None,
        ),
        // HD104 duplicate-key
        fires(
            "HD104",
            Warning,
            valid_with(r#""customAttributes": {"a": 1, "b": {"x": 1, "x": 2}}"#),
            "/transferContext/customAttributes/b/x",
            "\"x\"",
            None,
        )
        .says("appears twice"),
        fires(
            "HD104",
            Warning,
            tc(&format!(r#"{QUEUE}, {PARTICIPANT}, "queueId": "7""#)),
            "/transferContext/queueId",
            "\"queueId\"",
            None,
        )
        .says("line 1"),
        fires(
            "HD104",
            Warning,
            valid_with(r#""customAttributes": {"a": 1, "\u0061": 2}"#),
            "/transferContext/customAttributes/a",
            "\"\\u0061\"",
            None,
        ),
        // HD106 nesting-too-deep
        fires("HD106", Error, nested(129), "", "[", None).says("deeper than 128"),
        fires(
            "HD106",
            Error,
            valid_with(&format!(r#""customAttributes": {{"a": {}}}"#, nested(200))),
            "",
            "[",
            None,
        ),
        // HD107 number-out-of-range
        fires(
            "HD107",
            Warning,
            valid_with(r#""customAttributes": {"score": 1e400}"#),
            "/transferContext/customAttributes/score",
            "1e400",
            None,
        )
        .says("64-bit float"),
        fires(
            "HD107",
            Warning,
            valid_with(r#""customAttributes": {"score": -2.5E+309}"#),
            "/transferContext/customAttributes/score",
            "-2.5E+309",
            None,
        ),
        // HD201 missing-queue-id
        fires(
            "HD201",
            Error,
            tc(PARTICIPANT),
            "/transferContext",
            "\"transferContext\"",
            None,
        )
        .says("`queueId` is missing"),
        fires(
            "HD201",
            Error,
            with_queue("null"),
            "/transferContext/queueId",
            "null",
            None,
        )
        .says("null"),
        fires(
            "HD201",
            Error,
            with_queue("\"\""),
            "/transferContext/queueId",
            "\"\"",
            None,
        ),
        fires(
            "HD201",
            Error,
            with_queue("\" \\t \""),
            "/transferContext/queueId",
            "\" \\t \"",
            None,
        )
        .with(routing),
        fires(
            "HD201",
            Error,
            tc(&format!(r#""queueid": "1", {PARTICIPANT}"#)),
            "/transferContext",
            "\"transferContext\"",
            None,
        )
        .says("found `queueid`"),
        // HD202 invalid-queue-id
        fires(
            "HD202",
            Error,
            with_queue(&format!("\"{UUID}\"")),
            "/transferContext/queueId",
            "\"a1b2c3d4-5678-90ab-cdef-123456789012\"",
            None,
        )
        .says("numeric"),
        fires(
            "HD202",
            Error,
            with_queue("\" 4012345 \""),
            "/transferContext/queueId",
            "\" 4012345 \"",
            Some("\"4012345\""),
        )
        .says("spaces"),
        fires(
            "HD202",
            Error,
            with_queue("\"0\""),
            "/transferContext/queueId",
            "\"0\"",
            None,
        ),
        fires(
            "HD202",
            Error,
            with_queue("\"-5\""),
            "/transferContext/queueId",
            "\"-5\"",
            None,
        ),
        fires(
            "HD202",
            Error,
            with_queue("\"12a\""),
            "/transferContext/queueId",
            "\"12a\"",
            None,
        )
        .says("positive integers"),
        fires(
            "HD202",
            Error,
            with_queue("0"),
            "/transferContext/queueId",
            "0",
            None,
        ),
        fires(
            "HD202",
            Error,
            with_queue("-3"),
            "/transferContext/queueId",
            "-3",
            None,
        ),
        fires(
            "HD202",
            Error,
            with_queue("1.5"),
            "/transferContext/queueId",
            "1.5",
            None,
        ),
        fires(
            "HD202",
            Error,
            with_queue("4e3"),
            "/transferContext/queueId",
            "4e3",
            None,
        ),
        fires(
            "HD202",
            Error,
            valid(),
            "/transferContext/queueId",
            "\"4012345\"",
            None,
        )
        .with(routing)
        .says("not a UUID"),
        fires(
            "HD202",
            Error,
            with_queue("\"{A1B2C3D4-5678-90AB-CDEF-123456789012}\""),
            "/transferContext/queueId",
            "\"{A1B2C3D4-5678-90AB-CDEF-123456789012}\"",
            Some("\"a1b2c3d4-5678-90ab-cdef-123456789012\""),
        )
        .with(routing)
        .says("canonical"),
        fires(
            "HD202",
            Error,
            with_queue("\"a1b2c3d4567890abcdef123456789012\""),
            "/transferContext/queueId",
            "\"a1b2c3d4567890abcdef123456789012\"",
            Some("\"a1b2c3d4-5678-90ab-cdef-123456789012\""),
        )
        .with(routing),
        // HD203 invalid-flow-version-id
        fires(
            "HD203",
            Error,
            valid_with(r#""flowVersionId": "v2-7""#),
            "/transferContext/flowVersionId",
            "\"v2-7\"",
            None,
        )
        .says("not a canonical UUID"),
        fires(
            "HD203",
            Error,
            valid_with(r#""flowVersionId": "a1b2c3d4-5678-90ab-cdef-12345678901z""#),
            "/transferContext/flowVersionId",
            "\"a1b2c3d4-5678-90ab-cdef-12345678901z\"",
            None,
        ),
        fires(
            "HD203",
            Error,
            valid_with(r#""flowVersionId": "a1b2c3d4567890abcdef123456789012""#),
            "/transferContext/flowVersionId",
            "\"a1b2c3d4567890abcdef123456789012\"",
            Some("\"a1b2c3d4-5678-90ab-cdef-123456789012\""),
        ),
        fires(
            "HD203",
            Error,
            valid_with(r#""flowVersionId": "urn:uuid:A1B2C3D4-5678-90AB-CDEF-123456789012""#),
            "/transferContext/flowVersionId",
            "\"urn:uuid:A1B2C3D4-5678-90AB-CDEF-123456789012\"",
            Some("\"a1b2c3d4-5678-90ab-cdef-123456789012\""),
        ),
        // HD301 missing-participant
        fires(
            "HD301",
            Error,
            tc(QUEUE),
            "/transferContext",
            "\"transferContext\"",
            None,
        )
        .says("`participant` is missing"),
        fires(
            "HD301",
            Error,
            tc(&format!(r#"{QUEUE}, "participant": null"#)),
            "/transferContext/participant",
            "null",
            None,
        )
        .says("null"),
        // HD302 missing-participant-name
        fires(
            "HD302",
            Error,
            with_participant(r#""phoneNumber": "+14155552671""#),
            "/transferContext/participant",
            "\"participant\"",
            None,
        )
        .says("missing"),
        fires(
            "HD302",
            Error,
            with_participant(r#""name": null, "phoneNumber": "+14155552671""#),
            "/transferContext/participant/name",
            "null",
            None,
        )
        .says("null"),
        fires(
            "HD302",
            Error,
            with_participant(r#""name": " ", "phoneNumber": "+14155552671""#),
            "/transferContext/participant/name",
            "\" \"",
            None,
        )
        .says("empty"),
        // HD303 missing-phone-number
        fires(
            "HD303",
            Error,
            with_participant(r#""name": "A""#),
            "/transferContext/participant",
            "\"participant\"",
            None,
        )
        .says("missing"),
        fires(
            "HD303",
            Error,
            with_participant(r#""name": "A", "phoneNumber": null"#),
            "/transferContext/participant/phoneNumber",
            "null",
            None,
        ),
        fires(
            "HD303",
            Error,
            with_participant(r#""name": "A", "phoneNumber": """#),
            "/transferContext/participant/phoneNumber",
            "\"\"",
            None,
        ),
        // HD304 phone-not-e164
        fires(
            "HD304",
            Error,
            with_phone("+1 555 123 4567"),
            "/transferContext/participant/phoneNumber",
            "\"+1 555 123 4567\"",
            Some("\"+15551234567\""),
        )
        .says("not an E.164"),
        fires(
            "HD304",
            Error,
            with_phone("+1 (415) 555-2671"),
            "/transferContext/participant/phoneNumber",
            "\"+1 (415) 555-2671\"",
            Some("\"+14155552671\""),
        ),
        fires(
            "HD304",
            Error,
            with_phone("0044 20 7123 4567"),
            "/transferContext/participant/phoneNumber",
            "\"0044 20 7123 4567\"",
            Some("\"+442071234567\""),
        ),
        fires(
            "HD304",
            Error,
            with_phone("00442071234567"),
            "/transferContext/participant/phoneNumber",
            "\"00442071234567\"",
            Some("\"+442071234567\""),
        ),
        fires(
            "HD304",
            Error,
            with_phone("tel:+1-415-555-2671"),
            "/transferContext/participant/phoneNumber",
            "\"tel:+1-415-555-2671\"",
            Some("\"+14155552671\""),
        ),
        fires(
            "HD304",
            Error,
            with_phone("(415) 555-2671"),
            "/transferContext/participant/phoneNumber",
            "\"(415) 555-2671\"",
            Some("\"+14155552671\""),
        )
        .with(us),
        fires(
            "HD304",
            Error,
            with_phone("415.555.2671"),
            "/transferContext/participant/phoneNumber",
            "\"415.555.2671\"",
            Some("\"+14155552671\""),
        )
        .with(us),
        // A national number and no default region: no guess.
        fires(
            "HD304",
            Error,
            with_phone("(415) 555-2671"),
            "/transferContext/participant/phoneNumber",
            "\"(415) 555-2671\"",
            None,
        ),
        fires(
            "HD304",
            Error,
            with_phone("14155552671"),
            "/transferContext/participant/phoneNumber",
            "\"14155552671\"",
            None,
        ),
        fires(
            "HD304",
            Error,
            with_phone("+0123456"),
            "/transferContext/participant/phoneNumber",
            "\"+0123456\"",
            None,
        ),
        fires(
            "HD304",
            Error,
            with_phone("+1234567890123456"),
            "/transferContext/participant/phoneNumber",
            "\"+1234567890123456\"",
            None,
        ),
        fires(
            "HD304",
            Error,
            with_phone("call me"),
            "/transferContext/participant/phoneNumber",
            "\"call me\"",
            None,
        )
        .with(us),
        // HD305 phone-unknown-country
        fires(
            "HD305",
            Error,
            with_phone("+9991234567"),
            "/transferContext/participant/phoneNumber",
            "\"+9991234567\"",
            None,
        )
        .says("calling code"),
        fires(
            "HD305",
            Error,
            with_phone("+28123456"),
            "/transferContext/participant/phoneNumber",
            "\"+28123456\"",
            None,
        ),
        // HD306 phone-invalid-number
        fires(
            "HD306",
            Warning,
            with_phone("+15550000000"),
            "/transferContext/participant/phoneNumber",
            "\"+15550000000\"",
            None,
        )
        .with(full)
        .says("numbering plan"),
        // HD401 custom-attributes-too-large
        fires(
            "HD401",
            Warning,
            valid_with(r#""customAttributes": {"intent": "billing_inquiry_long"}"#),
            "/transferContext/customAttributes",
            r#"{"intent": "billing_inquiry_long"}"#,
            None,
        )
        .with(small_attributes)
        .says("over the limit of 20 bytes"),
        // HD402 missing-required-attribute
        fires(
            "HD402",
            Error,
            valid_with(r#""customAttributes": {"intent": "billing"}"#),
            "/transferContext/customAttributes",
            "\"customAttributes\"",
            None,
        )
        .with(requires_intent_and_customer)
        .says("customerId"),
        fires(
            "HD402",
            Error,
            valid(),
            "/transferContext",
            "\"transferContext\"",
            None,
        )
        .with(requires_intent)
        .says("intent"),
        fires(
            "HD402",
            Error,
            valid_with(r#""customAttributes": {"Intent": "billing"}"#),
            "/transferContext/customAttributes",
            "\"customAttributes\"",
            None,
        )
        .with(requires_intent),
        // HD501 unrendered-template
        fires(
            "HD501",
            Error,
            with_queue("\"{{context.queueId}}\""),
            "/transferContext/queueId",
            "\"{{context.queueId}}\"",
            None,
        )
        .says("{{context.queueId}}"),
        fires(
            "HD501",
            Error,
            valid_with(r#""customAttributes": {"list": ["a", "id ${input.data.id}"]}"#),
            "/transferContext/customAttributes/list/1",
            "\"id ${input.data.id}\"",
            None,
        ),
        fires(
            "HD501",
            Error,
            with_phone("{{ profile.phone }}"),
            "/transferContext/participant/phoneNumber",
            "\"{{ profile.phone }}\"",
            None,
        ),
        // HD502 placeholder-value
        fires(
            "HD502",
            Warning,
            with_participant(r#""name": "undefined", "phoneNumber": "+14155552671""#),
            "/transferContext/participant/name",
            "\"undefined\"",
            None,
        )
        .says("stand-in"),
        fires(
            "HD502",
            Warning,
            with_queue("\"REPLACE_WITH_VALID_QUEUE_ID\""),
            "/transferContext/queueId",
            "\"REPLACE_WITH_VALID_QUEUE_ID\"",
            None,
        ),
        fires(
            "HD502",
            Warning,
            valid_with(r#""customAttributes": {"x": "[object Object]"}"#),
            "/transferContext/customAttributes/x",
            "\"[object Object]\"",
            None,
        ),
        fires(
            "HD502",
            Warning,
            valid_with(r#""customAttributes": {"x": " <name> "}"#),
            "/transferContext/customAttributes/x",
            "\" <name> \"",
            None,
        ),
    ]
}

/// A rule's code, a close payload where it must not fire, and the settings to check it with.
type Quiet = (&'static str, String, fn() -> CheckSettings);

/// Close payloads where `code` does not fire.
fn quiet_cases() -> Vec<Quiet> {
    vec![
        ("HD100", valid(), cxone),
        ("HD100", tc(r#""queueId": "1""#), cxone),
        ("HD101", valid(), cxone),
        (
            "HD101",
            format!(r#"{{"wrapper": 1, "transferContext": {{{QUEUE}, {PARTICIPANT}}}}}"#),
            cxone,
        ),
        ("HD101", r#"{"transferContext": {}}"#.to_string(), cxone),
        ("HD102", with_queue("4012345"), cxone),
        ("HD102", valid_with(r#""customAttributes": {}"#), cxone),
        (
            "HD102",
            valid_with(&format!(r#""flowVersionId": "{UUID}""#)),
            cxone,
        ),
        ("HD102", with_phone("+4915112345678"), cxone),
        (
            "HD102",
            tc(&format!(
                r#""queueId": null, "participant": null, "flowVersionId": "{UUID}""#
            )),
            cxone,
        ),
        ("HD103", valid(), cxone),
        (
            "HD103",
            valid_with(r#""customAttributes": {"queue_id": 1, "phone": 2}"#),
            cxone,
        ),
        (
            "HD103",
            format!(r#"{{"queue_id": 1, "transferContext": {{{QUEUE}, {PARTICIPANT}}}}}"#),
            cxone,
        ),
        (
            "HD104",
            valid_with(r#""customAttributes": {"a": {"x": 1}, "b": {"x": 2}}"#),
            cxone,
        ),
        (
            "HD104",
            valid_with(r#""customAttributes": {"x": 1, "X": 2, "list": [{"x": 1}, {"x": 2}]}"#),
            cxone,
        ),
        ("HD106", nested(128), cxone),
        (
            "HD107",
            valid_with(
                r#""customAttributes": {"big": 1.7e308, "small": 1e-400, "long": 12345678901234567890123}"#,
            ),
            cxone,
        ),
        (
            "HD106",
            valid_with(&format!(r#""customAttributes": {{"a": {}}}"#, nested(100))),
            cxone,
        ),
        ("HD201", with_queue("\"1\""), cxone),
        ("HD201", with_queue(&format!("\"{UUID}\"")), routing),
        ("HD202", valid(), cxone),
        ("HD202", with_queue("4012345"), cxone),
        ("HD202", with_queue("\"18446744073709551616\""), cxone),
        ("HD202", with_queue(&format!("\"{UUID}\"")), routing),
        (
            "HD202",
            with_queue("\"A1B2C3D4-5678-90AB-CDEF-123456789012\""),
            routing,
        ),
        ("HD202", with_queue("\"{{context.queueId}}\""), cxone),
        ("HD202", with_queue("\"{{context.queueId}}\""), routing),
        (
            "HD203",
            valid_with(&format!(r#""flowVersionId": "{UUID}""#)),
            cxone,
        ),
        (
            "HD203",
            valid_with(r#""flowVersionId": "A1B2C3D4-5678-90AB-CDEF-123456789012""#),
            cxone,
        ),
        (
            "HD203",
            valid_with(r#""flowVersionId": "${flow.version}""#),
            cxone,
        ),
        ("HD203", valid(), cxone),
        ("HD301", with_participant(""), cxone),
        ("HD301", valid(), cxone),
        (
            "HD302",
            with_participant(r#""name": "A", "phoneNumber": """#),
            cxone,
        ),
        (
            "HD302",
            with_participant(r#""name": 5, "phoneNumber": "+14155552671""#),
            cxone,
        ),
        (
            "HD303",
            with_participant(r#""name": "", "phoneNumber": "+14155552671""#),
            cxone,
        ),
        (
            "HD303",
            with_participant(r#""name": "A", "phoneNumber": 4915112345678"#),
            cxone,
        ),
        ("HD304", with_phone("+14155552671"), cxone),
        ("HD304", with_phone("+9991234567"), cxone),
        ("HD304", with_phone("+12"), cxone),
        ("HD304", with_phone("${caller.number}"), us),
        ("HD305", with_phone("+442071234567"), cxone),
        ("HD305", with_phone("+3531234567"), cxone),
        ("HD305", with_phone("+1 555 123 4567"), cxone),
        ("HD306", with_phone("+15550000000"), cxone),
        ("HD306", with_phone("+14155552671"), full),
        ("HD306", with_phone("+9991234567"), full),
        // 20 bytes compact, exactly the limit; the layout makes the raw text longer.
        (
            "HD401",
            valid_with(r#""customAttributes": {"intent":"billing"}"#),
            small_attributes,
        ),
        (
            "HD401",
            valid_with("\"customAttributes\": {  \"intent\" :\n  \"billing\"  }"),
            small_attributes,
        ),
        (
            "HD401",
            valid_with(r#""customAttributes": {"intent": "billing_inquiry_long"}"#),
            cxone,
        ),
        (
            "HD402",
            valid_with(r#""customAttributes": {"intent": 1, "customerId": null}"#),
            requires_intent_and_customer,
        ),
        ("HD402", valid(), cxone),
        (
            "HD501",
            valid_with(r#""customAttributes": {"note": "a {b} c $5"}"#),
            cxone,
        ),
        (
            "HD501",
            valid_with(r#""customAttributes": {"note": "{{ unclosed", "{{key}}": 1}"#),
            cxone,
        ),
        (
            "HD502",
            valid_with(r#""customAttributes": {"x": "nonetheless"}"#),
            cxone,
        ),
        (
            "HD502",
            valid_with(r#""customAttributes": {"x": "TODO list", "y": "xx", "undefined": 1}"#),
            cxone,
        ),
    ]
}

#[test]
fn every_case_in_the_table_fires_as_described() {
    for case in firing_cases() {
        let settings = (case.settings)();
        let all = findings(&case.payload, &settings);
        let matching: Vec<_> = all.iter().filter(|f| f.rule.code == case.code).collect();
        assert_eq!(
            matching.len(),
            1,
            "one {} for {}\n{all:#?}",
            case.code,
            case.payload
        );
        let f = matching[0];
        let at = &case.payload;
        assert_eq!(f.severity, case.severity, "{} in {at}", case.code);
        assert_eq!(f.pointer, case.pointer, "{} in {at}", case.code);
        assert_eq!(
            &case.payload[f.span.start..f.span.end],
            case.span,
            "{} in {at}",
            case.code
        );
        assert_eq!(
            f.fix.as_ref().map(|fix| fix.replacement.as_str()),
            case.fix,
            "{} in {at}",
            case.code
        );
        if let Some(fix) = &f.fix {
            assert_eq!(fix.span, f.span, "a fix replaces what the finding marks");
            assert!(!fix.description.is_empty(), "{fix:?}");
        }
        assert!(
            f.message.contains(case.says),
            "{} message {:?} lacks {:?}",
            case.code,
            f.message,
            case.says
        );
        assert!(!f.hint.is_empty());
    }
}

#[test]
fn every_case_in_the_table_stays_quiet() {
    for (code, payload, settings) in quiet_cases() {
        let found = codes(&payload, &settings());
        assert!(
            !found.contains(&code),
            "{code} fired on {payload}: {found:?}"
        );
    }
}

#[test]
fn the_tables_cover_every_payload_rule_of_the_catalog() {
    let firing: Vec<_> = firing_cases().iter().map(|c| c.code).collect();
    let quiet: Vec<_> = quiet_cases().iter().map(|c| c.0).collect();
    let payload_rules = rules::ALL
        .iter()
        .filter(|r| ("HD100".."HD600").contains(&r.code))
        // HD105 is the caller's: the engine never sees an oversized record (see below).
        .filter(|r| r.code != "HD105");
    let mut checked = 0;
    for rule in payload_rules {
        assert!(
            firing.contains(&rule.code),
            "no case where {} fires",
            rule.code
        );
        assert!(
            quiet.contains(&rule.code),
            "no case where {} is quiet",
            rule.code
        );
        checked += 1;
    }
    assert_eq!(checked, 20);
}

#[test]
fn fixed_payloads_lose_their_finding() {
    for case in firing_cases() {
        let Some(expected) = case.fix else { continue };
        let settings = (case.settings)();
        let all = findings(&case.payload, &settings);
        let f = all.iter().find(|f| f.rule.code == case.code).unwrap();
        let (fixed, applied) =
            handover_core::fix::apply(&case.payload, std::slice::from_ref(f.fix.as_ref().unwrap()));
        assert_eq!(applied, 1);
        assert!(fixed.contains(expected));
        let after = codes(&fixed, &settings);
        assert!(
            after.len() < all.len() || case.code == "HD101",
            "{} on {}: {:?} became {after:?}",
            case.code,
            case.payload,
            codes(&case.payload, &settings)
        );
        assert!(
            serde_json::from_str::<serde_json::Value>(&fixed).is_ok(),
            "{fixed}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What a table cannot say well

#[test]
fn valid_payloads_have_no_findings() {
    for payload in [
        valid(),
        valid_with(&format!(
            r#""customAttributes": {{"intent": "billing"}}, "flowVersionId": "{UUID}""#
        )),
        format!(r#"{{"wrapper": 1, "transferContext": {{{QUEUE}, {PARTICIPANT}}}}}"#),
        with_queue("4012345"),
        "\n {\"transferContext\" : {\"participant\":{\"phoneNumber\":\"+442071234567\",\"name\":\"J\\u00f6\"},\"queueId\":\"1\"}}\r\n"
            .to_string(),
    ] {
        assert_eq!(codes(&payload, &cxone()), NONE, "{payload}");
    }
    assert_eq!(codes(&with_queue(&format!("\"{UUID}\"")), &routing()), NONE);
}

#[test]
fn the_two_api_profiles_disagree_on_queue_ids() {
    let digits = valid();
    let integer = with_queue("4012345");
    let uuid = with_queue(&format!("\"{UUID}\""));

    assert_eq!(codes(&digits, &cxone()), NONE);
    assert_eq!(codes(&integer, &cxone()), NONE);
    let on_cxone = findings(&uuid, &cxone());
    assert_eq!(on_cxone.len(), 1);
    assert_eq!(on_cxone[0].rule.code, "HD202");
    assert!(
        on_cxone[0].message.contains("numeric"),
        "{}",
        on_cxone[0].message
    );
    assert!(
        on_cxone[0].hint.contains("--api routing-v2"),
        "{}",
        on_cxone[0].hint
    );

    assert_eq!(codes(&uuid, &routing()), NONE);
    let on_routing = findings(&digits, &routing());
    assert_eq!(on_routing.len(), 1);
    assert_eq!(on_routing[0].rule.code, "HD202");
    assert!(
        on_routing[0].hint.contains("--api cxone"),
        "{}",
        on_routing[0].hint
    );
    assert_eq!(codes(&integer, &routing()), vec!["HD102"]);
}

#[test]
fn null_counts_as_missing_not_as_a_wrong_type() {
    let cases = [
        (with_queue("null"), "HD201"),
        (tc(&format!(r#"{QUEUE}, "participant": null"#)), "HD301"),
        (
            with_participant(r#""name": null, "phoneNumber": "+14155552671""#),
            "HD302",
        ),
        (
            with_participant(r#""name": "A", "phoneNumber": null"#),
            "HD303",
        ),
    ];
    for (payload, code) in cases {
        assert_eq!(codes(&payload, &cxone()), vec![code], "{payload}");
    }
    // Where the contract lets a key be left out, null is a wrong type instead.
    assert_eq!(
        codes(&valid_with(r#""customAttributes": null"#), &cxone()),
        vec!["HD102"]
    );
    assert_eq!(
        codes(&valid_with(r#""flowVersionId": null"#), &cxone()),
        vec!["HD102"]
    );
}

#[test]
fn a_phone_number_sent_as_a_json_number_gets_a_string_fix() {
    let payload = with_participant(r#""name": "A", "phoneNumber": 4915112345678"#);
    assert_eq!(codes(&payload, &cxone()), vec!["HD102"]);
    let f = &findings(&payload, &cxone())[0];
    assert!(f.hint.contains("leading `+`"), "{}", f.hint);
    let (fixed, _) =
        handover_core::fix::apply(&payload, std::slice::from_ref(f.fix.as_ref().unwrap()));
    assert_eq!(codes(&fixed, &cxone()), NONE);
    // Too long for E.164 once `+` is added: no fix rather than a wrong one.
    let long = with_participant(r#""name": "A", "phoneNumber": 1234567890123456"#);
    assert!(findings(&long, &cxone())[0].fix.is_none());
}

#[test]
fn phone_fixes_depend_on_the_default_region() {
    let national = with_phone("(415) 555-2671");
    let without = &findings(&national, &cxone())[0];
    assert!(without.fix.is_none());
    assert!(without.hint.contains("default_region"), "{}", without.hint);
    let with = &findings(&national, &us())[0];
    assert_eq!(with.fix.as_ref().unwrap().replacement, "\"+14155552671\"");
    let de = CheckSettings {
        default_region: Some("de".into()),
        ..CheckSettings::default()
    };
    assert_eq!(
        findings(&with_phone("030 1234567"), &de)[0]
            .fix
            .as_ref()
            .unwrap()
            .replacement,
        "\"+49301234567\""
    );
}

#[test]
fn the_numbering_plan_is_checked_only_when_asked() {
    assert_eq!(codes(&with_phone("+15550000000"), &cxone()), NONE);
    assert_eq!(codes(&with_phone("+15550000000"), &full()), vec!["HD306"]);
    // An unknown calling code is HD305 alone, never also HD306.
    assert_eq!(codes(&with_phone("+9991234567"), &full()), vec!["HD305"]);
}

#[test]
fn hd402_reports_each_missing_attribute() {
    assert_eq!(
        codes(&valid(), &requires_intent_and_customer()),
        vec!["HD402", "HD402"]
    );
    let messages: Vec<_> = findings(&valid(), &requires_intent_and_customer())
        .into_iter()
        .map(|f| f.message)
        .collect();
    assert!(messages[0].contains("intent") && messages[1].contains("customerId"));
}

#[test]
fn hd501_silences_the_format_checks_of_the_same_value() {
    for settings in [cxone(), routing(), us()] {
        assert_eq!(
            codes(&with_queue("\"{{context.queueId}}\""), &settings),
            vec!["HD501"]
        );
    }
    for settings in [cxone(), us(), full()] {
        assert_eq!(codes(&with_phone("${caller}"), &settings), vec!["HD501"]);
        assert_eq!(
            codes(&valid_with(r#""flowVersionId": "{{flow}}""#), &settings),
            vec!["HD501"]
        );
    }
}

#[test]
fn hd105_is_the_callers_and_follows_its_level() {
    let checker = Checker::new(cxone(), contract::find("transfer-context").unwrap());
    let f = checker.too_large(2_000_000, 1_048_576).unwrap();
    assert_eq!(f.rule.code, "HD105");
    assert_eq!(f.severity, Error);
    assert_eq!(f.pointer, "");
    assert!(f.message.contains("2000000") && f.message.contains("1048576"));
    let off = CheckSettings {
        levels: vec![(&rules::RECORD_TOO_LARGE, Level::Off)],
        ..CheckSettings::default()
    };
    let checker = Checker::new(off, contract::find("transfer-context").unwrap());
    assert!(checker.too_large(2_000_000, 1_048_576).is_none());
    // The engine itself never says HD105, however large the record.
    let big = valid_with(&format!(
        r#""customAttributes": {{"x": "{}"}}"#,
        "a".repeat(2_000_000)
    ));
    assert!(!codes(&big, &cxone()).contains(&"HD105"));
}

#[test]
fn hd100_on_records_that_are_not_utf8() {
    let record = b"{\"transferContext\": \"\xff\"}";
    let all = findings_of_bytes(record, &cxone());
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].rule.code, "HD100");
    assert_eq!(all[0].span, Span::new(21, 22));
    assert!(all[0].message.contains("UTF-8"));
}

#[test]
fn parse_error_spans_stay_inside_the_record_on_character_boundaries() {
    let cases: [(&str, &str); 5] = [
        ("\u{80}", "\u{80}"),
        ("{\"a\": é}", "é"),
        ("[1, 😀]", "😀"),
        ("{\"a\":", ""),
        ("", ""),
    ];
    for (record, marked) in cases {
        let all = findings(record, &cxone());
        assert_eq!(all.len(), 1, "{record:?}");
        let span = all[0].span;
        assert!(span.end <= record.len(), "{record:?}: {span:?}");
        assert_eq!(&record[span.start..span.end], marked, "{record:?}");
    }
    let deep = nested(129);
    assert_eq!(findings(&deep, &cxone())[0].span, Span::new(128, 129));
}

#[test]
fn levels_turn_rules_off_up_and_down() {
    let payload = valid_with(r#""queueID": "1""#);
    assert_eq!(findings(&payload, &cxone())[0].severity, Warning);
    let with = |levels: Vec<(&'static handover_core::Rule, Level)>| CheckSettings {
        levels,
        ..CheckSettings::default()
    };
    assert!(findings(&payload, &with(vec![(&rules::UNKNOWN_FIELD, Level::Off)])).is_empty());
    assert_eq!(
        findings(&payload, &with(vec![(&rules::UNKNOWN_FIELD, Level::Error)]))[0].severity,
        Error
    );
    // The last setting of a rule wins.
    assert_eq!(
        findings(
            &payload,
            &with(vec![
                (&rules::UNKNOWN_FIELD, Level::Off),
                (&rules::UNKNOWN_FIELD, Level::Error)
            ])
        )[0]
        .severity,
        Error
    );
    // An error can be lowered to a warning; other rules keep their severity.
    let phone = with_phone("555");
    let lowered = findings(
        &phone,
        &with(vec![(&rules::PHONE_NOT_E164, Level::Warning)]),
    );
    assert_eq!(lowered[0].severity, Warning);
    let other = findings(&phone, &with(vec![(&rules::UNKNOWN_FIELD, Level::Off)]));
    assert_eq!(other[0].severity, Error);
    // Off works on parse errors too, and off means no finding at all, not a quieter one.
    assert!(findings("{", &with(vec![(&rules::INVALID_JSON, Level::Off)])).is_empty());
    assert!(
        findings(
            &nested(200),
            &with(vec![(&rules::NESTING_TOO_DEEP, Level::Off)])
        )
        .is_empty()
    );
    // A rule that is off drops its fix with it.
    let spaced = with_queue("\" 4012345 \"");
    assert!(findings(&spaced, &with(vec![(&rules::INVALID_QUEUE_ID, Level::Off)])).is_empty());
}

#[test]
fn findings_come_in_record_order() {
    let payload = tc(
        r#""queue_id": "x", "participant": {"name": "undefined", "phoneNumber": "555"}, "flowVersionId": "v1""#,
    );
    let all = findings(&payload, &cxone());
    let starts: Vec<_> = all.iter().map(|f| f.span.start).collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted);
    assert_eq!(
        all.iter().map(|f| f.rule.code).collect::<Vec<_>>(),
        vec!["HD201", "HD103", "HD502", "HD304", "HD203"]
    );
}

#[test]
fn applying_all_fixes_leaves_fewer_findings() {
    let broken = r#"{"transferContext": {"queue_id": " 4012345 ", "participant": {"name": "A", "phoneNumber": "+1 415 555 2671"}, "flowVersionId": "{3F2B8C1E-5A4D-4E7B-9C1A-2D3E4F5A6B7C}", "customAttributes": {"n": 1}}}"#;
    let before = findings(broken, &cxone());
    assert_eq!(
        before.iter().map(|f| f.rule.code).collect::<Vec<_>>(),
        vec!["HD201", "HD103", "HD304", "HD203"]
    );
    let fixes: Vec<_> = before.iter().filter_map(|f| f.fix.clone()).collect();
    assert_eq!(fixes.len(), 3, "{before:#?}");
    let (fixed, applied) = handover_core::fix::apply(broken, &fixes);
    assert_eq!(applied, 3);
    let after = codes(&fixed, &cxone());
    assert!(after.len() < before.len(), "{after:?}");
    // The renamed key now carries the spaced skill id, whose own fix comes on the next pass.
    assert_eq!(after, vec!["HD202"]);
    let again: Vec<_> = findings(&fixed, &cxone())
        .into_iter()
        .filter_map(|f| f.fix)
        .collect();
    let (clean, _) = handover_core::fix::apply(&fixed, &again);
    assert_eq!(codes(&clean, &cxone()), NONE);
    assert_eq!(
        clean,
        r#"{"transferContext": {"queueId": "4012345", "participant": {"name": "A", "phoneNumber": "+14155552671"}, "flowVersionId": "3f2b8c1e-5a4d-4e7b-9c1a-2d3e4f5a6b7c", "customAttributes": {"n": 1}}}"#
    );
}
