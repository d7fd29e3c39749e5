//! `logs --pull --out DIR`: a Cognigy project's log fetched over the API into one JSON Lines file
//! per UTC day, each line an entry exactly as the API sent it, before Cognigy deletes it (a day
//! after it was written). Only GETs are sent, and only DIR is written.
//!
//! A cursor file in DIR says how far the files are whole: the newest timestamp written, the ids
//! of the entries at it, and each file's length. A run appends, syncs, then moves the cursor
//! (atomically), so a run that stops half way leaves either whole entries the cursor counts or
//! bytes past a file's counted length, which the next run cuts off and fetches again: no entry is
//! written twice, and none the cursor counts is lost.
//!
//! No public source shows whether the API lists entries oldest or newest first, nor a time filter
//! (docs/logs.md). So each run reads the list from its start and keeps the entries newer than the
//! cursor. While the list comes oldest first, the cursor moves after every page; otherwise only at
//! the end, and the run stops at the first page that holds nothing newer than what it wants.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::cli::LogsArgs;
use crate::error::Error;
use crate::report::Format;
use crate::settings::{Config, resolve};

/// Pages of 100 one run reads at most: two million entries, a busy project's day twice over.
const MAX_PAGES: u32 = 20_000;

/// Where the last pull stopped, kept in DIR beside the files.
#[derive(Serialize, Deserialize, Default, Debug, Clone)]
struct Cursor {
    project: String,
    /// The newest entry's timestamp written, RFC 3339.
    #[serde(default)]
    timestamp: Option<String>,
    /// The entries at that timestamp (their `_id`, or the whole entry when it has none): a later
    /// pull skips them, and takes the others of the same millisecond.
    #[serde(default)]
    ids: BTreeSet<String>,
    /// Each file's length in bytes up to the last whole, counted entry.
    #[serde(default)]
    files: BTreeMap<String, u64>,
}

/// The fields of an entry the pull reads; the entry itself is written as it came.
#[derive(Deserialize)]
struct Stamp {
    #[serde(default, rename = "_id")]
    id: Option<String>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
}

/// What one run wrote.
#[derive(Default)]
struct Written {
    entries: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    /// By file name: entries appended.
    files: BTreeMap<String, u64>,
    /// Entries with no readable timestamp: they belong to no day and are not written.
    undated: u64,
    pages: u32,
    read: usize,
    /// Bytes past the cursor an earlier, interrupted run left, cut off: by file name.
    cut: BTreeMap<String, u64>,
}

pub fn run(args: &LogsArgs, config: &Config) -> anyhow::Result<i32> {
    if args.session.is_some() || args.contact_id.is_some() {
        return Err(Error::Usage(
            "--session and --contact-id narrow what `logs` reads, not what a pull collects: pull the whole log, then read it with `logs DIR --session ID`".into(),
        )
        .into());
    }
    let out = args
        .out
        .clone()
        .ok_or_else(|| Error::Usage("--pull needs --out DIR".into()))?;
    let since = super::logs::instant(args.since.as_deref(), "--since")?;
    let until = super::logs::instant(args.until.as_deref(), "--until")?;
    let runtime = crate::runtime()?;
    let (client, project, demo) = super::cognigy::connect(
        &runtime,
        config,
        args.demo.as_deref(),
        args.cognigy_url.as_deref(),
        args.project.as_deref(),
        args.allow_insecure_http,
    )?;
    if project.is_empty()
        || !project
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Usage(format!(
            "project `{project}`: a Cognigy project id is letters and digits (it names the files written)"
        ))
        .into());
    }
    let client = client.with_max_pages(MAX_PAGES);
    std::fs::create_dir_all(&out).map_err(|e| Error::Write {
        path: out.clone(),
        source: e,
    })?;
    let mut pull = Pull::open(&out, &project)?;
    let written = runtime.block_on(pull.fetch(&client, since, until));
    drop(demo);
    let (written, truncated) = written?;
    for (name, bytes) in &written.cut {
        eprintln!(
            "note: {}: {bytes} bytes an interrupted pull wrote past its cursor were cut off and fetched again",
            out.join(name).display()
        );
    }
    if written.undated > 0 {
        eprintln!(
            "warning: {} entries had no readable timestamp and were not written",
            written.undated
        );
    }
    if let Some(truncated) = &truncated {
        eprintln!(
            "warning: {} held more than {} pages; {} entries read, the rest not pulled",
            truncated.endpoint, truncated.pages, truncated.read
        );
    }
    report(args, config, &out, &project, &written, &pull.cursor)?;
    Ok(0)
}

