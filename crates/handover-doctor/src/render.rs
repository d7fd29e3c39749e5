//! Renderers: the same stream of checked units, shown as human diagnostics, JSON, JSON Lines, JUnit,
//! SARIF or GitHub workflow commands.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Patch, Renderer, Snippet};
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use handover_core::Severity;

use crate::batch::{Checked, Sink};
use crate::report::{Located, RecordReport, Summary};

mod github;
mod sarif;

pub use github::Github;
pub use sarif::Sarif;

/// The file a finding is in, as annotations name it: the path as given, `stdin` for standard input.
fn file_of(record: &RecordReport) -> &str {
    match &*record.source {
        "<stdin>" => "stdin",
        path => path,
    }
}

/// rustc-style diagnostics for up to `max_findings` findings; the rest are counted.
pub struct Human<W: Write> {
    out: W,
    renderer: Renderer,
    max_findings: usize,
    shown: usize,
    hidden: u64,
}

impl<W: Write> Human<W> {
    pub fn new(out: W, max_findings: usize) -> Self {
        Self {
            out,
            renderer: Renderer::styled(),
            max_findings,
            shown: 0,
            hidden: 0,
        }
    }

    pub fn finish(
        &mut self,
        summary: &Summary,
        files: usize,
        deny_warnings: bool,
    ) -> std::io::Result<()> {
        if self.hidden > 0 {
            writeln!(
                self.out,
                "… and {} more findings not shown (raise --max-findings, or use --format json)\n",
                self.hidden
            )?;
        }
        if summary.records > 1 || files > 1 || summary.records == 0 {
            writeln!(self.out, "{}", summary_table(summary, files))?;
        }
        writeln!(self.out, "{}", verdict(summary, deny_warnings))?;
        self.out.flush()
    }
}

impl<W: Write> Sink for Human<W> {
    fn checked(&mut self, checked: Checked) -> anyhow::Result<()> {
        for record in &checked.reports {
            for located in &record.findings {
                if self.shown >= self.max_findings {
                    self.hidden += 1;
                    continue;
                }
                self.shown += 1;
                let text = render_finding(&self.renderer, record, located);
                writeln!(self.out, "{text}\n")?;
            }
        }
        Ok(())
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One finding as a diagnostic: the source line with a caret under the value, the hint, and the fix.
pub fn render_finding(renderer: &Renderer, record: &RecordReport, located: &Located) -> String {
    let f = &located.finding;
    let title = level(f.severity).primary_title(&f.message).id(f.rule.code);
    let mut groups = Vec::new();
    if record.text.is_empty() {
        groups.push(
            title.element(
                Origin::path(&*record.source)
                    .line(located.line as usize)
                    .char_column(located.column as usize),
            ),
        );
    } else {
        let span = clamp(&record.text, f.span.start, f.span.end);
        groups.push(
            title.element(
                Snippet::source(&record.text)
                    .line_start(record.line as usize)
                    .path(&*record.source)
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span).label(f.rule.name)),
            ),
        );
    }
    groups.push(Group::with_title(Level::HELP.secondary_title(&f.hint)));
    if let Some(fix) = &f.fix {
        let title = Level::HELP.secondary_title(format!("fix: {}", fix.description));
        // A diff of a long JSON Lines record would print the whole record twice; the words say enough.
        if record.text.is_empty() || line_of(&record.text, fix.span.start).len() > DIFF_MAX_LINE {
            groups.push(Group::with_title(title));
        } else {
            let span = clamp(&record.text, fix.span.start, fix.span.end);
            groups.push(
                Group::with_title(title).element(
                    Snippet::source(&record.text)
                        .line_start(record.line as usize)
                        .path(&*record.source)
                        .fold(true)
                        .patch(Patch::new(span, &fix.replacement)),
                ),
            );
        }
    }
    renderer.render(&groups)
}

/// Lines longer than this get a fix described in words rather than shown as a diff.
const DIFF_MAX_LINE: usize = 120;

/// The line of `text` that holds `offset`.
fn line_of(text: &str, offset: usize) -> &str {
    let offset = handover_core::finding::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// A span cut to the text and to character boundaries, so that no input can make the renderer panic.
fn clamp(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let start = handover_core::finding::floor_char_boundary(text, start.min(text.len()));
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // A span over several lines (a whole object) is shown by its first line only.
    let end = text[start..end]
        .find('\n')
        .map_or(end, |nl| start + nl.max(1));
    start..end.min(text.len())
}

fn summary_table(summary: &Summary, files: usize) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "files", "records", "valid", "invalid", "errors", "warnings",
    ]);
    table.add_row(vec![
        files.to_string(),
        summary.records.to_string(),
        summary.valid.to_string(),
        summary.invalid.to_string(),
        summary.errors.to_string(),
        summary.warnings.to_string(),
    ]);
    let mut contracts: Vec<_> = summary.contracts.clone();
    contracts.sort_unstable();
    let checked_as = contracts
        .iter()
        .map(|(name, n)| format!("{name} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let table = if checked_as.is_empty() {
        table.to_string()
    } else {
        format!("{table}\nchecked as: {checked_as}")
    };
    let top = summary.top_codes(5);
    if top.is_empty() {
        return table;
    }
    let mut codes = Table::new();
    codes.load_style(UTF8_FULL_CONDENSED);
    codes.set_header(vec!["most frequent", "rule", "findings"]);
    for (code, n) in top {
        let name = handover_core::rules::find(code).map_or("", |r| r.name);
        codes.add_row(vec![code.to_string(), name.to_string(), n.to_string()]);
    }
    format!("{table}\n{codes}")
}

