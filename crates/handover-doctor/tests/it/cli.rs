use predicates::prelude::*;

use crate::doctor;

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
    doctor()
        .args(["validate", "-"])
        .write_stdin(warning_only)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[HD103]"));
    doctor()
        .args(["validate", "--deny-warnings", "-"])
        .write_stdin(warning_only)
        .assert()
        .code(1);
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
