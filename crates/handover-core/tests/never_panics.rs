//! No input makes the engine panic, every span it reports lies inside the record on character
//! boundaries, and its parser accepts exactly what serde_json accepts.

use handover_core::{Api, CheckSettings, Checker, Parser, contract};
use proptest::prelude::*;
use serde_json::Value;

fn checkers() -> [Checker; 2] {
    let contract = contract::find("transfer-context").unwrap();
    [
        Checker::new(CheckSettings::default(), contract),
        Checker::new(
            CheckSettings {
                api: Api::RoutingV2,
                default_region: Some("US".into()),
                required_attributes: vec!["intent".into()],
                max_custom_attributes_bytes: 16,
                ..CheckSettings::default()
            },
            contract,
        ),
    ]
}

fn check_all(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for checker in checkers() {
        let mut findings = Vec::new();
        checker.check(&mut Parser::new(), bytes, &mut findings);
        for f in &findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= bytes.len() + 1,
                "{f:?}"
            );
            if let Ok(text) = std::str::from_utf8(bytes) {
                let end = f.span.end.min(text.len());
                assert!(
                    text.is_char_boundary(f.span.start.min(text.len()))
                        && text.is_char_boundary(end),
                    "{f:?}"
                );
            }
            if let Some(fix) = &f.fix {
                let (fixed, _) = handover_core::fix::apply(&text, std::slice::from_ref(fix));
                assert!(fixed.len() < bytes.len() + fix.replacement.len() + 1);
            }
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("+14155552671"),
            Just("{{context.x}}"),
            Just("undefined"),
            Just("4012345"),
            Just("a1b2c3d4-5678-90ab-cdef-123456789012"),
            Just("+1 555 123 4567"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("transferContext".to_string()),
            Just("queueId".to_string()),
            Just("participant".to_string()),
            Just("name".to_string()),
            Just("phoneNumber".to_string()),
            Just("customAttributes".to_string()),
            Just("flowVersionId".to_string()),
            "[a-zA-Z_]{1,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&bytes);
        let ours = Parser::new().parse(&bytes).is_ok();
        let theirs = serde_json::from_slice::<Value>(&bytes).is_ok();
        prop_assert_eq!(ours, theirs);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value(), wrap in any::<bool>(), pretty in any::<bool>()) {
        let value = if wrap { serde_json::json!({"transferContext": value}) } else { value };
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        check_all(text.as_bytes());
        prop_assert!(Parser::new().parse(text.as_bytes()).is_ok());
    }

    #[test]
    fn mutations_of_a_valid_payload_never_panic(at in 0usize..200, byte in any::<u8>(), cut in any::<bool>()) {
        let valid = br#"{"transferContext": {"queueId": "4012345", "participant": {"name": "J\u00f6 \ud83d\ude00", "phoneNumber": "+14155552671"}, "customAttributes": {"a": [1, 2.5e3, null]}}}"#;
        let mut bytes = valid.to_vec();
        let at = at % bytes.len();
        if cut { bytes.truncate(at) } else { bytes[at] = byte }
        check_all(&bytes);
        let ours = Parser::new().parse(&bytes).is_ok();
        let theirs = serde_json::from_slice::<Value>(&bytes).is_ok();
        prop_assert_eq!(ours, theirs);
    }
}
