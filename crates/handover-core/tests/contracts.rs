//! The contracts of the handover paths Cognigy really uses: detection, and every rule where it
//! fires and where it does not.

use handover_core::{CheckSettings, Checker, Parser, contract};

mod common;
use common::{check, codes, only};

fn contract_of(payload: &str) -> &'static str {
    check(payload).0.unwrap()
}

const NONE: Vec<&str> = Vec::new();

#[test]
fn detection_by_shape() {
    assert_eq!(
        contract_of(r#"{"transferContext": {}}"#),
        "transfer-context"
    );
    assert_eq!(contract_of(r#"{"_cognigy": {}}"#), "vah-chat");
    assert_eq!(
        contract_of(r#"{"x-incontact-masterid": "1"}"#),
        "cxone-sip-headers"
    );
    assert_eq!(
        contract_of(r#"{"X-CXone-Custom": "{}"}"#),
        "cxone-sip-headers"
    );
    assert_eq!(
        contract_of(r#"{"action": "End", "contactId": "1"}"#),
        "cxone-signal"
    );
    assert_eq!(contract_of(r#"{"spawnedContactId": "1"}"#), "cxone-signal");
    assert_eq!(contract_of(r#"{"query": {"p1": "End"}}"#), "cxone-signal");
    assert_eq!(
        contract_of(r#"{"transferTarget": "+14155552671"}"#),
        "vg-transfer"
    );
    assert_eq!(
        contract_of(r#"{"verb": "dial", "target": []}"#),
        "vg-transfer"
    );
    // Nothing recognisable: transfer-context, whose HD101 says what is missing.
    assert_eq!(contract_of(r#"{"hello": 1}"#), "transfer-context");
    assert_eq!(codes(r#"{"hello": 1}"#), vec!["HD101"]);
    assert_eq!(check("not json").0, None);
}

#[test]
fn a_fixed_contract_is_not_detected() {
    let checker = Checker::new(
        CheckSettings::default(),
        contract::find("transfer-context").unwrap(),
    );
    let mut findings = Vec::new();
    let used = checker.check(&mut Parser::new(), br#"{"_cognigy": {}}"#, &mut findings);
    assert_eq!(used.unwrap().name(), "transfer-context");
    assert_eq!(findings[0].rule.code, "HD101");
}

const EXIT: &str = r#""action": "Escalate", "businessNumber": "4600123", "contactId": "123456789011", "spawnedContactId": "123456789012""#;

fn exit(extra: &str) -> String {
    if extra.is_empty() {
        format!("{{{EXIT}}}")
    } else {
        format!("{{{EXIT}, {extra}}}")
    }
}

#[test]
fn signal_exit_interaction() {
    assert_eq!(codes(&exit(r#""optionalParamsObject": []"#)), NONE);
    assert_eq!(codes(&exit(r#""optionalParamsObject": {}"#)), vec!["HD915"]);
    assert_eq!(
        codes(
            r#"{"action": "Escalate", "contactId": 123456789011, "spawnedContactId": 123456789012}"#
        ),
        NONE
    );
    assert_eq!(
        codes(r#"{"action": "Escalate", "contactId": "", "spawnedContactId": "x"}"#),
        vec!["HD910", "HD910"]
    );
    let sentinel = only(
        r#"{"action": "Escalate", "contactId": "123456789011", "spawnedContactId": "100000000000"}"#,
        "HD911",
    );
    assert_eq!(sentinel.pointer, "/spawnedContactId");
    assert!(
        sentinel
            .message
            .contains("non-voice channel without a contact id"),
        "{}",
        sentinel.message
    );
    assert_eq!(
        codes(r#"{"action": "Escalate", "contactId": "123456789011"}"#),
        vec!["HD916"]
    );
    assert_eq!(
        codes(r#"{"contactId": "1", "spawnedContactId": "2", "businessNumber": "4600123"}"#),
        vec!["HD916"]
    );
    let action = only(
        r#"{"action": "escalate", "contactId": "1", "spawnedContactId": "2"}"#,
        "HD913",
    );
    assert_eq!(action.fix.unwrap().replacement, "\"Escalate\"");
    assert_eq!(
        codes(r#"{"action": "Transfer", "contactId": "1", "spawnedContactId": "2"}"#),
        vec!["HD913"]
    );
    assert_eq!(
        codes(
            r#"{"action": "End", "businessNumber": "BU-46", "contactId": "1", "spawnedContactId": "2"}"#
        ),
        vec!["HD917"]
    );
}

#[test]
fn signal_captured_request() {
    assert_eq!(
        codes(r#"{"p1": "Escalate", "p2": "{\"reason\": \"billing\"}"}"#),
        NONE
    );
    assert_eq!(codes(r#"{"body": {"p1": "End"}}"#), NONE);
    let value = |i: u32| match i {
        1 => "End",
        2 => "{}",
        _ => "x",
    };
    let nine: String = (1..=9)
        .map(|i| format!(r#""p{i}": "{}""#, value(i)))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(codes(&format!("{{{nine}}}")), NONE);
    assert_eq!(codes(&format!(r#"{{{nine}, "p10": "y"}}"#)), vec!["HD912"]);
    assert_eq!(codes(r#"{"p1": "End", "p12": "y"}"#), vec!["HD912"]);
    // Any p1 but exactly Escalate or End is a Signal Interaction signal: free text.
    assert_eq!(codes(r#"{"p1": "Hangup"}"#), NONE);
    assert_eq!(codes(r#"{"p1": "escalate"}"#), vec!["HD918"]);
    assert_eq!(codes(r#"{"p1": "End", "p2": 5}"#), vec!["HD914"]);
}

#[test]
fn signal_p2_errors_point_inside_the_string() {
    let text = r#"{"p1": "Escalate", "p2": "{\"reason\": billing}"}"#;
    let f = only(text, "HD914");
    // The error is at `b` of billing, as the user wrote it, escapes and all.
    assert_eq!(&text[f.span.start..f.span.start + 7], "billing");
    assert_eq!(f.pointer, "/p2");
}

const IDS: &str =
    r#""X-InContact-MasterId": "123456789011", "X-InContact-ContactId": "123456789012""#;

#[test]
fn sip_headers() {
    assert_eq!(codes(&format!("{{{IDS}}}")), NONE);
    // Context Init looks the names up exactly: in another case it does not find them.
    assert_eq!(
        codes(r#"{"x-incontact-masterid": "123456789011", "X-INCONTACT-CONTACTID": 123456789012}"#),
        vec!["HD925", "HD925"]
    );
    assert_eq!(
        codes(r#"{"X-InContact-MasterId": "123456789011"}"#),
        vec!["HD920"]
    );
    assert_eq!(
        codes(r#"{"X-InContact-MasterId": "abc", "X-InContact-ContactId": "123456789012"}"#),
        vec!["HD921"]
    );
    assert_eq!(
        codes(
            r#"{"X-InContact-MasterId": "100000000000", "X-InContact-ContactId": "123456789012"}"#
        ),
        vec!["HD922"]
    );
    assert_eq!(
        codes(&format!(
            r#"{{{IDS}, "X-CXone": "{{\"a\": 1}}", "X-CXone-Extended": {{"b": 2}}}}"#
        )),
        NONE
    );
    let bad = format!(r#"{{{IDS}, "X-CXone-Custom": "{{customerId: 42}}"}}"#);
    let f = only(&bad, "HD923");
    assert_eq!(&bad[f.span.start..f.span.start + 1], "c");
    assert_eq!(codes(&format!(r#"{{{IDS}, "X-CXone": 7}}"#)), vec!["HD923"]);
}

#[test]
fn sip_iva_params_is_json_inside_json() {
    let good = format!(
        r#"{{{IDS}, "X-CXone-Custom": "{{\"ivaParams\": \"{{\\\"lang\\\": \\\"en\\\"}}\"}}"}}"#
    );
    assert_eq!(codes(&good), NONE);
    let once = format!(r#"{{{IDS}, "X-CXone-Custom": "{{\"ivaParams\": {{\"lang\": \"en\"}}}}"}}"#);
    assert_eq!(codes(&once), vec!["HD924"]);
    let broken = format!(r#"{{{IDS}, "X-CXone-Custom": "{{\"ivaParams\": \"{{lang\"}}"}}"#);
    assert_eq!(codes(&broken), vec!["HD924"]);
    let logged_as_object = format!(r#"{{{IDS}, "X-CXone-Custom": {{"ivaParams": "nope"}}}}"#);
    assert_eq!(
        only(&logged_as_object, "HD924").pointer,
        "/X-CXone-Custom/ivaParams"
    );
}

fn envelope(json: &str) -> String {
    format!(r#"{{"_cognigy": {{"_niceCXOne": {{"json": {json}}}}}}}"#)
}

#[test]
fn vah_chat() {
    assert_eq!(
        codes(&envelope(
            r#"{"text": "", "uiComponent": {}, "data": {"Intent": "Escalate"}, "action": "AGENT_TRANSFER"}"#
        )),
        NONE
    );
    assert_eq!(
        codes(&envelope(
            r#"{"action": "END_CONVERSATION", "data": {"intent": "End"}}"#
        )),
        NONE
    );
    assert_eq!(codes(r#"{"_cognigy": {}}"#), vec!["HD930"]);
    let case = only(r#"{"_cognigy": {"_niceCxOne": {}}}"#, "HD930");
    assert!(case.message.contains("case-sensitive"), "{}", case.message);
    let action = only(
        &envelope(r#"{"action": "agent_transfer", "data": {"Intent": "Escalate"}}"#),
        "HD931",
    );
    assert_eq!(action.fix.unwrap().replacement, "\"AGENT_TRANSFER\"");
    assert_eq!(
        codes(&envelope(r#"{"data": {"Intent": "Escalate"}}"#)),
        vec!["HD931"]
    );
    assert_eq!(
        codes(&envelope(r#"{"action": "AGENT_TRANSFER"}"#)),
        vec!["HD932"]
    );
    assert_eq!(
        codes(&envelope(
            r#"{"action": "AGENT_TRANSFER", "data": "billing"}"#
        )),
        vec!["HD932"]
    );
    assert_eq!(
        codes(&envelope(
            r#"{"action": "AGENT_TRANSFER", "data": {"Intent": ""}}"#
        )),
        vec!["HD933"]
    );
}

#[test]
fn vg_transfer_targets() {
    for target in [
        "+14155552671",
        "sip:agent@cxone.example",
        "sips:+14155552671@x.example",
        "tel:+14155552671",
    ] {
        assert_eq!(
            codes(&format!(r#"{{"transferTarget": "{target}"}}"#)),
            NONE,
            "{target}"
        );
    }
    let f = only(r#"{"transferTarget": "+1 (415) 555-2671"}"#, "HD940");
    assert_eq!(f.fix.unwrap().replacement, "\"+14155552671\"");
    assert_eq!(codes(r#"{"transferTarget": "http://x"}"#), vec!["HD940"]);
    assert_eq!(codes(r#"{"transferType": "refer"}"#), vec!["HD940"]);
    assert_eq!(
        codes(r#"{"verb": "dial", "target": [{"type": "phone", "number": "+14155552671"}]}"#),
        NONE
    );
    assert_eq!(
        codes(r#"{"verb": "dial", "target": [{"type": "phone"}]}"#),
        vec!["HD940"]
    );
    assert_eq!(
        codes(r#"{"verb": "sip:refer", "referTo": "sip:queue@cxone.example"}"#),
        NONE
    );
}

const TARGET: &str = r#""transferTarget": "+14155552671""#;

#[test]
fn vg_transfer_headers() {
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "customHeaders": {{"X-Intent": "billing"}}}}"#
        )),
        NONE
    );
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "headers": [{{"name": "X-Intent", "value": "billing"}}]}}"#
        )),
        NONE
    );
    // The node's header key is not published, and the node took both forms: both pass.
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "customHeaders": [{{"name": "X-Intent", "value": "b"}}]}}"#
        )),
        NONE
    );
    assert_eq!(
        codes(&format!(r#"{{{TARGET}, "headers": {{"X-Intent": "b"}}}}"#)),
        NONE
    );
    assert_eq!(
        codes(&format!(r#"{{{TARGET}, "headers": ["X-Intent: b"]}}"#)),
        vec!["HD941"]
    );
    assert_eq!(
        codes(
            r#"{"verb": "dial", "target": [{"type": "phone", "number": "+14155552671"}], "headers": {"X-Intent": "b"}}"#
        ),
        NONE
    );
    // The verbs' `headers` is an object (jambonz specs.json); only the node takes an array.
    assert_eq!(
        codes(
            r#"{"verb": "sip:refer", "referTo": "+14155552671", "headers": [{"name": "X-Intent", "value": "b"}]}"#
        ),
        vec!["HD941"]
    );
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "customHeaders": {{"Intent": "b", "P-Asserted-Identity": "<sip:+15551234567@x.example>"}}}}"#
        )),
        vec!["HD942"]
    );
    assert_eq!(
        codes(&format!(r#"{{{TARGET}, "customHeaders": {{"X-Id": 42}}}}"#)),
        vec!["HD947"]
    );
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "headers": [{{"name": "X-Id", "value": 42}}]}}"#
        )),
        vec!["HD947"]
    );
}

#[test]
fn vg_transfer_sizes() {
    let uui = |n: usize| {
        format!(
            r#"{{{TARGET}, "customHeaders": {{"X-UUI-Copy": "1", "User-to-User": "{}"}}}}"#,
            "u".repeat(n)
        )
    };
    assert_eq!(codes(&uui(128)), vec!["HD942"]);
    assert_eq!(codes(&uui(129)), vec!["HD942", "HD943"]);
    assert_eq!(codes(&uui(257)), vec!["HD942", "HD944"]);
    let long = format!(
        r#"{{{TARGET}, "customHeaders": {{"X-Data": "{}"}}}}"#,
        "d".repeat(1020)
    );
    assert_eq!(codes(&long), vec!["HD945"]);
    let many: Vec<String> = (0..5)
        .map(|i| format!(r#""X-Data-{i}": "{}""#, "d".repeat(900)))
        .collect();
    assert_eq!(
        codes(&format!(
            r#"{{{TARGET}, "customHeaders": {{{}}}}}"#,
            many.join(", ")
        )),
        vec!["HD946"]
    );
}

#[test]
fn shared_rules_apply_to_every_contract() {
    assert_eq!(
        codes(r#"{"p1": "Escalate", "p2": "{{context.params}}"}"#),
        vec!["HD501"]
    );
    assert_eq!(
        codes(&envelope(
            r#"{"action": "AGENT_TRANSFER", "data": {"Intent": "undefined"}}"#
        )),
        vec!["HD502"]
    );
    assert_eq!(codes(&format!(r#"{{{TARGET}, {TARGET}}}"#)), vec!["HD104"]);
}

fn facts(payload: &str) -> contract::Facts {
    Checker::auto(CheckSettings::default())
        .check_with_facts(&mut Parser::new(), payload.as_bytes(), &mut Vec::new())
        .1
}

/// What `diagnose` reads from a payload comes from the same parse as the checks.
#[test]
fn facts_come_from_the_one_parse() {
    let transfer = facts(
        r#"{"transferContext": {"queueId": " 4012345 ", "participant": {"name": "A", "phoneNumber": "+14155552671"},
            "customAttributes": {"intent": "billing", "score": 1e400}}}"#,
    );
    assert_eq!(transfer.queue_id.as_deref(), Some("4012345"));
    assert_eq!(
        (transfer.name.as_str(), transfer.phone_number.as_str()),
        ("A", "+14155552671")
    );
    assert_eq!(
        transfer.custom_attributes,
        r#"{"intent":"billing","score":1e400}"#
    );
    assert_eq!(
        facts(r#"{"transferContext": {"queueId": 4012345}}"#)
            .queue_id
            .as_deref(),
        Some("4012345")
    );
    let split =
        facts(r#"{"query": {"p1": "Escalate"}, "body": {"p2": "[]"}, "spawnedContactId": 7}"#);
    assert_eq!(split.signal_params, vec!["Escalate", "[]"]);
    assert_eq!(split.signal_contact.as_deref(), Some("7"));
    let exit = facts(
        r#"{"action": "End", "contactId": "5", "spawnedContactId": "", "optionalParamsObject": []}"#,
    );
    assert_eq!(exit.signal_params, vec!["End"]);
    assert_eq!(exit.signal_contact.as_deref(), Some("5"));
    assert_eq!(facts(r#"{"_cognigy": {}}"#), contract::Facts::default());
}
