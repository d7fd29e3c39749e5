//! docs/rules.md documents every rule of the catalog, under its code and name, and no other code.

use handover_core::rules::ALL;

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md")).unwrap()
}

#[test]
fn every_rule_has_a_section_and_a_table_row() {
    let doc = doc();
    for rule in ALL {
        let heading = format!("\n## {} {}\n", rule.code, rule.name);
        assert!(
            doc.contains(&heading),
            "docs/rules.md lacks `{}`",
            heading.trim()
        );
        let row = format!("| {} | {} | {} |", rule.code, rule.name, rule.severity);
        assert!(
            doc.contains(&row),
            "docs/rules.md lacks the table row `{row}`"
        );
    }
}

#[test]
fn the_doc_names_no_code_the_catalog_lacks() {
    let doc = doc();
    let mut rest = doc.as_str();
    while let Some(at) = rest.find("HD") {
        let digits: String = rest[at + 2..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() == 3 {
            let code = format!("HD{digits}");
            let known = ALL.iter().any(|r| r.code == code);
            assert!(
                known,
                "docs/rules.md names {code}, which is not in the catalog"
            );
        }
        rest = &rest[at + 2..];
    }
}
