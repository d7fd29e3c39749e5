//! A test as a spec: what is on disk, what is typed, what comes out.
//!
//! ```text
//! Test::new()
//!     .config("api: routing-v2\n")
//!     .file("payload.json", VALID_EXAMPLE)
//!     .args(["validate", "payload.json"])
//!     .status(1)
//!     .stdout_contains("error[HD202]")
//!     .run();
//! ```
//!
//! Every test runs in a fresh temporary directory, so the paths in the output are the short ones
//! a user would type, and no config of the checkout, of the environment or of the user's config
//! directory (`XDG_CONFIG_HOME` is the test's `.config`) leaks in.

use std::ffi::OsString;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository's examples, to be copied into a test's directory with [`Test::file`]: compiled
/// in, so that a test does not depend on the directory it is run from.
pub const VALID_EXAMPLE: &str = include_str!("../../../../examples/transfer-context/valid.json");
pub const BROKEN_EXAMPLE: &str = include_str!("../../../../examples/transfer-context/broken.json");

/// One run of `handover-doctor`: set up with the builder methods, checked by [`Test::run`] or a
/// snapshot method.
pub struct Test {
    dir: TempDir,
    /// Where the command runs, under `dir`.
    cwd: Option<String>,
    args: Vec<OsString>,
    tenant: Option<String>,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
    status: i32,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
}

/// What a run printed, once its exit status and expected text were checked.
pub struct Output {
    command: String,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Standard output as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "expected standard output to be one JSON document, but: {e}\n{}",
                self.dump()
            )
        })
    }

    /// The command and both streams, for a failure message.
    fn dump(&self) -> String {
        format!(
            "command: `{}`\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.stdout, self.stderr
        )
    }
}

