//! Paths and operations -> groups of client methods.

use super::context::{escape_segment, Ctx};
use super::schema::Schemas;
use crate::diagnostics::Loc;
use crate::ir::{
    BodyEncoding, ClientHeader, Group, Method, Operation, Output, ParamLocation, Parameter,
    QueryStyle, RequestBody, Response, StatusBody, StatusEnum, StatusVariant, TypeRef, Usage,
};
use crate::load::Node;
use crate::naming;
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

/// Headers OpenAPI says to ignore as parameters: they come from `content` and `security`.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

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
            let Some(tag) = tag else {
                let mut operation = operation;
                // Untagged operations are methods of the client, next to its own methods and
                // the group accessors.
                operation.name = naming::unique(operation.name, &mut names.methods);
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
            out.groups[index].operations.push(operation);
        }
    }
    name_params_types(&mut out, schemas);
    out
}

/// `{Group}{Method}Params` for each operation with query, header or cookie parameters: unique
/// among themselves, and never a type's name, which `params.rs` imports.
fn name_params_types(out: &mut Operations, schemas: &Schemas) {
    let mut taken: BTreeSet<String> = schemas.types.keys().cloned().collect();
    let root = out.root.iter_mut().map(|op| ("", op));
    let grouped = out
        .groups
        .iter_mut()
        .flat_map(|g| g.operations.iter_mut().map(|op| (g.type_name.as_str(), op)));
    for (group, op) in root.chain(grouped) {
        if op.params.iter().any(|p| p.location != ParamLocation::Path) {
            let name = format!("{group}{}Params", naming::camel(&op.name));
            op.params_type = Some(naming::unique(name, &mut taken));
        }
    }
}

/// Fields and methods of the generated `ClientBuilder`, which a header's setter must not take.
const BUILDER_NAMES: &[&str] = &[
    "credential",
    "token",
    "basic_auth",
    "api_key",
    "region",
    "base_url",
    "timeout",
    "retry",
    "user_agent",
    "http_client",
    "clock",
    "build",
];

/// Methods of the generated `Client` itself, which neither group accessors nor untagged
/// operations may take.
const CLIENT_METHODS: &[&str] = &["builder", "base_url"];

/// Methods of traits `Client` and the group structs implement (`Clone`, `Copy`, `Debug` and
/// the blanket `Into`, `Borrow`, `ToOwned`, `Any`), which an operation named like them would
/// shadow, and the names clippy's `should_implement_trait` reserves for std's traits.
const TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Types the generated crate defines or re-exports at its root, which neither group structs
/// nor schema types may take.
pub(crate) const CRATE_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Region",
    "Error",
    "ApiError",
    "ValidationError",
    "ValidationErrors",
];

