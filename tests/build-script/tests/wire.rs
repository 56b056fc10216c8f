//! The client a build script generated, on the wire against a local server.

use build_script_client::intercom::{Client, Error};
use build_script_client::say_hello;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_included_client_sends_and_validates() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(header("authorization", "Bearer t"))
        .and(body_json(serde_json::json!({
            "message_type": "inapp",
            "body": "Hello",
            "from": {"type": "admin", "id": "1"},
            "to": {"type": "user", "id": "2"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "type": "admin_message", "id": "7", "created_at": 1, "message_type": "inapp",
            "body": "Hello", "owner": {"id": "1", "type": "admin"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("t")
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(say_hello(&client, "1", "2").await.unwrap(), "7");
    // An empty admin id breaks the spec's `minLength`: refused before anything is sent (the
    // mock above expects exactly one request).
    match say_hello(&client, "", "2").await {
        Err(Error::Validation(errors)) => assert!(errors.to_string().contains("/from/id")),
        other => panic!("expected a validation error, got {other:?}"),
    }
}
