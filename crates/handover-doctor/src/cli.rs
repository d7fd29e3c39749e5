//! The command line as clap sees it. These are raw arguments: `settings` turns them, the config file
//! and the environment into the settings the commands run with.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::report::{Color, Format};

#[derive(Parser, Debug)]
#[command(
    name = "handover-doctor",
    version,
    about = "Finds out why a bot-to-agent handover (NICE Cognigy to NICE CXone) fails",
    long_about = "Finds out why a bot-to-agent handover (NICE Cognigy to NICE CXone) fails.\n\n\
                  Exit status: 0 nothing failed (warnings alone exit 0 unless --deny-warnings), \
                  1 an error was found or a step failed, 2 the tool could not run.",
    after_help = "Examples:
  handover-doctor diagnose --demo           # every check, against the built-in mock tenant
  handover-doctor validate examples/transfer-context/   # every payload under a folder
  handover-doctor --explain HD304           # a rule, with its example and its fix",
    override_usage = "handover-doctor <COMMAND> [OPTIONS]\n       handover-doctor --explain <CODE>",
    args_conflicts_with_subcommands = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Explain a rule, with its example and its fix, as `rules CODE` does
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Find out why a handover fails: payload, credentials, queue, agents, script, then a test contact
    #[command(after_help = "Examples:
  handover-doctor diagnose --demo               # every step, against the built-in mock tenant
  handover-doctor diagnose --demo no-agents     # a scenario that goes wrong (mock --list)
  handover-doctor diagnose --demo --payload examples/transfer-context/broken.json --format json")]
    Diagnose(DiagnoseArgs),
    /// Sign in and show the tenant, its API host, the business unit and the token's lifetime
    #[command(after_help = "Examples:
  handover-doctor auth --demo
  handover-doctor auth --demo bad-credentials --format json
  handover-doctor auth --demo -vv               # and log each call on standard error")]
    Auth(TenantArgs),
    /// Queue health and agent availability, for some queues or (--all) every skill
    #[command(after_help = "Examples:
  handover-doctor queue 4012345 --demo          # a skill and its agents
  handover-doctor queue --demo --all            # every skill, as a table
  handover-doctor queue 4012345 --demo queue-paused --format json")]
    Queue(QueueArgs),
    /// Place a test handover: a dry run unless --live
    #[command(after_help = "Examples:
  handover-doctor simulate --demo               # a test contact into the mock tenant's queue
  handover-doctor simulate --demo contact-drops # one that never reaches an agent
  handover-doctor simulate --demo --payload examples/transfer-context/valid.json --format json")]
    Simulate(SimulateArgs),
    /// Check handover payloads: one file, directories of them, JSON Lines logs of millions, or
    /// what Cognigy's logs show the bot sent
    #[command(after_help = "Examples:
  handover-doctor validate examples/transfer-context/broken.json
  handover-doctor validate examples/transfer-context/ --format sarif > findings.sarif
  handover-doctor validate --from cognigy-logs examples/cognigy-logs/day.jsonl")]
    Validate(ValidateArgs),
    /// Find handover defects in Cognigy flows (a Cognigy CLI agent directory, or a chart.json) and CXone Studio scripts (web-Studio JSON)
    #[command(after_help = "Examples:
  handover-doctor lint examples/cognigy-flow/             # every flow of an agent directory
  handover-doctor lint --demo --flow VoiceHandover        # pulled from the built-in mock
  handover-doctor lint examples/studio/ --format sarif > lint.sarif")]
    Lint(LintArgs),
    /// What the bot's Cognigy logs say about each handover: its events in time order, and where it broke
    #[command(after_help = "Examples:
  handover-doctor logs examples/cognigy-logs/day.jsonl          # every conversation of the day
  handover-doctor logs examples/cognigy-logs/day.csv --contact-id 700000000302 --format json
  handover-doctor logs --pull --demo --out pulled/   # the mock project's log, kept in pulled/")]
    Logs(LogsArgs),
    /// One timeline for a handover that failed: the bot's Cognigy logs and the contact's history in CXone, and where it broke
    #[command(after_help = "Examples:
  handover-doctor postmortem --demo contact-drops   # a handover played on the mock, investigated
  handover-doctor postmortem --demo --session sess-main-contact --logs examples/cognigy-logs/
  handover-doctor postmortem --demo no-agents --format json")]
    Postmortem(PostmortemArgs),
    /// Check the handover chain round after round and export its health to Prometheus on
    /// /metrics, with each finding raised or cleared as an event
    #[command(after_help = "Examples:
  handover-doctor watch --demo --interval 1s --listen :0 --rounds 2
  handover-doctor watch --demo shift-change --format human --listen :0 --rounds 1
  handover-doctor watch --demo --all --listen :0 --rounds 1 --format sarif")]
    Watch(WatchArgs),
    /// Print every fix the findings offer applied to a payload file (--write rewrites, --diff shows the changes)
    #[command(after_help = "Examples:
  handover-doctor fix examples/transfer-context/broken.json > fixed.json
  handover-doctor fix --diff examples/   # the changes, nothing written
  cp examples/transfer-context/broken.json p.json && handover-doctor fix --write p.json")]
    Fix(FixArgs),
    /// Print the JSON Schema (draft 2020-12) of the payload contract
    #[command(after_help = "Examples:
  handover-doctor schema > transfer-context.schema.json
  handover-doctor schema --api routing-v2       # queue ids as UUIDs
  handover-doctor schema --contract vg-transfer")]
    Schema(SchemaArgs),
    /// List the rules, or explain one (`rules HD304`)
    #[command(after_help = "Examples:
  handover-doctor rules
  handover-doctor rules HD304                   # or: handover-doctor --explain HD304
  handover-doctor rules --json")]
    Rules(RulesArgs),
    /// Run a mock CXone tenant on a loopback port, for rehearsals and the tutorial's script
    #[command(after_help = "Examples:
  handover-doctor mock --list                   # the scenarios
  handover-doctor mock --scenario no-agents --port 8080
  handover-doctor mock --print-config cxone > handover-doctor.yaml   # serves until Ctrl-C")]
    Mock(MockArgs),
    /// Write a commented handover-doctor.yaml: asks for each value on a terminal, or takes them as flags
    #[command(
        after_help = "Secrets are typed without echo, or left to HANDOVER_DOCTOR_CLIENT_SECRET and \
                            HANDOVER_DOCTOR_ACCESS_KEY_SECRET; they are never flags.\n\n\
                            Examples:\n  \
                            handover-doctor init\n  \
                            handover-doctor init --force --access-key-id AK1 --script-path 'Handover\\Cognigy'\n  \
                            handover-doctor init --profile routing-v2 --base-url https://gateway.example --config ci.yaml"
    )]
    Init(InitArgs),
    /// List every setting with its environment variable, or (--show) the value of each in force
    #[command(after_help = "Examples:
  handover-doctor settings
  handover-doctor settings --show                # what is in force, and from where
  COLUMNS=80 handover-doctor settings           # fitted to 80 columns")]
    Settings(SettingsArgs),
    /// Print a shell completion script
    #[command(after_help = "Examples:
  handover-doctor completions bash > handover-doctor.bash   # then: . handover-doctor.bash
  handover-doctor completions zsh > _handover-doctor        # into a folder on $fpath")]
    Completions {
        /// The shell the script is for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:
  handover-doctor manpage > handover-doctor.1   # man -l handover-doctor.1 reads it
  handover-doctor manpage --dir man             # and a page per command")]
    Manpage(ManpageArgs),
}

