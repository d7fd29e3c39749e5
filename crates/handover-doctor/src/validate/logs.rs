//! `validate --from cognigy-logs`: how a finding names the logged event its record came from.

use std::ops::Range;

use handover_core::Parser;
use handover_logs::Event;

/// The event a record was built from, as a finding's message starts.
pub fn what(event: &Event) -> &'static str {
    match event {
        Event::HandoverStarted { .. } => "Exit Interaction's ids and action, as logged",
        Event::SignalRequest { .. } => "the signal request, as logged",
        Event::ChatEnvelope { .. } => "the chat envelope, as logged",
        _ => "the logged event",
    }
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
