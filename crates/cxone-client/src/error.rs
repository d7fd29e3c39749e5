//! Every failure names the operation, the endpoint (never a secret), the HTTP status and the server's
//! reason, so that a diagnosis can map it to a cause.

use std::time::Duration;

/// Why a request never got an HTTP answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreachable {
    Dns,
    Connect,
    Tls,
    Timeout,
    Other,
}

impl Unreachable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unreachable::Dns => "DNS lookup failed",
            Unreachable::Connect => "connection failed",
            Unreachable::Tls => "TLS handshake failed",
            Unreachable::Timeout => "timed out",
            Unreachable::Other => "request failed",
        }
    }
}

#[derive(thiserror::Error, Debug)]
pub enum ClientError {
    /// The server answered with an error status (after retries, where the status is retryable).
    #[error("{operation}: {endpoint} answered HTTP {status}{}{}", reason_suffix(reason), attempts_suffix(*attempts))]
    Status {
        operation: &'static str,
        endpoint: String,
        status: u16,
        /// The server's own words: the `icStatusDescription` header, `error_description`, or the body.
        reason: String,
        attempts: u32,
    },

    #[error("{operation}: cannot reach {host} ({}): {message}", kind.as_str())]
    Unreachable {
        operation: &'static str,
        endpoint: String,
        host: String,
        kind: Unreachable,
        message: String,
        attempts: u32,
    },

    /// A call that may have created something (a contact, a signal) got no answer that can be
    /// trusted; it was not sent again, because a second one might create a second contact.
    #[error(
        "{operation}: the answer from {endpoint} was lost ({what}); the request may have reached the tenant, so it was not sent again"
    )]
    AnswerLost {
        operation: &'static str,
        endpoint: String,
        /// What came back instead: `HTTP 504`, `no answer in time`, ...
        what: String,
    },

    /// A response that cannot be understood.
    #[error(
        "{operation}: {endpoint} sent a response that cannot be understood: expected {expected}; got: {excerpt}"
    )]
    Unexpected {
        operation: &'static str,
        endpoint: String,
        expected: String,
        excerpt: String,
    },

    #[error("discovery: cannot find the tenant's API host: {0}")]
    Discovery(String),

    #[error(
        "refusing plain http:// to {host}: credentials would cross the network unencrypted (use https, or --allow-insecure-http)"
    )]
    InsecureHttp { host: String },

    #[error("{0}")]
    Config(String),
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}

fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn operation(&self) -> Option<&'static str> {
        match self {
            ClientError::Status { operation, .. }
            | ClientError::Unreachable { operation, .. }
            | ClientError::AnswerLost { operation, .. }
            | ClientError::Unexpected { operation, .. } => Some(operation),
            _ => None,
        }
    }

    /// The server's reason, when it gave one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ClientError::Status { reason, .. } if !reason.is_empty() => Some(reason),
            _ => None,
        }
    }
}

/// Cuts a response body to a length fit for an error message, on a character boundary.
pub fn excerpt(body: &str) -> String {
    const MAX: usize = 200;
    let body = body.trim();
    if body.len() <= MAX {
        return body.to_string();
    }
    let mut end = MAX;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &body[..end])
}

/// How long to wait before the next attempt, from a `Retry-After` header: seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(0))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("soon", SystemTime::now()), None);
    }

    #[test]
    fn messages_name_operation_endpoint_status_and_reason() {
        let e = ClientError::Status {
            operation: "get skill",
            endpoint: "GET https://api.example/inContactAPI/services/v30.0/skills/42".into(),
            status: 404,
            reason: "InvalidSkillId".into(),
            attempts: 1,
        };
        assert_eq!(
            e.to_string(),
            "get skill: GET https://api.example/inContactAPI/services/v30.0/skills/42 answered HTTP 404: InvalidSkillId"
        );
        assert_eq!(excerpt(&"é".repeat(300)).chars().count(), 101);
    }
}
