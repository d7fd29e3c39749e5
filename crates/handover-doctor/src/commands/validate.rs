//! `validate`: payload files and logs in, findings out.

use crate::cli::ValidateArgs;
use crate::error::exit;
use crate::report::Target;
use crate::settings::{Config, resolve};
use crate::validate::{self, input};

pub fn run(args: ValidateArgs) -> anyhow::Result<i32> {
    let config = Config::load(args.check.config.config.as_deref())?;
    if let Some(note) = config.api_note(args.check.config.api) {
        eprintln!("{note}");
    }
    let checker = resolve::checker(&config, &args.check.config, &args.check.payload)?;
    let (sources, discover_errors) = input::discover(&args.paths, args.check.input.jsonl);
    for error in &discover_errors {
        error.print();
    }
    if sources.is_empty() && !discover_errors.is_empty() {
        return Ok(exit::COULD_NOT_RUN);
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut reporter = resolve::reporter(
        &args.output,
        &config,
        "validate",
        args.deny_warnings,
        Target::Stdout,
    )?;
    let outcome = validate::run(
        &sources,
        &checker,
        args.check.input.max_record_bytes,
        threads,
        !args.quiet,
        reporter.as_mut(),
    )?;
    for error in &outcome.errors {
        error.print();
    }
    Ok(validate::exit_code(
        &outcome.summary,
        args.deny_warnings,
        !discover_errors.is_empty() || !outcome.errors.is_empty(),
    ))
}
