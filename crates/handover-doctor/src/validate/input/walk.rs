//! The directory search: the files under a directory that a run reads, picked as the `ignore`
//! crate's `WalkBuilder` (ripgrep's walk) picks them, in its order and with its errors, by a walk
//! that does no more than this tool asks of it. The crate's walk cost two fifths of a run over a
//! directory of small files: it joined every path onto the searched directory's absolute path to
//! match it against the ignore files above that directory, and sorted every directory by whole
//! paths through layers of closures. The crate's matchers (`Gitignore`, `Override`) still decide
//! every match here; this module only asks them in the crate's order of precedence: --glob first,
//! then the ignore files, then whether a name is hidden.

use std::ffi::OsStr;
use std::fs::{self, File, FileType};
use std::io::{self, BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::Override;

use crate::error::Error;

/// What a search leaves out.
pub struct Rules<'a> {
    /// The user's globs: one that names an entry keeps it, one with a `!` leaves it out, and while
    /// any glob names files, a file that none names is left out.
    pub overrides: Option<&'a Override>,
    /// Entries whose names start with a dot.
    pub hidden: bool,
    /// What ignore files leave out, when they count.
    pub ignore_files: Option<IgnoreFiles<'a>>,
}

pub struct IgnoreFiles<'a> {
    /// Git's global excludes file (`core.excludesFile`).
    pub global: &'a Gitignore,
    /// Git's ignore files count only inside a repository.
    pub require_git: bool,
}

/// Calls `file` with every file under `dir` (a regular file, or a symbolic link to anything but a
/// directory) that `rules` leave, in the order of their names at every level, a directory's files
/// right after its name. Symbolic links to directories are not followed, so a link loop cannot
/// hang the search.
pub fn search(dir: &Path, rules: &Rules, errors: &mut Vec<Error>, file: impl FnMut(PathBuf)) {
    let above = match &rules.ignore_files {
        Some(files) => Above::of(dir, files.require_git, errors),
        None => Above::default(),
    };
    // The crate takes a path from the searched directory by cutting the directory off as written,
    // or leaves it whole when the directory is `.` as paths compare: component by component, too
    // dear to do for every entry.
    let root = (dir != Path::new(".")).then(|| strip_prefix(b"./", dir).unwrap_or(dir));
    let mut walk = Walk {
        rules,
        root: dir,
        root_as_cut: root.map(|root| root.as_os_str().as_bytes()),
        above,
        dirs: Vec::new(),
        joined: Vec::new(),
        errors,
        file,
    };
    walk.visit(dir);
}

struct Walk<'w, F> {
    rules: &'w Rules<'w>,
    /// The directory searched, as the user wrote it.
    root: &'w Path,
    /// What to cut off the front of a path found for the path from the directory searched; none
    /// when the path is taken whole.
    root_as_cut: Option<&'w [u8]>,
    above: Above,
    /// The ignore files of the directories the walk is in, the searched directory's first.
    dirs: Vec<Layer>,
    /// A path as the ignore files above the searched directory see it, made here for every entry,
    /// in one buffer.
    joined: Vec<u8>,
    errors: &'w mut Vec<Error>,
    file: F,
}

