//! The settings every generated client has, whatever its API, and the builder methods that set
//! them: written once here, not once per generated crate.
//!
//! A generated `ClientBuilder` holds a [`Settings`] in a field called `settings`, expands
//! [`client_settings!`] among its methods (`base_url`, `timeout`, `retry`, `user_agent`,
//! `http_client`, `clock`), and adds only what its spec says: the servers (a `region`), the
//! security schemes (`token`, `api_key`, ...) and the headers the spec gives defaults for. Its
//! `build` ends in [`Settings::build`].

use crate::error::Error;
use crate::http::HttpClient;
use crate::retry::{Clock, RetryPolicy};
use crate::secret::Credential;
use std::sync::Arc;
use std::time::Duration;

/// Everything an [`HttpClient`] needs; [`Settings::build`] fills it in.
#[derive(Debug)]
pub struct ClientConfig {
    /// The base URL every path is appended to, e.g. `https://api.intercom.io`.
    pub base_url: String,
    /// The credentials, by the name of their security scheme in the spec.
    pub credentials: Vec<(String, Credential)>,
    /// The API's security requirement (its top-level `security`): alternatives, each the
    /// schemes it needs together; `None` when the spec declares none (every credential set is
    /// then sent). An operation with its own requirement overrides it.
    pub security: Option<Vec<Vec<String>>>,
    /// Headers sent with every request, e.g. the API version.
    pub headers: Vec<(String, String)>,
    /// How long one attempt may take, from connecting to the end of the response body.
    pub timeout: Duration,
    /// When and how to retry.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// A `reqwest::Client` to use instead of a new one (its own settings still apply;
    /// `timeout` above is applied per request).
    pub http_client: Option<reqwest::Client>,
    /// The clock the retries read and sleep on; the system clock when `None`.
    pub clock: Option<Arc<dyn Clock>>,
    /// The largest response body a call reads into memory, in bytes
    /// ([`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES) by default).
    pub max_response_bytes: u64,
}

/// The settings every client has: base URL, credential, timeout, retry policy, user agent,
/// HTTP client and clock, each with its default until a builder method sets it.
#[derive(Debug)]
pub struct Settings {
    base_url: Option<String>,
    credentials: Vec<(String, Credential)>,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    clock: Option<Arc<dyn Clock>>,
    max_response_bytes: u64,
}

/// What a generated builder adds to its [`Settings`] when it builds the client.
#[derive(Debug)]
pub struct Spec<'a> {
    /// The base URL of the server the builder chose (its region), used unless one was set;
    /// `None` when the spec names no server, so a base URL must be set.
    pub server: Option<&'a str>,
    /// The builder method that sets the credential, when the API requires one: building
    /// without a credential then fails, naming it.
    pub required_credential: Option<&'a str>,
    /// The API's security requirement, as [`ClientConfig::security`] (scheme names).
    pub security: Option<&'a [&'a [&'a str]]>,
    /// Headers sent with every request (those the spec gives defaults for).
    pub headers: Vec<(String, String)>,
}

