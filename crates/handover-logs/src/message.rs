//! The handover events in the log messages NICE's CXone extension writes (`api.log`), one small
//! parser per message. The messages are not a contract: each parser matches the text of the
//! versions named beside it, read in `Cognigy/Extensions` `extensions/cxone` (pull-request refs):
//! 1.0.5 at 74231a74, 1.0.8 at f2d525e2, 1.0.9 at 2c0c7ae4, 1.0.10 at 9cbadcf2 and 1.0.11 at
//! d4817ae4. A message none of them matches is not an event; the caller counts it.

/// The extension versions whose messages the parsers were written from.
pub const KNOWN_VERSIONS: &str = "1.0.5 to 1.0.11";

/// Which of the extension's nodes (or its API client) wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// Exit Interaction (`handoverToCXone`).
    ExitInteraction,
    /// Signal Interaction (`sendSignalToCXone`).
    SignalInteraction,
    /// Context Init (`setCxoneContextInit`, 1.0.9 only).
    ContextInit,
    /// The extension's API client (`CXone API Client:`, 1.0.10 on; `CXone ->`, up to 1.0.9).
    ApiClient,
}

impl Node {
    /// The node as the flow editor names it.
    pub fn label(self) -> &'static str {
        match self {
            Node::ExitInteraction => "Exit Interaction",
            Node::SignalInteraction => "Signal Interaction",
            Node::ContextInit => "Context Init",
            Node::ApiClient => "API client",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Node::ExitInteraction => "exit-interaction",
            Node::SignalInteraction => "signal-interaction",
            Node::ContextInit => "context-init",
            Node::ApiClient => "api-client",
        }
    }

    /// The prefix the node writes before its messages.
    fn prefix(self) -> &'static str {
        match self {
            Node::ExitInteraction => "handoverToCXone: ",
            Node::SignalInteraction => "sendSignalToCXone: ",
            Node::ContextInit => "setCxoneContextInit: ",
            Node::ApiClient => "CXone API Client: ",
        }
    }
}

/// One handover event, as a message of the extension states it. Values are the message's text,
/// untouched: an id the node read as empty is an empty string here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Exit Interaction starts, with what it read from its config: `handoverToCXone: Contact ID:
    /// …; Spawned Contact ID: …; Action: …; Environment URL: …` (1.0.10 on), or `…; Environment:
    /// …; Environment Base URL: …` (up to 1.0.9).
    HandoverStarted {
        contact_id: String,
        spawned_contact_id: String,
        action: String,
        environment_url: String,
    },
    /// Signal Interaction starts: `sendSignalToCXone: Contact ID: …; Environment URL: …` (1.0.10
    /// on), or `…; Environment: …; Environment Base URL: …` (up to 1.0.9).
    SignalStarted {
        contact_id: String,
        environment_url: String,
    },
    /// `…: Interaction channel: …`: the channel the node saw (`input.channel`).
    Channel { node: Node, channel: String },
    /// `…: isVoice: true|false`: whether the channel's name contains "voice", which decides
    /// whether a signal is sent at all.
    IsVoice { node: Node, voice: bool },
    /// `handoverToCXone: prepared optional parameters: [...]`: the parameters after `p1`.
    OptionalParameters { json: String },
    /// The signal request as the client was about to send it: `CXone API Client: Posting handover
    /// signal to URL: … with body: {...}` (1.0.10 on; `p1` in the URL's query in 1.0.10, in the
    /// body in 1.0.11), `CXone API Client: Sending signal to URL: …` (Signal Interaction; 1.0.11
    /// adds ` with body: {...}`), `CXone -> sendSignalHandover: Posting to URL: … with body: …`
    /// (1.0.8, 1.0.9), `CXone -> sendSignalHandover: About to signal to URL: …` (1.0.5).
    SignalRequest { url: String, body: Option<String> },
    /// `…: sent signal to CXone for contactId: …; action: …; status: …` (Exit Interaction) or
    /// `…; status: …` (Signal Interaction): the API answered with a success status.
    SignalSent {
        node: Node,
        contact_id: String,
        action: Option<String>,
        status: String,
    },
    /// `handoverToCXone: Error signaling CXone with: '…' for contactId: …; error: …`, or
    /// `sendSignalToCXone: Error signaling '[...]' for contactId: …; error: …`.
    SignalFailed {
        node: Node,
        contact_id: String,
        /// Exit Interaction's action, or Signal Interaction's parameters as JSON.
        what: String,
        error: String,
    },
    /// `handoverToCXone: Done. Output data was sent to CXone Guide Chat channel: {...}`: the chat
    /// envelope (`_cognigy._niceCXOne`).
    ChatEnvelope { json: String },
    /// `handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat
    /// channel.`
    NoChatOutput,
    /// `setCxoneContextInit: Context data already exists, skipping initialization.`
    ContextKept,
    /// `setCxoneContextInit: Voice input data not available`: a voice call without the SIP
    /// payload; no id is set.
    VoiceInputMissing,
    /// `setCxoneContextInit: Setting context data for channel …: {...}` (what it set from the SIP
    /// headers or the chat input), or `No valid data found in input for channel …. Initializing
    /// with data: {...}` (`fallback`: the test-chat data with the sentinel ids).
    ContextSet {
        channel: String,
        json: String,
        fallback: bool,
    },
    /// `setCxoneContextInit: Failed to parse X-CXone-Custom header` (or X-CXone-Extended), or
    /// `Error parsing X-CXone headers: …`: data the header carried is lost.
    HeaderUnreadable { header: String },
}

