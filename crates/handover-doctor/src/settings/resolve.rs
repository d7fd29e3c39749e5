//! From the command line, the environment and the config file to what a command runs with: the
//! reporter here; no clap type goes further than this.

use std::sync::Arc;

use super::Config;
use crate::cli::OutputArgs;
use crate::report::{self, Options, Reporter, RuleDocs, Target};

/// The reporter `--format` asks for, with the documentation links the config points at.
pub fn reporter(
    output: &OutputArgs,
    config: &Config,
    command: &'static str,
    deny_warnings: bool,
    target: Target,
) -> std::io::Result<Box<dyn Reporter>> {
    let docs = config
        .docs_url()
        .map_or_else(RuleDocs::default, RuleDocs::new);
    report::reporter(
        Options {
            format: output.format,
            color: output.color,
            max_findings: output.max_findings,
            deny_warnings,
            docs: Arc::new(docs),
            command,
        },
        target,
    )
}
