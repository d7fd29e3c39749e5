//! `postmortem`: one timeline for a handover that failed, from the bot's Cognigy logs and the
//! contact's history in CXone, and the findings that say where it broke. Reads only: the
//! contact's state history (GETs); with `--demo`, it first plays a handover on the built-in mock
//! so that there is an incident to investigate.

use std::sync::Arc;

use cxone_client::{CompletedContact, ContactCenter, ContactState, Profile, TestContact, Window};
use handover_core::Parser;
use handover_logs::Event;
use handover_logs::handover::{self, Filter, Handover};

use super::logs;
use super::tenant::Setup;
use crate::cli::PostmortemArgs;
use crate::error::Error;
use crate::report::{
    Checked, End, Located, RecordReport, Summary, Target, Timeline, TimelineEvent, Unreadable,
};
use crate::settings::resolve;
use crate::validate;

pub fn run(args: PostmortemArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args.tenant, None)?;
    if setup.connection.profile != Profile::Cxone {
        return Err(Error::Usage(
            "postmortem reads a contact's history, which only the cxone profile has".into(),
        )
        .into());
    }
    let client = setup.client()?;
    let mut summary = Summary::default();
    let (found, mut read) = if args.logs.is_empty() {
        (validate::input::Found::default(), logs::Read::default())
    } else {
        logs::read_all(&args.logs, &args.select, &mut summary)?
    };
    let mut names: Vec<Arc<str>> = found.sources.iter().map(|s| s.name.clone()).collect();
    // The demo plays its own incident only when it is not asked about another.
    let contact_id = match (&args.contact_id, &setup.demo, &args.session) {
        (Some(id), _, _) => Some(id.clone()),
        (None, Some(_), None) => Some(setup.runtime.block_on(demo_incident(&setup, &client))?),
        _ => None,
    };
    // The demo's bot side is the mock's own Cognigy log (what `logs --pull --demo` collects),
    // unless logs are given.
    if let (Some((_, server)), true) = (&setup.demo, args.logs.is_empty()) {
        let log: String = server
            .cognigy_log()
            .iter()
            .map(|entry| entry.to_string() + "\n")
            .collect();
        read.bytes(0, log.as_bytes(), 1, handover_logs::Format::JsonLines);
        names.push(Arc::from("mock:cognigy-log"));
    }
    let filter = Filter {
        since: logs::instant(args.since.as_deref(), "--since")?,
        until: logs::instant(args.until.as_deref(), "--until")?,
        session: args.session.clone(),
        contact_id: contact_id.clone().filter(|_| args.session.is_none()),
    };
    let conversation = handover::group(std::mem::take(&mut read.events), &filter)
        .into_iter()
        .reduce(merge);
    // The contacts to look up: the one asked about, and those the bot's logs name for it (the
    // spawned contact Exit Interaction signals, the main one).
    let mut contacts: Vec<String> = contact_id.into_iter().collect();
    if let Some(conversation) = &conversation {
        for id in signalled(conversation) {
            if !contacts.contains(&id) {
                contacts.push(id);
            }
        }
    }
    if contacts.is_empty() {
        return Err(Error::Usage(
            "postmortem needs a contact: give --contact-id, or --session with --logs that name one"
                .into(),
        )
        .into());
    }
    let histories = setup.runtime.block_on(async {
        let mut histories = Vec::new();
        for id in &contacts {
            let history = client.contact_history(id).await;
            // The record of how it ended, looked up around the contact's first state.
            let completed = match &history {
                Ok(states) => {
                    let at = states
                        .first()
                        .and_then(|s| s.started.as_deref())
                        .and_then(handover_logs::instant)
                        .unwrap_or_else(jiff::Timestamp::now);
                    Some(client.completed_contact(id, Window::around(at)).await)
                }
                Err(_) => None,
            };
            histories.push((id.clone(), history, completed));
        }
        histories
    });

    let levels = setup.config.levels()?;
    let mut parser = Parser::new();
    // The bot's side is placed in its log files; the contact center's has no file.
    let bot: Vec<Located> = conversation
        .as_ref()
        .map(|c| logs::verdicts(c, &levels, &mut parser))
        .unwrap_or_default();
    let mut findings: Vec<Located> = Vec::new();
    let mut events: Vec<(Option<jiff::Timestamp>, TimelineEvent)> = conversation
        .as_ref()
        .map(|c| {
            c.events
                .iter()
                .map(|e| e.at)
                .zip(logs::timeline_events(&names, c))
                .collect()
        })
        .unwrap_or_default();
    for (id, history, completed) in &histories {
        match history {
            Ok(states) => {
                events.extend(states.iter().map(|s| state_event(id, s)));
                let mut found = crate::diagnose::contact_outcome(id, states)
                    .map(|(_, found)| found)
                    .unwrap_or_default();
                match completed {
                    Some(Ok(Some(record))) => {
                        events.push(ended_event(id, record, states));
                        found.extend(refused(id, record));
                    }
                    // Still active, or older than the window: the history says what there is.
                    Some(Ok(None)) | None => {}
                    Some(Err(e)) => eprintln!(
                        "note: the completed-contact record of contact {id} could not be read: {e}"
                    ),
                }
                findings.extend(found.into_iter().filter_map(|mut l| {
                    handover_core::settings::relevel_finding(&levels, &mut l.finding).then_some(l)
                }));
            }
            Err(e) if e.status() == Some(404) => {
                findings.push(Located::unplaced(handover_core::Finding::new(
                    &crate::diagnose::rules::CONTACT_UNKNOWN,
                    handover_core::Span::default(),
                    "",
                    format!("CXone has no state history for contact {id}: {e}"),
                )))
            }
            // Not a fact about the handover: the investigation could not finish (exit 2).
            Err(e) => {
                let error =
                    Error::Environment(format!("cannot read the history of contact {id}: {e}"));
                error.print();
                summary.unreadable.push(Unreadable {
                    path: format!("cxone:contact/{id}"),
                    error: e.to_string(),
                });
            }
        }
    }
    explain_from_script(&setup, &client, &mut findings);
    // One line of time; stable, and what has no readable time goes last.
    events.sort_by_key(|(at, _)| (at.is_none(), *at));
    let timeline = Timeline {
        session: conversation.as_ref().and_then(|c| c.session.clone()),
        trace: conversation.as_ref().and_then(|c| c.trace.clone()),
        events: events.into_iter().map(|(_, e)| e).collect(),
    };
    let mut reporter = resolve::reporter(
        &args.tenant.output,
        &setup.config,
        "postmortem",
        args.deny_warnings,
        Target::Stdout,
    )?;
    // One incident, counted once, reported as two records so that every finding names its own
    // place: the bot's in the log file, the contact center's at `cxone:contact/ID`. The timeline
    // goes with the first.
    let mut checked = Checked::default();
    let all: Vec<handover_core::Finding> = bot
        .iter()
        .chain(&findings)
        .map(|l| l.finding.clone())
        .collect();
    checked.summary.add_record(None, &all);
    let mut timeline = Some(Box::new(timeline));
    if let Some(conversation) = &conversation {
        let first = &conversation.events[0];
        checked.deliver(
            &reporter.delivery(),
            RecordReport {
                source: names[first.source].clone(),
                contract: None,
                line: first.logged.entry.line,
                index: 0,
                findings: bot,
                text: String::new(),
                timeline: timeline.take(),
            },
        );
    }
    checked.deliver(
        &reporter.delivery(),
        RecordReport {
            source: Arc::from(format!("cxone:contact/{}", contacts[0])),
            contract: None,
            line: 0,
            index: 1,
            findings,
            text: String::new(),
            timeline,
        },
    );
    summary.merge(&checked.summary);
    reporter.records(&checked)?;
    if !args.logs.is_empty() {
        summary.logs = Some(read.counts);
    }
    reporter.done(&End::Batch {
        summary: &summary,
        files: found.sources.len(),
        nothing_to_check: None,
    })?;
    Ok(validate::exit_code(&summary, args.deny_warnings, false))
}

