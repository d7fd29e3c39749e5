//! SARIF 2.1.0, for code scanning: one run whose results are the findings, with their rules and fixes.
//!
//! The document streams as JSON does: each result is written as its record is checked, and the
//! tool, with the rules that fired, comes after the results (the order of keys carries no meaning).

use std::io::Write;

use handover_core::Severity;
use handover_core::rules::Rule;
use serde_json::{Value, json};

use super::{Checked, End, Located, Options, RecordReport, Region, Reporter, RuleDocs};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif<W: Write> {
    out: W,
    docs: std::sync::Arc<RuleDocs>,
    config_file: Option<String>,
    /// The rules that fired, in the order they first did: a result's `ruleIndex` is its place here.
    rules: Vec<&'static Rule>,
    any: bool,
}

impl<W: Write> Sarif<W> {
    pub fn new(mut out: W, options: Options) -> std::io::Result<Self> {
        write!(
            out,
            r#"{{"$schema":"{SCHEMA}","version":"2.1.0","runs":[{{"columnKind":"unicodeCodePoints","results":["#
        )?;
        Ok(Self {
            out,
            docs: options.docs,
            config_file: options.config_file,
            rules: Vec::new(),
            any: false,
        })
    }

    fn result(&mut self, record: Option<&RecordReport>, located: &Located) -> std::io::Result<()> {
        let index = self.rule_index(located.finding.rule);
        self.out.write_all(if self.any { b",\n" } else { b"\n" })?;
        let result = result(record, located, index, self.config_file.as_deref());
        serde_json::to_writer(&mut self.out, &result)?;
        self.any = true;
        Ok(())
    }

    /// Closes the results and writes the tool with the rules that fired, and the invocation: a
    /// run that could not read a path, found nothing to check or missed an input did not succeed,
    /// and says why in notifications, so that a SARIF consumer never takes it for a clean run.
    fn finish(&mut self, invocation: Value) -> std::io::Result<()> {
        let driver = json!({
            "name": "handover-doctor",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": self.rules.iter().map(|r| rule(r, &self.docs)).collect::<Vec<_>>(),
        });
        self.out.write_all(if self.any {
            b"\n],\"tool\":"
        } else {
            b"],\"tool\":"
        })?;
        serde_json::to_writer(&mut self.out, &json!({ "driver": driver }))?;
        self.out.write_all(b",\"invocations\":")?;
        serde_json::to_writer(&mut self.out, &json!([invocation]))?;
        self.out.write_all(b"}]}\n")?;
        self.out.flush()
    }

    fn rule_index(&mut self, rule: &'static Rule) -> usize {
        match self.rules.iter().position(|r| std::ptr::eq(*r, rule)) {
            Some(index) => index,
            None => {
                self.rules.push(rule);
                self.rules.len() - 1
            }
        }
    }
}

impl<W: Write + Send> Reporter for Sarif<W> {
    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        for record in &checked.reports {
            for located in &record.findings {
                self.result(Some(record), located)?;
            }
        }
        Ok(())
    }

    /// A diagnosis's results are written at its end, in the steps' order, so that two runs of
    /// the same diagnosis give the same document.
    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        let mut notifications = Vec::new();
        match end {
            End::Batch {
                summary,
                nothing_to_check,
                ..
            } => {
                notifications.extend(nothing_to_check.map(|why| notification(why, None)));
                notifications.extend(summary.unreadable.iter().map(|u| {
                    notification(
                        &format!("cannot read {}: {}", u.path, u.error),
                        Some(&u.path),
                    )
                }));
            }
            End::Fixed { summary, .. } => {
                notifications.extend(summary.unreadable.iter().map(|u| {
                    notification(
                        &format!("cannot read {}: {}", u.path, u.error),
                        Some(&u.path),
                    )
                }));
            }
            End::Diagnosis { diagnosis, .. } => {
                for step in &diagnosis.steps {
                    for located in step.record.iter().flat_map(|r| &r.findings) {
                        self.result(step.record.as_ref(), located)?;
                    }
                    for located in &step.findings {
                        self.result(None, located)?;
                    }
                    if let Some(what) = &step.missing {
                        notifications.push(notification(
                            &format!("{} did not run: {what} is missing", step.id.as_str()),
                            None,
                        ));
                    }
                }
            }
        }
        self.finish(json!({
            "executionSuccessful": notifications.is_empty(),
            "toolExecutionNotifications": notifications,
        }))
    }
}

/// Why the run fell short, as SARIF's `toolExecutionNotifications` say it, at the path concerned.
fn notification(text: &str, path: Option<&str>) -> Value {
    let mut value = json!({ "level": "error", "message": { "text": text } });
    if let Some(path) = path.filter(|p| !p.is_empty()) {
        value["locations"] =
            json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }]);
    }
    value
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A `reportingDescriptor`: the rule with its documentation.
fn rule(rule: &Rule, docs: &RuleDocs) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "help": {"text": rule.hint},
        "helpUri": docs.url(rule),
        "defaultConfiguration": {"level": level(rule.severity)},
    })
}

fn region(region: Region) -> Value {
    json!({
        "startLine": region.line,
        "startColumn": region.column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    })
}

/// A result; one about a file has its location there (and its fix). One about the tenant or the
/// run is placed in the config file that sets the connection, as a whole: code scanning refuses a
/// result without a location ("expected at least one location", github/codeql-action#2459). With
/// no config file (`--demo`, or settings from the environment only) it has none, which SARIF allows.
fn result(
    record: Option<&RecordReport>,
    located: &Located,
    rule_index: usize,
    config_file: Option<&str>,
) -> Value {
    let f = &located.finding;
    let mut result = json!({
        "ruleId": f.rule.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
    });
    let Some(record) = record else {
        if let Some(config) = config_file {
            result["locations"] = json!([{
                "physicalLocation": {"artifactLocation": {"uri": uri(config)}},
            }]);
        }
        return result;
    };
    let artifact = json!({ "uri": uri(record.file()) });
    let mut physical = json!({ "artifactLocation": artifact });
    if let Some(at) = located.region {
        physical["region"] = region(at);
    }
    let mut location = json!({ "physicalLocation": physical });
    if !f.pointer.is_empty() {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": f.pointer }]);
    }
    result["locations"] = json!([location]);
    if let (Some(fix), Some(at)) = (&f.fix, located.fix_region) {
        result["fixes"] = json!([{
            "description": {"text": fix.description},
            "artifactChanges": [{
                "artifactLocation": artifact,
                "replacements": [{
                    "deletedRegion": region(at),
                    "insertedContent": {"text": fix.replacement},
                }],
            }],
        }]);
    }
    result
}

/// A path as a relative URI reference: `/` between segments, and what a URI cannot hold escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        match b {
            b'\\' if cfg!(windows) => out.push('/'),
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("examples/transfer-context/broken.json"),
            "examples/transfer-context/broken.json"
        );
        assert_eq!(uri("my logs/ä:1%.jsonl"), "my%20logs/%C3%A4%3A1%25.jsonl");
    }
}
