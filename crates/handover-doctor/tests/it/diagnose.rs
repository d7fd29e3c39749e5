//! `diagnose` and its siblings against the mock tenant: verdicts, codes, exit status.

use std::collections::BTreeSet;

use cxone_mock::{MockServer, Scenario};
use predicates::prelude::*;

use crate::test::Test;
use crate::{doctor, json_of};

/// Every code a diagnose report holds, and its verdict.
fn outcome(report: &serde_json::Value) -> (String, BTreeSet<String>) {
    let codes = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    (report["verdict"].as_str().unwrap().to_string(), codes)
}

fn demo(api: &str, scenario: &str) -> (serde_json::Value, i32) {
    json_of(doctor().args([
        "diagnose", "--demo", scenario, "--api", api, "--format", "json",
    ]))
}

fn check(api: &str, scenario: &str, verdict: &str, codes: &[&str], code: i32) {
    let (report, exit) = demo(api, scenario);
    let (got_verdict, got_codes) = outcome(&report);
    let want: BTreeSet<String> = codes.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        (got_verdict.as_str(), &got_codes, exit),
        (verdict, &want, code),
        "{api} {scenario}: {report:#}"
    );
    assert_eq!(report["api"], api);
    assert_eq!(report["demo"]["scenario"], scenario);
}

#[test]
fn every_scenario_on_cxone() {
    check("cxone", "healthy", "pass", &[], 0);
    // The script queues on the same skill: its REQAGENT names an inactive skill (HD978).
    check("cxone", "queue-paused", "fail", &["HD702", "HD978"], 1);
    check("cxone", "no-agents", "warn", &["HD703", "HD705"], 0);
    // Nor has it the skill the script queues on (HD977).
    check("cxone", "unknown-queue", "fail", &["HD701", "HD977"], 1);
    check("cxone", "bad-credentials", "fail", &["HD601"], 1);
    check("cxone", "permission-denied", "fail", &["HD603"], 1);
    check("cxone", "rate-limited", "warn", &["HD806"], 0);
    // The spawn outlives the first token: renewed, with a warning (and slow: 400 ms a request).
    check("cxone", "token-expiry", "warn", &["HD606", "HD807"], 0);
    check("cxone", "token-rejected", "fail", &["HD604"], 1);
    check("cxone", "flaky", "warn", &["HD806"], 0);
    check("cxone", "slow", "warn", &["HD807"], 0);
    check("cxone", "wrong-media-type", "fail", &["HD704", "HD979"], 1);
    check("cxone", "contact-drops", "fail", &["HD805", "HD970"], 1);
}

#[test]
fn every_scenario_on_routing_v2() {
    check("routing-v2", "healthy", "pass", &[], 0);
    check("routing-v2", "queue-paused", "fail", &["HD702"], 1);
    // routing-v2 reports no queue length, so no backlog finding.
    check("routing-v2", "no-agents", "warn", &["HD703"], 0);
    check("routing-v2", "unknown-queue", "fail", &["HD701"], 1);
    check("routing-v2", "bad-credentials", "fail", &["HD601"], 1);
    check("routing-v2", "permission-denied", "fail", &["HD603"], 1);
    check("routing-v2", "rate-limited", "warn", &["HD806"], 0);
    // Three round trips take 1.2 s: the token lasts through them, so only the slowness shows.
    check("routing-v2", "token-expiry", "warn", &["HD807"], 0);
    check("routing-v2", "token-rejected", "fail", &["HD604"], 1);
    check("routing-v2", "flaky", "warn", &["HD806"], 0);
    check("routing-v2", "slow", "warn", &["HD807"], 0);
    check("routing-v2", "wrong-media-type", "fail", &["HD704"], 1);
    // routing-v2 has no contact state history: the contact is created and cannot be followed.
    check("routing-v2", "contact-drops", "pass", &[], 0);
}

