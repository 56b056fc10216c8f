//! Stage 1, load: YAML or JSON text -> a tree of [`Node`]s, each knowing its line and column.
//!
//! The tree is deliberately untyped (like `serde_json::Value`, plus locations): OpenAPI documents
//! in the wild break their own schema often, and reading them through a generic tree lets
//! `resolve` report every problem at its exact place instead of failing on the first serde error.

mod node;
mod refs;

pub use node::{Key, Node, Value};

use crate::diagnostics::{Diagnostics, Loc};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};

/// At most this many files are loaded through `$ref`s: a spec split further than this is more
/// likely a reference loop through generated paths than a real layout.
const MAX_FILES: usize = 1000;

/// A loaded spec: the file named on the command line and every file its `$ref`s reach.
#[derive(Debug)]
pub struct Document {
    /// The spec's name as shown in diagnostics and in the generated header.
    pub file: String,
    /// The whole spec.
    pub root: Node,
    /// The other files, in load order: file index `i + 1` in a [`Loc`] is `others[i]`.
    pub others: Vec<SourceFile>,
    /// Which file a `$ref`'s path (as written, before `#`) in a given file leads to.
    links: HashMap<(u16, String), u16>,
}

/// A file reached through a `$ref`.
#[derive(Debug)]
pub struct SourceFile {
    /// Its name in diagnostics: its path relative to where the spec's own name starts.
    pub name: String,
    /// Its content.
    pub root: Node,
}

/// Why a `$ref` leads nowhere.
#[derive(Debug, PartialEq, Eq)]
pub enum RefError {
    /// The other file could not be loaded; the loader has already said why.
    FileNotLoaded,
    /// The pointer names nothing in the target file.
    Dangling,
}

impl Document {
    /// The display name of file `id` (0 is the spec itself).
    pub fn file_name(&self, id: u16) -> &str {
        match id {
            0 => &self.file,
            n => self
                .others
                .get(usize::from(n) - 1)
                .map_or(self.file.as_str(), |f| f.name.as_str()),
        }
    }

    /// The root node of file `id`.
    pub fn file_root(&self, id: u16) -> &Node {
        match id {
            0 => &self.root,
            n => self
                .others
                .get(usize::from(n) - 1)
                .map_or(&self.root, |f| &f.root),
        }
    }

    /// The node a `$ref` written in file `from` points at, with a key naming it uniquely:
    /// its JSON pointer for the spec itself (`/components/schemas/Pet`), `file#pointer` for
    /// another file.
    pub fn follow(&self, from: u16, reference: &str) -> Result<(&Node, String), RefError> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let id = if path.is_empty() {
            from
        } else {
            *self
                .links
                .get(&(from, path.to_owned()))
                .ok_or(RefError::FileNotLoaded)?
        };
        let target = lookup(self.file_root(id), fragment).ok_or(RefError::Dangling)?;
        let key = if id == 0 {
            fragment.to_owned()
        } else {
            format!("{}#{fragment}", self.file_name(id))
        };
        Ok((target, key))
    }
}

impl Document {
    /// What `node` stands for once its `$ref`s are followed (a path item or an operation in a
    /// file of its own); `node` itself when a `$ref` leads nowhere or the chain does not end,
    /// which resolve reports where it reads the node.
    pub fn referred<'d>(&'d self, node: &'d Node) -> &'d Node {
        let mut current = node;
        for _ in 0..32 {
            let Some(reference) = current.get("$ref") else {
                return current;
            };
            match reference
                .as_str()
                .and_then(|text| self.follow(reference.loc.file, text).ok())
            {
                Some((target, _)) => current = target,
                None => return node,
            }
        }
        node
    }
}

/// Resolves a JSON pointer (`/components/schemas/Name`, RFC 6901, percent-decoded as in a URI
/// fragment) inside `root`.
pub fn lookup<'n>(root: &'n Node, pointer: &str) -> Option<&'n Node> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |node, raw| {
        let segment = percent_decode(raw)?.replace("~1", "/").replace("~0", "~");
        match &node.value {
            Value::Map(_) => node.get(&segment),
            Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    })
}