impl<F: FnMut(PathBuf)> Walk<'_, F> {
    fn visit(&mut self, dir: &Path) {
        let Some((entries, name_at)) = self.list(dir) else {
            return;
        };
        let any_git = self.enter(dir);
        for Entry { path, kind, .. } in entries {
            if self.leaves_out(&path, name(&path, name_at), kind.is_dir(), any_git) {
                continue;
            }
            if kind.is_dir() {
                self.visit(&path);
            } else if kind.is_file() || (kind.is_symlink() && !path.is_dir()) {
                // A link to a file is read; a dangling one is reported unreadable when it is.
                (self.file)(path);
            }
        }
        if self.rules.ignore_files.is_some() {
            self.dirs.pop();
        }
    }

    /// Reads the ignore files of `dir`, about to be walked, when they count; and whether git's
    /// count in it, inside a repository (or anywhere, with --no-require-git).
    fn enter(&mut self, dir: &Path) -> bool {
        let Some(files) = &self.rules.ignore_files else {
            return false;
        };
        // An error in an ignore file inside the directory searched goes unreported, as it did: the
        // crate's walk attached it to the directory's entry, where the search never looked.
        self.dirs
            .push(Layer::of(dir, dir, files.require_git, &mut Vec::new()));
        !files.require_git || self.above.any_git || self.dirs.iter().any(|d| d.has_git)
    }

    /// The entries of `dir` with their types, sorted by name, and where in their paths the names
    /// start. What cannot be listed goes to the errors, as the crate's walk worded it.
    fn list(&mut self, dir: &Path) -> Option<(Vec<Entry>, usize)> {
        let listing = match fs::read_dir(dir) {
            Ok(listing) => listing,
            Err(e) => {
                self.errors.push(listing_error(self.root, Some(dir), e));
                return None;
            }
        };
        let mut entries = Vec::new();
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.errors.push(listing_error(self.root, None, e));
                    continue;
                }
            };
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) => entries.push(Entry { key: 0, path, kind }),
                Err(e) => self.errors.push(listing_error(self.root, Some(&path), e)),
            }
        }
        // The paths differ only in their names, after the last separator.
        let name_at = entries.first().map_or(0, |Entry { path, .. }| {
            let bytes = path.as_os_str().as_bytes();
            bytes
                .iter()
                .rposition(|&b| b == b'/')
                .map_or(0, |at| at + 1)
        });
        for entry in &mut entries {
            let name = name(&entry.path, name_at);
            let mut first = [0; 8];
            let n = name.len().min(8);
            first[..n].copy_from_slice(&name[..n]);
            entry.key = u64::from_be_bytes(first);
        }
        entries.sort_unstable_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| name(&a.path, name_at).cmp(name(&b.path, name_at)))
        });
        Some((entries, name_at))
    }

    /// Whether the rules leave out the entry at `path`: the first of --glob, the ignore files and
    /// the hidden rule that says anything decides, so a glob or a `!` line keeps a hidden entry.
    fn leaves_out(&mut self, path: &Path, name: &[u8], is_dir: bool, any_git: bool) -> bool {
        let path = strip_prefix(b"./", path).unwrap_or(path);
        if let Some(overrides) = self.rules.overrides {
            match overrides.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        if self.rules.ignore_files.is_some() {
            match self.ignore_files_say(path, is_dir, any_git) {
                Match::Ignore(()) => return true,
                Match::Whitelist(()) => return false,
                Match::None => {}
            }
        }
        // The crate finds no name in a path that ends in a dot, so such a name is never hidden.
        self.rules.hidden && name.first() == Some(&b'.') && name.last() != Some(&b'.')
    }

    /// What the ignore files say of `path`: a `.ignore` over a `.gitignore` over git's
    /// `info/exclude` over git's global excludes file, and of each kind the nearest directory's
    /// that says anything. Git's files count only inside a repository (any_git), unless
    /// --no-require-git, and not above its top.
    fn ignore_files_say(&mut self, path: &Path, is_dir: bool, any_git: bool) -> Match<()> {
        let mut said = [Match::None, Match::None, Match::None];
        let mut saw_git = false;
        for layer in self.dirs.iter().rev() {
            layer.say(path, is_dir, any_git && !saw_git, &mut said);
            saw_git |= layer.has_git;
        }
        let from_root = match self.root_as_cut {
            Some(root) => {
                let path = strip_prefix(root, path).unwrap_or(path);
                strip_prefix(b"/", path).unwrap_or(path)
            }
            None => path,
        };
        for (from, layer) in self.above.layers.iter().rev() {
            if !layer.says_nothing() {
                let path = match from {
                    Some(from) => {
                        self.joined.clear();
                        self.joined.extend_from_slice(from.as_os_str().as_bytes());
                        self.joined.push(b'/');
                        self.joined
                            .extend_from_slice(from_root.as_os_str().as_bytes());
                        Path::new(OsStr::from_bytes(&self.joined))
                    }
                    None => from_root,
                };
                layer.say(path, is_dir, any_git && !saw_git, &mut said);
            }
            saw_git |= layer.has_git;
        }
        let global = match &self.rules.ignore_files {
            Some(files) if any_git => files.global.matched(path, is_dir).map(|_| ()),
            _ => Match::None,
        };
        let [ignore, gitignore, exclude] = said;
        ignore.or(gitignore).or(exclude).or(global)
    }
}

