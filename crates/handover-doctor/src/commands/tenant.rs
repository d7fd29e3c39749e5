//! What the commands that talk to a tenant (or, with --demo, to the built-in mock) share: diagnose,
//! auth, queue and simulate resolve their config, connection and payload here, and run their plan
//! into the reporter the same way.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use cxone_client::{Client, ContactCenter, Profile, RequestPreview};
use cxone_mock::MockServer;
use handover_core::Checker;

use crate::cli::{ContactArgs, PayloadArgs, TenantArgs};
use crate::diagnose::{self, PayloadInput, Plan};
use crate::error::{Error, exit};
use crate::report::{Demo, Diagnosis, End, Start, Step, StepId, Target, Verdict};
use crate::settings::{Config, Connection, resolve};

use super::mock;

/// The payloads `--demo` checks, one per profile: a CXone skill id, or a routing-v2 queue UUID.
const DEMO_PAYLOAD_CXONE: &str = include_str!("../../../../examples/transfer-context/valid.json");
const DEMO_PAYLOAD_ROUTING_V2: &str =
    include_str!("../../../../examples/transfer-context/routing-v2.json");

/// How long `--demo` follows its test contact on cxone.
const DEMO_FOLLOW: Duration = Duration::from_secs(2);

/// Everything a tenant command needs, resolved once.
pub(super) struct Setup {
    pub(super) runtime: tokio::runtime::Runtime,
    pub(super) config: Config,
    pub(super) connection: Connection,
    /// For the commands that check a payload (diagnose, simulate).
    checker: Option<Checker>,
    pub(super) demo: Option<(String, MockServer)>,
}

/// `-v` turns logging on, on standard error: info, debug (`-vv`) or trace (`-vvv`) from this
/// project's own crates, whose logs never hold a secret. `RUST_LOG`, when set, replaces that
/// filter and can open other crates (hyper, rustls). Colour only where `--color` and the terminal
/// allow it, so that `2>file` holds plain text.
fn logging(verbose: u8, color: crate::report::Color) {
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::builder().parse_lossy(spec),
        _ => EnvFilter::new(
            [
                "handover_doctor",
                "handover_core",
                "cxone_client",
                "cxone_mock",
            ]
            .map(|target| format!("{target}={level}"))
            .join(","),
        ),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(crate::report::term::colours_stderr(color))
        .try_init();
}

impl Setup {
    pub(super) fn new(args: &TenantArgs, payload: Option<&PayloadArgs>) -> Result<Self, Error> {
        logging(args.verbose, args.output.color);
        let runtime = crate::runtime()?;
        let config = if args.demo.is_some() {
            Config::none()
        } else {
            Config::load(args.config.config.as_deref())?
        };
        let mut connection = config.connection(args.config.api, args.allow_insecure_http)?;
        // The payload is checked for the API the connection talks to: `Config::api` decides both.
        let checker = payload
            .map(|payload| resolve::checker(&config, &args.config, payload))
            .transpose()?;
        let demo = match &args.demo {
            None => None,
            Some(name) => {
                let mut scenario = mock::load_scenario(name)?;
                if let Some(latency) = args.demo_latency_ms {
                    scenario.faults.latency_ms = latency;
                }
                let server = runtime
                    .block_on(MockServer::start(
                        scenario,
                        "127.0.0.1:0".parse().expect("an address"),
                        None,
                    ))
                    .map_err(|e| {
                        Error::Environment(format!("cannot start the mock tenant: {e}"))
                    })?;
                point_at_mock(&mut connection, &server);
                Some((name.clone(), server))
            }
        };
        if let Some(note) = &connection.note {
            eprintln!("{note}");
        }
        Ok(Self {
            runtime,
            config,
            connection,
            checker,
            demo,
        })
    }

