//! What a check is run with: the API profile, the phone check, the rule levels and limits.

use std::sync::Arc;

use crate::phone::{Libphonenumber, NumberingPlan};
use crate::rule::{Rule, Severity};

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
        severity(&self.levels, rule)
    }
}

/// The severity `levels` (the config's `severity` map, later entries winning) give a rule's
/// findings, or `None` when they turn the rule off. Every rule is re-levelled here, whichever
/// crate declares it and whatever raises it.
pub fn severity(levels: &[(&'static Rule, Level)], rule: &'static Rule) -> Option<Severity> {
    match levels.iter().rev().find(|(r, _)| std::ptr::eq(*r, rule)) {
        None => Some(rule.severity),
        Some((_, Level::Off)) => None,
        Some((_, Level::Warning)) => Some(Severity::Warning),
        Some((_, Level::Error)) => Some(Severity::Error),
    }
}

/// Findings as `levels` re-level them: those of rules turned off are dropped.
pub fn relevel(levels: &[(&'static Rule, Level)], findings: &mut Vec<crate::Finding>) {
    if !levels.is_empty() {
        findings.retain_mut(|f| relevel_finding(levels, f));
    }
}

/// One finding as `levels` re-level it; `false` when they turn its rule off.
pub fn relevel_finding(levels: &[(&'static Rule, Level)], finding: &mut crate::Finding) -> bool {
    match severity(levels, finding.rule) {
        Some(level) => {
            finding.severity = level;
            true
        }
        None => false,
    }
}
