//! An object's `properties` next to a `oneOf`/`anyOf` whose branches only add rules to those
//! properties: which must be present (`required`) and which values some may take (`const`, a
//! narrower `enum`). Intercom's create-message request is written this way, one branch for an
//! email and one for an in-app message.
//!
//! Such a schema is one object with extra rules, not a choice between shapes, so it becomes:
//! - a tagged enum, when every branch fixes one property to its own value (`message_type:
//!   email` / `in_app`): each variant is a struct with every property, requiring what its branch
//!   requires, so the compiler enforces the rule;
//! - otherwise one struct with every property, required where every branch requires it, whose
//!   `validate()` checks the branch rule and names the branches in its message.

use super::context::Ctx;
use super::schema::{Schemas, Shape};
use crate::ir::{Branch, ObjectRule, TypeKind, TypeRef, Variant};
use crate::load::{Key, Node, Value};
use crate::naming;
use std::collections::BTreeSet;

/// A property of the object: its name, its schema and the shape resolved from it.
type Property<'n> = (&'n Key, &'n Node, Shape);

/// What one branch says.
struct Rules<'n> {
    /// Where the branch is in the `oneOf`/`anyOf`.
    index: usize,
    /// Properties the object does not declare, which this branch adds (with their schemas).
    added: Vec<(&'n Key, &'n Node)>,
    /// Properties the object does not declare, which this branch only narrows to values.
    undeclared: Vec<(&'n Key, &'n Node)>,
    title: Option<String>,
    description: Option<String>,
    required: Vec<String>,
    /// Properties narrowed to these string values.
    values: Vec<(String, Vec<String>)>,
}

/// Keywords a branch may hold and still only constrain the object's own properties.
const BRANCH_KEYWORDS: &[&str] = &[
    "required",
    "properties",
    "title",
    "description",
    "$comment",
    "type",
];

/// Keywords a branch's property may hold: a narrowing and its annotations.
const NARROWING_KEYWORDS: &[&str] = &["enum", "const", "type", "title", "description", "$comment"];

