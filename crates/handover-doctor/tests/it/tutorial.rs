//! The tutorial's own script, unchanged, against the mock tenant.

use std::process::Command;

use cxone_mock::{MockServer, Scenario};

/// Why the tutorial's script cannot run here, if it cannot.
fn cannot_run(script: &std::path::Path) -> Option<String> {
    if !script.is_file() {
        return Some(format!("{} is not there", script.display()));
    }
    match Command::new("python3")
        .args(["-c", "import requests, yaml"])
        .output()
    {
        Ok(out) if out.status.success() => None,
        Ok(_) => Some("python3 lacks requests or pyyaml (pip install requests pyyaml)".into()),
        Err(e) => Some(format!("no python3: {e}")),
    }
}

/// Runs the script with a config.yaml pointing at a mock playing `scenario`; returns its output and
/// how many contacts the mock created.
fn run_tutorial(scenario: &str) -> Option<(String, usize)> {
    let script = crate::root().join("../shared/seed/cxone_handover_diagnostic.py");
    if let Some(why) = cannot_run(&script) {
        eprintln!("skipped: the tutorial's script cannot run: {why}");
        return None;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(MockServer::start(
            Scenario::built_in(scenario).unwrap(),
            "127.0.0.1:0".parse().unwrap(),
            None,
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.yaml"),
        format!(
            "client_id: \"mock-client-id\"\nclient_secret: \"mock-client-secret\"\nbase_url: \"{}\"\n\
             test_payload:\n  transferContext:\n    queueId: \"a1b2c3d4-5678-90ab-cdef-123456789012\"\n    \
             participant:\n      name: \"John Doe\"\n      phoneNumber: \"+15551234567\"\n    \
             customAttributes:\n      intent: \"billing\"\n",
            server.url()
        ),
    )
    .unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let contacts = server.placed_contacts().len();
    runtime.block_on(server.stop());
    Some((text, contacts))
}

#[test]
fn healthy_passes_every_step_and_creates_an_interaction() {
    let Some((out, contacts)) = run_tutorial("healthy") else {
        return;
    };
    for line in [
        "[OK] Payload structure is valid.",
        "[OK] Queue Name: Billing Voice",
        "[INFO] Status: active",
        "[INFO] Available Agents: 2",
        "[SUCCESS] Interaction Created:",
        "[SUCCESS] Handover mechanism is functional.",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    assert!(
        !out.contains("[FAIL]") && !out.contains("[WARN]") && !out.contains("[ERROR]"),
        "{out}"
    );
    assert_eq!(contacts, 1);
}

#[test]
fn queue_paused_warns() {
    let Some((out, _)) = run_tutorial("queue-paused") else {
        return;
    };
    assert!(
        out.contains("[WARN] Queue is PAUSED. Agents cannot receive calls."),
        "{out}"
    );
}

#[test]
fn no_agents_warns() {
    let Some((out, _)) = run_tutorial("no-agents") else {
        return;
    };
    assert!(out.contains("[INFO] Available Agents: 0"), "{out}");
    assert!(
        out.contains("[WARN] No agents available. Handover will queue or abandon."),
        "{out}"
    );
}

#[test]
fn permission_denied_fails() {
    let Some((out, contacts)) = run_tutorial("permission-denied") else {
        return;
    };
    assert!(out.contains("[FAIL] Error fetching queue: 403"), "{out}");
    assert!(out.contains("[FAIL] Forbidden."), "{out}");
    assert_eq!(contacts, 0);
}
