//! The handover paths Cognigy really uses: every example's contract detected, the sentinel case end
//! to end, and a voicebot's signal simulated against the mock.

use predicates::prelude::*;

use crate::{codes, doctor, json_of};

/// The contract each example is detected as, and the codes it must raise.
const EXAMPLES: &[(&str, &str, &[&str])] = &[
    ("transfer-context/valid.json", "transfer-context", &[]),
    (
        "transfer-context/broken.json",
        "transfer-context",
        &["HD103", "HD201", "HD203", "HD304", "HD501", "HD502"],
    ),
    ("cxone-signal/exit-interaction.json", "cxone-signal", &[]),
    ("cxone-signal/captured-request.json", "cxone-signal", &[]),
    ("cxone-signal/signal-interaction.json", "cxone-signal", &[]),
    ("cxone-signal/sentinel.json", "cxone-signal", &["HD911"]),
    (
        "cxone-signal/broken-request.json",
        "cxone-signal",
        &["HD912", "HD914"],
    ),
    ("cxone-sip-headers/valid.json", "cxone-sip-headers", &[]),
    (
        "cxone-sip-headers/headers-never-arrived.json",
        "cxone-sip-headers",
        &["HD920", "HD924", "HD925", "HD927"],
    ),
    ("vah-chat/valid.json", "vah-chat", &[]),
    ("vah-chat/adaptive-card.json", "vah-chat", &[]),
    (
        "vah-chat/broken.json",
        "vah-chat",
        &["HD501", "HD931", "HD934"],
    ),
    ("vg-transfer/valid.json", "vg-transfer", &[]),
    ("vg-transfer/legacy-headers.json", "vg-transfer", &[]),
    (
        "vg-transfer/broken.json",
        "vg-transfer",
        &["HD940", "HD942", "HD944", "HD947"],
    ),
];

#[test]
fn every_example_is_detected_and_judged() {
    for (file, contract, expected) in EXAMPLES {
        let (report, code) = json_of(
            doctor()
                .args(["validate", "--format", "json"])
                .arg(format!("examples/{file}")),
        );
        assert_eq!(
            report["summary"]["contracts"],
            serde_json::json!({*contract: 1}),
            "{file}"
        );
        let mut found = codes(&report);
        found.sort();
        found.dedup();
        assert_eq!(found, expected.to_vec(), "{file}");
        let errors = report["summary"]["errors"].as_u64().unwrap();
        assert_eq!(code, i32::from(errors > 0), "{file}");
        if let Some(record) = report["records"].get(0) {
            assert_eq!(record["contract"], *contract, "{file}");
        }
    }
}

#[test]
fn a_chosen_contract_is_not_detected() {
    let (report, code) = json_of(doctor().args([
        "validate",
        "--format",
        "json",
        "--contract",
        "transfer-context",
        "examples/vah-chat/valid.json",
    ]));
    assert_eq!((codes(&report), code), (vec!["HD101".to_string()], 1));
    doctor()
        .args([
            "validate",
            "--contract",
            "sip",
            "examples/vah-chat/valid.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no contract `sip`"));
}

