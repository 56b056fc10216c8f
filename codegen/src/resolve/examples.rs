//! The spec's examples, made into rustdoc examples: those of each component schema go on its
//! type, those of an operation's JSON request body and success response on its method. Each is
//! checked against the type it documents first (its JSON types, required properties, enum
//! values, and the length, bound, count and `const` rules of its properties); one that breaks
//! its own schema is left out, with a warning, since its doctest would fail.

use super::context::{escape_segment, Ctx};
use crate::ir::{
    BodyEncoding, Constraint, Example, Field, Operation, Origin, Output, TypeDef, TypeKind, TypeRef,
};
use crate::load::{self, Node};
use serde_json::Value;
use std::collections::BTreeMap;

/// Finds, checks and attaches the examples of every component schema and operation.
pub(super) fn attach(
    cx: &mut Ctx<'_>,
    types: &mut BTreeMap<String, TypeDef>,
    components: &[(String, TypeRef)],
    operations: &mut [&mut Operation],
) {
    let mut found: Vec<(Example, Origin)> = Vec::new();
    let root = &cx.doc.root;
    for (pointer, ty) in components {
        let Some(schema) = load::lookup(root, pointer) else {
            continue;
        };
        let usage_request = named(types, ty).is_some_and(|d| d.usage.request);
        found.extend(schema_examples(cx, schema, pointer, ty, usage_request));
    }
    let mut kept: BTreeMap<String, Vec<Example>> = BTreeMap::new();
    for (example, origin) in found {
        let TypeRef::Named(name) = &example.ty else {
            continue;
        };
        // Two component schemas can be one type (an alias): each example once.
        let list = kept.entry(name.clone()).or_default();
        if !list.iter().any(|e| e.json == example.json) && check(cx, types, &example, &origin) {
            list.push(example);
        }
    }
    for (name, examples) in kept {
        if let Some(def) = types.get_mut(&name) {
            def.examples = examples;
        }
    }
    for op in operations.iter_mut() {
        let mut kept = Vec::new();
        for (example, origin) in operation_examples(cx, types, op) {
            if check(cx, types, &example, &origin) {
                kept.push(example);
            }
        }
        op.examples = kept;
    }
}

fn named<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'t TypeDef> {
    match ty {
        TypeRef::Named(name) => types.get(name),
        _ => None,
    }
}

/// A schema's `example` and its (3.1) `examples` list.
fn schema_examples(
    cx: &Ctx<'_>,
    schema: &Node,
    pointer: &str,
    ty: &TypeRef,
    validate: bool,
) -> Vec<(Example, Origin)> {
    let mut out = Vec::new();
    if let Some(value) = schema.get("example") {
        out.push(example(
            cx,
            value,
            format!("{pointer}/example"),
            Title::of("the schema"),
            ty,
            validate,
        ));
    }
    if let Some(list) = schema.get("examples").and_then(Node::as_seq) {
        for (i, value) in list.iter().enumerate() {
            let title = Title {
                name: Some((i + 1).to_string()),
                ..Title::of("the schema")
            };
            out.push(example(
                cx,
                value,
                format!("{pointer}/examples/{i}"),
                title,
                ty,
                validate,
            ));
        }
    }
    out
}

/// How an example is named in the docs.
struct Title {
    what: String,
    name: Option<String>,
    summary: Option<String>,
}

impl Title {
    fn of(what: &str) -> Title {
        Title {
            what: what.to_owned(),
            name: None,
            summary: None,
        }
    }
}

fn example(
    cx: &Ctx<'_>,
    value: &Node,
    pointer: String,
    title: Title,
    ty: &TypeRef,
    validate: bool,
) -> (Example, Origin) {
    let json = serde_json::to_string(&value.to_json()).unwrap_or_default();
    (
        Example {
            what: title.what,
            name: title.name,
            summary: title.summary,
            json,
            ty: ty.clone(),
            validate,
        },
        cx.origin(value, &pointer),
    )
}

/// The examples of a media type: `example`, and each of `examples` (a `$ref` followed) with its
/// key and summary.
fn media_examples(
    cx: &mut Ctx<'_>,
    media: &Node,
    pointer: &str,
    what: &str,
    ty: &TypeRef,
    validate: bool,
) -> Vec<(Example, Origin)> {
    let mut out = Vec::new();
    if let Some(value) = media.get("example") {
        out.push(example(
            cx,
            value,
            format!("{pointer}/example"),
            Title::of(what),
            ty,
            validate,
        ));
    }
    let entries = media
        .get("examples")
        .and_then(Node::entries)
        .unwrap_or_default();
    for (key, entry) in entries {
        let entry_pointer = format!("{pointer}/examples/{}", escape_segment(&key.name));
        let Some((entry, entry_pointer)) = cx.deref(entry, &entry_pointer) else {
            continue;
        };
        let Some(value) = entry.get("value") else {
            continue;
        };
        let title = Title {
            what: what.to_owned(),
            name: Some(key.name.clone()),
            summary: entry
                .get("summary")
                .and_then(Node::as_str)
                .map(str::to_owned),
        };
        out.push(example(
            cx,
            value,
            format!("{entry_pointer}/value"),
            title,
            ty,
            validate,
        ));
    }
    out
}

