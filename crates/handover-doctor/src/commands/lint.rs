//! `lint`: the handover defects that sit in the bot's flow and the Studio script, found before a
//! call does. Files are found as `validate` finds them; each chart or script is one record of the
//! report, its findings placed in the file, so every format works as it does for payloads.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cxone_client::{Client, ContactCenter};
use handover_core::{Finding, Parser};
use handover_lint::Kind;

use super::tenant::Setup;
use crate::cli::{LintArgs, TenantArgs};
use crate::error::Error;
use crate::report::{Checked, End, RecordReport, Summary, Target, Unreadable};
use crate::settings::{Config, resolve};
use crate::validate::{self, input};

/// One file linted: what it holds, and what lint found in it.
struct Input {
    /// The file, `studio:Folder\\Name` for a script fetched from the tenant, or
    /// `cognigy:<flow>/<locale>` for a chart pulled from Cognigy.AI.
    source: String,
    kind: Kind,
    /// What lint found, once the file has been read and parsed (once).
    findings: Vec<Finding>,
}

pub fn run(args: LintArgs) -> anyhow::Result<i32> {
    let config = Config::load(args.config.config.as_deref())?;
    let found = if args.paths.is_empty() {
        input::Found::default()
    } else {
        input::discover_with(&args.paths, &args.select, false, input::LINT_EXTENSIONS)?
    };
    let mut summary = Summary::default();
    for error in &found.unreadable {
        error.print();
        summary.unreadable.push(Unreadable::of(error));
    }
    let named: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    let mut targets = Vec::new();
    let mut skipped = 0;
    let mut parser = Parser::new();
    for source in &found.sources {
        let Some(path) = &source.path else {
            return Err(Error::Usage(
                "lint reads files and directories, not standard input".into(),
            )
            .into());
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let error = Error::read(path, e);
                error.print();
                summary.unreadable.push(Unreadable::of(&error));
                continue;
            }
        };
        // Parsed once: what the file holds is read from the same parse that is linted.
        let parsed = parser.parse(&bytes);
        let explicit = named.contains(&path.as_path());
        let kind = match &parsed {
            Ok(doc) => handover_lint::kind_of(doc),
            Err(_) => handover_lint::detect_xml(&bytes),
        };
        let kind = match kind {
            Some(kind) => kind,
            // A file the user named is linted whatever it holds, so that a broken chart gets its
            // HD100; one found in a directory (config.json, locales.json, intents.json, payloads)
            // is simply not a flow or a script.
            None if explicit
                && parsed.is_err()
                && !handover_lint::studio::looks_like_xml(&bytes) =>
            {
                Kind::CognigyChart
            }
            None if explicit => {
                return Err(Error::Usage(format!(
                    "{} is neither a Cognigy flow chart ({{nodes, relations}}) nor a Studio script ({{actions, branches}}, or Desktop Studio XML with <ActionStruct> elements)",
                    path.display()
                ))
                .into());
            }
            None => {
                skipped += 1;
                continue;
            }
        };
        let (name, locale) = names(path, kind);
        if args.flow.as_ref().is_some_and(|f| *f != name) && kind == Kind::CognigyChart {
            continue;
        }
        if args.locale.is_some() && (kind != Kind::CognigyChart || locale != args.locale) {
            continue;
        }
        let mut findings = Vec::new();
        match &parsed {
            Ok(doc) => handover_lint::lint_parsed(kind, &name, doc, &mut findings),
            Err(_) => handover_lint::lint(kind, &name, &bytes, &mut findings),
        }
        targets.push((
            Input {
                source: path.display().to_string(),
                kind,
                findings,
            },
            bytes,
        ));
    }
    targets.extend(fetch_scripts(&args)?);
    targets.extend(
        super::cognigy::pull(&args, &config)?
            .into_iter()
            .map(|pulled| {
                let input = Input {
                    source: pulled.source,
                    kind: Kind::CognigyChart,
                    findings: pulled.findings,
                };
                (input, pulled.text)
            }),
    );
    let nothing_to_check = targets.is_empty().then(|| {
        let narrowed = match (&args.flow, &args.locale) {
            (Some(flow), Some(locale)) => format!(" of flow `{flow}` in locale `{locale}`"),
            (Some(flow), None) => format!(" of flow `{flow}`"),
            (None, Some(locale)) => format!(" in locale `{locale}`"),
            (None, None) => String::new(),
        };
        format!(
            "nothing to lint: no Cognigy flow chart or Studio script{narrowed} in {} ({} JSON or XML {} that {} neither)",
            args.paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", "),
            skipped,
            if skipped == 1 { "file" } else { "files" },
            if skipped == 1 { "is" } else { "are" },
        )
    });
    if let Some(why) = nothing_to_check
        .clone()
        .or_else(|| found.nothing_to_check())
    {
        Error::Usage(why).print();
    }
    let mut reporter = resolve::reporter(
        &args.output,
        &config,
        "lint",
        args.deny_warnings,
        Target::Stdout,
    )?;
    let levels = config.levels()?;
    let delivery = reporter.delivery();
    let keep_text = matches!(
        delivery,
        crate::report::Delivery::Reports { keep_text: true }
    );
    let files = targets.len();
    for (input, bytes) in targets {
        let mut findings = input.findings;
        handover_core::settings::relevel(&levels, &mut findings);
        let mut checked = Checked::default();
        checked
            .summary
            .add_record(Some(input.kind.name()), &findings);
        if !findings.is_empty() {
            let text = String::from_utf8_lossy(&bytes);
            let source: Arc<str> = input.source.as_str().into();
            let report = RecordReport::new(
                source,
                Some(input.kind.name()),
                1,
                0,
                &text,
                findings,
                keep_text,
            );
            checked.deliver(&delivery, report);
        }
        summary.merge(&checked.summary);
        reporter.records(&checked)?;
    }
    let nothing_to_check = nothing_to_check.or_else(|| found.nothing_to_check());
    reporter.done(&End::Batch {
        summary: &summary,
        files,
        nothing_to_check: nothing_to_check.as_deref(),
    })?;
    Ok(validate::exit_code(
        &summary,
        args.deny_warnings,
        nothing_to_check.is_some(),
    ))
}

