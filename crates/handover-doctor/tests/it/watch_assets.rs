//! The monitoring assets of docs/watch that docs/watch.md hands to a user: the alerting rules pass
//! promtool and their own unit tests, the dashboard and the alerts ask only for metrics `watch`
//! exports, and the compose demo scrapes the port the watch listens on.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The metrics `watch` exports. Must follow docs/watch.md: a panel or an alert that asks for any
/// other name shows nothing or never fires, and nothing else would notice.
const METRICS: &[&str] = &[
    "handover_skill_agents_available",
    "handover_skill_queue_length",
    "handover_skill_active",
    "handover_skill_agents_logged_in",
    "handover_check_status",
    "handover_finding",
    "handover_api_requests_total",
    "handover_token_renewals_total",
    "handover_rounds_total",
    "handover_rounds_skipped_total",
    "handover_last_round_timestamp_seconds",
    "handover_watch_interval_seconds",
    "handover_events_dropped_total",
];

/// The histograms among them, queried through their `_bucket`, `_count` and `_sum` series.
const HISTOGRAMS: &[&str] = &[
    "handover_api_request_duration_seconds",
    "handover_round_duration_seconds",
];

/// What Prometheus itself provides: the scrape health of a target.
const PROMETHEUS_METRICS: &[&str] = &["up"];

/// PromQL's functions and aggregations, so that a misspelt one is caught too.
const FUNCTIONS: &str = "abs absent absent_over_time avg avg_over_time bottomk ceil changes \
    clamp clamp_max clamp_min count count_over_time count_values day_of_month day_of_week \
    day_of_year days_in_month delta deriv exp floor group histogram_quantile holt_winters hour \
    idelta increase irate label_join label_replace last_over_time ln log10 log2 max \
    max_over_time min min_over_time minute month predict_linear present_over_time quantile \
    quantile_over_time rate resets round scalar sgn sort sort_desc sqrt stddev \
    stddev_over_time stdvar stdvar_over_time sum sum_over_time time timestamp topk vector year";

const KEYWORDS: &[&str] = &["and", "or", "unless", "bool", "offset"];

