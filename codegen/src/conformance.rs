//! What the conformance oracles (`cargo xtask examples` and `cargo xtask conformance`) need
//! from the generator: where each generated type comes from in the spec, and the source of a
//! driver program that decodes JSON into the generated types and calls every operation.
//!
//! The driver is generated code like the client, so it is built from tokens too. It reads one
//! JSON request per line on stdin and answers one JSON line on stdout:
//!
//! - `{"kind": "check", "type": KEY, "value": V}`: decode `V` into the type named by
//!   [`type_key`] `KEY` and run `validate()`; answers `{"outcome": "ok" | "decode" |
//!   "validate" | "unknown-type", "message": ..}`.
//! - `{"kind": "call", "op": OPERATION_ID, "path": {..}, "query": {..}, "body": V}` (inputs keyed
//!   by wire name): decodes the inputs into the operation's typed arguments, calls it against
//!   the base URL given as the first argument, and answers with the status, the
//!   `sl-violations` header Prism sets on a request that breaks the spec, and `"outcome"`:
//!   `ok`, `input` (an input did not decode), `invalid` (`validate()` refused the request),
//!   `decode` (the response did not decode), `config` (the client cannot send it), `status`
//!   (an error status) or `transport`.

use crate::diagnostics::Diagnostics;
use crate::emit::ident;
use crate::ir::{Api, AuthKind, BodyEncoding, Operation, ParamLocation, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use std::path::Path;

/// The spec as the generator understood it: its IR and its main document as JSON.
#[derive(Debug)]
pub struct Model {
    /// The resolved API.
    pub api: Api,
    /// The main spec file as JSON (`$ref`s left as written).
    pub document: serde_json::Value,
    /// The file name the IR's origins use for the main document.
    pub file: String,
    /// The names the IR's origins use for the other files, in bundle order.
    pub others: Vec<String>,
}

impl Model {
    /// The pointer, in [`Model::document`], of a node the IR says is at `pointer` in `file`;
    /// `None` for a file the spec does not reach.
    /// Types from another file have origins of the form `other.yaml#/pointer`.
    pub fn pointer(&self, file: &str, pointer: &str) -> Option<String> {
        if let Some((other, inner)) = pointer.split_once('#') {
            return self.pointer(other, inner);
        }
        if file == self.file {
            return Some(pointer.to_owned());
        }
        let i = self.others.iter().position(|name| name == file)?;
        Some(format!("/{BUNDLED}/{}{pointer}", i + 1))
    }
}

/// Loads and resolves the spec at `path` (named `display` in origins and diagnostics) with the
/// generation options `config`, as the client under test was generated.
pub fn model(
    path: &Path,
    display: &str,
    config: &crate::config::Config,
) -> Result<Model, crate::Report> {
    let mut diags = Diagnostics::default();
    let Some(document) = crate::load::load(path, display, &mut diags) else {
        return Err(diags.into_sorted());
    };
    let api = crate::resolve::resolve_with(&document, config, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    Ok(Model {
        api,
        document: bundle(&document),
        file: document.file.clone(),
        others: document.others.iter().map(|f| f.name.clone()).collect(),
    })
}

/// Where [`model`] puts the other files of a spec split over several, in
/// [`Model::document`]: `/x-bundled/<i>` holds file `i` (1-based, in load order).
pub const BUNDLED: &str = "x-bundled";

/// The main file as JSON, with the other files a spec's `$ref`s reach embedded under
/// [`BUNDLED`] and every `$ref` rewritten to a local one (`#/x-bundled/1/$defs/Owner`), so a
/// JSON Schema validator or a value generator can follow them without reading files.
fn bundle(document: &crate::load::Document) -> serde_json::Value {
    let names: Vec<&str> = document.others.iter().map(|f| f.name.as_str()).collect();
    let local = |from: u16, value: &mut serde_json::Value| rewrite(document, &names, from, value);
    let mut main = document.root.to_json();
    local(0, &mut main);
    if !names.is_empty() {
        let mut files = serde_json::Map::new();
        for (i, file) in document.others.iter().enumerate() {
            let id = u16::try_from(i + 1).unwrap_or(u16::MAX);
            let mut json = file.root.to_json();
            local(id, &mut json);
            files.insert((i + 1).to_string(), json);
        }
        if let serde_json::Value::Object(map) = &mut main {
            map.insert(BUNDLED.to_owned(), serde_json::Value::Object(files));
        }
    }
    main
}

/// Rewrites every `$ref` in `value` (part of file `from`) into a pointer into the bundle; a
/// `$ref` that leads nowhere is left as written.
fn rewrite(
    document: &crate::load::Document,
    names: &[&str],
    from: u16,
    value: &mut serde_json::Value,
) {
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                rewrite(document, names, from, item);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    serde_json::Value::String(reference) if key == "$ref" => {
                        if let Ok((_, target)) = document.follow(from, reference) {
                            *reference = match target.split_once('#') {
                                Some((file, pointer)) => {
                                    match names.iter().position(|n| *n == file) {
                                        Some(i) => format!("#/{BUNDLED}/{}{pointer}", i + 1),
                                        None => continue,
                                    }
                                }
                                None => format!("#{target}"),
                            };
                        }
                    }
                    _ => rewrite(document, names, from, child),
                }
            }
        }
        _ => {}
    }
}