/// The JSON media type of a `content` map, if it has one.
fn json_media(holder: &Node) -> Option<(&str, &Node)> {
    holder
        .get("content")?
        .entries()?
        .iter()
        .find(|(k, _)| {
            let essence = k.name.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json")
        })
        .map(|(k, v)| (k.name.as_str(), v))
}

fn operation_examples(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    op: &Operation,
) -> Vec<(Example, Origin)> {
    let pointer = op
        .origin
        .pointer
        .split_once('#')
        .map_or(op.origin.pointer.as_str(), |(_, p)| p)
        .to_owned();
    let doc = cx.doc;
    let Some(node) = load::lookup(doc.file_root(op.origin.loc.file), &pointer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let (Some(body), Some(declared)) = (&op.body, node.get("requestBody")) {
        if body.encoding == BodyEncoding::Json {
            let body_pointer = format!("{pointer}/requestBody");
            if let Some((declared, body_pointer)) = cx.deref(declared, &body_pointer) {
                if let Some((media_type, media)) = json_media(declared) {
                    let media_pointer =
                        format!("{body_pointer}/content/{}", escape_segment(media_type));
                    let validate = named(types, &body.ty).is_some_and(|d| d.usage.request);
                    out.extend(media_examples(
                        cx,
                        media,
                        &media_pointer,
                        "the request body",
                        &body.ty,
                        validate,
                    ));
                }
            }
        }
    }
    if let Output::Json(ty) = &op.output {
        let status = op.success.status.to_string();
        if let Some(response) = node.get("responses").and_then(|r| r.get(&status)) {
            let response_pointer = format!("{pointer}/responses/{status}");
            if let Some((response, response_pointer)) = cx.deref(response, &response_pointer) {
                if let Some((media_type, media)) = json_media(response) {
                    let media_pointer =
                        format!("{response_pointer}/content/{}", escape_segment(media_type));
                    let what = format!("the {status} response");
                    out.extend(media_examples(cx, media, &media_pointer, &what, ty, false));
                }
            }
        }
    }
    out
}

/// Whether `example` fits its type; warns where it does not.
fn check(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    example: &Example,
    origin: &Origin,
) -> bool {
    let value: Value = serde_json::from_str(&example.json).unwrap_or(Value::Null);
    match fits(&value, &example.ty, types, "") {
        Ok(()) => true,
        Err(problem) => {
            let file = cx.doc.file_name(origin.loc.file).to_owned();
            cx.diags.warning(
                &file,
                origin.loc,
                format!(
                    "this example breaks its own schema ({problem}), so it is not a doc example of `{}`",
                    example.ty.describe()
                ),
                Some("correct the example, or the schema".to_owned()),
            );
            false
        }
    }
}

/// Whether `value` decodes into `ty` and keeps the rules the validator checks (those a doctest
/// would meet); `Err` says where and why not.
fn fits(
    value: &Value,
    ty: &TypeRef,
    types: &BTreeMap<String, TypeDef>,
    at: &str,
) -> Result<(), String> {
    let here = || {
        if at.is_empty() {
            "/".to_owned()
        } else {
            at.to_owned()
        }
    };
    let wrong = |expected: &str| Err(format!("{} is not {expected}", here()));
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::Nullable(inner) => match value {
            Value::Null => Ok(()),
            _ => fits(value, inner, types, at),
        },
        TypeRef::String => value
            .is_string()
            .then_some(())
            .ok_or(())
            .or_else(|()| wrong("a string")),
        TypeRef::Integer(_) => (value.is_i64() || value.is_u64())
            .then_some(())
            .ok_or(())
            .or_else(|()| wrong("an integer")),
        TypeRef::Number => value
            .is_number()
            .then_some(())
            .ok_or(())
            .or_else(|()| wrong("a number")),
        TypeRef::Boolean => value
            .is_boolean()
            .then_some(())
            .ok_or(())
            .or_else(|()| wrong("a boolean")),
        TypeRef::List(inner) => match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| fits(item, inner, types, &format!("{at}/{i}"))),
            _ => wrong("a list"),
        },
        TypeRef::Map(inner) => match value {
            Value::Object(map) => map
                .iter()
                .try_for_each(|(k, v)| fits(v, inner, types, &format!("{at}/{k}"))),
            _ => wrong("an object"),
        },
        TypeRef::Named(name) => {
            let Some(def) = types.get(name) else {
                return Ok(());
            };
            match &def.kind {
                TypeKind::StringEnum(e) => match value.as_str() {
                    Some(text)
                        if e.unknown.is_some() || e.values.iter().any(|v| v.wire_value == text) =>
                    {
                        Ok(())
                    }
                    Some(text) => Err(format!(
                        "{} is `{text}`, not one of the enum's values",
                        here()
                    )),
                    None => wrong("a string"),
                },
                TypeKind::Struct(s) => {
                    let Value::Object(map) = value else {
                        return wrong("an object");
                    };
                    if let Some(constant) = &s.constant {
                        if map.get(&constant.wire_name).and_then(Value::as_str)
                            != Some(&constant.value)
                        {
                            return Err(format!(
                                "{}/{} is not `{}`",
                                at, constant.wire_name, constant.value
                            ));
                        }
                    }
                    for field in &s.fields {
                        let field_at = format!("{at}/{}", field.wire_name);
                        match map.get(&field.wire_name) {
                            None | Some(Value::Null) if field.required && !field.nullable => {
                                return Err(format!("{field_at} is required"));
                            }
                            None | Some(Value::Null) => {}
                            Some(v) => {
                                fits(v, &field.ty, types, &field_at)?;
                                keeps(v, field, &field_at)?;
                            }
                        }
                    }
                    let listed = |k: &str| {
                        s.fields.iter().any(|f| f.wire_name == k)
                            || s.constant.as_ref().is_some_and(|c| c.wire_name == k)
                    };
                    for (key, v) in map.iter().filter(|(k, _)| !listed(k)) {
                        match &s.extra {
                            Some(extra) => fits(v, &extra.ty, types, &format!("{at}/{key}"))?,
                            None if s.deny_unknown && !def.usage.response => {
                                return Err(format!("{at}/{key} is not a property of `{name}`"));
                            }
                            None => {}
                        }
                    }
                    Ok(())
                }
                TypeKind::TaggedUnion(u) => {
                    let tag = value.get(&u.tag).and_then(Value::as_str);
                    match u
                        .variants
                        .iter()
                        .find(|v| Some(v.tag_value.as_str()) == tag)
                    {
                        Some(variant) => {
                            // The tag is the union's: the variant struct does not list it.
                            let mut rest = value.clone();
                            if let Value::Object(map) = &mut rest {
                                map.remove(&u.tag);
                            }
                            fits(&rest, &TypeRef::Named(variant.ty.clone()), types, at)
                        }
                        None => Err(format!("{at}/{} names no variant", u.tag)),
                    }
                }
                TypeKind::Untagged(variants) => {
                    if variants
                        .iter()
                        .any(|v| fits(value, &v.ty, types, at).is_ok())
                    {
                        Ok(())
                    } else {
                        Err(format!("{} fits none of `{name}`'s variants", here()))
                    }
                }
            }
        }
    }
}

