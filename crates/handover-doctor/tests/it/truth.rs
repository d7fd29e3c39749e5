//! The binary against a mock that plays the public CXone API as it is: what a user sees (codes,
//! counts, verdicts, exit status) and what the tenant recorded. Loopback only.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cxone_mock::{Agent, MockServer, Scenario};

use crate::diagnose::{Tenant, private_file};
use crate::{doctor, json_of};

const SKILL_ID: u64 = 4_012_345;
/// The healthy tenant's contact whose script has an ONSIGNAL handler.
const BOT_CONTACT: &str = "123456789012";
const BOT_CONTACT_ID: u64 = 123_456_789_012;

/// The `test_payload` block `mock --print-config cxone` writes.
const PAYLOAD: &str = "test_payload:\n  transferContext:\n    queueId: \"4012345\"\n    \
                       participant:\n      name: \"John Doe\"\n      phoneNumber: \"+15551234567\"\n    \
                       customAttributes:\n      intent: \"billing\"\n";

pub(crate) fn cxone_config(url: &str, payload: bool) -> String {
    format!(
        "api: cxone\nauth_url: {url}\naccess_key_url: {url}\nclient_id: mock-client-id\n\
         client_secret: mock-client-secret\naccess_key_id: mock-access-key-id\n\
         access_key_secret: mock-access-key-secret\nscript_path: Handover\\Cognigy\n{}",
        if payload { PAYLOAD } else { "" }
    )
}

/// A mock tenant and a cxone config (mode 600) that points at it.
struct Live {
    tenant: Tenant,
    config: PathBuf,
    _dir: tempfile::TempDir,
}

impl Live {
    fn new(scenario: Scenario) -> Self {
        Self::with_payload(scenario, true)
    }

    fn with_payload(scenario: Scenario, payload: bool) -> Self {
        let tenant = Tenant::start(scenario);
        let dir = tempfile::tempdir().unwrap();
        let config = private_file(
            dir.path(),
            "handover-doctor.yaml",
            &cxone_config(tenant.server().url(), payload),
        );
        Self {
            tenant,
            config,
            _dir: dir,
        }
    }

    fn server(&self) -> &MockServer {
        self.tenant.server()
    }

    /// Runs the binary with these arguments, `--format json` and this config.
    fn json(&self, args: &[&str]) -> (serde_json::Value, i32) {
        json_of(
            doctor()
                .args(args)
                .args(["--format", "json", "--config"])
                .arg(&self.config),
        )
    }
}

fn healthy() -> Scenario {
    Scenario::built_in("healthy").unwrap()
}

fn step<'r>(report: &'r serde_json::Value, id: &str) -> &'r serde_json::Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}: {report:#}"))
}

/// The codes of a step's findings.
fn step_codes(report: &serde_json::Value, id: &str) -> Vec<String> {
    step(report, id)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every finding of every step.
fn findings(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap())
        .collect()
}

fn all_codes(report: &serde_json::Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn message<'r>(report: &'r serde_json::Value, code: &str) -> &'r str {
    findings(report)
        .into_iter()
        .find(|f| f["code"] == code)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {code}: {report:#}"))
}

fn contact_record(server: &MockServer, id: u64) -> cxone_mock::ContactRecord {
    server
        .contacts()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("the mock has no contact {id}"))
}

fn state_names(names: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    names
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---- 9. paged lists -----------------------------------------------------------------------------

#[test]
fn the_one_available_agent_on_the_second_page_is_found() {
    let mut scenario = healthy();
    scenario.agents = (1..=130)
        .map(|n| {
            let state = if n == 130 { "Available" } else { "Unavailable" };
            Agent::new(
                10_000 + n,
                "Agent",
                &format!("No{n:03}"),
                state,
                vec![SKILL_ID],
            )
        })
        .collect();
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose", "--live", "--yes", "--follow", "5"]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("pass"), 0),
        "{report:#}"
    );
    assert!(!all_codes(&report).contains(&"HD703".into()), "{report:#}");
    let agents = &step(&report, "agents")["agents"];
    assert_eq!(agents["assigned"], 130);
    assert_eq!(agents["available"], 1);
    assert_eq!(
        agents["available_names"],
        serde_json::json!(["Agent No130"])
    );
    assert_eq!(step(&report, "queue")["queue"]["activity"]["available"], 1);
    let detail = step(&report, "simulate")["detail"].as_str().unwrap();
    assert!(detail.contains("reached agent 10130"), "{detail}");
    assert_eq!(live.server().placed_contacts().len(), 1);
}