/// The accessor method and struct name of each group (an operation's first tag), decided
/// once from the document so schema types can avoid the struct names: tags that differ only
/// in case, or are empty or unspellable, still get distinct, valid names.
pub(crate) struct GroupNames {
    /// (tag, accessor, type name), in the order tags first appear under `paths`.
    pub groups: Vec<(String, String, String)>,
    /// The client's methods so far: its own, the accessors, untagged operations.
    methods: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl GroupNames {
    pub(crate) fn new(doc: &crate::load::Document) -> GroupNames {
        let mut names = GroupNames {
            groups: Vec::new(),
            methods: CLIENT_METHODS
                .iter()
                .chain(TRAIT_METHODS)
                .map(|m| (*m).to_owned())
                .collect(),
            types: CRATE_TYPES.iter().map(|t| (*t).to_owned()).collect(),
        };
        let tags: Vec<String> = doc
            .root
            .get("paths")
            .and_then(Node::entries)
            .unwrap_or_default()
            .iter()
            .flat_map(|(_, item)| doc.referred(item).entries().unwrap_or_default())
            .filter_map(|(_, op)| doc.referred(op).get("tags")?.as_seq()?.first()?.as_str())
            .map(str::to_owned)
            .collect();
        for tag in tags {
            names.get(&tag);
        }
        names
    }

    /// The names of `tag`'s group, made on first use.
    pub(crate) fn get(&mut self, tag: &str) -> (String, String) {
        if let Some((_, accessor, type_name)) = self.groups.iter().find(|(t, _, _)| t == tag) {
            return (accessor.clone(), type_name.clone());
        }
        let accessor = naming::unique(naming::snake(tag), &mut self.methods);
        let type_name = naming::unique(naming::camel(tag), &mut self.types);
        self.groups
            .push((tag.to_owned(), accessor.clone(), type_name.clone()));
        (accessor, type_name)
    }
}

fn group(cx: &mut Ctx<'_>, tag: &str, accessor: String, type_name: String) -> Group {
    let declared = cx
        .doc
        .root
        .get("tags")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let docs = declared
        .iter()
        .find(|t| t.get("name").and_then(Node::as_str) == Some(tag))
        .and_then(|t| cx.opt_str(t, "description"))
        .map(|d| d.trim().to_owned());
    Group {
        accessor,
        type_name,
        docs,
        operations: Vec::new(),
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
        .map(str::to_owned);
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
    let (success, output, errors, accept) = responses(cx, schemas, out, op, pointer, &hint)?;
    let accept = accept_parameter.unwrap_or(accept);
    let name = match &tag {
        Some(tag) => method_name(&operation_id, tag),
        None => naming::snake(&operation_id),
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
    };
    Some((tag, operation))
}

/// The one media type an `Accept` header parameter allows (`enum` of one, `const`, or else its
/// `default`), which the client then sends as its `Accept`. Real specs declare the header this
/// way when the response has no `content` saying it (Intercom's export download).
fn declared_accept(doc: &crate::load::Document, param: &Node) -> Option<String> {
    let param = doc.referred(param);
    let is_accept = param.get("in").and_then(Node::as_str) == Some("header")
        && param
            .get("name")
            .and_then(Node::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("accept"));
    if !is_accept {
        return None;
    }
    let schema = param.get("schema")?;
    let value = match (
        schema.get("enum").and_then(Node::as_seq),
        schema.get("const"),
    ) {
        (Some([only]), _) => only.as_str(),
        (_, Some(constant)) => constant.as_str(),
        _ => schema.get("default").and_then(Node::as_str),
    }?;
    let valid = !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    valid.then(|| value.to_owned())
}

/// The Rust name of the path parameter `name`, taken in `names`: path parameters are arguments
/// of the method, next to `body` and `params`.
fn path_argument(name: &str, names: &mut BTreeSet<String>) -> String {
    let mut arguments = names.clone();
    arguments.extend(["body".to_owned(), "params".to_owned()]);
    let rust_name = naming::unique(naming::snake(name), &mut arguments);
    names.insert(rust_name.clone());
    rust_name
}

/// Every `{name}` of the template must be a path parameter, and every path parameter in the
/// template. A template variable nobody declares has one obvious repair, which real specs need
/// (Intercom's own, among others): a required string path parameter, with a warning.
fn check_path_template(
    cx: &mut Ctx<'_>,
    item: &Node,
    op: &Node,
    path: &str,
    params: &mut Vec<Parameter>,
    names: &mut BTreeSet<String>,
) {
    let in_template: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    for name in &in_template {
        if params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire_name == *name)
        {
            continue;
        }
        if name.is_empty() || name.contains(['/', '{', '?', '#']) {
            cx.error(
                op,
                format!("the path `{path}` has `{{{name}}}`, which cannot name a path parameter"),
                "write the variable as `{name}`, with a name made of letters, digits, `_` or `-`",
            );
            continue;
        }
        cx.warning(
            op,
            format!("the path `{path}` has `{{{name}}}`, but the operation declares no path parameter `{name}`; it is taken as a required string parameter"),
            format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`"),
        );
        params.push(Parameter {
            name: path_argument(name, names),
            wire_name: (*name).to_owned(),
            location: ParamLocation::Path,
            style: QueryStyle::Simple { explode: false },
            ty: TypeRef::String,
            required: true,
            docs: None,
            constraints: Vec::new(),
        });
    }
    for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !in_template.contains(&param.wire_name.as_str()) {
            // Point at the declaration itself when it is written inline.
            let declared = [op, item]
                .into_iter()
                .filter_map(|n| n.get("parameters")?.as_seq())
                .flatten()
                .find(|p| p.get("name").and_then(Node::as_str) == Some(param.wire_name.as_str()))
                .unwrap_or(op);
            cx.error(
                declared,
                format!(
                    "the path parameter `{}` does not appear in the path `{path}`",
                    param.wire_name
                ),
                format!(
                    "add `{{{}}}` to the path, or declare the parameter `in: query`",
                    param.wire_name
                ),
            );
        }
    }
}

/// The method's name: the operation id in snake_case without the words of its group
/// (`createMessage` in `Messages` -> `create`), unless nothing would be left.
fn method_name(operation_id: &str, tag: &str) -> String {
    let full = naming::snake(operation_id);
    let tag_words: Vec<String> = naming::snake(tag).split('_').map(str::to_owned).collect();
    let is_tag_word = |w: &str| {
        tag_words
            .iter()
            .any(|t| t == w || t.strip_suffix('s') == Some(w) || w.strip_suffix('s') == Some(t))
    };
    let kept: Vec<&str> = full.split('_').filter(|w| !is_tag_word(w)).collect();
    if kept.is_empty() {
        full
    } else {
        naming::snake(&kept.join("_"))
    }
}

#[allow(clippy::too_many_arguments)] // One call site; a struct for these would only rename them.
fn parameter(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    param: &Node,
    pointer: &str,
    hint: &str,
    names: &mut BTreeSet<String>,
) -> Option<Parameter> {
    let (param, pointer) = cx.deref(param, pointer)?;
    let name = cx.req_str(param, "name", "a parameter")?;
    let location = cx.opt_str(param, "in").unwrap_or_default();
    if location == "header" && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        match declared_accept(cx.doc, param) {
            Some(value) => cx.warning(
                param,
                format!("the `{name}` header parameter is not a parameter (OpenAPI derives the header from `content`); its one value `{value}` is sent as the `Accept` header"),
                "declare the response's `content` with that media type, and remove the parameter",
            ),
            None => cx.warning(
                param,
                format!("the `{name}` header parameter is ignored"),
                "OpenAPI derives this header from `content` and `security`; remove the parameter",
            ),
        }
        return None;
    }
    let default = param
        .get("schema")
        .and_then(|s| s.get("default"))
        .and_then(|d| match &d.value {
            crate::load::Value::Str(s) => Some(s.clone()),
            crate::load::Value::Int(i) => Some(i.to_string()),
            _ => None,
        });
    let location = match location {
        "path" => ParamLocation::Path,
        "query" => ParamLocation::Query,
        "header" => ParamLocation::Header,
        "cookie" => ParamLocation::Cookie,
        other => {
            cx.error(
                param,
                format!("`in: {other}` is not a parameter location"),
                "use path, query, header or cookie",
            );
            return None;
        }
    };
    if let (ParamLocation::Header, Some(default)) = (location, &default) {
        // A header with a default (an API version) is set once, on the client's builder.
        if !out
            .client_headers
            .iter()
            .any(|h| h.wire_name.eq_ignore_ascii_case(name))
        {
            let docs = cx.docs(param);
            // The setter sits on the builder, next to its own settings and the other headers.
            let mut taken: BTreeSet<String> = BUILDER_NAMES
                .iter()
                .map(|n| (*n).to_owned())
                .chain(out.client_headers.iter().map(|h| h.method.clone()))
                .collect();
            out.client_headers.push(ClientHeader {
                wire_name: name.to_owned(),
                method: naming::unique(naming::snake(name), &mut taken),
                default: default.clone(),
                docs,
            });
        }
        return None;
    }
    let (ty, constraints) = match param.get("schema") {
        Some(schema) => {
            let field_hint = format!("{hint}{}", naming::camel(name));
            let shape = schemas.shape(cx, schema, &format!("{pointer}/schema"), &field_hint)?;
            let mut constraints = shape.constraints;
            constraints.extend(shape.constant.map(crate::ir::Constraint::Const));
            (shape.ty.unwrap_or(TypeRef::Any), constraints)
        }
        None if param.get("content").is_some() => {
            cx.degrade(param, "a parameter described by `content`");
            (TypeRef::Any, Vec::new())
        }
        None => (TypeRef::String, Vec::new()),
    };
    out.uses.push((
        ty.clone(),
        Usage {
            request: true,
            response: false,
        },
    ));
    let style_name = cx.opt_str(param, "style");
    // `explode` defaults to true for `form` (the default style of query and cookie
    // parameters), false otherwise.
    let form_by_default = matches!(location, ParamLocation::Query | ParamLocation::Cookie);
    let explode = match param.get("explode") {
        Some(_) => cx.flag(param, "explode"),
        None => match style_name {
            Some(style) => style == "form",
            None => form_by_default,
        },
    };
    // The styles each location has, the first being what the client writes.
    let implemented: &[&str] = match location {
        ParamLocation::Path => &["simple", "label", "matrix"],
        ParamLocation::Header => &["simple"],
        ParamLocation::Query => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        ParamLocation::Cookie => &["form"],
    };
    if let Some(style) = style_name.filter(|s| !implemented.contains(s)) {
        let at = param.get("style").unwrap_or(param);
        cx.warning(
            at,
            format!(
                "`style: {style}` is not implemented for {} parameters; `{name}` is written in the `{}` style",
                location.as_str(),
                implemented[0]
            ),
            format!("use one of: {}", implemented.join(", ")),
        );
    }
    let style = match (location, style_name) {
        (ParamLocation::Path, Some("label")) => QueryStyle::Label { explode },
        (ParamLocation::Path, Some("matrix")) => QueryStyle::Matrix { explode },
        (ParamLocation::Path, _) => QueryStyle::Simple { explode },
        (_, style_name) => match style_name {
            Some("deepObject") => QueryStyle::DeepObject,
            Some("spaceDelimited") => QueryStyle::SpaceDelimited,
            Some("pipeDelimited") => QueryStyle::PipeDelimited,
            _ => QueryStyle::Form { explode },
        },
    };
    let required = location == ParamLocation::Path || cx.flag(param, "required");
    let rust_name = if location == ParamLocation::Path {
        path_argument(name, names)
    } else {
        naming::unique(naming::snake(name), names)
    };
    Some(Parameter {
        name: rust_name,
        wire_name: name.to_owned(),
        location,
        style,
        ty,
        required,
        docs: cx.docs(param),
        constraints,
    })
}

fn request_body(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    body: &Node,
    pointer: &str,
    hint: &str,
) -> Option<RequestBody> {
    let (body, pointer) = cx.deref(body, pointer)?;
    let required = cx.flag(body, "required");
    let (media_type, schema) = content(cx, body)?;
    let encoding = match classify(&media_type) {
        Media::Json => BodyEncoding::Json,
        Media::Form => BodyEncoding::Form,
        Media::Text | Media::Other => BodyEncoding::Bytes,
    };
    let ty = match (encoding, schema) {
        (BodyEncoding::Bytes, _) => TypeRef::Any,
        (_, None) => {
            cx.warning(
                body,
                format!("the `{media_type}` request body has no `schema`; it is sent as a `serde_json::Value`"),
                "add a `schema` to the media type",
            );
            TypeRef::Any
        }
        (_, Some(schema)) => {
            let shape = schemas.shape(
                cx,
                schema,
                &format!("{pointer}/content/{}/schema", escape_segment(&media_type)),
                &format!("{hint}Request"),
            )?;
            shape.ty.unwrap_or(TypeRef::Any).or_null(shape.nullable)
        }
    };
    Some(RequestBody {
        media_type,
        encoding,
        ty,
        required,
    })
}

/// What kind of body a media type is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    Json,
    Form,
    Text,
    Other,
}

fn classify(media_type: &str) -> Media {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        Media::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Media::Form
    } else if essence.starts_with("text/") {
        Media::Text
    } else {
        Media::Other
    }
}

/// The preferred media type of a `content` map (JSON first, then form, then the first listed)
/// and its schema.
fn content<'n>(cx: &mut Ctx<'_>, holder: &'n Node) -> Option<(String, Option<&'n Node>)> {
    let content = holder.get("content")?;
    let entries = cx.map(content, "`content`")?.entries().unwrap_or_default();
    let rank = |key: &str| match classify(key) {
        Media::Json => 0,
        Media::Form => 1,
        Media::Text => 2,
        Media::Other => 3,
    };
    let (key, media) = entries.iter().min_by_key(|(k, _)| rank(&k.name))?;
    Some((key.name.clone(), media.get("schema")))
}

type Responses = (Response, Output, Vec<Response>, String);

fn responses(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    op: &Node,
    pointer: &str,
    hint: &str,
) -> Option<Responses> {
    let Some(responses) = op.get("responses") else {
        // OpenAPI 3.1 makes `responses` optional; nothing is known about the answer.
        cx.warning(
            op,
            "the operation has no `responses`; its answer is kept as JSON",
            "declare at least the successful response",
        );
        let any = Response {
            status: 200,
            docs: None,
            ty: Some(TypeRef::Any),
        };
        return Some((
            any,
            Output::Json(TypeRef::Any),
            Vec::new(),
            "application/json".to_owned(),
        ));
    };
    let entries = cx
        .map(responses, "`responses`")?
        .entries()
        .unwrap_or_default();
    // Several success statuses with bodies: each inline body is named after its status
    // (`StartJobAccepted`), leaving `<Operation>Response` to the enum of them.
    let bodies_by_status = entries
        .iter()
        .filter(|(key, response)| key.name.starts_with('2') && response.get("content").is_some())
        .count();
    let mut successes: Vec<(Response, Option<Media>)> = Vec::new();
    let mut default: Option<Response> = None;
    let mut errors = Vec::new();
    let mut accept: Option<String> = None;
    for (key, response) in entries {
        let response_pointer = format!("{pointer}/responses/{}", escape_segment(&key.name));
        let Some((response, response_pointer)) = cx.deref(response, &response_pointer) else {
            continue;
        };
        let status = match key.name.as_str() {
            "default" => None,
            s => {
                match s.parse::<u16>() {
                    Ok(code) if (100..600).contains(&code) => Some(code),
                    // `2XX`-style ranges: counted as their first code.
                    _ if range_start(s).is_some() => range_start(s),
                    _ => {
                        let at = Node {
                            loc: key.loc,
                            value: crate::load::Value::Null,
                        };
                        cx.warning(
                        &at,
                        format!("the response key `{s}` is not a status code; the response is ignored"),
                        "use a status code, a range like `2XX`, or `default`",
                    );
                        continue;
                    }
                }
            }
        };
        let body = content(cx, response);
        let media = body.as_ref().map(|(media_type, _)| classify(media_type));
        let ty = match &body {
            Some((media_type, schema)) if classify(media_type) == Media::Json => {
                let schema_pointer = format!(
                    "{response_pointer}/content/{}/schema",
                    escape_segment(media_type)
                );
                match schema {
                    Some(schema) => {
                        let name = match status {
                            Some(code) if bodies_by_status > 1 && (200..300).contains(&code) => {
                                format!("{hint}{}", status_name(code))
                            }
                            _ => format!("{hint}Response"),
                        };
                        let shape = schemas.shape(cx, schema, &schema_pointer, &name)?;
                        Some(shape.ty.unwrap_or(TypeRef::Any).or_null(shape.nullable))
                    }
                    None => {
                        cx.warning(
                            response,
                            format!("the `{media_type}` response has no `schema`; its body is kept as `serde_json::Value`"),
                            "add a `schema` to the media type",
                        );
                        Some(TypeRef::Any)
                    }
                }
            }
            _ => None,
        };
        let docs = cx
            .opt_str(response, "description")
            .map(|d| d.trim().to_owned());
        if let Some(ty) = &ty {
            out.uses.push((
                ty.clone(),
                Usage {
                    request: false,
                    response: true,
                },
            ));
        }
        let declared = Response {
            status: status.unwrap_or(0),
            docs,
            ty,
        };
        match status {
            Some(code) if (200..300).contains(&code) => {
                if let (None, Some((media_type, _))) = (&accept, &body) {
                    accept = Some(media_type.clone());
                }
                successes.push((declared, media));
            }
            Some(_) => {
                if let Some(ty) = &declared.ty {
                    out.error_types.push((ty.clone(), response.loc));
                }
                errors.push(declared);
            }
            None => {
                if let Some(ty) = &declared.ty {
                    out.error_types.push((ty.clone(), response.loc));
                }
                default = Some(declared);
            }
        }
    }
    if successes.is_empty() {
        match default {
            // Only `default`: it describes the success too.
            Some(response) => successes.push((response, None)),
            None => {
                cx.warning(
                    responses,
                    "the operation declares no successful (2xx) response; its body is kept as JSON",
                    "add e.g. `\"200\":` with the response body",
                );
                successes.push((
                    Response {
                        status: 200,
                        docs: None,
                        ty: Some(TypeRef::Any),
                    },
                    Some(Media::Json),
                ));
            }
        }
    }
    let output = output(cx, schemas, responses, &successes, hint);
    let accept = accept.unwrap_or_else(|| "application/json".to_owned());
    let first = successes.swap_remove(0).0;
    Some((first, output, errors, accept))
}