/// An HD805 (the contact never left PreQueue) explained by the Studio script the contacts run
/// (`script_path`), linted as `diagnose` lints it: its missing REQAGENT is why. Read with a GET;
/// a script that cannot be read explains nothing, and says so on stderr.
fn explain_from_script(setup: &Setup, client: &impl ContactCenter, findings: &mut [Located]) {
    let dropped =
        |l: &Located| std::ptr::eq(l.finding.rule, &crate::diagnose::rules::CONTACT_DROPPED);
    let path = setup.connection.script_path.as_deref().map(str::trim);
    let Some(path) = path.filter(|p| !p.is_empty() && findings.iter().any(dropped)) else {
        return;
    };
    match setup.runtime.block_on(client.studio_script(path)) {
        Ok(bytes) => {
            let mut script = Vec::new();
            handover_lint::studio::lint_script(path, &bytes, &mut script);
            // The history does not say which script the contact ran: script_path is the likely one.
            let lead = format!("likely why, if it ran script_path {path}");
            crate::diagnose::explain_dropped(findings.iter_mut(), &script, &lead);
        }
        Err(e) => eprintln!("note: script_path {path} could not be read to explain HD805: {e}"),
    }
}

/// Two conversations that name the same contact are one incident (a call's Context Init logged
/// under one session and its Exit Interaction under another, say).
fn merge(mut a: Handover, b: Handover) -> Handover {
    a.events.extend(b.events);
    a.events.sort_by_key(|e| e.at);
    a
}

