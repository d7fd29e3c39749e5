use predicates::prelude::*;

use crate::test::{BROKEN_EXAMPLE, Test, VALID_EXAMPLE};
use crate::{VALID, codes, doctor, json_of};

/// Runs `validate --format json ARGS` where every payload is broken, and returns the files that
/// were checked: the sources of the records, in order.
fn checked(test: Test, args: &[&str]) -> Vec<String> {
    let out = test
        .args(["validate", "--format", "json"])
        .args(args)
        .status(1)
        .run();
    out.json()["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_string())
        .collect()
}

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

/// A payload document of several MiB among small ones in a directory is read by the worker that
/// checks it, like the small ones: over the limit it gets HD105 in its place, within a raised
/// limit it is checked whole, on one thread and on two.
#[test]
fn a_huge_payload_file_in_a_directory_is_checked_in_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let huge = format!(
        r#"{{"transferContext":{{"queueId":"1","participant":{{"name":"{}","phoneNumber":"+14155552671"}}}}}}"#,
        "x".repeat(3 << 20)
    );
    for (name, text) in [
        ("a.json", VALID),
        ("b.json", huge.as_str()),
        ("c.json", VALID),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for threads in ["1", "2"] {
        let args = ["validate", "--format", "json", "--threads", threads];
        let (report, code) = json_of(doctor().args(args).arg(dir.path()));
        assert_eq!(code, 1);
        assert_eq!(report["summary"]["records"], 3);
        assert_eq!(report["summary"]["invalid"], 1);
        let source = report["records"][0]["source"].as_str().unwrap();
        assert!(source.ends_with("b.json"), "{source}");
        assert_eq!(report["records"][0]["findings"][0]["code"], "HD105");
        let (report, code) = json_of(
            doctor()
                .args(args)
                .args(["--max-record-bytes", "8000000"])
                .arg(dir.path()),
        );
        assert_eq!(code, 0);
        assert_eq!(report["summary"]["records"], 3);
    }
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

/// A directory of many small payload files, a JSON Lines file over a unit of work in the middle of
/// them, and dangling links: every file is reported, in the order of its path, and an unreadable
/// one where it was, whether one thread reads and checks them all or two share them.
#[test]
fn many_small_files_are_reported_in_order_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        r#"{"transferContext":{"queueId":"","participant":{"name":"A","phoneNumber":"555 1234"}}}"#;
    let mut expected = Vec::new();
    let write = |name: String, text: &str| {
        let path = dir.path().join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    for n in 0..700 {
        expected.push(write(format!("a/{n:04}.json"), broken));
    }
    // 1.3 MB: more than a unit, so it is read in units between the small files.
    let big = format!("{broken}\n").repeat(15_000);
    expected.push(write("b/big.jsonl".into(), &big));
    let nowhere = dir.path().join("b/nowhere.json");
    std::os::unix::fs::symlink("nowhere-else.json", &nowhere).unwrap();
    for n in 0..300 {
        expected.push(write(format!("c/{n:04}.json"), broken));
    }
    std::fs::create_dir(dir.path().join("d")).unwrap();
    let dangling = dir.path().join("d/dangling.json");
    std::os::unix::fs::symlink("nowhere.json", &dangling).unwrap();
    for n in 0..300 {
        expected.push(write(format!("e/{n:04}.json"), broken));
    }

    let run = |threads: &str| {
        let out = doctor()
            .args(["validate", "--format", "json", "--threads", threads])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "the dangling links are unreadable"
        );
        out.stdout
    };
    let one = run("1");
    assert!(one == run("2"), "two threads report differently");
    let report: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let mut sources: Vec<String> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources.len(), 1_300 + 15_000);
    sources.dedup();
    assert_eq!(sources, expected);
    let unreadable = report["summary"]["unreadable"].as_array().unwrap();
    let unreadable: Vec<&str> = unreadable
        .iter()
        .map(|u| u["path"].as_str().unwrap())
        .collect();
    let dangling = [
        nowhere.display().to_string(),
        dangling.display().to_string(),
    ];
    assert_eq!(unreadable, dangling);
}

/// A git repository's payload directory: one payload checked by default, one under a directory
/// .gitignore leaves out, one in a hidden directory. Each is broken, so that the report names
/// every file that was checked.
fn repository() -> Test {
    Test::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(".gitignore", "build/\n")
        .file("payloads/a.json", BROKEN_EXAMPLE)
        .file("payloads/build/b.json", BROKEN_EXAMPLE)
        .file("payloads/.drafts/c.json", BROKEN_EXAMPLE)
}

#[test]
fn directories_skip_what_gitignore_leaves_out_and_hidden_entries() {
    assert_eq!(checked(repository(), &["payloads"]), ["payloads/a.json"]);
}

#[test]
fn no_ignore_and_hidden_bring_them_back() {
    assert_eq!(
        checked(repository(), &["--no-ignore", "payloads"]),
        ["payloads/a.json", "payloads/build/b.json"]
    );
    assert_eq!(
        checked(repository(), &["--hidden", "payloads"]),
        ["payloads/.drafts/c.json", "payloads/a.json"]
    );
}