/// The one-line verdict under every human report.
pub fn verdict(summary: &Summary, deny_warnings: bool) -> String {
    let records = plural(summary.records, "record");
    if summary.records == 0 {
        return "no records found".to_string();
    }
    if summary.has_problems(deny_warnings) {
        format!(
            "✗ {records} checked: {} invalid, {}, {}",
            summary.invalid,
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
        )
    } else if summary.warnings > 0 {
        format!(
            "! {records} checked: all valid, {}",
            plural(summary.warnings, "warning")
        )
    } else {
        format!("✓ {records} checked: all valid")
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `{"records": [...], "summary": {...}}`. The records come first so that the document streams:
/// a run over millions of records never holds them in memory.
pub struct Json<W: Write> {
    out: W,
    any: bool,
}

impl<W: Write> Json<W> {
    pub fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(b"{\"records\":[")?;
        Ok(Self { out, any: false })
    }

    pub fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        self.out.write_all(if self.any {
            b"\n],\"summary\":"
        } else {
            b"],\"summary\":"
        })?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

impl<W: Write> Sink for Json<W> {
    fn checked(&mut self, checked: Checked) -> anyhow::Result<()> {
        if !checked.json.is_empty() {
            self.out.write_all(if self.any { b",\n" } else { b"\n" })?;
            self.out.write_all(&checked.json)?;
            self.any = true;
        }
        Ok(())
    }
}

/// One record object per line as it is checked, then one `{"summary": {...}}` line.
pub struct Jsonl<W: Write> {
    out: W,
}

impl<W: Write> Jsonl<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    pub fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, &serde_json::json!({ "summary": summary }))?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

impl<W: Write> Sink for Jsonl<W> {
    fn checked(&mut self, checked: Checked) -> anyhow::Result<()> {
        if !checked.json.is_empty() {
            self.out.write_all(&checked.json)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// A JUnit report: one test case per record with findings (failures for errors), so CI shows them.
pub struct Junit {
    suite: quick_junit::TestSuite,
}

impl Default for Junit {
    fn default() -> Self {
        Self {
            suite: quick_junit::TestSuite::new("handover-doctor validate"),
        }
    }
}

impl Junit {
    pub fn finish(mut self, out: &mut impl Write, summary: &Summary) -> anyhow::Result<()> {
        use quick_junit::{TestCase, TestCaseStatus};
        if self.suite.test_cases.is_empty() {
            let mut case = TestCase::new(
                format!("{} valid", plural(summary.records, "record")),
                TestCaseStatus::success(),
            );
            case.set_classname("handover-doctor");
            self.suite.add_test_case(case);
        }
        let mut report = quick_junit::Report::new("handover-doctor");
        report.add_test_suite(self.suite);
        report.serialize(&mut *out)?;
        out.flush()?;
        Ok(())
    }

    fn case(record: &RecordReport, deny_warnings: bool) -> quick_junit::TestCase {
        use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus};
        let lines: Vec<String> = record
            .findings
            .iter()
            .map(|l| {
                let f = &l.finding;
                format!(
                    "{}:{}:{}: {}[{}/{}]: {}\n  help: {}",
                    record.source,
                    l.line,
                    l.column,
                    f.severity,
                    f.rule.code,
                    f.rule.name,
                    f.message,
                    f.hint
                )
            })
            .collect();
        let failing = record.findings.iter().find(|l| {
            l.finding.severity == Severity::Error
                || (deny_warnings && l.finding.severity == Severity::Warning)
        });
        let status = match failing {
            Some(l) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(format!("{}: {}", l.finding.rule.code, l.finding.message));
                status.set_type(l.finding.rule.name);
                status.set_description(lines.join("\n"));
                status
            }
            None => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(format!("{}:{}", record.source, record.line), status);
        case.set_classname(&*record.source);
        if failing.is_none() {
            case.set_system_out(lines.join("\n"));
        }
        case
    }
}

/// Collects test cases; needs `deny_warnings` to know what fails.
pub struct JunitSink {
    pub junit: Junit,
    pub deny_warnings: bool,
}

impl Sink for JunitSink {
    fn checked(&mut self, checked: Checked) -> anyhow::Result<()> {
        for record in &checked.reports {
            self.junit
                .suite
                .add_test_case(Junit::case(record, self.deny_warnings));
        }
        Ok(())
    }
}
