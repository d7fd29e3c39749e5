//! `fix`: applies every fix the findings offer, and lists what is left.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use handover_core::Fix;

use crate::cli::{FixArgs, Format};
use crate::error::{Error, exit};
use crate::report::{Checked, Delivery, End, Summary, Target, Unreadable};
use crate::settings::{Config, resolve};
use crate::validate::batch::Worker;
use crate::validate::input::{self, Buffers, Source, Unit};

const BOM: &str = "\u{feff}";

pub fn run(args: FixArgs) -> anyhow::Result<i32> {
    let config = Config::load(args.check.config.config.as_deref())?;
    // Without --write the fixed payload (or the diff) is on standard output: a machine-readable
    // report there would be mixed into it, and one on standard error would be mixed with the errors.
    if resolve::format(&args.output, &config) != Format::Human && !args.write {
        return Err(Error::Usage(
            "--format other than human needs --write: without it, standard output carries the fixed payload or the diff".into(),
        )
        .into());
    }
    if let Some(note) = config.api_note(args.check.config.api) {
        eprintln!("{note}");
    }
    let checker = resolve::checker(&config, &args.check.config, &args.check.payload)?;
    let found = input::discover(
        &args.paths,
        &args.check.input.select,
        args.check.input.jsonl,
    )?;
    if args.write && found.sources.iter().any(|s| s.path.is_none()) {
        return Err(Error::Usage("--write needs a file, not standard input".into()).into());
    }
    if !args.write && !args.diff && (args.paths.len() > 1 || found.sources.len() > 1) {
        return Err(Error::Usage(
            "more than one file to fix needs --write (rewrites them) or --diff (shows the changes): their fixed payloads, printed one after another, could not be told apart".into(),
        )
        .into());
    }
    for error in &found.unreadable {
        error.print();
    }
    if let Some(why) = found.nothing_to_check() {
        return Err(Error::Usage(why).into());
    }
    found.warn_empty();
    let target = if args.write {
        Target::Stdout
    } else {
        Target::Stderr
    };
    let mut reporter = resolve::reporter(&args.output, &config, "fix", false, target)?;
    let max_record = args.check.input.max_record_bytes;
    let buffers = Buffers::default();
    // Fixing needs the reports themselves; the reporter's own delivery says how it wants the
    // findings left.
    let mut fixer = Worker::new(
        &checker,
        &buffers,
        Delivery::Reports { keep_text: false },
        max_record,
        false,
    );
    let mut reporting = Worker::new(&checker, &buffers, reporter.delivery(), max_record, false);

    let mut summary = Summary::default();
    let mut unreadable: Vec<Error> = found.unreadable;
    let mut applied = 0;
    for source in &found.sources {
        let (bytes, lines) = match read(source) {
            Ok(read) => read,
            Err(error) => {
                error.print();
                unreadable.push(error);
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            // Not UTF-8: nothing can be rewritten safely, so say what is wrong and change nothing.
            let left = check(&mut reporting, &source.name, &bytes, lines);
            summary.merge(&left.summary);
            reporter.records(&left)?;
            continue;
        };
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(body) => (BOM, body),
            None => ("", text),
        };
        let (fixed_body, n) = fix(&mut fixer, &source.name, body, lines);
        let fixed = format!("{bom}{fixed_body}");
        if args.write {
            if let Some(path) = &source.path
                && n > 0
            {
                write_through(path, fixed.as_bytes())?;
            }
            eprintln!(
                "{}: {} applied",
                source.name,
                crate::report::plural(n as u64, "fix")
            );
        } else if args.diff {
            if n > 0 {
                print(&diff(&source.name, text, &fixed))?;
            }
        } else {
            print(&fixed)?;
        }
        let left = check(&mut reporting, &source.name, fixed_body.as_bytes(), lines);
        summary.merge(&left.summary);
        reporter.records(&left)?;
        applied += n;
    }
    summary.unreadable = unreadable.iter().map(Unreadable::of).collect();
    reporter.done(&End::Fixed {
        summary: &summary,
        applied,
    })?;
    Ok(if !unreadable.is_empty() {
        exit::COULD_NOT_RUN
    } else if summary.errors > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}

/// A source read whole, and whether it holds JSON Lines.
fn read(source: &Source) -> Result<(Vec<u8>, bool), Error> {
    let (mut reader, lines) = source.open()?;
    let mut bytes = Vec::new();
    let name = || source.path.clone().unwrap_or_else(|| "<stdin>".into());
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(name(), e))?;
    Ok((bytes, lines))
}

