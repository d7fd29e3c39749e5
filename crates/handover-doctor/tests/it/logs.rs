//! `validate --from cognigy-logs`: the handover events of Cognigy log exports, checked as the
//! payloads they are, placed on their log lines, in every export format.

use serde_json::Value;

use crate::test::Test;
use crate::{doctor, json_of};

/// `line:code` of every finding, in report order.
fn placed_codes(report: &Value) -> Vec<String> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{}:{}", f["line"], f["code"].as_str().unwrap()))
        })
        .collect()
}

fn logs_json(path: &str) -> (Value, i32) {
    json_of(doctor().args([
        "validate",
        "--from",
        "cognigy-logs",
        path,
        "--format",
        "json",
    ]))
}

#[test]
fn every_export_format_gives_the_same_findings_on_their_own_lines() {
    // The example day (examples/cognigy-logs/make.py): a healthy voice escalation, one whose SIP
    // payload never came (empty ids, HD910), a failed signal, a Guide Chat escalation, a test
    // chat's sentinel ids (HD911), a Signal Interaction, and an export cut off mid-handover.
    for (file, no_ids, test_chat) in [
        ("day.jsonl", 15, 34),
        ("day.csv", 16, 35),
        // The array's entries are pretty-printed: each finding is on the entry's `msg` line.
        ("day.json", 159, 368),
    ] {
        let (report, code) = logs_json(&format!("examples/cognigy-logs/{file}"));
        assert_eq!(code, 1, "{file}: {report:#}");
        assert_eq!(
            placed_codes(&report),
            [
                format!("{no_ids}:HD910"),
                format!("{no_ids}:HD910"),
                format!("{test_chat}:HD911"),
                format!("{test_chat}:HD911"),
            ],
            "{file}: {report:#}"
        );
        assert_eq!(
            report["summary"]["logs"],
            serde_json::json!({"entries": 50, "events": 48, "other": 2}),
            "{file}"
        );
        // Exit Interaction's six starts, the three signal requests, the chat envelope.
        assert_eq!(report["summary"]["records"], 10, "{file}");
    }
}

