//! What the contract tests share: a record checked with the contract detected, as `validate` does.

// Each test file is a crate of its own and uses only some of these.
#![allow(dead_code)]

use handover_core::{CheckSettings, Checker, Finding, Parser};

/// The contract a record was checked against, and its findings.
pub fn check(payload: &str) -> (Option<&'static str>, Vec<Finding>) {
    let checker = Checker::auto(CheckSettings::default());
    let mut findings = Vec::new();
    let used = checker.check(&mut Parser::new(), payload.as_bytes(), &mut findings);
    (used.map(|c| c.name()), findings)
}

/// The codes of a record's findings, in the order they stand in the record.
pub fn codes(payload: &str) -> Vec<&'static str> {
    check(payload).1.iter().map(|f| f.rule.code).collect()
}

/// The one finding of `code` (others may stand beside it).
pub fn only(payload: &str, code: &str) -> Finding {
    let findings = check(payload).1;
    let matching: Vec<_> = findings.iter().filter(|f| f.rule.code == code).collect();
    assert_eq!(matching.len(), 1, "one {code} in {findings:#?}");
    matching[0].clone()
}
