//! The command line as a user meets it: arguments in, output and exit status out.

mod annotations;
mod bench;
mod catalog;
mod ci;
mod cli;
mod diagnose;
mod docs;
mod fix;
mod getting_started;
mod help;
mod init;
mod inputs;
mod lint;
mod logs;
mod logs_pull;
mod output;
mod paths;
mod pipes;
mod postmortem;
mod queues;
mod settings;
mod spec;
mod terminal;
mod test;
mod truth;
mod tutorial;
mod watch;
mod watch_assets;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The workspace root, so that tests name example files as a user in a checkout would.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `handover-doctor` run from the workspace root, with no colour and no config from the environment.
pub fn doctor() -> Command {
    Command::from_std(doctor_process())
}

/// [`doctor`] as a plain process, for a test that wires its streams itself.
pub fn doctor_process() -> std::process::Command {
    isolated(std::process::Command::new(assert_cmd::cargo::cargo_bin(
        "handover-doctor",
    )))
}

/// `cmd` run from the workspace root, with no colour and no setting from the environment.
pub fn isolated(mut cmd: std::process::Command) -> std::process::Command {
    cmd.current_dir(root());
    for (key, _) in std::env::vars() {
        if key.starts_with("HANDOVER_DOCTOR_") {
            cmd.env_remove(key);
        }
    }
    // A terminal's width would change the tables.
    cmd.env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the command and parses its standard output as one JSON document.
pub fn json_of(cmd: &mut Command) -> (serde_json::Value, i32) {
    let out = cmd.output().unwrap();
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (value, out.status.code().unwrap())
}

/// The codes of all findings in a `--format json` report, in order.
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

pub const VALID: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"John Doe","phoneNumber":"+14155552671"}}}"#;
