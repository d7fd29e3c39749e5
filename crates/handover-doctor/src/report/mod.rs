//! What every command reports, and the reporters that show it. Commands emit events (checked
//! records, diagnosis steps, the end of the run) into one [`Reporter`]; each output format
//! implements it once. The JSON shapes are a documented contract (docs/output.md): add fields,
//! never rename or remove.

use std::sync::Arc;

use handover_core::rules::Rule;
use handover_core::{Finding, Severity, Span};
use serde::Serialize;

mod event;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
pub mod term;

pub use event::{
    Checked, Delivery, Demo, Diagnosis, End, Start, Status, Step, StepId, Verdict, WatchEvent,
};
pub use human::{request_text, sweep};
pub use json::Encoder;
pub use term::Color;

/// The output formats; every command that reports findings offers each of them.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Diagnostics with the offending line, a summary and a verdict
    Human,
    /// One JSON document at the end (records stream as they are checked)
    Json,
    /// One JSON object per line as it is ready, then a summary line
    Jsonl,
    /// JUnit XML, for CI test reports
    Junit,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations on the lines of the files)
    Github,
}

/// Receives what a command reports, as it happens; each format implements it once, for every
/// command.
pub trait Reporter: Send {
    /// How batch workers should hand records over: encoded for the JSON formats, as reports for
    /// the others.
    fn delivery(&self) -> Delivery {
        Delivery::Reports { keep_text: false }
    }

    fn start(&mut self, _start: &Start<'_>) -> std::io::Result<()> {
        Ok(())
    }

    /// Records checked, in input order: `validate`, `fix`.
    fn records(&mut self, checked: &Checked) -> std::io::Result<()>;

    /// A diagnosis step, as it finishes (steps that run concurrently finish in any order).
    fn step(&mut self, _step: &Step) -> std::io::Result<()> {
        Ok(())
    }

    /// `watch`: a finding raised or cleared, as the round that saw it ends. The formats that
    /// report a whole run at its end (JSON, JUnit, SARIF, GitHub) report the findings standing
    /// when the watch stops instead.
    fn watch(&mut self, _event: &WatchEvent) -> std::io::Result<()> {
        Ok(())
    }

    fn done(&mut self, end: &End<'_>) -> std::io::Result<()>;
}

/// What a reporter needs besides the events.
pub struct Options {
    pub format: Format,
    pub color: Color,
    /// Human output: findings shown in full before the rest are only counted.
    pub max_findings: usize,
    /// Whether warnings fail the run, for the formats that say pass or fail (JUnit, the verdict).
    pub deny_warnings: bool,
    pub docs: Arc<RuleDocs>,
    /// The command, as test reports name their suite.
    pub command: &'static str,
    /// What the verdict counts: `record` for payloads, `file` for the flows and scripts `lint`
    /// reads.
    pub unit: &'static str,
    /// The config file the run read, as given: where the connection to the tenant is set, so the
    /// file a finding about the tenant is placed in where a format needs a file (SARIF).
    pub config_file: Option<String>,
}

/// Where a report goes: standard output, or standard error when standard output carries
/// something else (`fix` prints the fixed payload there).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Stdout,
    Stderr,
}

/// The reporter for `options.format`, writing to `target`.
pub fn reporter(options: Options, target: Target) -> std::io::Result<Box<dyn Reporter>> {
    let out: Box<dyn std::io::Write + Send> = match (options.format, target) {
        (Format::Human, Target::Stdout) => Box::new(term::stdout(options.color)),
        (Format::Human, Target::Stderr) => Box::new(term::stderr(options.color)),
        (_, Target::Stdout) => Box::new(std::io::stdout()),
        (_, Target::Stderr) => Box::new(std::io::stderr()),
    };
    let out = std::io::BufWriter::with_capacity(1 << 16, out);
    Ok(match options.format {
        Format::Human => Box::new(human::Human::new(out, options)),
        Format::Json => Box::new(json::Json::new(out, options)?),
        Format::Jsonl => Box::new(json::Jsonl::new(out, options)),
        Format::Junit => Box::new(junit::Junit::new(out, options)),
        Format::Sarif => Box::new(sarif::Sarif::new(out, options)?),
        Format::Github => Box::new(github::Github::new(out, options)),
    })
}

