//! The Rust API of the generated crate: the items, fields, variants and methods emit writes,
//! named and typed as emit names and types them (`emit::rust_type`, `emit::field_type`), so
//! nothing is parsed back from generated text. A change to a type sent in requests concerns
//! callers, to one received in responses decoding, to a method callers.

use super::wire::{key, kind_name, param_pointer, property_pointer, wire_key};
use super::{by_key, masked, origin_pointer, Effect, Effects, Kind, Out, Pair, Types};
use crate::emit;
use crate::ir::{Field, Operation, Output, ParamLocation, TypeDef, TypeKind, TypeRef, Usage};
use proc_macro2::TokenStream;

use Effect::{Breaking as B, Compatible as C, None as N};

/// Which additions break code written against the generated crate. The one place that says
/// so: the rest of the comparison asks it.
///
/// Today's generated structs have public fields and no constructor, so code builds them with
/// struct literals (and may destructure them): a new field breaks it. Today's enums are
/// exhaustive, so a `match` without a wildcard arm breaks on a new variant. Once generated
/// structs are `#[non_exhaustive]` with constructors and setters (and enums that can grow
/// `#[non_exhaustive]`), set these to `false` where emit does so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Generated structs can be built with struct literals: a new field breaks callers.
    pub exhaustive_structs: bool,
    /// Generated enums can be matched exhaustively: a new variant breaks callers.
    pub exhaustive_enums: bool,
}

impl Default for Policy {
    /// What emit generates today (`emit/construct.rs`): every struct and enum
    /// `#[non_exhaustive]`, structs built with `new(required..)` and `with_` setters.
    fn default() -> Self {
        Policy {
            exhaustive_structs: false,
            exhaustive_enums: false,
        }
    }
}

impl Policy {
    /// What a new field of type `ty` (as `show` writes it) of a generated struct means for
    /// code using it: with exhaustive structs, a broken struct literal; with
    /// `#[non_exhaustive]` ones, nothing for an optional field (one more `with_` setter) and a
    /// new argument of `new` for a required one.
    pub fn field_added(self, ty: &str) -> Effect {
        if self.exhaustive_structs || !ty.starts_with("Option<") {
            B
        } else {
            C
        }
    }

    /// What a new variant of a generated enum means for code using it.
    pub fn variant_added(self) -> Effect {
        if self.exhaustive_enums {
            B
        } else {
            C
        }
    }
}

/// Every change of the Rust API: the client's accessors and methods, the parameter structs,
/// then the types.
pub(super) fn compare(pair: &Pair<'_>, policy: &Policy) -> Vec<super::Change> {
    let types = Types::of(pair);
    let mut out = Out::new(pair, super::Level::Rust);
    let (old_ops, new_ops) = (pair.old.operations(), pair.new.operations());
    by_key(
        &old_ops,
        &new_ops,
        |(_, op)| wire_key(op),
        |o, n| match (o, n) {
            (Some((group, o)), None) => {
                let at = origin_pointer(pair.old, &o.origin);
                let message = format!("method `{}` removed", method_path(*group, o));
                out.push(Kind::Change, &key(o), message, (B, N), Some(&at), None);
            }
            (None, Some((group, n))) => {
                let at = origin_pointer(pair.new, &n.origin);
                let message = format!("method `{}` added", method_path(*group, n));
                out.push(Kind::Addition, &key(n), message, (C, N), None, Some(&at));
            }
            (Some((old_group, o)), Some((new_group, n))) => {
                method(&mut out, &types, (*old_group, o), (*new_group, n), policy);
            }
            (None, None) => {}
        },
    );
    // An accessor is placed at the first operation of its group.
    let accessors = |side: &super::Side| -> Vec<(String, String)> {
        side.api
            .groups
            .iter()
            .map(|g| {
                let at = g
                    .operations
                    .first()
                    .map_or_else(String::new, |op| origin_pointer(side, &op.origin));
                (g.accessor.clone(), at)
            })
            .collect()
    };
    let (old_groups, new_groups) = (accessors(pair.old), accessors(pair.new));
    by_key(
        &old_groups,
        &new_groups,
        |g| g.0.clone(),
        |o, n| {
            let (message, kind, effect) = match (o, n) {
                (Some((g, _)), None) => {
                    (format!("accessor `Client::{g}()` removed"), Kind::Change, B)
                }
                (None, Some((g, _))) => {
                    (format!("accessor `Client::{g}()` added"), Kind::Addition, C)
                }
                _ => return,
            };
            let (old_at, new_at) = (o.map(|g| g.1.as_str()), n.map(|g| g.1.as_str()));
            out.push(kind, "Client", message, (effect, N), old_at, new_at);
        },
    );
    for o in &types.removed {
        let at = origin_pointer(pair.old, &o.origin);
        let message = format!("{} `{}` removed", item(&o.kind), o.name);
        out.push(
            Kind::Change,
            &o.name,
            message,
            sides(o.usage, B),
            Some(&at),
            None,
        );
    }
    for n in &types.added {
        let at = origin_pointer(pair.new, &n.origin);
        let message = format!("{} `{}` added", item(&n.kind), n.name);
        out.push(
            Kind::Addition,
            &n.name,
            message,
            sides(n.usage, C),
            None,
            Some(&at),
        );
    }
    for (o, n) in &types.pairs {
        type_def(&mut out, &types, o, n, policy);
    }
    out.changes
}

