//! How a use of a schema reaches its definition besides a plain `$ref` (followed in
//! `Schemas::shape`): `$recursiveRef`, `$dynamicRef` and `$ref: '#'` go to a schema being
//! resolved; and the cycles of `$ref`s that never reach a schema, reported once each.

use super::{any, Schemas, Shape};
use crate::load::{Document, Node, Value};
use crate::resolve::context::{escape_segment, Ctx};

impl Schemas {
    /// Reports every cycle of `$ref`s among the components (of every kind) that never reaches
    /// an object of its own, whether or not anything uses it: such a spec is broken, and
    /// saying so only when something happens to use it would hide it.
    pub(in crate::resolve) fn alias_cycles(&mut self, cx: &mut Ctx<'_>) {
        let doc = cx.doc;
        let Some(sections) = doc.root.get("components").and_then(Node::entries) else {
            return;
        };
        for (section, entries) in sections {
            for (key, node) in entries.entries().unwrap_or_default() {
                let Some(reference) = node.get("$ref") else {
                    continue;
                };
                let pointer = format!(
                    "/components/{}/{}",
                    escape_segment(&section.name),
                    escape_segment(&key.name)
                );
                if let Some(cycle) = alias_cycle(doc, node, &pointer) {
                    self.report_cycle(cx, reference, cycle);
                }
            }
        }
    }

    /// Reports a cycle of `$ref`s at `at`, once per cycle.
    pub(super) fn report_cycle(&mut self, cx: &mut Ctx<'_>, at: &Node, cycle: Vec<String>) {
        // The chain may lead into a cycle it is not part of: the cycle starts where the
        // repeated pointer first appears.
        let repeated = cycle.last().cloned().unwrap_or_default();
        let start = cycle.iter().position(|p| *p == repeated).unwrap_or(0);
        let mut members = cycle[start..cycle.len().saturating_sub(1)].to_vec();
        members.sort();
        if !self.cycles.insert(members) {
            return;
        }
        cx.error(
            at,
            format!(
                "these `$ref`s only point at each other, so they never reach a schema: {}",
                cycle.join(" -> ")
            ),
            "point one of them at a real schema (an object, a type, ...)",
        );
    }

    /// `$recursiveRef: '#'`, `$dynamicRef: '#anchor'` and `$ref: '#'` (in the spec itself): a
    /// schema being resolved. `$recursiveRef` goes to the outermost one with
    /// `$recursiveAnchor: true`, `$dynamicRef` to the outermost one with that `$dynamicAnchor`;
    /// otherwise (and for `$ref: '#'`) the innermost.
    pub(super) fn dynamic(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        reference: &Node,
        keyword: &str,
    ) -> Option<Shape> {
        let doc = cx.doc;
        let Some(text) = reference.as_str() else {
            cx.error(
                reference,
                format!("`{keyword}` must be a string, found {}", reference.kind()),
                format!("write `{keyword}: '#'`"),
            );
            return None;
        };
        // A key from `Document::follow`: a pointer into the spec, or `file#pointer`.
        let root_node = |key: &str| match key.split_once('#') {
            Some((file, inner)) => doc
                .others
                .iter()
                .find(|f| f.name == file)
                .and_then(|f| crate::load::lookup(&f.root, inner)),
            None => crate::load::lookup(&doc.root, key),
        };
        let anchored = |pointer: &&String| {
            let Some(schema) = root_node(pointer) else {
                return false;
            };
            match keyword {
                "$recursiveRef" => {
                    matches!(
                        schema.get("$recursiveAnchor").map(|a| &a.value),
                        Some(Value::Bool(true))
                    )
                }
                "$dynamicRef" => {
                    schema.get("$dynamicAnchor").and_then(Node::as_str)
                        == Some(text.trim_start_matches('#'))
                }
                _ => false,
            }
        };
        let target = self
            .roots
            .iter()
            .find(anchored)
            .or(self.roots.last())
            .cloned();
        let Some(pointer) = target else {
            cx.error(
                reference,
                format!("`{keyword}: '{text}'` is not inside a schema it could refer to"),
                "use it inside a schema under `components.schemas`, or `$ref` that schema by name",
            );
            return None;
        };
        let Some(schema) = root_node(&pointer) else {
            return Some(any());
        };
        let mut shape = self.named(cx, schema, &pointer)?;
        if let Some(docs) = cx.docs(node) {
            shape.docs = Some(docs);
        }
        Some(shape)
    }
}

/// When `target` (reached through a `$ref`, at `key`) starts a chain of `$ref`s that comes
/// back to itself without reaching a schema of its own, the chain's pointers.
pub(super) fn alias_cycle(doc: &Document, target: &Node, key: &str) -> Option<Vec<String>> {
    let mut seen: Vec<String> = vec![key.to_owned()];
    let mut current = target;
    for _ in 0..64 {
        let reference = current.get("$ref")?;
        let (target, key) = doc.follow(reference.loc.file, reference.as_str()?).ok()?;
        if seen.contains(&key) {
            seen.push(key);
            return Some(seen);
        }
        seen.push(key);
        current = target;
    }
    None
}
