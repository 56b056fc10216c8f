//! The generated clients under faults, against servers on 127.0.0.1: error statuses, retries
//! that never send a POST twice, timeouts, refused connections, bodies that do not decode, and
//! a token that never shows. Every test is bounded in time, and none sleeps except the one that
//! proves the real clock honours `Retry-After`: the others inject a clock that records waits.

use intercom::http::{Clock, RetryPolicy};
use intercom::{Client, Error};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{seed_request, seed_response_json};

const TOKEN: &str = "tok_test_fault_0123456789";
const BODY_TEXT: &str = "Ponies, cute small horses or something more sinister?";

/// A clock frozen at a fixed time whose sleeps return at once and are written down.
#[derive(Debug)]
struct RecordingClock {
    now: SystemTime,
    waits: Mutex<Vec<Duration>>,
}

impl RecordingClock {
    fn new() -> Arc<Self> {
        Arc::new(RecordingClock {
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            waits: Mutex::new(Vec::new()),
        })
    }

    fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        self.now
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// Fails the test instead of hanging it.
async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the test finished within its time bound")
}

fn intercom(base_url: &str, clock: &Arc<RecordingClock>) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .clock(clock.clone())
        .build()
        .expect("the client builds")
}

fn operations(base_url: &str, clock: &Arc<RecordingClock>) -> operations_client::Client {
    operations_client::Client::builder()
        .base_url(base_url)
        .clock(clock.clone())
        .build()
        .expect("the client builds")
}

fn error_list(code: &str) -> serde_json::Value {
    json!({
        "type": "error.list",
        "request_id": "req-in-body",
        "errors": [{ "code": code, "message": "something is wrong" }]
    })
}

/// Mounts `first` for one request, then `then` for every request after it.
async fn sequence(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_500() {
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(500).set_body_json(error_list("server_error")),
            ResponseTemplate::new(200).set_body_json(seed_response_json()),
        )
        .await;
        let clock = RecordingClock::new();
        let error = intercom(&server.uri(), &clock)
            .messages()
            .create(&seed_request())
            .await
            .expect_err("the 500 reaches the caller");
        assert!(matches!(error, Error::Server(_)), "{error:?}");
        assert_eq!(error.status(), Some(500));
        assert!(
            error.is_retryable(),
            "a 500 is transient, just not safe to resend"
        );
        assert_eq!(
            requests(&server).await,
            1,
            "the message must not be sent twice"
        );
        assert!(clock.waits().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_get_is_retried_after_a_500_and_succeeds() {
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "GET",
            "/status",
            ResponseTemplate::new(500),
            ResponseTemplate::new(200).set_body_json(json!({ "state": "ok" })),
        )
        .await;
        let clock = RecordingClock::new();
        let status = operations(&server.uri(), &clock)
            .status()
            .get()
            .await
            .expect("the retry succeeds");
        assert_eq!(status.state, operations_client::ServiceStatusState::Ok);
        assert_eq!(requests(&server).await, 2);
        let waits = clock.waits();
        assert_eq!(waits.len(), 1);
        assert!(
            waits[0] <= Duration::from_millis(500),
            "full jitter under the base delay: {waits:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_post_marked_idempotent_is_retried_after_a_500() {
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(seed_response_json()),
        )
        .await;
        let clock = RecordingClock::new();
        let message = intercom(&server.uri(), &clock)
            .messages()
            .create(&seed_request())
            .header("Idempotency-Key", "key-1")
            .idempotent()
            .await
            .expect("the caller said resending is harmless");
        assert_eq!(message.id, "2001");
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2);
        assert!(received
            .iter()
            .all(|r| r.headers.get("idempotency-key").unwrap() == "key-1"));
        // The retry is the same request: every header (rebuilt for it) and the body.
        assert_eq!(received[0].headers, received[1].headers);
        assert!(received[1].headers.get("authorization").is_some());
        assert_eq!(
            received[1].headers.get("content-type").unwrap(),
            "application/json"
        );
        assert_eq!(received[0].body, received[1].body);
        assert!(!received[1].body.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_429_is_retried_after_the_retry_after_delay() {
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(error_list("rate_limit_exceeded")),
            ResponseTemplate::new(200).set_body_json(seed_response_json()),
        )
        .await;
        let clock = RecordingClock::new();
        intercom(&server.uri(), &clock)
            .messages()
            .create(&seed_request())
            .await
            .expect("the second try succeeds");
        assert_eq!(requests(&server).await, 2);
        assert_eq!(
            clock.waits(),
            [Duration::from_secs(1)],
            "exactly Retry-After, no jitter"
        );
    })
    .await;
}