/// A change to a type concerns the sides it travels on; a type no operation uses, callers
/// (code may still name it).
fn sides(usage: Usage, effect: Effect) -> Effects {
    if usage == Usage::default() {
        (effect, N)
    } else {
        masked(usage, (effect, effect))
    }
}

fn item(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        _ => "enum",
    }
}

/// A Rust type as a person writes it: `Option<Vec<String>>`.
fn show(tokens: TokenStream) -> String {
    let mut text = tokens.to_string().replace(' ', "");
    for prefix in [
        "::std::option::",
        "::std::vec::",
        "::std::string::",
        "::std::collections::",
        "::std::boxed::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace("::serde_json::", "serde_json::")
        .replace(',', ", ")
}

fn rust_type(ty: &TypeRef) -> String {
    show(emit::rust_type(ty))
}

/// How a method is reached: `Client::messages().create()` or `Client::create()`.
fn method_path(group: Option<&str>, op: &Operation) -> String {
    match group {
        Some(group) => format!("Client::{group}().{}()", op.name),
        None => format!("Client::{}()", op.name),
    }
}

/// A method's signature as emit writes it: path parameters by value or reference, the body,
/// the parameter struct, and the output. Without the arguments' names: renaming an argument
/// changes nothing for a caller.
fn signature(op: &Operation) -> String {
    let mut args = vec!["&self".to_owned()];
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let ty = match &p.ty {
            TypeRef::String => "&str".to_owned(),
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => rust_type(&p.ty),
            other => format!("&{}", rust_type(other)),
        };
        args.push(ty);
    }
    if let Some(body) = &op.body {
        args.push(match (body.encoding, body.required) {
            (crate::ir::BodyEncoding::Bytes, true) => "impl Into<Upload>".to_owned(),
            (crate::ir::BodyEncoding::Bytes, false) => "Option<Upload>".to_owned(),
            (_, true) => format!("&{}", rust_type(&body.ty)),
            (_, false) => format!("Option<&{}>", rust_type(&body.ty)),
        });
    }
    if let Some(params) = &op.params_type {
        args.push(format!("&params::{params}"));
    }
    let output = match &op.output {
        Output::Json(ty) => rust_type(ty),
        Output::JsonOrEmpty(ty) => format!("Option<{}>", rust_type(ty)),
        Output::Empty => "()".to_owned(),
        Output::Text => "String".to_owned(),
        Output::Bytes => "ByteStream".to_owned(),
        Output::Events(crate::ir::EventData::Json(ty)) => format!("EventStream<{}>", rust_type(ty)),
        Output::Events(crate::ir::EventData::Text) => "EventStream<String>".to_owned(),
        Output::Events(crate::ir::EventData::Named(e)) => format!("EventStream<{}>", e.name),
        Output::ByStatus(e) => e.name.clone(),
    };
    format!("fn {}({}) -> {output}", op.name, args.join(", "))
}

