//! Stage 3, emit: the IR -> the generated crate's files, each cut into parts that are emitted
//! (and formatted) independently.
//!
//! Emission decides nothing: every name, type and rule comes from the IR. Code is built only
//! with `quote!` and identifiers, so it is syntactically valid by construction. Emit functions
//! name everything outside the crate by its full path (`::std::option::Option`), which is
//! always right; the `paths` pass then shortens each one to the plain name wherever nothing in the
//! generated crate can shadow it, so the code reads as a person would write it.

mod client;
mod construct;
mod docs;
mod mock;
mod multipart;
mod pagination;
mod paths;
mod schema;
mod shared;
mod types;
mod validate;

pub(crate) use types::field_type;

use crate::ir::{Api, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;
use std::ops::Range;

/// The generated crate, ready to be emitted part by part: what [`format`](crate::format::format)
/// turns into files. Tokens cannot cross threads, so a part is emitted ([`Files::piece`]) on the
/// thread that formats it.
#[derive(Debug)]
pub struct Files<'a> {
    api: &'a Api,
    cx: Crate,
    files: Vec<(String, Vec<Part>)>,
}

/// What every part needs to know about the whole crate, worked out once for all of them.
#[derive(Debug)]
struct Crate {
    /// Every name the generated crate defines, which readable paths must not collide with.
    names: BTreeSet<String>,
    /// The rule sets several values share (functions of `validate.rs`).
    shared: shared::Shared,
    /// What `validate.rs` imports of the runtime.
    validate_imports: Vec<&'static str>,
    /// What `client.rs` imports of the runtime.
    client_imports: Vec<&'static str>,
    /// The schema data's file name, beside the file `schema.rs`'s items end up in.
    data_file: String,
}

impl Crate {
    fn of(api: &Api, data_file: &str) -> Crate {
        let names = crate_names(api);
        let shared = shared::Shared::of(api);
        let validate_imports = if validate::anything_checked(api, &shared) {
            // The items every `Validate` impl names.
            paths::importable(
                &[
                    "runtime::Path",
                    "runtime::Validate",
                    "runtime::ValidationErrors",
                ],
                &names,
            )
        } else {
            Vec::new()
        };
        // `Method`, which every operation names, and `Path`, which locates parameters' broken
        // rules.
        let mut candidates = Vec::new();
        if client::all_operations(api).next().is_some() {
            candidates.push("runtime::Method");
        }
        if validate::params_have_checks(api) {
            candidates.push("runtime::Path");
        }
        let client_imports = paths::importable(&candidates, &names);
        Crate {
            names,
            shared,
            validate_imports,
            client_imports,
            data_file: data_file.to_owned(),
        }
    }
}

/// What a part is made of.
#[derive(Debug)]
pub enum Piece {
    /// Rust items, to format.
    Rust(TokenStream),
    /// A JSON document (a whole file), to print.
    Json(serde_json::Value),
}

/// Stage 3: the generated crate's files, in a fixed order, each with its parts in order.
pub fn emit(api: &Api) -> Files<'_> {
    emit_in_parts(api, TYPES_PER_PART)
}

/// [`emit`] with `per_part` types (at least 1) in each part of the per-type files.
pub(crate) fn emit_in_parts(api: &Api, per_part: usize) -> Files<'_> {
    Files {
        api,
        cx: Crate::of(api, "schemas.json"),
        files: parts_of(api, per_part),
    }
}

/// Every name the generated crate defines: its types, its groups and its fixed items.
fn crate_names(api: &Api) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = api
        .types
        .iter()
        .map(|def| def.name.clone())
        .chain(api.groups.iter().map(|group| group.type_name.clone()))
        .collect();
    names.extend(
        ["Client", "ClientBuilder", "Region", "Error", "Call"]
            .into_iter()
            .map(str::to_owned),
    );
    names
}

impl Files<'_> {
    /// The files (path relative to the crate's `src/`) and their parts, in order.
    pub fn files(&self) -> &[(String, Vec<Part>)] {
        &self.files
    }

    /// One part, emitted.
    pub fn piece(&self, part: &Part) -> Piece {
        match part {
            Part::SchemaData => Piece::Json(schema::data(self.api)),
            part => {
                let imports: &[&str] = match part {
                    Part::Validate(_) => &self.cx.validate_imports,
                    Part::Client => &self.cx.client_imports,
                    _ => &[],
                };
                Piece::Rust(paths::shorten(
                    emit_part(self.api, &self.cx, part),
                    &self.cx.names,
                    imports,
                ))
            }
        }
    }
}

