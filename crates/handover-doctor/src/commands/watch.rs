//! `watch`: rounds against the tenant (or, with --demo, the built-in mock), `/metrics` and
//! `/healthz` on `--listen`, events on standard output, `--events FILE` and `--webhook URL`, and
//! at the end the findings that stand, in any format.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cxone_client::{Client, ContactCenter};

use super::tenant::{Setup, verdict_exit};
use crate::cli::{Format, WatchArgs};
use crate::error::{Error, exit};
use crate::report::{Diagnosis, Encoder, End, Located, Status, Step, StepId, Target, Verdict};
use crate::settings::resolve;
use crate::watch::events::{EventsFile, Webhook, masked};
use crate::watch::metrics::Metrics;
use crate::watch::round::{Check, Watched};
use crate::watch::server::{Shared, router};
use crate::watch::{self, Ended, Settings, Sinks};

const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// A demo shows changes within a minute.
const DEMO_INTERVAL: Duration = Duration::from_secs(5);
const DEFAULT_LISTEN: &str = "127.0.0.1:9464";

pub fn run(args: WatchArgs) -> anyhow::Result<i32> {
    // The rehearsal's checker is built below, once whether the flag or the config asks for one.
    let setup = Setup::new(&args.tenant, None)?;
    let file = setup.config.file.watch.clone().unwrap_or_default();
    let rehearse_every = args.rehearse_every.or(file.rehearse_every);
    let interval = match (&args.interval, file.interval_seconds) {
        (Some(text), _) => duration(text)?,
        (None, Some(seconds)) => Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "watch.interval_seconds is {seconds}: give a number of seconds above 0"
                ))
            })?,
        (None, None) if setup.demo.is_some() => DEMO_INTERVAL,
        (None, None) => DEFAULT_INTERVAL,
    };
    let listen = args
        .listen
        .clone()
        .or(file.listen.clone())
        .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
    // `:9464` is this machine's loopback, as the default is: nothing is exposed unless asked.
    let address = match listen.strip_prefix(':') {
        Some(port) => format!("127.0.0.1:{port}"),
        None => listen.clone(),
    };
    let listen: SocketAddr = address.parse().map_err(|_| {
        Error::Usage(format!(
            "--listen {listen}: give an address and port, such as 127.0.0.1:9464 or 0.0.0.0:9464"
        ))
    })?;
    let watched = if args.all {
        Watched::All
    } else if !args.skills.is_empty() {
        Watched::Skills(args.skills.clone())
    } else if let Some(skills) = file.skills.as_ref().filter(|s| !s.is_empty()) {
        Watched::Skills(skills.iter().map(|s| s.0.clone()).collect())
    } else if let Some((_, server)) = &setup.demo {
        Watched::Skills(
            server
                .scenario()
                .skills
                .iter()
                .map(|s| s.id.to_string())
                .collect(),
        )
    } else {
        return Err(Error::Usage(
            "watch needs skills: name them (watch 4012345 4012346), set watch.skills in the config, or give --all".into(),
        )
        .into());
    };
    if args.contact.live && !args.contact.yes {
        return Err(Error::Usage(
            "a watch never stops to ask: --live rehearsals place a real test contact every --rehearse-every rounds, so they need --yes".into(),
        )
        .into());
    }
    if args.contact.live && rehearse_every.is_none() {
        return Err(Error::Usage(
            "--live applies to rehearsals: give --rehearse-every N too".into(),
        )
        .into());
    }
    let rehearsal = match rehearse_every {
        Some(0) => {
            return Err(
                Error::Usage("--rehearse-every takes a number of rounds above 0".into()).into(),
            );
        }
        Some(every) => {
            let plan = setup.plan(StepId::ALL.to_vec(), &args.contact)?;
            if plan.payload.is_none() {
                return Err(Error::Usage(
                    "a rehearsal checks and places a test payload: give --payload FILE or set test_payload in the config".into(),
                )
                .into());
            }
            Some((every, plan))
        }
        None => None,
    };
    let client = match setup.client()? {
        Client::Cxone(client) => Arc::new(client),
        Client::RoutingV2(_) => {
            return Err(Error::Usage(
                "watch reads three lists of the whole tenant each round, which only the cxone API has; the routing-v2 profile has none".into(),
            )
            .into());
        }
    };
    let checker = if rehearsal.is_some() {
        Some(resolve::checker(
            &setup.config,
            &args.tenant.config,
            &args.payload,
        )?)
    } else {
        None
    };

    let mut output = args.tenant.output.clone();
    // Events are the watch's output: JSON Lines unless a format is asked for.
    if output.format.is_none() && setup.config.format.is_none() {
        output.format = Some(Format::Jsonl);
    }
    let reporter = resolve::reporter(&output, &setup.config, "watch", false, Target::Stdout)?;
    let events_file = args
        .events
        .as_deref()
        .map(|path| {
            EventsFile::open(path).map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })
        })
        .transpose()?;
    let webhook_url = args
        .webhook
        .clone()
        .or_else(|| {
            setup
                .config
                .file
                .watch_webhook
                .as_ref()
                .map(|s| s.0.expose().to_string())
        })
        .map(|text| {
            url::Url::parse(&text)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| Error::Usage("--webhook: give an http:// or https:// URL".into()))
        })
        .transpose()?;

    let requests = {
        let client = client.clone();
        move || client.stats().metrics
    };
    let shared = Arc::new(Shared {
        metrics: Metrics::new(interval, requests),
        interval,
        started: Instant::now(),
        last_round: Mutex::new(None),
    });
    let settings = Settings {
        interval,
        watched,
        rounds: args.rounds,
        rehearsal,
        levels: setup.config.levels()?,
    };
    let runtime = &setup.runtime;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(listen))
        .map_err(|e| Error::Environment(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::Environment(format!("cannot listen on {listen}: {e}")))?;
    let (stop_server, server_stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(shared.clone());
    let server = runtime.spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = server_stopped.await;
            })
            .await;
    });
    eprintln!(
        "watch: metrics on http://{bound}/metrics, health on http://{bound}/healthz; a round every {}{}",
        seconds(interval),
        match settings.rounds {
            Some(n) => format!(", {}", crate::report::plural(n, "round")),
            None => ", until Ctrl-C".into(),
        }
    );
    let webhook = match webhook_url {
        Some(url) => {
            eprintln!("watch: events POSTed to {}", masked(&url));
            let dropped = shared.metrics.events_dropped.clone();
            Some(
                runtime
                    .block_on(async { Webhook::start(url, dropped) })
                    .map_err(Error::Environment)?,
            )
        }
        None => None,
    };
    let mut sinks = Sinks {
        reporter,
        events_file,
        webhook,
        encoder: Encoder::new(Arc::new(setup.config.rule_docs())),
    };
    let started = Instant::now();
    let ended = runtime.block_on(async {
        let stop = watch::on_signal();
        watch::run(
            &client,
            checker.as_ref(),
            &settings,
            &shared,
            &mut sinks,
            stop,
        )
        .await
    });
    if let Some(webhook) = sinks.webhook.take() {
        runtime.block_on(webhook.finish(Duration::from_secs(10)));
    }
    let _ = stop_server.send(());
    let _ = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(1), server).await });
    let by_signal = ended.by_signal;
    let diagnosis = report(ended, client.stats(), started.elapsed());
    sinks.reporter.done(&End::Diagnosis {
        diagnosis: &diagnosis,
        demo: setup.demo().as_ref(),
    })?;
    if by_signal {
        eprintln!("watch: stopped");
        return Ok(exit::OK);
    }
    Ok(verdict_exit(&diagnosis))
}