// ---- 10. one availability rule ------------------------------------------------------------------

/// Ana Lima is Available, but her assignment to the skill is inactive; nobody else is Available.
fn available_only_inactively() -> Scenario {
    let mut scenario = healthy();
    let mut ana = Agent::new(9001, "Ana", "Lima", "Available", vec![SKILL_ID]);
    ana.inactive_skills = vec![SKILL_ID];
    scenario.agents = vec![
        ana,
        Agent::new(9002, "Ben", "Okafor", "Unavailable", vec![SKILL_ID]),
        Agent::new(9003, "Chen", "Wu", "InboundContact", vec![SKILL_ID]),
    ];
    scenario
}

#[test]
fn an_available_agent_with_an_inactive_assignment_is_nobody_available() {
    let live = Live::new(available_only_inactively());
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("warn"), 0),
        "{report:#}"
    );
    let codes = step_codes(&report, "agents");
    assert!(codes.contains(&"HD703".into()), "{report:#}");
    assert!(!codes.contains(&"HD706".into()), "{report:#}");
    let hd703 = message(&report, "HD703");
    assert!(
        hd703.contains("Available but with an inactive assignment") && hd703.contains("Ana Lima"),
        "{hd703}"
    );
    let agents = &step(&report, "agents")["agents"];
    assert_eq!(agents["available"], 0);
    assert_eq!(agents["inactive_assignments"], 1);
    assert_eq!(
        agents["inactive_but_available"],
        serde_json::json!(["Ana Lima"])
    );

    // The platform's own count says 1: the two counts disagree, and the report says why.
    let mut scenario = available_only_inactively();
    scenario.skills[0].activity_available = Some(1);
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(code, 0, "{report:#}");
    let codes = step_codes(&report, "agents");
    assert!(
        codes.contains(&"HD703".into()) && codes.contains(&"HD706".into()),
        "{report:#}"
    );
    let hd706 = message(&report, "HD706");
    assert!(
        hd706.contains("counts 1 Available") && hd706.contains("Ana Lima is Available"),
        "{hd706}"
    );
}

// ---- 11. no repeat of a call that creates something ---------------------------------------------

#[test]
fn a_lost_spawn_answer_is_hd808_and_one_contact() {
    let mut scenario = healthy();
    scenario.faults.lose_answers = vec!["spawn".into()];
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose", "--live", "--yes"]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("fail"), 1),
        "{report:#}"
    );
    assert_eq!(step_codes(&report, "simulate"), vec!["HD808"], "{report:#}");
    assert_eq!(live.server().placed_contacts().len(), 1);
}

#[test]
fn a_lost_signal_answer_is_hd808_and_one_signal() {
    let mut scenario = healthy();
    scenario.faults.lose_answers = vec!["signal".into()];
    let live = Live::new(scenario);
    let (report, code) = live.json(&[
        "simulate",
        "--via",
        "signal",
        "--live",
        "--yes",
        "--contact-id",
        BOT_CONTACT,
    ]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("fail"), 1),
        "{report:#}"
    );
    assert_eq!(step_codes(&report, "simulate"), vec!["HD808"], "{report:#}");
    assert_eq!(
        contact_record(live.server(), BOT_CONTACT_ID).signals.len(),
        1
    );
}

// ---- 12. following a contact --------------------------------------------------------------------

