//! The installable generator's library: one spec in, one client crate on disk, written so that
//! regenerating never destroys a user's work. The `clientgen` binary and `cargo xtask
//! generate`/`corpus` all write crates through [`generate_crate`].
//!
//! - A file in `src/` is replaced or removed only if the generator wrote it: it starts with the
//!   `@generated` line ([`is_generated`]). A hand-written file is never touched; one that is in
//!   the way of a generated file stops the run before anything is written.
//! - `Cargo.toml` is written whole when absent. Otherwise only its two generated blocks (the
//!   dependencies and features the code needs, between marker comments) are replaced; without
//!   the markers it is left as it is, and the caller is told.

pub mod conformance;
mod diff;

pub use diff::{run_diff, DiffArgs, DiffFormat};

use codegen::manifest::Manifest;
use std::path::{Component, Path, PathBuf};

/// The runtime crate this binary carries, for `--runtime vendor` (written by `build.rs`).
mod vendored {
    include!(concat!(env!("OUT_DIR"), "/runtime.rs"));
}

/// How the generated crate depends on the runtime crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// A path dependency on the runtime at this directory (written relative to the crate when
    /// both paths are absolute).
    Path(PathBuf),
    /// A git dependency.
    Git(String),
    /// A registry dependency of this version requirement.
    Version(String),
    /// A copy of the runtime's sources in the crate's own `runtime/` folder, so the crate stands
    /// alone (the folder is the generator's: regenerating rewrites it).
    Vendor,
}

impl Runtime {
    /// Parses `vendor`, `path:<dir>`, `git:<url>` or `version:<semver>`.
    ///
    /// # Errors
    ///
    /// A message naming the forms, for anything else.
    pub fn parse(text: &str) -> Result<Runtime, String> {
        if text == "vendor" {
            return Ok(Runtime::Vendor);
        }
        let (kind, value) = text.split_once(':').unwrap_or((text, ""));
        match (kind, value) {
            (_, "") => Err(format!(
                "`--runtime {text}`: give `vendor`, `path:<dir>`, `git:<url>` or `version:<semver>`"
            )),
            ("path", dir) => Ok(Runtime::Path(PathBuf::from(dir))),
            ("git", url) => Ok(Runtime::Git(url.to_owned())),
            ("version", version) => Ok(Runtime::Version(version.to_owned())),
            _ => Err(format!(
                "`--runtime {text}`: the runtime is `vendor`, `path:<dir>`, `git:<url>` or `version:<semver>`"
            )),
        }
    }

    /// The runtime this binary was built next to: the `runtime/` folder of its source tree.
    pub fn beside_this_build() -> Runtime {
        Runtime::Path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime"))
    }

    /// The dependency's table entries for a crate in `out`.
    fn entries(&self, out: &Path) -> String {
        match self {
            Runtime::Path(dir) => {
                let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
                let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
                let path = relative(&dir, &out)
                    .display()
                    .to_string()
                    .replace('\\', "/");
                Manifest::runtime_path(&path)
            }
            Runtime::Git(url) => format!("git = {}", codegen::manifest::toml_string(url)),
            Runtime::Version(version) => {
                format!("version = {}", codegen::manifest::toml_string(version))
            }
            Runtime::Vendor => Manifest::runtime_path("runtime"),
        }
    }
}

/// Writes the runtime this binary carries into `out/runtime`: its manifest and sources, and
/// removes the Rust files of an earlier copy that this one no longer has.
pub(crate) fn vendor(out: &Path) -> Result<(), Failure> {
    let dir = out.join("runtime");
    let io = |path: &Path, err: std::io::Error| {
        Failure::Io(format!("cannot write {}: {err}", path.display()))
    };
    let mut files = vec![("Cargo.toml", vendored::MANIFEST)];
    files.extend(vendored::SOURCES.iter().copied());
    for (path, contents) in &files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        write_if_changed(&path, contents).map_err(|e| io(&path, e))?;
    }
    let mut existing = Vec::new();
    rust_files_below(&dir.join("src"), &mut existing);
    for file in existing {
        let relative = file
            .strip_prefix(&dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if !vendored::SOURCES.iter().any(|(path, _)| *path == relative) {
            std::fs::remove_file(&file).map_err(|e| io(&file, e))?;
        }
    }
    Ok(())
}

