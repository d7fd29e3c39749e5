//! No secret reaches a log line, at any level, nor an error message or Debug output.

use std::io::Write;
use std::sync::{Arc, Mutex};

use cxone_client::cognigy::{CognigyClient, CognigySettings, Narrow};
use cxone_client::cxone::{CxoneClient, CxoneSettings};
use cxone_client::routing_v2::RoutingClient;
use cxone_client::{ContactCenter, Credentials, HttpSettings, Secret, TestContact};
use cxone_mock::{MockServer, Scenario};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_trace_logs_errors_or_debug_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let c = cxone_mock::MockCredentials::default();
    let credentials = Credentials {
        client_id: Some(c.client_id.clone()),
        client_secret: Some(Secret::new(c.client_secret.clone())),
        access_key_id: Some(c.access_key_id.clone()),
        access_key_secret: Some(Secret::new(c.access_key_secret.clone())),
    };
    let mut seen = String::new();
    for scenario in [
        "healthy",
        "bad-credentials",
        "permission-denied",
        "token-expiry",
        "rate-limited",
    ] {
        let server = MockServer::start(
            Scenario::built_in(scenario).unwrap(),
            "127.0.0.1:0".parse().unwrap(),
            None,
        )
        .await
        .unwrap();
        let settings = CxoneSettings {
            auth_url: server.url().into(),
            access_key_url: server.url().into(),
            ..CxoneSettings::default()
        };
        let http = HttpSettings {
            base_backoff: std::time::Duration::from_millis(5),
            ..HttpSettings::default()
        };
        let cxone = CxoneClient::new(credentials.clone(), settings, http.clone()).unwrap();
        let routing = RoutingClient::new(credentials.clone(), server.url(), http).unwrap();
        let contact = TestContact {
            queue_id: "4012345".into(),
            phone_number: "+14155552671".into(),
            name: "Caller".into(),
            custom_attributes: serde_json::json!({}),
            script_path: Some("Handover\\Cognigy".into()),
        };
        let results = [
            cxone.session().await.map(|s| format!("{s:?}")),
            cxone.queue("4012345").await.map(|q| format!("{q:?}")),
            cxone.agents("4012345").await.map(|a| format!("{a:?}")),
            cxone.place_test_contact(&contact).await,
            routing.session().await.map(|s| format!("{s:?}")),
            routing.queue("4012345").await.map(|q| format!("{q:?}")),
            cxone
                .preview_test_contact(&contact)
                .await
                .map(|p| format!("{p:?}")),
        ];
        for result in results {
            match result {
                Ok(text) => seen.push_str(&text),
                Err(e) => seen.push_str(&format!("{e} {e:?}")),
            }
        }
        seen.push_str(&format!("{credentials:?}"));
        // The Cognigy API is the same in every scenario: one pull with each key tells all.
        let cognigy_keys = if scenario == "healthy" {
            &[cxone_mock::COGNIGY_API_KEY, "a-wrong-cognigy-key"][..]
        } else {
            &[]
        };
        for &key in cognigy_keys {
            let settings = CognigySettings {
                url: server.url().into(),
                api_key: Secret::new(key),
                max_pages: 50,
            };
            seen.push_str(&format!("{settings:?}"));
            let cognigy = CognigyClient::new(settings, HttpSettings::default()).unwrap();
            match cognigy
                .pull(cxone_mock::COGNIGY_PROJECT, Narrow::default())
                .await
            {
                Ok(pull) => seen.push_str(&format!("{pull:?}")),
                Err(e) => seen.push_str(&format!("{e} {e:?}")),
            }
        }
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("answer"), "the client logged at all: {logs}");
    for secret in [
        &c.client_secret,
        &c.access_key_secret,
        "mock-routing-token-",
        "eyJhbGciOiJub25l",
        cxone_mock::COGNIGY_API_KEY,
        "a-wrong-cognigy-key",
    ] {
        assert!(!logs.contains(secret), "{secret} in the logs");
        assert!(!seen.contains(secret), "{secret} in output: {seen}");
    }
}
