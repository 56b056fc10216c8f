//! The spec's examples become doc examples (doctests) of their type or operation, once checked
//! against the type: an example that breaks its own schema is left out, with a warning at its
//! line. (`cargo test --doc -p intercom` runs the seed's examples; this file pins the choice.)

const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Examples, version: "1" }
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Thing" }
            examples:
              good: { summary: A fine thing, value: { name: lamp, size: 3 } }
              short: { value: { name: "", size: 3 } }
              untyped: { value: { name: lamp, size: big } }
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
              example: { name: lamp }
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: { type: string, minLength: 1 }
        size: { type: integer, maximum: 10 }
      example: { name: desk, size: 11 }
"##;

fn generate() -> codegen::Output {
    let options = codegen::Options {
        crate_name: Some("things-client".to_owned()),
        ..codegen::Options::new("things.yaml", "test")
    };
    codegen::generate_str(SPEC, &options).expect("the spec generates")
}

#[test]
fn fitting_examples_become_doctests_and_broken_ones_are_warned_and_left_out() {
    let output = generate();
    let file = |name: &str| {
        output
            .files
            .iter()
            .find(|f| f.path == name)
            .map(|f| f.contents.clone())
            .unwrap()
    };
    let client = file("client.rs");
    // The fitting request example, validated; the response example, decoded.
    assert!(client.contains("/// An example of the request body, `good` (A fine thing):"));
    assert!(client.contains(r##"/// let value = Thing::from_json(r#"{"name":"lamp","size":3}"#).expect("decodes and validates");"##), "{client}");
    assert!(client.contains("/// An example of the 200 response:"));
    assert!(client.contains(
        r##"/// let value: Thing = serde_json::from_str(r#"{"name":"lamp"}"#).expect("decodes");"##
    ));
    assert!(client.contains("/// use things_client::*;"));
    // The broken ones are not there.
    assert!(!client.contains("`short`") && !client.contains("`untyped`"));
    assert!(
        !file("types.rs").contains("# Examples"),
        "the schema's example breaks `maximum`"
    );

    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.loc.line, w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "15: this example breaks its own schema (/name breaks `minLength: 1`), so it is not a doc example of `Thing`",
            "16: this example breaks its own schema (/size is not an integer), so it is not a doc example of `Thing`",
            "32: this example breaks its own schema (/size breaks `maximum: 10`), so it is not a doc example of `Thing`",
        ]
    );
}

/// Without a crate name (a module a build script includes), there is nothing to `use`: no doc
/// examples, and the same warnings.
#[test]
fn a_module_without_a_crate_name_has_no_doc_examples() {
    let output = codegen::generate_str(SPEC, &codegen::Options::new("things.yaml", "test"))
        .expect("the spec generates");
    assert!(output
        .files
        .iter()
        .all(|f| !f.contents.contains("# Examples")));
    assert_eq!(output.warnings.len(), 3);
}
