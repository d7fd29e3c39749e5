//! Settings resolution: flags override the environment, which overrides the config file, which
//! overrides the defaults. Every config key can come from `HANDOVER_DOCTOR_<KEY>`; [`SETTINGS`] is the
//! one list of them (docs/configuration.md is checked against it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handover_core::engine::DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES;
use handover_core::{Api, CheckSettings, Level, PhoneCheck, rules};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::cli::{ApiArg, PayloadArgs, PhoneCheckArg};
use crate::error::Error;

pub mod resolve;

/// The config file looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "handover-doctor.yaml";

/// One setting: its key in the config file, and what it is for. Its environment variable is
/// `HANDOVER_DOCTOR_` and the key in capitals.
pub struct Setting {
    pub key: &'static str,
    /// A text value: taken from the environment as it is, never parsed as YAML.
    pub text: bool,
    /// Only on the command line and in the environment, not in the config file.
    pub cli_only: bool,
    pub help: &'static str,
}

impl Setting {
    pub fn env(&self) -> String {
        format!("HANDOVER_DOCTOR_{}", self.key.to_ascii_uppercase())
    }
}

macro_rules! settings {
    ($($key:literal $kind:ident : $help:literal,)*) => {
        pub const SETTINGS: &[Setting] = &[$(Setting {
            key: $key,
            text: settings!(@text $kind),
            cli_only: settings!(@cli $kind),
            help: $help,
        }),*];
    };
    (@text text) => { true };
    (@text $other:ident) => { false };
    (@cli cli) => { true };
    (@cli $other:ident) => { false };
}

settings! {
    "config" cli: "the config file (default: ./handover-doctor.yaml, then the user's config directory)",
    "format" cli: "output format",
    "threads" cli: "worker threads for batch validation",
    "api" value: "cxone (the default) or routing-v2",
    "default_region" text: "ISO 3166 country code for national phone numbers, e.g. US",
    "required_attributes" value: "customAttributes keys the Studio script needs, a YAML list: [intent, customerId]",
    "max_custom_attributes_bytes" value: "largest customAttributes, serialised, before HD401 (65536)",
    "phone_check" value: "basic (E.164 syntax and calling code) or full (also the numbering plan, HD306)",
    "severity" value: "rules re-levelled, a YAML map: {HD103: off, placeholder-value: error}",
    "auth_url" text: "cxone: the token endpoint's host (https://cxone.niceincontact.com)",
    "access_key_url" text: "cxone: the access-key token endpoint's host, used without a client id (https://na1.nice-incontact.com)",
    "api_base" text: "cxone: the tenant's API host; skips discovery",
    "api_version" text: "cxone: the ACD API version (v30.0)",
    "base_url" text: "routing-v2: the API's base URL",
    "client_id" text: "the registered app's client id",
    "client_secret" text: "the registered app's client secret",
    "access_key_id" text: "cxone: the access key id",
    "access_key_secret" text: "cxone: the access key secret",
    "script_path" text: "cxone: the Studio script a test contact spawns (Folder\\Name)",
    "test_payload" value: "the payload diagnose checks and simulates with, as YAML or JSON",
    "connect_timeout_seconds" value: "connect timeout per request (5)",
    "request_timeout_seconds" value: "timeout per request (15)",
    "retry_budget_seconds" value: "total time one call may take with its retries (30)",
    "max_attempts" value: "attempts per call, the first included (5)",
    "allow_insecure_http" value: "true to allow plain http:// to hosts other than this machine",
    "slow_call_ms" value: "a call slower than this gets HD807 (250)",
    "follow_seconds" value: "how long simulate --follow watches the contact (10)",
    "signal_params" value: "cxone: where a signal's p1..p9 travel: query, body or both (both)",
    "max_pages" value: "cxone: the most pages of 100 records one list is read to, before HD707 (50)",
    "cluster_api_url" text: "cxone: the API host when discovery fails; {cluster} is the token's icClusterId (https://api-{cluster}.nice-incontact.com)",
}

