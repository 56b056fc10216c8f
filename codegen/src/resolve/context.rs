//! Shared state of the resolve stage: the document, `$ref` lookup and typed reads that report
//! problems at the node's location instead of failing.

use crate::diagnostics::Diagnostics;
use crate::ir::Origin;
use crate::load::{Document, Node, RefError, Value};

/// The document being resolved and the problems found so far.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub diags: &'a mut Diagnostics,
    /// The user's generation options.
    pub config: &'a crate::config::Config,
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub(crate) fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

impl<'a> Ctx<'a> {
    /// Where `node`, at `pointer`, is: its file and its JSON pointer inside that file (a node
    /// reached in another file has a `file#/pointer` key; the file is named once).
    pub fn origin(&self, node: &Node, pointer: &str) -> Origin {
        let inside = pointer.split_once('#').map_or(pointer, |(_, p)| p);
        Origin {
            file: self.doc.file_name(node.loc.file).to_owned(),
            pointer: inside.to_owned(),
            loc: node.loc,
        }
    }

    pub fn error(&mut self, node: &Node, message: impl Into<String>, help: impl Into<String>) {
        let file = self.doc.file_name(node.loc.file).to_owned();
        self.diags
            .error(&file, node.loc, message, Some(help.into()));
    }

    pub fn warning(&mut self, node: &Node, message: impl Into<String>, help: impl Into<String>) {
        let file = self.doc.file_name(node.loc.file).to_owned();
        self.diags
            .warning(&file, node.loc, message, Some(help.into()));
    }

    /// Records a note at `node`: a decision made from the spec, not a problem.
    pub fn note(&mut self, node: &Node, message: impl Into<String>, help: impl Into<String>) {
        let file = self.doc.file_name(node.loc.file).to_owned();
        self.diags.note(&file, node.loc, message, Some(help.into()));
    }

    /// Reports an OpenAPI feature the generator does not handle yet; generation stops with it
    /// rather than producing a client that silently misbehaves.
    pub fn unsupported(&mut self, node: &Node, what: &str) {
        self.error(
            node,
            format!("{what} is not supported by this generator yet"),
            "remove or rewrite this part of the spec; the generator refuses rather than guess",
        );
    }

    /// Warns that `what` at `node` cannot be modelled exactly, so the value it describes is
    /// kept as `serde_json::Value` (the caller makes it so).
    pub fn degrade(&mut self, node: &Node, what: &str) {
        self.warning(
            node,
            format!("{what} cannot be modelled exactly; the value is kept as `serde_json::Value`"),
            "the client still sends and receives it, unchecked; simplify the schema for a typed field",
        );
    }

    /// The mapping at `node`, or an error saying what `what` should have been.
    pub fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Node> {
        if node.entries().is_some() {
            Some(node)
        } else {
            self.error(
                node,
                format!("{what} must be a mapping, found {}", node.kind()),
                "write it as `key: value` pairs",
            );
            None
        }
    }

    /// The items of the list at `node`, or an error saying what `what` should have been and
    /// how to write it (`example`).
    pub fn seq<'n>(&mut self, node: &'n Node, what: &str, example: &str) -> Option<&'n [Node]> {
        let items = node.as_seq();
        if items.is_none() {
            self.error(
                node,
                format!("{what} must be a list, found {}", node.kind()),
                format!("write `{example}`"),
            );
        }
        items
    }

    /// An optional string field of a mapping.
    pub fn opt_str<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n str> {
        let value = node.get(key)?;
        match value.as_str() {
            Some(s) => Some(s),
            None => {
                self.error(
                    value,
                    format!("`{key}` must be a string, found {}", value.kind()),
                    "quote the value",
                );
                None
            }
        }
    }

    /// A required string field of a mapping.
    pub fn req_str<'n>(&mut self, node: &'n Node, key: &str, what: &str) -> Option<&'n str> {
        if node.get(key).is_none() {
            self.error(
                node,
                format!("{what} has no `{key}`"),
                format!("add `{key}:`"),
            );
            return None;
        }
        self.opt_str(node, key)
    }

    /// An optional boolean field of a mapping (absent = false).
    pub fn flag(&mut self, node: &Node, key: &str) -> bool {
        match node.get(key).map(|v| (&v.value, v)) {
            None => false,
            Some((Value::Bool(b), _)) => *b,
            Some((_, v)) => {
                self.error(
                    v,
                    format!("`{key}` must be `true` or `false`, found {}", v.kind()),
                    "use a boolean",
                );
                false
            }
        }
    }

    /// An optional non-negative integer field of a mapping.
    pub fn opt_u64(&mut self, node: &Node, key: &str) -> Option<u64> {
        let value = node.get(key)?;
        match value.value {
            Value::Int(i) if i >= 0 => Some(i.unsigned_abs()),
            _ => {
                self.error(
                    value,
                    format!(
                        "`{key}` must be a non-negative integer, found {}",
                        value.kind()
                    ),
                    "use a whole number such as `1`",
                );
                None
            }
        }
    }

    /// An optional number.
    pub fn opt_f64(&mut self, node: &Node, key: &str) -> Option<f64> {
        let value = node.get(key)?;
        match value.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.error(
                    value,
                    format!("`{key}` must be a number, found {}", value.kind()),
                    "use a number such as `1` or `0.5`",
                );
                None
            }
        }
    }

    /// `summary` and `description` joined by a blank line.
    pub fn docs(&mut self, node: &Node) -> Option<String> {
        let parts: Vec<&str> = ["summary", "description"]
            .iter()
            .filter_map(|key| self.opt_str(node, key))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }

    /// Follows `$ref`s (local ones, `#/...`) until a node without one; returns it with its
    /// pointer. Reports and returns `None` for a dangling, external or circular reference.
    pub fn deref<'n>(&mut self, node: &'n Node, pointer: &str) -> Option<(&'n Node, String)>
    where
        'a: 'n,
    {
        let mut current = node;
        let mut current_pointer = pointer.to_owned();
        for _ in 0..32 {
            let Some(reference) = current.get("$ref") else {
                return Some((current, current_pointer));
            };
            let target = self.ref_target(reference)?;
            current_pointer = target.1;
            current = target.0;
        }
        self.error(
            node,
            "this `$ref` chain does not end (it loops or is over 32 deep)",
            "point the `$ref` at a definition",
        );
        None
    }

    /// The node a `$ref` value points at, and its pointer.
    pub fn ref_target<'n>(&mut self, reference: &Node) -> Option<(&'n Node, String)>
    where
        'a: 'n,
    {
        let Some(text) = reference.as_str() else {
            self.error(
                reference,
                format!("`$ref` must be a string, found {}", reference.kind()),
                "write `$ref: '#/components/schemas/Name'`",
            );
            return None;
        };
        let doc: &'a Document = self.doc;
        match doc.follow(reference.loc.file, text) {
            Ok(found) => Some(found),
            // The loader has reported why the file is missing.
            Err(RefError::FileNotLoaded) => None,
            Err(RefError::Dangling) => {
                self.error(
                    reference,
                    format!("`$ref: '{text}'` points at nothing"),
                    "check the spelling of every segment of the pointer",
                );
                None
            }
        }
    }
}
