//! The wire: what a client built from the old spec sends and receives, against a server that
//! follows the new one. Every rule that classifies a change lives in this file, next to the
//! comparison it classifies.
//!
//! Callers (what the client sends): anything the old client sends that the new spec no longer
//! takes breaks it (an operation, parameter, property or enum value removed, a rule tightened,
//! a type narrowed or changed), and so does anything new it does not send (a required
//! parameter, property or body). Decoding (what it receives): anything the old client cannot
//! read breaks it (a required property removed or made optional, `null` where it was not, a
//! new enum value in a closed enum, a new union variant, a type widened or changed); a new
//! response property does not, because generated response types ignore unknown properties.
//! Constraints on responses are not checked when decoding, so changing them breaks nothing.

use super::{by_key, escape, masked, origin_pointer, Effect, Kind, Out, Side, Types};
use crate::ir::{
    Constraint, Field, Operation, Output, ParamLocation, Parameter, StatusBody, TypeDef, TypeKind,
    TypeRef, Usage,
};
use crate::load::{self, Node};

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
            (Some((_, o)), Some((_, n))) => operation(&mut out, &types, o, n),
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
        type_def(&mut out, &types, o, n);
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
fn param_key(op: &Operation, p: &Parameter) -> (ParamLocation, String) {
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

fn operation(out: &mut Out<'_, '_>, types: &Types<'_>, o: &Operation, n: &Operation) {
    let pair = out.pair;
    let subject = key(o);
    let (op_old, op_new) = (
        origin_pointer(pair.old, &o.origin),
        origin_pointer(pair.new, &n.origin),
    );
    let at = (Some(op_old.as_str()), Some(op_new.as_str()));
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
    if o.deprecated != n.deprecated {
        let message = if n.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        out.push(Kind::Change, &subject, message.into(), (C, N), at.0, at.1);
    }
    // Each parameter keyed in its own operation (path parameters by place), matched by key.
    let old_params: Vec<_> = o.params.iter().map(|p| (param_key(o, p), p)).collect();
    let new_params: Vec<_> = n.params.iter().map(|p| (param_key(n, p), p)).collect();
    by_key(
        &old_params,
        &new_params,
        |(k, _)| k.clone(),
        |po, pn| {
            let (po, pn) = (po.map(|(_, p)| *p), pn.map(|(_, p)| *p));
            let old_at = po.map(|p| param_pointer(pair.old, o, p));
            let new_at = pn.map(|p| param_pointer(pair.new, n, p));
            let (old_at, new_at) = (old_at.as_deref(), new_at.as_deref());
            let name =
                |p: &Parameter| format!("{} parameter `{}`", p.location.as_str(), p.wire_name);
            match (po, pn) {
                (Some(p), None) => out.push(
                    Kind::Change,
                    &subject,
                    format!("{} removed", name(p)),
                    (B, N),
                    old_at,
                    new_at,
                ),
                (None, Some(p)) => {
                    let (what, effect) = if p.required {
                        ("required", B)
                    } else {
                        ("optional", C)
                    };
                    let message = format!("{what} {} added", name(p));
                    out.push(
                        Kind::Addition,
                        &subject,
                        message,
                        (effect, N),
                        old_at,
                        new_at,
                    );
                }
                (Some(po), Some(pn)) => {
                    let what = format!("{}: ", name(po));
                    if po.required != pn.required {
                        let (message, effect) = required_change(pn.required);
                        let (kind, callers) = (effect.0, effect.1);
                        out.push(
                            kind,
                            &subject,
                            format!("{what}{message}"),
                            (callers, N),
                            old_at,
                            new_at,
                        );
                    }
                    let request = Usage {
                        request: true,
                        response: false,
                    };
                    type_ref(
                        out,
                        types,
                        &subject,
                        &what,
                        request,
                        (&po.ty, &pn.ty),
                        (old_at, new_at),
                    );
                    constraints(
                        out,
                        &subject,
                        &what,
                        request,
                        (&po.constraints, &pn.constraints),
                        (old_at, new_at),
                    );
                    if po.docs != pn.docs {
                        out.push(
                            Kind::Docs,
                            &subject,
                            format!("{what}description changed"),
                            (N, N),
                            old_at,
                            new_at,
                        );
                    }
                }
                (None, None) => {}
            }
        },
    );
    let body_at = |op: &str| format!("{op}/requestBody");
    let (body_old, body_new) = (body_at(&op_old), body_at(&op_new));
    let body = (Some(body_old.as_str()), Some(body_new.as_str()));
    match (&o.body, &n.body) {
        (Some(_), None) => out.push(
            Kind::Change,
            &subject,
            "request body removed".into(),
            (B, N),
            body.0,
            at.1,
        ),
        (None, Some(b)) => {
            let (what, effect) = if b.required {
                ("required", B)
            } else {
                ("optional", C)
            };
            let message = format!("{what} request body added");
            out.push(Kind::Addition, &subject, message, (effect, N), at.0, body.1);
        }
        (Some(bo), Some(bn)) => {
            if bo.media_type != bn.media_type {
                let message = format!(
                    "request content type `{}` -> `{}`",
                    bo.media_type, bn.media_type
                );
                out.push(Kind::Change, &subject, message, (B, N), body.0, body.1);
            }
            if bo.required != bn.required {
                let (message, (kind, callers)) = required_change(bn.required);
                out.push(
                    kind,
                    &subject,
                    format!("request body: {message}"),
                    (callers, N),
                    body.0,
                    body.1,
                );
            }
            let request = Usage {
                request: true,
                response: false,
            };
            type_ref(
                out,
                types,
                &subject,
                "request body: ",
                request,
                (&bo.ty, &bn.ty),
                body,
            );
        }
        (None, None) => {}
    }
    responses(out, types, &subject, (o, n), (&op_old, &op_new));
}

/// What a parameter's `required` becoming `now` means for callers, with its kind.
fn required_change(now: bool) -> (&'static str, (Kind, Effect)) {
    if now {
        ("became required", (Kind::Change, B))
    } else {
        ("became optional", (Kind::Addition, C))
    }
}

fn responses(
    out: &mut Out<'_, '_>,
    types: &Types<'_>,
    subject: &str,
    (o, n): (&Operation, &Operation),
    (op_old, op_new): (&str, &str),
) {
    let status_at = |op: &str, status: u16| format!("{op}/responses/{status}");
    let response = Usage {
        request: false,
        response: true,
    };
    if o.accept != n.accept {
        let message = format!("response content type `{}` -> `{}`", o.accept, n.accept);
        let (old_at, new_at) = (
            status_at(op_old, o.success.status),
            status_at(op_new, n.success.status),
        );
        out.push(
            Kind::Change,
            subject,
            message,
            (N, B),
            Some(&old_at),
            Some(&new_at),
        );
    }
    let (old_at, new_at) = (
        status_at(op_old, o.success.status),
        status_at(op_new, n.success.status),
    );
    let at = (Some(old_at.as_str()), Some(new_at.as_str()));
    if o.success.status != n.success.status {
        // Every 2xx is decoded as the success body, whatever its code.
        let message = format!(
            "success status {} -> {}",
            o.success.status, n.success.status
        );
        out.push(Kind::Change, subject, message, (N, C), at.0, at.1);
    }
    match (&o.output, &n.output) {
        (Output::Json(a), Output::Json(b)) | (Output::JsonOrEmpty(a), Output::JsonOrEmpty(b)) => {
            type_ref(out, types, subject, "response body: ", response, (a, b), at)
        }
        (Output::ByStatus(a), Output::ByStatus(b)) => {
            by_key(
                &a.variants,
                &b.variants,
                |v| v.status,
                |vo, vn| {
                    let old_at = vo.map(|v| status_at(op_old, v.status));
                    let new_at = vn.map(|v| status_at(op_new, v.status));
                    let (old_at, new_at) = (old_at.as_deref(), new_at.as_deref());
                    match (vo, vn) {
                        (Some(v), None) => {
                            let message = format!("success status {} removed", v.status);
                            out.push(Kind::Change, subject, message, (N, C), old_at, new_at);
                        }
                        // The old client's enum of statuses has no variant for it.
                        (None, Some(v)) => {
                            let message = format!("success status {} added", v.status);
                            out.push(Kind::Addition, subject, message, (N, B), old_at, new_at);
                        }
                        (Some(vo), Some(vn)) => match (&vo.body, &vn.body) {
                            (StatusBody::Json(a), StatusBody::Json(b)) => {
                                let what = format!("status {} body: ", vo.status);
                                type_ref(
                                    out,
                                    types,
                                    subject,
                                    &what,
                                    response,
                                    (a, b),
                                    (old_at, new_at),
                                );
                            }
                            (a, b) if a != b => {
                                let message = format!(
                                    "status {} body {} -> {}",
                                    vo.status,
                                    status_body(a),
                                    status_body(b)
                                );
                                out.push(Kind::Change, subject, message, (N, B), old_at, new_at);
                            }
                            _ => {}
                        },
                        (None, None) => {}
                    }
                },
            );
        }
        (Output::Json(_), Output::JsonOrEmpty(_)) => {
            let message = "the success response may now have no body".to_owned();
            out.push(Kind::Change, subject, message, (N, B), at.0, at.1);
        }
        (Output::JsonOrEmpty(a), Output::Json(b)) => {
            let message = "the success response always has a body now".to_owned();
            out.push(Kind::Change, subject, message, (N, C), at.0, at.1);
            type_ref(out, types, subject, "response body: ", response, (a, b), at);
        }
        (a, b) if a != b => {
            let message = format!("success response {} -> {}", output(a), output(b));
            out.push(Kind::Change, subject, message, (N, B), at.0, at.1);
        }
        _ => {}
    }
    by_key(
        &o.errors,
        &n.errors,
        |r| r.status,
        |ro, rn| {
            let old_at = ro.map(|r| status_at(op_old, r.status));
            let new_at = rn.map(|r| status_at(op_new, r.status));
            let (old_at, new_at) = (old_at.as_deref(), new_at.as_deref());
            // An error status the client does not know is still an error: nothing breaks.
            match (ro, rn) {
                (Some(r), None) => {
                    let message = format!("error status {} removed", r.status);
                    out.push(Kind::Change, subject, message, (N, C), old_at, new_at);
                }
                (None, Some(r)) => {
                    let message = format!("error status {} added", r.status);
                    out.push(Kind::Addition, subject, message, (N, C), old_at, new_at);
                }
                (Some(ro), Some(rn)) => {
                    if let (Some(a), Some(b)) = (&ro.ty, &rn.ty) {
                        let what = format!("status {} body: ", ro.status);
                        type_ref(
                            out,
                            types,
                            subject,
                            &what,
                            response,
                            (a, b),
                            (old_at, new_at),
                        );
                    }
                    if ro.docs != rn.docs {
                        let message = format!("status {}: description changed", ro.status);
                        out.push(Kind::Docs, subject, message, (N, N), old_at, new_at);
                    }
                }
                (None, None) => {}
            }
        },
    );
}

fn output(output: &Output) -> String {
    match output {
        Output::Json(ty) => format!("JSON {}", ty.describe()),
        Output::JsonOrEmpty(ty) => format!("JSON {} or nothing", ty.describe()),
        Output::Empty => "empty".to_owned(),
        Output::Text => "text".to_owned(),
        Output::Bytes => "bytes".to_owned(),
        Output::ByStatus(_) => "a body per status".to_owned(),
    }
}

fn status_body(body: &StatusBody) -> String {
    match body {
        StatusBody::Json(ty) => format!("JSON {}", ty.describe()),
        StatusBody::Empty => "empty".to_owned(),
        StatusBody::Text => "text".to_owned(),
        StatusBody::Bytes => "bytes".to_owned(),
    }
}

/// The pointer of parameter `p` of `op`: in the operation's `parameters`, else in its path
/// item's, else the operation itself.
pub(super) fn param_pointer(side: &Side, op: &Operation, p: &Parameter) -> String {
    let op_at = origin_pointer(side, &op.origin);
    let item_at = op_at.rfind('/').map_or("", |i| &op_at[..i]).to_owned();
    for holder in [&op_at, &item_at] {
        let Some(list) = side
            .node(holder)
            .and_then(|n| side.referred(n).get("parameters"))
        else {
            continue;
        };
        for (i, param) in list.as_seq().unwrap_or_default().iter().enumerate() {
            let param = side.referred(param);
            let field = |key: &str| param.get(key).and_then(Node::as_str);
            if field("name") == Some(&p.wire_name) && field("in") == Some(p.location.as_str()) {
                return format!("{holder}/parameters/{i}");
            }
        }
    }
    op_at
}

impl Side {
    /// The node at a pointer as [`Side::site`] takes it.
    fn node(&self, pointer: &str) -> Option<&Node> {
        let (file, inner) = pointer.split_once('#').unwrap_or(("", pointer));
        let id = self
            .document
            .others
            .iter()
            .position(|f| f.name == file)
            .and_then(|i| u16::try_from(i + 1).ok())
            .unwrap_or(0);
        load::lookup(self.document.file_root(id), inner)
    }

    fn referred<'n>(&'n self, node: &'n Node) -> &'n Node {
        self.document.referred(node)
    }
}

/// How a type reference changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefChange {
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

fn compare_ref(types: &Types<'_>, pair: &super::Pair<'_>, o: &TypeRef, n: &TypeRef) -> RefChange {
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
fn type_ref(
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
fn constraints(
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

/// The pointer of a struct's property: under the type's `properties` (a property merged
/// from an `allOf` part is placed at the type).
pub(super) fn property_pointer(side: &Side, def: &TypeDef, wire_name: &str) -> String {
    format!(
        "{}/properties/{}",
        origin_pointer(side, &def.origin),
        escape(wire_name)
    )
}

fn type_def(out: &mut Out<'_, '_>, types: &Types<'_>, o: &TypeDef, n: &TypeDef) {
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

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
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
