//! Contracts: what a payload of one handover path must look like. Each contract is one unit that
//! plugs into the engine; the engine runs the checks all contracts share before it.

mod transfer_context;

pub use transfer_context::TransferContext;

use crate::engine::Context;

pub trait Contract: Send + Sync {
    /// The name users select it by (`--contract transfer-context`).
    fn name(&self) -> &'static str;
    /// One line on what the contract describes.
    fn description(&self) -> &'static str;
    fn check(&self, cx: &mut Context<'_, '_>);
}

/// Every contract the engine knows.
pub static ALL: &[&dyn Contract] = &[&TransferContext];

pub fn find(name: &str) -> Option<&'static dyn Contract> {
    ALL.iter().copied().find(|c| c.name() == name)
}
