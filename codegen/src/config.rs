//! Generation options: what a user may choose about the generated crate without editing the
//! spec. They come from a small YAML file beside the spec (`<spec name>.clientgen.yaml`, e.g.
//! `openapi.clientgen.yaml` next to `openapi.yaml`) or from the command line, whose flags add to
//! the file's settings.
//!
//! ```yaml
//! # openapi.clientgen.yaml
//! derives: [Eq, Hash]            # extra derives on every generated type that can have them
//! rename:
//!   types: { Message: SentMessage }          # generated type name -> your name
//!   operations: { createMessage: send }      # operationId -> method name
//! include:                        # only these operations (by tag or operationId); all if absent
//!   tags: [Messages]
//!   operations: [listContacts]
//! group_by_tag: true              # false: every operation is a method of the client itself
//! schemars: true                  # false: no `JsonSchema` impls, no `schemars` feature
//! ```
//!
//! Every setting keeps where it was written, so a mistake (a rename of a type the spec does
//! not have, a tag no operation carries) is reported there, with the file, line and column.

use crate::diagnostics::{Diagnostics, Loc, Report};
use crate::load::{self, Node, Value};
use std::path::{Path, PathBuf};

/// Where a setting was written: a file and a place in it, or a command-line flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The config file's name as diagnostics show it, or the flag (`--derive`).
    pub file: String,
    /// The place in the file; unknown (0) for a flag.
    pub loc: Loc,
}

/// One value of a list setting, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The value as written.
    pub value: String,
    /// Where.
    pub at: Place,
}

/// One rename: the name the generator would choose, and the user's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    /// For types, the generated type name (as it appears in the generated code); for
    /// operations, the `operationId`.
    pub from: String,
    /// The name to use instead.
    pub to: String,
    /// Where the rename was written.
    pub at: Place,
}

/// The generation options. [`Config::default`] is what the generator does without any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Extra derive macros for every generated type (a path each: `Hash`, `utoipa::ToSchema`).
    /// The standard traits the generator knows (`Eq`, `Hash`, `PartialOrd`, `Ord`, `Default`,
    /// `Copy`) are left off the types that cannot have them, with a warning; others go on every
    /// type.
    pub derives: Vec<Setting>,
    /// Type renames.
    pub rename_types: Vec<Rename>,
    /// Method renames, by `operationId`.
    pub rename_operations: Vec<Rename>,
    /// Only the operations carrying one of these tags, plus those of `include_operations`;
    /// both empty: every operation.
    pub include_tags: Vec<Setting>,
    /// Only these operations (by `operationId`), plus those of `include_tags`.
    pub include_operations: Vec<Setting>,
    /// One struct of methods per tag (`client.messages().create()`); off: every operation is a
    /// method of the client (`client.create_message()`).
    pub group_by_tag: bool,
    /// `JsonSchema` impls behind a `schemars` feature; off: neither.
    pub schemars: bool,
    /// The config file's name and text, for diagnostics that point into it.
    pub source: Option<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            derives: Vec::new(),
            rename_types: Vec::new(),
            rename_operations: Vec::new(),
            include_tags: Vec::new(),
            include_operations: Vec::new(),
            group_by_tag: true,
            schemars: true,
            source: None,
        }
    }
}

/// The config file's name for a spec: `<stem>.clientgen.yaml` in the spec's folder.
pub fn file_beside(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.clientgen.yaml"))
}

/// Whether `path` is a generation config by its name (`*.clientgen.yaml`), not a spec.
pub fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".clientgen.yaml"))
}

/// The keys a config file may have, for the help of an unknown one.
const KEYS: &str = "`derives`, `rename`, `include`, `group_by_tag`, `schemars`";

impl Config {
    /// The config beside `spec` ([`file_beside`]) if there is one, else the default;
    /// `spec_name` is the spec as diagnostics name it (the config's name is made from it).
    pub fn for_spec(spec: &Path, spec_name: &str) -> Result<Config, Report> {
        let path = file_beside(spec);
        if path.is_file() {
            let display = file_beside(Path::new(spec_name));
            Config::load(&path, &display.display().to_string().replace('\\', "/"))
        } else {
            Ok(Config::default())
        }
    }

