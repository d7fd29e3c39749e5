//! Every rule of the transfer-context contract: a payload where it fires and a close one where it does not.

use std::sync::Arc;

use handover_core::engine::PhoneCheck;
use handover_core::phone::Libphonenumber;
use handover_core::{
    Api, CheckSettings, Checker, Finding, Level, Parser, Severity, contract, rules,
};

fn check_with(payload: &str, settings: CheckSettings) -> Vec<Finding> {
    let checker = Checker::new(settings, contract::find("transfer-context").unwrap());
    let mut findings = Vec::new();
    checker.check(&mut Parser::new(), payload.as_bytes(), &mut findings);
    findings
}

fn check(payload: &str) -> Vec<Finding> {
    check_with(payload, CheckSettings::default())
}

fn codes_with(payload: &str, settings: CheckSettings) -> Vec<&'static str> {
    check_with(payload, settings)
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

fn codes(payload: &str) -> Vec<&'static str> {
    codes_with(payload, CheckSettings::default())
}

fn routing() -> CheckSettings {
    CheckSettings {
        api: Api::RoutingV2,
        ..CheckSettings::default()
    }
}

/// A valid payload with `context` as its transferContext's extra or replaced members.
fn payload(context: &str) -> String {
    format!(r#"{{"transferContext": {{{context}}}}}"#)
}

const QUEUE: &str = r#""queueId": "4012345""#;
const PARTICIPANT: &str = r#""participant": {"name": "John Doe", "phoneNumber": "+14155552671"}"#;

fn valid_with(extra: &str) -> String {
    let mut members = vec![QUEUE.to_string(), PARTICIPANT.to_string()];
    if !extra.is_empty() {
        members.push(extra.to_string());
    }
    payload(&members.join(", "))
}

fn only(findings: &[Finding], code: &str) -> Finding {
    let matching: Vec<_> = findings.iter().filter(|f| f.rule.code == code).collect();
    assert_eq!(matching.len(), 1, "one {code} in {findings:#?}");
    matching[0].clone()
}

fn fix_of(finding: &Finding) -> String {
    finding.fix.as_ref().expect("a fix").replacement.clone()
}

#[test]
fn a_valid_payload_has_no_findings() {
    assert_eq!(
        codes(&valid_with(
            r#""customAttributes": {"intent": "billing"}, "flowVersionId": "3f2b8c1e-5a4d-4e7b-9c1a-2d3e4f5a6b7c""#
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(&format!(
            r#"{{"wrapper": 1, "transferContext": {{{QUEUE}, {PARTICIPANT}}}}}"#
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn hd100_invalid_json_and_utf8() {
    let findings = check("{\"transferContext\": {\"queueId\": \"1\",}}");
    let f = only(&findings, "HD100");
    assert_eq!(f.span.start, 36);
    assert_eq!(codes("\"\u{0}\""), vec!["HD100"]);
    let not_utf8 = b"{\"transferContext\": \"\xff\"}";
    let checker = Checker::new(
        CheckSettings::default(),
        contract::find("transfer-context").unwrap(),
    );
    let mut findings = Vec::new();
    checker.check(&mut Parser::new(), not_utf8, &mut findings);
    assert_eq!(findings[0].rule.code, "HD100");
    assert!(!codes(&valid_with("")).contains(&"HD100"));
}

#[test]
fn hd101_missing_transfer_context() {
    assert_eq!(codes("[]"), vec!["HD101"]);
    assert_eq!(codes("\"text\""), vec!["HD101"]);
    assert_eq!(codes(r#"{"other": {}}"#), vec!["HD101"]);
    let near = check(r#"{"transferContex": {}}"#);
    let f = only(&near, "HD101");
    assert!(
        f.message.contains("did you mean `transferContext`"),
        "{}",
        f.message
    );
    assert_eq!(fix_of(&f), "\"transferContext\"");
    assert_eq!(f.pointer, "/transferContex");
}

#[test]
fn hd102_wrong_types() {
    assert_eq!(codes(r#"{"transferContext": []}"#), vec!["HD102"]);
    assert_eq!(codes(r#"{"transferContext": null}"#), vec!["HD102"]);
    assert_eq!(
        codes(&payload(&format!(r#"{QUEUE}, "participant": "John""#))),
        vec!["HD102"]
    );
    assert_eq!(
        codes(&valid_with(r#""customAttributes": [1]"#)),
        vec!["HD102"]
    );
    assert_eq!(
        codes(&valid_with(r#""customAttributes": null"#)),
        vec!["HD102"]
    );
    assert_eq!(codes(&valid_with(r#""flowVersionId": 7"#)), vec!["HD102"]);
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": 5, "phoneNumber": "+14155552671"}}"#
        ))),
        vec!["HD102"]
    );
    assert_eq!(
        codes(&payload(&format!(r#""queueId": true, {PARTICIPANT}"#))),
        vec!["HD102"]
    );
    // A JSON integer is a skill id on cxone, a wrong type on routing-v2.
    assert_eq!(
        codes(&payload(&format!(r#""queueId": 4012345, {PARTICIPANT}"#))),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_with(
            &payload(&format!(r#""queueId": 4012345, {PARTICIPANT}"#)),
            routing()
        ),
        vec!["HD102"]
    );
}

#[test]
fn hd102_phone_as_a_number_gets_a_fix() {
    let findings = check(&payload(&format!(
        r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": 4915112345678}}"#
    )));
    let f = only(&findings, "HD102");
    assert_eq!(f.pointer, "/transferContext/participant/phoneNumber");
    assert_eq!(fix_of(&f), "\"+4915112345678\"");
    let float = check(&payload(&format!(
        r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": 1.5}}"#
    )));
    assert!(only(&float, "HD102").fix.is_none());
}

#[test]
fn hd103_unknown_fields_with_suggestions() {
    let findings = check(&valid_with(r#""queueID": "1""#));
    let f = only(&findings, "HD103");
    assert!(
        f.message.contains("did you mean `queueId`"),
        "{}",
        f.message
    );
    assert!(
        f.fix.is_none(),
        "queueId is already there: renaming would duplicate it"
    );
    let misspelt = check(&payload(&format!(
        r#""queue_id": "4012345", {PARTICIPANT}"#
    )));
    assert_eq!(fix_of(&only(&misspelt, "HD103")), "\"queueId\"");
    assert_eq!(only(&misspelt, "HD201").severity, Severity::Error);
    let far = check(&valid_with(r#""priority": 1"#));
    assert!(only(&far, "HD103").message.contains("the contract knows"));
    let in_participant = check(&payload(&format!(
        r#"{QUEUE}, "participant": {{"name": "A", "phone": "+14155552671", "phoneNumber": "+14155552671"}}"#
    )));
    assert_eq!(
        only(&in_participant, "HD103").pointer,
        "/transferContext/participant/phone"
    );
    assert_eq!(only(&in_participant, "HD103").severity, Severity::Warning);
}

#[test]
fn hd104_duplicate_keys_anywhere() {
    let findings = check(&valid_with(
        r#""customAttributes": {"a": 1, "b": {"x": 1, "x": 2}}"#,
    ));
    let f = only(&findings, "HD104");
    assert_eq!(f.pointer, "/transferContext/customAttributes/b/x");
    assert_eq!(
        codes(&valid_with(
            r#""customAttributes": {"a": 1, "b": {"x": 1, "y": 2}}"#
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn hd105_and_hd106_limits() {
    let checker = Checker::new(
        CheckSettings::default(),
        contract::find("transfer-context").unwrap(),
    );
    assert_eq!(
        checker.too_large(2_000_000, 1_048_576).unwrap().rule.code,
        "HD105"
    );
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(codes(&deep), vec!["HD106"]);
    let fine = format!(
        r#"{{"transferContext": {{{QUEUE}, {PARTICIPANT}, "customAttributes": {{"a": {}{}}}}}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(codes(&fine), Vec::<&str>::new());
}

#[test]
fn hd201_missing_queue_id() {
    for context in [
        PARTICIPANT.to_string(),
        format!(r#""queueId": null, {PARTICIPANT}"#),
        format!(r#""queueId": "", {PARTICIPANT}"#),
        format!(r#""queueId": "  ", {PARTICIPANT}"#),
    ] {
        assert_eq!(codes(&payload(&context)), vec!["HD201"], "{context}");
    }
    let f = only(&check(&payload(PARTICIPANT)), "HD201");
    assert_eq!(f.pointer, "/transferContext");
}

#[test]
fn hd202_queue_id_per_profile() {
    let uuid = payload(&format!(
        r#""queueId": "a1b2c3d4-5678-90ab-cdef-123456789012", {PARTICIPANT}"#
    ));
    let f = only(&check(&uuid), "HD202");
    assert!(f.message.contains("numeric"), "{}", f.message);
    assert!(f.hint.contains("--api routing-v2"), "{}", f.hint);
    assert_eq!(codes_with(&uuid, routing()), Vec::<&str>::new());

    assert_eq!(codes_with(&valid_with(""), routing()), vec!["HD202"]);
    assert!(
        only(&check_with(&valid_with(""), routing()), "HD202")
            .hint
            .contains("--api cxone")
    );
    let braces = payload(&format!(
        r#""queueId": "{{A1B2C3D4-5678-90AB-CDEF-123456789012}}", {PARTICIPANT}"#
    ));
    assert_eq!(
        fix_of(&only(&check_with(&braces, routing()), "HD202")),
        "\"a1b2c3d4-5678-90ab-cdef-123456789012\""
    );

    for bad in [r#""-5""#, r#""0""#, r#""12a""#, "0", "-3", "1.5"] {
        assert_eq!(
            codes(&payload(&format!(r#""queueId": {bad}, {PARTICIPANT}"#))),
            vec!["HD202"],
            "{bad}"
        );
    }
    let spaced = check(&payload(&format!(
        r#""queueId": " 4012345 ", {PARTICIPANT}"#
    )));
    assert_eq!(fix_of(&only(&spaced, "HD202")), "\"4012345\"");
}

#[test]
fn hd203_flow_version_id() {
    assert_eq!(
        codes(&valid_with(r#""flowVersionId": "v2-7""#)),
        vec!["HD203"]
    );
    assert_eq!(
        codes(&valid_with(
            r#""flowVersionId": "a1b2c3d4-5678-90ab-cdef-12345678901z""#
        )),
        vec!["HD203"]
    );
    let simple = check(&valid_with(
        r#""flowVersionId": "a1b2c3d4567890abcdef123456789012""#,
    ));
    assert_eq!(
        fix_of(&only(&simple, "HD203")),
        "\"a1b2c3d4-5678-90ab-cdef-123456789012\""
    );
    assert_eq!(
        codes(&valid_with(
            r#""flowVersionId": "A1B2C3D4-5678-90AB-CDEF-123456789012""#
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn hd301_to_hd303_missing_participant_fields() {
    assert_eq!(codes(&payload(QUEUE)), vec!["HD301"]);
    assert_eq!(
        codes(&payload(&format!(r#"{QUEUE}, "participant": null"#))),
        vec!["HD301"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"phoneNumber": "+14155552671"}}"#
        ))),
        vec!["HD302"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": " ", "phoneNumber": "+14155552671"}}"#
        ))),
        vec!["HD302"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": null, "phoneNumber": "+14155552671"}}"#
        ))),
        vec!["HD302"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": "A"}}"#
        ))),
        vec!["HD303"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": null}}"#
        ))),
        vec!["HD303"]
    );
    assert_eq!(
        codes(&payload(&format!(
            r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": ""}}"#
        ))),
        vec!["HD303"]
    );
}

fn phone(number: &str, settings: CheckSettings) -> Vec<Finding> {
    check_with(
        &payload(&format!(
            r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": "{number}"}}"#
        )),
        settings,
    )
}

#[test]
fn hd304_not_e164_with_fixes() {
    let cases = [
        ("+1 555 123 4567", Some("+15551234567")),
        ("+1 (415) 555-2671", Some("+14155552671")),
        ("0044 20 7123 4567", Some("+442071234567")),
        ("tel:+14155552671", Some("+14155552671")),
        ("(555) 123-4567", None),
        ("14155552671", None),
        ("+0123456", None),
        ("+1234567890123456", None),
    ];
    for (number, fix) in cases {
        let findings = phone(number, CheckSettings::default());
        let f = only(&findings, "HD304");
        assert_eq!(
            f.fix.as_ref().map(|x| x.replacement.clone()),
            fix.map(|e| format!("\"{e}\"")),
            "{number}"
        );
    }
    let us = CheckSettings {
        default_region: Some("US".into()),
        ..CheckSettings::default()
    };
    assert_eq!(
        fix_of(&only(&phone("(415) 555-2671", us), "HD304")),
        "\"+14155552671\""
    );
    assert!(phone("+14155552671", CheckSettings::default()).is_empty());
}

#[test]
fn hd305_unknown_calling_code() {
    assert_eq!(
        phone("+9991234567", CheckSettings::default())
            .iter()
            .map(|f| f.rule.code)
            .collect::<Vec<_>>(),
        vec!["HD305"]
    );
    assert!(phone("+442071234567", CheckSettings::default()).is_empty());
}

#[test]
fn hd306_numbering_plan_only_when_asked() {
    let full = || CheckSettings {
        phone_check: PhoneCheck::Full,
        numbering_plan: Arc::new(Libphonenumber),
        ..CheckSettings::default()
    };
    assert!(phone("+15550000000", CheckSettings::default()).is_empty());
    assert_eq!(
        only(&phone("+15550000000", full()), "HD306").severity,
        Severity::Warning
    );
    assert!(phone("+14155552671", full()).is_empty());
}

#[test]
fn hd401_custom_attributes_size_counts_the_compact_form() {
    let small = CheckSettings {
        max_custom_attributes_bytes: 20,
        ..CheckSettings::default()
    };
    assert_eq!(
        codes_with(
            &valid_with(r#""customAttributes": {"intent": "billing_inquiry_long"}"#),
            small.clone()
        ),
        vec!["HD401"]
    );
    // 19 bytes compact, though the layout makes it longer.
    assert_eq!(
        codes_with(
            &valid_with("\"customAttributes\": {  \"intent\" :  \"billing\"  }"),
            small
        ),
        Vec::<&str>::new()
    );
}

#[test]
fn hd402_required_attributes() {
    let required = || CheckSettings {
        required_attributes: vec!["intent".into(), "customerId".into()],
        ..CheckSettings::default()
    };
    let findings = check_with(
        &valid_with(r#""customAttributes": {"intent": "billing"}"#),
        required(),
    );
    let f = only(&findings, "HD402");
    assert!(f.message.contains("customerId"));
    assert_eq!(f.pointer, "/transferContext/customAttributes");
    assert_eq!(
        codes_with(&valid_with(""), required()),
        vec!["HD402", "HD402"]
    );
    assert_eq!(
        codes_with(
            &valid_with(r#""customAttributes": {"intent": 1, "customerId": 2}"#),
            required()
        ),
        Vec::<&str>::new()
    );
}

#[test]
fn hd501_templates_anywhere_and_no_format_noise() {
    let findings = check(&payload(&format!(
        r#""queueId": "{{{{context.queueId}}}}", {PARTICIPANT}"#
    )));
    assert_eq!(
        findings.iter().map(|f| f.rule.code).collect::<Vec<_>>(),
        vec!["HD501"]
    );
    assert_eq!(
        codes(&valid_with(
            r#""customAttributes": {"note": "id ${input.data.id}"}"#
        )),
        vec!["HD501"]
    );
    assert_eq!(
        codes(&valid_with(r#""customAttributes": {"note": "a {b} c $5"}"#)),
        Vec::<&str>::new()
    );
}

#[test]
fn hd502_stand_ins() {
    for stand_in in [
        "undefined",
        "null",
        "NaN",
        "None",
        "[object Object]",
        "REPLACE_WITH_QUEUE",
        "your-queue-id",
        "<name>",
        "TODO",
        "changeme",
        "XXX",
    ] {
        let findings = check(&valid_with(&format!(
            r#""customAttributes": {{"x": "{stand_in}"}}"#
        )));
        assert_eq!(
            only(&findings, "HD502").severity,
            Severity::Warning,
            "{stand_in}"
        );
    }
    assert_eq!(
        codes(&valid_with(r#""customAttributes": {"x": "nonetheless"}"#)),
        Vec::<&str>::new()
    );
}

#[test]
fn levels_turn_rules_off_and_up() {
    let payload = valid_with(r#""queueID": "1""#);
    let off = CheckSettings {
        levels: vec![(&rules::UNKNOWN_FIELD, Level::Off)],
        ..CheckSettings::default()
    };
    assert!(check_with(&payload, off).is_empty());
    let up = CheckSettings {
        levels: vec![(&rules::UNKNOWN_FIELD, Level::Error)],
        ..CheckSettings::default()
    };
    assert_eq!(check_with(&payload, up)[0].severity, Severity::Error);
}

#[test]
fn spans_point_at_the_value() {
    let text = payload(&format!(
        r#"{QUEUE}, "participant": {{"name": "A", "phoneNumber": "555"}}"#
    ));
    let f = only(&check(&text), "HD304");
    assert_eq!(&text[f.span.start..f.span.end], "\"555\"");
}

#[test]
fn applying_the_fixes_removes_their_findings() {
    let broken = r#"{"transferContext": {"queue_id": " 4012345 ", "participant": {"name": "A", "phoneNumber": "+1 415 555 2671"}, "flowVersionId": "{3F2B8C1E-5A4D-4E7B-9C1A-2D3E4F5A6B7C}"}}"#;
    let before = check(broken);
    let fixes: Vec<_> = before.iter().filter_map(|f| f.fix.clone()).collect();
    assert_eq!(fixes.len(), 3, "{before:#?}");
    let (fixed, applied) = handover_core::fix::apply(broken, &fixes);
    assert_eq!(applied, 3);
    let after = codes(&fixed);
    // The renamed queue_id now carries the spaced skill id, whose own fix comes on the next pass.
    assert_eq!(after, vec!["HD202"]);
    let again: Vec<_> = check(&fixed).into_iter().filter_map(|f| f.fix).collect();
    assert!(codes(&handover_core::fix::apply(&fixed, &again).0).is_empty());
}