/// A count and its noun, singular for one: `1 record`, `2 records`, `3 fixes`, `0 entries`. The
/// last word of `noun` takes the plural (`1 assigned agent`, `2 assigned agents`).
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let consonant_y = noun
        .strip_suffix('y')
        .is_some_and(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']));
    if consonant_y {
        format!("{n} {}ies", &noun[..noun.len() - 1])
    } else if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// A finding as every reporter sees it: the core finding, and where it stands in its file when it
/// is about a file. A finding about the tenant or the run has no region.
#[derive(Clone)]
pub struct Located {
    pub finding: Finding,
    /// 1-based lines and columns (in characters); the end is just after the offending value (or
    /// key), as SARIF's `endColumn` means it.
    pub region: Option<Region>,
    /// Where the fix's replacement goes, when the finding has a fix and a region.
    pub fix_region: Option<Region>,
}

impl Located {
    /// Places a finding of a record whose text starts on line `first_line` of its file.
    pub fn new(finding: Finding, text: &str, first_line: u64) -> Self {
        Self::placed(finding, &mut Placer::new(text, first_line))
    }

    /// Places a finding with `placer`, which counts on from the finding placed before it.
    fn placed(finding: Finding, placer: &mut Placer<'_>) -> Self {
        let at = placer.region(finding.span);
        let fix_region = finding.fix.as_ref().map(|fix| {
            if fix.span == finding.span {
                at
            } else {
                placer.clone().region(fix.span)
            }
        });
        Located {
            finding,
            region: Some(at),
            fix_region,
        }
    }

    /// A finding about no file: the tenant, a call, the run.
    pub fn unplaced(finding: Finding) -> Self {
        Located {
            finding,
            region: None,
            fix_region: None,
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

/// Places spans of one record: counts lines and columns on from the last start it placed, so
/// that the findings of a record, which come in the order they stand in it, read the text before
/// them once between them. A span that starts before the last one is counted from the start.
#[derive(Clone)]
pub(crate) struct Placer<'t> {
    text: &'t str,
    first_line: u64,
    /// The last start placed (on a char boundary), and its line and column in the record.
    at: usize,
    line: u64,
    column: u64,
    /// The text is ASCII: a character is a byte.
    ascii: bool,
}

impl<'t> Placer<'t> {
    pub(crate) fn new(text: &'t str, first_line: u64) -> Self {
        Placer {
            text,
            first_line,
            at: 0,
            line: 1,
            column: 1,
            ascii: false,
        }
    }

    /// A placer for the text of a record just checked.
    pub(crate) fn of(record: &CheckedRecord<'t>) -> Self {
        Placer {
            ascii: record.ascii,
            ..Placer::new(record.text, record.line)
        }
    }

    /// The region of `span`: its start as [`handover_core::line_col`] places it, and its end, which is not
    /// before the start, counted on from there.
    pub(crate) fn region(&mut self, span: Span) -> Region {
        let (line, column) = self.move_to(span.start);
        let (end_line, end_column) = self.clone().move_to(span.end.max(self.at));
        let first_line = self.first_line.saturating_sub(1);
        Region {
            line: first_line + line,
            column,
            end_line: first_line + end_line,
            end_column,
        }
    }

    /// Moves to `offset` (the char boundary at or below it, within the text) and says its line
    /// and column, as [`handover_core::line_col`] counts them.
    fn move_to(&mut self, offset: usize) -> (u64, u64) {
        use handover_core::finding::floor_char_boundary;
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.at {
            *self = Placer {
                at: 0,
                line: 1,
                column: 1,
                ..*self
            };
        }
        let passed = &self.text[self.at..offset];
        let ascii = self.ascii;
        let chars = |text: &str| {
            if ascii {
                text.len() as u64
            } else {
                text.chars().count() as u64
            }
        };
        match memchr::memrchr(b'\n', passed.as_bytes()) {
            None => self.column += chars(passed),
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count() as u64;
                self.column = chars(&passed[last + 1..]) + 1;
            }
        }
        self.at = offset;
        (self.line, self.column)
    }
}

/// Where the rules are documented when the config names no other place: docs/rules.md in the
/// repository the binary was built from.
pub const DEFAULT_DOCS_URL: &str =
    concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The documentation of each rule: its anchor in docs/rules.md under a base URL the user may set
/// (`docs_url`). Made once per rule, so that a run with millions of findings formats none.
pub struct RuleDocs {
    base: String,
    urls: std::collections::HashMap<&'static str, String>,
}

impl RuleDocs {
    pub fn new(base: &str) -> Self {
        let base = base.trim_end_matches('/').to_string();
        let urls = crate::rules::all()
            .map(|rule| (rule.code, Self::make(&base, rule)))
            .collect();
        Self { base, urls }
    }

    /// `{base}#hd304-phone-not-e164`: the heading's anchor, as GitHub and mdBook make it.
    fn make(base: &str, rule: &Rule) -> String {
        format!("{base}#{}-{}", rule.code.to_ascii_lowercase(), rule.name)
    }

    pub fn url(&self, rule: &Rule) -> std::borrow::Cow<'_, str> {
        match self.urls.get(rule.code) {
            Some(url) => url.as_str().into(),
            None => Self::make(&self.base, rule).into(),
        }
    }
}

impl Default for RuleDocs {
    fn default() -> Self {
        Self::new(DEFAULT_DOCS_URL)
    }
}

/// A record just checked, as a batch hands it over with its findings: where it stands, and its
/// text, in which the findings are placed.
pub struct CheckedRecord<'a> {
    pub source: &'a Arc<str>,
    pub contract: Option<&'static str>,
    /// The line of the file the record starts on.
    pub line: u64,
    /// The record's position in its source, from 0.
    pub index: u64,
    pub text: &'a str,
    /// Whether `text` is ASCII, so that its columns need no characters counted: the batch
    /// learns it with the encoding.
    pub ascii: bool,
}

