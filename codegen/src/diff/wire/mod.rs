//! The wire: what a client built from the old spec sends and receives, against a server that
//! follows the new one. Every rule that classifies a change lives in this folder, next to the
//! comparison it classifies: `operations.rs` operations, parameters, bodies and responses;
//! `types.rs` the named types and their properties; this file type references and constraints,
//! which both use.
//!
//! Callers (what the client sends): anything the old client sends that the new spec no longer
//! takes breaks it (an operation, parameter, property or enum value removed, a rule tightened,
//! a type narrowed or changed), and so does anything new it does not send (a required
//! parameter, property or body). Decoding (what it receives): anything the old client cannot
//! read breaks it (a required property removed or made optional, `null` where it was not, a
//! new enum value in a closed enum, a new union variant, a type widened or changed); a new
//! response property does not, because generated response types ignore unknown properties.
//! Constraints on responses are not checked when decoding, so changing them breaks nothing.

mod operations;
mod types;

pub(super) use operations::param_pointer;
pub(super) use types::{kind_name, property_pointer};

use super::{by_key, masked, origin_pointer, Effect, Kind, Out, Types};
use crate::ir::{Constraint, Operation, ParamLocation, Parameter, TypeRef, Usage};

use Effect::{Breaking as B, Compatible as C, None as N};

/// Every wire change, operations first, then the named types, each in spec order.
pub(super) fn compare(pair: &super::Pair<'_>) -> Vec<super::Change> {
    let types = Types::of(pair);
    let mut out = Out::new(pair, super::Level::Wire);
    let old_ops = pair.old.operations();
    let new_ops = pair.new.operations();
    by_key(
        &old_ops,
        &new_ops,
        |(_, op)| wire_key(op),
        |o, n| match (o, n) {
            (Some((_, o)), Some((_, n))) => operations::operation(&mut out, &types, o, n),
            (Some((_, o)), None) => {
                let at = origin_pointer(pair.old, &o.origin);
                out.push(
                    Kind::Change,
                    &key(o),
                    "operation removed".into(),
                    (B, N),
                    Some(&at),
                    None,
                );
            }
            (None, Some((_, n))) => {
                let at = origin_pointer(pair.new, &n.origin);
                out.push(
                    Kind::Addition,
                    &key(n),
                    "operation added".into(),
                    (C, N),
                    None,
                    Some(&at),
                );
            }
            (None, None) => {}
        },
    );
    for (o, n) in &types.pairs {
        types::type_def(&mut out, &types, o, n);
    }
    out.changes
}

/// An operation's name on the wire: `POST /messages`.
pub(super) fn key(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

/// What identifies an operation on the wire: its method and its path with the variables'
/// names left out (`/admins/{id}` and `/admins/{admin_id}` are the same URLs).
pub(super) fn wire_key(op: &Operation) -> String {
    let mut path = String::new();
    let mut in_variable = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_variable = true;
                path.push_str("{}");
            }
            '}' => in_variable = false,
            c if !in_variable => path.push(c),
            _ => {}
        }
    }
    format!("{} {path}", op.method.as_str())
}

/// What identifies a parameter on the wire: its location and name, or for a path parameter
/// (whose name is not sent) its place in the path.
pub(super) fn param_key(op: &Operation, p: &Parameter) -> (ParamLocation, String) {
    if p.location == ParamLocation::Path {
        let index = op
            .params
            .iter()
            .filter(|q| q.location == ParamLocation::Path)
            .position(|q| q.name == p.name)
            .unwrap_or_default();
        (p.location, index.to_string())
    } else {
        (p.location, p.wire_name.clone())
    }
}

/// How a type reference changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RefChange {
    Same,
    /// Accepts more values (`integer` -> `number`, int32 -> int64, anything -> any JSON).
    Widened,
    /// Accepts fewer.
    Narrowed,
    /// May now be `null`.
    NullAdded,
    /// May no longer be `null`.
    NullRemoved,
    /// Another type.
    Changed,
}

