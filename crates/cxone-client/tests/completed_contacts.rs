//! A contact's completed-contact record, read from the mock: how it ended and where its time went,
//! found across pages, absent while the contact is active, and read with GETs only.

mod common;

use std::sync::{Arc, Mutex};

use common::{credentials, http, loopback};
use cxone_client::cxone::{CxoneClient, CxoneSettings};
use cxone_client::routing_v2::RoutingClient;
use cxone_client::{ClientError, CompletedContact, ContactCenter, TestContact, Window};
use cxone_mock::{MockServer, Scenario};

const SKILL: &str = "4012345";

async fn start(scenario: Scenario) -> MockServer {
    MockServer::start(scenario, loopback(), None).await.unwrap()
}

fn cxone(server: &MockServer, max_pages: u32) -> CxoneClient {
    let settings = CxoneSettings {
        auth_url: server.url().to_string(),
        access_key_url: server.url().to_string(),
        max_pages,
        ..CxoneSettings::default()
    };
    CxoneClient::new(credentials(), settings, http()).unwrap()
}

fn contact(script: &str) -> TestContact {
    TestContact {
        queue_id: SKILL.into(),
        phone_number: "+14155552671".into(),
        name: "Test Caller".into(),
        custom_attributes: serde_json::json!({}),
        script_path: Some(script.into()),
    }
}

fn today() -> Window {
    Window::around(jiff::Timestamp::now())
}

/// Places a contact and reads its completed-contact record; the tenant lives as long as the server.
async fn place_and_read(
    scenario: Scenario,
    script: &str,
) -> (MockServer, CxoneClient, Option<CompletedContact>) {
    let server = start(scenario).await;
    let client = cxone(&server, 50);
    let id = client.place_test_contact(&contact(script)).await.unwrap();
    let record = client.completed_contact(&id, today()).await.unwrap();
    if let Some(record) = &record {
        assert_eq!(record.contact_id, id);
    }
    (server, client, record)
}

#[tokio::test]
async fn a_contact_that_never_left_prequeue_was_not_abandoned() {
    let scenario = Scenario::built_in("contact-drops").unwrap();
    let (_server, _, record) = place_and_read(scenario, "Handover\\NoAgent").await;
    let record = record.expect("an ended contact has a completed-contact record");
    assert_eq!(record.abandoned, Some(false));
    assert_eq!(record.refused, Some(false));
    assert!(record.pre_queue_seconds.unwrap() > 0, "{record:?}");
    assert_eq!(record.in_queue_seconds, Some(0));
    assert_eq!(record.agent_seconds, Some(0));
    assert_eq!(record.end_reason.as_deref(), Some("Script Ended"));
    assert_eq!(record.skill_id.as_deref(), Some(SKILL));
    assert_eq!(record.agent_id, None);
    assert!(record.started.is_some());
}

#[tokio::test]
async fn a_contact_that_ended_in_the_queue_was_abandoned_after_its_wait() {
    let scenario = Scenario::from_yaml("faults:\n  contacts_end_in: Queued\n").unwrap();
    let (_server, _, record) = place_and_read(scenario, "Handover\\Cognigy").await;
    let record = record.unwrap();
    assert_eq!(record.abandoned, Some(true));
    assert_eq!(record.end_reason.as_deref(), Some("Abandoned"));
    let waited = record.in_queue_seconds.unwrap();
    assert!(waited > 0);
    assert_eq!(record.abandon_seconds, Some(waited));
    assert_eq!(record.agent_seconds, Some(0));
}

#[tokio::test]
async fn a_refused_contact_names_the_agent_and_the_reason() {
    let scenario = Scenario::built_in("agent-refuses").unwrap();
    let (_server, _, record) = place_and_read(scenario, "Handover\\Cognigy").await;
    let record = record.unwrap();
    assert_eq!(record.refused, Some(true));
    assert_eq!(record.refuse_reason.as_deref(), Some("Busy"));
    assert_eq!(record.agent_id.as_deref(), Some("9001"));
    assert_eq!(record.agent_seconds, Some(0));
}

