//! Settings resolution: flags override the environment, which overrides the config file, which
//! overrides the defaults. Every config key can come from `HANDOVER_DOCTOR_<KEY>`; [`SETTINGS`] is the
//! one list of them (docs/configuration.md is checked against it), and [`ConfigFile`] with its
//! layering is made from the same list, so that a key is added in one place.

mod combine;
pub mod effective;
mod env;
mod file;
pub mod resolve;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handover_core::engine::DEFAULT_MAX_CUSTOM_ATTRIBUTES_BYTES;
use handover_core::{Api, CheckSettings, Level, PhoneCheck, Rule};
use serde::Deserialize;
use serde_saphyr::Spanned;

use self::combine::Combine;
pub use self::file::{ApiValue, LevelValue, PhoneCheckValue, SecretValue, WatchValue};
use crate::cli::{ApiArg, Format, PayloadArgs, PhoneCheckArg, SignalParamsArg};
use crate::error::Error;

/// The config file looked for in the working directory and the folders above it when `--config`
/// is not given.
pub const DEFAULT_CONFIG: &str = "handover-doctor.yaml";

/// One setting: its key in the config file, and what it is for. Its environment variable is
/// `HANDOVER_DOCTOR_` and the key in capitals.
pub struct Setting {
    pub key: &'static str,
    /// A text value: taken from the environment as it is, never parsed as YAML.
    pub text: bool,
    /// Only on the command line and in the environment, not in the config file.
    pub cli_only: bool,
    /// Never shown: `settings --show` prints `***` for it, and `init` asks for it without echo.
    pub secret: bool,
    pub help: &'static str,
}

impl Setting {
    pub fn env(&self) -> String {
        variable(self.key)
    }
}

/// The environment variable of the setting `key`.
pub fn variable(key: &str) -> String {
    format!("HANDOVER_DOCTOR_{}", key.to_ascii_uppercase())
}

