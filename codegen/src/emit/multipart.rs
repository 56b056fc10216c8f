//! Multipart methods (issue 15): for every operation with an `ir::MultipartBody`, a
//! `<name>_multipart` method beside it, in an `impl` block of its own after the group's (or the
//! client's), that finishes a `runtime::Multipart` form (with the spec's `encoding` as its
//! parts' default media types) and sends it through the operation's own method.

use super::construct::{constructors, Member, Presence};
use super::docs::{code, doc_attrs, join};
use super::ident;
use crate::ir::{Api, Form, FormKind, MultipartBody, Operation, Output, ParamLocation, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl` blocks holding the multipart methods: the client's own, then each group's;
/// nothing when no operation takes a multipart body.
pub(super) fn impls(api: &Api) -> TokenStream {
    let root: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| method(api, op, op.multipart.as_ref()?, false))
        .collect();
    let root = (!root.is_empty()).then(|| quote!(impl Client { #(#root)* }));
    let groups = api.groups.iter().filter_map(|g| {
        let methods: Vec<TokenStream> = g
            .operations
            .iter()
            .filter_map(|op| method(api, op, op.multipart.as_ref()?, true))
            .collect();
        if methods.is_empty() {
            return None;
        }
        let ty = ident(&g.type_name);
        Some(quote!(impl<'a> #ty<'a> { #(#methods)* }))
    });
    let forms = super::client::all_operations(api)
        .filter_map(|op| Some((op, op.multipart.as_ref()?.form.as_ref()?)))
        .map(|(op, form)| form_struct(op, form));
    quote!(#root #(#groups)* #(#forms)*)
}

/// The names of the typed forms, which `lib.rs` re-exports from `client.rs`.
pub(super) fn form_names(api: &Api) -> Vec<String> {
    super::client::all_operations(api)
        .filter_map(|op| Some(op.multipart.as_ref()?.form.as_ref()?.name.clone()))
        .collect()
}

/// A typed form: a struct with a field per property, and its conversion into the runtime's
/// `Multipart` (text parts as the values display, JSON parts, file parts).
fn form_struct(op: &Operation, form: &Form) -> TokenStream {
    let name = ident(&form.name);
    let doc = doc_attrs(Some(&join(
        form.docs.as_deref(),
        &format!(
            "The `multipart/form-data` body of {} (operation {}); send it with the operation's `_multipart` method.",
            code(&format!("{} {}", op.method.as_str(), op.path)),
            code(&op.operation_id)
        ),
    )));
    // The value type of each field, without its `Option`.
    let value_type = |f: &crate::ir::FormField| match &f.kind {
        FormKind::Text(ty) | FormKind::Json(ty) => super::qualified_type(ty),
        FormKind::TextList(ty) => {
            let ty = super::qualified_type(ty);
            quote!(::std::vec::Vec<#ty>)
        }
        FormKind::File => quote!(::runtime::FilePart),
        FormKind::Files => quote!(::std::vec::Vec<::runtime::FilePart>),
    };
    let members: Vec<Member<'_>> = form
        .fields
        .iter()
        .map(|f| Member {
            name: &f.name,
            ty: value_type(f),
            boxed: false,
            presence: if f.required {
                Presence::Required
            } else {
                Presence::Optional
            },
            what: format!("the {} part", code(&f.wire_name)),
        })
        .collect();
    let construct = constructors(&form.name, &members);
    let fields = form.fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = match &f.kind {
            FormKind::Text(ty) | FormKind::Json(ty) => super::qualified_type(ty),
            FormKind::TextList(ty) => {
                let ty = super::qualified_type(ty);
                quote!(::std::vec::Vec<#ty>)
            }
            FormKind::File => quote!(::runtime::FilePart),
            FormKind::Files => quote!(::std::vec::Vec<::runtime::FilePart>),
        };
        let ty = if f.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let what = match f.kind {
            FormKind::Text(_) | FormKind::TextList(_) => "text",
            FormKind::Json(_) => "JSON",
            FormKind::File | FormKind::Files => "file",
        };
        let doc = doc_attrs(Some(&join(
            f.docs.as_deref(),
            &format!(
                "The {} {what} part{}.",
                code(&f.wire_name),
                if f.required { "; required" } else { "" }
            ),
        )));
        quote!(#doc pub #field: #ty,)
    });
    let parts = form.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        let part = |value: TokenStream| match f.kind {
            FormKind::Text(_) | FormKind::TextList(_) => {
                quote!(form.text(#wire, &::std::string::ToString::to_string(&#value));)
            }
            FormKind::Json(_) => quote!(form.json(#wire, &#value);),
            FormKind::File | FormKind::Files => quote!(form.file(#wire, #value);),
        };
        let list = matches!(f.kind, FormKind::TextList(_) | FormKind::Files);
        match (list, f.required) {
            (false, true) => part(quote!(self.#field)),
            (false, false) => {
                let one = part(quote!(value));
                quote!(if let ::std::option::Option::Some(value) = self.#field { #one })
            }
            (true, true) => {
                let one = part(quote!(value));
                quote!(for value in self.#field { #one })
            }
            (true, false) => {
                let one = part(quote!(value));
                quote!(for value in self.#field.into_iter().flatten() { #one })
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #construct

        impl ::std::convert::From<#name> for ::runtime::Multipart {
            fn from(form: #name) -> Self {
                form.into_multipart()
            }
        }

        impl #name {
            /// The form's parts, in the spec's order; a field that is `None` sends no part.
            pub fn into_multipart(self) -> ::runtime::Multipart {
                let mut form = ::runtime::Multipart::new();
                #(#parts)*
                form
            }
        }
    }
}

fn method(
    api: &Api,
    op: &Operation,
    multipart: &MultipartBody,
    in_group: bool,
) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let name = ident(&multipart.method);
    let operation = ident(&op.name);
    let output = match &op.output {
        Output::Json(ty) => super::qualified_type(ty),
        Output::JsonOrEmpty(ty) => {
            let ty = super::qualified_type(ty);
            quote!(::std::option::Option<#ty>)
        }
        Output::Empty => quote!(()),
        Output::Text => quote!(::std::string::String),
        Output::Bytes => super::client::streamed_output(api, None).0,
        Output::Events(data) => super::client::streamed_output(api, Some(data)).0,
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
                let ty = super::qualified_type(other);
                quote!(&#ty)
            }
        };
        args.push(quote!(#arg: #ty));
        pass.push(quote!(#arg));
    }
    args.push(quote!(form: impl ::std::convert::Into<::runtime::Multipart>));
    // The operation's raw body is replaced by the form's.
    pass.push(if body.required {
        quote!(::std::vec::Vec::<u8>::new())
    } else {
        quote!(::std::option::Option::None)
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
    let typed = match &multipart.form {
        Some(form) => format!(
            " (the typed [`{}`], or any [`runtime::Multipart`])",
            form.name
        ),
        None => " (a [`runtime::Multipart`])".to_owned(),
    };
    let first = format!(
        " [`{op}`](Self::{op}) with a `multipart/form-data` body: the parts of `form`{typed}: text, JSON, files from bytes, a path or a reader, each file's media type its own, else the spec's `encoding`, else `application/octet-stream`.",
        op = op.name
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        #[doc = #first]
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> crate::http::Call<#lifetime, #output> {
            let mut form: ::runtime::Multipart = form.into();
            #(#encoding)*
            self.#operation(#(#pass),*).multipart(form)
        }
    })
}
