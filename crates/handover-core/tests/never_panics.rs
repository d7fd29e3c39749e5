//! No input makes the engine panic; every span it reports lies inside the record on character
//! boundaries, every fix keeps a JSON record JSON, every pointer leads to a value; and its parser
//! accepts exactly what serde_json accepts.

use handover_core::engine::PhoneCheck;
use handover_core::{Api, CheckSettings, Checker, Finding, Parser, contract};
use proptest::prelude::*;
use serde_json::Value;

/// Both API profiles, one of them with every optional check switched on, and the contract
/// detected per record, so that every contract's rules see every input.
fn checkers() -> [Checker; 3] {
    let contract = contract::find("transfer-context").unwrap();
    [
        Checker::new(CheckSettings::default(), contract),
        Checker::auto(CheckSettings {
            default_region: Some("DE".into()),
            ..CheckSettings::default()
        }),
        Checker::new(
            CheckSettings {
                api: Api::RoutingV2,
                default_region: Some("US".into()),
                required_attributes: vec!["intent".into()],
                max_custom_attributes_bytes: 16,
                phone_check: PhoneCheck::Full,
                ..CheckSettings::default()
            },
            contract,
        ),
    ]
}

fn check_span(text: Option<&str>, len: usize, start: usize, end: usize, what: &Finding) {
    assert!(
        start <= end && end <= len,
        "span outside the record: {what:?}"
    );
    if let Some(text) = text {
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "span inside a character: {what:?}"
        );
    }
}

/// Runs every checker on `bytes` and checks what the findings say about themselves.
fn check_all(bytes: &[u8]) -> Vec<Finding> {
    let text = std::str::from_utf8(bytes).ok();
    let is_json = serde_json::from_slice::<Value>(bytes).is_ok();
    let mut all = Vec::new();
    for checker in checkers() {
        let mut findings = Vec::new();
        checker.check(&mut Parser::new(), bytes, &mut findings);
        for f in &findings {
            check_span(text, bytes.len(), f.span.start, f.span.end, f);
            assert!(f.pointer.is_empty() || f.pointer.starts_with('/'), "{f:?}");
            assert!(!f.message.is_empty() && !f.hint.is_empty(), "{f:?}");
            if let Some(fix) = &f.fix {
                let text = text.expect("a fix is offered only on UTF-8 records");
                check_span(Some(text), bytes.len(), fix.span.start, fix.span.end, f);
                let (fixed, applied) = handover_core::fix::apply(text, std::slice::from_ref(fix));
                assert_eq!(applied, 1);
                if is_json {
                    assert!(
                        serde_json::from_str::<Value>(&fixed).is_ok(),
                        "the fix of {f:?} broke the JSON: {fixed}"
                    );
                }
            }
        }
        let starts: Vec<_> = findings.iter().map(|f| f.span.start).collect();
        assert!(
            starts.is_sorted(),
            "findings out of record order: {findings:?}"
        );
        all.extend(findings);
    }
    all
}

/// The parser and serde_json agree, for inputs that cannot reach either's nesting limit.
fn agrees_with_serde_json(bytes: &[u8]) -> Result<(), TestCaseError> {
    let openers = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count();
    if openers >= 100 {
        return Ok(());
    }
    let ours = Parser::new().parse(bytes).is_ok();
    // serde_json refuses a number beyond a 64-bit float; the JSON grammar does not (HD107 warns).
    let theirs = serde_json::from_slice::<Value>(bytes)
        .map_or_else(|e| e.to_string().contains("number out of range"), |_| true);
    prop_assert_eq!(
        ours,
        theirs,
        "ours {} serde_json {} on {:?}",
        ours,
        theirs,
        String::from_utf8_lossy(bytes)
    );
    Ok(())
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+14155552671"),
        Just("+1 555 123 4567"),
        Just("0044 20 7123 4567"),
        Just("(415) 555-2671"),
        Just("+9991234567"),
        Just("+15550000000"),
        Just("4012345"),
        Just(" 4012345 "),
        Just("a1b2c3d4-5678-90ab-cdef-123456789012"),
        Just("{A1B2C3D4-5678-90AB-CDEF-123456789012}"),
        Just("{{context.x}}"),
        Just("${input.x}"),
        Just("undefined"),
        Just("REPLACE_WITH_QUEUE"),
        Just(""),
        Just("  "),
    ]
    .prop_map(str::to_string)
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop_oneof![
            Just("transferContext"),
            Just("queueId"),
            Just("participant"),
            Just("name"),
            Just("phoneNumber"),
            Just("customAttributes"),
            Just("flowVersionId"),
            Just("intent"),
            Just("queue_id"),
            Just("participants"),
            Just("transferContex"),
        ]
        .prop_map(str::to_string),
        1 => ".{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        interesting_string().prop_map(Value::String),
    ]
}

