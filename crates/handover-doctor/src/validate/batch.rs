//! The batch pipeline: a reader cuts sources into units, workers check them, and the reporter
//! receives the results in input order. Memory stays bounded: only a few units are in flight at a time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use handover_core::{Checker, Finding, Parser};

use super::input::{self, Buffers, Source, Unit, Units};
use crate::error::Error;
use crate::report::{Checked, CheckedRecord, Delivery, RecordReport, Reporter, Summary};

/// Checks the units of one source with one parser (a worker's own).
pub struct Worker<'c> {
    checker: &'c Checker,
    buffers: &'c Buffers,
    parser: Parser,
    findings: Vec<Finding>,
    delivery: Delivery,
    max_record: u64,
    /// The sources are Cognigy log exports: their handover events are the records.
    logs: bool,
}

impl<'c> Worker<'c> {
    pub fn new(
        checker: &'c Checker,
        buffers: &'c Buffers,
        delivery: Delivery,
        max_record: u64,
        logs: bool,
    ) -> Self {
        Self {
            checker,
            buffers,
            parser: Parser::new(),
            findings: Vec::new(),
            delivery,
            max_record,
            logs,
        }
    }

    pub fn check(&mut self, source: &Arc<str>, unit: Unit) -> Checked {
        let mut out = Checked::default();
        self.check_into(&mut out, source, unit);
        out
    }

    /// Checks one unit into `out`, after what `out` already holds: many units, one result.
    fn check_into(&mut self, out: &mut Checked, source: &Arc<str>, unit: Unit) {
        if let (Delivery::Json { .. }, Unit::Lines { bytes, .. }) = (&self.delivery, &unit) {
            // Reports run at about a third of the input where a third of the records are broken.
            out.json.reserve(bytes.len() / 2);
        }
        match unit {
            Unit::Document { bytes } if self.logs => {
                let format = handover_logs::Format::detect(&bytes);
                self.log_entries(out, source, &bytes, 1, format);
                self.buffers.give_chunk(bytes);
            }
            Unit::Lines {
                first_line, bytes, ..
            } if self.logs => {
                let format = handover_logs::Format::JsonLines;
                self.log_entries(out, source, &bytes, first_line, format);
                self.buffers.give_chunk(bytes);
            }
            Unit::Document { bytes } => {
                self.record(out, source, 1, 0, &bytes);
                self.buffers.give_chunk(bytes);
            }
            Unit::Lines {
                first_line,
                first_index,
                bytes,
                ends,
            } => {
                let mut index = first_index;
                for (line, text) in input::split_lines(&bytes, &ends, first_line) {
                    if input::is_blank(text) {
                        continue;
                    }
                    if text.len() as u64 > self.max_record {
                        self.too_large(out, source, line, index, text.len() as u64);
                    } else {
                        self.record(out, source, line, index, text);
                    }
                    index += 1;
                }
                self.buffers.give_chunk(bytes);
            }
            Unit::TooLarge { line, index, len } => self.too_large(out, source, line, index, len),
        }
    }

    /// Does one piece of work: reads the files of a [`Work::Files`], one after another, and
    /// checks every unit into one result.
    fn work(&mut self, work: Work<'_>) -> Done {
        let mut done = Done::default();
        if let Delivery::Json { .. } = self.delivery {
            done.checked.json = self.buffers.take();
        }
        match work {
            Work::Unit(name, unit) => {
                done.len = unit_len(&unit);
                self.check_into(&mut done.checked, &name, unit);
            }
            Work::Failed(error) => done.errors.push(error),
            Work::Files(files) => {
                for source in files {
                    let buffers = self.buffers;
                    let read = read_units(source, self.max_record, self.logs, buffers, |unit| {
                        done.len += unit_len(&unit);
                        self.check_into(&mut done.checked, &source.name, unit);
                        Ok::<_, Error>(())
                    });
                    if let Err(error) = read {
                        done.errors.push(error);
                    }
                }
            }
        }
        done
    }

