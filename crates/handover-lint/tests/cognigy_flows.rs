//! The flow rules on examples/cognigy-flow (one healthy flow, one broken flow per rule), and the
//! graph walk on small charts: loops, relations to nodes the chart lacks, disabled nodes, node
//! types lint does not know.

use std::path::PathBuf;

use handover_core::Finding;
use handover_lint::{Kind, detect, lint};

fn chart_path(flow: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cognigy-flow/flows")
        .join(flow)
        .join("en-US/chart.json")
}

fn lint_text(flow: &str, text: &str) -> Vec<Finding> {
    assert_eq!(detect(text.as_bytes()), Some(Kind::CognigyChart));
    let mut findings = Vec::new();
    lint(Kind::CognigyChart, flow, text.as_bytes(), &mut findings);
    findings
}

/// Lints the example flow, and asserts it has exactly one finding, of `code`, whose span holds
/// text starting with `at`.
fn only_finding(flow: &str, code: &str, at: &str) -> Finding {
    let text = std::fs::read_to_string(chart_path(flow)).unwrap();
    let findings = lint_text(flow, &text);
    let codes: Vec<&str> = findings.iter().map(|f| f.rule.code).collect();
    assert_eq!(codes, [code], "{flow}: {findings:#?}");
    let finding = findings.into_iter().next().unwrap();
    let spanned = &text[finding.span.start..finding.span.end];
    assert!(spanned.starts_with(at), "{flow}: span holds {spanned:?}");
    assert!(
        finding
            .message
            .starts_with(&format!("flow `{flow}`, node \"Exit Interaction\" ("))
    );
    finding
}

#[test]
fn the_healthy_voice_handover_has_no_finding() {
    let text = std::fs::read_to_string(chart_path("VoiceHandover")).unwrap();
    assert_eq!(lint_text("VoiceHandover", &text), []);
}

#[test]
fn a_literal_contact_id_is_an_error_at_the_value() {
    let f = only_finding("ContactIdLiteral", "HD960", "\"4567890123\"");
    assert_eq!(f.pointer, "/nodes/7/config/contactId");
    assert!(
        f.message
            .contains("literal \"4567890123\", not CognigyScript"),
        "{}",
        f.message
    );
}

#[test]
fn a_contact_id_from_another_path_is_a_warning_naming_the_path() {
    let f = only_finding(
        "ContactIdOtherPath",
        "HD961",
        "\"{{input.data.contactId}}\"",
    );
    assert!(
        f.message
            .contains("reads `input.data.contactId`, not `context.data.contactId`"),
        "{}",
        f.message
    );
}

#[test]
fn a_disabled_context_init_does_not_count_and_the_finding_says_so() {
    let f = only_finding("ContextInitDisabled", "HD962", "\"handoverToCXone\"");
    assert!(
        f.message
            .contains("the only Context Init, node \"Context Init\" ("),
        "{}",
        f.message
    );
    assert!(f.message.contains("is disabled"), "{}", f.message);
}

#[test]
fn an_old_exit_interaction_without_transfer_intent_is_flagged_at_its_config() {
    let f = only_finding("TransferIntentMissing", "HD963", "\"config\"");
    assert_eq!(f.pointer, "/nodes/7/config");
}

#[test]
fn optional_params_that_are_not_an_array_are_flagged_at_the_value() {
    let f = only_finding("OptionalParamsNotArray", "HD964", "{");
    assert_eq!(f.pointer, "/nodes/7/config/optionalParamsObject");
    assert!(
        f.message
            .contains("`optionalParamsObject` is an object, not a JSON array"),
        "{}",
        f.message
    );
}

