//! `validate`: payload files and logs in, findings out.

use std::io::{BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use handover_core::{Checker, contract};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch::{self, Batch, Delivery, Progress, Sink};
use crate::cli::{CheckArgs, Format, ValidateArgs};
use crate::error::{Error, exit};
use crate::input;
use crate::render;
use crate::report::Summary;
use crate::settings::Config;

/// Runs shorter than this show no progress bar.
const PROGRESS_AFTER: Duration = Duration::from_secs(2);

/// The checker the flags and the config file describe.
pub fn checker(check: &CheckArgs) -> Result<Checker, Error> {
    let config = Config::load(check.config.config.as_deref())?;
    if let Some(note) = config.api_note(check.config.api) {
        eprintln!("{note}");
    }
    let settings = config.check_settings(check.config.api, &check.payload)?;
    checker_for(&check.payload.contract, settings)
}

/// A checker for `--contract NAME`, or one that detects each record's contract for `auto`.
pub fn checker_for(name: &str, settings: handover_core::CheckSettings) -> Result<Checker, Error> {
    if name == "auto" {
        return Ok(Checker::auto(settings));
    }
    match contract::find(name) {
        Some(contract) => Ok(Checker::new(settings, contract)),
        None => {
            let names: Vec<&str> = contract::ALL.iter().map(|c| c.name()).collect();
            Err(Error::Usage(format!(
                "no contract `{name}`: use auto, or one of {}",
                names.join(", ")
            )))
        }
    }
}

pub fn run(args: ValidateArgs) -> anyhow::Result<i32> {
    let checker = checker(&args.check)?;
    let (sources, discover_errors) = input::discover(&args.paths, args.check.input.jsonl);
    for error in &discover_errors {
        error.print();
    }
    if sources.is_empty() && !discover_errors.is_empty() {
        return Ok(exit::COULD_NOT_RUN);
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let total: u64 = sources.iter().filter_map(|s| s.size()).sum();
    let progress = Progress::default();
    let mut bar = ProgressShown::new(!args.output.quiet && std::io::stderr().is_terminal(), total);
    let max_record = args.check.input.max_record_bytes;
    let mut run = |sink: &mut dyn Sink, delivery| {
        let batch = Batch {
            sources: &sources,
            checker: &checker,
            delivery,
            max_record,
            threads,
        };
        batch::run(&batch, sink, &progress, || bar.tick(&progress))
    };

    let (summary, read_errors) = match args.output.format {
        Format::Human => {
            let mut human = render::Human::new(
                BufWriter::new(crate::term::stdout(args.output.color)),
                args.max_findings,
            );
            let (summary, errors) = run(&mut human, Delivery::Reports { keep_text: true })?;
            bar.clear();
            human.finish(&summary, sources.len(), args.deny_warnings)?;
            (summary, errors)
        }
        Format::Json => {
            let mut json =
                render::Json::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock()))?;
            let (summary, errors) = run(&mut json, Delivery::Json { separator: b",\n" })?;
            json.finish(&summary)?;
            (summary, errors)
        }
        Format::Jsonl => {
            let mut jsonl =
                render::Jsonl::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock()));
            let (summary, errors) = run(&mut jsonl, Delivery::Json { separator: b"\n" })?;
            jsonl.finish(&summary)?;
            (summary, errors)
        }
        Format::Junit => {
            let mut sink = render::JunitSink {
                junit: render::Junit::default(),
                deny_warnings: args.deny_warnings,
            };
            let (summary, errors) = run(&mut sink, Delivery::Reports { keep_text: false })?;
            sink.junit.finish(&mut std::io::stdout().lock(), &summary)?;
            (summary, errors)
        }
        Format::Sarif => {
            let mut sarif = render::Sarif::new(BufWriter::new(std::io::stdout().lock()))?;
            let (summary, errors) = run(&mut sarif, Delivery::Reports { keep_text: false })?;
            sarif.finish()?;
            (summary, errors)
        }
        Format::Github => {
            let mut github = render::Github::new(BufWriter::new(std::io::stdout().lock()));
            let (summary, errors) = run(&mut github, Delivery::Reports { keep_text: false })?;
            github.finish(&summary, args.deny_warnings)?;
            (summary, errors)
        }
    };
    bar.clear();
    for error in &read_errors {
        error.print();
    }
    Ok(exit_code(
        &summary,
        args.deny_warnings,
        !discover_errors.is_empty() || !read_errors.is_empty(),
    ))
}

pub fn exit_code(summary: &Summary, deny_warnings: bool, could_not_read: bool) -> i32 {
    if could_not_read {
        exit::COULD_NOT_RUN
    } else if summary.has_problems(deny_warnings) {
        exit::PROBLEMS
    } else {
        exit::OK
    }
}

/// A progress bar on stderr that appears only once a run has taken a while, and only on a terminal.
struct ProgressShown {
    enabled: bool,
    total: u64,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl ProgressShown {
    fn new(enabled: bool, total: u64) -> Self {
        Self {
            enabled,
            total,
            started: Instant::now(),
            bar: None,
        }
    }

    fn tick(&mut self, progress: &Progress) {
        if !self.enabled || self.started.elapsed() < PROGRESS_AFTER {
            return;
        }
        let total = self.total;
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total).filter(|&t| t > 0),
                ProgressDrawTarget::stderr(),
            );
            let template = if total > 0 {
                "{spinner} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}"
            } else {
                "{spinner} {bytes} {bytes_per_sec}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(progress.bytes.load(std::sync::atomic::Ordering::Relaxed));
    }

    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let _ = std::io::stderr().flush();
    }
}
