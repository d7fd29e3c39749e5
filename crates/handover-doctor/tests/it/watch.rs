//! `watch` as Prometheus, a webhook and an operator see it: a real process against the mock,
//! scraped over HTTP, stopped with signals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `watch`, the address its metrics answer on, and its standard output so far.
struct Watch {
    child: Child,
    addr: String,
    stdout: Arc<Mutex<String>>,
}

impl Watch {
    fn start(args: &[&str]) -> Watch {
        let mut command = crate::isolated(Command::new(assert_cmd::cargo::cargo_bin(
            "handover-doctor",
        )));
        let mut child = command
            .arg("watch")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in: {first}"))
            .to_string();
        // Keep draining stderr so that the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
        });
        let stdout = Arc::new(Mutex::new(String::new()));
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let sink = stdout.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while out.read_line(&mut line).unwrap_or(0) > 0 {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Watch {
            child,
            addr,
            stdout,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(&self.addr, path)
    }

    /// The metrics once `rounds` rounds have finished (at most `within`).
    fn metrics_after(&self, rounds: f64, within: Duration) -> Metrics {
        let deadline = Instant::now() + within;
        loop {
            let (status, text) = self.get("/metrics");
            assert_eq!(status, 200, "{text}");
            let metrics = Metrics::parse(&text);
            let done = metrics.sum("handover_rounds_total");
            if done >= rounds {
                return metrics;
            }
            assert!(
                Instant::now() < deadline,
                "only {done} rounds after {within:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end (at most `within`): its exit code and standard output.
    fn wait(mut self, within: Duration) -> (i32, String) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader thread sees the pipe close with the process.
                std::thread::sleep(Duration::from_millis(100));
                let out = self.stdout.lock().unwrap().clone();
                return (status.code().unwrap_or(-1), out);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("watch did not stop within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn events(&self) -> Vec<serde_json::Value> {
        events_in(&self.stdout.lock().unwrap())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn events_in(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v.get("event").is_some())
        .collect()
}

/// A GET over plain HTTP/1.0: the status and the body.
fn get(addr: &str, path: &str) -> (u16, String) {
    get_accepting(addr, path, "*/*")
}

fn get_accepting(addr: &str, path: &str, accept: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: {accept}\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A sample: its metric name, its labels and its value.
type Sample = (String, Vec<(String, String)>, f64);

/// Samples of the text format, by name and labels.
struct Metrics {
    samples: Vec<Sample>,
    text: String,
}

impl Metrics {
    /// Every sample line: `name{label="value",...} value`. Comment lines must be HELP, TYPE,
    /// UNIT or the closing EOF.
    fn parse(text: &str) -> Metrics {
        let mut samples = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            if let Some(comment) = line.strip_prefix("# ") {
                assert!(
                    ["HELP ", "TYPE ", "UNIT ", "EOF"]
                        .iter()
                        .any(|k| comment.starts_with(k)),
                    "{line}"
                );
                continue;
            }
            let (series, value) = line.rsplit_once(' ').unwrap();
            let value: f64 = match value {
                "+Inf" => f64::INFINITY,
                v => v.parse().unwrap_or_else(|_| panic!("{line}")),
            };
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => {
                    let rest = rest.strip_suffix('}').unwrap();
                    let labels = rest
                        .split("\",")
                        .filter(|p| !p.is_empty())
                        .map(|pair| {
                            let (k, v) = pair.split_once("=\"").unwrap();
                            (k.to_string(), v.trim_end_matches('"').to_string())
                        })
                        .collect();
                    (name.to_string(), labels)
                }
                None => (series.to_string(), Vec::new()),
            };
            samples.push((name, labels, value));
        }
        Metrics {
            samples,
            text: text.to_string(),
        }
    }

    /// The value of the one sample of `name` whose labels include `with`.
    fn value(&self, name: &str, with: &[(&str, &str)]) -> Option<f64> {
        let found: Vec<f64> = self
            .samples
            .iter()
            .filter(|(n, labels, _)| {
                n == name
                    && with
                        .iter()
                        .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
            })
            .map(|(_, _, v)| *v)
            .collect();
        assert!(found.len() <= 1, "{name} {with:?}: {found:?}");
        found.first().copied()
    }

    /// All samples of `name`, added up.
    fn sum(&self, name: &str) -> f64 {
        self.samples
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, _, v)| v)
            .sum()
    }
}

/// Checks the exposition with Prometheus's own linter when promtool is installed (.ci/run
/// installs it); without it, says that this part was not checked.
fn promtool_accepts(text: &str) {
    let Ok(mut child) = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "promtool is missing on CI: .ci/run installs it"
        );
        eprintln!(
            "NOT CHECKED: promtool is not installed, so `promtool check metrics` did not run"
        );
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn metrics_parse_and_match_the_mock_tenant() {
    let watch = Watch::start(&["--demo", "--interval", "200ms"]);
    let metrics = watch.metrics_after(2.0, Duration::from_secs(30));
    promtool_accepts(&metrics.text);
    let voice = [("skill_id", "4012345"), ("skill_name", "Billing Voice")];
    let chat = [("skill_id", "4012346"), ("skill_name", "Billing Chat")];
    // The healthy tenant: Ana and Ben Available for Billing Voice, Chen on a call; Ana alone on chat.
    assert_eq!(
        metrics.value("handover_skill_agents_available", &voice),
        Some(2.0)
    );
    assert_eq!(
        metrics.value("handover_skill_agents_logged_in", &voice),
        Some(3.0)
    );
    assert_eq!(
        metrics.value("handover_skill_queue_length", &voice),
        Some(0.0)
    );
    assert_eq!(metrics.value("handover_skill_active", &voice), Some(1.0));
    assert_eq!(
        metrics.value("handover_skill_agents_available", &chat),
        Some(1.0)
    );
    for check in [
        "auth",
        "skill_activity",
        "agent_assignments",
        "agent_states",
    ] {
        assert_eq!(
            metrics.value("handover_check_status", &[("check", check)]),
            Some(1.0),
            "{check}"
        );
    }
    // No rehearsal was asked for: no series, rather than a pass that was never checked.
    assert_eq!(
        metrics.value("handover_check_status", &[("check", "rehearsal")]),
        None
    );
    assert!(
        metrics.value(
            "handover_api_requests_total",
            &[("endpoint", "GET agents/skills"), ("status", "200")]
        ) >= Some(2.0)
    );
    assert!(
        metrics
            .text
            .contains("# TYPE handover_api_request_duration_seconds histogram")
    );
    assert!(
        metrics
            .text
            .contains("# HELP handover_skill_agents_available ")
    );
    assert_eq!(
        metrics.value("handover_token_renewals_total", &[]),
        Some(0.0)
    );
    let (status, body) = watch.get("/healthz");
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("ok"), "{body}");
    // Prometheus asks for OpenMetrics: the same samples, counters named as that format names them.
    let (status, openmetrics) = get_accepting(
        &watch.addr,
        "/metrics",
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
    );
    assert_eq!(status, 200);
    assert!(openmetrics.ends_with("# EOF\n"), "{openmetrics}");
    assert!(
        openmetrics.contains("# TYPE handover_rounds counter\n"),
        "{openmetrics}"
    );
    assert!(
        metrics
            .text
            .contains("# TYPE handover_rounds_total counter\n")
    );
    assert!(
        Metrics::parse(&openmetrics).value("handover_skill_active", &voice) == Some(1.0),
        "{openmetrics}"
    );
}