/// The first code of a status range key (`2XX` -> 200).
fn range_start(key: &str) -> Option<u16> {
    let rest = key.get(1..)?;
    if !rest.eq_ignore_ascii_case("xx") {
        return None;
    }
    let digit = key.get(..1)?.parse::<u16>().ok()?;
    (1..=5).contains(&digit).then_some(digit * 100)
}

/// What the successful responses amount to: one JSON type (or none), text or bytes; or, when
/// statuses differ in kind or type, an enum with a variant per status.
fn output(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    at: &Node,
    successes: &[(Response, Option<Media>)],
    hint: &str,
) -> Output {
    let mut json: Option<&TypeRef> = None;
    let mut empty = false;
    let mut raw: Option<Media> = None;
    let mut mixed = false;
    for (response, media) in successes {
        match (media, &response.ty) {
            (None, _) => empty = true,
            (Some(Media::Json), Some(ty)) => match json {
                Some(seen) if seen != ty => mixed = true,
                _ => json = Some(ty),
            },
            (Some(media), _) => {
                mixed |= raw.is_some_and(|r| r != *media);
                raw = Some(*media);
            }
        }
    }
    if mixed || (json.is_some() && raw.is_some()) {
        return by_status(cx, schemas, at, successes, hint);
    }
    match (json, raw) {
        (Some(ty), None) if empty => Output::JsonOrEmpty(ty.clone()),
        (Some(ty), _) => Output::Json(ty.clone()),
        (None, Some(Media::Text)) => Output::Text,
        (None, Some(_)) => Output::Bytes,
        (None, None) => Output::Empty,
    }
}

