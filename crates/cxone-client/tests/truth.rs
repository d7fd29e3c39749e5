//! The client follows the public CXone API as it is, against a mock that plays it: paged lists read
//! whole (or said to be cut), one availability rule, no repeat of a call that creates something,
//! `Parameters` and signal placement as published, state names learnt from the tenant, unknown
//! answers never read as empty ones, and one token renewal for calls refused together. Loopback only.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{credentials, http, loopback};
use cxone_client::cxone::{CxoneClient, CxoneSettings, SignalParams};
use cxone_client::{ClientError, ContactCenter, TestContact};
use cxone_mock::{Agent, MockServer, RequestLog, Scenario};

const SKILL: &str = "4012345";
const SKILL_ID: u64 = 4_012_345;
/// The healthy tenant's contact whose script has an ONSIGNAL handler.
const BOT_CONTACT: &str = "123456789012";
const BOT_CONTACT_ID: u64 = 123_456_789_012;

fn healthy() -> Scenario {
    Scenario::built_in("healthy").unwrap()
}

async fn start(scenario: Scenario) -> MockServer {
    MockServer::start(scenario, loopback(), None).await.unwrap()
}

/// A mock that also keeps the path of every request it served (never a query, header or body).
async fn start_logged(scenario: Scenario) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let paths = Arc::new(Mutex::new(Vec::new()));
    let seen = paths.clone();
    let log: RequestLog = Arc::new(move |method, path, _status, _took| {
        seen.lock().unwrap().push(format!("{method} {path}"));
    });
    let server = MockServer::start(scenario, loopback(), Some(log))
        .await
        .unwrap();
    (server, paths)
}

fn settings(server: &MockServer) -> CxoneSettings {
    CxoneSettings {
        auth_url: server.url().to_string(),
        access_key_url: server.url().to_string(),
        ..CxoneSettings::default()
    }
}

fn client_with(settings: CxoneSettings) -> CxoneClient {
    CxoneClient::new(credentials(), settings, http()).unwrap()
}

fn cxone(server: &MockServer) -> CxoneClient {
    client_with(settings(server))
}

fn contact() -> TestContact {
    TestContact {
        queue_id: SKILL.into(),
        phone_number: "+14155552671".into(),
        name: "Test Caller".into(),
        custom_attributes: serde_json::json!({"intent": "billing"}),
        script_path: Some("Handover\\Cognigy".into()),
    }
}

/// 130 agents on the skill, in id order; only the last one is Available.
fn crowd() -> Scenario {
    let mut scenario = healthy();
    scenario.agents = (1..=130)
        .map(|n| {
            let state = if n == 130 { "Available" } else { "Unavailable" };
            Agent::new(
                10_000 + n,
                "Agent",
                &format!("No{n:03}"),
                state,
                vec![SKILL_ID],
            )
        })
        .collect();
    scenario
}

fn contact_record(server: &MockServer, id: u64) -> cxone_mock::ContactRecord {
    server
        .contacts()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("the mock has no contact {id}"))
}

// ---- 1. paged lists -----------------------------------------------------------------------------

#[tokio::test]
async fn a_skill_of_130_agents_is_read_past_the_first_page() {
    let (server, paths) = start_logged(crowd()).await;
    let agents = cxone(&server).agents(SKILL).await.unwrap();
    assert_eq!(
        (agents.assigned, agents.available, agents.unavailable),
        (130, 1, 129)
    );
    assert_eq!(agents.available_names, vec!["Agent No130"]);
    assert!(agents.truncated.is_empty(), "{:?}", agents.truncated);
    let pages = |suffix: &str| {
        paths
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.starts_with("GET ") && p.ends_with(suffix))
            .count()
    };
    assert_eq!(pages("/skills/4012345/agents"), 2, "{:?}", paths.lock());
    assert_eq!(pages("/agents/states"), 2, "{:?}", paths.lock());
}

#[tokio::test]
async fn a_list_longer_than_the_page_cap_says_what_was_not_read() {
    let server = start(crowd()).await;
    let client = client_with(CxoneSettings {
        max_pages: 1,
        ..settings(&server)
    });
    let agents = client.agents(SKILL).await.unwrap();
    let cut = agents
        .truncated
        .iter()
        .find(|t| t.endpoint.ends_with("skills/4012345/agents"))
        .unwrap_or_else(|| panic!("no cut of skills/4012345/agents: {:?}", agents.truncated));
    assert_eq!((cut.read, cut.total, cut.pages), (100, Some(130), 1));
    assert!(cut.endpoint.starts_with("GET "), "{}", cut.endpoint);
    // Only what was read is counted: the one Available agent is on the unread page.
    assert_eq!((agents.assigned, agents.available), (100, 0));
}

// ---- 2. one availability rule -------------------------------------------------------------------

/// The healthy tenant with Ben Okafor's assignment to the skill inactive; he stays Available.
fn inactive_assignment() -> Scenario {
    let mut scenario = healthy();
    let ben = scenario.agents.iter_mut().find(|a| a.id == 9002).unwrap();
    ben.inactive_skills = vec![SKILL_ID];
    scenario
}

