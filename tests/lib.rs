//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The tests themselves live next to this file: `snapshots.rs` pins the generated code,
//! `freshness.rs` fails when `generated-client/src` lags behind `spec/`, `create_message.rs`
//! drives the generated client against a local server, `spec_examples.rs` checks the spec's
//! examples against the generated types and `diagnostics.rs` feeds the generator bad specs.

use std::path::PathBuf;

/// Compiles the README's code blocks, so the usage it shows stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The spec's name as the generated headers and the freshness check spell it.
pub const SPEC_NAME: &str = "spec/intercom.yaml";

/// The command that regenerates `generated-client/src`.
pub const COMMAND: &str = "cargo xtask codegen";

/// The repository's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package lives one level below the workspace root")
        .to_path_buf()
}

/// Every generated crate: (spec, sources), as in `TARGETS` of `xtask/src/main.rs`, which
/// writes them; the freshness test checks them all.
pub const TARGETS: &[(&str, &str)] = &[
    ("spec/intercom.yaml", "generated-client/src"),
    (
        "tests/fixtures/specs/keywords.yaml",
        "tests/fixtures/keywords-client/src",
    ),
    (
        "tests/fixtures/specs/operations.yaml",
        "tests/fixtures/operations-client/src",
    ),
    (
        "tests/fixtures/specs/composition.yaml",
        "tests/fixtures/composition-client/src",
    ),
    (
        "tests/fixtures/specs/parameters.yaml",
        "tests/fixtures/parameters-client/src",
    ),
    (
        "tests/fixtures/specs/bodies.yaml",
        "tests/fixtures/bodies-client/src",
    ),
    (
        "tests/fixtures/specs/external/api.yaml",
        "tests/fixtures/external-client/src",
    ),
    (
        "tests/fixtures/specs/hostile.yaml",
        "tests/fixtures/hostile-client/src",
    ),
    (
        "tests/fixtures/specs/realworld-30.yaml",
        "tests/fixtures/realworld30-client/src",
    ),
    (
        "tests/fixtures/specs/realworld-31.yaml",
        "tests/fixtures/realworld31-client/src",
    ),
    (
        "tests/fixtures/specs/split/openapi.yaml",
        "tests/fixtures/split-client/src",
    ),
];

/// The options `cargo xtask codegen` uses.
pub fn options() -> codegen::Options {
    codegen::Options {
        spec_name: SPEC_NAME.to_owned(),
        command: COMMAND.to_owned(),
    }
}

/// Generates the client from `spec/intercom.yaml` in memory, exactly as `cargo xtask codegen`.
pub fn generate_intercom() -> codegen::Output {
    match codegen::generate(&root().join(SPEC_NAME), &options()) {
        Ok(output) => output,
        Err(diagnostics) => panic!(
            "spec/intercom.yaml does not generate:\n{}",
            codegen::diagnostics::render(&diagnostics)
        ),
    }
}

/// The spec as JSON, for reading its examples.
pub fn spec_json() -> serde_json::Value {
    let path = root().join(SPEC_NAME);
    let text = std::fs::read_to_string(&path).expect("spec/intercom.yaml is readable");
    let mut diags = codegen::diagnostics::Diagnostics::default();
    let document =
        codegen::load::load_str(SPEC_NAME, &text, &mut diags).expect("spec/intercom.yaml parses");
    document.root.to_json()
}

/// Options for a fixture spec given as text.
pub fn fixture_options(name: &str) -> codegen::Options {
    codegen::Options {
        spec_name: name.to_owned(),
        command: COMMAND.to_owned(),
    }
}

/// The seed documentation's request: an email from admin 394051 to a user.
/// The seed's request as the typed value a user builds (`seed_request_json`, typed).
pub fn seed_request() -> intercom::CreateMessageRequest {
    use intercom::{ContactRole, EmailMessageRequest, MessageFrom, MessageTo, Template};
    EmailMessageRequest {
        subject: "Hey".into(),
        body: "Ponies, cute small horses or something more sinister?".into(),
        template: Template::Plain,
        from: MessageFrom {
            id: "394051".into(),
        },
        to: MessageTo {
            type_: ContactRole::User,
            id: "536e564f316c83104c000020".into(),
        },
    }
    .into()
}

pub fn seed_request_json() -> serde_json::Value {
    serde_json::json!({
      "message_type": "email",
      "subject": "Hey",
      "body": "Ponies, cute small horses or something more sinister?",
      "template": "plain",
      "from": { "type": "admin", "id": "394051" },
      "to": { "type": "user", "id": "536e564f316c83104c000020" }
    })
}

/// The seed documentation's response to that request.
pub fn seed_response_json() -> serde_json::Value {
    serde_json::json!({
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
    })
}
