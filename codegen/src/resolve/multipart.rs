//! Operations whose request body is `multipart/form-data` (issue 15): each gets a
//! `<operation>_multipart` method that sends a `runtime::Multipart` form, with the spec's
//! `encoding` content types as the defaults of its parts.

use super::context::{escape_segment, Ctx};
use super::schema::Schemas;
use crate::ir::{BodyEncoding, Form, FormField, FormKind, MultipartBody, Operation, TypeRef};
use crate::load::{lookup, Node};
use crate::naming;
use std::collections::BTreeSet;

/// Finds the multipart bodies of `ops`, the operations of one group (or the client's own).
pub(super) fn detect(cx: &mut Ctx<'_>, ops: &mut [Operation]) {
    let names: Vec<String> = ops.iter().map(|op| op.name.clone()).collect();
    for op in ops.iter_mut() {
        let Some(body) = &op.body else { continue };
        let media_type = body.media_type.to_ascii_lowercase();
        if body.encoding != BodyEncoding::Bytes || !media_type.starts_with("multipart/form-data") {
            continue;
        }
        let root = cx.doc.file_root(op.origin.loc.file);
        let Some(node) = lookup(root, &op.origin.pointer).map(|n| cx.doc.referred(n)) else {
            continue;
        };
        let method = format!("{}_multipart", op.name);
        if names.contains(&method) {
            cx.warning(
                node,
                format!(
                    "operation `{}` takes a multipart body, but the method `{method}` would take the name of another operation",
                    op.operation_id
                ),
                "rename one of the operations (`operationId`); this one gets no multipart method",
            );
            continue;
        }
        let encoding = node
            .get("requestBody")
            .map(|body| cx.doc.referred(body))
            .and_then(|body| body.get("content"))
            .and_then(Node::entries)
            .and_then(|content| {
                content
                    .iter()
                    .find(|(media, _)| media.name == body.media_type)
                    .map(|(_, media)| media)
            })
            .and_then(|media| media.get("encoding"))
            .and_then(Node::entries)
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|(field, encoding)| {
                        let content_type = encoding.get("contentType")?.as_str()?;
                        // A list (`image/png, image/jpeg`) names the types allowed: the first
                        // is the default.
                        let first = content_type.split(',').next()?.trim();
                        (!first.is_empty()).then(|| (field.name.clone(), first.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let form = op.body.as_mut().and_then(|body| body.form.take());
        op.multipart = Some(MultipartBody {
            method,
            encoding,
            form,
        });
    }
}

/// Whether `schema` (its `$ref`s followed) is a file: `type: string` with `format: binary`, or
/// a `contentMediaType` (OpenAPI 3.1's way to say so).
fn is_file(cx: &Ctx<'_>, schema: &Node) -> bool {
    let schema = follow(cx, schema);
    schema.get("contentMediaType").is_some()
        || (schema.get("type").and_then(Node::as_str) == Some("string")
            && schema.get("format").and_then(Node::as_str) == Some("binary"))
}

/// Whether `schema` is sent as text: a string, number, integer or boolean that is no file.
fn is_text(cx: &Ctx<'_>, schema: &Node) -> bool {
    let schema = follow(cx, schema);
    matches!(
        schema.get("type").and_then(Node::as_str),
        Some("string" | "integer" | "number" | "boolean")
    )
}

/// `schema` with its `$ref`s followed (itself when one leads nowhere: resolve reports it).
fn follow<'n>(cx: &Ctx<'n>, schema: &'n Node) -> &'n Node {
    let mut current = schema;
    for _ in 0..32 {
        let Some(reference) = current.get("$ref").and_then(Node::as_str) else {
            return current;
        };
        match cx.doc.follow(current.loc.file, reference) {
            Ok((target, _)) => current = target,
            Err(_) => return current,
        }
    }
    current
}

/// The typed form of a `multipart/form-data` body whose schema (at `pointer`) is an object
/// with properties: a field per property, files for `format: binary`, text for the other
/// scalars, JSON for the rest. `None` for any other schema (the caller builds the form).
pub(super) fn form(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    schema: &Node,
    pointer: &str,
    hint: &str,
) -> Option<Form> {
    let object = follow(cx, schema);
    let properties = object.get("properties")?.entries()?;
    if properties.is_empty() {
        return None;
    }
    let required: Vec<&str> = object
        .get("required")
        .and_then(Node::as_seq)
        .map(|names| names.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    let mut taken = BTreeSet::new();
    let mut fields = Vec::new();
    for (key, property) in properties {
        let wire = key.name.as_str();
        let at = format!("{pointer}/properties/{}", escape_segment(wire));
        let property_hint = format!("{hint}{}", naming::camel(wire));
        let items = follow(cx, property)
            .get("type")
            .and_then(Node::as_str)
            .filter(|t| *t == "array")
            .and_then(|_| follow(cx, property).get("items"));
        let kind = if is_file(cx, property) {
            FormKind::File
        } else if items.is_some_and(|items| is_file(cx, items)) {
            FormKind::Files
        } else {
            let shape = schemas.shape(cx, property, &at, &property_hint)?;
            let ty = shape.ty.unwrap_or(TypeRef::Any);
            match (&ty, items) {
                (TypeRef::List(item), Some(items)) if is_text(cx, items) => {
                    FormKind::TextList((**item).clone())
                }
                _ if is_text(cx, property) => FormKind::Text(ty),
                _ => FormKind::Json(ty),
            }
        };
        fields.push(FormField {
            name: naming::unique(naming::snake(wire), &mut taken),
            wire_name: wire.to_owned(),
            kind,
            required: required.contains(&wire),
            docs: cx.docs(follow(cx, property)),
        });
    }
    Some(Form {
        name: schemas.new_type(&format!("{hint}Form")),
        docs: cx.docs(object),
        fields,
    })
}
