//! One module per command (the tenant commands share theirs): each turns its arguments into
//! settings, runs, and reports.

pub mod fix;
pub mod mock;
pub mod rules;
pub mod tenant;
pub mod validate;
