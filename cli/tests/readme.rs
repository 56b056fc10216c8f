//! The README's "Generate a client for your own API", run exactly as written: its commands and
//! files are read out of README.md, each way runs in an empty folder outside the workspace
//! holding only `openapi.yaml` (a copy of `spec/intercom.yaml`), and the client it makes passes
//! a wire test against a local server. `path/to/clientgen` in the README is this workspace.
//!
//! `clientgen` is the binary cargo built from this package for the tests: the same source that
//! the README's `cargo install --path path/to/clientgen/cli` installs (which `install.rs` does,
//! into a temporary root).

mod common;

use common::{add_wire_test, run, wire_test, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The README's section on generating a client, split at its `### ` headings.
fn ways() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme
        .find("## Generate a client for your own API")
        .expect("the README has the section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split("\n### ")
        .skip(1)
        .map(|part| {
            let (title, body) = part.split_once('\n').unwrap_or((part, ""));
            (title.trim().to_owned(), body.to_owned())
        })
        .collect()
}

/// The body of the README way whose title starts with `prefix`.
fn way(prefix: &str) -> String {
    ways()
        .into_iter()
        .find(|(title, _)| title.starts_with(prefix))
        .unwrap_or_else(|| panic!("the README has a way `{prefix}`"))
        .1
}

/// The fenced code blocks of `text`: (info string, contents), with `path/to/clientgen`
/// replaced by this workspace.
fn blocks(text: &str) -> Vec<(String, String)> {
    let here = workspace().display().to_string().replace('\\', "/");
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for line in lines.by_ref() {
                if line.starts_with("```") {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            out.push((info.to_owned(), body.replace("path/to/clientgen", &here)));
        }
    }
    out
}

/// An empty folder outside the workspace with the spec in it, as `openapi.yaml`.
fn empty_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-readme-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        workspace().join("spec/intercom.yaml"),
        dir.join("openapi.yaml"),
    )
    .unwrap();
    dir
}

/// Runs the `clientgen` lines of a shell block in `dir` (comments dropped). The `cargo
/// install` line is `install.rs`'s to prove.
fn run_shell(block: &str, dir: &Path) -> usize {
    let mut ran = 0;
    for line in block.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["clientgen", args @ ..] => {
                run(Command::new(env!("CARGO_BIN_EXE_clientgen"))
                    .args(args)
                    .current_dir(dir));
                ran += 1;
            }
            ["cargo", "install", ..] | [] => {}
            other => panic!(
                "the README runs `{}`, which this test does not know",
                other.join(" ")
            ),
        }
    }
    ran
}

#[test]
fn way_1_the_installed_cli() {
    let dir = empty_folder("cli");
    let body = way("1.");
    let shell = blocks(&body)
        .into_iter()
        .find(|(info, _)| info == "sh")
        .expect("a shell block")
        .1;
    assert_eq!(run_shell(&shell, &dir), 2, "generate and check:\n{shell}");
    let krate = dir.join("my-client");
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"0.3.0\""), "{manifest}");
    add_wire_test(&krate, "my_client", Some("my-client"));
    wire_test(&krate);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn way_2_a_build_script() {
    let dir = empty_folder("build-script");
    let body = way("2.");
    let mut written = Vec::new();
    for (_, contents) in blocks(&body) {
        // Each block starts with a comment naming its file.
        let first = contents.lines().next().unwrap_or_default();
        let file = first
            .strip_prefix("# ")
            .or_else(|| first.strip_prefix("// "))
            .unwrap_or_else(|| panic!("a README block names its file: {first}"));
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &contents).unwrap();
        written.push(file.to_owned());
    }
    assert_eq!(written, ["Cargo.toml", "build.rs", "src/lib.rs"]);
    add_wire_test(&dir, "my_app::api", None);
    wire_test(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn way_3_the_vendored_runtime() {
    let dir = empty_folder("vendor");
    let body = way("3.");
    let shell = blocks(&body)
        .into_iter()
        .find(|(info, _)| info == "sh")
        .expect("a shell block")
        .1;
    assert_eq!(run_shell(&shell, &dir), 1);
    let krate = dir.join("my-client");
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains(".."),
        "no path leaves the crate: {manifest}"
    );
    assert!(krate.join("runtime/src/lib.rs").is_file());
    add_wire_test(&krate, "my_client", Some("my-client"));
    wire_test(&krate);
    let _ = std::fs::remove_dir_all(&dir);
}