#[tokio::test]
async fn the_system_clock_really_waits_for_retry_after() {
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(429).insert_header("retry-after", "1"),
            ResponseTemplate::new(200).set_body_json(seed_response_json()),
        )
        .await;
        let client = Client::builder()
            .token(TOKEN)
            .base_url(server.uri())
            .build()
            .unwrap();
        let started = Instant::now();
        client.messages().create(&seed_request()).await.unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(requests(&server).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_429_waits_until_the_rate_limit_resets() {
    bounded(async {
        let server = MockServer::start().await;
        let clock = RecordingClock::new();
        let reset = clock
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 5;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "1000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str()),
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "1000")
                .insert_header("x-ratelimit-remaining", "999")
                .insert_header("x-request-id", "req-ok")
                .set_body_json(seed_response_json()),
        )
        .await;
        let response = intercom(&server.uri(), &clock)
            .messages()
            .create(&seed_request())
            .send_with_meta()
            .await
            .expect("the second try succeeds");
        assert_eq!(clock.waits(), [Duration::from_secs(5)]);
        assert_eq!(response.meta.status, 200);
        assert_eq!(response.meta.request_id.as_deref(), Some("req-ok"));
        assert_eq!(response.meta.rate_limit.limit, Some(1000));
        assert_eq!(response.meta.rate_limit.remaining, Some(999));
        assert_eq!(response.value.id, "2001");
    })
    .await;
}

#[tokio::test]
async fn a_wait_longer_than_the_policy_allows_returns_the_429() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "3600")
                    .insert_header("x-ratelimit-remaining", "0")
                    .set_body_json(error_list("rate_limit_exceeded")),
            )
            .mount(&server)
            .await;
        let clock = RecordingClock::new();
        let error = intercom(&server.uri(), &clock)
            .messages()
            .create(&seed_request())
            .await
            .expect_err("an hour is too long to wait inside a call");
        let Error::RateLimited {
            retry_after,
            error: api,
        } = &error
        else {
            panic!("expected RateLimited, got {error:?}");
        };
        assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
        assert_eq!(api.meta.rate_limit.remaining, Some(0));
        assert_eq!(error.rate_limit().unwrap().remaining, Some(0));
        assert_eq!(requests(&server).await, 1);
        assert!(clock.waits().is_empty());
    })
    .await;
}

/// A port on 127.0.0.1 with nothing listening.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported_as_connect() {
    bounded(async {
        let url = closed_port().await;
        let clock = RecordingClock::new();
        let error = intercom(&url, &clock)
            .messages()
            .create(&seed_request())
            .await
            .expect_err("nothing listens");
        assert!(matches!(error, Error::Connect(_)), "{error:?}");
        assert!(error.is_retryable());
        // The server never saw the POST, so all three attempts were made: two waits between.
        let waits = clock.waits();
        assert_eq!(waits.len(), 2, "{waits:?}");
        assert!(waits[0] <= Duration::from_millis(500) && waits[1] <= Duration::from_secs(1));

        let error = intercom(&url, &clock)
            .messages()
            .create(&seed_request())
            .retry(RetryPolicy::default().max_attempts(5))
            .await
            .expect_err("nothing listens");
        assert!(matches!(error, Error::Connect(_)), "{error:?}");
        assert_eq!(clock.waits().len(), 2 + 4, "the per-call policy applies");
    })
    .await;
}

/// A server that accepts connections and never answers; returns its URL and the number of
/// connections it accepted.
async fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            open.push(socket);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    bounded(async {
        let (url, accepted) = silent_server().await;
        let clock = RecordingClock::new();
        let client = Client::builder()
            .token(TOKEN)
            .base_url(&url)
            .timeout(Duration::from_millis(300))
            .clock(clock.clone())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client
            .messages()
            .create(&seed_request())
            .await
            .expect_err("no answer");
        let elapsed = started.elapsed();
        let Error::Timeout { after } = error else {
            panic!("expected Timeout, got {error:?}");
        };
        assert_eq!(after, Duration::from_millis(300));
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3),
            "{elapsed:?}"
        );
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            1,
            "a POST that may have arrived is not resent"
        );

        // A per-call timeout overrides the client's; a GET is retried after a timeout.
        let clock = RecordingClock::new();
        let error = operations(&url, &clock)
            .status()
            .get()
            .timeout(Duration::from_millis(100))
            .await
            .expect_err("no answer");
        assert!(matches!(error, operations_client::Error::Timeout { after } if after == Duration::from_millis(100)));
        assert_eq!(clock.waits().len(), 2, "three attempts in all");
        assert_eq!(accepted.load(Ordering::SeqCst), 1 + 3);
    })
    .await;
}

