//! The peer a user would pick instead of the tool: the `jsonschema` crate validating every line
//! against the schema `handover-doctor schema` prints, and printing every error with its line
//! number, as a user's script would.
//!
//! usage: jsonschema-peer SCHEMA FILE

use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(schema), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: jsonschema-peer SCHEMA FILE");
        std::process::exit(2)
    };
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(&schema)?)?;
    let validator = match jsonschema::validator_for(&schema) {
        Ok(validator) => validator,
        Err(e) => {
            eprintln!("the schema does not compile: {e}");
            std::process::exit(2)
        }
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut write_error = None;
    bench_peers::timed(|| {
        let (mut records, mut invalid) = (0, 0);
        bench_peers::each_line(&path, |line, text| {
            records += 1;
            let written = match serde_json::from_slice::<serde_json::Value>(text) {
                Err(e) => {
                    invalid += 1;
                    writeln!(out, "{path}:{line}: not JSON: {e}")
                }
                Ok(record) => {
                    let mut errors = validator.iter_errors(&record).peekable();
                    if errors.peek().is_some() {
                        invalid += 1;
                    }
                    errors.try_for_each(|error| {
                        writeln!(out, "{path}:{line}: {}: {error}", error.instance_path)
                    })
                }
            };
            if let Err(e) = written {
                write_error.get_or_insert(e);
            }
        })?;
        Ok((records, invalid))
    })?;
    match write_error {
        Some(e) => Err(e),
        None => out.flush(),
    }
}
