//! `rules`: the catalog, or one rule explained (also `--explain CODE`).

use std::io::Write;

use handover_core::{CheckSettings, Rule};

use crate::cli::RulesArgs;
use crate::error::{Error, exit};
use crate::report::RuleDocs;
use crate::settings::Config;

/// The rules' documentation, compiled in: an explanation shows its examples wherever the binary is.
const RULES_MD: &str = include_str!("../../../../docs/rules.md");

fn rule_json(rule: &Rule, docs: &RuleDocs) -> serde_json::Value {
    serde_json::json!({
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.as_str(),
        "summary": rule.summary,
        "hint": rule.hint,
        "docs": docs.url(rule),
    })
}

pub fn run(args: RulesArgs) -> anyhow::Result<i32> {
    let selected: Vec<&Rule> = match &args.rule {
        Some(wanted) => vec![find(wanted)?],
        None => crate::rules::all().collect(),
    };
    let docs = docs()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<_> = selected.iter().map(|r| rule_json(r, &docs)).collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
    } else if let [rule] = selected.as_slice()
        && args.rule.is_some()
    {
        write!(out, "{}", explanation(rule, &docs))?;
    } else {
        let rows = selected
            .iter()
            .map(|rule| {
                [rule.code, rule.name, rule.severity.as_str(), rule.summary]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        let table =
            crate::report::term::table(vec!["code", "name", "severity", "fires when"], rows, &[3]);
        writeln!(out, "{table}")?;
    }
    Ok(exit::OK)
}

/// `--explain CODE`: what `rules CODE` prints.
pub fn explain(code: &str) -> anyhow::Result<i32> {
    let rule = find(code)?;
    let text = explanation(rule, &docs()?);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(exit::OK)
}

fn find(code_or_name: &str) -> Result<&'static Rule, Error> {
    crate::rules::find(code_or_name).ok_or_else(|| {
        Error::Usage(format!(
            "no rule `{code_or_name}`; `handover-doctor rules` lists them all"
        ))
    })
}

/// Where findings link to: the config's `docs_url`, else the project's docs/rules.md.
fn docs() -> Result<RuleDocs, Error> {
    Ok(Config::load(None)?.rule_docs())
}

/// A rule as `rules CODE` shows it: what fires it and what to do, then its examples from
/// docs/rules.md, the failing one with the finding it gets and the payload `fix` makes of it. A
/// lint rule's examples are a flow's chart or a Studio script, linted as `lint` lints them.
fn explanation(rule: &Rule, docs: &RuleDocs) -> String {
    let mut text = format!(
        "{} {} ({})\n\nFires when {}.\n\nWhat to do: {}\n",
        rule.code, rule.name, rule.severity, rule.summary, rule.hint
    );
    let examples = examples(rule);
    if handover_lint::studio::needs_skills(rule) {
        text += "\nIt needs the tenant's skills, which `lint` does not read yet: the examples below assume\nthe skills its section of docs/rules.md names.\n";
    }
    if let Some(failing) = examples.iter().find(|e| !e.passes) {
        text += &failing.flags_line();
        text += &format!("\nFails:\n\n{}", indent(&failing.text));
        let findings = failing.findings(rule);
        for finding in &findings {
            text += &format!(
                "\n{}[{}]: {}\n",
                finding.severity, rule.code, finding.message
            );
        }
        let fixes: Vec<_> = findings.into_iter().filter_map(|f| f.fix).collect();
        if let Some(fix) = fixes.first() {
            let (fixed, _) = handover_core::fix::apply(&failing.text, &fixes);
            text += &format!(
                "\nFix ({}), as `handover-doctor fix` applies it:\n\n{}",
                fix.description,
                indent(&fixed)
            );
        }
    }
    if let Some(passing) = examples.iter().find(|e| e.passes) {
        text += &format!("\nPasses:\n\n{}", indent(&passing.text));
    }
    text + &format!("\nDocumentation: {}\n", docs.url(rule))
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("    {line}\n")).collect()
}