/// An entry of a directory being walked.
struct Entry {
    /// The first eight bytes of its name as a number, which orders names as their bytes do (no
    /// name holds a zero byte): it decides most comparisons of a sort, where comparing names
    /// would call `memcmp`.
    key: u64,
    path: PathBuf,
    kind: FileType,
}

/// The name in a path found in a directory, which starts at `at`.
fn name(path: &Path, at: usize) -> &[u8] {
    &path.as_os_str().as_bytes()[at..]
}

/// The ignore files above the searched directory, as git reads them: in each directory up to the
/// file system's root, from the searched directory's absolute path with no link in it (none when
/// that cannot be found).
#[derive(Default)]
struct Above {
    /// The root's first, each with the path from its directory to the searched one, which a path
    /// found goes after to be matched from `.`. The crate's walk joined every path onto the
    /// searched directory's absolute path, for each matcher to cut its own directory off again,
    /// and a matcher compares its directory with `.` (as paths, component by component) at every
    /// match. None when the searched directory is written `.//`, whose paths (`/name`) the crate's
    /// join does not put under its absolute path but puts in its place: they are matched as the
    /// crate matched them, from each directory.
    layers: Vec<(Option<PathBuf>, Layer)>,
    /// One of them is a repository.
    any_git: bool,
}

impl Above {
    fn of(dir: &Path, require_git: bool, errors: &mut Vec<Error>) -> Above {
        let Ok(base) = dir.canonicalize() else {
            return Above::default();
        };
        // From the file system's root down, which orders their errors as the crate does.
        let mut parents: Vec<&Path> = base.ancestors().skip(1).collect();
        parents.reverse();
        let in_place = dir == Path::new(".") && dir.as_os_str().as_bytes().starts_with(b".//");
        let mut found = Vec::new();
        let layers: Vec<_> = parents
            .into_iter()
            .map(|parent| {
                if in_place {
                    return (None, Layer::of(parent, parent, require_git, &mut found));
                }
                let from = strip_prefix(parent.as_os_str().as_bytes(), &base).unwrap_or(&base);
                let from = strip_prefix(b"/", from).unwrap_or(from).to_path_buf();
                let layer = Layer::of(parent, Path::new("."), require_git, &mut found);
                (Some(from), layer)
            })
            .collect();
        // One error stands for itself; more are one error of all of them, as the crate gives them.
        let error = match found.len() {
            0 => None,
            1 => found.pop(),
            _ => Some(ignore::Error::Partial(found)),
        };
        errors.extend(error.map(|e| walk_error(dir, e)));
        Above {
            any_git: layers.iter().any(|(_, l)| l.has_git),
            layers,
        }
    }
}

/// One directory's ignore files.
struct Layer {
    /// `.ignore`.
    ignore: Gitignore,
    /// `.gitignore`.
    gitignore: Gitignore,
    /// The repository's `info/exclude`, when the directory holds one.
    exclude: Gitignore,
    /// The directory holds a repository (`.git` or `.jj`): git's ignore files above it do not count.
    has_git: bool,
}

impl Layer {
    /// The ignore files in `dir`, matching paths from `from`, and what is wrong with them to
    /// `errors` (a file that cannot be opened or read is passed over, as git does).
    fn of(dir: &Path, from: &Path, require_git: bool, errors: &mut Vec<ignore::Error>) -> Layer {
        let git = if require_git {
            fs::metadata(dir.join(".git")).ok().map(|m| m.file_type())
        } else {
            None
        };
        let has_git = require_git && (git.is_some() || dir.join(".jj").exists());
        let ignore = read(from, &dir.join(".ignore"), errors);
        let gitignore = read(from, &dir.join(".gitignore"), errors);
        let exclude = match git_dir(dir, git) {
            Ok(git_dir) => read(from, &git_dir.join("info/exclude"), errors),
            Err(e) => {
                errors.extend(e);
                Gitignore::empty()
            }
        };
        Layer {
            ignore,
            gitignore,
            exclude,
            has_git,
        }
    }

    fn says_nothing(&self) -> bool {
        self.ignore.is_empty() && self.gitignore.is_empty() && self.exclude.is_empty()
    }

