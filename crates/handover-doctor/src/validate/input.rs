//! Inputs: which sources a run reads, and how a source is cut into units of work in bounded memory.

use std::cell::OnceCell;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::Gitignore;
use ignore::overrides::{Override, OverrideBuilder};

use crate::cli::SelectArgs;
use crate::error::Error;

mod walk;

/// Extensions picked up when a directory is searched for payloads.
pub const EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson"];

/// Extensions picked up when a directory is searched for Cognigy log exports, which come as JSON,
/// JSON Lines or CSV.
pub const LOG_EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson", "csv"];

/// Extensions picked up when a directory is searched for flows and scripts: Desktop Studio
/// scripts are XML; JSON payloads and other XML are passed over by their content.
pub const LINT_EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson", "xml"];

/// The largest record checked unless `--max-record-bytes` says otherwise; a larger one gets HD105.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// Target size of a unit of JSON Lines work: big enough to amortise hand-offs between threads,
/// small enough that a few in flight stay far below the memory budget.
pub const CHUNK_BYTES: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The bytes of a source, as they are read.
type Reader = Box<dyn Read + Send>;

#[derive(Debug, Clone)]
pub struct Source {
    /// The name findings are reported under: the path as found, or `<stdin>`.
    pub name: Arc<str>,
    pub path: Option<PathBuf>,
    /// One payload per line rather than one JSON document.
    pub lines: bool,
}

impl Source {
    /// The source's reader, and whether it holds JSON Lines: standard input not said to be
    /// JSON Lines is looked at first, since a pipe has no extension to tell.
    pub fn open(&self) -> Result<(Box<dyn Read + Send>, bool), Error> {
        self.open_sized().map(|(reader, lines, _)| (reader, lines))
    }

    /// As [`Source::open`], with the length of a regular file: asked of the open file (`fstat`),
    /// which costs far less than a second look-up of its path in a directory of small files.
    pub fn open_sized(&self) -> Result<(Reader, bool, Option<u64>), Error> {
        match &self.path {
            None if self.lines => Ok((Box::new(io::stdin()), true, None)),
            None => {
                let mut stdin = io::stdin();
                let start = peek(&mut stdin).map_err(|e| Error::read("<stdin>", e))?;
                let lines = reads_as_lines(&start);
                if lines {
                    eprintln!(
                        "note: standard input reads as JSON Lines (one payload per line); --jsonl says so explicitly"
                    );
                }
                Ok((Box::new(io::Cursor::new(start).chain(stdin)), lines, None))
            }
            Some(path) => {
                let file = File::open(path).map_err(|e| Error::read(path, e))?;
                let metadata = file.metadata().ok();
                let size = metadata.filter(|m| m.is_file()).map(|m| m.len());
                Ok((Box::new(file), self.lines, size))
            }
        }
    }

    pub fn size(&self) -> Option<u64> {
        self.path
            .as_ref()
            .and_then(|p| p.metadata().ok())
            .map(|m| m.len())
    }

    /// The length of a regular file; none for standard input, a pipe or a device, whose length
    /// says nothing of what a read will find.
    pub fn file_size(&self) -> Option<u64> {
        let metadata = self.path.as_ref()?.metadata().ok()?;
        metadata.is_file().then_some(metadata.len())
    }
}