/// The findings standing when the watch stopped, as a diagnosis: a step per link (sign-in, the
/// skills' activity, their agents, the rehearsal), so that every format reports a watch as it
/// reports `diagnose`.
fn report(ended: Ended, stats: cxone_client::CallStats, took: Duration) -> Diagnosis {
    // Whether the last round read this link at all; what any round found is in the standing findings.
    let ran = |step: StepId| {
        ended
            .checks
            .iter()
            .any(|(check, _)| check.step() == step && *check != Check::Rehearsal)
    };
    let mut steps = Vec::new();
    for (step, what) in [
        (StepId::Auth, "sign-in"),
        (StepId::Queue, "the skills' activity"),
        (StepId::Agents, "the agents' assignments and states"),
    ] {
        let findings: Vec<Located> = ended
            .standing
            .iter()
            .filter(|f| f.check != Check::Rehearsal && f.check.step() == step)
            .map(|f| f.located.clone())
            .collect();
        let read_last = ran(step);
        steps.push(if !read_last && findings.is_empty() {
            Step::missing(
                step,
                "a round that reached this step",
                format!(
                    "{what}: no round read it ({} finished)",
                    crate::report::plural(ended.rounds, "round")
                ),
            )
        } else {
            // A link the last round could not read keeps what earlier rounds found there: those
            // findings still stand, and a report without them would read as a pass.
            let when = if read_last {
                "after"
            } else {
                "from before the last round, which could not read it, after"
            };
            let mut s = Step::new(
                step,
                Instant::now(),
                format!(
                    "{what}: {} standing {when} {}",
                    crate::report::plural(findings.len() as u64, "finding"),
                    crate::report::plural(ended.rounds, "round")
                ),
                findings,
            );
            s.duration = Duration::ZERO;
            s
        });
    }
    if let Some(rehearsal) = ended.last_rehearsal {
        let failed = rehearsal.verdict() == Verdict::Fail;
        let findings: Vec<Located> = rehearsal
            .steps
            .iter()
            .flat_map(|s| s.all_findings())
            .cloned()
            .collect();
        let mut s = Step::new(
            StepId::Simulate,
            Instant::now(),
            format!("the last rehearsal: {}", rehearsal.verdict().as_str()),
            findings,
        );
        if failed {
            s.status = Status::Fail;
        }
        s.duration = rehearsal.duration;
        steps.push(s);
    }
    Diagnosis {
        api: cxone_client::Profile::Cxone,
        steps,
        duration: took,
        stats,
        dry_run: false,
    }
}

