//! Sends the "Create a message" documentation's example: an email from admin `394051` to user
//! `536e564f316c83104c000020`.
//!
//! ```text
//! cargo run --example create_message
//! ```
//!
//! With no settings it runs offline: it starts a local mock of the API on 127.0.0.1 that
//! answers like Intercom does, and sends the message there. With `INTERCOM_TOKEN` set it sends
//! the message to the real API instead; `INTERCOM_REGION` (`us`, `eu` or `au`),
//! `INTERCOM_ADMIN_ID` and `INTERCOM_USER_ID` choose the region, the sender and the recipient.

use intercom::http::RetryPolicy;
use intercom::{
    Client, ContactRole, CreateMessageRequest, EmailMessageRequest, Error, MessageFrom, MessageTo,
    Region, Template,
};
use std::time::Duration;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let request: CreateMessageRequest = EmailMessageRequest::new(
        "Hey",
        "Ponies, cute small horses or something more sinister?",
        Template::Plain,
        MessageFrom::new(env("INTERCOM_ADMIN_ID").unwrap_or_else(|| "394051".into())),
        MessageTo::new(
            ContactRole::User,
            env("INTERCOM_USER_ID").unwrap_or_else(|| "536e564f316c83104c000020".into()),
        ),
    )
    .into();

    // Kept alive until the end of `main`: dropping it stops the mock server.
    let mut mock = None;
    let builder = match env("INTERCOM_TOKEN") {
        Some(token) => {
            let region = match env("INTERCOM_REGION").as_deref() {
                None | Some("us") => Region::Us,
                Some("eu") => Region::Eu,
                Some("au") => Region::Au,
                Some(other) => {
                    return Err(format!("INTERCOM_REGION `{other}`: use us, eu or au").into())
                }
            };
            println!("sending to the real API at {}", region.base_url());
            Client::builder().token(token).region(region)
        }
        None => {
            let server = local_mock().await;
            println!(
                "INTERCOM_TOKEN is not set: sending to a local mock at {}",
                server.uri()
            );
            let builder = Client::builder()
                .token("offline-example-token")
                .base_url(server.uri());
            mock = Some(server);
            builder
        }
    };
    let client = builder
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::default().max_attempts(4))
        .build()?;

    match client.messages().create(&request).send_with_meta().await {
        Ok(response) => {
            let message = &response.value;
            println!(
                "created {:?} message {} at {} (request id {}; {} of {} requests left in this window)",
                message.message_type,
                message.id,
                message.created_at,
                response.meta.request_id.as_deref().unwrap_or("none"),
                show(response.meta.rate_limit.remaining),
                show(response.meta.rate_limit.limit),
            );
            println!("owner: {} ({:?})", message.owner.id, message.owner.name);
        }
        Err(Error::NotFound(error)) => {
            // Intercom answers 404 for a contact created moments ago: it is not messageable yet.
            println!("not found (a contact created moments ago needs a little time): {error}");
        }
        Err(Error::RateLimited { retry_after, .. }) => {
            println!("rate limited; the API asks to wait {retry_after:?}");
        }
        Err(error) => return Err(error.into()),
    }
    if let Some(server) = mock {
        let sent = server.received_requests().await.unwrap_or_default();
        println!("the mock received {} request(s)", sent.len());
    }
    Ok(())
}

fn show(value: Option<u64>) -> String {
    value.map_or_else(|| "?".to_owned(), |v| v.to_string())
}

/// A local stand-in for `POST /messages`: it checks the headers every request must carry and
/// answers with the documentation's example response and Intercom's rate-limit headers.
async fn local_mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(header_exists("authorization"))
        .and(header_exists("intercom-version"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "local-0001")
                .insert_header("x-ratelimit-limit", "10000")
                .insert_header("x-ratelimit-remaining", "9999")
                .set_body_json(serde_json::json!({
                    "type": "admin_message",
                    "id": "2001",
                    "created_at": 1401916877,
                    "message_type": "email",
                    "subject": "Hey",
                    "body": "Ponies, cute small horses or something more sinister?",
                    "template": "plain",
                    "owner": {
                        "email": "email@example.com",
                        "id": "394051",
                        "name": "Wash",
                        "type": "admin"
                    }
                })),
        )
        .mount(&server)
        .await;
    server
}
