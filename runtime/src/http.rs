//! Sending a request, retrying it when that is safe, and turning the answer into a value or an
//! [`Error`].

use crate::builder::ClientConfig;
use crate::error::{snippet, ApiError, Error, ErrorBody};
use crate::limit::ReadError;
use crate::response::{Response, ResponseMeta};
use crate::retry::{is_idempotent, requested_wait, Clock, RetryPolicy, SystemClock};
use crate::secret::{Credential, Secret};
use crate::stream::{Opener, Resume, Streaming};
use crate::token::{FetchContext, Placement, TokenSource};
use crate::validate::Validate;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
    USER_AGENT,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub use reqwest::Method;

/// Sends requests for a generated client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
    /// Each credential set, by its security scheme's name, ready to go on a request.
    credentials: Vec<(String, Source)>,
    /// The API's security requirement (alternatives of schemes needed together); `None`:
    /// the spec declares none, and every credential set is sent.
    security: Option<Vec<Vec<String>>>,
    timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    /// The largest buffered response body, in bytes.
    max_response_bytes: u64,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The headers hold the token; only their names are shown.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("headers", &names)
            .field(
                "credentials",
                &self
                    .credentials
                    .iter()
                    .map(|(s, a)| (s, a))
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A cookie name: an HTTP token (RFC 6265), so it cannot end the pair or start another.
pub(crate) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
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

/// A media type from the spec as the value of header `name`: checked like any header value,
/// but not copied, as it is static.
fn media_type<E>(name: &HeaderName, value: &'static str) -> Result<HeaderValue, Error<E>> {
    HeaderValue::from_maybe_shared(bytes::Bytes::from_static(value.as_bytes())).map_err(|_| {
        Error::Config(format!(
            "the value of header `{name}` has characters a header cannot carry"
        ))
    })
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
        let credentials = config
            .credentials
            .iter()
            .map(|(scheme, credential)| Ok((scheme.clone(), Source::of(credential)?)))
            .collect::<Result<Vec<_>, Error<E>>>()?;
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
            credentials,
            security: config.security,
            timeout: config.timeout,
            retry: config.retry,
            clock: config.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a call to the operation at `path` (the path template as the spec writes it; it
    /// names the request in traces) whose successful response is JSON decoded into `T`; it
    /// sends `Accept: application/json`.
    pub fn call<T: DeserializeOwned, E>(
        &self,
        method: Method,
        path: &'static str,
    ) -> Call<'_, T, E> {
        self.call_with(method, path, body::json::<T>)
            .accept("application/json")
    }

    /// Starts a call whose successful response body is turned into `T` by `decode` (one of
    /// [`body`]'s decoders: JSON, JSON or nothing, text, bytes, nothing).
    pub fn call_with<T, E>(
        &self,
        method: Method,
        path: &'static str,
        decode: Decoder<T>,
    ) -> Call<'_, T, E> {
        Call::new(self, method, path, Output::Buffered(decode))
    }

    /// Starts a call whose successful response is not read into memory but handed to `open`
    /// as it starts to arrive: [`ByteStream::open`](crate::ByteStream::open) for a download,
    /// [`EventStream::open`](crate::EventStream::open) (through a decoder) for server-sent
    /// events. Retries cover the request until the response's status arrives; what happens to
    /// the body after that is the stream's to say.
    pub fn stream_with<T, E>(
        &self,
        method: Method,
        path: &'static str,
        open: Opener<T>,
    ) -> Call<'_, T, E> {
        Call::new(self, method, path, Output::Streamed(open))
    }

    /// The clock retries wait on.
    pub(crate) fn clock(&self) -> &dyn crate::retry::Clock {
        self.clock.as_ref()
    }

    fn fetch_context(&self) -> FetchContext<'_> {
        FetchContext {
            client: &self.client,
            clock: self.clock.as_ref(),
            timeout: self.timeout,
            base_url: &self.base_url,
        }
    }

    /// Asks `source` for a token and places it as `placement` says: the credential ready to
    /// go, and the token (to be dropped if the server refuses it).
    async fn fetch<E>(
        &self,
        source: &TokenSource,
        placement: &Placement,
    ) -> Result<(Applied, Secret), Error<E>> {
        let token = source
            .fetch(self.fetch_context())
            .await
            .map_err(Error::Credential)?;
        Ok((Applied::placed(placement, token.clone())?, token))
    }

    /// Asks `sources` for their tokens again and puts them in `headers` (where each goes as a
    /// header): a stream reconnecting, its token perhaps expired since it started.
    pub(crate) async fn refresh_headers<E>(
        &self,
        sources: &[(TokenSource, Placement)],
        headers: &mut HeaderMap,
    ) -> Result<(), Error<E>> {
        for (source, placement) in sources {
            if let (
                Applied {
                    header: Some((name, value)),
                    ..
                },
                _,
            ) = self.fetch(source, placement).await?
            {
                headers.insert(name, value);
            }
        }
        Ok(())
    }

    /// Whether errors must leave the URL out: an API key travels in the query.
    pub(crate) fn hides_url(&self) -> bool {
        self.credentials.iter().any(|(_, source)| match source {
            Source::Ready(applied) => applied.query.is_some(),
            Source::Dynamic(_, placement) => matches!(placement, Placement::Query(_)),
        })
    }
}

