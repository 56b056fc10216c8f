//! Stage 2, resolve: the located tree -> the [`Api`] IR.
//!
//! Every decision is made here: names, which headers belong on the client, how schemas become
//! types, which types travel in requests and which in responses. Problems are reported to the
//! [`Diagnostics`] and resolution goes on, so one run finds as many as it can.

mod branches;
mod constraints;
mod context;
mod examples;
mod export;
mod multipart;
mod operation;
mod options;
mod pagination;
mod schema;
mod security;

pub(crate) use security::requirement;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ErrorBody, Server, TypeDef, TypeKind, TypeRef};
use crate::load::{Document, Node};
use crate::naming;
use context::Ctx;
use std::collections::{BTreeMap, BTreeSet};

/// Resolves `doc` into the IR with the default generation options. The result is only
/// meaningful when `diags` has no errors.
pub fn resolve(doc: &Document, diags: &mut Diagnostics) -> Api {
    resolve_with(doc, &Config::default(), diags)
}

/// Resolves `doc` into the IR as `config` asks (which operations, which names, which derives).
/// The result is only meaningful when `diags` has no errors.
pub fn resolve_with(doc: &Document, config: &Config, diags: &mut Diagnostics) -> Api {
    if let Some((file, text)) = &config.source {
        diags.add_source(file, text);
    }
    config.check(diags);
    let mut cx = Ctx { doc, diags, config };
    let root = &doc.root;
    if !check_version(&mut cx) {
        // Not a document this generator reads: everything else would be noise.
        return Api::default();
    }
    let info = root.get("info");
    let (title, version, docs) = match info.and_then(|i| cx.map(i, "`info`")) {
        Some(info) => (
            cx.req_str(info, "title", "`info`")
                .unwrap_or_default()
                .to_owned(),
            cx.req_str(info, "version", "`info`")
                .unwrap_or_default()
                .to_owned(),
            cx.docs(info),
        ),
        None => {
            cx.error(
                root,
                "the document has no `info`",
                "add `info:` with a `title` and a `version`",
            );
            Default::default()
        }
    };
    // Group names are decided once: schema types avoid the group structs' names.
    let groups = operation::GroupNames::new(doc, config);
    let renames = config
        .rename_types
        .iter()
        .map(|r| (r.from.clone(), r.to.clone()))
        .collect();
    let mut schemas = schema::Schemas::with_reserved(reserved_names(&groups), renames);
    schemas.alias_cycles(&mut cx);
    schemas.components(&mut cx);
    let ops = operation::operations(&mut cx, &mut schemas, groups);
    schemas.finish();
    // Each component schema's type, for its examples.
    let components: Vec<(String, TypeRef)> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(key, _)| {
            let pointer = format!("/components/schemas/{}", context::escape_segment(&key.name));
            let ty = schemas.named_type(&pointer)?.clone();
            Some((pointer, ty))
        })
        .collect();
    let mut types = schemas.types;
    for (ty, usage) in &ops.uses {
        mark(&mut types, ty, *usage, &mut BTreeSet::new());
    }
    open_response_enums(&mut types);
    directions(&mut types);
    options::check_type_renames(&mut cx, &types, &ops, &schemas.rename_clashes);
    options::derives(&mut cx, &mut types);
    if cx.config.filters() {
        // Only what the included operations use.
        types.retain(|_, def| def.usage.request || def.usage.response);
    }
    let mut ops = ops;
    pagination::detect(&mut cx, &types, &mut ops.root);
    multipart::detect(&mut cx, &mut ops.root);
    for group in &mut ops.groups {
        pagination::detect(&mut cx, &types, &mut group.operations);
        multipart::detect(&mut cx, &mut group.operations);
    }
    let mut operations: Vec<&mut crate::ir::Operation> = ops
        .root
        .iter_mut()
        .chain(ops.groups.iter_mut().flat_map(|g| g.operations.iter_mut()))
        .collect();
    examples::attach(&mut cx, &mut types, &components, &mut operations);
    let header_setters: Vec<String> = ops
        .client_headers
        .iter()
        .map(|h| h.method.clone())
        .collect();
    let security::Security {
        auth,
        other_schemes,
        security,
    } = security::security(&mut cx, &mut operations, &header_setters);
    let error_body = error_body(&mut cx, &ops.error_types, &types);
    Api {
        title,
        version,
        docs,
        servers: servers(&mut cx),
        auth,
        other_schemes,
        security,
        client_headers: ops.client_headers,
        groups: ops.groups,
        operations: ops.root,
        types: types.into_values().collect(),
        error_body,
        schemars: cx.config.schemars,
        crate_name: None,
    }
}

