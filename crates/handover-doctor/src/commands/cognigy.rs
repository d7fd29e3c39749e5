//! `lint --cognigy-url URL --project ID` (or `lint --demo`): a project's flows pulled from
//! Cognigy.AI's REST API with GETs, each chart in each locale linted as if the Cognigy CLI had
//! written it to disk. Nothing is written anywhere.

use cxone_client::cognigy::{CognigyClient, CognigySettings, Narrow};
use cxone_mock::MockServer;
use handover_core::Finding;
use handover_lint::Kind;

use super::mock;
use crate::cli::LintArgs;
use crate::error::Error;
use crate::settings::{CognigyConnection, Config};

/// One pulled chart: where it came from (`cognigy:<flow>/<locale>`), what lint found, and the
/// chart as the CLI would have written it, which the findings' lines and columns point into.
pub struct Pulled {
    pub source: String,
    pub findings: Vec<Finding>,
    pub text: Vec<u8>,
}

/// Whether the arguments ask for a pull: a URL or a project, or `--demo` with no script to fetch.
fn wanted(args: &LintArgs) -> bool {
    args.cognigy_url.is_some()
        || args.project.is_some()
        || (args.demo.is_some() && args.studio_script.is_empty())
}

/// The client of the Cognigy.AI API to read, and the project: the built-in mock's when `demo`
/// names a scenario (the mock, returned, lives as long as the caller keeps it), else the config's,
/// with `url` and `project` from the flags first.
pub fn connect(
    runtime: &tokio::runtime::Runtime,
    config: &Config,
    demo: Option<&str>,
    url: Option<&str>,
    project: Option<&str>,
    allow_insecure_http: bool,
) -> Result<(CognigyClient, String, Option<MockServer>), Error> {
    let mut server: Option<MockServer> = None;
    let connection = match demo {
        Some(scenario) => {
            let scenario = mock::load_scenario(scenario)?;
            let started = runtime
                .block_on(MockServer::start(
                    scenario,
                    "127.0.0.1:0".parse().expect("an address"),
                    None,
                ))
                .map_err(|e| Error::Environment(format!("cannot start the mock: {e}")))?;
            let settings = CognigySettings {
                url: started.url().to_string(),
                api_key: cxone_client::Secret::new(cxone_mock::COGNIGY_API_KEY),
                max_pages: cxone_client::cognigy::DEFAULT_MAX_PAGES,
            };
            server = Some(started);
            // The demo reads no environment: a proxy set for the way out would not reach the mock.
            let http = cxone_client::HttpSettings {
                proxy_from_environment: false,
                ..cxone_client::HttpSettings::default()
            };
            CognigyConnection {
                settings,
                project: project.unwrap_or(cxone_mock::COGNIGY_PROJECT).to_string(),
                http,
            }
        }
        None => config.cognigy(url, project, allow_insecure_http)?,
    };
    let project = connection.project;
    let client = CognigyClient::new(connection.settings, connection.http)
        .map_err(|e| Error::Usage(e.to_string()))?;
    Ok((client, project, server))
}

/// Pulls and lints the charts the arguments name. A failed call is an error naming the endpoint
/// and its status: a flow that could not be read is never a pass.
pub fn pull(args: &LintArgs, config: &Config) -> Result<Vec<Pulled>, Error> {
    if !wanted(args) {
        return Ok(Vec::new());
    }
    let runtime = crate::runtime()?;
    let (client, project, demo) = connect(
        &runtime,
        config,
        args.demo.as_deref(),
        args.cognigy_url.as_deref(),
        args.project.as_deref(),
        args.allow_insecure_http,
    )?;
    let narrow = Narrow {
        flow: args.flow.as_deref(),
        locale: args.locale.as_deref(),
    };
    let pull = runtime
        .block_on(client.pull(&project, narrow))
        .map_err(|e| match e {
            cxone_client::ClientError::Config(message) => Error::Usage(message),
            other => Error::Environment(format!(
                "cannot pull the flows of project {project}: {other}"
            )),
        })?;
    drop(demo);
    for truncated in &pull.truncated {
        eprintln!(
            "warning: {} held more than {} pages; {} read, the rest not linted",
            truncated.endpoint, truncated.pages, truncated.read
        );
    }
    Ok(pull
        .charts
        .into_iter()
        .map(|pulled| {
            // Pretty, as the CLI writes chart.json: a finding's line and column point into it.
            let text = serde_json::to_vec_pretty(&pulled.chart).unwrap_or_default();
            let mut findings = Vec::new();
            handover_lint::lint(Kind::CognigyChart, &pulled.flow.name, &text, &mut findings);
            Pulled {
                source: format!("cognigy:{}/{}", pulled.flow.name, pulled.locale.name),
                findings,
                text,
            }
        })
        .collect())
}
