//! Composition: `allOf` (parts merged into one object, or one part seen through a wrapper) and
//! `oneOf`/`anyOf` (a nullable wrapper, an object whose branches only add rules, a tagged or an
//! untagged union).

use super::{any, Schemas, Shape};
use crate::ir::TypeRef;
use crate::load::{Key, Node, Value};
use crate::resolve::context::Ctx;

impl Schemas {
    /// `oneOf`/`anyOf` (`keyword`) of `choices`: `anyOf: [X, {type: 'null'}]` is how 3.1 writes a
    /// nullable X, which is X; `properties` next to branches that only add rules to them are one
    /// object; otherwise a tagged union (with a `discriminator`) or an untagged one.
    #[allow(clippy::too_many_arguments)] // One caller; each argument is a different fact.
    pub(super) fn choice(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        keyword: &str,
        choices: &Node,
        pointer: &str,
        hint: &str,
        mut shape: Shape,
    ) -> Option<Shape> {
        let items = cx.seq(choices, &format!("`{keyword}`"), "[{$ref: ...}, ...]")?;
        let kept: Vec<(usize, &Node)> = items
            .iter()
            .enumerate()
            .filter(|(_, item)| !is_null_schema(item))
            .collect();
        shape.nullable |= kept.len() < items.len();
        if node.get("properties").is_some() {
            if let Some(object) =
                self.constrained_object(cx, node, keyword, &kept, pointer, hint, shape.clone())
            {
                return object;
            }
        }
        if let [(i, only)] = kept.as_slice() {
            let inner = self.shape(cx, only, &format!("{pointer}/{keyword}/{i}"), hint)?;
            return Some(merge_use_site(inner, shape));
        }
        if node.get("discriminator").is_some() {
            shape.ty = Some(TypeRef::Named(
                self.union(cx, node, keyword, choices, pointer, hint)?,
            ));
            return Some(shape);
        }
        let (ty, nullable) = self.untagged(cx, node, &kept, keyword, pointer, hint);
        shape.ty = Some(ty);
        shape.nullable |= nullable;
        Some(shape)
    }

    /// `allOf`: one part is that part seen through a wrapper (a description, `nullable`);
    /// object parts merge into one struct (properties and `required` of every part, the
    /// schema's own included). A part that is not an object degrades the whole to a `Value`.
    pub(super) fn all_of(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        all_of: &Node,
        pointer: &str,
        hint: &str,
        shape: Shape,
    ) -> Option<Shape> {
        let items = cx.seq(all_of, "`allOf`", "allOf: [{$ref: ...}, {...}]")?;
        if let [only] = items {
            if node.get("properties").is_none() {
                let inner = self.shape(cx, only, &format!("{pointer}/allOf/0"), hint)?;
                return Some(merge_use_site(inner, shape));
            }
        }
        let mut properties: Vec<(Key, Node)> = Vec::new();
        let mut required: Vec<Node> = Vec::new();
        let mut pending: Vec<(&Node, String, usize)> = vec![(node, pointer.to_owned(), 0)];
        while let Some((part, part_pointer, depth)) = pending.pop() {
            let (part, part_pointer) = cx.deref(part, &part_pointer)?;
            if depth > 16 {
                cx.degrade(all_of, "an `allOf` nested over 16 deep (or in a loop)");
                return Some(merge_use_site(any(), shape));
            }
            if let Some(nested) = part.get("allOf") {
                let items = cx.seq(nested, "`allOf`", "allOf: [{$ref: ...}, {...}]")?;
                // Pushed in reverse so they are merged in spec order.
                for (i, item) in items.iter().enumerate().rev() {
                    pending.push((item, format!("{part_pointer}/allOf/{i}"), depth + 1));
                }
            }
            let is_object = ["oneOf", "anyOf", "enum", "const", "items"]
                .iter()
                .all(|k| part.get(k).is_none())
                && part
                    .get("type")
                    .and_then(Node::as_str)
                    .is_none_or(|t| t == "object");
            if !is_object {
                cx.degrade(part, "an `allOf` part that is not an object");
                return Some(merge_use_site(any(), shape));
            }
            for (key, value) in part
                .get("properties")
                .and_then(Node::entries)
                .unwrap_or_default()
            {
                match properties.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some(existing) => existing.1 = value.clone(),
                    None => properties.push((key.clone(), value.clone())),
                }
            }
            if let Some(list) = part.get("required").and_then(Node::as_seq) {
                required.extend(list.iter().cloned());
            }
        }
        let at = |name: &str, value: Value| {
            (
                Key {
                    name: name.to_owned(),
                    loc: node.loc,
                },
                Node {
                    loc: node.loc,
                    value,
                },
            )
        };
        let mut merged = vec![
            at("type", Value::Str("object".to_owned())),
            at("properties", Value::Map(properties)),
            at("required", Value::Seq(required)),
        ];
        for keyword in ["description", "title", "additionalProperties"] {
            if let Some(value) = node.get(keyword) {
                merged.push(at(keyword, value.value.clone()));
            }
        }
        let merged = Node {
            loc: node.loc,
            value: Value::Map(merged),
        };
        let inner = self.inline(cx, &merged, pointer, hint)?;
        Some(merge_use_site(inner, shape))
    }
}

/// `{type: 'null'}` (or `type: [null]`), the other half of a 3.1 nullable choice.
pub(super) fn is_null_schema(node: &Node) -> bool {
    match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => t == "null",
        Some(Value::Seq(items)) => items.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    }
}

/// The inner shape seen through a wrapper (`allOf: [X]`, `anyOf: [X, null]`) that adds its own
/// description and nullability at the use site.
pub(super) fn merge_use_site(mut inner: Shape, wrapper: Shape) -> Shape {
    inner.nullable |= wrapper.nullable;
    if wrapper.docs.is_some() {
        inner.docs = wrapper.docs;
    }
    inner
}