/// Names the generated crate defines itself, which schema types must not take: the client's
/// own types and one struct per operation group (tag).
fn reserved_names(groups: &operation::GroupNames) -> Vec<String> {
    operation::CRATE_TYPES
        .iter()
        .map(|t| (*t).to_owned())
        .chain(
            groups
                .groups
                .iter()
                .map(|(_, _, type_name)| type_name.clone()),
        )
        .collect()
}

/// Whether the document is OpenAPI 3.0 or 3.1; reports why not.
fn check_version(cx: &mut Ctx<'_>) -> bool {
    let root = &cx.doc.root;
    if let Some(swagger) = root.get("swagger") {
        cx.error(
            swagger,
            "Swagger 2.0 documents are not supported",
            "convert it to OpenAPI 3 first (for example with swagger2openapi)",
        );
        return false;
    }
    if root.entries().is_none() || root.get("openapi").is_none() {
        let found = match root.entries() {
            Some(entries) => match entries.first() {
                Some((key, _)) => format!("a mapping starting with `{}`", key.name),
                None => "an empty mapping".to_owned(),
            },
            None if matches!(root.value, crate::load::Value::Null) => "an empty file".to_owned(),
            None => root.kind().to_owned(),
        };
        cx.error(
            root,
            format!("this is not an OpenAPI document: it has no `openapi:` version (found {found})"),
            "an OpenAPI document is a mapping starting with `openapi: 3.1.0` (or 3.0.x), `info:` and `paths:`",
        );
        return false;
    }
    match cx.opt_str(root, "openapi") {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => true,
        Some(v) => {
            let at = root.get("openapi").unwrap_or(root);
            cx.error(
                at,
                format!("OpenAPI version `{v}` is not supported"),
                "this generator reads OpenAPI 3.0.x and 3.1.x",
            );
            false
        }
        // Not a string (`openapi: 3.1` is a number): `opt_str` has said so.
        None => false,
    }
}

fn servers(cx: &mut Ctx<'_>) -> Vec<Server> {
    let Some(list) = cx.doc.root.get("servers") else {
        return Vec::new();
    };
    let Some(items) = cx.seq(list, "`servers`", "servers: [{url: ...}]") else {
        return Vec::new();
    };
    let mut taken = BTreeSet::new();
    let mut servers = Vec::new();
    for (i, server) in items.iter().enumerate() {
        let Some(url) = cx.req_str(server, "url", "a server") else {
            continue;
        };
        let mut url = url.to_owned();
        // Variables take their defaults; the builder's `.base_url(..)` reaches any other value.
        for (key, variable) in server
            .get("variables")
            .and_then(Node::entries)
            .unwrap_or_default()
        {
            let Some(default) = cx.req_str(variable, "default", "a server variable") else {
                continue;
            };
            url = url.replace(&format!("{{{}}}", key.name), default);
        }
        if url.contains('{') {
            cx.warning(
                server,
                "this server URL has a variable without a definition; the server is left out",
                "declare every `{variable}` under `variables` with a `default`",
            );
            continue;
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            cx.warning(
                server,
                format!("the server URL `{url}` is relative; the client needs `.base_url(..)`"),
                "write the absolute URL (https://...) to make it the default",
            );
            continue;
        }
        let docs = cx.opt_str(server, "description").map(str::to_owned);
        let word = docs.as_deref().map(naming::camel).filter(|n| n != "Value");
        let name = naming::unique(
            word.unwrap_or_else(|| format!("Server{}", i + 1)),
            &mut taken,
        );
        servers.push(Server {
            name,
            url: url.trim_end_matches('/').to_owned(),
            docs,
        });
    }
    servers
}

