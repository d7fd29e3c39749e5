//! The formats CI systems read: SARIF 2.1.0 for code scanning, and GitHub workflow commands.

use serde_json::Value;

use crate::{doctor, json_of};

const BROKEN: &str = "examples/transfer-context/broken.json";

fn sarif_of(args: &[&str]) -> (Value, i32) {
    json_of(doctor().args(["validate", "--format", "sarif"]).args(args))
}

/// The official SARIF 2.1.0 schema (OASIS), as serde-sarif 0.8.0 bundles it.
fn sarif_validator() -> jsonschema::Validator {
    let schema = std::fs::read_to_string(
        crate::root().join("crates/handover-doctor/tests/it/fixtures/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&serde_json::from_str(&schema).unwrap())
        .unwrap()
}

pub(crate) fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{sarif:#}");

    // What SARIF 2.1.0 requires, checked by hand too, and what the schema cannot say.
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "handover-doctor");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    for result in runs[0]["results"].as_array().unwrap() {
        assert!(result["message"]["text"].is_string(), "{result}");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
    }
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "a rule listed twice");
}

#[test]
fn sarif_of_the_broken_example_places_findings_as_json_does() {
    let (sarif, code) = sarif_of(&[BROKEN]);
    assert_eq!(code, 1);
    assert_valid_sarif(&sarif);
    let (json, _) = json_of(doctor().args(["validate", "--format", "json", BROKEN]));
    let findings = json["records"][0]["findings"].as_array().unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());

    let rule_ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids,
        ["HD201", "HD103", "HD501", "HD304", "HD502", "HD203"]
    );
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        ["error", "warning", "error", "error", "warning", "error"]
    );
    for (result, finding) in results.iter().zip(findings) {
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], BROKEN);
        let region = &physical["region"];
        assert_eq!(region["startLine"], finding["line"]);
        assert_eq!(region["startColumn"], finding["column"]);
        assert_eq!(region["endLine"], finding["end_line"]);
        assert_eq!(region["endColumn"], finding["end_column"]);
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            finding["pointer"]
        );
        assert_eq!(result["message"]["text"], finding["message"]);
    }

    // HD304: `"+1 (415) 555-2671"` on line 6, from column 22 to just after its closing quote.
    let hd304 = &results[3];
    let region = &hd304["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &serde_json::json!({"startLine": 6, "startColumn": 22, "endLine": 6, "endColumn": 41})
    );
    let change = &hd304["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], BROKEN);
    let replacement = &change["replacements"][0];
    assert_eq!(replacement["deletedRegion"], *region);
    assert_eq!(replacement["insertedContent"]["text"], "\"+14155552671\"");

    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = &rules[hd304["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["name"], "phone-not-e164");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert!(rule["shortDescription"]["text"].is_string());
    assert!(rule["help"]["text"].is_string());
    assert!(
        rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("/blob/main/docs/rules.md#hd304-phone-not-e164"),
        "{rule}"
    );
}

#[test]
fn sarif_of_a_batch_and_of_nothing_wrong_is_valid_sarif() {
    let (batch, code) = sarif_of(&["examples/transfer-context/logged.jsonl"]);
    assert_eq!(code, 1);
    assert_valid_sarif(&batch);
    // Each record of a JSON Lines file is on its own line of the file.
    let lines: Vec<u64> = batch["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(lines.iter().any(|&l| l > 1), "{lines:?}");

    let (clean, code) = sarif_of(&["examples/transfer-context/valid.json"]);
    assert_eq!(code, 0);
    assert_valid_sarif(&clean);
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        clean["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn sarif_names_standard_input_stdin() {
    let out = doctor()
        .args(["validate", "--format", "sarif", "-"])
        .write_stdin(r#"{"transferContext":{"queueId":"4012345","participant":{"name":"A","phoneNumber":"555"}}}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "stdin"
    );
}

#[test]
fn github_commands_for_the_broken_example() {
    let out = doctor()
        .args(["validate", "--format", "github", BROKEN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let file = "file=examples/transfer-context/broken.json";
    assert_eq!(
        lines,
        [
            format!(
                "::error {file},line=2,col=3,endLine=2,endColumn=20,title=HD201 missing-queue-id::`queueId` is missing (found `queueID`: a misspelling?); the contact center cannot route the contact"
            ),
            format!(
                "::warning {file},line=3,col=5,endLine=3,endColumn=14,title=HD103 unknown-field::unknown key `queueID`; did you mean `queueId`?"
            ),
            format!(
                "::error {file},line=5,col=15,endLine=5,endColumn=41,title=HD501 unrendered-template::`{{{{context.customerName}}}}` was sent as it stands: the bot never evaluated this expression"
            ),
            format!(
                "::error {file},line=6,col=22,endLine=6,endColumn=41,title=HD304 phone-not-e164::\"+1 (415) 555-2671\" is not an E.164 phone number"
            ),
            format!(
                "::warning {file},line=9,col=17,endLine=9,endColumn=28,title=HD502 placeholder-value::\"undefined\" is a stand-in, not a real value"
            ),
            format!(
                "::error {file},line=11,col=22,endLine=11,endColumn=28,title=HD203 invalid-flow-version-id::`flowVersionId` \"v2-7\" is not a canonical UUID"
            ),
            "✗ 1 record checked: 1 invalid, 4 errors, 2 warnings".to_string(),
        ]
    );
}

#[test]
fn github_format_keeps_validate_exit_codes() {
    let warning_only = r#"{"transferContext":{"queueId":"4012345","queueID":"1","participant":{"name":"A","phoneNumber":"+14155552671"}}}"#;
    let out = doctor()
        .args(["validate", "--format", "github", "-"])
        .write_stdin(warning_only)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::warning file=stdin,line=1,"),
        "{stdout}"
    );
    doctor()
        .args(["validate", "--format", "github", "--deny-warnings", "-"])
        .write_stdin(warning_only)
        .assert()
        .code(1);
    doctor()
        .args(["validate", "--format", "sarif", "does/not/exist.json"])
        .assert()
        .code(2);
}

#[test]
fn the_sarif_schema_check_rejects_what_sarif_forbids() {
    let validator = sarif_validator();
    let (mut sarif, _) = sarif_of(&[BROKEN]);
    assert!(validator.is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&sarif));
    let no_tool = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&no_tool));
}

/// A run that could not read a path is not a clean run in SARIF either: the invocation says it did
/// not succeed, and why, at the path.
#[test]
fn sarif_says_when_the_run_fell_short() {
    let (sarif, code) = sarif_of(&["examples/transfer-context/valid.json", "nope.json"]);
    assert_eq!(code, 2);
    assert_valid_sarif(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "nope.json"
    );

    let (clean, code) = sarif_of(&["examples/transfer-context/valid.json"]);
    assert_eq!(code, 0);
    assert_eq!(
        clean["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    let (diagnosis, code) = json_of(doctor().args([
        "diagnose",
        "--demo",
        "--format",
        "sarif",
        "--payload",
        "examples/transfer-context/broken.json",
    ]));
    assert_eq!(code, 1);
    assert_valid_sarif(&diagnosis);
    let invocation = &diagnosis["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("a queue id is missing"),
        "{invocation}"
    );
}
