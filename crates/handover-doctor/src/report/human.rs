//! Human output: rustc-style diagnostics for every finding (the offending line with a caret, the
//! hint, the fix and the rule's documentation), diagnosis steps as they finish, a summary and a
//! verdict.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Patch, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use cxone_client::{Profile, RequestPreview};
use handover_core::Severity;

use super::{
    Checked, Demo, Diagnosis, End, Located, Options, RecordReport, Reporter, RuleDocs, Start,
    Status, Step, StepId, Summary, Verdict, WatchEvent, plural,
};

pub struct Human<W: Write> {
    out: W,
    renderer: Renderer,
    options: Options,
    shown: usize,
    hidden: u64,
}

impl<W: Write> Human<W> {
    pub fn new(out: W, options: Options) -> Self {
        Self {
            out,
            renderer: Renderer::styled(),
            options,
            shown: 0,
            hidden: 0,
        }
    }

    /// Shows a finding unless `max_findings` have been shown; then it is only counted.
    fn finding(&mut self, record: Option<&RecordReport>, located: &Located) -> std::io::Result<()> {
        if self.shown >= self.options.max_findings {
            self.hidden += 1;
            return Ok(());
        }
        self.shown += 1;
        let text = render_finding(&self.renderer, &self.options.docs, record, located);
        writeln!(self.out, "{text}\n")
    }

    fn hidden_note(&mut self) -> std::io::Result<()> {
        if self.hidden > 0 {
            writeln!(
                self.out,
                "… and {} not shown (raise --max-findings, or use --format json)\n",
                plural(self.hidden, "more finding")
            )?;
        }
        Ok(())
    }
}

impl<W: Write + Send> Reporter for Human<W> {
    fn delivery(&self) -> super::Delivery {
        super::Delivery::Reports { keep_text: true }
    }

    fn start(&mut self, start: &Start<'_>) -> std::io::Result<()> {
        let Start::Diagnosis { api, demo } = start;
        writeln!(self.out, "{}", heading(*api, *demo))?;
        self.out.flush()
    }

    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        for record in &checked.reports {
            if let Some(timeline) = &record.timeline {
                writeln!(self.out, "{}", timeline_text(timeline))?;
            }
            for located in &record.findings {
                self.finding(Some(record), located)?;
            }
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> std::io::Result<()> {
        writeln!(self.out, "{}", step_line(step))?;
        self.out.flush()
    }

    fn watch(&mut self, event: &WatchEvent) -> std::io::Result<()> {
        writeln!(self.out, "{}", watch_line(event))?;
        self.out.flush()
    }

    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        match end {
            End::Batch {
                summary,
                files,
                nothing_to_check,
            } => {
                self.hidden_note()?;
                // With no file read, a table of noughts says less than the verdict.
                // Logs always: how many entries held nothing known is the run's news.
                if summary.records > 1
                    || *files > 1
                    || (summary.records == 0 && *files > 0)
                    || summary.logs.is_some()
                {
                    writeln!(self.out, "{}", summary_table(summary, *files))?;
                }
                writeln!(
                    self.out,
                    "{}",
                    verdict(
                        summary,
                        self.options.deny_warnings,
                        *nothing_to_check,
                        self.options.unit,
                    )
                )?;
            }
            End::Fixed { summary, .. } => {
                self.hidden_note()?;
                let left = summary.errors + summary.warnings;
                if left > 0 {
                    writeln!(
                        self.out,
                        "{} no fix can remove ({})",
                        plural(left, "finding"),
                        plural(summary.errors, "error")
                    )?;
                }
            }
            End::Diagnosis { diagnosis, .. } => self.diagnosis(diagnosis)?,
        }
        self.out.flush()
    }
}

