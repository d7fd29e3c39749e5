//! A CXone Studio script (web-Studio JSON, or Desktop Studio XML) as a graph of actions, and the
//! rules that ask questions of it.

pub mod rules;
mod script;
mod xml;

use handover_core::json::Document;
use handover_core::{Finding, Rule, Span};

pub use script::{Action, Branch, Format, Script};
pub use xml::{is_desktop_script, looks_like_xml};

/// A skill of the tenant, as the caller knows it (from the ACD skills API): what REQAGENT's
/// `Skill` property is checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillFact {
    pub id: u64,
    pub name: String,
    pub active: bool,
    /// The skill's media type id: 4 is a phone skill (1 email, 3 chat, 5 voicemail, 6 work item,
    /// 7 SMS, 9 digital).
    pub media_type: u32,
}

/// The rules only a tenant's skills can decide (HD977-HD979): [`lint_script`] never raises them;
/// [`lint_script_with_skills`] does.
pub fn needs_skills(rule: &handover_core::Rule) -> bool {
    [
        &rules::REQAGENT_SKILL_UNKNOWN,
        &rules::REQAGENT_SKILL_INACTIVE,
        &rules::REQAGENT_SKILL_NOT_PHONE,
    ]
    .iter()
    .any(|r| std::ptr::eq(*r, rule))
}

/// Lints one Studio script (`{actions, properties, branches}`); `script` names it in messages.
pub fn lint_script(script: &str, bytes: &[u8], findings: &mut Vec<Finding>) {
    lint(script, bytes, None, findings);
}

/// Lints one Studio script as [`lint_script`] does, and checks each REQAGENT's skill against the
/// tenant's `skills`: that it exists, is active and takes phone calls.
pub fn lint_script_with_skills(
    script: &str,
    bytes: &[u8],
    skills: &[SkillFact],
    findings: &mut Vec<Finding>,
) {
    lint(script, bytes, Some(skills), findings);
}

fn lint(name: &str, bytes: &[u8], skills: Option<&[SkillFact]>, findings: &mut Vec<Finding>) {
    let mut parser = handover_core::Parser::new();
    if let Some(doc) = crate::parse(&mut parser, &format!("script `{name}`"), bytes, findings) {
        lint_script_doc(name, &doc, skills, findings);
    }
}

/// Lints a script already parsed, with the tenant's skills when there are some.
pub(crate) fn lint_script_doc(
    name: &str,
    doc: &Document<'_>,
    skills: Option<&[SkillFact]>,
    findings: &mut Vec<Finding>,
) {
    let script = Script::read(doc);
    let mut cx = Context {
        name,
        source: Source::Json(doc),
        script: &script,
        findings,
    };
    rules::check(&mut cx, skills);
}

/// Lints one Desktop Studio script (XML with `<ActionStruct>` elements): the rules that need only
/// action kinds and branches. A file that is not well-formed XML gets one HD980 where it breaks.
pub fn lint_xml_script(name: &str, bytes: &[u8], findings: &mut Vec<Finding>) {
    let subject = format!("script `{name}`");
    let Some(doc) = xml::parse(&subject, bytes, findings) else {
        return;
    };
    let script = xml::read(&doc);
    let mut cx = Context {
        name,
        source: Source::Xml(&doc),
        script: &script,
        findings,
    };
    rules::check(&mut cx, None);
}

/// The parsed file a script was read from, where findings are placed.
pub enum Source<'a, 'd> {
    /// Web-Studio JSON; the rules read action properties from it.
    Json(&'a Document<'d>),
    /// Desktop Studio XML; its properties are not read.
    Xml(&'a roxmltree::Document<'d>),
}

/// What a check needs: the script's name for messages, the parsed file, the graph, and where
/// findings go.
pub struct Context<'a, 'd> {
    pub name: &'a str,
    pub source: Source<'a, 'd>,
    pub script: &'a Script,
    pub findings: &'a mut Vec<Finding>,
}

impl<'a, 'd> Context<'a, 'd> {
    /// "script `Main`, action \"Queue\" (13)": what a user looks for on the canvas.
    pub fn action_name(&self, action: &Action) -> String {
        format!(
            "script `{}`, action \"{}\" ({})",
            self.name, action.label, action.id
        )
    }

    /// The parsed JSON, whose action properties the rules read; `None` for a Desktop Studio
    /// script, whose properties are not read.
    pub fn json(&self) -> Option<&'a Document<'d>> {
        match self.source {
            Source::Json(doc) => Some(doc),
            Source::Xml(_) => None,
        }
    }

    /// A finding about `node` (a value: its span and pointer; in XML, an element: its span and
    /// path).
    pub fn at_node(&mut self, rule: &'static Rule, node: usize, message: String) {
        let (span, pointer) = match self.source {
            Source::Json(doc) => {
                let n = doc.node(node);
                (
                    Span::new(n.start as usize, n.end as usize),
                    doc.pointer(node),
                )
            }
            Source::Xml(doc) => xml::place(doc, node, false),
        };
        self.push(rule, span, pointer, message);
    }

    /// A finding about an action as a whole: at its kind (`"name": "REQAGENT"`), or at its key
    /// when it has no name.
    pub fn at_action(&mut self, rule: &'static Rule, action: &Action, message: String) {
        match action.name_node {
            Some(name) => self.at_node(rule, name, message),
            None => self.at_key(rule, action.node, message),
        }
    }

    /// A finding at the key of an object member (`"actions"`, an action's id); in XML, at the
    /// name in an element's start tag (`<ActionStruct>`).
    pub fn at_key(&mut self, rule: &'static Rule, node: usize, message: String) {
        let (span, pointer) = match self.source {
            Source::Json(doc) => {
                let n = doc.node(node);
                let span = if n.key_end > n.key_start {
                    Span::new(n.key_start as usize, n.key_end as usize)
                } else {
                    Span::new(n.start as usize, n.end as usize)
                };
                (span, doc.pointer(node))
            }
            Source::Xml(doc) => xml::place(doc, node, true),
        };
        self.push(rule, span, pointer, message);
    }

    /// A finding about the script as a whole: at the `actions` key, or the start of the file.
    pub fn at_script(&mut self, rule: &'static Rule, message: String) {
        match self.script.actions_key {
            Some(actions) => self.at_key(rule, actions, message),
            None => self.push(rule, Span::new(0, 0), String::new(), message),
        }
    }

    fn push(&mut self, rule: &'static Rule, span: Span, pointer: String, message: String) {
        self.findings
            .push(Finding::new(rule, span, pointer, message));
    }
}