impl Settings {
    /// The defaults: no base URL or credential yet, 30 seconds per attempt, the default
    /// [`RetryPolicy`], `user_agent` (a generated crate passes `<crate name>/<crate version>`),
    /// a new `reqwest::Client` and the system clock.
    pub fn new(user_agent: &str) -> Self {
        Settings {
            base_url: None,
            credentials: Vec::new(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: user_agent.to_owned(),
            http_client: None,
            clock: None,
            max_response_bytes: crate::limit::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sends requests to `url` instead of the spec's server.
    pub fn set_base_url(&mut self, url: String) {
        self.base_url = Some(url);
    }

    /// The credential of security scheme `scheme` (its name in the spec), replacing any
    /// earlier one.
    pub fn set_credential(&mut self, scheme: &str, credential: Credential) {
        self.credentials.retain(|(name, _)| name != scheme);
        self.credentials.push((scheme.to_owned(), credential));
    }

    /// How long one attempt may take.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// When to retry and how long to wait.
    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// The `User-Agent` header.
    pub fn set_user_agent(&mut self, value: String) {
        self.user_agent = value;
    }

    /// The `reqwest::Client` to send through.
    pub fn set_http_client(&mut self, client: reqwest::Client) {
        self.http_client = Some(client);
    }

    /// The clock retries read and wait on.
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = Some(clock);
    }

    /// The largest response body a call reads into memory, in bytes.
    pub fn set_max_response_size(&mut self, bytes: u64) {
        self.max_response_bytes = bytes;
    }

    /// Checks the settings with what the spec adds and builds the HTTP client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a required credential or the base URL is missing, or a setting
    /// is unusable (an empty token, a base URL that is not http(s), a header value that
    /// cannot be sent).
    pub fn build<E>(self, spec: Spec<'_>) -> Result<HttpClient, Error<E>> {
        if let (Some(setter), true) = (spec.required_credential, self.credentials.is_empty()) {
            return Err(Error::Config(format!(
                "no credentials: call `.{setter}(..)` on the builder"
            )));
        }
        let base_url = match (self.base_url, spec.server) {
            (Some(url), _) => url,
            (None, Some(server)) => server.to_owned(),
            (None, None) => {
                return Err(Error::Config(
                    "no base URL: call `.base_url(..)` on the builder".to_owned(),
                ))
            }
        };
        HttpClient::new(ClientConfig {
            base_url,
            credentials: self.credentials,
            security: spec.security.map(|alternatives| {
                alternatives
                    .iter()
                    .map(|schemes| schemes.iter().map(|s| (*s).to_owned()).collect())
                    .collect()
            }),
            headers: spec.headers,
            timeout: self.timeout,
            retry: self.retry,
            user_agent: self.user_agent,
            http_client: self.http_client,
            clock: self.clock,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// The builder methods for the [`Settings`] every client has, expanded inside a generated
/// `impl ClientBuilder` whose `settings` field holds them. Their documentation is written here,
/// once for every generated crate.
#[macro_export]
macro_rules! client_settings {
    () => {
        /// Sends requests to this base URL instead of the spec's server (a proxy, a test
        /// server).
        pub fn base_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.settings.set_base_url(url.into());
            self
        }

        /// How long each attempt of a request may take, from connecting to the end of the
        /// response, before it fails with `Error::Timeout`; 30 seconds unless set here. A
        /// call can override it with `.timeout(..)`.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.settings.set_timeout(timeout);
            self
        }

        /// When to retry a failed request and how long to wait; `RetryPolicy::default()`
        /// (3 attempts, exponential backoff with full jitter) unless set here, and
        /// `RetryPolicy::never()` turns retries off. A call can override it with
        /// `.retry(..)`.
        ///
        /// Whatever the policy, a request that may change something on the server (`POST`,
        /// `PATCH`) is only retried when the server cannot have acted on it: the connection
        /// was never established, or it answered 429 Too Many Requests.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.settings.set_retry(policy);
            self
        }

        /// The `User-Agent` header; `<crate name>/<crate version>` unless set here.
        pub fn user_agent(
            mut self,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.settings.set_user_agent(value.into());
            self
        }

        /// Sends requests through this `reqwest::Client` (to share a connection pool or set
        /// a proxy) instead of a new one.
        pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.settings.set_http_client(client);
            self
        }

        /// The clock retries read (`Retry-After` dates, `X-RateLimit-Reset`) and wait on; the
        /// system clock and tokio's timer unless set here. Tests set one that records waits
        /// instead of sleeping.
        pub fn clock(mut self, clock: ::std::sync::Arc<dyn $crate::Clock>) -> Self {
            self.settings.set_clock(clock);
            self
        }

        /// The largest response body a call reads into memory, in bytes: 32 MiB
        /// (`DEFAULT_MAX_RESPONSE_BYTES`) unless set here. A larger body fails the call with
        /// `Error::ResponseTooLarge` before it is read whole (at once when its
        /// `Content-Length` says so), so memory stays bounded whatever the server sends. A
        /// call can override it with `.max_response_size(..)`; streamed bodies have no limit.
        pub fn max_response_size(mut self, bytes: u64) -> Self {
            self.settings.set_max_response_size(bytes);
            self
        }
    };
}