impl Event {
    /// The event's kind, as reports name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::HandoverStarted { .. } => "handover-started",
            Event::SignalStarted { .. } => "signal-started",
            Event::Channel { .. } => "channel",
            Event::IsVoice { .. } => "is-voice",
            Event::OptionalParameters { .. } => "optional-parameters",
            Event::SignalRequest { .. } => "signal-request",
            Event::SignalSent { .. } => "signal-sent",
            Event::SignalFailed { .. } => "signal-failed",
            Event::ChatEnvelope { .. } => "chat-envelope",
            Event::NoChatOutput => "no-chat-output",
            Event::ContextKept => "context-kept",
            Event::VoiceInputMissing => "voice-input-missing",
            Event::ContextSet { .. } => "context-set",
            Event::HeaderUnreadable { .. } => "header-unreadable",
        }
    }

    /// The node that wrote it.
    pub fn node(&self) -> Node {
        match self {
            Event::HandoverStarted { .. }
            | Event::OptionalParameters { .. }
            | Event::ChatEnvelope { .. }
            | Event::NoChatOutput => Node::ExitInteraction,
            Event::SignalStarted { .. } => Node::SignalInteraction,
            Event::Channel { node, .. }
            | Event::IsVoice { node, .. }
            | Event::SignalSent { node, .. }
            | Event::SignalFailed { node, .. } => *node,
            Event::SignalRequest { .. } => Node::ApiClient,
            Event::ContextKept
            | Event::VoiceInputMissing
            | Event::ContextSet { .. }
            | Event::HeaderUnreadable { .. } => Node::ContextInit,
        }
    }

    /// One line on what happened, for a timeline: values as logged, an empty id said to be so.
    pub fn describe(&self) -> String {
        let id = |id: &str| {
            if id.is_empty() {
                "(empty)".to_string()
            } else {
                id.to_string()
            }
        };
        match self {
            Event::HandoverStarted {
                contact_id,
                spawned_contact_id,
                action,
                ..
            } => format!(
                "{action}: contact {}, spawned contact {}",
                id(contact_id),
                id(spawned_contact_id)
            ),
            Event::SignalStarted { contact_id, .. } => {
                format!("signal to contact {}", id(contact_id))
            }
            Event::Channel { channel, .. } => format!("channel {channel}"),
            Event::IsVoice { voice, .. } => format!("voice: {}", if *voice { "yes" } else { "no" }),
            Event::OptionalParameters { json } => format!("optional parameters {json}"),
            Event::SignalRequest { url, body } => match body {
                Some(body) => format!("POST {url} {body}"),
                None => format!("POST {url}"),
            },
            Event::SignalSent {
                contact_id, status, ..
            } => format!("signal sent to contact {}: HTTP {status}", id(contact_id)),
            Event::SignalFailed {
                contact_id, error, ..
            } => format!("signal to contact {} failed: {error}", id(contact_id)),
            Event::ChatEnvelope { json } => format!("chat envelope sent: {json}"),
            Event::NoChatOutput => "done: nothing sent to a chat channel".into(),
            Event::ContextKept => "context data already set: left as it was".into(),
            Event::VoiceInputMissing => "no SIP payload on a voice call: no ids set".into(),
            Event::ContextSet {
                channel,
                json,
                fallback: false,
            } => format!("context set for channel {channel}: {json}"),
            Event::ContextSet { channel, json, .. } => {
                format!("no contact data on channel {channel}: test-chat data set: {json}")
            }
            Event::HeaderUnreadable { header } => {
                format!("could not parse {header}: its data dropped")
            }
        }
    }

    /// The contact the event names, when it names one: the main contact, else the one signalled.
    pub fn contact_id(&self) -> Option<&str> {
        match self {
            Event::HandoverStarted { contact_id, .. }
            | Event::SignalStarted { contact_id, .. }
            | Event::SignalSent { contact_id, .. }
            | Event::SignalFailed { contact_id, .. } => Some(contact_id.as_str()),
            _ => None,
        }
        .filter(|id| !id.is_empty())
    }
}

