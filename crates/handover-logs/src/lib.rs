//! handover-logs: what a Cognigy project's logs say about its handovers. Reads Cognigy log exports
//! (JSON, JSON Lines, CSV) and finds the events NICE's CXone extension logs: which ids and action
//! Exit Interaction read, whether the channel was voice, the signal it sent or the error it got,
//! the chat envelope, and what Context Init set. Pure, as the core is: callers hand in a file's
//! bytes; reading files, pulling from Cognigy and reporting are theirs.
//!
//! - [`entry`]: the export formats and their entries.
//! - [`message`]: one parser per known message of the extension, with the versions it knows.
//! - [`record`]: events as payloads of the core's contracts, so that every payload rule applies
//!   to what the logs show was sent.
//! - [`handover`]: the events of one conversation in time order, and where the handover broke
//!   on the bot's side ([`rules`]).

pub mod entry;
pub mod handover;
pub mod message;
pub mod record;
pub mod rules;

pub use entry::{Entry, Format, Read};
pub use handover::{Filter, Handover, Sourced, Verdict};
pub use message::{Event, KNOWN_VERSIONS, Node};

/// The rules the logs raise (HD820-HD829), in code order.
pub fn rules() -> impl Iterator<Item = &'static handover_core::Rule> {
    rules::RULES.iter().copied()
}

/// A handover event and the log entry that states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub entry: Entry,
    pub event: Event,
}

/// Reads one export and hands each handover event to `each`, in file order. Entries that state no
/// known event are counted in [`Read::other`].
pub fn events(bytes: &[u8], format: Format, mut each: impl FnMut(Logged)) -> Read {
    let mut unknown = 0;
    let mut read = entry::read(bytes, format, |entry| {
        match message::parse(&entry.message) {
            Some(event) => each(Logged { entry, event }),
            None => unknown += 1,
        }
    });
    read.other += unknown;
    read
}

/// A log timestamp as an instant: RFC 3339 (`2026-11-24T10:00:00.000Z`), or Cognigy's log view
/// format `YYYY-MM-DD HH:MM:SS` (`docs/ai/test/logs.md`), which names no zone and is read as UTC.
pub fn instant(text: &str) -> Option<jiff::Timestamp> {
    let text = text.trim();
    text.parse::<jiff::Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::DateTime>()
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|zoned| zoned.timestamp())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_an_export_in_order_with_the_rest_counted() {
        let text = "{\"msg\":\"handoverToCXone: Interaction channel: voiceGateway2\"}\n\
                    {\"msg\":\"handoverToCXone: got transcript\"}\n\
                    {\"msg\":\"Flow executed\"}\n\
                    {\"msg\":\"handoverToCXone: isVoice: true\"}\n";
        let mut kinds = Vec::new();
        let read = events(text.as_bytes(), Format::JsonLines, |logged| {
            kinds.push((logged.entry.line, logged.event.kind()));
        });
        assert_eq!(kinds, [(1, "channel"), (4, "is-voice")]);
        assert_eq!((read.entries, read.other), (4, 2));
    }

    #[test]
    fn both_timestamp_forms_are_instants() {
        let rfc = instant("2026-11-24T10:00:01.500Z").unwrap();
        let plain = instant("2026-11-24 10:00:01").unwrap();
        assert_eq!(rfc.as_millisecond() - plain.as_millisecond(), 500);
        assert_eq!(instant("yesterday"), None);
    }
}
