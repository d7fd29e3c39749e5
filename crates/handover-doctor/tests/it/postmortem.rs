//! `postmortem`: one timeline from the bot's logs and the contact's history, and the finding that
//! names where the handover broke. Against the built-in mock: `--demo` plays a handover first.

use serde_json::Value;

use crate::{doctor, json_of};

fn postmortem(args: &[&str]) -> (Value, i32) {
    json_of(
        doctor()
            .arg("postmortem")
            .args(args)
            .args(["--format", "json"]),
    )
}

/// Every finding of the incident: the bot's (in the log's record), then the contact center's.
fn findings(report: &Value) -> Vec<&Value> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn message<'r>(report: &'r Value, code: &str) -> &'r str {
    findings(report)
        .into_iter()
        .find(|f| f["code"] == code)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {code}: {report:#}"))
}

/// The one timeline's lines as `node: text`.
fn timeline(report: &Value) -> Vec<String> {
    let records = report["records"].as_array().unwrap();
    let with: Vec<&Value> = records
        .iter()
        .filter(|r| r["timeline"].is_object())
        .collect();
    assert_eq!(with.len(), 1, "one timeline: {report:#}");
    with[0]["timeline"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["node"].as_str().unwrap(),
                e["text"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_contact_that_never_left_prequeue_is_explained_by_its_scripts_missing_reqagent() {
    let (report, code) = postmortem(&["--demo", "contact-drops"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes(&report), ["HD805"]);
    let message = message(&report, "HD805");
    assert!(
        message.contains("never reached Queued")
            && message.contains("if it ran script_path Handover\\NoAgent: script `Handover\\NoAgent` has no REQAGENT action"),
        "{message}"
    );
    let lines = timeline(&report);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("cxone: contact ") && l.contains(": PreQueue")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("Queued")), "{lines:?}");
    // The bot's side, from the mock's Cognigy log: it signalled, and CXone took the signal.
    assert!(
        lines.iter().any(|l| {
            l.starts_with("exit-interaction: signal sent to contact") && l.ends_with("HTTP 202")
        }),
        "{lines:?}"
    );
    // The completed-contact record: how long it waited in PreQueue, and that nobody queued it.
    assert!(
        lines
            .last()
            .unwrap()
            .contains("ended: Script Ended, 30 s in PreQueue"),
        "{lines:?}"
    );
}

#[test]
fn a_contact_that_reached_an_agent_has_no_finding() {
    let (report, code) = postmortem(&["--demo"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
    assert!(
        timeline(&report)
            .iter()
            .any(|l| l.contains(": Active") && l.contains("agent 9001")),
        "{report:#}"
    );
}

#[test]
fn the_bots_side_from_the_logs_and_a_contact_the_tenant_lacks() {
    let (report, code) = postmortem(&[
        "--demo",
        "--logs",
        "examples/cognigy-logs/day.jsonl",
        "--session",
        "sess-signal-failed",
    ]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes(&report), ["HD821", "HD830"]);
    let failed = findings(&report)[0];
    assert_eq!(
        report["records"][0]["source"],
        "examples/cognigy-logs/day.jsonl"
    );
    assert_eq!(report["records"][1]["source"], "cxone:contact/700000000302");
    assert_eq!(failed["line"], 20, "{failed:#}");
    // The mock never had the logs' contact: its history is a finding, not a pass.
    assert!(
        message(&report, "HD830").contains("no state history for contact 700000000302"),
        "{report:#}"
    );
    assert_eq!(
        report["records"][0]["timeline"]["session"],
        "sess-signal-failed"
    );
    assert_eq!(timeline(&report).len(), 6, "the session's six events");
}

#[test]
fn postmortem_needs_a_contact_and_the_cxone_api() {
    doctor()
        .args(["postmortem", "--demo", "--session", "s"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--logs"));
    doctor()
        .args(["postmortem", "--demo", "--api", "routing-v2"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("only the cxone profile has"));
}

#[test]
fn a_contact_an_agent_refused_is_hd831_with_the_agent_and_the_reason() {
    let (report, code) = postmortem(&["--demo", "agent-refuses"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes(&report), ["HD809", "HD831"]);
    let refused = message(&report, "HD831");
    assert!(
        refused.ends_with("was offered to agent 9001, who refused it (Busy)"),
        "{refused}"
    );
    assert!(
        timeline(&report).last().unwrap().contains("abandoned"),
        "{report:#}"
    );
}
