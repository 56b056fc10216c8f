//! The named types on the wire: properties, enum values, union variants, and what a type is.

use super::{compare_ref, constraints, type_ref, RefChange};
use crate::diff::{by_key, escape, masked, origin_pointer, Effect, Kind, Out, Side, Types};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, Usage};

use Effect::{Breaking as B, Compatible as C, None as N};

/// The pointer of a struct's property: under the type's `properties` (a property merged
/// from an `allOf` part is placed at the type).
pub(crate) fn property_pointer(side: &Side, def: &TypeDef, wire_name: &str) -> String {
    format!(
        "{}/properties/{}",
        origin_pointer(side, &def.origin),
        escape(wire_name)
    )
}

pub(super) fn type_def(out: &mut Out<'_, '_>, types: &Types<'_>, o: &TypeDef, n: &TypeDef) {
    let pair = out.pair;
    let subject = o.name.clone();
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
    if o.docs != n.docs {
        out.push(
            Kind::Docs,
            &subject,
            "description changed".into(),
            (N, N),
            at.0,
            at.1,
        );
    }
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            by_key(
                &a.fields,
                &b.fields,
                |f| f.wire_name.clone(),
                |fo, fn_| {
                    let old_at = fo.map(|f| property_pointer(pair.old, o, &f.wire_name));
                    let new_at = fn_.map(|f| property_pointer(pair.new, n, &f.wire_name));
                    let at = (old_at.as_deref(), new_at.as_deref());
                    field(out, types, &subject, usage, (fo, fn_), at);
                },
            );
            if a.constant != b.constant {
                let show = |c: &Option<crate::ir::Constant>| {
                    c.as_ref().map_or("none".to_owned(), |c| {
                        format!("`{}: {}`", c.wire_name, c.value)
                    })
                };
                let message = format!(
                    "fixed property {} -> {}",
                    show(&a.constant),
                    show(&b.constant)
                );
                out.push(
                    Kind::Change,
                    &subject,
                    message,
                    masked(usage, (B, B)),
                    at.0,
                    at.1,
                );
            }
            if a.deny_unknown != b.deny_unknown {
                let (message, effects) = if b.deny_unknown {
                    ("no longer takes other properties", (B, C))
                } else {
                    ("takes other properties now", (C, C))
                };
                out.push(
                    Kind::Change,
                    &subject,
                    message.into(),
                    masked(usage, effects),
                    at.0,
                    at.1,
                );
            }
            if a.extra.as_ref().map(|e| &e.ty) != b.extra.as_ref().map(|e| &e.ty) {
                let show = |e: &Option<crate::ir::ExtraProperties>| {
                    e.as_ref().map_or("none".to_owned(), |e| e.ty.describe())
                };
                let message = format!(
                    "additional properties {} -> {}",
                    show(&a.extra),
                    show(&b.extra)
                );
                out.push(
                    Kind::Change,
                    &subject,
                    message,
                    masked(usage, (B, B)),
                    at.0,
                    at.1,
                );
            }
            if a.rules != b.rules {
                // Which properties must come together, or which branch holds: read it in the
                // spec; sending what was valid may no longer be.
                let message = "rules about the object as a whole changed (required groups, branches, conditions)".to_owned();
                out.push(
                    Kind::Change,
                    &subject,
                    message,
                    masked(usage, (B, C)),
                    at.0,
                    at.1,
                );
            }
        }
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            by_key(
                &a.values,
                &b.values,
                |v| v.wire_value.clone(),
                |vo, vn| match (vo, vn) {
                    (Some(v), None) => {
                        let message = format!("enum value `{}` removed", v.wire_value);
                        out.push(
                            Kind::Change,
                            &subject,
                            message,
                            masked(usage, (B, C)),
                            at.0,
                            at.1,
                        );
                    }
                    (None, Some(v)) => {
                        // A response enum keeps an unknown value in its catch-all variant.
                        let decoding = if a.unknown.is_some() { C } else { B };
                        let message = format!("enum value `{}` added", v.wire_value);
                        out.push(
                            Kind::Addition,
                            &subject,
                            message,
                            masked(usage, (C, decoding)),
                            at.0,
                            at.1,
                        );
                    }
                    _ => {}
                },
            );
        }
        (TypeKind::TaggedUnion(a), TypeKind::TaggedUnion(b)) => {
            if a.tag != b.tag {
                let message = format!("told apart by `{}` -> `{}`", a.tag, b.tag);
                out.push(
                    Kind::Change,
                    &subject,
                    message,
                    masked(usage, (B, B)),
                    at.0,
                    at.1,
                );
            }
            by_key(
                &a.variants,
                &b.variants,
                |v| v.tag_value.clone(),
                |vo, vn| match (vo, vn) {
                    (Some(v), None) => {
                        let message = format!("variant `{}: {}` removed", a.tag, v.tag_value);
                        out.push(
                            Kind::Change,
                            &subject,
                            message,
                            masked(usage, (B, C)),
                            at.0,
                            at.1,
                        );
                    }
                    (None, Some(v)) => {
                        let message = format!("variant `{}: {}` added", b.tag, v.tag_value);
                        out.push(
                            Kind::Addition,
                            &subject,
                            message,
                            masked(usage, (C, B)),
                            at.0,
                            at.1,
                        );
                    }
                    (Some(vo), Some(vn)) => {
                        let what = format!("variant `{}`: ", vo.tag_value);
                        let (old_ty, new_ty) =
                            (TypeRef::Named(vo.ty.clone()), TypeRef::Named(vn.ty.clone()));
                        type_ref(out, types, &subject, &what, usage, (&old_ty, &new_ty), at);
                    }
                    (None, None) => {}
                },
            );
        }
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
            // A choice is the same when its type is the same on the wire, whatever the names
            // of the inline types it holds.
            let same = |o: &TypeRef, n: &TypeRef| compare_ref(types, pair, o, n) == RefChange::Same;
            for o in a.iter().filter(|o| !b.iter().any(|n| same(&o.ty, &n.ty))) {
                let message = format!("choice {} removed", o.ty.describe());
                let effects = masked(usage, (B, C));
                out.push(Kind::Change, &subject, message, effects, at.0, at.1);
            }
            for n in b.iter().filter(|n| !a.iter().any(|o| same(&o.ty, &n.ty))) {
                let message = format!("choice {} added", n.ty.describe());
                let effects = masked(usage, (C, B));
                out.push(Kind::Addition, &subject, message, effects, at.0, at.1);
            }
        }
        (a, b) => {
            let message = format!("{} -> {}", kind_name(a), kind_name(b));
            out.push(
                Kind::Change,
                &subject,
                message,
                masked(usage, (B, B)),
                at.0,
                at.1,
            );
        }
    }
}