/// Keywords followed by a list of label names in parentheses.
const LABEL_LISTS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// The alerts of docs/watch/alerts.yml and the sections of docs/watch.md their runbooks point at.
const RUNBOOKS: &[(&str, &str)] = &[
    ("HandoverNoAgentsWithBacklog", "no-agents-with-backlog"),
    ("HandoverSkillInactive", "skill-inactive"),
    ("HandoverAuthFailing", "auth-failing"),
    ("HandoverRateLimited", "rate-limited"),
    ("HandoverWatchStale", "watch-stale"),
    ("HandoverApiErrors", "api-errors"),
];

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(crate::root().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dashboard() -> Value {
    let text =
        std::fs::read_to_string(crate::root().join("docs/watch/grafana-dashboard.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn is_exported(name: &str) -> bool {
    METRICS.contains(&name)
        || PROMETHEUS_METRICS.contains(&name)
        || HISTOGRAMS.iter().any(|histogram| {
            ["_bucket", "_count", "_sum"]
                .iter()
                .any(|suffix| name.strip_prefix(histogram) == Some(suffix))
        })
}

/// The end of the bracketed part that starts at `start` (`{`, `[` or `(`), past any quoted
/// string inside, so that a `}` in a label value does not end a matcher.
fn close(expr: &[u8], start: usize) -> usize {
    let (open, shut) = (
        expr[start],
        match expr[start] {
            b'{' => b'}',
            b'[' => b']',
            _ => b')',
        },
    );
    let mut depth = 0;
    let mut i = start;
    while i < expr.len() {
        match expr[i] {
            b'"' | b'\'' | b'`' => i = string_end(expr, i),
            c if c == open => depth += 1,
            c if c == shut => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!(
        "unclosed {} in {}",
        open as char,
        String::from_utf8_lossy(expr)
    )
}

fn string_end(expr: &[u8], start: usize) -> usize {
    let quote = expr[start];
    let mut i = start + 1;
    while i < expr.len() && expr[i] != quote {
        i += if expr[i] == b'\\' && quote != b'`' {
            2
        } else {
            1
        };
    }
    i
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b':'
}

/// The metric names a PromQL expression selects, and the functions it calls that PromQL lacks.
/// Label matchers, ranges, strings, numbers, durations and Grafana's `$variables` name no metric.
fn names_in(expr: &str) -> (Vec<String>, Vec<String>) {
    let bytes = expr.as_bytes();
    let (mut metrics, mut unknown_functions) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'{' || c == b'[' {
            i = close(bytes, i) + 1;
        } else if matches!(c, b'"' | b'\'' | b'`') {
            i = string_end(bytes, i) + 1;
        } else if c.is_ascii_digit() || c == b'$' || c == b'.' {
            i += 1;
            while i < bytes.len() && (is_name(bytes[i]) || bytes[i] == b'.') {
                i += 1;
            }
        } else if is_name(c) {
            let start = i;
            while i < bytes.len() && is_name(bytes[i]) {
                i += 1;
            }
            let name = &expr[start..i];
            let next = expr[i..].trim_start();
            let known = FUNCTIONS.split_whitespace().any(|f| f == name) || KEYWORDS.contains(&name);
            if LABEL_LISTS.contains(&name) {
                i = close(bytes, bytes.len() - next.len()) + 1;
            } else if known {
                continue;
            } else if next.starts_with('(') {
                unknown_functions.push(name.to_string());
            } else {
                metrics.push(name.to_string());
            }
        } else {
            i += 1;
        }
    }
    (metrics, unknown_functions)
}

/// What is wrong with the names in `expr`, from `place`: metrics `watch` does not export,
/// functions PromQL does not have, or no metric at all (a query that can only show nothing).
fn problems(place: &str, expr: &str) -> Vec<String> {
    let (metrics, functions) = names_in(expr);
    let mut found: Vec<String> = metrics
        .iter()
        .filter(|name| !is_exported(name))
        .map(|name| format!("{place}: `{name}` is not a metric watch exports, in `{expr}`"))
        .collect();
    found.extend(
        functions
            .iter()
            .map(|name| format!("{place}: `{name}` is not a PromQL function, in `{expr}`")),
    );
    if metrics.is_empty() {
        found.push(format!("{place}: `{expr}` selects no metric"));
    }
    found
}

fn assert_no_problems(found: Vec<String>) {
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Every `expr` string under `value`, with the JSON path to it.
fn exprs(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("expr", Value::String(expr)) => out.push((path.clone(), expr.clone())),
                    _ => exprs(item, format!("{path}.{key}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                exprs(item, format!("{path}[{n}]"), out);
            }
        }
        _ => {}
    }
}

fn rules() -> Vec<Value> {
    yaml("docs/watch/alerts.yml")["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["rules"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn the_checker_catches_a_misspelt_metric_and_function() {
    assert_no_problems(problems(
        "here",
        r#"sum by (endpoint, le) (rate(handover_api_request_duration_seconds_bucket{tenant=~"$tenant", x="}"}[$__rate_interval])) > 0.5 or up == 0"#,
    ));
    assert_eq!(
        problems(
            "here",
            "handover_skill_queue_lenght > 0 and histogram_quantle(0.5, up)"
        ),
        [
            "here: `handover_skill_queue_lenght` is not a metric watch exports, in `handover_skill_queue_lenght > 0 and histogram_quantle(0.5, up)`",
            "here: `histogram_quantle` is not a PromQL function, in `handover_skill_queue_lenght > 0 and histogram_quantle(0.5, up)`",
        ]
    );
    assert_eq!(
        problems("here", "handover_round_duration_seconds_total"),
        [
            "here: `handover_round_duration_seconds_total` is not a metric watch exports, in `handover_round_duration_seconds_total`"
        ]
    );
    assert_eq!(
        problems("here", "vector(1)"),
        ["here: `vector(1)` selects no metric"]
    );
}

#[test]
fn the_dashboard_asks_only_for_exported_metrics() {
    let dashboard = dashboard();
    let mut found = Vec::new();
    exprs(&dashboard["panels"], "panels".into(), &mut found);
    // One query per panel at least: a walk that found nothing would pass whatever the panels ask.
    assert!(found.len() >= 13, "{found:?}");
    let mut bad: Vec<String> = found
        .iter()
        .flat_map(|(path, expr)| problems(path, expr))
        .collect();
    for variable in dashboard["templating"]["list"].as_array().unwrap() {
        if variable["type"] != "query" {
            continue;
        }
        let query = variable["query"]["query"].as_str().unwrap();
        let selector = query
            .strip_prefix("label_values(")
            .and_then(|rest| rest.rsplit_once(','))
            .map(|(selector, _label)| selector)
            .unwrap_or_else(|| panic!("variable {}: not label_values: {query}", variable["name"]));
        bad.extend(problems(
            &format!("variable {}", variable["name"]),
            selector,
        ));
    }
    assert_no_problems(bad);
}

#[test]
fn the_dashboard_imports_into_any_grafana_with_a_prometheus() {
    let dashboard = dashboard();
    let variables: Vec<(&str, &str)> = dashboard["templating"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        variables,
        [
            ("datasource", "datasource"),
            ("tenant", "query"),
            ("skill", "query")
        ]
    );
    assert_eq!(dashboard["templating"]["list"][0]["query"], "prometheus");
    assert_eq!(
        dashboard["templating"]["list"][1]["query"]["query"],
        "label_values(handover_check_status, tenant)"
    );
    assert_eq!(dashboard["templating"]["list"][1]["includeAll"], true);
    // A data source uid of the machine the dashboard was exported from would not exist elsewhere.
    let panels = dashboard["panels"].as_array().unwrap();
    for panel in panels.iter().filter(|p| p["type"] != "row") {
        for source in std::iter::once(&panel["datasource"]).chain(
            panel["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| &t["datasource"]),
        ) {
            assert_eq!(
                source["uid"], "${datasource}",
                "panel {}: {source}",
                panel["title"]
            );
        }
    }
    let mut ids = BTreeSet::new();
    assert!(
        panels.iter().all(|p| ids.insert(p["id"].as_u64().unwrap())),
        "two panels share an id"
    );
}

#[test]
fn the_alerts_ask_only_for_exported_metrics() {
    let rules = rules();
    assert_eq!(rules.len(), RUNBOOKS.len());
    let mut bad = Vec::new();
    for rule in &rules {
        let name = rule["alert"].as_str().unwrap();
        bad.extend(problems(name, rule["expr"].as_str().unwrap()));
    }
    // The unit tests' input series too: a test fed a name watch does not export proves nothing.
    for test in yaml("docs/watch/alerts.test.yml")["tests"]
        .as_array()
        .unwrap()
    {
        for series in test["input_series"].as_array().unwrap() {
            let place = format!("alerts.test.yml, {}", test["name"]);
            bad.extend(problems(&place, series["series"].as_str().unwrap()));
        }
    }
    assert_no_problems(bad);
}

#[test]
fn every_alert_has_a_severity_a_text_and_its_runbook() {
    let rules = rules();
    let names: Vec<&str> = rules.iter().map(|r| r["alert"].as_str().unwrap()).collect();
    let expected: Vec<&str> = RUNBOOKS.iter().map(|(alert, _)| *alert).collect();
    assert_eq!(names, expected);
    for (rule, (alert, anchor)) in rules.iter().zip(RUNBOOKS) {
        assert!(rule["for"].is_string(), "{alert} has no `for`");
        assert!(
            matches!(
                rule["labels"]["severity"].as_str(),
                Some("critical" | "warning")
            ),
            "{alert}: severity {}",
            rule["labels"]["severity"]
        );
        for text in ["summary", "description"] {
            let text = rule["annotations"][text].as_str().unwrap_or_default();
            assert!(
                text.contains("$labels."),
                "{alert}: {text:?} names no label"
            );
        }
        assert_eq!(
            rule["annotations"]["runbook"],
            format!("docs/watch.md#{anchor}"),
            "{alert}"
        );
    }
}

/// The anchor GitHub gives a Markdown heading: lower case, spaces to hyphens, punctuation gone.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn docs_watch_md_has_the_section_of_every_runbook() {
    let doc = std::fs::read_to_string(crate::root().join("docs/watch.md")).unwrap();
    let anchors: BTreeSet<String> = doc
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| slug(heading.trim_start_matches('#')))
        .collect();
    for (alert, anchor) in RUNBOOKS {
        assert!(
            anchors.contains(*anchor) || doc.contains(&format!("id=\"{anchor}\"")),
            "docs/watch.md has no section #{anchor}, the runbook of {alert}"
        );
    }
}

/// Says on the terminal that a check did not run. Straight to standard error: the test harness
/// hides what a passing test prints with `eprintln!`, and a check that did not run must not look
/// like one that passed.
#[expect(clippy::explicit_write, reason = "eprintln! is what the harness hides")]
fn notice(text: &str) {
    writeln!(std::io::stderr(), "NOTICE: {text}").unwrap();
}

/// Runs promtool at the repository root; `None` when it is not installed.
fn promtool(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("promtool")
        .args(args)
        .current_dir(crate::root())
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("promtool: {e}"),
    }
}

#[test]
fn the_alerts_pass_promtool_and_their_unit_tests() {
    let runs = [
        ["check", "rules", "docs/watch/alerts.yml"],
        ["check", "config", "docs/watch/prometheus.yml"],
        ["test", "rules", "docs/watch/alerts.test.yml"],
    ];
    for args in runs {
        let Some(out) = promtool(&args) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "promtool is not installed (Debian's prometheus package; .ci/run installs it)"
            );
            notice(
                "promtool is not installed: docs/watch/alerts.yml and its unit tests were NOT \
                 checked (apt-get install prometheus)",
            );
            return;
        };
        assert!(
            out.status.success(),
            "promtool {}: {}\n{}\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The source and target of each `source:target[:mode]` volume of a compose service.
fn volumes(service: &Value) -> Vec<(String, String)> {
    service["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let mut parts = v.as_str().unwrap().split(':');
            (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().to_string(),
            )
        })
        .collect()
}

fn mounted_at(service: &Value, source: &str) -> String {
    volumes(service)
        .into_iter()
        .find(|(from, _)| from == source)
        .unwrap_or_else(|| panic!("{source} is not mounted"))
        .1
}

#[test]
fn the_compose_demo_scrapes_the_port_watch_listens_on() {
    let compose = yaml("docs/watch/docker-compose.yml");
    let services = &compose["services"];
    let watch = &services["handover-doctor"];
    let command: Vec<&str> = watch["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(command[..2], ["watch", "--demo"]);
    let listen = command
        .iter()
        .skip_while(|a| **a != "--listen")
        .nth(1)
        .expect("--listen");
    let (_, port) = listen.rsplit_once(':').unwrap();
    assert!(
        watch["ports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().ends_with(&format!(":{port}"))),
        "the listen port {port} is not published"
    );
    let build = &watch["build"];
    let context = Path::new("docs/watch").join(build["context"].as_str().unwrap());
    assert!(
        crate::root()
            .join(context)
            .join(build["dockerfile"].as_str().unwrap())
            .is_file(),
        "{build}"
    );

    let prometheus = yaml("docs/watch/prometheus.yml");
    let jobs: Vec<&Value> = prometheus["scrape_configs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|job| job["job_name"] == "handover-doctor")
        .collect();
    assert_eq!(jobs.len(), 1, "one scrape job handover-doctor");
    for config in jobs[0]["static_configs"].as_array().unwrap() {
        assert!(config["labels"]["tenant"].is_string(), "{config}");
        for target in config["targets"].as_array().unwrap() {
            assert_eq!(target, &format!("handover-doctor:{port}"));
        }
    }

    // Prometheus finds its rule files next to its config, where compose mounts them.
    let server = &services["prometheus"];
    let config_dir = mounted_at(server, "./prometheus.yml");
    let config_dir = Path::new(&config_dir).parent().unwrap();
    for rules in prometheus["rule_files"].as_array().unwrap() {
        let rules = rules.as_str().unwrap();
        assert!(crate::root().join("docs/watch").join(rules).is_file());
        assert_eq!(
            Path::new(&mounted_at(server, &format!("./{rules}"))),
            config_dir.join(rules)
        );
    }

    // Grafana reads the dashboard from where compose mounts it, and asks the prometheus service.
    let grafana = &services["grafana"];
    let dashboard_at = mounted_at(grafana, "./grafana-dashboard.json");
    let provisioning = mounted_at(grafana, "./grafana/provisioning");
    assert_eq!(provisioning, "/etc/grafana/provisioning");
    let provider = yaml("docs/watch/grafana/provisioning/dashboards/handover-doctor.yml");
    assert_eq!(
        Path::new(
            provider["providers"][0]["options"]["path"]
                .as_str()
                .unwrap()
        ),
        Path::new(&dashboard_at).parent().unwrap()
    );
    let source = yaml("docs/watch/grafana/provisioning/datasources/prometheus.yml");
    assert_eq!(source["datasources"][0]["url"], "http://prometheus:9090");
}
