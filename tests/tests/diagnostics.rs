//! Bad specs get located diagnostics with a fix, never a panic. One fixture per case under
//! `tests/fixtures/bad/`, each with a snapshot of the rendered diagnostics.

use codegen::Severity;
use workspace_tests::{fixture_options, root};

/// Generates `tests/fixtures/bad/<name>` and returns its rendered diagnostics, asserting it fails.
fn diagnose(name: &str) -> (Vec<codegen::Diagnostic>, String) {
    let path = root().join("tests/fixtures/bad").join(name);
    let shown = format!("tests/fixtures/bad/{name}");
    match codegen::generate(&path, &fixture_options(&shown)) {
        Ok(_) => panic!("{name} should not generate"),
        Err(diagnostics) => {
            let rendered = codegen::diagnostics::render(&diagnostics);
            (diagnostics, rendered)
        }
    }
}

#[test]
fn swagger_2_is_refused_with_a_fix() {
    let (diagnostics, rendered) = diagnose("swagger2.yaml");
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    assert_eq!(
        (diagnostics[0].loc.line, diagnostics[0].loc.column),
        (1, 10)
    );
    assert!(diagnostics[0].help.is_some(), "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn yaml_syntax_errors_are_located() {
    let (diagnostics, rendered) = diagnose("yaml-syntax.yaml");
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    assert_eq!(diagnostics[0].file, "tests/fixtures/bad/yaml-syntax.yaml");
    assert!(diagnostics[0].loc.line >= 6, "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (diagnostics, rendered) = diagnose("unsupported.yaml");
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(
        errors >= 3,
        "the undeclared path parameter, the unknown type and the bad pattern are all errors:\n{rendered}"
    );
    let mut sorted = diagnostics.clone();
    sorted.sort_by_key(|d| d.loc);
    assert_eq!(sorted, diagnostics, "diagnostics come sorted by location");
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_missing_file_is_a_diagnostic() {
    let (diagnostics, rendered) = diagnose("does-not-exist.yaml");
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    assert!(rendered.contains("does-not-exist.yaml"), "{rendered}");
}

#[test]
fn empty_and_garbage_input_never_panic() {
    for text in [
        "",
        "\0\0\0",
        "- a\n- b\n",
        "openapi: 3.1.0\n",
        "{{{{",
        "openapi: [1, 2]\n",
    ] {
        let result = codegen::generate_str(text, &fixture_options("inline.yaml"));
        let diagnostics = result.expect_err(text);
        assert!(!diagnostics.is_empty(), "{text:?}");
        assert!(
            diagnostics
                .iter()
                .all(|d| d.help.is_some() || d.loc.line > 0),
            "{text:?}: {diagnostics:?}"
        );
    }
}