#[test]
fn each_round_costs_the_same_requests_whatever_the_number_of_skills() {
    // One round, and no second one under way while the counts are read: an hour's interval.
    let watch = Watch::start(&["--demo", "large", "--all", "--interval", "1h"]);
    let metrics = watch.metrics_after(1.0, Duration::from_secs(180));
    let skills = metrics
        .samples
        .iter()
        .filter(|(n, _, _)| n == "handover_skill_active")
        .count();
    // The crowd's 2,000 skills and 10,000 agents (3 skills each), and the healthy tenant's own.
    assert_eq!(skills, 2_002);
    let pages = |endpoint: &str| {
        metrics
            .value(
                "handover_api_requests_total",
                &[("endpoint", endpoint), ("status", "200")],
            )
            .unwrap_or(0.0)
    };
    assert_eq!(metrics.sum("handover_rounds_total"), 1.0);
    // Pages of 100, each list once: 2,002 skills, 30,004 assignments, 10,003 states.
    assert_eq!(pages("GET skills/activity"), 21.0);
    assert_eq!(pages("GET agents/skills"), 301.0);
    assert_eq!(pages("GET agents/states"), 101.0);
    assert_eq!(pages("GET skills/{skillId}/agents"), 0.0);
}

/// A scenario whose Billing Voice skill is deactivated after a second and back after three.
const TIMELINE: &str = "description: Billing Voice goes inactive, then comes back
timeline:
  - at_seconds: 1.0
    skill: 4012345
    active: false
  - at_seconds: 3.0
    skill: 4012345
    active: true
";

