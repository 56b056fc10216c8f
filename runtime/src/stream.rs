//! Streamed responses: a download as a stream of byte chunks ([`ByteStream`]), server-sent
//! events as a stream of typed events ([`EventStream`], parsed by [`crate::sse`]).
//!
//! Both read the body as it arrives and never hold it whole. Each chunk has the call's timeout
//! to arrive, so a server that stalls makes the stream fail with `Error::Timeout` instead of
//! hanging; a connection that breaks off makes it fail with `Error::Transport`. Everything
//! received before the failure has been handed out first. Dropping a stream (or the future of
//! its next item) closes its connection and leaves the client as it was.

use crate::error::{snippet, Error, ErrorBody};
use crate::http::{transport, Answer, Attempt, HttpClient, Method};
use crate::retry::RetryPolicy;
use crate::sse::{Parser, RawEvent};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A successful response whose body has not been read: what a streamed call hands to its
/// [`Opener`]. Opaque; only [`ByteStream::open`] and [`EventStream::open`] take it apart.
pub struct Streaming {
    pub(crate) response: reqwest::Response,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) content_length: Option<u64>,
    /// How long each chunk may take to arrive.
    pub(crate) idle: Duration,
    /// The call's response size limit: what [`ByteStream::collect`] reads at most, and the
    /// largest single event an [`EventStream`] holds.
    pub(crate) limit: u64,
    /// Errors leave the URL out (an API key travels in the query).
    pub(crate) hide_url: bool,
    /// How to send the request again, when that is safe (see [`EventStream`]).
    pub(crate) resume: Option<Resume>,
}

impl fmt::Debug for Streaming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streaming")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// Turns a streamed call's response into its output (a generated client passes
/// `ByteStream::open`, or a non-capturing closure around [`EventStream::open`]).
pub type Opener<T> = fn(Streaming) -> T;

/// What it takes to send a request again (its headers hold the credentials; nothing here is
/// printed).
pub(crate) struct Resume {
    pub(crate) http: HttpClient,
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) headers: HeaderMap,
    /// The token sources whose tokens travel in a header, asked again on each reconnection.
    pub(crate) tokens: Vec<(crate::token::TokenSource, crate::token::Placement)>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

/// The next chunk of `response`, waiting at most `idle` for it.
async fn chunk<E>(
    response: &mut reqwest::Response,
    idle: Duration,
    hide_url: bool,
) -> Result<Option<bytes::Bytes>, Error<E>> {
    match tokio::time::timeout(idle, response.chunk()).await {
        Ok(Ok(chunk)) => Ok(chunk),
        Ok(Err(err)) => Err(transport(err, hide_url, idle)),
        Err(_) => Err(Error::Timeout { after: idle }),
    }
}

type Step<S, I> = Pin<Box<dyn Future<Output = (S, Option<I>)> + Send>>;

/// A stream's state and the step on its way: the state moves into the step's future and comes
/// back with the next item, so dropping the future of `next_chunk()` or `next_event()` loses
/// nothing (the step is kept for the next call).
struct Stepper<S, I> {
    /// The state, while no step is on its way; `None` at the end.
    state: Option<S>,
    pending: Option<Step<S, I>>,
}

impl<S, I> Stepper<S, I> {
    fn new(state: S) -> Self {
        Stepper {
            state: Some(state),
            pending: None,
        }
    }

    /// The next item: `step` starts one from the state when none is on its way; the state
    /// comes back unless `keep` says the item ended the stream.
    fn poll(
        &mut self,
        cx: &mut Context<'_>,
        step: impl FnOnce(S) -> Step<S, I>,
        keep: impl FnOnce(&Option<I>) -> bool,
    ) -> Poll<Option<I>> {
        if self.pending.is_none() {
            let Some(state) = self.state.take() else {
                return Poll::Ready(None);
            };
            self.pending = Some(step(state));
        }
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let (state, next) = std::task::ready!(pending.as_mut().poll(cx));
        self.pending = None;
        if keep(&next) {
            self.state = Some(state);
        }
        Poll::Ready(next)
    }
}

/// A download's body and how its chunks are read.
struct Body {
    response: reqwest::Response,
    idle: Duration,
    hide_url: bool,
}

