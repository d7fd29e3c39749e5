//! Cognigy log exports: the entries of a project's log (Test > Logs, or `GET
//! /new/v2.0/projects/{id}/logs`), as a JSON array, JSON Lines or CSV of `{_id, timestamp, msg,
//! meta, traceId, type}`.
//!
//! The field names are those of the Logs v2.0 API the issue tracker quotes; Cognigy's
//! Documentation repository (`docs/ai/test/logs.md`) describes the same entries as timestamp, log
//! type, message and metadata. Both spellings are read (`msg` or `message`, `type` or `level`,
//! `meta` or `metadata`), since no public schema fixes them.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::message::MARKERS;

/// How a file holds its entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON array of entries.
    Json,
    /// One entry per line.
    JsonLines,
    /// A header row, then one entry per record.
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// What `bytes` look like: a JSON array, JSON objects by line, or else CSV.
    pub fn detect(bytes: &[u8]) -> Format {
        match bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace() && **b != 0xEF)
        {
            Some(b'[') => Format::Json,
            Some(b'{') => Format::JsonLines,
            _ => Format::Csv,
        }
    }
}

/// One log entry that may hold a handover event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The line of the file the entry starts on, from 1.
    pub line: u64,
    /// Where the entry is in the bytes read: a finding about it is placed there.
    pub span: std::ops::Range<usize>,
    pub id: Option<String>,
    pub timestamp: Option<String>,
    /// `info`, `error`, `debug`, ...
    pub level: Option<String>,
    pub message: String,
    pub trace_id: Option<String>,
    /// The conversation's session, when the entry carries one (`sessionId`, at the top or in
    /// `meta`): Cognigy documents no session key for log entries, so it may be absent.
    pub session_id: Option<String>,
}

/// What reading a file found, besides its entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// Entries in the file.
    pub entries: u64,
    /// Entries whose message names none of the extension's nodes: not handover events.
    pub other: u64,
    /// Entries that could not be read, by line, with why.
    pub malformed: Vec<(u64, String)>,
}

#[derive(Deserialize)]
struct Raw<'a> {
    #[serde(default, rename = "_id")]
    id: Option<Text>,
    #[serde(default)]
    timestamp: Option<Text>,
    #[serde(default, alias = "level")]
    r#type: Option<Text>,
    #[serde(default, alias = "message")]
    msg: Option<Text>,
    #[serde(default, rename = "traceId")]
    trace_id: Option<Text>,
    #[serde(default, rename = "sessionId")]
    session_id: Option<Text>,
    #[serde(default, borrow, alias = "metadata")]
    meta: Option<&'a RawValue>,
}

/// A field that is text, or a number or anything else, read as its JSON text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Text(String),
    Other(serde_json::Value),
}

