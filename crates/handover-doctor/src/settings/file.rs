//! The config file: where it is looked for, how it is parsed, and the values its keys take beyond
//! plain text and numbers.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Config, ConfigFile, DEFAULT_CONFIG};
use crate::error::Error;

/// `--config FILE`, else `./handover-doctor.yaml`, else the user's config file, when present.
pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => [Some(PathBuf::from(DEFAULT_CONFIG)), user_config()]
            .into_iter()
            .flatten()
            .find(|p| p.is_file()),
    }
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
    if file.client_secret.is_some() || file.access_key_secret.is_some() {
        warn_if_readable_by_others(&path);
    }
    Ok(Config {
        path: Some(path),
        text,
        file,
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
