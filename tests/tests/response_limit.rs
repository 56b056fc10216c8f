//! The response size limit (issue 15, item 5): a buffered body larger than the limit fails the
//! call with `Error::ResponseTooLarge` before its memory is spent. Shown by counting the bytes
//! this test binary holds allocated (a global allocator wrapper that tracks the peak), never by
//! timing: a 64 MiB response never costs 64 MiB, and a 64 MiB download, streamed, costs a few
//! chunks.

use operations_client::{Client, Error};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

struct Counting;

/// Bytes allocated now, and the most ever allocated at once since the last [`reset_peak`].
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block before the old one is freed, as a copying realloc holds both.
        let now = CURRENT.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const MIB: usize = 1024 * 1024;

/// Starts measuring: the peak becomes what is allocated now.
fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// The most allocated at once since `reset_peak` returned `base`, above `base`.
fn peak_since(base: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// What the test server sends after the status line.
#[derive(Clone, Copy)]
enum Body {
    /// `Content-Length: n` and n bytes.
    Sized(usize),
    /// `Transfer-Encoding: chunked`, n bytes in 64 KiB chunks.
    Chunked(usize),
}

/// Written again and again: the server itself allocates nothing per byte it sends.
static FILLER: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A server that answers every request with `status` and a body of spaces shaped by `body`,
/// written from one static buffer. It stops writing when the client hangs up.
async fn server(status: u16, body: Body) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket, status, body));
        }
    });
    format!("http://{address}")
}

async fn answer(mut socket: TcpStream, status: u16, body: Body) {
    // Reads the request head (a GET has no body).
    let mut head = [0u8; 4096];
    let mut read = 0;
    while !head[..read].windows(4).any(|w| w == b"\r\n\r\n") && read < head.len() {
        match socket.read(&mut head[read..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
    let framing = match body {
        Body::Sized(n) => format!("content-length: {n}"),
        Body::Chunked(_) => "transfer-encoding: chunked".to_owned(),
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: big-1\r\n{framing}\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let (Body::Sized(mut left) | Body::Chunked(mut left)) = body;
    while left > 0 {
        let n = left.min(FILLER.len());
        let written = match body {
            Body::Sized(_) => socket.write_all(&FILLER[..n]).await,
            Body::Chunked(_) => {
                let size = format!("{n:x}\r\n");
                let mut result = socket.write_all(size.as_bytes()).await;
                if result.is_ok() {
                    result = socket.write_all(&FILLER[..n]).await;
                }
                if result.is_ok() {
                    result = socket.write_all(b"\r\n").await;
                }
                result
            }
        };
        if written.is_err() {
            return;
        }
        left -= n;
    }
    if matches!(body, Body::Chunked(_)) {
        let _ = socket.write_all(b"0\r\n\r\n").await;
    }
    let _ = socket.shutdown().await;
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(operations_client::http::RetryPolicy::never())
        .build()
        .unwrap()
}

/// Every case that measures memory runs in this one test, one after the other, so no other
/// test of this binary allocates during a measurement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_response_gets_a_size_limit_error_and_memory_stays_bounded() {
    // Declared: refused at the headers, before a byte of the body is read.
    let url = server(200, Body::Sized(64 * MIB)).await;
    let client = client(&url);
    let base = reset_peak();
    let error = client.status().get().await.unwrap_err();
    let peak = peak_since(base);
    let Error::ResponseTooLarge {
        status,
        limit,
        declared,
        request_id,
    } = &error
    else {
        panic!("expected ResponseTooLarge, got {error:?}");
    };
    assert_eq!(
        (*status, *limit, *declared),
        (200, 32 * MIB as u64, Some(64 * MIB as u64))
    );
    assert_eq!(request_id.as_deref(), Some("big-1"));
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("big-1"));
    let message = error.to_string();
    assert!(
        message.contains("larger than the limit of 33554432 bytes")
            && message.contains("declared 67108864 bytes")
            && message.contains("max_response_size"),
        "{message}"
    );
    assert!(
        peak < MIB,
        "refusing a declared 64 MiB body allocated {peak} bytes"
    );
    eprintln!("64 MiB with Content-Length, default limit: peak {peak} bytes");

    // Not declared (chunked): read up to the default limit of 32 MiB, then refused. The buffer
    // never grows past the limit; growing it from 16 to 32 MiB holds both blocks for a moment
    // (counted here as a copying realloc would), so the peak is at most 1.5 times the limit.
    let url = server(200, Body::Chunked(64 * MIB)).await;
    let client = self::client(&url);
    let base = reset_peak();
    let error = client.status().get().await.unwrap_err();
    let peak = peak_since(base);
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                status: 200,
                declared: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        peak <= 48 * MIB + 4 * MIB,
        "a chunked 64 MiB body with a 32 MiB limit peaked at {peak} bytes"
    );
    eprintln!("64 MiB chunked, default limit (32 MiB): peak {peak} bytes");

    // The same with a per-call limit of 1 MiB: the peak follows the limit, not the body.
    let base = reset_peak();
    let error = client
        .status()
        .get()
        .max_response_size(MIB as u64)
        .await
        .unwrap_err();
    let peak = peak_since(base);
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, declared: None, .. } if limit == MIB as u64),
        "{error:?}"
    );
    assert!(
        peak < 3 * MIB,
        "a chunked 64 MiB body with a 1 MiB limit peaked at {peak} bytes"
    );
    eprintln!("64 MiB chunked, per-call limit 1 MiB: peak {peak} bytes");

    // An error status's body is held to the limit too.
    let url = server(500, Body::Sized(64 * MIB)).await;
    let client = self::client(&url);
    let base = reset_peak();
    let error = client.status().get().await.unwrap_err();
    let peak = peak_since(base);
    assert!(
        matches!(error, Error::ResponseTooLarge { status: 500, .. }),
        "{error:?}"
    );
    assert!(peak < MIB, "a declared 64 MiB error body allocated {peak}");

    // A download is a stream: no limit, and it is never held whole. 64 MiB, declared or not,
    // go through chunk by chunk while the memory held stays that of a few chunks.
    for body in [Body::Sized(64 * MIB), Body::Chunked(64 * MIB)] {
        let url = server(200, body).await;
        let client = streaming_client::Client::builder()
            .base_url(&url)
            .token("t")
            .build()
            .unwrap();
        let base = reset_peak();
        let mut download = client.files().download("big.bin").await.unwrap();
        let mut received = 0;
        while let Some(chunk) = download.next_chunk().await {
            received += chunk.unwrap().len();
        }
        let peak = peak_since(base);
        assert_eq!(received, 64 * MIB);
        assert!(
            peak < 2 * MIB,
            "streaming a 64 MiB download peaked at {peak} bytes"
        );
        eprintln!("64 MiB download, streamed: peak {peak} bytes");
    }
}

