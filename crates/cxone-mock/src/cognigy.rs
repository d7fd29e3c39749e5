//! The bot's side: Cognigy.AI's REST API under `/new/v2.0`, read only, with one project whose
//! flows are those of examples/cognigy-flow (one healthy, one broken per flow rule). Lists page as
//! the API does, `{items, total, nextCursor, previousCursor}`, with a small page so that a client
//! that reads only the first one is caught.

use std::collections::HashMap;
use std::sync::OnceLock;

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
