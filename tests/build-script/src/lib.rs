//! A crate that generates its API client in its build script instead of depending on a
//! generated crate: the client is a module of its own code, [`intercom`].

/// The Intercom client, generated from `spec/intercom.yaml` by `build.rs`.
pub mod intercom {
    include!(concat!(env!("OUT_DIR"), "/intercom.rs"));
}

use intercom::{Client, ContactRole, CreateMessageRequest, InAppMessageRequest};
use intercom::{MessageFrom, MessageTo};

/// Code of this crate that uses the client: says hello to a user from an admin, in the app.
///
/// # Errors
///
/// Whatever the call fails with.
pub async fn say_hello(
    client: &Client,
    admin: &str,
    user: &str,
) -> Result<String, intercom::Error> {
    let request: CreateMessageRequest = InAppMessageRequest::new(
        "Hello",
        MessageFrom::new(admin),
        MessageTo::new(ContactRole::User, user),
    )
    .into();
    let message = client.messages().create(&request).await?;
    Ok(message.id)
}