#[tokio::test]
async fn a_contact_still_active_has_no_record() {
    let scenario = Scenario::built_in("healthy").unwrap();
    let (_server, client, record) = place_and_read(scenario, "Handover\\Cognigy").await;
    assert_eq!(record, None);
    // Nor has one that never was.
    assert_eq!(client.completed_contact("1", today()).await.unwrap(), None);
}

#[tokio::test]
async fn a_contact_outside_the_window_is_not_found() {
    let server = start(Scenario::built_in("contact-drops").unwrap()).await;
    let client = cxone(&server, 50);
    let id = client
        .place_test_contact(&contact("Handover\\NoAgent"))
        .await
        .unwrap();
    let last_week = Window::around(
        jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_hours(7 * 24))
            .unwrap(),
    );
    assert_eq!(
        client.completed_contact(&id, last_week).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn the_record_is_found_on_a_later_page_and_the_page_cap_is_said() {
    let server = start(Scenario::built_in("contact-drops").unwrap()).await;
    let client = cxone(&server, 50);
    let mut last = String::new();
    for _ in 0..=cxone_mock::MAX_PAGE {
        last = client
            .place_test_contact(&contact("Handover\\NoAgent"))
            .await
            .unwrap();
    }
    let before = client.stats().requests;
    let record = client.completed_contact(&last, today()).await.unwrap();
    assert_eq!(record.map(|r| r.contact_id), Some(last.clone()));
    assert_eq!(client.stats().requests - before, 2, "two pages of 100");

    let capped = cxone(&server, 1);
    let error = capped.completed_contact(&last, today()).await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, ClientError::Config(_)), "{error:?}");
    assert!(
        message.contains("first 100 of 101") && message.contains("page cap"),
        "{message}"
    );
}

#[tokio::test]
async fn only_gets_are_sent() {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let log = seen.clone();
    let server = MockServer::start(
        Scenario::built_in("contact-drops").unwrap(),
        loopback(),
        Some(Arc::new(move |method: &str, path: &str, _, _| {
            log.lock()
                .unwrap()
                .push((method.to_string(), path.to_string()));
        })),
    )
    .await
    .unwrap();
    let placer = cxone(&server, 50);
    let id = placer
        .place_test_contact(&contact("Handover\\NoAgent"))
        .await
        .unwrap();
    seen.lock().unwrap().clear();
    // A client of its own: it signs in, so the log shows every request a lookup needs.
    let reader = cxone(&server, 50);
    assert!(
        reader
            .completed_contact(&id, today())
            .await
            .unwrap()
            .is_some()
    );
    let seen = seen.lock().unwrap();
    let api: Vec<_> = seen
        .iter()
        .filter(|(_, path)| path.contains("/inContactAPI/"))
        .collect();
    assert!(!api.is_empty());
    assert!(
        api.iter()
            .all(|(method, path)| method == "GET" && path.ends_with("/contacts/completed")),
        "{api:?}"
    );
}

#[tokio::test]
async fn routing_v2_has_no_completed_contacts() {
    let server = start(Scenario::built_in("healthy").unwrap()).await;
    let client = RoutingClient::new(credentials(), server.url(), http()).unwrap();
    let error = client.completed_contact("1", today()).await.unwrap_err();
    assert!(
        matches!(&error, ClientError::Config(m) if m.contains("completed-contact records")),
        "{error:?}"
    );
}

#[test]
fn a_window_is_at_most_30_days_and_runs_forward() {
    let now = jiff::Timestamp::now();
    let days = |n: i64| {
        now.checked_add(jiff::SignedDuration::from_hours(n * 24))
            .unwrap()
    };
    assert!(Window::new(now, days(30)).is_ok());
    for (start, end) in [(now, days(31)), (days(1), now), (now, now)] {
        let error = Window::new(start, end).unwrap_err();
        assert!(error.to_string().contains("up to 30 days"), "{error}");
    }
    let around = Window::around(now);
    assert_eq!(
        around.end.duration_since(around.start),
        jiff::SignedDuration::from_hours(48)
    );
}
