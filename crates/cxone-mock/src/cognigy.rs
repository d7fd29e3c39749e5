//! The bot's side: Cognigy.AI's REST API under `/new/v2.0`, read only, with one project whose
//! flows are those of examples/cognigy-flow (one healthy, one broken per flow rule), and whose log
//! holds the lines NICE's extension (1.0.11) writes for a handover of each contact the tenant
//! holds. Lists page as the API does, `{items, total, nextCursor, previousCursor}`, with a small
//! page so that a client that reads only the first one is caught.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use axum::Json;
use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::server::Shared;

/// The project the mock holds (24 hex digits, as Cognigy's ids are).
pub const COGNIGY_PROJECT: &str = "6e0c0f4b2a1d9c0017a1b2c3";
/// The API key the mock takes, in `X-API-Key` or `?api_key=`. A test value, not a secret.
pub const COGNIGY_API_KEY: &str = "mock-cognigy-api-key";
/// The most items one page holds, whatever `limit` asks for.
pub const COGNIGY_PAGE: usize = 2;

macro_rules! flows {
    ($($name:literal),*) => {
        &[$((
            include_str!(concat!("../../../examples/cognigy-flow/flows/", $name, "/config.json")),
            include_str!(concat!("../../../examples/cognigy-flow/flows/", $name, "/en-US/chart.json")),
        )),*]
    };
}

/// Each flow's config.json and chart.json, as the Cognigy CLI would have pulled them.
const FLOWS: &[(&str, &str)] = flows!(
    "VoiceHandover",
    "ContactIdLiteral",
    "ContactIdOtherPath",
    "ContextInitDisabled",
    "TransferIntentMissing",
    "OptionalParamsNotArray",
    "TransferTargetNotE164"
);
const LOCALES: &str = include_str!("../../../examples/cognigy-flow/flows/locales.json");

struct Flow {
    config: Value,
    chart: Value,
}

/// The fixtures, parsed once. They are this repository's own files, checked by its tests.
fn flows() -> &'static [Flow] {
    static PARSED: OnceLock<Vec<Flow>> = OnceLock::new();
    PARSED.get_or_init(|| {
        FLOWS
            .iter()
            .map(|(config, chart)| Flow {
                config: serde_json::from_str(config).unwrap_or(Value::Null),
                chart: serde_json::from_str(chart).unwrap_or(Value::Null),
            })
            .collect()
    })
}

fn locales() -> Vec<Value> {
    serde_json::from_str(LOCALES).unwrap_or_default()
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (
        status,
        Json(json!({"status": status.as_u16(), "title": title, "detail": detail})),
    )
        .into_response()
}

/// Every call needs the API key: 401 without it, as the API answers.
pub async fn guard(
    Query(query): Query<HashMap<String, String>>,
    request: Request,
    next: Next,
) -> Response {
    let header = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok());
    let key = header.or(query.get("api_key").map(String::as_str));
    if key != Some(COGNIGY_API_KEY) {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "no valid API key in X-API-Key or api_key",
        );
    }
    next.run(request).await
}

/// One page of `items`: from the `next` cursor, else from `skip`; at most `limit` and
/// [`COGNIGY_PAGE`] items.
fn page(shared: &Shared, items: Vec<Value>, query: &HashMap<String, String>) -> Response {
    let number = |key: &str| query.get(key).and_then(|v| v.parse::<usize>().ok());
    let start = match query.get("next") {
        Some(cursor) => match cursor.strip_prefix("after-").and_then(|n| n.parse().ok()) {
            Some(start) => start,
            None => return problem(StatusCode::BAD_REQUEST, "Bad Request", "invalid cursor"),
        },
        None => number("skip").unwrap_or(0),
    };
    let size = number("limit")
        .unwrap_or(COGNIGY_PAGE)
        .clamp(1, COGNIGY_PAGE);
    let total = items.len();
    let end = start.saturating_add(size).min(total);
    let slice = items.get(start..end).unwrap_or_default().to_vec();
    let cursors = !shared.scenario.faults.cognigy_no_cursor;
    let cursor = |at: usize| {
        if cursors {
            Value::String(format!("after-{at}"))
        } else {
            Value::Null
        }
    };
    Json(json!({
        "items": slice,
        "total": total,
        "nextCursor": if end < total { cursor(end) } else { Value::Null },
        "previousCursor": if start > 0 { cursor(start.saturating_sub(size)) } else { Value::Null },
    }))
    .into_response()
}

/// The refusal of a list of another project than the mock's.
fn other_project(query: &HashMap<String, String>) -> Option<Response> {
    (query.get("projectId").map(String::as_str) != Some(COGNIGY_PROJECT)).then(|| {
        problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            "no project of that projectId",
        )
    })
}

pub async fn list_flows(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = other_project(&query) {
        return answer;
    }
    let items = flows()
        .iter()
        .map(|f| {
            json!({
                "_id": f.config["_id"],
                "name": f.config["name"],
                "referenceId": f.config["referenceId"],
            })
        })
        .collect();
    page(&shared, items, &query)
}

pub async fn list_locales(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = other_project(&query) {
        return answer;
    }
    page(&shared, locales(), &query)
}

/// When the first contact's conversation starts; each next contact's starts a minute later.
const LOG_DAY_START: i64 = 1_795_514_400; // 2026-11-24T10:00:00Z

