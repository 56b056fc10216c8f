//! Compatible API changes stay compatible for Rust callers: a consumer crate written against
//! the client of `tests/fixtures/evolution/a.yaml` compiles, unchanged, against the client of
//! `a2.yaml`, which is A plus an optional request property, a response property, enum values, an
//! operation, a tag and an optional parameter.

mod common;

use common::{cargo, run, workspace};
use std::path::Path;

fn generate(spec: &str, out: &Path) {
    let spec = workspace().join("tests/fixtures/evolution").join(spec);
    let options = clientgen::CrateOptions {
        name: "notes".to_owned(),
        version: "0.1.0".to_owned(),
        runtime: clientgen::Runtime::Path(workspace().join("runtime")),
        standalone: true,
        spec_name: spec.display().to_string(),
        command: "cli/tests/evolution.rs".to_owned(),
        config: codegen::config::Config::default(),
    };
    if let Err(failure) = clientgen::generate_crate(&spec, out, &options) {
        panic!("{spec:?} does not generate: {failure:?}");
    }
}

/// `cargo check` of the consumer crate in `dir`.
fn check(dir: &Path) {
    run(cargo()
        .args(["check", "--offline", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", workspace().join("target")));
}

#[test]
fn a_consumer_of_a_compiles_against_a_plus_compatible_changes() {
    let dir = std::env::temp_dir().join(format!("clientgen-evolution-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let consumer = dir.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::copy(
        workspace().join("tests/fixtures/evolution/consumer/src/lib.rs"),
        consumer.join("src/lib.rs"),
    )
    .unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nnotes = { path = \"../client\" }\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), consumer.join("Cargo.lock")).unwrap();

    generate("a.yaml", &dir.join("client"));
    check(&consumer);
    // The same folder regenerated from A2, as a user updates the spec: the consumer is not
    // touched, and still compiles.
    generate("a2.yaml", &dir.join("client"));
    let types = std::fs::read_to_string(dir.join("client/src/types.rs")).unwrap();
    assert!(
        types.contains("with_pinned") && types.contains("Deleted"),
        "the client is A2's"
    );
    check(&consumer);

    // What made adding a property a breaking change before: a struct literal, which names every
    // field. It no longer compiles outside the crate, so no caller can depend on the field list.
    let lib = consumer.join("src/lib.rs");
    let mut source = std::fs::read_to_string(&lib).unwrap();
    source.push_str(
        "\npub fn literal() -> NewNote {\n    NewNote { text: String::new(), colour: None, pinned: None }\n}\n",
    );
    std::fs::write(&lib, source).unwrap();
    let output = cargo()
        .args(["check", "--offline", "--quiet", "--lib"])
        .current_dir(&consumer)
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "a struct literal compiled");
    assert!(said.contains("E0639"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}
