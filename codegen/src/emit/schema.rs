//! `schema.rs`: `schemars::JsonSchema` for every type, from the schema the spec gives it
//! (`TypeDef::schema`), behind the generated crate's `schemars` feature.

use super::ident;
use crate::ir::{Api, TypeDef, TYPE_REF_PREFIX};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

pub(super) fn schema(api: &Api) -> TokenStream {
    let impls = api.types.iter().map(json_schema);
    quote! {
        //! The JSON Schema of every type, as the spec states it, for `schemars`: export the
        //! schema of a request, e.g. as a tool definition, with `schemars::schema_for!`.

        use crate::types::*;

        #(#impls)*
    }
}

fn json_schema(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let generator = if refers(&def.schema) {
        quote!(generator)
    } else {
        quote!(_generator)
    };
    let body = json(&def.schema);
    quote! {
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#type_name)
            }

            fn json_schema(#generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!(#body)
            }
        }
    }
}

/// The type another generated type's schema stands for, if `value` is such a reference.
fn type_ref(value: &Value) -> Option<&str> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.get("$ref")?.as_str()?.strip_prefix(TYPE_REF_PREFIX)
}

fn refers(value: &Value) -> bool {
    type_ref(value).is_some()
        || match value {
            Value::Array(items) => items.iter().any(refers),
            Value::Object(map) => map.values().any(refers),
            _ => false,
        }
}

/// `value` in `serde_json::json!` syntax, with type references as `subschema_for` calls.
fn json(value: &Value) -> TokenStream {
    if let Some(name) = type_ref(value) {
        let name = ident(name);
        return quote!(generator.subschema_for::<#name>());
    }
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            // Literals are unsigned; a minus sign is its own token.
            let (negative, literal) = if let Some(u) = n.as_u64() {
                (false, Literal::u64_unsuffixed(u))
            } else if let Some(i) = n.as_i64() {
                (true, Literal::u64_unsuffixed(i.unsigned_abs()))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                (f < 0.0, Literal::f64_unsuffixed(f.abs()))
            };
            if negative {
                quote!(-#literal)
            } else {
                quote!(#literal)
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json(v);
                quote!(#k: #v)
            });
            quote!({ #(#entries),* })
        }
    }
}