#[test]
fn a_file_named_on_the_command_line_is_read_even_when_ignored() {
    assert_eq!(
        checked(repository(), &["payloads/build/b.json"]),
        ["payloads/build/b.json"]
    );
}

#[test]
fn outside_a_git_repository_gitignore_waits_for_no_require_git_and_ignore_always_counts() {
    let dir = || {
        Test::new()
            .file("payloads/.gitignore", "git-ignored.json\n")
            .file("payloads/.ignore", "ignored.json\n")
            .file("payloads/git-ignored.json", BROKEN_EXAMPLE)
            .file("payloads/ignored.json", BROKEN_EXAMPLE)
    };
    assert_eq!(checked(dir(), &["payloads"]), ["payloads/git-ignored.json"]);
    dir()
        .args(["validate", "--no-require-git", "payloads"])
        .status(2)
        .stderr_contains("error: nothing to check: `payloads` holds 2 payload files, but 2 are ignored by .gitignore or .ignore (see --no-ignore)")
        .run();
}

/// A repository whose top `.gitignore` leaves out `payloads/build/`, and a global excludes file
/// (git's `core.excludesFile`, named by the config that `GIT_CONFIG_GLOBAL` names) that leaves
/// out `global.json`, run from `payloads`.
fn repository_with_global_excludes(git: bool) -> Test {
    let test = Test::new();
    let excludes = test.dir().join("excludes");
    let config = test.dir().join("gitconfig").display().to_string();
    let test = if git {
        test.file(".git/HEAD", "ref: refs/heads/main\n")
    } else {
        test
    };
    test.file(".gitignore", "/payloads/build/\n")
        .file("excludes", "global.json\n")
        .file(
            "gitconfig",
            format!("[core]\n\texcludesFile = {}\n", excludes.display()),
        )
        .file("payloads/a.json", BROKEN_EXAMPLE)
        .file("payloads/build/b.json", BROKEN_EXAMPLE)
        .file("payloads/global.json", BROKEN_EXAMPLE)
        .env("GIT_CONFIG_GLOBAL", &config)
        .cwd("payloads")
}

/// `.` searched from inside a repository: the `.gitignore` above counts from the repository's
/// top, whatever way the directory is written, and so does the global excludes file; outside a
/// repository neither counts until --no-require-git.
#[test]
fn the_ignore_files_above_and_the_global_excludes_file_count_for_a_search_of_dot() {
    for dot in [".", "./", "../payloads"] {
        let expected = if dot == "../payloads" {
            "../payloads/a.json"
        } else {
            "./a.json"
        };
        assert_eq!(
            checked(repository_with_global_excludes(true), &[dot]),
            [expected],
            "{dot}"
        );
    }
    assert_eq!(
        checked(repository_with_global_excludes(false), &["."]),
        ["./a.json", "./build/b.json", "./global.json"]
    );
    assert_eq!(
        checked(
            repository_with_global_excludes(false),
            &["--no-require-git", "."]
        ),
        ["./a.json"]
    );
}

/// Files in a directory are checked in the order of their names at every level: a directory's
/// files right after its name, before a longer name it starts (`a/` before `a-b.json` and
/// `a.json`, although `/` sorts after `-` and `.` as a byte), upper case before lower, whatever
/// order the directory lists them in.
#[test]
fn files_are_checked_in_the_order_of_their_names_at_every_level() {
    let names = [
        "p/A.json",
        "p/a/z.json",
        "p/a/é.json",
        "p/a-b.json",
        "p/a.json",
        "p/a0/b.json",
        "p/b.json",
    ];
    let mut test = Test::new();
    for name in names.iter().rev() {
        test = test.file(name, BROKEN_EXAMPLE);
    }
    assert_eq!(checked(test, &["p"]), names);
}

#[test]
fn globs_choose_files_in_directories_and_exclude_with_a_bang() {
    let dir = || {
        Test::new()
            .file("logs/old/a.json", BROKEN_EXAMPLE)
            .file("logs/b.jsonl", format!("{VALID}\n{VALID}\n"))
            .file("logs/c.json", BROKEN_EXAMPLE)
            .file("logs/d.log", BROKEN_EXAMPLE)
    };
    let out = dir()
        .args(["validate", "--format", "json", "--glob", "*.jsonl", "logs"])
        .run();
    assert_eq!(out.json()["summary"]["records"], 2);
    assert_eq!(checked(dir(), &["-g", "!old", "logs"]), ["logs/c.json"]);
    // A glob that names files brings them in whatever their extension.
    assert_eq!(checked(dir(), &["-g", "*.log", "logs"]), ["logs/d.log"]);
    dir()
        .args(["validate", "-g", "!*.json*", "logs"])
        .status(2)
        .stdout_contains(
            "✗ nothing to check: `logs` holds 3 payload files, but 3 are excluded by --glob",
        )
        .run();
}

