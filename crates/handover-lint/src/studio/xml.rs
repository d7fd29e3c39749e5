//! A Desktop Studio script (XML) read into the same [`Script`] as web-Studio JSON, so that the
//! rules that need only action kinds and branches run on both.
//!
//! NICE does not publish the XSD. The one public reader, outboundani/cxone-mcp
//! (src/scripts.js, `scriptXmlToMermaid`, and its test), shows what is read here: each action is
//! an `<ActionStruct>` with its `<ActionID>`, its kind in `<Action>` and its `<Caption>`; the
//! default branch is `<DefaultNextAction>` and the others are `<BranchStruct>` elements under
//! `<Cases>`, each with its label in `<Text>` and the action it leads to in `<ActionID>` (`-1`
//! for none). Properties and the media type are not shown there, so they are not read. The root
//! element is not shown either: a script is told by its `<ActionStruct>` elements.

use handover_core::json::MAX_DEPTH;
use handover_core::{Finding, Span};
use roxmltree::{Document, Node, NodeId, ParsingOptions};

use super::rules::XML_INVALID;
use super::script::{Action, Branch, Format, Script, kind_of};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `bytes` reads as XML: after a byte-order mark and white space, a `<`.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Whether `bytes` holds a Desktop Studio script: XML that names `ActionStruct`. Told from the
/// text, not a parse, so that a script that is not well-formed is still linted (and gets its
/// HD980), while other XML is passed over.
pub fn is_desktop_script(bytes: &[u8]) -> bool {
    looks_like_xml(bytes) && bytes.windows(12).any(|w| w == b"ActionStruct")
}

/// Parses the file; when it is not UTF-8, not well-formed XML or nested deeper than JSON may be,
/// says so in one HD980 about `subject`, where the reading stopped. DTDs are refused (roxmltree's
/// default), so no entity is ever expanded; the depth bound keeps each finding's path short.
pub(super) fn parse<'b>(
    subject: &str,
    bytes: &'b [u8],
    findings: &mut Vec<Finding>,
) -> Option<Document<'b>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let end = (at + e.error_len().unwrap_or(1)).min(bytes.len());
            let message = format!("{subject}: not UTF-8 (byte {at})");
            findings.push(Finding::new(&XML_INVALID, Span::new(at, end), "", message));
            return None;
        }
    };
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    match Document::parse_with_options(text, options) {
        Ok(doc) => match too_deep(&doc) {
            None => Some(doc),
            Some(node) => {
                let start = node.range().start;
                let message = format!(
                    "{subject}: nested deeper than {MAX_DEPTH} levels; a Studio script is not"
                );
                findings.push(Finding::new(
                    &XML_INVALID,
                    Span::new(start, start + 1),
                    "",
                    message,
                ));
                None
            }
        },
        Err(error) => {
            let pos = error.pos();
            let at = offset(text, pos.row, pos.col);
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let message = format!("{subject}: not well-formed XML: {error}");
            findings.push(Finding::new(&XML_INVALID, Span::new(at, end), "", message));
            None
        }
    }
}

/// The first element nested deeper than [`MAX_DEPTH`]. Nodes come in document order, so each
/// one's parent has its depth already.
fn too_deep<'a, 'i>(doc: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    let mut depth = vec![0usize; doc.descendants().count()];
    for node in doc.descendants().skip(1) {
        let parent = node.parent().map_or(0, |p| depth[p.id().get_usize()]);
        let here = parent + usize::from(node.is_element());
        if here > MAX_DEPTH {
            return Some(node);
        }
        depth[node.id().get_usize()] = here;
    }
    None
}

