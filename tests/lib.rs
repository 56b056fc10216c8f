//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The tests themselves live next to this file: `snapshots.rs` pins each generated crate's
//! generation report (the code itself is reviewed in the committed crate's diff),
//! `freshness.rs` fails when a generated crate lags behind its spec, `create_message.rs`
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

mod generated_crates;

/// Every generated crate as `(spec, sources)`: the list in `generated-crates.txt`, parsed by the
/// same code `cargo xtask codegen` uses to write them. The freshness test and the report
/// snapshots walk it.
pub use generated_crates::targets;

/// The options `cargo xtask codegen` uses for `spec/intercom.yaml` (the same as every
/// fixture's, [`fixture_options`], with the product's spec name).
pub fn options() -> codegen::Options {
    fixture_options(SPEC_NAME)
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

/// Options for a spec named `name`: for a listed spec (its path from the root), exactly what
/// `cargo xtask codegen` uses; for a spec given as text, any name its diagnostics should show.
pub fn fixture_options(name: &str) -> codegen::Options {
    let config =
        codegen::config::Config::for_spec(&root().join(name), name).unwrap_or_else(|report| {
            panic!(
                "the generation config beside {name} has errors:\n{}",
                report.render(false)
            )
        });
    // A listed spec's crate name, from its manifest (as `cargo xtask codegen` reads it).
    let crate_name = targets()
        .into_iter()
        .find(|(spec, _)| *spec == name)
        .and_then(|(_, sources)| {
            std::fs::read_to_string(root().join(sources).join("../Cargo.toml")).ok()
        })
        .and_then(|manifest| codegen::manifest::package_name(&manifest));
    codegen::Options {
        config,
        crate_name,
        ..codegen::Options::new(name, COMMAND)
    }
}

/// Generates the crate of the listed `spec` (a path from the root) in memory, exactly as
/// `cargo xtask codegen` does; panics with the rendered diagnostics when it does not generate.
pub fn generate_listed(spec: &str) -> codegen::Output {
    codegen::generate(&root().join(spec), &fixture_options(spec))
        .unwrap_or_else(|d| panic!("{spec}:\n{}", codegen::diagnostics::render(&d)))
}

/// FNV-1a, 64 bits: a fingerprint of a generated file's bytes for the report snapshots. Not a
/// defence against anyone; it only has to change when the file does.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The generation report of one generated crate, the content of its insta snapshot: what the
/// committed crate does not show (the spec, the counts, the typed share, every warning with
/// its location), and each generated file's path, line count and [`fingerprint`]. The code
/// itself is reviewed once, in the committed crate's diff; the fingerprints make any change to
/// it fail the snapshot test too, so it cannot land without a reviewed report.
pub fn generation_report(spec: &str, out_dir: &str, output: &codegen::Output) -> String {
    use std::fmt::Write;
    let typed = &output.typed;
    let mut report = format!(
        "spec: {spec}\nsources: {out_dir}\noperations: {}\ntypes: {}\n\
         typed bodies: {} of {}\ntyped properties: {} of {}\n\n\
         files (lines, FNV-1a 64 of the bytes):\n",
        output.operations,
        output.types,
        typed.bodies_typed,
        typed.bodies,
        typed.properties_typed,
        typed.properties,
    );
    let width = output.files.iter().map(|f| f.path.len()).max().unwrap_or(0);
    for file in &output.files {
        let _ = writeln!(
            report,
            "{:width$} {:>6}  {:016x}",
            file.path,
            file.contents.lines().count(),
            fingerprint(file.contents.as_bytes()),
        );
    }
    report.push_str("\nwarnings:\n");
    report.push_str(&codegen::diagnostics::render(&output.warnings));
    // Notes (which rule found an operation's pagination) only where there are some, so the
    // reports of crates without them read as before.
    if !output.notes.is_empty() {
        report.push_str("\nnotes:\n");
        report.push_str(&codegen::diagnostics::render(&output.notes));
    }
    report
}

/// The seed documentation's request: an email from admin 394051 to a user.
/// The seed's request as the typed value a user builds (`seed_request_json`, typed).
pub fn seed_request() -> intercom::CreateMessageRequest {
    use intercom::{ContactRole, EmailMessageRequest, MessageFrom, MessageTo, Template};
    EmailMessageRequest::new(
        "Hey",
        "Ponies, cute small horses or something more sinister?",
        Template::Plain,
        MessageFrom::new("394051"),
        MessageTo::new(ContactRole::User, "536e564f316c83104c000020"),
    )
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