#[test]
fn a_contact_that_reaches_an_agent_at_once_is_read_once() {
    let live = Live::new(healthy());
    let started = Instant::now();
    let (report, code) = live.json(&["diagnose", "--live", "--yes", "--follow", "10"]);
    let took = started.elapsed();
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("pass"), 0),
        "{report:#}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let simulate = step(&report, "simulate");
    let polls = simulate["polls"].as_u64().unwrap();
    assert!(polls <= 2, "{simulate:#}");
    assert_eq!(
        polls, 1,
        "the first poll already shows the agent: {simulate:#}"
    );
    assert!(
        simulate["detail"]
            .as_str()
            .unwrap()
            .contains("reached agent 9001"),
        "{simulate:#}"
    );
}

// ---- 13. state names as the tenant spells them --------------------------------------------------

#[test]
fn contact_outcomes_are_read_in_the_tenants_spelling() {
    let names = state_names(&[
        ("PreQueue", "prequeue"),
        ("Queued", "QUEUED"),
        ("Active", "active"),
        ("EndContact", "endcontact"),
    ]);
    let mut scenario = healthy();
    scenario.tenant.state_names = names.clone();
    scenario.faults.contacts_end_in = Some("Queued".into());
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose", "--live", "--yes", "--follow", "5"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(step_codes(&report, "simulate"), vec!["HD809"], "{report:#}");
    let hd809 = message(&report, "HD809");
    assert!(
        hd809.contains("last state QUEUED")
            && hd809.contains("Incoming → prequeue → QUEUED → endcontact"),
        "{hd809}"
    );

    let mut scenario = healthy();
    scenario.tenant.state_names = names;
    scenario.faults.contacts_end_in = Some("PreQueue".into());
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose", "--live", "--yes", "--follow", "5"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(step_codes(&report, "simulate"), vec!["HD805"], "{report:#}");
    let hd805 = message(&report, "HD805");
    assert!(hd805.contains("ended in prequeue"), "{hd805}");
}

// ---- 14. answers the client does not know -------------------------------------------------------

#[test]
fn an_empty_answer_is_hd900_never_nobody_available() {
    let mut scenario = healthy();
    scenario.faults.answer_shape = Some("empty".into());
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("fail"), 1),
        "{report:#}"
    );
    assert_eq!(step_codes(&report, "queue"), vec!["HD900"], "{report:#}");
    assert!(!all_codes(&report).contains(&"HD703".into()), "{report:#}");
    assert_eq!(step(&report, "simulate")["status"], "skip");
}

// ---- 15. a token refused before its time --------------------------------------------------------

#[test]
fn a_token_expiring_mid_run_is_renewed_with_a_warning() {
    let (report, code) =
        json_of(doctor().args(["diagnose", "--demo", "token-expiry", "--format", "json"]));
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("warn"), 0),
        "{report:#}"
    );
    assert!(all_codes(&report).contains(&"HD606".into()), "{report:#}");
}

// ---- 16. consent --------------------------------------------------------------------------------

#[test]
fn a_live_contact_without_yes_and_without_a_terminal_sends_nothing() {
    let live = Live::new(healthy());
    for args in [
        &["diagnose", "--live"][..],
        &[
            "simulate",
            "--via",
            "signal",
            "--live",
            "--contact-id",
            BOT_CONTACT,
        ][..],
    ] {
        let out = doctor()
            .args(args)
            .arg("--config")
            .arg(&live.config)
            .write_stdin("")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--yes"), "{args:?}: {stderr}");
        assert_eq!(live.server().requests(), 0, "{args:?}");
        assert!(live.server().placed_contacts().is_empty(), "{args:?}");
        assert!(
            contact_record(live.server(), BOT_CONTACT_ID)
                .signals
                .is_empty(),
            "{args:?}"
        );
    }
}

// ---- 17. one availability figure, whichever command shows it ------------------------------------