    /// Adds what these files say of `path` to what nearer directories' said, kind by kind, where
    /// they said nothing; git's files only when `git`.
    fn say(&self, path: &Path, is_dir: bool, git: bool, said: &mut [Match<()>; 3]) {
        let [ignore, gitignore, exclude] = said;
        if ignore.is_none() {
            *ignore = self.ignore.matched(path, is_dir).map(|_| ());
        }
        if git && gitignore.is_none() {
            *gitignore = self.gitignore.matched(path, is_dir).map(|_| ());
        }
        if git && exclude.is_none() {
            *exclude = self.exclude.matched(path, is_dir).map(|_| ());
        }
    }
}

/// The patterns of the ignore file `file`, matching paths from `from`.
fn read(from: &Path, file: &Path, errors: &mut Vec<ignore::Error>) -> Gitignore {
    let mut builder = GitignoreBuilder::new(from);
    if let Some(e) = builder.add(file)
        && !e.is_io()
    {
        errors.push(e);
    }
    builder.build().unwrap_or_else(|e| {
        errors.push(e);
        Gitignore::empty()
    })
}

/// Where git keeps `info/exclude` for a repository in `dir`, given what `dir/.git` is: that
/// directory, or for a worktree, whose `.git` is a file naming its own git directory, the common
/// directory of the repository it belongs to. An error when `.git` is a file that names none.
fn git_dir(dir: &Path, git: Option<FileType>) -> Result<PathBuf, Option<ignore::Error>> {
    let dot_git = dir.join(".git");
    if !git.is_some_and(|kind| kind.is_file()) {
        return Ok(dot_git);
    }
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |e| {
            let err = Box::new(ignore::Error::Io(e));
            Some(ignore::Error::WithPath { path, err })
        }
    };
    let file = File::open(&dot_git).map_err(unreadable(&dot_git))?;
    let line = first_line(file)
        .map_err(unreadable(&dot_git))?
        .ok_or(None)?;
    let own = PathBuf::from(line.strip_prefix("gitdir: ").ok_or(None)?);
    let commondir = own.join("commondir");
    let file = File::open(&commondir).map_err(|_| None)?;
    let common = first_line(file)
        .map_err(unreadable(&commondir))?
        .ok_or(None)?;
    Ok(if common.starts_with('.') {
        own.join(common)
    } else {
        PathBuf::from(common)
    })
}

fn first_line(file: File) -> io::Result<Option<String>> {
    BufReader::new(file).lines().next().transpose()
}

/// `path` without the bytes `prefix` it starts with.
fn strip_prefix<'p>(prefix: &[u8], path: &'p Path) -> Option<&'p Path> {
    let rest = path.as_os_str().as_bytes().strip_prefix(prefix)?;
    Some(Path::new(OsStr::from_bytes(rest)))
}

/// A directory or an entry that could not be listed, worded as the crate's walk words it: the
/// path, when there is one, and the error.
fn listing_error(root: &Path, path: Option<&Path>, error: io::Error) -> Error {
    let message = match path {
        Some(path) => format!("IO error for operation on {}: {error}", path.display()),
        None => error.to_string(),
    };
    Error::read(path.unwrap_or(root), io::Error::new(error.kind(), message))
}