/// What a run prints: on standard error for people, one JSON document on standard output for
/// `--format json` or `jsonl`.
fn report(
    args: &LogsArgs,
    config: &Config,
    out: &Path,
    project: &str,
    written: &Written,
    cursor: &Cursor,
) -> Result<(), Error> {
    let text = |t: &Option<Timestamp>| t.map(|t| format!("{t:.3}"));
    let files: Vec<serde_json::Value> = written
        .files
        .iter()
        .map(|(name, entries)| {
            serde_json::json!({"path": out.join(name).display().to_string(), "entries": entries})
        })
        .collect();
    match resolve::format(&args.output, config) {
        Format::Json | Format::Jsonl => {
            let document = serde_json::json!({
                "pull": {
                    "project": project,
                    "out": out.display().to_string(),
                    "entries": written.entries,
                    "first": text(&written.first),
                    "last": text(&written.last),
                    "files": files,
                    "pages": written.pages,
                    "read": written.read,
                    "undated": written.undated,
                    "cursor": {"timestamp": cursor.timestamp, "ids": cursor.ids},
                }
            });
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{document}").map_err(|e| Error::Environment(e.to_string()))?;
        }
        _ => {
            if written.entries == 0 {
                eprintln!(
                    "pulled nothing new of project {project} ({} entries read in {} pages); {} is as it was",
                    written.read,
                    written.pages,
                    out.display()
                );
            } else {
                eprintln!(
                    "pulled {} new entries of project {project} ({} to {}) into {}:",
                    written.entries,
                    text(&written.first).unwrap_or_default(),
                    text(&written.last).unwrap_or_default(),
                    out.display()
                );
                for (name, entries) in &written.files {
                    eprintln!("  {}  +{entries}", out.join(name).display());
                }
            }
        }
    }
    Ok(())
}

/// A pull into one directory for one project.
struct Pull {
    dir: PathBuf,
    project: String,
    cursor_path: PathBuf,
    cursor: Cursor,
}

