//! `settings`: every setting, its environment variable, and what it does.

use std::io::Write;

use crate::error::exit;

pub fn run() -> anyhow::Result<i32> {
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
