//! The engine: parses one record, runs the checks every contract shares, then the contract's own rules.

use crate::context::{At, Context};
use crate::contract::Contract;
use crate::finding::{Finding, Span};
use crate::json::{Kind, ParseErrorKind, Parser};
use crate::rules;
use crate::settings::CheckSettings;
use crate::text;

pub use crate::settings::{Api, DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES, Level, PhoneCheck};

/// Which contract a record is checked against.
#[derive(Clone, Copy)]
pub enum ContractChoice {
    /// Detected from each record's shape.
    Auto,
    Fixed(&'static dyn Contract),
}

/// Checks records against a contract. Shared by all threads; each thread brings its own [`Parser`].
pub struct Checker {
    settings: CheckSettings,
    contract: ContractChoice,
}

impl Checker {
    pub fn new(settings: CheckSettings, contract: &'static dyn Contract) -> Self {
        Self {
            settings,
            contract: ContractChoice::Fixed(contract),
        }
    }

    /// A checker that picks each record's contract from its shape.
    pub fn auto(settings: CheckSettings) -> Self {
        Self {
            settings,
            contract: ContractChoice::Auto,
        }
    }

    pub fn settings(&self) -> &CheckSettings {
        &self.settings
    }

    pub fn contract(&self) -> ContractChoice {
        self.contract
    }

    /// Checks one record and appends its findings, in the order they stand in the record. Returns
    /// the contract it was checked against, or `None` when it is not JSON.
    pub fn check(
        &self,
        parser: &mut Parser,
        record: &[u8],
        findings: &mut Vec<Finding>,
    ) -> Option<&'static dyn Contract> {
        self.check_and_read(parser, record, findings, None)
    }

    /// `check`, and what the record says about its handover (`diagnose` needs both, from one parse).
    pub fn check_with_facts(
        &self,
        parser: &mut Parser,
        record: &[u8],
        findings: &mut Vec<Finding>,
    ) -> (Option<&'static dyn Contract>, crate::contract::Facts) {
        let mut facts = crate::contract::Facts::default();
        let used = self.check_and_read(parser, record, findings, Some(&mut facts));
        (used, facts)
    }

    /// Reads the facts into `facts` when asked: `check` on the hot path neither builds nor moves them.
    fn check_and_read(
        &self,
        parser: &mut Parser,
        record: &[u8],
        findings: &mut Vec<Finding>,
        facts: Option<&mut crate::contract::Facts>,
    ) -> Option<&'static dyn Contract> {
        let first = findings.len();
        let mut used = None;
        match parser.parse(record) {
            Ok(doc) => {
                let contract = match self.contract {
                    ContractChoice::Fixed(contract) => contract,
                    ContractChoice::Auto => crate::contract::detect(&doc),
                };
                used = Some(contract);
                let mut cx = Context {
                    doc: &doc,
                    settings: &self.settings,
                    findings,
                    templated: Vec::new(),
                };
                check_everywhere(&mut cx);
                contract.check(&mut cx);
                if let Some(facts) = facts {
                    *facts = contract.facts(&doc);
                }
            }
            Err(error) => {
                let rule = match error.kind {
                    ParseErrorKind::TooDeep => &rules::NESTING_TOO_DEEP,
                    _ => &rules::INVALID_JSON,
                };
                if let Some(severity) = self.settings.severity(rule) {
                    findings.push(Finding {
                        severity,
                        ..Finding::new(rule, error_span(record, &error), "", error.message())
                    });
                }
            }
        }
        findings[first..].sort_by_key(|f| (f.span.start, f.rule.code));
        used
    }

    /// The finding for a record that was not read because it is larger than the caller's limit.
    pub fn too_large(&self, len: u64, limit: u64) -> Option<Finding> {
        let rule = &rules::RECORD_TOO_LARGE;
        let severity = self.settings.severity(rule)?;
        let message = format!(
            "the record is {len} bytes, more than the limit of {limit} bytes; it was not checked"
        );
        Some(Finding {
            severity,
            ..Finding::new(rule, Span::new(0, 1), "", message)
        })
    }
}

/// The span of a parse error: the whole character at its offset (one byte when the record is not
/// UTF-8), or an empty span at the end when the record ends too early. Never past the record, never
/// inside a character.
pub fn error_span(record: &[u8], error: &crate::json::ParseError) -> Span {
    let start = error.offset.min(record.len());
    let width = match record.get(start) {
        None => 0,
        Some(_) if error.kind == ParseErrorKind::NotUtf8 => 1,
        Some(0xC0..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF7) => 4,
        Some(_) => 1,
    };
    Span::new(start, (start + width).min(record.len()))
}

/// Checks that hold for every contract: duplicate keys, unrendered templates, stand-in values.
fn check_everywhere(cx: &mut Context<'_, '_>) {
    let doc = cx.doc;
    for i in doc.candidates() {
        match doc.kind(i) {
            Kind::Object => check_duplicate_keys(cx, i),
            Kind::String => check_string_value(cx, i),
            Kind::Number => check_number(cx, i),
            _ => {}
        }
    }
}

/// Only an exponent or an integer part of over 308 digits can leave a 64-bit float's range: the
/// parser notes only such numbers among the candidates, so most are never parsed.
fn check_number(cx: &mut Context<'_, '_>, i: usize) {
    let raw = cx.doc.raw(i);
    if raw.parse::<f64>().is_ok_and(f64::is_infinite) {
        cx.report(
            &rules::NUMBER_OUT_OF_RANGE,
            At::Value(i),
            format!(
                "{} is valid JSON, but beyond a 64-bit float's range: many receivers read it as Infinity or refuse the record",
                if raw.len() > 40 {
                    format!("{}… ({} characters)", &raw[..32], raw.len())
                } else {
                    raw.to_string()
                }
            ),
        );
    }
}

fn check_duplicate_keys(cx: &mut Context<'_, '_>, object: usize) {
    let doc = cx.doc;
    doc.duplicate_keys(object, |earlier, later| {
        let key = doc.key(later);
        let (line, _) = crate::finding::line_col(doc.source(), doc.node(earlier).key_start as usize);
        cx.report(
            &rules::DUPLICATE_KEY,
            At::Key(later),
            format!("`{key}` appears twice in this object; the first one (line {line}) is ignored by most parsers"),
        );
    });
}

fn check_string_value(cx: &mut Context<'_, '_>, i: usize) {
    let doc = cx.doc;
    let raw = doc.raw(i);
    if let Some(template) = doc
        .may_hold_template(i)
        .then(|| text::find_template(raw))
        .flatten()
    {
        cx.templated.push(i);
        cx.report(
            &rules::UNRENDERED_TEMPLATE,
            At::Value(i),
            [
                "`",
                template,
                "` was sent as it stands: the bot never evaluated this expression",
            ]
            .concat(),
        );
        return;
    }
    let value = doc.str(i);
    if text::is_stand_in(&value) {
        cx.report(
            &rules::PLACEHOLDER_VALUE,
            At::Value(i),
            format!(
                "{} is a stand-in, not a real value",
                crate::json::quote(&value)
            ),
        );
    }
}
