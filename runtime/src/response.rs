//! What a response says besides its body: status, request id, rate limit, headers.

use reqwest::header::{HeaderMap, HeaderName};
use std::time::{Duration, SystemTime};

/// The rate-limit headers of a response (`X-RateLimit-Limit`, `-Remaining`, `-Reset`); each is
/// `None` when absent or unreadable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests the window allows.
    pub limit: Option<u64>,
    /// How many are left in the current window.
    pub remaining: Option<u64>,
    /// When the window resets (the header is a Unix time in seconds).
    pub reset: Option<SystemTime>,
}

// Names parsed at compile time: a lookup by `&str` parses the name on every response.
const X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl RateLimit {
    /// Reads the rate-limit headers.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        RateLimit {
            limit: number(X_RATELIMIT_LIMIT),
            remaining: number(X_RATELIMIT_REMAINING),
            reset: number(X_RATELIMIT_RESET)
                .and_then(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s))),
        }
    }
}

/// Everything about an answer from the server except its body.
#[derive(Clone, Debug)]
pub struct ResponseMeta {
    /// The HTTP status code.
    pub status: u16,
    /// The request id, from the `X-Request-Id` header (or, for errors, from the body).
    pub request_id: Option<String>,
    /// The rate-limit headers.
    pub rate_limit: RateLimit,
    /// Every response header. Responses carry no credentials, so they are kept whole.
    pub headers: HeaderMap,
}

impl ResponseMeta {
    pub(crate) fn new(status: u16, headers: HeaderMap) -> Self {
        let request_id = headers
            .get(X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ResponseMeta {
            status,
            request_id,
            rate_limit: RateLimit::from_headers(&headers),
            headers,
        }
    }
}

/// A successful response: the decoded body and what came with it. Returned by
/// `Call::send_with_meta`; awaiting a call directly returns the body alone.
#[derive(Clone, Debug)]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// Status, request id, rate limit and headers.
    pub meta: ResponseMeta,
}

impl<T> Response<T> {
    /// The decoded body, dropping the rest.
    pub fn into_value(self) -> T {
        self.value
    }
}