/// The config file as written. Every key is optional; unknown keys are errors, so typos do not pass silently.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub api: Option<ApiValue>,
    pub default_region: Option<Spanned<String>>,
    pub required_attributes: Option<Vec<String>>,
    pub max_custom_attributes_bytes: Option<usize>,
    pub phone_check: Option<PhoneCheckValue>,
    pub severity: Option<HashMap<Spanned<String>, LevelValue>>,
    pub auth_url: Option<String>,
    pub access_key_url: Option<String>,
    pub api_base: Option<String>,
    pub api_version: Option<String>,
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<SecretValue>,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<SecretValue>,
    pub script_path: Option<String>,
    pub test_payload: Option<serde_json::Value>,
    pub connect_timeout_seconds: Option<f64>,
    pub request_timeout_seconds: Option<f64>,
    pub retry_budget_seconds: Option<f64>,
    pub max_attempts: Option<u32>,
    pub allow_insecure_http: Option<bool>,
    pub slow_call_ms: Option<u64>,
    pub follow_seconds: Option<f64>,
    pub signal_params: Option<crate::cli::SignalParamsArg>,
    pub max_pages: Option<u32>,
    pub cluster_api_url: Option<String>,
}

/// A secret read from the config: never printed, not even by Debug.
pub struct SecretValue(pub cxone_client::Secret);

impl<'de> Deserialize<'de> for SecretValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretValue(cxone_client::Secret::new(s)))
    }
}

impl ConfigFile {
    /// This file with every key `over` sets taken from `over`.
    fn overlay(self, over: ConfigFile) -> ConfigFile {
        ConfigFile {
            api: over.api.or(self.api),
            default_region: over.default_region.or(self.default_region),
            required_attributes: over.required_attributes.or(self.required_attributes),
            max_custom_attributes_bytes: over
                .max_custom_attributes_bytes
                .or(self.max_custom_attributes_bytes),
            phone_check: over.phone_check.or(self.phone_check),
            severity: over.severity.or(self.severity),
            auth_url: over.auth_url.or(self.auth_url),
            access_key_url: over.access_key_url.or(self.access_key_url),
            api_base: over.api_base.or(self.api_base),
            api_version: over.api_version.or(self.api_version),
            base_url: over.base_url.or(self.base_url),
            client_id: over.client_id.or(self.client_id),
            client_secret: over.client_secret.or(self.client_secret),
            access_key_id: over.access_key_id.or(self.access_key_id),
            access_key_secret: over.access_key_secret.or(self.access_key_secret),
            script_path: over.script_path.or(self.script_path),
            test_payload: over.test_payload.or(self.test_payload),
            connect_timeout_seconds: over
                .connect_timeout_seconds
                .or(self.connect_timeout_seconds),
            request_timeout_seconds: over
                .request_timeout_seconds
                .or(self.request_timeout_seconds),
            retry_budget_seconds: over.retry_budget_seconds.or(self.retry_budget_seconds),
            max_attempts: over.max_attempts.or(self.max_attempts),
            allow_insecure_http: over.allow_insecure_http.or(self.allow_insecure_http),
            slow_call_ms: over.slow_call_ms.or(self.slow_call_ms),
            follow_seconds: over.follow_seconds.or(self.follow_seconds),
            signal_params: over.signal_params.or(self.signal_params),
            max_pages: over.max_pages.or(self.max_pages),
            cluster_api_url: over.cluster_api_url.or(self.cluster_api_url),
        }
    }

    fn holds_secrets(&self) -> bool {
        self.client_secret.is_some() || self.access_key_secret.is_some()
    }
}