/// Any JSON value, its keys biased towards the contract's.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A payload shaped like the contract's, each member present or not and any value.
fn shaped_payload() -> impl Strategy<Value = Value> {
    let member = || prop::option::of(prop_oneof![3 => leaf(), 1 => json_value()]);
    let participant = prop_oneof![
        3 => (member(), member()).prop_map(|(name, phone)| {
            let mut p = serde_json::Map::new();
            if let Some(name) = name {
                p.insert("name".into(), name);
            }
            if let Some(phone) = phone {
                p.insert("phoneNumber".into(), phone);
            }
            Value::Object(p)
        }),
        1 => json_value(),
    ];
    (member(), prop::option::of(participant), member(), member()).prop_map(
        |(queue, participant, attributes, flow)| {
            let mut context = serde_json::Map::new();
            for (k, v) in [
                ("queueId", queue),
                ("participant", participant),
                ("customAttributes", attributes),
                ("flowVersionId", flow),
            ] {
                if let Some(v) = v {
                    context.insert(k.into(), v);
                }
            }
            serde_json::json!({ "transferContext": context })
        },
    )
}

/// Text over the characters JSON's grammar turns on, so that near-JSON comes up often.
fn near_json() -> impl Strategy<Value = String> {
    r#"[\[\]{}",:. \t\n0-9eE+\-a-z\\/é😀\u{0}\u{1f}]{0,64}"#
}

const SEEDS: &[&str] = &[
    r#"{"transferContext": {"queueId": "4012345", "participant": {"name": "J\u00f6 \ud83d\ude00", "phoneNumber": "+14155552671"}, "customAttributes": {"a": [1, 2.5e3, null, true]}}}"#,
    r#"{"transferContext": {"queue_id": " 4012345 ", "participant": {"name": "Jö", "phoneNumber": "+1 415 555 2671"}, "flowVersionId": "{3F2B8C1E-5A4D-4E7B-9C1A-2D3E4F5A6B7C}"}}"#,
    r#"{"transferContex": {"queueId": 7, "queueId": "{{x}}", "participant": {"name": null, "phoneNumber": 4915112345678}}}"#,
];

#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, u8),
    Insert(usize, String),
    Delete(usize, usize),
    Truncate(usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (
            any::<usize>(),
            prop_oneof![
                r#"[\[\]{}",:\\ 0-9]"#,
                Just("é".to_string()),
                Just("😀".to_string()),
                Just("\\u".to_string()),
                Just("\\ud800".to_string()),
                Just("{{".to_string()),
            ]
        )
            .prop_map(|(at, s)| Mutation::Insert(at, s)),
        (any::<usize>(), 1usize..8).prop_map(|(at, n)| Mutation::Delete(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Mutation::Repeat(at, n)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
    match m {
        Mutation::Replace(i, b) if len > 0 => bytes[i % len] = *b,
        Mutation::Replace(..) => {}
        Mutation::Insert(i, s) => {
            let i = at(*i);
            bytes.splice(i..i, s.bytes());
        }
        Mutation::Delete(i, n) => {
            let i = at(*i);
            let end = (i + n).min(len);
            bytes.drain(i..end);
        }
        Mutation::Truncate(i) => bytes.truncate(at(*i)),
        Mutation::Repeat(i, n) => {
            let i = at(*i);
            let end = (i + n).min(len);
            let slice = bytes[i..end].to_vec();
            bytes.splice(i..i, slice);
        }
    }
}

#[test]
fn parse_errors_on_multibyte_characters_are_whole_characters() {
    // Found by this suite: a parse error's span ended one byte in, inside the character.
    for record in ["\u{80}", "é", "{\"a\": 😀}", "[1,\u{a0}2]"] {
        check_all(record.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&bytes);
        agrees_with_serde_json(&bytes)?;
    }

    #[test]
    fn near_json_text_never_panics(text in near_json()) {
        check_all(text.as_bytes());
        agrees_with_serde_json(text.as_bytes())?;
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value(), wrap in any::<bool>(), pretty in any::<bool>()) {
        let value = if wrap { serde_json::json!({"transferContext": value}) } else { value };
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        let findings = check_all(text.as_bytes());
        prop_assert!(Parser::new().parse(text.as_bytes()).is_ok());
        for f in findings {
            // serde_json's Value has no duplicate keys, so every pointer leads somewhere.
            prop_assert!(value.pointer(&f.pointer).is_some(), "{:?} in {}", f, text);
            prop_assert!(!matches!(f.rule.code, "HD100" | "HD104" | "HD106"), "{:?}", f);
        }
    }

    #[test]
    fn payloads_shaped_like_the_contract_never_panic(value in shaped_payload(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        for f in check_all(text.as_bytes()) {
            prop_assert!(value.pointer(&f.pointer).is_some(), "{:?} in {}", f, text);
            prop_assert!(f.rule.code != "HD101", "{:?}", f);
        }
    }

    #[test]
    fn mutations_of_payloads_never_panic(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut bytes = SEEDS[seed].as_bytes().to_vec();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        check_all(&bytes);
        agrees_with_serde_json(&bytes)?;
    }
}
