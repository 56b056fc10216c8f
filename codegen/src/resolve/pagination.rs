//! Which list operations page, and how (issue 15): detected from the spec where the pattern is
//! unambiguous, each with a note naming the rule that matched, or declared with the
//! `x-pagination` extension. Runs after the types are final, so the paths into a page are the
//! generated structs' fields.
//!
//! The rules, tried in this order on a `GET` without a body whose success body is a struct:
//!
//! - `intercom-cursor`: the page has `pages.next.starting_after` and the operation a
//!   `starting_after` query parameter (Intercom's cursor pages).
//! - `next-cursor`: the page has `next_cursor` (at the top or one object down) and the
//!   operation a `cursor` query parameter; or `next_page_token` / `nextPageToken` and a
//!   `page_token` / `pageToken` parameter.
//! - `link-header`: a success response declares a `Link` header (GitHub's pages).
//! - `page-number`: the operation has an integer `page` query parameter and the page a
//!   `total_pages` integer (at the top or one object down).
//! - `intercom-cursor-implied`: the page has `pages.next.starting_after`, the operation no
//!   `starting_after` parameter (Intercom's spec leaves it out of most list operations) and no
//!   other way to page (`page`, `scroll_param`, `offset`, `cursor`): the cursor is sent as
//!   `starting_after` all the same.
//!
//! And on a `POST` whose JSON body is a struct (a search):
//!
//! - `intercom-search-cursor`: the page has `pages.next.starting_after` and the request body
//!   `pagination.starting_after` (Intercom's search operations): the cursor goes back there.
//!
//! A page's items are its one list field, or, among several, the one called `data`, `items`
//! or `results`. `x-pagination: false` turns detection off for an operation.

use super::context::Ctx;
use crate::ir::{
    Field, FieldPath, FieldStep, Method, Operation, Output, PageStyle, Pagination, ParamLocation,
    TypeDef, TypeKind, TypeRef,
};
use crate::load::{lookup, Node, Value};
use std::collections::BTreeMap;

/// What `x-pagination` may hold, for the help of its diagnostics.
const EXTENSION_HELP: &str = "write `x-pagination: {style: cursor, param: starting_after, next: /pages/next/starting_after, items: /data}` (style `cursor`, `link`, `page` or `offset`; `total` for `page` and `offset`; `first` for `page`; for a cursor that goes in the JSON request body, `body: /pointer` instead of `param`), or `x-pagination: false` to turn detection off";

/// Finds the paging of every operation in `ops`, the operations of one group (or the
/// client's own).
pub(super) fn detect(cx: &mut Ctx<'_>, types: &BTreeMap<String, TypeDef>, ops: &mut [Operation]) {
    let names: Vec<String> = ops.iter().map(|op| op.name.clone()).collect();
    for op in ops.iter_mut() {
        let root = cx.doc.file_root(op.origin.loc.file);
        let Some(node) = lookup(root, &op.origin.pointer).map(|n| cx.doc.referred(n)) else {
            continue;
        };
        let found = match node.get("x-pagination") {
            Some(Node {
                value: Value::Bool(false),
                ..
            }) => None,
            Some(extension) => {
                let found = declared(cx, types, op, extension);
                if let Some(found) = &found {
                    cx.note(
                        extension,
                        format!(
                            "operation `{}` pages by rule `x-pagination`: `{}()` as declared",
                            op.operation_id, found.method
                        ),
                        "`x-pagination: false` turns it off",
                    );
                }
                found
            }
            None => detected(cx, types, op, node),
        };
        op.pagination = match found {
            Some(found) if names.contains(&found.method) => {
                cx.warning(
                    node,
                    format!(
                        "operation `{}` pages, but its page stream's method `{}` is the name of another operation",
                        op.operation_id, found.method
                    ),
                    "rename one of the operations (`operationId`); this one gets no page stream",
                );
                None
            }
            found => found,
        };
    }
}

