//! Batch validation: payload files and logs in, checked records out to a reporter.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use handover_core::Checker;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, exit};
use crate::report::{End, Reporter, Summary, Unreadable};

pub mod batch;
pub mod input;

use batch::{Batch, Progress};
use input::Found;

/// Runs shorter than this show no progress bar.
const PROGRESS_AFTER: Duration = Duration::from_secs(2);

/// What a batch run found: the summary (with every path it could not read), and the sources that
/// failed while being read.
pub struct Outcome {
    pub summary: Summary,
    pub errors: Vec<Error>,
}

/// Checks every source found into `reporter`, with a progress bar on a terminal when `progress`.
pub fn run(
    found: &Found,
    checker: &Checker,
    max_record: u64,
    threads: usize,
    progress: bool,
    reporter: &mut dyn Reporter,
) -> anyhow::Result<Outcome> {
    let sources = &found.sources;
    let total: u64 = sources.iter().filter_map(|s| s.size()).sum();
    let read = Progress::default();
    let mut bar = ProgressShown::new(progress && std::io::stderr().is_terminal(), total);
    let batch = Batch {
        sources,
        checker,
        max_record,
        threads,
    };
    let result = batch::run(&batch, reporter, &read, || bar.tick(&read));
    bar.clear();
    let (mut summary, errors) = result?;
    summary.unreadable = found
        .unreadable
        .iter()
        .chain(&errors)
        .map(Unreadable::of)
        .collect();
    let nothing_to_check = found.nothing_to_check();
    reporter.done(&End::Batch {
        summary: &summary,
        // A source fails once at most, and is no file checked.
        files: sources.len() - errors.len(),
        nothing_to_check: nothing_to_check.as_deref(),
    })?;
    Ok(Outcome { summary, errors })
}

/// 2 when an input could not be read or nothing was found to check, else what the records say.
pub fn exit_code(summary: &Summary, deny_warnings: bool, nothing_to_check: bool) -> i32 {
    if nothing_to_check || !summary.unreadable.is_empty() {
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