fn percent_decode(raw: &str) -> Option<String> {
    if !raw.contains('%') {
        return Some(raw.to_owned());
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Reads and parses the spec at `path`, then every file its `$ref`s reach (paths relative to
/// the file holding the `$ref`); `display` is the name diagnostics use for the spec.
pub fn load(path: &Path, display: &str, diags: &mut Diagnostics) -> Option<Document> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            diags.error(
                display,
                Loc::default(),
                format!("cannot read the spec: {err}"),
                Some(format!(
                    "check that `{}` exists and is a readable UTF-8 file",
                    path.display()
                )),
            );
            return None;
        }
    };
    load_text(display, &text, Some(path), diags)
}

/// Parses spec text already in memory. A `$ref` to another file is reported: there is no
/// directory to find it in.
pub fn load_str(display: &str, text: &str, diags: &mut Diagnostics) -> Option<Document> {
    load_text(display, text, None, diags)
}

/// Parses the spec's text, then loads the files its `$ref`s reach relative to `path`.
fn load_text(
    display: &str,
    text: &str,
    path: Option<&Path>,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let root = parse(display, text, 0, diags)?;
    let mut doc = Document {
        file: display.to_owned(),
        root,
        others: Vec::new(),
        links: HashMap::new(),
    };
    link(&mut doc, path, diags);
    Some(doc)
}

/// Loads the files the `$ref`s of `doc` reach, breadth first, each once.
///
/// The walk starts at the spec's root and goes on from every node a `$ref` points at (in its
/// own file, or in another one, loaded on first sight), each once: a `$ref` is always read
/// where it stands, as a reference at an object position (see [`refs`]) relative to the file
/// that holds it; a `$ref` key inside a literal value is data and loads nothing.
fn link(doc: &mut Document, path: Option<&Path>, diags: &mut Diagnostics) {
    // Real path and display name of each loaded file, by file index.
    let mut paths: Vec<(Option<PathBuf>, String)> =
        vec![(path.map(Path::to_path_buf), doc.file.clone())];
    // The nodes to walk, as (file, JSON pointer): the spec's root, then every `$ref`'s target.
    let mut queue: VecDeque<(u16, String)> = VecDeque::from([(0, String::new())]);
    let mut seen: HashSet<(u16, String)> = queue.iter().cloned().collect();
    // The `$ref`s already read: walks from nested targets meet them again.
    let mut read: HashSet<Loc> = HashSet::new();
    while let Some((id, pointer)) = queue.pop_front() {
        // A pointer to nothing is reported by resolve, where the `$ref` is used.
        let Some(node) = lookup(doc.file_root(id), &pointer) else {
            continue;
        };
        let mut found = Vec::new();
        refs::references(node, &mut found);
        for (reference, loc) in found {
            if !read.insert(loc) {
                continue;
            }
            let (written, fragment) = reference
                .split_once('#')
                .unwrap_or((reference.as_str(), ""));
            let target = if written.is_empty() {
                Some(id)
            } else {
                file_id(doc, &mut paths, id, written, &reference, loc, diags)
            };
            let Some(target) = target else {
                if paths.len() >= MAX_FILES {
                    return;
                }
                continue;
            };
            let entry = (target, fragment.to_owned());
            if seen.insert(entry.clone()) {
                queue.push_back(entry);
            }
        }
    }
}

