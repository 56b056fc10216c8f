//! Which `$ref`s of a tree are references: a walk that knows which keys of OpenAPI and JSON
//! Schema objects hold literal values.
//!
//! A `$ref` key inside a literal value (`example`, `examples.*.value`, a schema's `examples`
//! list, `default`, `enum`, `const`, an `x-` extension, a link's `parameters` and
//! `requestBody`) is data: the walk never reports it, so the loader never tries to load a file
//! for it, and resolve, which only follows `$ref`s at object positions, never follows it.
//! Keys of a map of names (`properties`, `components.schemas`, `responses`, `headers`, ...)
//! are names, whatever their spelling: a property called `example` or a response called
//! `default` is an object, and its `$ref`s are references.

use super::{Node, Value};
use crate::diagnostics::Loc;

/// Keys whose value is a literal wherever they are a keyword of an object.
const LITERAL: &[&str] = &["example", "default", "enum", "const", "value"];

/// Keys whose value maps names to objects (or, for `parameters`, lists them).
const NAMES: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "parameters",
    "headers",
    "content",
    "encoding",
    "callbacks",
    "variables",
    "webhooks",
    "mapping",
    "scopes",
];

/// Keys whose value maps names to objects and may also hold `x-` extensions.
const EXTENSIBLE: &[&str] = &["paths", "responses"];

/// How the keys of a mapping are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An OpenAPI or JSON Schema object: its keys are keywords.
    Object,
    /// A map of names to objects: every key is a name.
    Names,
    /// A map of names to objects that may hold `x-` extensions too (`paths`, `responses`).
    Extensible,
    /// `components`: every entry is a map of names (`schemas`, `responses`, ...).
    Components,
    /// A map of names to link objects.
    Links,
    /// A link object: its `parameters` and `requestBody` are values (or runtime expressions).
    Link,
}

/// Every `$ref` in the object at `node` that is a reference, with where its value is.
pub(super) fn references(node: &Node, out: &mut Vec<(String, Loc)>) {
    walk(node, Kind::Object, out);
}

fn walk(node: &Node, kind: Kind, out: &mut Vec<(String, Loc)>) {
    let entries = match &node.value {
        Value::Map(entries) => entries,
        // A list of objects (`allOf`, `parameters`, `servers`, ...).
        Value::Seq(items) => {
            for item in items {
                walk(item, Kind::Object, out);
            }
            return;
        }
        _ => return,
    };
    for (key, value) in entries {
        let key = key.name.as_str();
        let extension = key.starts_with("x-");
        match kind {
            Kind::Names => walk(value, Kind::Object, out),
            Kind::Extensible if !extension => walk(value, Kind::Object, out),
            Kind::Components if !extension => walk(value, Kind::Names, out),
            Kind::Links => walk(value, Kind::Link, out),
            Kind::Extensible | Kind::Components => {}
            Kind::Link => match key {
                "$ref" => reference(value, out),
                "server" => walk(value, Kind::Object, out),
                _ => {}
            },
            Kind::Object => match key {
                "$ref" => reference(value, out),
                _ if extension || LITERAL.contains(&key) => {}
                // JSON Schema's `examples` is a list of values; OpenAPI's maps names to
                // example objects.
                "examples" if value.as_seq().is_some() => {}
                "examples" => walk(value, Kind::Names, out),
                "components" => walk(value, Kind::Components, out),
                "links" => walk(value, Kind::Links, out),
                _ if NAMES.contains(&key) => walk(value, Kind::Names, out),
                _ if EXTENSIBLE.contains(&key) => walk(value, Kind::Extensible, out),
                _ => walk(value, Kind::Object, out),
            },
        }
    }
}

fn reference(value: &Node, out: &mut Vec<(String, Loc)>) {
    // A `$ref` that is not a string is reported by resolve, where it is used.
    if let Some(text) = value.as_str() {
        out.push((text.to_owned(), value.loc));
    }
}

#[cfg(test)]
mod tests {
    use super::references;
    use crate::diagnostics::Diagnostics;

    fn refs(yaml: &str) -> Vec<String> {
        let mut diags = Diagnostics::default();
        let doc = crate::load::load_str("t.yaml", yaml, &mut diags).expect("valid YAML");
        let mut out = Vec::new();
        references(&doc.root, &mut out);
        out.into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn literal_values_hold_no_references() {
        let found = refs(
            "openapi: 3.1.0
x-top: {$ref: a.yaml}
paths:
  x-ext: {$ref: b.yaml}
  /p:
    get:
      parameters:
        - {$ref: param.yaml}
        - {name: q, in: query, example: {$ref: c.yaml}}
      responses:
        default: {$ref: response.yaml}
        x-ext: {$ref: d.yaml}
        '200':
          description: ok
          links:
            next: {operationId: x, parameters: {id: {$ref: e.yaml}}, requestBody: {$ref: f.yaml}}
          content:
            application/json:
              schema: {$ref: schema.yaml}
              example: {$ref: g.yaml}
              examples:
                one: {value: {$ref: h.yaml}}
                two: {$ref: example.yaml}
components:
  schemas:
    example: {$ref: named-example.yaml}
    default:
      type: object
      default: {$ref: i.yaml}
      enum: [{$ref: j.yaml}]
      const: {$ref: k.yaml}
      examples: [{$ref: l.yaml}]
      properties:
        default: {$ref: property-default.yaml}
        example: {$ref: property-example.yaml}
        x-named: {$ref: property-x.yaml}
  responses:
    x-named: {$ref: component-x.yaml}
  x-ext: {$ref: m.yaml}
",
        );
        assert_eq!(
            found,
            [
                "param.yaml",
                "response.yaml",
                "schema.yaml",
                "example.yaml",
                "named-example.yaml",
                "property-default.yaml",
                "property-example.yaml",
                "property-x.yaml",
                "component-x.yaml",
            ]
        );
    }
}
