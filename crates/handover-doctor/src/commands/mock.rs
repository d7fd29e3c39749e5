//! `mock`: a CXone tenant in the foreground, for rehearsing an integration without a real one.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use cxone_mock::{BUILT_IN, MockServer, Scenario};

use crate::cli::{ApiArg, MockArgs};
use crate::error::{Error, exit};

/// A built-in scenario by name, or a scenario file.
pub fn load_scenario(name_or_file: &str) -> Result<Scenario, Error> {
    if let Some(scenario) = Scenario::built_in(name_or_file) {
        return Ok(scenario);
    }
    let path = Path::new(name_or_file);
    if !path.exists() {
        let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        return Err(Error::Usage(format!(
            "no scenario `{name_or_file}`: name a file, or one of {}",
            names.join(", ")
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    Scenario::from_yaml(&text).map_err(|e| Error::Usage(format!("scenario `{name_or_file}`: {e}")))
}

pub fn run(args: MockArgs) -> anyhow::Result<i32> {
    if args.list {
        let mut out = std::io::stdout().lock();
        for (name, _) in BUILT_IN {
            let scenario = Scenario::built_in(name).expect("built-in scenarios parse");
            writeln!(out, "{name:<18} {}", scenario.description)?;
        }
        return Ok(exit::OK);
    }
    let mut scenario = load_scenario(&args.scenario)?;
    if let Some(latency) = args.latency_ms {
        scenario.faults.latency_ms = latency;
    }
    if let Some(rate) = args.fail_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(
                Error::Usage(format!("--fail-rate takes a share from 0 to 1, not {rate}")).into(),
            );
        }
        scenario.faults.fail_rate = rate;
    }
    let runtime = crate::runtime()?;
    runtime.block_on(async move {
        // With --print-config, standard output holds the config alone, ready to save; the
        // request log and the closing line go to standard error.
        let to_stderr = args.print_config.is_some();
        let log: cxone_mock::RequestLog = Arc::new(move |method, path, status, took| {
            // One line per request: never a header or a body, so never a credential.
            let line = format!("{method:<5} {path} {status} {} ms", took.as_millis());
            // The log is for whoever watches; a closed standard output does not stop the mock.
            if to_stderr {
                let _ = writeln!(std::io::stderr(), "{line}");
            } else {
                let _ = writeln!(std::io::stdout(), "{line}");
            }
        });
        // Listening for Ctrl-C and SIGTERM before anyone can know the address: a signal sent as
        // soon as the banner is read must stop the mock cleanly, not kill it.
        let mut stop = StopSignal::new()?;
        let addr = SocketAddr::new(args.bind, args.port);
        let server = MockServer::start(scenario, addr, Some(log))
            .await
            .map_err(|e| Error::Environment(format!("cannot listen on {addr}: {e}")))?;
        {
            let text = match args.print_config {
                Some(api) => config(api, &server),
                None => banner(&args.scenario, &server),
            };
            let mut out = std::io::stdout().lock();
            write!(out, "{text}")?;
            out.flush()?;
        }
        if to_stderr {
            eprintln!(
                "mock CXone tenant, scenario `{}`, listening on {} (Ctrl-C stops it)",
                args.scenario,
                server.url()
            );
        }
        stop.recv().await;
        let served = server.requests();
        let closing = format!(
            "stopping after {}",
            crate::report::plural(served, "request")
        );
        if to_stderr {
            eprintln!("{closing}");
        } else {
            let _ = writeln!(std::io::stdout(), "{closing}");
        }
        server.stop().await;
        Ok(exit::OK)
    })
}

/// Ctrl-C, or a polite kill (SIGTERM), ends the mock cleanly. Both are registered when this is
/// made, not when it is first awaited.
struct StopSignal {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// A config for one profile that points at the mock, ready to save: the mock's credentials and a
/// `test_payload` whose queue is the scenario's first skill, so that `diagnose` runs every step.
pub fn config(api: ApiArg, server: &MockServer) -> String {
    let s = server.scenario();
    let c = &s.credentials;
    let url = server.url();
    let skill = s.skills.first();
    let payload = |queue_id: String| {
        format!(
            "test_payload:\n  \
               transferContext:\n    \
                 queueId: \"{queue_id}\"\n    \
                 participant:\n      \
                   name: \"John Doe\"\n      \
                   phoneNumber: \"+15551234567\"\n    \
                 customAttributes:\n      \
                   intent: \"billing\"\n"
        )
    };
    match api {
        ApiArg::Cxone => format!(
            "# handover-doctor.yaml for the cxone profile (the real CXone API)\n\
             api: cxone\n\
             auth_url: {url}\n\
             access_key_url: {url}\n\
             client_id: {}\n\
             client_secret: {}\n\
             access_key_id: {}\n\
             access_key_secret: {}\n\
             script_path: {}\n{}",
            c.client_id,
            c.client_secret,
            c.access_key_id,
            c.access_key_secret,
            s.skills
                .iter()
                .find_map(|k| k.script.clone())
                .unwrap_or_else(|| "Handover\\Cognigy".into()),
            payload(skill.map_or_else(|| "4012345".into(), |k| k.id.to_string()))
        ),
        ApiArg::RoutingV2 => format!(
            "# config.yaml for the routing-v2 profile (the tutorial's script reads it as it is)\n\
             client_id: {}\n\
             client_secret: {}\n\
             base_url: {url}\n{}",
            c.client_id,
            c.client_secret,
            payload(
                skill
                    .and_then(|k| k.routing_id.clone())
                    .unwrap_or_else(|| "a1b2c3d4-5678-90ab-cdef-123456789012".into())
            )
        ),
    }
}

/// What a user needs to point a client at the mock: its URL, the config for each profile, the
/// Cognigy project `lint` can pull, the queues.
pub fn banner(scenario_name: &str, server: &MockServer) -> String {
    let s = server.scenario();
    let url = server.url();
    let mut text = format!(
        "mock CXone tenant, scenario `{scenario_name}`: {}\nlistening on {url} (Ctrl-C stops it)\n\n",
        s.description
    );
    text += &config(ApiArg::Cxone, server);
    text += "\n";
    text += &config(ApiArg::RoutingV2, server);
    text += &format!(
        "\n# the bot's side, Cognigy.AI's API, for `lint --cognigy-url {url} --project {}`\n\
         cognigy_url: {url}\n\
         cognigy_project: {}\n\
         cognigy_api_key: {}\n",
        cxone_mock::COGNIGY_PROJECT,
        cxone_mock::COGNIGY_PROJECT,
        cxone_mock::COGNIGY_API_KEY
    );
    text += "\n# queues: CXone skill id, routing-v2 id, name, media, state\n";
    for skill in &s.skills {
        text += &format!(
            "#   {} {} {} ({}, {})\n",
            skill.id,
            skill.routing_id.as_deref().unwrap_or("-"),
            skill.name,
            skill.media,
            if skill.active { "active" } else { "inactive" }
        );
    }
    text += "\n";
    text
}
