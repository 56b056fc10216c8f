//! Streamed responses and uploads (issue 15, item 3), with the client generated from
//! `fixtures/specs/streaming.yaml`, against local servers that misbehave on purpose: servers
//! that stream slowly, stall, break off mid-event, resume from `Last-Event-ID`, or answer an
//! error. Every test is bounded in time so a client that hangs fails it instead of hanging it;
//! none measures speed.

use futures_util::StreamExt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use streaming_client::http::{RetryPolicy, TokenSource, Upload};
use streaming_client::params::TicksWatchParams;
use streaming_client::{ChatEvent, ChatRequest, Client, Error, Tick};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "sk-streaming-secret-7781";

/// What a scripted server does on one connection, after the response head.
#[derive(Clone)]
enum Step {
    /// Writes these bytes as one chunk.
    Send(&'static [u8]),
    /// Waits until the test says to go on.
    Wait(Arc<Notify>),
    /// Ends the body properly (the last chunk) and closes.
    End,
    /// Drops the connection without ending the body: the body breaks off.
    Break,
    /// Sends nothing more, and keeps the connection open.
    Hang,
}

/// One connection's answer: a status, a content type and the steps of a chunked body.
#[derive(Clone)]
struct Script {
    status: u16,
    content_type: &'static str,
    steps: Vec<Step>,
}

fn events(steps: Vec<Step>) -> Script {
    Script {
        status: 200,
        content_type: "text/event-stream",
        steps,
    }
}

/// The request heads (lowercased) a scripted server received, one per connection.
type Seen = Arc<Mutex<Vec<String>>>;

/// A server that answers its n-th connection with `scripts[n]` (the last one again after
/// that), and records each request's head.
async fn scripted(scripts: Vec<Script>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        let mut next = 0;
        while let Ok((socket, _)) = listener.accept().await {
            let script = scripts[next.min(scripts.len() - 1)].clone();
            next += 1;
            tokio::spawn(play(socket, script, record.clone()));
        }
    });
    (format!("http://{address}"), seen)
}

async fn play(mut socket: TcpStream, script: Script, seen: Seen) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|l| l.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if socket.read_exact(&mut body).await.is_err() {
        return;
    }
    seen.lock().unwrap().push(head);
    let start = format!(
        "HTTP/1.1 {} Status\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nx-request-id: req-{}\r\n\r\n",
        script.status,
        script.content_type,
        seen.lock().unwrap().len()
    );
    if socket.write_all(start.as_bytes()).await.is_err() {
        return;
    }
    for step in script.steps {
        match step {
            Step::Send(bytes) => {
                let chunk = [format!("{:x}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat();
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
                let _ = socket.flush().await;
            }
            Step::Wait(go) => go.notified().await,
            Step::End => {
                let _ = socket.write_all(b"0\r\n\r\n").await;
                return;
            }
            Step::Break => return,
            Step::Hang => std::future::pending::<()>().await,
        }
    }
}

/// A clock whose waits take no time and are recorded: reconnections and retries wait on it.
#[derive(Debug, Default)]
struct RecordingClock {
    waits: Mutex<Vec<Duration>>,
}

impl runtime::Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

fn client(base: &str, clock: &Arc<RecordingClock>) -> Client {
    Client::builder()
        .base_url(base)
        .token(TOKEN)
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::default().max_attempts(3))
        .clock(clock.clone())
        .build()
        .unwrap()
}

/// Fails the test instead of hanging it.
async fn bounded<F: IntoFuture>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the client never hangs")
}

