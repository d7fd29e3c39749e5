use predicates::prelude::*;

use crate::doctor;
use crate::test::Test;

#[test]
fn a_valid_payload_passes_with_exit_0() {
    doctor()
        .args(["validate", "examples/transfer-context/valid.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("✓ 1 record checked: all valid"));
}

#[test]
fn a_broken_payload_fails_with_exit_1() {
    doctor()
        .args(["validate", "examples/transfer-context/broken.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[HD304]"))
        .stdout(predicate::str::contains(
            "examples/transfer-context/broken.json:6:22",
        ));
}

#[test]
fn an_unreadable_path_is_exit_2_and_named() {
    doctor()
        .args(["validate", "does/not/exist.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `does/not/exist.json`",
        ));
}

#[test]
fn one_unreadable_path_does_not_hide_the_findings_of_the_others() {
    doctor()
        .args([
            "validate",
            "does/not/exist.json",
            "examples/transfer-context/broken.json",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("error[HD304]"));
}

#[test]
fn no_path_is_a_usage_error() {
    doctor().arg("validate").assert().code(2);
}

#[test]
fn warnings_fail_only_when_denied() {
    let warning_only = r#"{"transferContext":{"queueId":"4012345","queueID":"1","participant":{"name":"A","phoneNumber":"+14155552671"}}}"#;
    Test::new()
        .args(["validate", "-"])
        .stdin(warning_only)
        .stdout_contains("warning[HD103]")
        .run();
    Test::new()
        .args(["validate", "--deny-warnings", "-"])
        .stdin(warning_only)
        .status(1)
        .run();
}

#[test]
fn the_api_profile_decides_what_a_queue_id_is() {
    doctor()
        .args(["validate", "examples/transfer-context/routing-v2.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("CXone skill ids are numeric"))
        .stdout(predicate::str::contains("--api routing-v2"));
    doctor()
        .args([
            "validate",
            "--api",
            "routing-v2",
            "examples/transfer-context/routing-v2.json",
        ])
        .assert()
        .code(0);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let broken = "examples/transfer-context/broken.json";
    doctor()
        .args(["validate", broken])
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
    doctor()
        .env_remove("NO_COLOR")
        .args(["validate", "--color", "always", broken])
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn rules_lists_and_explains() {
    doctor().arg("rules").assert().code(0).stdout(
        predicate::str::contains("HD304").and(predicate::str::contains("placeholder-value")),
    );
    doctor()
        .args(["rules", "phone-not-e164"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("HD304 phone-not-e164 (error)"));
    doctor().args(["rules", "HD999"]).assert().code(2);
}

#[test]
fn schema_is_draft_2020_12_and_follows_the_profile() {
    let (cxone, code) = crate::json_of(doctor().arg("schema"));
    assert_eq!(code, 0);
    assert_eq!(
        cxone["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let queue =
        |s: &serde_json::Value| s["$defs"]["TransferContext"]["properties"]["queueId"].clone();
    assert!(queue(&cxone)["oneOf"].is_array());
    let (routing, _) = crate::json_of(doctor().args(["schema", "--api", "routing-v2"]));
    assert_eq!(queue(&routing)["type"], "string");
}

#[test]
fn mock_serves_logs_each_request_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("handover-doctor"))
        .args(["mock", "--scenario", "no-agents"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    let url = loop {
        let line = lines.next().expect("the mock printed its URL").unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if let Some(rest) = line.strip_prefix("listening on ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    assert!(banner.contains("scenario `no-agents`"), "{banner}");
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            b"GET /api/v2/routing/queues/x HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let config: String = lines
        .by_ref()
        .map_while(Result::ok)
        .take_while(|l| !l.contains("/api/v2/routing/queues/x"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(config.contains(&format!("base_url: {url}")), "{config}");
    assert!(
        config.contains("access_key_id: mock-access-key-id"),
        "{config}"
    );
    // The bot's side too: what `lint --cognigy-url` needs to pull the mock's project.
    for line in [
        format!("cognigy_url: {url}"),
        format!("cognigy_project: {}", cxone_mock::COGNIGY_PROJECT),
        format!("cognigy_api_key: {}", cxone_mock::COGNIGY_API_KEY),
    ] {
        assert!(config.contains(&line), "{config}");
    }
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(
        rest.iter()
            .any(|l| l.starts_with("stopping after 1 request")),
        "{rest:?}"
    );
}

#[test]
fn completions_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish"] {
        doctor()
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("diagnose").and(predicate::str::contains("validate")));
    }
    doctor()
        .arg("manpage")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH handover-doctor 1"));
}

/// A command takes only the flags it uses: one it would ignore is a usage error, not silence.
#[test]
fn a_flag_a_command_does_not_use_is_refused() {
    for args in [
        &["diagnose", "--demo", "--jsonl"][..],
        &["diagnose", "--demo", "--max-record-bytes", "5"],
        &["auth", "--demo", "--contract", "vah-chat"],
        &["queue", "--demo", "--all", "--phone-check", "full"],
    ] {
        doctor()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("unexpected argument"));
    }
    let help = doctor().args(["auth", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in ["--contract", "--jsonl", "--default-region", "--payload"] {
        assert!(!help.contains(flag), "auth --help lists {flag}:\n{help}");
    }
    doctor()
        .args(["diagnose", "--demo", "--contract", "transfer-context"])
        .assert()
        .code(0);
}