    /// Reads the config file at `path`; `display` names it in diagnostics.
    pub fn load(path: &Path, display: &str) -> Result<Config, Report> {
        let mut diags = Diagnostics::default();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                diags.error(
                    display,
                    Loc::default(),
                    format!("cannot read the generation config: {err}"),
                    Some(format!(
                        "check that `{}` is a readable file",
                        path.display()
                    )),
                );
                return Err(diags.into_sorted());
            }
        };
        let config = Config::parse(display, &text, &mut diags);
        if diags.has_errors() {
            return Err(diags.into_sorted());
        }
        Ok(config)
    }

    /// Parses config text; problems go to `diags` (the result holds what was understood).
    pub fn parse(display: &str, text: &str, diags: &mut Diagnostics) -> Config {
        let mut config = Config {
            source: Some((display.to_owned(), text.to_owned())),
            ..Config::default()
        };
        let Some(root) = load::parse_file(display, text, diags) else {
            return config;
        };
        let mut cx = Reader {
            file: display,
            diags,
        };
        if matches!(root.value, Value::Null) {
            return config; // An empty file: the defaults.
        }
        let Some(entries) = cx.map(&root, "the generation config") else {
            return config;
        };
        for (key, value) in entries {
            match key.name.as_str() {
                "derives" => config.derives = cx.strings(value, "`derives`"),
                "rename" => {
                    let Some(entries) = cx.map(value, "`rename`") else {
                        continue;
                    };
                    for (key, value) in entries {
                        match key.name.as_str() {
                            "types" => config.rename_types = cx.renames(value, "`rename.types`"),
                            "operations" => {
                                config.rename_operations = cx.renames(value, "`rename.operations`")
                            }
                            other => cx.unknown(key.loc, other, "`types`, `operations`"),
                        }
                    }
                }
                "include" => {
                    let Some(entries) = cx.map(value, "`include`") else {
                        continue;
                    };
                    for (key, value) in entries {
                        match key.name.as_str() {
                            "tags" => config.include_tags = cx.strings(value, "`include.tags`"),
                            "operations" => {
                                config.include_operations =
                                    cx.strings(value, "`include.operations`")
                            }
                            other => cx.unknown(key.loc, other, "`tags`, `operations`"),
                        }
                    }
                }
                "group_by_tag" => {
                    if let Some(b) = cx.boolean(value, "`group_by_tag`") {
                        config.group_by_tag = b;
                    }
                }
                "schemars" => {
                    if let Some(b) = cx.boolean(value, "`schemars`") {
                        config.schemars = b;
                    }
                }
                other => cx.unknown(key.loc, other, KEYS),
            }
        }
        config
    }

    /// Checks the values themselves (a derive is a path, a new name an identifier, no two
    /// renames to one name), whichever source they came from.
    pub fn check(&self, diags: &mut Diagnostics) {
        for derive in &self.derives {
            if syn::parse_str::<syn::Path>(&derive.value).is_err() {
                diags.error(
                    &derive.at.file,
                    derive.at.loc,
                    format!("`{}` is not the path of a derive macro", derive.value),
                    Some("write a trait path, such as `Hash` or `utoipa::ToSchema`".to_owned()),
                );
            }
        }
        for (renames, what, example) in [
            (&self.rename_types, "type", "SentMessage"),
            (&self.rename_operations, "method", "send_message"),
        ] {
            let mut seen: Vec<&str> = Vec::new();
            for rename in renames {
                if syn::parse_str::<syn::Ident>(&rename.to).is_err() || rename.to.starts_with("r#")
                {
                    diags.error(
                        &rename.at.file,
                        rename.at.loc,
                        format!(
                            "`{}` cannot be a {what} name: it is not a Rust identifier, or is a keyword",
                            rename.to
                        ),
                        Some(format!("choose a name such as `{example}`")),
                    );
                } else if seen.contains(&rename.to.as_str()) {
                    diags.error(
                        &rename.at.file,
                        rename.at.loc,
                        format!("two {what}s are renamed to `{}`", rename.to),
                        Some("give each its own name".to_owned()),
                    );
                }
                seen.push(&rename.to);
            }
        }
    }

    /// Whether any operation filter is set.
    pub fn filters(&self) -> bool {
        !self.include_tags.is_empty() || !self.include_operations.is_empty()
    }

    /// Whether an operation with these tags and this `operationId` is generated.
    pub fn includes(&self, tags: &[&str], operation_id: &str) -> bool {
        !self.filters()
            || self
                .include_operations
                .iter()
                .any(|o| o.value == operation_id)
            || self
                .include_tags
                .iter()
                .any(|t| tags.contains(&t.value.as_str()))
    }

    /// The user's name for the type the generator would call `generated`.
    pub fn type_name(&self, generated: &str) -> Option<&Rename> {
        self.rename_types.iter().find(|r| r.from == generated)
    }

    /// The user's name for the method of operation `operation_id`.
    pub fn method_name(&self, operation_id: &str) -> Option<&Rename> {
        self.rename_operations
            .iter()
            .find(|r| r.from == operation_id)
    }

    /// Adds the value of a command-line flag, e.g. (`--derive`, `Hash`) or
    /// (`--rename-type`, `Message=SentMessage`). `Err` says what is wrong with it.
    pub fn flag(&mut self, flag: &str, value: &str) -> Result<(), String> {
        let at = Place {
            file: flag.to_owned(),
            loc: Loc::default(),
        };
        let setting = || Setting {
            value: value.to_owned(),
            at: at.clone(),
        };
        let rename = || match value.split_once('=') {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => Ok(Rename {
                from: from.trim().to_owned(),
                to: to.trim().to_owned(),
                at: at.clone(),
            }),
            _ => Err(format!("{flag} takes <name>=<new name>, not `{value}`")),
        };
        match flag {
            "--derive" => self.derives.push(setting()),
            "--rename-type" => self.rename_types.push(rename()?),
            "--rename-operation" => self.rename_operations.push(rename()?),
            "--tag" => self.include_tags.push(setting()),
            "--operation" => self.include_operations.push(setting()),
            _ => return Err(format!("unknown option {flag}")),
        }
        Ok(())
    }
}