/// Reads the start of standard input: enough to see its first line and whether another follows,
/// and no more, so that a stream (`tail -f`) is not held up.
fn peek(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut start = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    while start.len() < CHUNK_BYTES && first_line(&start).is_none_or(|(_, rest)| is_blank(rest)) {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => start.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(start)
}

/// The first non-blank line of `start` when it is complete, and what follows it.
fn first_line(start: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut rest = start.strip_prefix(BOM).unwrap_or(start);
    loop {
        let end = memchr::memchr(b'\n', rest)?;
        let (line, after) = (&rest[..end], &rest[end + 1..]);
        if !is_blank(line) {
            return Some((line, after));
        }
        rest = after;
    }
}

/// Whether the start of an input reads as JSON Lines: its first line is a whole JSON value and
/// more lines follow. One pretty-printed document starts with a line that is not.
pub fn reads_as_lines(start: &[u8]) -> bool {
    first_line(start).is_some_and(|(line, rest)| {
        !is_blank(rest) && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok()
    })
}

fn is_lines_path(path: &Path) -> bool {
    has_extension(path, &["jsonl", "ndjson"])
}

/// The inputs a run found on the paths it was given: none, by default.
#[derive(Default)]
pub struct Found {
    pub sources: Vec<Source>,
    /// Paths that could not be read, beside the sources, so one bad path does not hide the
    /// findings in the others.
    pub unreadable: Vec<Error>,
    /// For each directory in which nothing matched: why.
    pub empty: Vec<String>,
}

impl Found {
    /// Why there is nothing to check, when no input matched at all and a directory was searched.
    pub fn nothing_to_check(&self) -> Option<String> {
        (self.sources.is_empty() && !self.empty.is_empty())
            .then(|| format!("nothing to check: {}", self.empty.join("; ")))
    }

    /// Says on stderr which directories held nothing, when others did: a mistyped path among
    /// good ones does not stop the run, but should not pass unseen.
    pub fn warn_empty(&self) {
        if !self.sources.is_empty() {
            for why in &self.empty {
                eprintln!("warning: {why}, so nothing there is checked");
            }
        }
    }
}

/// Expands the user's paths into sources, in a stable order: files named are read whatever they
/// are called; directories are searched as ripgrep searches them, for payload files.
pub fn discover(paths: &[PathBuf], select: &SelectArgs, jsonl: bool) -> Result<Found, Error> {
    discover_with(paths, select, jsonl, EXTENSIONS)
}

/// As [`discover`], with directories searched for files named with one of `extensions`.
pub fn discover_with(
    paths: &[PathBuf],
    select: &SelectArgs,
    jsonl: bool,
    extensions: &'static [&'static str],
) -> Result<Found, Error> {
    let selection = Selection::new(select, extensions)?;
    let mut found = Found {
        sources: Vec::new(),
        unreadable: Vec::new(),
        empty: Vec::new(),
    };
    for path in paths {
        if path.as_os_str() == "-" {
            found.sources.push(Source {
                name: Arc::from("<stdin>"),
                path: None,
                lines: jsonl,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let errors = found.unreadable.len();
                let (files, _) = selection.search(path, selection.user, &mut found.unreadable);
                // A directory that could not be listed is reported as such, not as empty.
                if files.is_empty() && found.unreadable.len() == errors {
                    found.empty.push(selection.explain(path));
                }
                found
                    .sources
                    .extend(files.into_iter().map(|file| source_for(file, jsonl)));
            }
            Ok(_) => found.sources.push(source_for(path.clone(), jsonl)),
            Err(e) => found.unreadable.push(Error::read(path, e)),
        }
    }
    Ok(found)
}

/// The source a path found is: the path itself, not a copy, since a directory of small files
/// holds tens of thousands of them.
fn source_for(path: PathBuf, force_lines: bool) -> Source {
    Source {
        // A path that is UTF-8, as nearly all are, is its name as it is, without the lossy pass.
        name: path
            .to_str()
            .map_or_else(|| Arc::from(path.display().to_string()), Arc::from),
        lines: force_lines || is_lines_path(&path),
        path: Some(path),
    }
}

/// What a directory search leaves out: what the user chose, or less, to tell why a search found
/// nothing.
#[derive(Clone, Copy)]
struct Skip {
    ignored: bool,
    hidden: bool,
    globs: bool,
}

/// How directories are searched: the user's ignore, hidden and glob choices.
struct Selection {
    user: Skip,
    require_git: bool,
    /// Git's global excludes file, read when ignore files first count.
    global: OnceCell<Gitignore>,
    overrides: Override,
    /// Whether a glob names files to check, which are then checked whatever their extension.
    includes: bool,
    /// The extensions of the files a search picks up.
    extensions: &'static [&'static str],
}

