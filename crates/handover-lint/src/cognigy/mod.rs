//! A Cognigy flow's chart as a graph, and the rules that ask questions of it.

pub mod graph;
pub mod rules;
pub mod script;
pub mod transfer;

use handover_core::json::{Document, Kind, Parser};
use handover_core::{Finding, Rule, Span};

use graph::Flow;

/// One chart being linted: the document, its graph, and the findings so far.
pub struct Chart<'d, 'f> {
    name: &'f str,
    doc: &'d Document<'d>,
    flow: Flow,
    findings: &'f mut Vec<Finding>,
}

impl Chart<'_, '_> {
    /// The member `key` of a node's config.
    fn field(&self, node: usize, key: &str) -> Option<usize> {
        self.flow.nodes[node]
            .config
            .and_then(|config| self.doc.get(config, key))
    }

    /// How a message names a node: its label and its id, as the flow editor shows them.
    fn name(&self, node: usize) -> String {
        let node = &self.flow.nodes[node];
        format!("\"{}\" ({})", node.label, node.id)
    }

    /// A finding about the value `at` of `node`.
    fn at(&mut self, rule: &'static Rule, node: usize, at: usize, message: String) {
        let n = self.doc.node(at);
        let span = Span::new(n.start as usize, n.end as usize);
        let pointer = self.doc.pointer(at);
        self.push(rule, node, span, pointer, message);
    }

    /// A finding about a field `node`'s config lacks: at the `config` key, else at the node.
    fn missing(&mut self, rule: &'static Rule, node: usize, message: String) {
        let object = self.flow.nodes[node].at;
        let (span, pointer) = match self.flow.nodes[node].config {
            Some(config) => {
                let n = self.doc.node(config);
                let key = Span::new(n.key_start as usize, n.key_end as usize);
                (key, self.doc.pointer(config))
            }
            None => {
                let n = self.doc.node(object);
                (
                    Span::new(n.start as usize, n.start as usize + 1),
                    self.doc.pointer(object),
                )
            }
        };
        self.push(rule, node, span, pointer, message);
    }

    fn push(
        &mut self,
        rule: &'static Rule,
        node: usize,
        span: Span,
        pointer: String,
        message: String,
    ) {
        self.adopt(node, Finding::new(rule, span, pointer, message));
    }

    /// Takes a finding about `node` (one of the flow's rules, or a contract's on the node's
    /// config), naming the flow and the node in its message.
    fn adopt(&mut self, node: usize, mut finding: Finding) {
        finding.message = format!(
            "flow `{}`, node {}: {}",
            self.name,
            self.name(node),
            finding.message
        );
        self.findings.push(finding);
    }
}

/// Lints one flow's chart (`{nodes, relations}`); `flow` names the flow in messages.
pub fn lint_chart(flow: &str, bytes: &[u8], findings: &mut Vec<Finding>) {
    let mut parser = Parser::new();
    if let Some(doc) = crate::parse(&mut parser, &format!("flow `{flow}`"), bytes, findings) {
        lint_chart_doc(flow, &doc, findings);
    }
}

/// Lints a chart already parsed.
pub(crate) fn lint_chart_doc(flow: &str, doc: &Document<'_>, findings: &mut Vec<Finding>) {
    if doc.kind(0) != Kind::Object {
        return;
    }
    let mut chart = Chart {
        name: flow,
        doc,
        flow: Flow::new(doc),
        findings,
    };
    // A disabled node never runs, so what its config holds cannot fail a call.
    let exits: Vec<usize> = chart
        .flow
        .of_kind(rules::EXIT_INTERACTION)
        .filter(|&n| !chart.flow.nodes[n].disabled)
        .collect();
    for node in exits {
        rules::check_exit_interaction(&mut chart, node);
    }
    for node in 0..chart.flow.nodes.len() {
        if !chart.flow.nodes[node].disabled {
            transfer::check_transfer(&mut chart, node);
        }
    }
}
