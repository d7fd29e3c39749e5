//! A Studio script as a graph: its actions (by id, with kind, caption and properties) and the
//! branches between them, read from web-Studio JSON here and from Desktop Studio XML in
//! [`super::xml`]. Lenient by design: Studio adds keys from version to version, so unknown keys,
//! unknown action kinds and branches to ids the script lacks are all kept as they come.

use std::collections::HashMap;

use handover_core::json::{Document, Kind};

/// One action of the script.
pub struct Action {
    /// The action's id: its key in `actions` (or its `actionId` when `actions` is an array; its
    /// `<ActionID>` in XML).
    pub id: String,
    /// The action object itself (the `<ActionStruct>` element in XML).
    pub node: usize,
    /// The `name` value: the action's kind (`REQAGENT`, `ONSIGNAL`, ...), when present (the
    /// `<Action>` element in XML).
    pub name_node: Option<usize>,
    /// The kind in upper case, spaces and underscores dropped, so `TextBot Exchange` and
    /// `TEXTBOTEXCHANGE` are one kind.
    pub kind: String,
    /// The caption the canvas shows (`label`; `<Caption>` in XML), or the kind when there is none.
    pub label: String,
    /// The action's entry in `properties`; never read from XML.
    pub properties: Option<usize>,
    pub branches: Vec<Branch>,
}

/// One branch out of an action.
pub struct Branch {
    /// The branch's `label` (`OnError`, a menu digit; empty for the default branch).
    pub label: String,
    /// The branch's `type` (`default`, `case`, ...).
    pub kind: String,
    /// The id of the action the branch leads to (`to`), when it leads anywhere.
    pub to: Option<String>,
    /// The action the branch leads to, when `to` names an action of the script.
    pub target: Option<usize>,
    /// The branch leads somewhere: `to` is set, whether or not the script has that action.
    pub wired: bool,
}

impl Branch {
    /// A branch to the action `to`, which [`Script::new`] then looks up; `-1` and empty are how
    /// both formats write a branch that leads nowhere.
    pub fn new(label: String, kind: String, to: Option<String>) -> Branch {
        let to = to.filter(|t| !t.is_empty() && t != "-1");
        Branch {
            label,
            kind,
            wired: to.is_some(),
            to,
            target: None,
        }
    }
}

impl Branch {
    /// Whether this is the branch Studio calls `name` (`Default`, `OnError`, ...): by its label,
    /// or by its type, as the default branch has an empty label and the type `default`.
    pub fn is(&self, name: &str) -> bool {
        self.label.eq_ignore_ascii_case(name) || self.kind.eq_ignore_ascii_case(name)
    }
}

/// The file a script was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Web-Studio JSON: actions, their properties, branches and the header's media type.
    Json,
    /// Desktop Studio XML: action kinds, captions and branches only.
    DesktopXml,
}

/// The script: its actions in file order.
pub struct Script {
    pub actions: Vec<Action>,
    /// The key of `actions` in the root, where findings about the script as a whole point (in
    /// XML, the element that holds the `<ActionStruct>` elements).
    pub actions_key: Option<usize>,
    /// `header.mediaType`, when it is a number; never read from XML.
    pub media_type: Option<u64>,
    pub format: Format,
}

impl Script {
    /// The script of `actions`, with each branch's `to` looked up among them.
    pub fn new(
        mut actions: Vec<Action>,
        actions_key: Option<usize>,
        media_type: Option<u64>,
        format: Format,
    ) -> Script {
        let index: HashMap<String, usize> = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for branch in actions.iter_mut().flat_map(|a| &mut a.branches) {
            branch.target = branch.to.as_ref().and_then(|t| index.get(t).copied());
        }
        Script {
            actions,
            actions_key,
            media_type,
            format,
        }
    }