/// What every command that talks to a tenant shares: config, profile and output.
#[derive(Args, Debug)]
pub struct TenantArgs {
    #[command(flatten)]
    pub config: ConfigArgs,

    /// Run against the built-in mock tenant playing this scenario (default: healthy), with a bundled payload
    #[arg(long, value_name = "SCENARIO", num_args = 0..=1, default_missing_value = "healthy", help_heading = "Connection")]
    pub demo: Option<String>,

    /// With --demo: latency the mock adds to every request
    #[arg(
        long,
        value_name = "MS",
        requires = "demo",
        help_heading = "Connection"
    )]
    pub demo_latency_ms: Option<u64>,

    /// Allow plain http:// to hosts other than this machine (credentials would cross the network unencrypted)
    #[arg(long, help_heading = "Connection")]
    pub allow_insecure_http: bool,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Log what happens on stderr: -v info, -vv debug, -vvv trace, from this tool's own crates
    /// (RUST_LOG replaces that filter); secrets are never logged
    #[arg(short, long, action = clap::ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,
}

#[derive(Args, Debug)]
#[command(next_help_heading = "Test contact")]
pub struct ContactArgs {
    /// The payload to check and simulate with [default: the config's test_payload]
    #[arg(long, value_name = "FILE")]
    pub payload: Option<PathBuf>,