    fn record(
        &mut self,
        out: &mut Checked,
        source: &Arc<str>,
        line: u64,
        index: u64,
        bytes: &[u8],
    ) {
        self.findings.clear();
        let contract = self
            .checker
            .check(&mut self.parser, bytes, &mut self.findings)
            .map(|c| c.name());
        out.summary.add_record(contract, &self.findings);
        if !self.findings.is_empty() {
            // The parser has checked the encoding; only a record with HD100 can need the lossy
            // path. The check again is the parser's quick one: std's costs as much as the
            // parser's whole string scan.
            let (text, ascii) = match handover_core::json::utf8_ascii(bytes) {
                Some((text, ascii)) => (std::borrow::Cow::Borrowed(text), ascii),
                None => (String::from_utf8_lossy(bytes), false),
            };
            let record = CheckedRecord {
                source,
                contract,
                line,
                index,
                text: &text,
                ascii,
            };
            out.deliver_checked(&self.delivery, record, &mut self.findings);
        }
    }

    /// The handover events of log entries: each that is a payload is checked as one, its
    /// findings placed on the entry (the event's record is built from the entry's message, so a
    /// place inside the record would be no place in the file). `bytes` start at `first_line`.
    fn log_entries(
        &mut self,
        out: &mut Checked,
        source: &Arc<str>,
        bytes: &[u8],
        first_line: u64,
        format: handover_logs::Format,
    ) {
        let mut reports = Vec::new();
        let read = handover_logs::events(bytes, format, |logged| {
            let Some(record) = handover_logs::record::record(&logged.event) else {
                return;
            };
            self.findings.clear();
            let contract = self
                .checker
                .check(&mut self.parser, record.as_bytes(), &mut self.findings)
                .map(|c| c.name());
            out.summary.add_record(contract, &self.findings);
            if self.findings.is_empty() {
                return;
            }
            // From the start of the entry's first line, so that columns are the file's.
            let span = logged.entry.span;
            let line_start = super::logs::line_start(bytes, span.start);
            let at = super::logs::message_span(&mut self.parser, &bytes[line_start..span.end])
                .unwrap_or(span.start - line_start..span.end - line_start);
            let what = super::logs::what(&logged.event);
            let findings = std::mem::take(&mut self.findings)
                .into_iter()
                .map(|mut finding| {
                    finding.span = handover_core::Span::new(at.start, at.end);
                    finding.message = format!("{what}: {}", finding.message);
                    finding.fix = None;
                    finding
                })
                .collect();
            let line = first_line + logged.entry.line - 1;
            let text = String::from_utf8_lossy(&bytes[line_start..span.end]);
            reports.push(RecordReport::new(
                source.clone(),
                contract,
                line,
                line - 1,
                &text,
                findings,
                self.keep_text(),
            ));
        });
        for (line, why) in &read.malformed {
            let line = first_line + line - 1;
            reports.push(super::logs::unreadable_entry(
                source.clone(),
                line,
                why,
                &mut out.summary,
            ));
        }
        out.summary.logs.get_or_insert_default().add(&read);
        reports.sort_by_key(|r| r.line);
        for report in reports {
            self.deliver(out, report);
        }
    }

    fn too_large(&mut self, out: &mut Checked, source: &Arc<str>, line: u64, index: u64, len: u64) {
        let findings: Vec<Finding> = self
            .checker
            .too_large(len, self.max_record)
            .into_iter()
            .collect();
        out.summary.add_record(None, &findings);
        if !findings.is_empty() {
            self.deliver(
                out,
                RecordReport::new(source.clone(), None, line, index, "", findings, false),
            );
        }
    }

    fn keep_text(&self) -> bool {
        matches!(self.delivery, Delivery::Reports { keep_text: true })
    }

    fn deliver(&self, out: &mut Checked, report: RecordReport) {
        out.deliver(&self.delivery, report);
    }
}

/// Progress shared with whoever shows it: what has been checked and handed to the reporter so
/// far. Counted as results arrive, not as input is read ahead, so that rates are true.
#[derive(Default)]
pub struct Progress {
    pub bytes: AtomicU64,
    pub records: AtomicU64,
    pub findings: AtomicU64,
}

