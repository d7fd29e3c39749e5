//! `validate`: payload files and logs in, findings out.

use crate::cli::{From, ValidateArgs};
use crate::error::Error;
use crate::report::Target;
use crate::settings::{Config, resolve};
use crate::validate::{self, input};

pub fn run(args: ValidateArgs) -> anyhow::Result<i32> {
    let config = Config::load(args.check.config.config.as_deref())?;
    if let Some(note) = config.api_note(args.check.config.api) {
        eprintln!("{note}");
    }
    let checker = resolve::checker(&config, &args.check.config, &args.check.payload)?;
    let logs = args.from == From::CognigyLogs;
    let found = input::discover_with(
        &args.paths,
        &args.check.input.select,
        args.check.input.jsonl,
        if logs {
            input::LOG_EXTENSIONS
        } else {
            input::EXTENSIONS
        },
    )?;
    for error in &found.unreadable {
        error.print();
    }
    let nothing_to_check = found.nothing_to_check();
    if let Some(why) = &nothing_to_check {
        Error::Usage(why.clone()).print();
    }
    found.warn_empty();
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
        &found,
        &checker,
        args.check.input.max_record_bytes,
        threads,
        !args.quiet,
        logs,
        reporter.as_mut(),
    )?;
    for error in &outcome.errors {
        error.print();
    }
    Ok(validate::exit_code(
        &outcome.summary,
        args.deny_warnings,
        nothing_to_check.is_some(),
    ))
}
