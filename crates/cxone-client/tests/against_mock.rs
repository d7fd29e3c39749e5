//! The client against the mock tenant, for every scenario and fault. Nothing here leaves loopback.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{credentials, http, loopback};
use cxone_client::cxone::{CxoneClient, CxoneSettings, agents_of};
use cxone_client::endpoints::ALL;
use cxone_client::http::counted;
use cxone_client::routing_v2::RoutingClient;
use cxone_client::{
    ClientError, ContactCenter, Credentials, HttpSettings, Media, Outcome, Profile, TestContact,
    Unreachable,
};
use cxone_mock::{MockServer, RequestLog, Scenario};

const SKILL: &str = "4012345";
const ROUTING_QUEUE: &str = "a1b2c3d4-5678-90ab-cdef-123456789012";

async fn mock(name: &str) -> MockServer {
    MockServer::start(Scenario::built_in(name).unwrap(), loopback(), None)
        .await
        .unwrap()
}

fn cxone(server: &MockServer, http: HttpSettings) -> CxoneClient {
    let settings = CxoneSettings {
        auth_url: server.url().to_string(),
        access_key_url: server.url().to_string(),
        ..CxoneSettings::default()
    };
    CxoneClient::new(credentials(), settings, http).unwrap()
}

fn routing(server: &MockServer, http: HttpSettings) -> RoutingClient {
    RoutingClient::new(credentials(), server.url(), http).unwrap()
}

fn contact(queue: &str) -> TestContact {
    TestContact {
        queue_id: queue.into(),
        phone_number: "+14155552671".into(),
        name: "Test Caller".into(),
        custom_attributes: serde_json::json!({"intent": "billing"}),
        script_path: Some("Handover\\Cognigy".into()),
    }
}

#[tokio::test]
async fn cxone_healthy_signs_in_discovers_and_places_a_contact() {
    let server = mock("healthy").await;
    let client = cxone(&server, http());
    let session = client.session().await.unwrap();
    assert_eq!(session.profile, Profile::Cxone);
    assert_eq!(
        session.tenant.as_deref(),
        Some("11eb0f1a-5d2c-4e4b-9a7c-0242ac120002")
    );
    assert_eq!(session.business_unit.as_deref(), Some("4600123"));
    assert_eq!(session.api_endpoint, server.url());
    assert_eq!(session.api_endpoint_source, "the token issuer's discovery");
    assert!(
        session
            .token_endpoint
            .ends_with("/auth/token (openid-configuration)"),
        "{}",
        session.token_endpoint
    );
    assert_eq!(session.token_lifetime, Duration::from_secs(3600));

    let queue = client.queue(SKILL).await.unwrap();
    assert!(queue.active);
    assert_eq!(queue.media, Some(Media::Phone));
    assert_eq!(queue.queued(), Some(0));
    let agents = client.agents(SKILL).await.unwrap();
    assert_eq!(
        (agents.assigned, agents.available, agents.working),
        (3, 2, 1)
    );
    assert_eq!(agents.available_names, vec!["Ana Lima", "Ben Okafor"]);

    let sweep = client.queues().await.unwrap();
    assert_eq!((sweep.queues.len(), sweep.truncated), (2, None));
    assert_eq!(sweep.queues[1].media, Some(Media::Chat));

    let id = client.place_test_contact(&contact(SKILL)).await.unwrap();
    let history = client.contact_history(&id).await.unwrap();
    let names: Vec<_> = history.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["Incoming", "PreQueue", "Queued", "Active"]);
    assert_eq!(history[3].agent_id.as_deref(), Some("9001"));

    client
        .signal(&id, &["Escalate".into(), "{\"reason\":\"billing\"}".into()])
        .await
        .unwrap();
    let created = server.placed_contacts();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].parameters[0], "+14155552671");
    assert_eq!(created[0].signals[0].read["p1"], "Escalate");
    // The token endpoint's lookup, one token and one discovery for all of these calls (the token
    // is cached); the state names once; then skill and activity, assignments and states, the
    // sweep, the spawn, the history and the signal.
    let stats = client.stats();
    assert_eq!(stats.requests, 12);
    assert!(stats.retried.is_empty());
}

fn access_key_only() -> Credentials {
    Credentials {
        client_id: None,
        client_secret: None,
        ..credentials()
    }
}

