//! Generation options (codegen::config): `tests/fixtures/specs/options.yaml` is generated with
//! the config file beside it (`options.clientgen.yaml`: extra derives, type and method renames,
//! only the `pets` operations, no grouping by tag, no `schemars`) into
//! `tests/fixtures/options-client`, which this file compiles against and calls; and each
//! mistake a config can hold is reported where it is written.

use options_client::params::AnimalFilter;
use options_client::{Animal, Client, Label, LabelKind, NewAnimal};
use serde_json::json;
use std::collections::HashSet;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{fixture_options, root};

const SPEC: &str = "tests/fixtures/specs/options.yaml";

fn generate() -> codegen::Output {
    codegen::generate(&root().join(SPEC), &fixture_options(SPEC)).expect("options.yaml generates")
}

/// The renamed types and methods, the ungrouped client and the extra derives, on the wire.
#[tokio::test]
async fn the_options_shape_the_client_that_calls_the_api() {
    let server = MockServer::start().await;
    let rex = json!({"id": 1, "name": "Rex", "weight": 31.5, "labels": [{"name": "big", "kind": "size"}]});
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("tag", "good"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([rex])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Rex"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(&rex))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    // `listPets` renamed to `all_pets`, its parameter struct to `AnimalFilter`, `Pet` to
    // `Animal`; with no grouping, `createPet` is `create_pet` on the client itself.
    let pets: Vec<Animal> = client
        .all_pets(&AnimalFilter::new().with_tag("good"))
        .await
        .unwrap();
    assert_eq!(pets[0].weight, Some(31.5));
    let created = client.create_pet(&NewAnimal::new("Rex")).await.unwrap();
    assert_eq!(created.name, "Rex");

    // `Eq` and `Hash` on the types without a float: labels go in a set.
    let labels: HashSet<Label> = pets[0].labels.clone().unwrap().into_iter().collect();
    assert!(labels.contains(&Label::new("big").with_kind(LabelKind::Size)));
    let new: HashSet<NewAnimal> = [NewAnimal::new("Rex")].into_iter().collect();
    assert_eq!(new.len(), 1);

    // The validators still run under the new names: an empty name is refused before sending.
    let err = client.create_pet(&NewAnimal::new("")).await.unwrap_err();
    assert!(err.to_string().contains("/name"), "{err}");
}

/// What the options leave out is not generated, and the derives a type cannot have are left off
/// it with a warning at the config's line.
#[test]
fn excluded_operations_and_their_types_are_not_generated_and_skipped_derives_are_warned() {
    let output = generate();
    let names: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        !names.contains(&"schema.rs") && !names.contains(&"schemas.json"),
        "{names:?}"
    );
    let all: String = output.files.iter().map(|f| f.contents.as_str()).collect();
    // `getStore` (tag `stores`) and the `Store` type only it uses.
    assert!(
        !all.contains("get_store") && !all.contains("Store"),
        "{all}"
    );
    assert!(!all.contains("schemars"));
    // No group structs: `Pets` is not a type.
    assert!(!all.contains("pub struct Pets"));
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {}", w.file, w.loc.line, w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "tests/fixtures/specs/options.clientgen.yaml:3: `Eq` is left off 1 type(s) that cannot have it: Animal",
            "tests/fixtures/specs/options.clientgen.yaml:3: `Hash` is left off 1 type(s) that cannot have it: Animal",
        ]
    );
    // Without the options, the same spec has everything.
    let plain = codegen::generate(&root().join(SPEC), &codegen::Options::new(SPEC, "test"))
        .expect("generates");
    let all: String = plain.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(all.contains("pub struct Store") && all.contains("pub struct Pet "));
    assert!(plain.files.iter().any(|f| f.path == "schema.rs"));
}

/// Generates `spec` (text) with the config `config` (text), both in memory: every diagnostic,
/// one line each (`file:line:column: severity: message (help: ...)`).
fn diagnostics(spec: &str, config: &str) -> String {
    let mut diags = codegen::diagnostics::Diagnostics::default();
    let config = codegen::config::Config::parse("api.clientgen.yaml", config, &mut diags);
    let options = codegen::Options {
        config,
        ..codegen::Options::new("api.yaml", "test")
    };
    let report = match codegen::generate_str(spec, &options) {
        Ok(output) => output.warnings,
        Err(report) => report,
    };
    let parsed = diags.into_sorted();
    parsed
        .iter()
        .chain(report.iter())
        .map(|d| {
            let severity = match d.severity {
                codegen::Severity::Error => "error",
                codegen::Severity::Warning => "warning",
                codegen::Severity::Note => "note",
            };
            format!(
                "{}:{}:{}: {severity}: {} (help: {})\n",
                d.file,
                d.loc.line,
                d.loc.column,
                d.message,
                d.help.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

/// Every mistake in a config is an error at its line: a typo must not silently drop an
/// operation or keep a name.
#[test]
fn config_mistakes_are_located_errors() {
    let spec = std::fs::read_to_string(root().join(SPEC)).unwrap();
    let text = diagnostics(
        &spec,
        "include:\n  tags: [pet]\n  operations: [getStores]\nrename:\n  types: {Pett: Animal, Label: Store}\n",
    );
    for expected in [
        "api.clientgen.yaml:2:10: error: no operation has the tag `pet` (help: the spec's tags are: pets, stores)",
        "api.clientgen.yaml:3:16: error: no operation has the operationId `getStores`",
        "api.clientgen.yaml:5:11: error: no generated type is named `Pett`",
        "api.clientgen.yaml:5:25: error: `Label` is renamed to `Store`, which the spec already has a type called",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    // A method name the client already has (`clone`, from `Clone`) cannot be honoured.
    let text = diagnostics(&spec, "rename:\n  operations: {createPet: clone}\n");
    assert!(
        text.contains("api.clientgen.yaml:2:16: error: `createPet` cannot be renamed to `clone`"),
        "{text}"
    );
}

/// `Ord` without `Eq` and `PartialOrd` is repaired by deriving them too, with a warning; a
/// derive every type already has is a warning.
#[test]
fn derive_repairs_are_warned() {
    let spec = std::fs::read_to_string(root().join(SPEC)).unwrap();
    let text = diagnostics(&spec, "derives: [Ord, Clone]\n");
    assert!(
        text.contains("`Ord` needs `Eq` as well: it is derived too"),
        "{text}"
    );
    assert!(text.contains("`Ord` needs `PartialOrd` as well"), "{text}");
    assert!(
        text.contains("every generated type already derives `Clone`"),
        "{text}"
    );
    assert!(!text.contains("error"), "{text}");
}
