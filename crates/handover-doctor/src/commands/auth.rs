//! `auth`: sign in, and show the tenant and the token's lifetime.

use super::tenant::{Setup, run_plan};
use crate::cli::TenantArgs;
use crate::report::StepId;

pub fn run(args: TenantArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args, None)?;
    let plan = setup.reading(vec![StepId::Auth], None)?;
    run_plan(&setup, &args, &plan, false)
}
