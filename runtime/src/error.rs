//! What can go wrong when calling an API.

use crate::response::{RateLimit, ResponseMeta};
use crate::validate::ValidationErrors;
use reqwest::header::HeaderMap;
use std::fmt;
use std::time::Duration;

/// How many bytes of a response body errors keep, so a huge HTML page cannot flood a log.
pub(crate) const SNIPPET_BYTES: usize = 1024;

/// Every way a call can fail. `E` is the API's error body type (the generated crate fixes it).
///
/// Error statuses each have a variant, so a caller can `match` on what happened; every one of
/// them holds the same [`ApiError`] (status, request id, decoded body, headers, body snippet).
/// No variant ever holds the access token or the request body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The client or call was set up with settings that cannot work (a missing token, a bad
    /// base URL, a header value a header cannot carry). Nothing was sent.
    #[error("the client is misconfigured: {0}")]
    Config(String),
    /// No credential could be obtained for the call: the token callback or the OAuth 2 token
    /// endpoint failed (the message says which, and why; it never quotes a secret). Nothing was
    /// sent to the API.
    #[error("no credential for the call: {0}")]
    Credential(String),
    /// The request breaks a rule of the API's spec. Nothing was sent.
    #[error("the request is invalid and was not sent: {0}")]
    Validation(ValidationErrors),
    /// No complete response arrived within the timeout. The server may have acted on the
    /// request.
    #[error("no response within {after:?}; the server may still have acted on the request")]
    Timeout {
        /// The timeout that ran out.
        after: Duration,
    },
    /// No connection could be established (DNS, refused, TLS handshake). The server never saw
    /// the request.
    #[error("could not connect: {0}")]
    Connect(#[source] reqwest::Error),
    /// The connection failed after the request may have been sent (reset, broken body).
    #[error("the request failed in transit: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered, but its body does not match the spec.
    #[error("HTTP {status}: the response body could not be decoded{}: {message}; it starts with {snippet:?}", at(path))]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The JSON pointer of the value that failed to decode (`""` is the whole body),
        /// when the body is JSON at all.
        path: Option<String>,
        /// What the decoder said.
        message: String,
        /// The first 1 KiB of the body.
        snippet: String,
        /// The request id the server gave the response.
        request_id: Option<String>,
    },
    /// The response body is larger than the call's size limit (32 MiB unless the client or
    /// the call sets another: `max_response_size`). It was refused before it was read whole:
    /// at once when its `Content-Length` says so, else at the first chunk that passes the
    /// limit. The server may have acted on the request.
    #[error("HTTP {status}: the response body is larger than the limit of {limit} bytes{}; raise it with `max_response_size(..)` on the call or the client builder", declared_length(declared))]
    ResponseTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// The length the response declared (`Content-Length`), if it did.
        declared: Option<u64>,
        /// The request id the server gave the response.
        request_id: Option<String>,
    },
    /// 400: the body is malformed or a parameter is missing.
    #[error("{0}")]
    BadRequest(Box<ApiError<E>>),
    /// 401: the credentials are missing, invalid or revoked.
    #[error("{0}")]
    Unauthorized(Box<ApiError<E>>),
    /// 403: the request is not allowed.
    #[error("{0}")]
    Forbidden(Box<ApiError<E>>),
    /// 404: a resource the request names does not exist. Some APIs answer 404 for resources
    /// created moments ago (Intercom does for new contacts): see the operation's docs.
    #[error("{0}")]
    NotFound(Box<ApiError<E>>),
    /// 422: the request is well formed but cannot be processed.
    #[error("{0}")]
    UnprocessableEntity(Box<ApiError<E>>),
    /// 429: the rate limit is exceeded; the retries (if any) have run out or the server asked
    /// for a longer wait than the retry policy allows.
    #[error("{error}{}", retry_hint(retry_after))]
    RateLimited {
        /// How long the server asked to wait (`Retry-After`, else `X-RateLimit-Reset`).
        retry_after: Option<Duration>,
        /// The response.
        error: Box<ApiError<E>>,
    },
    /// 5xx: the server failed. It may have acted on the request before failing.
    #[error("{0}")]
    Server(Box<ApiError<E>>),
    /// Any other error status (e.g. 408, 409, 3xx that was not followed).
    #[error("{0}")]
    Api(Box<ApiError<E>>),
}

fn at(path: &Option<String>) -> String {
    match path.as_deref() {
        Some("") => " at the top level".to_owned(),
        Some(path) => format!(" at {path}"),
        None => String::new(),
    }
}

fn declared_length(declared: &Option<u64>) -> String {
    match declared {
        Some(length) => format!(" (it declared {length} bytes)"),
        None => String::new(),
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" (retry after {}s)", wait.as_secs()),
        None => String::new(),
    }
}