/// The rules on one property's value that a validator checks and a doctest would meet.
fn keeps(value: &Value, field: &Field, at: &str) -> Result<(), String> {
    rules(value, &field.constraints, at)
}

fn rules(value: &Value, constraints: &[Constraint], at: &str) -> Result<(), String> {
    for rule in constraints {
        let broken = match (rule, value) {
            (Constraint::MinLength(n), Value::String(s)) => (s.chars().count() as u64) < *n,
            (Constraint::MaxLength(n), Value::String(s)) => (s.chars().count() as u64) > *n,
            (Constraint::Minimum(m), Value::Number(x)) => x.as_f64().is_some_and(|x| x < *m),
            (Constraint::Maximum(m), Value::Number(x)) => x.as_f64().is_some_and(|x| x > *m),
            (Constraint::ExclusiveMinimum(m), Value::Number(x)) => {
                x.as_f64().is_some_and(|x| x <= *m)
            }
            (Constraint::ExclusiveMaximum(m), Value::Number(x)) => {
                x.as_f64().is_some_and(|x| x >= *m)
            }
            (Constraint::MinItems(n), Value::Array(a)) => (a.len() as u64) < *n,
            (Constraint::MaxItems(n), Value::Array(a)) => (a.len() as u64) > *n,
            (Constraint::MinProperties(n), Value::Object(o)) => (o.len() as u64) < *n,
            (Constraint::MaxProperties(n), Value::Object(o)) => (o.len() as u64) > *n,
            (Constraint::Const(c), Value::String(s)) => s != c,
            (Constraint::Items(inner), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    rules(item, inner, &format!("{at}/{i}"))?;
                }
                false
            }
            (Constraint::Values(inner), Value::Object(map)) => {
                for (k, v) in map {
                    rules(v, inner, &format!("{at}/{k}"))?;
                }
                false
            }
            _ => false,
        };
        if broken {
            return Err(format!("{at} breaks `{}`", describe(rule)));
        }
    }
    Ok(())
}

fn describe(rule: &Constraint) -> String {
    match rule {
        Constraint::MinLength(n) => format!("minLength: {n}"),
        Constraint::MaxLength(n) => format!("maxLength: {n}"),
        Constraint::Minimum(m) => format!("minimum: {m}"),
        Constraint::Maximum(m) => format!("maximum: {m}"),
        Constraint::ExclusiveMinimum(m) => format!("exclusiveMinimum: {m}"),
        Constraint::ExclusiveMaximum(m) => format!("exclusiveMaximum: {m}"),
        Constraint::MinItems(n) => format!("minItems: {n}"),
        Constraint::MaxItems(n) => format!("maxItems: {n}"),
        Constraint::MinProperties(n) => format!("minProperties: {n}"),
        Constraint::MaxProperties(n) => format!("maxProperties: {n}"),
        Constraint::Const(c) => format!("const: {c}"),
        other => format!("{other:?}"),
    }
}
