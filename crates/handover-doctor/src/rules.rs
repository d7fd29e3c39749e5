//! The one catalog: the payload rules of the core, and the diagnosis rules beside the diagnosis.

use handover_core::rules::Rule;

/// Every rule the tool can report, in code order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    handover_core::rules::ALL.iter().copied()
}

/// A rule by its code (`HD304`) or its name (`phone-not-e164`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}
