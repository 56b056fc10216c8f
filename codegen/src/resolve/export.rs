//! The JSON Schema (2020-12) each generated type exports through `schemars`: the spec's own
//! schema, so the exported schema and the generated validator describe the same rules.
//!
//! Translated from OpenAPI: component `$ref`s point at the referenced type's definition (or
//! are inlined when the component became a plain Rust value), 3.0 `nullable` becomes a `null`
//! type, 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form, and
//! OpenAPI-only annotations (`discriminator`, `example`, `xml`, ...) are dropped.

use super::schema::Schemas;
use crate::ir::TYPE_REF_PREFIX;
use crate::ir::{TypeRef, SUBSCHEMA_LISTS as LIST, SUBSCHEMA_MAPS as MAP, SUBSCHEMA_ONE as ONE};
use crate::load::{Document, Node, Value};
use serde_json::{Map, Value as Json};

/// OpenAPI keywords that are not JSON Schema.
const OPENAPI_ONLY: &[&str] = &[
    "discriminator",
    "example",
    "examples",
    "xml",
    "externalDocs",
    "nullable",
];

impl Schemas {
    /// The JSON Schema of the schema at `node`.
    pub(super) fn export(&self, doc: &Document, node: &Node) -> Json {
        self.export_depth(doc, node, &mut Vec::new())
    }

    /// `inlined` holds the pointers of the components being inlined on the way here: a
    /// component that refers to itself without becoming a named type (a recursive schema kept
    /// as `serde_json::Value`) is not expanded again, so the output stays finite.
    fn export_depth(&self, doc: &Document, node: &Node, inlined: &mut Vec<String>) -> Json {
        if inlined.len() > 64 {
            return Json::Bool(true);
        }
        let Value::Map(entries) = &node.value else {
            return node.to_json();
        };
        if let Some(reference) = node.get("$ref") {
            let Some((target, pointer)) = reference
                .as_str()
                .and_then(|text| doc.follow(reference.loc.file, text).ok())
            else {
                return Json::Bool(true);
            };
            if let Some(TypeRef::Named(name)) = self.named_type(&pointer) {
                return serde_json::json!({ "$ref": format!("{TYPE_REF_PREFIX}{name}") });
            }
            if inlined.contains(&pointer) {
                return Json::Bool(true);
            }
            inlined.push(pointer);
            let out = self.export_depth(doc, target, inlined);
            inlined.pop();
            return out;
        }
        let mut out = Map::new();
        let nullable = matches!(
            node.get("nullable").map(|n| &n.value),
            Some(Value::Bool(true))
        );
        for (key, value) in entries {
            let key = key.name.as_str();
            if OPENAPI_ONLY.contains(&key) {
                continue;
            }
            let exported = if ONE.contains(&key) {
                self.export_depth(doc, value, inlined)
            } else if LIST.contains(&key) {
                match value.as_seq() {
                    Some(items) => Json::Array(
                        items
                            .iter()
                            .map(|i| self.export_depth(doc, i, inlined))
                            .collect(),
                    ),
                    None => value.to_json(),
                }
            } else if MAP.contains(&key) {
                match value.entries() {
                    Some(schemas) => Json::Object(
                        schemas
                            .iter()
                            .map(|(k, v)| (k.name.clone(), self.export_depth(doc, v, inlined)))
                            .collect(),
                    ),
                    None => value.to_json(),
                }
            } else {
                value.to_json()
            };
            out.insert(key.to_owned(), exported);
        }
        // OpenAPI 3.0 boolean exclusive bounds -> 2020-12 numeric ones.
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            match out.get(exclusive) {
                Some(Json::Bool(true)) => {
                    if let Some(value) = out.remove(bound) {
                        out.insert(exclusive.to_owned(), value);
                    }
                }
                Some(Json::Bool(false)) => {
                    out.remove(exclusive);
                }
                _ => {}
            }
        }
        if nullable {
            match out.get_mut("type") {
                Some(Json::String(ty)) => {
                    let ty = std::mem::take(ty);
                    out.insert("type".to_owned(), serde_json::json!([ty, "null"]));
                }
                Some(Json::Array(types)) if !types.contains(&Json::from("null")) => {
                    types.push(Json::from("null"))
                }
                _ => {}
            }
        }
        Json::Object(out)
    }
}
