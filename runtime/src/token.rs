//! Credentials obtained while the client runs: a token from the caller's callback for each call,
//! or an OAuth 2 access token from the client-credentials grant (RFC 6749 §4.4), cached and
//! fetched again before it expires.

use crate::retry::Clock;
use crate::secret::Secret;
use reqwest::header::ACCEPT;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

type Fetching<'a> = Pin<Box<dyn Future<Output = Result<Secret, String>> + Send + 'a>>;

/// What a token source may use to fetch a token: the client's HTTP connection pool, clock,
/// timeout and base URL.
pub(crate) struct FetchContext<'a> {
    pub(crate) client: &'a reqwest::Client,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) timeout: Duration,
    pub(crate) base_url: &'a str,
}

trait Fetch: Send + Sync {
    /// A token for the next call, or why there is none (never quoting a secret).
    fn fetch<'a>(&'a self, cx: FetchContext<'a>) -> Fetching<'a>;

    /// The server refused `token` (401): a cached one is dropped, so the next fetch gets a new
    /// one. Whether there was one to drop.
    fn invalidate(&self, _token: &Secret) -> bool {
        false
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// Where a credential goes on a request; what [`Credential::Dynamic`](crate::Credential::Dynamic)
/// does with the token its source gives.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Placement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// A request header of this name.
    Header(String),
    /// A query parameter of this name.
    Query(String),
    /// A cookie of this name.
    Cookie(String),
}

/// Where a credential that changes comes from, asked once per call (and once more when the
/// server answers 401 to a token that can be fetched again): a callback of the caller's
/// ([`callback`](TokenSource::callback)), or OAuth 2's client-credentials grant
/// ([`client_credentials`](TokenSource::client_credentials)). Cheap to clone; clones share the
/// cache. Its `Debug` never shows a token or a secret.
///
/// A generated client's builder takes one through `token_with(..)` (or `<scheme>_with(..)`),
/// and builds the OAuth 2 one itself from the spec's token URL and scopes in
/// `client_credentials(..)`.
///
/// A source that fails makes the call fail with [`Error::Credential`](crate::Error::Credential),
/// before anything is sent to the API.
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<dyn Fetch>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSource(")?;
        self.inner.describe(f)?;
        f.write_str(")")
    }
}

