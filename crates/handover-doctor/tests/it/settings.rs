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

#[test]
fn the_config_in_the_working_directory_is_found() {
    let report = Test::new()
        .config("default_region: US\n")
        .file(
            "p.json",
            r#"{"transferContext":{"queueId":"1","participant":{"name":"A","phoneNumber":"(415) 555-2671"}}}"#,
        )
        .args(["validate", "--format", "json", "p.json"])
        .status(1)
        .run()
        .json();
    assert_eq!(
        report["records"][0]["findings"][0]["fix"]["replacement"],
        "\"+14155552671\""
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