/// Cheap to ask before anything is parsed: whether a log line may hold one of the extension's
/// messages at all. Every message names one of these.
pub const MARKERS: &[&str] = &[
    "handoverToCXone",
    "sendSignalToCXone",
    "setCxoneContextInit",
    "CXone API Client",
    "CXone -> sendSignal",
];

/// The event a message states, if it is one of the known messages.
pub fn parse(message: &str) -> Option<Event> {
    let message = message.trim();
    PARSERS.iter().find_map(|parse| parse(message))
}

type Parser = fn(&str) -> Option<Event>;

/// One parser per known message.
const PARSERS: &[Parser] = &[
    handover_started,
    signal_started,
    channel,
    is_voice,
    optional_parameters,
    signal_request,
    signal_sent,
    signal_failed,
    chat_envelope,
    no_chat_output,
    context_kept,
    voice_input_missing,
    context_set,
    header_unreadable,
];

/// The text after `node`'s prefix.
fn of(node: Node, message: &str) -> Option<&str> {
    message.strip_prefix(node.prefix())
}

/// `key` at the start of `text`, and what follows up to `; ` (or the end, when `last`).
fn field<'t>(text: &'t str, key: &str, last: bool) -> Option<(&'t str, &'t str)> {
    let rest = text.strip_prefix(key)?;
    if last {
        return Some((rest, ""));
    }
    rest.split_once("; ")
}

fn handover_started(message: &str) -> Option<Event> {
    let rest = of(Node::ExitInteraction, message)?;
    let (contact_id, rest) = field(rest, "Contact ID: ", false)?;
    let (spawned_contact_id, rest) = field(rest, "Spawned Contact ID: ", false)?;
    let (action, rest) = field(rest, "Action: ", false)?;
    let environment_url = environment_url(rest)?;
    Some(Event::HandoverStarted {
        contact_id: contact_id.into(),
        spawned_contact_id: spawned_contact_id.into(),
        action: action.into(),
        environment_url: environment_url.into(),
    })
}