    pub fn read(doc: &Document<'_>) -> Script {
        let root = 0;
        let actions_key = doc.get(root, "actions");
        let properties = doc.get(root, "properties");
        let branches = doc.get(root, "branches");
        let mut actions = Vec::new();
        if let Some(list) = actions_key.filter(|&a| is_container(doc, a)) {
            for node in doc.children(list) {
                if doc.kind(node) != Kind::Object {
                    continue;
                }
                let id = match doc.kind(list) {
                    Kind::Object => doc.key(node).into_owned(),
                    _ => match doc.get(node, "actionId") {
                        Some(id) => scalar(doc, id),
                        None => continue,
                    },
                };
                let name_node = doc
                    .get(node, "name")
                    .filter(|&n| doc.kind(n) == Kind::String);
                let name = name_node
                    .map(|n| doc.str(n).into_owned())
                    .unwrap_or_default();
                let kind = kind_of(&name);
                let label = doc
                    .get(node, "label")
                    .filter(|&l| doc.kind(l) == Kind::String)
                    .map(|l| doc.str(l).into_owned())
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| name.clone());
                let properties = properties
                    .and_then(|p| member(doc, p, &id))
                    .filter(|&p| is_container(doc, p));
                actions.push(Action {
                    id,
                    node,
                    name_node,
                    kind,
                    label,
                    properties,
                    branches: Vec::new(),
                });
            }
        }
        if let Some(branches) = branches.filter(|&b| is_container(doc, b)) {
            for action in &mut actions {
                let Some(list) =
                    member(doc, branches, &action.id).filter(|&l| is_container(doc, l))
                else {
                    continue;
                };
                for branch in doc.children(list) {
                    if doc.kind(branch) != Kind::Object {
                        continue;
                    }
                    let text = |key| {
                        doc.get(branch, key)
                            .filter(|&v| doc.kind(v) == Kind::String)
                            .map(|v| doc.str(v).into_owned())
                            .unwrap_or_default()
                    };
                    let to = doc
                        .get(branch, "to")
                        .filter(|&t| matches!(doc.kind(t), Kind::String | Kind::Number))
                        .map(|t| scalar(doc, t));
                    action
                        .branches
                        .push(Branch::new(text("label"), text("type"), to));
                }
            }
        }
        let media_type = doc
            .get(root, "header")
            .and_then(|h| doc.get(h, "mediaType"))
            .and_then(|m| scalar(doc, m).parse().ok());
        Script::new(actions, actions_key, media_type, Format::Json)
    }

    /// The actions of one kind (`REQAGENT`), with their positions.
    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = (usize, &'s Action)> {
        self.actions
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.kind == kind)
    }

    /// Every action reachable from `from` by following branches (`from` included). Scripts loop
    /// (hold music back to itself, a menu back to its prompt), so each action is visited once.
    pub fn reachable(&self, from: usize) -> Vec<bool> {
        let mut seen = vec![false; self.actions.len()];
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            stack.extend(self.actions[at].branches.iter().filter_map(|b| b.target));
        }
        seen
    }
}

impl Action {
    /// The property `name` of this action (`{"name": "Skill", "value": ...}` under its entry in
    /// `properties`): the property object and its value, if any.
    pub fn property(&self, doc: &Document<'_>, name: &str) -> Option<(usize, Option<usize>)> {
        let properties = self.properties?;
        doc.children(properties)
            .filter(|&p| doc.kind(p) == Kind::Object)
            .filter(|&p| {
                doc.get(p, "name")
                    .is_some_and(|n| doc.kind(n) == Kind::String && doc.str(n) == name)
            })
            .last()
            .map(|p| (p, doc.get(p, "value")))
    }
}

/// An action's name as a kind: upper case, spaces and underscores dropped.
pub(super) fn kind_of(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_'))
        .collect::<String>()
        .to_ascii_uppercase()
}

fn is_container(doc: &Document<'_>, node: usize) -> bool {
    matches!(doc.kind(node), Kind::Object | Kind::Array)
}

/// The entry for action `id` in `properties` or `branches`: by key in an object; in an array, by
/// position, as a JSON array is what an object with keys 0..n becomes in some writers.
fn member(doc: &Document<'_>, container: usize, id: &str) -> Option<usize> {
    match doc.kind(container) {
        Kind::Object => doc.get(container, id),
        _ => doc.children(container).nth(id.parse().ok()?),
    }
}

/// A string's text or a number's digits: ids come as either (`"to": 3` or `"to": "3"`).
fn scalar(doc: &Document<'_>, node: usize) -> String {
    match doc.kind(node) {
        Kind::String => doc.str(node).into_owned(),
        Kind::Number => doc.raw(node).to_string(),
        _ => String::new(),
    }
}
