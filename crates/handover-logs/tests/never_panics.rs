//! Bad input gets counted or read, never a panic: any bytes in every export format, and messages
//! cut anywhere.

use handover_logs::handover::{self, Filter};
use handover_logs::{Format, Sourced};
use proptest::prelude::*;

/// Messages of the extension, to cut and splice.
const MESSAGES: &[&str] = &[
    "handoverToCXone: Contact ID: 1; Spawned Contact ID: 2; Action: Escalate; Environment URL: u",
    "handoverToCXone: sent signal to CXone for contactId: 2; action: Escalate; status: 202",
    "sendSignalToCXone: Error signaling '[\"a\"]' for contactId: 2; error: x",
    "CXone API Client: Posting handover signal to URL: https://x/signal?p1=%E2%9C with body: {\"p1\"",
    "setCxoneContextInit: Setting context data for channel v: {\"contactId\":1,\"spawnedContactId\":[]}",
];

fn run(bytes: &[u8]) {
    for format in [Format::Json, Format::JsonLines, Format::Csv] {
        let mut events = Vec::new();
        let read = handover_logs::events(bytes, format, |logged| {
            events.push(Sourced::new(0, logged, String::new()));
        });
        assert!(read.other + read.malformed.len() as u64 <= read.entries);
        for handover in handover::group(events, &Filter::default()) {
            for verdict in handover.verdicts() {
                assert!(verdict.event < handover.events.len());
            }
            for event in &handover.events {
                let _ = handover_logs::record::record(&event.logged.event);
                let _ = event.logged.event.describe();
            }
        }
    }
}

proptest! {
    #[test]
    fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run(&bytes);
    }

    #[test]
    fn cut_messages(which in 0..MESSAGES.len(), cut in 0usize..120, tail in "[\\PC]{0,20}") {
        let message = MESSAGES[which];
        let cut = message.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(message.len());
        let msg = format!("{}{tail}", &message[..cut]);
        let entry = serde_json::json!({"msg": msg, "sessionId": "s", "timestamp": tail}).to_string();
        run(entry.as_bytes());
        run(format!("[{entry},{entry}]").as_bytes());
        run(format!("msg,sessionId\n\"{}\",s\n", msg.replace('"', "\"\"")).as_bytes());
    }
}