    /// The queue (skill) to check [default: the payload's queueId]
    #[arg(long, value_name = "ID")]
    pub queue: Option<String>,

    /// Place the test contact for real (asks first on a terminal)
    #[arg(long)]
    pub live: bool,

    /// Do not ask before placing a live test contact
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// cxone: watch the test contact's states for up to SECONDS [default: follow_seconds, 10] and report where it ended
    #[arg(long, value_name = "SECONDS", num_args = 0..=1)]
    pub follow: Option<Option<f64>>,
}

#[derive(Args, Debug)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub tenant: TenantArgs,
    #[command(flatten)]
    pub payload: PayloadArgs,
    #[command(flatten)]
    pub contact: ContactArgs,
}

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// Queue (skill) ids [default: the payload's queueId]
    #[arg(value_name = "QUEUE_ID")]
    pub queues: Vec<String>,

    /// Every skill's activity in one call (cxone), as a table
    #[arg(long, conflicts_with = "queues")]
    pub all: bool,

    #[command(flatten)]
    pub tenant: TenantArgs,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Skill ids to watch [default: the config's watch.skills]
    #[arg(value_name = "SKILL_ID")]
    pub skills: Vec<String>,

    /// Watch every skill the tenant's activity lists
    #[arg(long, conflicts_with = "skills")]
    pub all: bool,

    /// Time between rounds: 60, 60s, 1m, 500ms [default: watch.interval_seconds, else 60 s; 5 s
    /// with --demo]
    #[arg(long, value_name = "DURATION", help_heading = "Watch")]
    pub interval: Option<String>,

    /// Where /metrics and /healthz answer; :PORT is 127.0.0.1:PORT, port 0 picks a free one
    /// [default: watch.listen, else 127.0.0.1:9464]
    #[arg(long, value_name = "ADDR", help_heading = "Watch")]
    pub listen: Option<String>,

    /// Stop after N rounds and report what stands, with the exit status other commands use
    /// [default: run until Ctrl-C or SIGTERM]
    #[arg(long, value_name = "N", help_heading = "Watch")]
    pub rounds: Option<u64>,

    /// Every N rounds, rehearse a handover as diagnose does: a dry run, or with --live --yes a
    /// real test contact [default: watch.rehearse_every, else never]
    #[arg(long, value_name = "N", help_heading = "Watch")]
    pub rehearse_every: Option<u32>,

    /// Append each finding event to FILE as a JSON line [default: only standard output]
    #[arg(long, value_name = "FILE", help_heading = "Watch")]
    pub events: Option<PathBuf>,

    /// POST each finding event as JSON to URL: retried, never holding up a round, and masked
    /// in logs [default: watch_webhook]
    #[arg(long, value_name = "URL", help_heading = "Watch")]
    pub webhook: Option<String>,

    #[command(flatten)]
    pub tenant: TenantArgs,
    #[command(flatten)]
    pub payload: PayloadArgs,
    #[command(flatten)]
    pub contact: ContactArgs,
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub tenant: TenantArgs,
    #[command(flatten)]
    pub payload: PayloadArgs,
    #[command(flatten)]
    pub contact: ContactArgs,

    /// contact: place a test contact into the queue; signal: signal a running contact as a
    /// voicebot's Exit Interaction does (cxone)
    #[arg(long, value_enum, default_value_t = Via::Contact, help_heading = "Test contact")]
    pub via: Via,

    /// With --via signal: the contact to signal (the spawned contact) [default: the payload's spawnedContactId]
    #[arg(long, value_name = "N", help_heading = "Test contact")]
    pub contact_id: Option<String>,

    /// With --via signal: a parameter, p1 first (repeatable) [default: the payload's, else Escalate]
    #[arg(long = "param", value_name = "VALUE", help_heading = "Test contact")]
    pub params: Vec<String>,

    /// With --via signal: where p1..p9 travel. The published API reads the query; NICE's Cognigy
    /// extension sends a JSON body since 2026-03 [default: signal_params, both]
    #[arg(long, value_enum, value_name = "WHERE", help_heading = "Test contact")]
    pub signal_params: Option<SignalParamsArg>,
}

