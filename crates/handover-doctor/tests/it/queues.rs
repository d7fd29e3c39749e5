//! `queue` with several ids: each queue's report is the one a run of its own prints, and the run
//! signs in, discovers the API host and reads the agents' states once for all of them.

use std::path::Path;
use std::sync::{Arc, Mutex};

use cxone_mock::Scenario;

use crate::diagnose::{Tenant, private_file};
use crate::test::{after_prefix, digits, normalise};
use crate::{doctor, root};

/// What differs between two runs of the same diagnosis: durations and the mock's port (as every
/// snapshot hides them), and the requests the mock had served when the report was written, which
/// counts the queues diagnosed before it in the same run.
fn comparable(stdout: &[u8]) -> String {
    let text = normalise(&String::from_utf8_lossy(stdout), &root());
    after_prefix(&text, "\"requests_served\":", digits, "[N]")
}

/// Standard output and exit status of `queue` with these ids and arguments.
fn queue(ids: &[&str], args: &[&str]) -> (String, i32) {
    let out = doctor().arg("queue").args(ids).args(args).output().unwrap();
    (comparable(&out.stdout), out.status.code().unwrap())
}

/// For each tenant and format: the run over every id prints, in order, what the runs over one id
/// print, and exits with the worst of their statuses. The single-id runs are the reference: each
/// is a run of its own, with its own sign-in and its own agents' states, as every run was before
/// several ids shared them. Tenants whose answers hang on the order or the timing of the calls
/// (`flaky`, `rate-limited`, `token-expiry`, and `slow`, where HD807 on a queue says whether its
/// slowest call beat the sign-in's) are left out: two runs over one queue alone differ there.
#[test]
fn several_queues_report_each_queue_as_a_run_of_its_own_would() {
    let cxone = ["4012345", "4012346", "4099999"];
    let routing = [
        "a1b2c3d4-5678-90ab-cdef-123456789012",
        "b2c3d4e5-6789-4abc-8def-234567890123",
        "0f0f0f0f-0000-4000-8000-000000000009",
    ];
    let mut cases: Vec<(&str, &str, &[&str], &str)> = Vec::new();
    for scenario in [
        "healthy",
        "queue-paused",
        "no-agents",
        "unknown-queue",
        "wrong-media-type",
        "permission-denied",
        "bad-credentials",
    ] {
        cases.push(("cxone", scenario, &cxone, "json"));
        cases.push(("routing-v2", scenario, &routing, "json"));
    }
    for format in ["human", "jsonl", "github"] {
        cases.push(("cxone", "no-agents", &cxone, format));
        cases.push(("routing-v2", "no-agents", &routing, format));
    }
    for (api, scenario, ids, format) in cases {
        let args = ["--demo", scenario, "--api", api, "--format", format];
        let (all, status) = queue(ids, &args);
        let mut expected = String::new();
        let mut worst = 0;
        for id in ids {
            let (one, code) = queue(&[id], &args);
            expected += &one;
            worst = worst.max(code);
        }
        assert_eq!(
            (status, all.as_str()),
            (worst, expected.as_str()),
            "queue {ids:?} {args:?}"
        );
    }
}

/// 20 queues: one token, one discovery, one read of the agents' states per page, and per queue
/// its skill, its activity and its assignments; the demo's report counts the same requests.
#[test]
fn twenty_queues_sign_in_once_and_read_the_agents_states_once() {
    let scenario = "crowd: {skills: 20, agents: 200, skills_per_agent: 3}\n";
    let ids: Vec<String> = (5_000_000..5_000_020).map(|id| id.to_string()).collect();
    let served: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = served.clone();
    let tenant = Tenant::start_logged(
        Scenario::from_yaml(scenario).unwrap(),
        Some(Arc::new(move |method: &str, path: &str, _, _| {
            // The ACD API's paths as docs/cxone-endpoints.md names them, without its root.
            let path = path
                .split_once("/inContactAPI/services/")
                .and_then(|(_, versioned)| versioned.split_once('/'))
                .map_or(path, |(_, path)| path);
            log.lock().unwrap().push(format!("{method} {path}"));
        })),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = private_file(
        dir.path(),
        "handover-doctor.yaml",
        &crate::truth::cxone_config(tenant.server().url(), false),
    );
    let printed = reports(&ids, "--config", &config);
    let queues: Vec<&str> = printed
        .iter()
        .map(|r| r["steps"][1]["queue"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(queues, ids, "one report per queue, in the order given");
    let served = served.lock().unwrap().clone();
    let count = |wanted: &str| served.iter().filter(|r| *r == wanted).count();
    // 203 agents (the healthy tenant's 3 and the crowd's 200) in pages of 100.
    let pages = 3;
    assert_eq!(count("POST /auth/token"), 1, "{served:#?}");
    assert_eq!(count("GET /.well-known/openid-configuration"), 1);
    assert_eq!(count("GET /.well-known/cxone-configuration"), 1);
    assert_eq!(count("GET agents/states"), pages);
    for id in &ids {
        for path in [
            format!("GET skills/{id}"),
            format!("GET skills/{id}/activity"),
            format!("GET skills/{id}/agents"),
        ] {
            assert_eq!(count(&path), 1, "{path}");
        }
    }
    assert_eq!(served.len(), 3 + pages + 3 * ids.len(), "{served:#?}");

    let crowd = dir.path().join("crowd.yaml");
    std::fs::write(&crowd, scenario).unwrap();
    let last = reports(&ids, "--demo", &crowd).pop().unwrap();
    assert_eq!(
        last["demo"]["requests_served"],
        3 + pages + 3 * ids.len(),
        "{last:#}"
    );
}

/// The reports of `queue IDS --format json` against `tenant` (`--config` or `--demo`), which
/// must exit 0: one JSON document a line.
fn reports(ids: &[String], tenant: &str, path: &Path) -> Vec<serde_json::Value> {
    let out = doctor()
        .arg("queue")
        .args(ids)
        .args(["--format", "json", tenant])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
