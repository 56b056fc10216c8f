//! Which files of a folder are specs, for `cargo xtask corpus` and `bench-peers`.
//!
//! The rule:
//!
//! - Every `.yaml`, `.yml` and `.json` file directly in the folder is a spec of its own.
//! - Every subfolder is one spec split over files, whose root document refers to the others
//!   (its parts) through `$ref`s. Its root is found among the `.yaml`, `.yml` and `.json` files
//!   directly in the subfolder (parts may sit in nested folders):
//!   1. candidates are the files whose top level is a mapping with an `openapi` (or `swagger`)
//!      key;
//!   2. a candidate that another candidate reaches through its `$ref`s is a part, not a root;
//!   3. if one candidate is left, it is the root; if several, the one named `openapi.*`, else
//!      `api.*`, else `root.*` (when exactly one has that name);
//!   4. otherwise (no candidate, or several and no such name) the subfolder is skipped, and
//!      the reason is printed.
//! - A spec found in a subfolder is named after the subfolder (`split/openapi.yaml` gives the
//!   crate `split`), a file at the top after its stem.

use codegen::diagnostics::Diagnostics;
use std::path::{Path, PathBuf};

/// The specs of a folder, and the subfolders that hold none, each with why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// The specs' paths (root documents), sorted by path.
    pub specs: Vec<PathBuf>,
    /// (subfolder, reason) for each subfolder without a root.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Root names preferred when a subfolder holds several candidates, best first.
const PREFERRED: &[&str] = &["openapi", "api", "root"];

/// Applies the rule (see the module docs) to `dir`; an error when it cannot be read.
pub fn find(dir: &Path) -> Result<Found, String> {
    let mut found = Found::default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| format!("cannot read {}: {err}", dir.display()))?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            match root(&path) {
                Ok(spec) => found.specs.push(spec),
                Err(reason) => found.skipped.push((path, reason)),
            }
        } else if is_spec_file(&path) {
            found.specs.push(path);
        }
    }
    Ok(found)
}

/// The root document of the subfolder `dir`, or why there is none.
pub fn root(dir: &Path) -> Result<PathBuf, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| format!("cannot read it: {err}"))?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_file() && is_spec_file(p))
        .collect();
    files.sort();
    // Each candidate, with the files its `$ref`s reach (as the generator names them).
    let mut candidates: Vec<(PathBuf, Vec<String>)> = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        // Named by its canonical path, as are the files it reaches: comparable below.
        let shown = canonical(&file);
        let mut diags = Diagnostics::default();
        let Some(doc) = codegen::load::load(&file, &shown, &mut diags) else {
            unreadable.push(file_name(&file));
            continue;
        };
        if doc.root.get("openapi").is_none() && doc.root.get("swagger").is_none() {
            continue;
        }
        let reached = doc.others.iter().map(|f| f.name.clone()).collect();
        candidates.push((file, reached));
    }
    // A candidate another one refers to is a part.
    let roots: Vec<&PathBuf> = candidates
        .iter()
        .filter(|(file, _)| {
            let shown = canonical(file);
            !candidates
                .iter()
                .any(|(other, reached)| other != file && reached.contains(&shown))
        })
        .map(|(file, _)| file)
        .collect();
    match roots.as_slice() {
        [only] => return Ok((*only).clone()),
        [] if candidates.is_empty() => {
            let mut reason =
                "no .yaml, .yml or .json file directly in it has an `openapi` key".to_owned();
            if !unreadable.is_empty() {
                reason.push_str(&format!(
                    " ({} not valid YAML or JSON)",
                    unreadable.join(", ")
                ));
            }
            return Err(reason);
        }
        // Every candidate refers to another: a cycle of roots.
        [] => {
            return Err(
                "every document with an `openapi` key is referred to by another one".to_owned(),
            )
        }
        _ => {}
    }
    for preferred in PREFERRED {
        let named: Vec<&&PathBuf> = roots
            .iter()
            .filter(|p| {
                p.file_stem()
                    .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(preferred))
            })
            .collect();
        if let [only] = named.as_slice() {
            return Ok((**only).clone());
        }
    }
    let names: Vec<String> = roots.iter().map(|p| file_name(p)).collect();
    Err(format!(
        "it holds several root documents ({}) and none is named openapi.*, api.* or root.*; \
         generate one with `cargo xtask generate <file> --out <dir>`",
        names.join(", ")
    ))
}

