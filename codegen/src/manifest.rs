//! The `Cargo.toml` of a generated crate, made so that regenerating never loses a user's edits:
//! the generator owns two marked blocks (the dependencies and the features its code needs) and
//! nothing else. A new manifest is written whole; an existing one only has those blocks
//! replaced ([`Manifest::update`]), so a user's own dependencies, features and metadata stay.

use std::fmt::Write as _;

/// What the manifest needs to know.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The package name (already a valid crate name: see [`crate_name`]).
    pub name: String,
    /// The package version, e.g. `0.1.0`.
    pub version: String,
    /// The spec it is generated from, for the description.
    pub spec_name: String,
    /// The command that generated it, for the description.
    pub command: String,
    /// How the crate depends on the runtime: the inside of the dependency's inline table, e.g.
    /// `path = "../runtime"` or `version = "0.1"` (see [`Manifest::runtime_path`]).
    pub runtime: String,
    /// Adds an empty `[workspace]` table, so the crate builds on its own even inside another
    /// workspace's directory. Off for crates that join a workspace (the corpus).
    pub standalone: bool,
    /// The crate has `JsonSchema` impls: the optional `schemars` dependency and feature.
    pub schemars: bool,
}

/// How the first line of a generated block starts (the block's name follows).
const BEGIN: &str = "# >>> generated";
/// The last line of a generated block.
const END: &str = "# <<< generated";

/// A TOML basic string: quoted, with `"`, `\` and control characters escaped.
pub fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Manifest {
    /// `runtime` for a path dependency on the runtime crate at `path` (as the manifest should
    /// write it: relative to the generated crate, or absolute).
    pub fn runtime_path(path: &str) -> String {
        format!("path = {}", toml_string(path))
    }

    /// The generated blocks: (name, lines between the markers).
    fn blocks(&self) -> [(&'static str, String); 2] {
        let mut dependencies = String::new();
        let _ = writeln!(
            dependencies,
            "runtime = {{ package = \"clientgen-runtime\", {} }}",
            self.runtime
        );
        dependencies.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
        dependencies.push_str("serde_json = \"1\"\n");
        let mut features = String::new();
        if self.schemars {
            dependencies
                .push_str("# `JsonSchema` for every type (src/schema.rs); on by default.\n");
            dependencies.push_str(
                "schemars = { version = \"1\", default-features = false, features = [\"std\"], optional = true }\n",
            );
            features.push_str(
                "default = [\"schemars\"]\nschemars = [\"dep:schemars\", \"runtime/schemars\"]\n",
            );
        }
        features.push_str(
            "# `mock::Mock` (src/mock.rs): a mock of the API for the tests of code using the client.\nmock = [\"runtime/mock\"]\n",
        );
        [("dependencies", dependencies), ("features", features)]
    }

    /// A block with its markers.
    fn block(name: &str, lines: &str) -> String {
        format!(
            "{BEGIN} {name}: rewritten by each generation; add yours outside this block\n{lines}{END} {name}\n"
        )
    }

    /// The whole manifest of a new crate.
    pub fn render(&self) -> String {
        let description = format!(
            "API client generated from {} by `{}`.",
            self.spec_name, self.command
        );
        let mut out = String::new();
        out.push_str("[package]\n");
        let _ = writeln!(out, "name = {}", toml_string(&self.name));
        let _ = writeln!(out, "version = {}", toml_string(&self.version));
        let _ = writeln!(out, "description = {}", toml_string(&description));
        out.push_str("edition = \"2021\"\nrust-version = \"1.85\"\n\n");
        for (name, lines) in self.blocks() {
            let _ = write!(out, "[{name}]\n{}\n", Self::block(name, &lines));
        }
        if self.standalone {
            out.push_str("# Not part of any enclosing workspace.\n[workspace]\n");
        }
        out
    }

    /// `existing` with its generated blocks replaced by this run's, everything else kept as it
    /// is; `None` when a block's markers are missing or out of order (the manifest is then
    /// the user's alone, and is left untouched).
    pub fn update(&self, existing: &str) -> Option<String> {
        let mut out = existing.replace("\r\n", "\n");
        for (name, lines) in self.blocks() {
            let begin = format!("{BEGIN} {name}:");
            let end = format!("{END} {name}\n");
            let start = out.find(&begin)?;
            let stop = start + out[start..].find(&end)? + end.len();
            out.replace_range(start..stop, &Self::block(name, &lines));
        }
        Some(out)
    }
}

/// The `name` of the `[package]` table of a manifest's text, if it has one on a line of its own
/// (`name = "intercom"`).
pub fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            let value = line
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('='));
            if let Some(value) = value {
                return Some(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    None
}

/// A valid crate name from anything (a file stem, a title): lowercase ASCII letters, digits and
/// `-`, starting with a letter. `oai-v3.0-petstore` -> `oai-v3-0-petstore`.
pub fn crate_name(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    match name.chars().next() {
        None => "api-client".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("api-{name}"),
        Some(_) => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid() {
        assert_eq!(crate_name("oai-v3.0-petstore"), "oai-v3-0-petstore");
        assert_eq!(crate_name("Intercom 2.11"), "intercom-2-11");
        assert_eq!(crate_name("3d"), "api-3d");
        assert_eq!(crate_name("--"), "api-client");
        assert_eq!(crate_name("émoji_api"), "moji-api");
    }

    fn manifest() -> Manifest {
        Manifest {
            name: "x".into(),
            version: "1.2.3".into(),
            spec_name: "a \"quoted\"\\path\n".into(),
            command: "clientgen generate".into(),
            runtime: Manifest::runtime_path("../runtime"),
            standalone: true,
            schemars: true,
        }
    }

    #[test]
    fn strings_are_escaped() {
        let text = manifest().render();
        assert!(
            text.contains(r#"from a \"quoted\"\\path\u000A by"#),
            "{text}"
        );
        assert!(text.contains("version = \"1.2.3\""), "{text}");
        assert!(text.ends_with("[workspace]\n"));
    }

    #[test]
    fn the_features_offer_the_mock() {
        let text = manifest().render();
        let features = text
            .split("# >>> generated features")
            .nth(1)
            .expect("the features block");
        assert!(
            features.contains("\nmock = [\"runtime/mock\"]\n"),
            "{features}"
        );
    }

    #[test]
    fn an_update_keeps_what_the_user_wrote() {
        let first = manifest().render();
        let edited = first
            .replace("[package]\n", "[package]\nlicense = \"MIT\"\n")
            .replace(
                "# <<< generated dependencies\n",
                "# <<< generated dependencies\nanyhow = \"1\"\n",
            )
            + "\n[dev-dependencies]\ntokio = \"1\"\n";
        let mut next = manifest();
        next.runtime = "version = \"0.2\"".into();
        let updated = next.update(&edited).expect("markers found");
        assert!(updated.contains("license = \"MIT\""), "{updated}");
        assert!(updated.contains("anyhow = \"1\""), "{updated}");
        assert!(
            updated.contains("[dev-dependencies]\ntokio = \"1\""),
            "{updated}"
        );
        assert!(
            updated.contains("package = \"clientgen-runtime\", version = \"0.2\""),
            "{updated}"
        );
        assert!(!updated.contains("../runtime"), "{updated}");
        // Updating again changes nothing.
        assert_eq!(next.update(&updated).as_deref(), Some(updated.as_str()));
        // Without markers the manifest is the user's: no update.
        assert_eq!(next.update("[package]\nname = \"x\"\n"), None);
    }
}
