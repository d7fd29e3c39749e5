//! Renders a diagnosis: human (steps as they finish, then findings and a verdict), JSON and JUnit.
//! The JSON shape is documented in docs/output.md.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use cxone_client::{Agents, Profile, Queue, QueueActivity, RequestPreview, Sweep};
use handover_core::Severity;
use serde_json::{Value, json};

use crate::cli::ReportFormat;
use crate::diagnose::{Location, Report, Status, Step, StepFinding, StepId, Verdict};

fn mark(status: Status) -> (Style, &'static str) {
    match status {
        Status::Pass => (AnsiColor::Green.on_default(), "✓"),
        Status::Warn => (AnsiColor::Yellow.on_default(), "!"),
        Status::Fail => (AnsiColor::Red.on_default().bold(), "✗"),
        Status::Skip => (Style::new().dimmed(), "-"),
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

pub fn heading(api: Profile, demo: Option<&Demo<'_>>) -> String {
    let api = api.as_str();
    match demo {
        Some(demo) => format!(
            "handover-doctor · {api} · demo: mock tenant at {} playing `{}` ({})",
            demo.url, demo.scenario, demo.description
        ),
        None => format!("handover-doctor · {api}"),
    }
}

pub fn step_line(step: &Step) -> String {
    let (style, mark) = mark(step.status);
    format!(
        "{style}{mark}{style:#} {:<9}{:>6} ms  {}",
        step.id.as_str(),
        step.duration.as_millis(),
        step.detail
    )
}

fn render_finding(f: &StepFinding) -> String {
    let (style, word) = match f.severity {
        Severity::Error => (AnsiColor::BrightRed.on_default().bold(), "error"),
        Severity::Warning => (AnsiColor::Yellow.on_default().bold(), "warning"),
        Severity::Info => (AnsiColor::BrightBlue.on_default().bold(), "info"),
    };
    let help = AnsiColor::BrightCyan.on_default().bold();
    let mut text = format!("{style}{word}[{}]{style:#}: {}", f.rule.code, f.message);
    match &f.location {
        Some(Location {
            source,
            line_column: Some((line, column)),
            ..
        }) => {
            text += &format!("\n  --> {source}:{line}:{column}");
        }
        Some(Location {
            source,
            pointer,
            line_column: None,
        }) => text += &format!("\n  --> {source}, at {pointer}"),
        None => {}
    }
    text += &format!("\n  {help}help{help:#}: {}", f.hint);
    if let Some(fix) = &f.fix {
        text += &format!("\n  {help}fix{help:#}: {fix}");
    }
    text
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

/// After the live step lines: the request of a simulate, the findings with their hints, the verdict.
pub fn human(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    if let Some(step) = report.steps.iter().find(|s| s.request.is_some()) {
        let request = step.request.as_ref().expect("checked");
        let label = if step.contact_id.is_some() {
            "request sent"
        } else {
            "request"
        };
        writeln!(out, "\n{label}:\n{}", request_text(request).trim_end())?;
    }
    let mut any = false;
    for finding in report.steps.iter().flat_map(|s| &s.findings) {
        if !any {
            writeln!(out)?;
            any = true;
        }
        writeln!(out, "{}\n", render_finding(finding))?;
    }
    if !any {
        writeln!(out)?;
    }
    writeln!(out, "{}", verdict_line(report))?;
    out.flush()
}

fn verdict_line(report: &Report) -> String {
    let mut codes: Vec<String> = Vec::new();
    for f in report.steps.iter().flat_map(|s| &s.findings) {
        let code = format!("{} {}", f.rule.code, f.rule.name);
        if f.severity != Severity::Info && !codes.contains(&code) {
            codes.push(code);
        }
    }
    let ran = report
        .steps
        .iter()
        .filter(|s| s.status != Status::Skip)
        .count();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let tail = format!(
        "({}, {}, {:.2} s)",
        count(ran, "step", "steps"),
        count(report.stats.requests as usize, "request", "requests"),
        report.duration.as_secs_f64()
    );
    let (style, text) = match report.verdict() {
        Verdict::Pass | Verdict::Warn => {
            let warn = report.verdict() == Verdict::Warn;
            let style = if warn {
                AnsiColor::Yellow.on_default().bold()
            } else {
                AnsiColor::Green.on_default().bold()
            };
            let (mark, with) = if warn {
                ("! warn", format!(", with {}", codes.join(", ")))
            } else {
                ("✓ pass", String::new())
            };
            (style, format!("{mark}: {}{with}", what_passed(report)))
        }
        Verdict::Incomplete => (
            AnsiColor::Magenta.on_default().bold(),
            format!(
                "? incomplete: not every step ran; missing {}",
                report.missing().join(", ")
            ),
        ),
        Verdict::Fail => (
            AnsiColor::Red.on_default().bold(),
            format!("✗ fail: {}", codes.join(", ")),
        ),
    };
    format!("{style}{text}{style:#} {tail}")
}

/// What a passing run may claim: only what ran. The handover path works only when a test
/// contact or signal was really sent.
fn what_passed(report: &Report) -> String {
    let ran: Vec<&str> = report
        .steps
        .iter()
        .filter(|s| s.status != Status::Skip)
        .map(|s| s.id.as_str())
        .collect();
    let sent = report
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
    if report.dry_run() {
        format!("{list} passed; the test handover was a dry run (add --live to send it)")
    } else {
        format!("{list} passed")
    }
}

fn finding_json(f: &StepFinding) -> Value {
    let mut value = json!({
        "code": f.rule.code,
        "name": f.rule.name,
        "severity": f.severity.as_str(),
        "message": f.message,
        "hint": f.hint,
    });
    if let Some(l) = &f.location {
        value["pointer"] = json!(l.pointer);
        if let Some((line, column)) = l.line_column {
            value["line"] = json!(line);
            value["column"] = json!(column);
        }
    }
    if let Some(fix) = &f.fix {
        value["fix"] = json!({"description": fix});
    }
    value
}

fn step_json(step: &Step) -> Value {
    let mut value = json!({
        "id": step.id.as_str(),
        "status": step.status.as_str(),
        "duration_ms": step.duration.as_millis() as u64,
        "detail": step.detail,
        "findings": step.findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    if let Some(r) = &step.request {
        value["request"] = json!({
            "method": r.method,
            "url": r.url,
            "headers": r.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "body": r.body,
        });
    }
    if let Some(id) = &step.contact_id {
        value["contact_id"] = json!(id);
    }
    if let Some(polls) = step.polls {
        value["polls"] = json!(polls);
    }
    if let Some(missing) = &step.missing {
        value["missing"] = json!(missing);
    }
    if let Some(queue) = &step.queue {
        value["queue"] = queue_json(queue);
    }
    if let Some(agents) = &step.agents {
        value["agents"] = agents_json(agents);
    }
    value
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

pub fn json(out: &mut impl Write, report: &Report, demo: Option<&Demo<'_>>) -> std::io::Result<()> {
    let mut value = json!({
        "verdict": report.verdict().as_str(),
        "api": report.api.as_str(),
        "duration_ms": report.duration.as_millis() as u64,
        "requests": report.stats.requests,
        "dry_run": report.dry_run(),
        "missing": report.missing(),
        "steps": report.steps.iter().map(step_json).collect::<Vec<_>>(),
    });
    if let Some(demo) = demo {
        value["demo"] = json!({"scenario": demo.scenario, "url": demo.url, "requests_served": demo.requests_served});
    }
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)?;
    out.flush()
}

pub fn junit(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};
    let mut suite = TestSuite::new(format!(
        "handover-doctor diagnose ({})",
        report.api.as_str()
    ));
    for step in &report.steps {
        let text = step
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{}[{}/{}]: {}\n  help: {}",
                    f.severity, f.rule.code, f.rule.name, f.message, f.hint
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let status = match step.status {
            Status::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                if let Some(f) = step.findings.iter().find(|f| f.severity == Severity::Error) {
                    status.set_message(format!("{}: {}", f.rule.code, f.message));
                    status.set_type(f.rule.name);
                }
                status.set_description(text.clone());
                status
            }
            // A step that could not run for want of an input is not a pass, nor a skip a CI
            // report would show green: it is an error of the run.
            Status::Skip if step.missing.is_some() => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(step.detail.clone());
                status.set_type("incomplete");
                status
            }
            Status::Skip => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(step.detail.clone());
                status
            }
            Status::Pass | Status::Warn => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(step.id.as_str(), status);
        case.set_classname("handover-doctor diagnose");
        case.set_time(step.duration);
        if matches!(step.status, Status::Pass | Status::Warn) {
            case.set_system_out(format!("{}\n{text}", step.detail).trim().to_string());
        }
        suite.add_test_case(case);
    }
    let mut junit = Junit::new("handover-doctor");
    junit.add_test_suite(suite);
    junit.serialize(&mut *out)?;
    out.flush()?;
    Ok(())
}

/// `queue --all`: every skill's activity as a table, or as JSON; a list cut at the page cap says so.
pub fn sweep(out: &mut impl Write, sweep: &Sweep, format: ReportFormat) -> anyhow::Result<()> {
    let queues = &sweep.queues;
    let truncated = sweep.truncated.as_ref().map(|cut| {
        format!(
            "{} has more than {} pages: read {} skills{}; raise max_pages to read them all",
            cut.endpoint,
            cut.pages,
            cut.read,
            cut.total.map(|t| format!(" of {t}")).unwrap_or_default()
        )
    });
    if format != ReportFormat::Human {
        let list: Vec<Value> = queues.iter().map(activity_json).collect();
        let mut value = json!({ "queues": list });
        if let Some(text) = &truncated {
            value["truncated"] = json!({
                "code": handover_core::rules::LIST_TRUNCATED.code,
                "message": text,
            });
        }
        serde_json::to_writer(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "skill",
        "name",
        "state",
        "media",
        "available",
        "logged in",
        "working",
        "queued",
    ]);
    for q in queues {
        let state = match q.active {
            Some(true) => "active",
            Some(false) => "inactive",
            None => "-",
        };
        let flag = if q.active != Some(false) && q.available == 0 && q.queued > 0 {
            " !"
        } else {
            ""
        };
        table.add_row(vec![
            q.id.clone(),
            q.name.clone(),
            state.to_string(),
            q.media.map_or_else(|| "-".to_string(), |m| m.name()),
            format!("{}{flag}", q.available),
            q.logged_in.to_string(),
            q.working.to_string(),
            q.queued.to_string(),
        ]);
    }
    writeln!(out, "{table}")?;
    let waiting = queues
        .iter()
        .filter(|q| q.active != Some(false) && q.available == 0 && q.queued > 0)
        .count();
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
    if let Some(text) = truncated {
        writeln!(
            out,
            "warning[{}]: {text}",
            handover_core::rules::LIST_TRUNCATED.code
        )?;
    }
    Ok(())
}
