//! JSON and JSON Lines: every JSON shape the tool writes lives here (docs/output.md documents
//! them; fields are added, never renamed or removed).

use std::io::Write;
use std::sync::Arc;

use cxone_client::{Agents, Queue, QueueActivity};
use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Checked, Delivery, Demo, Diagnosis, End, Located, Options, RecordReport, Reporter, RuleDocs,
    Step, Summary, WatchEvent,
};

/// Encodes records as the JSON formats write them; the batch workers hold one, so that encoding
/// runs in parallel and the reporter only copies bytes.
pub struct Encoder {
    docs: Arc<RuleDocs>,
}

impl Encoder {
    pub fn new(docs: Arc<RuleDocs>) -> Self {
        Self { docs }
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

    pub fn record(&self, record: &RecordReport, out: &mut Vec<u8>) {
        let json = RecordJson {
            source: &record.source,
            contract: record.contract,
            line: record.line,
            index: record.index,
            valid: record.valid(),
            findings: self.findings(record.findings.iter()),
            timeline: record.timeline.as_deref().map(|t| TimelineJson {
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
            }),
        };
        serde_json::to_writer(out, &json).expect("serialising to memory cannot fail");
    }

    fn findings<'a>(&'a self, findings: impl Iterator<Item = &'a Located>) -> Vec<FindingJson<'a>> {
        findings.map(|l| self.finding(l, true)).collect()
    }

    /// `in_file`: the finding is about a record, so it has a pointer (perhaps empty, the root),
    /// even where it has no line.
    fn finding<'a>(&'a self, located: &'a Located, in_file: bool) -> FindingJson<'a> {
        let f = &located.finding;
        let region = located.region;
        FindingJson {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity.as_str(),
            pointer: in_file.then_some(f.pointer.as_str()),
            line: region.map(|r| r.line),
            column: region.map(|r| r.column),
            end_line: region.map(|r| r.end_line),
            end_column: region.map(|r| r.end_column),
            message: &f.message,
            hint: &f.hint,
            fix: f.fix.as_ref().map(|fix| FixJson {
                description: &fix.description,
                replacement: &fix.replacement,
            }),
            docs: self.docs.url(f.rule),
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

/// A diagnosis step, its keys in the order docs/output.md lists them.
#[derive(Serialize)]
struct StepJson<'a> {
    id: &'static str,
    status: &'static str,
    duration_ms: u64,
    detail: &'a str,
    findings: Vec<FindingJson<'a>>,
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
    finding: FindingJson<'a>,
}

#[derive(Serialize)]
struct RecordJson<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contract: Option<&'static str>,
    line: u64,
    index: u64,
    valid: bool,
    findings: Vec<FindingJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<TimelineJson<'a>>,
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

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u64>,
    message: &'a str,
    hint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixJson<'a>>,
    /// The rule's documentation.
    docs: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct FixJson<'a> {
    description: &'a str,
    /// The JSON text that replaces the value (or key) the finding points at.
    replacement: &'a str,
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

    fn records(&mut self, checked: Checked) -> std::io::Result<()> {
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

    fn records(&mut self, checked: Checked) -> std::io::Result<()> {
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
