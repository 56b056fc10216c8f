//! `schema.rs` and `schemas.json`: `schemars::JsonSchema` for every type, behind the generated
//! crate's `schemars` feature. The schemas themselves are data: `schemas.json` holds each
//! type's schema as the spec gives it (`TypeDef::schema`), pretty-printed, and `schema.rs` only
//! names, for each type, where its schema refers to another generated type, so `schemars` can
//! put that type in its definitions. The runtime parses the JSON once, on first use.

use super::ident;
use crate::ir::{Api, TypeDef, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_ONE, TYPE_REF_PREFIX};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::ops::Range;

/// The impls of `api.types[range]`; the part starting at 0 also has the file's docs, imports
/// and the schema data.
/// `data_file` is the schema data's file name, beside the file that holds this code.
pub(super) fn schema(api: &Api, range: Range<usize>, data_file: &str) -> TokenStream {
    let head = (range.start == 0).then(|| {
        // A spec without types has neither impls nor data to read.
        let data = (!api.types.is_empty()).then(|| {
            quote! {
                use crate::types::*;

                /// Every type's schema, parsed on first use.
                static SCHEMAS: ::runtime::SchemaData = ::runtime::SchemaData::new(::std::include_str!(#data_file));
            }
        });
        quote! {
            //! The JSON Schema of every type, as the spec states it, for `schemars`: export the
            //! schema of a request, e.g. as a tool definition, with `schemars::schema_for!`. The
            //! schemas are the data in `schemas.json`.

            #data
        }
    });
    let impls = api.types[range].iter().map(json_schema);
    quote! {
        #head

        #(#impls)*
    }
}

/// `schemas.json`: every type's schema by the type's name.
pub(super) fn data(api: &Api) -> Value {
    Value::Object(
        api.types
            .iter()
            .map(|def| (def.name.clone(), def.schema.clone()))
            .collect(),
    )
}

/// The type's `JsonSchema` impl, by the runtime's `json_schema!`: its schema from the data, and
/// where that schema refers to other generated types.
fn json_schema(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let mut refs = Vec::new();
    references(&def.schema, At::Schema, &mut String::new(), &mut refs);
    let refs = refs.iter().map(|(pointer, target)| {
        let target = ident(target);
        quote!(, #pointer => #target)
    });
    quote! {
        ::runtime::json_schema!(SCHEMAS, #name #(#refs)*);
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

/// Collects the JSON pointer (within the schema) and target of every reference to another
/// generated type in `value`, which sits at `pointer`.
fn references(value: &Value, at: At, pointer: &mut String, out: &mut Vec<(String, String)>) {
    if let Some(name) = type_ref(value, at) {
        out.push((pointer.clone(), name.to_owned()));
        return;
    }
    let len = pointer.len();
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                references(item, at.item(), pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                references(item, at.child(key), pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}