/// Whether a record with these findings is valid: none is an error.
fn valid<'f>(mut findings: impl Iterator<Item = &'f Finding>) -> bool {
    !findings.any(|f| f.severity == Severity::Error)
}

/// One record that has findings.
#[derive(Clone)]
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
    /// `logs`: the conversation's events in time order, the record being the handover.
    pub timeline: Option<Box<Timeline>>,
}

/// A handover's events as the bot's logs show them, in time order.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    pub session: Option<String>,
    pub trace: Option<String>,
    pub events: Vec<TimelineEvent>,
}

/// One event of a timeline: when, where it was logged, which node, and what happened.
#[derive(Clone, Debug)]
pub struct TimelineEvent {
    /// The entry's timestamp as logged.
    pub timestamp: Option<String>,
    /// The log file, or `cxone:contact/ID` for a state from the contact's history.
    pub source: Arc<str>,
    /// The log line; none for what the contact center reported.
    pub line: Option<u64>,
    /// `exit-interaction`, `signal-interaction`, `context-init`, `api-client`, or `cxone`.
    pub node: &'static str,
    /// The event's kind (`handover-started`, `signal-sent`, ... see docs/logs.md).
    pub event: &'static str,
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
        let mut placer = Placer::new(text, line);
        let findings = findings
            .into_iter()
            .map(|finding| Located::placed(finding, &mut placer))
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
            timeline: None,
        }
    }

    pub fn valid(&self) -> bool {
        valid(self.findings.iter().map(|l| &l.finding))
    }

    /// The record's findings without their places: for a payload that is not the user's file as
    /// it is (a config's `test_payload`), where a line and column would point at nothing they have.
    pub fn unplaced(mut self) -> Self {
        for located in &mut self.findings {
            located.region = None;
            located.fix_region = None;
        }
        self
    }

    /// The file the record is in, as annotations name it: the path as given, `stdin` for
    /// standard input.
    pub fn file(&self) -> &str {
        match &*self.source {
            "<stdin>" => "stdin",
            path => path,
        }
    }
}

#[derive(Default, Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    pub valid: u64,
    pub invalid: u64,
    pub errors: u64,
    pub warnings: u64,
    /// Findings per rule code, in the order the codes first came (reports list them by code): a
    /// batch counts every finding, and a look along a few codes costs less than a sorted map's.
    #[serde(serialize_with = "sorted_counts")]
    pub by_code: Vec<(&'static str, u64)>,
    /// Records per contract they were checked against (detected or chosen).
    #[serde(serialize_with = "sorted_counts")]
    pub contracts: Vec<(&'static str, u64)>,
    /// Paths the run could not read, in the order it came to them.
    pub unreadable: Vec<Unreadable>,
    /// `validate --from cognigy-logs`: the log entries read, of which the records are the
    /// handover events that are payloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logs: Option<LogCounts>,
}

/// What the log entries of a `--from cognigy-logs` run held.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct LogCounts {
    /// Entries read.
    pub entries: u64,
    /// Entries that state a handover event the tool knows (see docs/logs.md).
    pub events: u64,
    /// Entries that state no known event: counted, not checked.
    pub other: u64,
}

impl LogCounts {
    /// Counts what one read of an export found: its entries, those that hold no known event,
    /// and the events (the rest, but for the entries that could not be read).
    pub fn add(&mut self, read: &handover_logs::Read) {
        self.entries += read.entries;
        self.other += read.other;
        self.events += read.entries - read.other - read.malformed.len() as u64;
    }
}

/// A path the run could not read (missing, permission denied), and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Unreadable {
    pub path: String,
    pub error: String,
}

impl Unreadable {
    /// The path and the reason of a read error; any other error is its own reason.
    pub fn of(error: &crate::error::Error) -> Self {
        match error {
            crate::error::Error::Read { path, source } => Unreadable {
                path: path.display().to_string(),
                error: source.to_string(),
            },
            other => Unreadable {
                path: String::new(),
                error: other.to_string(),
            },
        }
    }
}