pub(super) fn compare_ref(
    types: &Types<'_>,
    pair: &super::Pair<'_>,
    o: &TypeRef,
    n: &TypeRef,
) -> RefChange {
    use TypeRef as T;
    let same = |a: &TypeRef, b: &TypeRef| compare_ref(types, pair, a, b) == RefChange::Same;
    match (o, n) {
        (T::Named(a), T::Named(b)) => {
            if types.renamed(a) == Some(b.as_str()) || same_schema(pair, a, b) {
                RefChange::Same
            } else {
                RefChange::Changed
            }
        }
        (T::Nullable(a), T::Nullable(b)) | (T::List(a), T::List(b)) | (T::Map(a), T::Map(b)) => {
            compare_ref(types, pair, a, b)
        }
        (T::Nullable(a), b) if same(a, b) => RefChange::NullRemoved,
        (a, T::Nullable(b)) if same(a, b) => RefChange::NullAdded,
        (T::Integer(a), T::Integer(b)) if a == b => RefChange::Same,
        (T::Integer(a), T::Integer(b)) if a < b => RefChange::Widened,
        (T::Integer(_), T::Integer(_)) => RefChange::Narrowed,
        (T::Integer(_), T::Number) => RefChange::Widened,
        (T::Number, T::Integer(_)) => RefChange::Narrowed,
        (a, b) if a == b => RefChange::Same,
        (_, T::Any) => RefChange::Widened,
        (T::Any, _) => RefChange::Narrowed,
        _ => RefChange::Changed,
    }
}

/// Whether two differently named types have the same wire form: their schemas equal once
/// descriptions, titles and examples are left out.
fn same_schema(pair: &super::Pair<'_>, old: &str, new: &str) -> bool {
    fn strip(value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => map
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "description" | "title" | "example" | "examples")
                })
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
            serde_json::Value::Array(items) => items.iter().map(strip).collect(),
            other => other.clone(),
        }
    }
    match (pair.old.type_def(old), pair.new.type_def(new)) {
        (Some(a), Some(b)) => strip(&a.schema) == strip(&b.schema),
        _ => false,
    }
}

/// Reports a changed type reference in a place that travels as `usage` says.
pub(super) fn type_ref(
    out: &mut Out<'_, '_>,
    types: &Types<'_>,
    subject: &str,
    what: &str,
    usage: Usage,
    (o, n): (&TypeRef, &TypeRef),
    (old_at, new_at): (Option<&str>, Option<&str>),
) {
    let change = compare_ref(types, out.pair, o, n);
    let (kind, effects, how) = match change {
        RefChange::Same => return,
        RefChange::Widened => (Kind::Change, (C, B), "widened"),
        RefChange::Narrowed => (Kind::Change, (B, C), "narrowed"),
        RefChange::NullAdded => (Kind::Change, (C, B), "may now be null"),
        RefChange::NullRemoved => (Kind::Change, (B, C), "may no longer be null"),
        RefChange::Changed => (Kind::Change, (B, B), "changed"),
    };
    let (mut from, mut to) = (o.describe(), n.describe());
    if from == to {
        // Only the integers' widths differ.
        (from, to) = (exact(o), exact(n));
    }
    let message = format!("{what}type {from} -> {to} ({how})");
    out.push(
        kind,
        subject,
        message,
        masked(usage, effects),
        old_at,
        new_at,
    );
}

/// A type as [`TypeRef::describe`] says it, with the integers' widths.
fn exact(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer(bits) => format!("int{bits}"),
        TypeRef::List(inner) => format!("list of {}", exact(inner)),
        TypeRef::Map(inner) => format!("map of {}", exact(inner)),
        TypeRef::Nullable(inner) => format!("{} or null", exact(inner)),
        other => other.describe(),
    }
}

