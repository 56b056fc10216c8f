//! One insta snapshot per generated crate, in the order of `generated-crates.txt`: its
//! generation report (`workspace_tests::generation_report`). The committed crate is the
//! reviewed record of the generated code, so the snapshot does not copy it: it holds what the
//! crate does not show (counts, typed share, every warning with its location) and each file's
//! path, line count and fingerprint. A change to generated code fails here as well as in the
//! freshness check; `cargo insta review` accepts the report, and the code is read once, in the
//! crate's git diff.

use workspace_tests::{generate_intercom, generate_listed, generation_report, targets};

#[test]
fn generation_reports() {
    let mut failed = Vec::new();
    for (spec, out_dir) in targets() {
        let output = generate_listed(spec);
        let report = generation_report(spec, out_dir, &output);
        // `generated-client/src` -> `generated-client`: one snapshot per crate folder.
        let name = out_dir
            .trim_end_matches("/src")
            .rsplit('/')
            .next()
            .unwrap_or(out_dir);
        // Every crate is compared, so one run writes every changed report for review, not
        // only the first.
        let compared = std::panic::catch_unwind(|| {
            insta::assert_snapshot!(format!("report__{name}"), report);
        });
        if compared.is_err() {
            failed.push(format!("{name} ({spec})"));
        }
    }
    assert!(
        failed.is_empty(),
        "the generation report changed for: {}\nread the crates' git diff, then accept the \
         reports with `cargo insta review`",
        failed.join(", ")
    );
}

/// The product's spec is clean and generates exactly these files.
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
            "schema.rs",
            "schemas.json",
            "mock.rs",
        ]
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate_intercom().files;
    let second = generate_intercom().files;
    assert_eq!(first, second, "the same spec must give the same bytes");
}

/// The fingerprint is FNV-1a 64 (the published test vectors), so a report can be checked by
/// hand.
#[test]
fn fingerprint_is_fnv1a_64() {
    use workspace_tests::fingerprint;
    assert_eq!(fingerprint(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fingerprint(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fingerprint(b"foobar"), 0x8594_4171_f739_67e8);
}
