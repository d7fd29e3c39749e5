//! The Cognigy client against the mock's Cognigy API: a whole project pulled, page by page, with
//! GETs only; tests/secrets.rs keeps the API key out of logs, errors and Debug output.

use std::sync::{Arc, Mutex};

use cxone_client::cognigy::{CognigyClient, CognigySettings, Narrow};
use cxone_client::{HttpSettings, Secret};
use cxone_mock::{
    COGNIGY_API_KEY, COGNIGY_PAGE, COGNIGY_PROJECT, Faults, MockServer, RequestLog, Scenario,
};
use serde_json::Value;

type Requests = Arc<Mutex<Vec<(String, String, u16)>>>;

async fn mock() -> (MockServer, Requests) {
    mock_with(Faults::default()).await
}

async fn mock_with(faults: Faults) -> (MockServer, Requests) {
    let requests: Requests = Arc::default();
    let seen = requests.clone();
    let log: RequestLog = Arc::new(move |method, path, status, _| {
        seen.lock()
            .unwrap()
            .push((method.to_string(), path.to_string(), status));
    });
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults = faults;
    let server = MockServer::start(scenario, "127.0.0.1:0".parse().unwrap(), Some(log))
        .await
        .unwrap();
    (server, requests)
}

fn client(server: &MockServer, key: &str) -> CognigyClient {
    CognigyClient::new(
        CognigySettings {
            url: server.url().into(),
            api_key: Secret::new(key),
            max_pages: 50,
        },
        HttpSettings::default(),
    )
    .unwrap()
}

fn fixture(flow: &str) -> Value {
    let path = format!(
        "{}/../../examples/cognigy-flow/flows/{flow}/en-US/chart.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_project_is_pulled_whole_each_node_with_its_config_and_only_with_gets() {
    let (server, requests) = mock().await;
    let pull = client(&server, COGNIGY_API_KEY)
        .pull(COGNIGY_PROJECT, Narrow::default())
        .await
        .unwrap();
    assert!(pull.truncated.is_empty());
    let mut names: Vec<&str> = pull.charts.iter().map(|c| c.flow.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "ContactIdLiteral",
            "ContactIdOtherPath",
            "ContextInitDisabled",
            "OptionalParamsNotArray",
            "TransferIntentMissing",
            "TransferTargetNotE164",
            "VoiceHandover"
        ],
        "more flows than a page of {COGNIGY_PAGE}: every page was read"
    );
    for pulled in &pull.charts {
        assert_eq!(pulled.locale.name, "en-US");
        // What the CLI writes to chart.json: every node's config in place, no preview.
        assert_eq!(
            pulled.chart,
            fixture(&pulled.flow.name),
            "{}",
            pulled.flow.name
        );
    }
    let requests = requests.lock().unwrap();
    let flow_pages = requests
        .iter()
        .filter(|(_, path, _)| path == "/new/v2.0/flows")
        .count();
    assert_eq!(flow_pages, 7usize.div_ceil(COGNIGY_PAGE));
    assert!(
        requests
            .iter()
            .all(|(method, _, status)| method == "GET" && *status == 200),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_flow_and_a_locale_narrow_the_pull_and_an_unknown_one_is_named() {
    let (server, _) = mock().await;
    let client = client(&server, COGNIGY_API_KEY);
    let narrow = Narrow {
        flow: Some("VoiceHandover"),
        locale: Some("en-US"),
    };
    let pull = client.pull(COGNIGY_PROJECT, narrow).await.unwrap();
    assert_eq!(pull.charts.len(), 1);
    let error = client
        .pull(
            COGNIGY_PROJECT,
            Narrow {
                flow: Some("Nowhere"),
                locale: None,
            },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("has no flow `Nowhere`"), "{error}");
    assert!(error.contains("`VoiceHandover`"), "{error}");
}

#[tokio::test]
async fn a_wrong_key_is_a_401_naming_the_endpoint_without_the_key() {
    let (server, _) = mock().await;
    let wrong = "wrong-key-4711";
    let error = client(&server, wrong)
        .pull(COGNIGY_PROJECT, Narrow::default())
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert_eq!(error.status(), Some(401), "{shown}");
    assert!(
        shown.contains("GET http://") && shown.contains("/new/v2.0/flows"),
        "{shown}"
    );
    assert!(!shown.contains(wrong), "{shown}");
}

#[tokio::test]
async fn a_list_longer_than_the_page_cap_is_reported_not_dropped() {
    let (server, _) = mock().await;
    let client = CognigyClient::new(
        CognigySettings {
            url: server.url().into(),
            api_key: Secret::new(COGNIGY_API_KEY),
            max_pages: 1,
        },
        HttpSettings::default(),
    )
    .unwrap();
    let (flows, truncated) = client.flows(COGNIGY_PROJECT).await.unwrap();
    let truncated = truncated.expect("seven flows do not fit one page of two");
    assert_eq!(flows.len(), COGNIGY_PAGE);
    assert_eq!(
        (truncated.read, truncated.total, truncated.pages),
        (2, Some(7), 1)
    );
}

#[tokio::test]
async fn an_api_only_under_v2_0_is_found_after_one_404_and_used_from_then_on() {
    let (server, requests) = mock_with(Faults {
        cognigy_v2_only: true,
        ..Faults::default()
    })
    .await;
    let client = client(&server, COGNIGY_API_KEY);
    let pull = client
        .pull(COGNIGY_PROJECT, Narrow::default())
        .await
        .unwrap();
    assert_eq!(pull.charts.len(), 7);
    assert_eq!(client.prefix(), "v2.0/");
    let requests = requests.lock().unwrap();
    let (first, rest) = requests.split_first().unwrap();
    assert_eq!(
        first,
        &("GET".to_string(), "/new/v2.0/flows".to_string(), 404)
    );
    assert!(
        rest.iter()
            .all(|(_, path, status)| path.starts_with("/v2.0/") && *status == 200),
        "{rest:?}"
    );
}

#[tokio::test]
async fn a_list_without_cursors_is_paged_with_skip_to_its_total() {
    let (server, requests) = mock_with(Faults {
        cognigy_no_cursor: true,
        ..Faults::default()
    })
    .await;
    let (flows, truncated) = client(&server, COGNIGY_API_KEY)
        .flows(COGNIGY_PROJECT)
        .await
        .unwrap();
    assert_eq!(flows.len(), 7);
    assert!(truncated.is_none());
    let mut ids: Vec<&str> = flows.iter().map(|f| f.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 7, "no page read twice: {flows:?}");
    assert_eq!(
        requests.lock().unwrap().len(),
        7usize.div_ceil(COGNIGY_PAGE)
    );
}