impl Test {
    /// A run expected to exit 0, in an empty temporary directory.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            cwd: None,
            args: Vec::new(),
            tenant: None,
            env: Vec::new(),
            stdin: None,
            status: 0,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
        }
    }

    /// `handover-doctor.yaml` in the working directory, where the tool looks for its config.
    /// Readable by its owner only, as a config holding secrets must be: the tool warns on stderr
    /// about one that others can read (a test that wants the warning writes with [`Test::file`]).
    pub fn config(self, yaml: &str) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let test = self.file("handover-doctor.yaml", yaml);
        std::fs::set_permissions(
            test.dir.path().join("handover-doctor.yaml"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        test
    }

    /// A file at `path` under the working directory, with the directories it needs.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// The test's directory, for a path that an expected message names in full.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Run in `path` under the test's directory (made if missing), rather than in it.
    pub fn cwd(mut self, path: &str) -> Self {
        std::fs::create_dir_all(self.dir.path().join(path)).unwrap();
        self.cwd = Some(path.to_string());
        self
    }

    /// Run against the built-in mock tenant playing `scenario` (`handover-doctor mock --list`).
    pub fn tenant(mut self, scenario: &str) -> Self {
        self.tenant = Some(scenario.to_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, stdin: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(stdin.into());
        self
    }

    /// The exit status the run must end with (0 unless said).
    pub fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    pub fn stdout_contains(mut self, text: &str) -> Self {
        self.stdout_contains.push(text.to_string());
        self
    }

    pub fn stderr_contains(mut self, text: &str) -> Self {
        self.stderr_contains.push(text.to_string());
        self
    }

    /// The arguments as run: `--demo` goes last, where its optional scenario cannot swallow a
    /// positional argument and where it follows the subcommand it belongs to.
    fn command_line(&self) -> Vec<OsString> {
        let mut args = self.args.clone();
        if let Some(scenario) = &self.tenant {
            args.extend(["--demo".into(), scenario.into()]);
        }
        args
    }

    /// Runs the command and checks the exit status and the expected text, panicking with both
    /// streams when either is not as expected.
    #[track_caller]
    pub fn run(self) -> Output {
        self.run_keeping_dir().0
    }

    /// As [`Test::run`], keeping the directory alive for the normalisation of its path.
    #[track_caller]
    fn run_keeping_dir(self) -> (Output, Self) {
        let mut cmd = Command::cargo_bin("handover-doctor").unwrap();
        let cwd = match &self.cwd {
            Some(path) => self.dir.path().join(path),
            None => self.dir.path().to_path_buf(),
        };
        cmd.current_dir(cwd).args(self.command_line());
        // Whatever the developer's shell exports must not change what a test sees.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("HANDOVER_DOCTOR_") {
                cmd.env_remove(key);
            }
        }
        cmd.env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"));
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        if let Some(stdin) = &self.stdin {
            cmd.write_stdin(stdin.clone());
        }
        let out = cmd.output().unwrap();
        let output = Output {
            command: self.describe(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let status = out.status.code();
        if status != Some(self.status) {
            let got = status.map_or_else(|| format!("{}", out.status), |c| c.to_string());
            panic!(
                "expected exit status {}, got {got}\n{}",
                self.status,
                output.dump()
            );
        }
        for text in &self.stdout_contains {
            if !output.stdout.contains(text.as_str()) {
                panic!("expected stdout to contain {text:?}\n{}", output.dump());
            }
        }
        for text in &self.stderr_contains {
            if !output.stderr.contains(text.as_str()) {
                panic!("expected stderr to contain {text:?}\n{}", output.dump());
            }
        }
        (output, self)
    }

    /// The command line as a user would type it, for messages and snapshot headers.
    fn describe(&self) -> String {
        std::iter::once("handover-doctor".into())
            .chain(self.command_line())
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs, then snapshots standard output, normalised, as `it__<caller's file>__<name>.snap`.
    #[track_caller]
    pub fn stdout_snapshot(self, name: &str) -> Output {
        let caller = std::panic::Location::caller();
        let (output, test) = self.run_keeping_dir();
        let text = normalise(&output.stdout, test.dir.path());
        test.snapshot_settings(caller).bind(|| {
            insta::assert_snapshot!(snapshot_name(caller, name), text);
        });
        output
    }

    /// Runs, then snapshots standard output, normalised and parsed as JSON (pretty-printed, keys
    /// sorted, so that a diff shows the one field that changed).
    #[track_caller]
    pub fn stdout_json_snapshot(self, name: &str) -> Output {
        let caller = std::panic::Location::caller();
        let (output, test) = self.run_keeping_dir();
        let text = normalise(&output.stdout, test.dir.path());
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "expected standard output to be one JSON document, but: {e}\n{}",
                output.dump()
            )
        });
        test.snapshot_settings(caller).bind(|| {
            insta::assert_json_snapshot!(snapshot_name(caller, name), json);
        });
        output
    }

    /// The snapshot's header names the command and its exit status: the Rust expression would be
    /// the same variable for every snapshot made here.
    fn snapshot_settings(&self, caller: &std::panic::Location) -> insta::Settings {
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(caller.file());
        settings.set_description(format!("`{}` exits {}", self.describe(), self.status));
        settings
    }
}

/// Snapshots are named after the test file that asked for them, as insta names its own
/// (`it__output__…`), not after this module, which only takes them.
fn snapshot_name(caller: &std::panic::Location, name: &str) -> String {
    let stem = Path::new(caller.file())
        .file_stem()
        .unwrap()
        .to_string_lossy();
    format!("it__{stem}__{name}")
}

/// Output with what changes from run to run replaced by placeholders: the temporary directory,
/// the mock's port, durations and the version.
pub fn normalise(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    // The canonical path first: on some systems the temporary directory is behind a symlink.
    for path in [dir.canonicalize().unwrap(), dir.to_path_buf()] {
        text = text.replace(path.to_str().unwrap(), "[TMP]");
    }
    let text = after_prefix(&text, "127.0.0.1:", digits, "[PORT]");
    let text = after_prefix(&text, "\"duration_ms\":", digits, "\"[MS]\"");
    // JUnit's time="0.001".
    let text = after_prefix(
        &text,
        "time=\"",
        |rest| {
            rest.find('"')
                .filter(|&n| is_decimal(&rest[..n]))
                .unwrap_or(0)
        },
        "[S]",
    );
    let text = durations(&text);
    version(&text)
}

