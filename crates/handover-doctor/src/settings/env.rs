//! The environment as a layer of settings: `HANDOVER_DOCTOR_<KEY>` for every key of [`SETTINGS`].

use clap::ValueEnum;

use super::file::first_line;
use super::{ConfigFile, SETTINGS, Setting, variable};
use crate::cli::Format;
use crate::error::Error;

/// The settings the environment gives, read as a config file of their own so that they are
/// parsed and checked exactly as the file's are.
pub fn from_environment() -> Result<ConfigFile, Error> {
    from_variables(|name| std::env::var(name).ok())
}

/// The settings of the config file that the environment sets, with their variables' values as
/// they are.
pub fn present(
    var: impl Fn(&str) -> Option<String>,
) -> impl Iterator<Item = (&'static Setting, String)> {
    SETTINGS
        .iter()
        .filter(|s| !s.cli_only)
        .filter_map(move |setting| var(&setting.env()).map(|value| (setting, value)))
}

/// `HANDOVER_DOCTOR_FORMAT`, the output format when `--format` is not given.
pub fn format() -> Result<Option<Format>, Error> {
    format_from(std::env::var(variable("format")).ok())
}

fn format_from(value: Option<String>) -> Result<Option<Format>, Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    Format::from_str(&value, false).map(Some).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        Error::Usage(format!(
            "{} `{value}` is not a format: use {}",
            variable("format"),
            names.join(", ")
        ))
    })
}

/// [`from_environment`] with the variables looked up through `var`, so that tests need not
/// change the process's environment, which every thread shares.
fn from_variables(var: impl Fn(&str) -> Option<String>) -> Result<ConfigFile, Error> {
    let mut yaml = String::new();
    let mut names = Vec::new();
    for (setting, value) in present(var) {
        // A JSON string is a YAML double-quoted scalar: a secret holding `: ` or ` #` stays
        // the text it is instead of turning into a map or losing its tail as a comment.
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

#[cfg(test)]
mod tests {
    use super::from_variables;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn text_settings_are_taken_as_they_are() {
        let file = from_variables(lookup(&[
            ("HANDOVER_DOCTOR_SCRIPT_PATH", "Handover: main #2"),
            ("HANDOVER_DOCTOR_DEFAULT_REGION", "NO"),
            ("HANDOVER_DOCTOR_DOCS_URL", "[not a list]"),
        ]))
        .unwrap();
        assert_eq!(file.script_path.as_deref(), Some("Handover: main #2"));
        assert_eq!(file.default_region.unwrap().value, "NO");
        assert_eq!(file.docs_url.as_deref(), Some("[not a list]"));
    }

    #[test]
    fn other_settings_are_yaml_and_a_wrong_one_is_named() {
        let file = from_variables(lookup(&[(
            "HANDOVER_DOCTOR_REQUIRED_ATTRIBUTES",
            "[intent, customerId]",
        )]))
        .unwrap();
        assert_eq!(
            file.required_attributes,
            Some(vec!["intent".to_string(), "customerId".to_string()])
        );
        let Err(error) = from_variables(lookup(&[("HANDOVER_DOCTOR_MAX_ATTEMPTS", "many")])) else {
            panic!("`many` is not a number of attempts");
        };
        assert!(
            error.to_string().contains("HANDOVER_DOCTOR_MAX_ATTEMPTS"),
            "{error}"
        );
    }

    #[test]
    fn a_format_in_the_environment_is_one_of_the_formats() {
        use crate::cli::Format;
        assert_eq!(
            super::format_from(Some("sarif".into())).unwrap(),
            Some(Format::Sarif)
        );
        assert_eq!(super::format_from(None).unwrap(), None);
        let error = super::format_from(Some("xml".into())).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`xml` is not a format: use human, json"),
            "{error}"
        );
    }

    #[test]
    fn command_line_settings_are_left_to_the_command_line() {
        // `threads` is no key of the file: read as one, it would be refused as unknown.
        assert!(from_variables(lookup(&[("HANDOVER_DOCTOR_THREADS", "4")])).is_ok());
    }
}
