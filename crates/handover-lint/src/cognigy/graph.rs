//! A flow's chart as a graph: its nodes, and the edges its relations draw (`next`, and each of
//! `children`), asked which nodes can run before a given one.

use std::collections::HashMap;

use handover_core::json::{Document, Kind};

/// One node of the chart, with what the rules ask of it.
#[derive(Debug)]
pub struct FlowNode {
    /// The node's object in the document.
    pub at: usize,
    pub id: String,
    pub kind: String,
    pub label: String,
    pub disabled: bool,
    /// The node's `config` object, when it has one.
    pub config: Option<usize>,
}

/// The chart of one flow: nodes in chart order, edges by node position, and where the flow starts.
#[derive(Debug)]
pub struct Flow {
    pub nodes: Vec<FlowNode>,
    edges: Vec<Vec<usize>>,
    entries: Vec<usize>,
}

impl Flow {
    /// Builds the graph from a chart's `nodes` and `relations`. What it cannot read it leaves out:
    /// a node without `_id`, a relation naming a node the chart does not have (the Cognigy CLI is
    /// known to write incomplete exports), a node without a relation (it then has no successor).
    pub fn new(doc: &Document<'_>) -> Flow {
        let text = |object: usize, key: &str| {
            doc.get(object, key)
                .filter(|&n| doc.kind(n) == Kind::String)
                .map(|n| doc.str(n).into_owned())
        };
        let flag = |object: usize, key: &str| {
            doc.get(object, key)
                .is_some_and(|n| doc.kind(n) == Kind::Bool && doc.raw(n) == "true")
        };
        let mut nodes = Vec::new();
        let mut marked_entries = Vec::new();
        if let Some(list) = doc.get(0, "nodes").filter(|&n| doc.kind(n) == Kind::Array) {
            for at in doc.children(list).filter(|&n| doc.kind(n) == Kind::Object) {
                let Some(id) = text(at, "_id") else { continue };
                if flag(at, "isEntryPoint") {
                    marked_entries.push(nodes.len());
                }
                nodes.push(FlowNode {
                    at,
                    id,
                    kind: text(at, "type").unwrap_or_default(),
                    label: text(at, "label").unwrap_or_default(),
                    disabled: flag(at, "isDisabled"),
                    config: doc
                        .get(at, "config")
                        .filter(|&n| doc.kind(n) == Kind::Object),
                });
            }
        }
        let by_id: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut edges = vec![Vec::new(); nodes.len()];
        if let Some(list) = doc
            .get(0, "relations")
            .filter(|&n| doc.kind(n) == Kind::Array)
        {
            for relation in doc.children(list).filter(|&n| doc.kind(n) == Kind::Object) {
                let find = |n: usize| {
                    (doc.kind(n) == Kind::String)
                        .then(|| by_id.get(doc.str(n).as_ref()).copied())
                        .flatten()
                };
                let Some(from) = doc.get(relation, "node").and_then(find) else {
                    continue;
                };
                let children = doc
                    .get(relation, "children")
                    .filter(|&n| doc.kind(n) == Kind::Array)
                    .into_iter()
                    .flat_map(|n| doc.children(n));
                let next = doc.get(relation, "next");
                edges[from].extend(children.chain(next).filter_map(find));
            }
        }
        // The Cognigy CLI's chart marks where the flow starts with `isEntryPoint`; a chart without
        // the mark (an older export, or one edited by hand) starts at its `start` node, which the
        // flow editor places first, else at the first node.
        let entries = if !marked_entries.is_empty() {
            marked_entries
        } else if let Some(start) = nodes.iter().position(|n| n.kind == "start") {
            vec![start]
        } else if nodes.is_empty() {
            Vec::new()
        } else {
            vec![0]
        };
        Flow {
            nodes,
            edges,
            entries,
        }
    }

    /// The positions of the nodes of `kind`, in chart order.
    pub fn of_kind<'f>(&'f self, kind: &'f str) -> impl Iterator<Item = usize> + 'f {
        (0..self.nodes.len()).filter(move |&i| self.nodes[i].kind == kind)
    }

    /// Whether some path from an entry point reaches `target` without running a node that `stops`
    /// (the path ends there). Flows loop, so each node is visited once. A disabled node does not
    /// run, but the path goes on past it: Cognigy skips a disabled node and continues with the
    /// next one, so a disabled node never `stops` a path.
    pub fn reaches_avoiding(&self, target: usize, stops: impl Fn(&FlowNode) -> bool) -> bool {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = self.entries.clone();
        while let Some(at) = stack.pop() {
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            if at == target {
                return true;
            }
            let node = &self.nodes[at];
            if !node.disabled && stops(node) {
                continue;
            }
            stack.extend(self.edges[at].iter().filter(|&&n| !seen[n]));
        }
        false
    }

    /// Whether `target` can run at all: some path from an entry point reaches it.
    pub fn reachable(&self, target: usize) -> bool {
        self.reaches_avoiding(target, |_| false)
    }
}
