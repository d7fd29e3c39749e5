use crate::{doctor, json_of};

/// Human output with the run-specific bits a snapshot must not pin.
fn human(args: &[&str]) -> String {
    let out = doctor().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human_report_of_the_broken_example() {
    insta::assert_snapshot!(human(&[
        "validate",
        "examples/transfer-context/broken.json"
    ]));
}

#[test]
fn human_report_of_a_batch_caps_findings_and_summarises() {
    insta::assert_snapshot!(human(&[
        "validate",
        "--max-findings",
        "2",
        "examples/transfer-context/logged.jsonl"
    ]));
}

#[test]
fn json_report_of_the_broken_example() {
    let (report, code) = json_of(doctor().args([
        "validate",
        "--format",
        "json",
        "examples/transfer-context/broken.json",
    ]));
    assert_eq!(code, 1);
    insta::assert_json_snapshot!(report);
}

#[test]
fn json_lines_stream_records_then_a_summary() {
    let out = doctor()
        .args([
            "validate",
            "--format",
            "jsonl",
            "examples/transfer-context/logged.jsonl",
        ])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, records) = lines.split_last().unwrap();
    assert_eq!(summary["summary"]["records"], 6);
    assert_eq!(records.len(), 5);
    assert!(
        records
            .iter()
            .all(|r| r["source"] == "examples/transfer-context/logged.jsonl")
    );
}

#[test]
fn junit_has_a_failing_case_per_invalid_record() {
    let out = doctor()
        .args([
            "validate",
            "--format",
            "junit",
            "examples/transfer-context/logged.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(xml.matches("<testcase").count(), 5);
    assert_eq!(xml.matches("<failure").count(), 5);
    assert!(xml.contains("examples/transfer-context/logged.jsonl:6"));
    let valid = doctor()
        .args([
            "validate",
            "--format",
            "junit",
            "examples/transfer-context/valid.json",
        ])
        .output()
        .unwrap();
    let xml = String::from_utf8(valid.stdout).unwrap();
    assert!(xml.contains("1 record valid") && !xml.contains("<failure"));
}