impl<'a, T, E> Call<'a, T, E> {
    fn new(http: &'a HttpClient, method: Method, path: &'static str, output: Output<T>) -> Self {
        Call {
            request: Sending {
                http,
                method,
                template: path,
                path: path.into(),
                query: Vec::new(),
                cookies: Vec::new(),
                param_headers: Vec::new(),
                accept: None,
                body: None,
                stream: None,
                options: RequestOptions::default(),
                security: None,
            },
            output,
            invalid: None,
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
    max_response_bytes: Option<u64>,
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

    /// The largest response body this call reads into memory, in bytes, instead of the
    /// client's limit (32 MiB unless its builder set another); see
    /// [`Call::max_response_size`].
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }
}

/// A call to an operation, ready to send: `.await` it for the response body, or
/// [`send_with_meta`](Call::send_with_meta) for the body with status, request id and
/// rate-limit headers. Per-call settings go on it before the `.await`.
///
/// A request that breaks a rule of the spec was already refused when the call was made; the
/// `Validation` error comes out of the `.await`, and nothing is sent.
///
/// Every operation of a generated client returns one, and works the same way:
///
/// - **Per-call options** (`.timeout(..)`, `.retry(..)`, `.header(..)`, `.idempotent()`)
///   override the client's settings for this call only.
/// - **Retries**, as the [`RetryPolicy`] allows: a `GET`, `HEAD`, `PUT`, `DELETE` or
///   `OPTIONS` request is retried after a connection failure, a timeout, a broken connection,
///   408, 429 or a 5xx. A `POST` or `PATCH` request is only retried where the server cannot
///   have acted on it (a connection that could not be made, or 429): a timeout or a 5xx is
///   returned as is, since the request may have taken effect, unless the call is marked
///   [`idempotent`](Call::idempotent).
/// - **Errors**: [`Error::Validation`] when the request breaks a rule of the spec (nothing is
///   sent); [`Error::Connect`], [`Error::Timeout`] or [`Error::Transport`] when no response
///   arrives; [`Error::Decode`] when the response does not match the spec; and one variant per
///   error status (see [`Error`]), each holding the status, the request id, the decoded error
///   body and a snippet of the raw body. An operation's docs list the error statuses its spec
///   declares.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E> {
    /// The request, built step by step.
    pub(crate) request: Sending<'a>,
    /// Turns a successful response's body (or its stream) into `T`.
    output: Output<T>,
    /// Why the call must fail without sending anything, if it must.
    pub(crate) invalid: Option<Error<E>>,
}

/// Turns a successful response (its status and body) into the operation's output, or says why
/// it cannot: the JSON pointer where the body leaves the spec (when it is JSON at all) and a
/// message. Only an operation whose success statuses carry different bodies reads the status.
pub type Decoder<T> = fn(u16, &[u8]) -> Result<T, (Option<String>, String)>;

/// How a call's successful response becomes its output.
enum Output<T> {
    /// The body is read whole (up to the size limit), then decoded.
    Buffered(Decoder<T>),
    /// The body is handed over unread, as a stream.
    Streamed(Opener<T>),
}

/// The decoders generated calls use for their successful responses.
pub mod body {
    use serde::de::DeserializeOwned;

    /// A JSON body of type `T`.
    pub fn json<T: DeserializeOwned>(
        _status: u16,
        bytes: &[u8],
    ) -> Result<T, (Option<String>, String)> {
        crate::validate::decode_response(bytes)
    }

