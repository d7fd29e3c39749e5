//! docs/rules.md documents every lint rule, the flow's (HD960-HD969) and the Studio script's
//! (HD970-HD980), with a failing and a passing example (a whole chart or script, in JSON or in
//! Desktop Studio XML), and each example does what it says. The skill rules run against the skills
//! their section lists.

use handover_lint::studio::{SkillFact, lint_script_with_skills, rules::RULES};
use handover_lint::{Kind, cognigy, detect, lint};

/// The ```json and ```xml blocks under each `## HDxxx` heading: (code, fires, text).
fn examples() -> Vec<(String, bool, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md"))
        .unwrap();
    let mut examples = Vec::new();
    let mut code = String::new();
    let mut open: Option<(bool, String)> = None;
    for line in doc.lines() {
        if let Some((fires, text)) = open.as_mut() {
            if line.starts_with("```") {
                examples.push((code.clone(), *fires, std::mem::take(text)));
                open = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if let Some(heading) = line.strip_prefix("## ") {
            code = heading.split_whitespace().next().unwrap_or("").to_string();
        } else if let Some(info) = line
            .strip_prefix("```json")
            .or_else(|| line.strip_prefix("```xml"))
        {
            open = Some((!info.split_whitespace().any(|w| w == "pass"), String::new()));
        }
    }
    examples
}

#[test]
fn every_flow_rule_has_examples_that_do_what_they_say() {
    let examples = examples();
    for rule in cognigy::rules::RULES {
        let mine: Vec<_> = examples.iter().filter(|(c, _, _)| c == rule.code).collect();
        for want in [true, false] {
            assert!(
                mine.iter().any(|(_, fires, _)| *fires == want),
                "{} lacks a {} example in docs/rules.md",
                rule.code,
                if want { "failing" } else { "passing" }
            );
        }
        for (_, fires, text) in mine {
            let kind = detect(text.as_bytes());
            assert_eq!(kind, Some(Kind::CognigyChart), "{}: {text}", rule.code);
            let mut findings = Vec::new();
            lint(kind.unwrap(), "example", text.as_bytes(), &mut findings);
            let codes: Vec<&str> = findings.iter().map(|f| f.rule.code).collect();
            if *fires {
                assert_eq!(codes, [rule.code], "{}: {text}", rule.code);
            } else {
                assert_eq!(codes, [] as [&str; 0], "{}: {text}", rule.code);
            }
        }
    }
}

/// The flow's Transfer nodes get the `vg-transfer` rules: the section says how, with a chart that
/// fires one of them and one that fires none.
#[test]
fn the_transfer_node_section_has_examples_that_do_what_they_say() {
    let examples = examples();
    let mine: Vec<_> = examples
        .iter()
        .filter(|(c, ..)| c == "HD940-HD951")
        .collect();
    assert_eq!(
        mine.iter().map(|(_, fires, _)| *fires).collect::<Vec<_>>(),
        [true, false]
    );
    for (_, fires, text) in mine {
        let mut findings = Vec::new();
        lint(
            Kind::CognigyChart,
            "example",
            text.as_bytes(),
            &mut findings,
        );
        let codes: Vec<&str> = findings.iter().map(|f| f.rule.code).collect();
        let want: &[&str] = if *fires { &["HD940"] } else { &[] };
        assert_eq!(codes, want, "{text}");
    }
}

/// The tenant's skills the HD977-HD979 sections name.
fn skills() -> Vec<SkillFact> {
    let skill = |id, name: &str, active, media_type| SkillFact {
        id,
        name: name.to_string(),
        active,
        media_type,
    };
    vec![
        skill(11, "Support", true, 4),
        skill(12, "Old Support", false, 4),
        skill(13, "Chat Support", true, 3),
    ]
}

#[test]
fn every_studio_rule_has_examples_that_do_what_they_say() {
    let examples = examples();
    for rule in RULES {
        let mine: Vec<_> = examples.iter().filter(|(c, ..)| c == rule.code).collect();
        assert!(
            mine.iter().any(|e| e.1),
            "{}: no failing example",
            rule.code
        );
        assert!(
            mine.iter().any(|e| !e.1),
            "{}: no passing example",
            rule.code
        );
        for (_, fires, text) in mine {
            let mut findings = Vec::new();
            match detect(text.as_bytes()) {
                Some(Kind::StudioScript) => {
                    lint_script_with_skills("example", text.as_bytes(), &skills(), &mut findings)
                }
                Some(Kind::StudioXml) => {
                    lint(Kind::StudioXml, "example", text.as_bytes(), &mut findings)
                }
                other => panic!("{}: {other:?}\n{text}", rule.code),
            }
            let codes: Vec<_> = findings.iter().map(|f| f.rule.code).collect();
            if *fires {
                assert!(
                    codes.contains(&rule.code),
                    "{}: fires {codes:?}\n{text}",
                    rule.code
                );
                assert!(
                    codes.iter().all(|c| *c == rule.code),
                    "{}: also {codes:?}",
                    rule.code
                );
            } else {
                assert!(
                    codes.is_empty(),
                    "{}: passing example fires {codes:?}",
                    rule.code
                );
            }
        }
    }
}
