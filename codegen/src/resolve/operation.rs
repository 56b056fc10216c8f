//! Paths and operations -> groups of client methods.

use super::context::{escape_segment, Ctx};
use super::schema::Schemas;
use crate::diagnostics::Loc;
use crate::ir::{ClientHeader, Group, Method, Operation, RequestBody, Response, TypeRef, Usage};
use crate::load::Node;
use crate::naming;
use std::collections::BTreeSet;

/// What the operations contribute to the API.
pub(crate) struct Operations {
    pub groups: Vec<Group>,
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
pub(crate) fn operations(cx: &mut Ctx<'_>, schemas: &mut Schemas) -> Operations {
    let mut out = Operations {
        groups: Vec::new(),
        client_headers: Vec::new(),
        uses: Vec::new(),
        error_types: Vec::new(),
    };
    let root = &cx.doc.root;
    let Some(paths) = root.get("paths") else {
        cx.error(
            root,
            "the document has no `paths`",
            "add `paths:` with at least one operation",
        );
        return out;
    };
    let Some(paths) = cx.map(paths, "`paths`") else {
        return out;
    };
    let mut accessors = BTreeSet::new();
    let mut method_names: Vec<BTreeSet<String>> = Vec::new();
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
            let Some(op) = cx.map(op, "an operation") else {
                continue;
            };
            let Some((tag, operation)) = operation(
                cx,
                schemas,
                &mut out,
                &path.name,
                *method,
                item,
                op,
                &op_pointer,
            ) else {
                continue;
            };
            let index = match out
                .groups
                .iter()
                .position(|g| g.accessor == naming::snake(&tag))
            {
                Some(index) => index,
                None => {
                    out.groups.push(group(cx, &tag, &mut accessors));
                    method_names.push(BTreeSet::new());
                    out.groups.len() - 1
                }
            };
            let mut operation = operation;
            operation.name = naming::unique(operation.name, &mut method_names[index]);
            out.groups[index].operations.push(operation);
        }
    }
    out
}

fn group(cx: &mut Ctx<'_>, tag: &str, accessors: &mut BTreeSet<String>) -> Group {
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
        accessor: naming::unique(naming::snake(tag), accessors),
        type_name: naming::camel(tag),
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
    op: &Node,
    pointer: &str,
) -> Option<(String, Operation)> {
    let operation_id = match cx.opt_str(op, "operationId") {
        Some(id) => id.to_owned(),
        None => format!("{} {}", method.as_str().to_ascii_lowercase(), path),
    };
    let Some(tag) = op
        .get("tags")
        .and_then(Node::as_seq)
        .and_then(|t| t.first())
        .and_then(Node::as_str)
    else {
        cx.unsupported(op, "an operation without `tags`");
        return None;
    };
    let tag = tag.to_owned();
    for (params, at) in [
        (item.get("parameters"), "path item"),
        (op.get("parameters"), "operation"),
    ] {
        let Some(params) = params else { continue };
        let what = format!("the {at}'s `parameters`");
        let Some(list) = cx.seq(params, &what, "parameters: [...]") else {
            continue;
        };
        for param in list {
            parameter(cx, out, param, pointer);
        }
    }
    let hint = naming::camel(&operation_id);
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
    let (success, errors, accept) = responses(cx, schemas, out, op, pointer, &hint)?;
    let name = method_name(&operation_id, &tag);
    let operation = Operation {
        name,
        operation_id,
        method,
        path: path.to_owned(),
        docs: cx.docs(op),
        deprecated: cx.flag(op, "deprecated"),
        body,
        accept,
        success,
        errors,
        origin: cx.origin(op, pointer),
    };
    Some((tag, operation))
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

fn parameter(cx: &mut Ctx<'_>, out: &mut Operations, param: &Node, pointer: &str) {
    let Some((param, _)) = cx.deref(param, pointer) else {
        return;
    };
    let Some(name) = cx.req_str(param, "name", "a parameter") else {
        return;
    };
    let location = cx.opt_str(param, "in").unwrap_or_default();
    if location == "header" && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        cx.warning(
            param,
            format!("the `{name}` header parameter is ignored"),
            "OpenAPI derives this header from `content` and `security`; remove the parameter",
        );
        return;
    }
    let default = param
        .get("schema")
        .and_then(|s| s.get("default"))
        .and_then(|d| match &d.value {
            crate::load::Value::Str(s) => Some(s.clone()),
            crate::load::Value::Int(i) => Some(i.to_string()),
            _ => None,
        });
    match (location, default) {
        ("header", Some(default)) => {
            if out
                .client_headers
                .iter()
                .any(|h| h.wire_name.eq_ignore_ascii_case(name))
            {
                return;
            }
            let docs = cx.docs(param);
            out.client_headers.push(ClientHeader {
                wire_name: name.to_owned(),
                method: naming::snake(name),
                default,
                docs,
            });
        }
        ("header", None) => cx.unsupported(param, "a header parameter without a `default`"),
        ("path" | "query" | "cookie", _) => {
            cx.unsupported(param, &format!("a {location} parameter"))
        }
        (other, _) => cx.error(
            param,
            format!("`in: {other}` is not a parameter location"),
            "use path, query, header or cookie",
        ),
    }
}

