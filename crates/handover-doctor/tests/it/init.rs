//! `init`: the first file a user writes, and what the other commands make of it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::test::Test;
use crate::{doctor, json_of};

/// `handover-doctor` in `dir`, with no user config: several runs that share one directory.
fn doctor_in(dir: &Path) -> Command {
    let mut cmd = doctor();
    cmd.current_dir(dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    cmd
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The entry of `settings --show --format json` in `dir` for `key`.
fn shown(dir: &Path, key: &str) -> serde_json::Value {
    let (report, code) = json_of(doctor_in(dir).args(["settings", "--show", "--format", "json"]));
    assert_eq!(code, 0, "{report}");
    crate::settings::shown(&report, key).clone()
}

#[test]
fn init_writes_a_private_file_with_the_flags_values_that_every_command_reads() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    doctor_in(dir)
        .args([
            "init",
            "--client-id",
            "app-1",
            "--access-key-id",
            "AK1",
            "--script-path",
            "Handover\\Cognigy",
        ])
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("wrote handover-doctor.yaml for the cxone API").and(
                predicate::str::contains(
                    "still to set: access_key_secret (or HANDOVER_DOCTOR_ACCESS_KEY_SECRET)",
                ),
            ),
        );
    let file = dir.join("handover-doctor.yaml");
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\nclient_id: \"app-1\"\n"), "{text}");
    assert!(text.contains("\n# access_key_secret:\n"), "{text}");
    // Every key of the registry is listed, each under its help.
    assert!(text.contains("# rules re-levelled, a YAML map"), "{text}");
    assert!(text.contains("\n# max_pages:\n"), "{text}");
    assert!(!text.contains("base_url"), "a routing-v2 key: {text}");

    let script = shown(dir, "script_path");
    assert_eq!(script["value"], "Handover\\Cognigy");
    assert_eq!(script["source"], "file");
    assert_eq!(script["from"], "handover-doctor.yaml");
    assert_eq!(shown(dir, "api")["value"], "cxone");
    // Read as a config, not refused as one: what is missing is named, with the file that lacks it.
    doctor_in(dir).arg("auth").assert().code(2).stderr(
        predicate::str::contains(
            "the cxone profile needs access_key_secret, which neither handover-doctor.yaml nor the environment (HANDOVER_DOCTOR_ACCESS_KEY_SECRET) sets",
        ),
    );
}

#[test]
fn without_a_terminal_or_flags_init_leaves_every_value_commented_out() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    doctor_in(dir)
        .args(["init", "--profile", "routing-v2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "still to set: base_url (or HANDOVER_DOCTOR_BASE_URL), client_id (or HANDOVER_DOCTOR_CLIENT_ID), client_secret (or HANDOVER_DOCTOR_CLIENT_SECRET)",
        ));
    let text = std::fs::read_to_string(dir.join("handover-doctor.yaml")).unwrap();
    assert!(text.contains("\napi: routing-v2\n"), "{text}");
    assert!(text.contains("\n# base_url:\n"), "{text}");
    assert!(!text.contains("access_key"), "a cxone key: {text}");
    doctor_in(dir).arg("auth").assert().code(2).stderr(predicate::str::contains(
        "the routing-v2 profile needs base_url, client_id and client_secret, which neither handover-doctor.yaml nor the environment",
    ));
}

#[test]
fn init_refuses_to_overwrite_a_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let file = dir.join("handover-doctor.yaml");
    std::fs::write(&file, "api: routing-v2\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    doctor_in(dir)
        .args(["init", "--client-id", "app-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "handover-doctor.yaml already exists: nothing was written (add --force to replace it)",
        ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "api: routing-v2\n");
    doctor_in(dir)
        .args(["init", "--force", "--client-id", "app-1"])
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("client_id: \"app-1\"")
    );
    assert_eq!(mode(&file), 0o600, "replaced, and private");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "handover-doctor.yaml")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn init_writes_where_config_says_and_says_how_to_use_it() {
    let out = Test::new()
        .args([
            "init",
            "--config",
            "ci/doctor.yaml",
            "--profile",
            "routing-v2",
            "--base-url",
            "https://gateway.example",
        ])
        .stderr_contains("wrote ci/doctor.yaml for the routing-v2 API")
        .stderr_contains("`handover-doctor auth --config ci/doctor.yaml`")
        .run();
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn a_flag_of_the_other_api_is_refused_and_nothing_is_written() {
    Test::new()
        .args(["init", "--profile", "routing-v2", "--access-key-id", "AK1"])
        .status(2)
        .stderr_contains(
            "--access-key-id is not a setting of the routing-v2 API: nothing was written",
        )
        .run();
}

#[test]
fn a_secret_in_the_environment_is_neither_copied_nor_shown() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let out = doctor_in(dir)
        .env("HANDOVER_DOCTOR_ACCESS_KEY_SECRET", "s3cr3t-key")
        .args(["init", "--access-key-id", "AK1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("s3cr3t"), "{said}");
    assert!(
        !said.contains("still to set"),
        "the environment sets it: {said}"
    );
    let text = std::fs::read_to_string(dir.join("handover-doctor.yaml")).unwrap();
    assert!(!text.contains("s3cr3t"), "{text}");
}
