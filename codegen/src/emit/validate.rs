//! `validate.rs`: a `runtime::Validate` impl per type, checking what the types cannot say.

use super::ident;
use crate::ir::{Api, Constraint, Field, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn validate(api: &Api) -> TokenStream {
    let impls = api.types.iter().map(type_impl);
    quote! {
        //! Validation of every type against the rules of its schema. The client runs it before
        //! sending anything.

        use crate::types::*;

        #(#impls)*
    }
}

fn type_impl(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let checks: Vec<TokenStream> = match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(field_checks).collect(),
        TypeKind::StringEnum(_) => Vec::new(),
        TypeKind::TaggedUnion(u) => {
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                quote!(#name::#variant(value) => ::runtime::Validate::validate_at(value, path, errors),)
            });
            vec![quote! { match self { #(#arms)* } }]
        }
    };
    let body = if checks.is_empty() {
        quote!(
            fn validate_at(&self, _path: &str, _errors: &mut ::runtime::ValidationErrors) {}
        )
    } else {
        quote! {
            fn validate_at(&self, path: &str, errors: &mut ::runtime::ValidationErrors) {
                #(#checks)*
            }
        }
    };
    let inherent = def.usage.request.then(|| {
        quote! {
            impl #name {
                /// Checks every rule of the spec that the type itself cannot enforce and
                /// reports every violation, each with the JSON pointer of the offending value.
                /// The client calls this before sending, so an invalid request never leaves.
                pub fn validate(&self) -> ::std::result::Result<(), ::runtime::ValidationErrors> {
                    ::runtime::Validate::validate(self)
                }
            }
        }
    });
    quote! {
        impl ::runtime::Validate for #name {
            #body
        }

        #inherent
    }
}

/// The checks of one field, or `None` when there is nothing to check.
fn field_checks(f: &Field) -> Option<TokenStream> {
    let segment = f.wire_name.replace('~', "~0").replace('/', "~1");
    let value = quote!(value);
    let mut checks: Vec<TokenStream> = f
        .constraints
        .iter()
        .map(|c| constraint(c, &segment, &value))
        .collect();
    if let Some(nested) = nested(&f.ty, &quote!(&::runtime::pointer(path, #segment)), &value) {
        checks.push(nested);
    }
    if checks.is_empty() {
        return None;
    }
    let name = ident(&f.name);
    Some(if f.required && !f.nullable {
        quote! { { let value = &self.#name; #(#checks)* } }
    } else {
        quote! { if let ::std::option::Option::Some(value) = &self.#name { #(#checks)* } }
    })
}

fn constraint(c: &Constraint, segment: &str, value: &TokenStream) -> TokenStream {
    match c {
        Constraint::MinLength(min) => quote!(errors.min_length(path, #segment, #value, #min);),
        Constraint::MaxLength(max) => quote!(errors.max_length(path, #segment, #value, #max);),
        Constraint::Const(expected) => quote!(errors.constant(path, #segment, #value, #expected);),
    }
}

/// Validation of a value that contains named types, at the pointer `at`.
fn nested(ty: &TypeRef, at: &TokenStream, value: &TokenStream) -> Option<TokenStream> {
    match ty {
        TypeRef::Named(_) => Some(quote!(::runtime::Validate::validate_at(#value, #at, errors);)),
        TypeRef::List(inner) => {
            let item = nested(
                inner,
                &quote!(&::runtime::pointer(base, &index.to_string())),
                &quote!(item),
            )?;
            Some(quote! {
                let base: &str = #at;
                for (index, item) in #value.iter().enumerate() { #item }
            })
        }
        TypeRef::Map(inner) => {
            let item = nested(
                inner,
                &quote!(&::runtime::pointer(
                    base,
                    &key.replace('~', "~0").replace('/', "~1")
                )),
                &quote!(item),
            )?;
            Some(quote! {
                let base: &str = #at;
                for (key, item) in #value.iter() { #item }
            })
        }
        _ => None,
    }
}
