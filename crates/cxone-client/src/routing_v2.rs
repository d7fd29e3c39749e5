//! The tutorial's `/api/v2` shape: a client-credentials token at `{base_url}/oauth/token`, queues
//! and their agents under `/api/v2/routing/queues`, and `POST /api/v2/interactions`.

use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, Response};
use url::Url;

use crate::endpoints::{self, Endpoint};
use crate::error::ClientError;
use crate::http::{self, CallStats, Grant, HttpSettings, TokenCache, Transport, endpoint_name};
use crate::models::{RoutingAgentsAnswer, RoutingInteraction, RoutingQueue, TokenResponse};
use crate::{
    Agents, CompletedContact, ContactCenter, ContactState, Credentials, Media, Profile, Queue,
    RequestPreview, Secret, Session, Sweep, TestContact, Window, as_base, parse_url,
};

pub struct RoutingClient {
    transport: Transport,
    client_id: String,
    client_secret: Secret,
    base: Url,
    signed_in: TokenCache<Session>,
}

impl RoutingClient {
    pub fn new(
        credentials: Credentials,
        base_url: &str,
        http: HttpSettings,
    ) -> Result<Self, ClientError> {
        let (Some(client_id), Some(client_secret)) =
            (credentials.client_id, credentials.client_secret)
        else {
            return Err(ClientError::Config(
                "the routing-v2 profile needs client_id and client_secret".into(),
            ));
        };
        let base = as_base(parse_url("base_url", base_url)?);
        let transport = Transport::new(http)?;
        transport.check_url(&base)?;
        Ok(Self {
            transport,
            client_id,
            client_secret,
            base,
            signed_in: TokenCache::default(),
        })
    }

    fn url(&self, path: &str) -> Result<Url, ClientError> {
        self.base
            .join(path)
            .map_err(|e| ClientError::Config(format!("cannot build the request URL: {e}")))
    }

    /// The token. `renew` names the issue time of a token the API refused.
    async fn signed_in(&self, renew: Option<Instant>) -> Result<(Grant, Session), ClientError> {
        self.signed_in.get(renew, |_| self.sign_in()).await
    }

    async fn sign_in(&self) -> Result<(Secret, Duration, Session), ClientError> {
        let endpoint = &endpoints::ROUTING_TOKEN;
        let url = self.url(endpoint.path)?;
        let name = endpoint_name(&endpoint.http_method(), &url);
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        let response = self
            .transport
            .send(endpoint, &url, |r| r.form(&form))
            .await?;
        if !response.status().is_success() {
            return Err(http::status_error(endpoint.operation, &name, response, 1).await);
        }
        let token: TokenResponse =
            http::json(endpoint.operation, &name, "a token answer", response).await?;
        if token.access_token.is_empty() {
            return Err(ClientError::Unexpected {
                operation: endpoint.operation,
                endpoint: name,
                expected: "an access_token".into(),
                excerpt: "an answer without one".into(),
            });
        }
        let lifetime = Duration::from_secs(u64::from(token.expires_in.max(1)));
        let session = Session {
            profile: Profile::RoutingV2,
            tenant: None,
            business_unit: None,
            issuer: None,
            api_endpoint: self.base.as_str().trim_end_matches('/').to_string(),
            token_lifetime: lifetime,
            api_endpoint_source: "config",
            token_endpoint: format!("{name} (base_url)"),
        };
        Ok((Secret::new(token.access_token), lifetime, session))
    }

    async fn call(
        &self,
        endpoint: &Endpoint,
        path: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<(Response, String), ClientError> {
        let sign_in =
            |renew| async move { Ok((self.signed_in(renew).await?.0, self.base.clone())) };
        self.transport
            .authorized(endpoint, path, sign_in, build)
            .await
    }

    fn interaction_body(contact: &TestContact) -> serde_json::Value {
        serde_json::json!({
            "type": "voice",
            "routingData": {"queueId": contact.queue_id, "priority": 1},
            "participants": [{
                "id": "handover-doctor",
                "direction": "inbound",
                "address": contact.phone_number,
                "name": contact.name,
                "customAttributes": contact.custom_attributes,
            }]
        })
    }
}

fn unsupported(what: &str) -> ClientError {
    ClientError::Config(format!(
        "the routing-v2 API has no {what}; use the cxone profile"
    ))
}

impl ContactCenter for RoutingClient {
    fn profile(&self) -> Profile {
        Profile::RoutingV2
    }

