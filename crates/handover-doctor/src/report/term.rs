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

/// Whether what goes to standard error may be coloured.
pub fn colours_stderr(color: Color) -> bool {
    choice(color, &std::io::stderr()) != ColorChoice::Never
}

pub fn stderr(color: Color) -> AutoStream<std::io::Stderr> {
    let err = std::io::stderr();
    let choice = choice(color, &err);
    AutoStream::new(err, choice)
}

/// The narrowest a column of prose gets, however narrow the screen: narrower, it reads as a
/// column of letters.
const PROSE_LEAST: usize = 16;

/// A table that fits the screen: as wide as `COLUMNS` says when it is set, else as the terminal
/// standard output is on. Into a pipe or a file without `COLUMNS` it is as wide as its content,
/// so that each row stays on one line for `grep`. Cells wrap between words, and only the `prose`
/// columns inside one, so that no code, name or environment variable is cut in two.
pub fn table(header: Vec<&str>, rows: Vec<Vec<String>>, prose: &[usize]) -> comfy_table::Table {
    use comfy_table::{
        ColumnConstraint, ContentArrangement, Table, Width, presets::UTF8_FULL_CONDENSED,
    };
    let widest_word = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let longest_word: Vec<usize> = (0..header.len())
        .map(|i| {
            let cells = rows.iter().filter_map(|row| row.get(i)).map(String::as_str);
            std::iter::once(header[i])
                .chain(cells)
                .map(widest_word)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header)
        .add_rows(rows);
    for (column, longest) in table.column_iter_mut().zip(longest_word) {
        let longest = if prose.contains(&column.index) {
            longest.min(PROSE_LEAST)
        } else {
            longest
        };
        let padding = column.padding_width();
        let least = u16::try_from(longest)
            .unwrap_or(u16::MAX)
            .saturating_add(padding);
        column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(least)));
    }
    if let Some(width) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&w| w > 0)
    {
        table.set_width(width);
    }
    table
}