#[test]
fn the_demo_shows_each_step_and_a_verdict() {
    doctor()
        .args(["diagnose", "--demo"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("playing `healthy`"))
        .stdout(predicate::str::contains("✓ payload"))
        .stdout(predicate::str::contains("✓ simulate"))
        .stdout(predicate::str::contains("reached agent 9001"))
        .stdout(predicate::str::contains("✓ pass: the handover path works"));
    doctor()
        .args(["diagnose", "--demo", "queue-paused"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ queue"))
        .stdout(predicate::str::contains("error[HD702]"))
        .stdout(predicate::str::contains("- simulate"));
}

#[test]
fn a_live_diagnose_on_routing_v2_takes_one_request_per_link_of_the_chain() {
    let (report, _) = demo("routing-v2", "healthy");
    // token, then queue and agents together, then the contact.
    assert_eq!(report["requests"], 4);
    assert_eq!(report["demo"]["requests_served"], 4);
    let simulate = &report["steps"][4];
    assert_eq!(simulate["id"], "simulate");
    assert!(simulate["contact_id"].is_string());
}

/// A mock on a runtime of its own, for tests that run the binary against it.
pub(crate) struct Tenant {
    runtime: tokio::runtime::Runtime,
    server: Option<MockServer>,
}

impl Tenant {
    pub(crate) fn start(scenario: Scenario) -> Self {
        Self::start_logged(scenario, None)
    }

    /// As [`Tenant::start`], with `log` hearing of every request.
    pub(crate) fn start_logged(scenario: Scenario, log: Option<cxone_mock::RequestLog>) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(MockServer::start(
                scenario,
                "127.0.0.1:0".parse().unwrap(),
                log,
            ))
            .unwrap();
        Self {
            runtime,
            server: Some(server),
        }
    }

    pub(crate) fn server(&self) -> &MockServer {
        self.server.as_ref().unwrap()
    }
}

impl Drop for Tenant {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.stop());
        }
    }
}

fn tutorial_config(url: &str) -> String {
    format!(
        "client_id: \"mock-client-id\"\nclient_secret: \"mock-client-secret\"\nbase_url: \"{url}\"\n\
         test_payload:\n  transferContext:\n    queueId: \"a1b2c3d4-5678-90ab-cdef-123456789012\"\n    \
         participant:\n      name: \"John Doe\"\n      phoneNumber: \"+15551234567\"\n    \
         customAttributes:\n      intent: \"billing\"\n"
    )
}

pub(crate) fn private_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn the_tutorials_config_works_unchanged_and_a_dry_run_sends_nothing() {
    let tenant = Tenant::start(Scenario::built_in("healthy").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let config = private_file(
        dir.path(),
        "config.yaml",
        &tutorial_config(tenant.server().url()),
    );
    let out = doctor()
        .args(["diagnose", "--format", "json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("using the routing-v2 API"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["api"], "routing-v2");
    assert_eq!(report["verdict"], "pass");
    let simulate = &report["steps"][4];
    assert_eq!(simulate["findings"][0]["code"], "HD804");
    assert!(
        simulate["request"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/api/v2/interactions")
    );
    assert!(
        simulate["request"]["headers"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["Authorization", "Bearer ***"]))
    );
    assert!(
        tenant.server().placed_contacts().is_empty(),
        "a dry run creates no contact"
    );
    assert_eq!(
        tenant.server().requests(),
        3,
        "token, queue, agents: nothing for the contact"
    );

    doctor()
        .args([
            "simulate", "--live", "--yes", "--format", "json", "--config",
        ])
        .arg(&config)
        .assert()
        .code(0);
    assert_eq!(tenant.server().placed_contacts().len(), 1);
}

#[test]
fn the_environment_overrides_the_file_and_flags_override_both() {
    let tenant = Tenant::start(Scenario::built_in("healthy").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let dead = "http://127.0.0.1:9";
    let config = private_file(dir.path(), "config.yaml", &tutorial_config(dead));
    let run = |cmd: &mut assert_cmd::Command| {
        json_of(
            cmd.args(["auth", "--format", "json", "--config"])
                .arg(&config),
        )
    };
    let (report, code) = run(doctor().env("HANDOVER_DOCTOR_BASE_URL", tenant.server().url()));
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("pass"), 0),
        "{report}"
    );
    let (report, code) = run(&mut doctor());
    assert_eq!(
        (report["steps"][0]["findings"][0]["code"].as_str(), code),
        (Some("HD602"), 1)
    );
    // The flag beats the environment: cxone wants an access key, which the tutorial's config lacks.
    doctor()
        .env("HANDOVER_DOCTOR_API", "routing-v2")
        .args(["auth", "--api", "cxone", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the cxone profile needs access_key_id and access_key_secret",
        ));
    doctor()
        .env("HANDOVER_DOCTOR_MAX_ATTEMPTS", "many")
        .args(["auth", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("HANDOVER_DOCTOR_MAX_ATTEMPTS"));
}

#[test]
fn a_config_with_secrets_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = private_file(
        dir.path(),
        "config.yaml",
        &tutorial_config("http://127.0.0.1:9"),
    );
    let warning = "holds secrets and can be read by group or others";
    doctor()
        .args(["auth", "--config"])
        .arg(&config)
        .assert()
        .stderr(predicate::str::contains(warning).not());
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    doctor()
        .args(["auth", "--config"])
        .arg(&config)
        .assert()
        .stderr(predicate::str::contains(warning).and(predicate::str::contains("chmod 600")));
}

#[test]
fn no_secret_in_any_output_at_any_verbosity() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.credentials.client_secret = "client-secret-7Qx!".into();
    scenario.credentials.access_key_secret = "key-secret-9Zr?".into();
    let tenant = Tenant::start(scenario);
    let dir = tempfile::tempdir().unwrap();
    let url = tenant.server().url();
    let cxone = private_file(
        dir.path(),
        "cxone.yaml",
        &format!(
            "api: cxone\nauth_url: {url}\nclient_id: mock-client-id\nclient_secret: client-secret-7Qx!\n\
             access_key_id: mock-access-key-id\naccess_key_secret: key-secret-9Zr?\nscript_path: Handover\\Cognigy\n\
             test_payload: {{transferContext: {{queueId: \"4012345\", participant: {{name: A, phoneNumber: \"+14155552671\"}}}}}}\n"
        ),
    );
    let wrong = private_file(
        dir.path(),
        "wrong.yaml",
        &format!(
            "api: cxone\nauth_url: {url}\nclient_id: mock-client-id\nclient_secret: client-secret-7Qx!\naccess_key_id: x\naccess_key_secret: key-secret-9Zr?\n"
        ),
    );
    for config in [&cxone, &wrong] {
        for verbosity in ["-q", "-v", "-vv", "-vvv"] {
            for format in ["human", "json", "junit"] {
                let verbosity = if verbosity == "-q" {
                    "--color=never"
                } else {
                    verbosity
                };
                let out = doctor()
                    .args([
                        "diagnose", "--live", "--yes", "--follow", "1", verbosity, "--format",
                        format, "--config",
                    ])
                    .arg(config)
                    .output()
                    .unwrap();
                let all = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                for secret in ["client-secret-7Qx!", "key-secret-9Zr?", "eyJhbGciOiJub25l"] {
                    assert!(
                        !all.contains(secret),
                        "{secret} leaked with {verbosity} {format}:\n{all}"
                    );
                }
            }
        }
    }
}

#[test]
fn auth_shows_the_tenant_never_the_token() {
    let (report, code) = json_of(doctor().args(["auth", "--demo", "--format", "json"]));
    assert_eq!(code, 0);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1);
    let detail = steps[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("tenant 11eb0f1a") && detail.contains("business unit 4600123"),
        "{detail}"
    );
    assert!(detail.contains("token valid 3600 s"), "{detail}");
}

