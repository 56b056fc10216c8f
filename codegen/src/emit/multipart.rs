//! Multipart methods (issue 15): for every operation with an `ir::MultipartBody`, a
//! `<name>_multipart` method beside it, in an `impl` block of its own after the group's (or the
//! client's), that finishes a `runtime::Multipart` form (with the spec's `encoding` as its
//! parts' default media types) and sends it through the operation's own method.

use super::ident;
use crate::ir::{Api, MultipartBody, Operation, Output, ParamLocation, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl` blocks holding the multipart methods: the client's own, then each group's;
/// nothing when no operation takes a multipart body.
pub(super) fn impls(api: &Api) -> TokenStream {
    let root: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| method(op, op.multipart.as_ref()?, false))
        .collect();
    let root = (!root.is_empty()).then(|| quote!(impl Client { #(#root)* }));
    let groups = api.groups.iter().filter_map(|g| {
        let methods: Vec<TokenStream> = g
            .operations
            .iter()
            .filter_map(|op| method(op, op.multipart.as_ref()?, true))
            .collect();
        if methods.is_empty() {
            return None;
        }
        let ty = ident(&g.type_name);
        Some(quote!(impl<'a> #ty<'a> { #(#methods)* }))
    });
    quote!(#root #(#groups)*)
}

fn named(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        TypeRef::List(inner) => {
            let inner = named(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = named(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = named(inner);
            quote!(::std::option::Option<#inner>)
        }
        other => super::rust_type(other),
    }
}

fn method(op: &Operation, multipart: &MultipartBody, in_group: bool) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let name = ident(&multipart.method);
    let operation = ident(&op.name);
    let output = match &op.output {
        Output::Json(ty) => named(ty),
        Output::JsonOrEmpty(ty) => {
            let ty = named(ty);
            quote!(::std::option::Option<#ty>)
        }
        Output::Empty => quote!(()),
        Output::Text => quote!(::std::string::String),
        Output::Bytes => quote!(::std::vec::Vec<u8>),
        Output::ByStatus(e) => {
            let name = ident(&e.name);
            quote!(crate::types::#name)
        }
    };
    let mut args = Vec::new();
    let mut pass = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let arg = ident(&p.name);
        let ty = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => super::rust_type(&p.ty),
            other => {
                let ty = named(other);
                quote!(&#ty)
            }
        };
        args.push(quote!(#arg: #ty));
        pass.push(quote!(#arg));
    }
    args.push(quote!(mut form: ::runtime::Multipart));
    pass.push(if body.required {
        quote!(&body)
    } else {
        quote!(::std::option::Option::Some(&body[..]))
    });
    if let Some(params) = &op.params_type {
        let ty = ident(params);
        args.push(quote!(params: &crate::params::#ty));
        pass.push(quote!(params));
    }
    let encoding = multipart
        .encoding
        .iter()
        .map(|(field, content_type)| quote!(form.encoding(#field, #content_type);));
    let lifetime = if in_group { quote!('a) } else { quote!('_) };
    let first = format!(
        " [`{op}`](Self::{op}) with a `multipart/form-data` body: the fields of `form` (text, JSON, files from bytes, a path or a reader; see [`runtime::Multipart`]), each file's media type its own, else the spec's `encoding`, else `application/octet-stream`.",
        op = op.name
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        #[doc = #first]
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> crate::http::Call<#lifetime, #output> {
            #(#encoding)*
            let (content_type, body) = form.finish();
            self.#operation(#(#pass),*).header("content-type", content_type)
        }
    })
}

/// What `lib.rs`'s `http` module re-exports of the runtime for page streams and multipart
/// forms, when some operation has them (nothing otherwise, so other crates are unchanged).
pub(super) fn stream_exports(api: &Api) -> TokenStream {
    let pages = super::client::all_operations(api)
        .any(|op| op.pagination.is_some())
        .then(|| {
            quote!(
                pub use runtime::{Items, Pages};
            )
        });
    let multipart = super::client::all_operations(api)
        .any(|op| op.multipart.is_some())
        .then(|| {
            quote!(
                pub use runtime::{FilePart, Multipart};
            )
        });
    quote!(#pages #multipart)
}