/// The settings the environment gives, read as a config file of their own so that they are
/// parsed and checked exactly as the file's are.
fn from_environment() -> Result<ConfigFile, Error> {
    let mut yaml = String::new();
    let mut names = Vec::new();
    for setting in SETTINGS.iter().filter(|s| !s.cli_only) {
        let Ok(value) = std::env::var(setting.env()) else {
            continue;
        };
        let value = if setting.text {
            serde_json::Value::String(value).to_string()
        } else {
            value
        };
        yaml.push_str(&format!("{}: {value}\n", setting.key));
        names.push(setting.env());
    }
    if yaml.is_empty() {
        return Ok(ConfigFile::default());
    }
    serde_saphyr::from_str(&yaml).map_err(|e| {
        Error::Usage(format!(
            "invalid setting in the environment ({}): {}",
            names.join(", "),
            first_line(&e.to_string())
        ))
    })
}

/// The user's config file: `$XDG_CONFIG_HOME/handover-doctor/config.yaml`, else `~/.config/...`.
fn user_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("handover-doctor").join("config.yaml"))
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
    /// No file and no environment: the defaults, for `--demo`.
    pub fn none() -> Config {
        Config {
            path: None,
            text: String::new(),
            file: ConfigFile::default(),
        }
    }

    /// Reads `--config FILE`, else `./handover-doctor.yaml`, else the user's config file, when
    /// present; then lays the environment's settings over it.
    pub fn load(explicit: Option<&Path>) -> Result<Config, Error> {
        let found = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => [Some(PathBuf::from(DEFAULT_CONFIG)), user_config()]
                .into_iter()
                .flatten()
                .find(|p| p.is_file()),
        };
        let mut config = match found {
            Some(path) => Self::read(path)?,
            None => Config::none(),
        };
        config.file = std::mem::take(&mut config.file).overlay(from_environment()?);
        Ok(config)
    }

    fn read(path: PathBuf) -> Result<Config, Error> {
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
        if file.holds_secrets() {
            warn_if_readable_by_others(&path);
        }
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

    /// The API this config means, decided here once for every command: the flag, else the file's
    /// `api`, else routing-v2 for the tutorial's `config.yaml` (a `base_url` and a client id but no
    /// access key), else cxone.
    pub fn api(&self, flag: Option<ApiArg>) -> Api {
        match (flag, self.file.api) {
            (Some(ApiArg::Cxone), _) | (None, Some(ApiValue::Cxone)) => Api::Cxone,
            (Some(ApiArg::RoutingV2), _) | (None, Some(ApiValue::RoutingV2)) => Api::RoutingV2,
            (None, None) if self.tutorial_shaped() => Api::RoutingV2,
            (None, None) => Api::default(),
        }
    }

    pub fn docs_url(&self) -> Option<&str> {
        None
    }

    fn tutorial_shaped(&self) -> bool {
        let f = &self.file;
        f.base_url.is_some()
            && f.client_id.is_some()
            && f.access_key_id.is_none()
            && f.access_key_secret.is_none()
    }

    /// Said once on stderr when the API was inferred from the config's shape rather than set.
    pub fn api_note(&self, flag: Option<ApiArg>) -> Option<String> {
        (flag.is_none() && self.file.api.is_none() && self.tutorial_shaped()).then(|| {
            "note: the config has base_url and client credentials but no access key: using the routing-v2 API (set `api: cxone` and an access key for a real CXone tenant)".to_string()
        })
    }

    /// The engine's settings from flags over this file.
    pub fn check_settings(
        &self,
        api: Option<ApiArg>,
        args: &PayloadArgs,
    ) -> Result<CheckSettings, Error> {
        let mut settings = CheckSettings {
            api: self.api(api),
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
        settings.required_attributes = self.file.required_attributes.clone().unwrap_or_default();
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
        let mut levels: Vec<_> = self.file.severity.iter().flatten().collect();
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

/// How to reach the contact center, resolved from flags, environment and file.
pub struct Connection {
    pub profile: cxone_client::Profile,
    /// Said once when the profile was inferred rather than set.
    pub note: Option<String>,
    pub credentials: cxone_client::Credentials,
    pub cxone: cxone_client::cxone::CxoneSettings,
    pub base_url: Option<String>,
    pub http: cxone_client::HttpSettings,
    pub script_path: Option<String>,
    pub slow_call: std::time::Duration,
    pub follow: std::time::Duration,
}

fn seconds(setting: &str, value: Option<f64>, default: f64) -> Result<std::time::Duration, Error> {
    let value = value.unwrap_or(default);
    std::time::Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::Usage(format!(
                "{setting} must be a positive number of seconds, not {value}"
            ))
        })
}

impl Config {
    /// The connection: the API profile, credentials, endpoints and HTTP behaviour.
    pub fn connection(
        &self,
        api: Option<ApiArg>,
        allow_insecure_http: bool,
    ) -> Result<Connection, Error> {
        use cxone_client::Profile;
        let f = &self.file;
        let profile = match self.api(api) {
            Api::Cxone => Profile::Cxone,
            Api::RoutingV2 => Profile::RoutingV2,
        };
        let note = self.api_note(api);
        let defaults = cxone_client::cxone::CxoneSettings::default();
        let http_defaults = cxone_client::HttpSettings::default();
        let http = cxone_client::HttpSettings {
            connect_timeout: seconds("connect_timeout_seconds", f.connect_timeout_seconds, 5.0)?,
            request_timeout: seconds("request_timeout_seconds", f.request_timeout_seconds, 15.0)?,
            retry_budget: seconds("retry_budget_seconds", f.retry_budget_seconds, 30.0)?,
            max_attempts: f.max_attempts.unwrap_or(http_defaults.max_attempts).max(1),
            allow_insecure_http: allow_insecure_http || f.allow_insecure_http.unwrap_or(false),
            ..http_defaults
        };
        Ok(Connection {
            profile,
            note,
            credentials: cxone_client::Credentials {
                client_id: f.client_id.clone(),
                client_secret: f.client_secret.as_ref().map(|s| s.0.clone()),
                access_key_id: f.access_key_id.clone(),
                access_key_secret: f.access_key_secret.as_ref().map(|s| s.0.clone()),
            },
            cxone: cxone_client::cxone::CxoneSettings {
                auth_url: f.auth_url.clone().unwrap_or(defaults.auth_url),
                access_key_url: f.access_key_url.clone().unwrap_or(defaults.access_key_url),
                api_base: f.api_base.clone(),
                api_version: f.api_version.clone().unwrap_or(defaults.api_version),
                signal_params: f.signal_params.map_or(
                    defaults.signal_params,
                    crate::cli::SignalParamsArg::to_client,
                ),
                max_pages: match f.max_pages {
                    Some(0) => {
                        return Err(Error::Usage(
                            "max_pages must be at least 1: a list is read to at least one page"
                                .into(),
                        ));
                    }
                    Some(n) => n,
                    None => defaults.max_pages,
                },
                cluster_api_url: f
                    .cluster_api_url
                    .clone()
                    .unwrap_or(defaults.cluster_api_url),
            },
            base_url: f.base_url.clone(),
            http,
            script_path: f.script_path.clone(),
            slow_call: std::time::Duration::from_millis(f.slow_call_ms.unwrap_or(250)),
            follow: seconds("follow_seconds", f.follow_seconds, 10.0)?,
        })
    }
}

impl Connection {
    /// The client for this connection's profile.
    pub fn client(&self) -> Result<cxone_client::Client, Error> {
        use cxone_client::{Client, Profile};
        let client = match self.profile {
            Profile::Cxone => cxone_client::cxone::CxoneClient::new(
                self.credentials.clone(),
                self.cxone.clone(),
                self.http.clone(),
            )
            .map(Client::Cxone),
            Profile::RoutingV2 => {
                let Some(base) = &self.base_url else {
                    return Err(Error::Usage(
                        "the routing-v2 profile needs base_url (config, or HANDOVER_DOCTOR_BASE_URL)".into(),
                    ));
                };
                cxone_client::routing_v2::RoutingClient::new(
                    self.credentials.clone(),
                    base,
                    self.http.clone(),
                )
                .map(Client::RoutingV2)
            }
        };
        client.map_err(|e| Error::Usage(e.to_string()))
    }
}
