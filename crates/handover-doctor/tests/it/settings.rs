use predicates::prelude::*;

use crate::test::{Test, VALID_EXAMPLE};
use crate::{codes, doctor, json_of};

fn config(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn an_unknown_config_key_shows_its_line_and_column() {
    Test::new()
        .file("config.yaml", "api: cxone\ndefault_regin: US\n")
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "valid.json", "--config", "config.yaml"])
        .status(2)
        .stderr_contains(":2:1")
        .stderr_contains("unknown field `default_regin`")
        .run();
}

#[test]
fn a_wrong_config_value_shows_its_line_and_column() {
    let file = config("severity:\n  HD103: loud\n");
    doctor()
        .args([
            "validate",
            "examples/transfer-context/valid.json",
            "--config",
        ])
        .arg(file.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":2:10"));
    let file = config("severity:\n  HD999: off\n");
    doctor()
        .args([
            "validate",
            "examples/transfer-context/valid.json",
            "--config",
        ])
        .arg(file.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(":2:3").and(predicate::str::contains("`HD999` is not a rule")),
        );
}

#[test]
fn config_relevels_rules_and_sets_the_profile() {
    let file = config(
        "api: routing-v2\nseverity:\n  unknown-field: off\n  HD304: warning\nrequired_attributes: [intent]\n",
    );
    let (report, code) = json_of(
        doctor()
            .args([
                "validate",
                "--format",
                "json",
                "examples/transfer-context/broken.json",
                "--config",
            ])
            .arg(file.path()),
    );
    assert_eq!(code, 1);
    let found = codes(&report);
    assert!(!found.contains(&"HD103".to_string()));
    assert!(
        !found.contains(&"HD202".to_string()),
        "routing-v2 takes the UUID: {found:?}"
    );
    let phone = report["records"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "HD304")
        .unwrap();
    assert_eq!(phone["severity"], "warning");
}

#[test]
fn flags_override_the_config_and_the_environment_overrides_the_config() {
    // A payload valid for cxone, checked under a config that says routing-v2.
    let routing_v2_config = || {
        Test::new()
            .file("config.yaml", "api: routing-v2\n")
            .file("valid.json", VALID_EXAMPLE)
            .args(["validate", "valid.json", "--config", "config.yaml"])
    };
    routing_v2_config().args(["--api", "cxone"]).run();
    routing_v2_config()
        .env("HANDOVER_DOCTOR_API", "cxone")
        .run();
    routing_v2_config().status(1).run();
}

/// From the folder that holds it, or from any folder below it, as cargo and ruff find theirs.
#[test]
fn the_config_in_the_working_directory_or_a_parent_folder_is_found() {
    for cwd in [".", "payloads/today"] {
        let report = Test::new()
            .config("default_region: US\n")
            .cwd(cwd)
            .file(
                &format!("{cwd}/p.json"),
                r#"{"transferContext":{"queueId":"1","participant":{"name":"A","phoneNumber":"(415) 555-2671"}}}"#,
            )
            .args(["validate", "--format", "json", "p.json"])
            .status(1)
            .run()
            .json();
        assert_eq!(
            report["records"][0]["findings"][0]["fix"]["replacement"], "\"+14155552671\"",
            "from {cwd}"
        );
    }
    let report = Test::new()
        .config("default_region: US\n")
        .cwd("a/b")
        .args(["settings", "--show", "--format", "json"])
        .run()
        .json();
    let region = shown(&report, "default_region");
    assert_eq!(region["source"], "file");
    assert!(
        region["from"]
            .as_str()
            .unwrap()
            .ends_with("/handover-doctor.yaml")
            && region["from"] != "handover-doctor.yaml",
        "the parent's, named in full: {region}"
    );
}

#[test]
fn an_unknown_default_region_is_refused() {
    doctor()
        .args([
            "validate",
            "--default-region",
            "XX",
            "examples/transfer-context/valid.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--default-region `XX`"));
}

