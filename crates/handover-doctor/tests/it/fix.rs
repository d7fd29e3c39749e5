use predicates::prelude::*;

use crate::test::Test;
use crate::{doctor, json_of};

/// A payload with two fixes (a padded queue id, a phone number sent as a number), as it is and fixed.
const FIXABLE: &str = "{\n  \"transferContext\": {\n    \"queueId\": \" 4012345 \",\n    \"participant\": {\"name\": \"A\", \"phoneNumber\": 4915112345678}\n  }\n}\n";
const FIXED: &str = "{\n  \"transferContext\": {\n    \"queueId\": \"4012345\",\n    \"participant\": {\"name\": \"A\", \"phoneNumber\": \"+4915112345678\"}\n  }\n}\n";

/// Six records, the fifth with a phone number sent as a number.
fn log(fifth: &str) -> String {
    let valid = crate::VALID;
    format!("{valid}\n{valid}\n{valid}\n{valid}\n{fifth}\n{valid}\n")
}
const NUMBER: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"B","phoneNumber":4915112345678}}}"#;
const STRING: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"B","phoneNumber":"+4915112345678"}}}"#;

#[test]
fn fix_prints_the_fixed_payload_and_lists_what_is_left() {
    let out = doctor()
        .args(["fix", "examples/transfer-context/broken.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let fixed = String::from_utf8(out.stdout).unwrap();
    assert!(fixed.contains(r#""phoneNumber": "+14155552671""#));
    assert!(fixed.contains(r#""queueId": "a1b2c3d4"#));
    // Layout is kept: only the fixed values change.
    let original =
        std::fs::read_to_string(crate::root().join("examples/transfer-context/broken.json"))
            .unwrap();
    assert_eq!(fixed.lines().count(), original.lines().count());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("HD501"), "{stderr}");
    assert!(!stderr.contains("HD304"), "{stderr}");
}

#[test]
fn fix_write_rewrites_the_file_atomically_keeping_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payload.json");
    std::fs::write(
        &path,
        "{\n  \"transferContext\": {\n    \"queueId\": \" 4012345 \",\n    \"participant\": {\"name\": \"A\", \"phoneNumber\": 4915112345678}\n  }\n}\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    doctor()
        .args(["fix", "--write"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("2 fixes applied"));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "{\n  \"transferContext\": {\n    \"queueId\": \"4012345\",\n    \"participant\": {\"name\": \"A\", \"phoneNumber\": \"+4915112345678\"}\n  }\n}\n"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    let (report, code) = json_of(doctor().args(["validate", "--format", "json"]).arg(&path));
    assert_eq!((code, report["summary"]["errors"].as_u64()), (0, Some(0)));
}

#[test]
fn fix_works_line_by_line_on_json_lines() {
    let out = doctor()
        .args(["fix", "examples/transfer-context/logged.jsonl"])
        .output()
        .unwrap();
    let fixed = String::from_utf8(out.stdout).unwrap();
    assert!(fixed.contains(r#""phoneNumber":"+4915112345678""#));
    assert!(fixed.contains(r#""phoneNumber":"+4791234567""#));
    assert_eq!(fixed.lines().count(), 6);
}

#[test]
fn fix_leaves_a_file_that_is_not_utf8_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.json");
    std::fs::write(&path, b"{\"transferContext\": \"\xe9\"}").unwrap();
    doctor()
        .args(["fix", "--write"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{\"transferContext\": \"\xe9\"}"
    );
}

#[test]
fn fix_diff_shows_every_file_of_a_directory_and_writes_nothing() {
    let valid = crate::VALID;
    let out = Test::new()
        .file("payloads/a.json", FIXABLE)
        .file("payloads/b.jsonl", log(NUMBER))
        .file("payloads/c.json", crate::VALID)
        .args(["fix", "--diff", "payloads"])
        .run();
    assert_eq!(
        out.stdout,
        format!(
            "--- a/payloads/a.json\n\
             +++ b/payloads/a.json\n\
             @@ -1,6 +1,6 @@\n \
             {{\n   \
             \"transferContext\": {{\n\
             -    \"queueId\": \" 4012345 \",\n\
             -    \"participant\": {{\"name\": \"A\", \"phoneNumber\": 4915112345678}}\n\
             +    \"queueId\": \"4012345\",\n\
             +    \"participant\": {{\"name\": \"A\", \"phoneNumber\": \"+4915112345678\"}}\n   \
             }}\n \
             }}\n\
             --- a/payloads/b.jsonl\n\
             +++ b/payloads/b.jsonl\n\
             @@ -2,5 +2,5 @@\n \
             {valid}\n \
             {valid}\n \
             {valid}\n\
             -{NUMBER}\n\
             +{STRING}\n \
             {valid}\n"
        )
    );
    // The layout of the diff is git's, so that `git apply` and `patch -p1` take it.
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn fix_diff_changes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payload.json");
    std::fs::write(&path, FIXABLE).unwrap();
    doctor()
        .args(["fix", "--diff"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("+    \"queueId\": \"4012345\","));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXABLE);
}

#[test]
fn fix_write_rewrites_every_file_of_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), FIXABLE).unwrap();
    std::fs::write(dir.path().join("b.jsonl"), log(NUMBER)).unwrap();
    doctor()
        .args(["fix", "--write"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("a.json: 2 fixes applied"))
        .stderr(predicate::str::contains("b.jsonl: 1 fix applied"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.json")).unwrap(),
        FIXED
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.jsonl")).unwrap(),
        log(STRING)
    );
}

#[test]
fn fix_write_through_a_symlink_fixes_its_target_and_keeps_the_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("store")).unwrap();
    let target = dir.path().join("store/payload.json");
    std::fs::write(&target, FIXABLE).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("payload.json");
    std::os::unix::fs::symlink("store/payload.json", &link).unwrap();
    doctor()
        .args(["fix", "--write"])
        .arg(&link)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("2 fixes applied"));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        std::path::Path::new("store/payload.json")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FIXED);
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let beside: Vec<_> = std::fs::read_dir(dir.path().join("store"))
        .unwrap()
        .collect();
    assert_eq!(
        beside.len(),
        1,
        "no temporary file is left beside the target"
    );
}

#[test]
fn fix_of_several_files_needs_write_or_diff() {
    let message =
        "more than one file to fix needs --write (rewrites them) or --diff (shows the changes)";
    Test::new()
        .file("a.json", FIXABLE)
        .file("b.json", FIXABLE)
        .args(["fix", "a.json", "b.json"])
        .status(2)
        .stderr_contains(message)
        .run();
    let out = Test::new()
        .file("payloads/a.json", FIXABLE)
        .file("payloads/b.json", FIXABLE)
        .args(["fix", "payloads"])
        .status(2)
        .stderr_contains(message)
        .run();
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn fix_reads_standard_input_as_before() {
    Test::new()
        .args(["fix", "-"])
        .stdin(FIXABLE)
        .stdout_contains(FIXED)
        .run();
}
