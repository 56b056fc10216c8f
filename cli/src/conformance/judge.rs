//! The judge: the `jsonschema` crate decides whether a value follows the schema at a JSON
//! pointer of the spec. Nobody here wrote it, so it does not share our blind spots.
//!
//! OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` and the boolean forms of
//! `exclusiveMinimum`/`exclusiveMaximum` are rewritten into their JSON Schema 2020-12 meaning
//! first (independently of the generator's own conversion, which is under test).

use jsonschema::{Draft, Resource, Validator};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The keywords whose violations `validate()` or decoding claim to catch (README: "It checks
/// every keyword JSON Schema can say"). A value the judge refuses for one of these, and that
/// our type accepts, is our bug; for another keyword (`oneOf`, `not`, ..) it is only noted.
const CLAIMED: &[&str] = &[
    "type",
    "enum",
    "const",
    "required",
    "additionalProperties",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "dependentRequired",
];

/// The formats `validate()` checks; others are annotations.
const CLAIMED_FORMATS: &[&str] = &["email", "uuid", "date-time", "uri", "byte"];

/// OpenAPI's `byte` (base64, RFC 4648 section 4, padded), which JSON Schema does not define:
/// the judge learns it from the standard, not from the runtime.
fn is_base64(value: &str) -> bool {
    let body = value.trim_end_matches('=');
    value.len() % 4 == 0
        && value.len() - body.len() <= 2
        && body.bytes().all(|b| BASE64.contains(&b))
}

/// The base64 alphabet (RFC 4648 section 4), for judging and synthesizing `byte` values.
pub(crate) const BASE64: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// One rule a value breaks, as the judge sees it.
#[derive(Clone, Debug)]
pub struct Violation {
    /// The JSON Schema keyword.
    pub keyword: String,
    /// Whether the generator claims to check it.
    pub claimed: bool,
    /// The judge's words, with the value's location.
    pub message: String,
}

/// The spec's schemas, converted to JSON Schema, and the validators built so far.
pub struct Judge {
    document: Value,
    validators: HashMap<String, Result<Validator, String>>,
}

impl Judge {
    /// A judge for the main document `document` (an OpenAPI 3.0 or 3.1 spec as JSON).
    pub fn new(document: &Value) -> Judge {
        let mut document = document.clone();
        convert(&mut document, false);
        Judge {
            document,
            validators: HashMap::new(),
        }
    }

    /// The converted document: what the synthesizer reads.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// Every rule `value` breaks against the schema at `pointer`; `Err` when the judge cannot
    /// build a validator for it (e.g. a `$ref` into another file).
    pub fn check(&mut self, pointer: &str, value: &Value) -> Result<Vec<Violation>, String> {
        let validator = self
            .validators
            .entry(pointer.to_owned())
            .or_insert_with(|| build(&self.document, pointer));
        let validator = validator.as_ref().map_err(Clone::clone)?;
        Ok(validator
            .iter_errors(value)
            .map(|error| {
                let path = error.schema_path().to_string();
                let keyword = path.rsplit('/').next().unwrap_or_default().to_owned();
                let claimed = match error.kind() {
                    jsonschema::error::ValidationErrorKind::Format { format } => {
                        CLAIMED_FORMATS.contains(&format.as_str())
                    }
                    _ => CLAIMED.contains(&keyword.as_str()),
                };
                let at = error.instance_path().to_string();
                Violation {
                    keyword,
                    claimed,
                    message: format!("{}: {error}", if at.is_empty() { "/" } else { &at }),
                }
            })
            .collect())
    }

    /// Whether `value` follows the schema at `pointer` (`false` when the judge cannot tell).
    pub fn accepts(&mut self, pointer: &str, value: &Value) -> bool {
        matches!(self.check(pointer, value), Ok(v) if v.is_empty())
    }
}

fn build(document: &Value, pointer: &str) -> Result<Validator, String> {
    let schema = json!({ "$ref": format!("urn:spec#{}", fragment(pointer)) });
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("byte", is_base64)
        .with_resource("urn:spec", Resource::from_contents(document.clone()))
        .build(&schema)
        .map_err(|e| format!("the judge cannot read the schema at {pointer}: {e}"))
}

/// A JSON pointer written as a URI fragment (RFC 6901 section 6).
fn fragment(pointer: &str) -> String {
    let mut out = String::new();
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Follows local `$ref`s from `node` (at most 32, against loops) within `document`.
pub fn deref<'a>(document: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) if reference.starts_with('#') => {
                match document.pointer(&unfragment(&reference[1..])) {
                    Some(target) => node = target,
                    None => return node,
                }
            }
            _ => return node,
        }
    }
    node
}

