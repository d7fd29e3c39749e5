//! JSON and JSON Lines: every JSON shape the tool writes lives here (docs/output.md documents
//! them; fields are added, never renamed or removed).

use std::io::Write;
use std::sync::Arc;

use cxone_client::{Agents, Queue, QueueActivity};
use handover_core::{Finding, Rule};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::{
    Checked, CheckedRecord, Delivery, Demo, Diagnosis, End, Located, Options, Placer, RecordReport,
    Region, Reporter, RuleDocs, Step, Summary, WatchEvent,
};

/// Encodes records as the JSON formats write them; the batch workers hold one, so that encoding
/// runs in parallel and the reporter only copies bytes.
///
/// Records and findings are written byte by byte rather than through serde: a batch writes a
/// finding for every third record, and most of a finding is its rule's fixed text (code, name,
/// hint, docs), escaped here once per rule instead of once per finding.
pub struct Encoder {
    docs: Arc<RuleDocs>,
    /// By the number in the rule's code (`HD304`: 304), which every code of the catalog has;
    /// a finding looks its rule up here, so it costs no hashing.
    rules: Vec<Option<RuleJson>>,
}

/// The number in a code of the catalog's form, `HD` and three digits.
fn code_number(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [b'H', b'D', digits @ ..] if digits.len() == 3 && digits.iter().all(u8::is_ascii_digit) => {
            Some(digits.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
        }
        _ => None,
    }
}

/// A rule's fixed parts of a finding, as JSON text.
struct RuleJson {
    rule: &'static Rule,
    /// `{"code":"HD304","name":"phone-not-e164","severity":`
    head: Vec<u8>,
    /// The rule's own hint as a JSON string.
    hint: Vec<u8>,
    /// `,"docs":"..."}`: the finding's end.
    docs: Vec<u8>,
}

impl Encoder {
    pub fn new(docs: Arc<RuleDocs>) -> Self {
        let mut rules: Vec<Option<RuleJson>> = std::iter::repeat_with(|| None).take(1000).collect();
        for rule in crate::rules::all() {
            let Some(number) = code_number(rule.code) else {
                continue;
            };
            let (mut head, mut hint, mut end) = (Vec::new(), Vec::new(), Vec::new());
            rule_head(&mut head, rule);
            string(&mut hint, rule.hint);
            docs_end(&mut end, &docs.url(rule));
            rules[number] = Some(RuleJson {
                rule,
                head,
                hint,
                docs: end,
            });
        }
        Self { docs, rules }
    }

    /// A watch event as one JSON object: what `--format jsonl`, `--events FILE` and the webhook
    /// all carry.
    pub fn watch_event(&self, event: &WatchEvent, out: &mut Vec<u8>) {
        let json = WatchEventJson {
            event: event.change,
            at: &event.at,
            round: event.round,
            subject: &event.subject,
            check: event.check,
            skill_id: event.skill_id.as_deref(),
            skill_name: event.skill_name.as_deref(),
            finding: self.finding(&event.finding, false),
        };
        serde_json::to_writer(out, &json).expect("serialising to memory cannot fail");
    }

    /// `{"source", "contract", "line", "index", "valid", "findings", "timeline"}`, in the order
    /// docs/output.md lists them; `contract` and `timeline` only when there is one.
    pub fn record(&self, record: &RecordReport, out: &mut Vec<u8>) {
        let at = CheckedRecord {
            source: &record.source,
            contract: record.contract,
            line: record.line,
            index: record.index,
            text: "",
            ascii: true,
        };
        record_head(&at, record.valid(), out);
        for (i, located) in record.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_finding(&located.finding, located.region, true, out);
        }
        out.push(b']');
        if let Some(t) = record.timeline.as_deref() {
            out.extend_from_slice(b",\"timeline\":");
            let timeline = TimelineJson {
                session: t.session.as_deref(),
                trace: t.trace.as_deref(),
                events: t
                    .events
                    .iter()
                    .map(|e| TimelineEventJson {
                        timestamp: e.timestamp.as_deref(),
                        source: &e.source,
                        line: e.line,
                        node: e.node,
                        event: e.event,
                        text: &e.text,
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &timeline).expect("serialising to memory cannot fail");
        }
        out.push(b'}');
    }

    /// A record as the checks left it, its findings placed as they are written: what a batch
    /// writes for most records, without making a [`RecordReport`] of them first.
    pub fn checked(
        &self,
        record: &CheckedRecord<'_>,
        findings: &[Finding],
        head: &mut SharedHead,
        out: &mut Vec<u8>,
    ) {
        let same = head
            .source
            .as_ref()
            .is_some_and(|source| Arc::ptr_eq(source, record.source))
            && head.contract == record.contract;
        if !same {
            head.source = Some(record.source.clone());
            head.contract = record.contract;
            head.json.clear();
            source_and_contract(record, &mut head.json);
        }
        out.extend_from_slice(&head.json);
        record_place(record, super::valid(findings.iter()), out);
        let mut placer = Placer::of(record);
        for (i, finding) in findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let region = placer.region(finding.span);
            self.write_finding(finding, Some(region), true, out);
        }
        out.extend_from_slice(b"]}");
    }