/// `Environment URL: <url>` (1.0.10 on), or `Environment: <name>; Environment Base URL: <url>`
/// (up to 1.0.9), at the end of a start message.
fn environment_url(rest: &str) -> Option<&str> {
    match field(rest, "Environment URL: ", true) {
        Some((url, _)) => Some(url),
        None => field(rest, "Environment: ", false)
            .and_then(|(_, rest)| field(rest, "Environment Base URL: ", true))
            .map(|(url, _)| url),
    }
}

fn signal_started(message: &str) -> Option<Event> {
    let rest = of(Node::SignalInteraction, message)?;
    let (contact_id, rest) = field(rest, "Contact ID: ", false)?;
    let environment_url = environment_url(rest)?;
    Some(Event::SignalStarted {
        contact_id: contact_id.into(),
        environment_url: environment_url.into(),
    })
}

/// The node whose prefix starts `message`, and the rest.
fn any_node(message: &str) -> Option<(Node, &str)> {
    [
        Node::ExitInteraction,
        Node::SignalInteraction,
        Node::ContextInit,
    ]
    .into_iter()
    .find_map(|node| of(node, message).map(|rest| (node, rest)))
}

fn channel(message: &str) -> Option<Event> {
    let (node, rest) = any_node(message)?;
    let channel = rest.strip_prefix("Interaction channel: ")?;
    Some(Event::Channel {
        node,
        channel: channel.into(),
    })
}

fn is_voice(message: &str) -> Option<Event> {
    let (node, rest) = any_node(message)?;
    let voice = match rest.strip_prefix("isVoice: ")? {
        "true" => true,
        "false" => false,
        _ => return None,
    };
    Some(Event::IsVoice { node, voice })
}

fn optional_parameters(message: &str) -> Option<Event> {
    let json =
        of(Node::ExitInteraction, message)?.strip_prefix("prepared optional parameters: ")?;
    Some(Event::OptionalParameters { json: json.into() })
}

fn signal_request(message: &str) -> Option<Event> {
    let rest = of(Node::ApiClient, message)
        .and_then(|rest| {
            rest.strip_prefix("Posting handover signal to URL: ")
                .or_else(|| rest.strip_prefix("Sending signal to URL: "))
        })
        .or_else(|| {
            let rest = message.strip_prefix("CXone -> sendSignalHandover: ")?;
            rest.strip_prefix("Posting to URL: ")
                .or_else(|| rest.strip_prefix("About to signal to URL: "))
        })
        .or_else(|| message.strip_prefix("CXone -> sendSignal: About to signal to URL: "))?;
    let (url, body) = match rest.split_once(" with body: ") {
        Some((url, body)) => (url, Some(body.to_string())),
        None => (rest, None),
    };
    Some(Event::SignalRequest {
        url: url.into(),
        body,
    })
}

fn signal_sent(message: &str) -> Option<Event> {
    let (node, rest) = any_node(message)?;
    let rest = rest.strip_prefix("sent signal to CXone for contactId: ")?;
    let (contact_id, rest) = rest.split_once("; ")?;
    let (action, rest) = match field(rest, "action: ", false) {
        Some((action, rest)) => (Some(action.to_string()), rest),
        None => (None, rest),
    };
    let (status, _) = field(rest, "status: ", true)?;
    Some(Event::SignalSent {
        node,
        contact_id: contact_id.into(),
        action,
        status: status.into(),
    })
}

fn signal_failed(message: &str) -> Option<Event> {
    let (node, rest) = any_node(message)?;
    let rest = rest
        .strip_prefix("Error signaling CXone with: '")
        .or_else(|| rest.strip_prefix("Error signaling '"))?;
    let (what, rest) = rest.split_once("' for contactId: ")?;
    let (contact_id, error) = rest.split_once("; error: ")?;
    Some(Event::SignalFailed {
        node,
        contact_id: contact_id.into(),
        what: what.into(),
        error: error.into(),
    })
}