impl<W: Write> Human<W> {
    /// After the step lines: the request of a simulate, the findings, the verdict.
    fn diagnosis(&mut self, diagnosis: &Diagnosis) -> std::io::Result<()> {
        if let Some(step) = diagnosis.steps.iter().find(|s| s.request.is_some()) {
            let request = step.request.as_ref().expect("checked");
            let label = if step.contact_id.is_some() {
                "request sent"
            } else {
                "request"
            };
            writeln!(self.out, "\n{label}:\n{}", request_text(request).trim_end())?;
        }
        writeln!(self.out)?;
        for step in &diagnosis.steps {
            for located in step.record.iter().flat_map(|r| &r.findings) {
                self.finding(step.record.as_ref(), located)?;
            }
            for located in &step.findings {
                self.finding(None, located)?;
            }
        }
        self.hidden_note()?;
        let (style, text) = diagnosis_verdict(diagnosis);
        writeln!(self.out, "{style}{text}{style:#}")
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One finding as a diagnostic: the source line with a caret under the value when the finding is
/// about a file whose text is at hand, the hint, the fix and the documentation.
fn render_finding(
    renderer: &Renderer,
    docs: &RuleDocs,
    record: Option<&RecordReport>,
    located: &Located,
) -> String {
    let f = &located.finding;
    let url = docs.url(f.rule);
    let title = level(f.severity)
        .primary_title(&f.message)
        .id(f.rule.code)
        .id_url(url.as_ref());
    let mut groups = Vec::new();
    let text = record
        .filter(|r| !r.text.is_empty() && located.region.is_some())
        .map(|r| (r, r.text.as_str()));
    match (record, text) {
        (_, Some((record, text))) => {
            let span = clamp(text, f.span.start, f.span.end);
            groups.push(
                title.element(
                    Snippet::source(text)
                        .line_start(record.line as usize)
                        .path(&*record.source)
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span).label(f.rule.name)),
                ),
            );
        }
        (Some(record), None) => {
            let origin = Origin::path(&*record.source);
            let origin = match located.region {
                Some(at) => origin
                    .line(at.line as usize)
                    .char_column(at.column as usize),
                None => origin,
            };
            let mut group = title.element(origin);
            if !f.pointer.is_empty() && located.region.is_none() {
                group = group.element(Level::NOTE.message(format!("at {}", f.pointer)));
            }
            groups.push(group);
        }
        (None, None) => groups.push(Group::with_title(title)),
    }
    groups.push(Group::with_title(Level::HELP.secondary_title(&*f.hint)));
    if let Some(fix) = &f.fix {
        let title = Level::HELP.secondary_title(format!("fix: {}", fix.description));
        // A diff of a long JSON Lines record would print the whole record twice; the words say enough.
        match text {
            Some((record, text)) if line_of(text, fix.span.start).len() <= DIFF_MAX_LINE => {
                let span = clamp(text, fix.span.start, fix.span.end);
                groups.push(
                    Group::with_title(title).element(
                        Snippet::source(text)
                            .line_start(record.line as usize)
                            .path(&*record.source)
                            .fold(true)
                            .patch(Patch::new(span, &fix.replacement)),
                    ),
                );
            }
            _ => groups.push(Group::with_title(title)),
        }
    }
    groups.push(Group::with_title(
        Level::NOTE
            .with_name("docs")
            .secondary_title(url.to_string()),
    ));
    // A finding without a snippet would get an empty gutter line (` |`) between its title and
    // its help: each group is rendered on its own and the lines joined instead.
    if text.is_none() && record.is_none() {
        return groups
            .into_iter()
            .map(|group| renderer.render(&[group]))
            .collect::<Vec<_>>()
            .join("\n");
    }
    renderer.render(&groups)
}

