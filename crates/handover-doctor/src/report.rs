//! What a validation run reports: records with findings placed in their files, and a summary.
//! The JSON shapes here are a documented contract (docs/output.md): add fields, never rename or remove.

use std::collections::BTreeMap;
use std::sync::Arc;

use handover_core::rules::Rule;
use handover_core::{Finding, Severity, Span, line_col};
use serde::Serialize;

/// A finding placed in its file: 1-based lines and columns (in characters). The end is the position
/// just after the offending value (or key), as SARIF's `endColumn` means it.
pub struct Located {
    pub finding: Finding,
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
    /// Where the fix's replacement goes, when the finding has a fix.
    pub fix_region: Option<Region>,
}

impl Located {
    /// Places a finding of a record whose text starts on line `first_line` of its file.
    pub fn new(finding: Finding, text: &str, first_line: u64) -> Self {
        let at = Region::of(text, first_line, finding.span);
        let fix_region = finding.fix.as_ref().map(|fix| {
            if fix.span == finding.span {
                at
            } else {
                Region::of(text, first_line, fix.span)
            }
        });
        Located {
            finding,
            line: at.line,
            column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
            fix_region,
        }
    }

    /// Where the finding stands.
    pub fn region(&self) -> Region {
        Region {
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
        }
    }
}

/// A span placed in its file: 1-based lines and columns in characters, the end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
}

impl Region {
    /// The region of `span` in `text`, a record that starts on line `first_line` of its file. The
    /// end is counted on from the start, so the text before the span is read once.
    pub fn of(text: &str, first_line: u64, span: Span) -> Self {
        use handover_core::finding::floor_char_boundary;
        let (line, column) = line_col(text, span.start);
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
        let within = &text[start..end];
        let (end_line, end_column) = match within.rfind('\n') {
            None => (line, column + within.chars().count()),
            Some(last) => (
                line + memchr::memchr_iter(b'\n', within.as_bytes()).count(),
                within[last + 1..].chars().count() + 1,
            ),
        };
        let first_line = first_line.saturating_sub(1);
        Region {
            line: first_line + line as u64,
            column: column as u64,
            end_line: first_line + end_line as u64,
            end_column: end_column as u64,
        }
    }
}

/// The documentation of a rule: its section of docs/rules.md in the repository.
pub fn rule_doc_url(rule: &Rule) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}-{}",
        env!("CARGO_PKG_REPOSITORY"),
        rule.code.to_ascii_lowercase(),
        rule.name
    )
}

/// One record that has findings.
pub struct RecordReport {
    pub source: Arc<str>,
    /// The contract the record was checked against; none when it is not JSON.
    pub contract: Option<&'static str>,
    /// The line of the file the record starts on.
    pub line: u64,
    /// The record's position in its source, from 0.
    pub index: u64,
    pub findings: Vec<Located>,
    /// The record's text, for snippets in human output; empty when the record was not read.
    pub text: String,
}

impl RecordReport {
    /// Places the findings of a record that starts at `line`; keeps its text only when `keep_text`.
    pub fn new(
        source: Arc<str>,
        contract: Option<&'static str>,
        line: u64,
        index: u64,
        text: &str,
        findings: Vec<Finding>,
        keep_text: bool,
    ) -> Self {
        let findings = findings
            .into_iter()
            .map(|finding| Located::new(finding, text, line))
            .collect();
        Self {
            source,
            contract,
            line,
            index,
            findings,
            text: if keep_text {
                text.to_string()
            } else {
                String::new()
            },
        }
    }

    pub fn valid(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error)
    }

    pub fn write_json(&self, out: &mut Vec<u8>) {
        let json = RecordJson {
            source: &self.source,
            contract: self.contract,
            line: self.line,
            index: self.index,
            valid: self.valid(),
            findings: self.findings.iter().map(FindingJson::from).collect(),
        };
        serde_json::to_writer(out, &json).expect("serialising to memory cannot fail");
    }
}

