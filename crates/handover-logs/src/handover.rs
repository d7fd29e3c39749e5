//! Handovers: the events of one conversation, in time order, and what they say about where the
//! handover broke on the bot's side.
//!
//! A conversation is the entry's session when the export names one, else its trace, else the
//! contact its events name: Cognigy documents no session key for log entries, so the grouping
//! takes what each export has.

use handover_core::Rule;

use crate::Logged;
use crate::message::{Event, Node};
use crate::rules;

/// An event, the source it was read from (an index into the caller's list of sources), the
/// entry's text as the file holds it, and its instant, when its timestamp could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced {
    pub source: usize,
    pub logged: Logged,
    pub text: String,
    pub at: Option<jiff::Timestamp>,
}

impl Sourced {
    pub fn new(source: usize, logged: Logged, text: String) -> Self {
        let at = logged.entry.timestamp.as_deref().and_then(crate::instant);
        Self {
            source,
            logged,
            text,
            at,
        }
    }
}

/// The handover events of one conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handover {
    pub session: Option<String>,
    pub trace: Option<String>,
    /// In time order; events without a readable time keep their place in the file.
    pub events: Vec<Sourced>,
}

/// What narrows the events a user looks at.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub since: Option<jiff::Timestamp>,
    pub until: Option<jiff::Timestamp>,
    pub session: Option<String>,
    pub contact_id: Option<String>,
}

impl Filter {
    /// Whether an event is inside the time window (an event without a time is, since it cannot
    /// be placed outside it).
    fn in_window(&self, event: &Sourced) -> bool {
        match event.at {
            Some(at) => {
                self.since.is_none_or(|since| at >= since)
                    && self.until.is_none_or(|until| at <= until)
            }
            None => true,
        }
    }

    /// Whether a handover is one the user asked for: its session, or a contact any of its events
    /// (or the context Context Init set) names.
    fn wants(&self, handover: &Handover) -> bool {
        let session = self.session.as_deref().is_none_or(|wanted| {
            handover.session.as_deref() == Some(wanted) || handover.trace.as_deref() == Some(wanted)
        });
        let contact = self
            .contact_id
            .as_deref()
            .is_none_or(|wanted| handover.contact_ids().iter().any(|id| id == wanted));
        session && contact
    }
}

/// The conversations `events` belong to, in the order their first events were read, each
/// narrowed to `filter`. An entry read twice (the same `_id`, from overlapping exports) counts once.
pub fn group(events: Vec<Sourced>, filter: &Filter) -> Vec<Handover> {
    let mut handovers: Vec<Handover> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let first_time = |e: &Sourced| match &e.logged.entry.id {
        Some(id) => seen.insert(id.clone()),
        None => true,
    };
    for event in events
        .into_iter()
        .filter(|e| filter.in_window(e))
        .filter(first_time)
    {
        let entry = &event.logged.entry;
        let key = entry
            .session_id
            .clone()
            .map(|s| format!("session:{s}"))
            .or_else(|| entry.trace_id.clone().map(|t| format!("trace:{t}")))
            .or_else(|| {
                event
                    .logged
                    .event
                    .contact_id()
                    .map(|c| format!("contact:{c}"))
            })
            .unwrap_or_default();
        let at = *index.entry(key).or_insert_with(|| {
            handovers.push(Handover {
                session: entry.session_id.clone(),
                trace: entry.trace_id.clone(),
                events: Vec::new(),
            });
            handovers.len() - 1
        });
        handovers[at].events.push(event);
    }
    for handover in &mut handovers {
        // Stable: events logged in the same millisecond keep the order they were written in.
        handover.events.sort_by_key(|e| e.at);
    }
    handovers.retain(|h| filter.wants(h));
    handovers
}

/// A verdict on a handover: a rule, the event it is about, and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub rule: &'static Rule,
    /// The index of the event in [`Handover::events`].
    pub event: usize,
    pub message: String,
}