/// The byte offset of a 1-based row and column (in characters), as roxmltree reports positions.
fn offset(text: &str, row: u32, col: u32) -> usize {
    let line_start = if row <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(row as usize - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let line = &text[line_start..];
    line.char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// The script's actions and branches.
pub(super) fn read(doc: &Document<'_>) -> Script {
    let mut actions = Vec::new();
    let mut actions_key = None;
    for node in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "ActionStruct")
    {
        actions_key = actions_key.or_else(|| node.parent_element().map(|p| p.id().get_usize()));
        let Some(id) = child(node, "ActionID")
            .map(text)
            .filter(|id| !id.is_empty())
        else {
            continue;
        };
        let name_node = child(node, "Action");
        let name = name_node.map(text).unwrap_or_default();
        let label = child(node, "Caption")
            .map(text)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| name.clone());
        actions.push(Action {
            id,
            node: node.id().get_usize(),
            name_node: name_node.map(|n| n.id().get_usize()),
            kind: kind_of(&name),
            label,
            properties: None,
            branches: branches(node),
        });
    }
    let actions_key = actions_key.or_else(|| Some(doc.root_element().id().get_usize()));
    Script::new(actions, actions_key, None, Format::DesktopXml)
}

/// The branches out of an action: every element inside it that holds an `<ActionID>` of its own
/// (not the action's). `<DefaultNextAction>` is the default branch and `<BranchStruct>` a case,
/// as the public reader shows; any other such element is kept as a branch named by its element,
/// so that a path through it is followed rather than missed. An `<ActionStruct>` inside is an
/// action of its own and is not searched, so that nested actions cost one pass, not one each.
fn branches(action: Node<'_, '_>) -> Vec<Branch> {
    let mut branches = Vec::new();
    let mut stack: Vec<Node<'_, '_>> = action.children().rev().collect();
    while let Some(node) = stack.pop() {
        if !node.is_element() || node.tag_name().name() == "ActionStruct" {
            continue;
        }
        if let Some(to) = child(node, "ActionID") {
            let kind = match node.tag_name().name() {
                "DefaultNextAction" => "default".to_string(),
                "BranchStruct" => "case".to_string(),
                other => other.to_string(),
            };
            let label = child(node, "Text").map(text).unwrap_or_default();
            branches.push(Branch::new(label, kind, Some(text(to))));
        }
        stack.extend(node.children().rev());
    }
    branches
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// An element's text, trimmed: Desktop Studio indents its XML.
fn text(node: Node<'_, '_>) -> String {
    node.text().unwrap_or_default().trim().to_string()
}

/// Where a finding about element `node` points: the whole element, or (`name_only`) the name in
/// its start tag; and its path (`/Actions/ActionStruct[2]/Action`), which stands where a JSON
/// script's finding has its pointer.
pub(super) fn place(doc: &Document<'_>, node: usize, name_only: bool) -> (Span, String) {
    let Some(node) = doc.get_node(NodeId::from(node)) else {
        return (Span::new(0, 0), String::new());
    };
    let range = node.range();
    let span = if name_only && node.is_element() {
        let start = range.start + 1;
        let name = &doc.input_text()[start..range.end];
        let len = name
            .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
            .unwrap_or(name.len());
        Span::new(start, start + len)
    } else {
        Span::new(range.start, range.end)
    };
    (span, path(node))
}

fn path(node: Node<'_, '_>) -> String {
    let mut steps: Vec<String> = node
        .ancestors()
        .filter(Node::is_element)
        .map(|n| {
            let name = n.tag_name().name();
            let same = |s: &Node<'_, '_>| s.is_element() && s.tag_name().name() == name;
            let before = n.prev_siblings().skip(1).filter(same).count();
            if before == 0 && !n.next_siblings().skip(1).any(|s| same(&s)) {
                name.to_string()
            } else {
                format!("{name}[{}]", before + 1)
            }
        })
        .collect();
    steps.reverse();
    format!("/{}", steps.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_rows_and_characters() {
        let text = "<a>\n  <é>x</b>\n";
        assert_eq!(offset(text, 1, 1), 0);
        assert_eq!(offset(text, 2, 3), 6);
        assert_eq!(offset(text, 2, 5), 9);
        assert_eq!(offset(text, 9, 1), text.len());
    }

    #[test]
    fn a_script_is_xml_that_names_actionstruct() {
        assert!(is_desktop_script(
            b"\xEF\xBB\xBF \n<Actions><ActionStruct/></Actions>"
        ));
        assert!(is_desktop_script(b"<Actions><ActionStruct><ActionID>1"));
        assert!(!is_desktop_script(b"<project><modelVersion/></project>"));
        assert!(!is_desktop_script(br#"{"ActionStruct": 1}"#));
        assert!(!looks_like_xml(b""));
    }
}
