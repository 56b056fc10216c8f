//! Specs split over many files (tests/fixtures/specs/split/): operations and path items by
//! `$ref`, one per file, shared parts in nested folders, every `$ref` relative to the file that
//! holds it. And `$ref` as data (tests/fixtures/specs/ref-data.yaml): a `$ref` key inside an
//! example, a default, an enum, a const or an extension is a value, never a reference.

use serde_json::json;
use split_client::{Client, NewPet, Tag};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{fixture_options, root};

const SPLIT: &str = "tests/fixtures/specs/split/openapi.yaml";
const REF_DATA: &str = "tests/fixtures/specs/ref-data.yaml";

/// Loads `spec` as the generator does: its tree, every file it reaches, the diagnostics.
fn load(spec: &str) -> (codegen::load::Document, codegen::diagnostics::Diagnostics) {
    let mut diags = codegen::diagnostics::Diagnostics::default();
    let doc = codegen::load::load(&root().join(spec), spec, &mut diags)
        .unwrap_or_else(|| panic!("{spec} loads"));
    (doc, diags)
}

/// Asserts that nothing was reported.
fn assert_clean(diags: codegen::diagnostics::Diagnostics) {
    let report = diags.into_sorted();
    assert!(
        report.is_empty(),
        "{}",
        codegen::diagnostics::render(&report)
    );
}

fn generate(spec: &str) -> codegen::Output {
    let output = codegen::generate(&root().join(spec), &fixture_options(spec))
        .unwrap_or_else(|d| panic!("{spec}:\n{}", codegen::diagnostics::render(&d)));
    assert!(
        output.warnings.is_empty(),
        "{spec} should generate without warnings:\n{}",
        codegen::diagnostics::render(&output.warnings)
    );
    output
}

/// The split spec generates without a warning (its report is snapshotted in `snapshots.rs`).
#[test]
fn split_generates_without_warnings() {
    generate(SPLIT);
}

/// Exactly the files the references reach are loaded, each once, named by its path from the
/// root's folder; the files named only inside examples and defaults are not.
#[test]
fn the_files_references_reach_are_loaded_and_nothing_else() {
    let (doc, diags) = load(SPLIT);
    assert_clean(diags);
    let mut names: Vec<&str> = doc
        .others
        .iter()
        .map(|f| f.name.strip_prefix("tests/fixtures/specs/split/").unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "components/examples/new-rex.yaml",
            "components/examples/rex.yaml",
            "components/headers/request-id.yaml",
            "components/headers/total-count.yaml",
            "components/parameters/limit.yaml",
            "components/request-bodies/new-pet.yaml",
            "components/responses/problem.yaml",
            "components/schemas/new-pet.yaml",
            "components/schemas/pet.yaml",
            "components/schemas/problem.yaml",
            "components/schemas/sample.yaml",
            "components/schemas/tag.yaml",
            "components/schemas/toy.yaml",
            "paths/pet-by-id.yaml",
            "paths/pets/create.yaml",
            "paths/pets/list.yaml",
        ]
    );
}

/// An operation from its own file keeps that file, its pointer inside it and its position.
#[test]
fn operations_keep_the_file_they_come_from() {
    let (doc, mut diags) = load(SPLIT);
    let api = codegen::resolve::resolve(&doc, &mut diags);
    assert_clean(diags);
    let origins: Vec<(&str, &str, &str, u32)> = api.groups[0]
        .operations
        .iter()
        .map(|op| {
            let file = op.origin.file.as_str();
            let file = file.strip_prefix("tests/fixtures/specs/split/").unwrap();
            (
                op.operation_id.as_str(),
                file,
                op.origin.pointer.as_str(),
                op.origin.loc.line,
            )
        })
        .collect();
    assert_eq!(
        origins,
        [
            ("listPets", "paths/pets/list.yaml", "", 2),
            ("createPet", "paths/pets/create.yaml", "", 2),
            ("getPet", "paths/pet-by-id.yaml", "/get", 11),
            ("deletePet", "paths/pet-by-id.yaml", "/delete", 23),
        ]
    );
}