#[test]
fn findings_are_raised_and_cleared_on_the_scenario_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("timeline.yaml");
    std::fs::write(&scenario, TIMELINE).unwrap();
    let events_file = dir.path().join("events.jsonl");
    let watch = Watch::start(&[
        "--demo",
        scenario.to_str().unwrap(),
        "--interval",
        "250ms",
        "--rounds",
        "20",
        "--events",
        events_file.to_str().unwrap(),
    ]);
    let (code, out) = watch.wait(Duration::from_secs(60));
    assert_eq!(code, 0, "{out}");
    let events = events_in(&out);
    let hd702: Vec<(&str, u64)> = events
        .iter()
        .filter(|e| e["finding"]["code"] == "HD702")
        .map(|e| (e["event"].as_str().unwrap(), e["round"].as_u64().unwrap()))
        .collect();
    assert_eq!(hd702.len(), 2, "{out}");
    assert_eq!(hd702[0].0, "raised");
    assert_eq!(hd702[1].0, "cleared");
    assert!(hd702[0].1 > 1 && hd702[1].1 > hd702[0].1, "{hd702:?}");
    let raised = events
        .iter()
        .find(|e| e["finding"]["code"] == "HD702")
        .unwrap();
    assert_eq!(raised["subject"], "skill/4012345");
    assert_eq!(raised["skill_name"], "Billing Voice");
    assert_eq!(raised["finding"]["severity"], "error");
    // The file holds the same events, line for line.
    let written = std::fs::read_to_string(&events_file).unwrap();
    assert_eq!(events_in(&written), events);
    // Nothing stands at the end: the run ends with a passing diagnosis line.
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["diagnosis"]["verdict"], "pass", "{out}");
}

#[test]
fn a_slow_round_skips_the_next_start_and_rounds_never_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("slow.yaml");
    std::fs::write(&scenario, "faults:\n  latency_ms: 300\n").unwrap();
    let started = Instant::now();
    let watch = Watch::start(&["--demo", scenario.to_str().unwrap(), "--interval", "200ms"]);
    let metrics = watch.metrics_after(3.0, Duration::from_secs(60));
    let elapsed = started.elapsed().as_secs_f64();
    assert!(
        metrics.value("handover_rounds_skipped_total", &[]) >= Some(1.0),
        "{}",
        metrics.text
    );
    // One round at a time: the rounds' durations add up to no more than the time gone by.
    let busy = metrics
        .value("handover_round_duration_seconds_sum", &[])
        .unwrap();
    assert!(busy <= elapsed, "{busy} s of rounds in {elapsed} s");
    assert!(busy >= 3.0 * 0.3, "{busy}");
}

/// A webhook receiver that answers 503 to the first request after holding it for `hold`, then
/// 200: what it received, in order.
fn webhook(hold: Duration) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/hooks/secret-token",
        listener.local_addr().unwrap()
    );
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let status = if n == 0 {
                std::thread::sleep(hold);
                "503 Service Unavailable"
            } else {
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, bodies)
}

#[test]
fn the_webhook_is_retried_and_never_holds_up_a_round() {
    let (url, bodies) = webhook(Duration::from_secs(4));
    let watch = Watch::start(&[
        "--demo",
        "no-agents",
        "--interval",
        "100ms",
        "--webhook",
        &url,
        "-v",
    ]);
    // While the receiver holds the first delivery for four seconds, rounds go on: six rounds
    // of 100 ms finish before it answers, and before the retry could have been sent.
    let started = Instant::now();
    let metrics = watch.metrics_after(6.0, Duration::from_secs(30));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "rounds waited for the webhook: {:?}",
        started.elapsed()
    );
    assert!(bodies.lock().unwrap().len() <= 1, "the retry came early");
    assert_eq!(
        metrics.value("handover_events_dropped_total", &[]),
        Some(0.0)
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while bodies.lock().unwrap().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let bodies = bodies.lock().unwrap().clone();
    assert!(bodies.len() >= 2, "{bodies:?}");
    // The retry carries the same event; it is the event standard output printed.
    assert_eq!(bodies[0], bodies[1]);
    let event: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(event["event"], "raised");
    assert!(watch.events().contains(&event), "{event}");
}

#[test]
fn sigterm_and_ctrl_c_stop_the_watch_cleanly_with_a_report() {
    for signal in ["TERM", "INT"] {
        let watch = Watch::start(&["--demo", "no-agents", "--interval", "200ms"]);
        watch.metrics_after(1.0, Duration::from_secs(30));
        watch.signal(signal);
        let (code, out) = watch.wait(Duration::from_secs(15));
        assert_eq!(code, 0, "SIG{signal}: {out}");
        let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        // What stood when it stopped is reported: nobody is Available in the no-agents tenant.
        assert_eq!(last["diagnosis"]["verdict"], "warn", "SIG{signal}: {out}");
    }
}