#[test]
fn queue_all_and_diagnose_agree_on_every_working_scenario() {
    const SCENARIOS: &[&str] = &[
        "healthy",
        "queue-paused",
        "no-agents",
        "rate-limited",
        "flaky",
        "slow",
        "wrong-media-type",
        "contact-drops",
        "token-expiry",
    ];
    // Run together: most of the time is the scenarios' own latency and Retry-After.
    let results: Vec<(&str, serde_json::Value, serde_json::Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = SCENARIOS
            .iter()
            .map(|name| {
                s.spawn(move || {
                    let (sweep, code) = json_of(
                        doctor().args(["queue", "--demo", name, "--all", "--format", "json"]),
                    );
                    assert_eq!(code, 0, "queue --all {name}: {sweep:#}");
                    let (report, _) =
                        json_of(doctor().args(["diagnose", "--demo", name, "--format", "json"]));
                    (*name, sweep, report)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (name, sweep, report) in results {
        let row = sweep["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "4012345")
            .unwrap_or_else(|| panic!("{name}: no skill 4012345 in {sweep:#}"));
        let agents = &step(&report, "agents")["agents"];
        let activity = &step(&report, "queue")["queue"]["activity"];
        assert!(
            agents.is_object() && activity.is_object(),
            "{name}: {report:#}"
        );
        assert_eq!(row["available"], agents["available"], "{name}: available");
        assert_eq!(
            row["available"], activity["available"],
            "{name}: activity available"
        );
        assert_eq!(row["logged_in"], agents["logged_in"], "{name}: logged in");
        assert_eq!(row["queued"], activity["queued"], "{name}: queued");
    }
}

// ---- 18. incomplete is not a pass ---------------------------------------------------------------

#[test]
fn without_a_payload_the_diagnosis_is_incomplete() {
    let live = Live::with_payload(healthy(), false);
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("incomplete"), 2),
        "{report:#}"
    );
    let missing = report["missing"].as_array().unwrap();
    assert!(missing.contains(&"a payload".into()), "{report:#}");
    let out = doctor()
        .args(["diagnose", "--config"])
        .arg(&live.config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("? incomplete"), "{stdout}");
}

/// `handover-doctor mock` serving in the background, ended (by its own id) when dropped.
pub(crate) struct MockProcess(Child);

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `mock --print-config cxone --port 0` and reads the config it prints, up to the end of
/// its `test_payload` block.
pub(crate) fn printed_config() -> (MockProcess, String) {
    printed_config_of("healthy")
}

/// [`printed_config`] of a mock playing `scenario`.
pub(crate) fn printed_config_of(scenario: &str) -> (MockProcess, String) {
    let mut child = MockProcess(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("handover-doctor"))
            .args(["mock", "--print-config", "cxone", "--port", "0"])
            .args(["--scenario", scenario])
            .current_dir(crate::root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (lines, got) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line).is_err() {
                return;
            }
        }
    });
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let line = got
            .recv_timeout(wait)
            .unwrap_or_else(|e| panic!("the config ended early ({e}): {text}"))
            .unwrap();
        text += &line;
        text += "\n";
        if line.trim() == "intent: \"billing\"" {
            return (child, text);
        }
    }
}

#[test]
fn the_config_the_mock_prints_runs_every_step() {
    let (_mock, text) = printed_config();
    assert!(
        text.contains("test_payload:") && text.contains("queueId: \"4012345\""),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let config = private_file(dir.path(), "handover-doctor.yaml", &text);
    let (report, code) = json_of(
        doctor()
            .args(["diagnose", "--format", "json", "--config"])
            .arg(&config),
    );
    assert_eq!(
        (report["verdict"].as_str(), code),
        (Some("pass"), 0),
        "{report:#}"
    );
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["missing"], serde_json::json!([]));
    let steps = report["steps"].as_array().unwrap();
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["payload", "auth", "queue", "agents", "script", "simulate"]
    );
    for s in steps {
        assert_ne!(s["status"], "skip", "{s:#}");
    }
}

// ---- 19. what a pass claims ---------------------------------------------------------------------