/// Every `.rs` file below `dir`.
fn rust_files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files_below(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// How to write a crate.
#[derive(Clone, Debug)]
pub struct CrateOptions {
    /// The package name; must be a valid crate name.
    pub name: String,
    /// The package version of a new manifest.
    pub version: String,
    /// How the crate depends on the runtime.
    pub runtime: Runtime,
    /// Adds an empty `[workspace]` table to a new manifest (off for crates that join one).
    pub standalone: bool,
    /// The spec's name in headers and diagnostics.
    pub spec_name: String,
    /// The command named in the `@generated` headers.
    pub command: String,
    /// The generation options ([`codegen::config::Config::for_spec`] reads the file beside a
    /// spec).
    pub config: codegen::config::Config,
}

/// What happened to `Cargo.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestOutcome {
    /// There was none: written whole.
    Created,
    /// Its generated blocks were replaced (or already up to date).
    Updated,
    /// It has no generated blocks, so it was left as it is.
    LeftAlone,
}

/// What a run wrote.
#[derive(Debug)]
pub struct Written {
    /// The generator's output (files, warnings, counts).
    pub output: codegen::Output,
    /// Generated files of an earlier run that this one no longer makes, removed.
    pub removed: Vec<String>,
    /// What happened to `Cargo.toml`.
    pub manifest: ManifestOutcome,
}

/// Why nothing (or not everything) was written.
#[derive(Debug)]
pub enum Failure {
    /// The spec has errors: nothing was written.
    Spec(codegen::Report),
    /// The disk said no, or a hand-written file is in the way.
    Io(String),
}

/// Whether `text` is a file the generator wrote: a Rust file starting with the `@generated`
/// line, or a JSON file whose `$comment` says so.
pub fn is_generated(text: &str) -> bool {
    text.starts_with("// @generated by ")
        || (text.starts_with("{")
            && text
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains("\"$comment\": \"@generated by ")))
}

/// Generates `spec` into the crate directory `out`.
///
/// # Errors
///
/// [`Failure::Spec`] with every diagnostic when the spec has errors (nothing is written), or
/// [`Failure::Io`] when a file cannot be written or a hand-written file is in the way of a
/// generated one (nothing is written then either).
pub fn generate_crate(spec: &Path, out: &Path, options: &CrateOptions) -> Result<Written, Failure> {
    let generated = codegen::generate(
        spec,
        &codegen::Options {
            spec_name: options.spec_name.clone(),
            command: options.command.clone(),
            config: options.config.clone(),
            crate_name: Some(options.name.clone()),
        },
    )
    .map_err(Failure::Spec)?;
    let src = out.join("src");
    let io = |what: &str, path: &Path, err: std::io::Error| {
        Failure::Io(format!("cannot {what} {}: {err}", path.display()))
    };
    // First make sure every generated file can go where it goes.
    for file in &generated.files {
        let path = src.join(&file.path);
        if let Ok(existing) = std::fs::read_to_string(&path) {
            if !is_generated(&existing) {
                return Err(Failure::Io(format!(
                    "{} was not written by the generator (it has no `@generated` header); move or rename it, nothing was written",
                    path.display()
                )));
            }
        }
    }
    std::fs::create_dir_all(&src).map_err(|e| io("create", &src, e))?;
    let manifest_path = out.join("Cargo.toml");
    let manifest = Manifest {
        name: options.name.clone(),
        version: options.version.clone(),
        spec_name: options.spec_name.clone(),
        command: options.command.clone(),
        runtime: options.runtime.entries(out),
        standalone: options.standalone,
        schemars: options.config.schemars,
    };
    let outcome = match std::fs::read_to_string(&manifest_path) {
        // Written whole by an older generator, before the marked blocks: still all ours.
        Ok(existing) if existing.starts_with("# @generated") => {
            write_if_changed(&manifest_path, &manifest.render())
                .map_err(|e| io("write", &manifest_path, e))?;
            ManifestOutcome::Updated
        }
        Ok(existing) => match manifest.update(&existing) {
            Some(updated) => {
                write_if_changed(&manifest_path, &updated)
                    .map_err(|e| io("write", &manifest_path, e))?;
                ManifestOutcome::Updated
            }
            None => ManifestOutcome::LeftAlone,
        },
        Err(_) => {
            std::fs::write(&manifest_path, manifest.render())
                .map_err(|e| io("write", &manifest_path, e))?;
            ManifestOutcome::Created
        }
    };
    for file in &generated.files {
        let path = src.join(&file.path);
        write_if_changed(&path, &file.contents).map_err(|e| io("write", &path, e))?;
    }
    if options.runtime == Runtime::Vendor {
        vendor(out)?;
    }
    let mut removed = Vec::new();
    for stale in generated_files(&src) {
        if !generated.files.iter().any(|f| f.path == stale) {
            let path = src.join(&stale);
            std::fs::remove_file(&path).map_err(|e| io("remove", &path, e))?;
            removed.push(stale);
        }
    }
    Ok(Written {
        output: generated,
        removed,
        manifest: outcome,
    })
}

