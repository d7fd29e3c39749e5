//! `queue`: named queues with their agents, or (`--all`) every skill's activity.

use std::io::Write;

use cxone_client::ContactCenter;
use handover_core::Checker;

use super::tenant::{Setup, report_diagnosis, run_plan};
use crate::cli::{ContactArgs, Format, QueueArgs};
use crate::diagnose;
use crate::error::{Error, exit};
use crate::report::StepId;
use crate::settings::resolve;

pub fn run(args: QueueArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args.tenant, None)?;
    if args.all {
        let client = setup.client()?;
        let activity = setup.runtime.block_on(client.queues());
        let as_json = match resolve::format(&args.tenant.output, &setup.config) {
            Format::Human => false,
            Format::Json | Format::Jsonl => true,
            other => {
                return Err(Error::Usage(format!(
                    "queue --all lists skills, not findings: use --format human or json, not {}",
                    format_name(other)
                ))
                .into());
            }
        };
        let mut out = crate::report::term::stdout(args.tenant.output.color);
        return match activity {
            Ok(sweep) => {
                let truncated = sweep.truncated.as_ref().map(diagnose::truncated_skills);
                crate::report::sweep(&mut out, &sweep.queues, truncated.as_ref(), as_json)?;
                Ok(exit::OK)
            }
            Err(e) => {
                writeln!(std::io::stderr(), "error: {e}")?;
                Ok(exit::PROBLEMS)
            }
        };
    }
    let mut queues = args.queues.clone();
    if queues.is_empty() {
        let no_contact = ContactArgs {
            payload: None,
            queue: None,
            live: false,
            yes: false,
            follow: None,
        };
        match setup.plan(vec![], &no_contact)?.payload {
            // The queue the payload names, read by its contract as `diagnose` reads it.
            Some(input) => match Checker::auto(handover_core::CheckSettings::default())
                .check_with_facts(
                    &mut handover_core::Parser::new(),
                    &input.bytes,
                    &mut Vec::new(),
                )
                .1
                .queue_id
            {
                Some(id) => queues.push(id),
                None => {
                    return Err(Error::Usage(format!(
                        "{} has no queueId; name the queues",
                        input.source
                    ))
                    .into());
                }
            },
            None => return Err(Error::Usage("name the queues (or use --all)".into()).into()),
        }
    }
    // Each queue is a diagnosis of its own: JSON writes one document a line, human and github
    // text one after another; a JUnit or SARIF document cannot follow another in one file.
    let format = resolve::format(&args.tenant.output, &setup.config);
    if queues.len() > 1 && matches!(format, Format::Junit | Format::Sarif) {
        return Err(Error::Usage(format!(
            "{} queues would make {} {} documents in one output, which no reader takes: check one queue a run, or use --format json (one document a line)",
            queues.len(),
            queues.len(),
            format_name(format)
        ))
        .into());
    }
    let steps = vec![StepId::Auth, StepId::Queue, StepId::Agents];
    if let [id] = queues.as_slice() {
        let plan = setup.reading(steps, Some(id.clone()))?;
        return run_plan(&setup, &args.tenant, &plan, false);
    }
    // Several queues share one client: one sign-in and, on CXone, one read of the agents' states.
    let plan = setup.reading(steps, None)?;
    let client = setup.client()?;
    let mut worst = exit::OK;
    setup
        .runtime
        .block_on(diagnose::queues(&plan, &client, &queues, |diagnosis| {
            worst = worst.max(report_diagnosis(&setup, &args.tenant, &diagnosis)?);
            Ok(())
        }))?;
    Ok(worst)
}

/// A format as the user typed it.
fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}
