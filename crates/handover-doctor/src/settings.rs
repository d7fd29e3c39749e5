//! Settings resolution: flags override the environment (clap reads `HANDOVER_DOCTOR_*` for each flag
//! that has one), which overrides the config file, which overrides the defaults.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handover_core::engine::DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES;
use handover_core::{Api, CheckSettings, Level, PhoneCheck, rules};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::cli::{ApiArg, CheckArgs, PhoneCheckArg};
use crate::error::Error;

/// The config file looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "handover-doctor.yaml";

/// The config file as written. Every key is optional; unknown keys are errors, so typos do not pass silently.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub api: Option<ApiValue>,
    pub default_region: Option<Spanned<String>>,
    #[serde(default)]
    pub required_attributes: Vec<String>,
    pub max_custom_attributes_bytes: Option<usize>,
    pub phone_check: Option<PhoneCheckValue>,
    #[serde(default)]
    pub severity: HashMap<Spanned<String>, LevelValue>,
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

/// A config file, read and parsed, with where it came from.
pub struct Config {
    pub path: Option<PathBuf>,
    pub text: String,
    pub file: ConfigFile,
}

impl Config {
    /// Reads `--config FILE`, else `./handover-doctor.yaml` when present, else nothing.
    pub fn load(explicit: Option<&Path>) -> Result<Config, Error> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG);
                if !default.is_file() {
                    return Ok(Config {
                        path: None,
                        text: String::new(),
                        file: ConfigFile::default(),
                    });
                }
                default
            }
        };
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
        Ok(Config {
            path: Some(path),
            text,
            file,
        })
    }

    fn error_at(&self, line: u64, column: u64, message: String) -> Error {
        Error::Config {
            path: self.path.clone().unwrap_or_default(),
            line: line as usize,
            column: column as usize,
            message,
            text: self.text.clone(),
        }
    }

    pub fn api(&self, flag: Option<ApiArg>) -> Api {
        match (flag, self.file.api) {
            (Some(ApiArg::Cxone), _) | (None, Some(ApiValue::Cxone)) => Api::Cxone,
            (Some(ApiArg::RoutingV2), _) | (None, Some(ApiValue::RoutingV2)) => Api::RoutingV2,
            (None, None) => Api::default(),
        }
    }

    /// The engine's settings from flags over this file.
    pub fn check_settings(&self, args: &CheckArgs) -> Result<CheckSettings, Error> {
        let mut settings = CheckSettings {
            api: self.api(args.api),
            ..CheckSettings::default()
        };
        settings.default_region = match (&args.default_region, &self.file.default_region) {
            (Some(flag), _) => {
                if !settings.numbering_plan.knows_region(flag) {
                    return Err(Error::Usage(format!(
                        "--default-region `{flag}` is not a country code the numbering plan knows (use ISO 3166 codes such as US, GB, DE)"
                    )));
                }
                Some(flag.to_ascii_uppercase())
            }
            (None, Some(spanned)) => {
                if !settings.numbering_plan.knows_region(&spanned.value) {
                    return Err(self.error_at(
                        spanned.referenced.line(),
                        spanned.referenced.column(),
                        format!(
                            "default_region `{}` is not a country code the numbering plan knows (use ISO 3166 codes such as US, GB, DE)",
                            spanned.value
                        ),
                    ));
                }
                Some(spanned.value.to_ascii_uppercase())
            }
            (None, None) => None,
        };
        settings.required_attributes = self.file.required_attributes.clone();
        for key in &args.required_attributes {
            if !settings.required_attributes.contains(key) {
                settings.required_attributes.push(key.clone());
            }
        }
        settings.max_custom_attributes_bytes = args
            .max_custom_attributes_bytes
            .or(self.file.max_custom_attributes_bytes)
            .unwrap_or(DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES);
        settings.phone_check = match (args.phone_check, self.file.phone_check) {
            (Some(PhoneCheckArg::Full), _) | (None, Some(PhoneCheckValue::Full)) => {
                PhoneCheck::Full
            }
            _ => PhoneCheck::Basic,
        };
        let mut levels: Vec<_> = self.file.severity.iter().collect();
        levels.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
        for (key, level) in levels {
            let Some(rule) = rules::find(&key.value) else {
                return Err(self.error_at(
                    key.referenced.line(),
                    key.referenced.column(),
                    format!(
                        "`{}` is not a rule code or name (see `handover-doctor rules`)",
                        key.value
                    ),
                ));
            };
            let level = match level {
                LevelValue::Off => Level::Off,
                LevelValue::Warning => Level::Warning,
                LevelValue::Error => Level::Error,
            };
            settings.levels.push((rule, level));
        }
        Ok(settings)
    }
}

/// The YAML parser's message without its own `error: line N column M:` prefix, which the
/// rendered snippet already shows.
fn first_line(message: &str) -> String {
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