/// A stable text naming a type reference, used as the driver's `"type"` key: `Message`,
/// `string`, `i64`, `[Message]` (a list), `{string}` (a map), `Message?` (or `null`).
pub fn type_key(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "string".to_owned(),
        TypeRef::Integer(bits) => format!("i{bits}"),
        TypeRef::Number => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::List(inner) => format!("[{}]", type_key(inner)),
        TypeRef::Map(inner) => format!("{{{}}}", type_key(inner)),
        TypeRef::Nullable(inner) => format!("{}?", type_key(inner)),
        TypeRef::Any => "any".to_owned(),
    }
}

/// Where a schema of the main document became a generated type: its JSON pointer and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The JSON pointer of the schema in the main document.
    pub pointer: String,
    /// The type that holds its values.
    pub ty: TypeRef,
    /// Whether the schema is a property of a struct (its own rules are checked by the struct,
    /// so a value alone is only decoded).
    pub property: bool,
    /// Whether `null` is allowed besides the type's values (a nullable property).
    pub nullable: bool,
}

/// Every named type, and every property of its structs, by its pointer in the bundled
/// document ([`Model::pointer`]).
pub fn sites(model: &Model) -> Vec<Site> {
    let mut out = Vec::new();
    for ty in &model.api.types {
        let Some(pointer) = model.pointer(&ty.origin.file, &ty.origin.pointer) else {
            continue;
        };
        out.push(Site {
            pointer: pointer.clone(),
            ty: TypeRef::Named(ty.name.clone()),
            property: false,
            nullable: false,
        });
        if let TypeKind::Struct(s) = &ty.kind {
            for field in &s.fields {
                let escaped = field.wire_name.replace('~', "~0").replace('/', "~1");
                out.push(Site {
                    pointer: format!("{pointer}/properties/{escaped}"),
                    ty: field.ty.clone(),
                    property: true,
                    nullable: field.nullable,
                });
            }
        }
    }
    out
}

/// Every operation with the accessor of its group (`None` for the client's own methods).
pub fn operations(api: &Api) -> Vec<(Option<&str>, &Operation)> {
    let grouped = api.groups.iter().flat_map(|g| {
        g.operations
            .iter()
            .map(move |op| (Some(g.accessor.as_str()), op))
    });
    api.operations
        .iter()
        .map(|op| (None, op))
        .chain(grouped)
        .collect()
}

