//! Sending a request, retrying it when that is safe, and turning the answer into a value or an
//! [`Error`].

use crate::error::{snippet, ApiError, Error, ErrorBody};
use crate::response::{Response, ResponseMeta};
use crate::retry::{is_idempotent, requested_wait, Clock, RetryPolicy, SystemClock};
use crate::secret::Secret;
use crate::validate::{decode_response, Validate};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub use reqwest::Method;

/// Everything an [`HttpClient`] needs; generated builders fill it in.
#[derive(Debug)]
pub struct ClientConfig {
    /// The base URL every path is appended to, e.g. `https://api.intercom.io`.
    pub base_url: String,
    /// The bearer token, if the API needs one.
    pub token: Option<Secret>,
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
}

/// Sends requests for a generated client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
    timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The headers hold the token; only their names are shown.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Turns a name and value into a header, or a `Config` error that does not quote the value
/// (it may be a credential).
fn header<E>(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error<E>> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
    let value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "the value of header `{name}` has characters a header cannot carry"
        ))
    })?;
    Ok((name, value))
}

impl HttpClient {
    /// Checks `config` and builds the client.
    pub fn new<E>(config: ClientConfig) -> Result<Self, Error<E>> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            Ok(_) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` must be http(s) and have no query"
                )))
            }
            Err(err) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is not a URL: {err}"
                )))
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &config.headers {
            let (name, value) = header(name, value)?;
            headers.insert(name, value);
        }
        let (name, value) = header(USER_AGENT.as_str(), &config.user_agent)?;
        headers.insert(name, value);
        if let Some(token) = &config.token {
            if token.expose().trim().is_empty() {
                return Err(Error::Config("the access token is empty".to_owned()));
            }
            let (name, mut value) = header(
                AUTHORIZATION.as_str(),
                &format!("Bearer {}", token.expose()),
            )?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let client = match config.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(HttpClient {
            client,
            base_url,
            headers,
            timeout: config.timeout,
            retry: config.retry,
            clock: config.clock.unwrap_or_else(|| Arc::new(SystemClock)),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a call to the operation at `path` (the path template as the spec writes it; it
    /// names the request in traces).
    pub fn call<T, E>(&self, method: Method, path: &'static str) -> Call<'_, T, E> {
        Call {
            http: self,
            method,
            template: path,
            path: path.into(),
            accept: None,
            body: None,
            options: RequestOptions::default(),
            invalid: None,
            types: PhantomData,
        }
    }
}

/// Settings for one call that override the client's: timeout, retries, extra headers.
///
/// Set them on a call directly (`client.messages().create(&req).timeout(..).await`), or build
/// one `RequestOptions` and apply it to many calls with `Call::options`.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
    idempotent: bool,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// How long each attempt of this call may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// An extra header for this call; it replaces a client header of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Declares that sending this call twice has the same effect as sending it once (for
    /// example because it carries an idempotency key the API honours), so it may be retried
    /// after a timeout, a broken connection or a 5xx even though its method is `POST` or
    /// `PATCH`.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// A call to an operation, ready to send: `.await` it for the response body, or
/// [`send_with_meta`](Call::send_with_meta) for the body with status, request id and
/// rate-limit headers. Per-call settings go on it before the `.await`.
///
/// A request that breaks a rule of the spec was already refused when the call was made; the
/// `Validation` error comes out of the `.await`, and nothing is sent.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E> {
    http: &'a HttpClient,
    method: Method,
    template: &'static str,
    path: String,
    accept: Option<&'static str>,
    body: Option<(&'static str, Vec<u8>)>,
    options: RequestOptions,
    invalid: Option<Error<E>>,
    types: PhantomData<fn() -> T>,
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out: it is the caller's data, not ours to print.
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T, E> Call<'a, T, E> {
    /// The media type asked for with `Accept`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    /// Validates `body` and serialises it as the JSON body. A body that breaks a rule of the
    /// spec makes the call fail with `Error::Validation` without sending anything.
    pub fn json<B: Serialize + Validate + ?Sized>(mut self, body: &B) -> Self {
        if let Err(errors) = body.validate() {
            self.invalid = Some(Error::Validation(errors));
            return self;
        }
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(("application/json", bytes)),
            Err(err) => {
                self.invalid = Some(Error::Config(format!(
                    "the request body cannot be serialised: {err}"
                )))
            }
        }
        self
    }

    /// How long each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy for this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// An extra header for this call; it replaces a client header of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Declares that sending this call twice has the same effect as sending it once; see
    /// [`RequestOptions::idempotent`].
    pub fn idempotent(mut self) -> Self {
        self.options.idempotent = true;
        self
    }

    /// Applies `options`: each setting it has replaces the call's, its headers are added.
    pub fn options(mut self, options: &RequestOptions) -> Self {
        if let Some(timeout) = options.timeout {
            self.options.timeout = Some(timeout);
        }
        if let Some(retry) = &options.retry {
            self.options.retry = Some(retry.clone());
        }
        self.options.headers.extend(options.headers.iter().cloned());
        self.options.idempotent |= options.idempotent;
        self
    }
}

impl<T, E> Call<'_, T, E>
where
    T: DeserializeOwned,
    E: DeserializeOwned + ErrorBody,
{
    /// Sends the call (retrying when the policy allows and it is safe) and returns the decoded
    /// body with the response's status, request id, rate-limit headers and headers.
    pub async fn send_with_meta(self) -> Result<Response<T>, Error<E>> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let http = self.http;
        let mut headers = http.headers.clone();
        if let Some(accept) = self.accept {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        if let Some((content_type, _)) = &self.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in &self.options.headers {
            let (name, value) = header(name, value)?;
            headers.insert(name, value);
        }
        let body = self.body.map(|(_, bytes)| bytes::Bytes::from(bytes));
        let attempt = Attempt {
            http,
            method: self.method,
            url: format!("{}{}", http.base_url, self.path),
            headers,
            body,
            timeout: self.options.timeout.unwrap_or(http.timeout),
        };
        let policy = self.options.retry.as_ref().unwrap_or(&http.retry);
        let idempotent = self.options.idempotent || is_idempotent(&attempt.method);
        let mut number = 1;
        loop {
            let span = tracing::info_span!(
                "request",
                method = %attempt.method,
                path = %self.template,
                attempt = number,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let result = attempt.send::<T, E>().instrument(span.clone()).await;
            let status = match &result {
                Ok(response) => Some(response.meta.status),
                Err(error) => error.status(),
            };
            if let Some(status) = status {
                span.record("status", status);
            }
            let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("elapsed_ms", elapsed);
            let error = match result {
                Ok(response) => {
                    tracing::debug!(parent: &span, "succeeded");
                    return Ok(response);
                }
                Err(error) => error,
            };
            let Some(wait) = retry_wait(&error, idempotent, policy, number, http.clock.as_ref())
            else {
                tracing::debug!(parent: &span, error = kind(&error), "failed");
                return Err(error);
            };
            let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(parent: &span, error = kind(&error), wait_ms, "retrying");
            http.clock.sleep(wait).await;
            number += 1;
        }
    }
}

impl<'a, T, E> IntoFuture for Call<'a, T, E>
where
    T: DeserializeOwned + Send + 'a,
    E: DeserializeOwned + ErrorBody + Send + 'a,
{
    type Output = Result<T, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send_with_meta().await.map(Response::into_value) })
    }
}

/// A name for the error in traces: the variant, never its text (which may quote a body).
fn kind<E>(error: &Error<E>) -> &'static str {
    match error {
        Error::Config(_) => "config",
        Error::Validation(_) => "validation",
        Error::Timeout { .. } => "timeout",
        Error::Connect(_) => "connect",
        Error::Transport(_) => "transport",
        Error::Decode { .. } => "decode",
        Error::RateLimited { .. } => "rate_limited",
        Error::Server(_) => "server",
        _ => "status",
    }
}

/// How long to wait before trying again, or `None` to give up with `error`.
///
/// Any request is retried when the server cannot have acted on it: the connection was never
/// established, or it answered 429. Only idempotent requests are also retried after a timeout,
/// a broken connection, 408 or a 5xx, where the server may have acted.
fn retry_wait<E>(
    error: &Error<E>,
    idempotent: bool,
    policy: &RetryPolicy,
    attempt: u32,
    clock: &dyn Clock,
) -> Option<Duration> {
    if attempt >= policy.attempts() {
        return None;
    }
    let requested = match error {
        Error::Connect(_) => None,
        Error::RateLimited { retry_after, .. } => *retry_after,
        Error::Timeout { .. } | Error::Transport(_) if idempotent => None,
        Error::Server(e) if idempotent => requested_wait(&e.meta.headers, clock.now()),
        Error::Api(e) if idempotent && e.meta.status == 408 => {
            requested_wait(&e.meta.headers, clock.now())
        }
        _ => return None,
    };
    match requested {
        Some(wait) if policy.honours(wait) => Some(wait),
        Some(_) => None,
        None => Some(policy.backoff(attempt)),
    }
}

/// One request on the wire; the retry loop sends it as often as it takes.
struct Attempt<'a> {
    http: &'a HttpClient,
    method: Method,
    url: String,
    headers: HeaderMap,
    /// Cheap to clone for every attempt.
    body: Option<bytes::Bytes>,
    timeout: Duration,
}

impl Attempt<'_> {
    async fn send<T, E>(&self) -> Result<Response<T>, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned + ErrorBody,
    {
        let mut request = self
            .http
            .client
            .request(self.method.clone(), &self.url)
            .headers(self.headers.clone())
            .timeout(self.timeout);
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let mut meta = ResponseMeta::new(status, response.headers().clone());
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        if (200..300).contains(&status) {
            return match decode_response(&bytes) {
                Ok(value) => Ok(Response { value, meta }),
                Err((path, message)) => Err(Error::Decode {
                    status,
                    path,
                    message,
                    snippet: snippet(&bytes),
                    request_id: meta.request_id,
                }),
            };
        }
        let body: Option<E> = serde_json::from_slice(&bytes).ok();
        if meta.request_id.is_none() {
            meta.request_id = body
                .as_ref()
                .and_then(ErrorBody::request_id)
                .map(str::to_owned);
        }
        let retry_after = (status == 429)
            .then(|| requested_wait(&meta.headers, self.http.clock.now()))
            .flatten();
        Err(Error::from_status(
            ApiError {
                meta,
                body,
                snippet: snippet(&bytes),
            },
            retry_after,
        ))
    }

    fn transport<E>(&self, err: reqwest::Error) -> Error<E> {
        // The URL holds no secret (the token travels in a header), so it may stay in the error.
        if err.is_connect() {
            Error::Connect(err)
        } else if err.is_timeout() {
            Error::Timeout {
                after: self.timeout,
            }
        } else {
            Error::Transport(err)
        }
    }
}
