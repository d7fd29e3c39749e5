//! `fix`: applies every fix the findings offer, and lists what is left.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use handover_core::Fix;

use crate::cli::{FixArgs, Format};
use crate::error::{Error, exit};
use crate::report::{Checked, Delivery, End, Reporter, Target};
use crate::settings::{Config, resolve};
use crate::validate::batch::Worker;
use crate::validate::input::{Buffers, Unit};

const BOM: &str = "\u{feff}";

pub fn run(args: FixArgs) -> anyhow::Result<i32> {
    // Without --write the fixed payload is on standard output: a machine-readable report there
    // would be mixed into it, and one on standard error would be mixed with the errors.
    if args.output.format != Format::Human && !args.write {
        return Err(Error::Usage(
            "--format other than human needs --write: without it, standard output carries the fixed payload".into(),
        )
        .into());
    }
    let config = Config::load(args.check.config.config.as_deref())?;
    if let Some(note) = config.api_note(args.check.config.api) {
        eprintln!("{note}");
    }
    let checker = resolve::checker(&config, &args.check.config, &args.check.payload)?;
    let target = if args.write {
        Target::Stdout
    } else {
        Target::Stderr
    };
    let mut reporter = resolve::reporter(&args.output, &config, "fix", false, target)?;
    let from_stdin = args.file.as_os_str() == "-";
    let name: Arc<str> = if from_stdin {
        Arc::from("<stdin>")
    } else {
        Arc::from(args.file.display().to_string())
    };
    if from_stdin && args.write {
        return Err(Error::Usage("--write needs a file, not standard input".into()).into());
    }
    let mut bytes = Vec::new();
    if from_stdin {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read("<stdin>", e))?;
    } else {
        bytes = std::fs::read(&args.file).map_err(|e| Error::read(&args.file, e))?;
    }
    let lines = args.check.input.jsonl
        || Path::new(&*name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    let max_record = args.check.input.max_record_bytes;
    let buffers = Buffers::default();
    // Fixing needs the reports themselves; the reporter's own delivery says how it wants the
    // findings left.
    let mut fixer = Worker::new(
        &checker,
        &buffers,
        Delivery::Reports { keep_text: false },
        max_record,
    );
    let mut reporting = Worker::new(&checker, &buffers, reporter.delivery(), max_record);

    let Ok(text) = std::str::from_utf8(&bytes) else {
        // Not UTF-8: nothing can be rewritten safely, so say what is wrong and change nothing.
        let left = check(&mut reporting, &name, &bytes, lines);
        report_left(reporter.as_mut(), left, 0)?;
        return Ok(exit::PROBLEMS);
    };
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };

    let before = check(&mut fixer, &name, body.as_bytes(), lines);
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
    let (fixed, applied) = handover_core::fix::apply(body, &fixes);
    let after = check(&mut reporting, &name, fixed.as_bytes(), lines);

    if args.write {
        if applied > 0 {
            write_atomically(&args.file, format!("{bom}{fixed}").as_bytes())?;
        }
        eprintln!(
            "{name}: {} applied",
            crate::report::plural(applied as u64, "fix")
        );
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(bom.as_bytes())?;
        out.write_all(fixed.as_bytes())?;
        out.flush()?;
    }
    let errors = after.summary.errors;
    report_left(reporter.as_mut(), after, applied)?;
    Ok(if errors > 0 { exit::PROBLEMS } else { exit::OK })
}

fn check(worker: &mut Worker<'_>, name: &Arc<str>, bytes: &[u8], lines: bool) -> Checked {
    let unit = if lines {
        Unit::Lines {
            first_line: 1,
            first_index: 0,
            bytes: bytes.to_vec(),
        }
    } else {
        Unit::Document {
            bytes: bytes.to_vec(),
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

/// Reports the findings no fix could remove.
fn report_left(reporter: &mut dyn Reporter, left: Checked, applied: usize) -> std::io::Result<()> {
    let summary = left.summary.clone();
    reporter.records(left)?;
    reporter.done(&End::Fixed {
        summary: &summary,
        applied,
    })
}

/// Replaces a file by writing a sibling temporary file and renaming it over the original, so that a
/// crash or a full disk never leaves a half-written payload. The original's permissions are kept.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let write_error = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source: e,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path).map_err(write_error)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".handover-doctor-fix")
        .tempfile_in(dir)
        .map_err(write_error)?;
    temp.write_all(contents).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    temp.as_file()
        .set_permissions(permissions)
        .map_err(write_error)?;
    temp.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}
