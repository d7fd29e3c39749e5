//! The platforms' client. Talks to the contact center: auth per profile, discovery, retries,
//! lenient models, and the operations a handover diagnosis needs, behind one trait with a CXone and
//! a routing-v2 implementation; and reads the bot's side from Cognigy.AI's REST API (`cognigy`).
//! Both go through one HTTP transport (`http`). Knows nothing of the command line.

pub mod cognigy;
pub mod cxone;
pub mod endpoints;
pub mod error;
pub mod http;
pub mod jwt;
pub mod models;
pub mod routing_v2;
pub mod secret;

use std::future::Future;
use std::time::Duration;

pub use error::{ClientError, Unreachable};
pub use http::{CallStats, EarlyRefusal, HttpSettings, Outcome, RequestMetrics, Retry};
pub use secret::Secret;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Real CXone: OAuth password grant with an access key, discovery, the ACD API.
    Cxone,
    /// The tutorial's `/api/v2` shape, as some gateways and middleware expose it.
    RoutingV2,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Cxone => "cxone",
            Profile::RoutingV2 => "routing-v2",
        }
    }
}

/// Who the client is. CXone needs an access key (and usually a registered app's client id and
/// secret); routing-v2 needs a client id and secret.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<Secret>,
}

impl Credentials {
    /// The settings a profile needs that these credentials lack, by their config keys.
    pub fn missing(&self, profile: Profile) -> Vec<&'static str> {
        let needed = match profile {
            Profile::Cxone => [
                ("access_key_id", self.access_key_id.is_some()),
                ("access_key_secret", self.access_key_secret.is_some()),
            ],
            Profile::RoutingV2 => [
                ("client_id", self.client_id.is_some()),
                ("client_secret", self.client_secret.is_some()),
            ],
        };
        needed
            .into_iter()
            .filter(|(_, set)| !set)
            .map(|(key, _)| key)
            .collect()
    }
}

/// What is known after signing in. Never holds the token itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub profile: Profile,
    pub tenant: Option<String>,
    pub business_unit: Option<String>,
    pub issuer: Option<String>,
    /// The host API calls go to.
    pub api_endpoint: String,
    /// How long the token is valid, as the server said.
    pub token_lifetime: Duration,
    /// Where the API host came from, to follow "from": `config`, `the token answer`, `the token
    /// issuer's discovery`, `the global host's discovery`, `the token's icClusterId`.
    pub api_endpoint_source: &'static str,
    /// Where tokens come from, and how that was learnt.
    pub token_endpoint: String,
}

/// Media types, by CXone's ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Email,
    Chat,
    Phone,
    Voicemail,
    WorkItem,
    Sms,
    Social,
    Digital,
    Other(u32),
}

impl Media {
    /// The API's `mediaTypeId`: the inverse of [`Media::from_id`].
    pub fn id(self) -> u32 {
        match self {
            Media::Email => 1,
            Media::Chat => 3,
            Media::Phone => 4,
            Media::Voicemail => 5,
            Media::WorkItem => 6,
            Media::Sms => 7,
            Media::Social => 8,
            Media::Digital => 9,
            Media::Other(id) => id,
        }
    }

    pub fn from_id(id: u32) -> Self {
        match id {
            1 => Media::Email,
            3 => Media::Chat,
            4 => Media::Phone,
            5 => Media::Voicemail,
            6 => Media::WorkItem,
            7 => Media::Sms,
            8 => Media::Social,
            9 => Media::Digital,
            other => Media::Other(other),
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(
            match name
                .to_ascii_lowercase()
                .replace([' ', '_', '-'], "")
                .as_str()
            {
                "email" => Media::Email,
                "chat" => Media::Chat,
                "phone" | "phonecall" | "voice" | "call" => Media::Phone,
                "voicemail" => Media::Voicemail,
                "workitem" => Media::WorkItem,
                "sms" => Media::Sms,
                "social" => Media::Social,
                "digital" => Media::Digital,
                _ => return None,
            },
        )
    }

    pub fn name(self) -> String {
        match self {
            Media::Email => "Email".into(),
            Media::Chat => "Chat".into(),
            Media::Phone => "Phone call".into(),
            Media::Voicemail => "Voicemail".into(),
            Media::WorkItem => "Work item".into(),
            Media::Sms => "SMS".into(),
            Media::Social => "Social".into(),
            Media::Digital => "Digital".into(),
            Media::Other(id) => format!("media type {id}"),
        }
    }
}

/// A queue (a CXone skill) and its health.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    pub id: String,
    pub name: String,
    /// Takes contacts: an active skill, a routing-v2 queue that is not paused.
    pub active: bool,
    /// The state as the API named it: `active`, `inactive`, `paused`.
    pub state: String,
    pub media: Option<Media>,
    /// The platform's own counts for the queue (CXone's skill activity); routing-v2 has none.
    pub activity: Option<QueueActivity>,
}