/// How many types one part of `types.rs`, `validate.rs` or `schema.rs` holds: small enough
/// that the parts of a large spec spread evenly over the threads that format them.
const TYPES_PER_PART: usize = 24;

/// A piece of one generated file that can be emitted (and formatted) on its own: a whole
/// file, or the items of a range of `api.types` (the part starting at 0 carrying the file's
/// docs and imports). A file is its parts one after the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// `lib.rs`.
    Lib,
    /// `client.rs`.
    Client,
    /// `error.rs`.
    Error,
    /// `params.rs`.
    Params,
    /// The types of `api.types[range]`, in `types.rs`.
    Types(Range<usize>),
    /// The `Validate` impls of `api.types[range]`, in `validate.rs`.
    Validate(Range<usize>),
    /// The `JsonSchema` impls of `api.types[range]`, in `schema.rs`.
    Schema(Range<usize>),
    /// `schemas.json`: every type's JSON Schema, as data `schema.rs` reads.
    SchemaData,
    /// `mock.rs`: the mock of the API (the generated crate's feature `mock`).
    Mock,
}

/// The files and their parts, `per_part` types in each part of the per-type files.
fn parts_of(api: &Api, per_part: usize) -> Vec<(String, Vec<Part>)> {
    let per_part = per_part.max(1);
    let ranges = || {
        let n = api.types.len();
        let mut ranges: Vec<Range<usize>> = (0..n)
            .step_by(per_part)
            .map(|start| start..n.min(start.saturating_add(per_part)))
            .collect();
        if ranges.is_empty() {
            ranges.push(0..0);
        }
        ranges
    };
    let mut files = vec![
        ("lib.rs".to_owned(), vec![Part::Lib]),
        ("client.rs".to_owned(), vec![Part::Client]),
        ("error.rs".to_owned(), vec![Part::Error]),
    ];
    if client::has_params(api) {
        files.push(("params.rs".to_owned(), vec![Part::Params]));
    }
    files.extend([
        (
            "types.rs".to_owned(),
            ranges().into_iter().map(Part::Types).collect(),
        ),
        (
            "validate.rs".to_owned(),
            ranges().into_iter().map(Part::Validate).collect(),
        ),
    ]);
    if api.schemars {
        files.extend([
            (
                "schema.rs".to_owned(),
                ranges().into_iter().map(Part::Schema).collect(),
            ),
            ("schemas.json".to_owned(), vec![Part::SchemaData]),
        ]);
    }
    files.push(("mock.rs".to_owned(), vec![Part::Mock]));
    files
}

/// The whole client as one module file, for a build script ([`crate::build`]): what `lib.rs`
/// holds, with every other file's items inline as its modules, `crate::` paths made relative
/// (`super::`) so the file can be `include!`d inside any module of any crate, and the schema
/// data read from `data_file` beside it. The tokens, and the schema data.
pub fn module(api: &Api, data_file: &str) -> (TokenStream, serde_json::Value) {
    let cx = Crate::of(api, data_file);
    let all = 0..api.types.len();
    let part = |part: Part, imports: &[&str]| {
        relative_to_parent(paths::shorten(
            emit_part(api, &cx, &part),
            &cx.names,
            imports,
        ))
    };
    let has_params = client::has_params(api);
    let inline = Inline {
        client: part(Part::Client, &cx.client_imports),
        error: part(Part::Error, &[]),
        params: part(Part::Params, &[]),
        types: part(Part::Types(all.clone()), &[]),
        validate: part(Part::Validate(all.clone()), &cx.validate_imports),
        schema: part(Part::Schema(all), &[]),
    };
    // The `http` module's re-exports sit one level below the root too.
    let lib = relative_to_parent(lib(api, has_params, Some(inline)));
    (paths::shorten(lib, &cx.names, &[]), schema::data(api))
}