/// The index of the file `written` (a `$ref`'s path, before any `#`) in file `from` leads to,
/// loading it on first sight; `None`, reported, when it cannot be loaded.
fn file_id(
    doc: &mut Document,
    paths: &mut Vec<(Option<PathBuf>, String)>,
    from: u16,
    written: &str,
    reference: &str,
    loc: Loc,
    diags: &mut Diagnostics,
) -> Option<u16> {
    if let Some(known) = doc.links.get(&(from, written.to_owned())) {
        return Some(*known);
    }
    let (base, here) = paths[usize::from(from)].clone();
    if written.contains("://") {
        diags.error(
            &here,
            loc,
            format!("`$ref: '{reference}'` points at a URL; remote references are not fetched"),
            Some(
                "download the document next to the spec and refer to it by a relative path"
                    .to_owned(),
            ),
        );
        return None;
    }
    let Some(base) = base else {
        diags.error(
            &here,
            loc,
            format!("`$ref: '{reference}'` points at another file, but this spec was not read from a file"),
            Some("generate from the spec's path so relative references can be followed".to_owned()),
        );
        return None;
    };
    let real = base.parent().unwrap_or(Path::new("")).join(written);
    let name = normalise(
        &Path::new(&here)
            .parent()
            .unwrap_or(Path::new(""))
            .join(written),
    );
    if let Some(known) = paths.iter().position(|(_, n)| *n == name) {
        let known = u16::try_from(known).unwrap_or(u16::MAX);
        doc.links.insert((from, written.to_owned()), known);
        return Some(known);
    }
    if paths.len() >= MAX_FILES {
        diags.error(
            &here,
            loc,
            format!("the spec reaches more than {MAX_FILES} files through `$ref`s"),
            Some("bundle the spec into fewer files".to_owned()),
        );
        return None;
    }
    let text = match std::fs::read_to_string(&real) {
        Ok(text) => text,
        Err(err) => {
            diags.error(
                &here,
                loc,
                format!("`$ref: '{reference}'` points at `{name}`, which cannot be read: {err}"),
                Some(format!(
                    "the path is relative to `{here}`; check that the file exists"
                )),
            );
            return None;
        }
    };
    let new_id = u16::try_from(paths.len()).unwrap_or(u16::MAX);
    let mut root = parse(&name, &text, new_id, diags)?;
    set_file(&mut root, new_id);
    doc.others.push(SourceFile {
        name: name.clone(),
        root,
    });
    doc.links.insert((from, written.to_owned()), new_id);
    paths.push((Some(real), name));
    Some(new_id)
}

/// Marks every location in `node` as being in file `id`.
fn set_file(node: &mut Node, id: u16) {
    node.loc.file = id;
    match &mut node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                key.loc.file = id;
                set_file(value, id);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|item| set_file(item, id)),
        _ => {}
    }
}

/// `a/./b/../c.yaml` -> `a/c.yaml`, with `/` separators, without touching the file system.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".to_owned());
                }
            }
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// Parses one file's text into its tree (locations in file `id`), keeping the text for
/// rendering diagnostics. Syntax errors are reported and give `None`.
/// Parses one YAML file that is not part of a spec (the generation config) into a located tree.
pub(crate) fn parse_file(display: &str, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    parse(display, text, 0, diags)
}

fn parse(display: &str, text: &str, id: u16, diags: &mut Diagnostics) -> Option<Node> {
    diags.add_source(display, text);
    // YAML 1.2 booleans only: a property called `n`, `no`, `on` or `y` is a name, not `false`.
    let options = serde_saphyr::options! { strict_booleans: true };
    match serde_saphyr::from_str_with_options::<node::Root>(text, options) {
        Ok(node::Root(root)) => Some(root),
        Err(err) => {
            let loc = err
                .location()
                .map(|l| Loc {
                    file: id,
                    line: saturate(l.line()),
                    column: saturate(l.column()),
                })
                .unwrap_or(Loc {
                    file: id,
                    ..Loc::default()
                });
            let message = err.to_string();
            let first_line = message.lines().next().unwrap_or("invalid YAML").trim();
            // The location is the diagnostic's own; keep only what the parser says went wrong.
            let first_line = first_line.strip_prefix("error: ").unwrap_or(first_line);
            let first_line = match first_line.split_once(": ") {
                Some((position, rest)) if position.starts_with("line ") => rest,
                _ => first_line,
            };
            diags.error(
                display,
                loc,
                format!("the spec is not valid YAML or JSON: {first_line}"),
                Some("fix the syntax at this position; JSON is accepted as YAML".to_owned()),
            );
            None
        }
    }
}

fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
