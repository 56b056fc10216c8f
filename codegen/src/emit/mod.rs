//! Stage 3, emit: the IR -> one token stream per generated file.
//!
//! Emission decides nothing: every name, type and rule comes from the IR. Code is built only
//! with `quote!` and identifiers, so it is syntactically valid by construction. Generated code
//! names everything by absolute path (`::serde::Serialize`) so it cannot clash with user names.

mod client;
mod docs;
mod schema;
mod types;
mod validate;

use crate::ir::{Api, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::ops::Range;

/// The generated crate's files: path relative to `src/`, and contents as tokens.
///
/// The same tokens as emitting every [`Part`] of [`parts`] and joining each file's in order.
pub fn emit(api: &Api) -> Vec<(String, TokenStream)> {
    parts(api)
        .into_iter()
        .map(|(path, parts)| {
            let mut tokens = TokenStream::new();
            for part in &parts {
                tokens.extend(emit_part(api, part));
            }
            (path, tokens)
        })
        .collect()
}

/// How many types one part of `types.rs`, `validate.rs` or `schema.rs` holds: small enough
/// that the parts of a large spec spread evenly over the threads that format them.
const TYPES_PER_PART: usize = 24;

/// A piece of one generated file that can be emitted (and formatted) on its own: a whole
/// file, or the items of a range of `api.types` (the part starting at 0 carrying the file's
/// docs and imports). A file is its parts' tokens one after the other.
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
}

/// The generated crate's files (path relative to `src/`), in a fixed order, each with its
/// parts in order. Emitting the parts is independent, so it can run on several threads.
pub fn parts(api: &Api) -> Vec<(String, Vec<Part>)> {
    parts_of(api, TYPES_PER_PART)
}

/// [`parts`] with `per_part` types (at least 1) in each part of the per-type files.
pub(crate) fn parts_of(api: &Api, per_part: usize) -> Vec<(String, Vec<Part>)> {
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
        (
            "schema.rs".to_owned(),
            ranges().into_iter().map(Part::Schema).collect(),
        ),
    ]);
    files
}

/// The tokens of one part of a generated file.
pub fn emit_part(api: &Api, part: &Part) -> TokenStream {
    match part {
        Part::Lib => lib(api, client::has_params(api)),
        Part::Client => client::client(api),
        Part::Error => error(api),
        Part::Params => client::params(api).unwrap_or_default(),
        Part::Types(range) => types::types(api, range.clone()),
        Part::Validate(range) => validate::validate(api, range.clone()),
        Part::Schema(range) => schema::schema(api, range.clone()),
    }
}

/// An identifier from a name the naming module already made valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
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

fn lib(api: &Api, has_params: bool) -> TokenStream {
    let types_glob = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let params = has_params.then(|| {
        quote! {
            /// The query, header and cookie parameters of the operations that take them.
            #[rustfmt::skip]
            pub mod params;
        }
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
        .collect();
    client_items.sort();
    let client_items = client_items.iter().map(|name| ident(name));
    quote! {
        #(#crate_docs)*
        #![doc = ""]
        #![doc = #generated]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        mod types;
        #[rustfmt::skip]
        mod validate;
        #[cfg(feature = "schemars")]
        #[rustfmt::skip]
        mod schema;

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
        }
    }
}

/// `error.rs`: the crate's `Error`, the runtime's error over the spec's error body.
fn error(api: &Api) -> TokenStream {
    let (error, error_body) = match &api.error_body {
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
            (quote!(crate::types::#ty), error_body)
        }
        None => (quote!(::serde_json::Value), TokenStream::new()),
    };
    quote! {
        //! The crate's error type.

        /// Every way a call can fail: an invalid request (nothing sent), a timeout, a transport
        /// failure, an undecodable response, or an error status from the API with its body.
        pub type Error = ::runtime::Error<#error>;

        /// A call to an operation: await it for the response body, or set per-call options
        /// first. Every operation method returns one.
        pub type Call<'a, T> = ::runtime::Call<'a, T, #error>;

        #error_body
    }
}