#[tokio::test]
async fn an_available_agent_with_an_inactive_assignment_is_not_counted() {
    let server = start(inactive_assignment()).await;
    let client = cxone(&server);
    let agents = client.agents(SKILL).await.unwrap();
    assert_eq!((agents.assigned, agents.available), (2, 1));
    assert_eq!(agents.available_names, vec!["Ana Lima"]);
    assert_eq!(agents.inactive_assignments, 1);
    assert_eq!(agents.inactive_but_available, vec!["Ben Okafor"]);
    let queue = client.queue(SKILL).await.unwrap();
    let activity = queue.activity.expect("the skill's activity");
    assert_eq!(activity.available, agents.available);
    assert_eq!(activity.logged_in, agents.logged_in());
}

#[tokio::test]
async fn the_platforms_count_and_the_clients_are_both_reported_as_the_api_says() {
    let mut scenario = inactive_assignment();
    scenario.skills[0].activity_available = Some(2);
    let server = start(scenario).await;
    let client = cxone(&server);
    let agents = client.agents(SKILL).await.unwrap();
    let activity = client.queue(SKILL).await.unwrap().activity.unwrap();
    assert_eq!((activity.available, agents.available), (2, 1));
}

// ---- 3. no repeat of a call that creates something ----------------------------------------------

#[tokio::test]
async fn a_lost_spawn_answer_is_not_sent_again() {
    let mut scenario = healthy();
    scenario.faults.lose_answers = vec!["spawn".into()];
    let server = start(scenario).await;
    let client = cxone(&server);
    let error = client.place_test_contact(&contact()).await.unwrap_err();
    assert!(
        matches!(&error, ClientError::AnswerLost { what, endpoint, .. }
            if what == "HTTP 504" && endpoint.ends_with("/scripts/start")),
        "{error:?}"
    );
    assert_eq!(server.placed_contacts().len(), 1, "exactly one contact");
    assert!(client.stats().retried.is_empty(), "{:?}", client.stats());
}

#[tokio::test]
async fn a_lost_signal_answer_is_not_sent_again() {
    let mut scenario = healthy();
    scenario.faults.lose_answers = vec!["signal".into()];
    let server = start(scenario).await;
    let client = cxone(&server);
    let error = client
        .signal(BOT_CONTACT, &["Escalate".into()])
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ClientError::AnswerLost { endpoint, .. } if endpoint.ends_with("/interactions/123456789012/signal")),
        "{error:?}"
    );
    assert_eq!(contact_record(&server, BOT_CONTACT_ID).signals.len(), 1);
    assert!(server.placed_contacts().is_empty());
}

#[tokio::test]
async fn a_refused_spawn_is_sent_again_and_places_one_contact() {
    let mut scenario = healthy();
    scenario.faults.rate_limit_first = 1;
    let server = start(scenario).await;
    let client = cxone(&server);
    // The spawn is the first API call: the 429 is its own.
    let id = client.place_test_contact(&contact()).await.unwrap();
    let placed = server.placed_contacts();
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0].id.to_string(), id);
    assert_eq!(client.stats().retried.get(&429), Some(&1));
}

// ---- 4. the spawn as published ------------------------------------------------------------------