/// The contacts the bot's logs say it signalled, or meant to: the spawned contact Exit
/// Interaction signals (else the main one), and Signal Interaction's contact.
fn signalled(conversation: &Handover) -> Vec<String> {
    conversation
        .events
        .iter()
        .filter_map(|e| match &e.logged.event {
            Event::HandoverStarted {
                contact_id,
                spawned_contact_id,
                ..
            } => Some(if spawned_contact_id.is_empty() {
                contact_id.clone()
            } else {
                spawned_contact_id.clone()
            }),
            Event::SignalSent { contact_id, .. } | Event::SignalStarted { contact_id, .. } => {
                Some(contact_id.clone())
            }
            _ => None,
        })
        .filter(|id| !id.is_empty() && id != handover_logs::record::SENTINEL_CONTACT_ID)
        .collect()
}

/// How the contact ended, from its completed-contact record, as the timeline's last line for it:
/// at the end of its last state.
fn ended_event(
    contact: &str,
    record: &CompletedContact,
    states: &[ContactState],
) -> (Option<jiff::Timestamp>, TimelineEvent) {
    let mut parts = vec![format!(
        "contact {contact} ended: {}",
        record
            .end_reason
            .as_deref()
            .unwrap_or("no end reason given")
    )];
    let seconds =
        |what: &str, n: Option<u32>| n.filter(|n| *n > 0).map(|n| format!("{n} s {what}"));
    parts.extend(seconds("in PreQueue", record.pre_queue_seconds));
    parts.extend(seconds("in the queue", record.in_queue_seconds));
    parts.extend(seconds("with an agent", record.agent_seconds));
    if record.abandoned == Some(true) {
        parts.push("abandoned".into());
    }
    let at = states
        .last()
        .and_then(|s| s.started.as_deref())
        .and_then(handover_logs::instant);
    (
        at,
        TimelineEvent {
            timestamp: states.last().and_then(|s| s.started.clone()),
            source: Arc::from(format!("cxone:contact/{contact}")),
            line: None,
            node: "cxone",
            event: "contact-completed",
            text: parts.join(", "),
        },
    )
}

/// HD831 when the record says an agent refused the contact.
fn refused(contact: &str, record: &CompletedContact) -> Option<Located> {
    (record.refused == Some(true)).then(|| {
        let agent = record
            .agent_id
            .as_deref()
            .map_or(String::new(), |a| format!(" {a}"));
        let reason = record.refuse_reason.as_deref().unwrap_or("no reason given");
        Located::unplaced(handover_core::Finding::new(
            &crate::diagnose::rules::CONTACT_REFUSED,
            handover_core::Span::default(),
            "",
            format!("contact {contact} was offered to agent{agent}, who refused it ({reason})"),
        ))
    })
}

/// A state of a contact's history as a timeline line.
fn state_event(contact: &str, state: &ContactState) -> (Option<jiff::Timestamp>, TimelineEvent) {
    let mut text = format!("contact {contact}: {}", state.name);
    if let Some(skill) = &state.skill_id {
        text += &format!(", skill {skill}");
    }
    if let Some(agent) = &state.agent_id {
        text += &format!(", agent {agent}");
    }
    let at = state.started.as_deref().and_then(handover_logs::instant);
    (
        at,
        TimelineEvent {
            timestamp: state.started.clone(),
            source: Arc::from(format!("cxone:contact/{contact}")),
            line: None,
            node: "cxone",
            event: "contact-state",
            text,
        },
    )
}

/// `--demo`: a handover played on the built-in mock (a test contact into the scenario's first
/// skill, running its script), whose contact is then investigated. The mock is this process's:
/// nothing real is placed.
async fn demo_incident(setup: &Setup, client: &impl ContactCenter) -> Result<String, Error> {
    let Some((_, server)) = &setup.demo else {
        return Err(Error::Usage("the demo incident needs --demo".into()));
    };
    let skill = server
        .scenario()
        .skills
        .first()
        .ok_or_else(|| Error::Usage("the demo scenario has no skill".into()))?;
    let contact = TestContact {
        queue_id: skill.id.to_string(),
        phone_number: "+14155552671".into(),
        name: "Demo Caller".into(),
        custom_attributes: serde_json::json!({}),
        script_path: setup.connection.script_path.clone(),
    };
    client
        .place_test_contact(&contact)
        .await
        .map_err(|e| Error::Environment(format!("the demo could not place its contact: {e}")))
}