#[test]
fn an_empty_directory_is_exit_2_and_says_why() {
    let out = Test::new()
        .file("payloads/README.md", "payloads go here")
        .args(["validate", "payloads"])
        .status(2)
        .stderr_contains(
            "error: nothing to check: the one file in `payloads` is not named *.json, *.jsonl or *.ndjson",
        )
        .run();
    assert!(!out.stdout.contains("no records found"), "{}", out.stdout);
    Test::new()
        .args(["validate", "."])
        .status(2)
        .stdout_contains("✗ nothing to check: `.` holds no files")
        .run();
}

#[test]
fn an_empty_directory_is_no_passing_test_case_in_junit() {
    let out = Test::new()
        .args(["validate", "--format", "junit", "."])
        .status(2)
        .stdout_contains(r#"errors="1""#)
        .stdout_contains(
            r#"<error message="nothing to check: `.` holds no files" type="nothing-to-check"/>"#,
        )
        .run();
    assert!(!out.stdout.contains("records valid"), "{}", out.stdout);
}

#[test]
fn an_empty_directory_beside_payloads_is_a_warning() {
    Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .file("empty/notes.txt", "")
        .args(["validate", "valid.json", "empty"])
        .stderr_contains(
            "warning: the one file in `empty` is not named *.json, *.jsonl or *.ndjson, so nothing there is checked",
        )
        .run();
}

#[test]
fn a_missing_file_beside_a_valid_one_is_named_in_the_verdict_and_the_summary() {
    Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "valid.json", "nope.json"])
        .status(2)
        .stdout_contains("✗ cannot read nope.json; 1 record checked: all valid")
        .stderr_contains("error: cannot read `nope.json`: No such file or directory")
        .run();
    let out = Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "--format", "json", "valid.json", "nope.json"])
        .status(2)
        .run();
    let summary = &out.json()["summary"];
    assert_eq!(summary["records"], 1);
    assert_eq!(
        summary["unreadable"],
        serde_json::json!([{"path": "nope.json", "error": "No such file or directory (os error 2)"}])
    );
    Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "--format", "junit", "valid.json", "nope.json"])
        .status(2)
        .stdout_contains(r#"<testcase name="nope.json" classname="handover-doctor">"#)
        .stdout_contains(r#"type="unreadable""#)
        .run();
}

#[test]
fn a_dangling_symlink_found_in_a_directory_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), VALID).unwrap();
    std::os::unix::fs::symlink("nowhere.json", dir.path().join("b.json")).unwrap();
    let out = doctor()
        .args(["validate", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 1);
    let unreadable = &report["summary"]["unreadable"];
    assert_eq!(
        unreadable[0]["path"],
        dir.path().join("b.json").display().to_string()
    );
    assert_eq!(unreadable.as_array().unwrap().len(), 1);
}

#[test]
fn a_directory_that_cannot_be_listed_is_unreadable_not_empty() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any directory: then there is nothing to test.
    if std::fs::read_dir(&locked).is_ok() {
        return;
    }
    let (report, code) = json_of(
        doctor()
            .args(["validate", "--format", "json"])
            .arg(dir.path()),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(code, 2);
    let unreadable = report["summary"]["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1, "{report}");
    assert!(unreadable[0]["path"].as_str().unwrap().ends_with("locked"));
    assert!(
        unreadable[0]["error"]
            .as_str()
            .unwrap()
            .contains("Permission denied")
    );
}

#[test]
fn standard_input_with_a_payload_per_line_reads_as_json_lines() {
    let out = Test::new()
        .args(["validate", "--format", "json", "-"])
        .stdin(format!("{VALID}\n\n{VALID}\n"))
        .stderr_contains("note: standard input reads as JSON Lines (one payload per line); --jsonl says so explicitly")
        .run();
    assert_eq!(out.json()["summary"]["records"], 2);
    assert_eq!(out.stderr.matches("note:").count(), 1, "{}", out.stderr);
    let out = Test::new()
        .args(["validate", "--format", "json", "--jsonl", "-"])
        .stdin(format!("{VALID}\n{VALID}\n"))
        .run();
    assert_eq!(out.json()["summary"]["records"], 2);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);
}

#[test]
fn one_pretty_printed_document_on_standard_input_is_one_record() {
    let out = Test::new()
        .args(["validate", "--format", "json", "-"])
        .stdin(VALID_EXAMPLE)
        .run();
    assert_eq!(out.json()["summary"]["records"], 1);
    assert!(!out.stderr.contains("JSON Lines"), "{}", out.stderr);
    // One line, and nothing after it: one document too.
    let out = Test::new()
        .args(["validate", "--format", "json", "-"])
        .stdin(format!("{VALID}\n\n"))
        .run();
    assert_eq!(out.json()["summary"]["records"], 1);
    assert!(!out.stderr.contains("JSON Lines"), "{}", out.stderr);
}

#[test]
fn a_symlinked_directory_loop_does_not_hang_the_search() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::write(dir.path().join("a/one.json"), VALID).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    let (report, code) = json_of(
        doctor()
            .args(["validate", "--format", "json"])
            .arg(dir.path()),
    );
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["records"], 1);
}
