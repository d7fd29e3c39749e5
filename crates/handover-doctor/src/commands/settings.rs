//! `settings`: every setting, its environment variable, and what it does; with `--show`, the value
//! of each in force and where it comes from.

use std::io::Write;

use serde_json::{Value, json};

use crate::cli::{SettingsArgs, SettingsFormat};
use crate::error::exit;
use crate::settings::effective::{self, Effective, Source};

pub fn run(args: SettingsArgs) -> anyhow::Result<i32> {
    if args.show {
        return show(&args);
    }
    // The environment variable under its key: side by side, the two leave an 80-column terminal
    // no room for what the setting does.
    let rows = crate::settings::SETTINGS
        .iter()
        .map(|setting| {
            let key = if setting.cli_only {
                format!("--{}", setting.key)
            } else {
                setting.key.to_string()
            };
            vec![
                format!("{key}\n{}", setting.env()),
                setting.help.to_string(),
            ]
        })
        .collect();
    let table = crate::report::term::table(
        vec!["config key\nenvironment variable", "what it sets"],
        rows,
        &[1],
    );
    let mut out = std::io::stdout().lock();
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "Flags override the environment, which overrides the config file."
    )?;
    Ok(exit::OK)
}

fn show(args: &SettingsArgs) -> anyhow::Result<i32> {
    let all = effective::effective(args.config.as_deref())?;
    let mut out = std::io::stdout().lock();
    if args.format == Some(SettingsFormat::Json) {
        let settings: Vec<Value> = all.iter().map(as_json).collect();
        let text = serde_json::to_string_pretty(&json!({ "settings": settings }))?;
        writeln!(out, "{text}")?;
        return Ok(exit::OK);
    }
    let mut rows = Vec::new();
    for effective in &all {
        let setting = effective.setting;
        let key = if setting.cli_only {
            format!("--{}", setting.key)
        } else {
            setting.key.to_string()
        };
        let value = match &effective.value {
            None => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        let from = match &effective.source {
            Source::Unset => "not set".to_string(),
            source => source
                .origin(setting)
                .unwrap_or_else(|| source.kind().into()),
        };
        rows.push(vec![key, value, from]);
    }
    let table = crate::report::term::table(vec!["setting", "value", "from"], rows, &[1]);
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "Flags override the environment, which overrides the config file; secrets show as {}.",
        effective::MASK
    )?;
    Ok(exit::OK)
}

/// One setting in `settings --show --format json`: `source` is flag, environment, file, default
/// or unset, and `from` names the flag, the variable or the file.
fn as_json(effective: &Effective) -> Value {
    let setting = effective.setting;
    json!({
        "key": setting.key,
        "variable": setting.env(),
        "value": effective.value,
        "source": effective.source.kind(),
        "from": effective.source.origin(setting),
    })
}
