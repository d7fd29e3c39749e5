//! A Cognigy flow's chart as a graph, and the rules that ask questions of it.

pub mod rules;

use handover_core::Finding;

/// Lints one flow's chart (`{nodes, relations}`); `flow` names the flow in messages.
pub fn lint_chart(flow: &str, bytes: &[u8], findings: &mut Vec<Finding>) {
    let _ = (flow, bytes, findings);
}
