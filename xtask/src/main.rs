//! Project automation, run as `cargo xtask <command>`.
//!
//! - `cargo xtask codegen` regenerates `generated-client/src` from `spec/intercom.yaml`.
//! - `cargo xtask codegen --check` writes nothing and fails, naming every stale file, when the
//!   checked-in code differs from what the spec generates.
//!
//! Arguments are parsed by hand: two commands and one flag do not justify a CLI crate's build
//! time on every `cargo xtask` run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]

commands:
  codegen           regenerate generated-client/src from spec/intercom.yaml
  codegen --check   write nothing; fail if generated-client/src is not up to date";

/// The spec of the checked-in client, relative to the workspace root.
const SPEC: &str = "spec/intercom.yaml";
/// Where its generated sources live, relative to the workspace root.
const OUT_DIR: &str = "generated-client/src";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unknown arguments `{}`\n\n{USAGE}", args.join(" "));
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask lives one level below the root; cargo sets this at compile time.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

fn codegen(check: bool) -> ExitCode {
    let root = workspace_root();
    let options = codegen::Options {
        spec_name: SPEC.to_owned(),
        command: "cargo xtask codegen".to_owned(),
    };
    let output = match codegen::generate(&root.join(SPEC), &options) {
        Ok(output) => output,
        Err(diagnostics) => {
            eprint!("{}", codegen::diagnostics::render(&diagnostics));
            eprintln!("error: {SPEC} has problems; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if !output.warnings.is_empty() {
        eprint!("{}", codegen::diagnostics::render(&output.warnings));
    }
    let out_dir = root.join(OUT_DIR);
    let mut stale = Vec::new();
    for file in &output.files {
        let path = out_dir.join(&file.path);
        match ensure_file_contents(&path, &file.contents, check) {
            Ok(true) => {}
            Ok(false) => stale.push(format!("{OUT_DIR}/{}", file.path)),
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let expected: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    for extra in rust_files(&out_dir)
        .into_iter()
        .filter(|f| !expected.contains(&f.as_str()))
    {
        stale.push(format!("{OUT_DIR}/{extra} (no longer generated)"));
        if !check {
            if let Err(err) = std::fs::remove_file(out_dir.join(&extra)) {
                eprintln!("error: cannot remove {OUT_DIR}/{extra}: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    if check && !stale.is_empty() {
        for file in &stale {
            eprintln!("error: `{file}` was not up-to-date");
        }
        eprintln!("run `cargo xtask codegen` locally and commit the updated files");
        return ExitCode::FAILURE;
    }
    if check {
        println!("{OUT_DIR} is up to date with {SPEC}");
    } else if stale.is_empty() {
        println!("{OUT_DIR} was already up to date");
    } else {
        for file in &stale {
            println!("updated {file}");
        }
    }
    ExitCode::SUCCESS
}

/// Compares `contents` with the file (line endings normalised). With `check`, only reports;
/// otherwise rewrites it. Returns whether the file was already up to date.
fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> std::io::Result<bool> {
    if let Ok(old) = std::fs::read_to_string(path) {
        if old.replace("\r\n", "\n") == contents {
            return Ok(true);
        }
    }
    if !check {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, contents)?;
    }
    Ok(false)
}

/// The `.rs` files directly in `dir`, by name.
fn rust_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    names.sort();
    names
}
