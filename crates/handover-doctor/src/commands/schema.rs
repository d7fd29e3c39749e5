//! `schema`: the JSON Schema of a payload contract.

use std::io::Write;

use crate::cli::SchemaArgs;
use crate::error::{Error, exit};
use crate::settings::Config;

/// The contract's schema for the API the flags or the config mean.
pub fn run(args: SchemaArgs) -> anyhow::Result<i32> {
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
