//! The engine: parses one record, runs the checks every contract shares, then the contract's own rules.

use std::sync::Arc;

use crate::contract::Contract;
use crate::finding::{Finding, Fix, Severity, Span};
use crate::json::{Document, Kind, ParseErrorKind, Parser};
use crate::phone::{Libphonenumber, NumberingPlan};
use crate::rules::{self, Rule};
use crate::text;

/// Which contact-center API the payload is meant for; it decides what a queue id looks like.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Api {
    /// Real CXone: queues are ACD skills with numeric ids.
    #[default]
    Cxone,
    /// The tutorial's `/api/v2` REST shape: queue ids are UUIDs.
    RoutingV2,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Cxone => "cxone",
            Api::RoutingV2 => "routing-v2",
        }
    }
}

/// How far phone numbers are checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PhoneCheck {
    /// E.164 syntax and the country calling code (HD304, HD305).
    #[default]
    Basic,
    /// Also the country's numbering plan (HD306), at about a microsecond a number.
    Full,
}

/// What a user may set a rule to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Warning,
    Error,
}

/// Everything that changes what the rules say. Built once by the caller, shared by all threads.
#[derive(Clone)]
pub struct CheckSettings {
    pub api: Api,
    /// ISO 3166 code used to turn national numbers into E.164 fixes.
    pub default_region: Option<String>,
    pub required_attributes: Vec<String>,
    pub max_custom_attributes_bytes: usize,
    pub phone_check: PhoneCheck,
    pub levels: Vec<(&'static Rule, Level)>,
    pub numbering_plan: Arc<dyn NumberingPlan>,
}

/// The bot platform's default cap on a context object.
pub const DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES: usize = 65_536;

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            api: Api::default(),
            default_region: None,
            required_attributes: Vec::new(),
            max_custom_attributes_bytes: DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES,
            phone_check: PhoneCheck::default(),
            levels: Vec::new(),
            numbering_plan: Arc::new(Libphonenumber),
        }
    }
}

impl CheckSettings {
    /// The severity a rule's findings get, or `None` when the user turned the rule off.
    pub fn severity(&self, rule: &'static Rule) -> Option<Severity> {
        match self
            .levels
            .iter()
            .rev()
            .find(|(r, _)| std::ptr::eq(*r, rule))
        {
            None => Some(rule.severity),
            Some((_, Level::Off)) => None,
            Some((_, Level::Warning)) => Some(Severity::Warning),
            Some((_, Level::Error)) => Some(Severity::Error),
        }
    }
}

/// Where a finding points.
#[derive(Clone, Copy, Debug)]
pub enum At {
    /// The value of a node.
    Value(usize),
    /// The key of an object member.
    Key(usize),
    /// Something absent from this object: points at the object (its key when it has one).
    MissingIn(usize),
    /// A span inside a node's value, such as the spot of a syntax error in a JSON-encoded string.
    Within(usize, Span),
}

/// What a rule sees: the document, the settings, and where findings go.
pub struct Context<'a, 'd> {
    pub doc: &'a Document<'d>,
    pub settings: &'a CheckSettings,
    findings: &'a mut Vec<Finding>,
    /// Strings that hold an unrendered template, found once by the shared checks.
    templated: Vec<usize>,
}

/// A finding just reported, to add a hint or a fix to. Empty when the rule is turned off.
pub struct Reported<'f>(Option<&'f mut Finding>);

impl Reported<'_> {
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        if let Some(f) = self.0.as_deref_mut() {
            f.hint = hint.into();
        }
        self
    }

    pub fn fix(
        mut self,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        if let Some(f) = self.0.as_deref_mut() {
            f.fix = Some(Fix {
                description: description.into(),
                span,
                replacement: replacement.into(),
            });
        }
        self
    }

    /// Replaces the value a finding points at with `json`, a JSON text.
    pub fn replace_with(self, json: String) -> Self {
        let span = match &self.0 {
            Some(f) => f.span,
            None => return self,
        };
        self.fix(format!("replace with {json}"), span, json)
    }
}

impl<'a, 'd> Context<'a, 'd> {
    /// Whether a string holds an unrendered template. HD501 already says so, and contracts skip
    /// their format checks on such values rather than repeat it.
    pub fn holds_template(&self, node: usize) -> bool {
        self.templated.contains(&node)
    }

