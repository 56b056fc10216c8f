//! Paths and operations -> groups of client methods.
//!
//! This module walks `paths` and makes each operation (`operation`); `names.rs` decides the
//! names of groups, methods and parameter structs, `params.rs` reads parameters (and checks
//! the path template), `content.rs` reads request bodies and responses into each operation's
//! `Output`.

mod content;
mod names;
mod params;

pub(crate) use names::{GroupNames, CRATE_TYPES};

use super::context::{escape_segment, Ctx};
use super::schema::Schemas;
use crate::config::Rename;
use crate::diagnostics::Loc;
use crate::ir::{ClientHeader, Group, Method, Operation, Parameter, TypeRef, Usage};
use crate::load::Node;
use crate::naming;
use content::{request_body, responses};
use names::{group, method_name, name_params_types, tags_of, TRAIT_METHODS};
use params::{check_path_template, declared_accept, parameter};
use std::collections::BTreeSet;

/// What the operations contribute to the API.
pub(crate) struct Operations {
    pub groups: Vec<Group>,
    /// Operations without a tag, on the client itself.
    pub root: Vec<Operation>,
    pub client_headers: Vec<ClientHeader>,
    /// Every type an operation sends or receives, and in which direction.
    pub uses: Vec<(TypeRef, Usage)>,
    /// The body type of every error response, and where it is declared.
    pub error_types: Vec<(TypeRef, Loc)>,
}

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

/// Resolves every operation under `paths`, in spec order.
pub(crate) fn operations(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    mut names: GroupNames,
) -> Operations {
    let mut out = Operations {
        groups: Vec::new(),
        root: Vec::new(),
        client_headers: Vec::new(),
        uses: Vec::new(),
        error_types: Vec::new(),
    };
    let root = &cx.doc.root;
    let Some(paths) = root.get("paths") else {
        // OpenAPI 3.1 allows a document of webhooks or components only.
        cx.warning(
            root,
            "the document has no `paths`, so the client has no operations",
            "add `paths:` with the operations to call",
        );
        return out;
    };
    let Some(paths) = cx.map(paths, "`paths`") else {
        return out;
    };
    let mut method_names: Vec<BTreeSet<String>> = Vec::new();
    // Every tag and operationId in the spec, included or not: what the config may name.
    let mut seen_tags: BTreeSet<String> = BTreeSet::new();
    let mut seen_ids: BTreeSet<String> = BTreeSet::new();
    // Each operationId seen, with the operation ("POST /messages") and where it is.
    let mut operation_ids: std::collections::HashMap<String, (String, Loc)> =
        std::collections::HashMap::new();
    // The tag of each group, in the order of `out.groups`.
    let mut group_tags: Vec<String> = Vec::new();
    for (path, item) in paths.entries().unwrap_or_default() {
        let item_pointer = format!("/paths/{}", escape_segment(&path.name));
        let Some((item, item_pointer)) = cx.deref(item, &item_pointer) else {
            continue;
        };
        if cx.map(item, "a path item").is_none() {
            continue;
        }
        for (key, method) in METHODS {
            let Some(op) = item.get(key) else { continue };
            let op_pointer = format!("{item_pointer}/{key}");
            // An operation may be a `$ref` too (one file per operation).
            let Some((op, op_pointer)) = cx.deref(op, &op_pointer) else {
                continue;
            };
            let Some(op) = cx.map(op, "an operation") else {
                continue;
            };
            let tags = tags_of(op);
            let id = op.get("operationId").and_then(Node::as_str);
            seen_tags.extend(tags.iter().map(|t| (*t).to_owned()));
            seen_ids.extend(id.map(str::to_owned));
            if !cx.config.includes(&tags, id.unwrap_or_default()) {
                continue;
            }
            if let Some(id) = op.get("operationId") {
                let here = format!("{} {}", method.as_str(), path.name);
                if let Some(text) = id.as_str() {
                    match operation_ids.get(text) {
                        Some((first, at)) => {
                            // In another file (one file per operation): name it.
                            let place = if at.file == id.loc.file {
                                format!("line {}", at.line)
                            } else {
                                format!("{} line {}", cx.doc.file_name(at.file), at.line)
                            };
                            cx.error(
                                id,
                                format!(
                                    "operationId `{text}` is already used by `{first}` ({place})"
                                ),
                                "operationIds must be unique in the document; rename one of them",
                            )
                        }
                        None => {
                            operation_ids.insert(text.to_owned(), (here, id.loc));
                        }
                    }
                }
            }
            let Some((tag, operation)) = operation(
                cx,
                schemas,
                &mut out,
                &path.name,
                *method,
                item,
                &item_pointer,
                op,
                &op_pointer,
            ) else {
                continue;
            };
            let renamed = cx.config.method_name(&operation.operation_id).cloned();
            let Some(tag) = tag else {
                let mut operation = operation;
                // Untagged operations are methods of the client, next to its own methods and
                // the group accessors.
                operation.name = naming::unique(operation.name, &mut names.methods);
                check_rename(cx, renamed.as_ref(), &operation.name);
                out.root.push(operation);
                continue;
            };
            let index = match group_tags.iter().position(|t| *t == tag) {
                Some(index) => index,
                None => {
                    let (accessor, type_name) = names.get(&tag);
                    out.groups.push(group(cx, &tag, accessor, type_name));
                    group_tags.push(tag.clone());
                    method_names.push(TRAIT_METHODS.iter().map(|m| (*m).to_owned()).collect());
                    out.groups.len() - 1
                }
            };
            let mut operation = operation;
            operation.name = naming::unique(operation.name, &mut method_names[index]);
            check_rename(cx, renamed.as_ref(), &operation.name);
            out.groups[index].operations.push(operation);
        }
    }
    check_config_matches(cx, &seen_tags, &seen_ids);
    name_params_types(&mut out, schemas, cx.config);
    out
}

