//! `rules`: the catalog, or one rule explained.

use std::io::Write;

use handover_core::Rule;

use crate::cli::RulesArgs;
use crate::error::{Error, exit};

fn rule_json(rule: &Rule) -> serde_json::Value {
    serde_json::json!({
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.as_str(),
        "summary": rule.summary,
        "hint": rule.hint,
    })
}

pub fn run(args: RulesArgs) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    let selected: Vec<&Rule> = match &args.rule {
        Some(wanted) => match crate::rules::find(wanted) {
            Some(rule) => vec![rule],
            None => {
                return Err(Error::Usage(format!(
                    "no rule `{wanted}`; `handover-doctor rules` lists them all"
                ))
                .into());
            }
        },
        None => crate::rules::all().collect(),
    };
    if args.json {
        let list: Vec<_> = selected.iter().map(|r| rule_json(r)).collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
    } else if let [rule] = selected.as_slice()
        && args.rule.is_some()
    {
        writeln!(out, "{} {} ({})", rule.code, rule.name, rule.severity)?;
        writeln!(out, "\nFires when {}.", rule.summary)?;
        writeln!(out, "\nWhat to do: {}", rule.hint)?;
        writeln!(
            out,
            "\nExamples and fixes: docs/rules.md#{}-{}",
            rule.code.to_ascii_lowercase(),
            rule.name
        )?;
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
