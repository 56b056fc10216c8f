//! Proof that the conformance oracles can fail: the client generated from
//! `tests/fixtures/conformance/breakable.yaml` is broken on purpose, three ways, by textual
//! mutation of the generated source (`--mutate <file> <from> <to>`, applied in the oracle's own
//! work folder, never to checked-in code), and each break must be reported by the oracle that
//! should catch it. The unbroken client passes both, so the failures come from the breaks.
//!
//! Runs the real `xtask` binary: each case builds the mutated client and its driver, and the
//! wire cases start Prism (installed from `tools/prism` on first use; needs node and npm).

use std::process::Command;

const SPEC: &str = "tests/fixtures/conformance/breakable.yaml";

/// Runs `cargo xtask <command> SPEC --workdir target/conformance-break <mutation>`; returns
/// whether it succeeded and its stdout.
fn oracle(command: &str, mutation: &[&str]) -> (bool, String) {
    let mut args = vec![
        command,
        SPEC,
        "--workdir",
        "target/conformance-break",
        "--rounds",
        "2",
    ];
    // (file, from, to), one or more.
    for edit in mutation.chunks(3) {
        args.push("--mutate");
        args.extend(edit);
    }
    xtask(&args)
}

/// Runs the xtask binary from the workspace root; returns whether it succeeded and its stdout.
fn xtask(args: &[&str]) -> (bool, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("the xtask binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("xtask {}\n{stdout}\n{stderr}", args.join(" "));
    (output.status.success(), stdout)
}

/// The examples oracle on the product's spec and every fixture spec (the conformance ones too): no failure of ours, and
/// at least 100 judge-confirmed values for every type it could synthesize.
#[test]
fn examples_oracle_passes_on_our_specs() {
    let (ok, stdout) = xtask(&[
        "examples",
        "spec/intercom.yaml",
        "tests/fixtures/specs",
        "tests/fixtures/specs/external/api.yaml",
        "tests/fixtures/specs/split/openapi.yaml",
        "tests/fixtures/conformance",
    ]);
    assert!(ok, "the examples oracle finds failures of ours");
    let table = stdout
        .split("## ")
        .find(|t| t.starts_with("Examples oracle"))
        .unwrap();
    let rows: Vec<Vec<u64>> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| spec") && !l.starts_with("| ---"))
        .map(|l| l.split('|').filter_map(|c| c.trim().parse().ok()).collect())
        .collect();
    assert_eq!(
        rows.len(),
        21,
        "intercom, the 13 fixture specs, external, split and the 5 of tests/fixtures/conformance:\n{table}"
    );
    for row in rows {
        // examples, pass, spec defects, ours, unchecked, types, synthesized, pass, ours, unsynthesizable
        assert_eq!(row[3] + row[8], 0, "{row:?}");
        // Types judged through another (inline variants) or left unchecked (a repair the
        // judge reads literally) are listed as unchecked, not synthesized.
        assert!(
            row[6] >= 100 * row[5].saturating_sub(row[9] + row[4]),
            "100 values per type: {row:?}"
        );
    }
}

/// The numbers in the table row of the breakable spec under the given table heading.
fn row(stdout: &str, heading: &str) -> Vec<u64> {
    spec_row(stdout, heading, "breakable.yaml")
}

/// The numbers in the table row of `spec` under the given table heading.
fn spec_row(stdout: &str, heading: &str, spec: &str) -> Vec<u64> {
    let table = stdout
        .split("## ")
        .find(|t| t.starts_with(heading))
        .unwrap_or_else(|| panic!("no `{heading}` table in:\n{stdout}"));
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("| {spec} |")))
        .unwrap_or_else(|| panic!("no row for the spec in:\n{table}"));
    line.split('|')
        .filter_map(|cell| cell.trim().parse().ok())
        .collect()
}

#[test]
fn each_oracle_catches_the_break_it_should() {
    // Unbroken: both oracles pass.
    let (ok, stdout) = oracle("conformance", &[]);
    assert!(ok, "the unbroken client must pass both oracles");
    let wire = row(&stdout, "Wire oracle");
    assert!(wire[3] >= 2, "every round called: {wire:?}");

    // 1. A misspelled query parameter: Prism sees a required parameter missing.
    let (ok, stdout) = oracle("conformance", &["client.rs", "\"limit\",", "\"limti\","]);
    assert!(!ok);
    let wire = row(&stdout, "Wire oracle");
    // operations, called, skipped, calls, request violations, ..
    assert_eq!(
        wire[4], wire[3],
        "every call is a request violation: {wire:?}"
    );
    assert!(
        stdout.contains("limit"),
        "the violation names the parameter"
    );

    // 2. A wrong type on a response field: the examples oracle's synthesized pets (and the
    // spec's example) no longer decode, and neither do Prism's answers.
    let (ok, stdout) = oracle(
        "conformance",
        &[
            "types.rs",
            "pub id: i64,",
            "pub id: String,",
            // `Pet::new` takes the field's type.
            "types.rs",
            "id: impl Into<i64>,",
            "id: impl Into<String>,",
        ],
    );
    assert!(!ok);
    let examples = row(&stdout, "Examples oracle");
    // examples, pass, spec defects, ours, unchecked, types, synthesized, pass, ours, ..
    assert!(
        examples[3] >= 1,
        "the spec's example is refused: {examples:?}"
    );
    assert_eq!(
        examples[8], examples[6],
        "every synthesized pet is refused: {examples:?}"
    );
    assert!(stdout.contains("invalid type: integer"));
    let wire = row(&stdout, "Wire oracle");
    assert_eq!(wire[5], wire[3], "every answer fails to decode: {wire:?}");

    // 3. A lost `nullable`: the synthesized pets with `"tag": null` no longer decode (the
    // spec's example has one too). Only the examples oracle runs: it is the one that must see it.
    let (ok, stdout) = oracle(
        "examples",
        &[
            "types.rs",
            "#[serde(deserialize_with = \"runtime::required_nullable\")]\n    pub tag: Option<String>,",
            "pub tag: String,",
            // `Pet::new` takes the field's type.
            "types.rs",
            "tag: Option<String>,\n    ) -> Self",
            "tag: String,\n    ) -> Self",
        ],
    );
    assert!(!ok);
    let examples = row(&stdout, "Examples oracle");
    assert!(
        examples[3] >= 1,
        "the spec's example with a null tag is refused: {examples:?}"
    );
    assert!(
        examples[8] >= 1,
        "synthesized pets with a null tag are refused: {examples:?}"
    );
    assert!(
        examples[8] < examples[6],
        "pets with a tag still decode: {examples:?}"
    );
    assert!(stdout.contains("invalid type: null"));
}
