//! Any bytes, through the whole engine under both API profiles: no panic, and every finding's span
//! and fix stay inside the record.
#![no_main]

use handover_core::{Api, CheckSettings, Checker, Parser, contract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let contract = contract::find("transfer-context").expect("built in");
    for api in [Api::Cxone, Api::RoutingV2] {
        let settings = CheckSettings {
            api,
            default_region: Some("DE".into()),
            required_attributes: vec!["intent".into()],
            max_custom_attributes_bytes: 64,
            ..CheckSettings::default()
        };
        let checker = Checker::new(settings, contract);
        let mut findings = Vec::new();
        checker.check(&mut Parser::new(), bytes, &mut findings);
        for finding in &findings {
            assert!(finding.span.start <= finding.span.end);
            assert!(finding.span.end <= bytes.len() + 1);
            if let Some(fix) = &finding.fix {
                assert!(fix.span.end <= bytes.len());
                let text = std::str::from_utf8(bytes).expect("a fix is offered only on UTF-8 records");
                let (fixed, applied) = handover_core::fix::apply(text, std::slice::from_ref(fix));
                assert_eq!(applied, 1);
                let mut again = Vec::new();
                checker.check(&mut Parser::new(), fixed.as_bytes(), &mut again);
            }
        }
    }
});
