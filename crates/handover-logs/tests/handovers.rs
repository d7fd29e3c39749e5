//! The example day (examples/cognigy-logs/day.jsonl, written by make.py there) as conversations,
//! and the verdict each gets.

use handover_logs::handover::{self, Filter};
use handover_logs::{Format, Handover, Sourced};

fn day(filter: &Filter) -> Vec<Handover> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/cognigy-logs/day.jsonl"
    );
    let bytes = std::fs::read(path).unwrap();
    let mut events = Vec::new();
    handover_logs::events(&bytes, Format::JsonLines, |logged| {
        let text = String::from_utf8_lossy(&bytes[logged.entry.span.clone()]).into_owned();
        events.push(Sourced::new(0, logged, text));
    });
    handover::group(events, filter)
}

/// Each conversation's session and its verdicts as `code@line`.
fn verdicts(handovers: &[Handover]) -> Vec<(String, Vec<String>)> {
    handovers
        .iter()
        .map(|h| {
            let codes = h
                .verdicts()
                .iter()
                .map(|v| format!("{}@{}", v.rule.code, h.events[v.event].logged.entry.line))
                .collect();
            (h.session.clone().unwrap_or_default(), codes)
        })
        .collect()
}

#[test]
fn every_conversation_of_the_day_gets_its_verdict() {
    let got = verdicts(&day(&Filter::default()));
    let want: Vec<(String, Vec<String>)> = [
        ("sess-healthy", vec![]),
        ("sess-no-headers", vec!["HD823@14", "HD820@15"]),
        ("sess-signal-failed", vec!["HD821@20"]),
        ("sess-chat", vec![]),
        ("sess-test-chat", vec!["HD820@34"]),
        ("sess-main-contact", vec!["HD825@41", "HD822@43"]),
        ("sess-cut-off", vec!["HD824@48"]),
    ]
    .into_iter()
    .map(|(s, v)| (s.to_string(), v.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_verdict_says_why_no_signal_left() {
    let handovers = day(&Filter {
        session: Some("sess-no-headers".into()),
        ..Filter::default()
    });
    let messages: Vec<String> = handovers[0]
        .verdicts()
        .into_iter()
        .map(|v| v.message)
        .collect();
    assert!(
        messages[1].contains("no signal left the bot: both contact ids were empty"),
        "{messages:?}"
    );
    let test_chat = day(&Filter {
        session: Some("sess-test-chat".into()),
        ..Filter::default()
    });
    assert!(
        test_chat[0].verdicts()[0]
            .message
            .contains("100000000000, the placeholder"),
        "{:?}",
        test_chat[0].verdicts()
    );
}

#[test]
fn filters_narrow_by_contact_session_and_time() {
    // A contact Context Init set, which no Exit Interaction names.
    let by_contact = day(&Filter {
        contact_id: Some("700000000602".into()),
        ..Filter::default()
    });
    assert_eq!(by_contact.len(), 1);
    assert_eq!(by_contact[0].session.as_deref(), Some("sess-main-contact"));
    let window = day(&Filter {
        since: handover_logs::instant("2026-11-24 10:04:00"),
        until: handover_logs::instant("2026-11-24T10:12:00Z"),
        ..Filter::default()
    });
    let sessions: Vec<_> = window.iter().filter_map(|h| h.session.as_deref()).collect();
    assert_eq!(sessions, ["sess-no-headers", "sess-signal-failed"]);
    assert!(
        day(&Filter {
            session: Some("nobody".into()),
            ..Filter::default()
        })
        .is_empty()
    );
}

#[test]
fn events_are_in_time_order_whatever_the_file_order() {
    let text = concat!(
        "{\"timestamp\":\"2026-11-24T10:00:02Z\",\"sessionId\":\"s\",\"msg\":\"handoverToCXone: sent signal to CXone for contactId: 2; action: End; status: 202\"}\n",
        "{\"timestamp\":\"2026-11-24T10:00:01Z\",\"sessionId\":\"s\",\"msg\":\"handoverToCXone: Contact ID: 1; Spawned Contact ID: 2; Action: End; Environment URL: u\"}\n",
    );
    let mut events = Vec::new();
    handover_logs::events(text.as_bytes(), Format::JsonLines, |logged| {
        events.push(Sourced::new(0, logged, String::new()));
    });
    let handovers = handover::group(events, &Filter::default());
    let kinds: Vec<_> = handovers[0]
        .events
        .iter()
        .map(|e| e.logged.event.kind())
        .collect();
    assert_eq!(kinds, ["handover-started", "signal-sent"]);
    // The start is followed by its signal's status: no verdict.
    assert!(handovers[0].verdicts().is_empty());
}

#[test]
fn an_entry_read_from_two_exports_counts_once() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cognigy-logs");
    let mut events = Vec::new();
    for (index, file) in ["day.jsonl", "day.csv"].into_iter().enumerate() {
        let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
        handover_logs::events(&bytes, Format::detect(&bytes), |logged| {
            events.push(Sourced::new(index, logged, String::new()));
        });
    }
    assert_eq!(events.len(), 96);
    let handovers = handover::group(events, &Filter::default());
    let total: usize = handovers.iter().map(|h| h.events.len()).sum();
    assert_eq!(total, 48);
}