#[test]
fn the_sentinel_case_end_to_end() {
    doctor()
        .args(["validate", "examples/cxone-signal/sentinel.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[HD911]"))
        .stdout(predicate::str::contains(
            "this payload came from a Cognigy test chat or webchat",
        ));
    let (report, code) = json_of(doctor().args([
        "diagnose",
        "--demo",
        "--payload",
        "examples/cxone-signal/sentinel.json",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["steps"][0]["status"], "fail");
    assert_eq!(report["steps"][0]["findings"][0]["code"], "HD911");
    assert_eq!(report["steps"][0]["findings"][0]["line"], 4);
}

#[test]
fn a_signal_dry_run_shows_the_request_and_sends_nothing() {
    let (report, code) = json_of(doctor().args([
        "simulate",
        "--via",
        "signal",
        "--demo",
        "--contact-id",
        "123456789012",
        "--param",
        "Escalate",
        "--param",
        "{\"reason\":\"billing\"}",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let simulate = report["steps"].as_array().unwrap().last().unwrap().clone();
    // --demo places live contacts; the request shape is the same either way.
    assert_eq!(simulate["request"]["method"], "POST");
    // By default the parameters travel in the query, as the published API reads them, and in
    // the body, as NICE's Cognigy extension sends them since 2026-03.
    let url = simulate["request"]["url"].as_str().unwrap();
    assert!(
        url.ends_with(
            "/interactions/123456789012/signal?p1=Escalate&p2=%7B%22reason%22%3A%22billing%22%7D"
        ),
        "{url}"
    );
    assert_eq!(
        simulate["request"]["body"],
        "{\"p1\":\"Escalate\",\"p2\":\"{\\\"reason\\\":\\\"billing\\\"}\"}"
    );
}

#[test]
fn a_signal_reaches_the_mock_only_when_live() {
    use cxone_mock::{MockServer, Scenario};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(MockServer::start(
            Scenario::built_in("healthy").unwrap(),
            "127.0.0.1:0".parse().unwrap(),
            None,
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cxone.yaml");
    std::fs::write(
        &config,
        format!(
            "api: cxone\nauth_url: {0}\nclient_id: mock-client-id\nclient_secret: mock-client-secret\n\
             access_key_id: mock-access-key-id\naccess_key_secret: mock-access-key-secret\n",
            server.url()
        ),
    )
    .unwrap();
    let signals =
        |server: &MockServer| -> usize { server.contacts().iter().map(|c| c.signals.len()).sum() };
    let run = |extra: &[&str]| {
        json_of(
            doctor()
                .args([
                    "simulate",
                    "--via",
                    "signal",
                    "--payload",
                    "examples/cxone-signal/exit-interaction.json",
                ])
                .args(["--format", "json", "--config"])
                .arg(&config)
                .args(extra),
        )
    };
    let (dry, code) = run(&[]);
    assert_eq!(code, 0);
    assert_eq!(dry["steps"][2]["findings"][0]["code"], "HD804");
    assert_eq!(signals(&server), 0, "a dry run sends nothing");

    let (live, code) = run(&["--live", "--yes", "--follow", "1"]);
    assert_eq!(code, 0, "{live}");
    let spawned = server
        .contacts()
        .into_iter()
        .find(|c| c.id == 123_456_789_012)
        .unwrap();
    assert_eq!(spawned.signals.len(), 1);
    assert_eq!(spawned.signals[0].read["p1"], "Escalate");
    assert_eq!(
        spawned.signals[0].read["p2"],
        "[{\"reason\":\"billing\"},{\"language\":\"en-US\"}]"
    );
    assert!(
        live["steps"][2]["detail"]
            .as_str()
            .unwrap()
            .contains("reached agent"),
        "{live}"
    );

    // The main contact's script has no ONSIGNAL handler: the signal is taken and the contact ends.
    let (main, code) = run(&[
        "--live",
        "--yes",
        "--follow",
        "1",
        "--contact-id",
        "123456789011",
    ]);
    assert_eq!(code, 1);
    assert_eq!(main["steps"][2]["findings"][0]["code"], "HD805");
    let (unknown, _) = run(&["--live", "--yes", "--contact-id", "42"]);
    assert_eq!(unknown["steps"][2]["findings"][0]["code"], "HD801");
    runtime.block_on(server.stop());
}

#[test]
fn signals_need_the_cxone_profile() {
    doctor()
        .args([
            "simulate",
            "--via",
            "signal",
            "--demo",
            "--api",
            "routing-v2",
            "--contact-id",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs the cxone profile"));
}

/// `schema --contract NAME` describes each contract's real traffic: every example that the rules
/// pass is valid under its contract's schema, and a payload of the wrong shape is not.
#[test]
fn each_contracts_schema_accepts_its_valid_examples() {
    let schema_of = |contract: &str| {
        let (schema, code) = json_of(doctor().args(["schema", "--contract", contract]));
        assert_eq!(code, 0, "{contract}");
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{contract}"
        );
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("{contract}: not a valid schema: {e}"))
    };
    let mut checked = 0;
    for (file, contract, expected) in EXAMPLES.iter().filter(|(_, _, codes)| codes.is_empty()) {
        let validator = schema_of(contract);
        let text = std::fs::read_to_string(crate::root().join("examples").join(file)).unwrap();
        let payload: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&payload)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{file} ({expected:?}): {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 9, "{checked}");
    for contract in [
        "transfer-context",
        "cxone-signal",
        "cxone-sip-headers",
        "vah-chat",
        "vg-transfer",
    ] {
        assert!(
            !schema_of(contract).is_valid(&serde_json::json!([1, 2, 3])),
            "{contract} takes an array for a payload"
        );
    }
    doctor()
        .args(["schema", "--contract", "auto"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("transfer-context"));
}