/// A flag and a config value alike (`signal_params: body`).
#[derive(ValueEnum, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SignalParamsArg {
    Query,
    Body,
    Both,
}

impl SignalParamsArg {
    pub fn to_client(self) -> cxone_client::cxone::SignalParams {
        use cxone_client::cxone::SignalParams;
        match self {
            SignalParamsArg::Query => SignalParams::Query,
            SignalParamsArg::Body => SignalParams::Body,
            SignalParamsArg::Both => SignalParams::Both,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Contact,
    Signal,
}

#[derive(Args, Debug)]
pub struct MockArgs {
    /// A built-in scenario (see --list) or a scenario YAML file
    #[arg(long, value_name = "NAME|FILE", default_value = "healthy")]
    pub scenario: String,

    /// Port to listen on [default: a free one]
    #[arg(long, value_name = "P", default_value_t = 0)]
    pub port: u16,

    /// Address to listen on; anything but loopback exposes the mock to the network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Latency added to every request, over the scenario's
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,

    /// Share of API calls (0 to 1) that answer 503, over the scenario's
    #[arg(long, value_name = "RATE")]
    pub fail_rate: Option<f64>,

    /// List the built-in scenarios and exit
    #[arg(long)]
    pub list: bool,

    /// Print only the config for this profile on standard output, ready to save, and serve on;
    /// the request log goes to standard error
    #[arg(long, value_enum, value_name = "API")]
    pub print_config: Option<ApiArg>,
}

/// Where the settings come from, and the API they are for: every command that reads a config.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Config")]
pub struct ConfigArgs {
    /// Config file [default: the nearest handover-doctor.yaml from here up, else the user's]
    #[arg(long, value_name = "FILE", env = "HANDOVER_DOCTOR_CONFIG")]
    pub config: Option<PathBuf>,

    /// Contact-center API: cxone skill ids are numbers, routing-v2 queue ids are UUIDs
    #[arg(long, value_enum)]
    pub api: Option<ApiArg>,
}

/// How payloads are judged: only the commands that check a payload take these.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Checks")]
pub struct PayloadArgs {
    /// The payload contract: auto (detected per record), transfer-context, cxone-signal,
    /// cxone-sip-headers, vah-chat or vg-transfer
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub contract: String,

    /// ISO country code used to turn national phone numbers into E.164 fixes (e.g. US)
    #[arg(long, value_name = "CODE")]
    pub default_region: Option<String>,

    /// How far phone numbers are checked: basic (E.164 syntax, calling code) or full (numbering plan, HD306)
    #[arg(long, value_enum)]
    pub phone_check: Option<PhoneCheckArg>,

    /// Custom attribute that must be present (repeatable; adds to the config's list)
    #[arg(long = "required-attribute", value_name = "KEY")]
    pub required_attributes: Vec<String>,

    /// Largest `customAttributes`, serialised, before HD401
    #[arg(long, value_name = "BYTES")]
    pub max_custom_attributes_bytes: Option<usize>,
}

/// How payload files are read: only the commands that read files of records take these.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Treat every input as JSON Lines (one payload per line), whatever its extension
    #[arg(long)]
    pub jsonl: bool,

    /// Largest record that is checked; a larger one gets HD105
    #[arg(long, value_name = "BYTES", default_value_t = crate::validate::input::MAX_RECORD_BYTES)]
    pub max_record_bytes: u64,

    #[command(flatten)]
    pub select: SelectArgs,
}

/// Which files a directory search picks up, as ripgrep picks them: files named on the command
/// line are always read.
#[derive(Args, Debug, Clone)]
pub struct SelectArgs {
    /// In directories, check only the files GLOB matches, or with !GLOB skip them (repeatable;
    /// .gitignore syntax). A file GLOB matches is checked whatever its extension
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// In directories, check what .gitignore, .ignore and git's exclude files leave out too
    #[arg(long)]
    pub no_ignore: bool,

