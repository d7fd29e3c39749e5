//! `simulate`: a test handover, as a new contact or as a signal to a running one.

use super::tenant::{Setup, consent, run_plan};
use crate::cli::{ContactArgs, SimulateArgs, Via};
use crate::diagnose::SignalPlan;
use crate::error::Error;
use crate::report::StepId;
use cxone_client::Profile;

pub fn run(args: SimulateArgs) -> anyhow::Result<i32> {
    let mut setup = Setup::new(&args.tenant, Some(&args.payload))?;
    if let Some(place) = args.signal_params {
        setup.connection.cxone.signal_params = place.to_client();
    }
    let mut steps = vec![StepId::Auth, StepId::Simulate];
    if args.contact.payload.is_some() || args.via == Via::Contact {
        steps.insert(0, StepId::Payload);
    }
    if args.via == Via::Contact {
        let plan = setup.plan(steps, &args.contact)?;
        return run_plan(&setup, &args.tenant, &plan, !args.contact.yes);
    }
    if setup.connection.profile != Profile::Cxone {
        return Err(Error::Usage(
            "--via signal needs the cxone profile: routing-v2 has no signal endpoint".into(),
        )
        .into());
    }
    if args.params.len() > 9 {
        return Err(Error::Usage(format!(
            "a signal carries at most 9 parameters, not {}",
            args.params.len()
        ))
        .into());
    }
    consent(&args.contact, setup.demo.is_some())?;
    // A signal spawns no script, so it needs no script_path: plan it as a dry run, then set live.
    let dry = ContactArgs {
        live: false,
        payload: args.contact.payload.clone(),
        queue: args.contact.queue.clone(),
        yes: args.contact.yes,
        follow: args.contact.follow,
    };
    let mut plan = setup.plan(steps, &dry)?;
    plan.live = args.contact.live || setup.demo.is_some();
    plan.signal = Some(SignalPlan {
        contact_id: args.contact_id.clone(),
        params: args.params.clone(),
    });
    run_plan(&setup, &args.tenant, &plan, !args.contact.yes)
}