/// Sends the seed request to a server answering 200 with `response` and returns the error.
async fn decode_error(response: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response.insert_header("x-request-id", "req-bad-body"))
        .mount(&server)
        .await;
    let error = intercom(&server.uri(), &RecordingClock::new())
        .messages()
        .create(&seed_request())
        .await
        .expect_err("the body does not decode");
    assert_eq!(requests(&server).await, 1, "a bad body is not retried");
    error
}

#[tokio::test]
async fn bodies_that_do_not_decode_are_decode_errors_with_status_path_and_snippet() {
    bounded(async {
        let html = format!("<html><body>{}</body></html>", "x".repeat(5000));
        let mut wrong_shape = seed_response_json();
        wrong_shape["owner"]["id"] = json!(394051);
        let mut missing = seed_response_json();
        missing.as_object_mut().unwrap().remove("created_at");
        let cases = [
            (
                "malformed",
                ResponseTemplate::new(200)
                    .set_body_raw("{\"type\": \"user_message\",", "application/json"),
                None,
                "{\"type\": \"user_message\",",
            ),
            (
                "wrong type",
                ResponseTemplate::new(200).set_body_json(&wrong_shape),
                Some("/owner/id"),
                "{",
            ),
            (
                "missing field",
                ResponseTemplate::new(200).set_body_json(&missing),
                Some("/created_at"),
                "{",
            ),
            (
                "not an object",
                ResponseTemplate::new(201).set_body_json(json!("just text")),
                Some(""),
                "\"just text\"",
            ),
            ("empty", ResponseTemplate::new(200), None, ""),
            (
                "html",
                ResponseTemplate::new(200).set_body_raw(html.clone(), "text/html"),
                None,
                "<html><body>xxx",
            ),
        ];
        for (name, response, expected_path, starts) in cases {
            let status = if name == "not an object" { 201 } else { 200 };
            let error = decode_error(response).await;
            let Error::Decode {
                status: got,
                path,
                snippet,
                request_id,
                message,
            } = &error
            else {
                panic!("{name}: expected Decode, got {error:?}");
            };
            assert_eq!(*got, status, "{name}");
            assert_eq!(path.as_deref(), expected_path, "{name}: {message}");
            assert!(snippet.starts_with(starts), "{name}: {snippet:?}");
            assert!(snippet.len() <= 1024, "{name}: the snippet is bounded");
            assert_eq!(request_id.as_deref(), Some("req-bad-body"), "{name}");
            assert_eq!(error.request_id(), Some("req-bad-body"));
            assert!(!error.is_retryable(), "{name}");
            assert!(
                error.to_string().contains(&format!("HTTP {status}")),
                "{name}: {error}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn every_declared_error_status_decodes_into_its_variant() {
    bounded(async {
        let codes = [
            (400, "parameter_invalid"),
            (401, "unauthorized"),
            (403, "forbidden"),
            (404, "not_found"),
            (422, "unprocessable_entity"),
            (429, "rate_limit_exceeded"),
            (500, "server_error"),
            (409, "conflict"),
        ];
        for (status, code) in codes {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(
                    ResponseTemplate::new(status)
                        .insert_header("x-request-id", format!("req-{status}").as_str())
                        .insert_header("x-ratelimit-remaining", "7")
                        .set_body_json(error_list(code)),
                )
                .mount(&server)
                .await;
            let error = intercom(&server.uri(), &RecordingClock::new())
                .messages()
                .create(&seed_request())
                .retry(RetryPolicy::never())
                .await
                .expect_err("an error status");
            let variant_matches = match status {
                400 => matches!(error, Error::BadRequest(_)),
                401 => matches!(error, Error::Unauthorized(_)),
                403 => matches!(error, Error::Forbidden(_)),
                404 => matches!(error, Error::NotFound(_)),
                422 => matches!(error, Error::UnprocessableEntity(_)),
                429 => matches!(
                    error,
                    Error::RateLimited {
                        retry_after: None,
                        ..
                    }
                ),
                500 => matches!(error, Error::Server(_)),
                _ => matches!(error, Error::Api(_)),
            };
            assert!(variant_matches, "{status}: {error:?}");
            assert_eq!(error.status(), Some(status));
            assert_eq!(error.request_id(), Some(format!("req-{status}").as_str()));
            let list = error.body().expect("the error list decodes");
            assert_eq!(list.errors[0].code, code);
            assert_eq!(list.request_id.as_deref(), Some("req-in-body"));
            assert_eq!(error.rate_limit().unwrap().remaining, Some(7));
            let api = error.api_error().unwrap();
            assert_eq!(api.headers()["x-ratelimit-remaining"], "7");
            assert!(api.snippet.contains(code));
            assert_eq!(requests(&server).await, 1, "{status}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_error_body_off_the_spec_still_gives_the_typed_status() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(404).set_body_raw("<h1>gone</h1>", "text/html"))
            .mount(&server)
            .await;
        let error = intercom(&server.uri(), &RecordingClock::new())
            .messages()
            .create(&seed_request())
            .await
            .expect_err("a 404");
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
        assert!(error.body().is_none());
        assert_eq!(error.api_error().unwrap().snippet, "<h1>gone</h1>");
    })
    .await;
}

#[tokio::test]
async fn headers_user_agent_and_per_call_headers_go_on_the_wire() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_json()))
            .mount(&server)
            .await;
        let clock = RecordingClock::new();
        let client = intercom(&server.uri(), &clock);
        client
            .messages()
            .create(&seed_request())
            .header("X-Trace", "abc")
            .header("Intercom-Version", "2.12")
            .await
            .unwrap();
        let received = &server.received_requests().await.unwrap()[0];
        let header = |name: &str| {
            received
                .headers
                .get(name)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(header("user-agent"), "intercom/0.1.0");
        assert_eq!(header("x-trace"), "abc");
        assert_eq!(
            header("intercom-version"),
            "2.12",
            "a call header replaces the client's"
        );
        assert_eq!(header("authorization"), format!("Bearer {TOKEN}"));

        let error = client
            .messages()
            .create(&seed_request())
            .header("X-Bad", "line\nbreak")
            .await
            .expect_err("a header value cannot hold a newline");
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

/// A `MakeWriter` for tracing that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn the_token_and_the_body_never_show_in_debug_display_or_traces() {
    use tracing_subscriber::util::SubscriberInitExt;

    let captured = Captured::default();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish()
        .set_default();

    let mut shown = Vec::new();
    bounded(async {
        let server = MockServer::start().await;
        sequence(
            &server,
            "POST",
            "/messages",
            ResponseTemplate::new(429).insert_header("retry-after", "0"),
            ResponseTemplate::new(401).set_body_json(error_list("unauthorized")),
        )
        .await;
        let clock = RecordingClock::new();
        let client = intercom(&server.uri(), &clock);
        shown.push(format!("{client:?}"));
        shown.push(format!("{:?}", Client::builder().token(TOKEN)));
        shown.push(format!("{:?}", client.messages().create(&seed_request())));
        let mut errors = vec![client
            .messages()
            .create(&seed_request())
            .await
            .expect_err("a 401")];
        errors.push(
            intercom(&closed_port().await, &clock)
                .messages()
                .create(&seed_request())
                .retry(RetryPolicy::never())
                .await
                .expect_err("refused"),
        );
        errors.push(decode_error(ResponseTemplate::new(200)).await);
        errors.push(Client::builder().build().expect_err("no token"));
        errors.push(
            Client::builder()
                .token(format!("{TOKEN}\n"))
                .build()
                .expect_err("a token a header cannot carry"),
        );
        for error in &errors {
            shown.push(format!("{error:?}"));
            shown.push(format!("{error:#?}"));
            shown.push(error.to_string());
        }
    })
    .await;

    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The traces say what happened...
    assert!(
        traces.contains("request{method=POST path=/messages attempt=1 status=429"),
        "{traces}"
    );
    assert!(traces.contains("attempt=2 status=401"), "{traces}");
    assert!(traces.contains("retrying"), "{traces}");
    assert!(traces.contains("elapsed_ms="), "{traces}");
    shown.push(traces);
    // ...and nowhere is the token or the message's text.
    for text in &shown {
        assert!(!text.contains(TOKEN), "the token leaked:\n{text}");
        assert!(!text.contains(BODY_TEXT), "the body leaked:\n{text}");
    }
}
