//! Every rule of the seed documentation, broken one at a time: the request is refused with the
//! JSON pointer of the offending value and the rule's keyword, and nothing reaches the server.
//!
//! Each case starts from the seed's valid request (which is sent, as a control) and changes one
//! thing, so removing a rule from the spec makes its case send a request and fail.

use intercom::{
    Client, ContactRole, CreateMessageRequest, EmailMessageRequest, Error, MessageFrom, MessageTo,
    Template, ValidationErrors,
};
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{seed_request_json, seed_response_json};

/// Parses `request` as a caller holding JSON would, sends it if it parses, and returns the
/// rules it broke with how many requests the server received.
async fn attempt(request: Value) -> (Result<(), ValidationErrors>, usize) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_json()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("tok_test")
        .base_url(server.uri())
        .build()
        .unwrap();
    let outcome = match CreateMessageRequest::from_json(&request.to_string()) {
        Ok(parsed) => match client.messages().create(&parsed).await {
            Ok(_) => Ok(()),
            Err(Error::Validation(errors)) => Err(errors),
            Err(other) => panic!("unexpected error: {other}"),
        },
        Err(errors) => Err(errors),
    };
    let received = server.received_requests().await.unwrap().len();
    (outcome, received)
}

/// Asserts `request` is refused for exactly `expected` (pointer, keyword) pairs, unsent.
async fn refused(request: Value, expected: &[(&str, &str)]) {
    let (outcome, received) = attempt(request.clone()).await;
    let errors = outcome.expect_err(&format!("{request} must be refused"));
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, expected, "{errors}");
    assert_eq!(received, 0, "a refused request must never reach the server");
}

fn with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut request = seed_request_json();
    edit(&mut request);
    request
}

#[tokio::test]
async fn the_seed_request_is_valid_and_sent() {
    let (outcome, received) = attempt(seed_request_json()).await;
    assert_eq!(outcome, Ok(()));
    assert_eq!(received, 1);
}

#[tokio::test]
async fn email_without_subject() {
    let request = with(|r| {
        r.as_object_mut().unwrap().remove("subject");
    });
    refused(request, &[("/subject", "required")]).await;
}

#[tokio::test]
async fn email_without_template() {
    let request = with(|r| {
        r.as_object_mut().unwrap().remove("template");
    });
    refused(request, &[("/template", "required")]).await;
}

#[tokio::test]
async fn template_fancy() {
    refused(
        with(|r| r["template"] = json!("fancy")),
        &[("/template", "enum")],
    )
    .await;
}

#[tokio::test]
async fn missing_body() {
    let request = with(|r| {
        r.as_object_mut().unwrap().remove("body");
    });
    refused(request, &[("/body", "required")]).await;
}

#[tokio::test]
async fn empty_body() {
    refused(with(|r| r["body"] = json!("")), &[("/body", "minLength")]).await;
}

#[tokio::test]
async fn message_type_sms() {
    refused(
        with(|r| r["message_type"] = json!("sms")),
        &[("/message_type", "enum")],
    )
    .await;
}

#[tokio::test]
async fn missing_message_type() {
    let request = with(|r| {
        r.as_object_mut().unwrap().remove("message_type");
    });
    refused(request, &[("/message_type", "required")]).await;
}

#[tokio::test]
async fn to_type_admin() {
    refused(
        with(|r| r["to"]["type"] = json!("admin")),
        &[("/to/type", "enum")],
    )
    .await;
}

#[tokio::test]
async fn from_type_other_than_admin() {
    refused(
        with(|r| r["from"]["type"] = json!("user")),
        &[("/from/type", "const")],
    )
    .await;
}

#[tokio::test]
async fn missing_from_and_to_ids() {
    let request = with(|r| {
        r["to"].as_object_mut().unwrap().remove("id");
    });
    refused(request, &[("/to/id", "required")]).await;
}

#[tokio::test]
async fn empty_ids_are_all_reported() {
    let request = with(|r| {
        r["from"]["id"] = json!("");
        r["to"]["id"] = json!("");
    });
    refused(
        request,
        &[("/from/id", "minLength"), ("/to/id", "minLength")],
    )
    .await;
}

#[tokio::test]
async fn recipient_by_email_as_in_the_php_example() {
    let request = with(|r| r["to"] = json!({ "type": "user", "email": "socrates@email.com" }));
    refused(request, &[("/to/email", "additionalProperties")]).await;
}

#[tokio::test]
async fn unknown_top_level_field() {
    refused(
        with(|r| r["priority"] = json!("high")),
        &[("/priority", "additionalProperties")],
    )
    .await;
}

#[tokio::test]
async fn in_app_message_with_an_email_subject() {
    let request = with(|r| {
        r["message_type"] = json!("inapp");
        r.as_object_mut().unwrap().remove("template");
    });
    refused(request, &[("/subject", "additionalProperties")]).await;
}

#[test]
fn validate_reports_every_violation_at_once() {
    let request: CreateMessageRequest = EmailMessageRequest::new(
        "",
        "",
        Template::from("fancy"),
        MessageFrom::new(""),
        MessageTo::new(ContactRole::Lead, ""),
    )
    .into();
    let errors = request.validate().expect_err("five rules are broken");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "/subject: expected at least 1 character (minLength)",
            "/body: expected at least 1 character (minLength)",
            "/template: expected one of plain, personal (enum)",
            "/from/id: expected at least 1 character (minLength)",
            "/to/id: expected at least 1 character (minLength)",
        ]
    );
    assert!(errors
        .to_string()
        .starts_with("5 validation errors; /subject: "));
}

#[test]
fn an_unknown_value_from_the_api_survives_decoding() {
    let mut response = seed_response_json();
    response["template"] = json!("fancy");
    response["message_type"] = json!("sms");
    let message: intercom::Message = serde_json::from_value(response.clone()).unwrap();
    assert_eq!(
        message.template.as_ref().map(Template::as_str),
        Some("fancy")
    );
    assert_eq!(message.message_type.as_str(), "sms");
    assert_eq!(serde_json::to_value(&message).unwrap(), response);
}
