//! Events as payloads of the core's contracts: what the logs show the bot read or sent, checked by
//! the same rules as a payload. Each record is JSON the core's `--contract auto` recognises.
//!
//! - Exit Interaction's start (`Contact ID: …; Spawned Contact ID: …; Action: …`) is its config
//!   as the `cxone-signal` contract reads it: `{action, contactId, spawnedContactId}`, so that an
//!   empty id (HD910) or the sentinel (HD911) in the logs is found where it was read.
//! - A signal request (URL and body) is the request as captured, `{query, body}`, with the
//!   parameters the URL's query carried (`p1` up to 1.0.10) and those of the body.
//! - The chat envelope is the `vah-chat` payload as logged.
//!
//! Context Init's data is not a record: the SIP headers it read are not logged, only what it set.

use crate::message::Event;

/// The id Context Init writes into every id in a test chat (`extensions/cxone/src/config/index.ts`
/// at d4817ae4, `SENTINEL_CONTACT_ID`), and which Exit Interaction never signals.
pub const SENTINEL_CONTACT_ID: &str = "100000000000";

/// The record an event is, as compact JSON, or `None` for events that are not payloads.
pub fn record(event: &Event) -> Option<String> {
    match event {
        Event::HandoverStarted {
            contact_id,
            spawned_contact_id,
            action,
            ..
        } => Some(
            serde_json::json!({
                "action": action,
                "contactId": contact_id,
                "spawnedContactId": spawned_contact_id,
            })
            .to_string(),
        ),
        Event::SignalRequest { url, body } => {
            let query: serde_json::Map<String, serde_json::Value> = query_of(url)
                .filter(|(key, _)| is_parameter(key))
                .map(|(key, value)| (key, value.into()))
                .collect();
            // A body that is not JSON is sent as it was logged: the contract says what is wrong.
            let body: serde_json::Value = match body {
                Some(body) => serde_json::from_str(body).unwrap_or_else(|_| body.as_str().into()),
                None => serde_json::json!({}),
            };
            Some(serde_json::json!({"query": query, "body": body}).to_string())
        }
        Event::ChatEnvelope { json } => Some(json.clone()),
        _ => None,
    }
}

/// `p1`..`pN`: a signal's parameters.
fn is_parameter(key: &str) -> bool {
    key.strip_prefix('p')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The decoded `key=value` pairs of a URL's query.
fn query_of(url: &str) -> impl Iterator<Item = (String, String)> + '_ {
    url.split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
}

/// Percent-decoding (`encodeURIComponent`'s inverse; `+` stays, as JavaScript writes none).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::parse;

    fn record_of(message: &str) -> serde_json::Value {
        serde_json::from_str(&record(&parse(message).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn exit_interactions_start_is_its_config() {
        assert_eq!(
            record_of(
                "handoverToCXone: Contact ID: ; Spawned Contact ID: 100000000000; Action: Escalate; Environment URL: u"
            ),
            serde_json::json!({"action": "Escalate", "contactId": "", "spawnedContactId": "100000000000"})
        );
    }

    #[test]
    fn a_signal_request_keeps_the_query_and_the_body() {
        assert_eq!(
            record_of(
                r#"CXone -> sendSignalHandover: Posting to URL: https://x/interactions/42/signal?p1=Escalate%20now with body: {"p2":"[]"}"#
            ),
            serde_json::json!({"query": {"p1": "Escalate now"}, "body": {"p2": "[]"}})
        );
        assert_eq!(
            record_of(
                r#"CXone API Client: Posting handover signal to URL: https://x/interactions/42/signal with body: {"p1":"End"}"#
            ),
            serde_json::json!({"query": {}, "body": {"p1": "End"}})
        );
        assert_eq!(
            record_of(
                "CXone API Client: Sending signal to URL: https://x/signal?p1=a&other=1&p2=%E2%9C%93"
            ),
            serde_json::json!({"query": {"p1": "a", "p2": "✓"}, "body": {}})
        );
    }

    #[test]
    fn the_envelope_is_itself_and_other_events_are_no_record() {
        let envelope = r#"{"_cognigy":{"_niceCXOne":{"json":{"action":"AGENT_TRANSFER"}}}}"#;
        assert_eq!(
            record(&Event::ChatEnvelope {
                json: envelope.into()
            })
            .as_deref(),
            Some(envelope)
        );
        assert_eq!(record(&Event::NoChatOutput), None);
        assert_eq!(
            record(&parse("handoverToCXone: isVoice: true").unwrap()),
            None
        );
    }
}