impl PartialEq for TokenSource {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for TokenSource {}

impl TokenSource {
    /// A token from `callback`, called once per call: it can read a rotating secret, ask a
    /// vault, or refresh a token its own way. An `Err` fails the call (its message is kept;
    /// make sure it holds no secret).
    ///
    /// ```no_run
    /// # use clientgen_runtime as runtime; // generated crates name it `runtime`
    /// let source = runtime::TokenSource::callback(|| async {
    ///     std::fs::read_to_string("/run/secrets/api-token").map(|t| t.trim().to_owned())
    /// });
    /// ```
    pub fn callback<F, Fut, E>(callback: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, E>> + Send + 'static,
        E: fmt::Display + 'static,
    {
        TokenSource {
            inner: Arc::new(Callback(callback)),
        }
    }

    /// OAuth 2 access tokens from the client-credentials grant, cached and fetched again before
    /// they expire (see [`ClientCredentials`]).
    pub fn client_credentials(config: ClientCredentials) -> Self {
        TokenSource {
            inner: Arc::new(OAuth2 {
                config,
                cached: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    pub(crate) async fn fetch(&self, cx: FetchContext<'_>) -> Result<Secret, String> {
        self.inner.fetch(cx).await
    }

    pub(crate) fn invalidate(&self, token: &Secret) -> bool {
        self.inner.invalidate(token)
    }
}

struct Callback<F>(F);

impl<F, Fut, E> Fetch for Callback<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: fmt::Display + 'static,
{
    fn fetch<'a>(&'a self, _cx: FetchContext<'a>) -> Fetching<'a> {
        let token = (self.0)();
        Box::pin(async move {
            token
                .await
                .map(Secret::new)
                .map_err(|err| format!("the token callback failed: {err}"))
        })
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("callback")
    }
}

/// The OAuth 2 client-credentials grant (RFC 6749 §4.4): the client's own id and secret traded
/// at the token endpoint for an access token, sent as `Authorization: Bearer`.
///
/// - The token is cached and shared by every call (and every clone of the client); concurrent
///   calls wait for one request to the endpoint.
/// - It is fetched again before it expires: `refresh_before` its `expires_in` runs out (60
///   seconds unless set), or halfway through a lifetime shorter than twice that. A token
///   without `expires_in` is kept until the API refuses it.
/// - A call the API answers with 401 drops the cached token and is sent once more with a new
///   one (a token revoked early).
/// - The client authenticates with HTTP Basic (`client_secret_basic`, the method every server
///   must support), or in the form body with [`credentials_in_body`](Self::credentials_in_body).
/// - An endpoint that fails (an error status, an answer without `access_token`, a
///   `token_type` other than `Bearer`) fails the call with `Error::Credential`, quoting the
///   endpoint's `error` and `error_description`, never a secret.
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// use runtime::{ClientCredentials, TokenSource};
///
/// let source = TokenSource::client_credentials(
///     ClientCredentials::new("https://auth.example.com/oauth/token", "my-client-id", "my-secret")
///         .scopes(["read", "write"]),
/// );
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    in_body: bool,
    refresh_before: Duration,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// The grant at `token_url` (absolute, or relative to the client's base URL as RFC 3986
    /// resolves it: `/oauth/token` from the host, `oauth/token` below the base URL) for the client
    /// `client_id` with `client_secret`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scopes: Vec::new(),
            in_body: false,
            refresh_before: Duration::from_secs(60),
        }
    }

    /// The scopes to ask for (`scope`, space-separated); none by default.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sends the client id and secret in the form body (`client_secret_post`) instead of HTTP
    /// Basic, for servers that want it there.
    pub fn credentials_in_body(mut self) -> Self {
        self.in_body = true;
        self
    }

    /// How long before a token expires a new one is fetched (60 seconds by default).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }
}

struct OAuth2 {
    config: ClientCredentials,
    cached: Mutex<Option<Cached>>,
    /// Held while a token is fetched, so concurrent calls fetch one.
    refreshing: tokio::sync::Mutex<()>,
}

struct Cached {
    token: Secret,
    /// When to fetch a new one; `None`: the endpoint gave no lifetime.
    refresh_at: Option<SystemTime>,
}

impl OAuth2 {
    fn fresh(&self, now: SystemTime) -> Option<Secret> {
        let cached = self.cached.lock().ok()?;
        let cached = cached.as_ref()?;
        match cached.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(cached.token.clone()),
        }
    }

    async fn request(&self, cx: &FetchContext<'_>) -> Result<Cached, String> {
        let config = &self.config;
        let url = match reqwest::Url::parse(&config.token_url) {
            Ok(url) => url,
            Err(_) => reqwest::Url::parse(&format!("{}/", cx.base_url))
                .and_then(|base| base.join(&config.token_url))
                .map_err(|err| {
                    format!("the token URL `{}` is not a URL: {err}", config.token_url)
                })?,
        };
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = config.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        if config.in_body {
            form.push(("client_id", &config.client_id));
            form.push(("client_secret", config.client_secret.expose()));
        }
        let mut request = cx
            .client
            .post(url.clone())
            .header(ACCEPT, "application/json")
            .timeout(cx.timeout)
            .form(&form);
        if !config.in_body {
            request = request.basic_auth(&config.client_id, Some(config.client_secret.expose()));
        }
        let failed = |err: reqwest::Error| {
            format!(
                "the token endpoint {} could not be reached: {}",
                url.as_str(),
                err.without_url()
            )
        };
        let mut response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let body = crate::limit::read_limited(&mut response, 64 * 1024)
            .await
            .map_err(|err| match err {
                crate::limit::ReadError::Transport(err) => failed(err),
                crate::limit::ReadError::TooLarge { .. } => {
                    format!("the token endpoint {url} answered with more than 64 KiB")
                }
            })?;
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let text = |key: &str| answer.get(key).and_then(serde_json::Value::as_str);
        if !(200..300).contains(&status) {
            let reason = match (text("error"), text("error_description")) {
                (Some(error), Some(description)) => format!(": {error} ({description})"),
                (Some(error), None) => format!(": {error}"),
                _ => String::new(),
            };
            return Err(format!(
                "the token endpoint {url} answered HTTP {status}{reason}"
            ));
        }
        let Some(token) = text("access_token").filter(|t| !t.trim().is_empty()) else {
            return Err(format!(
                "the token endpoint {url} answered without an `access_token`"
            ));
        };
        match text("token_type") {
            Some(kind) if !kind.eq_ignore_ascii_case("bearer") => {
                return Err(format!(
                "the token endpoint {url} gave a `{kind}` token; only `Bearer` tokens can be sent"
            ))
            }
            _ => {}
        }
        let lifetime = answer
            .get("expires_in")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
            .map(Duration::from_secs);
        let refresh_at = lifetime.map(|lifetime| {
            let early = lifetime
                .checked_sub(config.refresh_before)
                .unwrap_or_default()
                .max(lifetime / 2);
            cx.clock.now() + early
        });
        Ok(Cached {
            token: Secret::new(token),
            refresh_at,
        })
    }
}

impl Fetch for OAuth2 {
    fn fetch<'a>(&'a self, cx: FetchContext<'a>) -> Fetching<'a> {
        Box::pin(async move {
            if let Some(token) = self.fresh(cx.clock.now()) {
                return Ok(token);
            }
            let _one_at_a_time = self.refreshing.lock().await;
            // Another call may have fetched one while this one waited.
            if let Some(token) = self.fresh(cx.clock.now()) {
                return Ok(token);
            }
            let cached = self.request(&cx).await?;
            let token = cached.token.clone();
            if let Ok(mut slot) = self.cached.lock() {
                *slot = Some(cached);
            }
            Ok(token)
        })
    }

    fn invalidate(&self, token: &Secret) -> bool {
        let Ok(mut cached) = self.cached.lock() else {
            return false;
        };
        if cached.as_ref().is_some_and(|c| c.token == *token) {
            *cached = None;
            return true;
        }
        false
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OAuth 2 client credentials at {}", self.config.token_url)
    }
}
