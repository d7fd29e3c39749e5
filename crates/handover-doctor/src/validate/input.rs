//! Inputs: which sources a run reads, and how a source is cut into units of work in bounded memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::Error;

/// Extensions picked up when a directory is searched.
const EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson"];

/// Target size of a unit of JSON Lines work: big enough to amortise hand-offs between threads,
/// small enough that a few in flight stay far below the memory budget.
pub const CHUNK_BYTES: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Clone)]
pub struct Source {
    /// The name findings are reported under: the path as found, or `<stdin>`.
    pub name: Arc<str>,
    pub path: Option<PathBuf>,
    /// One payload per line rather than one JSON document.
    pub lines: bool,
}

impl Source {
    pub fn open(&self) -> Result<Box<dyn Read + Send>, Error> {
        match &self.path {
            None => Ok(Box::new(io::stdin())),
            Some(path) => File::open(path)
                .map(|f| Box::new(f) as Box<dyn Read + Send>)
                .map_err(|e| Error::read(path, e)),
        }
    }

    pub fn size(&self) -> Option<u64> {
        self.path
            .as_ref()
            .and_then(|p| p.metadata().ok())
            .map(|m| m.len())
    }
}

fn is_lines_path(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("jsonl" | "ndjson")
    )
}

/// Expands the user's paths into sources, in a stable order. Paths that cannot be read are returned
/// as errors beside the sources, so one bad path does not hide the findings in the others.
pub fn discover(paths: &[PathBuf], force_lines: bool) -> (Vec<Source>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source {
                name: Arc::from("<stdin>"),
                path: None,
                lines: force_lines,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, force_lines, &mut sources, &mut errors),
            Ok(_) => sources.push(source_for(path, force_lines)),
            Err(e) => errors.push(Error::read(path, e)),
        }
    }
    (sources, errors)
}

fn source_for(path: &Path, force_lines: bool) -> Source {
    Source {
        name: Arc::from(path.display().to_string()),
        path: Some(path.to_path_buf()),
        lines: force_lines || is_lines_path(path),
    }
}

fn walk(dir: &Path, force_lines: bool, sources: &mut Vec<Source>, errors: &mut Vec<Error>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Error::read(dir, e));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        match entry {
            // Symbolic links to directories are not followed, so a link loop cannot hang the walk.
            Ok(entry) => match entry.file_type() {
                Ok(t) => paths.push((entry.path(), t.is_dir())),
                Err(e) => errors.push(Error::read(entry.path(), e)),
            },
            Err(e) => errors.push(Error::read(dir, e)),
        }
    }
    paths.sort();
    for (path, is_dir) in paths {
        if is_dir {
            walk(&path, force_lines, sources, errors);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        {
            sources.push(source_for(&path, force_lines));
        }
    }
}

/// A piece of one source to check.
pub enum Unit {
    /// Whole lines of a JSON Lines source; each non-blank line is a record.
    Lines {
        first_line: u64,
        first_index: u64,
        bytes: Vec<u8>,
    },
    /// A whole JSON document.
    Document { bytes: Vec<u8> },
    /// A record over the size limit, skipped without being held in memory.
    TooLarge { line: u64, index: u64, len: u64 },
}

/// Chunk buffers handed back by the workers, so the reader does not allocate (and the allocator
/// does not move memory between threads) for every chunk.
#[derive(Default)]
pub struct Buffers(Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// Spare buffers kept; more would only hold memory.
    const KEEP: usize = 8;

    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    pub fn give(&self, mut buf: Vec<u8>) {
        buf.clear();
        if let Ok(mut spare) = self.0.lock()
            && spare.len() < Self::KEEP
        {
            spare.push(buf);
        }
    }
}

/// Cuts a source into units: JSON Lines in chunks of whole lines, a document whole.
pub struct Units<'b, R> {
    reader: R,
    buffers: &'b Buffers,
    lines: bool,
    max_record: u64,
    carry: Vec<u8>,
    next_line: u64,
    next_index: u64,
    started: bool,
    done: bool,
}

impl<'b, R: Read> Units<'b, R> {
    pub fn new(reader: R, lines: bool, max_record: u64, buffers: &'b Buffers) -> Self {
        Self {
            reader,
            buffers,
            lines,
            max_record,
            carry: Vec::new(),
            next_line: 1,
            next_index: 0,
            started: false,
            done: false,
        }
    }

