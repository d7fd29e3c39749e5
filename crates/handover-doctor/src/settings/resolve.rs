//! From the command line, the environment and the config file to what a command runs with: the
//! checker and the reporter. No clap type goes further than this.

use std::sync::Arc;

use handover_core::{Checker, contract};

use super::Config;
use crate::cli::{ConfigArgs, Format, OutputArgs, PayloadArgs};
use crate::error::Error;
use crate::report::{self, Options, Reporter, Target};

/// The format: `--format`, else the environment's (which `--demo` does not read), else human.
pub fn format(output: &OutputArgs, config: &Config) -> Format {
    output.format.or(config.format).unwrap_or(Format::Human)
}

/// The reporter `--format` asks for, with the documentation links the config points at.
pub fn reporter(
    output: &OutputArgs,
    config: &Config,
    command: &'static str,
    deny_warnings: bool,
    target: Target,
) -> std::io::Result<Box<dyn Reporter>> {
    let docs = config.rule_docs();
    report::reporter(
        Options {
            format: format(output, config),
            color: output.color,
            max_findings: output.max_findings,
            deny_warnings,
            docs: Arc::new(docs),
            command,
            unit: match command {
                "lint" => "file",
                "logs" | "postmortem" => "handover",
                _ => "record",
            },
            config_file: config.path.as_ref().map(|p| p.display().to_string()),
        },
        target,
    )
}

/// The checker the flags and the config file describe.
pub fn checker(
    config: &Config,
    flags: &ConfigArgs,
    payload: &PayloadArgs,
) -> Result<Checker, Error> {
    let settings = config.check_settings(flags.api, payload)?;
    checker_for(&payload.contract, settings)
}

/// A checker for `--contract NAME`, or one that detects each record's contract for `auto`.
fn checker_for(name: &str, settings: handover_core::CheckSettings) -> Result<Checker, Error> {
    if name == "auto" {
        return Ok(Checker::auto(settings));
    }
    match contract::find(name) {
        Some(contract) => Ok(Checker::new(settings, contract)),
        None => {
            let names: Vec<&str> = contract::ALL.iter().map(|c| c.name()).collect();
            Err(Error::Usage(format!(
                "no contract `{name}`: use auto, or one of {}",
                names.join(", ")
            )))
        }
    }
}