    /// In directories, check hidden files and directories too
    #[arg(long)]
    pub hidden: bool,

    /// Honour .gitignore outside a git repository too (inside one only, by default)
    #[arg(long)]
    pub no_require_git: bool,
}

/// Everything `validate` and `fix` need to check files of payloads.
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub payload: PayloadArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Files, directories (searched for *.json, *.jsonl, *.ndjson, skipping hidden entries and
    /// what .gitignore and .ignore leave out), or - for standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub check: CheckArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Fail (exit 1) on warnings too
    #[arg(long, help_heading = "Checks")]
    pub deny_warnings: bool,

    /// No progress bar
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Worker threads [default: the number of cores]
    #[arg(
        long,
        value_name = "N",
        env = "HANDOVER_DOCTOR_THREADS",
        help_heading = "Input"
    )]
    pub threads: Option<usize>,

    /// What the files hold: payloads, or Cognigy log exports (JSON, JSON Lines or CSV), whose
    /// handover events are checked as the payloads they are
    #[arg(
        long,
        value_enum,
        value_name = "WHAT",
        default_value = "payloads",
        help_heading = "Input"
    )]
    pub from: From,
}

/// What `validate` reads.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    Payloads,
    CognigyLogs,
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Cognigy CLI agent directories (flows/<flow>/<locale>/chart.json), chart files, Studio
    /// scripts (web-Studio JSON, or Desktop Studio XML), or directories of them
    #[arg(value_name = "PATH", required_unless_present_any = ["studio_script", "cognigy_url", "project", "demo"])]
    pub paths: Vec<PathBuf>,

    /// Fetch this Studio script (`Folder\Name`) from the tenant with a GET and lint it against
    /// the tenant's skills; repeatable. Nothing is written to the tenant
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub studio_script: Vec<String>,

    /// Pull the flows of this Cognigy.AI API (its base URL, e.g. https://api-trial.cognigy.ai)
    /// with GETs and lint them; the project, key and URL can come from the config
    /// (cognigy_project, cognigy_api_key, cognigy_url). Nothing is written
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "demo",
        help_heading = "Input"
    )]
    pub cognigy_url: Option<String>,

    /// The Cognigy.AI project whose flows are pulled (its id)
    #[arg(long, value_name = "ID", help_heading = "Input")]
    pub project: Option<String>,

    /// Fetch from the built-in mock playing this scenario (default: healthy): the --studio-script
    /// from its tenant, or (without --studio-script, or with --project) its Cognigy project's flows
    #[arg(long, value_name = "SCENARIO", num_args = 0..=1, default_missing_value = "healthy", help_heading = "Connection")]
    pub demo: Option<String>,

    /// Allow plain http:// to hosts other than this machine for --cognigy-url and --studio-script
    /// (the API key would cross the network unencrypted)
    #[arg(long, help_heading = "Connection")]
    pub allow_insecure_http: bool,

    /// Only the flow of this name (its folder under flows/, or its config.json name)
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub flow: Option<String>,

    /// Only the charts of this locale (the folder under the flow, e.g. en-US)
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub locale: Option<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Fail (exit 1) on warnings too
    #[arg(long, help_heading = "Checks")]
    pub deny_warnings: bool,
}

