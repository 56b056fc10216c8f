//! Testing code that uses the client with the crate's `mock` feature: a small function that
//! welcomes a user by sending a message, tested against `intercom::mock::Mock` without a single
//! hand-written HTTP matcher; and the mock reporting requests that break the spec's rules.
//!
//! The client validates every request before sending it, so code that goes through the client
//! cannot send the mock a request that breaks a rule: such a call fails with
//! `Error::Validation` and nothing reaches the mock (tested below). What the mock's check
//! catches is a request from code that builds its JSON by hand (here, code written from the
//! documentation's PHP example, which addresses the recipient by email) or from an older or
//! different client: those requests are sent with reqwest.

use intercom::mock::Mock;
use intercom::{
    Client, ContactRole, CreateMessageRequest, EmailMessageRequest, Error, ErrorDetail, ErrorList,
    Message, MessageFrom, MessageOwner, MessageTo, MessageType, Template,
};
use serde_json::json;

/// The code under test: welcomes a new user with an email from the support admin.
async fn welcome(client: &Client, user_id: &str) -> Result<Message, Error> {
    let request: CreateMessageRequest = EmailMessageRequest::new(
        "Welcome aboard",
        "Hello! Reply to this email if you need anything.",
        Template::Plain,
        MessageFrom::new("394051"),
        MessageTo::new(ContactRole::User, user_id),
    )
    .into();
    client.messages().create(&request).await
}

/// What the API answers for the welcome message.
fn sent() -> Message {
    Message::new(
        "admin_message",
        "2001",
        1_401_916_877,
        MessageType::Email,
        "Hello! Reply to this email if you need anything.",
        MessageOwner::new("admin", "394051")
            .with_name("Wash")
            .with_email("email@example.com"),
    )
    .with_subject("Welcome aboard")
    .with_template(Template::Plain)
}

#[tokio::test]
async fn welcome_sends_the_message_and_returns_what_the_api_answers() {
    let mock = Mock::start().await;
    mock.messages().create().expect(1).respond(&sent()).await;

    let message = welcome(&mock.client(), "536e564f316c83104c000020")
        .await
        .expect("the mock answers the welcome message");
    assert_eq!(message, sent());

    // The request the function sent, as the mock received it.
    let requests = mock.server().received_requests().await;
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value = requests[0].body_json().expect("a JSON body");
    assert_eq!(body["message_type"], "email");
    assert_eq!(
        body["to"],
        json!({"type": "user", "id": "536e564f316c83104c000020"})
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    mock.verify().await;
}

#[tokio::test]
async fn an_error_the_spec_declares_reaches_the_caller_typed() {
    let mock = Mock::start().await;
    let not_found = ErrorList::new(
        "error.list",
        vec![ErrorDetail::new("not_found").with_message("User Not Found")],
    )
    .with_request_id("req-1");
    mock.messages()
        .create()
        .respond_with_status(404, &not_found)
        .await;

    let err = welcome(&mock.client(), "536e564f316c83104c000020")
        .await
        .expect_err("the mock answers 404");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.body(), Some(&not_found));
    mock.verify().await;
}

#[tokio::test]
async fn an_empty_user_id_is_refused_by_the_client_and_never_reaches_the_mock() {
    let mock = Mock::start().await;
    mock.messages().create().expect(0).respond(&sent()).await;

    let err = welcome(&mock.client(), "")
        .await
        .expect_err("an empty id breaks minLength");
    let Error::Validation(errors) = err else {
        panic!("expected a validation error, got {err:?}");
    };
    let broken: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(broken, [("/to/id", "minLength")]);
    assert!(mock.server().received_requests().await.is_empty());
    mock.verify().await;
}

/// Code that sends the message with hand-written JSON, as the documentation's PHP example
/// writes it: the recipient by `email`, no `template`.
async fn welcome_by_email(base_url: &str, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base_url}/messages"))
        .bearer_auth("a token")
        .json(&json!({
            "message_type": "email",
            "subject": "Welcome aboard",
            "body": "Hello!",
            "from": {"type": "admin", "id": "394051"},
            "to": {"type": "user", "email": email},
        }))
        .send()
        .await
        .expect("the mock is up")
}

#[tokio::test]
async fn the_mock_reports_a_request_that_breaks_the_rules_and_answers_400() {
    let mock = Mock::start().await;
    mock.messages().create().respond(&sent()).await;

    let response = welcome_by_email(&mock.uri(), "socrates@email.com").await;
    // The code under test sees a failure, not the success the test mounted.
    assert_eq!(response.status(), 400);
    let answer: serde_json::Value = response.json().await.expect("a JSON answer");
    assert_eq!(
        answer["violations"],
        json!([{
            "path": "/to/email",
            "rule": "additionalProperties",
            "expected": answer["violations"][0]["expected"],
        }])
    );

    // An email without a subject, the other rule the types carry.
    let response = reqwest::Client::new()
        .post(format!("{}/messages", mock.uri()))
        .json(&json!({
            "message_type": "email",
            "body": "Hello!",
            "template": "plain",
            "from": {"type": "admin", "id": "394051"},
            "to": {"type": "user", "id": "536e564f316c83104c000020"},
        }))
        .send()
        .await
        .expect("the mock is up");
    assert_eq!(response.status(), 400);

    let violations = mock.take_violations();
    // (operation, method, path, [(pointer, rule)]) of each violation.
    type Found<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, &'a str)>);
    let found: Vec<Found<'_>> = violations
        .iter()
        .map(|v| {
            let errors = v.errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
            (v.operation, v.method.as_str(), v.path.as_str(), errors)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "createMessage",
                "POST",
                "/messages",
                vec![("/to/email", "additionalProperties")]
            ),
            (
                "createMessage",
                "POST",
                "/messages",
                vec![("/subject", "required")]
            ),
        ]
    );
    assert!(violations[1]
        .to_string()
        .starts_with("POST /messages (createMessage): 1 validation error; /subject: expected"));
    // Taken: nothing left to fail `verify` or the drop.
    assert!(mock.violations().is_empty());
    mock.verify().await;
}

/// The panic message of a task that panicked.
async fn panic_message(task: tokio::task::JoinHandle<()>) -> String {
    let err = task.await.expect_err("the task panics");
    let payload = err.into_panic();
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[tokio::test]
async fn violations_nobody_took_fail_verify_and_the_drop() {
    let verified = tokio::spawn(async {
        let mock = Mock::start().await;
        mock.messages().create().respond(&sent()).await;
        welcome_by_email(&mock.uri(), "socrates@email.com").await;
        mock.verify().await;
    });
    let message = panic_message(verified).await;
    assert!(
        message.contains("1 request breaking the API's rules")
            && message.contains("POST /messages (createMessage)")
            && message.contains("/to/email"),
        "{message}"
    );

    let dropped = tokio::spawn(async {
        let mock = Mock::start().await;
        mock.messages().create().respond(&sent()).await;
        welcome_by_email(&mock.uri(), "socrates@email.com").await;
        drop(mock);
    });
    let message = panic_message(dropped).await;
    assert!(
        message.contains("/to/email: expected no property `email` (additionalProperties)"),
        "{message}"
    );
}

#[tokio::test]
async fn the_mock_listens_on_127_0_0_1_only() {
    let mock = Mock::start().await;
    assert_eq!(mock.server().address().ip(), std::net::Ipv4Addr::LOCALHOST);
    assert!(
        mock.uri().starts_with("http://127.0.0.1:"),
        "{}",
        mock.uri()
    );
    assert_eq!(mock.client().base_url(), mock.uri());
}