    /// The demo's mock tenant as the report shows it, with the requests it has served so far.
    pub(super) fn demo(&self) -> Option<Demo<'_>> {
        self.demo.as_ref().map(|(scenario, server)| Demo {
            scenario,
            description: &server.scenario().description,
            url: server.url(),
            requests_served: server.requests(),
        })
    }

    pub(super) fn client(&self) -> Result<Client, Error> {
        self.connection.client()
    }

    /// The payload: `--payload FILE`, the demo's bundled one, or the config's `test_payload`.
    fn payload(&self, contact: &ContactArgs) -> Result<Option<PayloadInput>, Error> {
        if let Some(path) = &contact.payload {
            let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
            return Ok(Some(PayloadInput {
                source: path.display().to_string(),
                bytes,
                positions: true,
            }));
        }
        if self.demo.is_some() {
            let (name, text) = match self.connection.profile {
                Profile::Cxone => ("examples/transfer-context/valid.json", DEMO_PAYLOAD_CXONE),
                Profile::RoutingV2 => (
                    "examples/transfer-context/routing-v2.json",
                    DEMO_PAYLOAD_ROUTING_V2,
                ),
            };
            return Ok(Some(PayloadInput {
                source: name.into(),
                bytes: text.as_bytes().to_vec(),
                positions: true,
            }));
        }
        Ok(self.config.file.test_payload.as_ref().map(|payload| {
            // The environment wins over the file: name the layer the payload came from.
            let from_environment = std::env::var_os("HANDOVER_DOCTOR_TEST_PAYLOAD").is_some();
            let where_ = match &self.config.path {
                Some(path) if !from_environment => path.display().to_string(),
                _ => "the environment (HANDOVER_DOCTOR_TEST_PAYLOAD)".to_string(),
            };
            PayloadInput {
                source: format!("test_payload in {where_}"),
                bytes: serde_json::to_vec_pretty(payload).unwrap_or_default(),
                positions: false,
            }
        }))
    }

    /// A plan that only reads the tenant, with no payload and no contact: `auth`'s and `queue`'s.
    pub(super) fn reading(&self, steps: Vec<StepId>, queue: Option<String>) -> Result<Plan, Error> {
        Ok(Plan {
            signal: None,
            steps,
            payload: None,
            queue,
            live: false,
            follow: None,
            script_path: None,
            slow_call: self.connection.slow_call,
            levels: self.config.levels()?,
        })
    }

    pub(super) fn plan(&self, steps: Vec<StepId>, contact: &ContactArgs) -> Result<Plan, Error> {
        consent(contact, self.demo.is_some())?;
        let live = contact.live || self.demo.is_some();
        let follow = match contact.follow {
            Some(Some(seconds)) => Some(
                Duration::try_from_secs_f64(seconds)
                    .map_err(|_| Error::Usage(format!("--follow takes seconds, not {seconds}")))?,
            ),
            Some(None) => Some(self.connection.follow),
            None if self.demo.is_some() && self.connection.profile == Profile::Cxone => {
                Some(DEMO_FOLLOW)
            }
            None => None,
        };
        if live
            && steps.contains(&StepId::Simulate)
            && self.connection.profile == Profile::Cxone
            && self
                .connection
                .script_path
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            return Err(Error::Usage(
                "a live test contact on cxone spawns a Studio script: set script_path (Folder\\Name) in the config or HANDOVER_DOCTOR_SCRIPT_PATH".into(),
            ));
        }
        Ok(Plan {
            signal: None,
            steps,
            payload: self.payload(contact)?,
            queue: contact.queue.clone(),
            live,
            follow,
            script_path: self.connection.script_path.clone(),
            slow_call: self.connection.slow_call,
            levels: self.config.levels()?,
        })
    }
}

fn point_at_mock(connection: &mut Connection, server: &MockServer) {
    let c = &server.scenario().credentials;
    connection.credentials = cxone_client::Credentials {
        client_id: Some(c.client_id.clone()),
        client_secret: Some(cxone_client::Secret::new(c.client_secret.clone())),
        access_key_id: Some(c.access_key_id.clone()),
        access_key_secret: Some(cxone_client::Secret::new(c.access_key_secret.clone())),
    };
    connection.cxone.auth_url = server.url().to_string();
    connection.cxone.access_key_url = server.url().to_string();
    connection.cxone.api_base = None;
    connection.base_url = Some(server.url().to_string());
    // The demo reads no environment: a proxy set for the way out would not reach the mock.
    connection.http.proxy_from_environment = false;
    connection.script_path = Some(
        server
            .scenario()
            .skills
            .iter()
            .find_map(|s| s.script.clone())
            .unwrap_or_else(|| "Handover\\Cognigy".into()),
    );
    connection.note = None;
}

