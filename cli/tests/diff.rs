//! `clientgen diff` as a user runs it: the binary's exit status for each outcome, and the
//! format flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(pair: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/diff")
        .join(pair)
        .join(format!("{side}.yaml"))
}

fn clientgen(args: &[&str], specs: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientgen"))
        .arg("diff")
        .args(specs)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("clientgen starts")
}

#[test]
fn exit_status_follows_fail_on_breaking() {
    let (old, new) = (fixture("path-ids", "old"), fixture("path-ids", "new"));
    let specs = [old.as_path(), new.as_path()];
    let report = clientgen(&[], &specs);
    assert_eq!(report.status.code(), Some(0));
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(text.contains("[breaks callers]"), "{text}");
    assert_eq!(
        clientgen(&["--fail-on-breaking"], &specs).status.code(),
        Some(1)
    );

    // Only compatible changes: the flag passes.
    let (old, new) = (
        fixture("descriptions", "old"),
        fixture("descriptions", "new"),
    );
    let compatible = clientgen(&["--fail-on-breaking"], &[&old, &new]);
    assert_eq!(compatible.status.code(), Some(0));
}

#[test]
fn formats_and_errors() {
    let (old, new) = (fixture("enum-values", "old"), fixture("enum-values", "new"));
    let json = clientgen(&["--format", "json"], &[&old, &new]);
    let json = String::from_utf8_lossy(&json.stdout);
    assert!(
        json.trim_start().starts_with('{') && json.contains("\"bump\": \"major\""),
        "{json}"
    );
    let markdown = clientgen(&["--format", "markdown"], &[&old, &new]);
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with("### API changes"));

    // A spec that does not load: its diagnostics, exit 1; bad arguments: exit 2.
    let missing = fixture("no-such-pair", "old");
    let failed = clientgen(&[], &[&old, &missing]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("error"));
    assert_eq!(
        clientgen(&["--format", "yaml"], &[&old, &new])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(clientgen(&[], &[&old]).status.code(), Some(2));
}