fn chat_envelope(message: &str) -> Option<Event> {
    let json = of(Node::ExitInteraction, message)?
        .strip_prefix("Done. Output data was sent to CXone Guide Chat channel: ")?;
    Some(Event::ChatEnvelope { json: json.into() })
}

fn no_chat_output(message: &str) -> Option<Event> {
    of(Node::ExitInteraction, message)?
        .starts_with("Done. No output data sent to ")
        .then_some(Event::NoChatOutput)
}

fn context_kept(message: &str) -> Option<Event> {
    of(Node::ContextInit, message)?
        .starts_with("Context data already exists")
        .then_some(Event::ContextKept)
}

fn voice_input_missing(message: &str) -> Option<Event> {
    (of(Node::ContextInit, message)? == "Voice input data not available")
        .then_some(Event::VoiceInputMissing)
}

fn context_set(message: &str) -> Option<Event> {
    let rest = of(Node::ContextInit, message)?;
    if let Some(rest) = rest.strip_prefix("Setting context data for channel ") {
        let (channel, json) = rest.split_once(": ")?;
        return Some(Event::ContextSet {
            channel: channel.into(),
            json: json.into(),
            fallback: false,
        });
    }
    let rest = rest.strip_prefix("No valid data found in input for channel ")?;
    let (channel, json) = rest.split_once(". Initializing with data: ")?;
    Some(Event::ContextSet {
        channel: channel.into(),
        json: json.into(),
        fallback: true,
    })
}

fn header_unreadable(message: &str) -> Option<Event> {
    let rest = of(Node::ContextInit, message)?;
    let header = match rest.strip_prefix("Failed to parse ") {
        Some(rest) => rest.strip_suffix(" header")?,
        None => {
            rest.strip_prefix("Error parsing X-CXone headers: ")?;
            "X-CXone"
        }
    };
    Some(Event::HeaderUnreadable {
        header: header.into(),
    })
}

#[cfg(test)]
mod tests {
    //! Each message as the extension's source writes it, with its template's values filled in.
    use super::*;

    fn started(contact: &str, spawned: &str, action: &str, url: &str) -> Event {
        Event::HandoverStarted {
            contact_id: contact.into(),
            spawned_contact_id: spawned.into(),
            action: action.into(),
            environment_url: url.into(),
        }
    }

    #[test]
    fn exit_interaction_start_in_both_spellings() {
        // handover.ts at d4817ae4 (1.0.11) and 9cbadcf2 (1.0.10), line 109.
        assert_eq!(
            parse(
                "handoverToCXone: Contact ID: 123456789012; Spawned Contact ID: 123456789013; Action: Escalate; Environment URL: https://cxone.niceincontact.com"
            ),
            Some(started(
                "123456789012",
                "123456789013",
                "Escalate",
                "https://cxone.niceincontact.com"
            ))
        );
        // handover.ts at 2c0c7ae4 (1.0.9), f2d525e2 (1.0.8) and 74231a74 (1.0.5).
        assert_eq!(
            parse(
                "handoverToCXone: Contact ID: ; Spawned Contact ID: ; Action: End; Environment: Global; Environment Base URL: https://cxone.niceincontact.com"
            ),
            Some(started("", "", "End", "https://cxone.niceincontact.com"))
        );
    }

    #[test]
    fn signal_interaction_start() {
        // send-signal.ts at d4817ae4, line 73, and at 2c0c7ae4.
        for message in [
            "sendSignalToCXone: Contact ID: 42; Environment URL: https://cxone.niceincontact.com",
            "sendSignalToCXone: Contact ID: 42; Environment: Global; Environment Base URL: https://cxone.niceincontact.com",
        ] {
            assert_eq!(
                parse(message),
                Some(Event::SignalStarted {
                    contact_id: "42".into(),
                    environment_url: "https://cxone.niceincontact.com".into()
                }),
                "{message}"
            );
        }
    }