impl Queue {
    /// Contacts waiting in the queue now, when the API says.
    pub fn queued(&self) -> Option<u32> {
        self.activity.as_ref().map(|a| a.queued)
    }
}

/// The agents of a queue, by what they can do now, from the queue's assignments and the agents'
/// states. Only a routable assignment counts: the user is active and so is the assignment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agents {
    /// Routable assignments.
    pub assigned: u32,
    pub available: u32,
    /// Logged in but neither available nor on a contact.
    pub unavailable: u32,
    /// On a contact, in consult, or in after-contact work.
    pub working: u32,
    pub logged_out: u32,
    pub available_names: Vec<String>,
    /// Assignments that route nothing: an inactive user, or `isSkillActive: false`.
    pub inactive_assignments: u32,
    /// Of those, the agents who are Available now (for their other skills), by name.
    pub inactive_but_available: Vec<String>,
    /// Lists that were longer than the page cap: what was not read.
    pub truncated: Vec<Truncated>,
}

/// A list the client stopped reading at the page cap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Truncated {
    /// `GET .../skills/42/agents`
    pub endpoint: String,
    /// Records read.
    pub read: usize,
    /// Records the API said there are, when it said.
    pub total: Option<u32>,
    /// Pages read: the cap.
    pub pages: u32,
}

/// Every queue's activity, and whether the list was read whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    pub queues: Vec<QueueActivity>,
    pub truncated: Option<Truncated>,
}

impl Agents {
    pub fn logged_in(&self) -> u32 {
        self.available + self.unavailable + self.working
    }
}

/// One skill's activity as the platform counts it: `skills/{id}/activity` or a sweep of all skills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueActivity {
    pub id: String,
    pub name: String,
    pub active: Option<bool>,
    pub media: Option<Media>,
    pub available: u32,
    pub logged_in: u32,
    pub working: u32,
    pub unavailable: u32,
    pub queued: u32,
}

/// A test contact: what a handover into the queue would carry.
#[derive(Clone, Debug, Default)]
pub struct TestContact {
    pub queue_id: String,
    pub phone_number: String,
    pub name: String,
    pub custom_attributes: serde_json::Value,
    /// CXone: the Studio script to spawn (`Folder\\Name`).
    pub script_path: Option<String>,
}

/// A request as it would be sent, secrets masked, for dry runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestPreview {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// A state a contact went through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactState {
    /// The state's name as the tenant spells it (from `contact-state-descriptions`, else from the
    /// history itself). Compare without regard to case: tenants spell "PreQueue" "Prequeue".
    pub name: String,
    /// The tenant's category for the state, when it names one.
    pub category: Option<String>,
    pub skill_id: Option<String>,
    pub agent_id: Option<String>,
    pub started: Option<String>,
}

