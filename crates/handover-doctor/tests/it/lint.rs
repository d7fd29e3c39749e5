//! `lint` as a user meets it: the example agent directory and Studio scripts, every format, the
//! exit codes, and what it refuses.

use std::sync::{Arc, Mutex};

use cxone_mock::Scenario;
use serde_json::Value;

use crate::diagnose::Tenant;
use crate::test::Test;
use crate::{doctor, json_of};

/// The codes of a JSON report, per source file name.
fn codes_by_file(report: &Value) -> Vec<(String, String)> {
    let mut codes = Vec::new();
    for record in report["records"].as_array().unwrap() {
        let file = record["source"].as_str().unwrap().to_string();
        for f in record["findings"].as_array().unwrap() {
            codes.push((file.clone(), f["code"].as_str().unwrap().to_string()));
        }
    }
    codes
}

/// Each broken flow of examples/cognigy-flow has its one finding, in the record `source` names,
/// and the healthy VoiceHandover none.
fn one_finding_per_broken_flow(report: &Value, source: impl Fn(&str) -> String) {
    let codes = codes_by_file(report);
    for (flow, expected) in [
        ("ContactIdLiteral", "HD960"),
        ("ContactIdOtherPath", "HD961"),
        ("ContextInitDisabled", "HD962"),
        ("TransferIntentMissing", "HD963"),
        ("OptionalParamsNotArray", "HD964"),
        ("TransferTargetNotE164", "HD940"),
    ] {
        let source = source(flow);
        let found: Vec<&str> = codes
            .iter()
            .filter(|(f, _)| *f == source)
            .map(|(_, c)| c.as_str())
            .collect();
        assert_eq!(found, [expected], "{source}: {codes:?}");
    }
    assert!(
        !codes.iter().any(|(f, _)| f.contains("VoiceHandover")),
        "{codes:?}"
    );
}

#[test]
fn the_agent_directory_has_one_finding_per_broken_flow_and_none_in_the_healthy_one() {
    let (report, code) =
        json_of(doctor().args(["lint", "examples/cognigy-flow/", "--format", "json"]));
    assert_eq!(code, 1, "HD960 is an error");
    one_finding_per_broken_flow(&report, |flow| {
        format!("examples/cognigy-flow/flows/{flow}/en-US/chart.json")
    });
    assert_eq!(
        report["summary"]["records"], 7,
        "config.json and locales.json are no records"
    );
    assert_eq!(report["summary"]["contracts"]["cognigy-chart"], 7);
}

#[test]
fn a_finding_names_the_flow_and_the_node_and_shows_the_field() {
    let out = doctor()
        .args([
            "lint",
            "examples/cognigy-flow/",
            "--flow",
            "ContactIdLiteral",
            "--locale",
            "en-US",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[HD960]"), "{stdout}");
    assert!(stdout.contains("flow `ContactIdLiteral`"), "{stdout}");
    assert!(
        stdout.contains("--> examples/cognigy-flow/flows/ContactIdLiteral/en-US/chart.json:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 file checked"),
        "only that flow: {stdout}"
    );
}

#[test]
fn studio_scripts_fire_their_rules_and_the_healthy_ones_nothing() {
    let (report, code) = json_of(doctor().args(["lint", "examples/studio/", "--format", "json"]));
    assert_eq!(code, 1);
    let codes = codes_by_file(&report);
    assert!(
        !codes.iter().any(|(f, _)| f.contains("healthy")),
        "{codes:?}"
    );
    for code in [
        "HD970", "HD971", "HD972", "HD973", "HD974", "HD975", "HD976",
    ] {
        assert!(codes.iter().any(|(_, c)| c == code), "{code}: {codes:?}");
    }
}

/// The place of the first result of `code` in a SARIF log, once the log is checked against the
/// SARIF 2.1.0 schema.
fn sarif_location<'a>(sarif: &'a Value, code: &str) -> &'a Value {
    crate::annotations::assert_valid_sarif(sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["ruleId"] == code).unwrap();
    &result["locations"][0]["physicalLocation"]
}