/// `body` with every fix its findings offer applied, and how many applied.
fn fix(fixer: &mut Worker<'_>, name: &Arc<str>, body: &str, lines: bool) -> (String, usize) {
    let before = check(fixer, name, body.as_bytes(), lines);
    let line_starts = line_starts(body);
    let fixes: Vec<Fix> = before
        .reports
        .iter()
        .flat_map(|record| {
            let offset = if lines {
                line_starts[(record.line - 1) as usize]
            } else {
                0
            };
            record.findings.iter().filter_map(move |l| {
                l.finding.fix.clone().map(|mut fix| {
                    fix.span.start += offset;
                    fix.span.end += offset;
                    fix
                })
            })
        })
        .collect();
    handover_core::fix::apply(body, &fixes)
}

fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// A unified diff from `before` to `after`, named as git names a file (`a/path`, `b/path`), with
/// three lines of context: what `git apply` and `patch -p1` take.
fn diff(name: &str, before: &str, after: &str) -> String {
    use std::fmt::Write as _;
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let path = name.trim_start_matches("./").trim_start_matches('/');
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for hunk in similar::group_diff_ops(line_ops(&old, &new), 3) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let (from, to) = (first.old_range().start, last.old_range().end);
        let (into, upto) = (first.new_range().start, last.new_range().end);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            hunk_range(from, to - from),
            hunk_range(into, upto - into)
        );
        for op in &hunk {
            for line in &old[op.old_range()] {
                let mark = if matches!(op, similar::DiffOp::Equal { .. }) {
                    ' '
                } else {
                    '-'
                };
                diff_line(&mut out, mark, line);
            }
            if !matches!(op, similar::DiffOp::Equal { .. }) {
                for line in &new[op.new_range()] {
                    diff_line(&mut out, '+', line);
                }
            }
        }
    }
    out
}

/// How the lines of `old` became those of `new`. A fix changes values within their lines, so
/// when the count of lines is the same, line `i` became line `i`: that pairing is exact, and
/// linear in a log of millions of records. A fix that joined or split lines needs a real diff.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<similar::DiffOp> {
    if old.len() != new.len() {
        return similar::capture_diff_slices(similar::Algorithm::Myers, old, new);
    }
    let mut ops: Vec<similar::DiffOp> = Vec::new();
    for (i, (a, b)) in old.iter().zip(new).enumerate() {
        let same = a == b;
        match ops.last_mut() {
            Some(similar::DiffOp::Equal { len, .. }) if same => *len += 1,
            Some(similar::DiffOp::Replace {
                old_len, new_len, ..
            }) if !same => {
                *old_len += 1;
                *new_len += 1;
            }
            _ if same => ops.push(similar::DiffOp::Equal {
                old_index: i,
                new_index: i,
                len: 1,
            }),
            _ => ops.push(similar::DiffOp::Replace {
                old_index: i,
                old_len: 1,
                new_index: i,
                new_len: 1,
            }),
        }
    }
    ops
}

/// `start,count` as a hunk header has it: a count of 1 is left out; an empty range starts at the
/// line before it.
fn hunk_range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

fn diff_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

fn check(worker: &mut Worker<'_>, name: &Arc<str>, bytes: &[u8], lines: bool) -> Checked {
    let unit = if lines {
        Unit::lines(1, 0, bytes.to_vec().into())
    } else {
        Unit::Document {
            bytes: bytes.to_vec().into(),
        }
    };
    worker.check(name, unit)
}

/// Byte offset of the start of each line.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Replaces a file, or the file a symbolic link points to (the link stays a link), atomically.
fn write_through(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let target = std::fs::canonicalize(path).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        source: e,
    })?;
    write_atomically(&target, contents)
}

/// Replaces a file by writing a sibling temporary file and renaming it over the original, so that a
/// crash or a full disk never leaves a half-written payload. The original's permissions are kept.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let write_error = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source: e,
    };
    let permissions = std::fs::metadata(path).map_err(write_error)?.permissions();
    crate::atomic::write(path, contents, permissions, true).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_that_joins_lines_is_diffed_line_by_line() {
        assert_eq!(
            diff(
                "./x.json",
                "a\nb\nc\nd\ne\nf\ng\nh\n",
                "a\nb\nc\nd\nef\ng\nh\n"
            ),
            "--- a/x.json\n+++ b/x.json\n@@ -2,7 +2,6 @@\n b\n c\n d\n-e\n-f\n+ef\n g\n h\n"
        );
    }
}
