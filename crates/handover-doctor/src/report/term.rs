//! Terminal streams coloured as `--color`, NO_COLOR, CLICOLOR and the terminal say.

use anstream::{AutoStream, ColorChoice, stream::RawStream};

/// When to colour human output.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

fn choice<S: RawStream>(color: Color, stream: &S) -> ColorChoice {
    match color {
        Color::Auto => AutoStream::choice(stream),
        Color::Always => ColorChoice::AlwaysAnsi,
        Color::Never => ColorChoice::Never,
    }
}

pub fn stdout(color: Color) -> AutoStream<std::io::Stdout> {
    let out = std::io::stdout();
    let choice = choice(color, &out);
    AutoStream::new(out, choice)
}

pub fn stderr(color: Color) -> AutoStream<std::io::Stderr> {
    let err = std::io::stderr();
    let choice = choice(color, &err);
    AutoStream::new(err, choice)
}