#[tokio::test]
async fn an_access_key_alone_uses_the_access_key_endpoint_and_the_global_discovery() {
    let server = mock("healthy").await;
    let settings = CxoneSettings {
        auth_url: server.url().to_string(),
        access_key_url: server.url().to_string(),
        ..CxoneSettings::default()
    };
    let client = CxoneClient::new(access_key_only(), settings, http()).unwrap();
    let session = client.session().await.unwrap();
    // An access-key token's issuer serves no discovery: the global host's answers.
    assert_eq!(
        (session.api_endpoint.as_str(), session.api_endpoint_source),
        (server.url(), "the global host's discovery")
    );
    assert!(session.token_endpoint.contains("access-key"));
}

#[tokio::test]
async fn without_any_discovery_the_cluster_names_the_api_host() {
    let server = mock("healthy").await;
    let settings = CxoneSettings {
        auth_url: format!("{}/no-discovery-here", server.url()),
        access_key_url: server.url().to_string(),
        ..CxoneSettings::default()
    };
    let client = CxoneClient::new(access_key_only(), settings, http()).unwrap();
    let session = client.session().await.unwrap();
    assert_eq!(
        (session.api_endpoint.as_str(), session.api_endpoint_source),
        (
            "https://api-c32.nice-incontact.com",
            "the token's icClusterId"
        )
    );
}

#[tokio::test]
async fn without_an_openid_configuration_the_token_endpoint_is_the_default_path() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.no_openid_configuration = true;
    let server = MockServer::start(scenario, loopback(), None).await.unwrap();
    let session = cxone(&server, http()).session().await.unwrap();
    assert!(
        session
            .token_endpoint
            .ends_with("/auth/token (the default path)"),
        "{}",
        session.token_endpoint
    );
}

#[tokio::test]
async fn an_explicit_api_base_skips_discovery() {
    let server = mock("healthy").await;
    let settings = CxoneSettings {
        auth_url: server.url().to_string(),
        api_base: Some(server.url().to_string()),
        ..CxoneSettings::default()
    };
    let client = CxoneClient::new(credentials(), settings, http()).unwrap();
    let session = client.session().await.unwrap();
    assert_eq!(session.api_endpoint_source, "config");
    assert_eq!(
        server.requests(),
        2,
        "only the token endpoint's lookup and the token"
    );
}

#[tokio::test]
async fn a_wrong_api_version_is_a_404_that_names_the_endpoint() {
    let server = mock("healthy").await;
    let settings = CxoneSettings {
        auth_url: server.url().to_string(),
        api_version: "v99.0".into(),
        ..CxoneSettings::default()
    };
    let client = CxoneClient::new(credentials(), settings, http()).unwrap();
    let error = client.queue(SKILL).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert!(
        error
            .to_string()
            .contains("/inContactAPI/services/v99.0/skills/4012345"),
        "{error}"
    );
}

#[tokio::test]
async fn routing_v2_healthy() {
    let server = mock("healthy").await;
    let client = routing(&server, http());
    let queue = client.queue(ROUTING_QUEUE).await.unwrap();
    assert_eq!((queue.active, queue.state.as_str()), (true, "active"));
    let agents = client.agents(ROUTING_QUEUE).await.unwrap();
    assert_eq!((agents.available, agents.working), (2, 1));
    let id = client
        .place_test_contact(&contact(ROUTING_QUEUE))
        .await
        .unwrap();
    assert!(!id.is_empty());
    assert!(matches!(client.queues().await, Err(ClientError::Config(_))));
}

#[tokio::test]
async fn bad_credentials_are_refused_by_the_token_endpoint() {
    let server = mock("bad-credentials").await;
    let error = cxone(&server, http()).session().await.unwrap_err();
    assert_eq!(error.operation(), Some("get token"));
    assert!(matches!(error.status(), Some(400 | 401)));
    assert_eq!(error.reason(), Some("Invalid access key or secret"));
    let error = routing(&server, http()).session().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
}

#[tokio::test]
async fn permission_denied_is_a_403_on_the_api_call() {
    let server = mock("permission-denied").await;
    let client = cxone(&server, http());
    client.session().await.unwrap();
    let error = client.queue(SKILL).await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.reason(), Some("Forbidden"));
}