#[test]
fn auth_alone_passes_as_signed_in() {
    let out = doctor().args(["auth", "--demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("✓ pass: signed in"), "{stdout}");
}

// ---- 20. where a signal's parameters travel -----------------------------------------------------

#[test]
fn signal_params_choose_query_or_body() {
    let request = |place: &str| {
        let (report, code) = json_of(doctor().args([
            "simulate",
            "--via",
            "signal",
            "--demo",
            "--contact-id",
            BOT_CONTACT,
            "--signal-params",
            place,
            "--format",
            "json",
        ]));
        assert_eq!(code, 0, "{place}: {report:#}");
        step(&report, "simulate")["request"].clone()
    };
    let body = request("body");
    let url = body["url"].as_str().unwrap();
    assert!(
        url.ends_with("/interactions/123456789012/signal") && !url.contains("?p1="),
        "{url}"
    );
    assert!(
        body["body"]
            .as_str()
            .unwrap()
            .contains("\"p1\":\"Escalate\""),
        "{body:#}"
    );

    let query = request("query");
    let url = query["url"].as_str().unwrap();
    assert!(
        url.ends_with("/interactions/123456789012/signal?p1=Escalate"),
        "{url}"
    );
    assert!(query["body"].is_null(), "{query:#}");
}

/// The config's `severity` map re-levels the diagnosis's findings as it does a payload's: a team
/// that staffs a queue on demand turns HD703 off, and one that must never wait raises it.
#[test]
fn the_severity_map_re_levels_diagnosis_findings() {
    let live = Live::new(Scenario::built_in("no-agents").unwrap());
    let base = std::fs::read_to_string(&live.config).unwrap();
    let agents = |report: &serde_json::Value| {
        report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "agents")
            .unwrap()
            .clone()
    };
    let (report, status) = live.json(&["queue", "4012345"]);
    assert_eq!(
        (status, agents(&report)["status"].as_str()),
        (0, Some("warn"))
    );

    private_file(
        live.config.parent().unwrap(),
        "handover-doctor.yaml",
        &format!("{base}severity:\n  HD703: error\n"),
    );
    let (report, status) = live.json(&["queue", "4012345"]);
    let step = agents(&report);
    assert_eq!((status, step["status"].as_str()), (1, Some("fail")));
    assert_eq!(step["findings"][0]["severity"], "error", "{step}");

    private_file(
        live.config.parent().unwrap(),
        "handover-doctor.yaml",
        &format!("{base}severity:\n  no-agents-available: off\n"),
    );
    let (report, status) = live.json(&["queue", "4012345"]);
    let step = agents(&report);
    let codes: Vec<&str> = step["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    // The backlog (HD705) still stands on its own.
    assert_eq!((status, codes), (0, vec!["HD705"]), "{step}");
}

/// A diagnosis in SARIF is valid SARIF, and a finding about the tenant is placed in the config
/// file that sets the connection: code scanning refuses a result without a location.
#[test]
fn a_diagnosis_in_sarif_places_tenant_findings_in_the_config_file() {
    let live = Live::new(Scenario::built_in("no-agents").unwrap());
    let (sarif, status) = json_of(
        doctor()
            .args(["queue", "4012345", "--format", "sarif", "--config"])
            .arg(&live.config),
    );
    assert_eq!(status, 0);
    crate::annotations::assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let hd703 = results.iter().find(|r| r["ruleId"] == "HD703").unwrap();
    assert_eq!(hd703["level"], "warning");
    let uri = hd703["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("handover-doctor.yaml"), "{hd703}");
    assert!(
        hd703["locations"][0]["physicalLocation"]["region"].is_null(),
        "the whole file, not a line of it: {hd703}"
    );
}

/// Several queues in one run are several diagnoses: a JUnit or SARIF document cannot follow
/// another in one output, so those formats take one queue a run, and say so.
#[test]
fn several_queues_are_refused_where_one_output_holds_one_document() {
    for format in ["junit", "sarif"] {
        let out = doctor()
            .args(["queue", "4012345", "4012346", "--demo", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("2 {format} documents in one output")),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = doctor()
        .args(["queue", "--demo", "--all", "--format", "junit"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not junit"));
}

/// The payload step names the layer its payload came from: the environment wins over the file,
/// and the step says so, not the file it did not use.
#[test]
fn a_test_payload_from_the_environment_is_named_as_such() {
    let live = Live::new(healthy());
    let (report, _) = json_of(
        doctor()
            .args(["diagnose", "--format", "json", "--config"])
            .arg(&live.config)
            .env(
                "HANDOVER_DOCTOR_TEST_PAYLOAD",
                r#"{"transferContext":{"queueId":"4012345","participant":{"name":"Env Payload","phoneNumber":"+14155552671"}}}"#,
            ),
    );
    let detail = report["steps"][0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("test_payload in the environment (HANDOVER_DOCTOR_TEST_PAYLOAD)"),
        "{detail}"
    );
}

/// `lint --studio-script` only reads: against a tenant it places no contact and sends no signal,
/// whatever it finds in the script.
#[test]
fn lint_of_a_tenants_script_changes_nothing_there() {
    let live = Live::with_payload(healthy(), false);
    for (path, status) in [("Handover\\Cognigy", 0), ("Handover\\NoAgent", 1)] {
        let out = doctor()
            .args(["lint", "--studio-script", path, "--config"])
            .arg(&live.config)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(status), "{path}: {out:?}");
    }
    let server = live.tenant.server();
    assert!(server.placed_contacts().is_empty());
    assert!(
        server.contacts().iter().all(|c| c.signals.is_empty()),
        "no signal was sent"
    );
}

// ---- the script step: the Studio script a test contact spawns -----------------------------------

#[test]
fn the_script_step_lints_the_script_the_test_contact_spawns() {
    let live = Live::new(healthy());
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(code, 0, "{report:#}");
    let script = step(&report, "script");
    assert_eq!(script["status"], "pass", "{script:#}");
    assert_eq!(
        script["detail"],
        "Studio script Handover\\Cognigy linted (HD970-HD979): no findings"
    );
    // Reading the script and the skills places nothing and signals nothing.
    assert!(live.server().placed_contacts().is_empty());
}

#[test]
fn a_script_path_the_tenant_lacks_is_hd810() {
    let mut scenario = healthy();
    scenario.scripts.retain(|s| s.path != "Handover\\Cognigy");
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(step(&report, "script")["status"], "fail");
    assert_eq!(step_codes(&report, "script"), ["HD810"]);
    assert!(
        message(&report, "HD810").contains("no Studio script at script_path `Handover\\Cognigy`"),
        "{report:#}"
    );
}

#[test]
fn a_script_the_tenant_knows_on_an_unknown_skill_fails_the_step_with_hd977() {
    let mut scenario = healthy();
    for script in &mut scenario.scripts {
        if script.path == "Handover\\Cognigy" {
            script.reqagent_skill = Some("Billing Legacy".into());
        }
    }
    let live = Live::new(scenario);
    let (report, code) = live.json(&["diagnose"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(step_codes(&report, "script"), ["HD977"]);
    // The finding is placed in the script as the tenant sent it, as `lint --studio-script` places it.
    let finding = &step(&report, "script")["findings"][0];
    assert_eq!(finding["pointer"], "/properties/13/0/value", "{finding:#}");
}

#[test]
fn a_key_that_may_not_read_scripts_skips_the_step_and_says_so() {
    let (report, code) = json_of(doctor().args([
        "diagnose",
        "--demo",
        "permission-denied",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1, "{report:#}");
    let script = step(&report, "script");
    assert_eq!(script["status"], "skip", "{script:#}");
    assert!(
        script["detail"]
            .as_str()
            .unwrap()
            .contains("may not read Studio scripts"),
        "{script:#}"
    );
}

#[test]
fn a_contact_that_never_leaves_prequeue_is_explained_by_the_missing_reqagent() {
    let (report, code) =
        json_of(doctor().args(["diagnose", "--demo", "contact-drops", "--format", "json"]));
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(step_codes(&report, "script"), ["HD970"]);
    assert_eq!(step_codes(&report, "simulate"), ["HD805"]);
    let dropped = message(&report, "HD805");
    assert!(
        dropped.contains("never reached Queued")
            && dropped.contains(
                "the script step found why: script `Handover\\NoAgent` has no REQAGENT action"
            ),
        "{dropped}"
    );
}

#[test]
fn routing_v2_has_no_script_step() {
    let (report, code) = json_of(doctor().args([
        "diagnose",
        "--demo",
        "--api",
        "routing-v2",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{report:#}");
    let ids: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["payload", "auth", "queue", "agents", "simulate"]);
}
