//! The baseline for scripts/bench-validate.sh: a plain serde_json parse of every line of a JSON Lines
//! file into `serde_json::Value`, with no checks. Prints records/s so the script can compare.
//!
//! usage: parse_baseline FILE

use std::io::{BufRead, BufReader};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).expect("usage: parse_baseline FILE");
    let started = Instant::now();
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut line = Vec::new();
    let (mut records, mut invalid) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        records += 1;
        if serde_json::from_slice::<serde_json::Value>(&line).is_err() {
            invalid += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "records={records} invalid={invalid} seconds={seconds:.3} records_per_second={:.0}",
        records as f64 / seconds
    );
    Ok(())
}