#[test]
fn the_webhook_url_never_reaches_the_logs() {
    let (url, _) = webhook(Duration::ZERO);
    let out = crate::doctor()
        .args([
            "watch",
            "--demo",
            "no-agents",
            "--rounds",
            "2",
            "--interval",
            "100ms",
        ])
        .args(["--listen", "127.0.0.1:0", "--webhook", &url, "-vv"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("secret-token"), "{all}");
    assert!(all.contains("/***"), "{all}");
}

#[test]
fn bad_watch_settings_are_clear_errors() {
    for (args, says) in [
        (&["--interval", "soon"][..], "--interval soon"),
        (&["--interval", "0"][..], "--interval 0"),
        (&["--listen", "nowhere"][..], "--listen nowhere"),
        (&["--rehearse-every", "2", "--live"][..], "need --yes"),
        (&["--webhook", "ftp://x"][..], "http:// or https://"),
    ] {
        let out = crate::doctor()
            .args(["watch", "--demo", "--rounds", "1"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = crate::isolated(Command::new(assert_cmd::cargo::cargo_bin(
        "handover-doctor",
    )))
    .current_dir(dir.path())
    .env("HOME", dir.path())
    .args(["watch", "--rounds", "1", "--config", "/dev/null"])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("watch needs skills"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_dry_run_rehearsal_reports_its_check_and_every_format_ends_the_watch() {
    // A tenant of its own (the mock as a separate process), not --demo, whose test contacts
    // are the mock's own and so are placed: against a tenant, a rehearsal is a dry run.
    let (_mock, text) = crate::truth::printed_config();
    let dir = tempfile::tempdir().unwrap();
    let config = crate::diagnose::private_file(dir.path(), "handover-doctor.yaml", &text);
    let out = crate::doctor()
        .args(["watch", "4012345", "--rounds", "2", "--interval", "100ms"])
        .args([
            "--listen",
            "127.0.0.1:0",
            "--rehearse-every",
            "2",
            "--config",
        ])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The dry run's HD804 is raised in round 2, the rehearsal's round, about the rehearsal.
    let events = events_in(&stdout);
    assert!(
        events.iter().any(|e| e["finding"]["code"] == "HD804"
            && e["round"] == 2
            && e["subject"] == "rehearsal"
            && e["check"] == "rehearsal"),
        "{stdout}"
    );
    assert_eq!(events.len(), 1, "{stdout}");
    let out = crate::doctor()
        .args(["watch", "--demo", "no-agents", "--rounds", "1"])
        .args(["--listen", "127.0.0.1:0", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    crate::annotations::assert_valid_sarif(&sarif);
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"HD703"), "{rules:?}");
}

#[test]
fn a_round_that_met_429_doubles_the_wait_and_a_clean_one_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("limited.yaml");
    // The first API calls answer 429: the first round's lists succeed only after retries.
    std::fs::write(&scenario, "faults:\n  rate_limit_first: 2\n").unwrap();
    let watch = Watch::start(&["--demo", scenario.to_str().unwrap(), "--interval", "300ms"]);
    let first = watch.metrics_after(1.0, Duration::from_secs(30));
    let limited: f64 = first
        .samples
        .iter()
        .filter(|(n, labels, _)| {
            n == "handover_api_requests_total"
                && labels.iter().any(|(k, v)| k == "status" && v == "429")
        })
        .map(|(_, _, v)| v)
        .sum();
    assert_eq!(limited, 2.0, "{}", first.text);
    // One interval more before the next round.
    assert_eq!(
        first.value("handover_backoff_seconds", &[]),
        Some(0.3),
        "{}",
        first.text
    );
    let later = watch.metrics_after(2.0, Duration::from_secs(30));
    assert_eq!(
        later.value("handover_backoff_seconds", &[]),
        Some(0.0),
        "{}",
        later.text
    );
}

#[test]
fn the_configs_severity_map_applies_to_the_watch() {
    let (_mock, text) = crate::truth::printed_config_of("no-agents");
    let dir = tempfile::tempdir().unwrap();
    let watch = |extra: &str| {
        let config = crate::diagnose::private_file(
            dir.path(),
            "handover-doctor.yaml",
            &format!("{text}{extra}"),
        );
        let out = crate::doctor()
            .args([
                "watch", "4012345", "--rounds", "1", "--listen", ":0", "--config",
            ])
            .arg(&config)
            .output()
            .unwrap();
        let codes: Vec<String> = events_in(&String::from_utf8_lossy(&out.stdout))
            .iter()
            .map(|e| format!("{} {}", e["finding"]["code"], e["finding"]["severity"]))
            .collect();
        (out.status.code(), codes)
    };
    assert_eq!(
        watch(""),
        (
            Some(0),
            vec![r#""HD703" "warning""#.into(), r#""HD705" "warning""#.into()]
        )
    );
    // Off is gone; raised to an error, it fails the run.
    assert_eq!(
        watch("severity: {HD703: off, queue-backlog: error}\n"),
        (Some(1), vec![r#""HD705" "error""#.into()])
    );
}
