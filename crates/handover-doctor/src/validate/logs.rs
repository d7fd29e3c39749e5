//! `validate --from cognigy-logs`: how a finding names the logged event its record came from.

use std::ops::Range;
use std::sync::Arc;

use handover_core::Parser;
use handover_logs::Event;

use crate::report::{RecordReport, Summary};

/// The event a record was built from, as a finding's message starts.
pub fn what(event: &Event) -> &'static str {
    match event {
        Event::HandoverStarted { .. } => "Exit Interaction's ids and action, as logged",
        Event::SignalRequest { .. } => "the signal request, as logged",
        Event::ChatEnvelope { .. } => "the chat envelope, as logged",
        _ => "the logged event",
    }
}

/// A log entry that names a node of NICE's extension but cannot be read: a record with HD100 on
/// its line, counted in `summary`.
pub fn unreadable_entry(
    source: Arc<str>,
    line: u64,
    why: &str,
    summary: &mut Summary,
) -> RecordReport {
    let finding = handover_core::Finding::new(
        &handover_core::rules::INVALID_JSON,
        handover_core::Span::default(),
        "",
        format!("a log entry that names a node of NICE's extension cannot be read: {why}"),
    );
    summary.add_record(None, std::slice::from_ref(&finding));
    RecordReport::new(source, None, line, line - 1, "", vec![finding], false)
}

/// Where the line that holds byte `at` of `bytes` starts: an entry's text is taken from there, so
/// that columns are the file's.
pub fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Where an entry's message is in `text` (which starts at the entry's line): the `msg` (or
/// `message`) value of a JSON entry. `None` for a CSV row, which is placed whole.
pub fn message_span(parser: &mut Parser, text: &[u8]) -> Option<Range<usize>> {
    let start = text.iter().position(|b| *b == b'{')?;
    let doc = parser.parse(&text[start..]).ok()?;
    let value = doc.get(0, "msg").or_else(|| doc.get(0, "message"))?;
    let node = doc.node(value);
    Some(start + node.start as usize..start + node.end as usize)
}
