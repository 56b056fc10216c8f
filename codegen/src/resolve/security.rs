//! How requests authenticate: the security schemes the spec's requirements name, which of them
//! is the main one (the builder's `token`, `basic_auth` or `api_key`), a builder method for each
//! other, and the requirements themselves (the API's and each operation's), kept to the
//! schemes the client can send.

use super::context::Ctx;
use crate::ir::{ApiKeyLocation, Auth, AuthKind, ClientCredentialsFlow, Operation, Scheme};
use crate::load::Node;
use crate::naming;
use std::collections::BTreeSet;

/// A `security` list as alternatives of scheme names (each requirement object's keys).
pub(crate) fn requirement(node: &Node) -> Vec<Vec<String>> {
    node.as_seq()
        .unwrap_or_default()
        .iter()
        .map(|req| {
            req.entries()
                .unwrap_or_default()
                .iter()
                .map(|(k, _)| k.name.clone())
                .collect()
        })
        .collect()
}

/// The builder methods a scheme's setter must not take: the ones every builder has and the
/// main scheme's.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "timeout",
    "retry",
    "user_agent",
    "http_client",
    "clock",
    "max_response_size",
    "region",
    "build",
    "token",
    "basic_auth",
    "api_key",
    "token_with",
    "api_key_with",
    "client_credentials",
];

/// What resolve keeps of the spec's security.
pub(super) struct Security {
    pub auth: Option<Auth>,
    pub other_schemes: Vec<Scheme>,
    pub security: Option<Vec<Vec<String>>>,
}

/// Reads the schemes and the API's requirement, and keeps each operation's requirement to the
/// schemes the client can send; `taken` are the builder's other methods (its header setters).
pub(super) fn security(
    cx: &mut Ctx<'_>,
    operations: &mut [&mut Operation],
    taken: &[String],
) -> Security {
    let root = &cx.doc.root;
    let top = root.get("security");
    let api_requirement = top.map(requirement);
    // Every scheme named anywhere, in order: the API's first, then the operations'.
    let mut named: Vec<String> = Vec::new();
    let all = api_requirement
        .iter()
        .flatten()
        .chain(
            operations
                .iter()
                .flat_map(|op| op.security.iter().flatten()),
        )
        .flatten();
    for name in all {
        if !named.contains(name) {
            named.push(name.clone());
        }
    }
    let required = top.is_some_and(|t| {
        let alternatives = requirement(t);
        !alternatives.is_empty() && alternatives.iter().all(|a| !a.is_empty())
    });
    let at = top.unwrap_or(root);
    let mut auth = None;
    let mut other_schemes = Vec::new();
    let mut usable: BTreeSet<String> = BTreeSet::new();
    let mut setters: BTreeSet<String> = BUILDER_METHODS
        .iter()
        .map(|m| (*m).to_owned())
        .chain(taken.iter().cloned())
        .collect();
    for name in &named {
        let Some((kind, docs, token_url)) = scheme(cx, name, at) else {
            continue;
        };
        usable.insert(name.clone());
        let flow = |setter: String| {
            token_url.clone().map(|token_url| ClientCredentialsFlow {
                setter,
                token_url,
                scopes: scopes(&cx.doc.root, name),
            })
        };
        if auth.is_none() {
            let (setter, source_setter) = match kind {
                AuthKind::Bearer => ("token", Some("token_with")),
                AuthKind::Basic => ("basic_auth", None),
                AuthKind::ApiKey { .. } => ("api_key", Some("api_key_with")),
            };
            auth = Some(Auth {
                scheme: name.clone(),
                setter: setter.to_owned(),
                kind,
                docs,
                required,
                source_setter: source_setter.map(str::to_owned),
                client_credentials: flow("client_credentials".to_owned()),
            });
        } else {
            let setter = naming::unique(naming::snake(name), &mut setters);
            let source_setter = (kind != AuthKind::Basic)
                .then(|| naming::unique(format!("{setter}_with"), &mut setters));
            let client_credentials = token_url
                .is_some()
                .then(|| naming::unique(format!("{setter}_client_credentials"), &mut setters))
                .and_then(flow);
            other_schemes.push(Scheme {
                scheme: name.clone(),
                setter,
                kind,
                docs,
                source_setter,
                client_credentials,
            });
        }
    }
    // A requirement alternative with a scheme the client cannot send can never be met: it is
    // dropped (the scheme was warned about); a requirement left with none falls back to the
    // API's.
    let keep = |alternatives: Vec<Vec<String>>| -> Option<Vec<Vec<String>>> {
        if alternatives.is_empty() {
            return Some(alternatives); // `security: []`
        }
        let kept: Vec<Vec<String>> = alternatives
            .into_iter()
            .filter(|a| a.iter().all(|s| usable.contains(s)))
            .collect();
        (!kept.is_empty()).then_some(kept)
    };
    for op in operations.iter_mut() {
        op.security = op.security.take().and_then(keep);
    }
    Security {
        auth,
        other_schemes,
        security: api_requirement.and_then(keep),
    }
}