/// `crate::x` -> `super::x`: the items of a module one level below the client's root, which
/// is not the crate's root when the client is `include!`d.
fn relative_to_parent(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) if ident == "crate" => {
                proc_macro2::TokenTree::Ident(Ident::new("super", ident.span()))
            }
            proc_macro2::TokenTree::Group(group) => {
                let mut new =
                    proc_macro2::Group::new(group.delimiter(), relative_to_parent(group.stream()));
                new.set_span(group.span());
                proc_macro2::TokenTree::Group(new)
            }
            other => other,
        })
        .collect()
}

/// The tokens of one part of a generated Rust file, paths in full.
fn emit_part(api: &Api, cx: &Crate, part: &Part) -> TokenStream {
    match part {
        Part::Lib => lib(api, client::has_params(api), None),
        Part::Client => client::client(api, cx),
        Part::Error => error(api),
        Part::Params => client::params(api).unwrap_or_default(),
        Part::Types(range) => types::types(api, range.clone()),
        Part::Validate(range) => validate::validate(api, cx, range.clone()),
        Part::Schema(range) => schema::schema(api, range.clone(), &cx.data_file),
        Part::SchemaData => TokenStream::new(),
        Part::Mock => mock::mock(api, cx),
    }
}

/// An identifier from a name the naming module already made valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A type with every spec type written `crate::types::Name`, so it needs no import (and no
/// name in the file can shadow it: a schema may be called `Mock`, like the mock's own struct).
pub(crate) fn qualified_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        TypeRef::List(inner) => {
            let inner = qualified_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = qualified_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = qualified_type(inner);
            quote!(::std::option::Option<#inner>)
        }
        other => rust_type(other),
    }
}