/// How findings are shown; the same for every command that reports them.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format: human, json, jsonl, junit, sarif (code scanning) or github (workflow annotations)
    /// [default: HANDOVER_DOCTOR_FORMAT, else human; --demo reads only this flag]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// When to colour human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// In human output, print at most this many findings; the rest are counted
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_findings: usize,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// Cognigy log exports (JSON, JSON Lines or CSV), or directories of them
    #[arg(
        value_name = "PATH",
        required_unless_present = "pull",
        conflicts_with = "pull"
    )]
    pub paths: Vec<PathBuf>,

    /// Fetch the project's log from Cognigy.AI's API (GETs only) into dated JSON Lines files in
    /// --out, from where the last pull stopped (a cursor file in DIR); --since and --until bound
    /// the entries kept. Cognigy keeps a log entry for a day: run it from cron or CI
    #[arg(long, requires = "out", help_heading = "Pull")]
    pub pull: bool,

    /// Where --pull writes: cognigy-logs-<project>-<YYYY-MM-DD>.jsonl per UTC day, and its cursor
    #[arg(long, value_name = "DIR", requires = "pull", help_heading = "Pull")]
    pub out: Option<PathBuf>,

    /// The Cognigy.AI project whose log is pulled (its id; else cognigy_project)
    #[arg(long, value_name = "ID", requires = "pull", help_heading = "Pull")]
    pub project: Option<String>,

    /// The Cognigy.AI API's base URL, e.g. https://api-trial.cognigy.ai (else cognigy_url; the
    /// key is cognigy_api_key)
    #[arg(
        long,
        value_name = "URL",
        requires = "pull",
        conflicts_with = "demo",
        help_heading = "Pull"
    )]
    pub cognigy_url: Option<String>,

    /// Pull from the built-in mock playing this scenario (default: healthy)
    #[arg(long, value_name = "SCENARIO", num_args = 0..=1, default_missing_value = "healthy", requires = "pull", help_heading = "Pull")]
    pub demo: Option<String>,

    /// Allow plain http:// to hosts other than this machine for --cognigy-url (the API key would
    /// cross the network unencrypted)
    #[arg(long, requires = "pull", help_heading = "Pull")]
    pub allow_insecure_http: bool,

    /// Only events at or after TIME: RFC 3339, `YYYY-MM-DD HH:MM:SS` (UTC), or a span back from
    /// now such as `24h` or `90m`
    #[arg(long, value_name = "TIME", help_heading = "Input")]
    pub since: Option<String>,

    /// Only events at or before TIME (as --since)
    #[arg(long, value_name = "TIME", help_heading = "Input")]
    pub until: Option<String>,

    /// Only the conversation with this session (or trace) id
    #[arg(long, value_name = "ID", help_heading = "Input")]
    pub session: Option<String>,

    /// Only the conversations that name this contact id (main or spawned, or set by Context Init)
    #[arg(long, value_name = "ID", help_heading = "Input")]
    pub contact_id: Option<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Fail (exit 1) on warnings too
    #[arg(long, help_heading = "Checks")]
    pub deny_warnings: bool,
}

#[derive(Args, Debug)]
pub struct PostmortemArgs {
    /// The contact to investigate: the main contact or the spawned one [with --demo: the demo's]
    #[arg(long, value_name = "ID", help_heading = "Input")]
    pub contact_id: Option<String>,

    /// The bot's conversation to investigate (a session or trace id in the logs); its contacts
    /// are looked up in CXone
    #[arg(long, value_name = "ID", requires = "logs", help_heading = "Input")]
    pub session: Option<String>,

    /// Cognigy log exports (JSON, JSON Lines or CSV), or directories of them, that hold the
    /// bot's side of the handover (repeatable)
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub logs: Vec<PathBuf>,

    /// Only log events at or after TIME (as `logs --since`)
    #[arg(long, value_name = "TIME", help_heading = "Input")]
    pub since: Option<String>,

    /// Only log events at or before TIME (as `logs --until`)
    #[arg(long, value_name = "TIME", help_heading = "Input")]
    pub until: Option<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    #[command(flatten)]
    pub tenant: TenantArgs,

    /// Fail (exit 1) on warnings too
    #[arg(long, help_heading = "Checks")]
    pub deny_warnings: bool,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Payload files (.json, or .jsonl/.ndjson), directories searched as `validate` searches
    /// them, or - for standard input. More than one file needs --write or --diff
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Rewrite the files in place (atomically; through a symlink, its target) instead of
    /// printing the fixed payload
    #[arg(long, help_heading = "Output")]
    pub write: bool,

    /// Print what the fixes would change as a unified diff, and write nothing
    #[arg(long, conflicts_with = "write")]
    pub diff: bool,

    #[command(flatten)]
    pub check: CheckArgs,