/// The rules of each branch, when every branch only constrains properties `node` declares or
/// adds properties of its own (each added name with one schema in all branches).
fn branch_rules<'n>(node: &'n Node, choices: &[(usize, &'n Node)]) -> Option<Vec<Rules<'n>>> {
    let declared = node.get("properties")?.entries()?;
    let mut all: Vec<Rules<'n>> = Vec::new();
    for (index, choice) in choices {
        let entries = choice.entries()?;
        let mut rules = Rules {
            index: *index,
            added: Vec::new(),
            undeclared: Vec::new(),
            title: None,
            description: None,
            required: Vec::new(),
            values: Vec::new(),
        };
        for (key, value) in entries {
            if !BRANCH_KEYWORDS.contains(&key.name.as_str()) {
                return None;
            }
            match key.name.as_str() {
                "title" => rules.title = value.as_str().map(str::to_owned),
                "description" => rules.description = value.as_str().map(str::to_owned),
                "type" if value.as_str() != Some("object") => return None,
                "required" => {
                    for item in value.as_seq()? {
                        rules.required.push(item.as_str()?.to_owned());
                    }
                }
                "properties" => {
                    for (property, schema) in value.entries()? {
                        let undeclared = declared.iter().all(|(k, _)| k.name != property.name);
                        let narrowing = schema.entries().is_some_and(|keys| {
                            keys.iter()
                                .all(|(k, _)| NARROWING_KEYWORDS.contains(&k.name.as_str()))
                        }) && (schema.get("enum").is_some()
                            || schema.get("const").is_some());
                        if undeclared && narrowing {
                            // Only narrowed, never declared (Intercom's `data_type`): a string
                            // property of the object, each branch naming its values.
                            rules.undeclared.push((property, schema));
                        } else if undeclared {
                            // A property of this branch alone: the same schema wherever it is
                            // added, or the branches are shapes of their own.
                            let elsewhere = all
                                .iter()
                                .flat_map(|r| &r.added)
                                .find(|(k, _)| k.name == property.name);
                            if elsewhere.is_some_and(|(_, s)| s.to_json() != schema.to_json()) {
                                return None;
                            }
                            rules.added.push((property, schema));
                            continue;
                        }
                        let keys = schema.entries()?;
                        if keys
                            .iter()
                            .any(|(k, _)| !NARROWING_KEYWORDS.contains(&k.name.as_str()))
                        {
                            return None;
                        }
                        let allowed: Option<Vec<String>> = match (
                            schema.get("const"),
                            schema.get("enum").and_then(Node::as_seq),
                        ) {
                            (Some(constant), _) => Some(vec![constant.as_str()?.to_owned()]),
                            (None, Some(values)) => Some(
                                values
                                    .iter()
                                    .map(|v| v.as_str().map(str::to_owned))
                                    .collect::<Option<Vec<_>>>()?,
                            ),
                            (None, None) => None,
                        };
                        if let Some(allowed) = allowed.filter(|a| !a.is_empty()) {
                            rules.values.push((property.name.clone(), allowed));
                        }
                    }
                }
                _ => {}
            }
        }
        all.push(rules);
    }
    // Branches that say nothing at all are no rule.
    all.iter()
        .any(|r| !r.required.is_empty() || !r.values.is_empty() || !r.added.is_empty())
        .then_some(all)
}

/// A node standing for a key, to place a diagnostic on it.
fn key_node(key: &Key) -> Node {
    Node {
        loc: key.loc,
        value: Value::Null,
    }
}

/// The property every branch fixes to one value of its own, and requires (else a value
/// without it could meet a branch, and a tagged enum would refuse it), with those values.
fn tag_property(branches: &[Rules], base: &BTreeSet<String>) -> Option<(String, Vec<String>)> {
    let first = branches.first()?;
    first.values.iter().find_map(|(property, _)| {
        let mut values = Vec::new();
        for branch in branches {
            if !base.contains(property) && !branch.required.contains(property) {
                return None;
            }
            match branch.values.iter().find(|(p, _)| p == property) {
                Some((_, allowed)) if allowed.len() == 1 && !values.contains(&allowed[0]) => {
                    values.push(allowed[0].clone());
                }
                _ => return None,
            }
        }
        Some((property.clone(), values))
    })
}

impl Schemas {
    /// `node` with `properties` and a `oneOf`/`anyOf` (`keyword`) of the `choices`: a typed
    /// object (or tagged enum) when every choice only constrains those properties; `None`
    /// when they do not, for the caller to treat them as a union of shapes.
    #[allow(clippy::too_many_arguments)] // One caller; each argument is a different fact.
    pub(super) fn constrained_object(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        keyword: &str,
        choices: &[(usize, &Node)],
        pointer: &str,
        hint: &str,
        mut shape: Shape,
    ) -> Option<Option<Shape>> {
        let branches = branch_rules(node, choices)?;
        let name = self.type_name(pointer, hint);
        let base = self.required(cx, node);
        let tagged = tag_property(&branches, &base);
        // The tag of a tagged enum is the enum's own: its schema never becomes a type.
        let skip = tagged.as_ref().map(|(tag, _)| tag.as_str());
        let Some(mut properties) = self.property_shapes(cx, node, pointer, &name, skip) else {
            return Some(None);
        };
        // The properties branches add, each resolved once, where it is first written.
        let mut added: Vec<(&Key, &Node, Shape)> = Vec::new();
        for branch in &branches {
            for (key, schema) in &branch.added {
                if added.iter().any(|(k, _, _)| k.name == key.name) {
                    continue;
                }
                let at = format!(
                    "{pointer}/{keyword}/{}/properties/{}",
                    branch.index,
                    super::context::escape_segment(&key.name)
                );
                let hint = format!("{name}{}", naming::camel(&key.name));
                let everywhere = branches
                    .iter()
                    .all(|b| b.added.iter().any(|(k, _)| k.name == key.name));
                if !everywhere {
                    // Strictly, the branches that do not declare it let it be anything; the
                    // one obvious reading is the type the spec gives it.
                    cx.warning(
                        &key_node(key),
                        format!("`{}` is declared by some branches of this `{keyword}` only; it is typed as they declare it, so a value of another type (which the other branches would allow) is refused", key.name),
                        format!("declare `{}` under the object's own `properties`", key.name),
                    );
                }
                if let Some(shape) = self.shape(cx, schema, &at, &hint) {
                    added.push((key, schema, shape));
                }
            }
        }
        // Properties only ever narrowed: strings, their values checked by the branch rule.
        for branch in &branches {
            for (key, schema) in &branch.undeclared {
                let known = properties
                    .iter()
                    .chain(&added)
                    .any(|(k, _, _)| k.name == key.name);
                if !known {
                    let shape = Shape {
                        ty: Some(TypeRef::String),
                        ..Shape::default()
                    };
                    properties.push((key, schema, shape));
                }
            }
        }
        let exactly_one = keyword == "oneOf";
        let ty = match tagged {
            Some((tag, values)) => self.tagged(
                cx,
                node,
                keyword,
                pointer,
                name,
                (&properties, &added),
                &base,
                &branches,
                tag,
                values,
            ),
            None => {
                properties.extend(added);
                self.with_branch_rule(
                    cx,
                    node,
                    pointer,
                    name,
                    properties,
                    base,
                    &branches,
                    exactly_one,
                )
            }
        };
        shape.ty = Some(TypeRef::Named(ty));
        Some(Some(shape))
    }

    /// One struct with every property; the branch rule is checked by `validate()`.
    #[allow(clippy::too_many_arguments)]
    fn with_branch_rule(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        name: String,
        properties: Vec<(&Key, &Node, Shape)>,
        mut required: BTreeSet<String>,
        branches: &[Rules],
        exactly_one: bool,
    ) -> String {
        // What every branch requires, the struct requires.
        let mut everywhere: BTreeSet<String> = branches
            .first()
            .map(|b| b.required.iter().cloned().collect())
            .unwrap_or_default();
        for branch in branches {
            everywhere.retain(|r| branch.required.contains(r));
        }
        required.extend(everywhere.iter().cloned());
        let docs = cx.docs(node);
        let name = self.object_with(cx, node, pointer, name, docs, properties, &required);
        let Some(def) = self.types.get_mut(&name) else {
            return name;
        };
        let TypeKind::Struct(s) = &mut def.kind else {
            return name;
        };
        let field = |wire: &str| s.fields.iter().find(|f| f.wire_name == wire);
        let mut rule = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let rest: Vec<&String> = branch
                .required
                .iter()
                .filter(|r| !everywhere.contains(*r))
                .collect();
            let mut label = match &branch.title {
                Some(title) => format!("\"{}\"", title.trim().trim_end_matches('.')),
                None => format!("branch {}", i + 1),
            };
            let mut said = Vec::new();
            if !rest.is_empty() {
                said.push(format!(
                    "requires {}",
                    rest.iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for (property, allowed) in &branch.values {
                said.push(format!("{property} in [{}]", allowed.join(", ")));
            }
            if !said.is_empty() {
                label = format!("{label} ({})", said.join("; "));
            }
            rule.push(Branch {
                label,
                required: rest
                    .iter()
                    .filter_map(|r| field(r))
                    .map(|f| f.name.clone())
                    .collect(),
                values: branch
                    .values
                    .iter()
                    .filter_map(|(p, allowed)| Some((field(p)?.name.clone(), allowed.clone())))
                    .collect(),
            });
        }
        s.rules.push(ObjectRule::Branches {
            exactly_one,
            branches: rule,
        });
        name
    }

    /// A tagged enum by `tag`: one struct per branch with every property, requiring what the
    /// branch requires, the tag fixed to the branch's value.
    #[allow(clippy::too_many_arguments)]
    fn tagged(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        keyword: &str,
        pointer: &str,
        name: String,
        (properties, added): (&[Property], &[Property]),
        base: &BTreeSet<String>,
        branches: &[Rules],
        tag: String,
        values: Vec<String>,
    ) -> String {
        let mut variants = Vec::new();
        let mut taken = BTreeSet::new();
        for (branch, value) in branches.iter().zip(&values) {
            let i = branch.index;
            let variant_name = naming::unique(naming::camel(value), &mut taken);
            let struct_name = self.new_type(&format!("{name}{variant_name}"));
            let mut required = base.clone();
            required.extend(branch.required.iter().cloned());
            required.insert(tag.clone());
            let fields: Vec<(&Key, &Node, Shape)> = properties
                .iter()
                .map(|(key, prop, shape)| {
                    let mut shape = shape.clone();
                    if key.name == tag {
                        shape.ty = Some(TypeRef::String);
                        shape.constant = Some(value.clone());
                        shape.constraints.clear();
                        shape.nullable = false;
                    }
                    (*key, *prop, shape)
                })
                .chain(
                    added
                        .iter()
                        .filter(|(key, _, _)| branch.added.iter().any(|(k, _)| k.name == key.name))
                        .map(|(key, prop, shape)| (*key, *prop, shape.clone())),
                )
                .collect();
            // The branch as a schema of its own, for its exported JSON Schema and location.
            let exported = variant_schema(node, branch, &tag, value, &required);
            let docs = branch
                .description
                .clone()
                .or_else(|| branch.title.clone())
                .or_else(|| cx.docs(node));
            let struct_name = self.object_with(
                cx,
                &exported,
                &format!("{pointer}/{keyword}/{i}"),
                struct_name,
                docs,
                fields,
                &required,
            );
            // Other narrowed properties keep their rule.
            let narrowed: Vec<(String, Vec<String>)> = branch
                .values
                .iter()
                .filter(|(p, _)| *p != tag)
                .cloned()
                .collect();
            if let Some(TypeKind::Struct(s)) = self.types.get_mut(&struct_name).map(|d| &mut d.kind)
            {
                let values: Vec<(String, Vec<String>)> = narrowed
                    .iter()
                    .filter_map(|(p, allowed)| {
                        let f = s.fields.iter().find(|f| f.wire_name == *p)?;
                        Some((f.name.clone(), allowed.clone()))
                    })
                    .collect();
                if !values.is_empty() {
                    let label = values
                        .iter()
                        .map(|(p, allowed)| format!("{p} in [{}]", allowed.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    s.rules.push(ObjectRule::Branches {
                        exactly_one: true,
                        branches: vec![Branch {
                            label,
                            required: Vec::new(),
                            values,
                        }],
                    });
                }
            }
            variants.push(Variant {
                name: variant_name,
                tag_value: value.clone(),
                ty: struct_name,
            });
        }
        let docs = cx.docs(node);
        self.insert_union(cx, node, pointer, &name, docs, tag, variants);
        name
    }
}

/// The object schema one branch amounts to: `node` without its branches, requiring `required`,
/// with `tag` fixed to `value`.
fn variant_schema(
    node: &Node,
    branch: &Rules,
    tag: &str,
    value: &str,
    required: &BTreeSet<String>,
) -> Node {
    let at = |value: Value| Node {
        loc: node.loc,
        value,
    };
    let key = |name: &str| Key {
        name: name.to_owned(),
        loc: node.loc,
    };
    let mut entries: Vec<(Key, Node)> = Vec::new();
    for (k, v) in node.entries().unwrap_or_default() {
        match k.name.as_str() {
            "oneOf" | "anyOf" | "required" | "discriminator" => {}
            "properties" => {
                let properties = v
                    .entries()
                    .unwrap_or_default()
                    .iter()
                    .map(|(name, schema)| {
                        let narrowed = branch.values.iter().find(|(p, _)| *p == name.name);
                        let schema = if name.name == tag {
                            at(Value::Map(vec![
                                (key("type"), at(Value::Str("string".to_owned()))),
                                (key("const"), at(Value::Str(value.to_owned()))),
                            ]))
                        } else if let Some((_, allowed)) = narrowed {
                            // The property's own schema, its values narrowed.
                            let mut kept: Vec<(Key, Node)> = schema
                                .entries()
                                .unwrap_or_default()
                                .iter()
                                .filter(|(k, _)| k.name != "enum" && k.name != "const")
                                .cloned()
                                .collect();
                            kept.push((
                                key("enum"),
                                at(Value::Seq(
                                    allowed.iter().map(|a| at(Value::Str(a.clone()))).collect(),
                                )),
                            ));
                            at(Value::Map(kept))
                        } else {
                            schema.clone()
                        };
                        (name.clone(), schema)
                    })
                    .collect();
                let mut properties: Vec<(Key, Node)> = properties;
                properties.extend(
                    branch
                        .added
                        .iter()
                        .map(|(k, s)| ((*k).clone(), (*s).clone())),
                );
                entries.push((k.clone(), at(Value::Map(properties))));
            }
            _ => entries.push((k.clone(), v.clone())),
        }
    }
    entries.push((
        key("required"),
        at(Value::Seq(
            required.iter().map(|r| at(Value::Str(r.clone()))).collect(),
        )),
    ));
    at(Value::Map(entries))
}