    /// A finding inside a shape serde writes (a watch event, a diagnosis step).
    fn finding(&self, located: &Located, in_file: bool) -> Box<RawValue> {
        let mut out = Vec::with_capacity(512);
        self.write_finding(&located.finding, located.region, in_file, &mut out);
        let text = String::from_utf8(out).expect("JSON text made of strings is UTF-8");
        RawValue::from_string(text).expect("a finding is one JSON object")
    }

    /// The one place a finding's JSON shape is written: `{"code", "name", "severity", "pointer",
    /// "line", "column", "end_line", "end_column", "message", "hint", "fix", "docs"}`, in the
    /// order docs/output.md lists them. `in_file`: the finding is about a record, so it has a
    /// pointer (perhaps empty, the root), even where it has no line.
    fn write_finding(&self, f: &Finding, region: Option<Region>, in_file: bool, out: &mut Vec<u8>) {
        // Keyed by code; comparing the rule itself keeps another catalog's rule apart.
        let fixed = code_number(f.rule.code)
            .and_then(|number| self.rules[number].as_ref())
            .filter(|fixed| std::ptr::eq(fixed.rule, f.rule));
        match fixed {
            Some(fixed) => out.extend_from_slice(&fixed.head),
            None => rule_head(out, f.rule),
        }
        // A severity's name is a plain word: nothing in it to escape.
        out.push(b'"');
        out.extend_from_slice(f.severity.as_str().as_bytes());
        out.push(b'"');
        if in_file {
            out.extend_from_slice(b",\"pointer\":");
            string(out, &f.pointer);
        }
        if let Some(region) = region {
            out.extend_from_slice(b",\"line\":");
            number(out, region.line);
            out.extend_from_slice(b",\"column\":");
            number(out, region.column);
            out.extend_from_slice(b",\"end_line\":");
            number(out, region.end_line);
            out.extend_from_slice(b",\"end_column\":");
            number(out, region.end_column);
        }
        out.extend_from_slice(b",\"message\":");
        string(out, &f.message);
        out.extend_from_slice(b",\"hint\":");
        match fixed {
            // The rule's own hint, not a copy: compared by address, which a copy with the same
            // text fails only to be escaped again to the same bytes.
            Some(fixed) if std::ptr::eq(f.hint.as_ref(), fixed.rule.hint) => {
                out.extend_from_slice(&fixed.hint)
            }
            _ => string(out, &f.hint),
        }
        if let Some(fix) = &f.fix {
            // `replacement`: the JSON text that replaces the value (or key) the finding points at.
            out.extend_from_slice(b",\"fix\":{\"description\":");
            string(out, &fix.description);
            out.extend_from_slice(b",\"replacement\":");
            string(out, &fix.replacement);
            out.push(b'}');
        }
        match fixed {
            Some(fixed) => out.extend_from_slice(&fixed.docs),
            None => docs_end(out, &self.docs.url(f.rule)),
        }
    }

    /// A diagnosis step: the payload's findings placed in it, then the step's own.
    fn step<'a>(&'a self, step: &'a Step) -> StepJson<'a> {
        StepJson {
            id: step.id.as_str(),
            status: step.status.as_str(),
            duration_ms: step.duration.as_millis() as u64,
            detail: &step.detail,
            findings: step
                .record
                .iter()
                .flat_map(|r| &r.findings)
                .map(|l| self.finding(l, true))
                .chain(step.findings.iter().map(|l| self.finding(l, false)))
                .collect(),
            request: step.request.as_ref().map(|r| {
                json!({
                    "method": r.method,
                    "url": r.url,
                    "headers": r.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                    "body": r.body,
                })
            }),
            contact_id: step.contact_id.as_deref(),
            polls: step.polls,
            missing: step.missing.as_deref(),
            queue: step.queue.as_ref().map(queue_json),
            agents: step.agents.as_ref().map(agents_json),
        }
    }
}