impl Selection {
    fn new(args: &SelectArgs, extensions: &'static [&'static str]) -> Result<Self, Error> {
        // Globs are rooted where the user stands, as ripgrep roots them.
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let mut builder = OverrideBuilder::new(root);
        for glob in &args.globs {
            builder
                .add(glob)
                .map_err(|e| Error::Usage(format!("--glob {glob}: {e}")))?;
        }
        let overrides = builder
            .build()
            .map_err(|e| Error::Usage(format!("--glob: {e}")))?;
        Ok(Self {
            user: Skip {
                ignored: !args.no_ignore,
                hidden: !args.hidden,
                globs: true,
            },
            require_git: !args.no_require_git,
            global: OnceCell::new(),
            includes: overrides.num_whitelists() > 0,
            overrides,
            extensions,
        })
    }

    /// The payload files under `dir` that `skip` leaves, in order of their names at every level,
    /// and how many files the search came across in all. Symbolic links to directories are not
    /// followed, so a link loop cannot hang the search.
    fn search(&self, dir: &Path, skip: Skip, errors: &mut Vec<Error>) -> (Vec<PathBuf>, usize) {
        let globs = skip.globs && !self.overrides.is_empty();
        let rules = walk::Rules {
            overrides: globs.then_some(&self.overrides),
            hidden: skip.hidden,
            ignore_files: skip.ignored.then(|| walk::IgnoreFiles {
                global: self.global.get_or_init(|| Gitignore::global().0),
                require_git: self.require_git,
            }),
        };
        let mut files = Vec::new();
        let mut seen = 0;
        walk::search(dir, &rules, errors, |path| {
            seen += 1;
            let chosen = has_extension(&path, self.extensions)
                || (globs && self.includes && self.overrides.matched(&path, false).is_whitelist());
            if chosen {
                files.push(path);
            }
        });
        (files, seen)
    }

    /// Why a search of `dir` found nothing: searched again with fewer rules, what each rule left out.
    fn explain(&self, dir: &Path) -> String {
        let count = |skip| self.search(dir, skip, &mut Vec::new());
        let dir_name = dir.display();
        let (everything, all_files) = count(Skip {
            ignored: false,
            hidden: false,
            globs: false,
        });
        let everything = everything.len();
        if everything == 0 {
            return match all_files {
                0 => format!("`{dir_name}` holds no files"),
                1 => format!("the one file in `{dir_name}` is not named {}", self.named()),
                n => format!(
                    "none of the {n} files in `{dir_name}` is named {}",
                    self.named()
                ),
            };
        }
        let without_globs = if self.overrides.is_empty() {
            0
        } else {
            count(Skip {
                globs: false,
                ..self.user
            })
            .0
            .len()
        };
        let with_ignored = count(Skip {
            ignored: false,
            globs: false,
            ..self.user
        })
        .0
        .len();
        let mut reasons = Vec::new();
        let mut reason = |n: usize, what: &str| {
            if n > 0 {
                let verb = if n == 1 { "is" } else { "are" };
                reasons.push(format!("{n} {verb} {what}"));
            }
        };
        reason(without_globs, "excluded by --glob");
        reason(
            with_ignored.saturating_sub(without_globs),
            "ignored by .gitignore or .ignore (see --no-ignore)",
        );
        reason(
            everything.saturating_sub(with_ignored),
            "hidden (see --hidden)",
        );
        let files = if everything == 1 {
            "1 payload file".to_string()
        } else {
            format!("{everything} payload files")
        };
        format!("`{dir_name}` holds {files}, but {}", and_list(&reasons))
    }
}

