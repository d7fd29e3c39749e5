//! The reports a user reads, pinned by snapshots: `validate` and `diagnose` in the human, JSON and
//! SARIF formats, and one finding that reads the same whichever command found it.

use serde_json::Value;

use crate::test::{BROKEN_EXAMPLE, Test, VALID_EXAMPLE};

/// `validate` of the broken example, which has an error of every kind a payload can have.
fn validate_broken(format: &str) -> Test {
    Test::new()
        .file("broken.json", BROKEN_EXAMPLE)
        .args(["validate", "--format", format, "broken.json"])
        .status(1)
}

/// `diagnose` with the same payload against a healthy tenant: the payload alone fails it.
fn diagnose_broken(format: &str) -> Test {
    Test::new()
        .tenant("healthy")
        .file("broken.json", BROKEN_EXAMPLE)
        .args(["diagnose", "--format", format, "--payload", "broken.json"])
        .status(1)
}

#[test]
fn validate_human() {
    validate_broken("human").stdout_snapshot("validate_broken_human");
}

#[test]
fn validate_json() {
    validate_broken("json").stdout_json_snapshot("validate_broken_json");
}

#[test]
fn validate_sarif() {
    validate_broken("sarif").stdout_json_snapshot("validate_broken_sarif");
}

#[test]
fn diagnose_human() {
    diagnose_broken("human").stdout_snapshot("diagnose_broken_human");
}

#[test]
fn diagnose_json() {
    diagnose_broken("json").stdout_json_snapshot("diagnose_broken_json");
}

#[test]
fn diagnose_sarif() {
    diagnose_broken("sarif").stdout_json_snapshot("diagnose_broken_sarif");
}

/// Findings about the tenant have no place in a file: no source line, no arrow. `--follow 0`
/// reads the test contact once: the demo's two-second follow polls as often as the clock allows,
/// and the poll and request counts would change with the machine's load.
#[test]
fn diagnose_no_agents_human() {
    Test::new()
        .tenant("no-agents")
        .file("valid.json", VALID_EXAMPLE)
        .args(["diagnose", "--payload", "valid.json", "--follow", "0"])
        .stdout_snapshot("diagnose_no_agents_human");
}

/// Issue 10: "The same HD201 looks the same in validate and diagnose, in every format."
#[test]
fn a_payload_finding_reads_the_same_in_validate_and_diagnose() {
    let both = |format: &str| (validate_broken(format).run(), diagnose_broken(format).run());

    let (validate, diagnose) = both("json");
    let (validate, diagnose) = (validate.json(), diagnose.json());
    let payload_step = diagnose["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "payload")
        .unwrap();
    let hd201 = |findings: &Value| find(findings, "code", "HD201");
    assert_eq!(
        hd201(&validate["records"][0]["findings"]),
        hd201(&payload_step["findings"])
    );

    let (validate, diagnose) = both("jsonl");
    let hd201_line = |out: &str| {
        let finding = out
            .lines()
            .find(|l| l.contains("\"code\":\"HD201\""))
            .unwrap_or_else(|| panic!("no HD201 in:\n{out}"));
        let value: Value = serde_json::from_str(finding).unwrap();
        // The finding object, raw: the same keys in the same order in both.
        let raw = &finding[finding.find("{\"code\":\"HD201\"").unwrap()..];
        (
            hd201(&value["findings"]),
            raw[..raw.find('}').unwrap()].to_string(),
        )
    };
    assert_eq!(hd201_line(&validate.stdout), hd201_line(&diagnose.stdout));

    let (validate, diagnose) = both("junit");
    let junit_line = |out: &str| {
        out.lines()
            .find(|l| l.contains("error[HD201/missing-queue-id]"))
            .map(|l| l[l.find("broken.json:").unwrap()..].to_string())
            .unwrap_or_else(|| panic!("no HD201 in:\n{out}"))
    };
    assert_eq!(junit_line(&validate.stdout), junit_line(&diagnose.stdout));

    let (validate, diagnose) = both("sarif");
    let (validate, diagnose) = (validate.json(), diagnose.json());
    for (list, key) in [("results", "ruleId"), ("tool/driver/rules", "id")] {
        let pointer = format!("/runs/0/{list}");
        assert_eq!(
            find(validate.pointer(&pointer).unwrap(), key, "HD201"),
            find(diagnose.pointer(&pointer).unwrap(), key, "HD201"),
            "SARIF {list}"
        );
    }

    let (validate, diagnose) = both("github");
    let line = |out: &str| {
        let found: Vec<&str> = out.lines().filter(|l| l.contains("title=HD201 ")).collect();
        assert_eq!(found.len(), 1, "one HD201 annotation in:\n{out}");
        found[0].to_string()
    };
    assert_eq!(line(&validate.stdout), line(&diagnose.stdout));

    let (validate, diagnose) = both("human");
    let block = |out: &str| {
        let start = out
            .find("error[HD201]")
            .unwrap_or_else(|| panic!("no HD201 in:\n{out}"));
        let end = start + out[start..].find("\ndocs: ").unwrap();
        let end = end + out[end + 1..].find('\n').unwrap() + 1;
        out[start..end].to_string()
    };
    assert_eq!(block(&validate.stdout), block(&diagnose.stdout));
}

/// The one element of a JSON array whose `key` is `value`.
fn find(array: &Value, key: &str, value: &str) -> Value {
    let found: Vec<&Value> = array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .filter(|item| item[key] == value)
        .collect();
    assert_eq!(found.len(), 1, "one {key} {value} in {array:#}");
    found[0].clone()
}
