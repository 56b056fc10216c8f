//! `schema.rs`: `schemars::JsonSchema` for every type, from the schema the spec gives it
//! (`TypeDef::schema`), behind the generated crate's `schemars` feature.

use super::ident;
use crate::ir::{Api, TypeDef, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_ONE, TYPE_REF_PREFIX};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::ops::Range;

/// The impls of `api.types[range]`; the part starting at 0 also has the file's docs and imports.
pub(super) fn schema(api: &Api, range: Range<usize>) -> TokenStream {
    let head = (range.start == 0).then(|| {
        let glob = (!api.types.is_empty()).then(|| {
            quote!(
                use crate::types::*;
            )
        });
        quote! {
            //! The JSON Schema of every type, as the spec states it, for `schemars`: export the
            //! schema of a request, e.g. as a tool definition, with `schemars::schema_for!`.

            #glob
        }
    });
    let impls = api.types[range].iter().map(json_schema);
    quote! {
        #head

        #(#impls)*
    }
}

fn json_schema(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let generator = if refers(&def.schema, At::Schema) {
        quote!(generator)
    } else {
        quote!(_generator)
    };
    // Built value by value rather than with `json_schema!`: the macro recurses once per token
    // tree and large schemas (a few hundred properties) hit the compiler's recursion limit.
    let body = match &def.schema {
        Value::Object(map) => {
            let object = object(map, At::Schema);
            quote!(::schemars::Schema::from(#object))
        }
        Value::Bool(b) => quote!(::schemars::Schema::from(#b)),
        other => {
            let value = json(other, At::Schema);
            quote!(::schemars::Schema::try_from(#value).unwrap_or_default())
        }
    };
    quote! {
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#type_name)
            }

            fn json_schema(#generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                #body
            }
        }
    }
}

/// What a JSON value is in an exported schema: a schema, a list or map of schemas, or data
/// (a `default`, an `enum`, an extension...), where `{"$ref": "#/$defs/X"}` is just a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Schema,
    Schemas,
    Data,
}

impl At {
    /// What the value under `key` of an object at `self` is.
    fn child(self, key: &str) -> At {
        match self {
            At::Schema if SUBSCHEMA_ONE.contains(&key) => At::Schema,
            At::Schema if SUBSCHEMA_LISTS.contains(&key) || SUBSCHEMA_MAPS.contains(&key) => {
                At::Schemas
            }
            At::Schemas => At::Schema,
            At::Schema | At::Data => At::Data,
        }
    }

    /// What an item of a list at `self` is.
    fn item(self) -> At {
        match self {
            At::Schemas => At::Schema,
            At::Schema | At::Data => At::Data,
        }
    }
}

/// The type another generated type's schema stands for, if `value`, a schema, is such a
/// reference.
fn type_ref(value: &Value, at: At) -> Option<&str> {
    if at != At::Schema {
        return None;
    }
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.get("$ref")?.as_str()?.strip_prefix(TYPE_REF_PREFIX)
}

fn refers(value: &Value, at: At) -> bool {
    type_ref(value, at).is_some()
        || match value {
            Value::Array(items) => items.iter().any(|item| refers(item, at.item())),
            Value::Object(map) => map.iter().any(|(key, v)| refers(v, at.child(key))),
            _ => false,
        }
}

/// An expression building `value` as a `serde_json::Value`, with type references as
/// `subschema_for` calls.
fn json(value: &Value, at: At) -> TokenStream {
    if let Some(name) = type_ref(value, at) {
        let name = ident(name);
        return quote!(::serde_json::Value::from(generator.subschema_for::<#name>()));
    }
    match value {
        Value::Null => quote!(::serde_json::Value::Null),
        Value::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            // Literals are unsigned; a minus sign is its own token.
            let number = if let Some(u) = n.as_u64() {
                let literal = Literal::u64_suffixed(u);
                quote!(#literal)
            } else if let Some(i) = n.as_i64() {
                let literal = Literal::u64_unsuffixed(i.unsigned_abs());
                quote!(-(#literal as i64))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                let literal = Literal::f64_suffixed(f.abs());
                if f < 0.0 {
                    quote!(-#literal)
                } else {
                    quote!(#literal)
                }
            };
            quote!(::serde_json::Value::from(#number))
        }
        Value::String(s) => quote!(::serde_json::Value::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(|item| json(item, at.item()));
            quote!(::serde_json::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let object = object(map, at);
            quote!(::serde_json::Value::Object(#object))
        }
    }
}

/// An expression building `map` as a `serde_json::Map`.
fn object(map: &serde_json::Map<String, Value>, at: At) -> TokenStream {
    if map.is_empty() {
        return quote!(::serde_json::Map::new());
    }
    let entries = map.iter().map(|(k, v)| {
        let v = json(v, at.child(k));
        quote!(map.insert(::std::string::String::from(#k), #v);)
    });
    quote!({
        let mut map = ::serde_json::Map::new();
        #(#entries)*
        map
    })
}
