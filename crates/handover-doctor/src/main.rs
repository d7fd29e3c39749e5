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
use crate::error::{Error, exit};

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
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "handover-doctor",
                &mut std::io::stdout(),
            );
            Ok(exit::OK)
        }
        Command::Manpage => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .map(|()| exit::OK)
                .map_err(Into::into)
        }
    };
    let code = match result {
        Ok(code) => code,
        // Output cut short by its reader (`| head`) is what the user asked for, not a failure.
        Err(e) if error::is_broken_pipe(&e) => exit::OK,
        Err(e) => {
            match e.downcast_ref::<Error>() {
                Some(error) => print_error(error),
                None => print_error(&Error::Usage(format!("{e:#}"))),
            }
            exit::COULD_NOT_RUN
        }
    };
    std::process::exit(code);
}

/// The async runtime for commands that talk to a tenant (or play one).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Prints an error on stderr; a config error shows the offending line with a caret.
pub fn print_error(error: &Error) {
    use std::io::Write;
    let mut err = term::stderr(cli::ColorArg::Auto);
    let text = match error {
        Error::Config {
            path,
            line,
            column,
            message,
            text,
        } => {
            use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
            let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
            let start = line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
            let end = line_text[start..]
                .find(char::is_whitespace)
                .map_or(line_text.len(), |n| start + n)
                .max((start + 1).min(line_text.len()));
            let title = format!("invalid config: {message}");
            let path = path.display().to_string();
            let report = &[Level::ERROR.primary_title(&title).element(
                Snippet::source(line_text)
                    .line_start(*line)
                    .path(&path)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )];
            Renderer::styled().render(report)
        }
        other => {
            let style = anstyle::AnsiColor::BrightRed
                .on_default()
                .effects(anstyle::Effects::BOLD);
            format!("{style}error{style:#}: {other}")
        }
    };
    let _ = writeln!(err, "{text}");
}
