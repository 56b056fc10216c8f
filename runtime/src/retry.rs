//! When to try a request again, and how long to wait first.
//!
//! The rule that matters most: a request that may change something on the server (`POST`,
//! `PATCH`) is only retried when the server cannot have acted on it — the connection was never
//! established, or the server said `429 Too Many Requests`. A `500` or a timeout after the
//! request went out may mean the message was sent; retrying could send it twice.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Method;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// How many times to try a request and how long to wait between tries.
///
/// The wait before retry `n` (1-based) is a random duration between zero and
/// `min(max_delay, base_delay × 2ⁿ⁻¹)` ("full jitter", so that many clients hitting the same
/// failure do not retry in lockstep), unless the server said how long to wait with
/// `Retry-After` or `X-RateLimit-Reset`: then exactly that long, up to `max_retry_after`. A
/// server asking for a longer wait gets no retry: the error reaches the caller, who can decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 500 ms base delay, 8 s cap, waits of up to 60 s when the server asks.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every request is tried once.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// How many times a request is tried in all, the first try included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff's first ceiling; it doubles with every retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The backoff's largest ceiling.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest server-requested wait (`Retry-After`, `X-RateLimit-Reset`) that is honoured
    /// by waiting; a longer one ends the retries and returns the error.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// How many times a request is tried in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry `retry` (1 for the first retry): uniformly random in
    /// `[0, min(max_delay, base_delay × 2^(retry-1))]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// Whether a server-requested wait is short enough to wait for.
    pub(crate) fn honours(&self, wait: Duration) -> bool {
        wait <= self.max_retry_after
    }
}

/// Whether `method` may be retried after the server might have acted on it: RFC 9110's
/// idempotent methods. `POST` and `PATCH` are not.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The time source and the sleep the retry loop uses. The default is the system clock and
/// tokio's timer; tests inject one that records the waits instead of sleeping.
pub trait Clock: fmt::Debug + Send + Sync {
    /// The current wall-clock time (to read `Retry-After` dates and `X-RateLimit-Reset`).
    fn now(&self) -> SystemTime;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The system clock and tokio's timer (reqwest runs on tokio, so a runtime is always there).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// How long the server asked us to wait: `Retry-After` (delay in seconds, or an HTTP date),
/// else `X-RateLimit-Reset` (a Unix time in seconds). `None` when neither says.
pub(crate) fn requested_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = header(RETRY_AFTER.as_str()) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return Some(date.duration_since(now).unwrap_or_default());
        }
    }
    let reset = header("x-ratelimit-reset")?.parse::<u64>().ok()?;
    let reset = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(reset.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(40) <= Duration::from_millis(350));
        }
        // Jitter: 200 draws under a 350 ms ceiling are not all equal.
        let draws: std::collections::BTreeSet<_> = (0..200).map(|_| policy.backoff(3)).collect();
        assert!(draws.len() > 100);
    }

    #[test]
    fn retry_after_in_seconds_as_a_date_and_rate_limit_reset() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            requested_wait(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            requested_wait(&headers(&[("retry-after", &date)]), now),
            Some(Duration::from_secs(30))
        );
        // A date in the past means "now".
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            requested_wait(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            requested_wait(&headers(&[("x-ratelimit-reset", "1700000005")]), now),
            Some(Duration::from_secs(5))
        );
        // Retry-After wins over the reset time; garbage in either is ignored.
        assert_eq!(
            requested_wait(
                &headers(&[("retry-after", "2"), ("x-ratelimit-reset", "1700000005")]),
                now
            ),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            requested_wait(&headers(&[("retry-after", "soon")]), now),
            None
        );
        assert_eq!(
            requested_wait(&headers(&[("x-ratelimit-reset", "-1")]), now),
            None
        );
        assert_eq!(requested_wait(&HeaderMap::new(), now), None);
    }

    #[test]
    fn only_rfc_9110_idempotent_methods_are_idempotent() {
        for m in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(is_idempotent(&m), "{m}");
        }
        for m in [Method::POST, Method::PATCH] {
            assert!(!is_idempotent(&m), "{m}");
        }
    }

    #[test]
    fn policies_always_try_at_least_once() {
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }
}
