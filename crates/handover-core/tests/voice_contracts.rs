//! The voice contracts against NICE's Cognigy extension as it ships (`Cognigy/Extensions`,
//! `extensions/cxone`, 1.0.9 to 1.0.11): each rule fires where the extension's code says the
//! handover breaks or data is lost, and stays quiet on what the extension itself sends.

use handover_core::{Finding, Severity};

mod common;
use common::{check, codes, only};

/// The text a finding's span covers.
fn spanned<'a>(payload: &'a str, finding: &Finding) -> &'a str {
    &payload[finding.span.start..finding.span.end]
}

fn assert_says(finding: &Finding, words: &[&str]) {
    for word in words {
        assert!(
            finding.message.contains(word),
            "{} message lacks {word:?}: {}",
            finding.rule.code,
            finding.message
        );
    }
}

const NONE: Vec<&str> = Vec::new();

// Signals.

#[test]
fn a_signal_interaction_signal_has_free_text_parameters() {
    // send-signal.ts: signalParams ["Transfer", "Hello|World"] become p1 and p2 as they are.
    for payload in [
        r#"{"p1": "Transfer", "p2": "Hello|World"}"#,
        r#"{"body": {"p1": "Transfer", "p2": "Hello|World"}}"#,
        r#"{"query": {"p1": "Transfer", "p2": "Hello|World"}}"#,
        r#"{"p1": "Hello|World"}"#,
        r#"{"p1": "Transfer", "p2": "{not json"}"#,
        r#"{"p1": 42, "p2": true}"#,
    ] {
        let (contract, findings) = check(payload);
        assert_eq!(contract, Some("cxone-signal"), "{payload}");
        assert!(findings.is_empty(), "{payload}: {findings:#?}");
    }
}