/// The driver's `main.rs` for the client crate `krate` (its Rust name, e.g. `petstore`).
pub fn driver(api: &Api, krate: &str) -> Result<String, String> {
    let krate = ident(krate);
    let mut types: Vec<TypeRef> = api
        .types
        .iter()
        .map(|t| TypeRef::Named(t.name.clone()))
        .collect();
    for (_, op) in operations(api) {
        types.extend(op.params.iter().map(|p| p.ty.clone()));
        types.extend(op.body.iter().map(|b| b.ty.clone()));
        types.extend(
            op.errors
                .iter()
                .chain([&op.success])
                .filter_map(|r| r.ty.clone()),
        );
    }
    // Field types too: the examples oracle decodes a property's example into its field's type.
    for ty in &api.types {
        if let TypeKind::Struct(s) = &ty.kind {
            types.extend(s.fields.iter().map(|f| f.ty.clone()));
        }
    }
    let keys: BTreeMap<String, TypeRef> = types.into_iter().map(|ty| (type_key(&ty), ty)).collect();
    let checks = keys.iter().map(|(key, ty)| {
        let rust = rust_type(ty, &krate);
        quote!(#key => check::<#rust>(value),)
    });
    // Functions are numbered: accessor and method names joined could collide.
    let calls = operations(api).into_iter().enumerate().map(|(i, (_, op))| {
        let id = &op.operation_id;
        let f = ident(&format!("op_{i}"));
        quote!(#id => #f(client, input).await,)
    });
    let functions = operations(api)
        .into_iter()
        .enumerate()
        .map(|(i, (group, op))| call_fn(i, group, op, &krate));
    // A stand-in credential for every scheme, so each operation's requirement is met.
    let stand_in = |setter: &str, kind: &AuthKind| {
        let setter = ident(setter);
        match kind {
            AuthKind::Bearer => quote!(.#setter("conformance")),
            AuthKind::Basic => quote!(.#setter("conformance", "conformance")),
            AuthKind::ApiKey { .. } => quote!(.#setter("conformance")),
        }
    };
    let main = api
        .auth
        .as_ref()
        .map(|auth| stand_in(&auth.setter, &auth.kind));
    let others = api
        .other_schemes
        .iter()
        .map(|s| stand_in(&s.setter, &s.kind));
    let credential = quote!(#main #(#others)*);
    // Helpers only where they are used: a spec may have no operations, or none with inputs.
    let ops = operations(api);
    let takes_inputs = ops
        .iter()
        .any(|(_, op)| !op.params.is_empty() || op.body.is_some());
    let arg_helper = takes_inputs.then(|| {
        quote! {
            /// An input of a call, decoded into its typed form; absent is `null`.
            fn arg<T: ::serde::de::DeserializeOwned>(from: &Value, key: &str) -> ::std::result::Result<T, Value> {
                let value = from.get(key).cloned().unwrap_or(Value::Null);
                ::serde_json::from_value(value).map_err(|err| {
                    json!({"outcome": "input", "message": ::std::format!("`{key}`: {err}")})
                })
            }
        }
    });
    let helpers = if ops.is_empty() {
        quote!()
    } else {
        quote! {
        #arg_helper

        fn outcome<T, E>(result: ::std::result::Result<::runtime::Response<T>, ::runtime::Error<E>>) -> Value {
            let violations = |headers: &::runtime::reqwest::header::HeaderMap| {
                headers
                    .get("sl-violations")
                    .map(|v| ::std::string::String::from_utf8_lossy(v.as_bytes()).into_owned())
            };
            match result {
                ::std::result::Result::Ok(response) => json!({
                    "outcome": "ok",
                    "status": response.meta.status,
                    "violations": violations(&response.meta.headers),
                }),
                ::std::result::Result::Err(::runtime::Error::Config(message)) => {
                    json!({"outcome": "config", "message": message})
                }
                ::std::result::Result::Err(::runtime::Error::Validation(errors)) => {
                    json!({"outcome": "invalid", "message": errors.to_string()})
                }
                ::std::result::Result::Err(::runtime::Error::Decode { status, path, message, snippet, .. }) => json!({
                    "outcome": "decode",
                    "status": status,
                    "message": ::std::format!("at {}: {message}; body starts {snippet:?}", path.unwrap_or_default()),
                }),
                ::std::result::Result::Err(err) => match err.api_error() {
                    ::std::option::Option::Some(api) => json!({
                        "outcome": "status",
                        "status": api.status(),
                        "violations": violations(api.headers()),
                        "message": err.to_string(),
                    }),
                    ::std::option::Option::None => json!({
                        "outcome": "transport",
                        "status": err.status(),
                        "message": err.to_string(),
                    }),
                },
            }
        }

        }
    };
    let tokens = quote! {
        //! The conformance driver: decodes JSON into the generated types and calls every
        //! operation. Written by `cargo xtask conformance`; see `codegen::conformance`.
        // Deprecated operations are called like the others: the spec still lists them.
        #![allow(deprecated)]
        use ::std::io::{BufRead as _, Write as _};
        use ::serde_json::{json, Value};

        fn main() {
            let base = ::std::env::args().nth(1);
            let runtime = ::tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a current-thread runtime starts");
            // Redirects are not followed: a declared 3xx is an answer for the oracle to judge,
            // and the `Location` of a mock's 3xx leads nowhere.
            let http = ::runtime::reqwest::Client::builder()
                .redirect(::runtime::reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client without redirects builds");
            let client = base.map(|base| {
                #krate::Client::builder()
                    .base_url(base)
                    .http_client(http)
                    #credential
                    .retry(::runtime::RetryPolicy::never())
                    .build()
            });
            let stdin = ::std::io::stdin();
            let mut stdout = ::std::io::stdout().lock();
            for line in stdin.lock().lines() {
                let ::std::result::Result::Ok(line) = line else { break };
                let input: Value = match ::serde_json::from_str(&line) {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(err) => json!({"outcome": "bad-input", "message": err.to_string()}),
                };
                let answer = match (input["kind"].as_str(), &client) {
                    (::std::option::Option::Some("check"), _) => {
                        checks(input["type"].as_str().unwrap_or_default(), input["value"].clone())
                    }
                    (::std::option::Option::Some("call"), ::std::option::Option::Some(::std::result::Result::Ok(client))) => {
                        runtime.block_on(call(client, &input))
                    }
                    (::std::option::Option::Some("call"), ::std::option::Option::Some(::std::result::Result::Err(err))) => {
                        json!({"outcome": "config", "message": err.to_string()})
                    }
                    _ => json!({"outcome": "bad-input", "message": "no `kind`, or a call without a base URL"}),
                };
                if writeln!(stdout, "{answer}").and_then(|()| stdout.flush()).is_err() {
                    break;
                }
            }
        }

        fn check<T: ::serde::de::DeserializeOwned + ::runtime::Validate>(value: Value) -> Value {
            match ::serde_json::from_value::<T>(value) {
                ::std::result::Result::Err(err) => json!({"outcome": "decode", "message": err.to_string()}),
                ::std::result::Result::Ok(typed) => match ::runtime::Validate::validate(&typed) {
                    ::std::result::Result::Ok(()) => json!({"outcome": "ok"}),
                    ::std::result::Result::Err(errors) => json!({
                        "outcome": "validate",
                        "message": errors.to_string(),
                        "rules": errors.iter().map(|e| e.rule).collect::<::std::vec::Vec<_>>(),
                    }),
                },
            }
        }

        fn checks(key: &str, value: Value) -> Value {
            match key {
                #(#checks)*
                _ => json!({"outcome": "unknown-type", "message": key}),
            }
        }

        #helpers

        async fn call(client: &#krate::Client, input: &Value) -> Value {
            let _ = client;
            let result: ::std::result::Result<Value, Value> = match input["op"].as_str().unwrap_or_default() {
                #(#calls)*
                other => ::std::result::Result::Err(json!({"outcome": "unknown-op", "message": other})),
            };
            result.unwrap_or_else(|err| err)
        }

        #(#functions)*
    };
    crate::format::body("driver/main.rs", tokens)
}

/// One operation's call: its inputs decoded into typed arguments, then the call itself.
fn call_fn(
    index: usize,
    group: Option<&str>,
    op: &Operation,
    krate: &proc_macro2::Ident,
) -> TokenStream {
    let f = ident(&format!("op_{index}"));
    let method = ident(&op.name);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let var = ident(&format!("path_{}", p.name));
        let ty = rust_type(&p.ty, krate);
        let wire = &p.wire_name;
        lets.push(quote!(let #var: #ty = arg(&input["path"], #wire)?;));
        args.push(match &p.ty {
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => quote!(#var),
            _ => quote!(&#var),
        });
    }
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            BodyEncoding::Bytes => quote!(::std::string::String),
            _ => rust_type(&body.ty, krate),
        };
        let ty = if body.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        lets.push(quote!(let body: #ty = arg(input, "body")?;));
        args.push(match (body.encoding, body.required) {
            (BodyEncoding::Bytes, true) => quote!(body.as_bytes()),
            (BodyEncoding::Bytes, false) => {
                quote!(body
                    .as_deref()
                    .map(|body| ::runtime::Upload::from(body.as_bytes())))
            }
            (_, true) => quote!(&body),
            (_, false) => quote!(body.as_ref()),
        });
    }
    if let Some(params_type) = &op.params_type {
        let ty = ident(params_type);
        // `new` with the required parameters, then the optional ones set: the struct is
        // `#[non_exhaustive]`, its fields public.
        let read = |p: &&crate::ir::Parameter| {
            let wire = &p.wire_name;
            let from = match p.location {
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                _ => "cookie",
            };
            quote!(arg(&input[#from], #wire)?)
        };
        let params: Vec<&crate::ir::Parameter> = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .collect();
        // Typed: `new` takes `impl Into<T>`, which does not say which `T` to read.
        let required = params.iter().filter(|p| p.required).map(|p| {
            let ty = rust_type(&p.ty, krate);
            let value = read(p);
            quote!({ let value: #ty = #value; value })
        });
        let optional = params.iter().filter(|p| !p.required).map(|p| {
            let field = ident(&p.name);
            let value = read(p);
            quote!(params.#field = #value;)
        });
        lets.push(quote! {
            #[allow(unused_mut)]
            let mut params = #krate::params::#ty::new(#(#required),*);
            #(#optional)*
        });
        args.push(quote!(&params));
    }
    let receiver = match group {
        Some(accessor) => {
            let accessor = ident(accessor);
            quote!(client.#accessor())
        }
        None => quote!(client),
    };
    let input = if lets.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    quote! {
        async fn #f(client: &#krate::Client, #input: &Value) -> ::std::result::Result<Value, Value> {
            #(#lets)*
            ::std::result::Result::Ok(outcome(#receiver.#method(#(#args),*).send_with_meta().await))
        }
    }
}

/// The Rust type of a type reference, with named types reached through the client crate.
fn rust_type(ty: &TypeRef, krate: &proc_macro2::Ident) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#krate::#name)
        }
        TypeRef::List(inner) => {
            let inner = rust_type(inner, krate);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, krate);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, krate);
            quote!(::std::option::Option<#inner>)
        }
        other => crate::emit::rust_type(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_keys_name_every_shape_apart() {
        let keys = [
            TypeRef::Named("Pet".into()),
            TypeRef::String,
            TypeRef::Integer(32),
            TypeRef::Integer(64),
            TypeRef::Number,
            TypeRef::Boolean,
            TypeRef::Any,
            TypeRef::List(Box::new(TypeRef::Named("Pet".into()))),
            TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::String)))),
        ]
        .map(|ty| type_key(&ty));
        assert_eq!(
            keys,
            [
                "Pet",
                "string",
                "i32",
                "i64",
                "number",
                "boolean",
                "any",
                "[Pet]",
                "{[string]}"
            ]
        );
    }

    /// The driver of every fixture spec is valid Rust (format parses it) with one dispatch arm
    /// per operation and one check arm per named type, and every site points into the spec.
    #[test]
    fn drivers_call_every_operation_and_check_every_type() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for spec in [
            "spec/intercom.yaml",
            "tests/fixtures/specs/parameters.yaml",
            "tests/fixtures/specs/bodies.yaml",
            "tests/fixtures/specs/hostile.yaml",
        ] {
            let model = model(&root.join(spec), spec, &crate::config::Config::default())
                .expect("the fixture resolves");
            let source = driver(&model.api, "client").expect("the driver is valid Rust");
            for (_, op) in operations(&model.api) {
                let arm = format!("{:?} =>", op.operation_id);
                assert!(source.contains(&arm), "{spec}: no call arm {arm}");
            }
            for ty in &model.api.types {
                let arm = format!("{:?} => check::<client::{}>", ty.name, ty.name);
                assert!(source.contains(&arm), "{spec}: no check arm {arm}");
            }
            for site in sites(&model).iter().filter(|s| !s.property) {
                assert!(
                    model.document.pointer(&site.pointer).is_some(),
                    "{spec}: {} is not in the spec",
                    site.pointer
                );
            }
        }
    }
}