impl Selection {
    /// `*.json, *.jsonl or *.ndjson`: the files a search picks up.
    fn named(&self) -> String {
        let names: Vec<String> = self.extensions.iter().map(|e| format!("*.{e}")).collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    extension(path).is_some_and(|e| {
        extensions
            .iter()
            .any(|x| x.as_bytes().eq_ignore_ascii_case(e))
    })
}

/// A path's extension, as `Path::extension` gives it. The usual path, `dir/name.ext`, is read
/// from the end of its bytes, up to the name's last dot: parsing its components, as
/// `Path::extension` does, cost as much as checking the file in a directory of small payloads,
/// and finding the name's start first, twice as much as this. A path ending in `.` or a separator
/// is left to `Path::extension`.
fn extension(path: &Path) -> Option<&[u8]> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let is_separator = |b: u8| std::path::is_separator(b.into());
    match bytes.last() {
        Some(&last) if last != b'.' && !is_separator(last) => {}
        _ => return path.extension().map(|e| e.as_encoded_bytes()),
    }
    let at = bytes.iter().rposition(|&b| b == b'.' || is_separator(b))?;
    // `.hidden` has no extension.
    let starts_name = at == 0 || is_separator(bytes[at - 1]);
    (bytes[at] == b'.' && !starts_name).then(|| &bytes[at + 1..])
}

/// A piece of one source to check.
pub enum Unit {
    /// Whole lines of a JSON Lines source; each non-blank line is a record.
    Lines {
        first_line: u64,
        first_index: u64,
        bytes: Chunk,
        /// Where each line ends (see [`line_ends`]): found once, by whoever makes the unit, for
        /// whoever checks it. The reader must walk the lines to number the next unit's, and a
        /// second search of every unit for its newlines, in the worker, cost as much again.
        ends: Vec<usize>,
    },
    /// A whole JSON document.
    Document { bytes: Chunk },
    /// A record over the size limit, skipped without being held in memory.
    TooLarge { line: u64, index: u64, len: u64 },
}

impl Unit {
    /// Whole lines, the first of them line `first_line` and, unless blank, record `first_index`.
    pub fn lines(first_line: u64, first_index: u64, bytes: Chunk) -> Unit {
        let ends = line_ends(&bytes);
        Unit::Lines {
            first_line,
            first_index,
            bytes,
            ends,
        }
    }
}

/// Bytes read, at the start of a buffer that stays initialized past them: a read into the room
/// after them needs no zeroing of that room first once the buffer has held that many bytes
/// (zeroing a chunk before every read cost as much as a twentieth of a run, on the reader's
/// thread).
pub struct Chunk {
    /// Initialized throughout; the bytes read are its first `len`.
    buf: Vec<u8>,
    len: usize,
}

impl Chunk {
    /// Room for `n` more bytes after those read, zeroed only where the buffer never reached.
    fn room(&mut self, n: usize) -> &mut [u8] {
        let end = self.len + n;
        if self.buf.len() < end {
            self.buf.resize(end, 0);
        }
        &mut self.buf[self.len..end]
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.room(bytes.len()).copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Drops the first `n` bytes read.
    fn drop_front(&mut self, n: usize) {
        self.buf.copy_within(n..self.len, 0);
        self.len -= n;
    }
}

impl From<Vec<u8>> for Chunk {
    fn from(buf: Vec<u8>) -> Self {
        let len = buf.len();
        Chunk { buf, len }
    }
}

impl std::ops::Deref for Chunk {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Chunk buffers handed back by the workers, and the workers' encoded output handed back by the
/// reporter, so that neither the reader nor a worker allocates (and the allocator does not move
/// memory between threads) for every chunk.
#[derive(Default)]
pub struct Buffers {
    spare: Mutex<Vec<Vec<u8>>>,
    /// Chunk buffers, kept apart and kept initialized, so that a reader never zeroes room again
    /// that a read into the buffer filled before.
    chunks: Mutex<Vec<Vec<u8>>>,
}

impl Buffers {
    /// Spare buffers kept of each kind; more would only hold memory.
    const KEEP: usize = 8;

