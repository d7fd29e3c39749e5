//! What commands report, as plain data: checked records, diagnosis steps, and how a run ended.
//! Reporters read these and nothing else: never a client, a mock or a flag.

use std::time::Duration;

use cxone_client::{Agents, CallStats, Profile, Queue, RequestPreview};
use handover_core::{Finding, Severity};

use super::{CheckedRecord, Located, RecordReport, Summary};

/// What checking one unit of a batch produced, in input order.
#[derive(Default)]
pub struct Checked {
    pub summary: Summary,
    pub reports: Vec<RecordReport>,
    /// The records already encoded, when the reporter asked for JSON ([`Delivery::Json`]).
    pub json: Vec<u8>,
    head: super::json::SharedHead,
}

impl Checked {
    /// Adds a record with findings as `delivery` asks: encoded, or as the report itself.
    pub fn deliver(&mut self, delivery: &Delivery, report: RecordReport) {
        match delivery {
            Delivery::Json { encoder, separator } => {
                encoder.record(&report, next_json(&mut self.json, separator))
            }
            Delivery::Reports { .. } => self.reports.push(report),
        }
    }

    /// Adds a record with `findings` as `delivery` asks. Encoding takes nothing from `findings`,
    /// so that a batch worker keeps reusing them; a report takes them.
    pub fn deliver_checked(
        &mut self,
        delivery: &Delivery,
        record: CheckedRecord<'_>,
        findings: &mut Vec<Finding>,
    ) {
        match delivery {
            Delivery::Json { encoder, separator } => {
                let out = next_json(&mut self.json, separator);
                encoder.checked(&record, findings, &mut self.head, out)
            }
            Delivery::Reports { keep_text } => self.reports.push(RecordReport::new(
                record.source.clone(),
                record.contract,
                record.line,
                record.index,
                record.text,
                std::mem::take(findings),
                *keep_text,
            )),
        }
    }
}

/// Where the next encoded record goes: after the last one and a separator.
fn next_json<'j>(json: &'j mut Vec<u8>, separator: &[u8]) -> &'j mut Vec<u8> {
    if !json.is_empty() {
        json.extend_from_slice(separator);
    }
    json
}

/// How batch workers hand records over to the reporter.
#[derive(Clone)]
pub enum Delivery {
    /// Encoded by the JSON reporter's encoder, one after another, separated by `separator`: the
    /// workers do the encoding, so that the reporter only copies bytes.
    Json {
        encoder: std::sync::Arc<super::json::Encoder>,
        separator: &'static [u8],
    },
    /// Record reports, with the record text kept for snippets when `keep_text`.
    Reports { keep_text: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepId {
    Payload,
    Auth,
    Queue,
    Agents,
    /// The Studio script a test contact spawns, linted (cxone, with `script_path`).
    Script,
    Simulate,
}

impl StepId {
    /// Every step, in the handover's order: what `diagnose` runs, and a watch's rehearsal.
    pub const ALL: [StepId; 6] = [
        StepId::Payload,
        StepId::Auth,
        StepId::Queue,
        StepId::Agents,
        StepId::Script,
        StepId::Simulate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepId::Payload => "payload",
            StepId::Auth => "auth",
            StepId::Queue => "queue",
            StepId::Agents => "agents",
            StepId::Script => "script",
            StepId::Simulate => "simulate",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Skip,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }

    /// The status the worst finding calls for.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Located>) -> Status {
        findings
            .into_iter()
            .map(|l| match l.finding.severity {
                Severity::Error => Status::Fail,
                Severity::Warning => Status::Warn,
                Severity::Info => Status::Pass,
            })
            .max()
            .unwrap_or(Status::Pass)
    }
}

/// One step of a diagnosis, finished.
#[derive(Clone)]
pub struct Step {
    pub id: StepId,
    pub status: Status,
    pub duration: Duration,
    /// One line on what the step found, or why it was skipped.
    pub detail: String,
    /// payload: the checked payload, its findings placed in it as `validate` places them.
    pub record: Option<RecordReport>,
    /// What the step found about the tenant, its calls or the run; these have no place in a file.
    pub findings: Vec<Located>,
    /// simulate: the request sent, or that would be sent.
    pub request: Option<RequestPreview>,
    pub contact_id: Option<String>,
    /// simulate with --follow: how often the contact's state history was read.
    pub polls: Option<u32>,
    /// A skipped step whose input was not given: what is missing. The diagnosis is then incomplete.
    pub missing: Option<String>,
    /// queue: the queue as the API describes it, with the platform's counts.
    pub queue: Option<Queue>,
    /// agents: the counts from the assignments and the agents' states.
    pub agents: Option<Agents>,
}

impl Step {
    /// Every finding of the step: the payload's first, then the step's own.
    pub fn all_findings(&self) -> impl Iterator<Item = &Located> {
        self.record
            .iter()
            .flat_map(|r| &r.findings)
            .chain(&self.findings)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Warn,
    /// Nothing failed, but a step did not run for want of an input: not a pass.
    Incomplete,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Incomplete => "incomplete",
            Verdict::Fail => "fail",
        }
    }
}