/// A JSON body of exactly `len` bytes: the status object, padded with spaces.
async fn json_server(len: usize, chunked: bool) -> String {
    let json = br#"{"state":"ok"}"#;
    assert!(len >= json.len());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                let mut body = json.to_vec();
                body.resize(len, b' ');
                let framing = if chunked {
                    "transfer-encoding: chunked".to_owned()
                } else {
                    format!("content-length: {len}")
                };
                let mut out = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\n\r\n"
                )
                .into_bytes();
                if chunked {
                    // Two chunks, so the limit is checked across chunks.
                    let (a, b) = body.split_at(len / 2);
                    for part in [a, b] {
                        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
                        out.extend_from_slice(part);
                        out.extend_from_slice(b"\r\n");
                    }
                    out.extend_from_slice(b"0\r\n\r\n");
                } else {
                    out.extend_from_slice(&body);
                }
                let _ = socket.write_all(&out).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_body_at_the_limit_decodes_and_one_byte_more_does_not() {
    for chunked in [false, true] {
        let url = json_server(1000, chunked).await;
        let at_limit = Client::builder()
            .base_url(&url)
            .max_response_size(1000)
            .build()
            .unwrap();
        let status = at_limit.status().get().await.unwrap();
        assert_eq!(status.state, operations_client::ServiceStatusState::Ok);

        // The client's limit, then a call's that overrides it.
        let under = Client::builder()
            .base_url(&url)
            .max_response_size(999)
            .build()
            .unwrap();
        let error = under.status().get().await.unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: 999, .. }),
            "chunked {chunked}: {error:?}"
        );
        assert!(!error.is_retryable(), "a body too large is too large again");
        assert!(under.status().get().max_response_size(1000).await.is_ok());
        let options = operations_client::http::RequestOptions::new().max_response_size(10);
        let error = at_limit.status().get().options(&options).await.unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: 10, .. }),
            "{error:?}"
        );
    }
}
