//! `const` and `enum`: a fixed string, a string enum type, or the base type of an `enum` of
//! other values (which the validator does not check).

use super::{Schemas, Shape};
use crate::ir::{EnumValue, StringEnum, TypeKind, TypeRef};
use crate::load::{Node, Value};
use crate::naming;
use crate::resolve::context::Ctx;
use std::collections::BTreeSet;

impl Schemas {
    /// `const`: a string fixed to that value.
    pub(super) fn constant(
        &mut self,
        cx: &mut Ctx<'_>,
        constant: &Node,
        mut shape: Shape,
    ) -> Option<Shape> {
        shape.constant = Some(self.string_value(cx, constant, "`const`")?);
        shape.ty = Some(TypeRef::String);
        Some(shape)
    }

    /// `enum` (`values`): a fixed string when it lists one string, a string enum type when it
    /// lists several, the base type when it lists other values; `null` among them makes the
    /// shape nullable.
    #[allow(clippy::too_many_arguments)] // One caller; each argument is a different fact.
    pub(super) fn enumeration(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        values: &Node,
        types: &[String],
        pointer: &str,
        hint: &str,
        mut shape: Shape,
    ) -> Option<Shape> {
        let items = cx.seq(values, "`enum`", "enum: [a, b]")?;
        if items.is_empty() {
            cx.error(
                values,
                "`enum` is empty, so no value is valid",
                "list at least one value",
            );
            return None;
        }
        let non_null: Vec<&Node> = items
            .iter()
            .filter(|v| !matches!(v.value, Value::Null))
            .collect();
        shape.nullable |= non_null.len() < items.len();
        if !non_null.is_empty() && non_null.iter().any(|v| v.as_str().is_none()) {
            // An enum of numbers or booleans: the base type, the values unchecked.
            cx.warning(
                values,
                "an `enum` of non-string values is typed by its `type` and not checked by the validator",
                "the API still enforces it",
            );
            shape.ty = Some(match primary_type(types, &non_null) {
                "integer" => TypeRef::Integer(64),
                "number" => TypeRef::Number,
                "boolean" => TypeRef::Boolean,
                _ => TypeRef::Any,
            });
            return Some(shape);
        }
        if non_null.is_empty() {
            // `enum: [null]`: nothing but `null`.
            cx.warning(
                values,
                "`enum: [null]` allows nothing but `null`; the value is kept as `serde_json::Value`",
                "describe the value the API sends, or leave the response without content",
            );
            shape.ty = Some(TypeRef::Any);
            return Some(shape);
        }
        let values: Vec<String> = non_null
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        if let [only] = values.as_slice() {
            shape.constant = Some(only.clone());
            shape.ty = Some(TypeRef::String);
        } else {
            shape.ty = Some(TypeRef::Named(self.string_enum(
                cx,
                node,
                pointer,
                hint,
                shape.docs.clone(),
                values,
            )));
        }
        Some(shape)
    }

    /// The string enum type of `values`, named from `hint`.
    fn string_enum(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
        docs: Option<String>,
        values: Vec<String>,
    ) -> String {
        let name = self.type_name(pointer, hint);
        let mut taken = BTreeSet::new();
        let values = values
            .into_iter()
            .map(|wire_value| EnumValue {
                name: naming::unique(naming::camel(&wire_value), &mut taken),
                wire_value,
            })
            .collect();
        let kind = TypeKind::StringEnum(StringEnum {
            values,
            unknown: None,
        });
        self.insert(cx, node, pointer, &name, docs, kind);
        name
    }
}

/// The JSON type of an enum's values: its `type`, else what the first value is.
fn primary_type<'t>(types: &'t [String], values: &[&Node]) -> &'t str {
    if let Some(t) = types.first() {
        return t;
    }
    match values.first().map(|v| &v.value) {
        Some(Value::Int(_)) => "integer",
        Some(Value::Float(_)) => "number",
        Some(Value::Bool(_)) => "boolean",
        _ => "",
    }
}