/// A renamed method that had to take another name (another method already has it) is an
/// error at the rename: the user's name cannot be honoured as written.
fn check_rename(cx: &mut Ctx<'_>, renamed: Option<&Rename>, name: &str) {
    if let Some(rename) = renamed {
        if rename.to != name {
            cx.diags.error(
                &rename.at.file,
                rename.at.loc,
                format!(
                    "`{}` cannot be renamed to `{}`: the client already has a method of that name",
                    rename.from, rename.to
                ),
                Some("choose another name".to_owned()),
            );
        }
    }
}

/// Every include and operation rename of the config must match something in the spec: a typo
/// would otherwise drop operations or keep a name without a word.
fn check_config_matches(cx: &mut Ctx<'_>, tags: &BTreeSet<String>, ids: &BTreeSet<String>) {
    let config = cx.config;
    let list = |names: &BTreeSet<String>| {
        let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
        let more = if names.len() > 8 { ", ..." } else { "" };
        format!("{}{more}", shown.join(", "))
    };
    for tag in &config.include_tags {
        if !tags.contains(&tag.value) {
            cx.diags.error(
                &tag.at.file,
                tag.at.loc,
                format!("no operation has the tag `{}`", tag.value),
                Some(format!("the spec's tags are: {}", list(tags))),
            );
        }
    }
    let renamed = config.rename_operations.iter().map(|r| (&r.from, &r.at));
    let included = config.include_operations.iter().map(|o| (&o.value, &o.at));
    for (id, at) in included.chain(renamed) {
        if !ids.contains(id) {
            cx.diags.error(
                &at.file,
                at.loc,
                format!("no operation has the operationId `{id}`"),
                Some(format!("the spec's operationIds are: {}", list(ids))),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)] // One call site; a struct for these would only rename them.
fn operation(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    path: &str,
    method: Method,
    item: &Node,
    item_pointer: &str,
    op: &Node,
    pointer: &str,
) -> Option<(Option<String>, Operation)> {
    let operation_id = match cx.opt_str(op, "operationId") {
        Some(id) => id.to_owned(),
        None => format!("{} {}", method.as_str().to_ascii_lowercase(), path),
    };
    let tag = op
        .get("tags")
        .and_then(Node::as_seq)
        .and_then(|t| t.first())
        .and_then(Node::as_str)
        .map(str::to_owned)
        .filter(|_| cx.config.group_by_tag);
    let hint = naming::camel(&operation_id);
    let mut params: Vec<Parameter> = Vec::new();
    let mut names = BTreeSet::new();
    // Operation parameters override path-item ones with the same name and location.
    let declared: Vec<(&Node, String)> = [
        (
            item.get("parameters"),
            "path item",
            format!("{item_pointer}/parameters"),
        ),
        (
            op.get("parameters"),
            "operation",
            format!("{pointer}/parameters"),
        ),
    ]
    .into_iter()
    .filter_map(|(list, at, list_pointer)| {
        let list = list?;
        let what = format!("the {at}'s `parameters`");
        let items = cx.seq(list, &what, "parameters: [...]")?;
        Some(
            items
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{list_pointer}/{i}")))
                .collect::<Vec<_>>(),
        )
    })
    .flatten()
    .collect();
    // The operation's own parameters come last and override the path item's.
    let accept_parameter = declared
        .iter()
        .rev()
        .find_map(|(param, _)| declared_accept(cx.doc, param));
    for (param, param_pointer) in declared {
        let Some(param) = parameter(cx, schemas, out, param, &param_pointer, &hint, &mut names)
        else {
            continue;
        };
        params.retain(|p: &Parameter| {
            !(p.wire_name == param.wire_name && p.location == param.location)
        });
        params.push(param);
    }
    check_path_template(cx, item, op, path, &mut params, &mut names);
    let body = match op.get("requestBody") {
        Some(body) => request_body(cx, schemas, body, &format!("{pointer}/requestBody"), &hint),
        None => None,
    };
    if let Some(body) = &body {
        out.uses.push((
            body.ty.clone(),
            Usage {
                request: true,
                response: false,
            },
        ));
    }
    // A typed multipart form's JSON and text fields are sent too.
    for field in body
        .iter()
        .flat_map(|b| b.form.iter())
        .flat_map(|f| &f.fields)
    {
        if let crate::ir::FormKind::Text(ty)
        | crate::ir::FormKind::TextList(ty)
        | crate::ir::FormKind::Json(ty) = &field.kind
        {
            out.uses.push((
                ty.clone(),
                Usage {
                    request: true,
                    response: false,
                },
            ));
        }
    }
    let (success, output, errors, accept) = responses(cx, schemas, out, op, pointer, &hint)?;
    let accept = accept_parameter.unwrap_or(accept);
    let name = match (cx.config.method_name(&operation_id), &tag) {
        (Some(rename), _) => rename.to.clone(),
        (None, Some(tag)) => method_name(&operation_id, tag),
        (None, None) => naming::snake(&operation_id),
    };
    let operation = Operation {
        name,
        operation_id,
        method,
        path: path.to_owned(),
        docs: cx.docs(op),
        deprecated: cx.flag(op, "deprecated"),
        params,
        body,
        accept,
        output,
        success,
        errors,
        origin: cx.origin(op, pointer),
        params_type: None,
        examples: Vec::new(),
        security: op.get("security").map(crate::resolve::requirement),
        pagination: None,
        multipart: None,
    };
    Some((tag, operation))
}
