//! Fails when a generated crate's sources are not what its spec generates today, so a spec
//! change cannot land without its regenerated code (and a hand edit cannot survive).

use std::collections::BTreeSet;
use workspace_tests::{fixture_options, root, TARGETS};

#[test]
fn generated_sources_match_their_specs() {
    let mut stale = Vec::new();
    for (spec, out_dir) in TARGETS {
        let output = codegen::generate(&root().join(spec), &fixture_options(spec))
            .unwrap_or_else(|d| panic!("{spec}:\n{}", codegen::diagnostics::render(&d)));
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