/// A handover's events, one line each: time, node, what happened, and where it was logged.
fn timeline_text(timeline: &super::Timeline) -> String {
    let who = match (&timeline.session, &timeline.trace) {
        (Some(session), Some(trace)) => format!("session {session} (trace {trace})"),
        (Some(session), None) => format!("session {session}"),
        (None, Some(trace)) => format!("trace {trace}"),
        (None, None) => "events without a session".to_string(),
    };
    let mut text = format!("{who}: {}", plural(timeline.events.len() as u64, "event"));
    // The time of day, to the millisecond, where the timestamp is RFC 3339 or Cognigy's form;
    // the date too when the events span more than one.
    let days: std::collections::BTreeSet<&str> = timeline
        .events
        .iter()
        .filter_map(|e| e.timestamp.as_deref().and_then(|t| t.get(..10)))
        .collect();
    let from = if days.len() > 1 { 0 } else { 11 };
    let time = |event: &super::TimelineEvent| {
        event
            .timestamp
            .as_deref()
            .map(|t| t.trim_end_matches('Z'))
            .and_then(|t| t.get(from..))
            .unwrap_or("-")
            .to_string()
    };
    let width = timeline
        .events
        .iter()
        .map(|e| time(e).len())
        .max()
        .unwrap_or(1);
    for event in &timeline.events {
        let time = time(event);
        let at = match event.line {
            Some(line) => format!("{}:{line}", event.source),
            None => event.source.to_string(),
        };
        text += &format!(
            "\n  {time:<width$}  {:<18}  {}  ({at})",
            event.node, event.text
        );
    }
    text + "\n"
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
    let table = super::term::table(
        vec!["files", "records", "valid", "invalid", "errors", "warnings"],
        vec![vec![
            files.to_string(),
            summary.records.to_string(),
            summary.valid.to_string(),
            summary.invalid.to_string(),
            summary.errors.to_string(),
            summary.warnings.to_string(),
        ]],
        &[],
    );
    let mut contracts: Vec<_> = summary.contracts.clone();
    contracts.sort_unstable();
    let checked_as = contracts
        .iter()
        .map(|(name, n)| format!("{name} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut table = if checked_as.is_empty() {
        table.to_string()
    } else {
        format!("{table}\nchecked as: {checked_as}")
    };
    if let Some(logs) = summary.logs {
        table += &format!(
            "\nfrom the logs: {}, {}, {} of nothing known",
            plural(logs.entries, "entry"),
            plural(logs.events, "handover event"),
            logs.other
        );
    }
    let top = summary.top_codes(5);
    if top.is_empty() {
        return table;
    }
    let rows = top
        .into_iter()
        .map(|(code, n)| {
            let name = crate::rules::find(code).map_or("", |r| r.name);
            vec![code.to_string(), name.to_string(), n.to_string()]
        })
        .collect();
    let codes = super::term::table(vec!["most frequent", "rule", "findings"], rows, &[]);
    format!("{table}\n{codes}")
}

/// The one-line verdict under a batch: what human output and GitHub annotations end with. A path
/// that could not be read, or a search that found nothing, fails it whatever the records say.
pub(super) fn verdict(
    summary: &Summary,
    deny_warnings: bool,
    nothing_to_check: Option<&str>,
    unit: &str,
) -> String {
    let failures: Vec<String> = nothing_to_check
        .map(str::to_string)
        .into_iter()
        .chain(cannot_read(summary))
        .collect();
    let records = plural(summary.records, unit);
    let checked = if let (0, Some(logs)) = (summary.records, summary.logs) {
        format!(
            "no {unit}s in {} ({})",
            plural(logs.entries, "log entry"),
            plural(logs.events, "handover event")
        )
    } else if summary.records == 0 {
        format!("no {unit}s found")
    } else if summary.has_problems(deny_warnings) {
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
    };
    if failures.is_empty() {
        return checked;
    }
    let failures = failures.join("; ");
    if summary.records == 0 {
        return format!("✗ {failures}");
    }
    let checked = checked.trim_start_matches(['✓', '✗', '!', ' ']);
    format!("✗ {failures}; {checked}")
}

/// `cannot read a.json`, or `cannot read 5 paths: a.json, b.json, c.json and 2 more`.
fn cannot_read(summary: &Summary) -> Option<String> {
    const NAMED: usize = 3;
    let paths: Vec<&str> = summary.unreadable.iter().map(|u| u.path.as_str()).collect();
    match paths.as_slice() {
        [] => None,
        [one] => Some(format!("cannot read {one}")),
        _ => {
            let named = paths[..paths.len().min(NAMED)].join(", ");
            let more = match paths.len().saturating_sub(NAMED) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            Some(format!(
                "cannot read {}: {named}{more}",
                plural(paths.len() as u64, "path")
            ))
        }
    }
}

fn mark(status: Status) -> (Style, &'static str) {
    match status {
        Status::Pass => (AnsiColor::Green.on_default(), "✓"),
        Status::Warn => (AnsiColor::Yellow.on_default(), "!"),
        Status::Fail => (AnsiColor::Red.on_default().bold(), "✗"),
        Status::Skip => (Style::new().dimmed(), "-"),
    }
}

/// `06:30:03Z raised  ✗ HD702 queue-inactive  queue 4012345 "Billing Voice" is inactive: ...`
fn watch_line(event: &WatchEvent) -> String {
    let f = &event.finding.finding;
    let (style, mark) = if event.change == "cleared" {
        mark(Status::Pass)
    } else {
        mark(Status::of([&event.finding]))
    };
    let time = event.at.get(11..).unwrap_or(&event.at);
    format!(
        "{time} {:<7} {style}{mark}{style:#} {} {}  {}",
        event.change, f.rule.code, f.rule.name, f.message
    )
}

fn heading(api: Profile, demo: Option<&Demo<'_>>) -> String {
    let api = api.as_str();
    match demo {
        Some(demo) => format!(
            "handover-doctor · {api} · demo: mock tenant at {} playing `{}` ({})",
            demo.url, demo.scenario, demo.description
        ),
        None => format!("handover-doctor · {api}"),
    }
}

fn step_line(step: &Step) -> String {
    let (style, mark) = mark(step.status);
    format!(
        "{style}{mark}{style:#} {:<9}{:>6} ms  {}",
        step.id.as_str(),
        step.duration.as_millis(),
        step.detail
    )
}

/// A request as the user reads it: method and URL, headers (secrets already masked), body.
pub fn request_text(preview: &RequestPreview) -> String {
    let mut text = format!("  {} {}\n", preview.method, preview.url);
    for (name, value) in &preview.headers {
        text += &format!("  {name}: {value}\n");
    }
    if let Some(body) = &preview.body {
        for line in body.lines() {
            text += &format!("  {line}\n");
        }
    }
    text
}

/// The line a diagnosis ends with, and its colour: what GitHub annotations end with too, plain.
pub(super) fn diagnosis_verdict(diagnosis: &Diagnosis) -> (Style, String) {
    let mut codes: Vec<String> = Vec::new();
    for l in diagnosis.steps.iter().flat_map(|s| s.all_findings()) {
        let f = &l.finding;
        let code = format!("{} {}", f.rule.code, f.rule.name);
        if f.severity != Severity::Info && !codes.contains(&code) {
            codes.push(code);
        }
    }
    let ran = diagnosis
        .steps
        .iter()
        .filter(|s| s.status != Status::Skip)
        .count();
    let tail = format!(
        "({ran} of {} ran, {}, {:.2} s)",
        plural(diagnosis.steps.len() as u64, "step"),
        plural(u64::from(diagnosis.stats.requests), "request"),
        diagnosis.duration.as_secs_f64()
    );
    let (style, text) = match diagnosis.verdict() {
        Verdict::Pass => (
            AnsiColor::Green.on_default().bold(),
            format!("✓ pass: {}", what_passed(diagnosis)),
        ),
        Verdict::Warn => (
            AnsiColor::Yellow.on_default().bold(),
            format!(
                "! warn: {}, with {}",
                what_passed(diagnosis),
                codes.join(", ")
            ),
        ),
        Verdict::Incomplete => (
            AnsiColor::Magenta.on_default().bold(),
            format!(
                "? incomplete: not every step ran; missing {}",
                diagnosis.missing().join(", ")
            ),
        ),
        Verdict::Fail => (
            AnsiColor::Red.on_default().bold(),
            format!("✗ fail: {}", codes.join(", ")),
        ),
    };
    (style, format!("{text} {tail}"))
}

/// What a passing run may claim: only what ran. The handover path works only when a test
/// contact or signal was really sent.
fn what_passed(diagnosis: &Diagnosis) -> String {
    let ran: Vec<&str> = diagnosis
        .steps
        .iter()
        .filter(|s| s.status != Status::Skip)
        .map(|s| s.id.as_str())
        .collect();
    let sent = diagnosis
        .steps
        .iter()
        .any(|s| s.id == StepId::Simulate && s.contact_id.is_some());
    if sent {
        return "the handover path works".to_string();
    }
    if ran == ["auth"] {
        return "signed in".to_string();
    }
    let list = match ran.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".to_string(),
    };
    if diagnosis.dry_run {
        format!("{list} passed; the test handover was a dry run (add --live to send it)")
    } else {
        format!("{list} passed")
    }
}

