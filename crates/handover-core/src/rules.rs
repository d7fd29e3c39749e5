//! The rule catalog. Codes and names are a contract with users and CI: a code is never reused and
//! never changes meaning. docs/rules.md documents each one; a test keeps the two in step.

use crate::finding::Severity;

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// What to do about it, when the finding has nothing more specific to say.
    pub hint: &'static str,
}

macro_rules! catalog {
    ($($ident:ident = $code:literal, $name:literal, $severity:ident, $summary:literal, $hint:literal;)*) => {
        $(
            pub static $ident: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
                hint: $hint,
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

catalog! {
    INVALID_JSON = "HD100", "invalid-json", Error,
        "the record is not valid JSON or not UTF-8",
        "Fix the syntax at the marked position; the bot must send one JSON document per record.";
    MISSING_TRANSFER_CONTEXT = "HD101", "missing-transfer-context", Error,
        "the root is not an object, or has no `transferContext` key",
        "Wrap the handover data as {\"transferContext\": {...}}.";
    WRONG_TYPE = "HD102", "wrong-type", Error,
        "a contract field has the wrong JSON type",
        "Send the field with the JSON type the contract names.";
    UNKNOWN_FIELD = "HD103", "unknown-field", Warning,
        "a key inside `transferContext` or `participant` that the contract does not know",
        "Remove the key or correct its spelling; the contact center ignores keys it does not know.";
    DUPLICATE_KEY = "HD104", "duplicate-key", Warning,
        "a key appears twice in one object",
        "Remove one of the two; most parsers keep only the last one, so the first is silently lost.";
    RECORD_TOO_LARGE = "HD105", "record-too-large", Error,
        "the record is larger than --max-record-bytes",
        "Check whether the logger joined several payloads into one line, or raise --max-record-bytes.";
    NESTING_TOO_DEEP = "HD106", "nesting-too-deep", Error,
        "the record nests arrays and objects deeper than 128 levels",
        "Flatten the payload; JSON parsers on the contact-center side refuse such nesting.";
    NUMBER_OUT_OF_RANGE = "HD107", "number-out-of-range", Warning,
        "a number beyond a 64-bit float's range, such as 1e400: valid JSON, but many receivers read it as Infinity or refuse it",
        "Send the value as a string, or in range (about ±1.8e308); JavaScript reads it as Infinity, serde_json and others refuse the whole record.";
    MISSING_QUEUE_ID = "HD201", "missing-queue-id", Error,
        "`queueId` is absent, null, empty or only whitespace",
        "Set `transferContext.queueId` to the id of the target queue (a CXone skill id); without it the contact cannot be routed.";
    INVALID_QUEUE_ID = "HD202", "invalid-queue-id", Error,
        "`queueId` is not an id of the selected API profile",
        "CXone skill ids are positive integers; routing-v2 queue ids are UUIDs.";
    INVALID_FLOW_VERSION_ID = "HD203", "invalid-flow-version-id", Error,
        "`flowVersionId` is not a canonical 8-4-4-4-12 hex UUID",
        "Copy the flow version id as a UUID such as 3f2b8c1e-5a4d-4e7b-9c1a-2d3e4f5a6b7c, or leave the key out.";
    MISSING_PARTICIPANT = "HD301", "missing-participant", Error,
        "`participant` is absent or null",
        "Add `transferContext.participant` with the caller's `name` and `phoneNumber`.";
    MISSING_PARTICIPANT_NAME = "HD302", "missing-participant-name", Error,
        "`participant.name` is absent, null, empty or only whitespace",
        "Set `participant.name`; use a neutral value such as \"Unknown caller\" when the bot did not learn it.";
    MISSING_PHONE_NUMBER = "HD303", "missing-phone-number", Error,
        "`participant.phoneNumber` is absent, null, empty or only whitespace",
        "Set `participant.phoneNumber` to the caller's number in E.164 (the ANI for voice).";
    PHONE_NOT_E164 = "HD304", "phone-not-e164", Error,
        "`phoneNumber` is not E.164: `+` then 2 to 15 digits, the first not 0",
        "Normalise the number in the bot before the handover: `+`, country code, national number, no separators.";
    PHONE_UNKNOWN_COUNTRY = "HD305", "phone-unknown-country", Error,
        "E.164 syntax, but no country uses that calling code",
        "Check the country code; the number was probably cut or typed with a wrong prefix.";
    PHONE_INVALID_NUMBER = "HD306", "phone-invalid-number", Warning,
        "the number is not valid in its country's numbering plan",
        "Check the number's length and area code; carriers reject calls to or from invalid numbers.";
    CUSTOM_ATTRIBUTES_TOO_LARGE = "HD401", "custom-attributes-too-large", Warning,
        "`customAttributes` serialised is larger than `max_custom_attributes_bytes`",
        "Send ids instead of whole documents; the bot platform caps context at 65 kB by default.";
    MISSING_REQUIRED_ATTRIBUTE = "HD402", "missing-required-attribute", Error,
        "a key listed in `required_attributes` is absent from `customAttributes`",
        "Set the attribute in the bot before the handover; the Studio script expects it.";
    UNRENDERED_TEMPLATE = "HD501", "unrendered-template", Error,
        "a string still holds a template placeholder: `{{ ... }}` or `${...}`",
        "The bot never evaluated the expression: check the variable's path and that it is set before the handover node.";
    PLACEHOLDER_VALUE = "HD502", "placeholder-value", Warning,
        "a string is a known stand-in such as `undefined`, `TODO` or `REPLACE_WITH_...`",
        "Replace the stand-in with the real value, or leave the key out.";
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
    UNEXPECTED_RESPONSE = "HD900", "unexpected-response", Error,
        "a response that cannot be understood",
        "Check `api_version` and the endpoint; a proxy or a wrong base URL often answers HTML instead of JSON.";
    SIGNAL_INVALID_CONTACT_ID = "HD910", "signal-invalid-contact-id", Error,
        "`contactId` or `spawnedContactId` is not a positive integer",
        "Map the ids from the SIP headers: `contactId` from X-InContact-MasterId, `spawnedContactId` from X-InContact-ContactId.";
    SIGNAL_SENTINEL_CONTACT_ID = "HD911", "signal-sentinel-contact-id", Error,
        "a contact id is the test sentinel 100000000000",
        "The SIP headers never reached the bot, so the extension fell back to its test ids and Exit Interaction sends nothing. Check that the SIP backchannel script passes X-InContact-MasterId and X-InContact-ContactId.";
    SIGNAL_TOO_MANY_PARAMETERS = "HD912", "signal-too-many-parameters", Error,
        "a signal carries more than 9 parameters, or one named beyond p9",
        "Studio's ONSIGNAL event takes p1..p9: put the rest into p2 as one JSON string.";
    SIGNAL_INVALID_ACTION = "HD913", "signal-invalid-action", Error,
        "the action (`action` or `p1`) is not Escalate or End",
        "Send `Escalate` to hand the caller to an agent or `End` to end the bot's part; the Studio script branches on exactly these.";
    SIGNAL_PARAMETER_NOT_JSON = "HD914", "signal-parameter-not-json", Error,
        "`p2` is not a string holding valid JSON",
        "Send the optional parameters as one JSON-encoded string; the script parses p2 as JSON.";
    SIGNAL_PARAMETERS_NOT_ARRAY = "HD915", "signal-parameters-not-array", Error,
        "`optionalParamsObject` is not a JSON array",
        "Exit Interaction expects its optional parameters as an array.";
    SIGNAL_MISSING_FIELD = "HD916", "signal-missing-field", Error,
        "a field the signal needs is missing",
        "Exit Interaction needs `action`, `contactId` and `spawnedContactId`; a captured signal needs `p1`.";
    SIGNAL_INVALID_BUSINESS_NUMBER = "HD917", "signal-invalid-business-number", Warning,
        "`businessNumber` is not the business unit's number (digits)",
        "Set the business unit number (Admin > Account Info), digits only.";
    SIP_HEADER_MISSING = "HD920", "sip-header-missing", Error,
        "`X-InContact-MasterId` or `X-InContact-ContactId` is missing",
        "The SIP backchannel script must send both; without them the bot falls back to test ids and cannot signal the contact.";
    SIP_CONTACT_ID_INVALID = "HD921", "sip-contact-id-invalid", Error,
        "a contact id header is not numeric",
        "CXone contact ids are numbers; check what the Studio script puts into the header.";
    SIP_CONTACT_ID_SENTINEL = "HD922", "sip-contact-id-sentinel", Error,
        "a contact id header holds the test sentinel 100000000000",
        "The headers were filled with test values: run the call through the real SIP backchannel script.";
    SIP_HEADER_NOT_JSON = "HD923", "sip-header-not-json", Error,
        "`X-CXone`, `X-CXone-Custom` or `X-CXone-Extended` does not hold valid JSON",
        "Build the header value with JSON encoding in the Studio script, not string concatenation.";
    SIP_IVA_PARAMS_INVALID = "HD924", "sip-iva-params-invalid", Error,
        "`ivaParams` inside `X-CXone-Custom` is not a JSON string that parses",
        "`ivaParams` is itself JSON-encoded inside the header's JSON: encode it twice.";
    VAH_ENVELOPE_MISSING = "HD930", "vah-envelope-missing", Error,
        "the reply has no `_cognigy._niceCXOne.json` object",
        "Reply through the NiCE CXone output of the Cognigy endpoint, so that Virtual Agent Hub finds the envelope.";
    VAH_INVALID_ACTION = "HD931", "vah-invalid-action", Error,
        "`action` is not AGENT_TRANSFER or END_CONVERSATION",
        "Use AGENT_TRANSFER to escalate or END_CONVERSATION to end; Studio's TextBotExchange reads exactly these.";
    VAH_MISSING_DATA = "HD932", "vah-missing-data", Error,
        "the envelope has no `data` object",
        "Send `data` with the intent; the Studio script reads it from customPayloadFromBot.";
    VAH_MISSING_INTENT = "HD933", "vah-missing-intent", Error,
        "`data` has no intent",
        "Set `data.Intent` so that the Studio script can route the escalation.";
    TRANSFER_TARGET_INVALID = "HD940", "transfer-target-invalid", Error,
        "the transfer target is not E.164 nor a sip:, sips: or tel: URI",
        "Use `+` and the number (E.164), or a SIP URI such as sip:+14155552671@cxone.example.";
    TRANSFER_HEADER_FORMAT = "HD941", "transfer-header-format", Error,
        "the custom headers' format does not match the node generation",
        "The current Transfer node takes an object {\"X-Name\": \"value\"}; the deprecated Generic and AudioCodes nodes take [{\"name\", \"value\"}].";
    TRANSFER_HEADER_NOT_X = "HD942", "transfer-header-not-x", Warning,
        "a header for CXone does not start with `X-`",
        "CXone Studio reads only headers that start with X- (on the initial INVITE, with the trunk setting on): rename it X-...";
    TRANSFER_UUI_LONG = "HD943", "transfer-uui-long", Warning,
        "`User-to-User` is longer than 128 characters",
        "Many systems drop UUI over 128 characters: send an id and look the data up.";
    TRANSFER_UUI_TOO_LONG = "HD944", "transfer-uui-too-long", Error,
        "`User-to-User` is longer than 256 characters",
        "UUI over 256 characters is rejected by common stacks: send an id instead.";
    TRANSFER_HEADER_TOO_LONG = "HD945", "transfer-header-too-long", Warning,
        "one header line is longer than 1024 bytes",
        "Many SIP parsers assume header lines of at most 1024 bytes: shorten the value.";
    TRANSFER_HEADERS_TOO_LARGE = "HD946", "transfer-headers-too-large", Error,
        "all custom headers together are larger than 4000 bytes",
        "Some SIP stacks reject INVITEs with more than about 4000 bytes of headers: send less.";
    TRANSFER_HEADER_NOT_STRING = "HD947", "transfer-header-not-string", Error,
        "a header name or value is not a string",
        "SIP headers are text: send every name and value as a string.";
}

/// Looks a rule up by its code (`HD304`) or its name (`phone-not-e164`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn finds_by_code_or_name() {
        assert_eq!(find("hd304").unwrap().name, "phone-not-e164");
        assert_eq!(find("phone-not-e164").unwrap().code, "HD304");
        assert!(find("HD999").is_none());
    }
}
