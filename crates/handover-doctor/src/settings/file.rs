//! The config file: where it is looked for, how it is parsed, and the values its keys take beyond
//! plain text and numbers.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Config, ConfigFile, DEFAULT_CONFIG};
use crate::error::Error;

/// Where the config file was looked for, and the one found.
pub struct Search {
    pub found: Option<PathBuf>,
    /// Every path looked at, in order, the found one last: what an error about a missing
    /// setting lists when no file was found.
    pub searched: Vec<PathBuf>,
}

/// `--config FILE`; else `handover-doctor.yaml` in the working directory, then in each folder
/// above it up to the filesystem root, as cargo and ruff look for theirs; else the user's config
/// file. The walk does not stop at the home directory: a project outside it (a CI checkout under
/// /builds) is found the same way, and a file in the home directory serves every project below.
pub fn find(explicit: Option<&Path>) -> Search {
    if let Some(path) = explicit {
        return Search {
            found: Some(path.to_path_buf()),
            searched: Vec::new(),
        };
    }
    let mut searched = Vec::new();
    let here = std::env::current_dir().ok();
    for (depth, folder) in here.iter().flat_map(|d| d.ancestors()).enumerate() {
        let candidate = folder.join(DEFAULT_CONFIG);
        searched.push(candidate.clone());
        if !candidate.is_file() {
            continue;
        }
        if shared(folder) {
            eprintln!(
                "warning: ignoring {}: {} is a shared folder anyone can write into, so the file may not be yours (pass --config {} to use it)",
                candidate.display(),
                folder.display(),
                candidate.display()
            );
            continue;
        }
        // The working directory's own file keeps the short name messages have always shown.
        let found = if depth == 0 {
            PathBuf::from(DEFAULT_CONFIG)
        } else {
            candidate
        };
        return Search {
            found: Some(found),
            searched,
        };
    }
    if let Some(user) = user_config() {
        searched.push(user.clone());
        if user.is_file() {
            return Search {
                found: Some(user),
                searched,
            };
        }
    }
    Search {
        found: None,
        searched,
    }
}

/// A folder every user may write into and that keeps each one's files their own (sticky and
/// world-writable: /tmp). A config found there may have been left by someone else to point the
/// credentials in the environment at their own host, so the walk does not take it.
fn shared(folder: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(folder).is_ok_and(|m| m.permissions().mode() & 0o1002 == 0o1002)
}

/// The user's config file: `$XDG_CONFIG_HOME/handover-doctor/config.yaml`, else `~/.config/...`.
fn user_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("handover-doctor").join("config.yaml"))
}

/// The file at `path`, parsed; its text is kept so that a later error can show the line it is about.
pub fn read(path: PathBuf) -> Result<Config, Error> {
    let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
    let file = if text.trim().is_empty() {
        ConfigFile::default()
    } else {
        serde_saphyr::from_str::<ConfigFile>(&text).map_err(|e| {
            let (line, column) = e
                .location()
                .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
            Error::Config {
                path: path.clone(),
                line,
                column,
                message: first_line(&e.to_string()),
                text: text.clone(),
            }
        })?
    };
    if file.client_secret.is_some()
        || file.access_key_secret.is_some()
        || file.cognigy_api_key.is_some()
    {
        warn_if_readable_by_others(&path);
    }
    Ok(Config {
        path: Some(path),
        text,
        file,
        ..Config::none()
    })
}

/// Secrets in a file others can read are secrets no more: say so, once, on stderr.
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "warning: {} holds secrets and can be read by group or others (mode {:o}); run: chmod 600 {}",
            path.display(),
            meta.permissions().mode() & 0o777,
            path.display()
        );
    }
}

/// The YAML parser's message without its own `error: line N column M:` prefix, which the
/// rendered snippet already shows.
pub fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, rest)) => rest.to_string(),
        None => line.to_string(),
    }
}

/// A secret read from the config: never printed, not even by Debug.
pub struct SecretValue(pub cxone_client::Secret);

impl<'de> Deserialize<'de> for SecretValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretValue(cxone_client::Secret::new(s)))
    }
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum ApiValue {
    Cxone,
    RoutingV2,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneCheckValue {
    Basic,
    Full,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum LevelValue {
    Off,
    Warning,
    Error,
}

/// `watch:` in the config file.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct WatchValue {
    /// Skill ids, as numbers or text.
    #[serde(default)]
    pub skills: Option<Vec<SkillId>>,
    pub interval_seconds: Option<f64>,
    pub listen: Option<String>,
    pub rehearse_every: Option<u32>,
}

/// A skill id as YAML gives it: `4012345` or `"4012345"`.
#[derive(Debug, Clone)]
pub struct SkillId(pub String);

impl<'de> Deserialize<'de> for SkillId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Id {
            Number(u64),
            Text(String),
        }
        Ok(SkillId(match Id::deserialize(d)? {
            Id::Number(n) => n.to_string(),
            Id::Text(t) => t.trim().to_string(),
        }))
    }
}