/// The page's struct: the operation's JSON output, when it is a named struct.
fn page_type<'t>(types: &'t BTreeMap<String, TypeDef>, op: &Operation) -> Option<&'t str> {
    let Output::Json(TypeRef::Named(name)) = &op.output else {
        return None;
    };
    let (name, def) = types.get_key_value(name)?;
    matches!(def.kind, TypeKind::Struct(_)).then_some(name.as_str())
}

fn fields<'t>(types: &'t BTreeMap<String, TypeDef>, name: &str) -> &'t [Field] {
    match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => &s.fields,
        _ => &[],
    }
}

fn step(field: &Field) -> FieldStep {
    let options = match (field.required, field.nullable) {
        (true, false) => 0,
        (false, true) if field.explicit_null => 2,
        _ => 1,
    };
    FieldStep {
        name: field.name.clone(),
        options,
    }
}

/// The path to the property at `wire` (wire names) in the struct `page`, through structs only.
fn path(types: &BTreeMap<String, TypeDef>, page: &str, wire: &[&str]) -> Option<FieldPath> {
    let mut current = page;
    let mut steps = Vec::new();
    for (i, name) in wire.iter().enumerate() {
        let field = fields(types, current)
            .iter()
            .find(|f| f.wire_name == *name)?;
        steps.push(step(field));
        if i + 1 == wire.len() {
            return Some(FieldPath {
                steps,
                ty: field.ty.clone(),
            });
        }
        let TypeRef::Named(next) = &field.ty else {
            return None;
        };
        current = next;
    }
    None
}

/// The property called `name` at the top of `page` or one struct down.
fn shallow(types: &BTreeMap<String, TypeDef>, page: &str, name: &str) -> Option<FieldPath> {
    if let Some(found) = path(types, page, &[name]) {
        return Some(found);
    }
    fields(types, page).iter().find_map(|f| match &f.ty {
        TypeRef::Named(inner) => path(types, page, &[&f.wire_name, name])
            .filter(|_| fields(types, inner).iter().any(|g| g.wire_name == name)),
        _ => None,
    })
}

/// A cursor: a string or an integer.
fn is_cursor(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Integer(_))
}

/// The page's items: its one list, or the one called `data`, `items` or `results`.
fn items(types: &BTreeMap<String, TypeDef>, page: &str) -> Option<FieldPath> {
    let lists: Vec<&Field> = fields(types, page)
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::List(_)))
        .collect();
    let field = match lists.as_slice() {
        [one] => *one,
        many => *many
            .iter()
            .find(|f| matches!(f.wire_name.as_str(), "data" | "items" | "results"))?,
    };
    let TypeRef::List(item) = &field.ty else {
        return None;
    };
    Some(FieldPath {
        steps: vec![step(field)],
        ty: (**item).clone(),
    })
}

/// The query parameter of `op` called one of `names`, as its wire name.
fn query_param(op: &Operation, names: &[&str]) -> Option<String> {
    op.params
        .iter()
        .find(|p| p.location == ParamLocation::Query && names.contains(&p.wire_name.as_str()))
        .map(|p| p.wire_name.clone())
}

