//! `types.rs`: one Rust type per named schema, (de)serialising exactly as the wire says.

use super::construct::{constructors, Member, Presence};
use super::docs::{code, doc_attrs, join, or_else};
use super::{ident, rust_type};
use crate::ir::{
    Api, EventData, EventEnum, Field, Operation, Output, StatusBody, StatusEnum, StringEnum,
    Struct, TaggedUnion, TypeDef, TypeKind, UntaggedVariant,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::ops::Range;

/// The types of `api.types[range]`; the part starting at 0 also has the file's docs, the part
/// ending with the last type the operations' status enums.
pub(super) fn types(api: &Api, range: Range<usize>) -> TokenStream {
    let head = (range.start == 0).then(|| {
        quote! {
            //! The API's request and response types, one per schema of the spec.
        }
    });
    let last = range.end == api.types.len();
    let defs = api.types[range].iter().map(|def| type_def(def, api));
    let status_enums = super::client::all_operations(api)
        .filter(|_| last)
        .filter_map(|op| match &op.output {
            Output::ByStatus(e) => Some(status_enum(op, e)),
            Output::Events(EventData::Named(e)) => Some(event_enum(op, e)),
            _ => None,
        });
    quote! {
        #head

        #(#defs)*
        #(#status_enums)*
    }
}

/// The server-sent events of an operation whose event names carry different data: a variant
/// per name the spec lists, one for the others, and the decoder the event stream calls.
fn event_enum(op: &Operation, e: &EventEnum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc_attrs(Some(&format!(
        "The server-sent events of `{}`, one variant per event name (`event:`).",
        op.operation_id
    )));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(Some(&format!("`event: {}`.", v.event)));
        let ty = rust_type(&v.ty);
        quote!(#doc #variant(#ty),)
    });
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let event = &v.event;
        quote!(::std::option::Option::Some(#event) => ::runtime::sse::json(event, data).map(Self::#variant),)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An event whose name the spec does not list (or that has none), as it came.
            Other {
                /// The event's name.
                event: ::std::option::Option<::std::string::String>,
                /// The event's data.
                data: ::std::string::String,
            },
        }

        impl #name {
            /// Decodes an event's data by its name (the event stream's decoder for this
            /// operation).
            ///
            /// # Errors
            ///
            /// The JSON pointer and message when the data does not match its event's schema.
            pub fn decode(
                event: ::std::option::Option<&str>,
                data: &str,
            ) -> ::std::result::Result<Self, (::std::option::Option<::std::string::String>, ::std::string::String)> {
                match event {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::Other {
                        event: event.map(::std::borrow::ToOwned::to_owned),
                        data: ::std::borrow::ToOwned::to_owned(data),
                    }),
                }
            }
        }
    }
}

