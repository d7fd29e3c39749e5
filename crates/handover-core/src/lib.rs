//! handover-doctor's engine: the handover payload contracts, their rules, and findings with spans.
//!
//! Pure by design: no I/O, no network, no terminal, no async. Callers hand in record bytes and get
//! findings back as data; rendering and exit codes are theirs.

pub mod context;
pub mod contract;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod json;
pub mod phone;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod text;

pub use contract::Contract;
pub use engine::Checker;
pub use finding::{Finding, Fix, Severity, Span, line_col};
pub use json::Parser;
pub use rule::Rule;
pub use settings::{Api, CheckSettings, Level, PhoneCheck};
