//! `logs --pull`: a Cognigy project's log collected into dated JSON Lines files before it
//! expires, resumed from a cursor, with GETs only.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cxone_mock::Scenario;
use serde_json::Value;

use crate::diagnose::Tenant;
use crate::test::Test;
use crate::{doctor, json_of};

const PROJECT: &str = cxone_mock::COGNIGY_PROJECT;

/// A mock whose request log the test reads, a directory with a config that points at both of
/// its sides (the CXone one for `simulate --live`, which places a contact), and the file a pull
/// writes the mock's day into.
struct Setup {
    tenant: Tenant,
    requests: Arc<Mutex<Vec<String>>>,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(scenario: Scenario) -> Self {
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = requests.clone();
        let log: cxone_mock::RequestLog = Arc::new(move |method, path, status, _| {
            seen.lock()
                .unwrap()
                .push(format!("{method} {path} {status}"));
        });
        let tenant = Tenant::start_logged(scenario, Some(log));
        let dir = tempfile::tempdir().unwrap();
        let url = tenant.server().url();
        std::fs::write(
            dir.path().join("handover-doctor.yaml"),
            format!(
                "cognigy_url: {url}\ncognigy_project: {PROJECT}\napi: cxone\nauth_url: {url}\n\
                 client_id: mock-client-id\nclient_secret: mock-client-secret\n\
                 access_key_id: mock-access-key-id\naccess_key_secret: mock-access-key-secret\n\
                 script_path: Handover\\Cognigy\n"
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("handover-doctor.yaml"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        Self {
            tenant,
            requests,
            dir,
        }
    }

    fn healthy() -> Self {
        Self::new(Scenario::built_in("healthy").unwrap())
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn day_file(&self) -> PathBuf {
        self.out()
            .join(format!("cognigy-logs-{PROJECT}-2026-11-24.jsonl"))
    }

    /// `logs --pull` with the config's connection and the key from the environment.
    fn pull(&self, extra: &[&str]) -> assert_cmd::Command {
        let mut cmd = doctor();
        cmd.current_dir(self.dir.path())
            .env(
                "HANDOVER_DOCTOR_COGNIGY_API_KEY",
                cxone_mock::COGNIGY_API_KEY,
            )
            .args([
                "logs",
                "--pull",
                "--out",
                "out",
                "--since",
                "2026-11-23T00:00:00Z",
            ])
            .args(extra);
        cmd
    }

    /// The pull's JSON summary, and its exit code.
    fn pull_json(&self) -> (Value, i32) {
        json_of(&mut self.pull(&["--format", "json"]))
    }

    /// A contact placed on the CXone side, as a live `simulate` places one: the bot's log gains
    /// its conversation.
    fn place_contact(&self) {
        doctor()
            .current_dir(self.dir.path())
            .args([
                "simulate",
                "--live",
                "--yes",
                "--format",
                "json",
                "--payload",
            ])
            .arg(crate::root().join("examples/transfer-context/valid.json"))
            .assert()
            .code(0);
    }
}

/// The entries of a JSON Lines file, in order.
fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn a_pull_writes_the_mocks_log_by_day_and_a_second_pull_writes_nothing() {
    let setup = Setup::healthy();
    let (summary, code) = setup.pull_json();
    assert_eq!(code, 0, "{summary}");
    let log = setup.tenant.server().cognigy_log();
    assert_eq!(log.len(), 20, "two contacts of ten lines each");
    assert_eq!(summary["pull"]["entries"], 20, "{summary}");
    // The mock pages two at a time: every page was read.
    assert_eq!(summary["pull"]["pages"], 10, "{summary}");
    assert_eq!(summary["pull"]["first"], "2026-11-24T10:00:00.100Z");
    assert_eq!(summary["pull"]["last"], "2026-11-24T10:01:20.391Z");
    assert_eq!(
        summary["pull"]["files"][0]["path"],
        format!("out/cognigy-logs-{PROJECT}-2026-11-24.jsonl")
    );
    assert_eq!(
        lines(&setup.day_file()),
        log,
        "every entry, as the API sent it, in its order"
    );

    let before = std::fs::read(setup.day_file()).unwrap();
    let (again, code) = setup.pull_json();
    assert_eq!(code, 0);
    assert_eq!(again["pull"]["entries"], 0, "{again}");
    assert_eq!(again["pull"]["files"], Value::Array(Vec::new()));
    assert_eq!(std::fs::read(setup.day_file()).unwrap(), before);
    let written: Vec<_> = std::fs::read_dir(setup.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        written.len(),
        2,
        "the day's file and the cursor: {written:?}"
    );

    let requests = setup.requests.lock().unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with(&format!("GET /new/v2.0/projects/{PROJECT}/logs "))),
        "{requests:?}"
    );
}

#[test]
fn a_pull_after_the_log_grew_appends_only_the_new_entries() {
    let setup = Setup::healthy();
    assert_eq!(setup.pull_json().1, 0);
    setup.place_contact();
    let log = setup.tenant.server().cognigy_log();
    assert_eq!(log.len(), 30, "the placed contact's conversation");
    let (summary, code) = setup.pull_json();
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["pull"]["entries"], 10, "{summary}");
    assert_eq!(lines(&setup.day_file()), log);
}

#[test]
fn an_interrupted_pull_loses_nothing_it_wrote_and_the_next_repeats_nothing() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.cognigy_logs_fail_once = true;
    let setup = Setup::new(scenario);
    let out = setup.pull(&[]).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(
        stderr.contains("the next pull goes on from there"),
        "{stderr}"
    );
    let log = setup.tenant.server().cognigy_log();
    assert_eq!(lines(&setup.day_file()), log[..2], "the first page, kept");

