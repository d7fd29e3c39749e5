//! JUnit XML, so that CI shows findings as failed tests: one test case per record with findings
//! (`validate`, `fix`), or per diagnosis step.

use std::io::Write;

use handover_core::Severity;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{Checked, End, Located, Options, Reporter, Status, Step, Summary};

pub struct Junit<W: Write> {
    out: W,
    suite: TestSuite,
    deny_warnings: bool,
}

impl<W: Write> Junit<W> {
    pub fn new(out: W, options: Options) -> Self {
        Self {
            out,
            suite: TestSuite::new(format!("handover-doctor {}", options.command)),
            deny_warnings: options.deny_warnings,
        }
    }

    /// Whether a finding fails its test case.
    fn fails(&self, located: &Located) -> bool {
        let severity = located.finding.severity;
        severity == Severity::Error || (self.deny_warnings && severity == Severity::Warning)
    }

    fn step_case(&self, step: &Step) -> TestCase {
        let text = finding_lines(step.all_findings(), step.record.as_ref().map(|r| r.file()));
        let status = match step.status {
            Status::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                if let Some(l) = step.all_findings().find(|l| self.fails(l)) {
                    status.set_message(format!("{}: {}", l.finding.rule.code, l.finding.message));
                    status.set_type(l.finding.rule.name);
                }
                status.set_description(text.clone());
                status
            }
            // A step that could not run for want of an input is not a pass, nor a skip a CI
            // report would show green: it is an error of the run.
            Status::Skip if step.missing.is_some() => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(step.detail.clone());
                status.set_type("incomplete");
                status
            }
            Status::Skip => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(step.detail.clone());
                status
            }
            Status::Pass | Status::Warn => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(step.id.as_str(), status);
        case.set_classname(self.suite.name.as_str());
        case.set_time(step.duration);
        if matches!(step.status, Status::Pass | Status::Warn) {
            case.set_system_out(format!("{}\n{text}", step.detail).trim().to_string());
        }
        case
    }
}

impl<W: Write> Junit<W> {
    /// The end of `validate` or `fix`: what could not be checked is an error of the run, never a
    /// pass a CI report would show green; with nothing failing at all, one passing case.
    fn checked_end(&mut self, summary: &Summary, nothing_to_check: Option<&str>) {
        for unreadable in &summary.unreadable {
            self.run_error(&unreadable.path, "unreadable", &unreadable.error);
        }
        if let Some(why) = nothing_to_check {
            self.run_error("nothing to check", "nothing-to-check", why);
        }
        if self.suite.test_cases.is_empty() {
            let name = match summary.records {
                1 => "1 record valid".to_string(),
                n => format!("{n} records valid"),
            };
            let mut case = TestCase::new(name, TestCaseStatus::success());
            case.set_classname("handover-doctor");
            self.suite.add_test_case(case);
        }
    }

    /// A test case in error for something that kept the run from checking an input.
    fn run_error(&mut self, name: &str, kind: &str, message: &str) {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(message);
        status.set_type(kind);
        let mut case = TestCase::new(name, status);
        case.set_classname("handover-doctor");
        self.suite.add_test_case(case);
    }
}

/// The findings as lines, the same for a record and a step: `file:line:col: ` where they are in a
/// file, then `severity[code/name]: message` and the hint.
fn finding_lines<'a>(findings: impl Iterator<Item = &'a Located>, file: Option<&str>) -> String {
    findings
        .map(|l| {
            let f = &l.finding;
            let at = match (file, l.region) {
                (Some(file), Some(at)) => format!("{file}:{}:{}: ", at.line, at.column),
                (Some(file), None) if !f.pointer.is_empty() => {
                    format!("{file}, at {}: ", f.pointer)
                }
                (Some(file), None) => format!("{file}: "),
                (None, _) => String::new(),
            };
            format!(
                "{at}{}[{}/{}]: {}\n  help: {}",
                f.severity, f.rule.code, f.rule.name, f.message, f.hint
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl<W: Write + Send> Reporter for Junit<W> {
    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        for record in &checked.reports {
            let lines = finding_lines(record.findings.iter(), Some(record.file()));
            let failing = record.findings.iter().find(|l| self.fails(l));
            let status = match failing {
                Some(l) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(format!("{}: {}", l.finding.rule.code, l.finding.message));
                    status.set_type(l.finding.rule.name);
                    status.set_description(lines.clone());
                    status
                }
                None => TestCaseStatus::success(),
            };
            // A conversation (`logs`, `postmortem`) is named as the bot's logs name it.
            let name = match record
                .timeline
                .as_deref()
                .and_then(|t| t.session.as_deref())
            {
                Some(session) => format!("session {session} ({}:{})", record.source, record.line),
                None => format!("{}:{}", record.source, record.line),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(&*record.source);
            if failing.is_none() {
                case.set_system_out(lines);
            }
            self.suite.add_test_case(case);
        }
        Ok(())
    }

    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        match end {
            End::Batch {
                summary,
                nothing_to_check,
                ..
            } => self.checked_end(summary, *nothing_to_check),
            End::Fixed { summary, .. } => self.checked_end(summary, None),
            End::Diagnosis { diagnosis, .. } => {
                for step in &diagnosis.steps {
                    let case = self.step_case(step);
                    self.suite.add_test_case(case);
                }
            }
        }
        let mut report = quick_junit::Report::new("handover-doctor");
        report.add_test_suite(std::mem::replace(&mut self.suite, TestSuite::new("")));
        // Serialised to memory, so that the only write error is the output's own (a closed pipe).
        let xml = report.to_string().map_err(std::io::Error::other)?;
        self.out.write_all(xml.as_bytes())?;
        self.out.flush()
    }
}