/// An enum of the success responses, one variant per status.
fn by_status(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    at: &Node,
    successes: &[(Response, Option<Media>)],
    hint: &str,
) -> Output {
    let mut taken = BTreeSet::new();
    let mut variants: Vec<StatusVariant> = Vec::new();
    for (response, media) in successes {
        if variants.iter().any(|v| v.status == response.status) {
            // `200` and `2XX` both: the exact code wins.
            cx.warning(
                at,
                format!(
                    "two success responses both count as status {}; the first is used",
                    response.status
                ),
                "declare each status once",
            );
            continue;
        }
        let body = match (media, &response.ty) {
            (Some(Media::Json), Some(ty)) => StatusBody::Json(ty.clone()),
            (Some(Media::Text), _) => StatusBody::Text,
            (None, _) => StatusBody::Empty,
            (Some(_), _) => StatusBody::Bytes,
        };
        variants.push(StatusVariant {
            status: response.status,
            name: naming::unique(status_name(response.status), &mut taken),
            docs: response.docs.clone().filter(|d| !d.is_empty()),
            body,
        });
    }
    Output::ByStatus(StatusEnum {
        name: schemas.new_type(&format!("{hint}Response")),
        variants,
    })
}

/// The variant name of a success status: its reason phrase, or `Status<code>`.
fn status_name(status: u16) -> String {
    match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => return format!("Status{status}"),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::method_name;

    #[test]
    fn method_names_drop_the_group_words() {
        assert_eq!(method_name("createMessage", "Messages"), "create");
        assert_eq!(method_name("listContacts", "Contacts"), "list");
        assert_eq!(method_name("messages", "Messages"), "messages");
        assert_eq!(method_name("getDataAttributes", "Data Attributes"), "get");
        assert_eq!(method_name("sendEmail", "Messages"), "send_email");
    }
}
