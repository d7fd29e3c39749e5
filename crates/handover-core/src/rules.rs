//! The rule catalog: every group of rules, chained. docs/rules.md documents each one; a test
//! keeps the two in step.
//!
//! Each contract declares its own rules with [`catalog!`](crate::catalog), beside the checks that
//! raise them; [`crate::rule`] holds the rules no single contract owns. A crate that uses this one
//! declares its own groups the same way and chains them after [`ALL`] (handover-doctor's diagnosis
//! rules live beside the diagnosis).

use std::sync::LazyLock;

use crate::contract::{cxone_signal, sip_headers, transfer_context, vah_chat, vg_transfer};
use crate::rule::general;
pub use crate::rule::{Rule, Severity};

// Every rule keeps its path `rules::X`, wherever it is declared: callers need not know which
// contract owns it.
pub use cxone_signal::{
    SIGNAL_ACTION_NEAR_MISS, SIGNAL_INVALID_ACTION, SIGNAL_INVALID_BUSINESS_NUMBER,
    SIGNAL_INVALID_CONTACT_ID, SIGNAL_LEGACY_FIELD, SIGNAL_MISSING_FIELD,
    SIGNAL_PARAMETER_NOT_JSON, SIGNAL_PARAMETERS_NOT_ARRAY, SIGNAL_SENTINEL_CONTACT_ID,
    SIGNAL_TOO_MANY_PARAMETERS,
};
pub use general::{
    DUPLICATE_KEY, INVALID_JSON, NESTING_TOO_DEEP, NUMBER_OUT_OF_RANGE, PLACEHOLDER_VALUE,
    RECORD_TOO_LARGE, UNRENDERED_TEMPLATE,
};
pub use sip_headers::{
    SIP_CONTACT_ID_INVALID, SIP_CONTACT_ID_SENTINEL, SIP_DATA_HEADER_NAME_CASE,
    SIP_HEADER_DATA_DROPPED, SIP_HEADER_MISSING, SIP_HEADER_NOT_JSON, SIP_ID_HEADER_NAME_CASE,
    SIP_IVA_PARAMS_INVALID,
};
pub use transfer_context::{
    CUSTOM_ATTRIBUTES_TOO_LARGE, INVALID_FLOW_VERSION_ID, INVALID_QUEUE_ID, MISSING_PARTICIPANT,
    MISSING_PARTICIPANT_NAME, MISSING_PHONE_NUMBER, MISSING_QUEUE_ID, MISSING_REQUIRED_ATTRIBUTE,
    MISSING_TRANSFER_CONTEXT, PHONE_INVALID_NUMBER, PHONE_NOT_E164, PHONE_UNKNOWN_COUNTRY,
    UNKNOWN_FIELD, WRONG_TYPE,
};
pub use vah_chat::{
    VAH_CARD_MISSING, VAH_ENVELOPE_MISSING, VAH_INTENT_ACTION_MISMATCH, VAH_INVALID_ACTION,
    VAH_MISSING_DATA, VAH_MISSING_INTENT, VAH_UNKNOWN_INTENT,
};
pub use vg_transfer::{
    TRANSFER_CALLER_ID_INVALID, TRANSFER_HEADER_FORMAT, TRANSFER_HEADER_MALFORMED,
    TRANSFER_HEADER_NOT_STRING, TRANSFER_HEADER_NOT_X, TRANSFER_HEADER_TOO_LONG,
    TRANSFER_HEADERS_TOO_LARGE, TRANSFER_REFERRED_BY_INVALID, TRANSFER_TARGET_INVALID,
    TRANSFER_TOO_MANY_TARGETS, TRANSFER_UUI_LONG, TRANSFER_UUI_TOO_LONG,
};

static GROUPS: &[&[&Rule]] = &[
    general::RULES,
    transfer_context::RULES,
    cxone_signal::RULES,
    sip_headers::RULES,
    vah_chat::RULES,
    vg_transfer::RULES,
];

/// Every rule, in code order.
pub static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<_> = GROUPS
        .iter()
        .flat_map(|group| group.iter().copied())
        .collect();
    all.sort_unstable_by_key(|r| r.code);
    all
});

/// Looks a rule up by its code (`HD304`) or its name (`phone-not-e164`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.is(code_or_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn no_two_groups_declare_the_same_code_or_name() {
        for (i, group) in GROUPS.iter().enumerate() {
            for other in &GROUPS[i + 1..] {
                for rule in group.iter() {
                    assert!(
                        !other
                            .iter()
                            .any(|o| o.code == rule.code || o.name == rule.name),
                        "{} {} is declared in two groups",
                        rule.code,
                        rule.name
                    );
                }
            }
        }
    }

    #[test]
    fn finds_by_code_or_name() {
        assert_eq!(find("hd304").unwrap().name, "phone-not-e164");
        assert_eq!(find("phone-not-e164").unwrap().code, "HD304");
        assert!(find("HD999").is_none());
    }
}