/// A finding's start, from its rule: `{"code":...,"name":...,"severity":`.
fn rule_head(out: &mut Vec<u8>, rule: &Rule) {
    out.extend_from_slice(b"{\"code\":");
    string(out, rule.code);
    out.extend_from_slice(b",\"name\":");
    string(out, rule.name);
    out.extend_from_slice(b",\"severity\":");
}

/// A finding's end: `,"docs":...}`.
fn docs_end(out: &mut Vec<u8>, url: &str) {
    out.extend_from_slice(b",\"docs\":");
    string(out, url);
    out.push(b'}');
}

/// A record's keys up to its findings: `{"source", "contract", "line", "index", "valid",
/// "findings":[`.
fn record_head(record: &CheckedRecord<'_>, valid: bool, out: &mut Vec<u8>) {
    source_and_contract(record, out);
    record_place(record, valid, out);
}

/// `{"source":...` and `,"contract":...` when there is one.
fn source_and_contract(record: &CheckedRecord<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"source\":");
    string(out, record.source);
    if let Some(contract) = record.contract {
        out.extend_from_slice(b",\"contract\":");
        string(out, contract);
    }
}

/// `,"line":...,"index":...,"valid":...,"findings":[`.
fn record_place(record: &CheckedRecord<'_>, valid: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"line\":");
    number(out, record.line);
    out.extend_from_slice(b",\"index\":");
    number(out, record.index);
    out.extend_from_slice(if valid {
        b",\"valid\":true,\"findings\":["
    } else {
        b",\"valid\":false,\"findings\":["
    });
}

/// The start of the last record a batch worker encoded, its source and contract: the records
/// of one unit nearly all share it, so it is escaped once for them.
#[derive(Default)]
pub struct SharedHead {
    source: Option<Arc<str>>,
    contract: Option<&'static str>,
    json: Vec<u8>,
}

/// A diagnosis step, its keys in the order docs/output.md lists them.
#[derive(Serialize)]
struct StepJson<'a> {
    id: &'static str,
    status: &'static str,
    duration_ms: u64,
    detail: &'a str,
    findings: Vec<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    polls: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agents: Option<Value>,
}

/// A diagnosis: JSON wraps its steps in it; JSON Lines ends with it, without them.
#[derive(Serialize)]
struct DiagnosisJson<'a> {
    verdict: &'static str,
    api: &'static str,
    duration_ms: u64,
    requests: u32,
    dry_run: bool,
    missing: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    demo: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<StepJson<'a>>>,
}

/// `watch`: a finding raised or cleared, its keys in the order docs/output.md lists them.
#[derive(Serialize)]
struct WatchEventJson<'a> {
    event: &'static str,
    at: &'a str,
    round: u64,
    subject: &'a str,
    check: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    skill_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skill_name: Option<&'a str>,
    finding: Box<RawValue>,
}

/// `logs`: a handover's events, as the bot's logs show them.
#[derive(Serialize)]
struct TimelineJson<'a> {
    session: Option<&'a str>,
    trace: Option<&'a str>,
    events: Vec<TimelineEventJson<'a>>,
}

#[derive(Serialize)]
struct TimelineEventJson<'a> {
    timestamp: Option<&'a str>,
    source: &'a str,
    line: Option<u64>,
    node: &'static str,
    event: &'static str,
    text: &'a str,
}

/// `text` as a JSON string, escaped byte for byte as serde_json escapes it: `\"`, `\\`, `\n`,
/// `\r`, `\t`, `\b`, `\f`, and `\u00xx` for the other control bytes; `/` and non-ASCII as they
/// are. Written here rather than through serde because every finding has several strings, most
/// with nothing to escape, which then cost one scan and one copy.
fn string(out: &mut Vec<u8>, text: &str) {
    let mut rest = text.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    loop {
        let clean = handover_core::json::scan_string::<false>(rest, 0);
        out.extend_from_slice(&rest[..clean]);
        let Some(&byte) = rest.get(clean) else {
            break;
        };
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
            }
        }
        rest = &rest[clean + 1..];
    }
    out.push(b'"');
}