/// An ignore file's error as the user's: the path it is about, or the directory searched.
fn walk_error(dir: &Path, error: ignore::Error) -> Error {
    use ignore::Error::{Partial, WithDepth, WithPath};
    /// The path an error is about, and the error without it (the message names the path once).
    fn split(error: &ignore::Error) -> (Option<&Path>, &ignore::Error) {
        match error {
            WithPath { path, err } => (Some(path), split(err).1),
            WithDepth { err, .. } => split(err),
            Partial(errors) if errors.len() == 1 => split(&errors[0]),
            other => (None, other),
        }
    }
    let (path, inner) = split(&error);
    let source = match error.io_error() {
        Some(io) => io::Error::new(io.kind(), io.to_string()),
        None => io::Error::other(inner.to_string()),
    };
    Error::read(path.unwrap_or(dir), source)
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::path::{Path, PathBuf};

    use ignore::WalkBuilder;
    use proptest::prelude::*;

    use super::walk_error;
    use crate::cli::SelectArgs;
    use crate::validate::input::{EXTENSIONS, Selection, Skip};

    /// What a search gave: the files picked, how many files it came across, and its errors.
    type Found = (Vec<PathBuf>, usize, Vec<String>);

    fn ours(selection: &Selection, dir: &Path, skip: Skip) -> Found {
        let mut errors = Vec::new();
        let (files, seen) = selection.search(dir, skip, &mut errors);
        (files, seen, errors.iter().map(|e| e.to_string()).collect())
    }

    /// The search as it was, by the `ignore` crate's walk: the oracle.
    fn crates(selection: &Selection, dir: &Path, skip: Skip) -> Found {
        let mut builder = WalkBuilder::new(dir);
        builder
            .standard_filters(skip.ignored)
            .hidden(skip.hidden)
            .require_git(selection.require_git)
            .follow_links(false)
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()));
        let globs = skip.globs && !selection.overrides.is_empty();
        if globs {
            builder.overrides(selection.overrides.clone());
        }
        let (mut files, mut seen, mut errors) = (Vec::new(), 0, Vec::new());
        for entry in builder.build() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(walk_error(dir, e).to_string());
                    continue;
                }
            };
            let is_file = match entry.file_type() {
                Some(t) if t.is_file() => true,
                Some(t) if t.is_symlink() => !entry.path().is_dir(),
                _ => false,
            };
            if !is_file {
                continue;
            }
            seen += 1;
            let path = entry.into_path();
            let chosen = super::super::has_extension(&path, selection.extensions)
                || (globs
                    && selection.includes
                    && selection.overrides.matched(&path, false).is_whitelist());
            if chosen {
                files.push(path);
            }
        }
        (files, seen, errors)
    }

    /// Every way `explain` and the user's flags search.
    fn skips() -> impl Iterator<Item = Skip> {
        (0..8).map(|bits| Skip {
            ignored: bits & 1 != 0,
            hidden: bits & 2 != 0,
            globs: bits & 4 != 0,
        })
    }

    /// Asserts that the search of `dir` picks what the crate's walk picks, with every choice.
    fn assert_same(dir: &Path, globs: &[&str]) -> Result<(), TestCaseError> {
        for no_require_git in [false, true] {
            let args = SelectArgs {
                globs: globs.iter().map(|g| g.to_string()).collect(),
                no_ignore: false,
                hidden: false,
                no_require_git,
            };
            let selection = Selection::new(&args, EXTENSIONS).unwrap();
            for skip in skips() {
                let (ignored, hidden, with_globs) = (skip.ignored, skip.hidden, skip.globs);
                prop_assert_eq!(
                    ours(&selection, dir, skip),
                    crates(&selection, dir, skip),
                    "{} with ignored {} hidden {} globs {} no-require-git {}",
                    dir.display(),
                    ignored,
                    hidden,
                    with_globs,
                    no_require_git
                );
            }
        }
        Ok(())
    }

    /// What a tree holds at a path.
    #[derive(Debug, Clone)]
    enum Kind {
        File,
        /// An empty directory.
        Dir,
        Ignore(Vec<&'static str>),
        Gitignore(Vec<&'static str>),
        /// A repository, with the lines of its `info/exclude`.
        Git(Vec<&'static str>),
        /// A git worktree's `.git` file, whose repository's `info/exclude` holds the lines.
        Worktree(Vec<&'static str>),
        Jj,
        LinkToFile,
        LinkToDir,
        /// A link to an ancestor: a loop.
        Loop,
        Dangling,
        /// A directory no one but root may list.
        Locked,
    }

    const NAMES: &[&str] = &[
        "a", "b", "c", ".h", "a.json", "b.jsonl", "c.ndjson", "d.txt", ".x.json", "e.JSON",
        "f.log", "y.", ".z.", "é.json",
    ];

    const PATTERNS: &[&str] = &[
        "*.json",
        "a",
        "/a",
        "b/",
        "!a.json",
        "!a",
        "**/c",
        "a/**",
        "r/a",
        "/r/b",
        "*.txt",
        ".h",
        "!.h",
        "!.x.json",
        "c/*.json",
        "**/b/*.jsonl",
        "[ab]",
        "a.*",
        "!*.jsonl",
        "# a comment",
        "\\!x",
        "e*",
        "!/c",
        "y.",
        "/*",
        "!*/",
        "*",
        "!b/",
        "a/b",
        "**",
        "*.JSON",
        "a{b",
        "s/r/a",
        "/s/r/b",
        "r/*.json",
        "/r/c/",
        "s/**/b.jsonl",
        "!s/r/a.json",
        "/r",
        "r/",
    ];

    const GLOBS: &[&str] = &[
        "*.json",
        "!*.jsonl",
        "!a",
        "c/**",
        "*.txt",
        "!.h*",
        "b",
        "!**/a.json",
        ".x.json",
        "*.log",
        "!/a",
        "a/*",
    ];

    fn lines() -> impl Strategy<Value = Vec<&'static str>> {
        prop::collection::vec(prop::sample::select(PATTERNS), 0..4)
    }

    fn kind() -> impl Strategy<Value = Kind> {
        prop_oneof![
            6 => Just(Kind::File),
            2 => Just(Kind::Dir),
            2 => lines().prop_map(Kind::Ignore),
            3 => lines().prop_map(Kind::Gitignore),
            2 => lines().prop_map(Kind::Git),
            1 => lines().prop_map(Kind::Worktree),
            1 => Just(Kind::Jj),
            1 => Just(Kind::LinkToFile),
            1 => Just(Kind::LinkToDir),
            1 => Just(Kind::Loop),
            1 => Just(Kind::Dangling),
            1 => Just(Kind::Locked),
        ]
    }

    /// An entry: how deep it is (0 and 1 above the searched directory, 2 in it), the directories
    /// it is in from there, its name (which ignore files, `.git` and `.jj` do not use) and what
    /// it is.
    type Entry = (usize, Vec<&'static str>, &'static str, Kind);

    fn entry() -> impl Strategy<Value = Entry> {
        (
            prop_oneof![1 => Just(0), 1 => Just(1), 3 => Just(2)],
            prop_oneof![
                Just(Vec::new()),
                prop::collection::vec(prop::sample::select(NAMES), 1..3)
            ],
            prop::sample::select(NAMES),
            kind(),
        )
    }

    /// A tree in a temporary directory: the directory searched is `s/r` in it, so that what the
    /// temporary directory and `s` hold is above the search.
    struct Tree {
        top: tempfile::TempDir,
        locked: Vec<PathBuf>,
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            for dir in &self.locked {
                let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
            }
        }
    }

    fn build(entries: &[Entry]) -> Tree {
        let top = tempfile::tempdir().unwrap();
        let mut tree = Tree {
            locked: Vec::new(),
            top,
        };
        let base = tree.top.path().to_path_buf();
        fs::create_dir_all(base.join("s/r")).unwrap();
        for (n, (depth, dirs, name, kind)) in entries.iter().enumerate() {
            let mut dir = base.clone();
            dir.extend(&["s", "r"][..*depth]);
            dir.extend(dirs);
            // A name taken by an earlier entry, as a file or a directory, keeps what it was.
            if fs::create_dir_all(&dir).is_err() {
                continue;
            }
            let path = dir.join(name);
            let _ = match kind {
                Kind::File => fs::write(&path, "{}"),
                Kind::Dir => fs::create_dir(&path),
                Kind::Ignore(lines) => fs::write(dir.join(".ignore"), lines.join("\n")),
                Kind::Gitignore(lines) => fs::write(dir.join(".gitignore"), lines.join("\n")),
                Kind::Git(lines) => fs::create_dir_all(dir.join(".git/info"))
                    .and_then(|()| fs::write(dir.join(".git/info/exclude"), lines.join("\n"))),
                Kind::Worktree(lines) => {
                    let own = base.join(format!("worktrees/{n}"));
                    let common = base.join(format!("repositories/{n}"));
                    fs::create_dir_all(&own)
                        .and_then(|()| fs::create_dir_all(common.join("info")))
                        .and_then(|()| fs::write(common.join("info/exclude"), lines.join("\n")))
                        .and_then(|()| {
                            fs::write(own.join("commondir"), format!("../../repositories/{n}\n"))
                        })
                        .and_then(|()| {
                            fs::write(dir.join(".git"), format!("gitdir: {}\n", own.display()))
                        })
                }
                Kind::Jj => fs::create_dir(dir.join(".jj")),
                Kind::LinkToFile => fs::write(dir.join("target.json"), "{}")
                    .and_then(|()| symlink("target.json", &path)),
                Kind::LinkToDir => symlink(base.join("s/r"), &path),
                Kind::Loop => symlink("..", &path),
                Kind::Dangling => symlink("nowhere.json", &path),
                Kind::Locked => fs::create_dir(&path)
                    .and_then(|()| fs::write(path.join("in.json"), "{}"))
                    .and_then(|()| {
                        tree.locked.push(path.clone());
                        fs::set_permissions(&path, fs::Permissions::from_mode(0o000))
                    }),
            };
        }
        tree
    }

    /// The ways a user may write the directory searched: as it is, with a trailing slash, with
    /// `.` and empty components in it, relative to where the user stands, and from `./`.
    fn spellings(dir: &Path) -> Vec<PathBuf> {
        let cwd = std::env::current_dir().unwrap();
        let up = "../".repeat(cwd.components().count() - 1);
        let relative = format!("{up}{}", dir.display().to_string().trim_start_matches('/'));
        vec![
            dir.to_path_buf(),
            PathBuf::from(format!("{}/", dir.display())),
            PathBuf::from(format!("{}/./", dir.display())),
            PathBuf::from(format!("{}//", dir.display())),
            PathBuf::from(&relative),
            PathBuf::from(format!("./{relative}")),
            PathBuf::from(format!("././{relative}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn the_search_picks_what_the_crates_walk_picks(
            entries in prop::collection::vec(entry(), 0..14),
            globs in prop::collection::vec(prop::sample::select(GLOBS), 0..3),
            spelling in 0..7usize,
        ) {
            let tree = build(&entries);
            let dir = spellings(&tree.top.path().join("s/r")).swap_remove(spelling);
            assert_same(&dir, &globs)?;
        }
    }

    /// This crate's own directory, where the tests run, searched as it may be written: in a git
    /// worktree (a `.git` file) below the repository's `.gitignore`.
    #[test]
    fn the_search_of_this_checkout_picks_what_the_crates_walk_picks() {
        for dir in [
            ".",
            "./",
            ".//",
            "./.",
            "././",
            ".//.",
            "src",
            "./src",
            "src/",
            "src//",
            ".//src",
            "tests/it/..",
            "../handover-doctor/src",
        ] {
            for globs in [&[][..], &["*.rs", "!tests"], &["!*.json"]] {
                assert_same(Path::new(dir), globs).unwrap();
            }
        }
    }

    /// A tree from `(path, contents)`: a path that ends in `/` is a directory, contents that
    /// start with `-> ` make a symbolic link.
    fn tree(files: &[(&str, &str)]) -> Tree {
        let tree = Tree {
            top: tempfile::tempdir().unwrap(),
            locked: Vec::new(),
        };
        for (path, contents) in files {
            let path = tree.top.path().join(path);
            fs::create_dir_all(if path.to_str().unwrap().ends_with('/') {
                &path
            } else {
                path.parent().unwrap()
            })
            .unwrap();
            match contents.strip_prefix("-> ") {
                Some(target) => symlink(target, &path).unwrap(),
                None if !path.to_str().unwrap().ends_with('/') => {
                    fs::write(&path, contents).unwrap()
                }
                None => {}
            }
        }
        tree
    }

    /// The files the search of `dir` in `tree` picks with the user's choices, by both walks.
    fn picked(tree: &Tree, dir: &str, args: &[&str]) -> Vec<String> {
        let dir = tree.top.path().join(dir);
        assert_same(&dir, &[]).unwrap();
        let args = SelectArgs {
            globs: Vec::new(),
            no_ignore: args.contains(&"--no-ignore"),
            hidden: args.contains(&"--hidden"),
            no_require_git: args.contains(&"--no-require-git"),
        };
        let selection = Selection::new(&args, EXTENSIONS).unwrap();
        let (files, _) = selection.search(&dir, selection.user, &mut Vec::new());
        let top = tree.top.path();
        files
            .iter()
            .map(|f| f.strip_prefix(top).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn a_worktrees_exclude_file_is_its_repositorys() {
        let tree = tree(&[
            ("repo/.git/info/exclude", "excluded.json\n"),
            ("repo/.git/worktrees/w/commondir", "../..\n"),
            ("w/.git", "gitdir: WORKTREE\n"),
            ("w/p/excluded.json", "{}"),
            ("w/p/kept.json", "{}"),
        ]);
        let own = tree.top.path().join("repo/.git/worktrees/w");
        fs::write(
            tree.top.path().join("w/.git"),
            format!("gitdir: {}\n", own.display()),
        )
        .unwrap();
        assert_eq!(picked(&tree, "w/p", &[]), ["w/p/kept.json"]);
        assert_eq!(
            picked(&tree, "w/p", &["--no-ignore"]),
            ["w/p/excluded.json", "w/p/kept.json"]
        );
    }

    #[test]
    fn a_gitignore_above_a_nested_repository_stops_at_its_top() {
        let tree = tree(&[
            (".git/HEAD", ""),
            (".gitignore", "*.jsonl\n"),
            (".ignore", "*.ndjson\n"),
            ("p/a.jsonl", "{}"),
            ("p/a.ndjson", "{}"),
            ("p/inner/.git/HEAD", ""),
            ("p/inner/b.jsonl", "{}"),
            ("p/inner/b.ndjson", "{}"),
            ("p/inner/q/c.jsonl", "{}"),
        ]);
        assert_eq!(
            picked(&tree, "p", &[]),
            ["p/inner/b.jsonl", "p/inner/q/c.jsonl"]
        );
        assert_eq!(
            picked(&tree, "p", &["--no-require-git"]),
            Vec::<String>::new()
        );
        // The same, searched from inside the nested repository, whose top is above the search.
        assert_eq!(picked(&tree, "p/inner/q", &[]), ["p/inner/q/c.jsonl"]);
        assert_eq!(
            picked(&tree, "p/inner/q", &["--no-require-git"]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_ignore_file_outranks_a_gitignore_which_outranks_the_exclude_file() {
        let tree = tree(&[
            (".git/info/exclude", "b.json\nc.json\n"),
            ("r/.gitignore", "a.json\n!b.json\n"),
            ("r/.ignore", "!a.json\n"),
            ("r/a.json", "{}"),
            ("r/b.json", "{}"),
            ("r/c.json", "{}"),
            ("r/d.json", "{}"),
        ]);
        assert_eq!(
            picked(&tree, "r", &[]),
            ["r/a.json", "r/b.json", "r/d.json"]
        );
    }

    #[test]
    fn a_jj_repository_counts_as_git() {
        let tree = tree(&[
            ("r/.jj/", ""),
            ("r/.gitignore", "a.json\n"),
            ("r/a.json", "{}"),
            ("r/b.json", "{}"),
        ]);
        assert_eq!(picked(&tree, "r", &[]), ["r/b.json"]);
    }

    #[test]
    fn a_whitelist_line_brings_back_a_hidden_file_and_nearer_files_decide() {
        let tree = tree(&[
            (".git/HEAD", ""),
            (".gitignore", "!.kept.json\nsub/\n"),
            ("p/.kept.json", "{}"),
            ("p/.other.json", "{}"),
            ("p/sub/a.json", "{}"),
            ("p/q/.gitignore", "!sub/\n"),
            ("p/q/sub/b.json", "{}"),
            ("p/.y.", "{}"),
        ]);
        assert_eq!(picked(&tree, "p", &[]), ["p/.kept.json", "p/q/sub/b.json"]);
    }

    #[test]
    fn links_are_files_unless_they_lead_to_directories() {
        let tree = tree(&[
            ("p/a.json", "{}"),
            ("p/b.json", "-> a.json"),
            ("p/c.json", "-> nowhere.json"),
            ("p/d.json", "-> ."),
            ("p/e/loop.json", "-> .."),
        ]);
        assert_eq!(
            picked(&tree, "p", &[]),
            ["p/a.json", "p/b.json", "p/c.json"]
        );
    }

    #[test]
    fn a_bad_pattern_above_the_search_is_an_error_and_in_it_is_not() {
        let tree = tree(&[
            (".git/HEAD", ""),
            (".gitignore", "a{b\nignored.json\n"),
            ("p/.gitignore", "c{d\n"),
            ("p/ignored.json", "{}"),
            ("p/kept.json", "{}"),
        ]);
        let dir = tree.top.path().join("p");
        let selection = Selection::new(
            &SelectArgs {
                globs: Vec::new(),
                no_ignore: false,
                hidden: false,
                no_require_git: false,
            },
            EXTENSIONS,
        )
        .unwrap();
        let (files, _, errors) = ours(&selection, &dir, selection.user);
        assert_eq!(files, [dir.join("kept.json")]);
        let gitignore = tree.top.path().join(".gitignore");
        assert_eq!(
            errors,
            [format!(
                "cannot read `{}`: line 1: error parsing glob 'a{{b': unclosed alternate group; missing '}}' (maybe escape '{{' with '[{{]'?)",
                gitignore.display()
            )]
        );
        assert_same(&dir, &[]).unwrap();
    }
}