/// Everything `watch_ticks` gives, up to the end of its stream.
async fn every_tick(client: &Client) -> Vec<Result<runtime::Event<Tick>, Error>> {
    bounded(async {
        let stream = client
            .ticks()
            .watch(&TicksWatchParams::new())
            .await
            .unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await
}

fn tick(n: i64) -> Tick {
    Tick::new(n)
}

#[tokio::test]
async fn events_are_typed_and_arrive_before_the_stream_ends() {
    let go = Arc::new(Notify::new());
    let (base, seen) = scripted(vec![events(vec![
        Step::Send(b": a comment, skipped\n\ndata: {\"n\":1}\n\n"),
        Step::Wait(go.clone()),
        // One event cut in three chunks, a CRLF between two of them.
        Step::Send(b"data: {\"n\""),
        Step::Send(b":2,\"at\":\"2026-12-03T08:00:00Z\"}\r"),
        Step::Send(b"\n\r\n"),
        Step::End,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    bounded(async {
        let mut ticks = client
            .ticks()
            .watch(&TicksWatchParams::new().with_from(1))
            .await
            .unwrap();
        // The first event is here while the server still holds back the second: nothing waits
        // for the body to end.
        let first = ticks.next_event().await.unwrap().unwrap();
        assert_eq!(first.data, tick(1));
        assert_eq!((first.event, first.id), (None, None));
        go.notify_one();
        let second = ticks.next_event().await.unwrap().unwrap();
        assert_eq!(second.data, tick(2).with_at("2026-12-03T08:00:00Z"));
        assert!(ticks.next_event().await.is_none());
        assert!(
            ticks.next_event().await.is_none(),
            "an ended stream stays ended"
        );
    })
    .await;
    let head = &seen.lock().unwrap()[0];
    assert!(head.starts_with("get /ticks?from=1 http/1.1"), "{head}");
    assert!(head.contains("accept: text/event-stream"), "{head}");
    assert!(head.contains(&format!(
        "authorization: bearer {}",
        TOKEN.to_ascii_lowercase()
    )));
}

#[tokio::test]
async fn event_names_map_to_types_and_done_ends_the_stream() {
    let (base, seen) = scripted(vec![events(vec![
        Step::Send(b"event: delta\ndata: {\"text\":\"Hel\"}\n\n"),
        Step::Send(
            b"event: delta\ndata: {\"text\":\"lo\"}\n\nevent: usage\ndata: {\"tokens\":2}\n\n",
        ),
        Step::Send(b"event: ping\ndata: still here\n\n"),
        // The terminator: the stream ends here though the server keeps the connection open.
        Step::Send(b"data: [DONE]\n\n"),
        Step::Hang,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let request = ChatRequest::new("Say hello");
    let received: Vec<ChatEvent> = bounded(async {
        let stream = client.chat().chat(&request).await.unwrap();
        stream.map(|event| event.unwrap().data).collect().await
    })
    .await;
    let [ChatEvent::Delta(a), ChatEvent::Delta(b), ChatEvent::Usage(usage), ChatEvent::Other { event, data }] =
        received.as_slice()
    else {
        panic!("unexpected events: {received:?}");
    };
    assert_eq!(format!("{}{}", a.text, b.text), "Hello");
    assert_eq!(usage.tokens, 2);
    assert_eq!(
        (event.as_deref(), data.as_str()),
        (Some("ping"), "still here")
    );
    let head = &seen.lock().unwrap()[0];
    assert!(head.starts_with("post /chat http/1.1"), "{head}");
}

#[tokio::test]
async fn a_request_that_breaks_the_spec_is_refused_before_sending() {
    let (base, seen) = scripted(vec![events(vec![Step::End])]).await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let error = client.chat().chat(&ChatRequest::new("")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Validation(e) if e.to_string().contains("/prompt")),
        "{error}"
    );
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_stalled_stream_is_a_timeout_after_the_events_received() {
    let (base, _) = scripted(vec![events(vec![
        Step::Send(b"data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3"),
        Step::Hang,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = Client::builder()
        .base_url(&base)
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .clock(Arc::clone(&clock) as Arc<dyn runtime::Clock>)
        .build()
        .unwrap();
    let items = every_tick(&client).await;
    assert_eq!(items.len(), 3, "two events, then the error, then the end");
    assert_eq!(items[0].as_ref().unwrap().data, tick(1));
    assert_eq!(items[1].as_ref().unwrap().data, tick(2));
    assert!(
        matches!(items[2], Err(Error::Timeout { after }) if after == Duration::from_millis(300)),
        "{:?}",
        items[2]
    );
}

#[tokio::test]
async fn a_broken_post_stream_keeps_its_events_and_is_not_resumed() {
    let (base, seen) = scripted(vec![events(vec![
        Step::Send(b"id: 1\nevent: delta\ndata: {\"text\":\"a\"}\n\n"),
        Step::Send(
            b"id: 2\nevent: delta\ndata: {\"text\":\"b\"}\n\nid: 3\nevent: delta\ndata: {\"te",
        ),
        Step::Break,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let items = bounded(async {
        let stream = client.chat().chat(&ChatRequest::new("go")).await.unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await;
    assert_eq!(items.len(), 3, "{items:?}");
    for (item, text) in items.iter().zip(["a", "b"]) {
        let event = item.as_ref().unwrap();
        assert!(matches!(&event.data, ChatEvent::Delta(d) if d.text == text));
    }
    assert_eq!(items[1].as_ref().unwrap().id.as_deref(), Some("2"));
    // The half-sent third event is not made up into one.
    assert!(
        matches!(items[2], Err(Error::Transport(_))),
        "{:?}",
        items[2]
    );
    // Sending a POST again could act twice: one connection only.
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(clock.waits.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_broken_get_stream_with_ids_resumes_from_the_last_event_id() {
    let (base, seen) = scripted(vec![
        events(vec![
            Step::Send(b"retry: 1500\nid: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\n"),
            Step::Send(b"id: 3\ndata: {\"n\""),
            Step::Break,
        ]),
        events(vec![
            Step::Send(b"id: 3\ndata: {\"n\":3}\n\nid: 4\ndata: {\"n\":4}\n\n"),
            Step::End,
        ]),
    ])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let items = every_tick(&client).await;
    let ticks: Vec<(i64, Option<String>)> = items
        .into_iter()
        .map(|item| {
            let event = item.unwrap();
            (event.data.n, event.id)
        })
        .collect();
    let expected: Vec<(i64, Option<String>)> = (1..=4).map(|n| (n, Some(n.to_string()))).collect();
    assert_eq!(ticks, expected, "every event once, in order");
    let heads = seen.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].contains("last-event-id"));
    assert!(heads[1].contains("last-event-id: 2\r\n"), "{}", heads[1]);
    // The reconnection carries the credential, and waited as the server's `retry:` asked.
    assert!(heads[1].contains("authorization: bearer"));
    assert_eq!(*clock.waits.lock().unwrap(), [Duration::from_millis(1500)]);
}

#[tokio::test]
async fn a_resumed_stream_gives_up_when_the_retry_policy_runs_out() {
    let broken = events(vec![Step::Send(b"id: 7\ndata: {\"n\":7}\n\n"), Step::Break]);
    let (base, seen) = scripted(vec![broken]).await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let items = every_tick(&client).await;
    // Three attempts in all: the first connection and two reconnections, each of which gives
    // the same event again (the server ignores `Last-Event-ID`), then the error.
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[..3]
        .iter()
        .all(|i| i.as_ref().unwrap().data == tick(7)));
    assert!(matches!(items[3], Err(Error::Transport(_))));
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_broken_stream_without_ids_is_not_resumed() {
    let (base, seen) = scripted(vec![events(vec![
        Step::Send(b"data: first line\n\ndata: second\ndata: line\n\n"),
        Step::Break,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let items = bounded(async {
        let stream = client.logs().tail().await.unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await;
    assert_eq!(items[0].as_ref().unwrap().data, "first line");
    assert_eq!(items[1].as_ref().unwrap().data, "second\nline");
    assert!(matches!(items[2], Err(Error::Transport(_))));
    assert_eq!(items.len(), 3);
    // Nothing says where to resume: sending the request again could repeat events.
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_in_its_place() {
    let (base, _) = scripted(vec![events(vec![
        Step::Send(b"data: {\"n\":1}\n\ndata: {\"n\":\"two\"}\n\ndata: {\"n\":3}\n\n"),
        Step::End,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let items = every_tick(&client).await;
    assert_eq!(items.len(), 3);
    match &items[1] {
        Err(Error::Decode {
            status,
            path,
            snippet,
            request_id,
            ..
        }) => {
            assert_eq!(*status, 200);
            assert_eq!(path.as_deref(), Some("/n"));
            assert_eq!(snippet, "{\"n\":\"two\"}");
            assert_eq!(request_id.as_deref(), Some("req-1"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(items[2].as_ref().unwrap().data, tick(3));
}

#[tokio::test]
async fn an_error_status_is_a_typed_error_not_a_stream() {
    let (base, _) = scripted(vec![Script {
        status: 404,
        content_type: "application/json",
        steps: vec![Step::Send(b"{\"message\":\"no such clock\"}"), Step::End],
    }])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let error = bounded(client.ticks().watch(&TicksWatchParams::new()))
        .await
        .unwrap_err();
    let Error::NotFound(error) = error else {
        panic!("expected 404, got {error:?}");
    };
    assert_eq!(error.body.unwrap().message, "no such clock");
    assert_eq!(error.meta.request_id.as_deref(), Some("req-1"));
}

#[tokio::test]
async fn streams_are_cancel_safe_and_leave_the_client_usable() {
    let go = Arc::new(Notify::new());
    let (base, _) = scripted(vec![events(vec![
        Step::Send(b"data: {\"n\":1}\n\n"),
        Step::Wait(go.clone()),
        Step::Send(b"data: {\"n\":2}\n\n"),
        Step::Hang,
    ])])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    bounded(async {
        let mut ticks = client
            .ticks()
            .watch(&TicksWatchParams::new())
            .await
            .unwrap();
        assert_eq!(ticks.next_event().await.unwrap().unwrap().data, tick(1));
        // A `next_event` future dropped while it waits loses nothing...
        let waited = tokio::time::timeout(Duration::from_millis(50), ticks.next_event()).await;
        assert!(waited.is_err(), "the server has not sent the second event");
        go.notify_one();
        assert_eq!(ticks.next_event().await.unwrap().unwrap().data, tick(2));
        // ...and a stream dropped halfway leaves the client as it was.
        drop(ticks);
        let again = client
            .ticks()
            .watch(&TicksWatchParams::new())
            .await
            .unwrap();
        assert!(!format!("{again:?}").contains(TOKEN));
    })
    .await;
}

#[tokio::test]
async fn a_download_streams_and_a_broken_one_keeps_its_chunks() {
    let whole = Script {
        status: 200,
        content_type: "application/octet-stream",
        steps: vec![
            Step::Send(b"\x00\x01\x02"),
            Step::Send(b"\xFF\xFE"),
            Step::End,
        ],
    };
    let broken = Script {
        status: 200,
        content_type: "application/octet-stream",
        steps: vec![Step::Send(b"partial"), Step::Break],
    };
    let stalled = Script {
        status: 200,
        content_type: "application/octet-stream",
        steps: vec![Step::Send(b"slow"), Step::Hang],
    };
    let (base, seen) = scripted(vec![whole, broken, stalled]).await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = Client::builder()
        .base_url(&base)
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .clock(Arc::clone(&clock) as Arc<dyn runtime::Clock>)
        .build()
        .unwrap();
    bounded(async {
        let download = client.files().download("a.bin").await.unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.collect().await.unwrap(), b"\x00\x01\x02\xFF\xFE");

        let mut download = client.files().download("b.bin").await.unwrap();
        assert_eq!(
            &download.next_chunk().await.unwrap().unwrap()[..],
            b"partial"
        );
        assert!(matches!(
            download.next_chunk().await,
            Some(Err(Error::Transport(_)))
        ));
        assert!(download.next_chunk().await.is_none());

        let mut download = client.files().download("c.bin").await.unwrap();
        assert_eq!(&download.next_chunk().await.unwrap().unwrap()[..], b"slow");
        assert!(matches!(
            download.next_chunk().await,
            Some(Err(Error::Timeout { .. }))
        ));
    })
    .await;
    let heads = seen.lock().unwrap();
    assert!(heads[0].starts_with("get /files/a.bin http/1.1"));
    assert!(heads[0].contains("accept: application/octet-stream"));
}

#[tokio::test]
async fn collecting_a_download_is_held_to_the_size_limit() {
    let (base, _) = scripted(vec![Script {
        status: 200,
        content_type: "application/octet-stream",
        steps: vec![Step::Send(&[7; 600]), Step::Send(&[7; 600]), Step::End],
    }])
    .await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&base, &clock);
    let download = bounded(client.files().download("big").max_response_size(1000))
        .await
        .unwrap();
    let error = bounded(download.collect()).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1000, .. }),
        "{error}"
    );
}

/// A stand-in for a reader or a network source: the bytes come in pieces, one at a time.
fn pieces(bytes: &[u8], size: usize) -> Vec<Result<Vec<u8>, std::io::Error>> {
    bytes.chunks(size).map(|c| Ok(c.to_vec())).collect()
}

fn payload(len: usize) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed.to_le_bytes()[0]
        })
        .collect()
}

async fn upload_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let answer = match status {
        200 => ResponseTemplate::new(200).set_body_json(serde_json::json!({"size": 0})),
        other => ResponseTemplate::new(other),
    };
    Mock::given(method("PUT"))
        .and(path("/files/f"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn uploads_from_a_file_a_stream_and_memory_arrive_byte_for_byte() {
    let server = upload_server(200).await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&server.uri(), &clock);
    let bytes = payload(3 * 1024 * 1024 + 17);
    let dir = std::env::temp_dir().join(format!("streaming-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("payload.bin");
    std::fs::write(&file, &bytes).unwrap();

    let from_file = Upload::file(&file).await.unwrap();
    assert_eq!(from_file.len(), Some(bytes.len() as u64));
    bounded(client.files().upload("f", from_file))
        .await
        .unwrap();
    let from_stream = Upload::stream(futures_util::stream::iter(pieces(&bytes, 64 * 1024)));
    bounded(client.files().upload("f", from_stream))
        .await
        .unwrap();
    bounded(client.files().upload("f", &bytes)).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert!(request.body == bytes, "the server got every byte, in order");
        assert_eq!(
            request.headers.get("content-type").unwrap(),
            "application/octet-stream"
        );
    }
    // A file's length is known: it goes as `Content-Length`; a stream's is not: chunked.
    assert_eq!(
        received[0].headers.get("content-length").unwrap(),
        &bytes.len().to_string()
    );
    assert!(received[1].headers.get("content-length").is_none());
}

#[tokio::test]
async fn a_streamed_upload_is_sent_once_where_bytes_are_retried() {
    let server = upload_server(503).await;
    let clock: Arc<RecordingClock> = Arc::default();
    let client = client(&server.uri(), &clock);
    let bytes = payload(1000);
    let error = bounded(client.files().upload("f", &bytes))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)));
    // `PUT` is idempotent and the bytes are in memory: three attempts.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    server.reset().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let stream = Upload::stream(futures_util::stream::iter(pieces(&bytes, 100)));
    let error = bounded(client.files().upload("f", stream))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)));
    // The stream is spent after the first attempt: it cannot be sent again.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_mock_serves_typed_events() {
    let mock = streaming_client::mock::Mock::start().await;
    mock.chat()
        .chat()
        .respond("event: delta\ndata: {\"text\":\"hi\"}\n\ndata: [DONE]\n\n")
        .await;
    let events: Vec<_> = bounded(async {
        let stream = mock
            .client()
            .chat()
            .chat(&ChatRequest::new("hello"))
            .await
            .unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await;
    assert_eq!(events.len(), 1);
    assert!(matches!(&events[0].as_ref().unwrap().data, ChatEvent::Delta(d) if d.text == "hi"));
}

#[tokio::test]
async fn a_reconnection_asks_the_token_source_again() {
    let (base, seen) = scripted(vec![
        events(vec![Step::Send(b"id: 1\ndata: {\"n\":1}\n\n"), Step::Break]),
        events(vec![Step::Send(b"id: 2\ndata: {\"n\":2}\n\n"), Step::End]),
    ])
    .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let clock: Arc<RecordingClock> = Arc::default();
    // A token that changes between the connection and the reconnection (say, refreshed
    // after it expired).
    let client = Client::builder()
        .base_url(&base)
        .token_with(TokenSource::callback(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, String>(format!("tok-{n}")) }
        }))
        .clock(Arc::clone(&clock) as Arc<dyn runtime::Clock>)
        .build()
        .unwrap();
    let items = every_tick(&client).await;
    let ticks: Vec<i64> = items.into_iter().map(|i| i.unwrap().data.n).collect();
    assert_eq!(ticks, [1, 2]);
    let heads = seen.lock().unwrap();
    assert!(
        heads[0].contains("authorization: bearer tok-1\r\n"),
        "{}",
        heads[0]
    );
    assert!(
        heads[1].contains("authorization: bearer tok-2\r\n"),
        "{}",
        heads[1]
    );
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}
