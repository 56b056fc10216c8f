//! How callers build a generated struct: `new` with the required members, then a `with_<member>`
//! method per optional one. The structs are `#[non_exhaustive]`, so this is the only way in from
//! outside the crate, and a member the API adds later (an optional property, an optional
//! parameter) breaks no caller; a required member left out is still a compile error.

use super::docs::doc_attrs;
use super::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// How a member is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Presence {
    /// `T`: a required argument of `new`.
    Required,
    /// `Option<T>`, required but nullable: a required argument of `new`, `None` for `null`.
    RequiredNullable,
    /// `Option<T>`: `None` until its `with_` method sets it.
    Optional,
    /// `Option<Option<T>>` (absent, `null` or a value): its `with_` method takes `Option<T>`.
    OptionalNullable,
    /// A map of the extra properties: empty until the caller fills it.
    Extra,
}

/// One member of a struct, as [`constructors`] needs it.
pub(super) struct Member<'a> {
    /// The field's name.
    pub name: &'a str,
    /// The value's type, without its `Option`s or `Box`.
    pub ty: TokenStream,
    /// Whether the value is held in a `Box`.
    pub boxed: bool,
    /// How it is held.
    pub presence: Presence,
    /// What it is, for the docs (`` the `subject` property ``).
    pub what: String,
}

/// `impl Name { fn new(..); fn with_..(..) }` for a struct with these members.
pub(super) fn constructors(name: &str, members: &[Member<'_>]) -> TokenStream {
    let type_name = ident(name);
    let required: Vec<&Member<'_>> = members
        .iter()
        .filter(|m| matches!(m.presence, Presence::Required | Presence::RequiredNullable))
        .collect();
    let params = required.iter().map(|m| {
        let field = ident(m.name);
        let ty = &m.ty;
        match (m.presence, m.boxed) {
            (Presence::Required, false) => quote!(#field: impl ::std::convert::Into<#ty>),
            (Presence::Required, true) => quote!(#field: #ty),
            _ => quote!(#field: ::std::option::Option<#ty>),
        }
    });
    let inits = members.iter().map(|m| {
        let field = ident(m.name);
        let value = match (m.presence, m.boxed) {
            (Presence::Required, false) => quote!(::std::convert::Into::into(#field)),
            (Presence::Required, true) => quote!(::std::boxed::Box::new(#field)),
            // Field init shorthand: the argument is the value.
            (Presence::RequiredNullable, false) => return quote!(#field,),
            (Presence::RequiredNullable, true) => quote!(#field.map(::std::boxed::Box::new)),
            (Presence::Optional | Presence::OptionalNullable, _) => {
                quote!(::std::option::Option::None)
            }
            (Presence::Extra, _) => quote!(::std::default::Default::default()),
        };
        quote!(#field: #value,)
    });
    let listed: Vec<String> = required.iter().map(|m| m.what.clone()).collect();
    let new_docs = if listed.is_empty() {
        format!("A `{name}` with nothing set: every member is optional (`with_` methods).")
    } else {
        format!(
            "A `{name}` from its required members, in order: {}. The optional ones start unset; the `with_` methods set them.",
            listed.join(", ")
        )
    };
    let new_docs = doc_attrs(Some(&new_docs));
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // One `runtime::setter!` line per optional member (its docs are the macro's).
    let setters = members.iter().filter_map(|m| {
        let field = ident(m.name);
        let setter = ident(&format!("with_{}", m.name));
        let ty = &m.ty;
        let kind = match (m.presence, m.boxed) {
            (Presence::Optional, false) => quote!(),
            (Presence::Optional, true) => quote!(box),
            (Presence::OptionalNullable, false) => quote!(null),
            (Presence::OptionalNullable, true) => quote!(null box),
            _ => return None,
        };
        Some(quote!(::runtime::setter!(#setter, #field, #kind #ty);))
    });
    quote! {
        impl #type_name {
            #new_docs
            #many
            pub fn new(#(#params),*) -> Self {
                #type_name { #(#inits)* }
            }

            #(#setters)*
        }
    }
}
