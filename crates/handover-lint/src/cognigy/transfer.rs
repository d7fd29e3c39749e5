//! Voice Gateway transfers in a flow: a node whose settings hold a transfer target gets the
//! `vg-transfer` contract's rules (HD940-HD951), the same findings a payload of those settings
//! gets, placed at the node's config field.
//!
//! Which nodes: Cognigy publishes the Transfer node's fields by label only (Target, Transfer SIP
//! Headers, Referred By), not their JSON keys. The public nodes that do name them are the legacy
//! Voice Gateway and AudioCodes extensions' `handover` nodes (Cognigy/Extensions@3d249905,
//! `extensions/voice-gateway/src/nodes/handover.ts` and `extensions/audiocodes-vaig/src/nodes/handover.ts`:
//! `transferTarget`, `transferReferredByURL`, `handoverReason`). A node is taken for a transfer by
//! its `transferTarget`, not by its type: `handover` is also the type of the Avaya and ServiceNow
//! extensions' nodes, and `transfer` that of the Amazon Connect one, none of which is a Voice
//! Gateway transfer, and no other public extension uses the key.

use handover_core::CheckSettings;
use handover_core::contract::check_transfer_node;

use super::Chart;
use super::script;

/// The config key that marks a node's settings as a Voice Gateway transfer.
const TARGET: &str = "transferTarget";

/// Runs the `vg-transfer` rules on `node` when its settings are a transfer.
pub fn check_transfer(chart: &mut Chart<'_, '_>, node: usize) {
    let Some(config) = chart.flow.nodes[node].config else {
        return;
    };
    if chart.doc.get(config, TARGET).is_none() {
        return;
    }
    let mut found = Vec::new();
    check_transfer_node(chart.doc, config, &CheckSettings::default(), &mut found);
    let source = chart.doc.source();
    for finding in found {
        // A value written in CognigyScript is known only when the flow runs: a target
        // `{{context.agentLine}}` or a header holding a snippet token cannot be judged here.
        let spanned = source
            .get(finding.span.start..finding.span.end)
            .unwrap_or("");
        if spanned.starts_with('"') && !script::reads(spanned).is_empty() {
            continue;
        }
        chart.adopt(node, finding);
    }
}
