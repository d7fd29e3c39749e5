//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, so
//! that a workflow run shows each finding on its line of the payload file, then the verdict.

use std::io::Write;

use handover_core::Severity;

use super::human::{diagnosis_verdict, verdict};
use super::{Checked, End, Located, Options, RecordReport, Reporter};

pub struct Github<W: Write> {
    out: W,
    deny_warnings: bool,
    unit: &'static str,
}

impl<W: Write> Github<W> {
    pub fn new(out: W, options: Options) -> Self {
        Self {
            out,
            deny_warnings: options.deny_warnings,
            unit: options.unit,
        }
    }
}

impl<W: Write + Send> Reporter for Github<W> {
    fn records(&mut self, checked: &Checked) -> std::io::Result<()> {
        for record in &checked.reports {
            for located in &record.findings {
                writeln!(self.out, "{}", command(Some(record), located))?;
            }
        }
        Ok(())
    }

    /// A diagnosis's commands, in the steps' order; then the verdict, as human output ends: a
    /// plain line, not a command.
    fn done(&mut self, end: &End<'_>) -> std::io::Result<()> {
        match end {
            End::Batch {
                summary,
                nothing_to_check,
                ..
            } => writeln!(
                self.out,
                "{}",
                verdict(summary, self.deny_warnings, *nothing_to_check, self.unit)
            )?,
            End::Fixed { summary, .. } => writeln!(
                self.out,
                "{}",
                verdict(summary, self.deny_warnings, None, self.unit)
            )?,
            End::Diagnosis { diagnosis, .. } => {
                for step in &diagnosis.steps {
                    for located in step.record.iter().flat_map(|r| &r.findings) {
                        writeln!(self.out, "{}", command(step.record.as_ref(), located))?;
                    }
                    for located in &step.findings {
                        writeln!(self.out, "{}", command(None, located))?;
                    }
                }
                writeln!(self.out, "{}", diagnosis_verdict(diagnosis).1)?;
            }
        }
        self.out.flush()
    }
}

/// `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=HD304 phone-not-e164::message`; a
/// finding about no file has only the title, and the runner shows it on the run.
fn command(record: Option<&RecordReport>, located: &Located) -> String {
    let f = &located.finding;
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(record) = record {
        properties.push(format!("file={}", escape_property(record.file())));
    }
    if let (Some(_), Some(at)) = (record, located.region) {
        properties.push(format!(
            "line={},col={},endLine={},endColumn={}",
            at.line, at.column, at.end_line, at.end_column
        ));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} {}", f.rule.code, f.rule.name))
    ));
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&f.message)
    )
}

/// A command's message, escaped as the runner unescapes it.
fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value: as a message, and `:` and `,` too, which end a property.
fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_percent_and_line_breaks() {
        assert_eq!(
            escape_data("100% wrong: a, b\r\nnext"),
            "100%25 wrong: a, b%0D%0Anext"
        );
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(
            escape_property("C:\\logs\\a,b%.json\nx"),
            "C%3A\\logs\\a%2Cb%25.json%0Ax"
        );
    }
}
