//! docs/rules.md documents every rule of the core's catalog, under its code and name, with
//! examples that do what they say. The binary's tests check the whole catalog (the diagnosis rules
//! too) against the doc in both directions.

use handover_core::rules::ALL;

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md")).unwrap()
}

#[test]
fn every_rule_has_a_section_and_a_table_row() {
    let doc = doc();
    for rule in ALL.iter() {
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

/// A fenced example in docs/rules.md: under which rule it stands, whether it must fire that rule
/// (```json) or must not (```json pass), the settings its info string names, and its text.
struct Example {
    code: String,
    fires: bool,
    settings: handover_core::CheckSettings,
    line: usize,
    text: String,
}

/// Every ```json block under a `## HDxxx name` heading. Info-string words after `json`: `pass`
/// (a passing example), `api=routing-v2`, `phone-check=full`, `required=KEY` (repeatable),
/// `max-custom-attributes-bytes=N`: the
/// settings the example needs, as the flags of the same names. Illustrations use ```text.
fn examples() -> Vec<Example> {
    let doc = doc();
    let mut examples = Vec::new();
    let mut code: Option<String> = None;
    let mut open: Option<Example> = None;
    for (n, line) in doc.lines().enumerate() {
        if let Some(example) = open.as_mut() {
            if line.starts_with("```") {
                examples.push(open.take().expect("open"));
            } else {
                example.text.push_str(line);
                example.text.push('\n');
            }
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            code = heading
                .split_whitespace()
                .next()
                .filter(|w| w.starts_with("HD"))
                .map(str::to_string);
            continue;
        }
        let Some(info) = line.strip_prefix("```json") else {
            continue;
        };
        // Examples of rules other crates declare (handover-lint's flows and scripts) are theirs
        // to run.
        let Some(code) = code.clone().filter(|c| ALL.iter().any(|r| r.code == c)) else {
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        let mut settings = handover_core::CheckSettings::default();
        for word in &words {
            match word.split_once('=') {
                Some(("api", "routing-v2")) => settings.api = handover_core::Api::RoutingV2,
                Some(("phone-check", "full")) => {
                    settings.phone_check = handover_core::engine::PhoneCheck::Full;
                }
                Some(("required", key)) => settings.required_attributes.push(key.to_string()),
                Some(("max-custom-attributes-bytes", n)) => {
                    settings.max_custom_attributes_bytes = n.parse().expect("a number of bytes");
                }
                None if *word == "pass" => {}
                _ => panic!("docs/rules.md:{}: unknown example setting `{word}`", n + 1),
            }
        }
        open = Some(Example {
            code,
            fires: !words.contains(&"pass"),
            settings,
            line: n + 1,
            text: String::new(),
        });
    }
    examples
}

#[test]
fn every_example_in_the_doc_does_what_it_says() {
    let examples = examples();
    assert!(examples.len() >= 40, "only {} examples", examples.len());
    let mut wrong = Vec::new();
    for example in &examples {
        let checker = handover_core::Checker::auto(example.settings.clone());
        let mut findings = Vec::new();
        checker.check(
            &mut handover_core::Parser::new(),
            example.text.trim_end().as_bytes(),
            &mut findings,
        );
        let fired = findings.iter().any(|f| f.rule.code == example.code);
        if fired != example.fires {
            wrong.push(format!(
                "docs/rules.md:{}: the {} example of {} {}; it gives {:?}",
                example.line,
                if example.fires { "failing" } else { "passing" },
                example.code,
                if example.fires {
                    "does not fire it"
                } else {
                    "fires it"
                },
                findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_payload_rule_has_a_failing_and_a_passing_example() {
    let examples = examples();
    let mut lacking = Vec::new();
    for rule in ALL.iter() {
        // HD105 comes from the reader, not from a payload's content.
        if rule.code == "HD105" {
            continue;
        }
        for fires in [true, false] {
            if !examples
                .iter()
                .any(|e| e.code == rule.code && e.fires == fires)
            {
                lacking.push(format!(
                    "{} lacks a {} example",
                    rule.code,
                    if fires { "failing" } else { "passing" }
                ));
            }
        }
    }
    assert!(lacking.is_empty(), "{}", lacking.join("\n"));
}

#[test]
fn every_rule_names_its_source_or_says_it_is_a_heuristic() {
    let doc = doc();
    let mut lacking = Vec::new();
    for rule in ALL.iter() {
        let heading = format!("\n## {} {}\n", rule.code, rule.name);
        let Some(at) = doc.find(&heading) else {
            continue;
        };
        let section = &doc[at + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        let sourced = section
            .lines()
            .any(|l| l.starts_with("Source:") || l.starts_with("Heuristic:"));
        if !sourced {
            lacking.push(rule.code);
        }
    }
    assert!(
        lacking.is_empty(),
        "no `Source:` or `Heuristic:` line under {lacking:?}"
    );
}
