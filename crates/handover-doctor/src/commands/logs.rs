//! `logs`: what the bot's Cognigy logs say about each handover: the conversation's events in time
//! order, and where it broke on the bot's side. Files are found as `validate --from cognigy-logs`
//! finds them, and JSON Lines are read in chunks of whole lines: only the handover events are
//! held. Each conversation is one record of the report, its verdicts placed on their log lines.

use std::sync::Arc;

use handover_core::{Finding, Parser, Span};
use handover_logs::handover::{self, Filter, Handover, Sourced};
use handover_logs::{Format, Logged};

use crate::cli::LogsArgs;
use crate::error::Error;
use crate::report::{
    Checked, End, Located, LogCounts, RecordReport, Summary, Target, Timeline, TimelineEvent,
    Unreadable,
};
use crate::settings::{Config, resolve};
use crate::validate::{self, input};

pub fn run(args: LogsArgs) -> anyhow::Result<i32> {
    let config = Config::load(args.config.config.as_deref())?;
    if args.pull {
        return super::logs_pull::run(&args, &config);
    }
    let filter = Filter {
        since: instant(args.since.as_deref(), "--since")?,
        until: instant(args.until.as_deref(), "--until")?,
        session: args.session.clone(),
        contact_id: args.contact_id.clone(),
    };
    let mut summary = Summary::default();
    let (found, mut read) = read_all(&args.paths, &args.select, &mut summary)?;
    let nothing_to_check = found.nothing_to_check();
    if let Some(why) = &nothing_to_check {
        Error::Usage(why.clone()).print();
    }
    let mut reporter = resolve::reporter(
        &args.output,
        &config,
        "logs",
        args.deny_warnings,
        Target::Stdout,
    )?;
    let levels = config.levels()?;
    let delivery = reporter.delivery();
    let names: Vec<Arc<str>> = found.sources.iter().map(|s| s.name.clone()).collect();
    let mut parser = Parser::new();
    let handovers = handover::group(std::mem::take(&mut read.events), &filter);
    for (index, handover) in handovers.iter().enumerate() {
        let mut checked = Checked::default();
        let report = report(&names, index as u64, handover, &levels, &mut parser);
        let findings: Vec<Finding> = report.findings.iter().map(|l| l.finding.clone()).collect();
        checked.summary.add_record(None, &findings);
        checked.deliver(&delivery, report);
        summary.merge(&checked.summary);
        reporter.records(&checked)?;
    }
    // Entries that name the extension but cannot be read: HD100 on their lines, after the rest.
    for (source, line, why) in std::mem::take(&mut read.malformed) {
        let mut checked = Checked::default();
        let report = validate::logs::unreadable_entry(
            names[source].clone(),
            line,
            &why,
            &mut checked.summary,
        );
        checked.deliver(&delivery, report);
        summary.merge(&checked.summary);
        reporter.records(&checked)?;
    }
    summary.logs = Some(read.counts);
    reporter.done(&End::Batch {
        summary: &summary,
        files: found.sources.len(),
        nothing_to_check: nothing_to_check.as_deref(),
    })?;
    Ok(validate::exit_code(
        &summary,
        args.deny_warnings,
        nothing_to_check.is_some(),
    ))
}

/// Finds the log exports `paths` name and reads them; a path that cannot be read is printed and
/// counted in `summary`.
pub(super) fn read_all(
    paths: &[std::path::PathBuf],
    select: &crate::cli::SelectArgs,
    summary: &mut Summary,
) -> Result<(input::Found, Read), Error> {
    let found = input::discover_with(paths, select, false, input::LOG_EXTENSIONS)?;
    for error in &found.unreadable {
        error.print();
        summary.unreadable.push(Unreadable::of(error));
    }
    found.warn_empty();
    let mut read = Read::default();
    for (index, source) in found.sources.iter().enumerate() {
        if let Err(error) = read.source(index, source) {
            error.print();
            summary.unreadable.push(Unreadable::of(&error));
        }
    }
    Ok((found, read))
}

/// What the sources held: the handover events, the entries that could not be read, the counts.
#[derive(Default)]
pub(super) struct Read {
    pub(super) events: Vec<Sourced>,
    /// Source index, line and why.
    pub(super) malformed: Vec<(usize, u64, String)>,
    pub(super) counts: LogCounts,
}