/// One place decides which API a config means: `validate` and `diagnose --payload` judge the same
/// payload alike, and both say when they inferred it.
#[test]
fn validate_and_diagnose_infer_the_same_api_from_the_tutorials_config() {
    use std::os::unix::fs::PermissionsExt;
    let file = config(
        "client_id: mock-client-id\nclient_secret: mock-client-secret\nbase_url: http://127.0.0.1:9\n",
    );
    std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    let payload = "examples/transfer-context/routing-v2.json";
    let out = doctor()
        .args(["validate", "--format", "json", payload, "--config"])
        .arg(file.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(codes(&report), Vec::<String>::new());
    assert!(String::from_utf8_lossy(&out.stderr).contains("using the routing-v2 API"));
    let (report, _) = json_of(
        doctor()
            .args([
                "diagnose",
                "--format",
                "json",
                "--payload",
                payload,
                "--config",
            ])
            .arg(file.path()),
    );
    assert_eq!(report["api"], "routing-v2");
    assert_eq!(report["steps"][0]["id"], "payload");
    assert_eq!(report["steps"][0]["findings"], serde_json::json!([]));
}

/// The entry for `key` in `settings --show --format json`.
pub fn shown<'a>(report: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {report}"))
}

#[test]
fn without_a_config_a_tenant_command_lists_where_it_looked_and_what_to_do() {
    let test = Test::new().cwd("a/b");
    let root = test.dir().canonicalize().unwrap();
    let mut test = test.args(["diagnose"]).status(2);
    for folder in [root.join("a/b"), root.join("a"), root.clone()] {
        test = test.stderr_contains(&format!("\n  {}/handover-doctor.yaml\n", folder.display()));
    }
    test.stderr_contains("\n  /handover-doctor.yaml\n")
        .stderr_contains(&format!(
            "\n  {}/.config/handover-doctor/config.yaml\n",
            root.display()
        ))
        .stderr_contains("the cxone profile needs access_key_id and access_key_secret, and no config file was found; looked for:")
        .stderr_contains("`handover-doctor init`")
        .stderr_contains("`handover-doctor diagnose --demo`")
        .run();
}

#[test]
fn the_user_config_is_read_when_no_folder_has_one() {
    let report = Test::new()
        .file(".config/handover-doctor/config.yaml", "api: routing-v2\n")
        .cwd("a")
        .args(["settings", "--show", "--format", "json"])
        .run()
        .json();
    let api = shown(&report, "api");
    assert_eq!(api["value"], "routing-v2");
    assert!(
        api["from"]
            .as_str()
            .unwrap()
            .ends_with(".config/handover-doctor/config.yaml"),
        "{api}"
    );
}

/// A file someone else could have left in /tmp is not taken for the user's config.
#[test]
fn a_config_in_a_shared_folder_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::new()
        .file(
            "shared/handover-doctor.yaml",
            "auth_url: https://elsewhere.example\n",
        )
        .cwd("shared/mine");
    std::fs::set_permissions(
        test.dir().join("shared"),
        std::fs::Permissions::from_mode(0o1777),
    )
    .unwrap();
    let out = test
        .args(["settings", "--show", "--format", "json"])
        .stderr_contains("is a shared folder anyone can write into")
        .run();
    assert_eq!(shown(&out.json(), "auth_url")["source"], "default");
}

