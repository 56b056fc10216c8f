//! The generator as a user gets it: installed with `cargo install --path cli` into a temporary
//! root, run from a directory outside this workspace, its crate built and exercised on the wire
//! against a local server (with the runtime by path, and vendored into the crate), then
//! regenerated over a user's own edits, which survive.
//!
//! The builds reuse this workspace's target directory and lock file (`--offline`), so only the
//! crates that differ are compiled.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ is one level below the workspace root")
        .to_path_buf()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command`; its stdout, or a panic with everything it said.
fn run(command: &mut Command) -> String {
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
/// mock of the API that checks the request; then the same through the crate's `mock` feature.
const WIRE_TEST: &str = r#"
use messages_client::{Client, ContactRole, CreateMessageRequest, InAppMessageRequest, MessageFrom, MessageTo};
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
    let request: CreateMessageRequest = InAppMessageRequest {
        body: "Hello".into(),
        from: MessageFrom { id: "1".into() },
        to: MessageTo { type_: ContactRole::User, id: "2".into() },
    }
    .into();
    let message = client.messages().create(&request).await.expect("sent and decoded");
    assert_eq!(message.id, "9");
}

// The crate's own `mock` feature (turned on for the tests by the dev-dependency on the crate).
#[tokio::test]
async fn the_crate_s_mock_answers_and_checks() {
    let mock = messages_client::mock::Mock::start().await;
    let answer: messages_client::Message = serde_json::from_value(serde_json::json!({
        "type": "admin_message", "id": "9", "created_at": 1, "message_type": "inapp",
        "body": "Hello", "owner": {"id": "1", "type": "admin"}
    }))
    .unwrap();
    mock.messages().create().expect(1).respond(&answer).await;
    let request: CreateMessageRequest = InAppMessageRequest {
        body: "Hello".into(),
        from: MessageFrom { id: "1".into() },
        to: MessageTo { type_: ContactRole::User, id: "2".into() },
    }
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
messages-client = { path = ".", features = ["mock"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"
"#;

/// The user's additions to a generated crate: the wire test, its dependencies after the
/// generated block of `Cargo.toml`, and this workspace's lock file (so the build reuses what
/// the workspace compiled, offline).
fn add_wire_test(krate: &Path) {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::write(krate.join("tests/wire.rs"), WIRE_TEST).unwrap();
    std::fs::write(krate.join("Cargo.toml"), manifest + USER_DEPENDENCIES).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
}

/// Runs the wire test of the crate in `krate`, built in this workspace's target directory.
fn wire_test(krate: &Path) {
    run(cargo()
        .args(["test", "--offline", "--quiet", "--test", "wire"])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", workspace().join("target")));
}

#[test]
fn installed_cli_generates_a_crate_that_works_and_regenerates_without_losing_edits() {
    let root = workspace();
    let target = root.join("target");
    let scratch = std::env::temp_dir().join(format!("clientgen-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // 1. Install into a temporary root.
    run(cargo()
        .args([
            "install",
            "--offline",
            "--locked",
            "--debug",
            "--quiet",
            "--path",
        ])
        .arg(root.join("cli"))
        .arg("--root")
        .arg(scratch.join("root"))
        .env("CARGO_TARGET_DIR", target.join("cli-install")));
    let clientgen = scratch.join("root/bin/clientgen");
    assert!(clientgen.is_file(), "installed at {}", clientgen.display());

    // 2. Generate from a directory outside the workspace.
    let spec = root.join("spec/intercom.yaml");
    let runtime = format!("path:{}", root.join("runtime").display());
    let generate = || {
        run(Command::new(&clientgen)
            .current_dir(&scratch)
            .arg("generate")
            .arg(&spec)
            .args([
                "--out",
                "messages",
                "--name",
                "messages-client",
                "--version",
                "1.4.0",
            ])
            .args(["--runtime", &runtime]))
    };
    let said = generate();
    assert!(said.contains("generated crate `messages-client`"), "{said}");
    let krate = scratch.join("messages");
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"1.4.0\""), "{manifest}");

    // 3. The user's additions: a test, its dependencies, a module of their own.
    add_wire_test(&krate);
    let notes = "//! Notes of my own, next to the generated files.\n";
    std::fs::write(krate.join("src/notes.rs"), notes).unwrap();
    wire_test(&krate);

    // 4. Regenerate over it all: generated files come back, the user's stay.
    let types = krate.join("src/types.rs");
    std::fs::write(&types, "// @generated by an older run\n").unwrap();
    generate();
    assert!(std::fs::read_to_string(&types)
        .unwrap()
        .contains("pub struct MessageFrom"));
    assert_eq!(
        std::fs::read_to_string(krate.join("src/notes.rs")).unwrap(),
        notes
    );
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("wiremock = \"0.6\""), "{manifest}");
    assert!(manifest.contains("[dev-dependencies]"), "{manifest}");
    wire_test(&krate);

    // 5. A hand-written file where a generated one goes stops the run; nothing is written.
    std::fs::write(krate.join("src/error.rs"), "// mine\n").unwrap();
    let output = Command::new(&clientgen)
        .current_dir(&scratch)
        .arg("generate")
        .arg(&spec)
        .args(["--out", "messages", "--runtime", &runtime])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("was not written by the generator"));
    assert_eq!(
        std::fs::read_to_string(krate.join("src/error.rs")).unwrap(),
        "// mine\n"
    );

    // 6. `--runtime vendor`: the runtime's sources in the crate's own `runtime/`, no path
    // outside it; the same wire test passes.
    run(Command::new(&clientgen)
        .current_dir(&scratch)
        .arg("generate")
        .arg(&spec)
        .args([
            "--out",
            "standalone",
            "--name",
            "messages-client",
            "--runtime",
            "vendor",
        ]));
    let standalone = scratch.join("standalone");
    let manifest = std::fs::read_to_string(standalone.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("path = \"runtime\""), "{manifest}");
    assert!(
        !manifest.contains(".."),
        "no path leaves the crate: {manifest}"
    );
    assert!(standalone.join("runtime/src/lib.rs").is_file());
    add_wire_test(&standalone);
    wire_test(&standalone);

    // 7. Usage errors exit 2; `check` exits 1 on a broken spec.
    let usage = Command::new(&clientgen)
        .args(["generate", "x.yaml"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let bad = scratch.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\npaths: {}\n").unwrap();
    let check = Command::new(&clientgen)
        .arg("check")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("bad.yaml:"));

    let _ = std::fs::remove_dir_all(&scratch);
}
