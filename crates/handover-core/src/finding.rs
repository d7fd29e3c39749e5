//! Findings: what a rule says about a record, as data. Rendering and exit codes are the caller's.

use std::borrow::Cow;

use crate::rule::Rule;
pub use crate::rule::Severity;

/// A byte range in the record's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// A replacement of one span of the record's text that removes the finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in words: `replace with "+15551234567"`.
    pub description: String,
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Where the offending value (or key) stands in the record.
    pub span: Span,
    /// RFC 6901 pointer to the value, or to the nearest enclosing object when the value is absent.
    pub pointer: String,
    pub message: String,
    /// The rule's own hint unless a check gave one of its own: borrowed, as most findings keep it.
    pub hint: Cow<'static, str>,
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding as its rule says it: the rule's severity and hint, and no fix. Checks that
    /// re-level it or give it a hint or a fix of its own change those fields after.
    pub fn new(
        rule: &'static Rule,
        span: Span,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            span,
            pointer: pointer.into(),
            message: message.into(),
            hint: Cow::Borrowed(rule.hint),
            fix: None,
        }
    }
}

/// Line and column (1-based, columns in characters) of a byte offset in a text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The greatest char boundary at or below `offset`; byte offsets from a UTF-8 error can fall inside a character.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "{\n  \"näme\": 1\n}";
        assert_eq!(line_col(text, 0), (1, 1));
        let at = text.find('1').unwrap();
        assert_eq!(line_col(text, at), (2, 11));
        assert_eq!(line_col(text, text.len() + 5), (3, 2));
    }
}
