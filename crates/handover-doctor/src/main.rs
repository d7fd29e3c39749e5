//! handover-doctor: finds out why a bot-to-agent handover (NICE Cognigy to NICE CXone) fails.

mod cli;
mod commands;
mod diagnose;
mod error;
mod report;
mod rules;
mod settings;
mod validate;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::commands::{fix, mock, rules as catalog, tenant};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Schema(args) => catalog::schema(args),
        Command::Rules(args) => catalog::rules(args),
        Command::Mock(args) => mock::run(args),
        Command::Diagnose(args) => tenant::diagnose(args),
        Command::Auth(args) => tenant::auth(args),
        Command::Queue(args) => tenant::queue(args),
        Command::Simulate(args) => tenant::simulate(args),
        Command::Settings => catalog::settings(),
        Command::Completions { shell } => catalog::completions(shell),
        Command::Manpage => catalog::manpage(),
    };
    std::process::exit(error::exit_code(result));
}

/// The async runtime for commands that talk to a tenant (or play one).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}