/// Writes `contents` unless the file already holds them (line endings aside), so an unchanged
/// file keeps its modification time.
pub(crate) fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if up_to_date(path, contents) {
        return Ok(());
    }
    std::fs::write(path, contents)
}

/// Whether `path` names a spec by its extension (`.yaml`, `.yml` or `.json`) and is not a
/// generation config (`<spec>.clientgen.yaml`, which belongs to the spec beside it).
pub fn is_spec_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    ) && !codegen::config::is_config_file(path)
}

/// Whether the file at `path` already holds `contents` (line endings aside).
pub fn up_to_date(path: &Path, contents: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|old| old.replace("\r\n", "\n") == contents)
}

/// The files directly in `dir` that the generator wrote ([`is_generated`]), by name.
pub fn generated_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs") || name.ends_with(".json"))
        .filter(|name| {
            std::fs::read_to_string(dir.join(name)).is_ok_and(|text| is_generated(&text))
        })
        .collect();
    names.sort();
    names
}

/// `path` relative to `base` when both are absolute (`../../runtime`), else `path` itself.
pub fn relative(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.iter().collect();
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    out.extend(&path[common..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_forms_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!(
            Runtime::parse("path:../rt"),
            Ok(Runtime::Path(PathBuf::from("../rt")))
        );
        assert_eq!(
            Runtime::parse("version:0.1"),
            Ok(Runtime::Version("0.1".into()))
        );
        assert_eq!(
            Runtime::parse("git:https://example.com/r.git"),
            Ok(Runtime::Git("https://example.com/r.git".into()))
        );
        assert_eq!(Runtime::parse("vendor"), Ok(Runtime::Vendor));
        for bad in ["vendors", "path:", "svn:x", ""] {
            let err = Runtime::parse(bad).unwrap_err();
            assert!(err.contains("path:<dir>"), "{err}");
        }
    }

    #[test]
    fn the_vendored_runtime_stands_alone() {
        assert!(
            !vendored::MANIFEST.contains("workspace = true"),
            "{}",
            vendored::MANIFEST
        );
        assert!(
            !vendored::MANIFEST.contains(".workspace"),
            "{}",
            vendored::MANIFEST
        );
        assert!(!vendored::MANIFEST.contains("[dev-dependencies]"));
        assert!(vendored::MANIFEST.contains("name = \"clientgen-runtime\""));
        assert!(vendored::SOURCES
            .iter()
            .any(|(path, _)| *path == "src/lib.rs"));
        assert!(vendored::SOURCES
            .iter()
            .any(|(path, _)| *path == "src/validate/mod.rs"));
    }

    #[test]
    fn generated_files_are_told_apart_by_their_header() {
        assert!(is_generated("// @generated by `x` from `y`.\n"));
        assert!(is_generated(
            "{\n  \"$comment\": \"@generated by `x` from `y`.\",\n}"
        ));
        assert!(!is_generated("//! My own module.\n"));
        assert!(!is_generated("{\n  \"a\": 1\n}"));
    }

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        assert_eq!(
            relative(Path::new("/a/b/runtime"), Path::new("/a/c/d")),
            PathBuf::from("../../b/runtime")
        );
        assert_eq!(
            relative(Path::new("x/y"), Path::new("/a")),
            PathBuf::from("x/y")
        );
    }
}