/// The pointer a local `$ref` names, percent-decoded; `None` for another file.
pub fn ref_pointer(node: &Value) -> Option<String> {
    let reference = node.get("$ref")?.as_str()?;
    reference.strip_prefix('#').map(unfragment)
}

fn unfragment(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Keys whose values are data, not schemas: never rewritten.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Rewrites OpenAPI's schema dialect into JSON Schema 2020-12, in place, everywhere but in data.
/// `in_properties`: `node` is a `properties` map, whose keys are names, not keywords.
fn convert(node: &mut Value, in_properties: bool) {
    match node {
        Value::Array(items) => items.iter_mut().for_each(|item| convert(item, false)),
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let extension = key.starts_with("x-") && key != codegen::conformance::BUNDLED;
                if in_properties || !(DATA_KEYS.contains(&key.as_str()) || extension) {
                    convert(value, !in_properties && key == "properties");
                }
            }
            if !in_properties {
                convert_schema(map);
            }
        }
        _ => {}
    }
}

fn convert_schema(map: &mut Map<String, Value>) {
    for (bound, limit) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(exclusive)) = map.get(bound).cloned() {
            map.remove(bound);
            if exclusive {
                if let Some(limit) = map.remove(limit) {
                    map.insert(bound.to_owned(), limit);
                }
            }
        }
    }
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    map.remove("nullable");
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match map.get_mut("type") {
        Some(Value::String(ty)) => {
            let ty = std::mem::take(ty);
            map.insert("type".to_owned(), json!([ty, "null"]));
        }
        Some(Value::Array(types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
        }
        _ => {
            // No type (a `$ref`, `allOf`, ..): null, or whatever the rest allows.
            let rest = Value::Object(std::mem::take(map));
            map.insert("anyOf".to_owned(), json!([rest, {"type": "null"}]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_30_nullable_and_boolean_bounds_become_json_schema() {
        let spec = json!({"components": {"schemas": {
            "A": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "nullable": true},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true,
                  "example": {"nullable": true}},
        }}});
        let mut judge = Judge::new(&spec);
        assert!(judge.accepts("/components/schemas/A", &Value::Null));
        assert!(judge.accepts("/components/schemas/A", &json!(2)));
        assert!(!judge.accepts("/components/schemas/A", &json!(1)));
        assert!(judge.accepts("/components/schemas/B", &Value::Null));
        let broken = judge.check("/components/schemas/A", &json!("x")).unwrap();
        assert_eq!(broken[0].keyword, "type");
        assert!(broken[0].claimed);
        // Data is never rewritten.
        assert_eq!(
            judge.document()["components"]["schemas"]["B"]["anyOf"][0]["example"],
            json!({"nullable": true})
        );
    }

    #[test]
    fn pointers_with_braces_resolve() {
        let spec = json!({"paths": {"/a/{id}": {"get": {"parameters": [
            {"schema": {"type": "string", "format": "email"}}
        ]}}}});
        let mut judge = Judge::new(&spec);
        let at = "/paths/~1a~1{id}/get/parameters/0/schema";
        assert!(judge.accepts(at, &json!("a@example.com")));
        let broken = judge.check(at, &json!("nope")).unwrap();
        assert_eq!(broken[0].keyword, "format");
        assert!(broken[0].claimed);
    }
}
