//! `fix`: applies every fix the findings offer, and lists what is left.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use handover_core::{Fix, Severity};

use crate::batch::{Checked, Delivery, Worker};
use crate::cli::{ColorArg, FixArgs};
use crate::error::{Error, exit};
use crate::input::Unit;
use crate::render;

const BOM: &str = "\u{feff}";

pub fn run(args: FixArgs) -> anyhow::Result<i32> {
    let checker = crate::validate::checker(&args.check)?;
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
    let buffers = crate::input::Buffers::default();
    let mut worker = Worker::new(
        &checker,
        &buffers,
        Delivery::Reports { keep_text: true },
        max_record,
    );

    let Ok(text) = std::str::from_utf8(&bytes) else {
        // Not UTF-8: nothing can be rewritten safely, so say what is wrong and change nothing.
        let left = check(&mut worker, &name, &bytes, lines);
        report_left(&left, args.color)?;
        return Ok(exit::PROBLEMS);
    };
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };

    let before = check(&mut worker, &name, body.as_bytes(), lines);
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
    let after = check(&mut worker, &name, fixed.as_bytes(), lines);

    if args.write {
        if applied > 0 {
            write_atomically(&args.file, format!("{bom}{fixed}").as_bytes())?;
        }
        eprintln!("{name}: {} applied", plural(applied, "fix", "fixes"));
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(bom.as_bytes())?;
        out.write_all(fixed.as_bytes())?;
        out.flush()?;
    }
    report_left(&after, args.color)?;
    Ok(if after.summary.errors > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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

/// Lists the findings no fix could remove, on stderr, so that stdout holds only the payload.
fn report_left(left: &Checked, color: ColorArg) -> anyhow::Result<()> {
    let count = left.reports.iter().map(|r| r.findings.len()).sum::<usize>();
    if count == 0 {
        return Ok(());
    }
    let mut err = crate::term::stderr(color);
    let errors = left
        .reports
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|l| l.finding.severity == Severity::Error)
        .count();
    writeln!(
        err,
        "{} no fix can remove ({errors} errors):\n",
        plural(count, "finding", "findings")
    )?;
    let renderer = annotate_snippets::Renderer::styled();
    for record in &left.reports {
        for located in &record.findings {
            writeln!(
                err,
                "{}\n",
                render::render_finding(&renderer, record, located)
            )?;
        }
    }
    Ok(())
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
