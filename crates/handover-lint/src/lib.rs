//! handover-lint: the defects of a handover that sit in the bot's flow and in the Studio script,
//! found before a call does. Pure, as the core is: callers hand in a file's bytes and get
//! findings back, each with the span in those bytes it is about; reading files, pulling from the
//! platforms and rendering are the caller's.
//!
//! - [`cognigy`]: a Cognigy flow's chart (`{nodes, relations}`, as the Cognigy CLI writes
//!   `flows/<flow>/<locale>/chart.json`), as a graph the rules ask questions of.
//! - [`studio`]: a CXone Studio script in web-Studio JSON (`{actions, properties, branches}`), or
//!   in Desktop Studio XML (`<ActionStruct>` elements: action kinds and branches only).

pub mod cognigy;
pub mod studio;

use handover_core::json::Document;
use handover_core::{Finding, Parser, Rule};

/// What a file holds, as far as lint can tell from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Cognigy flow chart: an object with `nodes` and `relations`.
    CognigyChart,
    /// A CXone Studio script in web-Studio JSON: an object with `actions` and `branches`.
    StudioScript,
    /// A CXone Studio script in Desktop Studio XML: `<ActionStruct>` elements.
    StudioXml,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::CognigyChart => "cognigy-chart",
            Kind::StudioScript => "studio-script",
            Kind::StudioXml => "studio-xml",
        }
    }
}

/// Every lint rule, in code order: the flow's, then the script's.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    cognigy::rules::RULES
        .iter()
        .chain(studio::rules::RULES)
        .copied()
}

/// What `bytes` holds: a chart, a Studio script (JSON or XML), or neither (`None`: another shape
/// of JSON, other XML, or neither JSON nor XML).
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    match Parser::new().parse(bytes) {
        Ok(doc) => kind_of(&doc),
        Err(_) => detect_xml(bytes),
    }
}

/// What a file that is not JSON holds: a Desktop Studio script when it is XML that names
/// `ActionStruct`, well-formed or not (HD980 then says where it breaks).
pub fn detect_xml(bytes: &[u8]) -> Option<Kind> {
    studio::is_desktop_script(bytes).then_some(Kind::StudioXml)
}

/// What a parsed file holds: a chart, a Studio script, or neither.
pub fn kind_of(doc: &Document<'_>) -> Option<Kind> {
    let has = |key| doc.get(0, key).is_some();
    if has("nodes") && has("relations") {
        Some(Kind::CognigyChart)
    } else if has("actions") && has("branches") {
        Some(Kind::StudioScript)
    } else {
        None
    }
}

/// Lints one file of `kind`; `name` names the flow or the script in messages. A file that is not
/// JSON gets HD100; a Desktop Studio script that is not well-formed XML, HD980.
pub fn lint(kind: Kind, name: &str, bytes: &[u8], findings: &mut Vec<Finding>) {
    match kind {
        Kind::CognigyChart => cognigy::lint_chart(name, bytes, findings),
        Kind::StudioScript => studio::lint_script(name, bytes, findings),
        Kind::StudioXml => studio::lint_xml_script(name, bytes, findings),
    }
}

/// Lints a file already parsed (to tell what it holds, say), so that it is not parsed again.
pub fn lint_parsed(kind: Kind, name: &str, doc: &Document<'_>, findings: &mut Vec<Finding>) {
    match kind {
        Kind::CognigyChart => cognigy::lint_chart_doc(name, doc, findings),
        Kind::StudioScript => studio::lint_script_doc(name, doc, None, findings),
        Kind::StudioXml => studio::lint_xml_script(name, doc.source().as_bytes(), findings),
    }
}

/// Parses a file; when it is not JSON, says so in one HD100 finding about `subject` (the flow or
/// the script, as messages name it), placed where the core places a record's.
fn parse<'p>(
    parser: &'p mut Parser,
    subject: &str,
    bytes: &'p [u8],
    findings: &mut Vec<Finding>,
) -> Option<Document<'p>> {
    match parser.parse(bytes) {
        Ok(doc) => Some(doc),
        Err(error) => {
            findings.push(Finding::new(
                &handover_core::rules::INVALID_JSON,
                handover_core::engine::error_span(bytes, &error),
                "",
                format!("{subject}: {}", error.message()),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_with_both_keys_is_a_chart_or_a_script() {
        assert_eq!(
            detect(br#"{"nodes": [], "relations": []}"#),
            Some(Kind::CognigyChart)
        );
        assert_eq!(
            detect(br#"{"actions": {}, "branches": {}}"#),
            Some(Kind::StudioScript)
        );
        for other in [
            &br#"[{"_id": "64f0", "name": "en-US"}]"#[..],
            br#"{"nodes": []}"#,
            br#""nodes""#,
            b"{",
            b"",
            b"<project><modelVersion>4.0.0</modelVersion></project>",
        ] {
            assert_eq!(detect(other), None, "{}", String::from_utf8_lossy(other));
        }
    }

    #[test]
    fn xml_that_names_actionstruct_is_a_desktop_script_well_formed_or_not() {
        for script in [
            &b"<Actions><ActionStruct><ActionID>1</ActionID></ActionStruct></Actions>"[..],
            b"<?xml version=\"1.0\"?>\n<Actions><ActionStruct><ActionID>1</Action",
        ] {
            assert_eq!(detect(script), Some(Kind::StudioXml));
        }
        assert_eq!(
            detect(br#"{"actions": {}, "branches": {}, "x": "<ActionStruct>"}"#),
            Some(Kind::StudioScript)
        );
    }
}