impl Read {
    /// Reads one source in the units `validate --from cognigy-logs` reads: JSON Lines in chunks
    /// of whole lines, a JSON array or CSV whole.
    fn source(&mut self, index: usize, source: &input::Source) -> Result<(), Error> {
        let buffers = input::Buffers::default();
        let limit = input::MAX_RECORD_BYTES;
        let read = validate::batch::for_each_unit(source, limit, true, &buffers, |unit| {
            match unit {
                input::Unit::Lines {
                    first_line, bytes, ..
                } => {
                    self.bytes(index, &bytes, first_line, Format::JsonLines);
                    buffers.give_chunk(bytes);
                }
                input::Unit::Document { bytes } => {
                    self.bytes(index, &bytes, 1, Format::detect(&bytes));
                    buffers.give_chunk(bytes);
                }
                input::Unit::TooLarge { line, .. } => {
                    self.counts.entries += 1;
                    self.malformed.push((
                        index,
                        line,
                        format!("the entry is longer than {limit} bytes"),
                    ));
                }
            }
            Ok(())
        });
        // Only reading fails here: `each` never does.
        read.map_err(|e| {
            e.downcast::<Error>()
                .unwrap_or_else(|other| Error::Environment(other.to_string()))
        })
    }

    /// The events of `bytes`, which start at `first_line` of source `index`.
    pub(super) fn bytes(&mut self, index: usize, bytes: &[u8], first_line: u64, format: Format) {
        let read = handover_logs::events(bytes, format, |mut logged: Logged| {
            let span = logged.entry.span.clone();
            let line_start = validate::logs::line_start(bytes, span.start);
            let text = String::from_utf8_lossy(&bytes[line_start..span.end]).into_owned();
            logged.entry.line += first_line - 1;
            self.events.push(Sourced::new(index, logged, text));
        });
        self.counts.add(&read);
        for (line, why) in read.malformed {
            self.malformed.push((index, first_line + line - 1, why));
        }
    }
}

/// One conversation as a record: its timeline, and its verdicts placed on their entries.
fn report(
    names: &[Arc<str>],
    index: u64,
    handover: &Handover,
    levels: &[(&'static handover_core::Rule, handover_core::Level)],
    parser: &mut Parser,
) -> RecordReport {
    let first = &handover.events[0];
    let timeline = Timeline {
        session: handover.session.clone(),
        trace: handover.trace.clone(),
        events: timeline_events(names, handover),
    };
    RecordReport {
        source: names[first.source].clone(),
        contract: None,
        line: first.logged.entry.line,
        index,
        findings: verdicts(handover, levels, parser),
        text: String::new(),
        timeline: Some(Box::new(timeline)),
    }
}

/// The bot-side verdicts on a conversation, each placed on the entry it is about (the `msg`
/// value), re-levelled by the config's `severity` map.
pub(super) fn verdicts(
    handover: &Handover,
    levels: &[(&'static handover_core::Rule, handover_core::Level)],
    parser: &mut Parser,
) -> Vec<Located> {
    handover
        .verdicts()
        .into_iter()
        .filter_map(|verdict| {
            let event = &handover.events[verdict.event];
            let at = validate::logs::message_span(parser, event.text.as_bytes())
                .unwrap_or(0..event.text.len());
            let mut finding = Finding::new(
                verdict.rule,
                Span::new(at.start, at.end),
                "",
                verdict.message,
            );
            handover_core::settings::relevel_finding(levels, &mut finding)
                .then(|| Located::new(finding, &event.text, event.logged.entry.line))
        })
        .collect()
}

/// A conversation's events as timeline lines.
pub(super) fn timeline_events(names: &[Arc<str>], handover: &Handover) -> Vec<TimelineEvent> {
    handover
        .events
        .iter()
        .map(|e| TimelineEvent {
            timestamp: e.logged.entry.timestamp.clone(),
            source: names[e.source].clone(),
            line: Some(e.logged.entry.line),
            node: e.logged.event.node().as_str(),
            event: e.logged.event.kind(),
            text: e.logged.event.describe(),
        })
        .collect()
}

/// `--since` and `--until`: an instant as logs write them, or a span back from now (`24h`).
pub(super) fn instant(text: Option<&str>, flag: &str) -> Result<Option<jiff::Timestamp>, Error> {
    let Some(text) = text else {
        return Ok(None);
    };
    if let Some(at) = handover_logs::instant(text) {
        return Ok(Some(at));
    }
    let span: jiff::Span = text.trim().parse().map_err(|_| {
        Error::Usage(format!(
            "{flag} {text}: give an instant (2026-11-24T10:00:00Z, or 2026-11-24 10:00:00 in UTC) or a span back from now (24h, 90m)"
        ))
    })?;
    jiff::Timestamp::now()
        .checked_sub(span)
        .map(Some)
        .map_err(|e| Error::Usage(format!("{flag} {text}: {e}")))
}
