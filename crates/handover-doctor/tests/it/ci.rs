//! The CI integrations in the repository (docs/ci.md) do what they say: the GitHub Action's
//! validate step and the pre-commit hook's script, run as their runners run them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde::Deserialize;

/// The directory of the binary under test, for a PATH that finds `handover-doctor`.
fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("handover-doctor")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[derive(Deserialize)]
struct Action {
    runs: Runs,
}

#[derive(Deserialize)]
struct Runs {
    using: String,
    steps: Vec<ActionStep>,
}

#[derive(Deserialize)]
struct ActionStep {
    id: Option<String>,
    run: String,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// Runs action.yml's validate step as the runner would: bash, its env with the inputs filled in,
/// GITHUB_OUTPUT a file. Returns the exit status, the outputs written, and the working directory.
fn run_action(inputs: &[(&str, &str)]) -> (i32, String, tempfile::TempDir) {
    let text = std::fs::read_to_string(crate::root().join("action.yml")).unwrap();
    let action: Action = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(action.runs.using, "composite");
    let step = action
        .runs
        .steps
        .iter()
        .find(|s| s.id.as_deref() == Some("validate"))
        .expect("a step with id validate");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("handover")).unwrap();
    std::fs::write(
        dir.path().join("handover/broken.json"),
        include_str!("../../../../examples/transfer-context/broken.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("handover/valid.json"),
        include_str!("../../../../examples/transfer-context/valid.json"),
    )
    .unwrap();
    let output = dir.path().join("github_output");
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", &step.run]).current_dir(dir.path());
    let defaults = [
        ("format", "sarif"),
        ("sarif-file", "handover-doctor.sarif"),
        ("args", ""),
        ("fail-on-findings", "false"),
    ];
    for (name, value) in &step.env {
        let input = value
            .trim_start_matches("${{ inputs.")
            .trim_end_matches(" }}");
        let given = inputs
            .iter()
            .chain(&defaults)
            .find(|(k, _)| *k == input)
            .map_or("", |(_, v)| v);
        cmd.env(name, given);
    }
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("PATH", path).env("GITHUB_OUTPUT", &output);
    let status = cmd.output().unwrap().status.code().unwrap();
    let outputs = std::fs::read_to_string(&output).unwrap_or_default();
    (status, outputs, dir)
}

#[test]
fn the_action_writes_sarif_and_passes_findings_on_to_its_outputs() {
    let (status, outputs, dir) = run_action(&[("paths", "handover/")]);
    assert_eq!(status, 0, "findings do not fail the step by default");
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    assert!(
        outputs.contains("sarif-file=handover-doctor.sarif"),
        "{outputs}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("handover-doctor.sarif")).unwrap())
            .unwrap();
    crate::annotations::assert_valid_sarif(&sarif);
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "HD201")
    );
}

#[test]
fn the_action_fails_on_findings_when_asked_and_always_when_it_could_not_run() {
    let (status, _, _) = run_action(&[("paths", "handover/"), ("fail-on-findings", "true")]);
    assert_eq!(status, 1);
    let (status, outputs, _) = run_action(&[("paths", "handover/valid.json")]);
    assert_eq!((status, outputs.contains("exit-code=0")), (0, true));
    let (status, outputs, _) = run_action(&[("paths", "handover/nope.json")]);
    assert_eq!(status, 2, "a path that does not exist is never a pass");
    assert!(outputs.contains("exit-code=2"), "{outputs}");
    let (status, _, _) = run_action(&[("paths", "handover/broken.json"), ("format", "github")]);
    assert_eq!(status, 0);
}

#[derive(Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
}

#[test]
fn the_pre_commit_hook_runs_validate_on_the_files_it_is_given() {
    let text = std::fs::read_to_string(crate::root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    let hook = hooks
        .iter()
        .find(|h| h.id == "handover-doctor-validate")
        .unwrap();
    assert_eq!(hook.language, "script");
    let mut entry = hook.entry.split_whitespace();
    let script = crate::root().join(entry.next().unwrap());
    let args: Vec<&str> = entry.collect();
    // pre-commit runs the entry from the user's repository, with the staged files after it.
    let run = |file: &str| {
        Command::new(&script)
            .args(&args)
            .arg(file)
            .current_dir(crate::root())
            .env(
                "HANDOVER_DOCTOR_BIN",
                assert_cmd::cargo::cargo_bin("handover-doctor"),
            )
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let broken = run("examples/transfer-context/broken.json");
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stdout).contains("error[HD201]"));
    assert_eq!(
        run("examples/transfer-context/valid.json").status.code(),
        Some(0)
    );
}
