//! docs/rules.md documents the whole catalog the tool reports from (the core's payload rules and
//! the diagnosis rules declared beside the diagnosis), and no other code.

struct Rule {
    code: String,
    name: String,
    severity: String,
}

/// The catalog as `rules --json` prints it: what users see, whichever crate declares a rule.
fn catalog() -> Vec<Rule> {
    let (list, status) = crate::json_of(crate::doctor().args(["rules", "--json"]));
    assert_eq!(status, 0);
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| Rule {
            code: r["code"].as_str().unwrap().to_string(),
            name: r["name"].as_str().unwrap().to_string(),
            severity: r["severity"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn doc() -> String {
    std::fs::read_to_string(crate::root().join("docs/rules.md")).unwrap()
}

/// The section under a rule's heading, up to the next rule's.
fn section<'a>(doc: &'a str, rule: &Rule) -> Option<&'a str> {
    let heading = format!("\n## {} {}\n", rule.code, rule.name);
    let at = doc.find(&heading)?;
    let rest = &doc[at + heading.len()..];
    Some(&rest[..rest.find("\n## ").unwrap_or(rest.len())])
}

#[test]
fn every_rule_has_a_section_a_table_row_and_a_source() {
    let doc = doc();
    let catalog = catalog();
    assert!(
        catalog.iter().any(|r| r.code == "HD703"),
        "the diagnosis rules are in the catalog"
    );
    let mut lacking = Vec::new();
    for rule in &catalog {
        let row = format!("| {} | {} | {} |", rule.code, rule.name, rule.severity);
        if !doc.contains(&row) {
            lacking.push(format!("the table row `{row}`"));
        }
        match section(&doc, rule) {
            None => lacking.push(format!("a section `## {} {}`", rule.code, rule.name)),
            Some(text) => {
                if !text
                    .lines()
                    .any(|l| l.starts_with("Source:") || l.starts_with("Heuristic:"))
                {
                    lacking.push(format!("a Source: or Heuristic: line under {}", rule.code));
                }
            }
        }
    }
    assert!(
        lacking.is_empty(),
        "docs/rules.md lacks:\n{}",
        lacking.join("\n")
    );
}

#[test]
fn the_doc_names_no_code_the_catalog_lacks() {
    let doc = doc();
    let catalog = catalog();
    let mut rest = doc.as_str();
    while let Some(at) = rest.find("HD") {
        let digits: String = rest[at + 2..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() == 3 {
            let code = format!("HD{digits}");
            assert!(
                catalog.iter().any(|r| r.code == code),
                "docs/rules.md names {code}, which is not in the catalog"
            );
        }
        rest = &rest[at + 2..];
    }
}
