//! handover-doctor: finds out why a bot-to-agent handover (NICE Cognigy to NICE CXone) fails.

mod batch;
mod cli;
mod diagnose;
mod error;
mod fix;
mod input;
mod mock;
mod render;
mod report;
mod report_render;
mod rules;
mod settings;
mod tenant;
mod term;
mod validate;

use clap::Parser as _;

use crate::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Schema(args) => rules::schema(args),
        Command::Rules(args) => rules::rules(args),
        Command::Mock(args) => mock::run(args),
        Command::Diagnose(args) => tenant::diagnose(args),
        Command::Auth(args) => tenant::auth(args),
        Command::Queue(args) => tenant::queue(args),
        Command::Simulate(args) => tenant::simulate(args),
        Command::Settings => rules::settings(),
        Command::Completions { shell } => rules::completions(shell),
        Command::Manpage => rules::manpage(),
    };
    std::process::exit(error::exit_code(result));
}

/// The async runtime for commands that talk to a tenant (or play one).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}