    pub fn take(&self) -> Vec<u8> {
        Self::pop(&self.spare)
    }

    pub fn give(&self, mut buf: Vec<u8>) {
        buf.clear();
        Self::push(&self.spare, buf);
    }

    /// An empty chunk, in a buffer that held one before when there is one.
    pub fn take_chunk(&self) -> Chunk {
        Chunk {
            buf: Self::pop(&self.chunks),
            len: 0,
        }
    }

    pub fn give_chunk(&self, chunk: Chunk) {
        Self::push(&self.chunks, chunk.buf);
    }

    fn pop(spare: &Mutex<Vec<Vec<u8>>>) -> Vec<u8> {
        spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    fn push(spare: &Mutex<Vec<Vec<u8>>>, buf: Vec<u8>) {
        if let Ok(mut spare) = spare.lock()
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
    /// The source's length by its metadata, until the first read, which it sizes.
    expected: Option<u64>,
    /// The source has been read to its end.
    ended: bool,
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
            expected: None,
            ended: false,
        }
    }

    /// The source is a file `size` bytes long by its metadata, when that is known.
    pub fn expecting(mut self, size: Option<u64>) -> Self {
        self.expected = size;
        self
    }

    /// Reads into `buf` until it holds `want` bytes or the source ends; returns the bytes added.
    fn fill(&mut self, buf: &mut Chunk, want: usize) -> io::Result<usize> {
        let before = buf.len();
        if self.ended {
            return Ok(0);
        }
        let limit = want.saturating_sub(before);
        match self.expected.take() {
            Some(expected) => self.read_expected(buf, expected, limit)?,
            None => self.read_chunks(buf, want)?,
        }
        // Both reads stop short of the limit only at the end: no need to ask again.
        self.ended = buf.len() - before < limit;
        if !self.started {
            self.started = true;
            if buf.starts_with(BOM) {
                buf.drop_front(BOM.len());
            }
        }
        Ok(buf.len().saturating_sub(before))
    }