fn sorted_counts<S: serde::Serializer>(
    counts: &[(&'static str, u64)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    s.collect_map(sorted)
}

/// Adds `n` to the count of `name`. A name is mostly the same static text each time: its address
/// finds it without comparing text, which only a name at another address needs.
fn add_count(counts: &mut Vec<(&'static str, u64)>, name: &'static str, n: u64) {
    let at = counts
        .iter()
        .position(|(c, _)| std::ptr::eq(*c, name))
        .or_else(|| counts.iter().position(|(c, _)| *c == name));
    match at {
        Some(at) => counts[at].1 += n,
        None => counts.push((name, n)),
    }
}

impl Summary {
    /// Counts one record, the contract it was checked against, and its findings.
    pub fn add_record(&mut self, contract: Option<&'static str>, findings: &[Finding]) {
        self.records += 1;
        if let Some(name) = contract {
            add_count(&mut self.contracts, name, 1);
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
            add_count(&mut self.by_code, f.rule.code, 1);
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
        for &(code, n) in &other.by_code {
            add_count(&mut self.by_code, code, n);
        }
        for &(name, n) in &other.contracts {
            add_count(&mut self.contracts, name, n);
        }
        self.unreadable.extend_from_slice(&other.unreadable);
        if let Some(theirs) = other.logs {
            let ours = self.logs.get_or_insert_default();
            ours.entries += theirs.entries;
            ours.events += theirs.events;
            ours.other += theirs.other;
        }
    }

    /// The codes that fired most, most frequent first, ties by code.
    pub fn top_codes(&self, n: usize) -> Vec<(&'static str, u64)> {
        let mut codes = self.by_code.clone();
        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        codes.truncate(n);
        codes
    }

    /// Whether the run found problems in what it read: errors, or warnings when they are denied.
    pub fn has_problems(&self, deny_warnings: bool) -> bool {
        self.errors > 0 || (deny_warnings && self.warnings > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_core::line_col;
    use proptest::prelude::*;

    proptest! {
        /// One placer over many spans, in any order, places each as `line_col` places its start
        /// and its end, spans inside characters and past the end included.
        #[test]
        fn a_placer_of_an_ascii_record_places_as_line_col_does(
            text in "[a\n {}\"]{0,60}",
            spans in proptest::collection::vec((0..70_usize, 0..70_usize), 1..6),
        ) {
            let record = CheckedRecord {
                source: &std::sync::Arc::from("a.jsonl"),
                contract: None,
                line: 7,
                index: 0,
                text: &text,
                ascii: true,
            };
            let mut placer = Placer::of(&record);
            for (start, end) in spans {
                let region = placer.region(Span::new(start, end));
                prop_assert_eq!(region, by_line_col(&text, 7, start, end), "{}..{}", start, end);
            }
        }

        #[test]
        fn a_placer_places_each_span_as_line_col_does(
            text in "[a\né€😀 ]{0,60}",
            spans in proptest::collection::vec((0..70_usize, 0..70_usize), 1..6),
        ) {
            let mut placer = Placer::new(&text, 7);
            // An ASCII text's placer counts bytes, and must place as the one counting characters.
            let mut ascii = Placer { ascii: text.is_ascii(), ..placer.clone() };
            for (start, end) in spans {
                let region = placer.region(Span::new(start, end));
                prop_assert_eq!(region, by_line_col(&text, 7, start, end), "{}..{}", start, end);
                prop_assert_eq!(ascii.region(Span::new(start, end)), region);
            }
        }
    }

    /// The region of `start..end` as `line_col` places its two ends, the end not before the start.
    fn by_line_col(text: &str, first_line: u64, start: usize, end: usize) -> Region {
        let (l, c) = line_col(text, start);
        let (el, ec) = line_col(text, end.max(start));
        Region {
            line: first_line - 1 + l as u64,
            column: c as u64,
            end_line: first_line - 1 + el as u64,
            end_column: ec as u64,
        }
    }

    #[test]
    fn plural_is_singular_for_one_only() {
        assert_eq!(plural(1, "record"), "1 record");
        assert_eq!(plural(0, "record"), "0 records");
        assert_eq!(plural(2, "fix"), "2 fixes");
        assert_eq!(plural(3, "entry"), "3 entries");
        assert_eq!(plural(4, "day"), "4 days");
        assert_eq!(plural(2, "assigned agent"), "2 assigned agents");
        assert_eq!(plural(1, "inactive assignment"), "1 inactive assignment");
    }

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
            let region = Placer::new(text, 10).region(Span::new(start, end));
            assert_eq!(region, by_line_col(text, 10, start, end), "{start}..{end}");
        }
    }
}
