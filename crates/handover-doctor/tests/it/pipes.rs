//! A reader that goes away (`handover-doctor ... | head`) ends every command quietly: exit 0 and
//! nothing on standard error, as docs/output.md promises.

use std::process::Stdio;

/// Runs `args` with standard output a pipe whose reader is closed before the command starts, so
/// that its first write fails however small its output is.
#[track_caller]
fn quiet_with_stdout_closed(args: &[&str]) {
    let out = crate::doctor_process()
        .args(args)
        .stdin(Stdio::null())
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "handover-doctor {}\n{stderr}",
        args.join(" ")
    );
    assert!(
        stderr.is_empty(),
        "handover-doctor {} wrote on stderr:\n{stderr}",
        args.join(" ")
    );
}

/// The writing end of a pipe nobody reads: the reader was a process that has exited.
fn closed_pipe() -> Stdio {
    let mut reader = std::process::Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    writer.into()
}

#[test]
fn validate_in_every_format() {
    for format in ["human", "json", "jsonl", "junit", "sarif", "github"] {
        // The examples hold invalid payloads: exit 1 with a reader, 0 without one.
        quiet_with_stdout_closed(&["validate", "--format", format, "examples"]);
    }
}

/// A report larger than the output buffer fails in the middle of its writing, not at the end.
#[test]
fn validate_a_large_report_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let record = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"J","phoneNumber":"4155552671"}}}"#;
    std::fs::write(&path, format!("{record}\n").repeat(2000)).unwrap();
    let path = path.to_str().unwrap();
    for format in ["human", "json", "jsonl", "junit", "sarif", "github"] {
        quiet_with_stdout_closed(&[
            "validate",
            "--format",
            format,
            "--max-findings",
            "2000",
            path,
        ]);
    }
}

#[test]
fn fix() {
    quiet_with_stdout_closed(&["fix", "examples/transfer-context/broken.json"]);
}

#[test]
fn schema() {
    quiet_with_stdout_closed(&["schema"]);
}

#[test]
fn rules() {
    quiet_with_stdout_closed(&["rules"]);
    quiet_with_stdout_closed(&["rules", "--json"]);
    quiet_with_stdout_closed(&["rules", "HD304"]);
}

#[test]
fn settings() {
    quiet_with_stdout_closed(&["settings"]);
}

#[test]
fn completions() {
    quiet_with_stdout_closed(&["completions", "bash"]);
}

#[test]
fn manpage() {
    quiet_with_stdout_closed(&["manpage"]);
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man");
    quiet_with_stdout_closed(&["manpage", "--dir", man.to_str().unwrap()]);
    // Every page is written all the same.
    assert!(man.join("handover-doctor-manpage.1").is_file());
}

#[test]
fn mock_list() {
    quiet_with_stdout_closed(&["mock", "--list"]);
}

#[test]
fn diagnose() {
    quiet_with_stdout_closed(&["diagnose", "--demo"]);
    quiet_with_stdout_closed(&["diagnose", "--demo", "--format", "json"]);
}

#[test]
fn auth() {
    quiet_with_stdout_closed(&["auth", "--demo"]);
}

#[test]
fn queue_all() {
    quiet_with_stdout_closed(&["queue", "--demo", "--all"]);
    quiet_with_stdout_closed(&["queue", "--demo", "--all", "--format", "json"]);
}

#[test]
fn simulate() {
    quiet_with_stdout_closed(&["simulate", "--demo"]);
}
