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
