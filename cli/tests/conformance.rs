//! `clientgen examples` (the first half of `clientgen conformance`) from a folder outside the
//! workspace: the client and its driver are generated with the runtime the binary carries, built,
//! and every synthesized value is judged by the jsonschema crate and then decoded by the
//! generated types. (The whole `conformance`, Prism included, runs through the same library code
//! in CI as `cargo xtask conformance`.)

mod common;

use common::workspace;
use std::process::Command;

#[test]
fn examples_oracle_runs_from_outside_the_workspace() {
    let dir = std::env::temp_dir().join(format!("clientgen-conformance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("work")).unwrap();
    for file in ["options.yaml", "options.clientgen.yaml"] {
        std::fs::copy(
            workspace().join("tests/fixtures/specs").join(file),
            dir.join(file),
        )
        .unwrap();
    }
    // The workspace's lock file and target dir, so the dependencies it compiled are reused.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("work/Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_clientgen"))
        .args([
            "examples",
            "options.yaml",
            "--workdir",
            "work",
            "--count",
            "20",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{said}");
    // 4 types, 20 values each, all judged valid and decoded: no failure is ours.
    assert!(
        said.contains("| options.yaml | 0 | 0 | 0 | 0 | 0 | 4 | 80 | 80 | 0 | 0 |"),
        "{said}"
    );
    // The runtime the binary carries, not a path into this workspace.
    assert!(dir.join("work/runtime/src/lib.rs").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
