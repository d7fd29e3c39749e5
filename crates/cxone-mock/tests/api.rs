//! The mock over HTTP, as a client sees it: paging, assignments, state names, lost answers, how
//! requests are read, sign-in and discovery, odd answer shapes and token lifetimes.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cxone_mock::{Agent, DEFAULT_PAGE, MAX_PAGE, MockCredentials, MockServer, Scenario};
use reqwest::StatusCode;
use serde_json::{Value, json};

const SKILL: u64 = 4_012_345;
const CHAT_SKILL: u64 = 4_012_346;
/// A contact of the healthy tenant whose script has an ONSIGNAL handler.
const BOT_CONTACT: u64 = 123_456_789_012;

async fn start(scenario: Scenario) -> MockServer {
    MockServer::start(scenario, "127.0.0.1:0".parse().unwrap(), None)
        .await
        .unwrap()
}

async fn yaml(text: &str) -> MockServer {
    start(Scenario::from_yaml(text).unwrap()).await
}

/// A password-grant token, as `POST /auth/token` issues it.
async fn sign_in(server: &MockServer) -> String {
    let c = MockCredentials::default();
    let request = reqwest::Client::new()
        .post(format!("{}/auth/token", server.url()))
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[
            ("grant_type", "password"),
            ("username", c.access_key_id.as_str()),
            ("password", c.access_key_secret.as_str()),
        ]);
    access_token(request).await
}

/// A routing-v2 token, as `POST /oauth/token` issues it.
async fn routing_token(server: &MockServer) -> String {
    let c = MockCredentials::default();
    let request = reqwest::Client::new()
        .post(format!("{}/oauth/token", server.url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
        ]);
    access_token(request).await
}