fn detected(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    op: &Operation,
    node: &Node,
) -> Option<Pagination> {
    if op.method == Method::Post {
        return search(cx, types, op, node);
    }
    if op.method != Method::Get || op.body.is_some() {
        return None;
    }
    let page = page_type(types, op)?;
    let mut found: Option<(&str, PageStyle)> = None;
    if let (Some(param), Some(next)) = (
        query_param(op, &["starting_after"]),
        path(types, page, &["pages", "next", "starting_after"]).filter(|p| is_cursor(&p.ty)),
    ) {
        found = Some(("intercom-cursor", PageStyle::Cursor { param, next }));
    }
    if found.is_none() {
        for (field, params) in [
            ("next_cursor", &["cursor"][..]),
            ("next_page_token", &["page_token"][..]),
            ("nextPageToken", &["pageToken"][..]),
        ] {
            if let (Some(param), Some(next)) = (
                query_param(op, params),
                shallow(types, page, field).filter(|p| is_cursor(&p.ty)),
            ) {
                found = Some(("next-cursor", PageStyle::Cursor { param, next }));
                break;
            }
        }
    }
    if found.is_none() && declares_link(cx, node) {
        found = Some(("link-header", PageStyle::Link));
    }
    let items = items(types, page);
    if found.is_none() && items.is_some() {
        let page_param = op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == "page"
                && matches!(p.ty, TypeRef::Integer(_))
        });
        let total =
            shallow(types, page, "total_pages").filter(|p| matches!(p.ty, TypeRef::Integer(_)));
        if let (Some(param), Some(total)) = (page_param, total) {
            found = Some((
                "page-number",
                PageStyle::PageNumber {
                    param: param.wire_name.clone(),
                    first: 1,
                    total_pages: Some(total),
                },
            ));
        }
    }
    // Intercom's spec gives most list operations `pages.next.starting_after` in the body but
    // leaves the `starting_after` parameter out: the body names the convention, so the cursor
    // is sent as `starting_after` all the same, unless the operation declares another way to
    // page (a page number, a scroll parameter, an offset or another cursor).
    let mut implied = false;
    if found.is_none() && query_param(op, &["page", "scroll_param", "offset", "cursor"]).is_none() {
        if let Some(next) =
            path(types, page, &["pages", "next", "starting_after"]).filter(|p| is_cursor(&p.ty))
        {
            implied = true;
            found = Some((
                "intercom-cursor-implied",
                PageStyle::Cursor {
                    param: "starting_after".to_owned(),
                    next,
                },
            ));
        }
    }
    let (rule, style) = found?;
    let what = match &style {
        PageStyle::Cursor { param, .. } if implied => format!(
            "follows the cursor in the body, sent back as `{param}`, a query parameter the operation does not declare"
        ),
        PageStyle::Cursor { param, .. } => {
            format!("follows the cursor in the body, sent back as `{param}`")
        }
        PageStyle::BodyCursor { pointer, .. } => format!(
            "follows the cursor in the body, sent back in the request body at `{pointer}`"
        ),
        PageStyle::Link => "follows the `Link: <..>; rel=\"next\"` header".to_owned(),
        PageStyle::PageNumber { param, .. } => format!("counts pages in `{param}`"),
        PageStyle::Offset { param, .. } => format!("advances the offset `{param}`"),
    };
    Some(noted(cx, node, op, rule, &what, style, items))
}

/// The paging a rule found, with the note that names the rule and says `what` it does.
fn noted(
    cx: &mut Ctx<'_>,
    node: &Node,
    op: &Operation,
    rule: &str,
    what: &str,
    style: PageStyle,
    items: Option<FieldPath>,
) -> Pagination {
    let items_note = match &items {
        Some(items) => format!("items of type {}", items.ty.describe()),
        None => "no single list of items, so `items()` yields none".to_owned(),
    };
    cx.note(
        node,
        format!(
            "operation `{}` pages by rule `{rule}`: `{}_pages()` {what}; {items_note}",
            op.operation_id, op.name
        ),
        "declare `x-pagination` on the operation to change this, or `x-pagination: false` to turn it off",
    );
    Pagination {
        method: format!("{}_pages", op.name),
        style,
        items,
        rule: rule.to_owned(),
    }
}