/// The successful responses of an operation whose statuses carry different bodies: a variant
/// per status, and the decoder the client calls with the status it got.
fn status_enum(op: &Operation, e: &StatusEnum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc_attrs(Some(&format!(
        "The successful responses of `{}`, one variant per status: the statuses carry different bodies.",
        op.operation_id
    )));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(Some(&join(
            v.docs.as_deref(),
            &format!("Status {}.", v.status),
        )));
        let body = match &v.body {
            StatusBody::Json(ty) => Some(rust_type(ty)),
            StatusBody::Text => Some(quote!(::std::string::String)),
            StatusBody::Bytes => Some(quote!(::std::vec::Vec<u8>)),
            StatusBody::Empty => None,
        };
        let body = body.map(|ty| quote!((#ty)));
        quote!(#doc #variant #body,)
    });
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = v.status;
        let decode = match &v.body {
            StatusBody::Json(_) => quote!(::runtime::body::json(status, bytes).map(Self::#variant)),
            StatusBody::Text => quote!(::runtime::body::text(status, bytes).map(Self::#variant)),
            StatusBody::Bytes => quote!(::runtime::body::bytes(status, bytes).map(Self::#variant)),
            StatusBody::Empty => quote!(::std::result::Result::Ok(Self::#variant)),
        };
        quote!(#status => #decode,)
    });
    let statuses = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = v.status;
        let pattern = match v.body {
            StatusBody::Empty => quote!(Self::#variant),
            _ => quote!(Self::#variant(_)),
        };
        quote!(#pattern => #status,)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The status the API answered with.
            pub fn status(&self) -> u16 {
                match self {
                    #(#statuses)*
                }
            }

            /// Decodes the body of a successful response by its status (the client's
            /// decoder for this operation).
            ///
            /// # Errors
            ///
            /// The JSON pointer and message when the body does not match its status's schema,
            /// or a message when the status is not one the spec declares.
            pub fn decode(
                status: u16,
                bytes: &[u8],
            ) -> ::std::result::Result<Self, (::std::option::Option<::std::string::String>, ::std::string::String)> {
                match status {
                    #(#arms)*
                    other => ::std::result::Result::Err((
                        ::std::option::Option::None,
                        ::std::format!("the API answered {other}, a success status the spec does not declare for this operation"),
                    )),
                }
            }
        }
    }
}

/// The derives the user asked for that the type can have (decided in resolve), as one more
/// `#[derive]` attribute.
fn extra_derives(def: &TypeDef) -> Option<TokenStream> {
    let paths: Vec<syn::Path> = def
        .derives
        .iter()
        .filter_map(|d| syn::parse_str(d).ok())
        .collect();
    (!paths.is_empty()).then(|| quote!(#[derive(#(#paths),*)]))
}

fn type_def(def: &TypeDef, api: &Api) -> TokenStream {
    let taken = |name: &str| api.types.iter().any(|t| t.name == name);
    let examples = super::docs::examples(&def.examples, api.crate_name.as_deref(), &taken);
    match &def.kind {
        TypeKind::Struct(s) => structure(def, s, &examples),
        TypeKind::StringEnum(e) => string_enum(def, e, &examples),
        TypeKind::TaggedUnion(u) => union(def, u, &examples),
        TypeKind::Untagged(variants) => untagged(def, variants, &examples),
    }
}

fn structure(def: &TypeDef, s: &Struct, examples: &TokenStream) -> TokenStream {
    let extra_derives = extra_derives(def);
    let name = ident(&def.name);
    let schema = &def.name;
    let mut docs = Some(or_else(def.docs.as_deref(), || {
        format!("The `{schema}` object of the spec.")
    }));
    let mut attrs = Vec::new();
    // A response must keep decoding when the API adds properties; only request-only types are
    // strict.
    let deny =
        (s.deny_unknown && !def.usage.response).then(|| quote!(#[serde(deny_unknown_fields)]));
    let extra = s.extra.as_ref().map(|extra| {
        let name = ident(&extra.name);
        let ty = rust_type(&extra.ty);
        quote! {
            /// The properties beyond the listed ones, by name.
            #[serde(flatten)]
            pub #name: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let wire_extra = s.extra.as_ref().map(|extra| {
        let name = ident(&extra.name);
        let ty = rust_type(&extra.ty);
        quote! {
            #[serde(flatten)]
            #name: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let fields = s.fields.iter().map(|f| field(f, true));
    let members: Vec<Member<'_>> = s
        .fields
        .iter()
        .map(|f| Member {
            name: &f.name,
            ty: rust_type(&f.ty),
            boxed: f.boxed,
            presence: match (f.required, f.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, _) if f.explicit_null => Presence::OptionalNullable,
                (false, _) => Presence::Optional,
            },
            what: format!("the {} property", code(&f.wire_name)),
        })
        .chain(s.extra.as_ref().map(|e| Member {
            name: &e.name,
            ty: rust_type(&e.ty),
            boxed: false,
            presence: Presence::Extra,
            what: "the other properties".to_owned(),
        }))
        .collect();
    let construct = constructors(&def.name, &members);
    // Nothing required: `Default` is `new()`.
    let default = s.all_optional().then(|| quote!(#[derive(Default)]));
    let Some(constant) = &s.constant else {
        let docs = doc_attrs(docs.as_deref());
        let docs = quote!(#docs #examples);
        return quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #default
            #extra_derives
            #deny
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
                #extra
            }

            #construct
        };
    };
    // The constant property is not a field: serde's struct tag writes it, and decoding goes
    // through a private wire struct that requires it and checks its value.
    let (wire, value) = (&constant.wire_name, &constant.value);
    docs = Some(join(
        docs.as_deref(),
        &format!(
            "On the wire this object always has {}; serialisation writes it, so it is not a field.",
            code(&format!("\"{wire}\": \"{value}\""))
        ),
    ));
    attrs.push(quote!(#[serde(tag = #wire, rename = #value)]));
    let docs = doc_attrs(docs.as_deref());
    let docs = quote!(#docs #examples);
    let wire_fields = s.fields.iter().map(|f| field(f, false));
    let moves = s
        .fields
        .iter()
        .map(|f| &f.name)
        .chain(s.extra.as_ref().map(|e| &e.name))
        .map(|name| {
            let field = ident(name);
            quote!(#field: wire.#field,)
        });
    let expected = format!("`{value}`");
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #default
        #extra_derives
        #(#attrs)*
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }

        #construct

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                #[derive(::serde::Deserialize)]
                #deny
                struct Wire {
                    #[serde(rename = #wire)]
                    __tag: ::std::string::String,
                    #(#wire_fields)*
                    #wire_extra
                }
                let wire = <Wire as ::serde::Deserialize>::deserialize(deserializer)?;
                if wire.__tag != #value {
                    return ::std::result::Result::Err(::serde::de::Error::invalid_value(
                        ::serde::de::Unexpected::Str(&wire.__tag),
                        &#expected,
                    ));
                }
                ::std::result::Result::Ok(#name { #(#moves)* })
            }
        }
    }
}

/// One field; `public` fields carry their docs, the private wire copies do not.
fn field(f: &Field, public: bool) -> TokenStream {
    let name = ident(&f.name);
    let docs = public.then(|| {
        let text = or_else(f.docs.as_deref(), || {
            format!("The {} property.", code(&f.wire_name))
        });
        let text = if f.skip_sending {
            join(
                Some(&text),
                "Read-only: set by the server, read from responses, never sent.",
            )
        } else if f.access == crate::ir::Access::WriteOnly {
            join(Some(&text), "Write-only: sent, never returned.")
        } else {
            text
        };
        doc_attrs(Some(&text))
    });
    let vis = public.then(|| quote!(pub));
    let ty = field_type(f);
    let wire = &f.wire_name;
    let rename = (f.name != f.wire_name).then(|| quote!(#[serde(rename = #wire)]));
    let presence = match (f.required, f.nullable) {
        // `None` leaves the property out, `Some(None)` sends `null` (said once, on
        // `runtime::explicit_null`). Two attributes, each on one line.
        (false, true) if f.explicit_null => Some(quote! {
            #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
            #[serde(deserialize_with = "::runtime::explicit_null")]
        }),
        (true, false) => None,
        // Required but nullable: always written, `null` when `None`; never absent.
        (true, true) => Some(quote!(#[serde(deserialize_with = "::runtime::required_nullable")])),
        (false, _) if f.skip_sending => Some(quote!(#[serde(default, skip_serializing)])),
        (false, _) => {
            Some(quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]))
        }
    };
    quote! {
        #docs
        #rename
        #presence
        #vis #name: #ty,
    }
}

/// A struct field's Rust type: its type, boxed when it holds its struct, in one `Option` when
/// it may be absent or `null`, in two when a request tells absent and `null` apart. `diff`
/// compares fields by this type, so the two cannot disagree.
pub(crate) fn field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty);
    let inner = if f.boxed {
        quote!(::std::boxed::Box<#inner>)
    } else {
        inner
    };
    match (f.required, f.nullable) {
        (false, true) if f.explicit_null => {
            quote!(::std::option::Option<::std::option::Option<#inner>>)
        }
        (true, false) => inner,
        _ => quote!(::std::option::Option<#inner>),
    }
}

fn string_enum(def: &TypeDef, e: &StringEnum, examples: &TokenStream) -> TokenStream {
    let extra_derives = extra_derives(def);
    let name = ident(&def.name);
    let docs = doc_attrs(Some(&or_else(def.docs.as_deref(), || {
        format!("The values of the `{}` enumeration of the spec.", def.name)
    })));
    let docs = quote!(#docs #examples);
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        let doc = doc_attrs(Some(&code(wire)));
        let rename = e
            .unknown
            .is_none()
            .then(|| quote!(#[serde(rename = #wire)]));
        quote! {
            #doc
            #rename
            #variant,
        }
    });
    let arms = e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote!(#name::#variant => #wire,)
    });
    // `Display` (and serde, for an open enum) from `as_str`, written once in the runtime.
    let display = quote!(::runtime::str_enum!(#name););
    let Some(unknown) = &e.unknown else {
        return quote! {
            #docs
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
            #extra_derives
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// The value as written on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #(#arms)*
                    }
                }
            }

            #display
        };
    };
    // Open enum: a value the spec does not list decodes into the catch-all variant instead of
    // failing, and is written back unchanged. Validation refuses to send it.
    let unknown = ident(unknown);
    let parse_arms = e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote!(#wire => #name::#variant,)
    });
    let unknown_doc = " A value this version of the spec does not list, kept as received.";
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #extra_derives
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    #name::#unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#parse_arms)*
                    other => #name::#unknown(::std::string::String::from(other)),
                }
            }
        }

        ::runtime::str_enum!(#name, serde);
    }
}

fn union(def: &TypeDef, u: &TaggedUnion, examples: &TokenStream) -> TokenStream {
    let extra_derives = extra_derives(def);
    let name = ident(&def.name);
    let tag = &u.tag;
    let docs = doc_attrs(Some(&join(
        def.docs.as_deref(),
        &format!(
            "The variant is written on the wire as the {} property.",
            code(tag)
        ),
    )));
    let docs = quote!(#docs #examples);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        let wire = &v.tag_value;
        let doc = doc_attrs(Some(&code(&format!("\"{tag}\": \"{wire}\""))));
        quote! {
            #doc
            #[serde(rename = #wire)]
            #variant(#ty),
        }
    });
    let froms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    #name::#variant(value)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #extra_derives
        #[non_exhaustive]
        #[serde(tag = #tag)]
        pub enum #name {
            #(#variants)*
        }

        #(#froms)*
    }
}

fn untagged(def: &TypeDef, variants: &[UntaggedVariant], examples: &TokenStream) -> TokenStream {
    let extra_derives = extra_derives(def);
    let name = ident(&def.name);
    let docs = doc_attrs(Some(&or_else(def.docs.as_deref(), || {
        format!("One of several shapes (`{}` in the spec).", def.name)
    })));
    let docs = quote!(#docs #examples);
    let types: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let ty = rust_type(&v.ty);
            if v.boxed {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let arms = variants.iter().zip(&types).map(|(v, ty)| {
        let variant = ident(&v.name);
        let doc = format!(" A value of the `{}` shape.", v.name);
        quote! {
            #[doc = #doc]
            #variant(#ty),
        }
    });
    let attempts = variants.iter().map(|v| {
        let variant = ident(&v.name);
        // The variant's type is inferred from the variant.
        quote!(|v| ::runtime::attempt(v).map(|(v, ok)| (Self::#variant(v), ok)))
    });
    let union = &def.name;
    quote! {
        #docs
        ///
        /// Told apart by shape alone: decoding tries the variants in order and keeps the first
        /// that fits and keeps its rules (else the first that fits).
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #extra_derives
        #[non_exhaustive]
        #[serde(untagged)]
        pub enum #name {
            #(#arms)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                ::runtime::untagged(deserializer, #union, &[#(#attempts),*])
            }
        }
    }
}
