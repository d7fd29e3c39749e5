//! `settings`: every setting, its environment variable, and what it does.

use std::io::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::error::exit;

pub fn run() -> anyhow::Result<i32> {
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