    let (summary, code) = setup.pull_json();
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["pull"]["entries"], 18, "{summary}");
    assert_eq!(
        lines(&setup.day_file()),
        log,
        "no entry twice, none missing"
    );
}

/// The same guarantees when the API lists the log newest first: the cursor moves only once the
/// list is read, and a pull stops at the first page older than what it has.
#[test]
fn a_log_listed_newest_first_is_pulled_whole_once_and_resumed_without_repeats() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.cognigy_logs_newest_first = true;
    scenario.faults.cognigy_logs_fail_once = true;
    let setup = Setup::new(scenario);
    let newest_first = |mut log: Vec<Value>| {
        log.reverse();
        log
    };
    // Stopped at its second page: the first page is written but not counted, since older
    // entries were still to come.
    setup.pull(&[]).assert().code(2);
    let (summary, code) = setup.pull_json();
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["pull"]["entries"], 20, "{summary}");
    let log = setup.tenant.server().cognigy_log();
    assert_eq!(lines(&setup.day_file()), newest_first(log));

    let (again, _) = setup.pull_json();
    assert_eq!(again["pull"]["entries"], 0, "{again}");
    assert_eq!(
        again["pull"]["pages"], 1,
        "nothing newer on the first page: {again}"
    );

    setup.place_contact();
    let (grown, _) = setup.pull_json();
    assert_eq!(grown["pull"]["entries"], 10, "{grown}");
    assert_eq!(
        grown["pull"]["pages"], 6,
        "five new pages, one old: {grown}"
    );
    let log = setup.tenant.server().cognigy_log();
    let mut expected = newest_first(log[..20].to_vec());
    expected.extend(newest_first(log[20..].to_vec()));
    assert_eq!(lines(&setup.day_file()), expected);
}

#[test]
fn bytes_a_run_wrote_past_its_cursor_are_cut_off_and_fetched_again() {
    let setup = Setup::healthy();
    assert_eq!(setup.pull_json().1, 0);
    let log = setup.tenant.server().cognigy_log();
    // A run that appended, then died before it moved the cursor: a whole entry and half of one.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(setup.day_file())
        .unwrap();
    use std::io::Write;
    writeln!(file, "{}", log[19]).unwrap();
    write!(file, "{{\"_id\":\"6744b1c0").unwrap();
    drop(file);
    setup
        .pull(&[])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("were cut off and fetched again"));
    assert_eq!(lines(&setup.day_file()), log);
}

#[test]
fn the_api_key_never_shows_whatever_the_output() {
    let setup = Setup::healthy();
    for (extra, rust_log) in [(&[][..], "off"), (&["--format", "json"][..], "trace")] {
        let out = setup
            .pull(extra)
            .env("RUST_LOG", rust_log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!shown.contains(cxone_mock::COGNIGY_API_KEY), "{shown}");
    }
    let cursor = std::fs::read_to_string(
        setup
            .out()
            .join(format!(".handover-doctor-logs-cursor-{PROJECT}.json")),
    )
    .unwrap();
    assert!(!cursor.contains(cxone_mock::COGNIGY_API_KEY), "{cursor}");
}

#[test]
fn the_pulled_files_read_back_as_any_export_does() {
    let setup = Setup::healthy();
    assert_eq!(setup.pull_json().1, 0);
    let out = setup.out().display().to_string();
    Test::new()
        .args(["logs", &out])
        .stdout_contains("from the logs: 20 entries, 20 handover events")
        .stdout_contains("2 handovers checked: all valid")
        .run();
    Test::new()
        .args(["validate", "--from", "cognigy-logs", &out])
        .stdout_contains("from the logs: 20 entries, 20 handover events")
        .run();
}

#[test]
fn the_demo_pulls_from_the_built_in_mock_and_says_what_it_wrote() {
    let test = Test::new()
        .args(["logs", "--pull", "--out", "pulled"])
        .tenant("contact-drops")
        .stderr_contains("pulled 20 new entries of project 6e0c0f4b2a1d9c0017a1b2c3 (2026-11-24T10:00:00.100Z to 2026-11-24T10:01:20.391Z) into pulled:")
        .stderr_contains("pulled/cognigy-logs-6e0c0f4b2a1d9c0017a1b2c3-2026-11-24.jsonl  +20");
    test.run();
}

#[test]
fn a_pull_takes_no_paths_and_needs_a_directory() {
    Test::new()
        .args(["logs", "--pull", "--out", "x", "--session", "s1"])
        .tenant("healthy")
        .status(2)
        .stderr_contains("--session and --contact-id narrow what `logs` reads")
        .run();
    Test::new()
        .args([
            "logs",
            "--pull",
            "--out",
            "x",
            "examples/cognigy-logs/day.jsonl",
        ])
        .status(2)
        .stderr_contains("cannot be used with")
        .run();
    Test::new()
        .args(["logs", "--pull", "--demo"])
        .status(2)
        .stderr_contains("--out <DIR>")
        .run();
}
