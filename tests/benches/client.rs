//! The generated client's overhead over hand-written code, each pair in one criterion group so
//! the ratio can be read off directly:
//!
//! - `request_body`: `validate()` + serialise the seed's `CreateMessageRequest`, against
//!   serialising a hand-written serde struct of the same shape (the same bytes), and the
//!   generated type's serialisation alone;
//! - `response_body`: decode the seed's `Message` response the way the client does, against
//!   `serde_json::from_slice` into a hand-written struct;
//! - `round_trip`: one `POST /messages` through `intercom::Client` against the same request
//!   through a bare `reqwest::Client` (same headers, same timeout), both against a minimal
//!   HTTP/1.1 keep-alive responder on 127.0.0.1 that answers every request with the seed's
//!   response;
//! - `round_trip_wiremock`: the same pair against wiremock, to show what a test server costs
//!   per request (it dominates the round trip, so wiremock is for tests, not for measuring).
//!
//! Run with `cargo bench -p workspace-tests --bench client`.

use criterion::{criterion_group, criterion_main, Criterion};
use intercom::Client;
use runtime::reqwest;
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use workspace_tests::seed_request;

const TOKEN: &str = "tok_bench_0123456789";

// The hand-written baseline: what one would write by hand for the same JSON.

#[derive(Serialize)]
struct HandRequest {
    message_type: &'static str,
    subject: String,
    body: String,
    template: HandTemplate,
    from: HandFrom,
    to: HandTo,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum HandTemplate {
    Plain,
    Personal,
}

#[derive(Serialize)]
struct HandFrom {
    #[serde(rename = "type")]
    type_: &'static str,
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum HandRole {
    User,
}

#[derive(Serialize)]
struct HandTo {
    #[serde(rename = "type")]
    type_: HandRole,
    id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)] // Decoded to be measured, not read.
struct HandMessage {
    #[serde(rename = "type")]
    type_: String,
    id: String,
    created_at: i64,
    message_type: HandMessageType,
    subject: Option<String>,
    body: String,
    template: Option<HandTemplate>,
    owner: HandOwner,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum HandMessageType {
    Email,
    Inapp,
}

#[derive(Deserialize)]
#[allow(dead_code)] // Decoded to be measured, not read.
struct HandOwner {
    #[serde(rename = "type")]
    type_: String,
    id: String,
    name: Option<String>,
    email: Option<String>,
}

fn hand_request() -> HandRequest {
    HandRequest {
        message_type: "email",
        subject: "Hey".into(),
        body: "Ponies, cute small horses or something more sinister?".into(),
        template: HandTemplate::Plain,
        from: HandFrom {
            type_: "admin",
            id: "394051".into(),
        },
        to: HandTo {
            type_: HandRole::User,
            id: "536e564f316c83104c000020".into(),
        },
    }
}

fn request_body(c: &mut Criterion) {
    let generated = seed_request();
    let hand = hand_request();
    assert_eq!(
        serde_json::to_vec(&generated).unwrap(),
        serde_json::to_vec(&hand).unwrap(),
        "the baseline must write the same bytes"
    );
    let mut group = c.benchmark_group("request_body");
    group.bench_function("generated_validate_and_serialise", |b| {
        b.iter(|| {
            let request = black_box(&generated);
            request.validate().unwrap();
            serde_json::to_vec(request).unwrap()
        })
    });
    group.bench_function("generated_serialise", |b| {
        b.iter(|| serde_json::to_vec(black_box(&generated)).unwrap())
    });
    group.bench_function("handwritten_serialise", |b| {
        b.iter(|| serde_json::to_vec(black_box(&hand)).unwrap())
    });
    group.finish();
}

fn response_body(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&workspace_tests::seed_response_json()).unwrap();
    let mut group = c.benchmark_group("response_body");
    group.bench_function("generated_decode", |b| {
        // What the client runs on a 2xx body.
        b.iter(|| runtime::body::json::<intercom::Message>(200, black_box(&bytes)).unwrap())
    });
    group.bench_function("handwritten_decode", |b| {
        b.iter(|| serde_json::from_slice::<HandMessage>(black_box(&bytes)).unwrap())
    });
    group.finish();
}

/// The end of a complete request in `buf` (headers and `Content-Length` bytes of body).
fn request_end(buf: &[u8]) -> Option<usize> {
    let head = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let length = std::str::from_utf8(&buf[..head])
        .ok()?
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    (buf.len() >= head + length).then_some(head + length)
}

/// A minimal HTTP/1.1 server on 127.0.0.1: every request on a kept-alive connection gets the
/// seed's response, nothing parsed beyond where the request ends.
async fn responder() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let body = serde_json::to_vec(&workspace_tests::seed_response_json()).unwrap();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response: &'static [u8] = Vec::leak(response);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let _ = socket.set_nodelay(true);
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                loop {
                    match socket.read_buf(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    while let Some(end) = request_end(&buf) {
                        buf.drain(..end);
                        if socket.write_all(response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    addr
}

/// A bare reqwest client sending what the generated one sends: the same headers and timeout.
fn raw_client() -> reqwest::Client {
    use reqwest::header::{HeaderMap, HeaderValue};
    let mut headers = HeaderMap::new();
    let mut auth = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
    auth.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, auth);
    headers.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("intercom-version", HeaderValue::from_static("2.11"));
    headers.insert(
        reqwest::header::USER_AGENT,
        HeaderValue::from_static("intercom/0.1.0"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn raw_round_trip(client: &reqwest::Client, url: &str, request: &HandRequest) -> HandMessage {
    let body = serde_json::to_vec(request).unwrap();
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn round_trips(c: &mut Criterion, group_name: &str, base_url: &str, rt: &tokio::runtime::Runtime) {
    let client = Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .build()
        .unwrap();
    let raw = raw_client();
    let url = format!("{base_url}/messages");
    let generated = seed_request();
    let hand = hand_request();
    let mut group = c.benchmark_group(group_name);
    group.bench_function("generated_client", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(client.messages().create(&generated).await.unwrap());
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    black_box(raw_round_trip(&raw, &url, &hand).await);
                }
                started.elapsed()
            })
        })
    });
    group.finish();
}

fn round_trip(c: &mut Criterion) {
    // One thread for client and server: no cross-thread wake-ups to add noise, and both sides
    // of the comparison pay the server's (tiny) share alike.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let addr = rt.block_on(responder());
    round_trips(c, "round_trip", &format!("http://{addr}"), &rt);
}

fn round_trip_wiremock(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(async {
        let server = wiremock::MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_json(workspace_tests::seed_response_json()),
            )
            .mount(&server)
            .await;
        server
    });
    round_trips(c, "round_trip_wiremock", &server.uri(), &rt);
}

criterion_group!(
    benches,
    request_body,
    response_body,
    round_trip,
    round_trip_wiremock
);
criterion_main!(benches);