/// A chart of `nodes` (`(id, type, disabled)`, the first the entry point) and `relations`
/// (`(node, children, next)`), with an Exit Interaction bound as NICE's descriptors expect.
fn chart(nodes: &[(&str, &str, bool)], relations: &[(&str, &[&str], Option<&str>)]) -> String {
    let nodes: Vec<serde_json::Value> = nodes
        .iter()
        .enumerate()
        .map(|(i, (id, kind, disabled))| {
            serde_json::json!({
                "_id": id, "type": kind, "label": kind, "isDisabled": disabled, "isEntryPoint": i == 0,
                "config": {
                    "action": "Escalate",
                    "contactId": "{{context.data.contactId}}",
                    "spawnedContactId": "{{ context.data.spawnedContactId }}"
                }
            })
        })
        .collect();
    let relations: Vec<serde_json::Value> = relations
        .iter()
        .map(|(node, children, next)| serde_json::json!({"node": node, "children": children, "next": next}))
        .collect();
    serde_json::json!({"nodes": nodes, "relations": relations}).to_string()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.code).collect()
}

#[test]
fn a_loop_without_context_init_ends_and_is_found() {
    let text = chart(
        &[
            ("a", "start", false),
            ("b", "say", false),
            ("c", "handoverToCXone", false),
        ],
        &[("a", &[], Some("b")), ("b", &["c"], Some("a"))],
    );
    let findings = lint_text("Loop", &text);
    assert_eq!(codes(&findings), ["HD962"]);
    assert!(findings[0].message.contains("the flow has no Context Init"));
}

#[test]
fn a_loop_through_context_init_is_quiet() {
    let text = chart(
        &[
            ("a", "start", false),
            ("i", "setCxoneContextInit", false),
            ("c", "handoverToCXone", false),
        ],
        &[
            ("a", &[], Some("i")),
            ("i", &[], Some("c")),
            ("c", &[], Some("a")),
        ],
    );
    assert_eq!(lint_text("Loop", &text), []);
}

#[test]
fn a_relation_to_an_unknown_node_and_a_node_without_relation_are_tolerated() {
    let text = chart(
        &[
            ("a", "start", false),
            ("i", "setCxoneContextInit", false),
            ("c", "handoverToCXone", false),
        ],
        &[
            ("a", &["ghost"], Some("i")),
            ("ghost2", &[], Some("c")),
            ("i", &[], Some("c")),
        ],
    );
    assert_eq!(lint_text("Partial", &text), []);
}

#[test]
fn a_path_that_skips_context_init_is_found_and_disabled_nodes_pass_on() {
    // a → (if) then → c, else → i → c: the "then" path skips Context Init. A disabled node
    // passes the path on to its next, as Cognigy skips it.
    let text = chart(
        &[
            ("a", "start", false),
            ("d", "say", true),
            ("t", "then", false),
            ("i", "setCxoneContextInit", false),
            ("c", "handoverToCXone", false),
        ],
        &[
            ("a", &["t", "i"], None),
            ("t", &[], Some("d")),
            ("d", &[], Some("c")),
            ("i", &[], Some("c")),
        ],
    );
    let findings = lint_text("Branch", &text);
    assert_eq!(codes(&findings), ["HD962"]);
    assert!(
        findings[0]
            .message
            .contains("without passing an enabled Context Init")
    );
}

#[test]
fn an_unreachable_exit_interaction_needs_no_context_init() {
    let text = chart(
        &[("a", "start", false), ("c", "handoverToCXone", false)],
        &[("a", &[], None)],
    );
    assert_eq!(lint_text("Unreached", &text), []);
}

#[test]
fn unknown_node_types_and_extensions_produce_no_finding() {
    let text = chart(
        &[
            ("a", "start", false),
            ("x", "someVendorNode", false),
            ("y", "neo4jQuery", true),
        ],
        &[("a", &["x"], Some("y")), ("x", &[], Some("a"))],
    );
    assert_eq!(lint_text("Unknown", &text), []);
}

#[test]
fn a_broken_chart_is_one_invalid_json_finding() {
    let mut findings = Vec::new();
    lint(
        Kind::CognigyChart,
        "Broken",
        b"{\"nodes\": [",
        &mut findings,
    );
    assert_eq!(codes(&findings), ["HD100"]);
}
