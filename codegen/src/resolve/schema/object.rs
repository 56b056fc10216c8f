//! Objects with `properties`: a struct with a field per property (required, nullable,
//! `readOnly`/`writeOnly`, a documented `default`), the map of other properties, and the rules
//! about the object as a whole (`minProperties`, `dependentRequired`, `if`/`then`/`else`).

use super::{Schemas, Shape};
use crate::ir::{
    Access, Condition, Constant, Constraint, ExtraProperties, Field, ObjectRule, Struct, TypeKind,
    TypeRef,
};
use crate::load::{Key, Node, Value};
use crate::naming;
use crate::resolve::constraints::{default_problem, object_constraints};
use crate::resolve::context::{escape_segment, Ctx};
use std::collections::BTreeSet;

impl Schemas {
    pub(super) fn object(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
        docs: Option<String>,
    ) -> Option<String> {
        let name = self.type_name(pointer, hint);
        let required = self.required(cx, node);
        let properties = self.property_shapes(cx, node, pointer, &name, None)?;
        Some(self.object_with(cx, node, pointer, name, docs, properties, &required))
    }

    /// The shapes of an object's `properties`, in spec order (a property that cannot be
    /// resolved is left out, its problem reported); types they need are named after `name`.
    /// The property `skip` is not resolved (its shape is empty): the caller decides it.
    pub(in crate::resolve) fn property_shapes<'n>(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &'n Node,
        pointer: &str,
        name: &str,
        skip: Option<&str>,
    ) -> Option<Vec<(&'n Key, &'n Node, Shape)>> {
        let properties = cx.map(node.get("properties")?, "`properties`")?;
        let mut shapes = Vec::new();
        for (key, prop) in properties.entries().unwrap_or_default() {
            if skip == Some(key.name.as_str()) {
                shapes.push((key, prop, Shape::default()));
                continue;
            }
            let prop_pointer = format!("{pointer}/properties/{}", escape_segment(&key.name));
            let field_hint = format!("{name}{}", naming::camel(&key.name));
            if let Some(shape) = self.shape(cx, prop, &prop_pointer, &field_hint) {
                shapes.push((key, prop, shape));
            }
        }
        Some(shapes)
    }

    /// The struct `name` of the object schema `node`, from its properties' shapes and the
    /// names it requires.
    #[allow(clippy::too_many_arguments)] // Two callers; each argument is a different fact.
    pub(in crate::resolve) fn object_with(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        name: String,
        docs: Option<String>,
        properties: Vec<(&Key, &Node, Shape)>,
        required: &BTreeSet<String>,
    ) -> String {
        let mut fields = Vec::new();
        let mut constant = None;
        let mut taken = BTreeSet::new();
        for (key, prop, shape) in &properties {
            let shape = shape.clone();
            let is_required = required.contains(&key.name);
            let mut constraints = shape.constraints;
            if let Some(value) = shape.constant {
                if is_required && constant.is_none() && !shape.nullable {
                    constant = Some(Constant {
                        wire_name: key.name.clone(),
                        value,
                    });
                    continue;
                }
                constraints.push(Constraint::Const(value));
            }
            let access = access(cx, prop);
            let docs = match prop.get("default") {
                Some(default) if default_problem(cx, prop, default).is_none() => {
                    let note = format!(
                        "Default: `{}` (what the API assumes when the property is absent).",
                        default.to_json()
                    );
                    Some(match shape.docs {
                        Some(docs) => format!("{docs}\n\n{note}"),
                        None => note,
                    })
                }
                _ => shape.docs,
            };
            fields.push(Field {
                boxed: shape.recursive,
                explicit_null: false,
                access,
                skip_sending: false,
                wire_name: key.name.clone(),
                name: naming::unique(naming::snake(&key.name), &mut taken),
                ty: shape.ty.unwrap_or(TypeRef::Any),
                required: is_required,
                nullable: shape.nullable,
                docs,
                constraints,
            });
        }
        for missing in required
            .iter()
            .filter(|r| properties.iter().all(|(key, _, _)| key.name != **r))
        {
            let list = node.get("required").unwrap_or(node);
            let at = list
                .as_seq()
                .and_then(|items| items.iter().find(|i| i.as_str() == Some(missing.as_str())))
                .unwrap_or(list);
            // JSON Schema requires the property, whatever its value: a field of any JSON.
            cx.warning(
                at,
                format!("`{missing}` is required but not among the `properties`; it is taken as a required property of any value (`serde_json::Value`)"),
                format!("add a `{missing}` property with its schema, or remove it from `required`"),
            );
            fields.push(Field {
                boxed: false,
                explicit_null: false,
                access: Access::ReadWrite,
                skip_sending: false,
                wire_name: missing.clone(),
                name: naming::unique(naming::snake(missing), &mut taken),
                ty: TypeRef::Any,
                required: true,
                nullable: false,
                docs: None,
                constraints: Vec::new(),
            });
        }
        let rules = self.object_rules(cx, node, &fields);
        let additional = node.get("additionalProperties");
        let deny_unknown = additional.is_some_and(|a| matches!(a.value, Value::Bool(false)));
        // Properties beyond the listed ones, when the schema says what they are (or `true`):
        // kept in a map field, so decoding and re-encoding loses nothing.
        let extra = match additional {
            Some(extra) if extra.entries().is_some_and(|e| !e.is_empty()) => self
                .shape(
                    cx,
                    extra,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{name}Value"),
                )
                .map(|values| values.ty.unwrap_or(TypeRef::Any).or_null(values.nullable)),
            Some(extra) if matches!(extra.value, Value::Bool(true)) => Some(TypeRef::Any),
            _ => None,
        }
        .map(|ty| ExtraProperties {
            name: naming::unique("extra".to_owned(), &mut taken),
            ty,
        });
        self.insert(
            cx,
            node,
            pointer,
            &name,
            docs,
            TypeKind::Struct(Struct {
                fields,
                constant,
                deny_unknown,
                extra,
                rules,
            }),
        );
        name
    }

    /// `minProperties`, `maxProperties`, `dependentRequired` and `if`/`then`/`else` of an object.
    fn object_rules(&mut self, cx: &mut Ctx<'_>, node: &Node, fields: &[Field]) -> Vec<ObjectRule> {
        // The property counts a struct checks as a whole, since its fields are not a map.
        let mut rules: Vec<ObjectRule> = object_constraints(cx, node)
            .into_iter()
            .filter_map(|c| match c {
                Constraint::MinProperties(min) => Some(ObjectRule::MinProperties(min)),
                Constraint::MaxProperties(max) => Some(ObjectRule::MaxProperties(max)),
                _ => None,
            })
            .collect();
        let field = |cx: &mut Ctx<'_>, at: &Node, wire: &str| -> Option<String> {
            let found = fields.iter().find(|f| f.wire_name == wire);
            if found.is_none() {
                cx.error(
                    at,
                    format!("`{wire}` is not a property of this object"),
                    "name one of the object's `properties`",
                );
            }
            found.map(|f| f.name.clone())
        };
        if let Some(dependent) = node.get("dependentRequired") {
            let entries = cx
                .map(dependent, "`dependentRequired`")
                .and_then(Node::entries);
            for (key, list) in entries.unwrap_or_default() {
                let Some(when) = field(cx, dependent, &key.name) else {
                    continue;
                };
                let Some(items) = cx.seq(list, "a `dependentRequired` entry", "a: [b, c]") else {
                    continue;
                };
                let requires = items
                    .iter()
                    .filter_map(|item| {
                        let wire = self.string_value(cx, item, "`dependentRequired` entry")?;
                        field(cx, item, &wire)
                    })
                    .collect();
                rules.push(ObjectRule::DependentRequired { when, requires });
            }
        }
        if let Some(rule) = self.conditional(cx, node, fields, &field) {
            rules.push(rule);
        }
        rules
    }

    /// `if`/`then`/`else` in the one form a struct can check: the `if` compares one property
    /// with a constant, `then` and `else` list required properties.
    fn conditional(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        fields: &[Field],
        field: &dyn Fn(&mut Ctx<'_>, &Node, &str) -> Option<String>,
    ) -> Option<ObjectRule> {
        let Some(condition) = node.get("if") else {
            for keyword in ["then", "else"] {
                if let Some(at) = node.get(keyword) {
                    cx.warning(
                        at,
                        format!("`{keyword}` without `if` has no effect"),
                        "add the `if` or remove it",
                    );
                }
            }
            return None;
        };
        let form = "write `if: {properties: {p: {const: v}}, required: [p]}` with `then`/`else` listing `required` properties";
        let property = condition
            .get("properties")
            .and_then(Node::entries)
            .filter(|entries| entries.len() == 1)
            .map(|entries| &entries[0]);
        let Some((key, schema)) = property else {
            cx.error(
                condition,
                "this `if` is not supported: it must test exactly one property",
                form,
            );
            return None;
        };
        let value = match (
            schema.get("const"),
            schema.get("enum").and_then(Node::as_seq),
        ) {
            (Some(value), _) => value.as_str(),
            (None, Some([only])) => only.as_str(),
            _ => None,
        };
        let Some(value) = value else {
            cx.error(
                schema,
                "this `if` is not supported: the property must have a string `const`",
                form,
            );
            return None;
        };
        let name = field(cx, schema, &key.name)?;
        let comparable = fields
            .iter()
            .find(|f| f.name == name)
            .is_some_and(|f| match &f.ty {
                TypeRef::String => true,
                TypeRef::Named(ty) => matches!(
                    self.types.get(ty).map(|t| &t.kind),
                    Some(TypeKind::StringEnum(_))
                ),
                _ => false,
            });
        if !comparable {
            cx.error(
                schema,
                format!(
                    "`{}` must be a string or a string enum to be compared in an `if`",
                    key.name
                ),
                form,
            );
            return None;
        }
        let require_present = self.required(cx, condition).contains(&key.name);
        let mut branch =
            |cx: &mut Ctx<'_>, keyword: &str| -> Vec<String> {
                let Some(at) = node.get(keyword) else {
                    return Vec::new();
                };
                if let Some((other, _)) = at.entries().unwrap_or_default().iter().find(|(k, _)| {
                    !matches!(k.name.as_str(), "required" | "description" | "$comment")
                }) {
                    cx.error(
                        at,
                        format!("this `{keyword}` is not supported: `{}` in it", other.name),
                        form,
                    );
                }
                self.required(cx, at)
                    .iter()
                    .filter_map(|wire| field(cx, at, wire))
                    .collect()
            };
        let then = branch(cx, "then");
        let otherwise = branch(cx, "else");
        Some(ObjectRule::Conditional {
            condition: Condition {
                field: name,
                value: value.to_owned(),
                require_present,
            },
            then,
            otherwise,
        })
    }

    pub(in crate::resolve) fn required(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
    ) -> BTreeSet<String> {
        let Some(list) = node.get("required") else {
            return BTreeSet::new();
        };
        let Some(items) = cx.seq(list, "`required`", "required: [a, b]") else {
            return BTreeSet::new();
        };
        items
            .iter()
            .filter_map(|item| self.string_value(cx, item, "`required` entry"))
            .collect()
    }
}

/// What `readOnly`/`writeOnly` say of the property schema `prop` (or of the schema its `$ref`
/// points at, when the use site says nothing); both at once is reported and ignored.
fn access(cx: &mut Ctx<'_>, prop: &Node) -> Access {
    let target = prop
        .get("$ref")
        .and_then(|r| cx.doc.follow(r.loc.file, r.as_str()?).ok())
        .map(|(node, _)| node);
    // The use site's flag wins; without one, the referenced schema's.
    let flag = |cx: &mut Ctx<'_>, key: &str| match prop.get(key) {
        Some(_) => cx.flag(prop, key),
        None => {
            target.is_some_and(|t| matches!(t.get(key).map(|v| &v.value), Some(Value::Bool(true))))
        }
    };
    match (flag(cx, "readOnly"), flag(cx, "writeOnly")) {
        (true, false) => Access::ReadOnly,
        (false, true) => Access::WriteOnly,
        (true, true) => {
            cx.warning(
                prop,
                "a property cannot be both `readOnly` and `writeOnly`; both are ignored",
                "keep the one that is true of the API",
            );
            Access::ReadWrite
        }
        (false, false) => Access::ReadWrite,
    }
}
