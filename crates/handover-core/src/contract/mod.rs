//! Contracts: what a payload of one handover path must look like. Each contract is one unit that
//! plugs into the engine, with the rules its checks raise; the engine runs the checks all contracts
//! share before it.

// Visible to the crate because the rule catalog chains each contract's rules.
pub(crate) mod cxone_signal;
pub(crate) mod sip_headers;
pub(crate) mod transfer_context;
pub(crate) mod vah_chat;
pub(crate) mod vg_transfer;

pub use cxone_signal::CxoneSignal;
pub use sip_headers::SipHeaders;
pub use transfer_context::TransferContext;
pub use vah_chat::VahChat;
pub use vg_transfer::{VgTransfer, check_node_settings as check_transfer_node};

use crate::context::Context;
use crate::json::{Document, Kind};

pub trait Contract: Send + Sync {
    /// The name users select it by (`--contract transfer-context`).
    fn name(&self) -> &'static str;
    /// One line on what the contract describes.
    fn description(&self) -> &'static str;
    /// Whether a record looks like this contract's payload, for `--contract auto`.
    fn claims(&self, doc: &Document<'_>) -> bool;
    fn check(&self, cx: &mut Context<'_, '_>);
    /// The payload's JSON Schema (draft 2020-12): what a schema can say of the contract, for
    /// editors and other validators; the rules say more.
    fn schema(&self, api: crate::Api) -> serde_json::Value;
    /// What the payload says about its handover, for `diagnose`. Contracts whose payloads name
    /// no queue and no contact have none.
    fn facts(&self, _doc: &Document<'_>) -> Facts {
        Facts::default()
    }
}

/// What a payload says about its handover, read from the record as it was parsed for the
/// checks, so that `diagnose` never parses it a second time. Read leniently: the rules judge it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The queue (skill) the handover goes to.
    pub queue_id: Option<String>,
    /// The caller, for a test contact: phone number and name, empty when the payload has none.
    pub phone_number: String,
    pub name: String,
    /// The data for the agent or the script, as compact JSON; `{}` when there is none.
    pub custom_attributes: String,
    /// The contact a signal goes to: the spawned contact, else the main one.
    pub signal_contact: Option<String>,
    /// A signal's parameters, p1 first.
    pub signal_params: Vec<String>,
}

/// A string's text (trimmed, not empty) or a number's digits: how ids come in payloads.
pub(crate) fn id_text(doc: &Document<'_>, node: Option<usize>) -> Option<String> {
    let node = node?;
    match doc.kind(node) {
        Kind::String => Some(doc.str(node).trim().to_string()).filter(|s| !s.is_empty()),
        Kind::Number => Some(doc.raw(node).to_string()),
        _ => None,
    }
}

/// A string's text, or the compact JSON of any other value.
pub(crate) fn text_of(doc: &Document<'_>, node: usize) -> String {
    match doc.kind(node) {
        Kind::String => doc.str(node).into_owned(),
        _ => doc.compact(node),
    }
}

/// Every contract the engine knows, in detection order: the first that claims a record gets it.
pub static ALL: &[&dyn Contract] = &[
    &TransferContext,
    &VahChat,
    &SipHeaders,
    &CxoneSignal,
    &VgTransfer,
];

/// The contract a record looks like; transfer-context when none claims it, so that its HD101 says
/// what is missing.
pub fn detect(doc: &Document<'_>) -> &'static dyn Contract {
    if doc.kind(0) != Kind::Object {
        return &TransferContext;
    }
    ALL.iter()
        .copied()
        .find(|c| c.claims(doc))
        .unwrap_or(&TransferContext)
}

/// Whether the root object has a member with one of these names (ignoring case when asked).
pub(crate) fn has_root_key(doc: &Document<'_>, names: &[&str], ignore_case: bool) -> bool {
    doc.children(0).any(|m| {
        if ignore_case {
            let key = doc.key(m);
            names.iter().any(|n| key.eq_ignore_ascii_case(n))
        } else {
            names.iter().any(|n| doc.key_is(m, n))
        }
    })
}

pub fn find(name: &str) -> Option<&'static dyn Contract> {
    ALL.iter().copied().find(|c| c.name() == name)
}

/// Checks that a string value holds JSON. On a syntax error, reports `rule` at the error's spot
/// inside the string, as the user wrote it, and returns `None`.
pub(crate) fn json_in_string(
    cx: &mut Context<'_, '_>,
    node: usize,
    rule: &'static crate::Rule,
    what: &str,
) -> Option<serde_json::Value> {
    let doc = cx.doc;
    let text = doc.str(node);
    match crate::json::Parser::new().parse(text.as_bytes()) {
        Ok(_) => serde_json::from_str(&text).ok(),
        Err(error) => {
            let n = doc.node(node);
            let raw_inner = &doc.source()[n.start as usize + 1..n.end as usize - 1];
            let at = n.start as usize + 1 + crate::json::raw_offset(raw_inner, error.offset);
            // One character wide, whole, and inside the string's quotes.
            let width = doc.source()[at..].chars().next().map_or(0, char::len_utf8);
            let end = (at + width).min(n.end as usize - 1).max(at);
            let span = crate::Span::new(at, end);
            cx.report(
                rule,
                crate::context::At::Within(node, span),
                format!(
                    "{what} is not valid JSON: {} (at character {} of the string)",
                    error.message(),
                    error.offset + 1
                ),
            );
            None
        }
    }
}

/// A positive integer id, as digits in a string or a JSON integer; `None` when it is neither.
pub(crate) fn integer_id(doc: &Document<'_>, node: usize) -> Option<String> {
    let text = match doc.kind(node) {
        Kind::String => doc.str(node).trim().to_string(),
        Kind::Number => doc.raw(node).to_string(),
        _ => return None,
    };
    let digits = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.bytes().any(|b| b != b'0');
    digits.then_some(text)
}

/// The contact id the Cognigy extension falls back to when the SIP headers never arrived.
pub(crate) const SENTINEL_CONTACT_ID: &str = "100000000000";