/// Decisions that depend on which way a struct travels: a `readOnly` property of a request type
/// is optional and never sent, a `writeOnly` one of a response type optional; an optional
/// nullable property of a request type tells `null` from absent
/// ([`crate::ir::Field::explicit_null`]).
fn directions(types: &mut BTreeMap<String, TypeDef>) {
    for def in types.values_mut() {
        let usage = def.usage;
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            match field.access {
                crate::ir::Access::ReadOnly if usage.request => {
                    field.required = false;
                    field.skip_sending = true;
                }
                crate::ir::Access::WriteOnly if usage.response => field.required = false,
                _ => {}
            }
            field.explicit_null =
                usage.request && !field.required && field.nullable && !field.skip_sending;
        }
    }
}

/// Enums that appear in responses get a catch-all variant: the API may add values, and an old
/// client must keep decoding. Request-only enums stay closed.
fn open_response_enums(types: &mut BTreeMap<String, TypeDef>) {
    for def in types.values_mut() {
        if let TypeKind::StringEnum(e) = &mut def.kind {
            if def.usage.response {
                let mut taken: BTreeSet<String> = e.values.iter().map(|v| v.name.clone()).collect();
                e.unknown = Some(naming::unique("Unknown".to_owned(), &mut taken));
            }
        }
    }
}

/// Marks `ty` and everything it contains as used in the given direction.
fn mark(
    types: &mut BTreeMap<String, TypeDef>,
    ty: &TypeRef,
    usage: crate::ir::Usage,
    seen: &mut BTreeSet<String>,
) {
    match ty {
        TypeRef::Named(name) => {
            if !seen.insert(name.clone()) {
                return;
            }
            let Some(def) = types.get_mut(name) else {
                return;
            };
            def.usage.request |= usage.request;
            def.usage.response |= usage.response;
            let inner: Vec<TypeRef> = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.clone()).collect(),
                TypeKind::TaggedUnion(u) => u
                    .variants
                    .iter()
                    .map(|v| TypeRef::Named(v.ty.clone()))
                    .collect(),
                TypeKind::Untagged(variants) => variants.iter().map(|v| v.ty.clone()).collect(),
                TypeKind::StringEnum(_) => Vec::new(),
            };
            for inner in &inner {
                mark(types, inner, usage, seen);
            }
        }
        other => {
            if let Some(inner) = other.inner() {
                mark(types, inner, usage, seen);
            }
        }
    }
}

/// The one type all error responses share, with its request-id field.
fn error_body(
    cx: &mut Ctx<'_>,
    error_types: &[(TypeRef, crate::diagnostics::Loc)],
    types: &BTreeMap<String, TypeDef>,
) -> Option<ErrorBody> {
    let (first, _) = error_types.first()?;
    if let Some((other, loc)) = error_types.iter().find(|(ty, _)| ty != first) {
        let file = cx.doc.file_name(loc.file).to_owned();
        cx.diags.warning(&file, *loc, format!("error responses use more than one body type (`{}` and `{}`); errors keep their body as JSON", first.describe(), other.describe()), Some("give every error response the same schema".to_owned()));
        return None;
    }
    let TypeRef::Named(name) = first else {
        return None;
    };
    let request_id_field = match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .find(|f| f.wire_name == "request_id" && f.ty == TypeRef::String)
            .map(|f| f.name.clone()),
        _ => None,
    };
    Some(ErrorBody {
        ty: name.clone(),
        request_id_field,
    })
}
