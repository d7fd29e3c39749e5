//! What every test against the mock tenant needs: a loopback address, quick retries, and the
//! mock's credentials.

use std::net::SocketAddr;
use std::time::Duration;

use cxone_client::{Credentials, HttpSettings, Secret};

pub fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Quick retries, so that fault tests stay fast.
pub fn http() -> HttpSettings {
    HttpSettings {
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        retry_budget: Duration::from_secs(5),
        ..HttpSettings::default()
    }
}

/// The credentials every built-in scenario accepts.
pub fn credentials() -> Credentials {
    let c = cxone_mock::MockCredentials::default();
    Credentials {
        client_id: Some(c.client_id),
        client_secret: Some(Secret::new(c.client_secret)),
        access_key_id: Some(c.access_key_id),
        access_key_secret: Some(Secret::new(c.access_key_secret)),
    }
}
