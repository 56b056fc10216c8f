//! The JSON Schemas a generated crate exports through `schemars` (its `schemars` feature): kept
//! as JSON text in the crate (`schemas.json`), parsed once on first use.

use serde_json::{Map, Value};
use std::sync::OnceLock;

/// Every type's JSON Schema of one generated crate, by type name, as JSON text.
#[derive(Debug)]
pub struct SchemaData {
    text: &'static str,
    parsed: OnceLock<Map<String, Value>>,
}

impl SchemaData {
    /// The schemas in `text`, a JSON object mapping each type's name to its schema; parsed on
    /// first use.
    pub const fn new(text: &'static str) -> Self {
        SchemaData {
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The schema of the type `name`, each reference to another type replaced by the schema
    /// `schemars` gives for it: `refs` maps a JSON pointer inside the schema to that schema
    /// (from `SchemaGenerator::subschema_for`, which also adds the type to the definitions).
    ///
    /// A name the data does not hold (never the case for generated code) gives the schema
    /// that accepts everything, rather than a panic.
    pub fn schema<const N: usize>(
        &self,
        name: &str,
        refs: [(&str, schemars::Schema); N],
    ) -> schemars::Schema {
        let parsed = self
            .parsed
            .get_or_init(|| serde_json::from_str(self.text).unwrap_or_default());
        let mut value = parsed.get(name).cloned().unwrap_or(Value::Bool(true));
        for (pointer, schema) in refs {
            if let Some(slot) = value.pointer_mut(pointer) {
                *slot = schema.to_value();
            }
        }
        schemars::Schema::try_from(value).unwrap_or_default()
    }
}

/// `schemars::JsonSchema` for a generated type whose schema is in a [`SchemaData`]: the
/// schema's name is the type's, and each `"pointer" => Type` pair names where the schema refers
/// to another generated type, which `schemars` then puts in its definitions.
///
/// ```ignore
/// runtime::json_schema!(SCHEMAS, Disk, "/properties/state" => DiskState);
/// ```
#[macro_export]
macro_rules! json_schema {
    ($data:expr, $ty:ident $(, $pointer:literal => $target:ty)* $(,)?) => {
        // `#[inline]`: compiled where a schema is asked for, not in every build of the crate.
        impl $crate::schemars::JsonSchema for $ty {
            #[inline]
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::std::stringify!($ty))
            }

            #[inline]
            fn json_schema(
                _generator: &mut $crate::schemars::SchemaGenerator,
            ) -> $crate::schemars::Schema {
                $data.schema(
                    ::std::stringify!($ty),
                    [$(($pointer, _generator.subschema_for::<$target>())),*],
                )
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_replaced_and_unknown_names_accept_everything() {
        static DATA: SchemaData = SchemaData::new(
            r##"{"$comment": "x", "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}}}"##,
        );
        let b = schemars::Schema::from(
            serde_json::json!({"$ref": "#/definitions/B"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        let a = DATA.schema("A", [("/properties/b", b)]);
        assert_eq!(
            a.to_value(),
            serde_json::json!({"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}}})
        );
        assert_eq!(
            DATA.schema("Missing", []).to_value(),
            serde_json::json!(true)
        );
    }
}