    /// Reads into `buf` until it holds `want` bytes or the source ends; returns the bytes added.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
        let before = buf.len();
        let limit = want.saturating_sub(before);
        (&mut self.reader).take(limit as u64).read_to_end(buf)?;
        if !self.started {
            self.started = true;
            if buf.starts_with(BOM) {
                buf.drain(..BOM.len());
            }
        }
        Ok(buf.len().saturating_sub(before))
    }

    fn document(&mut self) -> io::Result<Option<Unit>> {
        let limit = self.max_record.saturating_add(1).min(usize::MAX as u64) as usize;
        let mut buf = Vec::new();
        self.fill(&mut buf, limit)?;
        if buf.len() as u64 > self.max_record {
            let rest = io::copy(&mut self.reader, &mut io::sink())?;
            return Ok(Some(Unit::TooLarge {
                line: 1,
                index: 0,
                len: buf.len() as u64 + rest,
            }));
        }
        Ok(Some(Unit::Document { bytes: buf }))
    }

    /// Skips the rest of an over-long line whose first `seen` bytes were read; returns its length.
    fn skip_line(&mut self, seen: u64) -> io::Result<u64> {
        let mut len = seen;
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = match self.reader.read(&mut buf) {
                Ok(0) => return Ok(len),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if let Some(end) = buf[..n].iter().position(|&b| b == b'\n') {
                self.carry.extend_from_slice(&buf[end + 1..n]);
                return Ok(len + end as u64);
            }
            len += n as u64;
        }
    }

    pub fn next_unit(&mut self) -> io::Result<Option<Unit>> {
        if self.done {
            return Ok(None);
        }
        if !self.lines {
            self.done = true;
            return self.document();
        }
        let mut buf = self.buffers.take();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        loop {
            let last_newline = memchr::memrchr(b'\n', &buf);
            let tail = buf.len() - last_newline.map_or(0, |p| p + 1);
            if tail as u64 > self.max_record {
                if let Some(p) = last_newline {
                    self.carry.extend_from_slice(&buf[p + 1..]);
                    buf.truncate(p + 1);
                    return Ok(Some(self.lines_unit(buf)));
                }
                let line = self.next_line;
                let index = self.next_index;
                let len = self.skip_line(buf.len() as u64)?;
                self.next_line += 1;
                self.next_index += 1;
                return Ok(Some(Unit::TooLarge { line, index, len }));
            }
            if buf.len() >= CHUNK_BYTES {
                if let Some(p) = last_newline {
                    self.carry.extend_from_slice(&buf[p + 1..]);
                    buf.truncate(p + 1);
                    return Ok(Some(self.lines_unit(buf)));
                }
            }
            let want = buf.len() + CHUNK_BYTES;
            if self.fill(&mut buf, want)? == 0 {
                self.done = true;
                if buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.lines_unit(buf)));
            }
        }
    }

    /// Wraps whole lines as a unit, and advances the line and record counters past them.
    fn lines_unit(&mut self, bytes: Vec<u8>) -> Unit {
        let unit = Unit::Lines {
            first_line: self.next_line,
            first_index: self.next_index,
            bytes,
        };
        if let Unit::Lines { bytes, .. } = &unit {
            for (_, line) in split_lines(bytes, 0) {
                self.next_line += 1;
                if !is_blank(line) {
                    self.next_index += 1;
                }
            }
        }
        unit
    }
}

/// Whether a line holds only whitespace. Records start with `{`, so the first byte usually decides.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// The lines of a unit with their line numbers, blank ones included (callers skip them). A final
/// line without a newline is still a line.
pub fn split_lines(bytes: &[u8], first_line: u64) -> impl Iterator<Item = (u64, &[u8])> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', bytes);
    let mut line = first_line;
    std::iter::from_fn(move || {
        let end = match ends.next() {
            Some(end) => end,
            None if start < bytes.len() => bytes.len(),
            None => return None,
        };
        let item = (line, &bytes[start..end]);
        start = end + 1;
        line += 1;
        Some(item)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], max: u64) -> Vec<String> {
        let buffers = Buffers::default();
        let mut units = Units::new(input, true, max, &buffers);
        let mut out = Vec::new();
        while let Some(unit) = units.next_unit().unwrap() {
            match unit {
                Unit::Lines {
                    first_line,
                    first_index,
                    bytes,
                } => {
                    for (line, text) in split_lines(&bytes, first_line) {
                        out.push(format!("{line}:{}", String::from_utf8_lossy(text)));
                    }
                    out.push(format!("index {first_index}"));
                }
                Unit::TooLarge { line, index, len } => {
                    out.push(format!("too large {line} {index} {len}"))
                }
                Unit::Document { .. } => unreachable!(),
            }
        }
        out
    }

    #[test]
    fn lines_keep_their_numbers_and_bom_goes() {
        let out = collect(b"\xEF\xBB\xBF{}\n\n{\"a\":1}", 100);
        assert_eq!(out, vec!["1:{}", "2:", "3:{\"a\":1}", "index 0"]);
    }

    #[test]
    fn an_over_long_line_is_skipped_not_buffered() {
        let long = "x".repeat(3 * CHUNK_BYTES);
        let input = format!("{{}}\n{long}\n{{}}\n");
        let out = collect(input.as_bytes(), CHUNK_BYTES as u64);
        let too_large = format!("too large 2 1 {}", 3 * CHUNK_BYTES);
        assert_eq!(out, vec!["1:{}", "index 0", &too_large, "3:{}", "index 2"]);
    }

    #[test]
    fn a_document_over_the_limit_is_too_large() {
        let buffers = Buffers::default();
        let mut units = Units::new(&b"{\"a\": 12345}"[..], false, 5, &buffers);
        assert!(matches!(
            units.next_unit().unwrap(),
            Some(Unit::TooLarge { len: 12, .. })
        ));
        assert!(units.next_unit().unwrap().is_none());
    }
}