/// The Rust type for a type reference.
pub(crate) fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer(32) => quote!(i32),
        TypeRef::Integer(_) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::List(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// The bodies of the modules when the whole client is one file ([`module`]); `None` in `lib`:
/// each module is a file of its own.
struct Inline {
    client: TokenStream,
    error: TokenStream,
    params: TokenStream,
    types: TokenStream,
    validate: TokenStream,
    schema: TokenStream,
}

fn lib(api: &Api, has_params: bool, inline: Option<Inline>) -> TokenStream {
    let types_glob = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let params = has_params.then(|| {
        let body = match &inline {
            Some(inline) => {
                let params = &inline.params;
                quote!({ #params })
            }
            None => quote!(;),
        };
        quote! {
            /// The query, header and cookie parameters of the operations that take them.
            #[rustfmt::skip]
            pub mod params #body
        }
    });
    let schema_module = api.schemars.then(|| match &inline {
        Some(inline) => {
            let schema = &inline.schema;
            quote! {
                #[cfg(feature = "schemars")]
                mod schema { #schema }
            }
        }
        None => quote! {
            #[cfg(feature = "schemars")]
            #[rustfmt::skip]
            mod schema;
        },
    });
    let text = api.docs.clone().unwrap_or_else(|| api.title.clone());
    let generated = format!(
        " Generated from the API description \"{}\" (version {}). Start with [`Client::builder`].",
        docs::inline(&api.title),
        docs::inline(&api.version)
    );
    let crate_docs = docs::doc_attrs(Some(&text))
        .into_iter()
        .map(|attr| match attr {
            // `#[doc]` -> `#![doc]`: crate docs are inner attributes.
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => quote!(#p!),
            other => quote!(#other),
        });
    // Every module and the client's re-exports `#[rustfmt::skip]`: the files are formatted by
    // prettyplease, and `cargo fmt --check` over the workspace must agree with it (rustfmt
    // orders and wraps a long `use` list differently, e.g. `Value2` before `V123`).
    let mut client_items: Vec<String> = ["Client", "ClientBuilder"]
        .into_iter()
        .map(str::to_owned)
        .chain(api.groups.iter().map(|g| g.type_name.clone()))
        .chain((!api.servers.is_empty()).then(|| "Region".to_owned()))
        .chain(multipart::form_names(api))
        .collect();
    client_items.sort();
    let client_items = client_items.iter().map(|name| ident(name));
    // A crate's root has the crate's docs and lints; a module included into someone's crate
    // (`include!` cannot take inner attributes) has its modules inline.
    let (head, modules) = match inline {
        None => (
            quote! {
                #(#crate_docs)*
                #![doc = ""]
                #![doc = #generated]
                #![forbid(unsafe_code)]
                #![warn(missing_docs)]
            },
            quote! {
                #[rustfmt::skip]
                mod client;
                #[rustfmt::skip]
                mod error;
                #[rustfmt::skip]
                mod types;
                #[rustfmt::skip]
                mod validate;
                #schema_module
                #[cfg(feature = "mock")]
                #[rustfmt::skip]
                pub mod mock;
            },
        ),
        Some(Inline {
            client,
            error,
            types,
            validate,
            ..
        }) => (
            TokenStream::new(),
            quote! {
                mod client { #client }
                mod error { #error }
                mod types { #types }
                mod validate { #validate }
                #schema_module
            },
        ),
    };
    // Page streams, forms, streams, uploads and token sources, for the crates that use them.
    let streams = http_exports(api);
    quote! {
        #head

        #modules

        #params

        #[rustfmt::skip]
        pub use client::{#(#client_items),*};
        pub use error::Error;
        pub use runtime::{ApiError, ValidationError, ValidationErrors};
        #types_glob

        /// Calls and their settings beyond the request body: per-call options, the retry
        /// policy, the clock retries wait on, and the metadata of a response.
        #[rustfmt::skip]
        pub mod http {
            pub use crate::error::Call;
            pub use runtime::{Clock, RateLimit, RequestOptions, Response, ResponseMeta, RetryPolicy, SystemClock};
            #streams
        }
    }
}

/// What `lib.rs`'s `http` module re-exports of the runtime for page streams, multipart forms,
/// streamed responses, uploads and token sources, each when the API has a use for it (nothing
/// otherwise, so other crates are unchanged).
fn http_exports(api: &Api) -> TokenStream {
    let pages = client::all_operations(api)
        .any(|op| op.pagination.is_some())
        .then(|| {
            quote!(
                pub use runtime::{Items, Pages};
            )
        });
    let multipart = client::all_operations(api)
        .any(|op| op.multipart.is_some())
        .then(|| {
            quote!(
                pub use runtime::{FilePart, Multipart};
            )
        });
    let bytes = client::all_operations(api)
        .any(|op| matches!(op.output, crate::ir::Output::Bytes))
        .then(|| {
            quote!(
                pub use runtime::ByteStream;
            )
        });
    let events = client::all_operations(api)
        .any(|op| matches!(op.output, crate::ir::Output::Events(_)))
        .then(|| {
            quote!(
                pub use runtime::{Event, EventStream};
            )
        });
    let upload = client::all_operations(api)
        .any(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Bytes)
        })
        .then(|| {
            quote!(
                pub use runtime::Upload;
            )
        });
    let sources = api
        .auth
        .iter()
        .map(|a| &a.source_setter)
        .chain(api.other_schemes.iter().map(|s| &s.source_setter))
        .any(Option::is_some)
        .then(|| {
            quote!(
                pub use runtime::{ClientCredentials, TokenSource};
            )
        });
    quote!(#pages #multipart #bytes #events #upload #sources)
}

/// The type of the spec's error body, crate-qualified (`serde_json::Value` without one).
pub(crate) fn error_body_type(api: &Api) -> TokenStream {
    match &api.error_body {
        Some(body) => {
            let ty = ident(&body.ty);
            quote!(crate::types::#ty)
        }
        None => quote!(::serde_json::Value),
    }
}

/// `error.rs`: the crate's `Error`, the runtime's error over the spec's error body.
fn error(api: &Api) -> TokenStream {
    let error = error_body_type(api);
    let error_body = match &api.error_body {
        Some(body) => {
            let ty = ident(&body.ty);
            let request_id = match &body.request_id_field {
                Some(field) => {
                    let field = ident(field);
                    quote!(self.#field.as_deref())
                }
                None => quote!(::std::option::Option::None),
            };
            let error_body = quote! {
                impl ::runtime::ErrorBody for crate::types::#ty {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        #request_id
                    }
                }
            };
            error_body
        }
        None => TokenStream::new(),
    };
    quote! {
        //! The crate's error type.

        /// Every way a call can fail: an invalid request (nothing sent), a timeout, a transport
        /// failure, an undecodable response, or an error status from the API with its body.
        pub type Error = ::runtime::Error<#error>;

        /// A call to an operation, which every operation method returns: await it for the
        /// response body. Per-call options, retries and errors work as [`runtime::Call`] says.
        pub type Call<'a, T> = ::runtime::Call<'a, T, #error>;

        #error_body
    }
}