/// A ```json (or, for a Desktop Studio script, ```xml) block of a rule's section in docs/rules.md:
/// ```json fails, ```json pass passes, and
/// the words after them are the settings it is checked with (`phone-check=full`, `api=routing-v2`,
/// `required=KEY`, `max-custom-attributes-bytes=N`), as the flags of the same names.
struct Example<'a> {
    passes: bool,
    settings: Vec<(&'a str, &'a str)>,
    text: String,
}

impl Example<'_> {
    /// The flags an example needs, said before it, or nothing.
    fn flags_line(&self) -> String {
        if self.settings.is_empty() {
            return String::new();
        }
        let flags: Vec<String> = self
            .settings
            .iter()
            .map(|(key, value)| match *key {
                "required" => format!("--required-attribute {value}"),
                key => format!("--{key} {value}"),
            })
            .collect();
        format!("\nWith {}:\n", flags.join(" "))
    }

    /// The example's findings of `rule`, checked with the example's settings.
    fn findings(&self, rule: &Rule) -> Vec<handover_core::Finding> {
        let mut settings = CheckSettings::default();
        for (key, value) in &self.settings {
            match *key {
                "api" if *value == "routing-v2" => settings.api = handover_core::Api::RoutingV2,
                "phone-check" if *value == "full" => {
                    settings.phone_check = handover_core::PhoneCheck::Full;
                }
                "required" => settings.required_attributes.push(value.to_string()),
                "max-custom-attributes-bytes" => {
                    if let Ok(n) = value.parse() {
                        settings.max_custom_attributes_bytes = n;
                    }
                }
                _ => {}
            }
        }
        let mut findings = Vec::new();
        // A flow's or a script's example is linted, a payload's checked.
        match handover_lint::detect(self.text.as_bytes()) {
            Some(kind) => handover_lint::lint(kind, "example", self.text.as_bytes(), &mut findings),
            None => {
                handover_core::Checker::auto(settings).check(
                    &mut handover_core::Parser::new(),
                    self.text.as_bytes(),
                    &mut findings,
                );
            }
        }
        findings.retain(|f| f.rule.code == rule.code);
        findings
    }
}

/// The ```json and ```xml examples under the rule's heading in docs/rules.md, in order.
fn examples(rule: &Rule) -> Vec<Example<'static>> {
    let heading = format!("\n## {} {}\n", rule.code, rule.name);
    let Some(at) = RULES_MD.find(&heading) else {
        return Vec::new();
    };
    let section = &RULES_MD[at + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut examples = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line
            .strip_prefix("```json")
            .or_else(|| line.strip_prefix("```xml"))
        else {
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        let text: String = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .map(|l| format!("{l}\n"))
            .collect();
        examples.push(Example {
            passes: words.contains(&"pass"),
            settings: words.iter().filter_map(|w| w.split_once('=')).collect(),
            text,
        });
    }
    examples
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every failing example gets its rule's finding: otherwise an explanation would show a
    /// payload and no finding.
    #[test]
    fn every_failing_example_fires_its_rule_with_the_settings_it_names() {
        let mut explained = 0;
        for rule in crate::rules::all().filter(|r| !handover_lint::studio::needs_skills(r)) {
            for example in examples(rule).iter().filter(|e| !e.passes) {
                assert!(
                    !example.findings(rule).is_empty(),
                    "{}: {}",
                    rule.code,
                    example.text
                );
                explained += 1;
            }
        }
        assert!(explained >= 40, "only {explained} failing examples");
    }

    #[test]
    fn hd304_shows_its_example_finding_fix_and_link() {
        let rule = crate::rules::find("HD304").unwrap();
        let text = explanation(rule, &RuleDocs::new("https://docs.example/rules.md"));
        for part in [
            "HD304 phone-not-e164 (error)",
            "Fails:\n\n    {\"transferContext\"",
            "\"+1 (415) 555-2671\"",
            "error[HD304]: ",
            "Fix (replace with \"+14155552671\")",
            "\"phoneNumber\": \"+14155552671\"",
            "Passes:\n\n",
            "Documentation: https://docs.example/rules.md#hd304-phone-not-e164\n",
        ] {
            assert!(text.contains(part), "no {part:?} in\n{text}");
        }
    }
}
