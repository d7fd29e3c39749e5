//! What the bench binaries share: JSON Lines streamed the way `handover-doctor validate` streams
//! them (1 MiB reads, lines split with memchr), so that a baseline differs from the tool only in
//! what it does with a line.

use std::fs::File;
use std::io::{self, Read};
use std::time::Instant;

/// The tool's chunk size (`CHUNK_BYTES` in crates/handover-doctor/src/validate/input.rs).
const CHUNK: usize = 1 << 20;

/// Calls `each` with every non-blank line of the file at `path` and its line number (from 1).
pub fn each_line(path: &str, mut each: impl FnMut(u64, &[u8])) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 2 * CHUNK];
    // Bytes of a line cut by the end of the previous read, already at the front of `buf`.
    let mut kept = 0;
    let mut line = 0;
    loop {
        if buf.len() - kept < CHUNK {
            buf.resize(kept + CHUNK, 0);
        }
        let n = match file.read(&mut buf[kept..kept + CHUNK]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let end = kept + n;
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', &buf[kept..end]) {
            line += 1;
            let text = &buf[start..kept + newline];
            if !is_blank(text) {
                each(line, text);
            }
            start = kept + newline + 1;
        }
        if n == 0 {
            if !is_blank(&buf[start..end]) {
                each(line + 1, &buf[start..end]);
            }
            return Ok(());
        }
        buf.copy_within(start..end, 0);
        kept = end - start;
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Times `run`, which returns how many records it read, and prints the rate as the bench script
/// reads it.
pub fn timed(run: impl FnOnce() -> io::Result<(u64, u64)>) -> io::Result<()> {
    let started = Instant::now();
    let (records, invalid) = run()?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "records={records} invalid={invalid} seconds={seconds:.3} records_per_second={:.0}",
        records as f64 / seconds
    );
    Ok(())
}

/// What `ignored-any` and `value` do: parse every line of the file named on the command line into
/// a `T`, count the lines that are not JSON, and print the rate.
pub fn parse_every_line<T: serde::de::DeserializeOwned>(usage: &str) -> io::Result<()> {
    let path = path_argument(usage);
    timed(|| {
        let (mut records, mut invalid) = (0, 0);
        each_line(&path, |_, line| {
            records += 1;
            if serde_json::from_slice::<T>(line).is_err() {
                invalid += 1;
            }
        })?;
        Ok((records, invalid))
    })
}

/// The one argument, a path, or a usage message.
pub fn path_argument(usage: &str) -> String {
    match std::env::args().nth(1) {
        Some(path) => path,
        None => {
            eprintln!("usage: {usage}");
            std::process::exit(2)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_cut_by_a_read_and_a_last_line_without_newline_are_whole() {
        let dir = std::env::temp_dir().join(format!("bench-peers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lines.jsonl");
        let long = "x".repeat(super::CHUNK + 10);
        std::fs::write(&path, format!("{{}}\n\n\"{long}\"\n[1]")).unwrap();
        let mut seen = Vec::new();
        super::each_line(path.to_str().unwrap(), |n, text| seen.push((n, text.len()))).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(seen, vec![(1, 2), (3, long.len() + 2), (4, 3)]);
    }
}
