//! The commands that print what the tool knows: `rules`, `schema`, `settings`, shell completions
//! and the manual page.

use std::io::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use handover_core::Rule;

use crate::cli::{RulesArgs, SchemaArgs};
use crate::error::{Error, exit};
use crate::settings::Config;

pub fn schema(args: SchemaArgs) -> anyhow::Result<i32> {
    let Some(contract) = handover_core::contract::find(&args.contract) else {
        let names: Vec<&str> = handover_core::contract::ALL
            .iter()
            .map(|c| c.name())
            .collect();
        return Err(Error::Usage(format!(
            "no contract `{}`: name one of {}",
            args.contract,
            names.join(", ")
        ))
        .into());
    };
    let config = Config::load(args.config.as_deref())?;
    let schema = contract.schema(config.api(args.api));
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema)?;
    writeln!(out)?;
    Ok(exit::OK)
}

fn rule_json(rule: &Rule) -> serde_json::Value {
    serde_json::json!({
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.as_str(),
        "summary": rule.summary,
        "hint": rule.hint,
    })
}

pub fn rules(args: RulesArgs) -> anyhow::Result<i32> {
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
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_header(vec!["code", "name", "severity", "fires when"]);
        for rule in selected {
            table.add_row(vec![
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.summary,
            ]);
        }
        writeln!(out, "{table}")?;
    }
    Ok(exit::OK)
}

/// `settings`: every setting, its environment variable, and what it does.
pub fn settings() -> anyhow::Result<i32> {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(vec!["config key", "environment variable", "what it sets"]);
    for setting in crate::settings::SETTINGS {
        let key = if setting.cli_only {
            format!("--{}", setting.key)
        } else {
            setting.key.to_string()
        };
        table.add_row(vec![key, setting.env(), setting.help.to_string()]);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "Flags override the environment, which overrides the config file."
    )?;
    Ok(exit::OK)
}

/// `completions SHELL`: the completion script for the shell.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "handover-doctor",
        &mut std::io::stdout(),
    );
    Ok(exit::OK)
}

/// `manpage`: the manual page, as roff.
pub fn manpage() -> anyhow::Result<i32> {
    use clap::CommandFactory;
    clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut std::io::stdout())?;
    Ok(exit::OK)
}
