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

/// Lints the example flow, and asserts it has exactly one finding, of `code`, about its Exit
/// Interaction, whose span holds text starting with `at`.
fn only_finding(flow: &str, code: &str, at: &str) -> Finding {
    only_finding_on(flow, "Exit Interaction", code, at)
}

/// `only_finding`, about the node labelled `label`.
fn only_finding_on(flow: &str, label: &str, code: &str, at: &str) -> Finding {
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
            .starts_with(&format!("flow `{flow}`, node \"{label}\" (")),
        "{}",
        finding.message
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

#[test]
fn a_transfer_target_that_is_not_e164_gets_the_contracts_code_at_the_node() {
    let f = only_finding_on(
        "TransferTargetNotE164",
        "Transfer to CXone",
        "HD940",
        "\"+49 89 1234567\"",
    );
    assert_eq!(f.pointer, "/nodes/7/config/transferTarget");
    assert!(
        f.message.ends_with(
            "`transferTarget` \"+49 89 1234567\" is neither E.164 nor a sip:, sips: or tel: URI"
        ),
        "{}",
        f.message
    );
}

/// A chart whose start leads to one node of `kind` with `config`, enabled or not.
fn transfer_chart(kind: &str, disabled: bool, config: serde_json::Value) -> String {
    serde_json::json!({
        "nodes": [
            {"_id": "a", "type": "start", "label": "Start", "isEntryPoint": true, "config": {}},
            {"_id": "t", "type": kind, "label": "Transfer", "isDisabled": disabled, "config": config}
        ],
        "relations": [{"node": "a", "children": [], "next": "t"}]
    })
    .to_string()
}

/// The codes and the text at each span of the findings on a one-transfer chart.
fn transfer_findings(
    kind: &str,
    disabled: bool,
    config: serde_json::Value,
) -> Vec<(String, String)> {
    let text = transfer_chart(kind, disabled, config);
    lint_text("Transfer", &text)
        .into_iter()
        .map(|f| {
            assert!(
                f.message
                    .starts_with("flow `Transfer`, node \"Transfer\" (t): "),
                "{}",
                f.message
            );
            (
                f.rule.code.to_string(),
                text[f.span.start..f.span.end].to_string(),
            )
        })
        .collect()
}

fn pair(code: &str, at: &str) -> (String, String) {
    (code.to_string(), at.to_string())
}

#[test]
fn transfer_headers_as_name_value_pairs_get_the_contracts_header_rules() {
    // The deprecated Generic and AudioCodes nodes hold their headers as [{name, value}].
    let found = transfer_findings(
        "handover",
        false,
        serde_json::json!({
            "transferTarget": "sip:queue@cxone.example",
            "transferSipHeaders": [
                {"name": "Intent", "value": "billing"},
                {"name": "X-Bad Name", "value": "1"},
                {"name": "X-Line", "value": "a\nb"},
                "X-Caller: 1"
            ]
        }),
    );
    assert_eq!(
        found,
        [
            pair("HD942", "\"Intent\""),
            pair("HD951", "\"X-Bad Name\""),
            pair("HD951", "\"a\\nb\""),
            pair("HD941", "\"X-Caller: 1\""),
        ]
    );
}

#[test]
fn transfer_headers_as_an_object_and_a_referred_by_are_checked_too() {
    let found = transfer_findings(
        "transfer",
        false,
        serde_json::json!({
            "transferTarget": "tel:+4989123456",
            "transferReferredByURL": "bot one",
            "customHeaders": {"X-Intent": "billing", "User-to-User": "04a1"}
        }),
    );
    assert_eq!(
        found,
        [
            pair("HD950", "\"bot one\""),
            pair("HD942", "\"User-to-User\"")
        ]
    );
}

#[test]
fn cognigy_script_in_a_transfer_is_left_to_run_time() {
    let token =
        "[[snippet-eyJ0eXBlIjoiY29udGV4dCIsImxhYmVsIjoiTGluZSIsInNjcmlwdCI6ImNvbnRleHQubGluZSJ9]]";
    for config in [
        serde_json::json!({"transferTarget": "{{context.agentLine}}"}),
        serde_json::json!({"transferTarget": token}),
        serde_json::json!({"transferTarget": "sip:{{context.queue}}@cxone.example"}),
        serde_json::json!({
            "transferTarget": "+14155552671",
            "customHeaders": {"{{context.headerName}}": "1", "X-Reason": token}
        }),
    ] {
        assert_eq!(
            transfer_findings("handover", false, config.clone()),
            [],
            "{config}"
        );
    }
}

#[test]
fn a_disabled_transfer_and_a_node_without_a_transfer_target_are_not_checked() {
    assert_eq!(
        transfer_findings(
            "handover",
            true,
            serde_json::json!({"transferTarget": "nowhere"})
        ),
        []
    );
    // The Avaya extension's `handover` and Amazon Connect's `transfer` are not Voice Gateway
    // transfers: their settings have no `transferTarget`.
    assert_eq!(
        transfer_findings(
            "transfer",
            false,
            serde_json::json!({"option": "phoneNumber", "phoneNumber": "nowhere"})
        ),
        []
    );
    assert_eq!(
        transfer_findings(
            "handover",
            false,
            serde_json::json!({"handoverReason": "x", "customHeaders": {"Intent": "1"}})
        ),
        []
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
