//! Embeds the runtime crate in the `clientgen` binary, for `--runtime vendor`: every file of
//! `runtime/src`, and a `Cargo.toml` that stands alone (the runtime's own manifest with the
//! workspace's inherited settings written out). An installed binary has no clone to copy from.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let cli = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = cli
        .parent()
        .expect("cli/ sits in the workspace")
        .to_path_buf();
    let runtime = root.join("runtime");
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    println!(
        "cargo:rerun-if-changed={}",
        runtime.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.toml").display()
    );

    let mut files = Vec::new();
    collect(&runtime.join("src"), &mut files);
    files.sort();
    let mut out = String::from("/// The runtime's sources: (path in the crate, contents).\npub const SOURCES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&runtime)
            .expect("under runtime/")
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    out.push_str("];\n");
    let manifest = standalone_manifest(
        &read(&runtime.join("Cargo.toml")),
        &read(&root.join("Cargo.toml")),
    );
    let _ = writeln!(
        out,
        "/// The runtime's `Cargo.toml`, standing alone.\npub const MANIFEST: &str = {manifest:?};"
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("runtime.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The lines of section `[name]` of a TOML text: (key, value), one-line entries only (the
/// workspace writes every entry on one line).
fn section<'a>(text: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == header;
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            entries.push((key.trim(), value.trim()));
        }
    }
    entries
}

/// The runtime's manifest with every `workspace = true` replaced by the workspace's value and
/// without its dev-dependencies, so the copy builds outside this workspace.
fn standalone_manifest(runtime: &str, workspace: &str) -> String {
    let package = section(workspace, "workspace.package");
    let dependencies = section(workspace, "workspace.dependencies");
    let mut out = String::new();
    let mut section_name = String::new();
    for line in runtime.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section_name = trimmed.to_owned();
        }
        if section_name == "[dev-dependencies]" {
            continue;
        }
        // `edition.workspace = true`
        if let Some(key) = trimmed.strip_suffix(".workspace = true") {
            let value = package
                .iter()
                .chain(&dependencies)
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .unwrap_or_else(|| panic!("the workspace does not set `{key}`"));
            let _ = writeln!(out, "{key} = {value}");
            continue;
        }
        // `name = { workspace = true, ... }`
        if let Some((key, value)) = trimmed.split_once(" = ") {
            if let Some(rest) = value.strip_prefix("{ workspace = true") {
                let inherited = dependencies
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| *v)
                    .unwrap_or_else(|| panic!("the workspace does not declare `{key}`"));
                let _ = writeln!(
                    out,
                    "{key} = {}",
                    merge(inherited, rest.trim_end_matches('}'))
                );
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A workspace dependency (`"1"` or `{ .. }`) with a member's additions (`, features = [..],
/// optional = true`): one inline table, the features of both.
fn merge(inherited: &str, additions: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut features: Vec<String> = Vec::new();
    let inherited = inherited.trim();
    let table = match inherited
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
    {
        Some(table) => table.to_owned(),
        None => format!("version = {inherited}"),
    };
    for part in split_entries(&table)
        .into_iter()
        .chain(split_entries(additions))
    {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part
            .strip_prefix("features = [")
            .and_then(|f| f.strip_suffix(']'))
        {
            Some(list) => features.extend(
                list.split(',')
                    .map(|f| f.trim().to_owned())
                    .filter(|f| !f.is_empty()),
            ),
            None => parts.push(part.to_owned()),
        }
    }
    if !features.is_empty() {
        features.dedup();
        parts.push(format!("features = [{}]", features.join(", ")));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// The `key = value` entries of an inline table's inside, split at the commas outside `[..]`.
fn split_entries(text: &str) -> Vec<String> {
    let mut entries = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                entries.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    entries.push(current);
    entries
}
