//! Bad specs get located diagnostics with a fix, never a panic. One fixture per case under
//! `tests/fixtures/bad/`, each with a snapshot of its rendered diagnostics (source line and
//! underline included), and assertions on what matters: severity, place, count.

use codegen::{Diagnostic, Severity};
use workspace_tests::{fixture_options, root};

/// What generating `tests/fixtures/bad/<name>` reports, whether it failed (errors) or
/// succeeded with warnings, and the report rendered without colour.
fn diagnose(name: &str) -> (Vec<Diagnostic>, String, bool) {
    let path = root().join("tests/fixtures/bad").join(name);
    let shown = format!("tests/fixtures/bad/{name}");
    match codegen::generate(&path, &fixture_options(&shown)) {
        Ok(output) => {
            let rendered = codegen::diagnostics::render(&output.warnings);
            (output.warnings.into_vec(), rendered, true)
        }
        Err(report) => {
            let rendered = codegen::diagnostics::render(&report);
            (report.into_vec(), rendered, false)
        }
    }
}

/// Generation fails with exactly these errors, as (line, words in the message); each has help.
fn expect_errors(name: &str, expected: &[(u32, &str)]) -> String {
    let (diagnostics, rendered, generated) = diagnose(name);
    assert!(!generated, "{name} should not generate:\n{rendered}");
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), expected.len(), "{rendered}");
    for (error, (line, words)) in errors.iter().zip(expected) {
        assert_eq!(error.loc.line, *line, "{rendered}");
        assert!(error.message.contains(words), "{words:?} in:\n{rendered}");
        assert!(error.help.is_some(), "{rendered}");
    }
    rendered
}

/// Generation succeeds with exactly these warnings, as (line, words in the message).
fn expect_warnings(name: &str, expected: &[(u32, &str)]) -> String {
    let (diagnostics, rendered, generated) = diagnose(name);
    assert!(
        generated,
        "{name} should generate with warnings:\n{rendered}"
    );
    assert_eq!(diagnostics.len(), expected.len(), "{rendered}");
    for (warning, (line, words)) in diagnostics.iter().zip(expected) {
        assert_eq!(warning.severity, Severity::Warning, "{rendered}");
        assert_eq!(warning.loc.line, *line, "{rendered}");
        assert!(warning.message.contains(words), "{words:?} in:\n{rendered}");
    }
    rendered
}