/// A finished diagnosis: its steps in the handover's order.
pub struct Diagnosis {
    pub api: Profile,
    pub steps: Vec<Step>,
    pub duration: Duration,
    pub stats: CallStats,
    /// The test contact or signal was only shown, not sent.
    pub dry_run: bool,
}

impl Diagnosis {
    pub fn verdict(&self) -> Verdict {
        match self.steps.iter().map(|s| s.status).max() {
            Some(Status::Fail) => Verdict::Fail,
            _ if !self.missing().is_empty() => Verdict::Incomplete,
            Some(Status::Warn) => Verdict::Warn,
            _ => Verdict::Pass,
        }
    }

    /// The inputs whose absence kept steps from running, each once.
    pub fn missing(&self) -> Vec<&str> {
        let mut missing: Vec<&str> = Vec::new();
        for what in self.steps.iter().filter_map(|s| s.missing.as_deref()) {
            if !missing.contains(&what) {
                missing.push(what);
            }
        }
        missing
    }
}

/// The mock tenant a `--demo` run played against, as the report shows it.
pub struct Demo<'a> {
    pub scenario: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    /// Requests the mock served, when the run is over.
    pub requests_served: u64,
}

/// How a run ended: what the reporter closes its output with.
pub enum End<'a> {
    /// `validate`: every source read.
    Batch {
        summary: &'a Summary,
        files: usize,
        /// Why nothing was checked, when no input matched at all: not a pass.
        nothing_to_check: Option<&'a str>,
    },
    /// `fix`: what no fix could remove, after `applied` fixes.
    Fixed {
        summary: &'a Summary,
        applied: usize,
    },
    /// `diagnose`, `auth`, `queue`, `simulate`.
    Diagnosis {
        diagnosis: &'a Diagnosis,
        demo: Option<&'a Demo<'a>>,
    },
}

/// `watch`: a finding raised or cleared between two rounds.
pub struct WatchEvent {
    /// `raised` or `cleared`.
    pub change: &'static str,
    /// When the round that saw the change finished (RFC 3339, UTC).
    pub at: String,
    /// The round's number, from 1.
    pub round: u64,
    /// What the finding is about: `tenant`, `skill/{id}` or `rehearsal`.
    pub subject: String,
    /// The check that raised it: `auth`, `skill_activity`, `agent_assignments`, `agent_states`,
    /// `rehearsal`.
    pub check: &'static str,
    pub skill_id: Option<String>,
    pub skill_name: Option<String>,
    /// The finding as the round that raised it (or, cleared, last saw it) phrased it.
    pub finding: Located,
}

/// How a run begins, for the reporters that say so before the first result.
pub enum Start<'a> {
    /// A diagnosis against a tenant (or the demo's mock).
    Diagnosis {
        api: Profile,
        demo: Option<&'a Demo<'a>>,
    },
}