impl Handover {
    /// Every contact id the handover's events name, and those Context Init set.
    pub fn contact_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for event in &self.events {
            let found = match &event.logged.event {
                Event::HandoverStarted {
                    contact_id,
                    spawned_contact_id,
                    ..
                } => vec![contact_id.clone(), spawned_contact_id.clone()],
                Event::ContextSet { json, .. } => {
                    let (main, spawned) = context_ids(json);
                    vec![main.unwrap_or_default(), spawned.unwrap_or_default()]
                }
                other => other.contact_id().map(str::to_string).into_iter().collect(),
            };
            for id in found.into_iter().filter(|id| !id.is_empty()) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Where the handover broke on the bot's side, as far as its logs tell.
    pub fn verdicts(&self) -> Vec<Verdict> {
        let mut verdicts = Vec::new();
        let mut context: Option<(Option<String>, Option<String>)> = None;
        for (at, event) in self.events.iter().enumerate() {
            match &event.logged.event {
                Event::VoiceInputMissing => verdicts.push(Verdict {
                    rule: &rules::VOICE_PAYLOAD_MISSING,
                    event: at,
                    message: "Context Init found no SIP payload on a voice call: it set no contact ids, so Exit Interaction sends no signal".into(),
                }),
                Event::HeaderUnreadable { header } => verdicts.push(Verdict {
                    rule: &rules::HEADER_DROPPED,
                    event: at,
                    message: format!("Context Init could not parse `{header}`: the data it carried was dropped"),
                }),
                Event::ContextSet { json, fallback: false, .. } => context = Some(context_ids(json)),
                Event::HandoverStarted { .. } => {
                    if let Some(verdict) = self.exit_interaction(at) {
                        verdicts.push(verdict);
                    }
                }
                Event::SignalFailed { node: Node::SignalInteraction, contact_id, error, .. } => {
                    verdicts.push(Verdict {
                        rule: &rules::SIGNAL_FAILED,
                        event: at,
                        message: format!("Signal Interaction's signal to contact {contact_id} failed: {error}"),
                    });
                }
                Event::SignalStarted { contact_id, .. } => {
                    if let Some((Some(main), Some(spawned))) = &context
                        && contact_id == main
                        && main != spawned
                    {
                        verdicts.push(Verdict {
                            rule: &rules::SIGNAL_TO_MAIN_CONTACT,
                            event: at,
                            message: format!("Signal Interaction signalled contact {main}, the main contact, not {spawned}, the spawned contact whose script waits in ONSIGNAL"),
                        });
                    }
                }
                _ => {}
            }
        }
        verdicts
    }

    /// What became of the Exit Interaction that started at event `start`: the events up to the
    /// next start are its own.
    fn exit_interaction(&self, start: usize) -> Option<Verdict> {
        let Event::HandoverStarted {
            contact_id,
            spawned_contact_id,
            action,
            ..
        } = &self.events[start].logged.event
        else {
            return None;
        };
        let own = self.events[start + 1..]
            .iter()
            .take_while(|e| !matches!(e.logged.event, Event::HandoverStarted { .. }))
            .map(|e| &e.logged.event);
        let (mut voice, mut channel, mut envelope) = (None, None, false);
        for event in own {
            match event {
                Event::SignalSent { .. } => return None,
                Event::SignalFailed {
                    node: Node::ExitInteraction,
                    contact_id,
                    error,
                    ..
                } => {
                    return Some(Verdict {
                        rule: &rules::SIGNAL_FAILED,
                        event: start,
                        message: format!(
                            "Exit Interaction's {action} signal to contact {contact_id} failed: {error}"
                        ),
                    });
                }
                Event::IsVoice { voice: v, .. } => voice = Some(*v),
                Event::Channel { channel: c, .. } => channel = Some(c.clone()),
                Event::ChatEnvelope { .. } => envelope = true,
                _ => {}
            }
        }
        let not_sent = |why: String| {
            Some(Verdict {
                rule: &rules::NOT_SIGNALLED,
                event: start,
                message: format!(
                    "Exit Interaction ran with action {action}, but no signal left the bot: {why}"
                ),
            })
        };
        let sentinel = crate::record::SENTINEL_CONTACT_ID;
        if envelope {
            // A Guide Chat handover goes out as the envelope: there is nothing to signal.
            return None;
        }
        if contact_id == sentinel || spawned_contact_id == sentinel {
            return not_sent(format!(
                "the contact ids are {sentinel}, the placeholder Context Init writes in a Cognigy test chat, not a CXone contact's"
            ));
        }
        if contact_id.is_empty() || spawned_contact_id.is_empty() {
            let which = match (contact_id.is_empty(), spawned_contact_id.is_empty()) {
                (true, true) => "both contact ids were",
                (true, false) => "contactId was",
                _ => "spawnedContactId was",
            };
            return not_sent(format!(
                "{which} empty (on voice, Context Init sets them from the SIP headers X-InContact-MasterId and X-InContact-ContactId)"
            ));
        }
        if voice == Some(false) {
            return not_sent(format!(
                "the channel ({}) is not voice, and no chat envelope was sent either",
                channel.as_deref().unwrap_or("unnamed")
            ));
        }
        Some(Verdict {
            rule: &rules::OUTCOME_UNLOGGED,
            event: start,
            message: format!(
                "Exit Interaction ran with both ids, but the logs hold neither its signal's status nor an error (contact {spawned_contact_id})"
            ),
        })
    }
}

/// `contactId` and `spawnedContactId` of the data Context Init logged.
fn context_ids(json: &str) -> (Option<String>, Option<String>) {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let id = |key: &str| {
        value
            .get(key)
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_u64().map(|n| n.to_string()))
            })
            .filter(|s| !s.is_empty())
    };
    (id("contactId"), id("spawnedContactId"))
}