/// One constraint, flattened: its keyword (with `items.`/`values.` for those of list items and
/// map values) and how it bounds a value.
#[derive(Clone, Debug, PartialEq)]
enum Bound {
    /// A lower bound: a larger one is tighter.
    Lower(f64),
    /// An upper bound: a smaller one is tighter.
    Upper(f64),
    /// A value that is either the same or another rule (`pattern`, `format`, `const`, ...).
    Exact(String),
}

fn flatten(prefix: &str, constraints: &[Constraint], out: &mut Vec<(String, Bound)>) {
    use Bound::{Exact, Lower, Upper};
    #[allow(clippy::cast_precision_loss)] // Lengths and counts far below 2^52.
    let n = |v: u64| v as f64;
    for c in constraints {
        let (keyword, bound) = match c {
            Constraint::MinLength(v) => ("minLength", Lower(n(*v))),
            Constraint::MaxLength(v) => ("maxLength", Upper(n(*v))),
            Constraint::Pattern(p) => ("pattern", Exact(p.clone())),
            Constraint::Format(f) => ("format", Exact(format!("{f:?}").to_lowercase())),
            Constraint::Minimum(v) => ("minimum", Lower(*v)),
            Constraint::ExclusiveMinimum(v) => ("exclusiveMinimum", Lower(*v)),
            Constraint::Maximum(v) => ("maximum", Upper(*v)),
            Constraint::ExclusiveMaximum(v) => ("exclusiveMaximum", Upper(*v)),
            Constraint::MultipleOf(v) => ("multipleOf", Exact(v.to_string())),
            Constraint::MinItems(v) => ("minItems", Lower(n(*v))),
            Constraint::MaxItems(v) => ("maxItems", Upper(n(*v))),
            Constraint::UniqueItems => ("uniqueItems", Exact("true".to_owned())),
            Constraint::MinProperties(v) => ("minProperties", Lower(n(*v))),
            Constraint::MaxProperties(v) => ("maxProperties", Upper(n(*v))),
            Constraint::Const(v) => ("const", Exact(format!("{v:?}"))),
            Constraint::Items(inner) => {
                flatten(&format!("{prefix}items."), inner, out);
                continue;
            }
            Constraint::Values(inner) => {
                flatten(&format!("{prefix}values."), inner, out);
                continue;
            }
        };
        out.push((format!("{prefix}{keyword}"), bound));
    }
}

fn show(bound: &Bound) -> String {
    match bound {
        Bound::Lower(v) | Bound::Upper(v) => v.to_string(),
        Bound::Exact(v) => v.clone(),
    }
}

/// Reports each constraint tightened (breaking for callers), relaxed or changed, on a value
/// that travels as `usage` says.
pub(super) fn constraints(
    out: &mut Out<'_, '_>,
    subject: &str,
    what: &str,
    usage: Usage,
    (o, n): (&[Constraint], &[Constraint]),
    (old_at, new_at): (Option<&str>, Option<&str>),
) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    flatten("", o, &mut old);
    flatten("", n, &mut new);
    by_key(
        &old,
        &new,
        |(k, _)| k.clone(),
        |bo, bn| {
            let (message, tighter) = match (bo, bn) {
                (Some((k, b)), None) => (format!("`{k}: {}` dropped", show(b)), false),
                (None, Some((k, b))) => (format!("`{k}: {}` added", show(b)), true),
                (Some((k, a)), Some((_, b))) if a != b => {
                    let tighter = match (a, b) {
                        (Bound::Lower(a), Bound::Lower(b)) => b > a,
                        (Bound::Upper(a), Bound::Upper(b)) => b < a,
                        _ => true,
                    };
                    (format!("`{k}` {} -> {}", show(a), show(b)), tighter)
                }
                _ => return,
            };
            let (kind, how, callers) = if tighter {
                (Kind::Change, "tightened", B)
            } else {
                (Kind::Addition, "relaxed", C)
            };
            let message = format!("{what}constraint {how}: {message}");
            out.push(
                kind,
                subject,
                message,
                masked(usage, (callers, C)),
                old_at,
                new_at,
            );
        },
    );
}