#[test]
fn lint_sarif_is_valid_and_annotates_the_chart() {
    let (sarif, code) = json_of(doctor().args([
        "lint",
        "examples/cognigy-flow/",
        "examples/studio/",
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    let location = sarif_location(&sarif, "HD960");
    assert_eq!(
        location["artifactLocation"]["uri"],
        "examples/cognigy-flow/flows/ContactIdLiteral/en-US/chart.json"
    );
    assert!(
        location["region"]["startLine"].as_u64().unwrap() > 1,
        "{location}"
    );
}

#[test]
fn the_config_severity_map_re_levels_lint_rules() {
    Test::new()
        .config("severity:\n  HD960: warning\n")
        .file(
            "chart.json",
            std::fs::read(
                crate::root().join("examples/cognigy-flow/flows/ContactIdLiteral/en-US/chart.json"),
            )
            .unwrap(),
        )
        .args(["lint", "chart.json"])
        .status(0)
        .stdout_contains("warning[HD960]")
        .run();
}

#[test]
fn what_is_not_a_flow_or_a_script_is_said_never_passed() {
    Test::new()
        .file("payload.json", crate::VALID)
        .args(["lint", "payload.json"])
        .status(2)
        .stderr_contains("neither a Cognigy flow chart")
        .run();
    Test::new()
        .file("payloads/payload.json", crate::VALID)
        .args(["lint", "payloads"])
        .status(2)
        .stderr_contains("nothing to lint")
        .run();
    Test::new()
        .file("chart.json", "{\"nodes\": [")
        .args(["lint", "chart.json"])
        .status(1)
        .stdout_contains("error[HD100]")
        .run();
    let out = doctor()
        .args(["lint", "examples/cognigy-flow/", "--flow", "NoSuchFlow"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "nothing to lint: no Cognigy flow chart or Studio script of flow `NoSuchFlow`"
        ),
        "{out:?}"
    );
}

/// `--studio-script` against the built-in mock: the script as the tenant holds it, linted with the
/// tenant's skills.
fn studio(script: &str) -> (Value, i32) {
    json_of(doctor().args([
        "lint",
        "--studio-script",
        script,
        "--format",
        "json",
        "--demo",
    ]))
}

#[test]
fn a_studio_script_fetched_from_the_tenant_is_linted_with_the_tenants_skills() {
    let (report, code) = studio("Handover\\Cognigy");
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["records"].as_array().map_or(0, Vec::len),
        0,
        "{report}"
    );

    let (report, code) = studio("Handover\\NoAgent");
    assert_eq!(code, 1, "{report}");
    let codes = codes_by_file(&report);
    assert!(
        codes.contains(&("studio:Handover\\NoAgent".into(), "HD970".into())),
        "{codes:?}"
    );

    let (report, code) = studio("Handover\\OldSkill");
    assert_eq!(code, 1, "{report}");
    assert!(
        codes_by_file(&report).contains(&("studio:Handover\\OldSkill".into(), "HD977".into())),
        "{report}"
    );
}

#[test]
fn a_studio_script_the_tenant_lacks_is_an_error_naming_the_call() {
    Test::new()
        .args(["lint", "--studio-script", "Handover\\Nowhere", "--demo"])
        .status(2)
        .stderr_contains("cannot fetch Studio script `Handover\\Nowhere`")
        .stderr_contains("HTTP 404")
        .run();
}

/// A directory of scripts in both formats, with other XML and JSON beside them.
fn mixed_scripts() -> Test {
    let example =
        |name: &str| std::fs::read(crate::root().join("examples/studio").join(name)).unwrap();
    Test::new()
        .file("scripts/healthy.json", example("healthy.json"))
        .file("scripts/desktop/healthy.xml", example("healthy.xml"))
        .file(
            "scripts/desktop/two-onsignals.xml",
            example("two-onsignals.xml"),
        )
        .file("scripts/desktop/broken.xml", example("not-well-formed.xml"))
        .file(
            "scripts/pom.xml",
            "<project><modelVersion>4.0.0</modelVersion></project>",
        )
        .file("scripts/payload.json", crate::VALID)
}

#[test]
fn a_directory_of_json_and_desktop_xml_scripts_is_linted_alike() {
    let out = mixed_scripts()
        .args(["lint", "scripts", "--format", "json"])
        .status(1)
        .run();
    let report = out.json();
    let mut codes = codes_by_file(&report);
    codes.sort();
    assert_eq!(
        codes,
        [
            (
                "scripts/desktop/broken.xml".to_string(),
                "HD980".to_string()
            ),
            ("scripts/desktop/two-onsignals.xml".into(), "HD972".into()),
        ],
        "{report}"
    );
    assert_eq!(report["summary"]["contracts"]["studio-xml"], 3, "{report}");
    assert_eq!(
        report["summary"]["contracts"]["studio-script"], 1,
        "{report}"
    );

    mixed_scripts()
        .args(["lint", "scripts"])
        .status(1)
        .stdout_contains("error[HD972]: script `two-onsignals`, action \"Signal again\" (20)")
        .stdout_contains("--> scripts/desktop/two-onsignals.xml:93:5")
        .stdout_contains("<Action>ONSIGNAL</Action>")
        .stdout_contains("error[HD980]: script `broken`: not well-formed XML")
        .stdout_contains("--> scripts/desktop/broken.xml:90:1")
        .run();

    let sarif = mixed_scripts()
        .args(["lint", "scripts", "--format", "sarif"])
        .status(1)
        .run()
        .json();
    let location = sarif_location(&sarif, "HD972");
    assert_eq!(
        location["artifactLocation"]["uri"],
        "scripts/desktop/two-onsignals.xml"
    );
    assert_eq!(location["region"]["startLine"], 93, "{location}");
}

#[test]
fn a_named_xml_file_is_linted_or_refused_never_passed() {
    Test::new()
        .file(
            "broken.xml",
            "<Actions><ActionStruct><ActionID>1</ActionID>",
        )
        .args(["lint", "broken.xml"])
        .status(1)
        .stdout_contains("error[HD980]")
        .run();
    Test::new()
        .file(
            "pom.xml",
            "<project><modelVersion>4.0.0</modelVersion></project>",
        )
        .args(["lint", "pom.xml"])
        .status(2)
        .stderr_contains("or Desktop Studio XML with <ActionStruct> elements")
        .run();
    Test::new()
        .file("site/pom.xml", "<project/>")
        .args(["lint", "site"])
        .status(2)
        .stderr_contains("(1 JSON or XML file that is neither)")
        .run();
}

#[test]
fn a_project_pulled_from_cognigy_has_one_finding_per_broken_flow_and_none_in_the_healthy_one() {
    // Seven flows, and the mock pages two at a time: every page is read.
    let (report, code) = json_of(doctor().args(["lint", "--format", "json", "--demo"]));
    assert_eq!(code, 1, "HD960 is an error: {report}");
    assert_eq!(report["summary"]["records"], 7, "{report}");
    one_finding_per_broken_flow(&report, |flow| format!("cognigy:{flow}/en-US"));
    // The pointer is into the chart as the CLI would have written it: line and column of the value.
    Test::new()
        .args(["lint", "--flow", "ContactIdLiteral", "--demo"])
        .status(1)
        .stdout_contains("--> cognigy:ContactIdLiteral/en-US:")
        .stdout_contains(r#""contactId": "4567890123""#)
        .run();
}

/// A mock whose request log the test reads, and a config that points lint at its Cognigy API.
fn cognigy_mock() -> (Tenant, Arc<Mutex<Vec<String>>>, String) {
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = requests.clone();
    let log: cxone_mock::RequestLog = Arc::new(move |method, path, status, _| {
        seen.lock()
            .unwrap()
            .push(format!("{method} {path} {status}"));
    });
    let tenant = Tenant::start_logged(Scenario::built_in("healthy").unwrap(), Some(log));
    let config = format!(
        "cognigy_url: {}\ncognigy_project: {}\n",
        tenant.server().url(),
        cxone_mock::COGNIGY_PROJECT
    );
    (tenant, requests, config)
}

#[test]
fn a_pull_from_the_config_sends_only_gets_and_writes_nothing() {
    let (_tenant, requests, config) = cognigy_mock();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("handover-doctor.yaml"), config).unwrap();
    let before = files_in(dir.path());
    let out = doctor()
        .current_dir(dir.path())
        .env(
            "HANDOVER_DOCTOR_COGNIGY_API_KEY",
            cxone_mock::COGNIGY_API_KEY,
        )
        .args([
            "lint",
            "--project",
            cxone_mock::COGNIGY_PROJECT,
            "--flow",
            "VoiceHandover",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains("1 file checked: all valid"), "{stdout}");
    assert_eq!(files_in(dir.path()), before, "a pull writes nothing");
    let requests = requests.lock().unwrap();
    assert!(requests.len() > 3, "{requests:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("GET /new/v2.0/") && r.ends_with(" 200")),
        "{requests:?}"
    );
}

fn files_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn a_wrong_cognigy_key_is_an_error_naming_the_call_and_not_the_key() {
    let (tenant, _, _) = cognigy_mock();
    let url = tenant.server().url().to_string();
    let out = Test::new()
        .env("HANDOVER_DOCTOR_COGNIGY_API_KEY", "wrong-key-4711")
        .args([
            "lint",
            "--cognigy-url",
            &url,
            "--project",
            cxone_mock::COGNIGY_PROJECT,
        ])
        .status(2)
        .stderr_contains("HTTP 401")
        .stderr_contains(&format!("GET {url}/new/v2.0/flows"))
        .run();
    assert!(
        !out.stdout.contains("wrong-key-4711") && !out.stderr.contains("wrong-key-4711"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn a_pull_without_a_key_names_the_setting_and_its_variable() {
    Test::new()
        .args([
            "lint",
            "--cognigy-url",
            "https://api-trial.cognigy.ai",
            "--project",
            "6e0c0f4b2a1d9c0017a1b2c3",
        ])
        .status(2)
        .stderr_contains("needs cognigy_api_key")
        .stderr_contains("HANDOVER_DOCTOR_COGNIGY_API_KEY")
        .run();
}

#[test]
fn settings_show_masks_the_cognigy_key() {
    let out = Test::new()
        .env("HANDOVER_DOCTOR_COGNIGY_API_KEY", "sekrit-cognigy-key")
        .args(["settings", "--show"])
        .stdout_contains("cognigy_api_key")
        .run();
    assert!(!out.stdout.contains("sekrit-cognigy-key"), "{}", out.stdout);
}
