//! `diagnose`: every step of the handover, payload to test contact.

use super::tenant::{Setup, run_plan};
use crate::cli::DiagnoseArgs;
use crate::report::StepId;

pub fn run(args: DiagnoseArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args.tenant, Some(&args.payload))?;
    let plan = setup.plan(StepId::ALL.to_vec(), &args.contact)?;
    run_plan(&setup, &args.tenant, &plan, !args.contact.yes)
}
