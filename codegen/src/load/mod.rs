//! Stage 1, load: YAML or JSON text -> a tree of [`Node`]s, each knowing its line and column.
//!
//! The tree is deliberately untyped (like `serde_json::Value`, plus locations): OpenAPI documents
//! in the wild break their own schema often, and reading them through a generic tree lets
//! `resolve` report every problem at its exact place instead of failing on the first serde error.

mod node;

pub use node::{Key, Node, Value};

use crate::diagnostics::{Diagnostics, Loc};
use std::path::Path;

/// A loaded spec file: its name for diagnostics and its root node.
#[derive(Debug)]
pub struct Document {
    /// The file name shown in diagnostics and in the generated header.
    pub file: String,
    /// The whole document.
    pub root: Node,
}

/// Reads and parses the spec at `path`; `display` is the name diagnostics use for it.
pub fn load(path: &Path, display: &str, diags: &mut Diagnostics) -> Option<Document> {
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(display, &text, diags),
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
            None
        }
    }
}

/// Parses spec text already in memory.
pub fn load_str(display: &str, text: &str, diags: &mut Diagnostics) -> Option<Document> {
    // YAML 1.2 booleans only: a property called `n`, `no`, `on` or `y` is a name, not `false`.
    let options = serde_saphyr::options! { strict_booleans: true };
    match serde_saphyr::from_str_with_options::<node::Root>(text, options) {
        Ok(node::Root(root)) => Some(Document {
            file: display.to_owned(),
            root,
        }),
        Err(err) => {
            let loc = err
                .location()
                .map(|l| Loc {
                    line: saturate(l.line()),
                    column: saturate(l.column()),
                })
                .unwrap_or_default();
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