#[test]
fn settings_show_says_where_each_value_comes_from_and_masks_secrets() {
    let out = Test::new()
        .config("client_id: app-1\nseverity: {HD103: off}\n")
        .env("HANDOVER_DOCTOR_ACCESS_KEY_SECRET", "s3cr3t-key")
        .env("HANDOVER_DOCTOR_API", "routing-v2")
        .args(["settings", "--show"])
        .stdout_contains("HANDOVER_DOCTOR_ACCESS_KEY_SECRET")
        .stdout_contains("***")
        .stdout_contains("handover-doctor.yaml")
        .run();
    assert!(!out.stdout.contains("s3cr3t"), "{}", out.stdout);
    let report = Test::new()
        .config("client_id: app-1\nclient_secret: in-the-file\nseverity: {HD103: off}\n")
        .env("HANDOVER_DOCTOR_ACCESS_KEY_SECRET", "s3cr3t-key")
        .env("HANDOVER_DOCTOR_API", "routing-v2")
        .args(["settings", "--show", "--format", "json"])
        .run()
        .json();
    assert!(!report.to_string().contains("s3cr3t"), "{report}");
    assert!(!report.to_string().contains("in-the-file"), "{report}");
    let secret = shown(&report, "access_key_secret");
    assert_eq!(
        (&secret["value"], &secret["source"], &secret["from"]),
        (
            &"***".into(),
            &"environment".into(),
            &"HANDOVER_DOCTOR_ACCESS_KEY_SECRET".into()
        )
    );
    assert_eq!(shown(&report, "client_secret")["value"], "***");
    let api = shown(&report, "api");
    assert_eq!(
        (&api["value"], &api["source"]),
        (&"routing-v2".into(), &"environment".into())
    );
    let client = shown(&report, "client_id");
    assert_eq!(
        (&client["value"], &client["source"], &client["from"]),
        (
            &"app-1".into(),
            &"file".into(),
            &"handover-doctor.yaml".into()
        )
    );
    assert_eq!(shown(&report, "severity")["value"]["HD103"], "off");
    let timeout = shown(&report, "connect_timeout_seconds");
    assert_eq!(
        (&timeout["value"], &timeout["source"]),
        (&5.0.into(), &"default".into())
    );
    let region = shown(&report, "default_region");
    assert_eq!(
        (&region["value"], &region["source"]),
        (&serde_json::Value::Null, &"unset".into())
    );
    let config = shown(&report, "config");
    assert_eq!(
        (&config["value"], &config["source"]),
        (&"handover-doctor.yaml".into(), &"default".into())
    );
}

#[test]
fn settings_show_reads_the_file_config_names() {
    let report = Test::new()
        .file("ci.yaml", "max_attempts: 2\n")
        .args([
            "settings", "--show", "--format", "json", "--config", "ci.yaml",
        ])
        .run()
        .json();
    let config = shown(&report, "config");
    assert_eq!(
        (&config["value"], &config["source"], &config["from"]),
        (&"ci.yaml".into(), &"flag".into(), &"--config".into())
    );
    assert_eq!(shown(&report, "max_attempts")["from"], "ci.yaml");
    Test::new()
        .file("ci.yaml", "max_attempt: 2\n")
        .args(["settings", "--show", "--config", "ci.yaml"])
        .status(2)
        .stderr_contains("unknown field `max_attempt`")
        .run();
}

/// `--demo` reads no config file and no environment variable but the colour ones: not the
/// format, the API, the config's path, nor a proxy that could not reach the mock on this machine.
#[test]
fn demo_reads_no_environment_and_takes_its_format_from_the_flag_alone() {
    let dead = "http://127.0.0.1:1";
    let out = Test::new()
        .tenant("healthy")
        .args(["auth"])
        .env("HANDOVER_DOCTOR_FORMAT", "json")
        .env("HANDOVER_DOCTOR_API", "routing-v2")
        .env("HANDOVER_DOCTOR_CONFIG", "missing.yaml")
        .env("HTTP_PROXY", dead)
        .env("http_proxy", dead)
        .env("ALL_PROXY", dead)
        .stdout_contains("handover-doctor · cxone · demo")
        .stdout_contains("✓ auth")
        .run();
    assert!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).is_err(),
        "{}",
        out.stdout
    );
    Test::new()
        .tenant("healthy")
        .args(["auth", "--format", "json"])
        .env("HANDOVER_DOCTOR_FORMAT", "junit")
        .run()
        .json();
    // Without --demo the variable still chooses.
    Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "valid.json"])
        .env("HANDOVER_DOCTOR_FORMAT", "json")
        .run()
        .json();
    Test::new()
        .file("valid.json", VALID_EXAMPLE)
        .args(["validate", "valid.json"])
        .env("HANDOVER_DOCTOR_FORMAT", "xml")
        .status(2)
        .stderr_contains("HANDOVER_DOCTOR_FORMAT `xml` is not a format: use human, json")
        .run();
}
