//! Any bytes, through the whole engine under both API profiles and every contract: no panic, every finding's span and
//! fix inside the record on character boundaries, every fix keeps a JSON record JSON, and the parser
//! accepts what serde_json accepts.
#![no_main]

use std::sync::OnceLock;

use handover_core::engine::PhoneCheck;
use handover_core::{Api, CheckSettings, Checker, Parser, Span, contract};
use libfuzzer_sys::fuzz_target;

fn checkers() -> &'static [Checker; 3] {
    static CHECKERS: OnceLock<[Checker; 3]> = OnceLock::new();
    CHECKERS.get_or_init(|| {
        let contract = contract::find("transfer-context").expect("built in");
        [
            Checker::new(CheckSettings::default(), contract),
            // Every contract, detected per input.
            Checker::auto(CheckSettings {
                default_region: Some("DE".into()),
                ..CheckSettings::default()
            }),
            Checker::new(
                CheckSettings {
                    api: Api::RoutingV2,
                    default_region: Some("US".into()),
                    required_attributes: vec!["intent".into()],
                    max_custom_attributes_bytes: 64,
                    phone_check: PhoneCheck::Full,
                    ..CheckSettings::default()
                },
                contract,
            ),
        ]
    })
}

fn assert_span(bytes: &[u8], text: Option<&str>, span: Span) {
    assert!(span.start <= span.end, "{span:?}");
    assert!(
        span.end <= bytes.len(),
        "{span:?} past {} bytes",
        bytes.len()
    );
    if let Some(text) = text {
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{span:?}"
        );
    }
}

fuzz_target!(|bytes: &[u8]| {
    let text = std::str::from_utf8(bytes).ok();
    let is_json = serde_json::from_slice::<serde_json::Value>(bytes).is_ok();
    let shallow = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count() < 100;
    if shallow {
        assert_eq!(
            Parser::new().parse(bytes).is_ok(),
            is_json,
            "parser and serde_json disagree"
        );
    }
    let mut parser = Parser::new();
    for checker in checkers() {
        let mut findings = Vec::new();
        checker.check(&mut parser, bytes, &mut findings);
        for finding in &findings {
            assert_span(bytes, text, finding.span);
            assert!(finding.pointer.is_empty() || finding.pointer.starts_with('/'));
            if let Some(fix) = &finding.fix {
                let text = text.expect("a fix is offered only on UTF-8 records");
                assert_span(bytes, Some(text), fix.span);
                let (fixed, applied) = handover_core::fix::apply(text, std::slice::from_ref(fix));
                assert_eq!(applied, 1);
                if is_json {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&fixed).is_ok(),
                        "{fixed}"
                    );
                }
                let mut again = Vec::new();
                checker.check(&mut Parser::new(), fixed.as_bytes(), &mut again);
            }
        }
    }
});