fn method(
    out: &mut Out<'_, '_>,
    types: &Types<'_>,
    (old_group, o): (Option<&str>, &Operation),
    (new_group, n): (Option<&str>, &Operation),
    policy: &Policy,
) {
    let pair = out.pair;
    let subject = key(o);
    let (old_at, new_at) = (
        origin_pointer(pair.old, &o.origin),
        origin_pointer(pair.new, &n.origin),
    );
    let at = (Some(old_at.as_str()), Some(new_at.as_str()));
    let (old_path, new_path) = (method_path(old_group, o), method_path(new_group, n));
    if old_path != new_path {
        let message = format!("method `{old_path}` renamed `{new_path}`");
        out.push(Kind::Change, &subject, message, (B, N), at.0, at.1);
    }
    let (old_sig, new_sig) = (signature(o), signature(n));
    // A renamed type in the signature is reported with the type.
    if replace_word(&renamed_in(types, &old_sig), &o.name, &n.name) != new_sig {
        let message = format!("`{new_path}`: `{old_sig}` -> `{new_sig}`");
        out.push(Kind::Change, &subject, message, (B, N), at.0, at.1);
    }
    if o.deprecated != n.deprecated {
        let message = if n.deprecated {
            format!("`{new_path}` marked `#[deprecated]` (a warning where it is called)")
        } else {
            format!("`{new_path}` no longer `#[deprecated]`")
        };
        out.push(Kind::Change, &subject, message, (C, N), at.0, at.1);
    }
    if let (Some(a), Some(b)) = (&o.params_type, &n.params_type) {
        let struct_name = format!("params::{b}");
        if a != b {
            let message = format!("struct `params::{a}` renamed `{struct_name}`");
            out.push(Kind::Change, &subject, message, (B, N), at.0, at.1);
        }
        // Each field: its parameter's location and name, its name, its type and its place.
        let fields = |side: &super::Side, op: &Operation| -> Vec<[String; 4]> {
            op.params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .map(|p| {
                    let ty = rust_type(&p.ty);
                    let ty = if p.required {
                        ty
                    } else {
                        format!("Option<{ty}>")
                    };
                    let at = param_pointer(side, op, p);
                    [
                        format!("{} {}", p.location.as_str(), p.wire_name),
                        p.name.clone(),
                        ty,
                        at,
                    ]
                })
                .collect()
        };
        let (old_fields, new_fields) = (fields(pair.old, o), fields(pair.new, n));
        by_key(
            &old_fields,
            &new_fields,
            |f| f[0].clone(),
            |fo, fn_| {
                let (message, kind, effect) = match (fo, fn_) {
                    (Some([_, name, _, _]), None) => (
                        format!("field `{struct_name}::{name}` removed"),
                        Kind::Change,
                        B,
                    ),
                    (None, Some([_, name, ty, _])) => (
                        format!("field `{struct_name}::{name}: {ty}` added"),
                        Kind::Addition,
                        policy.field_added(ty),
                    ),
                    (Some([_, a, ta, _]), Some([_, b, tb, _]))
                        if a != b || renamed_in(types, ta) != *tb =>
                    {
                        (
                            format!("field `{struct_name}::{a}: {ta}` -> `{b}: {tb}`"),
                            Kind::Change,
                            B,
                        )
                    }
                    _ => return,
                };
                let (old_at, new_at) = (fo.map(|f| f[3].as_str()), fn_.map(|f| f[3].as_str()));
                out.push(kind, &subject, message, (effect, N), old_at, new_at);
            },
        );
    }
    if let (Output::ByStatus(a), Output::ByStatus(b)) = (&o.output, &n.output) {
        let at_status = |op: &str, status: u16| format!("{op}/responses/{status}");
        by_key(
            &a.variants,
            &b.variants,
            |v| v.status,
            |vo, vn| {
                let old_at = vo.map(|v| at_status(&old_at, v.status));
                let new_at = vn.map(|v| at_status(&new_at, v.status));
                let (message, kind, effect) = match (vo, vn) {
                    (Some(v), None) => (
                        format!("variant `{}::{}` removed", a.name, v.name),
                        Kind::Change,
                        B,
                    ),
                    (None, Some(v)) => (
                        format!("variant `{}::{}` added", b.name, v.name),
                        Kind::Addition,
                        policy.variant_added(),
                    ),
                    (Some(x), Some(y)) if x.name != y.name => (
                        format!("variant `{}::{}` renamed `{}`", a.name, x.name, y.name),
                        Kind::Change,
                        B,
                    ),
                    _ => return,
                };
                out.push(
                    kind,
                    &subject,
                    message,
                    (N, effect),
                    old_at.as_deref(),
                    new_at.as_deref(),
                );
            },
        );
    }
}