#[test]
fn a_near_miss_of_the_action_is_a_did_you_mean_warning() {
    let payload = r#"{"p1": "escalate", "p2": "{not json"}"#;
    let f = only(payload, "HD918");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.pointer, "/p1");
    assert_eq!(spanned(payload, &f), r#""escalate""#);
    assert_says(&f, &["did you mean `Escalate`?", "Signal Interaction"]);
    assert_eq!(f.fix.unwrap().replacement, r#""Escalate""#);
    // Not Exit Interaction's signal, so its p2 is free text: no HD914.
    assert_eq!(codes(payload), vec!["HD918"]);

    let typo = only(r#"{"p1": "Escalat"}"#, "HD918");
    assert_says(&typo, &["did you mean `Escalate`?"]);
    assert!(typo.fix.is_none(), "only a change of case is rewritten");
    assert_says(
        &only(r#"{"body": {"p1": "END"}}"#, "HD918"),
        &["did you mean `End`?"],
    );
    assert_says(&only(r#"{"p1": "Ennd"}"#, "HD918"), &["`End`"]);
    // Three edits or more, or nothing alike: free text.
    for p1 in ["Escalation", "Transfer", "Goodbye", "Hello|World", ""] {
        assert_eq!(codes(&format!(r#"{{"p1": "{p1}"}}"#)), NONE, "{p1}");
    }
}

#[test]
fn an_exact_escalate_or_end_is_exit_interactions_signal() {
    // handover.ts 1.0.8+: p2 = JSON.stringify(optionalParamsObject).
    assert_eq!(
        codes(r#"{"p1": "End", "p2": "[{\"reason\":\"done\"}]"}"#),
        NONE
    );
    assert_eq!(codes(r#"{"p1": "End"}"#), NONE);
    let payload = r#"{"p1": "End", "p2": "{\"reason\": done}"}"#;
    let f = only(payload, "HD914");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.pointer, "/p2");
    assert_eq!(&payload[f.span.start..f.span.start + 4], "done");
    assert_says(&f, &["Exit Interaction", "not valid JSON"]);
    let number = only(r#"{"p1": "Escalate", "p2": 5}"#, "HD914");
    assert_says(&number, &["is a number", "1.0.8"]);
}

#[test]
fn exit_interaction_1_0_9_sends_p1_in_the_query_and_p2_in_the_body() {
    // cxone-utils.ts at 2c0c7ae4: `signal?p1=${action}`, then bodyObj[`p${index + 2}`].
    let split = r#"{"query": {"p1": "Escalate"}, "body": {"p2": "[{\"reason\":\"billing\"}]"}}"#;
    assert_eq!(check(split), (Some("cxone-signal"), Vec::new()));
    let broken = r#"{"query": {"p1": "Escalate"}, "body": {"p2": "billing"}}"#;
    assert_eq!(only(broken, "HD914").pointer, "/body/p2");
    // The parameters of query and body count together.
    let ten = r#"{"query": {"p1": "a", "p2": "b", "p3": "c", "p4": "d", "p5": "e"}, "body": {"p6": "f", "p7": "g", "p8": "h", "p9": "i", "p10": "j"}}"#;
    let f = only(ten, "HD912");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.pointer, "/body/p10");
    assert_says(&f, &["10 parameters", "p1..p9"]);
}

const IDS: &str = r#""contactId": "123456789011", "spawnedContactId": "123456789012""#;

#[test]
fn the_exit_interaction_config_keeps_its_rules() {
    let current = format!(
        r#"{{"action": "Escalate", "businessNumber": "4600123", {IDS}, "optionalParamsObject": [{{"reason": "billing"}}]}}"#
    );
    assert_eq!(codes(&current), NONE);
    // 1.0.9 still has environment and baseUrl; they are not legacy for the versions checked.
    let with_environment = format!(
        r#"{{"environment": "https://cxone.niceincontact.com", "action": "End", "businessNumber": "4600123", {IDS}}}"#
    );
    assert_eq!(codes(&with_environment), NONE);
    let exact_end = format!(r#"{{"action": "End", {IDS}}}"#);
    assert_eq!(codes(&exact_end), NONE);
    let action = only(&format!(r#"{{"action": "end", {IDS}}}"#), "HD913");
    assert_eq!(action.severity, Severity::Error);
    assert_eq!(action.fix.unwrap().replacement, r#""End""#);
    assert_eq!(
        codes(&format!(r#"{{"action": "Transfer", {IDS}}}"#)),
        vec!["HD913"]
    );
    let not_array = only(
        &format!(r#"{{"action": "End", {IDS}, "optionalParamsObject": {{"reason": "done"}}}}"#),
        "HD915",
    );
    assert_eq!(not_array.severity, Severity::Warning);
    assert_says(&not_array, &["not an array", "no p2", "1.0.5"]);
    let missing = only(r#"{"action": "End", "contactId": "123456789011"}"#, "HD916");
    assert_says(&missing, &["`spawnedContactId` is missing"]);
}

#[test]
fn the_sentinel_means_a_non_voice_test_chat() {
    let payload = r#"{"action": "Escalate", "businessNumber": "4600123", "contactId": "100000000000", "spawnedContactId": "123456789012"}"#;
    let f = only(payload, "HD911");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.pointer, "/contactId");
    assert_eq!(spanned(payload, &f), r#""100000000000""#);
    assert_says(&f, &["non-voice", "test chat", "sends nothing"]);
    assert!(!f.message.contains("never arrived"), "{}", f.message);
    assert!(f.hint.contains("real CXone contact"), "{}", f.hint);
}

#[test]
fn empty_ids_on_a_voice_call_mean_the_headers_did_not_arrive() {
    let payload = r#"{"action": "Escalate", "businessNumber": "4600123", "contactId": "123456789011", "spawnedContactId": ""}"#;
    let f = only(payload, "HD910");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.pointer, "/spawnedContactId");
    assert_says(
        &f,
        &[
            "is empty",
            "X-InContact-ContactId",
            "did not arrive",
            "no signal",
        ],
    );
    let master = only(
        r#"{"action": "Escalate", "contactId": " ", "spawnedContactId": "123456789012"}"#,
        "HD910",
    );
    assert_says(&master, &["X-InContact-MasterId"]);
    assert!(!codes(payload).contains(&"HD911"));
    // Not empty, just wrong: no cause is guessed.
    let wrong = only(
        r#"{"action": "Escalate", "contactId": "abc", "spawnedContactId": "123456789012"}"#,
        "HD910",
    );
    assert_says(&wrong, &["\"abc\" is not a contact id"]);
}

#[test]
fn legacy_fields_name_their_version() {
    for (field, value, version) in [
        ("transferIntent", r#""billing""#, "1.0.6 only"),
        ("optionalParamsMode", r#""stringArray""#, "1.0.5 and 1.0.6"),
        ("optionalParamsArray", r#"["a", "b"]"#, "1.0.5 and 1.0.6"),
        ("optionalParams", r#"["a"]"#, "1.0.1 to 1.0.3"),
    ] {
        let payload = format!(r#"{{"action": "Escalate", {IDS}, "{field}": {value}}}"#);
        let f = only(&payload, "HD919");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.pointer, format!("/{field}"));
        assert_eq!(spanned(&payload, &f), format!(r#""{field}""#));
        assert_says(&f, &[version, "1.0.8"]);
        assert_eq!(codes(&payload), vec!["HD919"]);
    }
}

// SIP headers.

/// What Context Init reads on a real call: both ids, X-CXone, ivaParams encoded twice.
const HEADERS: &str =
    r#""X-InContact-MasterId": "123456789011", "X-InContact-ContactId": "123456789012""#;

fn headers(extra: &str) -> String {
    format!("{{{HEADERS}, {extra}}}")
}

#[test]
fn valid_headers_are_quiet() {
    let payload = headers(
        r#""X-CXone": "{\"businessUnit\": 4600123}", "X-CXone-Custom": "{\"ivaParams\": \"{\\\"lang\\\": \\\"en-US\\\"}\"}", "X-CXone-Extended": "{}""#,
    );
    assert_eq!(check(&payload), (Some("cxone-sip-headers"), Vec::new()));
}

#[test]
fn a_needed_header_in_another_case_is_not_found() {
    let payload =
        r#"{"x-incontact-masterid": "123456789011", "X-InContact-ContactId": "123456789012"}"#;
    assert_eq!(check(payload).0, Some("cxone-sip-headers"));
    let f = only(payload, "HD925");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.pointer, "/x-incontact-masterid");
    assert_eq!(spanned(payload, &f), r#""x-incontact-masterid""#);
    assert_says(
        &f,
        &[
            "not `X-InContact-MasterId`",
            "case-sensitive",
            "`contactId` empty",
        ],
    );
    // Reported as not found, not as missing too, and its value is never read.
    assert_eq!(codes(payload), vec!["HD925"]);
    assert_eq!(
        codes(r#"{"X-INCONTACT-MASTERID": "100000000000", "x-incontact-contactid": "x"}"#),
        vec!["HD925", "HD925"]
    );
    let data = headers(r#""x-cxone-custom": "{\"ivaParams\": \"\"}""#);
    let f = only(&data, "HD926");
    assert_eq!(f.severity, Severity::Warning);
    assert_says(&f, &["not `X-CXone-Custom`", "`ivaParams` never reach"]);
    assert_eq!(
        codes(&headers(r#""X-Cxone": "{}", "x-cxone-extended": "{}""#)),
        vec!["HD926", "HD926"]
    );
    // With the exact name present too, Context Init finds that one.
    assert_eq!(
        codes(&headers(r#""x-incontact-masterid": "123456789011""#)),
        NONE
    );
}

#[test]
fn missing_ids_leave_the_context_empty_on_voice() {
    let f = only(r#"{"X-InContact-MasterId": "123456789011"}"#, "HD920");
    assert_eq!(f.severity, Severity::Error);
    assert_says(
        &f,
        &[
            "`X-InContact-ContactId` is missing",
            "`spawnedContactId` empty",
            "no signal",
        ],
    );
    let empty = only(
        r#"{"X-InContact-MasterId": "", "X-InContact-ContactId": "123456789012"}"#,
        "HD921",
    );
    assert_says(&empty, &["treats it as absent", "`contactId` empty"]);
}

#[test]
fn the_sentinel_in_a_header_did_not_come_from_a_call() {
    let payload =
        r#"{"X-InContact-MasterId": "123456789011", "X-InContact-ContactId": "100000000000"}"#;
    let f = only(payload, "HD922");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.pointer, "/X-InContact-ContactId");
    assert_says(&f, &["non-voice", "did not come from a CXone call"]);
    assert!(!f.message.contains("never arrived"), "{}", f.message);
}

#[test]
fn an_empty_iva_params_is_valid() {
    for iva in [r#"\"\""#, r#"\"   \""#] {
        let payload = headers(&format!(r#""X-CXone-Custom": "{{\"ivaParams\": {iva}}}""#));
        assert_eq!(codes(&payload), NONE, "{payload}");
    }
    assert_eq!(
        codes(&headers(r#""X-CXone-Custom": {"ivaParams": ""}"#)),
        NONE
    );
}

#[test]
fn iva_params_that_context_init_cannot_read_are_lost_not_fatal() {
    let once = headers(r#""X-CXone-Custom": "{\"ivaParams\": {\"lang\": \"en\"}}""#);
    let f = only(&once, "HD924");
    assert_eq!(f.severity, Severity::Warning);
    assert_says(
        &f,
        &["found an object", "Failed to parse X-CXone-Custom header"],
    );
    let broken = headers(r#""X-CXone-Custom": "{\"ivaParams\": \"{lang\"}""#);
    assert_says(
        &only(&broken, "HD924"),
        &["not valid JSON", "silently sets it to {}"],
    );
    // Logged as an object: the finding points inside ivaParams, at the syntax error.
    let logged = headers(r#""X-CXone-Custom": {"ivaParams": "{lang: 1}"}"#);
    let f = only(&logged, "HD924");
    assert_eq!(f.pointer, "/X-CXone-Custom/ivaParams");
    assert_eq!(spanned(&logged, &f), "l");
    // JSON grammar, not a float's range, decides: 1e400 is JSON.
    assert_eq!(
        codes(&headers(
            r#""X-CXone-Custom": "{\"ivaParams\": \"[1e400]\"}""#
        )),
        NONE
    );
}

#[test]
fn other_keys_of_x_cxone_custom_are_dropped() {
    let payload = headers(
        r#""X-CXone-Custom": "{\"customerName\": \"John Doe\", \"ivaParams\": \"\", \"tier\": 2}""#,
    );
    let f = only(&payload, "HD927");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.pointer, "/X-CXone-Custom");
    assert_says(&f, &["`customerName`, `tier`", "keeps only `ivaParams`"]);
    let logged = headers(r#""X-CXone-Custom": {"ivaParams": "", "customerName": "John Doe"}"#);
    let f = only(&logged, "HD927");
    assert_eq!(f.pointer, "/X-CXone-Custom/customerName");
    assert_eq!(spanned(&logged, &f), r#""customerName""#);
    let array = only(&headers(r#""X-CXone-Custom": "[1, 2, 3]""#), "HD927");
    assert_says(&array, &["holds an array", "keeps nothing"]);
}

#[test]
fn x_cxone_custom_and_extended_are_read_only_when_longer_than_7_characters() {
    // Not read, so not a syntax error that matters, and nothing lost.
    assert_eq!(
        codes(&headers(
            r#""X-CXone-Extended": "{bad}", "X-CXone-Custom": "{}""#
        )),
        NONE
    );
    // Seven characters of data: dropped.
    let short = headers(r#""X-CXone-Extended": "{\"a\":1}""#);
    let f = only(&short, "HD927");
    assert_says(&f, &["7 characters", "longer than 7", "drops `a`"]);
    // Eight: read, and parsed.
    assert_eq!(codes(&headers(r#""X-CXone-Extended": "{\"ab\":1}""#)), NONE);
    assert_eq!(
        codes(&headers(r#""X-CXone-Extended": "{\"ab\": 1""#)),
        vec!["HD923"]
    );
    // X-CXone has no such threshold, only an empty value is skipped.
    assert_eq!(codes(&headers(r#""X-CXone": """#)), NONE);
    assert_eq!(codes(&headers(r#""X-CXone": "{bad}""#)), vec!["HD923"]);
}

#[test]
fn a_header_that_is_not_json_loses_data() {
    let payload = headers(r#""X-CXone": "{skill: 4012345}""#);
    let f = only(&payload, "HD923");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(spanned(&payload, &f), "s");
    assert_says(&f, &["skips X-CXone-Custom and X-CXone-Extended"]);
    assert!(f.hint.contains("contact ids still arrive"), "{}", f.hint);
    let custom = headers(r#""X-CXone-Custom": "{customerId: 42}""#);
    let f = only(&custom, "HD923");
    assert_eq!(f.severity, Severity::Warning);
    assert!(!f.message.contains("skips"), "{}", f.message);
    assert_eq!(codes(&headers(r#""X-CXone": 7"#)), vec!["HD923"]);
}