fn request_body(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    body: &Node,
    pointer: &str,
    hint: &str,
) -> Option<RequestBody> {
    let (body, pointer) = cx.deref(body, pointer)?;
    if !cx.flag(body, "required") {
        // Keep going: the body's other problems belong in the same report.
        cx.unsupported(body, "an optional request body");
    }
    let (media_type, schema) = json_content(cx, body)?;
    let Some(schema) = schema else {
        cx.error(
            body,
            "the request body has no `schema`",
            "add `schema:` under the media type",
        );
        return None;
    };
    let shape = schemas.shape(
        cx,
        schema,
        &format!("{pointer}/content/{}/schema", escape_segment(&media_type)),
        &format!("{hint}Request"),
    )?;
    Some(RequestBody {
        media_type,
        ty: shape.ty.unwrap_or(TypeRef::Any),
    })
}

/// The JSON media type of a `content` map and its schema; anything else is refused.
fn json_content<'n>(cx: &mut Ctx<'_>, holder: &'n Node) -> Option<(String, Option<&'n Node>)> {
    let content = holder.get("content")?;
    let entries = cx.map(content, "`content`")?.entries().unwrap_or_default();
    let json = entries.iter().find(|(k, _)| is_json(&k.name));
    match json {
        Some((key, media)) => Some((key.name.clone(), media.get("schema"))),
        None => {
            let first = entries.first().map_or("nothing", |(k, _)| k.name.as_str());
            cx.unsupported(
                content,
                &format!("a body in `{first}` (only JSON bodies are)"),
            );
            None
        }
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

type Responses = (Response, Vec<Response>, String);

fn responses(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    op: &Node,
    pointer: &str,
    hint: &str,
) -> Option<Responses> {
    let Some(responses) = op.get("responses") else {
        cx.error(
            op,
            "the operation has no `responses`",
            "declare at least the successful response",
        );
        return None;
    };
    let entries = cx
        .map(responses, "`responses`")?
        .entries()
        .unwrap_or_default();
    let mut success: Option<Response> = None;
    let mut errors = Vec::new();
    let mut accept = "application/json".to_owned();
    for (key, response) in entries {
        let response_pointer = format!("{pointer}/responses/{}", escape_segment(&key.name));
        let Some((response, response_pointer)) = cx.deref(response, &response_pointer) else {
            continue;
        };
        let status = match key.name.as_str() {
            "default" => None,
            s => match s.parse::<u16>() {
                Ok(code) if (100..600).contains(&code) => Some(code),
                _ => {
                    let at = Node {
                        loc: key.loc,
                        value: crate::load::Value::Null,
                    };
                    cx.unsupported(
                        &at,
                        &format!("the response key `{s}` (only status codes and `default` are)"),
                    );
                    continue;
                }
            },
        };
        let content = match json_content(cx, response) {
            Some((media_type, schema)) => {
                let schema_pointer = format!(
                    "{response_pointer}/content/{}/schema",
                    escape_segment(&media_type)
                );
                let ty = match schema {
                    Some(schema) => {
                        schemas
                            .shape(cx, schema, &schema_pointer, &format!("{hint}Response"))?
                            .ty
                    }
                    None => Some(TypeRef::Any),
                };
                Some((media_type, ty))
            }
            None if response.get("content").is_some() => continue,
            None => None,
        };
        let docs = cx
            .opt_str(response, "description")
            .map(|d| d.trim().to_owned());
        let ty = content.as_ref().and_then(|(_, ty)| ty.clone());
        match status {
            Some(code) if (200..300).contains(&code) => {
                if success.is_some() {
                    cx.unsupported(response, "more than one successful response");
                    continue;
                }
                if let Some((media_type, _)) = &content {
                    accept.clone_from(media_type);
                }
                if let Some(ty) = &ty {
                    out.uses.push((
                        ty.clone(),
                        Usage {
                            request: false,
                            response: true,
                        },
                    ));
                }
                success = Some(Response {
                    status: code,
                    docs,
                    ty,
                });
            }
            _ => {
                if let Some(ty) = &ty {
                    out.uses.push((
                        ty.clone(),
                        Usage {
                            request: false,
                            response: true,
                        },
                    ));
                    out.error_types.push((ty.clone(), response.loc));
                }
                if let Some(code) = status {
                    errors.push(Response {
                        status: code,
                        docs,
                        ty,
                    });
                }
            }
        }
    }
    let Some(success) = success else {
        cx.error(
            responses,
            "the operation declares no successful (2xx) response",
            "add e.g. `\"200\":` with the response body",
        );
        return None;
    };
    Some((success, errors, accept))
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