/// Fetches each `--studio-script` from the tenant and lints it against the tenant's skills, which
/// HD977-HD979 need: GETs only, nothing is written. The skill rules are left out when the tenant's
/// list was longer than the page cap, since a skill missing from a partial list is not missing
/// from the tenant.
fn fetch_scripts(args: &LintArgs) -> Result<Vec<(Input, Vec<u8>)>, Error> {
    if args.studio_script.is_empty() {
        return Ok(Vec::new());
    }
    let tenant = TenantArgs {
        config: args.config.clone(),
        demo: args.demo.clone(),
        demo_latency_ms: None,
        allow_insecure_http: args.allow_insecure_http,
        output: args.output.clone(),
        verbose: 0,
    };
    let setup = Setup::new(&tenant, None)?;
    let Client::Cxone(client) = setup.client()? else {
        return Err(Error::Usage(
            "--studio-script reads CXone Studio scripts: it needs the cxone api, not routing-v2"
                .into(),
        ));
    };
    setup.runtime.block_on(async {
        let sweep = client
            .queues()
            .await
            .map_err(|e| Error::Environment(format!("cannot read the tenant's skills: {e}")))?;
        let skills = match crate::diagnose::skill_facts(&sweep) {
            Ok(skills) => Some(skills),
            Err(truncated) => {
                eprintln!(
                    "warning: {} held more skills than {} pages; HD977-HD979 are not checked",
                    truncated.endpoint, truncated.pages
                );
                None
            }
        };
        let mut scripts = Vec::new();
        for path in &args.studio_script {
            let bytes = client.studio_script(path).await.map_err(|e| {
                Error::Environment(format!("cannot fetch Studio script `{path}`: {e}"))
            })?;
            let mut findings = Vec::new();
            match &skills {
                Some(skills) => handover_lint::studio::lint_script_with_skills(
                    path,
                    &bytes,
                    skills,
                    &mut findings,
                ),
                None => handover_lint::studio::lint_script(path, &bytes, &mut findings),
            }
            scripts.push((
                Input {
                    source: format!("studio:{path}"),
                    kind: Kind::StudioScript,
                    findings,
                },
                bytes,
            ));
        }
        Ok(scripts)
    })
}

/// The flow (and locale) a chart belongs to, as the Cognigy CLI lays an agent out:
/// `flows/<flow>/<locale>/chart.json`, with the flow's own name in `flows/<flow>/config.json`.
/// Elsewhere, and for a script, the file's stem.
fn names(path: &Path, kind: Kind) -> (String, Option<String>) {
    let stem = || {
        path.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    };
    if kind != Kind::CognigyChart {
        return (stem(), None);
    }
    let locale_dir = path.parent();
    let flow_dir = locale_dir.and_then(Path::parent);
    let in_agent = flow_dir
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .is_some_and(|n| n == "flows");
    match (in_agent, locale_dir, flow_dir) {
        (true, Some(locale), Some(flow)) => {
            let name = std::fs::read(flow.join("config.json"))
                .ok()
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
                .and_then(|config| config["name"].as_str().map(str::to_string))
                .unwrap_or_else(|| {
                    flow.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                });
            let locale = locale.file_name().map(|n| n.to_string_lossy().into_owned());
            (name, locale)
        }
        _ => (stem(), None),
    }
}