/// A contact's completed-contact record (`contacts/completed`): how it ended and where its time
/// went. Every field but the id is what the tenant said, when it said it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompletedContact {
    #[serde(deserialize_with = "models::id", alias = "contactID")]
    pub contact_id: String,
    #[serde(deserialize_with = "models::some_id", alias = "masterContactID")]
    pub master_contact_id: Option<String>,
    #[serde(deserialize_with = "models::some_id")]
    pub skill_id: Option<String>,
    #[serde(deserialize_with = "models::some_text")]
    pub skill_name: Option<String>,
    /// The last agent who had the contact (or refused it).
    #[serde(deserialize_with = "models::some_id")]
    pub agent_id: Option<String>,
    /// When the contact started, as the tenant wrote it.
    #[serde(
        rename = "contactStartDate",
        alias = "contactStart",
        deserialize_with = "models::some_text"
    )]
    pub started: Option<String>,
    /// The tenant's words for how it ended. NICE publishes no list of them.
    #[serde(deserialize_with = "models::some_text")]
    pub end_reason: Option<String>,
    /// Ended in the queue, before an agent took it.
    #[serde(deserialize_with = "models::flag")]
    pub abandoned: Option<bool>,
    /// An agent was offered it and did not take it.
    #[serde(rename = "isRefused", deserialize_with = "models::flag")]
    pub refused: Option<bool>,
    #[serde(deserialize_with = "models::some_text")]
    pub refuse_reason: Option<String>,
    /// Before the queue: the script, the bot, the IVR.
    #[serde(deserialize_with = "models::seconds")]
    pub pre_queue_seconds: Option<u32>,
    #[serde(deserialize_with = "models::seconds")]
    pub in_queue_seconds: Option<u32>,
    /// With an agent.
    #[serde(deserialize_with = "models::seconds")]
    pub agent_seconds: Option<u32>,
    /// In the queue before it was abandoned.
    #[serde(deserialize_with = "models::seconds")]
    pub abandon_seconds: Option<u32>,
    #[serde(rename = "totalDurationSeconds", deserialize_with = "models::seconds")]
    pub total_seconds: Option<u32>,
}

/// The time `contacts/completed` is asked about: contacts that started in it. The API takes at
/// most 30 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
}

impl Window {
    /// The longest window the API takes.
    pub const MAX: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

    /// A window from `start` to `end`: `end` after `start`, and at most [`Window::MAX`] apart.
    pub fn new(start: jiff::Timestamp, end: jiff::Timestamp) -> Result<Self, ClientError> {
        let span = end.duration_since(start);
        if span <= jiff::SignedDuration::ZERO || span > Self::MAX {
            return Err(ClientError::Config(format!(
                "completed contacts are searched in a window of up to 30 days: {start} to {end} is not one"
            )));
        }
        Ok(Self { start, end })
    }

    /// The day either side of `at`: the contact a log line names at `at` started in it.
    pub fn around(at: jiff::Timestamp) -> Self {
        let day = jiff::SignedDuration::from_hours(24);
        Self {
            start: at.saturating_sub(day).unwrap_or(at),
            end: at.saturating_add(day).unwrap_or(at),
        }
    }
}

/// The operations a diagnosis needs, whichever API answers.
pub trait ContactCenter: Send + Sync {
    fn profile(&self) -> Profile;

    /// Signs in (once; the token is cached) and finds the API host.
    fn session(&self) -> impl Future<Output = Result<Session, ClientError>> + Send;

    fn queue(&self, id: &str) -> impl Future<Output = Result<Queue, ClientError>> + Send;

    fn agents(&self, queue_id: &str) -> impl Future<Output = Result<Agents, ClientError>> + Send;

    /// Every queue's activity, in as few calls as the API allows.
    fn queues(&self) -> impl Future<Output = Result<Sweep, ClientError>> + Send;

    /// The request `place_test_contact` would send, secrets masked.
    fn preview_test_contact(
        &self,
        contact: &TestContact,
    ) -> impl Future<Output = Result<RequestPreview, ClientError>> + Send;

    /// Places a test contact into the queue; returns its id.
    fn place_test_contact(
        &self,
        contact: &TestContact,
    ) -> impl Future<Output = Result<String, ClientError>> + Send;

    /// The signal `signal` would send, secrets masked.
    fn preview_signal(
        &self,
        contact_id: &str,
        params: &[String],
    ) -> impl Future<Output = Result<RequestPreview, ClientError>> + Send;

    /// Sends a signal to a running contact, as a voicebot's Exit Interaction does.
    fn signal(
        &self,
        contact_id: &str,
        params: &[String],
    ) -> impl Future<Output = Result<(), ClientError>> + Send;

