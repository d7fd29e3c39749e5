//! `settings --show`: the value in force of every setting, and where it comes from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use handover_core::CheckSettings;
use serde_json::{Value, json};

use super::{Config, SETTINGS, Setting, env, variable};
use crate::error::Error;

/// Where a value comes from. A flag is known only for `--config`: `settings` takes no other.
pub enum Source {
    Flag,
    Environment(String),
    File(PathBuf),
    Default,
    Unset,
}

impl Source {
    /// flag, environment, file, default or unset.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Environment(_) => "environment",
            Source::File(_) => "file",
            Source::Default => "default",
            Source::Unset => "unset",
        }
    }

    /// The flag, the variable or the file the value comes from.
    pub fn origin(&self, setting: &Setting) -> Option<String> {
        match self {
            Source::Flag => Some(format!("--{}", setting.key)),
            Source::Environment(variable) => Some(variable.clone()),
            Source::File(path) => Some(path.display().to_string()),
            Source::Default | Source::Unset => None,
        }
    }
}

/// One setting as it stands.
pub struct Effective {
    pub setting: &'static Setting,
    /// The value, as JSON; a secret's is `***`. None when nothing sets it and nothing stands in.
    pub value: Option<Value>,
    pub source: Source,
}

/// Shown instead of a secret's value.
pub const MASK: &str = "***";

/// Every setting in [`SETTINGS`] order, resolved as a command would resolve it: `--config FILE`
/// (else `HANDOVER_DOCTOR_CONFIG`, else the file found), then the environment over the file over
/// the defaults.
pub fn effective(flag: Option<&Path>) -> Result<Vec<Effective>, Error> {
    let var = |name: &str| std::env::var(name).ok();
    let (explicit, config_source) = match (flag, var(&variable("config"))) {
        (Some(path), _) => (Some(path.to_path_buf()), Source::Flag),
        (None, Some(path)) => (
            Some(PathBuf::from(path)),
            Source::Environment(variable("config")),
        ),
        (None, None) => (None, Source::Default),
    };
    let config = Config::load(explicit.as_deref())?;
    let mut config_row = Some(match &config.path {
        Some(path) => (Some(json!(path.display().to_string())), config_source),
        None => (None, Source::Unset),
    });
    let written = file_values(&config)?;
    let mut from_environment: Vec<(&'static Setting, String)> = env::present(var).collect();
    let defaults = Defaults::new();
    let mut all = Vec::with_capacity(SETTINGS.len());
    for setting in SETTINGS {
        let (value, source) = if setting.key == "config"
            && let Some(row) = config_row.take()
        {
            row
        } else if let Some(at) = from_environment
            .iter()
            .position(|(s, _)| s.key == setting.key)
        {
            let (_, raw) = from_environment.swap_remove(at);
            (
                Some(environment_value(setting, raw)),
                Source::Environment(setting.env()),
            )
        } else if setting.cli_only
            && let Some(raw) = var(&setting.env())
        {
            (Some(json!(raw)), Source::Environment(setting.env()))
        } else if let Some(value) = written.get(setting.key) {
            let path = config.path.clone().unwrap_or_default();
            (Some(value.clone()), Source::File(path))
        } else {
            match defaults.of(setting.key) {
                Some(value) => (Some(value), Source::Default),
                None => (None, Source::Unset),
            }
        };
        let value = match value {
            Some(_) if setting.secret => Some(json!(MASK)),
            other => other,
        };
        all.push(Effective {
            setting,
            value,
            source,
        });
    }
    Ok(all)
}

/// The file's keys and values as written. The file has been parsed as a config already, so this
/// second reading of it cannot fail on what the first accepted.
fn file_values(config: &Config) -> Result<serde_json::Map<String, Value>, Error> {
    if config.text.trim().is_empty() {
        return Ok(serde_json::Map::new());
    }
    match as_written(&config.text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(serde_json::Map::new()),
        Err(e) => Err(Error::Bug(format!(
            "the config was read as settings but not as YAML: {e}"
        ))),
    }
}

/// A variable's value as the environment layer reads it: text as it is, the others as YAML. The
/// layer has accepted it already; what does not read as YAML here is shown as it is.
fn environment_value(setting: &Setting, raw: String) -> Value {
    if setting.text {
        return Value::String(raw);
    }
    as_written(&raw).unwrap_or(Value::String(raw))
}

/// YAML as JSON, each scalar as written: `off` in a `severity` map is the level `off`, which
/// YAML 1.1 would turn into `false`.
fn as_written(yaml: &str) -> Result<Value, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(yaml, serde_saphyr::options! { strict_booleans: true })
}

/// What each setting is when nothing sets it: taken from what a command resolves from no file
/// and no environment, so that it is the value a run would use.
struct Defaults {
    connection: Option<super::Connection>,
    check: CheckSettings,
}

impl Defaults {
    fn new() -> Self {
        Self {
            connection: Config::none().connection(None, false).ok(),
            check: CheckSettings::default(),
        }
    }

    fn of(&self, key: &str) -> Option<Value> {
        let check = &self.check;
        let value = match key {
            "format" => json!("human"),
            "threads" => json!(std::thread::available_parallelism().map_or(1, |n| n.get())),
            "required_attributes" => json!(check.required_attributes),
            "max_custom_attributes_bytes" => json!(check.max_custom_attributes_bytes),
            "phone_check" => json!(format!("{:?}", check.phone_check).to_lowercase()),
            "severity" => json!({}),
            "docs_url" => json!(crate::report::DEFAULT_DOCS_URL),
            _ => return self.connection(key),
        };
        Some(value)
    }

    fn connection(&self, key: &str) -> Option<Value> {
        let c = self.connection.as_ref()?;
        let seconds = |d: Duration| json!(d.as_secs_f64());
        Some(match key {
            "api" => json!(c.profile.as_str()),
            "auth_url" => json!(c.cxone.auth_url),
            "access_key_url" => json!(c.cxone.access_key_url),
            "api_version" => json!(c.cxone.api_version),
            "connect_timeout_seconds" => seconds(c.http.connect_timeout),
            "request_timeout_seconds" => seconds(c.http.request_timeout),
            "retry_budget_seconds" => seconds(c.http.retry_budget),
            "max_attempts" => json!(c.http.max_attempts),
            "allow_insecure_http" => json!(c.http.allow_insecure_http),
            "slow_call_ms" => json!(c.slow_call.as_millis() as u64),
            "follow_seconds" => seconds(c.follow),
            "signal_params" => json!(format!("{:?}", c.cxone.signal_params).to_lowercase()),
            "max_pages" => json!(c.cxone.max_pages),
            "cluster_api_url" => json!(c.cxone.cluster_api_url),
            _ => return None,
        })
    }
}