#[derive(Default, Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    pub valid: u64,
    pub invalid: u64,
    pub errors: u64,
    pub warnings: u64,
    pub by_code: BTreeMap<&'static str, u64>,
    /// Records per contract they were checked against (detected or chosen).
    #[serde(serialize_with = "contract_counts")]
    pub contracts: Vec<(&'static str, u64)>,
}

fn contract_counts<S: serde::Serializer>(
    counts: &[(&'static str, u64)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    s.collect_map(sorted)
}

impl Summary {
    /// Counts one record, the contract it was checked against, and its findings.
    pub fn add_record(&mut self, contract: Option<&'static str>, findings: &[Finding]) {
        self.records += 1;
        if let Some(name) = contract {
            self.count_contract(name, 1);
        }
        let mut valid = true;
        for f in findings {
            match f.severity {
                Severity::Error => {
                    self.errors += 1;
                    valid = false;
                }
                Severity::Warning => self.warnings += 1,
                Severity::Info => {}
            }
            *self.by_code.entry(f.rule.code).or_default() += 1;
        }
        if valid {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
    }

    pub fn merge(&mut self, other: &Summary) {
        self.records += other.records;
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.errors += other.errors;
        self.warnings += other.warnings;
        for (code, n) in &other.by_code {
            *self.by_code.entry(code).or_default() += n;
        }
        for (name, n) in &other.contracts {
            self.count_contract(name, *n);
        }
    }

    /// A short list searched by pointer first: on the hot path one contract takes nearly every record.
    fn count_contract(&mut self, name: &'static str, n: u64) {
        match self
            .contracts
            .iter_mut()
            .find(|(c, _)| std::ptr::eq(*c, name) || *c == name)
        {
            Some((_, count)) => *count += n,
            None => self.contracts.push((name, n)),
        }
    }

    /// The codes that fired most, most frequent first, ties by code.
    pub fn top_codes(&self, n: usize) -> Vec<(&'static str, u64)> {
        let mut codes: Vec<_> = self.by_code.iter().map(|(c, n)| (*c, *n)).collect();
        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        codes.truncate(n);
        codes
    }

    /// Whether the run found problems: errors, or warnings when they are denied.
    pub fn has_problems(&self, deny_warnings: bool) -> bool {
        self.errors > 0 || (deny_warnings && self.warnings > 0)
    }
}

#[derive(Serialize)]
struct RecordJson<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contract: Option<&'static str>,
    line: u64,
    index: u64,
    valid: bool,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
pub struct FindingJson<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    pointer: &'a str,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    message: &'a str,
    hint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixJson<'a>>,
}

#[derive(Serialize)]
struct FixJson<'a> {
    description: &'a str,
    /// The JSON text that replaces the value (or key) the finding points at.
    replacement: &'a str,
}

impl<'a> From<&'a Located> for FindingJson<'a> {
    fn from(located: &'a Located) -> Self {
        let f = &located.finding;
        FindingJson {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity.as_str(),
            pointer: &f.pointer,
            line: located.line,
            column: located.column,
            end_line: located.end_line,
            end_column: located.end_column,
            message: &f.message,
            hint: &f.hint,
            fix: f.fix.as_ref().map(|fix| FixJson {
                description: &fix.description,
                replacement: &fix.replacement,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_ends_where_line_col_puts_the_span_end() {
        let text = "{\n  \"näme\": \"wrong\",\n  \"x\": {\"a\":\n 1}\n}";
        let spans = [
            (
                text.find("\"wrong").unwrap(),
                text.find("\",\n").unwrap() + 1,
            ),
            (text.find('{').unwrap(), text.len()),
            (text.find("{\"a").unwrap(), text.find("1}").unwrap() + 2),
            (3, 3),
            (text.len() + 4, text.len() + 9),
        ];
        for (start, end) in spans {
            let region = Region::of(text, 10, Span::new(start, end));
            let (l, c) = line_col(text, start);
            let (el, ec) = line_col(text, end);
            assert_eq!(
                region,
                Region {
                    line: 9 + l as u64,
                    column: c as u64,
                    end_line: 9 + el as u64,
                    end_column: ec as u64,
                },
                "{start}..{end}"
            );
        }
    }
}