    async fn session(&self) -> Result<Session, ClientError> {
        Ok(self.signed_in(None).await?.1)
    }

    async fn queue(&self, id: &str) -> Result<Queue, ClientError> {
        let endpoint = &endpoints::ROUTING_QUEUE;
        let (response, at) = self
            .call(endpoint, &endpoint.path_with(&[id]), |r| r)
            .await?;
        let queue: RoutingQueue = http::json(endpoint.operation, &at, "a queue", response).await?;
        let state = queue
            .status
            .unwrap_or_else(|| "active".into())
            .to_ascii_lowercase();
        Ok(Queue {
            id: queue.id,
            name: queue.name,
            active: state != "paused" && state != "inactive",
            state,
            media: queue.media_type.as_deref().and_then(Media::from_name),
            activity: None,
        })
    }

    async fn agents(&self, queue_id: &str) -> Result<Agents, ClientError> {
        let endpoint = &endpoints::ROUTING_AGENTS;
        let (response, at) = self
            .call(endpoint, &endpoint.path_with(&[queue_id]), |r| r)
            .await?;
        let answer: RoutingAgentsAnswer =
            http::json(endpoint.operation, &at, "{items: [...]}", response).await?;
        let mut agents = Agents::default();
        for agent in answer.items {
            agents.assigned += 1;
            // As the tutorial counts: flagged available and in the Available status.
            let status = agent.status.name.to_ascii_lowercase();
            if agent.available == Some(true) && (status.is_empty() || status == "available") {
                agents.available += 1;
                agents.available_names.push(agent.name);
            } else if status == "offline" || status == "loggedout" || status == "logged out" {
                agents.logged_out += 1;
            } else if status.is_empty()
                || status == "available"
                || status == "away"
                || status == "break"
                || status == "unavailable"
            {
                agents.unavailable += 1;
            } else {
                agents.working += 1;
            }
        }
        Ok(agents)
    }

    async fn queues(&self) -> Result<Sweep, ClientError> {
        Err(unsupported("endpoint that lists every queue's activity"))
    }

    async fn preview_test_contact(
        &self,
        contact: &TestContact,
    ) -> Result<RequestPreview, ClientError> {
        Ok(RequestPreview {
            method: "POST".into(),
            url: self.url(endpoints::ROUTING_INTERACTION.path)?.to_string(),
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("Authorization".into(), "Bearer ***".into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some(
                serde_json::to_string_pretty(&Self::interaction_body(contact)).unwrap_or_default(),
            ),
        })
    }

    async fn place_test_contact(&self, contact: &TestContact) -> Result<String, ClientError> {
        let body = Self::interaction_body(contact);
        let endpoint = &endpoints::ROUTING_INTERACTION;
        let (response, at) = self
            .call(endpoint, endpoint.path, |r| r.json(&body))
            .await?;
        let created: RoutingInteraction =
            http::json(endpoint.operation, &at, "{id}", response).await?;
        Ok(created.id)
    }

    async fn preview_signal(
        &self,
        _contact_id: &str,
        _params: &[String],
    ) -> Result<RequestPreview, ClientError> {
        Err(unsupported("signal endpoint"))
    }

    async fn signal(&self, _contact_id: &str, _params: &[String]) -> Result<(), ClientError> {
        Err(unsupported("signal endpoint"))
    }

    async fn studio_script(&self, _script_path: &str) -> Result<Vec<u8>, ClientError> {
        Err(unsupported("Studio scripts"))
    }

    async fn contact_history(&self, _contact_id: &str) -> Result<Vec<ContactState>, ClientError> {
        Err(unsupported("contact state history"))
    }

    async fn completed_contact(
        &self,
        _contact_id: &str,
        _window: Window,
    ) -> Result<Option<CompletedContact>, ClientError> {
        Err(unsupported("completed-contact records"))
    }

    fn stats(&self) -> CallStats {
        self.transport
            .stats()
            .with_token_renewals(self.signed_in.renewals())
    }
}
