//! Fails when a generated crate's sources are not what its spec generates today, so a spec
//! change cannot land without its regenerated code (and a hand edit cannot survive). The
//! crates are those of `generated-crates.txt`, the list `cargo xtask codegen` writes.

use std::collections::BTreeSet;
use workspace_tests::{generate_listed, root, targets};

#[test]
fn generated_sources_match_their_specs() {
    let mut stale = Vec::new();
    for (spec, out_dir) in targets() {
        let output = generate_listed(spec);
        let src = root().join(out_dir);
        for file in &output.files {
            let on_disk = std::fs::read_to_string(src.join(&file.path)).unwrap_or_default();
            if on_disk.replace("\r\n", "\n") != file.contents {
                stale.push(format!(
                    "`{out_dir}/{}` is not up to date with `{spec}`",
                    file.path
                ));
            }
        }
        let expected: BTreeSet<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
        for entry in std::fs::read_dir(&src).expect("the generated sources exist") {
            let name = entry.expect("readable directory").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".rs") && !expected.contains(&*name) {
                stale.push(format!("`{out_dir}/{name}` is not generated from `{spec}`"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `cargo xtask codegen` and commit the updated files",
        stale.join("\n")
    );
}

/// Every listed crate is a workspace member (cargo needs the list in `Cargo.toml` too), so it
/// compiles with the tests; and the list names each crate once.
#[test]
fn every_listed_crate_is_a_workspace_member() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut seen = BTreeSet::new();
    for (spec, out_dir) in targets() {
        let member = out_dir.trim_end_matches("/src");
        assert!(
            manifest.contains(&format!("\"{member}\"")),
            "`{member}` (from `{spec}`) is not a workspace member in Cargo.toml"
        );
        assert!(seen.insert(out_dir), "`{out_dir}` is listed twice");
    }
}
