//! One module per command (the tenant commands share theirs): each turns its arguments into
//! settings, runs, and reports.

pub mod auth;
mod cognigy;
pub mod diagnose;
pub mod fix;
pub mod init;
pub mod lint;
pub mod logs;
mod logs_pull;
pub mod mock;
pub mod postmortem;
pub mod queue;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod shell;
pub mod simulate;
mod tenant;
pub mod validate;
pub mod watch;
