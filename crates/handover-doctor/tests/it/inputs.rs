use predicates::prelude::*;

use crate::{VALID, codes, doctor, json_of};

#[test]
fn stdin_is_read_with_a_dash() {
    doctor()
        .args(["validate", "-"])
        .write_stdin(VALID)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 record checked"));
}

#[test]
fn json_lines_with_bad_lines_are_checked_to_the_end() {
    let (report, code) = json_of(doctor().args([
        "validate",
        "--format",
        "json",
        "examples/transfer-context/logged.jsonl",
    ]));
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["records"], 6);
    let records = report["records"].as_array().unwrap();
    let last = records.last().unwrap();
    assert_eq!(last["line"], 6);
    assert_eq!(last["index"], 5);
    assert_eq!(last["findings"][0]["code"], "HD100");
    assert_eq!(last["findings"][0]["line"], 6);
    assert!(codes(&report).contains(&"HD305".to_string()));
}

#[test]
fn directories_are_searched_recursively_for_payload_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(dir.path().join("a/one.json"), VALID).unwrap();
    std::fs::write(
        dir.path().join("a/b/two.jsonl"),
        format!("{VALID}\n\n{VALID}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("a/b/three.NDJSON"), format!("{VALID}\n")).unwrap();
    std::fs::write(dir.path().join("a/notes.txt"), "not a payload").unwrap();
    let (report, code) = json_of(
        doctor()
            .args(["validate", "--format", "json"])
            .arg(dir.path()),
    );
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["records"], 4);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    std::fs::write(&path, format!("\u{feff}{VALID}")).unwrap();
    doctor().arg("validate").arg(&path).assert().code(0);
    let lines = dir.path().join("bom.jsonl");
    std::fs::write(&lines, format!("\u{feff}{VALID}\n{VALID}\n")).unwrap();
    doctor().arg("validate").arg(&lines).assert().code(0);
}

#[test]
fn a_huge_record_gets_a_finding_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.jsonl");
    let huge = format!(
        r#"{{"transferContext":{{"queueId":"1","participant":{{"name":"{}","phoneNumber":"+14155552671"}}}}}}"#,
        "x".repeat(3 << 20)
    );
    std::fs::write(&path, format!("{VALID}\n{huge}\n{VALID}\n")).unwrap();
    let (report, code) = json_of(doctor().args(["validate", "--format", "json"]).arg(&path));
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["records"], 3);
    assert_eq!(report["summary"]["invalid"], 1);
    assert_eq!(report["records"][0]["line"], 2);
    assert_eq!(report["records"][0]["findings"][0]["code"], "HD105");
    let (_, code) = json_of(
        doctor()
            .args([
                "validate",
                "--format",
                "json",
                "--max-record-bytes",
                "8000000",
            ])
            .arg(&path),
    );
    assert_eq!(code, 0);
}

#[test]
fn deep_nesting_is_a_finding_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (report, code) = json_of(
        doctor()
            .args(["validate", "--format", "json", "-"])
            .write_stdin(deep),
    );
    assert_eq!(code, 1);
    assert_eq!(codes(&report), vec!["HD106"]);
}

#[test]
fn bytes_that_are_not_utf8_are_invalid_json() {
    let (report, code) = json_of(
        doctor()
            .args(["validate", "--format", "json", "--jsonl", "-"])
            .write_stdin(b"{\"a\": \"\xff\"}\n".to_vec()),
    );
    assert_eq!(code, 1);
    assert_eq!(codes(&report), vec!["HD100"]);
    assert!(
        report["records"][0]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
}

#[test]
fn threads_do_not_change_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let broken =
        r#"{"transferContext":{"queueId":"","participant":{"name":"A","phoneNumber":"555 1234"}}}"#;
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(if i % 7 == 0 { broken } else { VALID });
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let run = |threads: &str| {
        doctor()
            .args(["validate", "--format", "jsonl", "--threads", threads])
            .arg(&path)
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
    let summary: serde_json::Value =
        serde_json::from_slice(one.split(|&b| b == b'\n').rev().nth(1).unwrap()).unwrap();
    assert_eq!(summary["summary"]["records"], 20_000);
    assert_eq!(summary["summary"]["invalid"], 2_858);
}