    pub fn report(
        &mut self,
        rule: &'static Rule,
        at: At,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let Some(severity) = self.settings.severity(rule) else {
            return Reported(None);
        };
        let doc = self.doc;
        let (span, pointer) = match at {
            At::Value(i) => {
                let n = doc.node(i);
                (Span::new(n.start as usize, n.end as usize), doc.pointer(i))
            }
            At::Key(i) => {
                let n = doc.node(i);
                (
                    Span::new(n.key_start as usize, n.key_end as usize),
                    doc.pointer(i),
                )
            }
            At::Within(i, span) => (span, doc.pointer(i)),
            At::MissingIn(i) => {
                let n = doc.node(i);
                let span = if n.key_end > n.key_start {
                    Span::new(n.key_start as usize, n.key_end as usize)
                } else {
                    Span::new(n.start as usize, n.start as usize + 1)
                };
                (span, doc.pointer(i))
            }
        };
        self.findings.push(Finding {
            rule,
            severity,
            span,
            pointer,
            message: message.into(),
            hint: rule.hint.to_string(),
            fix: None,
        });
        Reported(self.findings.last_mut())
    }
}

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
        self.check_and_read(parser, record, findings, false).0
    }

    /// `check`, and what the record says about its handover (`diagnose` needs both, from one parse).
    pub fn check_with_facts(
        &self,
        parser: &mut Parser,
        record: &[u8],
        findings: &mut Vec<Finding>,
    ) -> (Option<&'static dyn Contract>, crate::contract::Facts) {
        self.check_and_read(parser, record, findings, true)
    }

    fn check_and_read(
        &self,
        parser: &mut Parser,
        record: &[u8],
        findings: &mut Vec<Finding>,
        read_facts: bool,
    ) -> (Option<&'static dyn Contract>, crate::contract::Facts) {
        let first = findings.len();
        let mut used = None;
        let mut facts = crate::contract::Facts::default();
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
                if read_facts {
                    facts = contract.facts(&doc);
                }
            }
            Err(error) => {
                let rule = match error.kind {
                    ParseErrorKind::TooDeep => &rules::NESTING_TOO_DEEP,
                    _ => &rules::INVALID_JSON,
                };
                if let Some(severity) = self.settings.severity(rule) {
                    findings.push(Finding {
                        rule,
                        severity,
                        span: error_span(record, &error),
                        pointer: String::new(),
                        message: error.message(),
                        hint: rule.hint.to_string(),
                        fix: None,
                    });
                }
            }
        }
        findings[first..].sort_by_key(|f| (f.span.start, f.rule.code));
        (used, facts)
    }

    /// The finding for a record that was not read because it is larger than the caller's limit.
    pub fn too_large(&self, len: u64, limit: u64) -> Option<Finding> {
        let rule = &rules::RECORD_TOO_LARGE;
        let severity = self.settings.severity(rule)?;
        Some(Finding {
            rule,
            severity,
            span: Span::new(0, 1),
            pointer: String::new(),
            message: format!(
                "the record is {len} bytes, more than the limit of {limit} bytes; it was not checked"
            ),
            hint: rule.hint.to_string(),
            fix: None,
        })
    }
}

/// The span of a parse error: the whole character at its offset (one byte when the record is not
/// UTF-8), or an empty span at the end when the record ends too early. Never past the record, never
/// inside a character.
fn error_span(record: &[u8], error: &crate::json::ParseError) -> Span {
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
    for i in 0..doc.len() {
        match doc.kind(i) {
            Kind::Object => check_duplicate_keys(cx, i),
            Kind::String => check_string_value(cx, i),
            Kind::Number => check_number(cx, i),
            _ => {}
        }
    }
}

/// Only an exponent or an integer part of over 308 digits can leave a 64-bit float's range, so
/// most numbers are passed over without being parsed.
fn check_number(cx: &mut Context<'_, '_>, i: usize) {
    let raw = cx.doc.raw(i);
    if (raw.len() > 308 || raw.bytes().any(|b| b | 0x20 == b'e'))
        && raw.parse::<f64>().is_ok_and(f64::is_infinite)
    {
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
    if let Some(template) = text::find_template(raw) {
        cx.templated.push(i);
        cx.report(
            &rules::UNRENDERED_TEMPLATE,
            At::Value(i),
            format!("`{template}` was sent as it stands: the bot never evaluated this expression"),
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
