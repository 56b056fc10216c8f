//! Operations on the wire: parameters, request bodies, content types, success and error
//! responses.

use super::{constraints, key, param_key, type_ref};
use crate::diff::{by_key, origin_pointer, Effect, Kind, Out, Side, Types};
use crate::ir::{Operation, Output, Parameter, StatusBody, Usage};
use crate::load::Node;

use Effect::{Breaking as B, Compatible as C, None as N};

pub(super) fn operation(out: &mut Out<'_, '_>, types: &Types<'_>, o: &Operation, n: &Operation) {
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
        (
            Output::Events(crate::ir::EventData::Json(a)),
            Output::Events(crate::ir::EventData::Json(b)),
        ) => type_ref(out, types, subject, "event data: ", response, (a, b), at),
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
        Output::Events(crate::ir::EventData::Json(ty)) => {
            format!("events of JSON {}", ty.describe())
        }
        Output::Events(crate::ir::EventData::Text) => "events of text".to_owned(),
        Output::Events(crate::ir::EventData::Named(e)) => {
            let names: Vec<&str> = e.variants.iter().map(|v| v.event.as_str()).collect();
            format!("events named {}", names.join(", "))
        }
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
pub(crate) fn param_pointer(side: &Side, op: &Operation, p: &Parameter) -> String {
    let op_at = origin_pointer(side, &op.origin);
    let item_at = op_at.rfind('/').map_or("", |i| &op_at[..i]).to_owned();
    for holder in [&op_at, &item_at] {
        let Some(list) = side
            .node(holder)
            .and_then(|n| side.document.referred(n).get("parameters"))
        else {
            continue;
        };
        for (i, param) in list.as_seq().unwrap_or_default().iter().enumerate() {
            let param = side.document.referred(param);
            let field = |key: &str| param.get(key).and_then(Node::as_str);
            if field("name") == Some(&p.wire_name) && field("in") == Some(p.location.as_str()) {
                return format!("{holder}/parameters/{i}");
            }
        }
    }
    op_at
}