impl Progress {
    fn checked(&self, bytes: u64, summary: &Summary) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.records.fetch_add(summary.records, Ordering::Relaxed);
        self.findings
            .fetch_add(summary.errors + summary.warnings, Ordering::Relaxed);
    }
}

/// One batch run: what to read and how to check it.
pub struct Batch<'a> {
    pub sources: &'a [Source],
    pub checker: &'a Checker,
    pub max_record: u64,
    pub threads: usize,
    /// The sources are Cognigy log exports (`--from cognigy-logs`).
    pub logs: bool,
}

/// Runs the pipeline over all sources. Read errors are returned beside the summary, so that one
/// unreadable file does not hide the findings of the others.
pub fn run(
    batch: &Batch<'_>,
    reporter: &mut dyn Reporter,
    progress: &Progress,
    mut tick: impl FnMut(),
) -> anyhow::Result<(Summary, Vec<Error>)> {
    let Batch {
        sources,
        checker,
        max_record,
        threads,
        logs,
    } = *batch;
    let delivery = reporter.delivery();
    let mut summary = Summary::default();
    let mut errors = Vec::new();
    let buffers = &Buffers::default();
    // What checking a piece of work did, handed to the reporter in input order.
    let mut deliver = |done: Done| -> anyhow::Result<()> {
        summary.merge(&done.checked.summary);
        progress.checked(done.len, &done.checked.summary);
        errors.extend(done.errors);
        reporter.records(&done.checked)?;
        // The encoded records' buffer goes back to the workers: one made by a worker and freed
        // here, piece after piece, had the allocator hand memory between threads and the kernel
        // fault its pages in again (twenty times the page faults of one thread).
        buffers.give(done.checked.json);
        Ok(())
    };
    if threads <= 1 {
        let mut worker = Worker::new(checker, buffers, delivery.clone(), max_record, logs);
        plan(sources, max_record, logs, buffers, |work| {
            deliver(worker.work(work))?;
            tick();
            Ok(())
        })?;
        return Ok((summary, errors));
    }

    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Work<'_>)>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (result_tx, result_rx) = mpsc::sync_channel::<(u64, Done)>(threads * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // Owned here, so that when the reporter fails the receivers drop, the workers' sends fail, the
        // workers drop their work receivers, and the reader's sends fail: nothing waits forever.
        let result_rx = result_rx;
        for _ in 0..threads {
            let result_tx = result_tx.clone();
            let work_rx = Arc::clone(&work_rx);
            let delivery = delivery.clone();
            scope.spawn(move || {
                let mut worker = Worker::new(checker, buffers, delivery, max_record, logs);
                loop {
                    let job = work_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, work))) = job else {
                        return;
                    };
                    if result_tx.send((seq, worker.work(work))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(result_tx);
        drop(work_rx);
        scope.spawn(move || {
            let mut seq = 0;
            // An error here means the workers are gone because the reporter failed; that error
            // is reported there.
            let _ = plan(sources, max_record, logs, buffers, |work| {
                work_tx
                    .send((seq, work))
                    .map_err(|_| anyhow::anyhow!("the workers stopped"))?;
                seq += 1;
                Ok(())
            });
        });

        let mut pending = BTreeMap::new();
        let mut next = 0;
        loop {
            match result_rx.recv_timeout(Duration::from_millis(200)) {
                Ok((seq, done)) => {
                    pending.insert(seq, done);
                    while let Some(done) = pending.remove(&next) {
                        // On a reporter error (a closed pipe), dropping the receiver stops the workers and the reader.
                        deliver(done)?;
                        next += 1;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            tick();
        }
        Ok(())
    })?;
    Ok((summary, errors))
}

/// JSON Lines files up to this size, and payload documents of any size, are read by the worker
/// that checks them, many to a piece of work, up to this many bytes of JSON Lines or
/// [`FILES_PER_WORK`] files: a directory of small payload files is then handed between threads a
/// few hundred files at a time, and read by every worker at once.
const SMALL_FILES_BYTES: u64 = input::CHUNK_BYTES as u64;
const FILES_PER_WORK: usize = 256;

/// What a worker takes at a time.
enum Work<'s> {
    /// Whole files, which the worker reads.
    Files(Vec<&'s Source>),
    /// One unit of a larger source (or of standard input), read by the reader.
    Unit(Arc<str>, Unit),
    /// A larger source that could not be read, in its place, so that errors keep the sources' order.
    Failed(Error),
}

/// What a worker made of a piece of work.
#[derive(Default)]
struct Done {
    /// Bytes read.
    len: u64,
    checked: Checked,
    /// The sources that could not be read, in order.
    errors: Vec<Error>,
}

/// Cuts the sources into pieces of work, in order, and hands each to `send`: runs of small files
/// as one piece, larger sources read here unit by unit. Stops at the first error `send` returns.
fn plan<'s>(
    sources: &'s [Source],
    max_record: u64,
    logs: bool,
    buffers: &Buffers,
    mut send: impl FnMut(Work<'s>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    let mut bytes = 0;
    for source in sources {
        // A payload document is one unit whatever its size, held to `max_record` as it is read,
        // so it needs no look at its size here: in a directory of small files, a look up of each
        // path only to learn that costs a tenth of the run. A JSON Lines file or a log export is
        // cut into units here when it is large.
        let document = source.path.is_some() && !source.lines && !logs;
        let size = if document { None } else { source.file_size() };
        if document || size.is_some_and(|size| size <= SMALL_FILES_BYTES) {
            files.push(source);
            bytes += size.unwrap_or(0);
            if files.len() >= FILES_PER_WORK || bytes >= SMALL_FILES_BYTES {
                send(Work::Files(std::mem::take(&mut files)))?;
                bytes = 0;
            }
            continue;
        }
        if !files.is_empty() {
            send(Work::Files(std::mem::take(&mut files)))?;
            bytes = 0;
        }
        let name = &source.name;
        let read = read_units(source, max_record, logs, buffers, |unit| {
            send(Work::Unit(name.clone(), unit))
        });
        if let Err(e) = read {
            match e.downcast::<Error>() {
                Ok(unreadable) => send(Work::Failed(unreadable))?,
                Err(other) => return Err(other),
            }
        }
    }
    if !files.is_empty() {
        send(Work::Files(files))?;
    }
    Ok(())
}

/// Cuts one source into units and hands each to `each`. A read error is an [`Error`] in the result.
/// A log export that is not JSON Lines (a JSON array, CSV) is read whole whatever its size: its
/// entries cannot be found otherwise, and `max_record` is about one entry, not the export.
pub(crate) fn for_each_unit(
    source: &Source,
    max_record: u64,
    logs: bool,
    buffers: &Buffers,
    each: impl FnMut(Unit) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    read_units(source, max_record, logs, buffers, each)
}

/// As [`for_each_unit`], with any error `each` returns. A regular file is read in one call when
/// it is as long as its metadata says.
fn read_units<E: From<Error>>(
    source: &Source,
    max_record: u64,
    logs: bool,
    buffers: &Buffers,
    mut each: impl FnMut(Unit) -> Result<(), E>,
) -> Result<(), E> {
    let (reader, lines, size) = source.open_sized()?;
    let name = || source.path.clone().unwrap_or_else(|| "<stdin>".into());
    let limit = if logs && !lines { u64::MAX } else { max_record };
    let mut units = Units::new(reader, lines, limit, buffers).expecting(size);
    loop {
        let unit = units.next_unit().map_err(|e| Error::read(name(), e))?;
        let Some(unit) = unit else {
            return Ok(());
        };
        each(unit)?;
    }
}

fn unit_len(unit: &Unit) -> u64 {
    match unit {
        Unit::Lines { bytes, .. } | Unit::Document { bytes } => bytes.len() as u64,
        Unit::TooLarge { len, .. } => *len,
    }
}
