//! Terminal streams coloured as `--color`, NO_COLOR, CLICOLOR and the terminal say.

use anstream::{AutoStream, ColorChoice, stream::RawStream};

use crate::cli::ColorArg;

fn choice<S: RawStream>(color: ColorArg, stream: &S) -> ColorChoice {
    match color {
        ColorArg::Auto => AutoStream::choice(stream),
        ColorArg::Always => ColorChoice::AlwaysAnsi,
        ColorArg::Never => ColorChoice::Never,
    }
}

pub fn stdout(color: ColorArg) -> AutoStream<std::io::Stdout> {
    let out = std::io::stdout();
    let choice = choice(color, &out);
    AutoStream::new(out, choice)
}

pub fn stderr(color: ColorArg) -> AutoStream<std::io::Stderr> {
    let err = std::io::stderr();
    let choice = choice(color, &err);
    AutoStream::new(err, choice)
}