/// The response body of a download (`application/octet-stream` and other binary media
/// types), chunk by chunk as it arrives: a [`futures_core::Stream`] of
/// `Result<bytes::Bytes, Error>`. The body is never held whole, so its size is not limited.
///
/// A chunk that does not arrive within the call's timeout ends the stream with
/// [`Error::Timeout`]; a connection that breaks off ends it with [`Error::Transport`]. Either
/// comes after every chunk received before it. A download is not resumed.
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example(http: &runtime::HttpClient) -> Result<(), runtime::Error> {
/// use runtime::{ByteStream, Method};
/// use tokio::io::AsyncWriteExt;
///
/// let call = http.stream_with::<ByteStream, serde_json::Value>(Method::GET, "/export", ByteStream::open);
/// let mut download = call.await?;
/// let mut file = tokio::fs::File::create("export.bin").await.expect("a writable file");
/// while let Some(chunk) = download.next_chunk().await {
///     file.write_all(&chunk?).await.expect("the disk has room");
/// }
/// # Ok(()) }
/// ```
pub struct ByteStream<E = serde_json::Value> {
    status: u16,
    request_id: Option<String>,
    content_length: Option<u64>,
    limit: u64,
    body: Stepper<Body, Result<bytes::Bytes, Error<E>>>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl<E> ByteStream<E> {
    /// The stream of a response that has started to arrive (the [`Opener`] of a download).
    pub fn open(streaming: Streaming) -> Self {
        ByteStream {
            status: streaming.status,
            request_id: streaming.request_id,
            content_length: streaming.content_length,
            limit: streaming.limit,
            body: Stepper::new(Body {
                response: streaming.response,
                idle: streaming.idle,
                hide_url: streaming.hide_url,
            }),
        }
    }

    /// The response's status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id the server gave the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body's length, when the response declared it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl<E: Send + 'static> ByteStream<E> {
    /// The next chunk of the body; `None` at its end. Cancel safe: dropping the future keeps
    /// the chunk on its way for the next call.
    pub async fn next_chunk(&mut self) -> Option<Result<bytes::Bytes, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads the rest of the body into memory, at most the call's response size limit (32
    /// MiB unless the client or the call set another): [`Error::ResponseTooLarge`] past it.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error<E>> {
        let mut body = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            if u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX) > self.limit {
                return Err(Error::ResponseTooLarge {
                    status: self.status,
                    limit: self.limit,
                    declared: self.content_length,
                    request_id: self.request_id,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<bytes::Bytes, Error<E>>>> {
        self.body.poll(
            cx,
            |mut body| {
                Box::pin(async move {
                    let next = chunk(&mut body.response, body.idle, body.hide_url)
                        .await
                        .transpose();
                    (body, next)
                })
            },
            // After the end or an error, nothing more is read.
            |next| matches!(next, Some(Ok(_))),
        )
    }
}

impl<E: Send + 'static> futures_core::Stream for ByteStream<E> {
    type Item = Result<bytes::Bytes, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

/// One server-sent event: its data decoded into the operation's type, and the fields that
/// came with it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `data:` lines, decoded.
    pub data: T,
    /// The `event:` name, when the server gave one (`None` means the default, `message`).
    pub event: Option<String>,
    /// The last `id:` the server sent, at or before this event.
    pub id: Option<String>,
}

/// Decodes an event's data, given its `event:` name: [`crate::sse::json`],
/// [`crate::sse::text`], or a generated decoder that maps event names to types.
pub type EventDecoder<T> = fn(Option<&str>, &str) -> Result<T, (Option<String>, String)>;

/// A `text/event-stream` response as a [`futures_core::Stream`] of typed events,
/// `Result<Event<T>, Error>`, read as they arrive.
///
/// - **Decoding**: each event's `data:` lines (joined with newlines) are decoded into `T`. An
///   event that does not decode is an [`Error::Decode`] in its place; the stream goes on.
///   Comments and events without data are skipped, as the SSE standard says.
/// - **The end**: the stream ends when the server closes the response, or at an event whose
///   data is `[DONE]` (the terminator many APIs send).
/// - **Faults**: an event arrives whole or not at all. A stall longer than the call's timeout
///   is an [`Error::Timeout`]; a connection that breaks off is an [`Error::Transport`]; each
///   comes after every event completed before it, and ends the stream, unless it can resume.
/// - **Resuming**: when the call could be retried (a `GET`, or a call marked idempotent) and
///   the server has given its events ids, a broken stream reconnects by itself
///   with `Last-Event-ID`, waiting as the server's `retry:` field asks (else the retry policy's
///   backoff), at most as often as the retry policy allows. Without ids nothing says where to
///   resume, so it does not: a resent request could repeat or lose events. A token from a
///   [`TokenSource`](crate::TokenSource) sent in a header is asked for again on each
///   reconnection (one in the query or a cookie is sent as it was).
/// - **Size**: one event may be as large as the call's response size limit
///   ([`Error::ResponseTooLarge`] past it, which ends the stream); the stream itself has no
///   limit.
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example(http: &runtime::HttpClient) -> Result<(), runtime::Error> {
/// use runtime::{EventStream, Method};
///
/// #[derive(serde::Deserialize)]
/// struct Tick { n: u32 }
///
/// let call = http
///     .stream_with::<EventStream<Tick>, serde_json::Value>(Method::GET, "/ticks", |s| {
///         EventStream::open(s, runtime::sse::json::<Tick>)
///     })
///     .accept("text/event-stream");
/// let mut ticks = call.await?;
/// while let Some(event) = ticks.next_event().await {
///     println!("tick {}", event?.data.n);
/// }
/// # Ok(()) }
/// ```
pub struct EventStream<T, E = serde_json::Value> {
    events: Stepper<Box<Events<T, E>>, NextEvent<T, E>>,
}

/// What an event stream's next step gives.
type NextEvent<T, E> = Result<Event<T>, Error<E>>;

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("EventStream");
        if let Some(state) = &self.events.state {
            out.field("status", &state.status)
                .field("request_id", &state.request_id)
                .field("last_event_id", &state.parser.last_id());
        }
        out.finish_non_exhaustive()
    }
}

struct Events<T, E> {
    status: u16,
    request_id: Option<String>,
    idle: Duration,
    limit: u64,
    hide_url: bool,
    response: Option<reqwest::Response>,
    parser: Parser,
    ready: VecDeque<RawEvent>,
    decode: EventDecoder<T>,
    /// An error to hand out once the events before it are.
    failed: Option<Error<E>>,
    resume: Option<Resume>,
    /// Reconnections since the stream last made progress.
    reconnects: u32,
    /// The last event id when the stream last reconnected: a new one is progress.
    resumed_at: Option<String>,
}

impl<T, E> EventStream<T, E> {
    /// The stream of a `text/event-stream` response that has started to arrive, each event's
    /// data decoded by `decode`.
    pub fn open(streaming: Streaming, decode: EventDecoder<T>) -> Self {
        EventStream {
            events: Stepper::new(Box::new(Events {
                status: streaming.status,
                request_id: streaming.request_id,
                idle: streaming.idle,
                limit: streaming.limit,
                hide_url: streaming.hide_url,
                response: Some(streaming.response),
                parser: Parser::default(),
                ready: VecDeque::new(),
                decode,
                failed: None,
                resume: streaming.resume,
                reconnects: 0,
                resumed_at: None,
            })),
        }
    }

    /// The last event id the server sent (what a reconnection sends as `Last-Event-ID`);
    /// `None` while an event is on its way.
    pub fn last_event_id(&self) -> Option<&str> {
        self.events.state.as_ref().and_then(|s| s.parser.last_id())
    }
}

impl<T, E> EventStream<T, E>
where
    T: Send + 'static,
    E: DeserializeOwned + ErrorBody + Send + 'static,
{
    /// The next event; `None` at the end. Cancel safe: dropping the future keeps the event on
    /// its way for the next call.
    pub async fn next_event(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<T>, Error<E>>>> {
        self.events.poll(
            cx,
            |mut state| {
                Box::pin(async move {
                    let next = state.next().await;
                    (state, next)
                })
            },
            // The state knows when it has ended; it keeps answering `None`.
            |_| true,
        )
    }
}

impl<T, E> futures_core::Stream for EventStream<T, E>
where
    T: Send + 'static,
    E: DeserializeOwned + ErrorBody + Send + 'static,
{
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

impl<T, E> Events<T, E>
where
    E: DeserializeOwned + ErrorBody,
{
    async fn next(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        loop {
            if let Some(raw) = self.ready.pop_front() {
                if raw.data == "[DONE]" {
                    self.finish();
                    return None;
                }
                return Some(match (self.decode)(raw.event.as_deref(), &raw.data) {
                    Ok(data) => Ok(Event {
                        data,
                        event: raw.event,
                        id: raw.id,
                    }),
                    Err((path, message)) => Err(Error::Decode {
                        status: self.status,
                        path,
                        message,
                        snippet: snippet(raw.data.as_bytes()),
                        request_id: self.request_id.clone(),
                    }),
                });
            }
            if let Some(error) = self.failed.take() {
                return Some(Err(error));
            }
            let response = self.response.as_mut()?;
            match chunk::<E>(response, self.idle, self.hide_url).await {
                Ok(Some(bytes)) => {
                    if self
                        .parser
                        .feed(&bytes, &mut self.ready, self.limit)
                        .is_err()
                    {
                        self.finish();
                        self.failed = Some(Error::ResponseTooLarge {
                            status: self.status,
                            limit: self.limit,
                            declared: None,
                            request_id: self.request_id.clone(),
                        });
                    }
                    // An event with a new id since the last reconnection: the stream moves on,
                    // so a later break may reconnect as often again. A server that breaks
                    // before it gets anywhere runs the retry policy out.
                    if self.reconnects > 0 && self.parser.last_id() != self.resumed_at.as_deref() {
                        self.reconnects = 0;
                    }
                }
                // The server closed the stream: an event it did not finish is dropped.
                Ok(None) => self.finish(),
                Err(error) => {
                    self.response = None;
                    if let Err(error) = self.reconnect(error).await {
                        self.finish();
                        self.failed = Some(error);
                    }
                }
            }
        }
    }

    /// Reads nothing more.
    fn finish(&mut self) {
        self.response = None;
        self.resume = None;
    }

    /// Sends the request again with `Last-Event-ID`, when that is safe and the retry policy
    /// allows; else (or when it fails) the error to end the stream with.
    async fn reconnect(&mut self, error: Error<E>) -> Result<(), Error<E>> {
        let (Some(resume), Some(last_id)) = (&self.resume, self.parser.last_id()) else {
            return Err(error);
        };
        self.resumed_at = Some(last_id.to_owned());
        let Ok(last_id) = HeaderValue::from_str(last_id) else {
            return Err(error);
        };
        let mut error = error;
        while self.reconnects + 1 < resume.retry.attempts() {
            self.reconnects += 1;
            let wait = self
                .parser
                .retry()
                .unwrap_or_else(|| resume.retry.backoff(self.reconnects));
            resume.http.clock().sleep(wait).await;
            tracing::info!(
                attempt = self.reconnects,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "reconnecting to an event stream"
            );
            let mut headers = resume.headers.clone();
            resume
                .http
                .refresh_headers::<E>(&resume.tokens, &mut headers)
                .await?;
            headers.insert(HeaderName::from_static("last-event-id"), last_id.clone());
            let attempt = Attempt {
                http: &resume.http,
                method: resume.method.clone(),
                url: resume.url.clone(),
                body: resume.body.clone(),
                stream: std::sync::Mutex::new(None),
                timeout: resume.timeout,
                limit: self.limit,
            };
            match attempt.send::<E>(headers, true).await {
                Ok((_, Answer::Streamed(streaming))) => {
                    self.status = streaming.status;
                    self.request_id = streaming.request_id;
                    self.response = Some(streaming.response);
                    // What the broken connection left unfinished is sent again.
                    self.parser.discard_partial();
                    return Ok(());
                }
                Ok(_) => return Err(error),
                Err(
                    next @ (Error::Connect(_)
                    | Error::Timeout { .. }
                    | Error::Transport(_)
                    | Error::Server(_)
                    | Error::RateLimited { .. }),
                ) => error = next,
                Err(other) => return Err(other),
            }
        }
        Err(error)
    }
}