/// Typed reads of the config tree that report what is wrong where it is.
struct Reader<'a> {
    file: &'a str,
    diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn at(&self, loc: Loc) -> Place {
        Place {
            file: self.file.to_owned(),
            loc,
        }
    }

    fn error(&mut self, loc: Loc, message: String, help: String) {
        self.diags.error(self.file, loc, message, Some(help));
    }

    fn unknown(&mut self, loc: Loc, key: &str, known: &str) {
        self.error(
            loc,
            format!("unknown setting `{key}`"),
            format!("the settings here are {known}"),
        );
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(load::Key, Node)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            _ => {
                self.error(
                    node.loc,
                    format!("{what} must be a mapping, not {}", node.kind()),
                    "write `key: value` lines under it".to_owned(),
                );
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.error(
                    node.loc,
                    format!("{what} must be `true` or `false`, not {}", node.kind()),
                    "write `true` or `false`".to_owned(),
                );
                None
            }
        }
    }

    /// A list of strings (a single string is a list of one).
    fn strings(&mut self, node: &Node, what: &str) -> Vec<Setting> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![node],
            _ => {
                self.error(
                    node.loc,
                    format!("{what} must be a list of names, not {}", node.kind()),
                    format!("write {what} as `[A, B]`"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_str() {
                Some(value) => out.push(Setting {
                    value: value.to_owned(),
                    at: self.at(item.loc),
                }),
                None => self.error(
                    item.loc,
                    format!("an entry of {what} must be a name, not {}", item.kind()),
                    "write the name as a string".to_owned(),
                ),
            }
        }
        out
    }

    /// A mapping of old names to new ones.
    fn renames(&mut self, node: &Node, what: &str) -> Vec<Rename> {
        let Some(entries) = self.map(node, what) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            match value.as_str() {
                Some(to) => out.push(Rename {
                    from: key.name.clone(),
                    to: to.to_owned(),
                    at: self.at(key.loc),
                }),
                None => self.error(
                    value.loc,
                    format!(
                        "the new name of `{}` must be a string, not {}",
                        key.name,
                        value.kind()
                    ),
                    format!("write `{}: NewName`", key.name),
                ),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Report) {
        let mut diags = Diagnostics::default();
        let config = Config::parse("c.yaml", text, &mut diags);
        config.check(&mut diags);
        (config, diags.into_sorted())
    }

    #[test]
    fn every_setting_is_read_with_its_place() {
        let (config, report) = parse(
            "derives: [Eq, Hash]\nrename:\n  types: {Message: SentMessage}\n  operations:\n    createMessage: send\ninclude:\n  tags: Messages\n  operations: [listContacts]\ngroup_by_tag: false\nschemars: false\n",
        );
        assert!(report.is_empty(), "{}", report.render(false));
        let names: Vec<&str> = config.derives.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(names, ["Eq", "Hash"]);
        assert_eq!(config.derives[1].at.loc.line, 1);
        assert_eq!(
            config.type_name("Message").map(|r| r.to.as_str()),
            Some("SentMessage")
        );
        let send = config.method_name("createMessage").expect("renamed");
        assert_eq!((send.to.as_str(), send.at.loc.line), ("send", 5));
        assert!(config.includes(&["Messages"], "createMessage"));
        assert!(config.includes(&[], "listContacts"));
        assert!(!config.includes(&["Contacts"], "deleteContact"));
        assert!(!config.group_by_tag && !config.schemars);
    }

    #[test]
    fn mistakes_are_located_errors() {
        let (_, report) = parse(
            "derives: [\"not a path\"]\nrename:\n  types: {A: fn, B: C, D: C}\nincludes: []\ngroup_by_tag: maybe\n",
        );
        let text = report.render(false);
        assert!(text.contains("c.yaml:1:"), "{text}");
        assert!(
            text.contains("`not a path` is not the path of a derive macro"),
            "{text}"
        );
        assert!(text.contains("`fn` cannot be a type name"), "{text}");
        assert!(text.contains("two types are renamed to `C`"), "{text}");
        assert!(text.contains("unknown setting `includes`"), "{text}");
        assert!(
            text.contains("`group_by_tag` must be `true` or `false`"),
            "{text}"
        );
        assert_eq!(report.errors(), 5, "{text}");
    }

    #[test]
    fn flags_add_to_the_settings() {
        let mut config = Config::default();
        config.flag("--derive", "Hash").expect("ok");
        config
            .flag("--rename-type", "Message = SentMessage")
            .expect("ok");
        assert!(config.flag("--rename-operation", "noequals").is_err());
        assert!(config.flag("--nonsense", "x").is_err());
        assert_eq!(config.derives[0].at.file, "--derive");
        assert_eq!(
            config.type_name("Message").map(|r| r.to.as_str()),
            Some("SentMessage")
        );
    }

    #[test]
    fn the_file_sits_beside_the_spec() {
        assert_eq!(
            file_beside(Path::new("spec/openapi.yaml")),
            Path::new("spec/openapi.clientgen.yaml")
        );
    }
}