impl Text {
    fn into_string(self) -> String {
        match self {
            Text::Text(text) => text,
            Text::Other(value) => value.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct Meta {
    #[serde(default, rename = "sessionId")]
    session_id: Option<Text>,
}

impl Raw<'_> {
    fn entry(self, line: u64, span: std::ops::Range<usize>) -> Entry {
        let session_id = self.session_id.or_else(|| {
            self.meta
                .and_then(|meta| serde_json::from_str::<Meta>(meta.get()).ok())
                .and_then(|meta| meta.session_id)
        });
        Entry {
            line,
            span,
            id: self.id.map(Text::into_string),
            timestamp: self.timestamp.map(Text::into_string),
            level: self.r#type.map(Text::into_string),
            message: self.msg.map(Text::into_string).unwrap_or_default(),
            trace_id: self.trace_id.map(Text::into_string),
            session_id: session_id.map(Text::into_string),
        }
    }
}

/// Whether raw text may hold one of the extension's messages: cheap, before any parse.
fn may_hold_event(text: &[u8]) -> bool {
    MARKERS
        .iter()
        .any(|marker| memchr::memmem::find(text, marker.as_bytes()).is_some())
}

/// Reads the entries of one export and hands each that may hold a handover event to `each`;
/// the others are only counted. Never fails: an entry that cannot be read is counted in
/// [`Read::malformed`] with its line.
pub fn read(bytes: &[u8], format: Format, mut each: impl FnMut(Entry)) -> Read {
    let mut read = Read::default();
    match format {
        Format::JsonLines => json_lines(bytes, &mut read, &mut each),
        Format::Json => json_array(bytes, &mut read, &mut each),
        Format::Csv => csv(bytes, &mut read, &mut each),
    }
    read
}

fn json_lines(bytes: &[u8], read: &mut Read, each: &mut impl FnMut(Entry)) {
    let mut start = 0;
    for (index, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let span = start..start + line.len();
        start = span.end + 1;
        let number = index as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        read.entries += 1;
        if !may_hold_event(line) {
            read.other += 1;
            continue;
        }
        match serde_json::from_slice::<Raw<'_>>(line) {
            Ok(raw) => each(raw.entry(number, span)),
            Err(e) => read.malformed.push((number, e.to_string())),
        }
    }
}

fn json_array(bytes: &[u8], read: &mut Read, each: &mut impl FnMut(Entry)) {
    let raws: Vec<&RawValue> = match serde_json::from_slice(bytes) {
        Ok(raws) => raws,
        // The export as a whole is the one entry that could not be read.
        Err(e) => {
            read.entries += 1;
            read.malformed.push((e.line().max(1) as u64, e.to_string()));
            return;
        }
    };
    // Lines by offset: each raw entry borrows its text from `bytes`.
    let start = bytes.as_ptr() as usize;
    let mut line = 1;
    let mut counted_to = 0;
    for raw in raws {
        let offset = raw.get().as_ptr() as usize - start;
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..offset]).count() as u64;
        counted_to = offset;
        read.entries += 1;
        if !may_hold_event(raw.get().as_bytes()) {
            read.other += 1;
            continue;
        }
        match serde_json::from_str::<Raw<'_>>(raw.get()) {
            Ok(entry) => each(entry.entry(line, offset..offset + raw.get().len())),
            Err(e) => read.malformed.push((line, e.to_string())),
        }
    }
}

