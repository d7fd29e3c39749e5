//! handover-doctor: finds out why a bot-to-agent handover (NICE Cognigy to NICE CXone) fails.

mod atomic;
mod cli;
mod commands;
mod diagnose;
mod error;
mod report;
mod rules;
mod settings;
mod validate;
mod watch;

use clap::Parser as _;

use crate::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    // clap takes either `--explain CODE` or a command.
    let Some(command) = cli.command else {
        let code = cli.explain.unwrap_or_default();
        std::process::exit(error::exit_code(commands::rules::explain(&code)));
    };
    let result = match command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Lint(args) => commands::lint::run(args),
        Command::Logs(args) => commands::logs::run(args),
        Command::Postmortem(args) => commands::postmortem::run(args),
        Command::Watch(args) => commands::watch::run(args),
        Command::Fix(args) => commands::fix::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Mock(args) => commands::mock::run(args),
        Command::Diagnose(args) => commands::diagnose::run(args),
        Command::Auth(args) => commands::auth::run(args),
        Command::Queue(args) => commands::queue::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Settings(args) => commands::settings::run(args),
        Command::Completions { shell } => commands::shell::completions(shell),
        Command::Manpage(args) => commands::shell::manpage(args),
    };
    std::process::exit(error::exit_code(result));
}

/// The async runtime for commands that talk to a tenant (or play one).
pub fn runtime() -> Result<tokio::runtime::Runtime, error::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| error::Error::Environment(format!("cannot start the async runtime: {e}")))
}
