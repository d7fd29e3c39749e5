//! `auth`: sign in, and show the tenant and the token's lifetime.

use super::tenant::{Setup, run_plan};
use crate::cli::TenantArgs;
use crate::diagnose::Plan;
use crate::report::StepId;

pub fn run(args: TenantArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args, None)?;
    let plan = Plan {
        signal: None,
        steps: vec![StepId::Auth],
        payload: None,
        queue: None,
        live: false,
        follow: None,
        script_path: None,
        slow_call: setup.connection.slow_call,
        levels: setup.config.levels()?,
    };
    run_plan(&setup, &args, &plan, false)
}