/// `n` in decimal, two digits at a time, written from the end of as many digits as it has. The
/// digits go out as one fixed-size copy cut back to their number: a copy of a length known only
/// at run time is a call into `memcpy`, which cost more than making the digits of a line or
/// column number.
fn number(out: &mut Vec<u8>, mut n: u64) {
    const PAIRS: [[u8; 2]; 100] = {
        let mut pairs = [[0u8; 2]; 100];
        let mut i = 0;
        while i < 100 {
            pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        pairs
    };
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    // Lines, columns and indexes have a few digits; `ilog10` takes longer to say so.
    let len = match n {
        ..=99 => 2,
        100..=999 => 3,
        1_000..=9_999 => 4,
        10_000..=99_999 => 5,
        _ => n.ilog10() as usize + 1,
    };
    let mut digits = [0u8; 20];
    let mut at = len;
    while n >= 100 {
        at -= 2;
        digits[at..at + 2].copy_from_slice(&PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        digits[..2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        digits[0] = b'0' + n as u8;
    }
    let end = out.len() + len;
    out.extend_from_slice(&digits);
    out.truncate(end);
}

fn queue_json(q: &Queue) -> Value {
    json!({
        "id": q.id, "name": q.name, "active": q.active, "state": q.state,
        "media": q.media.map(|m| m.name()),
        "activity": q.activity.as_ref().map(activity_json),
    })
}

fn agents_json(a: &Agents) -> Value {
    json!({
        "assigned": a.assigned, "available": a.available, "logged_in": a.logged_in(),
        "unavailable": a.unavailable, "working": a.working, "logged_out": a.logged_out,
        "available_names": a.available_names,
        "inactive_assignments": a.inactive_assignments,
        "inactive_but_available": a.inactive_but_available,
    })
}

/// One skill's activity as the platform counts it; `queue --all` and the queue step share it.
fn activity_json(q: &QueueActivity) -> Value {
    json!({
        "id": q.id, "name": q.name, "active": q.active,
        "media": q.media.map(|m| m.name()),
        "available": q.available, "logged_in": q.logged_in, "working": q.working,
        "unavailable": q.unavailable, "queued": q.queued,
    })
}

/// A diagnosis, with its steps when `encoder` is given.
fn diagnosis_json<'a>(
    diagnosis: &'a Diagnosis,
    demo: Option<&Demo<'_>>,
    encoder: Option<&'a Encoder>,
) -> DiagnosisJson<'a> {
    DiagnosisJson {
        verdict: diagnosis.verdict().as_str(),
        api: diagnosis.api.as_str(),
        duration_ms: diagnosis.duration.as_millis() as u64,
        requests: diagnosis.stats.requests,
        dry_run: diagnosis.dry_run,
        missing: diagnosis.missing(),
        demo: demo.map(|demo| {
            json!({"scenario": demo.scenario, "url": demo.url, "requests_served": demo.requests_served})
        }),
        steps: encoder.map(|encoder| diagnosis.steps.iter().map(|s| encoder.step(s)).collect()),
    }
}

/// `fix`'s end: the findings left are the records; this says what was done.
fn fixed_json(summary: &Summary, applied: usize) -> Value {
    json!({ "summary": summary, "applied": applied })
}

/// `queue --all`: every skill's activity, and the page cap when the list was cut there.
pub fn sweep(
    out: &mut impl Write,
    queues: &[QueueActivity],
    truncated: Option<&Located>,
) -> std::io::Result<()> {
    let list: Vec<Value> = queues.iter().map(activity_json).collect();
    let mut value = json!({ "queues": list });
    if let Some(cut) = truncated {
        value["truncated"] = json!({
            "code": cut.finding.rule.code,
            "message": cut.finding.message,
        });
    }
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}

/// `validate` and `fix`: `{"records": [...], "summary": {...}}`, the records first so that the
/// document streams and a run over millions of records never holds them. A diagnosis is one
/// document: `{"verdict": ..., "steps": [...]}`.
pub struct Json<W: Write> {
    out: W,
    encoder: Arc<Encoder>,
    /// Whether the records array is open, and whether it holds a record yet.
    open: bool,
    any: bool,
}

impl<W: Write> Json<W> {
    pub fn new(out: W, options: Options) -> std::io::Result<Self> {
        Ok(Self {
            out,
            encoder: Arc::new(Encoder::new(options.docs)),
            open: false,
            any: false,
        })
    }

    fn open(&mut self) -> std::io::Result<()> {
        if !self.open {
            self.out.write_all(b"{\"records\":[")?;
            self.open = true;
        }
        Ok(())
    }

    fn close_records(&mut self, tail: &Value) -> std::io::Result<()> {
        self.open()?;
        self.out.write_all(if self.any { b"\n]," } else { b"]," })?;
        // The tail's keys follow the records in the same object.
        let tail = serde_json::to_string(tail)?;
        self.out.write_all(&tail.as_bytes()[1..])?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write + Send> Reporter for Json<W> {
    fn delivery(&self) -> Delivery {
        Delivery::Json {
            encoder: self.encoder.clone(),
            separator: b",\n",
        }
    }

    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        self.open()?;
        if !checked.json.is_empty() {
            self.out.write_all(if self.any { b",\n" } else { b"\n" })?;
            self.out.write_all(&checked.json)?;
            self.any = true;
        }
        Ok(())
    }

    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        match end {
            End::Batch { summary, .. } => self.close_records(&json!({ "summary": summary }))?,
            End::Fixed { summary, applied } => {
                self.close_records(&fixed_json(summary, *applied))?
            }
            End::Diagnosis { diagnosis, demo } => {
                let value = diagnosis_json(diagnosis, *demo, Some(&self.encoder));
                serde_json::to_writer(&mut self.out, &value)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.out.flush()
    }
}

/// One object per line as it is ready (a record, or a diagnosis step), then one line that ends
/// the run: `{"summary": {...}}`, or `{"diagnosis": {...}}`.
pub struct Jsonl<W: Write> {
    out: W,
    encoder: Arc<Encoder>,
}

impl<W: Write> Jsonl<W> {
    pub fn new(out: W, options: Options) -> Self {
        Self {
            out,
            encoder: Arc::new(Encoder::new(options.docs)),
        }
    }
}

impl<W: Write + Send> Reporter for Jsonl<W> {
    fn delivery(&self) -> Delivery {
        Delivery::Json {
            encoder: self.encoder.clone(),
            separator: b"\n",
        }
    }

    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        if !checked.json.is_empty() {
            self.out.write_all(&checked.json)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, &self.encoder.step(step))?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }

    fn watch(&mut self, event: &WatchEvent) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(512);
        self.encoder.watch_event(event, &mut line);
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.out.flush()
    }

    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        match end {
            End::Batch { summary, .. } => {
                serde_json::to_writer(&mut self.out, &json!({ "summary": summary }))?
            }
            End::Fixed { summary, applied } => {
                serde_json::to_writer(&mut self.out, &fixed_json(summary, *applied))?
            }
            End::Diagnosis { diagnosis, demo } => {
                #[derive(Serialize)]
                struct Last<'a> {
                    diagnosis: DiagnosisJson<'a>,
                }
                let last = Last {
                    diagnosis: diagnosis_json(diagnosis, *demo, None),
                };
                serde_json::to_writer(&mut self.out, &last)?
            }
        }
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_core::{Fix, Span, rules};
    use proptest::prelude::*;

    #[test]
    fn every_rule_of_the_catalog_has_its_fixed_text_found_by_its_code_number() {
        assert_eq!(code_number("HD304"), Some(304));
        assert_eq!(code_number("HD007"), Some(7));
        for other in ["HD30", "HD3041", "hd304", "XX304", "HD3a4", ""] {
            assert_eq!(code_number(other), None, "{other}");
        }
        let encoder = Encoder::new(Arc::new(RuleDocs::new("https://docs.example/rules.md")));
        for rule in crate::rules::all() {
            let number = code_number(rule.code).expect(rule.code);
            let fixed = encoder.rules[number].as_ref().expect(rule.code);
            assert!(
                std::ptr::eq(fixed.rule, rule),
                "{} shares its number",
                rule.code
            );
        }
    }

    proptest! {
        /// Byte for byte serde_json's: strings of the bytes that need escaping among ones that do
        /// not (`/`, DEL, non-ASCII), long enough that the eight-byte scan meets them everywhere.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(
            text in "[\\x00-\\x1f\"\\\\/a-z\\x7fé€😀]{0,40}|\\PC{0,40}",
        ) {
            let mut out = Vec::new();
            string(&mut out, &text);
            prop_assert_eq!(out, serde_json::to_vec(&text).unwrap());
        }

        #[test]
        fn numbers_are_written_as_serde_json_writes_them(n in any::<u64>()) {
            let mut out = Vec::new();
            number(&mut out, n);
            prop_assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }

    #[test]
    fn every_control_byte_is_escaped_as_serde_json_escapes_it() {
        for byte in 0..=0x7f_u8 {
            for at in 0..17 {
                let text = format!("{}{}{}", "a".repeat(at), byte as char, "b".repeat(9));
                let mut out = Vec::new();
                string(&mut out, &text);
                assert_eq!(out, serde_json::to_vec(&text).unwrap(), "{byte:#x} at {at}");
            }
        }
    }

    /// Every number of one to five digits, and either side of every power of ten, after text
    /// already written.
    #[test]
    fn numbers_of_every_length_are_written_as_serde_json_writes_them() {
        let powers = (0..20).map(|p| 10_u64.pow(p));
        let edges = powers.flat_map(|p| [p - 1, p, p + 1]);
        for n in (0..100_000).chain(edges).chain([u64::MAX]) {
            let mut out = b"x".to_vec();
            number(&mut out, n);
            assert_eq!(out[1..], serde_json::to_vec(&n).unwrap(), "{n}");
        }
    }

    /// The record as docs/output.md shows it: keys in its order, strings escaped as serde_json
    /// escapes them, a finding's own hint as well as its rule's, a fix, and no contract when there
    /// is none.
    #[test]
    fn writes_a_record_as_docs_output_md_shows_it() {
        let encoder = Encoder::new(Arc::new(RuleDocs::new("https://docs.example/rules.md")));
        let text = "{\"transferContext\": {\"queueId\": \"é\\n\"}}";
        let mut own = Finding::new(
            &rules::INVALID_QUEUE_ID,
            Span::new(32, 38),
            "/transferContext/queueId",
            "`queueId` \"é\\n\" is\tnot a UUID",
        );
        own.hint = "a hint of its own: \"quoted\" \u{1}".into();
        own.fix = Some(Fix {
            description: "replace with \"x\"".into(),
            span: Span::new(32, 38),
            replacement: "\"x\"".into(),
        });
        let plain = Finding::new(
            &rules::MISSING_PARTICIPANT,
            Span::new(1, 18),
            "/transferContext",
            "`participant` is missing",
        );
        let source: Arc<str> = "dir/a \"b\".jsonl".into();
        let findings = vec![own, plain];
        let record = RecordReport::new(
            source.clone(),
            Some("transfer-context"),
            3,
            2,
            text,
            findings.clone(),
            false,
        );
        let mut out = Vec::new();
        encoder.record(&record, &mut out);
        // What a batch writes straight from the checks is the same record.
        let mut checked = Vec::new();
        let at = CheckedRecord {
            source: &source,
            contract: Some("transfer-context"),
            line: 3,
            index: 2,
            text,
            ascii: text.is_ascii(),
        };
        let mut head = SharedHead::default();
        encoder.checked(&at, &findings, &mut head, &mut checked);
        assert_eq!(checked, out);
        // The next record of the source shares the head; one of another source does not.
        let mut again = Vec::new();
        encoder.checked(&at, &findings, &mut head, &mut again);
        assert_eq!(again, out);
        let other: Arc<str> = "other".into();
        let mut elsewhere = Vec::new();
        let at = CheckedRecord {
            source: &other,
            contract: None,
            ..at
        };
        encoder.checked(&at, &findings, &mut head, &mut elsewhere);
        let elsewhere = String::from_utf8(elsewhere).unwrap();
        assert!(
            elsewhere.starts_with(r#"{"source":"other","line":3,"#),
            "{elsewhere}"
        );
        let expected = concat!(
            r##"{"source":"dir/a \"b\".jsonl","contract":"transfer-context","line":3,"index":2,"valid":false,"findings":["##,
            r##"{"code":"HD202","name":"invalid-queue-id","severity":"error","pointer":"/transferContext/queueId","##,
            r##""line":3,"column":33,"end_line":3,"end_column":38,"message":"`queueId` \"é\\n\" is\tnot a UUID","##,
            r##""hint":"a hint of its own: \"quoted\" \u0001","fix":{"description":"replace with \"x\"","replacement":"\"x\""},"##,
            r##""docs":"https://docs.example/rules.md#hd202-invalid-queue-id"},"##,
            r##"{"code":"HD301","name":"missing-participant","severity":"error","pointer":"/transferContext","##,
            r##""line":3,"column":2,"end_line":3,"end_column":19,"message":"`participant` is missing","##,
            r##""hint":"Add `transferContext.participant` with the caller's `name` and `phoneNumber`.","##,
            r##""docs":"https://docs.example/rules.md#hd301-missing-participant"}]}"##,
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);

        let unread = RecordReport::new("-".into(), None, 1, 0, "", Vec::new(), false);
        let mut out = Vec::new();
        encoder.record(&unread, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"source":"-","line":1,"index":0,"valid":true,"findings":[]}"#
        );
    }
}