    /// A JSON body of type `T`, or `None` for an empty body (an operation with a success status
    /// that has no content).
    pub fn json_or_empty<T: DeserializeOwned>(
        status: u16,
        bytes: &[u8],
    ) -> Result<Option<T>, (Option<String>, String)> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        json(status, bytes).map(Some)
    }

    /// A text body; bytes that are not UTF-8 are replaced with U+FFFD.
    pub fn text(_status: u16, bytes: &[u8]) -> Result<String, (Option<String>, String)> {
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Any body, as bytes.
    pub fn bytes(_status: u16, bytes: &[u8]) -> Result<Vec<u8>, (Option<String>, String)> {
        Ok(bytes.to_vec())
    }

    /// No body: whatever the server sent is ignored.
    pub fn empty(_status: u16, _: &[u8]) -> Result<(), (Option<String>, String)> {
        Ok(())
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out: it is the caller's data, not ours to print.
        f.debug_struct("Call")
            .field("method", &self.request.method)
            .field("path", &self.request.path)
            .field("options", &self.request.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T, E> Call<'a, T, E> {
    /// Records a problem with an argument; the call then fails with it, sending nothing.
    pub(crate) fn refuse(mut self, error: Error<E>) -> Self {
        if self.invalid.is_none() {
            self.invalid = Some(error);
        }
        self
    }

    pub(crate) fn value<V: Serialize + ?Sized>(
        &self,
        what: &str,
        value: &V,
    ) -> Result<serde_json::Value, Error<E>> {
        serde_json::to_value(value)
            .map_err(|err| Error::Config(format!("{what} cannot be serialised: {err}")))
    }

    /// Validates `body` and serialises it as an `application/x-www-form-urlencoded` body.
    pub fn form<B: Serialize + Validate + ?Sized>(mut self, body: &B) -> Self {
        if let Err(errors) = body.validate() {
            return self.refuse(Error::Validation(errors));
        }
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.request.body = Some(("application/x-www-form-urlencoded", text.into_bytes()));
                self
            }
            Err(err) => self.refuse(Error::Config(format!(
                "the request body cannot be form-encoded: {err}"
            ))),
        }
    }

    /// Sends `bytes` as the body, as `media_type` (for `multipart/form-data`, the caller
    /// builds the parts and sets `Content-Type` with the boundary through `.header(..)`).
    pub fn bytes(mut self, media_type: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        self.request.body = Some((media_type, bytes.into()));
        self
    }

    /// Sends `upload` as the body, as `media_type`: bytes in memory, or a stream, a reader
    /// or a file read as the request goes out (then the call is sent once, never retried);
    /// see [`Upload`](crate::Upload).
    pub fn upload(mut self, media_type: &'static str, upload: impl Into<crate::Upload>) -> Self {
        match upload.into().body {
            crate::upload::Source::Bytes(bytes) => {
                self.request.body = Some((media_type, Vec::from(bytes)));
                self.request.stream = None;
            }
            crate::upload::Source::Stream { body, length } => {
                self.request.body = Some((media_type, Vec::new()));
                self.request.stream = Some((body, length));
            }
        }
        self
    }

    /// Sends `form` as a `multipart/form-data` body (its `Content-Type` with the boundary).
    /// The body is assembled now, so a retry sends the same bytes; see [`Multipart`].
    ///
    /// [`Multipart`]: crate::Multipart
    ///
    /// A field that could not be added (a JSON value that does not serialise) makes the call
    /// fail with `Error::Config`, sending nothing.
    pub fn multipart(mut self, form: impl Into<crate::multipart::Multipart>) -> Self {
        let mut form = form.into();
        if let Some(message) = form.take_error() {
            return self.refuse(Error::Config(message));
        }
        let (content_type, body) = form.finish();
        self.request.body = Some(("multipart/form-data", body));
        self.header("content-type", content_type)
    }

    /// Applies `step` to the call (generated code uses it for optional steps).
    pub fn apply(self, step: impl FnOnce(Self) -> Self) -> Self {
        step(self)
    }

    /// Sends no credential with this call: the operation declares `security: []` (it is open
    /// to anyone), so the client's token or API key, in a header, the query or a cookie, stays
    /// out of it. Generated code calls it for such operations.
    pub fn without_credential(self) -> Self {
        self.security(&[])
    }

    /// The operation's own security requirement, overriding the API's: alternatives, each the
    /// names of the security schemes it needs together (`&[&["bearer"], &["apiKey", "appId"]]`:
    /// a bearer token, or an API key and an app id). The call sends the credentials of the
    /// first alternative the client has all of; with none, it fails with `Error::Config`
    /// before sending. An empty alternative (`&[]` in the list) lets the call go without one;
    /// an empty list (`security(&[])`) sends none. Generated code calls it as the spec says.
    pub fn security(mut self, requirement: &'static [&'static [&'static str]]) -> Self {
        self.request.security = Some(requirement);
        self
    }

    /// The media type asked for with `Accept`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.request.accept = Some(media_type);
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
            Ok(bytes) => self.request.body = Some(("application/json", bytes)),
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
        self.request.options.timeout = Some(timeout);
        self
    }

    /// The retry policy for this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.request.options.retry = Some(policy);
        self
    }

    /// An extra header for this call; it replaces a client header of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request
            .options
            .headers
            .push((name.into(), value.into()));
        self
    }

    /// Declares that sending this call twice has the same effect as sending it once; see
    /// [`RequestOptions::idempotent`].
    pub fn idempotent(mut self) -> Self {
        self.request.options.idempotent = true;
        self
    }

    /// The largest response body this call reads into memory, in bytes, instead of the
    /// client's limit (32 MiB unless the builder's `max_response_size(..)` set another).
    ///
    /// A larger body fails the call with [`Error::ResponseTooLarge`] before it is read whole:
    /// at once when its `Content-Length` says so, else at the first chunk that would pass the
    /// limit. Memory stays bounded by the limit whatever the server sends. Error bodies are
    /// held to the same limit.
    ///
    /// ```no_run
    /// # use clientgen_runtime as runtime; // generated crates name it `runtime`
    /// # async fn example(http: &runtime::HttpClient) -> Result<(), runtime::Error> {
    /// use runtime::{Error, Method};
    ///
    /// let call = http.call::<serde_json::Value, serde_json::Value>(Method::GET, "/export");
    /// match call.max_response_size(1024 * 1024).await {
    ///     Ok(export) => println!("{export}"),
    ///     Err(Error::ResponseTooLarge { limit, declared, .. }) => {
    ///         eprintln!("over {limit} bytes (declared: {declared:?}); page through it instead")
    ///     }
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.request.options.max_response_bytes = Some(bytes);
        self
    }

    /// Applies `options`: each setting it has replaces the call's, its headers are added.
    pub fn options(mut self, options: &RequestOptions) -> Self {
        if let Some(timeout) = options.timeout {
            self.request.options.timeout = Some(timeout);
        }
        if let Some(retry) = &options.retry {
            self.request.options.retry = Some(retry.clone());
        }
        self.request
            .options
            .headers
            .extend(options.headers.iter().cloned());
        self.request.options.idempotent |= options.idempotent;
        if let Some(limit) = options.max_response_bytes {
            self.request.options.max_response_bytes = Some(limit);
        }
        self
    }
}

