//! `init`: writes a commented `handover-doctor.yaml` for one API, with the values given as flags
//! or typed at a terminal.
//!
//! Without a terminal, a value no flag gives stays commented out rather than written as a
//! placeholder: a placeholder would be sent to the tenant as a credential and come back as a
//! sign-in failure, while a key that is not set gets the tool's own message naming the file to
//! edit. Secrets are never flags, which shell history and `ps` would keep: they are typed without
//! echo, or stay in their environment variables, which the tool reads on every run.

use std::io::{BufRead, IsTerminal, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::cli::{ApiArg, InitArgs};
use crate::error::{Error, exit};
use crate::settings::{Config, DEFAULT_CONFIG, SETTINGS, Setting, variable};

/// The settings each API needs to reach a tenant, in the order they are asked for.
fn needed(api: ApiArg) -> &'static [&'static str] {
    match api {
        ApiArg::Cxone => &[
            "client_id",
            "client_secret",
            "access_key_id",
            "access_key_secret",
            "script_path",
        ],
        ApiArg::RoutingV2 => &["base_url", "client_id", "client_secret"],
    }
}

fn api_name(api: ApiArg) -> &'static str {
    match api {
        ApiArg::Cxone => "cxone",
        ApiArg::RoutingV2 => "routing-v2",
    }
}

fn setting(key: &str) -> &'static Setting {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .expect("init asks only for registered settings")
}

/// A setting's help without the API it is for: the template and the questions are for one API.
fn help(setting: &Setting) -> &'static str {
    ["cxone: ", "routing-v2: "]
        .iter()
        .find_map(|api| setting.help.strip_prefix(api))
        .unwrap_or(setting.help)
}

/// Whether a setting means something for `api`: those whose help names the other API do not.
fn applies(setting: &Setting, api: ApiArg) -> bool {
    let other = match api {
        ApiArg::Cxone => "routing-v2: ",
        ApiArg::RoutingV2 => "cxone: ",
    };
    !setting.help.starts_with(other)
}

pub fn run(args: InitArgs) -> anyhow::Result<i32> {
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    // Refused before any question, so that nobody types a secret for a file that is not written.
    if !args.force && std::fs::symlink_metadata(&path).is_ok() {
        return Err(exists(&path).into());
    }
    let terminal = std::io::stdin().is_terminal();
    let mut prompt = Prompt {
        input: std::io::stdin().lock(),
        output: std::io::stderr(),
        hide: terminal,
    };
    if terminal {
        writeln!(
            prompt.output,
            "Writing {}. Press Enter to leave a value out: its key stays commented out.",
            path.display()
        )?;
    }
    let api = match args.profile {
        Some(api) => api,
        None if terminal => ask_api(&mut prompt)?,
        None => ApiArg::Cxone,
    };
    let mut values = given(&args);
    // Refused before the questions about values, as an existing file is.
    if let Some((key, _)) = values.iter().find(|(key, _)| !needed(api).contains(key)) {
        return Err(Error::Usage(format!(
            "--{} is not a setting of the {} API: nothing was written",
            key.replace('_', "-"),
            api_name(api)
        ))
        .into());
    }
    if terminal {
        ask(api, &mut values, &mut prompt, |name| {
            std::env::var_os(name).is_some()
        })?;
    }
    let answers = Answers { api, values };
    let text = template(&answers);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(&path, e))?;
    }
    crate::atomic::write(
        &path,
        text.as_bytes(),
        std::fs::Permissions::from_mode(0o600),
        args.force,
    )
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(&path),
        _ => write_error(&path, e),
    })?;
    // Read back as every command will read it, the environment included, so that "still to set"
    // is what a command would refuse to run without.
    let missing = Config::load(Some(&path))
        .and_then(|config| config.connection(None, false))
        .map(|connection| connection.missing())
        .unwrap_or_default();
    report(&answers, &path, &missing, &mut std::io::stderr())?;
    Ok(exit::OK)
}

