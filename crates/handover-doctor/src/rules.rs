//! The one catalog: the payload rules of the core, the diagnosis rules beside the diagnosis, the
//! flow and script rules of handover-lint, and what the bot's logs say (handover-logs).

use std::sync::LazyLock;

use handover_core::rules::Rule;

static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<_> = handover_core::rules::ALL
        .iter()
        .chain(crate::diagnose::rules::RULES)
        .copied()
        .chain(handover_lint::rules())
        .chain(handover_logs::rules())
        .collect();
    all.sort_unstable_by_key(|r| r.code);
    all
});

/// Every rule the tool can report, in code order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().copied()
}

/// A rule by its code (`HD304`) or its name (`phone-not-e164`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().find(|r| r.is(code_or_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnosis_and_the_core_never_share_a_code_or_a_name() {
        let all: Vec<_> = all().collect();
        for pair in all.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} twice", pair[1].code);
        }
        let mut names: Vec<_> = all.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn finds_diagnosis_and_payload_rules_alike() {
        assert_eq!(find("hd703").unwrap().name, "no-agents-available");
        assert_eq!(find("phone-not-e164").unwrap().code, "HD304");
        assert!(find("HD999").is_none());
    }
}
