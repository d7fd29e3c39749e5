//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, so
//! that a workflow run shows each finding on its line of the payload file, then the verdict.

use std::io::Write;

use handover_core::Severity;

use super::{file_of, verdict};
use crate::batch::{Checked, Sink};
use crate::report::{Located, RecordReport, Summary};

pub struct Github<W: Write> {
    out: W,
}

impl<W: Write> Github<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    /// The verdict, as human output ends: a plain line, not a command.
    pub fn finish(&mut self, summary: &Summary, deny_warnings: bool) -> std::io::Result<()> {
        writeln!(self.out, "{}", verdict(summary, deny_warnings))?;
        self.out.flush()
    }
}

impl<W: Write> Sink for Github<W> {
    fn checked(&mut self, checked: Checked) -> anyhow::Result<()> {
        for record in &checked.reports {
            for located in &record.findings {
                writeln!(self.out, "{}", command(record, located))?;
            }
        }
        Ok(())
    }
}

/// `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=HD304 phone-not-e164::message`
pub fn command(record: &RecordReport, located: &Located) -> String {
    let f = &located.finding;
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    format!(
        "::{name} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(file_of(record)),
        located.line,
        located.column,
        located.end_line,
        located.end_column,
        escape_property(&format!("{} {}", f.rule.code, f.rule.name)),
        escape_data(&f.message),
    )
}

/// A command's message, escaped as the runner unescapes it.
pub fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value: as a message, and `:` and `,` too, which end a property.
pub fn escape_property(text: &str) -> String {
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