impl Pull {
    /// Reads the cursor, or starts one, and cuts every file back to the length it counts. A
    /// first run writes its cursor before any entry, so that bytes past it are always a run's
    /// that did not finish.
    fn open(dir: &Path, project: &str) -> Result<Self, Error> {
        let cursor_path = dir.join(format!(".handover-doctor-logs-cursor-{project}.json"));
        let cursor = match std::fs::read(&cursor_path) {
            Ok(bytes) => serde_json::from_slice::<Cursor>(&bytes).map_err(|e| {
                Error::Usage(format!(
                    "{} is not a cursor this tool wrote ({e}); move it away to pull again from the start",
                    cursor_path.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut cursor = Cursor {
                    project: project.to_string(),
                    ..Cursor::default()
                };
                // Files already there (a cursor moved away) are kept whole.
                for (name, len) in files_of(dir, project)? {
                    cursor.files.insert(name, len);
                }
                cursor
            }
            Err(e) => return Err(Error::read(&cursor_path, e)),
        };
        let pull = Self {
            dir: dir.to_path_buf(),
            project: project.to_string(),
            cursor_path,
            cursor,
        };
        pull.save()?;
        Ok(pull)
    }

    fn save(&self) -> Result<(), Error> {
        let bytes = serde_json::to_vec_pretty(&self.cursor).expect("a cursor serialises");
        crate::atomic::write(
            &self.cursor_path,
            &bytes,
            std::fs::Permissions::from_mode(0o600),
            true,
        )
        .map_err(|e| Error::Write {
            path: self.cursor_path.clone(),
            source: e,
        })
    }

    /// The file an entry written at `at` goes to: its UTC day's.
    fn name(&self, at: Timestamp) -> String {
        let day = at.to_zoned(jiff::tz::TimeZone::UTC).date();
        format!("cognigy-logs-{}-{day}.jsonl", self.project)
    }

    /// Fetches the log and appends what is new, moving the cursor as described above.
    async fn fetch(
        &mut self,
        client: &cxone_client::cognigy::CognigyClient,
        since: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<(Written, Option<cxone_client::Truncated>), Error> {
        let mut written = Written {
            cut: self.cut_back()?,
            ..Written::default()
        };
        let mark: Option<Timestamp> = self
            .cursor
            .timestamp
            .as_deref()
            .and_then(handover_logs::instant);
        let known = self.cursor.ids.clone();
        let mut newest = mark.map(|m| (m, known.clone()));
        let mut oldest_first = true;
        let mut previous: Option<Timestamp> = None;
        let mut open: BTreeMap<String, File> = BTreeMap::new();
        let mut pages = client.logs(&self.project);
        let result = loop {
            let page = match pages.next().await {
                Ok(Some(page)) => page,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            };
            written.pages += 1;
            written.read += page.len();
            let mut any_wanted = false;
            let mut appended: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            for raw in page {
                let (id, at) = stamp(&raw);
                let Some(at) = at else {
                    written.undated += 1;
                    continue;
                };
                if previous.is_some_and(|p| at < p) {
                    oldest_first = false;
                }
                previous = Some(previous.map_or(at, |p| p.max(at)));
                let new = match mark {
                    Some(m) => at > m || (at == m && !known.contains(&id)),
                    None => true,
                };
                let later = until.is_some_and(|u| at > u);
                let kept = new && !later && since.is_none_or(|s| at >= s);
                // An entry past --until says older ones may still be wanted.
                any_wanted |= kept || later;
                if !kept {
                    continue;
                }
                let line = appended.entry(self.name(at)).or_default();
                line.extend_from_slice(raw.get().as_bytes());
                line.push(b'\n');
                written.entries += 1;
                written.first = Some(written.first.map_or(at, |f| f.min(at)));
                written.last = Some(written.last.map_or(at, |l| l.max(at)));
                match &mut newest {
                    Some((n, ids)) if at == *n => {
                        ids.insert(id);
                    }
                    Some((n, _)) if at < *n => {}
                    _ => newest = Some((at, BTreeSet::from([id]))),
                }
            }
            for (name, bytes) in appended {
                let count = bytes.iter().filter(|b| **b == b'\n').count() as u64;
                self.append(&mut open, &name, &bytes)?;
                *written.files.entry(name).or_default() += count;
            }
            if oldest_first {
                self.checkpoint(&newest)?;
            } else if !any_wanted {
                // Newest first, and this page is all older than what is wanted: so is the rest.
                break Ok(());
            }
        };
        // After a failed page the cursor stays where the last page left it: a list that is not
        // oldest first may still hold older entries past the failure.
        if result.is_ok() {
            self.checkpoint(&newest)?;
        }
        let truncated = pages.truncated();
        result.map_err(|e| {
            Error::Environment(format!(
                "cannot pull the log of project {}: {e}; what was written before stays, and the next pull goes on from there",
                self.project
            ))
        })?;
        Ok((written, truncated))
    }

    /// Appends `bytes` to the file `name` and syncs it.
    fn append(
        &self,
        open: &mut BTreeMap<String, File>,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), Error> {
        let path = self.dir.join(name);
        let failed = |e| Error::Write {
            path: path.clone(),
            source: e,
        };
        if !open.contains_key(name) {
            // The log holds what callers said: readable by its owner alone.
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&path)
                .map_err(failed)?;
            open.insert(name.to_string(), file);
        }
        let file = open.get_mut(name).expect("opened above");
        file.write_all(bytes).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        Ok(())
    }

    /// Counts what the files hold now and moves the cursor to `newest`.
    fn checkpoint(&mut self, newest: &Option<(Timestamp, BTreeSet<String>)>) -> Result<(), Error> {
        for (name, len) in files_of(&self.dir, &self.project)? {
            self.cursor.files.insert(name, len);
        }
        if let Some((at, ids)) = newest {
            self.cursor.timestamp = Some(format!("{at:.3}"));
            self.cursor.ids = ids.clone();
        }
        self.save()
    }

    /// Cuts each file back to the length the cursor counts (a file it does not name to nothing):
    /// bytes past it are a run's that stopped before moving the cursor, fetched again now.
    fn cut_back(&self) -> Result<BTreeMap<String, u64>, Error> {
        let mut cut = BTreeMap::new();
        for (name, len) in files_of(&self.dir, &self.project)? {
            let counted = self.cursor.files.get(&name).copied().unwrap_or(0);
            if len > counted {
                let path = self.dir.join(&name);
                let file =
                    OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(|e| Error::Write {
                            path: path.clone(),
                            source: e,
                        })?;
                file.set_len(counted)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::Write { path, source: e })?;
                cut.insert(name, len - counted);
            }
        }
        Ok(cut)
    }
}

/// The pulled files of `project` in `dir`, with their lengths.
fn files_of(dir: &Path, project: &str) -> Result<Vec<(String, u64)>, Error> {
    let prefix = format!("cognigy-logs-{project}-");
    let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".jsonl") {
            let len = entry
                .metadata()
                .map_err(|e| Error::read(entry.path(), e))?
                .len();
            files.push((name, len));
        }
    }
    Ok(files)
}

/// An entry's identity (its `_id`, else the entry whole) and its time, read leniently: the
/// timestamp as text in any form the log reader takes, or milliseconds since the epoch.
fn stamp(raw: &RawValue) -> (String, Option<Timestamp>) {
    let stamp: Option<Stamp> = serde_json::from_str(raw.get()).ok();
    let id = stamp
        .as_ref()
        .and_then(|s| s.id.clone())
        .unwrap_or_else(|| raw.get().to_string());
    let at = stamp.and_then(|s| match s.timestamp? {
        serde_json::Value::String(text) => handover_logs::instant(&text),
        serde_json::Value::Number(n) => Timestamp::from_millisecond(n.as_i64()?).ok(),
        _ => None,
    });
    (id, at)
}