/// `queue --all`: every skill's activity as a table, or as JSON; `truncated` says that the list
/// was cut at the page cap.
pub fn sweep(
    out: &mut impl Write,
    queues: &[cxone_client::QueueActivity],
    truncated: Option<&Located>,
    as_json: bool,
) -> std::io::Result<()> {
    if as_json {
        return super::json::sweep(out, queues, truncated);
    }
    let waiting = |q: &&cxone_client::QueueActivity| {
        q.active != Some(false) && q.available == 0 && q.queued > 0
    };
    let rows = queues
        .iter()
        .map(|q| {
            let state = match q.active {
                Some(true) => "active",
                Some(false) => "inactive",
                None => "-",
            };
            let flag = if waiting(&q) { " !" } else { "" };
            vec![
                q.id.clone(),
                q.name.clone(),
                state.to_string(),
                q.media.map_or_else(|| "-".to_string(), |m| m.name()),
                format!("{}{flag}", q.available),
                q.logged_in.to_string(),
                q.working.to_string(),
                q.queued.to_string(),
            ]
        })
        .collect();
    let table = super::term::table(
        vec![
            "skill",
            "name",
            "state",
            "media",
            "available",
            "logged in",
            "working",
            "queued",
        ],
        rows,
        &[],
    );
    writeln!(out, "{table}")?;
    let waiting = queues.iter().filter(waiting).count();
    if waiting > 0 {
        writeln!(
            out,
            "! {waiting} active {} contacts waiting and nobody available",
            if waiting == 1 {
                "skill has"
            } else {
                "skills have"
            }
        )?;
    }
    if let Some(cut) = truncated {
        let f = &cut.finding;
        writeln!(out, "{}[{}]: {}", f.severity, f.rule.code, f.message)?;
    }
    Ok(())
}
