//! What the tests that run the generator as a user would share: the workspace, cargo, a
//! command that must succeed, and the wire test a user adds to a crate with a client.

#![allow(dead_code)] // Each test file uses its own part.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ is one level below the workspace root")
        .to_path_buf()
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command`; its stdout, or a panic with everything it said.
pub fn run(command: &mut Command) -> String {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A wire test the user writes in the generated crate's `tests/`: one message, sent to a local
/// mock of the API that checks the request. `CLIENT` stands for the path of the client (a
/// crate, or a module of one).
const WIRE_TEST: &str = r#"
use CLIENT::{Client, ContactRole, CreateMessageRequest, InAppMessageRequest, MessageFrom, MessageTo};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_message_goes_out_as_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(header("authorization", "Bearer secret-token"))
        .and(header("intercom-version", "2.11"))
        .and(body_json(serde_json::json!({
            "message_type": "inapp",
            "body": "Hello",
            "from": {"type": "admin", "id": "1"},
            "to": {"type": "user", "id": "2"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "type": "admin_message", "id": "9", "created_at": 1, "message_type": "inapp",
            "body": "Hello", "owner": {"id": "1", "type": "admin"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().token("secret-token").base_url(server.uri()).build().unwrap();
    let request: CreateMessageRequest = InAppMessageRequest::new(
        "Hello",
        MessageFrom::new("1"),
        MessageTo::new(ContactRole::User, "2"),
    )
    .into();
    let message = client.messages().create(&request).await.expect("sent and decoded");
    assert_eq!(message.id, "9");
}
"#;

/// A test through the crate's own `mock` feature (turned on for the tests by a dev-dependency
/// on the crate itself): the mock answers with the spec's type and checks the request.
const MOCK_TEST: &str = r#"
#[tokio::test]
async fn the_crate_s_mock_answers_and_checks() {
    let mock = CLIENT::mock::Mock::start().await;
    let answer: CLIENT::Message = serde_json::from_value(serde_json::json!({
        "type": "admin_message", "id": "9", "created_at": 1, "message_type": "inapp",
        "body": "Hello", "owner": {"id": "1", "type": "admin"}
    }))
    .unwrap();
    mock.messages().create().expect(1).respond(&answer).await;
    let request: CreateMessageRequest = InAppMessageRequest::new(
        "Hello",
        MessageFrom::new("1"),
        MessageTo::new(ContactRole::User, "2"),
    )
    .into();
    let message = mock.client().messages().create(&request).await.expect("answered");
    assert_eq!(message, answer);
    assert!(mock.violations().is_empty());
    mock.verify().await;
}
"#;

/// What the user adds to the generated manifest: the test's dependencies, after the generated
/// block.
const USER_DEPENDENCIES: &str = r#"
[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"
"#;

/// The user's additions to a crate with a client at the path `client` (`my_client`, or
/// `my_app::api`): the wire test, its dependencies after the generated block of `Cargo.toml`,
/// and this workspace's lock file (so the build reuses what the workspace compiled, offline).
/// With `mock_package` (the crate's package name), also a test through its `mock` feature.
pub fn add_wire_test(krate: &Path, client: &str, mock_package: Option<&str>) {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    let mut test = WIRE_TEST.to_owned();
    let mut dependencies = USER_DEPENDENCIES.to_owned();
    if let Some(package) = mock_package {
        test.push_str(MOCK_TEST);
        dependencies.push_str(&format!(
            "{package} = {{ path = \".\", features = [\"mock\"] }}\n"
        ));
    }
    std::fs::write(krate.join("tests/wire.rs"), test.replace("CLIENT", client)).unwrap();
    std::fs::write(krate.join("Cargo.toml"), manifest + &dependencies).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
}

/// Runs the wire test of the crate in `krate`, built in this workspace's target directory.
pub fn wire_test(krate: &Path) {
    run(cargo()
        .args(["test", "--offline", "--quiet", "--test", "wire"])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", workspace().join("target")));
}