/// Intercom's search operations: a `POST` whose JSON body has `pagination.starting_after` and
/// whose page has `pages.next.starting_after`.
fn search(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    op: &Operation,
    node: &Node,
) -> Option<Pagination> {
    let body = op.body.as_ref()?;
    let TypeRef::Named(request) = &body.ty else {
        return None;
    };
    // An optional body (Intercom's searches have one) gets one for the pages after the first.
    if body.encoding != crate::ir::BodyEncoding::Json {
        return None;
    }
    path(types, request, &["pagination", "starting_after"]).filter(|p| match &p.ty {
        TypeRef::Nullable(inner) => is_cursor(inner),
        other => is_cursor(other),
    })?;
    let page = page_type(types, op)?;
    let next =
        path(types, page, &["pages", "next", "starting_after"]).filter(|p| is_cursor(&p.ty))?;
    let items = items(types, page);
    let pointer = "/pagination/starting_after".to_owned();
    let what =
        format!("follows the cursor in the body, sent back in the request body at `{pointer}`");
    let style = PageStyle::BodyCursor { pointer, next };
    Some(noted(
        cx,
        node,
        op,
        "intercom-search-cursor",
        &what,
        style,
        items,
    ))
}

/// Whether a success response of the operation declares a `Link` header.
fn declares_link(cx: &Ctx<'_>, node: &Node) -> bool {
    let Some(responses) = node.get("responses").and_then(Node::entries) else {
        return false;
    };
    responses
        .iter()
        .filter(|(status, _)| status.name.starts_with('2'))
        .any(|(_, response)| {
            cx.doc
                .referred(response)
                .get("headers")
                .and_then(Node::entries)
                .is_some_and(|headers| {
                    headers
                        .iter()
                        .any(|(name, _)| name.name.eq_ignore_ascii_case("link"))
                })
        })
}

/// A path in `x-pagination`: a JSON pointer into the page (`/pages/next/starting_after`).
fn pointer<'n>(
    cx: &mut Ctx<'_>,
    extension: &'n Node,
    key: &str,
) -> Result<Option<(&'n Node, Vec<String>)>, ()> {
    let Some(node) = extension.get(key) else {
        return Ok(None);
    };
    match node.as_str() {
        Some(text) if text.starts_with('/') && text.len() > 1 => Ok(Some((
            node,
            text[1..]
                .split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect(),
        ))),
        _ => {
            cx.warning(
                node,
                format!("`x-pagination.{key}` must be a JSON pointer into the page, like `/data`; the operation gets no page stream"),
                EXTENSION_HELP,
            );
            Err(())
        }
    }
}