    /// Reads into `buf` until it holds `want` bytes or the source ends, straight into the buffer a
    /// chunk at a time: `read_to_end` starts small and doubles, a dozen reads a chunk. No more
    /// room than a chunk: `want` may be a limit far beyond what the source holds.
    fn read_chunks(&mut self, buf: &mut Chunk, want: usize) -> io::Result<()> {
        while buf.len < want {
            let room = buf.room((want - buf.len).min(CHUNK_BYTES));
            match self.reader.read(room) {
                Ok(0) => break,
                Ok(n) => buf.len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads into `buf` the `expected` bytes a file holds by its metadata, up to `limit` bytes:
    /// into a buffer of that size, in one call when the file still holds them, instead of calls
    /// into a buffer that grows from nothing. A first read that asked for one byte more than the
    /// metadata's size and got exactly that size has found the end: a regular file answers short
    /// only at its end, so the probe for the end that `std::fs::read` makes (a second call per
    /// file, a fifth of the calls a directory of small files costs) is left out. A file that grew
    /// since fills the spare byte and is read on; one that shrank is read until a read finds
    /// nothing. A size of 0 (a pipe, a device, `/proc`) proves nothing and is read to the end.
    fn read_expected(&mut self, buf: &mut Chunk, expected: u64, limit: usize) -> io::Result<()> {
        let want = expected.saturating_add(1).min(limit as u64) as usize;
        let room = buf.room(want);
        let mut filled = 0;
        let read = loop {
            if filled == want {
                break Ok(());
            }
            match self.reader.read(&mut room[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) if filled == 0 && n as u64 == expected => {
                    filled = n;
                    break Ok(());
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        buf.len += filled;
        read?;
        if filled == want && want < limit {
            buf.buf.truncate(buf.len);
            (&mut self.reader)
                .take((limit - want) as u64)
                .read_to_end(&mut buf.buf)?;
            buf.len = buf.buf.len();
        }
        Ok(())
    }

    fn document(&mut self) -> io::Result<Option<Unit>> {
        let limit = self.max_record.saturating_add(1).min(usize::MAX as u64) as usize;
        // The worker gives it back: a directory of small files reuses a few buffers, not one each.
        let mut buf = self.buffers.take_chunk();
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
        let mut buf = self.buffers.take_chunk();
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
            if buf.len() >= CHUNK_BYTES
                && let Some(p) = last_newline
            {
                self.carry.extend_from_slice(&buf[p + 1..]);
                buf.truncate(p + 1);
                return Ok(Some(self.lines_unit(buf)));
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
    fn lines_unit(&mut self, bytes: Chunk) -> Unit {
        let unit = Unit::lines(self.next_line, self.next_index, bytes);
        if let Unit::Lines { bytes, ends, .. } = &unit {
            self.next_line += ends.len() as u64;
            let records = split_lines(bytes, ends, 0).filter(|(_, line)| !is_blank(line));
            self.next_index += records.count() as u64;
        }
        unit
    }
}

/// Whether a line holds only whitespace. Records start with `{`, so the first byte usually decides.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// Where each line of `bytes` ends: at its newline, or at the end of the bytes for a final line
/// without one (which is still a line).
pub fn line_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends: Vec<usize> = memchr::memchr_iter(b'\n', bytes).collect();
    if bytes.last().is_some_and(|&b| b != b'\n') {
        ends.push(bytes.len());
    }
    ends
}

/// The lines of a unit with their line numbers, blank ones included (callers skip them), from
/// the ends [`line_ends`] found.
pub fn split_lines<'b>(
    bytes: &'b [u8],
    ends: &'b [usize],
    first_line: u64,
) -> impl Iterator<Item = (u64, &'b [u8])> {
    let mut start = 0;
    (first_line..).zip(ends).map(move |(line, &end)| {
        let text = &bytes[start..end];
        start = end + 1;
        (line, text)
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
                    ends,
                } => {
                    for (line, text) in split_lines(&bytes, &ends, first_line) {
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

    /// Chunk buffers go back to the reader as the workers give them back, still holding what was
    /// read before: what each unit holds is only what was read into it.
    #[test]
    fn a_chunk_given_back_holds_only_what_is_read_into_it_again() {
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(CHUNK_BYTES / 3));
        let input =
            format!("\u{feff}{long}\r\n\n  \n{{}}\n{long}\n{{\"b\":1}}\n{long}\n{long}\n[]");
        for most in [7, 4096, usize::MAX] {
            let buffers = Buffers::default();
            let mut file = Reads {
                data: input.as_bytes(),
                most,
                calls: 0,
            };
            let mut units = Units::new(&mut file, true, CHUNK_BYTES as u64, &buffers);
            let mut lines = Vec::new();
            let mut next = (1, 0);
            while let Some(unit) = units.next_unit().unwrap() {
                let Unit::Lines {
                    first_line,
                    first_index,
                    bytes,
                    ends,
                } = unit
                else {
                    unreachable!()
                };
                assert_eq!((first_line, first_index), next, "reads of {most}");
                for (line, text) in split_lines(&bytes, &ends, first_line) {
                    lines.push((line, String::from_utf8(text.to_vec()).unwrap()));
                    next = (line + 1, next.1 + u64::from(!is_blank(text)));
                }
                buffers.give_chunk(bytes);
            }
            let expected: Vec<(u64, String)> = input
                .trim_start_matches('\u{feff}')
                .split('\n')
                .enumerate()
                .map(|(i, text)| (i as u64 + 1, text.to_string()))
                .collect();
            assert_eq!(lines, expected, "reads of {most}");
        }
    }

    /// A file as reads see it: at most `most` bytes a call, and the calls counted.
    struct Reads<'a> {
        data: &'a [u8],
        most: usize,
        calls: usize,
    }

    impl Read for Reads<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            let n = buf.len().min(self.most).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// What `next_unit` makes of `data` read as `lines` or a document, when its metadata said
    /// `expected` bytes, and how many read calls that took.
    fn read_expecting(
        data: &[u8],
        lines: bool,
        expected: u64,
        most: usize,
    ) -> (Vec<String>, usize) {
        let buffers = Buffers::default();
        let mut file = Reads {
            data,
            most,
            calls: 0,
        };
        let mut units = Units::new(&mut file, lines, 1 << 16, &buffers).expecting(Some(expected));
        let mut out = Vec::new();
        while let Some(unit) = units.next_unit().unwrap() {
            out.push(match unit {
                Unit::Lines { bytes, .. } | Unit::Document { bytes } => {
                    String::from_utf8(bytes.to_vec()).unwrap()
                }
                Unit::TooLarge { len, .. } => format!("too large {len}"),
            });
        }
        drop(units);
        (out, file.calls)
    }

    #[test]
    fn extensions_are_read_as_path_extension_reads_them() {
        for path in [
            "a.json",
            "dir/a.JSONL",
            "dir.d/a",
            "dir.d/a.b/c",
            "dir.d/.hidden",
            "dir/.x/y.json",
            "a",
            "a/b.",
            "dir/.hidden.json",
            "a.b.ndjson",
            "a.",
            "dir/..",
            "dir/.",
            "dir/a.json/",
            "dir/a.json/.",
            ".json",
            "..json",
            "/",
            "",
            "é/ü.jsön",
            "./a.json",
        ] {
            let p = Path::new(path);
            assert_eq!(
                super::extension(p),
                p.extension().map(|e| e.as_encoded_bytes()),
                "{path:?}"
            );
        }
        assert!(super::is_lines_path(Path::new("logs/day.NDJSON")));
        assert!(!super::is_lines_path(Path::new("logs/jsonl")));
    }

    #[test]
    fn a_file_as_long_as_its_metadata_says_is_read_in_one_call() {
        let doc = format!("{{\"a\": \"{}\"}}", "x".repeat(300));
        let (out, calls) = read_expecting(doc.as_bytes(), false, doc.len() as u64, usize::MAX);
        assert_eq!((out, calls), (vec![doc.clone()], 1));

        let lines = "{}\n{\"b\": 1}\n";
        let (out, calls) = read_expecting(lines.as_bytes(), true, lines.len() as u64, usize::MAX);
        assert_eq!((out, calls), (vec![lines.to_string()], 1));

        let with_bom = format!("\u{feff}{doc}");
        let (out, calls) =
            read_expecting(with_bom.as_bytes(), false, with_bom.len() as u64, 1 << 20);
        assert_eq!((out, calls), (vec![doc], 1));
    }

    #[test]
    fn a_file_that_grew_or_shrank_since_its_metadata_is_read_to_its_end() {
        let doc = format!("{{\"a\": \"{}\"}}", "x".repeat(300));
        let lines = "{}\n{\"b\": 1}\n[]\n".repeat(40);
        for expected in [0, 1, 7, 200, 307, 308, 309, 2000] {
            // Short reads, as a pipe or a network file system gives them.
            for most in [5, usize::MAX] {
                let (out, _) = read_expecting(doc.as_bytes(), false, expected, most);
                assert_eq!(
                    out,
                    vec![doc.clone()],
                    "expected {expected}, reads of {most}"
                );
                let (out, _) = read_expecting(lines.as_bytes(), true, expected, most);
                assert_eq!(out.concat(), lines, "expected {expected}, reads of {most}");
            }
        }
    }

    #[test]
    fn a_file_that_grew_past_the_limit_since_its_metadata_is_too_large() {
        let doc = format!("{{\"a\": \"{}\"}}", "x".repeat(1 << 17));
        for expected in [10, 1 << 16, 1 << 20] {
            let (out, _) = read_expecting(doc.as_bytes(), false, expected, 4096);
            assert_eq!(
                out,
                vec![format!("too large {}", doc.len())],
                "expected {expected}"
            );
        }
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