#[tokio::test]
async fn a_spawn_spells_parameters_as_published() {
    let server = start(healthy()).await;
    cxone(&server).place_test_contact(&contact()).await.unwrap();
    let placed = server.placed_contacts();
    assert_eq!(placed.len(), 1);
    let keys = &placed[0].query_keys;
    for key in ["Parameters", "scriptPath", "skillId"] {
        assert!(keys.iter().any(|k| k == key), "{key} missing: {keys:?}");
    }
    for key in ["startDate", "parameters"] {
        assert!(!keys.iter().any(|k| k == key), "{key} sent: {keys:?}");
    }
    assert_eq!(
        placed[0].parameters,
        vec!["+14155552671", "Test Caller", r#"{"intent":"billing"}"#]
    );
    assert_eq!(placed[0].script.as_deref(), Some("Handover\\Cognigy"));
    assert_eq!(placed[0].skill_id, SKILL_ID);
}

// ---- 5. where a signal's parameters travel ------------------------------------------------------

async fn signal_with(mode: SignalParams, reads: &str) -> (cxone_mock::SignalRecord, MockServer) {
    let mut scenario = healthy();
    scenario.tenant.signal_reads = reads.into();
    let server = start(scenario).await;
    let client = client_with(CxoneSettings {
        signal_params: mode,
        ..settings(&server)
    });
    client
        .signal(BOT_CONTACT, &["Escalate".into(), "{\"a\":1}".into()])
        .await
        .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
    let signals = contact_record(&server, BOT_CONTACT_ID).signals;
    assert_eq!(signals.len(), 1, "{mode:?}");
    (signals[0].clone(), server)
}

#[tokio::test]
async fn signal_parameters_travel_where_the_client_is_told() {
    let (query, _server) = signal_with(SignalParams::Query, "query").await;
    assert_eq!(query.query.get("p1").map(String::as_str), Some("Escalate"));
    assert_eq!(query.query.get("p2").map(String::as_str), Some("{\"a\":1}"));
    assert!(query.body.is_empty(), "{query:?}");

    let (body, _server) = signal_with(SignalParams::Body, "query").await;
    assert_eq!(body.body.get("p1").map(String::as_str), Some("Escalate"));
    assert!(body.query.is_empty(), "{body:?}");

    let (both, _server) = signal_with(SignalParams::Both, "query").await;
    assert_eq!(both.query.get("p1").map(String::as_str), Some("Escalate"));
    assert_eq!(both.body.get("p1").map(String::as_str), Some("Escalate"));
}

#[tokio::test]
async fn a_202_does_not_prove_the_script_read_the_parameters() {
    // The tenant's script reads the body; the client sends the query. The API still answers 202.
    let (record, server) = signal_with(SignalParams::Query, "body").await;
    assert_eq!(record.query.get("p1").map(String::as_str), Some("Escalate"));
    assert!(!record.read.contains_key("p1"), "{record:?}");
    // Nothing was read, so nothing happened to the contact.
    let states = contact_record(&server, BOT_CONTACT_ID).states;
    assert_eq!(states, vec!["Incoming", "PreQueue"]);
}

// ---- 6. state names as the tenant spells them ---------------------------------------------------

#[tokio::test]
async fn contact_states_come_in_the_tenants_spelling() {
    let mut scenario = healthy();
    scenario.tenant.state_names = [
        ("PreQueue", "Prequeue"),
        ("Queued", "QUEUED"),
        ("Active", "active"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let server = start(scenario).await;
    let client = cxone(&server);
    let id = client.place_test_contact(&contact()).await.unwrap();
    let history = client.contact_history(&id).await.unwrap();
    let names: Vec<&str> = history.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["Incoming", "Prequeue", "QUEUED", "active"]);
    assert_eq!(history[3].agent_id.as_deref(), Some("9001"));
    assert_eq!(history[2].category.as_deref(), Some("Queued"));
    // The mock keeps its own names: only the spelling the client sees changed.
    assert_eq!(
        server.placed_contacts()[0].states,
        vec!["Incoming", "PreQueue", "Queued", "Active"]
    );
}

// ---- 7. answers the client does not know --------------------------------------------------------

fn shaped(shape: &str) -> Scenario {
    let mut scenario = healthy();
    scenario.faults.answer_shape = Some(shape.into());
    scenario
}

#[tokio::test]
async fn an_empty_answer_is_never_read_as_no_agents() {
    let server = start(shaped("empty")).await;
    let client = cxone(&server);
    match client.queue(SKILL).await {
        Err(ClientError::Unexpected { endpoint, .. }) => {
            assert!(endpoint.contains("/skills/4012345"), "{endpoint}");
        }
        other => panic!("queue: {other:?}"),
    }
    match client.agents(SKILL).await {
        Err(ClientError::Unexpected {
            endpoint,
            expected,
            excerpt,
            ..
        }) => {
            assert!(
                endpoint.ends_with("/skills/4012345/agents")
                    || endpoint.ends_with("/agents/states"),
                "{endpoint}"
            );
            assert!(expected.starts_with("a list under"), "{expected}");
            assert_eq!(excerpt, "an empty object");
        }
        other => panic!("agents: {other:?}"),
    }
}

#[tokio::test]
async fn a_result_set_wrapper_is_opened() {
    let healthy_server = start(healthy()).await;
    let wrapped_server = start(shaped("result-set")).await;
    let (plain, wrapped) = (cxone(&healthy_server), cxone(&wrapped_server));
    let agents = wrapped.agents(SKILL).await.unwrap();
    assert_eq!(agents, plain.agents(SKILL).await.unwrap());
    assert_eq!((agents.assigned, agents.available), (3, 2));
    let queue = wrapped
        .queue(SKILL)
        .await
        .unwrap_or_else(|e| panic!("queue() of a resultSet-wrapped answer: {e}"));
    assert_eq!(queue, plain.queue(SKILL).await.unwrap());
}

// ---- 8. tokens ----------------------------------------------------------------------------------

#[tokio::test]
async fn calls_refused_together_share_one_renewal() {
    let mut scenario = healthy();
    scenario.faults.token_lifetime_seconds = Some(1);
    let server = start(scenario).await;
    let client = cxone(&server);
    client.skill(SKILL).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (a, b, c) = tokio::join!(
        client.skill(SKILL),
        client.skill(SKILL),
        client.skill(SKILL)
    );
    for result in [a, b, c] {
        assert_eq!(result.unwrap().skill_id, SKILL);
    }
    let refusals = client.stats().early_token_refusals;
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0].announced, Duration::from_secs(3600));
    assert!(refusals[0].age >= Duration::from_secs(1), "{refusals:?}");
}