/// Refuses a live contact nobody can consent to: without `--yes`, consent is typed at a terminal,
/// and with standard input from a pipe or a file nobody can type it. Checked before anything is
/// sent, so that a script never places a contact by accident.
pub(super) fn consent(contact: &ContactArgs, demo: bool) -> Result<(), Error> {
    if contact.live && !contact.yes && !demo && !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "--live places a real contact and asks first, but standard input is not a terminal, so nobody can answer: nothing was sent. Add --yes to place it without asking".into(),
        ));
    }
    Ok(())
}

/// Asks before a live test contact; `--yes` and the demo do not ask. Without a terminal to ask
/// at, the answer is no (`consent` has already refused such a run).
fn confirmer(ask: bool) -> impl Fn(&RequestPreview) -> bool + Sync {
    move |preview: &RequestPreview| {
        if !ask {
            return true;
        }
        if !std::io::stdin().is_terminal() {
            return false;
        }
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "\nAbout to place a real test contact:\n{}",
            crate::report::request_text(preview)
        );
        let _ = write!(err, "Send it? [y/N] ");
        let _ = err.flush();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).is_ok()
            && matches!(answer.trim(), "y" | "Y" | "yes")
    }
}

/// Runs a plan and reports it as the format says; returns the exit code.
pub(super) fn run_plan(
    setup: &Setup,
    args: &TenantArgs,
    plan: &Plan,
    ask: bool,
) -> anyhow::Result<i32> {
    let client = setup.client()?;
    let command = match plan.steps.as_slice() {
        [StepId::Auth] => "auth",
        steps if steps.contains(&StepId::Simulate) && !steps.contains(&StepId::Queue) => "simulate",
        steps if !steps.contains(&StepId::Simulate) => "queue",
        _ => "diagnose",
    };
    let reporter = resolve::reporter(&args.output, &setup.config, command, false, Target::Stdout)?;
    let reporter = Mutex::new(reporter);
    let lock = || reporter.lock().unwrap_or_else(|e| e.into_inner());
    lock().start(&Start::Diagnosis {
        api: client.profile(),
        demo: setup.demo().as_ref(),
    })?;
    // A step line that cannot be written (a closed pipe) is found again at the end.
    let emit = |step: &Step| {
        let _ = lock().step(step);
    };
    // The demo's contacts are the mock's: nothing real to ask about.
    let confirm = confirmer(ask && setup.demo.is_none());
    let diagnosis = setup.runtime.block_on(diagnose::run(
        plan,
        setup.checker.as_ref(),
        &client,
        &confirm,
        &emit,
    ));
    lock().done(&End::Diagnosis {
        diagnosis: &diagnosis,
        demo: setup.demo().as_ref(),
    })?;
    Ok(verdict_exit(&diagnosis))
}

/// Reports a diagnosis that has run as `run_plan` reports one while it runs, the steps in their
/// order; returns the exit code.
pub(super) fn report_diagnosis(
    setup: &Setup,
    args: &TenantArgs,
    diagnosis: &Diagnosis,
) -> anyhow::Result<i32> {
    let mut reporter =
        resolve::reporter(&args.output, &setup.config, "queue", false, Target::Stdout)?;
    reporter.start(&Start::Diagnosis {
        api: diagnosis.api,
        demo: setup.demo().as_ref(),
    })?;
    for step in &diagnosis.steps {
        // As in `run_plan`: a step line that cannot be written is found again at the end.
        let _ = reporter.step(step);
    }
    reporter.done(&End::Diagnosis {
        diagnosis,
        demo: setup.demo().as_ref(),
    })?;
    Ok(verdict_exit(diagnosis))
}

/// The exit status a diagnosis calls for (docs/output.md).
pub(super) fn verdict_exit(diagnosis: &Diagnosis) -> i32 {
    match diagnosis.verdict() {
        Verdict::Fail => exit::PROBLEMS,
        Verdict::Incomplete => exit::COULD_NOT_RUN,
        Verdict::Pass | Verdict::Warn => exit::OK,
    }
}