impl<E> Error<E> {
    /// Sorts an error status into its variant.
    pub(crate) fn from_status(error: ApiError<E>, retry_after: Option<Duration>) -> Self {
        let error = Box::new(error);
        match error.meta.status {
            400 => Error::BadRequest(error),
            401 => Error::Unauthorized(error),
            403 => Error::Forbidden(error),
            404 => Error::NotFound(error),
            422 => Error::UnprocessableEntity(error),
            429 => Error::RateLimited { retry_after, error },
            500..=599 => Error::Server(error),
            _ => Error::Api(error),
        }
    }

    /// The error response, for every variant that is an error status.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimited { error: e, .. }
            | Error::Server(e)
            | Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => self.api_error().map(|e| e.meta.status),
        }
    }

    /// The request id the server gave this request, when it answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } | Error::ResponseTooLarge { request_id, .. } => {
                request_id.as_deref()
            }
            _ => self.api_error()?.meta.request_id.as_deref(),
        }
    }

    /// The decoded error body, when the server sent one that matches the spec.
    pub fn body(&self) -> Option<&E> {
        self.api_error()?.body.as_ref()
    }

    /// The rate-limit headers of the error response.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        Some(&self.api_error()?.meta.rate_limit)
    }

    /// Whether the failure is transient, so the same request may succeed later: a connection
    /// that could not be made, a timeout, a broken connection, 408, 429 or a 5xx.
    ///
    /// This says nothing about whether retrying is *safe*: after a timeout, a broken
    /// connection or a 5xx, a `POST` may already have taken effect, and sending it again may
    /// repeat it. The client's automatic retries take that into account; see `RetryPolicy`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect(_)
            | Error::Timeout { .. }
            | Error::Transport(_)
            | Error::RateLimited { .. }
            | Error::Server(_) => true,
            Error::Api(e) => e.meta.status == 408,
            _ => false,
        }
    }
}

/// An error status from the API, with what it sent.
pub struct ApiError<E> {
    /// Status, request id (from `X-Request-Id`, else from the body), rate limit, headers.
    pub meta: ResponseMeta,
    /// The error body, when it matched the spec's error schema.
    pub body: Option<E>,
    /// The first 1 KiB of the body as received.
    pub snippet: String,
}

impl<E> ApiError<E> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The request id, from the `X-Request-Id` header or else from the body.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The headers are left out: they are long, and `meta` is one field away for those who
        // need them.
        f.debug_struct("ApiError")
            .field("status", &self.meta.status)
            .field("request_id", &self.meta.request_id)
            .field("rate_limit", &self.meta.rate_limit)
            .field("body", &self.body)
            .field("snippet", &self.snippet)
            .finish_non_exhaustive()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.meta.status;
        write!(f, "the API answered HTTP {status}")?;
        if let Some(reason) = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if let Some(id) = &self.meta.request_id {
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

    fn api_error(status: u16) -> ApiError<serde_json::Value> {
        let mut meta = ResponseMeta::new(status, HeaderMap::new());
        meta.request_id = Some("req-1".into());
        ApiError {
            meta,
            body: None,
            snippet: "{\"type\":\"error.list\"}".into(),
        }
    }

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
        let error: Error = Error::from_status(api_error(404), None);
        assert!(matches!(error, Error::NotFound(_)));
        assert_eq!(
            error.to_string(),
            "the API answered HTTP 404 Not Found (request id req-1): {\"type\":\"error.list\"}"
        );
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.request_id(), Some("req-1"));
        assert!(!error.is_retryable());
    }

    #[test]
    fn statuses_sort_into_variants() {
        let kind = |status| {
            let error: Error = Error::from_status(api_error(status), None);
            (
                format!("{error:?}")
                    .split('(')
                    .next()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_owned(),
                error.is_retryable(),
            )
        };
        let cases = [
            (400, "BadRequest", false),
            (401, "Unauthorized", false),
            (403, "Forbidden", false),
            (404, "NotFound", false),
            (408, "Api", true),
            (409, "Api", false),
            (422, "UnprocessableEntity", false),
            (429, "RateLimited", true),
            (500, "Server", true),
            (503, "Server", true),
            (302, "Api", false),
        ];
        for (status, variant, retryable) in cases {
            assert_eq!(kind(status), (variant.to_owned(), retryable), "{status}");
        }
        let limited: Error = Error::from_status(api_error(429), Some(Duration::from_secs(3)));
        assert!(
            limited.to_string().ends_with("(retry after 3s)"),
            "{limited}"
        );
    }
}