/// `--interval`: seconds as a bare number, or a span such as `500ms`, `30s`, `1m`.
fn duration(text: &str) -> Result<Duration, Error> {
    let bad = || {
        Error::Usage(format!(
            "--interval {text}: give a time above 0, such as 60, 60s, 1m or 500ms"
        ))
    };
    let text = text.trim();
    let duration = match text.parse::<f64>() {
        Ok(seconds) => Duration::try_from_secs_f64(seconds).map_err(|_| bad())?,
        Err(_) => {
            let signed: jiff::SignedDuration = text.parse().map_err(|_| bad())?;
            Duration::try_from(signed).map_err(|_| bad())?
        }
    };
    if duration.is_zero() {
        return Err(bad());
    }
    Ok(duration)
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::{duration, report};
    use std::time::Duration;

    use crate::diagnose::{finding, rules};
    use crate::report::{Status, StepId, Verdict};
    use crate::watch::Ended;
    use crate::watch::events::Standing;
    use crate::watch::round::{Check, Found, Round, Subject};

    /// The watch ended on a round whose sign-in failed; an earlier round had found a skill inactive.
    fn ended_after_a_failed_sign_in() -> Ended {
        let mut standing = Standing::default();
        let mut found_it = Round {
            checks: vec![(Check::Auth, true), (Check::SkillActivity, false)],
            skills: Some(Vec::new()),
            findings: vec![Found {
                subject: Subject::Skill {
                    id: "4012345".into(),
                    name: "Billing Voice".into(),
                },
                check: Check::SkillActivity,
                located: finding(&rules::QUEUE_INACTIVE, "Billing Voice is inactive"),
            }],
            rate_limited: false,
            took: Duration::ZERO,
            rehearsal: None,
        };
        standing.update(&mut found_it, 1, "2026-11-25T06:00:00Z");
        let mut refused = Round {
            checks: vec![(Check::Auth, false)],
            skills: None,
            findings: Vec::new(),
            rate_limited: false,
            took: Duration::ZERO,
            rehearsal: None,
        };
        standing.update(&mut refused, 2, "2026-11-25T06:01:00Z");
        Ended {
            standing,
            checks: refused.checks,
            rounds: 2,
            by_signal: false,
            last_rehearsal: None,
        }
    }

    #[test]
    fn the_end_report_keeps_findings_of_a_link_the_last_round_could_not_read() {
        let diagnosis = report(
            ended_after_a_failed_sign_in(),
            Default::default(),
            Duration::ZERO,
        );
        let queue = diagnosis
            .steps
            .iter()
            .find(|s| s.id == StepId::Queue)
            .unwrap();
        let codes: Vec<&str> = queue.all_findings().map(|l| l.finding.rule.code).collect();
        assert_eq!(codes, ["HD702"]);
        assert_eq!(queue.status, Status::Fail);
        assert!(queue.missing.is_none(), "{:?}", queue.missing);
        assert!(
            queue
                .detail
                .contains("before the last round, which could not read it"),
            "{}",
            queue.detail
        );
        // The agents' link has nothing standing and was not read last: that is missing, not a pass.
        let agents = diagnosis
            .steps
            .iter()
            .find(|s| s.id == StepId::Agents)
            .unwrap();
        assert!(agents.missing.is_some());
        assert_eq!(diagnosis.verdict(), Verdict::Fail);
    }

    #[test]
    fn intervals_read_as_seconds_or_spans() {
        assert_eq!(duration("60").unwrap(), Duration::from_secs(60));
        assert_eq!(duration("1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(duration("2s").unwrap(), Duration::from_secs(2));
        for bad in ["0", "-1", "soon", "", "0s"] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }
}
