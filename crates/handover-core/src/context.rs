//! What a contract's checks see: the parsed record, the settings, and where findings go.

use crate::finding::{Finding, Fix, Span};
use crate::json::Document;
use crate::rule::Rule;
use crate::settings::CheckSettings;

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
    pub(crate) findings: &'a mut Vec<Finding>,
    /// Strings that hold an unrendered template, found once by the shared checks.
    pub(crate) templated: Vec<usize>,
}

/// A finding just reported, to add a hint or a fix to. Empty when the rule is turned off.
pub struct Reported<'f>(Option<&'f mut Finding>);

impl Reported<'_> {
    pub fn hint(mut self, hint: impl Into<std::borrow::Cow<'static, str>>) -> Self {
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
        // Many findings carry a fix, and a concatenation needs no formatting machinery.
        let description = ["replace with ", json.as_str()].concat();
        self.fix(description, span, json)
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
            severity,
            ..Finding::new(rule, span, pointer, message)
        });
        Reported(self.findings.last_mut())
    }
}