impl<T, E> Call<'_, T, E>
where
    E: DeserializeOwned + ErrorBody,
{
    /// Sends the call (retrying when the policy allows and it is safe) and returns the decoded
    /// body with the response's status, request id, rate-limit headers and headers.
    pub async fn send_with_meta(mut self) -> Result<Response<T>, Error<E>> {
        if let Some(error) = self.invalid.take() {
            return Err(error);
        }
        // Everything up to the response's bytes is the same code for every output type: it is
        // compiled once per crate, not once per operation's `T`.
        let template = self.request.template;
        let streamed = matches!(self.output, Output::Streamed(_));
        let (meta, answer) = self.request.send::<E>(streamed).await?;
        match (self.output, answer) {
            (Output::Buffered(decode), Answer::Buffered(bytes)) => {
                match decode(meta.status, &bytes) {
                    Ok(value) => Ok(Response { value, meta }),
                    Err((path, message)) => Err(undecodable(template, meta, path, message, &bytes)),
                }
            }
            (Output::Streamed(open), Answer::Streamed(streaming)) => Ok(Response {
                value: open(*streaming),
                meta,
            }),
            // `send` answers in the form it was asked for; this arm only satisfies the match.
            _ => Err(Error::Config(format!(
                "`{template}`: the response came back in a form the call did not ask for"
            ))),
        }
    }
}

/// The error for a successful response whose body does not match the spec (outside the
/// generic `send_with_meta`, so it is compiled once).
fn undecodable<E>(
    template: &str,
    meta: ResponseMeta,
    path: Option<String>,
    message: String,
    bytes: &[u8],
) -> Error<E> {
    tracing::debug!(path = %template, error = "decode", "failed");
    Error::Decode {
        status: meta.status,
        path,
        message,
        snippet: snippet(bytes),
        request_id: meta.request_id,
    }
}

