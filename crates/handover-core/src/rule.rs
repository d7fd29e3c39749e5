//! What a rule is, how a group of rules is declared, and the rules no single contract owns.
//! Codes and names are a contract with users and CI: a code is never reused and never changes
//! meaning. [`crate::rules`] chains every group into the one catalog.

use std::fmt;

/// How much a finding weighs: an error makes a record invalid, a warning does not, info informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// What to do about it, when the finding has nothing more specific to say.
    pub hint: &'static str,
}

impl Rule {
    /// Whether users mean this rule by `code_or_name`: its code (`HD304`) or its name
    /// (`phone-not-e164`), in any case.
    pub fn is(&self, code_or_name: &str) -> bool {
        self.code.eq_ignore_ascii_case(code_or_name) || self.name.eq_ignore_ascii_case(code_or_name)
    }
}

/// Declares a group of rules in the calling module: a `pub static` for each, and `RULES`, the
/// group as declared. Exported so that a crate using this one declares its own rules the same way.
///
/// ```
/// handover_core::catalog! {
///     EXAMPLE = "HD999", "example", Warning,
///         "one line: when the rule fires",
///         "what to do about it";
/// }
/// assert_eq!(RULES, [&EXAMPLE]);
/// ```
#[macro_export]
macro_rules! catalog {
    ($($ident:ident = $code:literal, $name:literal, $severity:ident, $summary:literal, $hint:literal;)*) => {
        $(
            pub static $ident: $crate::rule::Rule = $crate::rule::Rule {
                code: $code,
                name: $name,
                severity: $crate::rule::Severity::$severity,
                summary: $summary,
                hint: $hint,
            };
        )*
        /// This group's rules, as declared.
        pub static RULES: &[&$crate::rule::Rule] = &[$(&$ident),*];
    };
}

/// What the engine checks whatever the contract: the record as JSON, and values no payload should
/// carry.
pub mod general {
    crate::catalog! {
        INVALID_JSON = "HD100", "invalid-json", Error,
            "the record is not valid JSON or not UTF-8",
            "Fix the syntax at the marked position; the bot must send one JSON document per record.";
        DUPLICATE_KEY = "HD104", "duplicate-key", Warning,
            "a key appears twice in one object",
            "Remove one of the two; most parsers keep only the last one, so the first is silently lost.";
        RECORD_TOO_LARGE = "HD105", "record-too-large", Error,
            "the record is larger than --max-record-bytes",
            "Check whether the logger joined several payloads into one line, or raise --max-record-bytes.";
        NESTING_TOO_DEEP = "HD106", "nesting-too-deep", Error,
            "the record nests arrays and objects deeper than 128 levels",
            "Flatten the payload; JSON parsers on the contact-center side refuse such nesting.";
        NUMBER_OUT_OF_RANGE = "HD107", "number-out-of-range", Warning,
            "a number beyond a 64-bit float's range, such as 1e400: valid JSON, but many receivers read it as Infinity or refuse it",
            "Send the value as a string, or in range (about ±1.8e308); JavaScript reads it as Infinity, serde_json and others refuse the whole record.";
        UNRENDERED_TEMPLATE = "HD501", "unrendered-template", Error,
            "a string still holds a template placeholder: `{{ ... }}` or `${...}`",
            "The bot never evaluated the expression: check the variable's path and that it is set before the handover node.";
        PLACEHOLDER_VALUE = "HD502", "placeholder-value", Warning,
            "a string is a known stand-in such as `undefined`, `TODO` or `REPLACE_WITH_...`",
            "Replace the stand-in with the real value, or leave the key out.";
    }
}
