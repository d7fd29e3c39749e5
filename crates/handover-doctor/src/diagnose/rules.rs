//! The diagnosis's rules: what `diagnose`, `auth`, `queue` and `simulate` find in the tenant, its
//! API and the run, not in a payload. Declared here, beside the code that raises them; the
//! catalog (`crate::rules`) chains them after the payload rules of the core.

handover_core::catalog! {
    AUTH_REJECTED = "HD601", "auth-rejected", Error,
        "the token endpoint refuses the credentials",
        "Check the access key id and secret (CXone: Admin > Employees > Access Keys) and the app's client id and secret; a key of a deactivated user stops working.";
    ENDPOINT_UNREACHABLE = "HD602", "endpoint-unreachable", Error,
        "a DNS, connect, TLS or timeout failure",
        "Check the host name and the region, proxies and firewalls between here and the tenant.";
    PERMISSION_DENIED = "HD603", "permission-denied", Error,
        "an API call answers 403",
        "CXone has no OAuth scopes: the access key inherits the role of the user who owns it. Give that role the permission for this call (Admin > Security Profiles).";
    TOKEN_EXPIRED = "HD604", "token-expired", Error,
        "a 401 that persists after one re-authentication",
        "The API refuses even a fresh token: check the machine's clock, that the key was not revoked, and that token and API are in the same region.";
    DISCOVERY_FAILED = "HD605", "discovery-failed", Error,
        "the tenant's API host cannot be found",
        "Set `api_base` to the tenant's API host (https://api-<cluster>.<domain>), or check that the token carries tenantId and iss.";
    TOKEN_REFUSED_EARLY = "HD606", "token-refused-early", Warning,
        "the API refused a token long before the `expires_in` it was issued with; a new token worked",
        "An integration that caches a token for its announced lifetime fails exactly here (NICE's Cognigy extension caches tokens for 50 minutes): renew the token on a 401 and send the call once more. Check for a revoked session, a clock that is off, or a tenant policy that shortens sessions.";
    QUEUE_NOT_FOUND = "HD701", "queue-not-found", Error,
        "the queue (skill) does not exist: 404 or InvalidSkillId",
        "Copy the skill id from ACD > Skills into the bot's `queueId`; ids differ between business units and environments.";
    QUEUE_INACTIVE = "HD702", "queue-inactive", Error,
        "the skill is inactive, or the routing-v2 queue is paused",
        "Activate the skill (ACD > Skills) or resume the queue; handovers into it wait forever or drop.";
    NO_AGENTS_AVAILABLE = "HD703", "no-agents-available", Warning,
        "nobody assigned to the queue is Available",
        "Check the schedule and the agents' skill assignments; the handover will wait in the queue or be abandoned.";
    MEDIA_TYPE_MISMATCH = "HD704", "media-type-mismatch", Error,
        "a voice handover into a skill that is not a phone skill",
        "Hand voice contacts over to a phone skill (media type 4); voice and digital skills are distinct.";
    QUEUE_BACKLOG = "HD705", "queue-backlog", Warning,
        "contacts are already queued and nobody is available to take them",
        "Expect long waits: staff the queue or route the overflow elsewhere.";
    AVAILABILITY_DISAGREES = "HD706", "availability-disagrees", Warning,
        "the skill's activity and its agents' states and assignments count different numbers of Available agents",
        "Look for an inactive skill assignment (Admin > Employees > the agent > Skills), an agent who is Available only for other skills, or data that is a few seconds stale: run the check again before acting on it.";
    LIST_TRUNCATED = "HD707", "list-truncated", Warning,
        "a list was longer than `max_pages` pages of 100; the rest was not read",
        "The counts cover only the pages read: raise `max_pages` (config or HANDOVER_DOCTOR_MAX_PAGES), or look the agents up in CXone.";
    SIMULATE_REJECTED = "HD801", "simulate-rejected", Error,
        "the API refused the test contact",
        "Read the API's reason: a bad phone number, an unknown queue, or a script path that does not exist.";
    RATE_LIMITED = "HD802", "rate-limited", Error,
        "429 still after the retry budget",
        "Back off: spread the calls, or raise the retry budget; do not retry at once.";
    SERVER_ERROR = "HD803", "server-error", Error,
        "5xx still after the retry budget",
        "The tenant's API is failing; check NICE's status page and try again later.";
    SIMULATE_DRY_RUN = "HD804", "simulate-dry-run", Info,
        "dry run: nothing was sent",
        "Add --live to place the test contact for real.";
    CONTACT_DROPPED = "HD805", "contact-dropped", Error,
        "the followed contact ended before it reached Queued",
        "A contact that never leaves PreQueue never reached the script's REQAGENT action: check the script, the skill and the hours of operation.";
    RETRIED_CALLS = "HD806", "retried-calls", Warning,
        "API calls succeeded only after retries (429 or 5xx)",
        "The tenant is rate limiting or failing intermittently; a bot's HTTP call without retries would have failed. Add retries with backoff to the integration.";
    SLOW_API = "HD807", "slow-api", Warning,
        "an API call took longer than `slow_call_ms`",
        "The caller waits in silence while the bot calls the API; check the region and the network path, and keep the handover's calls few.";
    ANSWER_LOST = "HD808", "answer-lost", Error,
        "a call that may create a contact or send a signal got a 5xx or no answer; it was not sent again",
        "The request may have reached the tenant: look for the contact before you try again (`GET contacts/active?skillId=`, or Reporting > Contact History), so that the test does not place a second contact or send a second signal.";
    CONTACT_ABANDONED = "HD809", "contact-abandoned", Error,
        "the followed contact reached Queued and ended before an agent took it",
        "It reached the queue but nobody took it: check agent availability, the skill's hours of operation and the queue's abandon settings.";
    SCRIPT_NOT_FOUND = "HD810", "script-not-found", Error,
        "the tenant has no Studio script at `script_path`",
        "A test contact or a handover that spawns this path is refused or runs another script: copy the path from Studio (Folder\\Name, backslashes, no extension) into `script_path`, and check the business unit.";
    CONTACT_UNKNOWN = "HD830", "contact-unknown", Warning,
        "CXone has no state history for a contact the investigation names (404)",
        "Check the id: the main contact (X-InContact-MasterId) and the spawned one (X-InContact-ContactId) differ, and ids differ between business units; a contact older than the reporting API keeps is gone too.";
    CONTACT_REFUSED = "HD831", "contact-refused", Error,
        "the contact was offered to an agent who refused it (the completed-contact record's isRefused)",
        "Read the refuse reason: an agent who is Available but refuses (or misses) offers, an agent client that cannot ring, or a skill whose agents are set to auto-refuse. Check the agent's state and the skill's refusal settings.";
    UNEXPECTED_RESPONSE = "HD900", "unexpected-response", Error,
        "a response that cannot be understood",
        "Check `api_version` and the endpoint; a proxy or a wrong base URL often answers HTML instead of JSON.";
}
