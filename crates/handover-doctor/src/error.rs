//! Errors that stop the tool from doing its job (exit 2). Findings about payloads are not errors.
//! Each error knows whose fault it is, renders itself, and picks its exit code here.

use std::io;
use std::path::PathBuf;

#[derive(thiserror::Error, Debug)]
pub enum Error {
    #[error("{0}")]
    Usage(String),

    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        /// The config file's text, to show the offending line.
        text: String,
    },

    #[error("cannot read `{}`: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },

    /// The machine or the network would not let the tool run: a port taken, no runtime.
    #[error("{0}")]
    Environment(String),

    /// Something the tool should never do: a bug.
    #[error("{0}")]
    Bug(String),
}

/// Whose fault an error is, which decides what the message offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Bad usage or a bad config: the message says what to change.
    User,
    /// Files, ports, the network: the message says what was tried.
    Environment,
    /// The tool's own: the message asks for a report.
    Bug,
}

/// Exit codes, one meaning each (docs/output.md).
pub mod exit {
    pub const OK: i32 = 0;
    pub const PROBLEMS: i32 = 1;
    pub const COULD_NOT_RUN: i32 = 2;
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn fault(&self) -> Fault {
        match self {
            Error::Usage(_) | Error::Config { .. } => Fault::User,
            Error::Read { .. } | Error::Write { .. } | Error::Environment(_) => Fault::Environment,
            Error::Bug(_) => Fault::Bug,
        }
    }

    /// Every error means the tool could not do its job.
    pub fn exit_code(&self) -> i32 {
        exit::COULD_NOT_RUN
    }

    /// Sorts an error that reached `main`: the tool's own errors as they are, an I/O error as the
    /// environment's, anything else as a bug.
    pub fn from_anyhow(error: anyhow::Error) -> Self {
        match error.downcast::<Error>() {
            Ok(error) => error,
            Err(other) if other.chain().any(|e| e.is::<io::Error>()) => {
                Error::Environment(format!("{other:#}"))
            }
            Err(other) => Error::Bug(format!("{other:#}")),
        }
    }

    /// The message for stderr: a config error shows the offending line with a caret; a bug says
    /// so and asks for a report.
    pub fn render(&self) -> String {
        match self {
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
                let mut text = format!("{style}error{style:#}: {other}");
                if other.fault() == Fault::Bug {
                    text += "\nThis is a bug in handover-doctor. Please report it with the command you ran and this message.";
                }
                text
            }
        }
    }

    /// Prints the message on stderr.
    pub fn print(&self) {
        use std::io::Write;
        let mut err = crate::report::term::stderr(crate::report::Color::Auto);
        let _ = writeln!(err, "{}", self.render());
    }
}

/// The exit code of a finished command: its own, or its error's (printed); output cut short by
/// its reader (`| head`) is what the user asked for, not a failure.
pub fn exit_code(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => exit::OK,
        Err(e) => {
            let error = Error::from_anyhow(e);
            error.print();
            error.exit_code()
        }
    }
}

/// Whether an error means the reader of our output went away (`| head`), which is not a failure.
/// The I/O error may be wrapped (anyhow's context, serde_json, an `io::Error` around another error).
/// A broken pipe while writing a file the user named (`fix --write` to a FIFO) is a real failure.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    if matches!(
        error.downcast_ref::<Error>(),
        Some(Error::Read { .. } | Error::Write { .. })
    ) {
        return false;
    }
    error.chain().any(broken_pipe)
}

fn broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = error.downcast_ref::<io::Error>() {
        // An `io::Error` made from another error hides that error from `source()`.
        return io.kind() == io::ErrorKind::BrokenPipe
            || io.get_ref().is_some_and(|inner| {
                let inner: &(dyn std::error::Error + 'static) = inner;
                std::iter::successors(Some(inner), |e| e.source()).any(broken_pipe)
            });
    }
    error
        .downcast_ref::<serde_json::Error>()
        .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_sorted_by_whose_fault_they_are() {
        let user = Error::from_anyhow(Error::Usage("--follow takes seconds".into()).into());
        assert_eq!(user.fault(), Fault::User);
        let io = anyhow::Error::from(io::Error::new(io::ErrorKind::PermissionDenied, "denied"))
            .context("writing the report");
        assert_eq!(Error::from_anyhow(io).fault(), Fault::Environment);
        let bug = Error::from_anyhow(anyhow::anyhow!("a step ran twice"));
        assert_eq!(bug.fault(), Fault::Bug);
        assert!(bug.render().contains("This is a bug in handover-doctor"));
        assert!(!user.render().contains("bug"));
    }

    #[test]
    fn a_closed_pipe_is_found_however_it_is_wrapped() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        let json = serde_json::to_writer(Closed, &[1, 2, 3]).unwrap_err();
        let cases = [
            anyhow::Error::from(pipe()),
            anyhow::Error::from(pipe()).context("writing the report"),
            anyhow::Error::from(json),
            anyhow::Error::from(io::Error::other(anyhow::Error::from(pipe()).context("xml"))),
        ];
        for error in cases {
            assert!(is_broken_pipe(&error), "{error:#}");
        }
        let file = anyhow::Error::from(Error::Write {
            path: "fifo".into(),
            source: pipe(),
        });
        assert!(!is_broken_pipe(&file));
        assert!(!is_broken_pipe(&anyhow::Error::from(io::Error::from(
            io::ErrorKind::PermissionDenied
        ))));
    }

    /// A reader that has gone away.
    struct Closed;

    impl io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