fn declared(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    op: &Operation,
    extension: &Node,
) -> Option<Pagination> {
    let warn = |cx: &mut Ctx<'_>, at: &Node, message: String| {
        cx.warning(
            at,
            format!("{message}; the operation gets no page stream"),
            EXTENSION_HELP,
        );
    };
    if extension.entries().is_none() {
        warn(cx, extension, "`x-pagination` is not a mapping".to_owned());
        return None;
    }
    let Some(page) = page_type(types, op) else {
        warn(
            cx,
            extension,
            format!(
                "`x-pagination` on `{}`, whose success body is not a JSON object",
                op.operation_id
            ),
        );
        return None;
    };
    let style = match extension.get("style").and_then(Node::as_str) {
        Some(style @ ("cursor" | "link" | "page" | "offset")) => style,
        _ => {
            let at = extension.get("style").unwrap_or(extension);
            warn(
                cx,
                at,
                "`x-pagination.style` must be `cursor`, `link`, `page` or `offset`".to_owned(),
            );
            return None;
        }
    };
    let resolve = |cx: &mut Ctx<'_>, key: &str| -> Result<Option<FieldPath>, ()> {
        let Some((node, wire)) = pointer(cx, extension, key)? else {
            return Ok(None);
        };
        let wire: Vec<&str> = wire.iter().map(String::as_str).collect();
        match path(types, page, &wire) {
            Some(found) => Ok(Some(found)),
            None => {
                warn(
                    cx,
                    node,
                    format!("`x-pagination.{key}` names no property of the page type `{page}`"),
                );
                Err(())
            }
        }
    };
    let items = match resolve(cx, "items").ok()? {
        Some(FieldPath {
            steps,
            ty: TypeRef::List(item),
        }) => Some(FieldPath { steps, ty: *item }),
        Some(_) => {
            let at = extension.get("items").unwrap_or(extension);
            warn(cx, at, "`x-pagination.items` must name a list".to_owned());
            return None;
        }
        None => items(types, page),
    };
    // `body`: a cursor that goes back inside the JSON request body, at this pointer.
    let body = match extension.get("body") {
        None => None,
        Some(node) => match node.as_str() {
            Some(pointer) if style == "cursor" && pointer.starts_with('/') => {
                let json_body = op
                    .body
                    .as_ref()
                    .is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Json);
                if !json_body {
                    warn(
                        cx,
                        node,
                        format!(
                            "`x-pagination.body` on `{}`, whose request body is not JSON",
                            op.operation_id
                        ),
                    );
                    return None;
                }
                Some(pointer.to_owned())
            }
            _ => {
                warn(
                    cx,
                    node,
                    "`x-pagination.body` must be a JSON pointer (`/pagination/starting_after`), with style `cursor`"
                        .to_owned(),
                );
                return None;
            }
        },
    };
    let param = match style {
        "link" => None,
        "cursor" if body.is_some() => None,
        _ => {
            let Some(param) = extension.get("param").and_then(Node::as_str) else {
                warn(
                    cx,
                    extension,
                    format!("`x-pagination` of style `{style}` needs `param`, the query parameter"),
                );
                return None;
            };
            if query_param(op, &[param]).is_none() {
                let at = extension.get("param").unwrap_or(extension);
                warn(
                    cx,
                    at,
                    format!(
                        "`{param}` is not a query parameter of `{}`",
                        op.operation_id
                    ),
                );
                return None;
            }
            Some(param.to_owned())
        }
    };
    let integer = |cx: &mut Ctx<'_>, found: Option<FieldPath>, key: &str| match found {
        Some(p) if !matches!(p.ty, TypeRef::Integer(_)) => {
            let at = extension.get(key).unwrap_or(extension);
            warn(cx, at, format!("`x-pagination.{key}` must name an integer"));
            Err(())
        }
        other => Ok(other),
    };
    let style = match (style, param) {
        ("cursor", param) => {
            let Some(next) = resolve(cx, "next").ok()? else {
                warn(
                    cx,
                    extension,
                    "`x-pagination` of style `cursor` needs `next`, the pointer to the next cursor"
                        .to_owned(),
                );
                return None;
            };
            if !is_cursor(&next.ty) {
                let at = extension.get("next").unwrap_or(extension);
                warn(
                    cx,
                    at,
                    "`x-pagination.next` must name a string or an integer".to_owned(),
                );
                return None;
            }
            match (param, body) {
                (Some(param), _) => PageStyle::Cursor { param, next },
                (None, Some(pointer)) => PageStyle::BodyCursor { pointer, next },
                (None, None) => return None,
            }
        }
        ("page", Some(param)) => {
            let total = resolve(cx, "total").ok()?;
            let total_pages = integer(cx, total, "total").ok()?;
            let first = match extension.get("first") {
                None => 1,
                Some(Node {
                    value: Value::Int(n),
                    ..
                }) if *n >= 0 => n.unsigned_abs(),
                Some(other) => {
                    warn(
                        cx,
                        other,
                        "`x-pagination.first` must be a whole number".to_owned(),
                    );
                    return None;
                }
            };
            PageStyle::PageNumber {
                param,
                first,
                total_pages,
            }
        }
        ("offset", Some(param)) => {
            let total = resolve(cx, "total").ok()?;
            let total = integer(cx, total, "total").ok()?;
            if items.is_none() {
                warn(cx, extension, "`x-pagination` of style `offset` needs `items`: the offset advances by their count".to_owned());
                return None;
            }
            PageStyle::Offset { param, total }
        }
        _ => PageStyle::Link,
    };
    Some(Pagination {
        method: format!("{}_pages", op.name),
        style,
        items,
        rule: "x-pagination".to_owned(),
    })
}
