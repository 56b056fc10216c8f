//! What can go wrong when calling an API.

use crate::validate::ValidationErrors;
use std::fmt;

/// How many bytes of a response body errors keep, so a huge HTML page cannot flood a log.
pub(crate) const SNIPPET_BYTES: usize = 1024;

/// Every way a call can fail. `E` is the API's error body type (the generated crate fixes it).
///
/// No variant ever holds the access token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The client was built with settings that cannot work (a missing token, a bad base URL).
    #[error("the client is misconfigured: {0}")]
    Config(String),
    /// The request breaks a rule of the API's spec; nothing was sent.
    #[error("the request is invalid and was not sent: {0}")]
    Validation(ValidationErrors),
    /// No response arrived within the timeout.
    #[error("the request timed out")]
    Timeout,
    /// The request could not be sent or the response not read (DNS, connect, TLS, reset).
    #[error("the request failed in transit: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered, but its body does not match the spec.
    #[error("HTTP {status}: the response body could not be decoded: {message}; it starts with {snippet:?}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// What the decoder said, with the line and column in the body.
        message: String,
        /// The first 1 KiB of the body.
        snippet: String,
    },
    /// The API answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError<E>>),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            Error::Api(api) => Some(api.status),
            _ => None,
        }
    }

    /// The request id the API gave this request, when it answered with an error.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            _ => None,
        }
    }
}

/// An error status from the API, with the body it sent.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The HTTP status code.
    pub status: u16,
    /// The request id, from the `X-Request-Id` header or else from the body.
    pub request_id: Option<String>,
    /// The error body, when it matched the spec's error schema.
    pub body: Option<E>,
    /// The first 1 KiB of the body as received.
    pub snippet: String,
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered HTTP {}", self.status)?;
        if let Some(reason) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if !self.snippet.is_empty() {
            write!(f, ": {}", self.snippet)?;
        }
        Ok(())
    }
}

/// What the runtime needs to know about an API's error body.
pub trait ErrorBody {
    /// The request id the body carries, if any.
    fn request_id(&self) -> Option<&str>;
}

impl ErrorBody for serde_json::Value {
    fn request_id(&self) -> Option<&str> {
        self.get("request_id").and_then(serde_json::Value::as_str)
    }
}

/// The first [`SNIPPET_BYTES`] of `body` as text, cut at a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]);
    let mut text = text.into_owned();
    // A cut in the middle of a multi-byte character decodes as U+FFFD; drop it.
    if body.len() > SNIPPET_BYTES && text.ends_with('\u{FFFD}') {
        text.pop();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_valid_text() {
        let long = "é".repeat(2000);
        let cut = snippet(long.as_bytes());
        assert!(cut.len() <= SNIPPET_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
        assert_eq!(snippet(b"{}"), "{}");
    }

    #[test]
    fn api_errors_say_status_reason_and_request_id() {
        let error: Error = Error::Api(Box::new(ApiError {
            status: 404,
            request_id: Some("req-1".into()),
            body: None,
            snippet: "{\"type\":\"error.list\"}".into(),
        }));
        assert_eq!(
            error.to_string(),
            "the API answered HTTP 404 Not Found (request id req-1): {\"type\":\"error.list\"}"
        );
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.request_id(), Some("req-1"));
    }
}
