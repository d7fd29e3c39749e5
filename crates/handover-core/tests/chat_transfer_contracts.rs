//! `vah-chat` and `vg-transfer` against the payloads their sources produce: NICE's Cognigy extension
//! (Exit Interaction, the Adaptive Card node), Cognigy's `dial` and `sip:refer` verbs, the legacy
//! Voice Gateway extension, and the size limits as warnings that name whose limit they are.

use handover_core::{Finding, Severity};

mod common;
use common::{check, codes};

/// The one finding of `code`, checked to be the only finding of the record.
fn sole(payload: &str, code: &str) -> Finding {
    let findings = check(payload).1;
    assert_eq!(
        findings.iter().map(|f| f.rule.code).collect::<Vec<_>>(),
        vec![code],
        "{payload}"
    );
    findings[0].clone()
}

const NONE: Vec<&str> = Vec::new();

fn nice(json: &str) -> String {
    format!(r#"{{"_cognigy": {{"_niceCXOne": {{"json": {json}}}}}}}"#)
}

/// What `adaptive-card.ts` outputs on a Guide Chat channel: the card's type, version, body and
/// actions in `uiComponent` (its `$schema` dropped), `data: {}`.
const CARD_REPLY: &str = r#"{"_cognigy": {"_niceCXOne": {"json": {"text": "", "uiComponent": {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "How would you rate this chat?", "wrap": true}], "actions": [{"type": "Action.Submit", "title": "Good", "data": {"rating": 5}}]}, "data": {}, "action": "ADAPTIVE_CARD"}}}}"#;

#[test]
fn an_adaptive_card_from_the_extension_is_quiet() {
    assert_eq!(check(CARD_REPLY), (Some("vah-chat"), Vec::new()));
    // The node's default card: empty body and actions.
    assert_eq!(
        codes(&nice(
            r#"{"text": "", "uiComponent": {"type": "AdaptiveCard", "version": "1.5", "body": [], "actions": []}, "data": {}, "action": "ADAPTIVE_CARD"}"#
        )),
        NONE
    );
    // `data` carries nothing for a card, so leaving it out loses nothing.
    assert_eq!(
        codes(&nice(
            r#"{"uiComponent": {"type": "AdaptiveCard", "version": "1.5", "body": []}, "action": "ADAPTIVE_CARD"}"#
        )),
        NONE
    );
}

#[test]
fn an_adaptive_card_needs_the_card_in_ui_component() {
    let moved = sole(
        &nice(
            r#"{"data": {"type": "AdaptiveCard", "version": "1.5", "body": []}, "action": "ADAPTIVE_CARD"}"#,
        ),
        "HD936",
    );
    assert_eq!(moved.severity, Severity::Error);
    assert_eq!(moved.pointer, "/_cognigy/_niceCXOne/json");
    assert_eq!(
        moved.message,
        "ADAPTIVE_CARD without `uiComponent`, where NICE's Adaptive Card node puts the card (the card is in `data`: move it to `uiComponent`)"
    );
    let empty = sole(
        &nice(r#"{"uiComponent": {}, "data": {}, "action": "ADAPTIVE_CARD"}"#),
        "HD936",
    );
    assert_eq!(empty.pointer, "/_cognigy/_niceCXOne/json/uiComponent");
    assert_eq!(
        empty.message,
        "`uiComponent` holds no Adaptive Card (no `type`)"
    );
    let case = sole(
        &nice(
            r#"{"uiComponent": {"type": "adaptiveCard", "body": []}, "data": {}, "action": "ADAPTIVE_CARD"}"#,
        ),
        "HD936",
    );
    assert_eq!(case.pointer, "/_cognigy/_niceCXOne/json/uiComponent/type");
    assert_eq!(case.fix.unwrap().replacement, "\"AdaptiveCard\"");
    assert_eq!(
        codes(&nice(
            r#"{"uiComponent": "card", "data": {}, "action": "ADAPTIVE_CARD"}"#
        )),
        vec!["HD936"]
    );
    // `data`, when sent, is an object, as the node sends it.
    assert_eq!(
        codes(&nice(
            r#"{"uiComponent": {"type": "AdaptiveCard"}, "data": "card", "action": "ADAPTIVE_CARD"}"#
        )),
        vec!["HD932"]
    );
}

#[test]
fn exit_interaction_replies_are_quiet() {
    // handover.ts: data.Intent is the Exit Action, Params the JSON of the optional parameters.
    let escalate = nice(
        r#"{"text": "", "uiComponent": {}, "data": {"Intent": "Escalate", "Params": "[{\"customerId\":\"C-1042\"}]"}, "action": "AGENT_TRANSFER"}"#,
    );
    assert_eq!(check(&escalate), (Some("vah-chat"), Vec::new()));
    assert_eq!(
        codes(&nice(
            r#"{"text": "", "uiComponent": {}, "data": {"Intent": "End"}, "action": "END_CONVERSATION"}"#
        )),
        NONE
    );
}

#[test]
fn an_intent_nice_never_sends_is_a_warning() {
    let unknown = sole(
        &nice(r#"{"data": {"Intent": "billing_inquiry"}, "action": "AGENT_TRANSFER"}"#),
        "HD934",
    );
    assert_eq!(unknown.severity, Severity::Warning);
    assert_eq!(unknown.pointer, "/_cognigy/_niceCXOne/json/data/Intent");
    assert_eq!(
        unknown.message,
        "`data.Intent` is \"billing_inquiry\": NICE's Exit Interaction node sends only \"Escalate\" or \"End\", so NICE's Studio template is not expected to act on it (no public source shows the template); a custom Studio script may"
    );
    assert!(unknown.fix.is_none());
    let case = sole(
        &nice(r#"{"data": {"Intent": "escalate"}, "action": "AGENT_TRANSFER"}"#),
        "HD934",
    );
    assert!(
        case.message.ends_with("did you mean \"Escalate\"?"),
        "{}",
        case.message
    );
    assert_eq!(case.fix.unwrap().replacement, "\"Escalate\"");
    // A near miss gets the question, but no fix: it may be meant.
    let near = sole(
        &nice(r#"{"data": {"Intent": "Escalat"}, "action": "AGENT_TRANSFER"}"#),
        "HD934",
    );
    assert!(near.message.contains("did you mean \"Escalate\"?"));
    assert!(near.fix.is_none());
    // HD501 and HD502 speak for templates and stand-ins; HD934 does not repeat them.
    assert_eq!(
        codes(&nice(
            r#"{"data": {"Intent": "{{context.exit}}"}, "action": "AGENT_TRANSFER"}"#
        )),
        vec!["HD501"]
    );
}

#[test]
fn intent_and_action_belong_together() {
    let mismatch = sole(
        &nice(r#"{"data": {"Intent": "End"}, "action": "AGENT_TRANSFER"}"#),
        "HD935",
    );
    assert_eq!(mismatch.severity, Severity::Warning);
    assert_eq!(mismatch.pointer, "/_cognigy/_niceCXOne/json/data/Intent");
    assert_eq!(
        mismatch.message,
        "`data.Intent` is \"End\" but `action` is AGENT_TRANSFER: Exit Interaction sends \"End\" only with END_CONVERSATION, and which of the two the Studio script follows is not public"
    );
    assert_eq!(
        codes(&nice(
            r#"{"data": {"Intent": "Escalate"}, "action": "END_CONVERSATION"}"#
        )),
        vec!["HD935"]
    );
}

#[test]
fn intents_are_asked_only_of_exit_interaction_replies() {
    let missing = sole(
        &nice(r#"{"data": {"Params": "[]"}, "action": "AGENT_TRANSFER"}"#),
        "HD933",
    );
    assert_eq!(missing.message, "`data` has no `Intent`");
    let typed = sole(
        &nice(r#"{"data": {"Intent": 1}, "action": "END_CONVERSATION"}"#),
        "HD933",
    );
    assert_eq!(typed.pointer, "/_cognigy/_niceCXOne/json/data/Intent");
    assert_eq!(
        typed.message,
        "`data.Intent` must be a string (Escalate or End), found a number"
    );
}

#[test]
fn the_action_list_is_the_extension_s() {
    let wrong = sole(
        &nice(r#"{"data": {"Intent": "Escalate"}, "action": "HANDOVER"}"#),
        "HD931",
    );
    assert_eq!(
        wrong.message,
        "`action` is \"HANDOVER\", not AGENT_TRANSFER, END_CONVERSATION or ADAPTIVE_CARD"
    );
    let case = sole(
        &nice(
            r#"{"uiComponent": {"type": "AdaptiveCard"}, "data": {}, "action": "adaptive_card"}"#,
        ),
        "HD931",
    );
    assert_eq!(case.fix.unwrap().replacement, "\"ADAPTIVE_CARD\"");
}

#[test]
fn the_webchat_form_of_a_card_is_named() {
    // adaptive-card.ts on a channel whose name contains webchat, test or adminconsole.
    let webchat = r#"{"type": "adaptiveCard", "_cognigy": {"_default": {"_adaptiveCard": {"type": "adaptiveCard", "adaptiveCard": {"type": "AdaptiveCard", "version": "1.5", "body": []}}}}}"#;
    let f = sole(webchat, "HD930");
    assert_eq!(f.pointer, "/_cognigy");
    assert!(
        f.message
            .contains("found `_default`: Cognigy's webchat form"),
        "{}",
        f.message
    );
}

#[test]
fn voice_gateway_envelopes_are_vg_transfer() {
    // Cognigy's "Custom Verbs in Code Nodes", spelt both ways the docs spell it.
    for channel in ["_voiceGateway2", "_voice-gateway2"] {
        let verb = format!(
            r#"{{"_cognigy": {{"{channel}": {{"json": {{"verb": "dial", "actionHook": "dial", "callerId": "+4930123456", "target": [{{"type": "phone", "number": "+4930987654"}}]}}}}}}}}"#
        );
        assert_eq!(check(&verb), (Some("vg-transfer"), Vec::new()), "{channel}");
    }
    // The legacy Voice Gateway extension's handover event (extensions/voice-gateway handover.ts).
    let legacy = r#"{"_cognigy": {"_voiceGateway": {"json": {"activities": [{"type": "event", "name": "handover", "activityParams": {"transferTarget": "tel:+49123456789", "handoverReason": "Bot initiated handover", "transferReferredByURL": ""}}]}}}}"#;
    assert_eq!(check(legacy), (Some("vg-transfer"), Vec::new()));
    let bad = legacy.replace("tel:+49123456789", "0049 123 456789");
    let f = sole(&bad, "HD940");
    assert_eq!(
        f.pointer,
        "/_cognigy/_voiceGateway/json/activities/0/activityParams/transferTarget"
    );
    assert_eq!(f.fix.unwrap().replacement, "\"+49123456789\"");
    // A verb that transfers nothing is no vg-transfer payload, and no chat reply either.
    assert_eq!(
        check(r#"{"_cognigy": {"_voiceGateway2": {"json": {"verb": "say", "text": "Hi"}}}}"#).0,
        Some("transfer-context")
    );
}

#[test]
fn every_documented_dial_target_type_is_quiet() {
    let dial = r#"{"verb": "dial", "callerId": "+491173331212", "target": [
        {"type": "phone", "number": "+4915112345678", "trunk": "Twilio"},
        {"type": "sip", "sipUri": "sip:4915112345678@sip.myTrunk.com", "auth": {"username": "John", "password": "Doe"}},
        {"type": "user", "name": "jane@sip.example.com"},
        {"type": "teams", "number": "+14155552671", "tenant": "contoso.onmicrosoft.com", "vmail": false}
    ]}"#;
    assert_eq!(check(dial), (Some("vg-transfer"), Vec::new()));
}

#[test]
fn dial_targets_need_their_address() {
    let f = sole(
        r#"{"verb": "dial", "target": [{"type": "user", "name": "sip:jane@sip.example.com"}]}"#,
        "HD940",
    );
    assert_eq!(f.pointer, "/target/0/name");
    assert_eq!(
        f.message,
        "`name` \"sip:jane@sip.example.com\" is not a registered user's name: Voice Gateway dials sip:<name>, so it takes no scheme and no spaces"
    );
    let f = sole(
        r#"{"verb": "dial", "target": [{"type": "sip", "sipUri": "tel:+14155552671"}]}"#,
        "HD940",
    );
    assert_eq!(
        f.message,
        "`sipUri` \"tel:+14155552671\" is not a sip: or sips: URI"
    );
    let f = sole(
        r#"{"verb": "dial", "target": [{"type": "teams"}]}"#,
        "HD940",
    );
    assert_eq!(
        (f.pointer.as_str(), f.message.as_str()),
        ("/target/0", "a `teams` dial target needs `number`")
    );
    let f = sole(
        r#"{"verb": "dial", "target": [{"number": "+14155552671"}]}"#,
        "HD940",
    );
    assert_eq!(
        f.message,
        "a dial target needs `type`: phone, sip, user or teams"
    );
    let f = sole(
        r#"{"verb": "dial", "target": [{"type": "Phone", "number": "+14155552671"}]}"#,
        "HD940",
    );
    assert_eq!(f.fix.unwrap().replacement, "\"phone\"");
    let f = sole(r#"{"verb": "dial", "target": "+14155552671"}"#, "HD940");
    assert!(
        f.message.contains("is an array of destinations"),
        "{}",
        f.message
    );
    assert_eq!(codes(r#"{"verb": "dial", "target": []}"#), vec!["HD940"]);
    assert_eq!(codes(r#"{"verb": "dial"}"#), vec!["HD940"]);
}

#[test]
fn more_than_ten_targets_is_a_warning() {
    let targets: Vec<String> = (0..11)
        .map(|i| format!(r#"{{"type": "phone", "number": "+1415555267{i}"}}"#))
        .collect();
    let f = sole(
        &format!(r#"{{"verb": "dial", "target": [{}]}}"#, targets.join(", ")),
        "HD948",
    );
    assert_eq!(
        (f.severity, f.pointer.as_str()),
        (Severity::Warning, "/target")
    );
    assert_eq!(
        f.message,
        "`target` lists 11 destinations; Voice Gateway dials at most 10, so the rest are never called"
    );
}

#[test]
fn the_caller_id_is_e164() {
    let f = sole(
        r#"{"verb": "dial", "callerId": "+1 (415) 555-2671", "target": [{"type": "phone", "number": "+14155552672"}]}"#,
        "HD949",
    );
    assert_eq!(
        (f.severity, f.pointer.as_str()),
        (Severity::Error, "/callerId")
    );
    assert_eq!(f.fix.unwrap().replacement, "\"+14155552671\"");
    assert_eq!(
        codes(
            r#"{"verb": "dial", "callerId": 14155552671, "target": [{"type": "phone", "number": "+14155552672"}]}"#
        ),
        vec!["HD949"]
    );
}

#[test]
fn sip_refer_takes_what_the_verb_documents() {
    for refer_to in [
        "sip:queue@cxone.example",
        "+14155552671",
        "4001",
        "<sip:+14155552671@cxone.example;user=phone>",
    ] {
        let verb = format!(
            r#"{{"verb": "sip:refer", "referTo": "{}", "referredBy": "sip:bot@cognigy.example", "headers": {{"X-Intent": "billing"}}}}"#,
            refer_to.replace('"', "\\\"")
        );
        assert_eq!(
            check(&verb),
            (Some("vg-transfer"), Vec::new()),
            "{refer_to}"
        );
    }
    let tel = sole(
        r#"{"verb": "sip:refer", "referTo": "tel:+14155552671"}"#,
        "HD940",
    );
    assert!(
        tel.message.contains("(jambonz) would send as sip:tel:"),
        "{}",
        tel.message
    );
    assert_eq!(tel.fix.unwrap().replacement, "\"+14155552671\"");
    assert_eq!(codes(r#"{"verb": "sip:refer"}"#), vec!["HD940"]);
    let by = sole(
        r#"{"verb": "sip:refer", "referTo": "+14155552671", "referredBy": "Cognigy Bot"}"#,
        "HD950",
    );
    assert_eq!(
        (by.severity, by.pointer.as_str()),
        (Severity::Error, "/referredBy")
    );
    // The legacy extension's empty default means "not set".
    assert_eq!(
        codes(r#"{"transferTarget": "+14155552671", "transferReferredByURL": ""}"#),
        NONE
    );
}

#[test]
fn the_node_takes_both_header_forms() {
    assert_eq!(
        codes(
            r#"{"transferTarget": "+14155552671", "transferSipHeaders": [{"name": "X-Intent", "value": "billing"}]}"#
        ),
        NONE
    );
    let f = sole(
        r#"{"transferTarget": "+14155552671", "customHeaders": "X-Intent: billing"}"#,
        "HD941",
    );
    assert_eq!(
        f.message,
        "`customHeaders` must be an object {\"X-Name\": \"value\"} or an array of {\"name\", \"value\"}, found a string"
    );
}

#[test]
fn malformed_headers_are_errors() {
    let name = sole(
        r#"{"verb": "sip:refer", "referTo": "+14155552671", "headers": {"X Intent": "billing"}}"#,
        "HD951",
    );
    assert_eq!(
        (name.severity, name.pointer.as_str()),
        (Severity::Error, "/headers/X Intent")
    );
    let value = sole(
        r#"{"verb": "sip:refer", "referTo": "+14155552671", "headers": {"X-Intent": "billing\r\nX-Evil: 1"}}"#,
        "HD951",
    );
    assert_eq!(
        value.message,
        "the value of `X-Intent` holds a line break, which ends a SIP header line"
    );
}

fn refer_with(headers: &str) -> String {
    format!(
        r#"{{"verb": "sip:refer", "referTo": "sip:queue@cxone.example", "headers": {{{headers}}}}}"#
    )
}

#[test]
fn size_limits_are_warnings_that_name_their_vendor() {
    let uui = |n: usize| {
        refer_with(&format!(
            r#""X-Id": "1", "User-to-User": "{}""#,
            "a".repeat(n)
        ))
    };
    assert_eq!(codes(&uui(128)), vec!["HD942"]);
    let genesys = check(&uui(129)).1;
    let genesys = genesys.iter().find(|f| f.rule.code == "HD943").unwrap();
    assert_eq!(genesys.severity, Severity::Warning);
    assert_eq!(genesys.pointer, "/headers/User-to-User");
    assert_eq!(
        genesys.message,
        "`User-to-User` is 129 characters: Genesys Cloud recommends at most 128, as some systems discard longer UUI"
    );
    let talkdesk = check(&uui(257)).1;
    assert_eq!(
        talkdesk.iter().map(|f| f.rule.code).collect::<Vec<_>>(),
        vec!["HD942", "HD944"]
    );
    assert_eq!(talkdesk[1].severity, Severity::Warning);
    assert_eq!(
        talkdesk[1].message,
        "`User-to-User` is 257 bytes: Talkdesk caps UUI data at 256 bytes (and Genesys Cloud recommends at most 128 characters)"
    );
    // Talkdesk counts bytes: 200 characters of two bytes each are over its cap.
    let wide = check(&uui(0).replace(
        r#""User-to-User": """#,
        &format!(r#""User-to-User": "{}""#, "é".repeat(200)),
    ))
    .1;
    assert!(wide.iter().any(|f| f.rule.code == "HD944"));

    let line = sole(
        &refer_with(&format!(r#""X-Data": "{}""#, "d".repeat(1017))),
        "HD945",
    );
    assert_eq!(line.severity, Severity::Warning);
    assert_eq!(
        line.message,
        "the `X-Data` header line is 1025 bytes, over the 1024 many SIP parsers and middleboxes assume at most"
    );

    let many: Vec<String> = (0..5)
        .map(|i| format!(r#""X-Data-{i}": "{}""#, "d".repeat(900)))
        .collect();
    let all = sole(&refer_with(&many.join(", ")), "HD946");
    assert_eq!(
        (all.severity, all.pointer.as_str()),
        (Severity::Warning, "/headers")
    );
    assert_eq!(
        all.message,
        "the REFER's custom headers add up to 4560 bytes: with the SDP, over the 4000-byte packet buffer of Asterisk's PJSIP stack (pjproject PJSIP_MAX_PKT_LEN, asterisk#956)"
    );
}

#[test]
fn a_target_s_invite_carries_the_verb_s_headers_too() {
    let half = |prefix: &str| -> String {
        (0..3)
            .map(|i| format!(r#""X-{prefix}-{i}": "{}""#, "d".repeat(700)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dial = format!(
        r#"{{"verb": "dial", "headers": {{{}}}, "target": [{{"type": "phone", "number": "+14155552671", "headers": {{{}}}}}, {{"type": "phone", "number": "+14155552672"}}]}}"#,
        half("V"),
        half("T")
    );
    let f = sole(&dial, "HD946");
    assert_eq!(f.pointer, "/target/0/headers");
    assert!(
        f.message
            .starts_with("with the verb's headers, this target's INVITE carries 4254 bytes"),
        "{}",
        f.message
    );
}
