//! The commands that talk to a tenant (or, with --demo, to the built-in mock): diagnose, auth,
//! queue and simulate. They share the config, the profile and the output options.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use cxone_client::{Client, ContactCenter, Profile, RequestPreview};
use cxone_mock::MockServer;
use handover_core::Checker;

use crate::cli::{
    ContactArgs, DiagnoseArgs, Format, PayloadArgs, QueueArgs, SimulateArgs, TenantArgs, Via,
};
use crate::diagnose::{self, PayloadInput, Plan, SignalPlan};
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
struct Setup {
    runtime: tokio::runtime::Runtime,
    config: Config,
    connection: Connection,
    /// For the commands that check a payload (diagnose, simulate).
    checker: Option<Checker>,
    demo: Option<(String, MockServer)>,
}

fn logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(level))
        .with_writer(std::io::stderr)
        .try_init();
}

impl Setup {
    fn new(args: &TenantArgs, payload: Option<&PayloadArgs>) -> Result<Self, Error> {
        logging(args.verbose);
        let runtime = crate::runtime()
            .map_err(|e| Error::Environment(format!("cannot start the async runtime: {e}")))?;
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
    fn demo(&self) -> Option<Demo<'_>> {
        self.demo.as_ref().map(|(scenario, server)| Demo {
            scenario,
            description: &server.scenario().description,
            url: server.url(),
            requests_served: server.requests(),
        })
    }

    fn client(&self) -> Result<Client, Error> {
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
            let where_ = self.config.path.as_ref().map_or_else(
                || "the environment".to_string(),
                |p| p.display().to_string(),
            );
            PayloadInput {
                source: format!("test_payload in {where_}"),
                bytes: serde_json::to_vec_pretty(payload).unwrap_or_default(),
                positions: false,
            }
        }))
    }

    fn plan(&self, steps: Vec<StepId>, contact: &ContactArgs) -> Result<Plan, Error> {
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
fn consent(contact: &ContactArgs, demo: bool) -> Result<(), Error> {
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
fn run_plan(setup: &Setup, args: &TenantArgs, plan: &Plan, ask: bool) -> anyhow::Result<i32> {
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

fn verdict_exit(diagnosis: &Diagnosis) -> i32 {
    match diagnosis.verdict() {
        Verdict::Fail => exit::PROBLEMS,
        Verdict::Incomplete => exit::COULD_NOT_RUN,
        Verdict::Pass | Verdict::Warn => exit::OK,
    }
}

pub fn diagnose(args: DiagnoseArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args.tenant, Some(&args.payload))?;
    let steps = vec![
        StepId::Payload,
        StepId::Auth,
        StepId::Queue,
        StepId::Agents,
        StepId::Simulate,
    ];
    let plan = setup.plan(steps, &args.contact)?;
    run_plan(&setup, &args.tenant, &plan, !args.contact.yes)
}

pub fn simulate(args: SimulateArgs) -> anyhow::Result<i32> {
    let mut setup = Setup::new(&args.tenant, Some(&args.payload))?;
    if let Some(place) = args.signal_params {
        setup.connection.cxone.signal_params = place.to_client();
    }
    let mut steps = vec![StepId::Auth, StepId::Simulate];
    if args.contact.payload.is_some() || args.via == Via::Contact {
        steps.insert(0, StepId::Payload);
    }
    if args.via == Via::Contact {
        let plan = setup.plan(steps, &args.contact)?;
        return run_plan(&setup, &args.tenant, &plan, !args.contact.yes);
    }
    if setup.connection.profile != Profile::Cxone {
        return Err(Error::Usage(
            "--via signal needs the cxone profile: routing-v2 has no signal endpoint".into(),
        )
        .into());
    }
    if args.params.len() > 9 {
        return Err(Error::Usage(format!(
            "a signal carries at most 9 parameters, not {}",
            args.params.len()
        ))
        .into());
    }
    consent(&args.contact, setup.demo.is_some())?;
    // A signal spawns no script, so it needs no script_path: plan it as a dry run, then set live.
    let dry = ContactArgs {
        live: false,
        payload: args.contact.payload.clone(),
        queue: args.contact.queue.clone(),
        yes: args.contact.yes,
        follow: args.contact.follow,
    };
    let mut plan = setup.plan(steps, &dry)?;
    plan.live = args.contact.live || setup.demo.is_some();
    plan.signal = Some(SignalPlan {
        contact_id: args.contact_id.clone(),
        params: args.params.clone(),
    });
    run_plan(&setup, &args.tenant, &plan, !args.contact.yes)
}

pub fn auth(args: TenantArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args, None)?;
    let plan = Plan {
        signal: None,
        steps: vec![StepId::Auth],
        payload: None,
        queue: None,
        live: false,
        follow: None,
        script_path: None,
        slow_call: setup.connection.slow_call,
        levels: setup.config.levels()?,
    };
    run_plan(&setup, &args, &plan, false)
}

pub fn queue(args: QueueArgs) -> anyhow::Result<i32> {
    let setup = Setup::new(&args.tenant, None)?;
    if args.all {
        let client = setup.client()?;
        let activity = setup.runtime.block_on(client.queues());
        let as_json = match args.tenant.output.format {
            Format::Human => false,
            Format::Json | Format::Jsonl => true,
            other => {
                return Err(Error::Usage(format!(
                    "queue --all lists skills, not findings: use --format human or json, not {other:?}"
                ))
                .into());
            }
        };
        let mut out = crate::report::term::stdout(args.tenant.output.color);
        return match activity {
            Ok(sweep) => {
                let truncated = sweep.truncated.as_ref().map(diagnose::truncated_skills);
                crate::report::sweep(&mut out, &sweep.queues, truncated.as_ref(), as_json)?;
                Ok(exit::OK)
            }
            Err(e) => {
                writeln!(std::io::stderr(), "error: {e}")?;
                Ok(exit::PROBLEMS)
            }
        };
    }
    let mut queues = args.queues.clone();
    if queues.is_empty() {
        let no_contact = ContactArgs {
            payload: None,
            queue: None,
            live: false,
            yes: false,
            follow: None,
        };
        match setup.plan(vec![], &no_contact)?.payload {
            // The queue the payload names, read by its contract as `diagnose` reads it.
            Some(input) => match Checker::auto(handover_core::CheckSettings::default())
                .check_with_facts(
                    &mut handover_core::Parser::new(),
                    &input.bytes,
                    &mut Vec::new(),
                )
                .1
                .queue_id
            {
                Some(id) => queues.push(id),
                None => {
                    return Err(Error::Usage(format!(
                        "{} has no queueId; name the queues",
                        input.source
                    ))
                    .into());
                }
            },
            None => return Err(Error::Usage("name the queues (or use --all)".into()).into()),
        }
    }
    let mut worst = exit::OK;
    for id in queues {
        let plan = Plan {
            signal: None,
            steps: vec![StepId::Auth, StepId::Queue, StepId::Agents],
            payload: None,
            queue: Some(id),
            live: false,
            follow: None,
            script_path: None,
            slow_call: setup.connection.slow_call,
            levels: setup.config.levels()?,
        };
        worst = worst.max(run_plan(&setup, &args.tenant, &plan, false)?);
    }
    Ok(worst)
}