#[test]
fn a_finding_names_the_logged_event_and_points_at_the_message() {
    let out = Test::new()
        .file(
            "logs.jsonl",
            concat!(
                "{\"msg\":\"Flow executed\",\"type\":\"info\"}\n",
                "{\"msg\":\"CXone API Client: Posting handover signal to URL: https://x/interactions/42/signal with body: {\\\"p1\\\":\\\"Escalate\\\",\\\"p2\\\":\\\"free text\\\"}\",\"type\":\"info\"}\n",
            ),
        )
        .args(["validate", "--from", "cognigy-logs", "logs.jsonl"])
        .run();
    assert!(
        out.stdout
            .contains("warning[HD914]: the signal request, as logged: `p2`"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("--> logs.jsonl:2:8"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("from the logs: 2 entries, 1 handover event"),
        "{}",
        out.stdout
    );
}

#[test]
fn logs_with_no_handover_event_pass_and_say_so() {
    Test::new()
        .file(
            "logs.csv",
            "_id,timestamp,msg,meta,traceId,type\na,2026-11-24 10:00:00,Flow executed,{},t,info\n",
        )
        .args(["validate", "--from", "cognigy-logs", "logs.csv"])
        .stdout_contains("no records in 1 log entry (0 handover events)")
        .run();
}

#[test]
fn a_broken_entry_that_names_the_extension_is_hd100_on_its_line() {
    let (report, code) = json_of(
        doctor()
            .args([
                "validate",
                "--from",
                "cognigy-logs",
                "-",
                "--format",
                "json",
            ])
            .write_stdin("{\"msg\":\"Flow executed\"}\n{\"msg\":\"handoverToCXone: isVoice: tr\n"),
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(placed_codes(&report), ["2:HD100"]);
}

#[test]
fn directories_of_logs_include_csv_exports_only_when_reading_logs() {
    let test = || {
        Test::new().file(
            "exports/day.csv",
            "_id,timestamp,msg,meta,traceId,type\na,2026-11-24 10:00:00,handoverToCXone: Contact ID: ; Spawned Contact ID: 1; Action: End; Environment URL: u,{},t,info\n",
        )
    };
    test()
        .args(["validate", "--from", "cognigy-logs", "exports"])
        .status(1)
        .stdout_contains("error[HD910]")
        .run();
    test()
        .args(["validate", "exports"])
        .status(2)
        .stderr_contains("is not named *.json, *.jsonl or *.ndjson")
        .run();
}

#[test]
fn sarif_annotates_the_log_line() {
    let (sarif, code) = json_of(doctor().args([
        "validate",
        "--from",
        "cognigy-logs",
        "examples/cognigy-logs/day.jsonl",
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    crate::annotations::assert_valid_sarif(&sarif);
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 15, "{sarif:#}");
}

// ---- `logs`: each conversation's timeline and verdicts -------------------------------------------

/// `session: [code@line, ...]` of every handover `logs` reports.
fn verdicts(report: &Value) -> Vec<String> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let codes: Vec<String> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{}@{}", f["code"].as_str().unwrap(), f["line"]))
                .collect();
            format!(
                "{}: {}",
                r["timeline"]["session"].as_str().unwrap_or("-"),
                codes.join(", ")
            )
        })
        .collect()
}

#[test]
fn logs_gives_every_conversation_its_timeline_and_verdicts_in_every_format() {
    for (file, offset) in [("day.jsonl", 0), ("day.csv", 1)] {
        let (report, code) = json_of(doctor().args([
            "logs",
            &format!("examples/cognigy-logs/{file}"),
            "--format",
            "json",
        ]));
        assert_eq!(code, 1, "{report:#}");
        let at = |line: u64| line + offset;
        assert_eq!(
            verdicts(&report),
            [
                "sess-healthy: ".to_string(),
                format!("sess-no-headers: HD823@{}, HD820@{}", at(14), at(15)),
                format!("sess-signal-failed: HD821@{}", at(20)),
                "sess-chat: ".to_string(),
                format!("sess-test-chat: HD820@{}", at(34)),
                format!("sess-main-contact: HD825@{}, HD822@{}", at(41), at(43)),
                format!("sess-cut-off: HD824@{}", at(48)),
            ],
            "{file}"
        );
        let healthy = &report["records"][0]["timeline"];
        assert_eq!(
            healthy["events"].as_array().unwrap().len(),
            10,
            "{healthy:#}"
        );
        assert_eq!(healthy["events"][3]["event"], "handover-started");
        assert_eq!(healthy["events"][3]["node"], "exit-interaction");
        assert_eq!(
            healthy["events"][8]["text"],
            "signal sent to contact 700000000102: HTTP 202"
        );
    }
}

#[test]
fn logs_narrows_to_a_contact_or_a_time_and_shows_the_timeline() {
    let out = Test::new()
        .args([
            "logs",
            &format!("{}/examples/cognigy-logs/day.json", crate::root().display()),
            "--contact-id",
            "700000000302",
        ])
        .status(1)
        .run();
    assert!(
        out.stdout
            .contains("session sess-signal-failed (trace trace-0003): 6 events"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "error[HD821]: Exit Interaction's Escalate signal to contact 700000000302 failed: CXone API Client: Error sending handover signal: 401: Unauthorized"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("sess-healthy"), "{}", out.stdout);
    let (report, code) = json_of(doctor().args([
        "logs",
        "examples/cognigy-logs/day.jsonl",
        "--since",
        "2026-11-24 10:14:00",
        "--until",
        "2026-11-24T10:16:00Z",
        "--format",
        "json",
    ]));
    assert_eq!(
        (verdicts(&report), code),
        (vec!["sess-chat: ".to_string()], 0)
    );
}

#[test]
fn a_time_that_is_neither_an_instant_nor_a_span_is_a_usage_error() {
    doctor()
        .args([
            "logs",
            "examples/cognigy-logs/day.jsonl",
            "--since",
            "yesterday",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--since yesterday: give an instant",
        ));
}

#[test]
fn logs_sarif_places_each_verdict_on_its_log_line() {
    let (sarif, code) = json_of(doctor().args([
        "logs",
        "examples/cognigy-logs/day.jsonl",
        "--session",
        "sess-signal-failed",
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    crate::annotations::assert_valid_sarif(&sarif);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "HD821");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        20
    );
}

#[test]
fn junit_has_a_test_case_per_conversation_named_by_its_session() {
    let out = Test::new()
        .args([
            "logs",
            &format!(
                "{}/examples/cognigy-logs/day.jsonl",
                crate::root().display()
            ),
            "--format",
            "junit",
        ])
        .status(1)
        .run();
    assert_eq!(out.stdout.matches("<testcase").count(), 7, "{}", out.stdout);
    assert_eq!(out.stdout.matches("<failure").count(), 3, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("<testcase name=\"session sess-signal-failed ("),
        "{}",
        out.stdout
    );
}

#[test]
fn a_whole_export_larger_than_a_record_is_read_not_refused() {
    // --max-record-bytes bounds one entry of JSON Lines; a CSV or JSON export is read whole.
    for file in ["day.csv", "day.json"] {
        let (report, code) = json_of(doctor().args([
            "validate",
            "--from",
            "cognigy-logs",
            "--max-record-bytes",
            "1000",
            &format!("examples/cognigy-logs/{file}"),
            "--format",
            "json",
        ]));
        assert_eq!(code, 1, "{file}: {report:#}");
        assert!(
            !report["summary"]["by_code"]
                .as_object()
                .unwrap()
                .contains_key("HD105"),
            "{file}: {report:#}"
        );
        assert_eq!(report["summary"]["logs"]["entries"], 50, "{file}");
    }
}
