//! `lint` as a user meets it: the example agent directory and Studio scripts, every format, the
//! exit codes, and what it refuses.

use serde_json::Value;

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

#[test]
fn the_agent_directory_has_one_finding_per_broken_flow_and_none_in_the_healthy_one() {
    let (report, code) =
        json_of(doctor().args(["lint", "examples/cognigy-flow/", "--format", "json"]));
    assert_eq!(code, 1, "HD960 is an error");
    let codes = codes_by_file(&report);
    for (flow, expected) in [
        ("ContactIdLiteral", "HD960"),
        ("ContactIdOtherPath", "HD961"),
        ("ContextInitDisabled", "HD962"),
        ("TransferIntentMissing", "HD963"),
        ("OptionalParamsNotArray", "HD964"),
        ("TransferTargetNotE164", "HD940"),
    ] {
        let path = format!("examples/cognigy-flow/flows/{flow}/en-US/chart.json");
        let found: Vec<&str> = codes
            .iter()
            .filter(|(f, _)| *f == path)
            .map(|(_, c)| c.as_str())
            .collect();
        assert_eq!(found, [expected], "{flow}: {codes:?}");
    }
    assert!(
        !codes.iter().any(|(f, _)| f.contains("VoiceHandover")),
        "{codes:?}"
    );
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