fn csv(bytes: &[u8], read: &mut Read, each: &mut impl FnMut(Entry)) {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            read.entries += 1;
            read.malformed.push((1, e.to_string()));
            return;
        }
    };
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let Some(message) = column(&["msg", "message"]) else {
        read.entries += 1;
        read.malformed.push((
            1,
            "the CSV header names no `msg` (or `message`) column".into(),
        ));
        return;
    };
    let id = column(&["_id", "id"]);
    let timestamp = column(&["timestamp"]);
    let level = column(&["type", "level"]);
    let trace_id = column(&["traceId"]);
    let session_id = column(&["sessionId"]);
    let meta = column(&["meta", "metadata"]);
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                read.entries += 1;
                let line = e.position().map_or(1, |p| p.line());
                read.malformed.push((line, e.to_string()));
                // A record the reader cannot get past ends the file: what follows is unknowable.
                if !matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) {
                    return;
                }
                continue;
            }
        }
        read.entries += 1;
        let text = record.get(message).unwrap_or_default();
        if !may_hold_event(text.as_bytes()) {
            read.other += 1;
            continue;
        }
        // A record's bytes run from its start to the next record's, its line end excluded.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = reader.position().byte() as usize;
        let end = bytes[start..end.min(bytes.len())]
            .iter()
            .rposition(|b| !matches!(b, b'\n' | b'\r'))
            .map_or(start, |last| start + last + 1);
        let get = |column: Option<usize>| {
            column
                .and_then(|c| record.get(c))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        each(Entry {
            line: record.position().map_or(1, |p| p.line()),
            span: start..end,
            id: get(id),
            timestamp: get(timestamp),
            level: get(level),
            message: text.to_string(),
            trace_id: get(trace_id),
            // The session where a column names it, else in the `meta` column's JSON.
            session_id: get(session_id).or_else(|| {
                get(meta)
                    .and_then(|meta| serde_json::from_str::<Meta>(&meta).ok())
                    .and_then(|meta| meta.session_id)
                    .map(Text::into_string)
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> (Vec<Entry>, Read) {
        let mut entries = Vec::new();
        let read = read(bytes, Format::detect(bytes), |e| entries.push(e));
        (entries, read)
    }

    const SIGNAL: &str =
        "handoverToCXone: sent signal to CXone for contactId: 42; action: Escalate; status: 202";

    #[test]
    fn json_lines_with_lines_counts_and_sessions() {
        let text = format!(
            "{{\"_id\":\"a\",\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"msg\":\"Flow executed\",\"type\":\"info\"}}\n\n\
             {{\"_id\":\"b\",\"timestamp\":\"2026-11-24T10:00:01.000Z\",\"msg\":\"{SIGNAL}\",\"type\":\"info\",\"traceId\":\"t1\",\"meta\":{{\"sessionId\":\"s1\"}}}}\n\
             {{\"msg\": \"handoverToCXone: broken\n"
        );
        let (entries, read) = all(text.as_bytes());
        assert_eq!(Format::detect(text.as_bytes()), Format::JsonLines);
        assert_eq!((read.entries, read.other), (3, 1));
        assert_eq!(read.malformed.len(), 1);
        assert_eq!(read.malformed[0].0, 4);
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.line, 3);
        assert!(text[entry.span.clone()].starts_with("{\"_id\":\"b\""));
        assert!(text[entry.span.clone()].ends_with("}}"));
        assert_eq!(entry.message, SIGNAL);
        assert_eq!(entry.session_id.as_deref(), Some("s1"));
        assert_eq!(entry.trace_id.as_deref(), Some("t1"));
        assert_eq!(entry.level.as_deref(), Some("info"));
    }

    #[test]
    fn a_json_array_gives_each_entry_its_line() {
        let text = format!(
            "[\n  {{\"msg\": \"other\"}},\n  {{\n    \"message\": \"{SIGNAL}\",\n    \"level\": \"info\",\n    \"sessionId\": 7\n  }}\n]"
        );
        let (entries, read) = all(text.as_bytes());
        assert_eq!((read.entries, read.other), (2, 1));
        assert_eq!(entries[0].line, 3);
        assert!(text[entries[0].span.clone()].starts_with("{\n    \"message\""));
        assert!(text[entries[0].span.clone()].ends_with("\n  }"));
        assert_eq!(entries[0].session_id.as_deref(), Some("7"));
        assert_eq!(entries[0].level.as_deref(), Some("info"));
    }

    #[test]
    fn csv_with_quoted_messages() {
        let text = format!(
            "_id,timestamp,msg,meta,traceId,type\n\
             a,2026-11-24 10:00:00,Flow executed,{{}},t0,info\n\
             b,2026-11-24 10:00:01,\"handoverToCXone: Done. Output data was sent to CXone Guide Chat channel: {{\"\"a\"\":1}}\",{{}},t1,info\n\
             c,2026-11-24 10:00:02,\"{SIGNAL}\",{{}},t1,info\n"
        );
        let (entries, read) = all(text.as_bytes());
        assert_eq!(Format::detect(text.as_bytes()), Format::Csv);
        assert_eq!((read.entries, read.other), (3, 1));
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].message,
            "handoverToCXone: Done. Output data was sent to CXone Guide Chat channel: {\"a\":1}"
        );
        assert_eq!(entries[1].line, 4);
        assert!(text[entries[1].span.clone()].starts_with("c,2026"));
        assert!(text[entries[1].span.clone()].ends_with(",t1,info"));
        assert_eq!(entries[1].timestamp.as_deref(), Some("2026-11-24 10:00:02"));
        assert_eq!(entries[1].session_id, None);
        let (entries, _) = all(format!(
            "msg,meta\n\"{SIGNAL}\",\"{{\"\"sessionId\"\":\"\"s9\"\"}}\"\n"
        )
        .as_bytes());
        assert_eq!(entries[0].session_id.as_deref(), Some("s9"));
    }

    #[test]
    fn a_csv_without_a_message_column_says_so() {
        let (entries, read) = all(b"a,b\n1,2\n");
        assert!(entries.is_empty());
        assert!(read.malformed[0].1.contains("`msg`"), "{read:?}");
    }

    #[test]
    fn a_broken_array_is_one_malformed_read_not_a_panic() {
        let (entries, read) = all(b"[{\"msg\": \"handoverToCXone: x\"}");
        assert!(entries.is_empty());
        assert_eq!(read.malformed.len(), 1);
    }
}