/// The `access_token` a token request gets.
async fn access_token(request: reqwest::RequestBuilder) -> String {
    let answer: Value = request.send().await.unwrap().json().await.unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

fn acd(server: &MockServer, path: &str) -> String {
    format!("{}/inContactAPI/services/v26.0/{path}", server.url())
}

async fn get_url(url: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
}

async fn get(server: &MockServer, token: &str, path: &str) -> reqwest::Response {
    get_url(&acd(server, path), token).await
}

async fn get_json(server: &MockServer, token: &str, path: &str) -> Value {
    let answer = get(server, token, path).await;
    assert_eq!(answer.status(), StatusCode::OK, "GET {path}");
    answer.json().await.unwrap()
}

async fn post(
    server: &MockServer,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(acd(server, path))
        .bearer_auth(token)
        .header("Accept", "application/json");
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

fn reason(answer: &reqwest::Response) -> &str {
    answer
        .headers()
        .get("icStatusDescription")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Signals the bot contact `p1=Escalate`: the signal's answer, and the contact after it.
async fn escalate(
    server: &MockServer,
    token: &str,
) -> (reqwest::Response, cxone_mock::ContactRecord) {
    let answer = post(
        server,
        token,
        &format!("interactions/{BOT_CONTACT}/signal?p1=Escalate"),
        None,
    )
    .await;
    let contact = server
        .contacts()
        .into_iter()
        .find(|c| c.id == BOT_CONTACT)
        .unwrap();
    (answer, contact)
}

fn agent(id: u64, state: &str, skills: Vec<u64>) -> Agent {
    Agent::new(id, &format!("Agent{id}"), "Mock", state, skills)
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn a_skill_with_130_agents_answers_in_pages() {
    let server = start(Scenario {
        agents: (1..=130)
            .map(|i| agent(10_000 + i, "Available", vec![SKILL]))
            .collect(),
        ..Scenario::default()
    })
    .await;
    let token = sign_in(&server).await;
    let path = format!("skills/{SKILL}/agents");

    let mut url = acd(&server, &path);
    let mut pages = Vec::new();
    loop {
        let answer: Value = get_url(&url, &token).await.json().await.unwrap();
        assert_eq!(answer["totalRecords"], 130);
        pages.push(answer["agentSkillAssignments"].as_array().unwrap().len());
        match answer["_links"]["next"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, [DEFAULT_PAGE, DEFAULT_PAGE, 30]);

    let first = get_json(&server, &token, &format!("{path}?top=100")).await;
    assert_eq!(
        first["agentSkillAssignments"].as_array().unwrap().len(),
        100
    );
    assert_eq!(first["agentSkillAssignments"][0]["agentId"], 10_001);
    let next = first["_links"]["next"].as_str().unwrap();
    assert_eq!(next, format!("{}?skip=100&top=100", acd(&server, &path)));
    assert_eq!(
        first["_links"]["self"].as_str().unwrap(),
        format!("{}?skip=0&top=100", acd(&server, &path))
    );
    let second: Value = get_url(next, &token).await.json().await.unwrap();
    assert_eq!(
        second["agentSkillAssignments"].as_array().unwrap().len(),
        30
    );
    assert_eq!(second["agentSkillAssignments"][0]["agentId"], 10_101);
    assert!(second["_links"].get("next").is_none(), "{second}");
    assert_eq!(second["totalRecords"], 130);

    let clamped = get_json(&server, &token, &format!("{path}?top=500")).await;
    assert_eq!(
        clamped["agentSkillAssignments"].as_array().unwrap().len(),
        MAX_PAGE
    );

    for bad in ["top=0", "top=many", "skip=-1"] {
        let answer = get(&server, &token, &format!("{path}?{bad}")).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reason(&answer), "InvalidParameter", "{bad}");
    }
}

#[tokio::test]
async fn agent_states_and_skill_activity_page_too_and_keep_other_query_keys() {
    let server = start(Scenario {
        agents: (1..=60)
            .map(|i| agent(20_000 + i, "Unavailable", vec![SKILL]))
            .collect(),
        ..Scenario::default()
    })
    .await;
    let token = sign_in(&server).await;

    let states = get_json(&server, &token, "agents/states?updatedSince=2026-01-01").await;
    assert_eq!(states["totalRecords"], 60);
    assert_eq!(states["agentStates"].as_array().unwrap().len(), 50);
    assert!(states["lastPollTime"].is_string());
    assert_eq!(
        states["_links"]["next"].as_str().unwrap(),
        format!(
            "{}?updatedSince=2026-01-01&skip=50&top=50",
            acd(&server, "agents/states")
        )
    );

    let activity = get_json(&server, &token, "skills/activity?skip=1&top=1").await;
    assert_eq!(activity["totalRecords"], 2);
    assert_eq!(activity["skillActivity"][0]["skillId"], CHAT_SKILL);
    assert!(activity["_links"].get("next").is_none(), "{activity}");
    assert!(activity["lastPollTime"].is_string());
}

#[tokio::test]
async fn only_routable_agents_count_and_take_contacts() {
    let server = yaml(
        "agents:
  - {id: 9001, first_name: Ana, last_name: Lima, state: Available, skills: [4012345], inactive_skills: [4012345]}
  - {id: 9002, first_name: Ben, last_name: Okafor, state: Available, skills: [4012345], active: false}
  - {id: 9003, first_name: Chen, last_name: Wu, state: Available, skills: [4012345]}
",
    )
    .await;
    let token = sign_in(&server).await;

    let agents = get_json(&server, &token, &format!("skills/{SKILL}/agents")).await;
    let flags: Vec<(Value, Value)> = agents["agentSkillAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["isActive"].clone(), a["isSkillActive"].clone()))
        .collect();
    assert_eq!(
        flags,
        [
            (json!(true), json!(false)),
            (json!(false), json!(true)),
            (json!(true), json!(true))
        ]
    );

    let activity = get_json(&server, &token, &format!("skills/{SKILL}/activity")).await;
    assert_eq!(activity["skillActivity"][0]["agentsAvailable"], 1);
    assert_eq!(activity["skillActivity"][0]["agentsLoggedIn"], 1);
    let all = get_json(&server, &token, "skills/activity").await;
    assert_eq!(all["skillActivity"][0]["agentsAvailable"], 1);

    let spawned = post(
        &server,
        &token,
        &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy"),
        None,
    )
    .await;
    assert_eq!(spawned.status(), StatusCode::ACCEPTED);
    assert_eq!(server.placed_contacts()[0].agent_id, Some(9003));
}

#[tokio::test]
async fn an_inactive_assignment_reaches_nobody() {
    let server = yaml(
        "agents:
  - {id: 9001, first_name: Ana, last_name: Lima, state: Available, skills: [4012345], inactive_skills: [4012345]}
",
    )
    .await;
    let token = sign_in(&server).await;
    let activity = get_json(&server, &token, &format!("skills/{SKILL}/activity")).await;
    assert_eq!(activity["skillActivity"][0]["agentsAvailable"], 0);
    let (escalated, contact) = escalate(&server, &token).await;
    assert_eq!(escalated.status(), StatusCode::ACCEPTED);
    assert_eq!(contact.states.last().unwrap(), "Queued");
    assert_eq!(contact.agent_id, None);
}

#[tokio::test]
async fn activity_available_stands_in_for_the_platform_count() {
    let server = yaml(
        "skills:
  - {id: 4012345, name: Billing Voice, activity_available: 5}
agents:
  - {id: 9001, first_name: Ana, last_name: Lima, state: Unavailable, skills: [4012345]}
",
    )
    .await;
    let token = sign_in(&server).await;
    let one = get_json(&server, &token, &format!("skills/{SKILL}/activity")).await;
    assert_eq!(one["skillActivity"][0]["agentsAvailable"], 5);
    assert_eq!(one["skillActivity"][0]["agentsUnavailable"], 1);
    let all = get_json(&server, &token, "skills/activity").await;
    assert_eq!(all["skillActivity"][0]["agentsAvailable"], 5);
}

#[tokio::test]
async fn a_lost_spawn_answer_still_places_exactly_one_contact() {
    let server = yaml("faults:\n  lose_answers: [spawn]\n").await;
    let token = sign_in(&server).await;
    let answer = post(
        &server,
        &token,
        &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy"),
        None,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(reason(&answer), "GatewayTimeout");
    let placed = server.placed_contacts();
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0].states.last().unwrap(), "Active");

    // Signals still answer 202: only the spawn's answer is lost.
    let signal = post(
        &server,
        &token,
        &format!("interactions/{BOT_CONTACT}/signal?p1=End"),
        None,
    )
    .await;
    assert_eq!(signal.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_lost_signal_answer_is_applied_and_recorded_once() {
    let server = yaml("faults:\n  lose_answers: [signal]\n").await;
    let token = sign_in(&server).await;
    let (answer, contact) = escalate(&server, &token).await;
    assert_eq!(answer.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(reason(&answer), "GatewayTimeout");
    assert_eq!(contact.signals.len(), 1);
    assert_eq!(contact.states.last().unwrap(), "Active");
}

#[tokio::test]
async fn spawn_reads_parameters_as_the_spec_spells_it() {
    let server = start(Scenario::default()).await;
    let token = sign_in(&server).await;
    for query in [
        "Parameters=Alice%7C%2B4915112345678",
        "parameters=Bob%7C%2B49",
    ] {
        let answer = post(
            &server,
            &token,
            &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy&{query}"),
            None,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::ACCEPTED, "{query}");
    }
    let placed = server.placed_contacts();
    assert_eq!(placed[0].parameters, ["Alice", "+4915112345678"]);
    assert_eq!(
        placed[0].query_keys,
        ["Parameters", "scriptPath", "skillId"]
    );
    assert!(!placed[0].query_keys.iter().any(|k| k == "startDate"));
    assert!(
        placed[1].parameters.is_empty(),
        "{:?}",
        placed[1].parameters
    );
    assert_eq!(
        placed[1].query_keys,
        ["parameters", "scriptPath", "skillId"]
    );
}

/// Sends `p1=Escalate` in the body and `p2=from-query` in the query, and returns the signal as
/// recorded and the contact's last state.
async fn escalate_by_body(signal_reads: &str) -> (cxone_mock::SignalRecord, String) {
    let server = yaml(&format!("tenant:\n  signal_reads: {signal_reads}\n")).await;
    let token = sign_in(&server).await;
    let answer = post(
        &server,
        &token,
        &format!("interactions/{BOT_CONTACT}/signal?p2=from-query"),
        Some(json!({"p1": "Escalate", "p3": 7})),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let contact = server
        .contacts()
        .into_iter()
        .find(|c| c.id == BOT_CONTACT)
        .unwrap();
    (
        contact.signals[0].clone(),
        contact.states.last().unwrap().clone(),
    )
}

#[tokio::test]
async fn signal_reads_decides_where_the_script_reads_p1_to_p9() {
    let (signal, last) = escalate_by_body("query").await;
    assert_eq!(signal.query["p2"], "from-query");
    assert_eq!(signal.body["p1"], "Escalate");
    assert_eq!(signal.body["p3"], "7");
    assert_eq!(
        signal.read.keys().collect::<Vec<_>>(),
        ["p2"],
        "the published spec reads the query only"
    );
    assert_eq!(last, "PreQueue", "p1 in the body does not escalate");

    let (signal, last) = escalate_by_body("body").await;
    assert_eq!(signal.read.keys().collect::<Vec<_>>(), ["p1", "p3"]);
    assert_eq!(last, "Active");

    let (signal, last) = escalate_by_body("both").await;
    assert_eq!(signal.read.keys().collect::<Vec<_>>(), ["p1", "p2", "p3"]);
    assert_eq!(last, "Active");
}

#[tokio::test]
async fn access_key_tokens_name_an_issuer_without_discovery() {
    let server = start(Scenario::default()).await;
    let c = MockCredentials::default();
    let http = reqwest::Client::new();
    let answer: Value = http
        .post(format!(
            "{}/authentication/v1/token/access-key",
            server.url()
        ))
        .json(&json!({"accessKeyId": c.access_key_id, "accessKeySecret": c.access_key_secret}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access_key = claims(answer["access_token"].as_str().unwrap());
    let issuer = access_key["iss"].as_str().unwrap();
    assert_eq!(issuer, format!("{}/access-key-issuer", server.url()));
    let tenant = access_key["tenantId"].as_str().unwrap();

    let at_issuer = http
        .get(format!(
            "{issuer}/.well-known/cxone-configuration?tenantId={tenant}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(at_issuer.status(), StatusCode::NOT_FOUND);
    let global = http
        .get(format!(
            "{}/.well-known/cxone-configuration?tenantId={tenant}",
            server.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(global.status(), StatusCode::OK);
    let configuration: Value = global.json().await.unwrap();
    assert_eq!(configuration["api_endpoint"], server.url());

    let password_grant = claims(&sign_in(&server).await);
    assert_eq!(password_grant["iss"], server.url());
}

#[tokio::test]
async fn openid_configuration_can_be_missing() {
    let http = reqwest::Client::new();
    let server = start(Scenario::default()).await;
    let found: Value = http
        .get(format!("{}/.well-known/openid-configuration", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        found["token_endpoint"],
        format!("{}/auth/token", server.url())
    );

    let server = yaml("faults:\n  no_openid_configuration: true\n").await;
    let missing = http
        .get(format!("{}/.well-known/openid-configuration", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn answer_shape_empties_or_wraps_every_200_get_and_nothing_else() {
    let server = yaml("faults:\n  answer_shape: empty\n").await;
    let token = sign_in(&server).await;
    assert_eq!(
        get_json(&server, &token, &format!("skills/{SKILL}")).await,
        json!({})
    );
    assert_eq!(get_json(&server, &token, "agents/states").await, json!({}));
    let unknown = get(&server, &token, "skills/4099999").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(reason(&unknown), "InvalidSkillId");
    let spawned = post(
        &server,
        &token,
        &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy"),
        None,
    )
    .await;
    let spawned: Value = spawned.json().await.unwrap();
    assert!(spawned["contactId"].is_u64(), "{spawned}");

    let server = yaml("faults:\n  answer_shape: result-set\n").await;
    let token = sign_in(&server).await;
    let skill = get_json(&server, &token, &format!("skills/{SKILL}")).await;
    assert_eq!(skill["resultSet"]["skillId"], SKILL);
    let states = get_json(&server, &token, "agents/states").await;
    assert_eq!(states["resultSet"]["totalRecords"], 3);
}

#[tokio::test]
async fn token_rejected_refuses_every_token_at_once() {
    let server = start(Scenario::built_in("token-rejected").unwrap()).await;
    for _ in 0..2 {
        let token = sign_in(&server).await;
        let answer = get(&server, &token, &format!("skills/{SKILL}")).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(reason(&answer), "TokenExpired");
    }
}

#[tokio::test]
async fn token_expiry_takes_a_token_for_its_first_second_only() {
    let server = start(Scenario::built_in("token-expiry").unwrap()).await;
    let token = sign_in(&server).await;
    let fresh = get(&server, &token, &format!("skills/{SKILL}")).await;
    assert_eq!(fresh.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let stale = get(&server, &token, &format!("skills/{SKILL}")).await;
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(reason(&stale), "TokenExpired");
}

#[tokio::test]
async fn state_names_follow_the_tenant_spelling_with_stable_ids() {
    let server = yaml(
        "tenant:
  state_names: {PreQueue: Prequeue, Queued: queued}
",
    )
    .await;
    let token = sign_in(&server).await;
    let descriptions = get_json(&server, &token, "contact-state-descriptions").await;
    let descriptions = descriptions["contactStateDescriptions"].as_array().unwrap();
    assert!(descriptions.contains(&json!({
        "ContactStateId": 2,
        "ContactStateDescription": "Prequeue",
        "ContactStateCategory": "Routing",
    })));
    assert!(descriptions.contains(&json!({
        "ContactStateId": 9,
        "ContactStateDescription": "EndContact",
        "ContactStateCategory": "Ended",
    })));

    post(
        &server,
        &token,
        &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy"),
        None,
    )
    .await;
    let id = server.placed_contacts()[0].id;
    let history = get_json(&server, &token, &format!("contacts/{id}/state-history")).await;
    let states: Vec<(Value, Value)> = history["contactStateHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["contactStateId"].clone(), s["contactStateName"].clone()))
        .collect();
    assert_eq!(
        states,
        [
            (json!(1), json!("Incoming")),
            (json!(2), json!("Prequeue")),
            (json!(3), json!("queued")),
            (json!(4), json!("Active")),
        ]
    );
    assert_eq!(server.placed_contacts()[0].states[1], "PreQueue");
}

#[tokio::test]
async fn a_state_only_contacts_end_in_names_is_described_too() {
    let server = yaml(
        "tenant:
  state_names: {Abandoned: abandoned}
faults:
  contacts_end_in: Abandoned
",
    )
    .await;
    let token = sign_in(&server).await;
    let descriptions = get_json(&server, &token, "contact-state-descriptions").await;
    assert!(
        descriptions["contactStateDescriptions"]
            .as_array()
            .unwrap()
            .contains(&json!({
                "ContactStateId": 0,
                "ContactStateDescription": "abandoned",
                "ContactStateCategory": "Other",
            }))
    );
}

#[tokio::test]
async fn active_contacts_lists_the_skill_s_open_contacts_or_answers_204() {
    let server = yaml("tenant:\n  state_names: {PreQueue: Prequeue}\n").await;
    let token = sign_in(&server).await;
    let none = get(
        &server,
        &token,
        &format!("contacts/active?skillId={CHAT_SKILL}"),
    )
    .await;
    assert_eq!(none.status(), StatusCode::NO_CONTENT);

    let active = get_json(&server, &token, &format!("contacts/active?skillId={SKILL}")).await;
    assert_eq!(active["totalRecords"], 2);
    assert_eq!(active["activeContacts"][0]["contactStateName"], "Prequeue");
    assert_eq!(active["activeContacts"][0]["skillId"], SKILL);

    post(
        &server,
        &token,
        &format!("interactions/{BOT_CONTACT}/signal?p1=End"),
        None,
    )
    .await;
    let active = get_json(&server, &token, &format!("contacts/active?skillId={SKILL}")).await;
    assert_eq!(active["totalRecords"], 1);

    let unknown = get(&server, &token, "contacts/active?skillId=4099999").await;
    assert_eq!(reason(&unknown), "InvalidSkillId");
}

/// A GET of the mock's Cognigy API, with `key` in `X-API-Key` when given.
async fn cognigy(server: &MockServer, path: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}{path}", server.url()));
    if let Some(key) = key {
        request = request.header("X-API-Key", key);
    }
    request.send().await.unwrap()
}

/// A GET of the mock's Cognigy API with its key, the answer as JSON.
async fn cognigy_json(server: &MockServer, path: &str) -> Value {
    let key = Some(cxone_mock::COGNIGY_API_KEY);
    cognigy(server, path, key).await.json().await.unwrap()
}

#[tokio::test]
async fn cognigy_lists_need_the_key_and_page_two_at_a_time_by_cursor_or_skip() {
    use cxone_mock::{COGNIGY_API_KEY, COGNIGY_PAGE, COGNIGY_PROJECT};
    let server = start(Scenario::built_in("healthy").unwrap()).await;
    let flows = format!("/new/v2.0/flows?projectId={COGNIGY_PROJECT}&limit=100");
    let refused = cognigy(&server, &flows, None).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let wrong = cognigy(&server, &flows, Some("not-the-key")).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let by_query = cognigy(&server, &format!("{flows}&api_key={COGNIGY_API_KEY}"), None).await;
    assert_eq!(by_query.status(), StatusCode::OK);

    let first: Value = cognigy_json(&server, &flows).await;
    assert_eq!(first["items"].as_array().unwrap().len(), COGNIGY_PAGE);
    assert_eq!(first["total"], 7);
    assert_eq!(first["previousCursor"], Value::Null);
    let next = first["nextCursor"].as_str().unwrap();
    let second: Value = cognigy_json(&server, &format!("{flows}&next={next}")).await;
    let by_skip: Value = cognigy_json(&server, &format!("{flows}&skip=2")).await;
    assert_eq!(second["items"], by_skip["items"]);
    assert_ne!(second["items"], first["items"]);

    let flow = first["items"][0]["_id"].as_str().unwrap();
    let chart: Value = cognigy_json(&server, &format!("/new/v2.0/flows/{flow}/chart")).await;
    let node = &chart["nodes"][1];
    assert!(
        node.get("config").is_none(),
        "the chart holds no config: {node}"
    );
    let id = node["_id"].as_str().unwrap();
    let full: Value =
        cognigy_json(&server, &format!("/new/v2.0/flows/{flow}/chart/nodes/{id}")).await;
    assert!(full["config"].is_object(), "{full}");
}

#[tokio::test]
async fn cognigy_faults_move_the_api_to_v2_0_and_drop_the_cursor() {
    use cxone_mock::{COGNIGY_API_KEY, COGNIGY_PROJECT};
    let server = yaml("faults:\n  cognigy_v2_only: true\n  cognigy_no_cursor: true\n").await;
    let path = |prefix: &str| format!("{prefix}/flows?projectId={COGNIGY_PROJECT}");
    let new = cognigy(&server, &path("/new/v2.0"), Some(COGNIGY_API_KEY)).await;
    assert_eq!(new.status(), StatusCode::NOT_FOUND);
    let old: Value = cognigy_json(&server, &path("/v2.0")).await;
    assert_eq!(old["total"], 7);
    assert_eq!(old["nextCursor"], Value::Null);
}

#[tokio::test]
async fn completed_contacts_lists_ended_contacts_in_the_window_in_pages() {
    let server = yaml("skills:\n  - {id: 4012345, name: Billing Voice, active: false}\n").await;
    let token = sign_in(&server).await;
    for _ in 0..3 {
        let spawned = post(
            &server,
            &token,
            "scripts/start?skillId=4012345&scriptPath=Handover%5CCognigy",
            None,
        )
        .await;
        assert_eq!(spawned.status(), StatusCode::ACCEPTED);
    }
    let now = jiff::Timestamp::now();
    let window = |hours: i64| {
        let start = now
            .checked_sub(jiff::SignedDuration::from_hours(hours))
            .unwrap();
        let end = now
            .checked_add(jiff::SignedDuration::from_hours(1))
            .unwrap();
        format!("startDate={start}&endDate={end}")
    };
    let page = get_json(
        &server,
        &token,
        &format!("contacts/completed?{}&top=2", window(1)),
    )
    .await;
    // The healthy tenant's bot contacts are still active: only the three spawned ones ended.
    assert_eq!(page["totalRecords"], 3);
    assert_eq!(page["completedContacts"].as_array().unwrap().len(), 2);
    assert!(page["_links"]["next"].as_str().unwrap().contains("skip=2"));
    let record = &page["completedContacts"][0];
    assert_eq!(record["endReason"], "Script Ended");
    assert_eq!(record["abandoned"], false);
    assert_eq!(record["preQueueSeconds"], 30);
    assert_eq!(record["inQueueSeconds"], 0);
    assert_eq!(record["agentId"], 0);
    // Its seconds are those of its state history.
    let id = record["contactId"].as_u64().unwrap();
    let history = get_json(&server, &token, &format!("contacts/{id}/state-history")).await;
    let total: u64 = history["contactStateHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["duration"].as_u64().unwrap())
        .sum();
    assert_eq!(record["totalDurationSeconds"], total);

    let earlier = now
        .checked_sub(jiff::SignedDuration::from_hours(48))
        .unwrap();
    let before = now
        .checked_sub(jiff::SignedDuration::from_hours(24))
        .unwrap();
    let none = get_json(
        &server,
        &token,
        &format!("contacts/completed?startDate={earlier}&endDate={before}"),
    )
    .await;
    assert_eq!(none["totalRecords"], 0);
    let too_long = get(
        &server,
        &token,
        &format!("contacts/completed?{}", window(31 * 24)),
    )
    .await;
    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
    assert_eq!(reason(&too_long), "InvalidParameter");
    let not_a_date = get(&server, &token, "contacts/completed?startDate=yesterday").await;
    assert_eq!(not_a_date.status(), StatusCode::BAD_REQUEST);
    let body: Value = not_a_date.json().await.unwrap();
    assert_eq!(
        body["errorDescription"],
        "startDate is not an ISO 8601 date and time"
    );
}

#[tokio::test]
async fn a_refusing_agent_leaves_the_contact_in_the_queue() {
    let server = start(Scenario::built_in("agent-refuses").unwrap()).await;
    let token = sign_in(&server).await;
    let (escalated, record) = escalate(&server, &token).await;
    assert_eq!(escalated.status(), StatusCode::ACCEPTED);
    assert_eq!(
        record.states,
        ["Incoming", "PreQueue", "Queued", "EndContact"]
    );
    assert_eq!((record.agent_id, record.refused_by), (None, Some(9001)));
    let page = get_json(&server, &token, "contacts/completed").await;
    let completed = &page["completedContacts"][0];
    assert_eq!(completed["contactId"], BOT_CONTACT);
    assert_eq!(completed["isRefused"], true);
    assert_eq!(completed["refuseReason"], "Busy");
    assert_eq!(completed["abandoned"], true);
}

/// Every page of a paged ACD list, following `_links.next` from `path`: the pages' lengths, the
/// `totalRecords` each said, and the records under `key`.
async fn all_pages(
    server: &MockServer,
    token: &str,
    path: &str,
    key: &str,
) -> (Vec<usize>, Vec<Value>, Vec<Value>) {
    let (mut lengths, mut totals, mut records) = (Vec::new(), Vec::new(), Vec::new());
    let mut url = acd(server, path);
    loop {
        let answer: Value = get_url(&url, token).await.json().await.unwrap();
        let page = answer[key].as_array().unwrap();
        lengths.push(page.len());
        totals.push(answer["totalRecords"].clone());
        records.extend(page.iter().cloned());
        match answer["_links"]["next"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    (lengths, totals, records)
}

#[tokio::test]
async fn agents_skills_lists_every_assignment_in_pages_by_agent_then_skill() {
    let mut agents: Vec<Agent> = (1..=35)
        .rev()
        .map(|i| agent(30_000 + i, "Available", vec![CHAT_SKILL, SKILL]))
        .collect();
    agents[0].inactive_skills = vec![CHAT_SKILL];
    agents[1].active = false;
    let server = start(Scenario {
        agents,
        ..Scenario::default()
    })
    .await;
    let token = sign_in(&server).await;

    let (lengths, totals, records) =
        all_pages(&server, &token, "agents/skills", "agentSkillAssignments").await;
    assert_eq!(lengths, [DEFAULT_PAGE, 20]);
    assert_eq!(totals, [json!(70), json!(70)]);
    let order: Vec<(u64, u64)> = records
        .iter()
        .map(|r| {
            (
                r["agentId"].as_u64().unwrap(),
                r["skillId"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(order, sorted, "by agent id, then skill id, each once");
    assert_eq!(order[0], (30_001, SKILL));
    assert_eq!(records[0]["agentName"], "Agent30001 Mock");
    assert_eq!(records[0]["skillName"], "Billing Voice");
    assert_eq!(records[0]["mediaTypeName"], "Phone Call");
    assert_eq!(records[1]["skillName"], "Billing Chat");
    assert_eq!(records[1]["mediaTypeId"], 3);
    let flags = |agent: u64, skill: u64| {
        let r = records
            .iter()
            .find(|r| r["agentId"] == agent && r["skillId"] == skill)
            .unwrap();
        (
            r["isActive"].clone(),
            r["isAgentActive"].clone(),
            r["isSkillActive"].clone(),
        )
    };
    assert_eq!(
        flags(30_035, CHAT_SKILL),
        (json!(true), json!(true), json!(false))
    );
    assert_eq!(
        flags(30_035, SKILL),
        (json!(true), json!(true), json!(true))
    );
    assert_eq!(
        flags(30_034, SKILL),
        (json!(false), json!(false), json!(true))
    );
    let inactive = records
        .iter()
        .filter(|r| r["isSkillActive"] == false)
        .count();
    assert_eq!(inactive, 1);

    let second = get_json(&server, &token, "agents/skills?skip=50&top=50").await;
    assert_eq!(second["agentSkillAssignments"][0]["agentId"], 30_026);
    assert!(second["_links"].get("next").is_none(), "{second}");
    assert!(second["lastPollTime"].is_string());
    let bad = get(&server, &token, "agents/skills?top=0").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn agents_skills_has_the_acd_guard_and_faults() {
    let server = start(Scenario::built_in("permission-denied").unwrap()).await;
    let token = sign_in(&server).await;
    assert_eq!(
        get(&server, &token, "agents/skills").await.status(),
        StatusCode::FORBIDDEN
    );
    let server = yaml("faults:\n  answer_shape: result-set\n").await;
    let token = sign_in(&server).await;
    assert_eq!(
        get(&server, "no-such-token", "agents/skills")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let wrapped = get_json(&server, &token, "agents/skills").await;
    assert_eq!(wrapped["resultSet"]["totalRecords"], 4);
}

/// What a client sees of Billing Voice and its agents now, over both profiles: whether the skill
/// is active, its queue, its Available agents by its activity, every agent's state, the routing-v2
/// queue's status, and the states a spawned contact goes through.
async fn billing_now(
    server: &MockServer,
    token: &str,
    routing: &str,
) -> (bool, u64, u64, Vec<String>, String, String) {
    let skill = get_json(server, token, &format!("skills/{SKILL}")).await;
    let activity = get_json(server, token, "skills/activity").await;
    let activity = &activity["skillActivity"][0];
    let states = get_json(server, token, "agents/states").await;
    let states = states["agentStates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agentStateName"].as_str().unwrap().to_string())
        .collect();
    let queue: Value = get_url(
        &format!("{}/api/v2/routing/queues/{SKILL}", server.url()),
        routing,
    )
    .await
    .json()
    .await
    .unwrap();
    let spawned = post(
        server,
        token,
        &format!("scripts/start?skillId={SKILL}&scriptPath=Handover%5CCognigy"),
        None,
    )
    .await;
    assert_eq!(spawned.status(), StatusCode::ACCEPTED);
    let contact = server.placed_contacts().pop().unwrap();
    (
        skill["isActive"].as_bool().unwrap(),
        activity["queueCount"].as_u64().unwrap(),
        activity["agentsAvailable"].as_u64().unwrap(),
        states,
        queue["status"].as_str().unwrap().to_string(),
        contact.states.join(" > "),
    )
}

/// Sleeps until `from + seconds`.
async fn until(from: std::time::Instant, seconds: f64) {
    let at = from + Duration::from_secs_f64(seconds);
    tokio::time::sleep(at.saturating_duration_since(std::time::Instant::now())).await;
}

#[tokio::test]
async fn the_timeline_changes_the_tenant_at_its_times_and_starts_over() {
    // The server starts after `started`, so its clock is behind this one by the start's few
    // milliseconds: each look is made well after a change and checked to end before the next.
    // Changes a second apart leave room for a look of six requests on a busy machine.
    let started = std::time::Instant::now();
    let server = yaml(
        "timeline_repeat_seconds: 3
timeline:
  - {at_seconds: 2, skill: 4012345, active: true, agents_of_skill: 4012345, state: LoggedOut}
  - {at_seconds: 1, skill: 4012345, active: false, queued: 4}
",
    )
    .await;
    let token = sign_in(&server).await;
    let routing = routing_token(&server).await;
    let healthy = ["Available", "Available", "InboundContact"];
    let look = |active, queue, available, states: [&str; 3], status: &str, contact: &str| {
        let states = states.map(String::from).to_vec();
        (
            active,
            queue,
            available,
            states,
            status.into(),
            contact.into(),
        )
    };
    let reached = "Incoming > PreQueue > Queued > Active";
    let before = look(true, 0, 2, healthy, "active", reached);
    let looks = [
        (0.0, 1.0, before.clone()),
        (
            1.3,
            2.0,
            look(
                false,
                4,
                2,
                healthy,
                "paused",
                "Incoming > PreQueue > EndContact",
            ),
        ),
        (
            2.3,
            3.0,
            look(
                true,
                4,
                0,
                ["LoggedOut"; 3],
                "active",
                "Incoming > PreQueue > Queued",
            ),
        ),
        (3.3, 4.0, before),
    ];
    for (from, by, expected) in looks {
        until(started, from).await;
        let seen = billing_now(&server, &token, &routing).await;
        let at = started.elapsed().as_secs_f64();
        assert!(
            at < by,
            "too slow to look between {from} s and {by} s: {at} s"
        );
        assert_eq!(seen, expected, "from {from} s");
    }
    let reached = server.placed_contacts().pop().unwrap();
    assert_eq!(reached.agent_id, Some(9001));
}

#[tokio::test]
async fn agents_of_skill_changes_only_the_agents_assigned_to_it() {
    let server =
        yaml("timeline:\n  - {at_seconds: 0, agents_of_skill: 4012346, state: LoggedOut}\n").await;
    let token = sign_in(&server).await;
    let states = get_json(&server, &token, "agents/states").await;
    let states: Vec<(u64, &str)> = states["agentStates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["agentId"].as_u64().unwrap(),
                a["agentStateName"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            (9001, "LoggedOut"),
            (9002, "Available"),
            (9003, "InboundContact")
        ]
    );
    let routing = routing_token(&server).await;
    let members: Value = get_url(
        &format!("{}/api/v2/routing/queues/4012346/agents", server.url()),
        &routing,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(members["items"][0]["status"]["name"], "Offline");
}

#[tokio::test]
async fn large_pages_its_30_000_assignments_cheaply() {
    let server = start(Scenario::built_in("large").unwrap()).await;
    let token = sign_in(&server).await;
    let asked = std::time::Instant::now();
    let page = get_json(&server, &token, "agents/skills?skip=29900&top=100").await;
    let took = asked.elapsed();
    // Rendering all 30,000 records, or one per page by scanning, takes far longer in a debug build.
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(page["totalRecords"], 30_004);
    let records = page["agentSkillAssignments"].as_array().unwrap();
    assert_eq!(records.len(), 100);
    assert!(page["_links"]["next"].is_string(), "4 records follow");
    // The healthy tenant's 4 come first (agent ids 9001..), then agent 100000 + i on skills
    // 3i..3i+2 (mod 2,000): record 29,999 is agent 109,998's second.
    assert_eq!(records[99]["agentId"], 109_998);
    assert_eq!(records[99]["skillName"], "Skill 1996");
    let last = get_json(&server, &token, "agents/skills?skip=30000").await;
    let last = last["agentSkillAssignments"].as_array().unwrap();
    assert_eq!(last.len(), 4);
    assert_eq!(
        (&last[3]["agentId"], &last[3]["skillId"]),
        (&json!(109_999), &json!(5_001_999))
    );

    let activity = get_json(&server, &token, "skills/activity?skip=2000&top=100").await;
    assert_eq!(activity["totalRecords"], 2_002);
    assert_eq!(activity["skillActivity"].as_array().unwrap().len(), 2);
    let states = get_json(&server, &token, "agents/states?skip=10000").await;
    assert_eq!(states["totalRecords"], 10_003);
}