    /// How the findings no fix can remove are shown: on standard error in human output; the
    /// other formats need --write, since the fixed payload is on standard output otherwise
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The contract: transfer-context, cxone-signal, cxone-sip-headers, vah-chat or vg-transfer
    #[arg(long, value_name = "NAME", default_value = "transfer-context")]
    pub contract: String,

    /// transfer-context: the queue id form (a CXone skill id, or a routing-v2 UUID)
    #[arg(long, value_enum)]
    pub api: Option<ApiArg>,

    /// Config file (for its `api`) [default: the nearest handover-doctor.yaml from here up, else the user's]
    #[arg(long, value_name = "FILE", env = "HANDOVER_DOCTOR_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The file to write: the one the other commands read [default: ./handover-doctor.yaml]
    #[arg(long, value_name = "FILE", env = "HANDOVER_DOCTOR_CONFIG")]
    pub config: Option<PathBuf>,

    /// The API the file is for [default: cxone; asked on a terminal]
    #[arg(long, value_enum, value_name = "API", visible_alias = "api")]
    pub profile: Option<ApiArg>,

    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,

    /// The registered app's client id
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// cxone: the access key id
    #[arg(long, value_name = "ID")]
    pub access_key_id: Option<String>,

    /// cxone: the Studio script a test contact spawns (Folder\Name)
    #[arg(long, value_name = "PATH")]
    pub script_path: Option<String>,

    /// routing-v2: the API's base URL
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// Print the value of every setting in force and where it comes from (secrets as ***)
    #[arg(long)]
    pub show: bool,

    /// With --show: the config file [default: HANDOVER_DOCTOR_CONFIG, else the nearest
    /// handover-doctor.yaml from here up, else the user's config file]
    #[arg(long, value_name = "FILE", requires = "show")]
    pub config: Option<PathBuf>,

    /// With --show: a table, or JSON
    #[arg(long, value_enum, value_name = "FORMAT", requires = "show")]
    pub format: Option<SettingsFormat>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A code (HD304) or a name (phone-not-e164) to explain
    pub rule: Option<String>,

    /// Print the catalog as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ManpageArgs {
    /// Write handover-doctor.1 and one page per command (handover-doctor-validate.1, ...) into
    /// DIR, created if need be, instead of the top page to standard output
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiArg {
    Cxone,
    #[value(name = "routing-v2")]
    RoutingV2,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneCheckArg {
    Basic,
    Full,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// The commands a user types: every subcommand (but clap's own `help`), and the top command.
    fn commands() -> Vec<clap::Command> {
        let mut top = Cli::command();
        top.build();
        let subcommands: Vec<_> = top
            .get_subcommands()
            .filter(|c| c.get_name() != "help")
            .cloned()
            .collect();
        std::iter::once(top).chain(subcommands).collect()
    }

    /// The example command lines of a command's `after_help`, without their comments.
    fn examples(command: &clap::Command) -> Vec<String> {
        let text = command
            .get_after_help()
            .map(|t| t.to_string())
            .unwrap_or_default();
        text.lines()
            .skip_while(|l| *l != "Examples:")
            .skip(1)
            .map(|l| l.split(" # ").next().unwrap_or_default().trim().to_string())
            .collect()
    }

    #[test]
    fn every_option_says_what_it_does() {
        for command in commands() {
            for arg in command.get_arguments() {
                assert!(
                    arg.get_help().is_some(),
                    "`{}` has no description for {}",
                    command.get_name(),
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn every_command_shows_two_or_three_examples_that_parse() {
        for command in commands() {
            let examples = examples(&command);
            assert!(
                (2..=3).contains(&examples.len()),
                "`{}` has {} examples",
                command.get_name(),
                examples.len()
            );
            for example in examples {
                // The handover-doctor part of a shell line, up to a redirection or the next command.
                let words: Vec<&str> = example
                    .split_whitespace()
                    .skip_while(|w| *w != "handover-doctor")
                    .take_while(|w| !matches!(*w, ">" | "|" | "&&"))
                    .collect();
                let parsed = Cli::try_parse_from(&words);
                assert!(parsed.is_ok(), "{example}: {}", parsed.unwrap_err());
                if command.get_name() != "handover-doctor" {
                    assert_eq!(words.get(1), Some(&command.get_name()), "{example}");
                }
            }
        }
    }
}
