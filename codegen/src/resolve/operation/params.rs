//! Parameters: their location, type and constraints, the style their value is written in,
//! headers with a default (set once on the client's builder), an `Accept` header declared as a
//! parameter, and the check that the path template and the path parameters agree.

use super::Operations;
use crate::ir::{
    ClientHeader, ParamLocation, ParamStyle, Parameter, PathStyle, QueryStyle, TypeRef, Usage,
};
use crate::load::Node;
use crate::naming;
use crate::resolve::constraints::value_rules;
use crate::resolve::context::Ctx;
use crate::resolve::schema::Schemas;
use std::collections::BTreeSet;

/// Headers OpenAPI says to ignore as parameters: they come from `content` and `security`.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

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

/// The one media type an `Accept` header parameter allows (`enum` of one, `const`, or else its
/// `default`), which the client then sends as its `Accept`. Real specs declare the header this
/// way when the response has no `content` saying it (Intercom's export download).
pub(super) fn declared_accept(doc: &crate::load::Document, param: &Node) -> Option<String> {
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
pub(super) fn check_path_template(
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
            style: ParamStyle::Path(PathStyle::Simple { explode: false }),
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

#[allow(clippy::too_many_arguments)] // One call site; a struct for these would only rename them.
pub(super) fn parameter(
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
            let constraints = value_rules(shape.constraints, shape.constant);
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
    let style = style(cx, param, location, name);
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

/// How the value of the parameter `name` at `location` is written: its `style` and `explode`
/// (a style the location does not have is reported and the location's first is used).
fn style(cx: &mut Ctx<'_>, param: &Node, location: ParamLocation, name: &str) -> ParamStyle {
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
    match (location, style_name) {
        (ParamLocation::Path, Some("label")) => ParamStyle::Path(PathStyle::Label { explode }),
        (ParamLocation::Path, Some("matrix")) => ParamStyle::Path(PathStyle::Matrix { explode }),
        (ParamLocation::Path | ParamLocation::Header, _) => {
            ParamStyle::Path(PathStyle::Simple { explode })
        }
        (_, style_name) => ParamStyle::Query(match style_name {
            Some("deepObject") => QueryStyle::DeepObject,
            Some("spaceDelimited") => QueryStyle::SpaceDelimited,
            Some("pipeDelimited") => QueryStyle::PipeDelimited,
            _ => QueryStyle::Form { explode },
        }),
    }
}
