//! Batch validation: payload files and logs in, checked records out to a reporter.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use handover_core::Checker;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, exit};
use crate::report::{End, Reporter, Summary, Unreadable, plural};

pub mod batch;
pub mod input;
pub mod logs;

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
    logs: bool,
    reporter: &mut dyn Reporter,
) -> anyhow::Result<Outcome> {
    let sources = &found.sources;
    let shown = progress && std::io::stderr().is_terminal();
    // Standard input has no size: then there is no total, and no time left to show. Only a bar
    // shows it, and in a directory of many small files a look at each costs.
    let total: Option<u64> = if shown {
        sources.iter().map(|s| s.size()).sum()
    } else {
        None
    };
    let read = Progress::default();
    let mut bar = ProgressShown::new(shown, total);
    let batch = Batch {
        sources,
        checker,
        max_record,
        threads,
        logs,
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
/// Its rates are its own (see [`progress_message`]): indicatif's would start when the bar appears,
/// and count the work of the first seconds as done in an instant.
struct ProgressShown {
    enabled: bool,
    total: Option<u64>,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl ProgressShown {
    fn new(enabled: bool, total: Option<u64>) -> Self {
        Self {
            enabled,
            total,
            started: Instant::now(),
            bar: None,
        }
    }

    fn tick(&mut self, progress: &Progress) {
        let elapsed = self.started.elapsed();
        if !self.enabled || elapsed < PROGRESS_AFTER {
            return;
        }
        let total = self.total.filter(|&t| t > 0);
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{spinner} {bar:20} {msg}"
            } else {
                "{spinner} {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        let done = Done {
            bytes: progress.bytes.load(Ordering::Relaxed),
            records: progress.records.load(Ordering::Relaxed),
            findings: progress.findings.load(Ordering::Relaxed),
        };
        bar.set_message(progress_message(done, total, elapsed));
        bar.set_position(done.bytes);
    }

    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let _ = std::io::stderr().flush();
    }
}

/// What a batch run has checked so far.
#[derive(Clone, Copy)]
struct Done {
    bytes: u64,
    records: u64,
    findings: u64,
}

/// The progress line after `elapsed`: what was checked, the mean rates since the run started, and,
/// when the total size is known, the time left at that rate.
fn progress_message(done: Done, total: Option<u64>, elapsed: Duration) -> String {
    let megabytes = |bytes: u64| bytes as f64 / 1e6;
    let seconds = elapsed.as_secs_f64().max(f64::EPSILON);
    let size = match total {
        Some(total) => format!("{:.1}/{:.1} MB", megabytes(done.bytes), megabytes(total)),
        None => format!("{:.1} MB", megabytes(done.bytes)),
    };
    let mut text = format!(
        "{size}, {}, {} · {:.1} MB/s, {:.0} records/s",
        plural(done.records, "record"),
        plural(done.findings, "finding"),
        megabytes(done.bytes) / seconds,
        done.records as f64 / seconds,
    );
    if let Some(total) = total
        && done.bytes > 0
    {
        let left = total.saturating_sub(done.bytes) as f64 * seconds / done.bytes as f64;
        text += &format!(" · {} left", time_left(left));
    }
    text
}

/// Seconds as a person reads a wait: `45 s`, `3 min 20 s`, `2 h 5 min`.
fn time_left(seconds: f64) -> String {
    let seconds = seconds.ceil() as u64;
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1_000_000;

    #[test]
    fn rates_are_the_means_since_the_start_and_the_time_left_follows_them() {
        let done = Done {
            bytes: 30 * MB,
            records: 60_000,
            findings: 1,
        };
        assert_eq!(
            progress_message(done, Some(120 * MB), Duration::from_secs(10)),
            "30.0/120.0 MB, 60000 records, 1 finding · 3.0 MB/s, 6000 records/s · 30 s left"
        );
    }

    #[test]
    fn standard_input_has_no_total_and_no_time_left() {
        let done = Done {
            bytes: 5 * MB,
            records: 1,
            findings: 0,
        };
        assert_eq!(
            progress_message(done, None, Duration::from_secs(2)),
            "5.0 MB, 1 record, 0 findings · 2.5 MB/s, 0 records/s"
        );
    }

    #[test]
    fn nothing_checked_yet_promises_no_time() {
        let done = Done {
            bytes: 0,
            records: 0,
            findings: 0,
        };
        let text = progress_message(done, Some(MB), Duration::from_secs(3));
        assert!(!text.contains("left"), "{text}");
    }

    #[test]
    fn time_left_reads_as_minutes_and_hours() {
        assert_eq!(time_left(0.2), "1 s");
        assert_eq!(time_left(200.0), "3 min 20 s");
        assert_eq!(time_left(7500.0), "2 h 5 min");
    }
}