/// A call's request, apart from its output type: built by the call's methods, then sent.
pub(crate) struct Sending<'a> {
    pub(crate) http: &'a HttpClient,
    pub(crate) method: Method,
    /// The path template as the spec writes it, which names the request in traces.
    pub(crate) template: &'static str,
    /// The path with its parameters filled in.
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) cookies: Vec<String>,
    pub(crate) param_headers: Vec<(String, String)>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
    /// A body read as it is sent (its media type is `body`'s, whose bytes are then empty),
    /// and its length when known.
    pub(crate) stream: Option<(reqwest::Body, Option<u64>)>,
    pub(crate) options: RequestOptions,
    /// The operation's own security requirement (alternatives of schemes needed together;
    /// empty: none), overriding the API's.
    pub(crate) security: Option<&'static [&'static [&'static str]]>,
}

/// A credential made ready for requests: the header, query parameter or cookie it travels in.
/// Its `Debug` names where it goes, never the value.
#[derive(Clone)]
struct Applied {
    header: Option<(HeaderName, HeaderValue)>,
    query: Option<(String, Secret)>,
    cookie: Option<Secret>,
}

impl fmt::Debug for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (&self.header, &self.query) {
            (Some((name, _)), _) => format!("header {name}"),
            (None, Some((name, _))) => format!("query {name}"),
            (None, None) => "cookie".to_owned(),
        };
        f.write_str(&place)
    }
}

/// A token a call got from a source: the source, where the token went, the token.
type Fetched = (TokenSource, Placement, Secret);

/// A credential set on the client: ready to go on requests, or a token to ask for per call.
#[derive(Clone, Debug)]
enum Source {
    Ready(Applied),
    Dynamic(TokenSource, Placement),
}

impl Source {
    /// Checks `credential` (names a header or cookie cannot have, an empty token or key).
    fn of<E>(credential: &Credential) -> Result<Source, Error<E>> {
        match credential {
            Credential::Dynamic { source, placement } => {
                // The names are checked now, with a stand-in value.
                Applied::placed(placement, Secret::new("x"))?;
                Ok(Source::Dynamic(source.clone(), placement.clone()))
            }
            other => Applied::of(other).map(Source::Ready),
        }
    }
}

impl Applied {
    /// How a token from a source goes on a request, as `placement` says.
    fn placed<E>(placement: &Placement, token: Secret) -> Result<Applied, Error<E>> {
        let credential = match placement {
            Placement::Bearer => Credential::Bearer(token),
            Placement::Header(name) => Credential::HeaderKey {
                name: name.clone(),
                key: token,
            },
            Placement::Query(name) => Credential::QueryKey {
                name: name.clone(),
                key: token,
            },
            Placement::Cookie(name) => Credential::CookieKey {
                name: name.clone(),
                key: token,
            },
        };
        Applied::of(&credential)
    }

    /// How `credential` goes on a request; `Config` errors for an empty token or key and a
    /// name a header or cookie cannot have.
    fn of<E>(credential: &Credential) -> Result<Applied, Error<E>> {
        let empty = |secret: &Secret| secret.expose().trim().is_empty();
        let sensitive = |name: &str, value: &str| -> Result<Applied, Error<E>> {
            let (name, mut value) = header(name, value)?;
            value.set_sensitive(true);
            Ok(Applied {
                header: Some((name, value)),
                query: None,
                cookie: None,
            })
        };
        match credential {
            Credential::Bearer(token) if empty(token) => {
                Err(Error::Config("the access token is empty".to_owned()))
            }
            Credential::Bearer(token) => sensitive(
                AUTHORIZATION.as_str(),
                &format!("Bearer {}", token.expose()),
            ),
            Credential::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                sensitive(
                    AUTHORIZATION.as_str(),
                    &format!("Basic {}", crate::secret::base64(pair.as_bytes())),
                )
            }
            Credential::HeaderKey { key, .. }
            | Credential::QueryKey { key, .. }
            | Credential::CookieKey { key, .. }
                if empty(key) =>
            {
                Err(Error::Config("the API key is empty".to_owned()))
            }
            Credential::HeaderKey { name, key } => sensitive(name, key.expose()),
            Credential::QueryKey { name, key } => Ok(Applied {
                header: None,
                query: Some((name.clone(), key.clone())),
                cookie: None,
            }),
            Credential::CookieKey { name, .. } if !is_cookie_name(name) => Err(Error::Config(
                format!("`{name}` is not a valid cookie name"),
            )),
            Credential::CookieKey { name, key } => Ok(Applied {
                header: None,
                query: None,
                cookie: Some(Secret::new(format!("{name}={}", key.expose()))),
            }),
            Credential::Dynamic { .. } => Err(Error::Config(
                "a token from a source has no value until it is fetched".to_owned(),
            )),
        }
    }
}

