//! The rule catalog. Codes and names are a contract with users and CI: a code is never reused and
//! never changes meaning. docs/rules.md documents each one; a test keeps the two in step.

use std::fmt;

/// How much a finding weighs: an error makes a record invalid, a warning does not, info informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
        "`contactId` or `spawnedContactId` is empty or not a positive integer",
        "Map the ids from the SIP headers: `contactId` from X-InContact-MasterId, `spawnedContactId` from X-InContact-ContactId. On a voice call Context Init leaves them empty when those headers did not arrive, and Exit Interaction then sends no signal.";
    SIGNAL_SENTINEL_CONTACT_ID = "HD911", "signal-sentinel-contact-id", Error,
        "a contact id is 100000000000, the placeholder Context Init writes for a non-voice chat without a contact id",
        "The payload came from a Cognigy test chat or webchat, not from a CXone contact, and Exit Interaction sends nothing for it. Test the handover from a real CXone contact; on voice, map the ids from X-InContact-MasterId and X-InContact-ContactId, never from a test context.";
    SIGNAL_TOO_MANY_PARAMETERS = "HD912", "signal-too-many-parameters", Error,
        "a signal carries more than 9 parameters, or one named outside p1..p9",
        "CXone's signal API (POST interactions/{contactId}/signal) defines p1..p9 only: put the rest into one parameter as a JSON string.";
    SIGNAL_INVALID_ACTION = "HD913", "signal-invalid-action", Error,
        "Exit Interaction's `action` is not Escalate or End",
        "Exit Interaction offers exactly `Escalate` and `End`; from 1.0.10 on it throws on any other value, and it sends the action as the signal's p1.";
    SIGNAL_PARAMETER_NOT_JSON = "HD914", "signal-parameter-not-json", Warning,
        "`p2` of an Escalate or End signal is not a string holding valid JSON",
        "Exit Interaction 1.0.8 and later send p2 as JSON.stringify(optionalParamsObject); a free-text p2 comes from 1.0.5/1.0.6's stringArray mode or a hand-built request, and a script written for the current node will not parse it.";
    SIGNAL_PARAMETERS_NOT_ARRAY = "HD915", "signal-parameters-not-array", Warning,
        "`optionalParamsObject` is not a JSON array, so Exit Interaction drops it",
        "From 1.0.8 on Exit Interaction sends p2 only for a non-empty array and drops anything else without a word: wrap the objects in an array.";
    SIGNAL_MISSING_FIELD = "HD916", "signal-missing-field", Error,
        "Exit Interaction's `action`, `contactId` or `spawnedContactId` is missing",
        "Exit Interaction needs `action`, `contactId` and `spawnedContactId`, required fields of the node; without `spawnedContactId` it sends no signal on a voice call.";
    SIGNAL_INVALID_BUSINESS_NUMBER = "HD917", "signal-invalid-business-number", Warning,
        "`businessNumber` is not the business unit's number (digits)",
        "Set the business unit number (Admin > Account Info), digits only; Exit Interaction sends it to CXone's transcript service as `busId`.";
    SIGNAL_ACTION_NEAR_MISS = "HD918", "signal-action-near-miss", Warning,
        "a captured signal's `p1` is close to Escalate or End (another case, or up to 2 edits away) but not exactly either",
        "Only p1 exactly `Escalate` or `End` is Exit Interaction's signal; anything else is a Signal Interaction signal with free-text parameters. If you meant the handover, send the exact word.";
    SIGNAL_LEGACY_FIELD = "HD919", "signal-legacy-field", Warning,
        "Exit Interaction's config has a field that only older versions of the node read",
        "Exit Interaction 1.0.8 and later read only `action`, `businessNumber`, `contactId`, `spawnedContactId` and `optionalParamsObject`: move what the old field carried into `optionalParamsObject`, or remove it.";
    SIP_HEADER_MISSING = "HD920", "sip-header-missing", Error,
        "`X-InContact-MasterId` or `X-InContact-ContactId` is missing",
        "The SIP backchannel script must send both. Without them Context Init leaves `contactId` or `spawnedContactId` empty on a voice call, and Exit Interaction sends no signal.";
    SIP_CONTACT_ID_INVALID = "HD921", "sip-contact-id-invalid", Error,
        "a contact id header is empty or not numeric",
        "CXone contact ids are numbers; check what the Studio script puts into the header.";
    SIP_CONTACT_ID_SENTINEL = "HD922", "sip-contact-id-sentinel", Error,
        "a contact id header holds 100000000000, the placeholder Context Init writes only for a non-voice test chat",
        "These headers did not come from a CXone call: a test harness or a copied test context filled them. Context Init copies the value into the context, and Exit Interaction sends no signal for it; run the call through the real SIP backchannel script.";
    SIP_HEADER_NOT_JSON = "HD923", "sip-header-not-json", Warning,
        "`X-CXone`, `X-CXone-Custom` or `X-CXone-Extended` does not hold valid JSON, so Context Init drops its data",
        "Context Init cannot parse it and drops its data; a bad `X-CXone` also makes it skip `X-CXone-Custom` and `X-CXone-Extended`. The contact ids still arrive. Build the header value with JSON encoding in the Studio script, not string concatenation.";
    SIP_IVA_PARAMS_INVALID = "HD924", "sip-iva-params-invalid", Warning,
        "`ivaParams` inside `X-CXone-Custom` is neither empty nor a JSON string that parses, so Context Init sets it to {}",
        "`ivaParams` is itself JSON-encoded inside the header's JSON: encode it twice. An empty string is fine.";
    SIP_ID_HEADER_NAME_CASE = "HD925", "sip-id-header-name-case", Error,
        "`X-InContact-MasterId` or `X-InContact-ContactId` is present only in another case, which Context Init does not find",
        "Context Init looks header names up exactly (case-sensitive): send the header as `X-InContact-MasterId` / `X-InContact-ContactId`, or check what rewrites its case between CXone and the bot.";
    SIP_DATA_HEADER_NAME_CASE = "HD926", "sip-data-header-name-case", Warning,
        "`X-CXone`, `X-CXone-Custom` or `X-CXone-Extended` is present only in another case, which Context Init does not read",
        "Context Init looks header names up exactly (case-sensitive), so the header's data never reaches the context: send it with the exact name.";
    SIP_HEADER_DATA_DROPPED = "HD927", "sip-header-data-dropped", Warning,
        "Context Init drops data a header carries: keys of `X-CXone-Custom` other than `ivaParams`, or a value of 7 characters or fewer",
        "Context Init keeps only `ivaParams` of X-CXone-Custom, and reads X-CXone-Custom and X-CXone-Extended only when longer than 7 characters: move other data into X-CXone or X-CXone-Extended.";
    VAH_ENVELOPE_MISSING = "HD930", "vah-envelope-missing", Error,
        "the reply has no `_cognigy._niceCXOne.json` object",
        "NICE's nodes reply in `_cognigy._niceCXOne.json` (case-sensitive) on a CXone Guide Chat channel; Virtual Agent Hub finds nothing else.";
    VAH_INVALID_ACTION = "HD931", "vah-invalid-action", Error,
        "`action` is not AGENT_TRANSFER, END_CONVERSATION or ADAPTIVE_CARD",
        "NICE's extension sends exactly these: AGENT_TRANSFER to escalate and END_CONVERSATION to end (Exit Interaction), ADAPTIVE_CARD to show a card (Adaptive Card node).";
    VAH_MISSING_DATA = "HD932", "vah-missing-data", Error,
        "the envelope has no `data` object (the Adaptive Card's may be left out)",
        "Send `data` with the intent, as Exit Interaction does: Studio reads it at customPayloadFromBot.scriptPayloads[1].";
    VAH_MISSING_INTENT = "HD933", "vah-missing-intent", Error,
        "an AGENT_TRANSFER or END_CONVERSATION reply's `data` has no non-empty `Intent`",
        "Set `data.Intent` to Escalate or End, as Exit Interaction does: Studio reads it at customPayloadFromBot.scriptPayloads[1].Intent.";
    VAH_UNKNOWN_INTENT = "HD934", "vah-unknown-intent", Warning,
        "`data.Intent` is neither Escalate nor End, the only intents NICE's Exit Interaction sends",
        "NICE's Studio template is not public, so whether it acts on another intent is unknown: send Escalate or End, or turn this rule off where your own Studio script handles the intent.";
    VAH_INTENT_ACTION_MISMATCH = "HD935", "vah-intent-action-mismatch", Warning,
        "`data.Intent` and `action` disagree: Escalate without AGENT_TRANSFER, or End without END_CONVERSATION",
        "Exit Interaction derives the action from the intent (End: END_CONVERSATION, Escalate: AGENT_TRANSFER); send the pair it sends.";
    VAH_CARD_MISSING = "HD936", "vah-card-missing", Error,
        "an ADAPTIVE_CARD reply has no Adaptive Card in `uiComponent`",
        "NICE's Adaptive Card node puts the card's type (\"AdaptiveCard\"), version, body and actions into `uiComponent` and leaves `data` empty.";
    TRANSFER_TARGET_INVALID = "HD940", "transfer-target-invalid", Error,
        "the transfer target is missing, or not an address its node or verb takes",
        "The Transfer node takes E.164 or a SIP URI; sip:refer also a phone number or user identifier; dial an array of {type: phone|sip|user|teams} with number, sipUri or name.";
    TRANSFER_HEADER_FORMAT = "HD941", "transfer-header-format", Error,
        "headers in a form neither the node nor the verb takes: a verb's `headers` not an object, or entries not {name, value}",
        "The verbs and the Transfer node since 2025 take an object {\"X-Name\": \"value\"}; the node before, and the deprecated Generic and AudioCodes nodes, [{\"name\", \"value\"}].";
    TRANSFER_HEADER_NOT_X = "HD942", "transfer-header-not-x", Warning,
        "a header for CXone does not start with `X-`",
        "CXone Studio reads only headers that start with X- (on the initial INVITE, with the trunk setting on): rename it X-...";
    TRANSFER_UUI_LONG = "HD943", "transfer-uui-long", Warning,
        "`User-to-User` is longer than 128 characters, Genesys Cloud's recommended maximum",
        "Genesys Cloud recommends at most 128 characters of UUI, as some systems discard longer data: send an id and look the data up.";
    TRANSFER_UUI_TOO_LONG = "HD944", "transfer-uui-too-long", Warning,
        "`User-to-User` is longer than 256 bytes, Talkdesk's maximum",
        "Talkdesk caps UUI data at 256 bytes; no CXone source sets a limit. Send an id instead when the call can reach such a system.";
    TRANSFER_HEADER_TOO_LONG = "HD945", "transfer-header-too-long", Warning,
        "one header line is longer than 1024 bytes",
        "Many SIP parsers and middleboxes assume header lines of at most 1024 bytes: shorten the value.";
    TRANSFER_HEADERS_TOO_LARGE = "HD946", "transfer-headers-too-large", Warning,
        "all custom headers of one SIP message together are larger than 4000 bytes, Asterisk/PJSIP's packet buffer",
        "Asterisk's PJSIP stack holds a whole packet in 4000 bytes (pjproject PJSIP_MAX_PKT_LEN, asterisk#956); no CXone source sets a limit. Send less when the call can cross such a stack.";
    TRANSFER_HEADER_NOT_STRING = "HD947", "transfer-header-not-string", Error,
        "a header name or value is not a string",
        "SIP headers are text: send every name and value as a string.";
    TRANSFER_TOO_MANY_TARGETS = "HD948", "transfer-too-many-targets", Warning,
        "a `dial` verb lists more than 10 targets",
        "Voice Gateway dials up to 10 destinations at once and drops the rest: list at most 10.";
    TRANSFER_CALLER_ID_INVALID = "HD949", "transfer-caller-id-invalid", Error,
        "a `dial` verb's `callerId` is not an E.164 number",
        "Cognigy's dial verb: \"The caller ID must be a valid E.164 number.\" Send `+`, country code and number.";
    TRANSFER_REFERRED_BY_INVALID = "HD950", "transfer-referred-by-invalid", Error,
        "`referredBy` or `transferReferredByURL` is not a SIP URI, a phone number or a user identifier",
        "Referred-By takes a SIP URI such as sip:bot@example.com, or a number or user that Voice Gateway completes with the carrier's domain.";
    TRANSFER_HEADER_MALFORMED = "HD951", "transfer-header-malformed", Error,
        "a header name is not a SIP token, or a value holds a line break",
        "RFC 3261: a header name is a token (letters, digits, -.!%*_+`'~), and a line break ends the header: fix the name, put the value on one line.";
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