#[tokio::test]
async fn an_unknown_queue_is_a_404_with_the_reason() {
    let server = mock("unknown-queue").await;
    let error = cxone(&server, http()).queue(SKILL).await.unwrap_err();
    assert_eq!(
        (error.status(), error.reason()),
        (Some(404), Some("InvalidSkillId"))
    );
    let error = routing(&server, http())
        .queue(ROUTING_QUEUE)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn queue_state_media_and_agents_follow_the_scenario() {
    let paused = mock("queue-paused").await;
    assert!(!cxone(&paused, http()).queue(SKILL).await.unwrap().active);
    let queue = routing(&paused, http()).queue(ROUTING_QUEUE).await.unwrap();
    assert_eq!((queue.active, queue.state.as_str()), (false, "paused"));

    let chat = mock("wrong-media-type").await;
    assert_eq!(
        cxone(&chat, http()).queue(SKILL).await.unwrap().media,
        Some(Media::Chat)
    );

    let nobody = mock("no-agents").await;
    let client = cxone(&nobody, http());
    let agents = client.agents(SKILL).await.unwrap();
    assert_eq!(
        (
            agents.available,
            agents.unavailable,
            agents.working,
            agents.logged_out
        ),
        (0, 1, 1, 1)
    );
    assert_eq!(client.queue(SKILL).await.unwrap().queued(), Some(2));
}

#[tokio::test]
async fn rate_limits_are_retried_honouring_retry_after() {
    let server = mock("rate-limited").await;
    let client = cxone(&server, http());
    client.session().await.unwrap();
    let started = Instant::now();
    let queue = client.queue(SKILL).await.unwrap();
    let took = started.elapsed();
    assert!(queue.active);
    assert_eq!(client.stats().retried.get(&429), Some(&3));
    // The first 429 says Retry-After: 1; the backoff alone would take milliseconds.
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test]
async fn the_retry_budget_bounds_the_wait() {
    let server = mock("rate-limited").await;
    let client = cxone(
        &server,
        HttpSettings {
            retry_budget: Duration::from_millis(300),
            ..http()
        },
    );
    client.session().await.unwrap();
    let started = Instant::now();
    let error = client.skill(SKILL).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.status(), Some(429));
}

#[tokio::test]
async fn a_token_the_server_stopped_taking_is_renewed_once() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.token_lifetime_seconds = Some(2);
    let server = MockServer::start(scenario, loopback(), None).await.unwrap();
    let client = cxone(&server, http());
    client.skill(SKILL).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let before = server.requests();
    client.skill(SKILL).await.unwrap();
    // The refused call, a new token, the call again (no second discovery).
    assert_eq!(server.requests() - before, 3);
    let stats = client.stats();
    assert_eq!(stats.metrics.token_renewals, 1);
    assert_eq!(
        stats.metrics.by_endpoint[&("GET skills/{skillId}", Outcome::Status(401))],
        1
    );
    let refused = stats.early_token_refusals;
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].announced, Duration::from_secs(3600));
    assert!(refused[0].age >= Duration::from_secs(2));
}

#[tokio::test]
async fn a_token_refused_even_when_fresh_is_an_error_after_one_renewal() {
    let server = mock("token-rejected").await;
    let client = cxone(&server, http());
    let error = client.skill(SKILL).await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.reason(), Some("TokenExpired"));
}

#[tokio::test]
async fn flaky_answers_are_retried() {
    let server = mock("flaky").await;
    let client = cxone(&server, http());
    for _ in 0..10 {
        client.skill(SKILL).await.unwrap();
    }
    let stats = client.stats();
    assert!(stats.retried.get(&503).is_some_and(|&n| n > 0), "{stats:?}");
    assert_eq!(stats.requests, 13 + stats.retried[&503]);
}