/// The log lines of one contact's voice handover, as extension 1.0.11 writes them
/// (crates/handover-logs/src/message.rs cites each), at milliseconds after its conversation's
/// start: Context Init reads the SIP payload, Exit Interaction escalates and signals.
fn handover_lines(id: u64, cluster: &str) -> Vec<(i64, String)> {
    // The hosts a tenant's would be (NICE's global issuer, the cluster's API host), not the
    // mock's port, so that the log is the same in every run.
    let issuer = "https://cxone.niceincontact.com";
    let signal_url = format!(
        "https://api-{cluster}.nice-incontact.com/inContactAPI/services/v33.0/interactions/{id}/signal"
    );
    vec![
        (100, "setCxoneContextInit: Interaction channel: voiceGateway2".into()),
        (101, "setCxoneContextInit: isVoice: true".into()),
        (
            102,
            format!(
                r#"setCxoneContextInit: Setting context data for channel voiceGateway2: {{"flowChannel":"VOICE","contactId":"{id}","spawnedContactId":"{id}"}}"#
            ),
        ),
        (
            20_000,
            format!(
                "handoverToCXone: Contact ID: {id}; Spawned Contact ID: {id}; Action: Escalate; Environment URL: {issuer}"
            ),
        ),
        (20_001, "handoverToCXone: Interaction channel: voiceGateway2".into()),
        (20_002, "handoverToCXone: isVoice: true".into()),
        (20_003, "handoverToCXone: prepared optional parameters: []".into()),
        (
            20_200,
            format!(
                r#"CXone API Client: Posting handover signal to URL: {signal_url} with body: {{"p1":"Escalate","p2":"[]"}}"#
            ),
        ),
        (
            20_390,
            format!(
                "handoverToCXone: sent signal to CXone for contactId: {id}; action: Escalate; status: 202"
            ),
        ),
        (
            20_391,
            "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel."
                .into(),
        ),
    ]
}

/// The project's log, oldest first: a conversation per contact the tenant holds, in the order of
/// the contacts' ids (the scenario's, then those placed since), so a contact placed later adds
/// entries after the others. `_id`s are 24 hex digits, as Cognigy's are.
pub fn log_entries(shared: &Shared) -> Vec<Value> {
    let cluster = &shared.scenario.tenant.cluster;
    let mut entries = Vec::new();
    for (n, contact) in shared.contacts().iter().enumerate() {
        let start = LOG_DAY_START * 1000 + n as i64 * 60_000;
        let session = format!("mock-session-{}", contact.id);
        for (line, (after, msg)) in handover_lines(contact.id, cluster).into_iter().enumerate() {
            let at = jiff::Timestamp::from_millisecond(start + after).unwrap_or_default();
            entries.push(json!({
                "_id": format!("6744b1c0{:010x}{:06x}", contact.id % (1 << 40), line),
                "timestamp": format!("{at:.3}"),
                "msg": msg,
                "meta": {"sessionId": session, "flowName": "VoiceHandover", "projectId": COGNIGY_PROJECT},
                "traceId": format!("mock-trace-{}", contact.id),
                "type": "info",
            }));
        }
    }
    entries
}

/// `GET projects/{projectId}/logs`: the log, paged as every list is.
pub async fn list_logs(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if project != COGNIGY_PROJECT {
        return problem(StatusCode::NOT_FOUND, "Not Found", "no project of that id");
    }
    let first_page =
        !query.contains_key("next") && query.get("skip").is_none_or(|skip| skip == "0");
    if shared.scenario.faults.cognigy_logs_fail_once
        && !first_page
        && !shared.cognigy_logs_failed.swap(true, Ordering::Relaxed)
    {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "the log could not be read (faults.cognigy_logs_fail_once)",
        );
    }
    let mut entries = log_entries(&shared);
    if shared.scenario.faults.cognigy_logs_newest_first {
        entries.reverse();
    }
    page(&shared, entries, &query)
}

fn flow(id: &str) -> Option<&'static Flow> {
    flows().iter().find(|f| f.config["_id"] == id)
}

fn no_flow() -> Response {
    problem(StatusCode::NOT_FOUND, "Not Found", "no flow of that id")
}

/// The chart without node configs, each node with a `preview` instead, as the API sends it.
pub async fn chart(Path(flow_id): Path<String>) -> Response {
    let Some(flow) = flow(&flow_id) else {
        return no_flow();
    };
    let mut chart = flow.chart.clone();
    if let Some(nodes) = chart["nodes"].as_array_mut() {
        for node in nodes {
            if let Some(node) = node.as_object_mut() {
                node.remove("config");
                node.insert("preview".into(), Value::String(String::new()));
            }
        }
    }
    Json(chart).into_response()
}

pub async fn chart_node(Path((flow_id, node_id)): Path<(String, String)>) -> Response {
    let Some(flow) = flow(&flow_id) else {
        return no_flow();
    };
    let node = flow.chart["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["_id"] == node_id.as_str()));
    match node {
        Some(node) => Json(node.clone()).into_response(),
        None => problem(StatusCode::NOT_FOUND, "Not Found", "no node of that id"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_fixture_flow_parses() {
        for flow in super::flows() {
            assert!(flow.config["name"].is_string(), "{}", flow.config);
            assert!(flow.chart["nodes"].is_array());
        }
        assert_eq!(super::flows().len(), super::FLOWS.len());
        assert!(!super::locales().is_empty());
    }

    /// The project is the example agent whole: a flow added to examples/cognigy-flow is served.
    #[test]
    fn the_project_holds_every_example_flow() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/cognigy-flow/flows"
        );
        let mut examples: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        examples.sort();
        let mut served: Vec<String> = super::flows()
            .iter()
            .map(|f| f.config["name"].as_str().unwrap_or_default().to_string())
            .collect();
        served.sort();
        assert_eq!(served, examples);
    }
}