/// Makes [`SETTINGS`], [`ConfigFile`] and its [`Combine`] from one list, each entry one of
///
/// ```text
/// cli key => "help",               read by clap, from its flag or its variable
/// text key: Type => "help",        in the file; its variable is taken as it is
/// value key: Type => "help",       in the file; its variable is YAML
/// ```
///
/// A text setting of type `SecretValue` is a secret: the type that keeps it out of Debug output
/// also marks it in the registry, so that no list of secret keys can miss one.
///
/// Each entry is sorted into the registry, and into the file's fields unless it is `cli`, one at a
/// time, since a repetition cannot leave some entries out.
macro_rules! settings {
    (@sort [$($setting:tt)*] [$($field:tt)*] cli $key:ident => $help:literal, $($rest:tt)*) => {
        settings!(@sort [$($setting)* ($key, false, true, false, $help)] [$($field)*] $($rest)*);
    };
    (@sort [$($setting:tt)*] [$($field:tt)*] text $key:ident: SecretValue => $help:literal, $($rest:tt)*) => {
        settings!(@sort
            [$($setting)* ($key, true, false, true, $help)]
            [$($field)* ($key: SecretValue => $help)]
            $($rest)*
        );
    };
    (@sort [$($setting:tt)*] [$($field:tt)*] text $key:ident: $ty:ty => $help:literal, $($rest:tt)*) => {
        settings!(@sort
            [$($setting)* ($key, true, false, false, $help)]
            [$($field)* ($key: $ty => $help)]
            $($rest)*
        );
    };
    (@sort [$($setting:tt)*] [$($field:tt)*] value $key:ident: $ty:ty => $help:literal, $($rest:tt)*) => {
        settings!(@sort
            [$($setting)* ($key, false, false, false, $help)]
            [$($field)* ($key: $ty => $help)]
            $($rest)*
        );
    };
    (@sort
        [$(($key:ident, $text:literal, $cli_only:literal, $secret:literal, $help:literal))*]
        [$(($field:ident: $ty:ty => $doc:literal))*]
    ) => {
        /// Every setting, in the order `handover-doctor settings` and docs/configuration.md list them.
        pub const SETTINGS: &[Setting] = &[$(Setting {
            key: stringify!($key),
            text: $text,
            cli_only: $cli_only,
            secret: $secret,
            help: $help,
        }),*];

        /// The config file as written. Every key is optional; unknown keys are errors, so typos do
        /// not pass silently.
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        pub struct ConfigFile {
            $(#[doc = $doc] pub $field: Option<$ty>,)*
        }

        impl Combine for ConfigFile {
            fn combine(self, other: Self) -> Self {
                ConfigFile {
                    $($field: self.$field.combine(other.$field),)*
                }
            }
        }
    };
    (@sort $($wrong:tt)*) => {
        compile_error!("a setting is `cli key => \"help\",` or `text|value key: Type => \"help\",`");
    };
    ($($entry:tt)*) => {
        settings!(@sort [] [] $($entry)*);
    };
}

settings! {
    cli config => "the config file (default: the nearest handover-doctor.yaml from the working directory up, then the user's config directory)",
    cli format => "output format (not read by --demo)",
    cli threads => "worker threads for batch validation",
    value api: ApiValue => "cxone (the default) or routing-v2",
    text default_region: Spanned<String> => "ISO 3166 country code for national phone numbers, e.g. US",
    value required_attributes: Vec<String> => "customAttributes keys the Studio script needs, a YAML list: [intent, customerId]",
    value max_custom_attributes_bytes: usize => "largest customAttributes, serialised, before HD401 (65536)",
    value phone_check: PhoneCheckValue => "basic (E.164 syntax and calling code) or full (also the numbering plan, HD306)",
    value severity: HashMap<Spanned<String>, LevelValue> => "rules re-levelled, a YAML map: {HD103: off, placeholder-value: error}",
    text auth_url: String => "cxone: the token endpoint's host (https://cxone.niceincontact.com)",
    text access_key_url: String => "cxone: the access-key token endpoint's host, used without a client id (https://na1.nice-incontact.com)",
    text api_base: String => "cxone: the tenant's API host; skips discovery",
    text api_version: String => "cxone: the ACD API version (v30.0)",
    text base_url: String => "routing-v2: the API's base URL",
    text client_id: String => "the registered app's client id",
    text client_secret: SecretValue => "the registered app's client secret",
    text access_key_id: String => "cxone: the access key id",
    text access_key_secret: SecretValue => "cxone: the access key secret",
    text script_path: String => "cxone: the Studio script a test contact spawns (Folder\\Name)",
    value test_payload: serde_json::Value => "the payload diagnose checks and simulates with, as YAML or JSON",
    value connect_timeout_seconds: f64 => "connect timeout per request (5)",
    value request_timeout_seconds: f64 => "timeout per request (15)",
    value retry_budget_seconds: f64 => "total time one call may take with its retries (30)",
    value max_attempts: u32 => "attempts per call, the first included (5)",
    value allow_insecure_http: bool => "true to allow plain http:// to hosts other than this machine",
    value slow_call_ms: u64 => "a call slower than this gets HD807 (250)",
    value follow_seconds: f64 => "how long simulate --follow watches the contact (10)",
    value signal_params: SignalParamsArg => "cxone: where a signal's p1..p9 travel: query, body or both (both)",
    value max_pages: u32 => "cxone: the most pages of 100 records one list is read to, before HD707 (500)",
    text cluster_api_url: String => "cxone: the API host when discovery fails; {cluster} is the token's icClusterId (https://api-{cluster}.nice-incontact.com)",
    text docs_url: String => "base URL of the rule documentation (docs/rules.md) that findings link to",
    text cognigy_url: String => "lint: the Cognigy.AI API's base URL, without a version (https://api-trial.cognigy.ai)",
    text cognigy_project: String => "lint: the id of the Cognigy.AI project whose flows lint pulls",
    text cognigy_api_key: SecretValue => "lint: the Cognigy.AI API key, sent as X-API-Key",
    value watch: WatchValue => "watch: a YAML map of skills (a list of skill ids), interval_seconds (60), listen (127.0.0.1:9464) and rehearse_every (rounds)",
    text watch_webhook: SecretValue => "watch: the URL each finding event is POSTed to; a secret, as its path or query may hold a token",
}

/// A config file, read and parsed, with where it came from.
pub struct Config {
    pub path: Option<PathBuf>,
    /// Where the file was looked for, when no `--config` named it.
    pub searched: Vec<PathBuf>,
    pub text: String,
    pub file: ConfigFile,
    /// `HANDOVER_DOCTOR_FORMAT`: the format when `--format` is not given. Read here rather than by
    /// clap, so that `--demo`, which reads no environment, takes its format from the flag alone.
    pub format: Option<Format>,
}

impl Config {
    /// No file and no environment: the defaults, for `--demo`.
    pub fn none() -> Config {
        Config {
            path: None,
            searched: Vec::new(),
            text: String::new(),
            file: ConfigFile::default(),
            format: None,
        }
    }

    /// Reads `--config FILE`, else the nearest `handover-doctor.yaml` from the working directory
    /// up, else the user's config file, when present; then lays the environment's settings over it.
    pub fn load(explicit: Option<&Path>) -> Result<Config, Error> {
        let search = file::find(explicit);
        let mut config = match search.found {
            Some(path) => file::read(path)?,
            None => Config::none(),
        };
        config.searched = search.searched;
        config.file = env::from_environment()?.combine(config.file);
        config.format = env::format()?;
        Ok(config)
    }

    /// An error about a value of the file, shown at its line and column.
    fn error_at<T>(&self, value: &Spanned<T>, message: String) -> Error {
        Error::Config {
            path: self.path.clone().unwrap_or_default(),
            line: value.referenced.line() as usize,
            column: value.referenced.column() as usize,
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

    /// Where findings link their rule's documentation: under `docs_url` when one is set, else the
    /// project's docs/rules.md. Trimmed and an empty one ignored: environment values are taken as
    /// they are, stray blanks included.
    pub fn rule_docs(&self) -> crate::report::RuleDocs {
        self.file
            .docs_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map_or_else(
                crate::report::RuleDocs::default,
                crate::report::RuleDocs::new,
            )
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
                        spanned,
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
        settings.levels = self.levels()?;
        Ok(settings)
    }

    /// The config's `severity` map: rules re-levelled or turned off, payload and diagnosis rules
    /// alike, in the order the file lists them.
    pub fn levels(&self) -> Result<Vec<(&'static Rule, Level)>, Error> {
        let mut keys: Vec<_> = self.file.severity.iter().flatten().collect();
        keys.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
        keys.into_iter()
            .map(|(key, level)| {
                let Some(rule) = crate::rules::find(&key.value) else {
                    return Err(self.error_at(
                        key,
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
                Ok((rule, level))
            })
            .collect()
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
    /// The config file the settings came from, and where one was looked for: what an error about
    /// a missing setting points at.
    config_path: Option<PathBuf>,
    searched: Vec<PathBuf>,
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
        let http = self.http(allow_insecure_http)?;
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
                signal_params: f
                    .signal_params
                    .map_or(defaults.signal_params, SignalParamsArg::to_client),
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
            config_path: self.path.clone(),
            searched: self.searched.clone(),
        })
    }
}

impl Config {
    /// Timeouts, retries and the plain-http guard, for every platform's client.
    fn http(&self, allow_insecure_http: bool) -> Result<cxone_client::HttpSettings, Error> {
        let f = &self.file;
        let defaults = cxone_client::HttpSettings::default();
        Ok(cxone_client::HttpSettings {
            connect_timeout: seconds("connect_timeout_seconds", f.connect_timeout_seconds, 5.0)?,
            request_timeout: seconds("request_timeout_seconds", f.request_timeout_seconds, 15.0)?,
            retry_budget: seconds("retry_budget_seconds", f.retry_budget_seconds, 30.0)?,
            max_attempts: f.max_attempts.unwrap_or(defaults.max_attempts).max(1),
            allow_insecure_http: allow_insecure_http || f.allow_insecure_http.unwrap_or(false),
            ..defaults
        })
    }

    /// The Cognigy.AI API a pull reads and the project it reads: the flags over the environment
    /// over the file. Every one of URL, project and key is needed; a missing one is named with
    /// its key and variable.
    pub fn cognigy(
        &self,
        url: Option<&str>,
        project: Option<&str>,
        allow_insecure_http: bool,
    ) -> Result<CognigyConnection, Error> {
        let f = &self.file;
        let url = url.map(str::to_string).or_else(|| f.cognigy_url.clone());
        let project = project
            .map(str::to_string)
            .or_else(|| f.cognigy_project.clone());
        let api_key = f.cognigy_api_key.as_ref().map(|k| k.0.clone());
        let missing: Vec<&str> = [
            ("cognigy_url", url.is_none()),
            ("cognigy_project", project.is_none()),
            ("cognigy_api_key", api_key.is_none()),
        ]
        .into_iter()
        .filter(|(_, missing)| *missing)
        .map(|(key, _)| key)
        .collect();
        let (Some(url), Some(project), Some(api_key)) = (url, project, api_key) else {
            let variables: Vec<String> = missing.iter().map(|key| variable(key)).collect();
            let variables = and_list(&variables);
            let unset = match &self.path {
                Some(path) => format!(
                    "which neither {} nor the environment ({variables}) sets",
                    path.display()
                ),
                None => format!(
                    "which the environment ({variables}) does not set, and no config file was found"
                ),
            };
            return Err(Error::Usage(format!(
                "pulling from Cognigy.AI needs {}, {unset}; the URL and the project can also be --cognigy-url and --project, and --demo pulls from the built-in mock",
                and_list(&missing)
            )));
        };
        let settings = cxone_client::cognigy::CognigySettings {
            url,
            api_key,
            max_pages: cxone_client::cognigy::DEFAULT_MAX_PAGES,
        };
        Ok(CognigyConnection {
            settings,
            project,
            http: self.http(allow_insecure_http)?,
        })
    }
}

/// Where a pull reads from: Cognigy.AI's API, the project, and how calls are made.
pub struct CognigyConnection {
    pub settings: cxone_client::cognigy::CognigySettings,
    pub project: String,
    pub http: cxone_client::HttpSettings,
}

impl Connection {
    /// The client for this connection's profile.
    pub fn client(&self) -> Result<cxone_client::Client, Error> {
        use cxone_client::{Client, Profile};
        let missing = self.missing();
        if !missing.is_empty() {
            return Err(Error::Usage(self.needs(&missing)));
        }
        let client = match self.profile {
            Profile::Cxone => cxone_client::cxone::CxoneClient::new(
                self.credentials.clone(),
                self.cxone.clone(),
                self.http.clone(),
            )
            .map(Client::Cxone),
            // `missing` has refused a routing-v2 connection without base_url.
            Profile::RoutingV2 => cxone_client::routing_v2::RoutingClient::new(
                self.credentials.clone(),
                self.base_url.as_deref().unwrap_or_default(),
                self.http.clone(),
            )
            .map(Client::RoutingV2),
        };
        client.map_err(|e| Error::Usage(e.to_string()))
    }

    /// The settings the profile needs and nothing set, by their config keys.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.profile == cxone_client::Profile::RoutingV2 && self.base_url.is_none() {
            missing.push("base_url");
        }
        missing.extend(self.credentials.missing(self.profile));
        missing
    }

    /// What to do about missing settings: which file lacks them, or, when no file was found,
    /// where one was looked for and how to make one.
    fn needs(&self, missing: &[&str]) -> String {
        let keys = and_list(missing);
        let variables: Vec<String> = missing.iter().map(|key| variable(key)).collect();
        let variables = and_list(&variables);
        let profile = self.profile.as_str();
        if let Some(path) = &self.config_path {
            return format!(
                "the {profile} profile needs {keys}, which neither {} nor the environment ({variables}) sets",
                path.display()
            );
        }
        let mut text = format!("the {profile} profile needs {keys}, and no config file was found");
        if !self.searched.is_empty() {
            text += "; looked for:";
            for path in &self.searched {
                text += &format!("\n  {}", path.display());
            }
        }
        text += &format!(
            "\nWrite one with `handover-doctor init` (or set {variables}), or see a whole diagnosis against the built-in mock tenant first: `handover-doctor diagnose --demo`"
        );
        text
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}