/// Replaces the part after each `prefix` that `len` measures (nothing when it says 0).
pub fn after_prefix(text: &str, prefix: &str, len: impl Fn(&str) -> usize, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let (head, tail) = rest.split_at(at + prefix.len());
        out.push_str(head);
        let n = len(tail);
        if n > 0 {
            out.push_str(with);
        }
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

pub fn digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    digits(whole) == whole.len() && !whole.is_empty() && digits(fraction) == fraction.len()
}

/// `123 ms` and `0.03 s` as the human report prints them. A right-aligned duration keeps its
/// width, so that the columns of the step lines stay as they are. Whole seconds (`token valid
/// 3600 s`, `after 2 s`) are settings, not timings, and stay.
fn durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (head, tail) = rest.split_at(start);
        // Digits inside a word or after a dot (`HD201`, `E.164`) are no duration.
        let inside = head
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_');
        let whole = digits(tail);
        let fraction = match tail[whole..].strip_prefix('.') {
            Some(after) if digits(after) > 0 => 1 + digits(after),
            _ => 0,
        };
        let number = whole + fraction;
        let unit = [" ms", " s"].into_iter().find(|unit| {
            tail[number..].strip_prefix(unit).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_alphanumeric())
                    && (*unit == " ms") == (fraction == 0)
            })
        });
        match unit {
            Some(unit) if !inside => {
                let padding = head.len() - head.trim_end_matches(' ').len();
                out.push_str(&head[..head.len() - padding]);
                let placeholder = if unit == " ms" { "[MS]" } else { "[S]" };
                // One space or none is prose; more is a column, whose width is kept.
                let width = if padding > 1 {
                    (padding + number).max(placeholder.len() + 1)
                } else {
                    padding + placeholder.len()
                };
                out.push_str(&format!("{placeholder:>width$}"));
                out.push_str(unit);
                rest = &tail[number + unit.len()..];
            }
            _ => {
                out.push_str(head);
                out.push_str(&tail[..number]);
                rest = &tail[number..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tool's version, wherever it stands on its own (not inside `2.1.0.1` or an address).
fn version(text: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let part_of_number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(version) {
        let (head, tail) = rest.split_at(at);
        let after = &tail[version.len()..];
        out.push_str(head);
        if part_of_number(head.chars().next_back()) || part_of_number(after.chars().next()) {
            out.push_str(version);
        } else {
            out.push_str("[VERSION]");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn normalise_replaces_what_changes_between_runs_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_str().unwrap();
    let text = format!(
        "{tmp}/p.json\n\
         ✓ auth          5 ms  API http://127.0.0.1:43865, token valid 3600 s\n\
         ✓ simulate   2007 ms  still in Queued after 2 s; HD201 E.164 0.95\n\
         (2 steps, 3 requests, 0.01 s)\n\
         {{\"duration_ms\":12,\"version\":\"{v}\",\"sarif\":\"2.1.0\"}}\n\
         <testcase time=\"0.001\" name=\"a 5 msg\">\n",
        v = env!("CARGO_PKG_VERSION"),
    );
    assert_eq!(
        normalise(&text, dir.path()),
        "[TMP]/p.json\n\
         ✓ auth       [MS] ms  API http://127.0.0.1:[PORT], token valid 3600 s\n\
         ✓ simulate   [MS] ms  still in Queued after 2 s; HD201 E.164 0.95\n\
         (2 steps, 3 requests, [S] s)\n\
         {\"duration_ms\":\"[MS]\",\"version\":\"[VERSION]\",\"sarif\":\"2.1.0\"}\n\
         <testcase time=\"[S]\" name=\"a 5 msg\">\n"
    );
}
