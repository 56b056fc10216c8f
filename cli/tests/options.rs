//! The generation options through the binary: the config file beside the spec is read, flags
//! add to it, and mistakes in either are reported with the right exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "tests/fixtures/specs/options.yaml";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ is in the workspace")
        .to_path_buf()
}

fn clientgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientgen"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn check_reads_the_config_beside_the_spec_and_flags_add_to_it() {
    let output = clientgen(&["check", SPEC]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    // The config's derives (and their warnings) apply: 3 operations of 4, no `Store`.
    assert!(
        shown.contains("`Hash` is left off 1 type(s) that cannot have it: Animal"),
        "{shown}"
    );
    assert!(
        shown.contains("3 operations, 4 types, 2 warnings"),
        "{shown}"
    );

    // An empty config instead: everything, no warnings.
    let empty = std::env::temp_dir().join(format!("clientgen-empty-{}.yaml", std::process::id()));
    std::fs::write(&empty, "").unwrap();
    let output = clientgen(&["check", SPEC, "--config", empty.to_str().unwrap()]);
    let shown = text(&output);
    assert!(
        shown.contains("4 operations, 5 types, 0 warnings"),
        "{shown}"
    );

    // A flag naming a tag no operation has: exit 1, the flag named as the place.
    let output = clientgen(&["check", SPEC, "--tag", "nope"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("no operation has the tag `nope`"), "{shown}");
    assert!(shown.contains("--tag"), "{shown}");
    let _ = std::fs::remove_file(empty);
}

#[test]
fn malformed_option_flags_are_usage_errors() {
    for args in [
        &["check", SPEC, "--rename-type", "NoEquals"][..],
        &["check", SPEC, "--derive"][..],
        &["check", SPEC, "--out", "x"][..],
    ] {
        let output = clientgen(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
}

#[test]
fn generate_without_schemars_writes_no_schema_files_and_no_feature() {
    let out = std::env::temp_dir().join(format!("clientgen-options-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = clientgen(&[
        "generate",
        "spec/intercom.yaml",
        "--out",
        out.to_str().unwrap(),
        "--no-schemars",
        "--derive",
        "Eq",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(!out.join("src/schema.rs").exists() && !out.join("src/schemas.json").exists());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("schemars"), "{manifest}");
    let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("#[derive(Eq)]"), "{types}");
    let _ = std::fs::remove_dir_all(&out);
}
