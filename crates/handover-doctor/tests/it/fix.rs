use predicates::prelude::*;

use crate::{doctor, json_of};

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
