//! Small specs of our own under `tests/fixtures/specs/`, each pinning one behaviour of the
//! generator with a snapshot.

use workspace_tests::{fixture_options, root};

fn generate(name: &str) -> codegen::Output {
    let path = root().join("tests/fixtures/specs").join(name);
    let shown = format!("tests/fixtures/specs/{name}");
    codegen::generate(&path, &fixture_options(&shown)).unwrap_or_else(|diagnostics| {
        panic!("{name}:\n{}", codegen::diagnostics::render(&diagnostics))
    })
}

fn file<'a>(output: &'a codegen::Output, path: &str) -> &'a str {
    let file = output.files.iter().find(|f| f.path == path);
    &file
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents
}

#[test]
fn items_without_descriptions_still_get_docs() {
    let output = generate("undocumented.yaml");
    let types = file(&output, "types.rs");
    assert!(types.contains("/// The `name` property."), "{types}");
    assert!(
        types.contains("/// The `Widget` object of the spec."),
        "{types}"
    );
    assert!(file(&output, "lib.rs").contains("#![warn(missing_docs)]"));
    insta::assert_snapshot!("undocumented__types.rs", types);
}

#[test]
fn openapi_3_0_boolean_exclusive_bounds() {
    let spec = r#"
openapi: 3.0.3
info: {title: Bounds, version: "1"}
paths:
  /n:
    post:
      operationId: createN
      tags: [Numbers]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [count]
              properties:
                count: {type: integer, minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false}
      responses:
        "204": {description: done}
"#;
    let output = codegen::generate_str(spec, &fixture_options("bounds.yaml"))
        .unwrap_or_else(|diagnostics| panic!("{}", codegen::diagnostics::render(&diagnostics)));
    let validate = file(&output, "validate.rs");
    assert!(
        validate.contains("errors.exclusive_minimum(&at, *value as f64, 1f64);"),
        "{validate}"
    );
    assert!(
        validate.contains("errors.maximum(&at, *value as f64, 9f64);"),
        "{validate}"
    );
}

#[test]
fn yaml_1_1_boolean_words_are_names() {
    // `n`, `y`, `on`, `no` are strings in YAML 1.2; a spec using them as property names must
    // not see `false`/`true`.
    let spec = r#"
openapi: 3.1.0
info: {title: Words, version: "1"}
paths:
  /w:
    post:
      operationId: createW
      tags: [Words]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [n, on]
              properties:
                n: {type: integer}
                on: {type: string}
                no: {type: boolean}
      responses:
        "204": {description: done}
"#;
    let output = codegen::generate_str(spec, &fixture_options("words.yaml"))
        .unwrap_or_else(|diagnostics| panic!("{}", codegen::diagnostics::render(&diagnostics)));
    let types = file(&output, "types.rs");
    assert!(types.contains("pub n: i64,"), "{types}");
    assert!(types.contains("pub on: String,"), "{types}");
    assert!(types.contains("pub no: Option<bool>,"), "{types}");
}

/// A spec without schemas generates no schema data for `schema.rs` to read: an unused `static`
/// would be a warning in the generated crate (the corpus found one in the OAI's examples).
#[test]
fn a_spec_without_types_has_no_schema_data() {
    let spec = r#"
openapi: 3.0.3
info: {title: bare, version: "1"}
paths:
  /ping:
    get:
      responses:
        "204": {description: pong}
"#;
    let output = codegen::generate_str(spec, &fixture_options("bare.yaml"))
        .unwrap_or_else(|diagnostics| panic!("{}", codegen::diagnostics::render(&diagnostics)));
    assert_eq!(output.types, 0);
    let schema = file(&output, "schema.rs");
    assert!(!schema.contains("SCHEMAS"), "{schema}");
    assert!(!schema.contains("use crate::types"), "{schema}");
    let validate = file(&output, "validate.rs");
    assert!(!validate.contains("use "), "{validate}");
}