#[tokio::test]
async fn a_slow_tenant_times_out_with_the_host_named() {
    let server = mock("slow").await;
    let client = routing(
        &server,
        HttpSettings {
            request_timeout: Duration::from_millis(100),
            max_attempts: 2,
            ..http()
        },
    );
    let error = client.session().await.unwrap_err();
    assert!(
        matches!(&error, ClientError::Unreachable { kind: Unreachable::Timeout, host, attempts: 2, .. } if host == "127.0.0.1"),
        "{error:?}"
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connection_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = RoutingClient::new(
        credentials(),
        &url,
        HttpSettings {
            max_attempts: 2,
            ..http()
        },
    )
    .unwrap();
    let error = client.session().await.unwrap_err();
    assert!(
        matches!(
            error,
            ClientError::Unreachable {
                kind: Unreachable::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    let metrics = client.stats().metrics;
    assert_eq!(
        metrics.by_endpoint,
        BTreeMap::from([(("POST oauth/token", Outcome::NoAnswer), 2)])
    );
    assert_eq!(metrics.durations["POST oauth/token"].count(), 2);
}

/// The states a placed contact went through, by name.
async fn states_of(client: &CxoneClient, contact: &TestContact) -> Vec<String> {
    let id = client.place_test_contact(contact).await.unwrap();
    let history = client.contact_history(&id).await.unwrap();
    history.into_iter().map(|s| s.name).collect()
}

#[tokio::test]
async fn dropped_contacts_never_reach_queued() {
    let server = mock("contact-drops").await;
    let client = cxone(&server, http());
    // The scenario's skill runs a script with no REQAGENT: its contacts never leave PreQueue.
    let drops = TestContact {
        script_path: Some("Handover\\NoAgent".into()),
        ..contact(SKILL)
    };
    let names = states_of(&client, &drops).await;
    assert!(!names.iter().any(|n| n == "Queued"), "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("EndContact"));
    // The same tenant queues a contact whose script has a REQAGENT.
    let names = states_of(&client, &contact(SKILL)).await;
    assert!(names.iter().any(|n| n == "Queued"), "{names:?}");
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let error = RoutingClient::new(credentials(), "http://api.example.com", http())
        .err()
        .unwrap();
    assert!(matches!(error, ClientError::InsecureHttp { .. }));
}

/// A mock tenant that writes down every request it serves: method, path, status.
async fn logged(scenario: Scenario) -> (MockServer, Arc<Mutex<Vec<(String, String, u16)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log: RequestLog = {
        let seen = seen.clone();
        Arc::new(
            move |method: &str, path: &str, status: u16, _took: Duration| {
                seen.lock()
                    .unwrap()
                    .push((method.to_string(), path.to_string(), status));
            },
        )
    };
    let server = MockServer::start(scenario, loopback(), Some(log))
        .await
        .unwrap();
    (server, seen)
}

/// The endpoint a path the tenant saw belongs to: the template its path ends with, a literal
/// segment winning over a `{parameter}` (`skills/activity` over `skills/{skillId}`).
fn label_of(method: &str, path: &str) -> &'static str {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    ALL.iter()
        .filter(|e| e.method == method)
        .filter_map(|e| {
            let template: Vec<&str> = e.path.split('/').collect();
            let tail = &segments[segments.len().checked_sub(template.len())?..];
            let fits = template
                .iter()
                .zip(tail)
                .all(|(t, s)| t.starts_with('{') || t == s);
            let literals = template.iter().filter(|t| !t.starts_with('{')).count();
            fits.then_some((template.len(), literals, e.label))
        })
        .max()
        .map(|(_, _, label)| label)
        .unwrap_or_else(|| panic!("no endpoint for {method} {path}"))
}

#[tokio::test]
async fn every_request_is_counted_by_endpoint_and_status_as_the_tenant_saw_it() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.rate_limit_first = 1;
    let (server, seen) = logged(scenario).await;
    let client = cxone(&server, http());
    client.session().await.unwrap();
    client.queue(SKILL).await.unwrap();
    client.agents(SKILL).await.unwrap();
    client.queues().await.unwrap();
    let id = client.place_test_contact(&contact(SKILL)).await.unwrap();
    client.contact_history(&id).await.unwrap();
    client.signal(&id, &["Escalate".into()]).await.unwrap();

    let mut expected: BTreeMap<(&str, Outcome), u64> = BTreeMap::new();
    for (method, path, status) in seen.lock().unwrap().iter() {
        *expected
            .entry((label_of(method, path), Outcome::Status(*status)))
            .or_default() += 1;
    }
    let stats = client.stats();
    let metrics = &stats.metrics;
    assert_eq!(metrics.by_endpoint, expected);
    assert_eq!(u64::from(stats.requests), server.requests());
    assert_eq!(metrics.by_endpoint.values().sum::<u64>(), server.requests());
    let timed: u64 = metrics.durations.values().map(|h| h.count()).sum();
    assert_eq!(timed, server.requests());
    assert_eq!(metrics.token_renewals, 0, "the first sign-in is no renewal");

    let credentials = credentials();
    let secrets = [
        credentials.access_key_id.unwrap(),
        credentials.access_key_secret.unwrap().expose().to_string(),
        credentials.client_id.unwrap(),
        credentials.client_secret.unwrap().expose().to_string(),
    ];
    let known: Vec<&str> = ALL.iter().map(|e| e.label).collect();
    for (label, _) in metrics.by_endpoint.keys() {
        assert!(known.contains(label), "{label} is no endpoint's label");
        assert!(
            !label.contains(SKILL) && !label.contains(&id),
            "{label} holds an id"
        );
        assert!(!label.contains(['?', '=']), "{label} holds a query");
        assert!(!label.contains(server.url()), "{label} holds the host");
        assert!(
            secrets.iter().all(|s| !label.contains(s.as_str())),
            "{label} holds a secret"
        );
    }
}

#[tokio::test]
async fn a_retried_429_counts_as_one_429_and_one_200() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.rate_limit_first = 1;
    let server = MockServer::start(scenario, loopback(), None).await.unwrap();
    let client = cxone(&server, http());
    client.session().await.unwrap();
    client.skill(SKILL).await.unwrap();
    let stats = client.stats();
    let skill: BTreeMap<Outcome, u64> = stats
        .metrics
        .by_endpoint
        .iter()
        .filter(|((label, _), _)| *label == "GET skills/{skillId}")
        .map(|((_, outcome), n)| (*outcome, *n))
        .collect();
    assert_eq!(
        skill,
        BTreeMap::from([(Outcome::Status(200), 1), (Outcome::Status(429), 1)])
    );
    assert_eq!(stats.metrics.durations["GET skills/{skillId}"].count(), 2);
    assert_eq!(stats.retried.get(&429), Some(&1));
}

#[tokio::test]
async fn calls_refused_together_count_one_token_renewal() {
    let mut scenario = Scenario::built_in("healthy").unwrap();
    scenario.faults.token_lifetime_seconds = Some(1);
    let server = MockServer::start(scenario, loopback(), None).await.unwrap();
    let client = cxone(&server, http());
    client.session().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (a, b) = tokio::join!(client.skill(SKILL), client.skill(SKILL));
    a.unwrap();
    b.unwrap();
    let metrics = client.stats().metrics;
    assert_eq!(metrics.token_renewals, 1);
    assert_eq!(
        metrics.by_endpoint[&("GET skills/{skillId}", Outcome::Status(401))],
        2
    );
    assert_eq!(
        metrics.by_endpoint[&("POST auth/token", Outcome::Status(200))],
        2,
        "the first token and one renewal"
    );
}

/// Calls counted apart on one client are told apart, retries included, however they overlap; and
/// every agent's state, read once, gives a skill the agents `agents` reads for it alone.
#[tokio::test]
async fn counted_calls_on_one_client_are_told_apart_and_one_read_of_the_states_serves_a_skill() {
    let server = mock("rate-limited").await;
    let client = cxone(&server, http());
    client.session().await.unwrap();
    let signed_in = client.stats();
    // The first 3 API calls answer 429: those of the skill and its activity, sent first.
    let (queue, queue_calls) = counted(client.queue(SKILL)).await;
    queue.unwrap();
    let ((assigned, states), agents_calls) =
        counted(async { tokio::join!(client.skill_assignments(SKILL), client.agent_states()) })
            .await;
    assert_eq!(queue_calls.retried, BTreeMap::from([(429, 3)]));
    assert_eq!(queue_calls.requests, 2 + 3);
    assert_eq!(agents_calls.retried, BTreeMap::new());
    assert_eq!(agents_calls.requests, 2);
    let mut all = signed_in.clone();
    all += &queue_calls;
    all += &agents_calls;
    assert_eq!(
        all.with_token_renewals(0),
        client.stats().with_token_renewals(0)
    );
    let agents = agents_of(&assigned.unwrap(), &states.unwrap());
    assert_eq!((agents.assigned, agents.available), (3, 2));
    assert_eq!(agents, client.agents(SKILL).await.unwrap());
}