pub(crate) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "object",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::TaggedUnion(_) => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
    }
}

/// One property of an object type that travels as `usage` says.
fn field(
    out: &mut Out<'_, '_>,
    types: &Types<'_>,
    subject: &str,
    usage: Usage,
    (fo, fn_): (Option<&Field>, Option<&Field>),
    (old_at, new_at): (Option<&str>, Option<&str>),
) {
    match (fo, fn_) {
        (Some(f), None) => {
            // The old client sends it; and, when it was required, insists on reading it.
            let decoding = if f.required { B } else { C };
            let message = format!("property `{}` removed", f.wire_name);
            out.push(
                Kind::Change,
                subject,
                message,
                masked(usage, (B, decoding)),
                old_at,
                new_at,
            );
        }
        (None, Some(f)) => {
            let callers = if f.required && !f.skip_sending { B } else { C };
            let what = if f.required { "required" } else { "optional" };
            let message = format!("{what} property `{}` added", f.wire_name);
            out.push(
                Kind::Addition,
                subject,
                message,
                masked(usage, (callers, C)),
                old_at,
                new_at,
            );
        }
        (Some(a), Some(b)) => {
            let what = format!("property `{}`: ", a.wire_name);
            if a.required != b.required {
                let (message, kind, effects) = if b.required {
                    ("became required", Kind::Change, (B, C))
                } else {
                    ("became optional", Kind::Change, (C, B))
                };
                out.push(
                    kind,
                    subject,
                    format!("{what}{message}"),
                    masked(usage, effects),
                    old_at,
                    new_at,
                );
            }
            if a.nullable != b.nullable {
                // An optional field is an `Option` already: `null` reads as `None`.
                let (message, effects) = if b.nullable {
                    ("may now be null", (C, if a.required { B } else { C }))
                } else {
                    ("may no longer be null", (B, C))
                };
                out.push(
                    Kind::Change,
                    subject,
                    format!("{what}{message}"),
                    masked(usage, effects),
                    old_at,
                    new_at,
                );
            }
            if a.access != b.access {
                let message = format!("{what}access {:?} -> {:?}", a.access, b.access);
                out.push(
                    Kind::Change,
                    subject,
                    message,
                    masked(usage, (B, B)),
                    old_at,
                    new_at,
                );
            }
            type_ref(
                out,
                types,
                subject,
                &what,
                usage,
                (&a.ty, &b.ty),
                (old_at, new_at),
            );
            constraints(
                out,
                subject,
                &what,
                usage,
                (&a.constraints, &b.constraints),
                (old_at, new_at),
            );
            if a.docs != b.docs {
                out.push(
                    Kind::Docs,
                    subject,
                    format!("{what}description changed"),
                    (N, N),
                    old_at,
                    new_at,
                );
            }
        }
        (None, None) => {}
    }
}