impl Sending<'_> {
    /// The credentials this request carries: those of the first alternative of its
    /// requirement (the operation's, else the API's) that the client has all of; every one set
    /// when neither declares one.
    ///
    /// # Errors
    ///
    /// `Config` when the client has the credentials of no alternative.
    fn credentials<E>(&self) -> Result<Vec<&Source>, Error<E>> {
        let http = self.http;
        let find = |scheme: &str| {
            http.credentials
                .iter()
                .find(|(name, _)| name == scheme)
                .map(|(_, applied)| applied)
        };
        let alternatives: Vec<Vec<&str>> = match (self.security, &http.security) {
            (Some(own), _) => own.iter().map(|a| a.to_vec()).collect(),
            (None, Some(api)) => api
                .iter()
                .map(|a| a.iter().map(String::as_str).collect())
                .collect(),
            (None, None) => return Ok(http.credentials.iter().map(|(_, s)| s).collect()),
        };
        if alternatives.is_empty() {
            return Ok(Vec::new());
        }
        for alternative in &alternatives {
            let found: Option<Vec<&Source>> = alternative.iter().map(|s| find(s)).collect();
            if let Some(found) = found {
                return Ok(found);
            }
        }
        let wanted: Vec<String> = alternatives
            .iter()
            .map(|a| {
                a.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        Err(Error::Config(format!(
            "`{} {}` needs the credentials of {}; set one on the client's builder",
            self.method,
            self.template,
            wanted.join(" or ")
        )))
    }

    /// The credentials this request carries, ready to go: the tokens of dynamic ones fetched
    /// (returned too, to be dropped if the server refuses them).
    ///
    /// # Errors
    ///
    /// `Config` as [`credentials`](Self::credentials) says; `Credential` when a token source
    /// fails.
    async fn applied<E>(&self) -> Result<(Vec<Applied>, Vec<Fetched>), Error<E>> {
        let http = self.http;
        let mut applied = Vec::new();
        let mut fetched = Vec::new();
        for source in self.credentials()? {
            match source {
                Source::Ready(ready) => applied.push(ready.clone()),
                Source::Dynamic(tokens, placement) => {
                    let (ready, token) = http.fetch(tokens, placement).await?;
                    applied.push(ready);
                    fetched.push((tokens.clone(), placement.clone(), token));
                }
            }
        }
        Ok((applied, fetched))
    }

    /// The request's URL: the base URL, the path, and the query with the API keys that travel
    /// in it.
    fn url<E>(
        &self,
        query: &[(String, String)],
        credentials: &[Applied],
    ) -> Result<String, Error<E>> {
        let mut query = query.to_vec();
        for (name, key) in credentials.iter().filter_map(|a| a.query.as_ref()) {
            query.push((name.clone(), key.expose().to_owned()));
        }
        let mut url = format!("{}{}", self.http.base_url, self.path);
        if !query.is_empty() {
            let query = serde_urlencoded::to_string(&query)
                .map_err(|err| Error::Config(format!("the query cannot be encoded: {err}")))?;
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&query);
        }
        Ok(url)
    }

    /// The request's headers: the client's, then the credentials, the call's media types,
    /// parameters, extra headers and cookies.
    fn headers<E>(&self, credentials: &[Applied]) -> Result<HeaderMap, Error<E>> {
        let http = self.http;
        let mut headers = http.headers.clone();
        for applied in credentials {
            if let Some((name, value)) = &applied.header {
                headers.insert(name.clone(), value.clone());
            }
        }
        let cookie_keys: Vec<&Secret> = credentials
            .iter()
            .filter_map(|a| a.cookie.as_ref())
            .collect();
        // Media types come from the spec, which may hold characters a header cannot carry:
        // a `Config` error then, not a panic.
        if let Some(accept) = self.accept {
            headers.insert(ACCEPT, media_type(&ACCEPT, accept)?);
        }
        if let Some((content_type, _)) = &self.body {
            headers.insert(CONTENT_TYPE, media_type(&CONTENT_TYPE, content_type)?);
        }
        if let Some((_, Some(length))) = &self.stream {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(*length));
        }
        for (name, value) in self.param_headers.iter().chain(&self.options.headers) {
            let (name, value) = header(name, value)?;
            headers.insert(name, value);
        }
        if !self.cookies.is_empty() || !cookie_keys.is_empty() {
            let mut cookies: Vec<&str> = cookie_keys.iter().map(|key| key.expose()).collect();
            cookies.extend(self.cookies.iter().map(String::as_str));
            let (name, mut value) = header("cookie", &cookies.join("; "))?;
            value.set_sensitive(!cookie_keys.is_empty());
            headers.insert(name, value);
        }
        Ok(headers)
    }

    /// Sends the request, retrying when the policy allows and it is safe: the successful
    /// response's metadata and body (read whole, or `streamed`: unread), or the error.
    async fn send<E>(mut self, streamed: bool) -> Result<(ResponseMeta, Answer), Error<E>>
    where
        E: DeserializeOwned + ErrorBody,
    {
        let http = self.http;
        let (mut credentials, mut fetched) = self.applied().await?;
        // Built again for each retry rather than cloned before every attempt: most calls are
        // sent once.
        let mut headers = Some(self.headers(&credentials)?);
        let query = std::mem::take(&mut self.query);
        // The bytes move out; the media type stays for the headers of a retry. A streamed body
        // goes out once.
        let stream = self.stream.take().map(|(body, _)| body);
        // A streamed body cannot be sent twice.
        let streamed_upload = stream.is_some();
        let body = match stream {
            Some(_) => None,
            None => self
                .body
                .as_mut()
                .map(|(_, bytes)| bytes::Bytes::from(std::mem::take(bytes))),
        };
        let mut attempt = Attempt {
            http,
            method: self.method.clone(),
            url: self.url(&query, &credentials)?,
            body,
            stream: std::sync::Mutex::new(stream),
            timeout: self.options.timeout.unwrap_or(http.timeout),
            limit: self
                .options
                .max_response_bytes
                .unwrap_or(http.max_response_bytes),
        };
        let once = RetryPolicy::never();
        let policy = match &self.options.retry {
            _ if streamed_upload => &once,
            Some(policy) => policy,
            None => &http.retry,
        };
        let idempotent = self.options.idempotent || is_idempotent(&attempt.method);
        let mut number = 1;
        let mut refreshed = false;
        loop {
            let span = tracing::info_span!(
                "request",
                method = %attempt.method,
                path = %self.template,
                attempt = number,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = (!span.is_disabled()).then(Instant::now);
            let sent = match headers.take() {
                Some(headers) => headers,
                None => self.headers(&credentials)?,
            };
            let result = attempt
                .send::<E>(sent, streamed)
                .instrument(span.clone())
                .await;
            // Nobody listens to the span (no subscriber, or filtered out): nothing to record.
            if let Some(started) = started {
                let status = match &result {
                    Ok((meta, _)) => Some(meta.status),
                    Err(error) => error.status(),
                };
                if let Some(status) = status {
                    span.record("status", status);
                }
                let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                span.record("elapsed_ms", elapsed);
            }
            let error = match result {
                Ok((meta, Answer::Streamed(mut streaming))) => {
                    tracing::debug!(parent: &span, "streaming");
                    // Reconnecting sends the request again: only where a retry could.
                    if idempotent && !streamed_upload {
                        streaming.resume = Some(Resume {
                            http: http.clone(),
                            method: attempt.method.clone(),
                            url: attempt.url.clone(),
                            body: attempt.body.clone(),
                            headers: self.headers(&credentials)?,
                            // Tokens in a header are asked for again when the stream
                            // reconnects (one may have expired since).
                            tokens: fetched
                                .iter()
                                .filter(|(_, placement, _)| {
                                    matches!(placement, Placement::Bearer | Placement::Header(_))
                                })
                                .map(|(source, placement, _)| (source.clone(), placement.clone()))
                                .collect(),
                            timeout: attempt.timeout,
                            retry: policy.clone(),
                        });
                    }
                    return Ok((meta, Answer::Streamed(streaming)));
                }
                Ok(response) => {
                    tracing::debug!(parent: &span, "succeeded");
                    return Ok(response);
                }
                Err(error) => error,
            };
            // A token the server refuses may have been revoked before it expired: a source
            // that cached it fetches a new one, and the call goes once more (the server did not
            // act on a request it refused).
            if matches!(error, Error::Unauthorized(_)) && !refreshed && !streamed_upload {
                let dropped = fetched
                    .iter()
                    .filter(|(source, _, token)| source.invalidate(token))
                    .count();
                if dropped > 0 {
                    refreshed = true;
                    tracing::info!(parent: &span, "fetching a new token after 401");
                    (credentials, fetched) = self.applied().await?;
                    attempt.url = self.url(&query, &credentials)?;
                    headers = Some(self.headers(&credentials)?);
                    number += 1;
                    continue;
                }
            }
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
    T: Send + 'a,
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
        Error::Credential(_) => "credential",
        Error::Validation(_) => "validation",
        Error::Timeout { .. } => "timeout",
        Error::Connect(_) => "connect",
        Error::Transport(_) => "transport",
        Error::Decode { .. } => "decode",
        Error::ResponseTooLarge { .. } => "too_large",
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

/// A successful response's body: read whole, or left to a stream.
pub(crate) enum Answer {
    Buffered(bytes::Bytes),
    Streamed(Box<Streaming>),
}

/// One request on the wire; the retry loop sends it as often as it takes.
pub(crate) struct Attempt<'a> {
    pub(crate) http: &'a HttpClient,
    pub(crate) method: Method,
    pub(crate) url: String,
    /// Cheap to clone for every attempt.
    pub(crate) body: Option<bytes::Bytes>,
    /// A body read as it is sent: taken by the first attempt (there is no other).
    pub(crate) stream: std::sync::Mutex<Option<reqwest::Body>>,
    pub(crate) timeout: Duration,
    /// The largest body read into memory.
    pub(crate) limit: u64,
}

impl Attempt<'_> {
    /// One exchange: a 2xx response's metadata and body (decoded by the caller, after the
    /// retries: a body that does not decode is never retried), or the error.
    ///
    /// `streamed`: a 2xx body is left unread, for a stream. The timeout then covers the
    /// response's head (and an error's body), not the stream, whose chunks each have the same
    /// time to arrive.
    pub(crate) async fn send<E>(
        &self,
        headers: HeaderMap,
        streamed: bool,
    ) -> Result<(ResponseMeta, Answer), Error<E>>
    where
        E: DeserializeOwned + ErrorBody,
    {
        if !streamed {
            return self.exchange(headers, false).await;
        }
        match tokio::time::timeout(self.timeout, self.exchange(headers, true)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                after: self.timeout,
            }),
        }
    }

    async fn exchange<E>(
        &self,
        headers: HeaderMap,
        streamed: bool,
    ) -> Result<(ResponseMeta, Answer), Error<E>>
    where
        E: DeserializeOwned + ErrorBody,
    {
        // The request is assembled in place: the headers are moved in whole rather than merged
        // one by one into an empty map, as `RequestBuilder::headers` would.
        let mut request = self
            .http
            .client
            .request(self.method.clone(), &self.url)
            .build()
            .map_err(|e| self.transport(e))?;
        *request.headers_mut() = headers;
        // A stream's timeout is kept by `send` and by the stream, chunk by chunk: reqwest's
        // would end a long stream that is still flowing.
        if !streamed {
            *request.timeout_mut() = Some(self.timeout);
        }
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        } else if let Some(body) = self.stream.lock().ok().and_then(|mut s| s.take()) {
            *request.body_mut() = Some(body);
        }
        let mut response = self
            .http
            .client
            .execute(request)
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        // Moved out, not copied: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let mut meta = ResponseMeta::new(status, headers);
        if streamed && (200..300).contains(&status) {
            let streaming = Streaming {
                status,
                request_id: meta.request_id.clone(),
                content_length: response.content_length(),
                response,
                idle: self.timeout,
                limit: self.limit,
                hide_url: self.http.hides_url(),
                resume: None,
            };
            return Ok((meta, Answer::Streamed(Box::new(streaming))));
        }
        let bytes = match crate::limit::read_limited(&mut response, self.limit).await {
            Ok(bytes) => bytes,
            Err(ReadError::Transport(e)) => return Err(self.transport(e)),
            Err(ReadError::TooLarge { declared }) => {
                return Err(Error::ResponseTooLarge {
                    status,
                    limit: self.limit,
                    declared,
                    request_id: meta.request_id,
                })
            }
        };
        if (200..300).contains(&status) {
            return Ok((meta, Answer::Buffered(bytes)));
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
        transport(err, self.http.hides_url(), self.timeout)
    }
}

/// The error for a failure of reqwest's, after `after` when it is a timeout. `hide_url`: the
/// URL holds a secret (an API key travels in the query), so the error leaves it out.
pub(crate) fn transport<E>(err: reqwest::Error, hide_url: bool, after: Duration) -> Error<E> {
    let err = if hide_url { err.without_url() } else { err };
    if err.is_connect() {
        Error::Connect(err)
    } else if err.is_timeout() {
        Error::Timeout { after }
    } else {
        Error::Transport(err)
    }
}