/// The scopes the requirements naming scheme `name` list (the API's and every operation's), in
/// order, each once.
fn scopes(root: &Node, name: &str) -> Vec<String> {
    let operations = root
        .get("paths")
        .and_then(Node::entries)
        .unwrap_or_default()
        .iter()
        .flat_map(|(_, item)| item.entries().unwrap_or_default())
        .filter_map(|(_, op)| op.get("security"));
    let mut scopes: Vec<String> = Vec::new();
    for requirement in root.get("security").into_iter().chain(operations) {
        for alternative in requirement.as_seq().unwrap_or_default() {
            let listed = alternative
                .get(name)
                .and_then(Node::as_seq)
                .unwrap_or_default();
            for scope in listed.iter().filter_map(Node::as_str) {
                if !scopes.iter().any(|s| s == scope) {
                    scopes.push(scope.to_owned());
                }
            }
        }
    }
    scopes
}

/// How the credential of scheme `name` travels, its description, and the token URL of its
/// OAuth 2 client-credentials flow; `None` (reported) when it is not defined or is a kind the
/// client cannot send.
fn scheme(
    cx: &mut Ctx<'_>,
    name: &str,
    at: &Node,
) -> Option<(AuthKind, Option<String>, Option<String>)> {
    let schemes = cx
        .doc
        .root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Node::entries)
        .unwrap_or_default();
    let Some((_, scheme)) = schemes.iter().find(|(k, _)| k.name == name) else {
        cx.warning(
            at,
            format!("security scheme `{name}` is not defined; the requirements that name it are ignored"),
            "define it under `components.securitySchemes`",
        );
        return None;
    };
    let (scheme, _) = cx.deref(scheme, "/components/securitySchemes")?;
    let kind = cx.opt_str(scheme, "type");
    let http_scheme = cx.opt_str(scheme, "scheme").map(str::to_ascii_lowercase);
    let kind = match (kind, http_scheme.as_deref()) {
        (Some("http"), Some("bearer")) | (Some("oauth2" | "openIdConnect"), _) => AuthKind::Bearer,
        (Some("http"), Some("basic")) => AuthKind::Basic,
        (Some("apiKey"), _) => {
            let name = cx
                .req_str(scheme, "name", "an apiKey security scheme")?
                .to_owned();
            let location = match cx.opt_str(scheme, "in") {
                Some("header") => ApiKeyLocation::Header,
                Some("query") => ApiKeyLocation::Query,
                Some("cookie") => ApiKeyLocation::Cookie,
                _ => {
                    cx.error(
                        scheme,
                        "an apiKey scheme needs `in: header`, `query` or `cookie`",
                        "add `in:`",
                    );
                    return None;
                }
            };
            AuthKind::ApiKey { location, name }
        }
        _ => {
            cx.warning(
                scheme,
                "this security scheme is not applied by the client",
                "send the credential yourself with `.header(..)` on each call",
            );
            return None;
        }
    };
    let token_url = match scheme.get("flows").and_then(|f| f.get("clientCredentials")) {
        Some(flow) => match cx.opt_str(flow, "tokenUrl") {
            Some(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
            _ => {
                cx.warning(
                    flow,
                    "the client-credentials flow has no `tokenUrl`; the client cannot fetch its tokens (set one with `token(..)` or `token_with(..)`)",
                    "add `tokenUrl:` to the flow",
                );
                None
            }
        },
        None => None,
    };
    Some((kind, cx.docs(scheme), token_url))
}