    #[test]
    fn channel_and_voice_of_every_node() {
        // handover.ts lines 113 and 115, send-signal.ts 77 and 79 (d4817ae4); init-context.ts
        // (2c0c7ae4).
        assert_eq!(
            parse("handoverToCXone: Interaction channel: voiceGateway2"),
            Some(Event::Channel {
                node: Node::ExitInteraction,
                channel: "voiceGateway2".into()
            })
        );
        assert_eq!(
            parse("setCxoneContextInit: isVoice: false"),
            Some(Event::IsVoice {
                node: Node::ContextInit,
                voice: false
            })
        );
        assert_eq!(
            parse("sendSignalToCXone: isVoice: true"),
            Some(Event::IsVoice {
                node: Node::SignalInteraction,
                voice: true
            })
        );
        assert_eq!(parse("sendSignalToCXone: isVoice: maybe"), None);
    }

    #[test]
    fn the_signal_request_in_every_version() {
        // cxone-api-client.ts at d4817ae4: handover and generic signals, URL and body.
        assert_eq!(
            parse(r#"CXone API Client: Posting handover signal to URL: https://api-c32.nice-incontact.com/inContactAPI/services/v33.0/interactions/42/signal with body: {"p1":"Escalate","p2":"[]"}"#),
            Some(Event::SignalRequest {
                url: "https://api-c32.nice-incontact.com/inContactAPI/services/v33.0/interactions/42/signal".into(),
                body: Some(r#"{"p1":"Escalate","p2":"[]"}"#.into())
            })
        );
        // cxone-api-client.ts at 9cbadcf2 (1.0.10): the URL alone.
        assert_eq!(
            parse(
                "CXone API Client: Sending signal to URL: https://x/interactions/42/signal?p1=Escalate"
            ),
            Some(Event::SignalRequest {
                url: "https://x/interactions/42/signal?p1=Escalate".into(),
                body: None
            })
        );
        // cxone-utils.ts at 2c0c7ae4 (1.0.9) and f2d525e2 (1.0.8).
        assert_eq!(
            parse(
                r#"CXone -> sendSignalHandover: Posting to URL: https://x/interactions/42/signal?p1=Escalate with body: {"p2":"[]"}"#
            ),
            Some(Event::SignalRequest {
                url: "https://x/interactions/42/signal?p1=Escalate".into(),
                body: Some(r#"{"p2":"[]"}"#.into())
            })
        );
        // cxone-utils.ts at 74231a74 (1.0.5).
        assert!(matches!(
            parse("CXone -> sendSignalHandover: About to signal to URL: https://x/signal?p1=End"),
            Some(Event::SignalRequest { body: None, .. })
        ));
    }

    #[test]
    fn sent_and_failed_signals() {
        // handover.ts line 148, send-signal.ts line 85 (d4817ae4).
        assert_eq!(
            parse(
                "handoverToCXone: sent signal to CXone for contactId: 123456789013; action: Escalate; status: 202"
            ),
            Some(Event::SignalSent {
                node: Node::ExitInteraction,
                contact_id: "123456789013".into(),
                action: Some("Escalate".into()),
                status: "202".into()
            })
        );
        assert_eq!(
            parse("sendSignalToCXone: sent signal to CXone for contactId: 42; status: 202"),
            Some(Event::SignalSent {
                node: Node::SignalInteraction,
                contact_id: "42".into(),
                action: None,
                status: "202".into()
            })
        );
        // handover.ts line 197, send-signal.ts line 99 (d4817ae4).
        assert_eq!(
            parse(
                "handoverToCXone: Error signaling CXone with: 'Escalate' for contactId: 42; error: CXone API Client: Error sending handover signal: 404: Not Found"
            ),
            Some(Event::SignalFailed {
                node: Node::ExitInteraction,
                contact_id: "42".into(),
                what: "Escalate".into(),
                error: "CXone API Client: Error sending handover signal: 404: Not Found".into()
            })
        );
        assert_eq!(
            parse(
                r#"sendSignalToCXone: Error signaling '["Transfer","x"]' for contactId: 42; error: fetch failed"#
            ),
            Some(Event::SignalFailed {
                node: Node::SignalInteraction,
                contact_id: "42".into(),
                what: r#"["Transfer","x"]"#.into(),
                error: "fetch failed".into()
            })
        );
    }

    #[test]
    fn chat_output_or_none() {
        // handover.ts lines 187 and 189 (d4817ae4).
        assert_eq!(
            parse(
                r#"handoverToCXone: Done. Output data was sent to CXone Guide Chat channel: {"_cognigy":{"_niceCXOne":{"json":{"action":"AGENT_TRANSFER"}}}}"#
            ),
            Some(Event::ChatEnvelope {
                json: r#"{"_cognigy":{"_niceCXOne":{"json":{"action":"AGENT_TRANSFER"}}}}"#.into()
            })
        );
        assert_eq!(
            parse(
                "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel."
            ),
            Some(Event::NoChatOutput)
        );
        assert_eq!(
            parse(r#"handoverToCXone: prepared optional parameters: ["[{\"k\":\"v\"}]"]"#),
            Some(Event::OptionalParameters {
                json: r#"["[{\"k\":\"v\"}]"]"#.into()
            })
        );
    }

    #[test]
    fn context_init_messages() {
        // init-context.ts at 2c0c7ae4 (1.0.9).
        assert_eq!(
            parse("setCxoneContextInit: Context data already exists, skipping initialization."),
            Some(Event::ContextKept)
        );
        assert_eq!(
            parse("setCxoneContextInit: Voice input data not available"),
            Some(Event::VoiceInputMissing)
        );
        assert_eq!(
            parse(
                r#"setCxoneContextInit: Setting context data for channel voiceGateway2: {"flowChannel":"VOICE","contactId":"42"}"#
            ),
            Some(Event::ContextSet {
                channel: "voiceGateway2".into(),
                json: r#"{"flowChannel":"VOICE","contactId":"42"}"#.into(),
                fallback: false
            })
        );
        assert_eq!(
            parse(
                r#"setCxoneContextInit: No valid data found in input for channel webchat3. Initializing with data: {"contactId":"100000000000"}"#
            ),
            Some(Event::ContextSet {
                channel: "webchat3".into(),
                json: r#"{"contactId":"100000000000"}"#.into(),
                fallback: true
            })
        );
        assert_eq!(
            parse("setCxoneContextInit: Failed to parse X-CXone-Custom header"),
            Some(Event::HeaderUnreadable {
                header: "X-CXone-Custom".into()
            })
        );
        assert_eq!(
            parse("setCxoneContextInit: Error parsing X-CXone headers: Unexpected token"),
            Some(Event::HeaderUnreadable {
                header: "X-CXone".into()
            })
        );
    }

    #[test]
    fn other_messages_are_no_event() {
        for message in [
            "",
            "handoverToCXone: got transcript",
            "CXone API Client: Cached new encrypted token in context",
            "getKnowledgeHubInfo: Contact ID: 42",
            "handoverToCXone: Contact ID: 1",
            "Flow executed",
        ] {
            assert_eq!(parse(message), None, "{message}");
        }
    }

    #[test]
    fn every_event_names_its_node_and_kind() {
        let event = parse("handoverToCXone: Interaction channel: x").unwrap();
        assert_eq!(
            (event.kind(), event.node()),
            ("channel", Node::ExitInteraction)
        );
        assert_eq!(event.contact_id(), None);
        let event = parse(
            "handoverToCXone: Contact ID: ; Spawned Contact ID: 7; Action: End; Environment URL: u",
        )
        .unwrap();
        // An empty id is no id.
        assert_eq!(event.contact_id(), None);
    }
}