fn exists(path: &Path) -> Error {
    Error::Usage(format!(
        "{} already exists: nothing was written (add --force to replace it)",
        path.display()
    ))
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// What goes into the file: the API, and the values given, by key. A key without a value is
/// written commented out.
struct Answers {
    api: ApiArg,
    values: Vec<(&'static str, String)>,
}

impl Answers {
    fn value(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The values the flags give, for the keys the API needs.
fn given(args: &InitArgs) -> Vec<(&'static str, String)> {
    [
        ("client_id", &args.client_id),
        ("access_key_id", &args.access_key_id),
        ("script_path", &args.script_path),
        ("base_url", &args.base_url),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        let value = value.as_deref()?.trim();
        (!value.is_empty()).then(|| (key, value.to_string()))
    })
    .collect()
}

/// Questions on standard error, answers from standard input; a secret's answer is not echoed
/// when `hide` is set (on a terminal).
struct Prompt<R, W> {
    input: R,
    output: W,
    hide: bool,
}

impl<R: BufRead, W: Write> Prompt<R, W> {
    /// The answer, or None for an empty one (or the end of the input).
    fn ask(&mut self, question: &str) -> std::io::Result<Option<String>> {
        write!(self.output, "{question}: ")?;
        self.output.flush()?;
        let mut line = String::new();
        self.input.read_line(&mut line)?;
        let answer = line.trim();
        Ok((!answer.is_empty()).then(|| answer.to_string()))
    }

    /// As [`Prompt::ask`], without echo. The line is kept as typed but for its line ending: a
    /// secret's blanks may be part of it.
    fn ask_secret(&mut self, question: &str) -> std::io::Result<Option<String>> {
        write!(self.output, "{question}: ")?;
        self.output.flush()?;
        let mut line = String::new();
        {
            let _quiet = if self.hide {
                Some(NoEcho::new()?)
            } else {
                None
            };
            self.input.read_line(&mut line)?;
        }
        // The Enter that ended the line was not echoed either.
        if self.hide {
            writeln!(self.output)?;
        }
        let answer = line.trim_end_matches(['\n', '\r']);
        Ok((!answer.is_empty()).then(|| answer.to_string()))
    }
}

/// The terminal's echo, off while this lives.
struct NoEcho(rustix::termios::Termios);

impl NoEcho {
    fn new() -> std::io::Result<Self> {
        use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
        let stdin = std::io::stdin();
        let before = tcgetattr(&stdin)?;
        let mut quiet = before.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        tcsetattr(&stdin, OptionalActions::Now, &quiet)?;
        Ok(Self(before))
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.0,
        );
    }
}

/// The API, asked for until the answer is one (an empty answer is cxone).
fn ask_api<R: BufRead, W: Write>(prompt: &mut Prompt<R, W>) -> std::io::Result<ApiArg> {
    loop {
        match prompt.ask("API, cxone or routing-v2 [cxone]")?.as_deref() {
            None | Some("cxone") => return Ok(ApiArg::Cxone),
            Some("routing-v2") => return Ok(ApiArg::RoutingV2),
            Some(other) => writeln!(prompt.output, "`{other}` is neither cxone nor routing-v2")?,
        }
    }
}

/// Asks for each value `api` needs that `values` (the flags') lacks, and adds the answers. A
/// secret whose variable is set is not asked for: the tool reads it from there on every run.
fn ask<R: BufRead, W: Write>(
    api: ApiArg,
    values: &mut Vec<(&'static str, String)>,
    prompt: &mut Prompt<R, W>,
    is_set: impl Fn(&str) -> bool,
) -> std::io::Result<()> {
    for key in needed(api) {
        if values.iter().any(|(k, _)| k == key) {
            continue;
        }
        let setting = setting(key);
        let answer = if setting.secret {
            if is_set(&setting.env()) {
                writeln!(prompt.output, "{key}: read from {}", setting.env())?;
                continue;
            }
            prompt.ask_secret(&format!("{key}, {} (not shown as you type)", help(setting)))?
        } else {
            prompt.ask(&format!("{key}, {}", help(setting)))?
        };
        if let Some(value) = answer {
            values.push((setting.key, value));
        }
    }
    Ok(())
}

/// The file: a header, the API, the values it needs (given or commented out), then every other
/// setting of the registry that applies to the API, commented out, each under its help.
fn template(answers: &Answers) -> String {
    let api = answers.api;
    let mut text = format!(
        "# handover-doctor.yaml for the {} API, written by `handover-doctor init`.\n\
         # Every key is optional. HANDOVER_DOCTOR_<KEY> variables override this file, and flags\n\
         # override both: `handover-doctor settings --show` prints what is in force, and from where.\n\
         # It may hold secrets: keep it readable by you alone (chmod 600) and out of version control.\n\n",
        api_name(api)
    );
    let api_setting = setting("api");
    text += &format!("# {}\napi: {}\n", help(api_setting), api_name(api));
    for key in needed(api) {
        let setting = setting(key);
        text += &format!("\n# {}\n", help(setting));
        match answers.value(key) {
            Some(value) => text += &format!("{key}: {}\n", quoted(value)),
            None if setting.secret => {
                text += &format!(
                    "# (or set {}, which keeps it out of this file)\n# {key}:\n",
                    setting.env()
                );
            }
            None => text += &format!("# {key}:\n"),
        }
    }
    text += "\n# Everything else has a default, or is not needed: uncomment a key to set it.\n";
    for setting in SETTINGS {
        if setting.cli_only
            || setting.key == api_setting.key
            || needed(api).contains(&setting.key)
            || !applies(setting, api)
        {
            continue;
        }
        text += &format!("\n# {}\n# {}:\n", help(setting), setting.key);
    }
    text
}

/// A value as a YAML double-quoted scalar, which a JSON string is: whatever it holds (`: `, ` #`,
/// a backslash in a script path) it is read back as typed.
fn quoted(value: &str) -> String {
    serde_json::Value::String(value.to_string()).to_string()
}

/// What was written, what is still to set (`missing`, the keys the tool would refuse to sign in
/// without), and what to run next. No value is repeated: some are secrets.
fn report(
    answers: &Answers,
    path: &Path,
    missing: &[&str],
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "wrote {} for the {} API, readable by you alone",
        path.display(),
        api_name(answers.api)
    )?;
    if !missing.is_empty() {
        let missing: Vec<String> = missing
            .iter()
            .map(|key| format!("{key} (or {})", variable(key)))
            .collect();
        writeln!(out, "still to set: {}", missing.join(", "))?;
    }
    let config = if path == Path::new(DEFAULT_CONFIG) {
        String::new()
    } else {
        format!(" --config {}", path.display())
    };
    writeln!(
        out,
        "next: `handover-doctor auth{config}` signs in; `handover-doctor diagnose{config}` checks the whole handover (the test contact is a dry run)"
    )
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::settings::ConfigFile;

    #[test]
    fn every_template_reads_back_as_a_config_holding_what_was_given() {
        for api in [ApiArg::Cxone, ApiArg::RoutingV2] {
            let empty = template(&Answers {
                api,
                values: Vec::new(),
            });
            serde_saphyr::from_str::<ConfigFile>(&empty).unwrap_or_else(|e| panic!("{e}\n{empty}"));
            let filled = template(&Answers {
                api,
                values: needed(api)
                    .iter()
                    .map(|key| (*key, format!("a: b #c \"d\" Folder\\{key}")))
                    .collect(),
            });
            let file = serde_saphyr::from_str::<ConfigFile>(&filled)
                .unwrap_or_else(|e| panic!("{e}\n{filled}"));
            assert_eq!(
                file.client_id.as_deref(),
                Some("a: b #c \"d\" Folder\\client_id")
            );
            assert_eq!(
                file.client_secret.map(|s| s.0.expose().to_string()),
                Some("a: b #c \"d\" Folder\\client_secret".to_string())
            );
        }
    }

    #[test]
    fn the_template_lists_every_setting_for_its_api_with_its_help() {
        let text = template(&Answers {
            api: ApiArg::RoutingV2,
            values: Vec::new(),
        });
        for setting in SETTINGS.iter().filter(|s| !s.cli_only) {
            let listed = text.contains(&format!("# {}:\n", setting.key))
                || text.contains(&format!("\n{}: ", setting.key));
            assert_eq!(
                listed,
                applies(setting, ApiArg::RoutingV2),
                "{}\n{text}",
                setting.key
            );
            if listed {
                assert!(text.contains(help(setting)), "{}", setting.key);
            }
        }
        assert!(!text.contains("access_key_id"), "a cxone key: {text}");
    }

    #[test]
    fn a_terminal_is_asked_for_what_no_flag_gave_and_a_secret_is_not_repeated() {
        let mut prompt = Prompt {
            input: Cursor::new(
                "soap\ncxone\nsecret of the app\n\nsecret of the key\nHandover\\Cognigy\n",
            ),
            output: Vec::new(),
            hide: false,
        };
        let api = ask_api(&mut prompt).unwrap();
        assert_eq!(api, ApiArg::Cxone);
        let mut values = vec![("client_id", "app-1".to_string())];
        ask(api, &mut values, &mut prompt, |_| false).unwrap();
        assert_eq!(
            values,
            vec![
                ("client_id", "app-1".to_string()),
                ("client_secret", "secret of the app".to_string()),
                ("access_key_secret", "secret of the key".to_string()),
                ("script_path", "Handover\\Cognigy".to_string()),
            ]
        );
        let asked = String::from_utf8(prompt.output).unwrap();
        assert!(
            asked.contains("`soap` is neither cxone nor routing-v2"),
            "{asked}"
        );
        assert!(!asked.contains("client_id,"), "given as a flag: {asked}");
        assert!(
            asked.contains("access_key_id, the access key id: "),
            "{asked}"
        );
        let mut out = Vec::new();
        report(
            &Answers { api, values },
            Path::new("handover-doctor.yaml"),
            &["access_key_id"],
            &mut out,
        )
        .unwrap();
        let said = String::from_utf8(out).unwrap();
        assert!(!said.contains("secret of"), "{said}");
        assert!(
            said.contains("still to set: access_key_id (or HANDOVER_DOCTOR_ACCESS_KEY_ID)"),
            "{said}"
        );
    }

    #[test]
    fn a_secret_in_the_environment_is_not_asked_for() {
        let mut prompt = Prompt {
            input: Cursor::new("\n\n\n"),
            output: Vec::new(),
            hide: false,
        };
        let mut values = Vec::new();
        ask(ApiArg::RoutingV2, &mut values, &mut prompt, |name| {
            name == "HANDOVER_DOCTOR_CLIENT_SECRET"
        })
        .unwrap();
        assert!(values.is_empty());
        let asked = String::from_utf8(prompt.output).unwrap();
        assert!(
            asked.contains("client_secret: read from HANDOVER_DOCTOR_CLIENT_SECRET"),
            "{asked}"
        );
    }
}
