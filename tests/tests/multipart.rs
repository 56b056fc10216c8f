//! `multipart/form-data` bodies (issue 15, item 2) on the wire: a local server parses the body
//! back and finds every field, the JSON field as JSON and the file byte for byte with its file
//! name and content type (the spec's `encoding` giving the default); a retried call sends the
//! same body again.

use bodies_client::http::{FilePart, Multipart};
use bodies_client::{AttachForm, AttachMetadata, Client};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// One part as a server reads it.
#[derive(Debug, PartialEq)]
struct Parsed {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// A small `multipart/form-data` parser (RFC 7578), independent of the encoder.
fn parse(request: &Request) -> Vec<Parsed> {
    let content_type = request
        .headers
        .get("content-type")
        .expect("a content type")
        .to_str()
        .unwrap()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut starts = Vec::new();
    let mut i = 0;
    while i + delimiter.len() <= body.len() {
        if body[i..].starts_with(&delimiter) {
            starts.push(i);
            i += delimiter.len();
        } else {
            i += 1;
        }
    }
    assert!(body[*starts.last().unwrap()..].starts_with(&[&delimiter[..], b"--"].concat()));
    starts
        .windows(2)
        .map(|pair| {
            // Between `--boundary\r\n` and the `\r\n` before the next delimiter.
            let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
            let split = part.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
            let head = std::str::from_utf8(&part[..split]).unwrap();
            let mut parsed = Parsed {
                name: String::new(),
                file_name: None,
                content_type: None,
                content: part[split + 4..].to_vec(),
            };
            for line in head.split("\r\n") {
                let (header, value) = line.split_once(": ").unwrap();
                match header.to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        for param in value.split("; ").skip(1) {
                            let (key, quoted) = param.split_once('=').unwrap();
                            let unquoted = quoted.trim_matches('"').to_owned();
                            match key {
                                "name" => parsed.name = unquoted,
                                "filename" => parsed.file_name = Some(unquoted),
                                other => panic!("unexpected parameter {other}"),
                            }
                        }
                    }
                    "content-type" => parsed.content_type = Some(value.to_owned()),
                    other => panic!("unexpected header {other}"),
                }
            }
            parsed
        })
        .collect()
}

/// Every byte value, and the boundary's own prefix, so nothing is escaped or cut.
fn awkward_file() -> Vec<u8> {
    let mut content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    content.extend_from_slice(b"\r\n--runtime-\r\n--");
    content
}

#[tokio::test]
async fn the_server_receives_every_field_and_the_file_byte_for_byte() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "doc-1" })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let file = awkward_file();
    let dir = std::env::temp_dir().join(format!("multipart-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let on_disk = dir.join("scan.pdf");
    std::fs::write(&on_disk, &file).unwrap();

    let mut form = Multipart::new();
    form.text("title", "Q3 \"final\" report")
        .json("metadata", &json!({ "pages": 3, "tags": ["a", "b"] }))
        // The spec's `encoding` says `application/pdf` for `file`; the generated method applies it.
        .file("file", FilePart::path(&on_disk).await.unwrap())
        .file(
            "thumbnail",
            FilePart::reader(&b"\x89PNG"[..])
                .await
                .unwrap()
                .file_name("thumb.png")
                .content_type("image/png"),
        );
    let created = client.documents().attach_multipart(form).await.unwrap();
    assert_eq!(created.id, "doc-1");
    std::fs::remove_dir_all(&dir).unwrap();

    let requests = server.received_requests().await.unwrap();
    let parts = parse(&requests[0]);
    assert_eq!(
        parts,
        [
            Parsed {
                name: "title".into(),
                file_name: None,
                content_type: None,
                content: b"Q3 \"final\" report".to_vec(),
            },
            Parsed {
                name: "metadata".into(),
                file_name: None,
                content_type: Some("application/json".into()),
                content: br#"{"pages":3,"tags":["a","b"]}"#.to_vec(),
            },
            Parsed {
                name: "file".into(),
                file_name: Some("scan.pdf".into()),
                content_type: Some("application/pdf".into()),
                content: file,
            },
            Parsed {
                name: "thumbnail".into(),
                file_name: Some("thumb.png".into()),
                content_type: Some("image/png".into()),
                content: b"\x89PNG".to_vec(),
            },
        ]
    );
}

#[tokio::test]
async fn the_typed_form_sends_its_fields_as_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "doc-3" })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let form = AttachForm::new(FilePart::bytes(awkward_file()))
        .with_title("Typed")
        .with_metadata(AttachMetadata::new().with_pages(7));
    let created = client.documents().attach_multipart(form).await.unwrap();
    assert_eq!(created.id, "doc-3");
    let requests = server.received_requests().await.unwrap();
    let parts = parse(&requests[0]);
    assert_eq!(
        parts,
        [
            Parsed {
                name: "title".into(),
                file_name: None,
                content_type: None,
                content: b"Typed".to_vec(),
            },
            Parsed {
                name: "metadata".into(),
                file_name: None,
                content_type: Some("application/json".into()),
                content: br#"{"pages":7}"#.to_vec(),
            },
            // No file name of its own: the field's; no media type of its own: the `encoding`'s.
            Parsed {
                name: "file".into(),
                file_name: Some("file".into()),
                content_type: Some("application/pdf".into()),
                content: awkward_file(),
            },
        ]
    );
}

#[tokio::test]
async fn a_retried_multipart_call_sends_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "doc-2" })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let mut form = Multipart::new();
    form.file("file", FilePart::bytes(awkward_file()).file_name("a.bin"));
    let created = tokio::time::timeout(
        Duration::from_secs(20),
        client.documents().attach_multipart(form).into_future(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(created.id, "doc-2");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[0].headers.get("content-type"),
        requests[1].headers.get("content-type")
    );
    assert_eq!(parse(&requests[1])[0].content, awkward_file());
}

use std::future::IntoFuture;