/// Rust text with every renamed type written under its new name.
fn renamed_in(types: &Types<'_>, text: &str) -> String {
    let mut text = text.to_owned();
    for (o, n) in &types.pairs {
        if o.name != n.name {
            text = replace_word(&text, &o.name, &n.name);
        }
    }
    text
}

fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut result = String::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        result.push_str(if word == from { to } else { &word });
        word.clear();
        result.push(c);
    }
    result.pop();
    result
}

fn type_def(out: &mut Out<'_, '_>, types: &Types<'_>, o: &TypeDef, n: &TypeDef, policy: &Policy) {
    let pair = out.pair;
    let usage = if o.usage == Usage::default() {
        n.usage
    } else {
        o.usage
    };
    let (old_at, new_at) = (
        origin_pointer(pair.old, &o.origin),
        origin_pointer(pair.new, &n.origin),
    );
    let at = (Some(old_at.as_str()), Some(new_at.as_str()));
    let subject = n.name.clone();
    if o.name != n.name {
        let message = format!("{} `{}` renamed `{}`", item(&o.kind), o.name, n.name);
        out.push(Kind::Change, &subject, message, sides(usage, B), at.0, at.1);
    }
    let name = &n.name;
    // Emit gives a type sent in requests its own `validate()` and `from_json()`.
    if o.usage.request != n.usage.request {
        let methods = format!("`{name}::validate()` and `{name}::from_json()`");
        let (message, kind, effect) = if n.usage.request {
            (
                format!("methods {methods} added (now sent in requests)"),
                Kind::Addition,
                C,
            )
        } else {
            (
                format!("methods {methods} removed (no longer sent in requests)"),
                Kind::Change,
                B,
            )
        };
        out.push(kind, &subject, message, (effect, N), at.0, at.1);
    }
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let fields = |s: &crate::ir::Struct| -> Vec<(String, String, String)> {
                let mut fields: Vec<(String, String, String)> = s
                    .fields
                    .iter()
                    .map(|f: &Field| {
                        (
                            f.wire_name.clone(),
                            f.name.clone(),
                            show(emit::field_type(f)),
                        )
                    })
                    .collect();
                if let Some(extra) = &s.extra {
                    let ty = format!("BTreeMap<String, {}>", rust_type(&extra.ty));
                    // The flattened map has no wire name of its own.
                    fields.push((String::new(), extra.name.clone(), ty));
                }
                fields
            };
            let (old_fields, new_fields) = (fields(a), fields(b));
            by_key(
                &old_fields,
                &new_fields,
                |f| f.0.clone(),
                |fo, fn_| {
                    let old_at = fo.map(|f| property_pointer(pair.old, o, &f.0));
                    let new_at = fn_.map(|f| property_pointer(pair.new, n, &f.0));
                    let (message, kind, effect) = match (fo, fn_) {
                        (Some((_, field, _)), None) => {
                            (format!("field `{name}::{field}` removed"), Kind::Change, B)
                        }
                        (None, Some((_, field, ty))) => (
                            format!("field `{name}::{field}: {ty}` added"),
                            Kind::Addition,
                            policy.field_added(ty),
                        ),
                        (Some((_, x, tx)), Some((_, y, ty))) if x != y => (
                            format!(
                                "field `{name}::{x}` renamed `{y}`{}",
                                if renamed_in(types, tx) == *ty {
                                    String::new()
                                } else {
                                    format!(", type `{tx}` -> `{ty}`")
                                }
                            ),
                            Kind::Change,
                            B,
                        ),
                        (Some((_, x, tx)), Some((_, _, ty))) if renamed_in(types, tx) != *ty => (
                            format!("field `{name}::{x}`: `{tx}` -> `{ty}`"),
                            Kind::Change,
                            B,
                        ),
                        _ => return,
                    };
                    out.push(
                        kind,
                        &subject,
                        message,
                        sides(usage, effect),
                        old_at.as_deref(),
                        new_at.as_deref(),
                    );
                },
            );
        }
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            let variants = |e: &crate::ir::StringEnum| -> Vec<(String, String)> {
                let mut variants: Vec<(String, String)> = e
                    .values
                    .iter()
                    .map(|v| (v.wire_value.clone(), v.name.clone()))
                    .collect();
                if let Some(unknown) = &e.unknown {
                    // The catch-all holds no listed value: keyed apart from every wire value.
                    variants.push(("\u{0}unknown".to_owned(), format!("{unknown}(String)")));
                }
                variants
            };
            variants_changed(
                out,
                &subject,
                usage,
                (&variants(a), &variants(b)),
                at,
                policy,
            );
        }
        (TypeKind::TaggedUnion(a), TypeKind::TaggedUnion(b)) => {
            let variants = |u: &crate::ir::TaggedUnion, rename: bool| -> Vec<(String, String)> {
                u.variants
                    .iter()
                    .map(|v| {
                        let ty = if rename {
                            types.renamed(&v.ty).unwrap_or(&v.ty)
                        } else {
                            &v.ty
                        };
                        (v.tag_value.clone(), format!("{}({ty})", v.name))
                    })
                    .collect()
            };
            variants_changed(
                out,
                &subject,
                usage,
                (&variants(a, true), &variants(b, false)),
                at,
                policy,
            );
        }
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
            let variants =
                |vs: &[crate::ir::UntaggedVariant], rename: bool| -> Vec<(String, String)> {
                    vs.iter()
                        .map(|v| {
                            let ty = rust_type(&v.ty);
                            let ty = if rename { renamed_in(types, &ty) } else { ty };
                            (v.name.clone(), format!("{}({ty})", v.name))
                        })
                        .collect()
                };
            variants_changed(
                out,
                &subject,
                usage,
                (&variants(a, true), &variants(b, false)),
                at,
                policy,
            );
        }
        (a, b) => {
            let message = format!(
                "`{name}`: {} ({}) -> {} ({})",
                item(a),
                kind_name(a),
                item(b),
                kind_name(b)
            );
            out.push(Kind::Change, &subject, message, sides(usage, B), at.0, at.1);
        }
    }
}

/// A variant: what it stands for on the wire (its key), and its Rust text.
type Keyed = (String, String);

/// Variants keyed by what they stand for on the wire.
fn variants_changed(
    out: &mut Out<'_, '_>,
    name: &str,
    usage: Usage,
    (old, new): (&[Keyed], &[Keyed]),
    at: (Option<&str>, Option<&str>),
    policy: &Policy,
) {
    by_key(
        old,
        new,
        |v| v.0.clone(),
        |vo, vn| {
            let (message, kind, effect) = match (vo, vn) {
                (Some((_, v)), None) => (format!("variant `{name}::{v}` removed"), Kind::Change, B),
                (None, Some((_, v))) => (
                    format!("variant `{name}::{v}` added"),
                    Kind::Addition,
                    policy.variant_added(),
                ),
                (Some((_, x)), Some((_, y))) if x != y => (
                    format!("variant `{name}::{x}` -> `{name}::{y}`"),
                    Kind::Change,
                    B,
                ),
                _ => return,
            };
            out.push(kind, name, message, sides(usage, effect), at.0, at.1);
        },
    );
}