/// Operations defined in files of their own go on the wire as the spec says, with their own
/// security requirement and the parameter, request body, schemas and error response of other
/// files.
#[tokio::test]
async fn operations_from_their_own_files_go_on_the_wire() {
    let server = MockServer::start().await;
    let pet = json!({
        "id": 7,
        "name": "Rex",
        "status": "available",
        "tag": {"label": "good"},
        "default": {"kind": "ball"},
        "notes": {"sample": {"note": "likes walks"}},
        "attributes": {"$ref": "not a reference, a value"},
    });
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("limit", "5"))
        // The scheme that list.yaml's own `security` names.
        .and(header("X-Api-Key", "secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([pet])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Rex", "tag": {"label": "good"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(&pet))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/pets/8"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such pet"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("secret")
        .build()
        .unwrap();

    let pets = client
        .pets()
        .list(&split_client::params::PetsListParams::new().with_limit(5))
        .await
        .unwrap();
    assert_eq!(pets.len(), 1);
    let first = &pets[0];
    assert_eq!(first.id, 7);
    assert_eq!(first.default.as_ref().unwrap().kind, "ball");
    let sample = first.notes.as_ref().unwrap().sample.as_ref().unwrap();
    assert_eq!(sample.note.as_deref(), Some("likes walks"));
    assert_eq!(
        first.attributes.as_ref().unwrap()["$ref"],
        "not a reference, a value"
    );

    let body = NewPet::new("Rex").with_tag(Tag::new("good"));
    let created = client.pets().create(&body).await.unwrap();
    assert_eq!(created.name, "Rex");
    // The request body's rule (`minLength` in components/schemas/new-pet.yaml) is checked.
    let empty = NewPet::new("");
    let refused = client.pets().create(&empty).await.unwrap_err();
    assert!(
        matches!(refused, split_client::Error::Validation(_)),
        "{refused}"
    );

    // `delete`'s 404 is `get`'s, by a pointer inside paths/pet-by-id.yaml.
    let err = client.pets().delete(8).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.body().unwrap().message, "no such pet");
}

/// The exported JSON Schema keeps data as data: the property called `default` is a schema,
/// the `default` of `attributes` a value.
#[test]
fn exported_schemas_keep_ref_shaped_data() {
    let schema = serde_json::to_value(schemars::schema_for!(split_client::Pet)).unwrap();
    let properties = &schema["properties"];
    assert_eq!(properties["default"]["$ref"], "#/$defs/Toy", "{schema:#}");
    assert_eq!(
        properties["attributes"]["default"],
        json!({"$ref": "#/nowhere"}),
        "{schema:#}"
    );
}

/// Every `$ref` in ref-data.yaml is a value: nothing is loaded, nothing is reported, and the
/// examples keep it.
#[test]
fn refs_inside_values_are_data() {
    let (doc, diags) = load(REF_DATA);
    assert_clean(diags);
    assert!(
        doc.others.is_empty(),
        "no file is loaded: {:?}",
        doc.others.iter().map(|f| &f.name).collect::<Vec<_>>()
    );
    let root = doc.root.to_json();
    assert_eq!(
        root["components"]["examples"]["Shared"]["value"],
        json!({"$ref": "does-not-exist.yaml"})
    );
    let output = generate(REF_DATA);
    let file = |path: &str| {
        let file = output.files.iter().find(|f| f.path == path).unwrap();
        file.contents.as_str()
    };
    insta::assert_snapshot!("ref_data__types.rs", file("types.rs"));
    // The exported schema keeps `{"$ref": "#/$defs/..."}` data as strings, not type references.
    // The schemas are data in `schemas.json`; `schema.rs` names only the type references.
    let schema = file("schema.rs");
    assert!(!schema.contains("subschema_for"), "{schema}");
    let data = file("schemas.json");
    assert!(data.contains(r##""#/$defs/Nowhere""##), "{data}");
    assert!(data.contains(r##""#/$defs/Note""##), "{data}");
    insta::assert_snapshot!("ref_data__schemas.json", data);
}
