//! Fails when `generated-client/src` is not what `spec/intercom.yaml` generates today, so a
//! spec change cannot land without its regenerated client (and a hand edit cannot survive).

use std::collections::BTreeSet;
use workspace_tests::{generate_intercom, root};

#[test]
fn generated_client_matches_the_spec() {
    let src = root().join("generated-client/src");
    let mut stale = Vec::new();
    let output = generate_intercom();
    for file in &output.files {
        let on_disk = std::fs::read_to_string(src.join(&file.path)).unwrap_or_default();
        if on_disk != file.contents {
            stale.push(format!(
                "`generated-client/src/{}` is not up to date",
                file.path
            ));
        }
    }
    let expected: BTreeSet<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    for entry in std::fs::read_dir(&src).expect("generated-client/src exists") {
        let name = entry.expect("readable directory").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".rs") && !expected.contains(&*name) {
            stale.push(format!(
                "`generated-client/src/{name}` is not generated from the spec"
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `cargo xtask codegen` and commit the updated files",
        stale.join("\n")
    );
}
