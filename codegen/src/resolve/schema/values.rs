//! Schemas that are plain values, by `type`: strings, integers, numbers and booleans with their
//! constraints and formats, arrays of items, and maps (objects without `properties`).

use super::{Schemas, Shape};
use crate::ir::{Constraint, TypeRef};
use crate::load::Node;
use crate::resolve::constraints::{
    array_constraints, number_constraints, object_constraints, string_constraints, value_rules,
};
use crate::resolve::context::Ctx;

/// A `string`, `integer` (`format: int32` or 64 bits), `number` or `boolean` (`primitive`) and
/// its constraints.
pub(super) fn primitive(
    cx: &mut Ctx<'_>,
    node: &Node,
    primitive: &str,
) -> (TypeRef, Vec<Constraint>) {
    match primitive {
        "string" => (TypeRef::String, string_constraints(cx, node)),
        "integer" => {
            let constraints = number_constraints(cx, node);
            let bits = if cx.opt_str(node, "format") == Some("int32") {
                32
            } else {
                64
            };
            (TypeRef::Integer(bits), constraints)
        }
        "number" => (TypeRef::Number, number_constraints(cx, node)),
        _ => (TypeRef::Boolean, Vec::new()),
    }
}

impl Schemas {
    /// An `array`: a list of its `items` (any JSON without them), with its own constraints and
    /// the rules every item follows.
    pub(super) fn array(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<(TypeRef, Vec<Constraint>)> {
        let item_hint = format!("{hint}Item");
        let items = match node.get("items") {
            Some(items) => self.shape(cx, items, &format!("{pointer}/items"), &item_hint)?,
            None => Shape {
                ty: Some(TypeRef::Any),
                ..Shape::default()
            },
        };
        let mut constraints = array_constraints(cx, node);
        let item_rules = value_rules(items.constraints, items.constant);
        if !item_rules.is_empty() {
            constraints.push(Constraint::Items(item_rules));
        }
        let ty = TypeRef::List(Box::new(
            items.ty.unwrap_or(TypeRef::Any).or_null(items.nullable),
        ));
        Some((ty, constraints))
    }

    /// An `object` without `properties`: a map of its `additionalProperties` (any JSON without
    /// a schema for them), with its own constraints and the rules every value follows.
    pub(super) fn map(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<(TypeRef, Vec<Constraint>)> {
        let mut constraints = object_constraints(cx, node);
        let ty = match node.get("additionalProperties") {
            Some(extra) if extra.entries().is_some() => {
                let values = self.shape(
                    cx,
                    extra,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{hint}Value"),
                )?;
                let value_rules = value_rules(values.constraints, values.constant);
                if !value_rules.is_empty() {
                    constraints.push(Constraint::Values(value_rules));
                }
                TypeRef::Map(Box::new(
                    values.ty.unwrap_or(TypeRef::Any).or_null(values.nullable),
                ))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Any)),
        };
        Some((ty, constraints))
    }
}