/// How the table shows `spec`, found in `dir`: `split/openapi.yaml`, or `petstore.yaml`.
pub fn label(dir: &Path, spec: &Path) -> String {
    let shown = spec.strip_prefix(dir).unwrap_or(spec);
    shown.display().to_string().replace('\\', "/")
}

/// The name `spec`, found in `dir`, gives its crate: its subfolder's, or its own stem.
pub fn stem(dir: &Path, spec: &Path) -> String {
    let in_subfolder = spec
        .parent()
        .is_some_and(|parent| parent != dir && parent.starts_with(dir));
    let named = if in_subfolder {
        spec.parent().and_then(Path::file_name)
    } else {
        spec.file_stem()
    };
    named.unwrap_or_default().to_string_lossy().into_owned()
}

use clientgen::is_spec_file;

fn canonical(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path.display().to_string().replace('\\', "/")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::{find, label, stem, Found};
    use std::path::{Path, PathBuf};

    /// A fresh folder under the target directory with `files` ((path, text)) written.
    fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .join("target/xtask-roots-tests")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const ROOT: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn a_subfolder_is_one_spec_named_after_it() {
        let dir = folder(
            "one",
            &[
                ("single.yaml", ROOT),
                ("notes.txt", "not a spec"),
                (
                    "split/api.yaml",
                    "openapi: 3.1.0\npaths:\n  /a:\n    get: {$ref: 'paths/a.yaml'}\n\
                     components:\n  schemas:\n    S: {$ref: 'shared.yaml#/components'}\n",
                ),
                ("split/paths/a.yaml", "responses: {}\n"),
                // A part with an `openapi` key of its own: referred to, so not a root.
                ("split/shared.yaml", "openapi: 3.1.0\ncomponents: {}\n"),
                ("split/paths/b.yaml", "$ref: '../shared.yaml#/components'\n"),
                (
                    "split/more.yaml",
                    "components:\n  schemas:\n    X: {$ref: 'shared.yaml'}\n",
                ),
            ],
        );
        let found = find(&dir).unwrap();
        assert_eq!(
            found,
            Found {
                specs: vec![dir.join("single.yaml"), dir.join("split/api.yaml")],
                skipped: vec![],
            }
        );
        let split = &found.specs[1];
        assert_eq!(label(&dir, split), "split/api.yaml");
        assert_eq!(stem(&dir, split), "split");
        assert_eq!(stem(&dir, &found.specs[0]), "single");
    }

    #[test]
    fn several_roots_prefer_openapi_api_root_in_that_order() {
        let dir = folder(
            "several",
            &[
                ("a/api.yaml", ROOT),
                ("a/openapi.json", "{\"openapi\": \"3.0.3\", \"paths\": {}}"),
                ("a/other.yaml", ROOT),
                ("b/root.yml", ROOT),
                ("b/v2.yaml", ROOT),
            ],
        );
        let found = find(&dir).unwrap();
        assert_eq!(
            found.specs,
            [dir.join("a/openapi.json"), dir.join("b/root.yml")]
        );
    }

    #[test]
    fn a_subfolder_without_a_root_is_skipped_with_a_reason() {
        let dir = folder(
            "skipped",
            &[
                ("parts/pet.yaml", "type: object\n"),
                ("parts/broken.yaml", "a: [\n"),
                ("twins/one.yaml", ROOT),
                ("twins/two.yaml", ROOT),
                ("empty/.keep", ""),
                ("spec.yaml", ROOT),
            ],
        );
        let found = find(&dir).unwrap();
        assert_eq!(found.specs, [dir.join("spec.yaml")]);
        let reasons: Vec<(&Path, &str)> = found
            .skipped
            .iter()
            .map(|(path, reason)| (path.strip_prefix(&dir).unwrap(), reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert_eq!(reasons[0].0, Path::new("empty"));
        assert!(reasons[0].1.contains("has an `openapi` key"), "{reasons:?}");
        assert_eq!(reasons[1].0, Path::new("parts"));
        assert!(
            reasons[1].1.contains("broken.yaml not valid"),
            "{reasons:?}"
        );
        assert_eq!(reasons[2].0, Path::new("twins"));
        assert!(
            reasons[2]
                .1
                .contains("several root documents (one.yaml, two.yaml)"),
            "{reasons:?}"
        );
    }
}
