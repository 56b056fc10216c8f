//! The generated client against a local server: what goes on the wire, what comes back.

use intercom::http::RetryPolicy;
use intercom::{
    Client, ContactRole, CreateMessageRequest, EmailMessageRequest, Error, InAppMessageRequest,
    MessageFrom, MessageTo, MessageType, Template,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{seed_request, seed_request_json, seed_response_json};

const TOKEN: &str = "tok_test_0123456789";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .build()
        .expect("a client with a token and a base URL builds")
}

#[tokio::test]
async fn sends_the_seed_email_and_decodes_the_created_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(header("intercom-version", "2.11"))
        .and(body_json(seed_request_json()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_json()))
        .expect(1)
        .mount(&server)
        .await;

    let message = client(&server)
        .messages()
        .create(&seed_request())
        .await
        .expect("the seed request succeeds");

    assert_eq!(message.type_, "admin_message");
    assert_eq!(message.id, "2001");
    assert_eq!(message.created_at, 1401916877);
    assert_eq!(message.message_type, MessageType::Email);
    assert_eq!(message.subject.as_deref(), Some("Hey"));
    assert_eq!(
        message.body,
        "Ponies, cute small horses or something more sinister?"
    );
    assert_eq!(message.template, Some(Template::Plain));
    assert_eq!(message.owner.type_, "admin");
    assert_eq!(message.owner.id, "394051");
    assert_eq!(message.owner.name.as_deref(), Some("Wash"));
    assert_eq!(message.owner.email.as_deref(), Some("email@example.com"));
    // Decoding loses nothing: the message serialises back to the seed's response.
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        seed_response_json()
    );
}

#[tokio::test]
async fn user_agent_names_the_crate_and_version() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "user-agent",
            concat!("intercom/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_json()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .messages()
        .create(&seed_request())
        .await
        .expect("the request carries the user agent");
}

#[tokio::test]
async fn sends_an_in_app_message_without_subject_or_template() {
    let server = MockServer::start().await;
    let request: CreateMessageRequest = InAppMessageRequest::new(
        "And what, Socrates, is the food of the soul?",
        MessageFrom::new("814860"),
        MessageTo::new(ContactRole::Lead, "536e564f316c83104c000020"),
    )
    .into();
    let response = json!({
      "type": "admin_message",
      "id": "2002",
      "created_at": 1401916999,
      "message_type": "inapp",
      "body": "And what, Socrates, is the food of the soul?",
      "owner": { "id": "814860", "type": "admin" }
    });
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(body_json(json!({
          "message_type": "inapp",
          "body": "And what, Socrates, is the food of the soul?",
          "from": { "type": "admin", "id": "814860" },
          "to": { "type": "lead", "id": "536e564f316c83104c000020" }
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .expect(1)
        .mount(&server)
        .await;

    let message = client(&server)
        .messages()
        .create(&request)
        .await
        .expect("the in-app request succeeds");
    assert_eq!(message.message_type, MessageType::Inapp);
    assert_eq!(message.subject, None);
    assert_eq!(message.template, None);
    assert_eq!(message.owner.name, None);
}

#[tokio::test]
async fn a_404_becomes_not_found_with_status_request_id_and_codes() {
    let server = MockServer::start().await;
    let body = json!({
      "type": "error.list",
      "request_id": "req-from-body",
      "errors": [{ "code": "not_found", "message": "User Not Found" }]
    });
    Mock::given(method("POST"))
        .and(path("/messages"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .messages()
        .create(&seed_request())
        .await
        .expect_err("a 404 is an error");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("req-from-body"));
    let Error::NotFound(api) = &error else {
        panic!("expected Error::NotFound, got {error:?}");
    };
    let list = api.body.as_ref().expect("the error list decodes");
    assert_eq!(list.type_, "error.list");
    assert_eq!(list.errors.len(), 1);
    assert_eq!(list.errors[0].code, "not_found");
    assert_eq!(list.errors[0].message.as_deref(), Some("User Not Found"));
    let shown = error.to_string();
    assert!(shown.contains("404 Not Found"), "{shown}");
    assert!(shown.contains("req-from-body"), "{shown}");
}

#[tokio::test]
async fn the_request_id_header_wins_over_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-request-id", "req-from-header")
                .set_body_json(json!({
                  "type": "error.list",
                  "request_id": "req-from-body",
                  "errors": [{ "code": "rate_limit_exceeded" }]
                })),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .messages()
        .create(&seed_request())
        .retry(RetryPolicy::never())
        .await
        .expect_err("a 429 is an error");
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.request_id(), Some("req-from-header"));
}

#[tokio::test]
async fn an_invalid_request_is_rejected_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_json()))
        .expect(0)
        .mount(&server)
        .await;
    let request: CreateMessageRequest = EmailMessageRequest::new(
        "Hey",
        "",
        Template::Personal,
        MessageFrom::new(""),
        MessageTo::new(ContactRole::User, "536e564f316c83104c000020"),
    )
    .into();

    let error = client(&server)
        .messages()
        .create(&request)
        .await
        .expect_err("an empty body is invalid");
    let Error::Validation(errors) = &error else {
        panic!("expected Error::Validation, got {error:?}");
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["/body", "/from/id"]);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let client = Client::builder()
        .token(TOKEN)
        .build()
        .expect("a client with a token builds");
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let builder = format!("{:?}", Client::builder().token(TOKEN));
    assert!(!builder.contains(TOKEN), "{builder}");
    assert!(builder.contains("[redacted]"), "{builder}");
}

#[test]
fn building_without_a_token_is_a_config_error() {
    let error = Client::builder().build().expect_err("no token, no client");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(error.to_string().contains(".token("), "{error}");
}

#[test]
fn regions_choose_the_base_url() {
    let url = |region| {
        Client::builder()
            .token(TOKEN)
            .region(region)
            .build()
            .unwrap()
            .base_url()
            .to_owned()
    };
    assert_eq!(url(intercom::Region::Us), "https://api.intercom.io");
    assert_eq!(url(intercom::Region::Eu), "https://api.eu.intercom.io");
    assert_eq!(url(intercom::Region::Au), "https://api.au.intercom.io");
    let default = Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(default.base_url(), "https://api.intercom.io");
}