#[test]
fn queue_checks_named_queues_and_sweeps_all() {
    doctor()
        .args(["queue", "--demo", "no-agents", "4012345"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[HD703]"));
    doctor()
        .args(["queue", "--demo", "--all"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Billing Voice").and(predicate::str::contains("Billing Chat")),
        );
    let (sweep, _) = json_of(doctor().args(["queue", "--demo", "--all", "--format", "json"]));
    assert_eq!(sweep["queues"].as_array().unwrap().len(), 2);
    doctor()
        .args(["queue", "--demo", "--all", "--api", "routing-v2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("routing-v2 API has no"));
}

#[test]
fn junit_has_one_case_per_step() {
    let out = doctor()
        .args(["diagnose", "--demo", "queue-paused", "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(xml.matches("<testcase").count(), 6, "{xml}");
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
    assert_eq!(xml.matches("<skipped").count(), 1, "{xml}");
}

/// The payload is parsed once, by its contract: a number serde_json would refuse (1e400) is a
/// warning, and the diagnosis still reads the queue and places the contact.
#[test]
fn a_payload_with_a_number_beyond_a_float_is_still_diagnosed() {
    let report = Test::new()
        .tenant("healthy")
        .file(
            "payload.json",
            r#"{"transferContext": {"queueId": "4012345", "participant": {"name": "A", "phoneNumber": "+14155552671"}, "customAttributes": {"score": 1e400}}}"#,
        )
        .args(["diagnose", "--format", "json", "--payload", "payload.json"])
        .run()
        .json();
    let (verdict, codes) = outcome(&report);
    assert_eq!(
        (verdict.as_str(), codes),
        ("warn", BTreeSet::from(["HD107".to_string()])),
        "{report:#}"
    );
    let simulate = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "simulate");
    assert!(simulate.unwrap()["contact_id"].is_string(), "{report:#}");
}
