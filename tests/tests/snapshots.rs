//! Pins every generated file: a spec change shows up here as a diff to review with
//! `cargo insta review`.

use workspace_tests::generate_intercom;

#[test]
fn generated_intercom_client() {
    let output = generate_intercom();
    assert!(
        output.warnings.is_empty(),
        "spec/intercom.yaml should generate without warnings:\n{}",
        codegen::diagnostics::render(&output.warnings)
    );
    let names: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "lib.rs",
            "client.rs",
            "error.rs",
            "types.rs",
            "validate.rs",
            "schema.rs"
        ]
    );
    for file in &output.files {
        insta::assert_snapshot!(format!("intercom__{}", file.path), file.contents);
    }
}

#[test]
fn generation_is_deterministic() {
    let first = generate_intercom().files;
    let second = generate_intercom().files;
    assert_eq!(first, second, "the same spec must give the same bytes");
}