    /// A Studio script's web-Studio JSON (`{header, actions, properties, branches}`) by its path
    /// (`Folder\\Name`), as the tenant sent it, for a linter to parse. Read only: routing-v2 has
    /// no Studio scripts.
    fn studio_script(
        &self,
        script_path: &str,
    ) -> impl Future<Output = Result<Vec<u8>, ClientError>> + Send;

    /// The states a contact went through, oldest first.
    fn contact_history(
        &self,
        contact_id: &str,
    ) -> impl Future<Output = Result<Vec<ContactState>, ClientError>> + Send;

    /// The completed-contact record of a contact that started in `window`; `None` when the tenant
    /// has none there (the contact is still active, started outside the window, or never was).
    /// Read only.
    fn completed_contact(
        &self,
        contact_id: &str,
        window: Window,
    ) -> impl Future<Output = Result<Option<CompletedContact>, ClientError>> + Send;

    /// What the calls so far looked like: requests sent, retries, the slowest.
    fn stats(&self) -> CallStats;
}

/// Either profile's client, chosen at run time.
// One client lives for a whole run, so the size of the larger variant costs nothing worth an indirection.
#[allow(clippy::large_enum_variant)]
pub enum Client {
    Cxone(cxone::CxoneClient),
    RoutingV2(routing_v2::RoutingClient),
}

macro_rules! delegate {
    ($self:ident, $client:ident => $call:expr) => {
        match $self {
            Client::Cxone($client) => $call,
            Client::RoutingV2($client) => $call,
        }
    };
}

impl ContactCenter for Client {
    fn profile(&self) -> Profile {
        delegate!(self, c => c.profile())
    }

    async fn session(&self) -> Result<Session, ClientError> {
        delegate!(self, c => c.session().await)
    }

    async fn queue(&self, id: &str) -> Result<Queue, ClientError> {
        delegate!(self, c => c.queue(id).await)
    }

    async fn agents(&self, queue_id: &str) -> Result<Agents, ClientError> {
        delegate!(self, c => c.agents(queue_id).await)
    }

    async fn queues(&self) -> Result<Sweep, ClientError> {
        delegate!(self, c => c.queues().await)
    }

    async fn preview_test_contact(
        &self,
        contact: &TestContact,
    ) -> Result<RequestPreview, ClientError> {
        delegate!(self, c => c.preview_test_contact(contact).await)
    }

    async fn place_test_contact(&self, contact: &TestContact) -> Result<String, ClientError> {
        delegate!(self, c => c.place_test_contact(contact).await)
    }

    async fn preview_signal(
        &self,
        contact_id: &str,
        params: &[String],
    ) -> Result<RequestPreview, ClientError> {
        delegate!(self, c => c.preview_signal(contact_id, params).await)
    }

    async fn signal(&self, contact_id: &str, params: &[String]) -> Result<(), ClientError> {
        delegate!(self, c => c.signal(contact_id, params).await)
    }

    async fn studio_script(&self, script_path: &str) -> Result<Vec<u8>, ClientError> {
        delegate!(self, c => c.studio_script(script_path).await)
    }

    async fn contact_history(&self, contact_id: &str) -> Result<Vec<ContactState>, ClientError> {
        delegate!(self, c => c.contact_history(contact_id).await)
    }

    async fn completed_contact(
        &self,
        contact_id: &str,
        window: Window,
    ) -> Result<Option<CompletedContact>, ClientError> {
        delegate!(self, c => c.completed_contact(contact_id, window).await)
    }

    fn stats(&self) -> CallStats {
        delegate!(self, c => c.stats())
    }
}

/// Parses a URL from settings, naming the setting when it is not one.
pub fn parse_url(setting: &str, value: &str) -> Result<url::Url, ClientError> {
    url::Url::parse(value.trim())
        .map_err(|e| ClientError::Config(format!("{setting} `{value}` is not a URL: {e}")))
}

/// A URL with a trailing slash, so that `join` appends rather than replaces the last segment.
pub fn as_base(mut url: url::Url) -> url::Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

/// An id as one path segment: percent-encoded, so that an id cannot change the path.
pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.trim().as_bytes()).collect()
}