#[test]
fn yaml_syntax_errors_are_located() {
    let rendered = expect_errors("yaml-syntax.yaml", &[(6, "not valid YAML")]);
    assert!(
        rendered.contains("tests/fixtures/bad/yaml-syntax.yaml:6:7"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_document_that_is_not_openapi_says_so_once() {
    let rendered = expect_errors("not-openapi.yaml", &[(2, "not an OpenAPI document")]);
    assert!(rendered.contains("`apiVersion`"), "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn swagger_2_is_refused_with_a_fix() {
    let rendered = expect_errors("swagger2.yaml", &[(1, "Swagger 2.0")]);
    assert!(rendered.contains("swagger2openapi"), "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn an_unsupported_openapi_version_is_refused() {
    let rendered = expect_errors("unsupported-version.yaml", &[(1, "`4.0.0`")]);
    insta::assert_snapshot!(rendered);
}

#[test]
fn dangling_local_refs_are_located() {
    // A parameter that does not exist cannot be guessed: an error. A schema that does not
    // exist degrades to `serde_json::Value`, but is still reported.
    let (diagnostics, rendered, generated) = diagnose("dangling-ref.yaml");
    assert!(!generated, "{rendered}");
    let found: Vec<(Severity, u32)> = diagnostics
        .iter()
        .map(|d| (d.severity, d.loc.line))
        .collect();
    assert_eq!(
        found,
        [(Severity::Error, 10), (Severity::Warning, 17)],
        "{rendered}"
    );
    assert!(
        rendered.contains("#/components/parameters/Limit"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_missing_external_file_is_named_with_its_path() {
    let rendered = expect_errors(
        "missing-external.yaml",
        &[(
            15,
            "`tests/fixtures/bad/schemas/nowhere.yaml`, which cannot be read",
        )],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn problems_inside_an_external_file_point_into_that_file() {
    let (diagnostics, rendered, generated) = diagnose("external-error.yaml");
    assert!(!generated, "{rendered}");
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    assert_eq!(diagnostics[0].file, "tests/fixtures/bad/external/pet.yaml");
    assert_eq!(
        (diagnostics[0].loc.line, diagnostics[0].loc.column),
        (6, 13)
    );
    assert!(
        rendered.contains("type: integr"),
        "the snippet is from pet.yaml:\n{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_ref_cycle_without_a_schema_is_an_error() {
    let rendered = expect_errors("ref-cycle.yaml", &[(14, "only point at each other")]);
    assert!(
        rendered.contains(
            "/components/schemas/Pet -> /components/schemas/Animal -> /components/schemas/Pet"
        ),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn duplicate_operation_ids_are_errors() {
    let rendered = expect_errors(
        "duplicate-operation-id.yaml",
        &[(13, "already used by `GET /pets` (line 8)")],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn names_that_collide_after_case_conversion_are_warned_about() {
    let rendered = expect_warnings(
        "name-collision.yaml",
        &[
            (
                10,
                "`user_name` and `UserName` both become the Rust type `UserName`",
            ),
            (14, "`user_name` and `user-name` both become"),
        ],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn an_invalid_pattern_is_an_error() {
    let rendered = expect_errors(
        "bad-pattern.yaml",
        &[(13, "not a valid ECMAScript regular expression")],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_discriminator_mapping_to_a_missing_schema_is_an_error() {
    let rendered = expect_errors(
        "discriminator-mapping.yaml",
        &[(16, "maps `dog` to `#/components/schemas/Dgo`")],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn path_parameters_and_templates_must_agree_both_ways() {
    // A declared parameter missing from the template is ambiguous (a typo? a query
    // parameter?): an error. A template variable nobody declares has one repair: a warning.
    let rendered = expect_errors(
        "path-parameters.yaml",
        &[(15, "`note_id` does not appear in the path `/notes`")],
    );
    let (diagnostics, _, _) = diagnose("path-parameters.yaml");
    let repaired = diagnostics
        .iter()
        .find(|d| d.severity == Severity::Warning)
        .expect("the undeclared `{user_id}` is warned about");
    assert_eq!(repaired.loc.line, 8, "{rendered}");
    assert!(
        repaired.message.contains("has `{user_id}`, but the operation declares no path parameter `user_id`; it is taken as a required string parameter"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_ref_cycle_nothing_uses_is_still_an_error() {
    let rendered = expect_errors(
        "alias-cycle-unused.yaml",
        &[(9, "only point at each other")],
    );
    assert!(
        rendered.contains("/components/parameters/Limit -> /components/parameters/PageSize -> /components/parameters/Count -> /components/parameters/Limit"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn required_names_a_missing_property() {
    let rendered = expect_warnings("required-missing.yaml", &[(10, "`subjet`")]);
    insta::assert_snapshot!(rendered);
}

#[test]
fn defaults_that_break_their_own_schema_are_warned_about() {
    let rendered = expect_warnings(
        "bad-default.yaml",
        &[
            (15, "`500` is above the maximum"),
            (19, "`\"ascending\"` is not one of the `enum` values"),
            (22, "`10` is a number, not string"),
        ],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn an_empty_file_is_not_an_openapi_document() {
    let rendered = expect_errors("empty.yaml", &[(1, "(found an empty file)")]);
    insta::assert_snapshot!(rendered);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (diagnostics, rendered, generated) = diagnose("unsupported.yaml");
    assert!(!generated, "{rendered}");
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(
        errors >= 2,
        "the unknown type and the bad pattern are errors (the undeclared path parameter is repaired, with a warning):\n{rendered}"
    );
    let mut sorted = diagnostics.clone();
    sorted.sort_by_key(|d| d.loc);
    assert_eq!(sorted, diagnostics, "diagnostics come sorted by location");
    assert!(rendered.ends_with("2 errors, 3 warnings\n"), "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_missing_file_is_a_diagnostic() {
    let (diagnostics, rendered, generated) = diagnose("does-not-exist.yaml");
    assert!(!generated);
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    assert!(rendered.contains("does-not-exist.yaml"), "{rendered}");
}

#[test]
fn colour_is_only_added_when_asked_for() {
    let path = root().join("tests/fixtures/bad/swagger2.yaml");
    let report = codegen::generate(&path, &fixture_options("swagger2.yaml")).unwrap_err();
    assert!(!report.render(false).contains('\u{1b}'));
    assert!(report.render(true).contains('\u{1b}'));
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
        "openapi: 3.1\n",
        "openapi: 3.1.0\npaths: {/x: {get: {$ref: 7}}}\n",
        "openapi: 3.1.0\ncomponents: {schemas: {A: {$ref: 'other.yaml#/A'}}}\n",
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

/// Fifty megabytes of garbage: rejected with one diagnostic, without running out of stack or
/// memory. (Its time is bounded by the test suite's own; it takes well under a second in
/// release.)
#[test]
fn fifty_megabytes_of_garbage_are_rejected() {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let alphabet = b"{}[]:,-?&*!|>'\"%@` \n\tabc0123#";
    let mut text = String::with_capacity(50 << 20);
    while text.len() < 50 << 20 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        text.push(char::from(alphabet[(rng % alphabet.len() as u64) as usize]));
    }
    let report = codegen::generate_str(&text, &fixture_options("garbage.yaml")).unwrap_err();
    assert!(report.errors() >= 1, "{report:?}");
    assert!(
        report.len() <= 3,
        "{}",
        codegen::diagnostics::render(&report)
    );
    // Deep nesting is the classic way to blow a recursive parser's stack.
    let deep = "[".repeat(1 << 20);
    let report = codegen::generate_str(&deep, &fixture_options("deep.yaml")).unwrap_err();
    assert!(report.errors() >= 1, "{report:?}");
}

/// Broken references in a split spec, each reported in the file that holds it, at its line
/// and column: a dangling fragment in the root, a missing file and a dangling local pointer
/// inside an operation's own file, an operation file that is not an operation, an operationId
/// taken in another file, a bad parameter and a bad request body in files of their own, a bad
/// type in a schema file two folders away.
#[test]
fn broken_refs_in_nested_files_are_located_in_their_files() {
    let (diagnostics, rendered, generated) = diagnose("split/openapi.yaml");
    assert!(!generated, "{rendered}");
    let found: Vec<(Severity, &str, u32, u32)> = diagnostics
        .iter()
        .map(|d| {
            let file = d.file.strip_prefix("tests/fixtures/bad/split/").unwrap();
            (d.severity, file, d.loc.line, d.loc.column)
        })
        .collect();
    assert_eq!(
        found,
        [
            (Severity::Error, "openapi.yaml", 11, 13),
            (Severity::Error, "parts/body.yaml", 2, 10),
            (Severity::Error, "parts/param.yaml", 1, 1),
            (Severity::Error, "parts/pet.yaml", 4, 11),
            (Severity::Error, "paths/pets/delete.yaml", 2, 14),
            (Severity::Error, "paths/pets/list.yaml", 3, 11),
            (Severity::Error, "paths/pets/list.yaml", 12, 11),
            (Severity::Error, "paths/pets/not-an-operation.yaml", 1, 1),
        ],
        "{rendered}"
    );
    assert!(diagnostics.iter().all(|d| d.help.is_some()), "{rendered}");
    for words in [
        "`$ref: 'paths/pets/create.yaml#/nope'` points at nothing",
        "points at `tests/fixtures/bad/split/parts/missing.yaml`, which cannot be read",
        "the path is relative to `tests/fixtures/bad/split/paths/pets/list.yaml`",
        "`$ref: '#/x-responses/gone'` points at nothing",
        "an operation must be a mapping, found a sequence",
        "`content` must be a mapping, found a string",
        "`in: body` is not a parameter location",
        "`listPets` is already used by `GET /pets` (tests/fixtures/bad/split/paths/pets/list.yaml line 1)",
    ] {
        assert!(rendered.contains(words), "{words:?} in:\n{rendered}");
    }
    insta::assert_snapshot!(rendered);
}
