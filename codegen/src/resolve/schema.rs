//! Schemas -> named types and type references.
//!
//! Component schemas are resolved first, in spec order, so their names never depend on which
//! operation happens to mention them first. Schemas that are only a constrained primitive
//! (`MessageBody: {type: string, minLength: 1}`) are inlined at each use, carrying their
//! constraints and description, so callers write `String`, not a wrapper.

use super::constraints::{number_constraints, string_constraints, value_rules};
use super::context::{escape_segment, Ctx};
use crate::ir::{
    Access, Condition, Constant, Constraint, EnumValue, ExtraProperties, Field, ObjectRule,
    StringEnum, Struct, TaggedUnion, TypeDef, TypeKind, TypeRef, UntaggedVariant, Usage, Variant,
};
use crate::load::{Document, Key, Node, RefError, Value};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What a schema amounts to where it is used.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape {
    pub ty: Option<TypeRef>,
    pub constraints: Vec<Constraint>,
    pub nullable: bool,
    pub docs: Option<String>,
    /// A `const` (or one-value `enum`) string.
    pub constant: Option<String>,
    /// A use of a schema inside its own definition: the holder must box it.
    pub recursive: bool,
}

/// Keywords that constrain values but that the generated validators do not check yet. Reported
/// as warnings so nobody believes they are enforced.
const UNCHECKED: &[&str] = &[
    "not",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords whose schemas cannot become an exact Rust type: the value degrades to
/// `serde_json::Value`, with a warning. (`allOf`, `oneOf` and `anyOf` are understood, see
/// `Schemas::all_of` and `Schemas::union`; `if`/`then`/`else` on objects, see
/// `Schemas::conditional`.)
const DEGRADED: &[&str] = &["patternProperties", "prefixItems"];

/// All types found so far.
#[derive(Default)]
pub(crate) struct Schemas {
    pub types: BTreeMap<String, TypeDef>,
    taken: BTreeSet<String>,
    by_pointer: HashMap<String, Shape>,
    in_progress: BTreeSet<String>,
    /// (union name, tag property, variant struct names): the tag belongs to the union, so it
    /// is removed from the variant structs once everything is resolved.
    unions: Vec<(String, String, Vec<String>)>,
    /// Names reserved for recursive schemas while they are being resolved, by pointer.
    pending: HashMap<String, String>,
    /// Reserved names whose schema became another type: (name, what it stands for).
    substitutions: Vec<(String, TypeRef)>,
    /// Cycles of `$ref`s already reported, each as its sorted members.
    cycles: BTreeSet<Vec<String>>,
    /// The schemas being resolved, outermost first: what `$recursiveRef`, `$dynamicRef` and
    /// `$ref: '#'` refer to.
    roots: Vec<String>,
}

impl Schemas {
    /// Starts with `reserved` names taken, so no schema type can be called like them.
    pub fn with_reserved(reserved: impl IntoIterator<Item = String>) -> Self {
        Schemas {
            taken: reserved.into_iter().collect(),
            ..Schemas::default()
        }
    }

    /// Reports every cycle of `$ref`s among the components (of every kind) that never reaches
    /// an object of its own, whether or not anything uses it: such a spec is broken, and
    /// saying so only when something happens to use it would hide it.
    pub fn alias_cycles(&mut self, cx: &mut Ctx<'_>) {
        let doc = cx.doc;
        let Some(sections) = doc.root.get("components").and_then(Node::entries) else {
            return;
        };
        for (section, entries) in sections {
            for (key, node) in entries.entries().unwrap_or_default() {
                let Some(reference) = node.get("$ref") else {
                    continue;
                };
                let pointer = format!(
                    "/components/{}/{}",
                    escape_segment(&section.name),
                    escape_segment(&key.name)
                );
                if let Some(cycle) = alias_cycle(doc, node, &pointer) {
                    self.report_cycle(cx, reference, cycle);
                }
            }
        }
    }

    /// Reports a cycle of `$ref`s at `at`, once per cycle.
    fn report_cycle(&mut self, cx: &mut Ctx<'_>, at: &Node, cycle: Vec<String>) {
        // The chain may lead into a cycle it is not part of: the cycle starts where the
        // repeated pointer first appears.
        let repeated = cycle.last().cloned().unwrap_or_default();
        let start = cycle.iter().position(|p| *p == repeated).unwrap_or(0);
        let mut members = cycle[start..cycle.len().saturating_sub(1)].to_vec();
        members.sort();
        if !self.cycles.insert(members) {
            return;
        }
        cx.error(
            at,
            format!(
                "these `$ref`s only point at each other, so they never reach a schema: {}",
                cycle.join(" -> ")
            ),
            "point one of them at a real schema (an object, a type, ...)",
        );
    }

    /// Resolves every `components/schemas` entry, in spec order.
    pub fn components(&mut self, cx: &mut Ctx<'_>) {
        let Some(schemas) = cx.doc.root.get("components").and_then(|c| c.get("schemas")) else {
            return;
        };
        let Some(entries) = cx
            .map(schemas, "`components.schemas`")
            .and_then(Node::entries)
        else {
            return;
        };
        // Names that become the same Rust name: the later ones get a suffix, and a warning,
        // since which one is `Name` and which `Name2` depends on their order in the file.
        let mut rust_names: HashMap<String, &str> = HashMap::new();
        for (key, _) in entries {
            let rust = naming::camel(&key.name);
            match rust_names.get(rust.as_str()) {
                Some(first) => cx.warning(
                    &Node {
                        loc: key.loc,
                        value: Value::Null,
                    },
                    format!("the schemas `{first}` and `{}` both become the Rust type `{rust}`; this one gets a numbered name", key.name),
                    "rename one of them so the names differ in more than case and punctuation",
                ),
                None => {
                    rust_names.insert(rust, &key.name);
                }
            }
        }
        for (key, node) in entries {
            let pointer = format!("/components/schemas/{}", escape_segment(&key.name));
            self.named(cx, node, &pointer);
        }
    }

    /// The shape of the schema at `node`, which lives at `pointer`; `hint` names any type an
    /// inline schema needs.
    pub fn shape(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<Shape> {
        for keyword in ["$recursiveRef", "$dynamicRef"] {
            if let Some(reference) = node.get(keyword) {
                if keyword == "$recursiveRef" {
                    cx.warning(
                        reference,
                        "`$recursiveRef` is a JSON Schema 2019-09 keyword, not one of OpenAPI 3.1's 2020-12; it is read as 2019-09 reads it, a reference to the outermost schema with `$recursiveAnchor: true`",
                        "write `$dynamicRef` with a `$dynamicAnchor`, or `$ref` the schema by name",
                    );
                }
                return self.dynamic(cx, node, reference, keyword);
            }
        }
        let Some(reference) = node.get("$ref") else {
            return self.inline(cx, node, pointer, hint);
        };
        // The reference is followed once; its target also starts the cycle check.
        let doc = cx.doc;
        let Some(text) = reference.as_str() else {
            // Not a string: `ref_target` says so.
            return cx.ref_target(reference).and(None);
        };
        if text == "#" && reference.loc.file == 0 {
            // In the spec itself `#` is the whole OpenAPI document, never a schema: written
            // inside a schema it means that schema, as it would in a file of its own.
            cx.warning(
                reference,
                "in the spec itself `$ref: '#'` is the whole OpenAPI document, which is no schema; it is read as the schema being defined (a recursive reference)",
                "refer to the schema by name, e.g. `$ref: '#/components/schemas/Tree'`",
            );
            return self.dynamic(cx, node, reference, "$ref");
        }
        let (target, target_pointer) = match doc.follow(reference.loc.file, text) {
            Ok(found) => found,
            // The loader has said why the file is missing.
            Err(RefError::FileNotLoaded) => return None,
            Err(RefError::Dangling) => {
                // Real specs ship with the odd dangling pointer (Intercom's does); one
                // field should not stop the whole client.
                cx.warning(
                    reference,
                    format!("`$ref: '{text}'` points at nothing; the value is kept as `serde_json::Value`"),
                    "check the spelling of every segment of the pointer",
                );
                return Some(any());
            }
        };
        if let Some(cycle) = alias_cycle(doc, target, &target_pointer) {
            self.report_cycle(cx, reference, cycle);
            return None;
        }
        // In the spec itself a schema lives under `components/schemas`; another file may hold
        // one anywhere (a schema per file is common).
        if !target_pointer.starts_with("/components/schemas/") && !target_pointer.contains('#') {
            cx.error(
                reference,
                "a schema `$ref` must point into `#/components/schemas/`",
                "move the schema under `components.schemas`",
            );
            return None;
        }
        let mut shape = self.named(cx, target, &target_pointer)?;
        // OpenAPI 3.1 lets a `$ref` carry its own description, which wins at this use site.
        if let Some(docs) = cx.docs(node) {
            shape.docs = Some(docs);
        }
        // `{$ref: X, nullable: true}`: the use may be `null` (3.1 applies a `$ref`'s siblings;
        // 3.0 specs write it meaning the same, and a judge of either version accepts `null`).
        shape.nullable |= cx.flag(node, "nullable");
        Some(shape)
    }

    /// `$recursiveRef: '#'`, `$dynamicRef: '#anchor'` and `$ref: '#'` (in the spec itself): a
    /// schema being resolved. `$recursiveRef` goes to the outermost one with
    /// `$recursiveAnchor: true`, `$dynamicRef` to the outermost one with that `$dynamicAnchor`;
    /// otherwise (and for `$ref: '#'`) the innermost.
    fn dynamic(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        reference: &Node,
        keyword: &str,
    ) -> Option<Shape> {
        let doc = cx.doc;
        let Some(text) = reference.as_str() else {
            cx.error(
                reference,
                format!("`{keyword}` must be a string, found {}", reference.kind()),
                format!("write `{keyword}: '#'`"),
            );
            return None;
        };
        // A key from `Document::follow`: a pointer into the spec, or `file#pointer`.
        let root_node = |key: &str| match key.split_once('#') {
            Some((file, inner)) => doc
                .others
                .iter()
                .find(|f| f.name == file)
                .and_then(|f| crate::load::lookup(&f.root, inner)),
            None => crate::load::lookup(&doc.root, key),
        };
        let anchored = |pointer: &&String| {
            let Some(schema) = root_node(pointer) else {
                return false;
            };
            match keyword {
                "$recursiveRef" => {
                    matches!(
                        schema.get("$recursiveAnchor").map(|a| &a.value),
                        Some(Value::Bool(true))
                    )
                }
                "$dynamicRef" => {
                    schema.get("$dynamicAnchor").and_then(Node::as_str)
                        == Some(text.trim_start_matches('#'))
                }
                _ => false,
            }
        };
        let target = self
            .roots
            .iter()
            .find(anchored)
            .or(self.roots.last())
            .cloned();
        let Some(pointer) = target else {
            cx.error(
                reference,
                format!("`{keyword}: '{text}'` is not inside a schema it could refer to"),
                "use it inside a schema under `components.schemas`, or `$ref` that schema by name",
            );
            return None;
        };
        let Some(schema) = root_node(&pointer) else {
            return Some(any());
        };
        let mut shape = self.named(cx, schema, &pointer)?;
        if let Some(docs) = cx.docs(node) {
            shape.docs = Some(docs);
        }
        Some(shape)
    }

    /// The shape of a component schema, resolved once and remembered.
    fn named(&mut self, cx: &mut Ctx<'_>, node: &Node, pointer: &str) -> Option<Shape> {
        if let Some(shape) = self.by_pointer.get(pointer) {
            return Some(shape.clone());
        }
        // The last segment of the pointer; for a whole file (`pet.yaml#`), its stem.
        let hint = match pointer.rsplit_once('#') {
            Some((file, "")) => Path::new(file)
                .file_stem()
                .map_or("Type".to_owned(), |stem| {
                    stem.to_string_lossy().into_owned()
                }),
            _ => pointer
                .rsplit('/')
                .next()
                .unwrap_or("Type")
                .replace("~1", "/")
                .replace("~0", "~"),
        };
        if !self.in_progress.insert(pointer.to_owned()) {
            // A schema that contains itself: the use refers to the type being defined by the
            // name it will get (reserved now), and the field holding it is boxed.
            let name = match self.pending.get(pointer) {
                Some(name) => name.clone(),
                None => {
                    let name = self.new_type(&hint);
                    self.pending.insert(pointer.to_owned(), name.clone());
                    name
                }
            };
            let _ = node;
            return Some(Shape {
                ty: Some(TypeRef::Named(name)),
                recursive: true,
                ..Shape::default()
            });
        }
        let to_itself = ["$recursiveRef", "$dynamicRef"]
            .iter()
            .find_map(|k| node.get(k))
            .or_else(|| node.get("$ref").filter(|r| r.as_str() == Some("#")));
        if let Some(reference) = to_itself {
            self.in_progress.remove(pointer);
            cx.error(
                reference,
                "this schema is only a reference to itself, so it describes no value",
                "describe the value here, and refer to the schema from inside it",
            );
            return None;
        }
        self.roots.push(pointer.to_owned());
        // A component that is only a `$ref` (an alias) is what it points at.
        let shape = self.shape(cx, node, pointer, &hint);
        self.roots.pop();
        self.in_progress.remove(pointer);
        let shape = shape?;
        if let Some(reserved) = self.pending.remove(pointer) {
            // The schema did not become a type of that name (a wrapper around another type, a
            // list...): the uses inside it are rewritten to what it became.
            self.substitutions
                .push((reserved, shape.ty.clone().unwrap_or(TypeRef::Any)));
        }
        self.by_pointer.insert(pointer.to_owned(), shape.clone());
        Some(shape)
    }

    fn inline(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<Shape> {
        if let Value::Bool(accept) = node.value {
            // `true` accepts anything; `false` nothing, which only a `Value` can carry too.
            if !accept {
                cx.degrade(node, "the schema `false`");
            }
            return Some(any());
        }
        let node = cx.map(node, "a schema")?;
        for keyword in DEGRADED {
            if let Some(at) = node.get(keyword) {
                cx.degrade(at, &format!("`{keyword}`"));
                return Some(any());
            }
        }
        for keyword in UNCHECKED {
            if let Some(at) = node.get(keyword) {
                cx.warning(at, format!("`{keyword}` is not checked by the generated validator yet"), "the API will still enforce it; requests breaking it fail there, not before sending");
            }
        }
        if let Some(default) = node.get("default") {
            if let Some(problem) = super::constraints::default_problem(node, default) {
                cx.warning(
                    default,
                    format!("this `default` breaks its own schema: {problem}"),
                    "change the default so the schema accepts it, or remove it; the generator ignores it",
                );
            }
        }
        let docs = cx
            .opt_str(node, "description")
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty());
        let (types, mut nullable) = self.types(cx, node);
        nullable |= cx.flag(node, "nullable");
        let mut shape = Shape {
            nullable,
            docs,
            ..Shape::default()
        };

        if let Some(all_of) = node.get("allOf") {
            return self.all_of(cx, node, all_of, pointer, hint, shape);
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(choices) = node.get(keyword) else {
                continue;
            };
            // `anyOf: [X, {type: 'null'}]` is how 3.1 writes a nullable X: that is X.
            let items = cx.seq(choices, &format!("`{keyword}`"), "[{$ref: ...}, ...]")?;
            let kept: Vec<(usize, &Node)> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| !is_null_schema(item))
                .collect();
            shape.nullable |= kept.len() < items.len();
            if node.get("properties").is_some() {
                if let Some(object) =
                    self.constrained_object(cx, node, keyword, &kept, pointer, hint, shape.clone())
                {
                    return object;
                }
            }
            if let [(i, only)] = kept.as_slice() {
                let inner = self.shape(cx, only, &format!("{pointer}/{keyword}/{i}"), hint)?;
                return Some(merge_use_site(inner, shape));
            }
            if node.get("discriminator").is_some() {
                shape.ty = Some(TypeRef::Named(
                    self.union(cx, node, keyword, choices, pointer, hint)?,
                ));
                return Some(shape);
            }
            let (ty, nullable) = self.untagged(cx, node, &kept, keyword, pointer, hint);
            shape.ty = Some(ty);
            shape.nullable |= nullable;
            return Some(shape);
        }
        if let Some(constant) = node.get("const") {
            shape.constant = Some(self.string_value(cx, constant, "`const`")?);
            shape.ty = Some(TypeRef::String);
            return Some(shape);
        }
        if let Some(values) = node.get("enum") {
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
                shape.ty = Some(match primary_type(&types, &non_null) {
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
            return Some(shape);
        }
        let primary = match types.first() {
            Some(t) => Some(t.as_str()),
            None => implied_type(cx, node),
        };
        let is_struct =
            matches!(primary, Some("object") | None) && node.get("properties").is_some();
        if !is_struct {
            for keyword in ["if", "then", "else", "dependentRequired"] {
                if let Some(at) = node.get(keyword) {
                    cx.unsupported(
                        at,
                        &format!("`{keyword}` outside an object with `properties`"),
                    );
                    return None;
                }
            }
        }
        shape.ty = Some(match primary {
            Some("string") => {
                shape.constraints = string_constraints(cx, node);
                TypeRef::String
            }
            Some("integer") => {
                shape.constraints = number_constraints(cx, node);
                TypeRef::Integer(if cx.opt_str(node, "format") == Some("int32") {
                    32
                } else {
                    64
                })
            }
            Some("number") => {
                shape.constraints = number_constraints(cx, node);
                TypeRef::Number
            }
            Some("boolean") => TypeRef::Boolean,
            Some("array") => {
                let item_hint = format!("{hint}Item");
                let items = match node.get("items") {
                    Some(items) => {
                        self.shape(cx, items, &format!("{pointer}/items"), &item_hint)?
                    }
                    None => Shape {
                        ty: Some(TypeRef::Any),
                        ..Shape::default()
                    },
                };
                if let Some(min) = cx.opt_u64(node, "minItems") {
                    shape.constraints.push(Constraint::MinItems(min));
                }
                if let Some(max) = cx.opt_u64(node, "maxItems") {
                    shape.constraints.push(Constraint::MaxItems(max));
                }
                if cx.flag(node, "uniqueItems") {
                    shape.constraints.push(Constraint::UniqueItems);
                }
                let item_rules = value_rules(items.constraints, items.constant);
                if !item_rules.is_empty() {
                    shape.constraints.push(Constraint::Items(item_rules));
                }
                TypeRef::List(Box::new(
                    items.ty.unwrap_or(TypeRef::Any).or_null(items.nullable),
                ))
            }
            Some("object") | None if node.get("properties").is_some() => {
                TypeRef::Named(self.object(cx, node, pointer, hint, shape.docs.clone())?)
            }
            Some("object") => {
                if let Some(min) = cx.opt_u64(node, "minProperties") {
                    shape.constraints.push(Constraint::MinProperties(min));
                }
                if let Some(max) = cx.opt_u64(node, "maxProperties") {
                    shape.constraints.push(Constraint::MaxProperties(max));
                }
                match node.get("additionalProperties") {
                    Some(extra) if extra.entries().is_some() => {
                        let values = self.shape(
                            cx,
                            extra,
                            &format!("{pointer}/additionalProperties"),
                            &format!("{hint}Value"),
                        )?;
                        let value_rules = value_rules(values.constraints, values.constant);
                        if !value_rules.is_empty() {
                            shape.constraints.push(Constraint::Values(value_rules));
                        }
                        TypeRef::Map(Box::new(
                            values.ty.unwrap_or(TypeRef::Any).or_null(values.nullable),
                        ))
                    }
                    _ => TypeRef::Map(Box::new(TypeRef::Any)),
                }
            }
            Some(other) => {
                let at = node.get("type").unwrap_or(node);
                cx.error(
                    at,
                    format!("`{other}` is not a JSON Schema type"),
                    "use one of string, integer, number, boolean, array, object, null",
                );
                return None;
            }
            None => TypeRef::Any,
        });
        Some(shape)
    }

    /// `oneOf`/`anyOf` without a discriminator: an untagged enum with a variant per choice,
    /// named after its type. Decoding tries the variants in spec order, so the first choice a
    /// value fits wins (for `oneOf`, exactly one should). Constraints of primitive choices
    /// (`{type: string, minLength: 1}`) are not checked: they are reported once.
    fn untagged(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        choices: &[(usize, &Node)],
        keyword: &str,
        pointer: &str,
        hint: &str,
    ) -> (TypeRef, bool) {
        let name = self.type_name(pointer, hint);
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        let mut taken = BTreeSet::new();
        let mut unchecked = false;
        let mut nullable = false;
        for (i, choice) in choices {
            // Inline choices are named by their `title`, or by their one property (serde's
            // externally tagged enums, as Dropshot writes them), else by position.
            let single_property = choice
                .get("properties")
                .and_then(Node::entries)
                .filter(|p| p.len() == 1)
                .map(|p| p[0].0.name.as_str());
            // A property fixed to one string (`type: {enum: [file]}`) is a tag in all but name.
            let fixed_value = choice
                .get("properties")
                .and_then(Node::entries)
                .unwrap_or_default()
                .iter()
                .find_map(
                    |(_, property)| match property.get("enum").and_then(Node::as_seq) {
                        Some([only]) => only.as_str(),
                        _ => property.get("const").and_then(Node::as_str),
                    },
                );
            let inline = choice.get("$ref").is_none();
            let label = match (cx.opt_str(choice, "title"), fixed_value, single_property) {
                (Some(title), _, _) => naming::camel(title),
                (None, Some(value), _) if inline => naming::camel(value),
                (None, None, Some(property)) if inline => naming::camel(property),
                _ => format!("Variant{}", i + 1),
            };
            let choice_hint = format!("{name}{label}");
            let Some(shape) = self.shape(
                cx,
                choice,
                &format!("{pointer}/{keyword}/{i}"),
                &choice_hint,
            ) else {
                continue;
            };
            unchecked |= !shape.constraints.is_empty() || shape.constant.is_some();
            // A choice that may be `null` makes the whole union nullable.
            nullable |= shape.nullable;
            let ty = shape.ty.unwrap_or(TypeRef::Any);
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            // `Union::Attached(UnionAttached)` rather than `Union::UnionAttached(..)`.
            let full = variant_name(&ty);
            let short = full
                .strip_prefix(name.as_str())
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(&full)
                .to_owned();
            variants.push(UntaggedVariant {
                name: naming::unique(short, &mut taken),
                boxed: shape.recursive,
                ty,
            });
        }
        if unchecked {
            cx.warning(
                node.get(keyword).unwrap_or(node),
                format!(
                    "the constraints of the `{keyword}` choices are not checked by the validator"
                ),
                "the API still enforces them; name the choices as schemas with their own types",
            );
        }
        if variants.len() > 1 && variants.iter().all(|v| matches!(v.ty, TypeRef::Named(_))) {
            // `Component::Button(ButtonComponent)`: the words every choice ends with go.
            let names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            for (variant, short) in variants.iter_mut().zip(variant_names(&names)) {
                variant.name = short;
            }
        }
        if variants.len() == 1 {
            // Every other choice failed or was the same type: that type.
            let only = variants.remove(0).ty;
            self.pending.remove(pointer);
            return (only, nullable);
        }
        let docs = cx.opt_str(node, "description").map(|d| d.trim().to_owned());
        self.insert(cx, node, pointer, &name, docs, TypeKind::Untagged(variants));
        (TypeRef::Named(name), nullable)
    }

    /// `allOf`: one part is that part seen through a wrapper (a description, `nullable`);
    /// object parts merge into one struct (properties and `required` of every part, the
    /// schema's own included). A part that is not an object degrades the whole to a `Value`.
    fn all_of(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        all_of: &Node,
        pointer: &str,
        hint: &str,
        shape: Shape,
    ) -> Option<Shape> {
        let items = cx.seq(all_of, "`allOf`", "allOf: [{$ref: ...}, {...}]")?;
        if let [only] = items {
            if node.get("properties").is_none() {
                let inner = self.shape(cx, only, &format!("{pointer}/allOf/0"), hint)?;
                return Some(merge_use_site(inner, shape));
            }
        }
        let mut properties: Vec<(Key, Node)> = Vec::new();
        let mut required: Vec<Node> = Vec::new();
        let mut pending: Vec<(&Node, String, usize)> = vec![(node, pointer.to_owned(), 0)];
        while let Some((part, part_pointer, depth)) = pending.pop() {
            let (part, part_pointer) = cx.deref(part, &part_pointer)?;
            if depth > 16 {
                cx.degrade(all_of, "an `allOf` nested over 16 deep (or in a loop)");
                return Some(merge_use_site(any(), shape));
            }
            if let Some(nested) = part.get("allOf") {
                let items = cx.seq(nested, "`allOf`", "allOf: [{$ref: ...}, {...}]")?;
                // Pushed in reverse so they are merged in spec order.
                for (i, item) in items.iter().enumerate().rev() {
                    pending.push((item, format!("{part_pointer}/allOf/{i}"), depth + 1));
                }
            }
            let is_object = ["oneOf", "anyOf", "enum", "const", "items"]
                .iter()
                .all(|k| part.get(k).is_none())
                && part
                    .get("type")
                    .and_then(Node::as_str)
                    .is_none_or(|t| t == "object");
            if !is_object {
                cx.degrade(part, "an `allOf` part that is not an object");
                return Some(merge_use_site(any(), shape));
            }
            for (key, value) in part
                .get("properties")
                .and_then(Node::entries)
                .unwrap_or_default()
            {
                match properties.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some(existing) => existing.1 = value.clone(),
                    None => properties.push((key.clone(), value.clone())),
                }
            }
            if let Some(list) = part.get("required").and_then(Node::as_seq) {
                required.extend(list.iter().cloned());
            }
        }
        let at = |name: &str, value: Value| {
            (
                Key {
                    name: name.to_owned(),
                    loc: node.loc,
                },
                Node {
                    loc: node.loc,
                    value,
                },
            )
        };
        let mut merged = vec![
            at("type", Value::Str("object".to_owned())),
            at("properties", Value::Map(properties)),
            at("required", Value::Seq(required)),
        ];
        for keyword in ["description", "title", "additionalProperties"] {
            if let Some(value) = node.get(keyword) {
                merged.push(at(keyword, value.value.clone()));
            }
        }
        let merged = Node {
            loc: node.loc,
            value: Value::Map(merged),
        };
        let inner = self.inline(cx, &merged, pointer, hint)?;
        Some(merge_use_site(inner, shape))
    }

    /// `type` as a list without `"null"`, and whether `"null"` was in it (3.1 type arrays).
    fn types(&mut self, cx: &mut Ctx<'_>, node: &Node) -> (Vec<String>, bool) {
        let Some(at) = node.get("type") else {
            return (Vec::new(), false);
        };
        let listed: Vec<&Node> = match &at.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![at],
        };
        let mut types = Vec::new();
        let mut nullable = false;
        for item in listed {
            match item.as_str() {
                Some("null") => nullable = true,
                Some(t) => types.push(t.to_owned()),
                None => cx.error(
                    item,
                    format!(
                        "`type` must be a string or a list of strings, found {}",
                        item.kind()
                    ),
                    "write e.g. `type: string` or `type: [string, \"null\"]`",
                ),
            }
        }
        if types.len() > 1 {
            cx.unsupported(at, "a `type` list with more than one non-null type");
        }
        (types, nullable)
    }

    fn string_value(&mut self, cx: &mut Ctx<'_>, node: &Node, what: &str) -> Option<String> {
        match node.as_str() {
            Some(s) => Some(s.to_owned()),
            None => {
                cx.unsupported(node, &format!("a non-string {what}"));
                None
            }
        }
    }

    pub(super) fn new_type(&mut self, hint: &str) -> String {
        naming::unique(naming::camel(hint), &mut self.taken)
    }

    /// The name of the type defined at `pointer`: the one reserved for it if a recursive use
    /// came first, else a new one from `hint`.
    pub(super) fn type_name(&mut self, pointer: &str, hint: &str) -> String {
        match self.pending.remove(pointer) {
            Some(name) => name,
            None => self.new_type(hint),
        }
    }

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

    fn object(
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
    pub(super) fn property_shapes<'n>(
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
    pub(super) fn object_with(
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
                Some(default) if super::constraints::default_problem(prop, default).is_none() => {
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
        let mut rules = Vec::new();
        if let Some(min) = cx.opt_u64(node, "minProperties") {
            rules.push(ObjectRule::MinProperties(min));
        }
        if let Some(max) = cx.opt_u64(node, "maxProperties") {
            rules.push(ObjectRule::MaxProperties(max));
        }
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

    pub(super) fn required(&mut self, cx: &mut Ctx<'_>, node: &Node) -> BTreeSet<String> {
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

    /// A discriminated `oneOf`/`anyOf` (`keyword`): a tagged enum. Variants are `$ref`s
    /// (tagged by the mapping, their tag's `const`, or their name) or inline objects tagged by
    /// their tag property's `const` or one-value `enum`.
    fn union(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        keyword: &str,
        one_of: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<String> {
        let Some(discriminator) = node.get("discriminator") else {
            cx.unsupported(one_of, "`oneOf` without a `discriminator`");
            return None;
        };
        let tag = cx
            .req_str(discriminator, "propertyName", "the `discriminator`")?
            .to_owned();
        let mapping: Vec<(String, String)> = discriminator
            .get("mapping")
            .and_then(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.name.clone(), v.as_str()?.to_owned())))
            .collect();
        for (value, target) in &mapping {
            let found = if target.contains('#') {
                cx.doc.follow(discriminator.loc.file, target).is_ok()
            } else {
                // A bare name stands for `#/components/schemas/<name>`.
                cx.doc
                    .follow(
                        0,
                        &format!("#/components/schemas/{}", escape_segment(target)),
                    )
                    .is_ok()
            };
            if !found {
                let at = discriminator
                    .get("mapping")
                    .and_then(|m| m.get(value))
                    .unwrap_or(discriminator);
                cx.error(
                    at,
                    format!("the discriminator maps `{value}` to `{target}`, which is not a schema in this document"),
                    "point the mapping at one of the `oneOf` schemas, e.g. `#/components/schemas/Name`",
                );
            }
        }
        let items = cx.seq(one_of, &format!("`{keyword}`"), "oneOf: [{$ref: ...}, ...]")?;
        let name = self.type_name(pointer, hint);
        let mut structs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if is_null_schema(item) {
                continue;
            }
            let variant_pointer = format!("{pointer}/{keyword}/{i}");
            let Some(reference) = item.get("$ref").and_then(Node::as_str) else {
                // An inline variant says its tag value itself.
                let fixed = item
                    .get("properties")
                    .and_then(|p| p.get(&tag))
                    .and_then(|t| match t.get("enum").and_then(Node::as_seq) {
                        Some([only]) => only.as_str(),
                        _ => t.get("const").and_then(Node::as_str),
                    });
                let Some(value) = fixed.map(str::to_owned) else {
                    cx.error(
                        item,
                        format!("this inline variant does not say its `{tag}`, so it cannot be told apart from the others"),
                        format!("give it `properties: {{{tag}: {{const: <value>}}}}`, or `$ref` a named schema"),
                    );
                    return None;
                };
                let variant_hint = format!("{name}{}", naming::camel(&value));
                let shape = self.shape(cx, item, &variant_pointer, &variant_hint)?;
                let Some(TypeRef::Named(ty)) = shape.ty else {
                    cx.error(
                        item,
                        format!("a discriminated `{keyword}` variant must be an object schema"),
                        "give the variant `type: object` and its `properties`",
                    );
                    return None;
                };
                structs.push((ty, value));
                continue;
            };
            let shape = self.shape(cx, item, &variant_pointer, &name)?;
            let Some(TypeRef::Named(ty)) = shape.ty else {
                cx.error(
                    item,
                    "a discriminated `oneOf` variant must be an object schema",
                    "point the `$ref` at an object with properties",
                );
                return None;
            };
            if structs.iter().any(|(seen, _)| *seen == ty) {
                // Two variants of one type would be two `From` impls for it.
                cx.warning(
                    item,
                    format!("`{reference}` is listed twice in this `oneOf`; the repeat is ignored"),
                    "list each schema once",
                );
                continue;
            }
            let component = reference.rsplit('/').next().unwrap_or(reference);
            let tag_value = mapping
                .iter()
                .find(|(_, target)| target == reference || target == component)
                .map(|(value, _)| value.clone())
                .or_else(|| self.tag_const(&ty, &tag))
                .unwrap_or_else(|| component.to_owned());
            structs.push((ty, tag_value));
        }
        // Inline variants are named `<Union><Value>`: the variant is `<Value>`.
        let short: Vec<&str> = structs
            .iter()
            .map(|(ty, _)| {
                ty.strip_prefix(name.as_str())
                    .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                    .unwrap_or(ty)
            })
            .collect();
        let variant_names = variant_names(&short);
        let variants = structs
            .iter()
            .zip(variant_names)
            .map(|((ty, tag_value), name)| Variant {
                name,
                tag_value: tag_value.clone(),
                ty: ty.clone(),
            })
            .collect::<Vec<_>>();
        let docs = cx.opt_str(node, "description").map(|d| d.trim().to_owned());
        self.insert_union(cx, node, pointer, &name, docs, tag, variants);
        Some(name)
    }

    /// The `const` value a struct gives to `tag`, if it has one.
    fn tag_const(&self, ty: &str, tag: &str) -> Option<String> {
        let TypeKind::Struct(s) = &self.types.get(ty)?.kind else {
            return None;
        };
        if let Some(c) = s.constant.as_ref().filter(|c| c.wire_name == tag) {
            return Some(c.value.clone());
        }
        s.fields
            .iter()
            .find(|f| f.wire_name == tag)?
            .constraints
            .iter()
            .find_map(|c| match c {
                Constraint::Const(v) => Some(v.clone()),
                _ => None,
            })
    }

    /// The type a component schema (at `pointer`) resolved to, if it is resolved.
    pub(super) fn named_type(&self, pointer: &str) -> Option<&TypeRef> {
        self.by_pointer.get(pointer)?.ty.as_ref()
    }

    /// Defines the tagged union `name`, and records its tag, which [`Schemas::finish`] then
    /// moves out of the variants' structs.
    #[allow(clippy::too_many_arguments)] // Two callers; each argument is a different fact.
    pub(super) fn insert_union(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        name: &str,
        docs: Option<String>,
        tag: String,
        variants: Vec<Variant>,
    ) {
        self.unions.push((
            name.to_owned(),
            tag.clone(),
            variants.iter().map(|v| v.ty.clone()).collect(),
        ));
        let kind = TypeKind::TaggedUnion(TaggedUnion { tag, variants });
        self.insert(cx, node, pointer, name, docs, kind);
    }

    pub(super) fn insert(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        pointer: &str,
        name: &str,
        docs: Option<String>,
        kind: TypeKind,
    ) {
        let origin = cx.origin(node, pointer);
        let schema = self.export(cx.doc, node);
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                docs,
                kind,
                usage: Usage::default(),
                origin,
                schema,
            },
        );
    }

    /// Final touches once every schema is resolved: the union tags move out of the variants,
    /// in their fields and in their exported schemas. The union's own schema keeps the
    /// variants' wire schemas, tag included.
    pub fn finish(&mut self) {
        for (name, target) in std::mem::take(&mut self.substitutions) {
            for def in self.types.values_mut() {
                def.substitute(&name, &target);
            }
        }
        for (union, tag, variants) in std::mem::take(&mut self.unions) {
            let mut wire = Vec::new();
            for ty in variants {
                let Some(def) = self.types.get_mut(&ty) else {
                    continue;
                };
                wire.push(def.schema.clone());
                strip_property(&mut def.schema, &tag);
                if let TypeKind::Struct(s) = &mut def.kind {
                    s.fields.retain(|f| f.wire_name != tag);
                    if s.constant.as_ref().is_some_and(|c| c.wire_name == tag) {
                        s.constant = None;
                    }
                }
            }
            if let Some(def) = self.types.get_mut(&union) {
                if let Some(object) = def.schema.as_object_mut() {
                    object.insert("oneOf".to_owned(), serde_json::Value::Array(wire));
                }
            }
        }
    }
}

/// Variant names: the struct names without the words they all end with
/// (`EmailMessageRequest`, `InAppMessageRequest` -> `Email`, `InApp`).
/// A variant name for a choice of this type: the type's own name, or what the value is.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(_) => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::List(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Nullable(inner) => variant_name(inner),
        TypeRef::Any => "Value".to_owned(),
    }
}

/// The shape of a value the generator keeps as JSON.
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

/// When `target` (reached through a `$ref`, at `key`) starts a chain of `$ref`s that comes
/// back to itself without reaching a schema of its own, the chain's pointers.
fn alias_cycle(doc: &Document, target: &Node, key: &str) -> Option<Vec<String>> {
    let mut seen: Vec<String> = vec![key.to_owned()];
    let mut current = target;
    for _ in 0..64 {
        let reference = current.get("$ref")?;
        let (target, key) = doc.follow(reference.loc.file, reference.as_str()?).ok()?;
        if seen.contains(&key) {
            seen.push(key);
            return Some(seen);
        }
        seen.push(key);
        current = target;
    }
    None
}

/// The type a schema without `type` implies by keywords that only one type has (`items`: an
/// array, `minLength`: a string, ...), with a warning saying what was assumed; `None` when the
/// schema names none (it accepts any JSON value, which is what `serde_json::Value` holds).
fn implied_type(cx: &mut Ctx<'_>, node: &Node) -> Option<&'static str> {
    const IMPLIED: &[(&str, &str)] = &[
        ("items", "array"),
        ("minItems", "array"),
        ("maxItems", "array"),
        ("uniqueItems", "array"),
        ("additionalProperties", "object"),
        ("minProperties", "object"),
        ("maxProperties", "object"),
        ("minLength", "string"),
        ("maxLength", "string"),
        ("pattern", "string"),
        ("minimum", "number"),
        ("maximum", "number"),
        ("exclusiveMinimum", "number"),
        ("exclusiveMaximum", "number"),
        ("multipleOf", "number"),
    ];
    if node.get("properties").is_some() {
        // An object with properties already; that needs no warning.
        return None;
    }
    let found: Vec<(&str, &str)> = IMPLIED
        .iter()
        .filter(|(keyword, _)| node.get(keyword).is_some())
        .copied()
        .collect();
    let (keyword, ty) = *found.first()?;
    if found.iter().any(|(_, other)| *other != ty) {
        // Keywords of different types: JSON Schema applies each to its own type only, so the
        // schema really accepts several types.
        return None;
    }
    cx.warning(
        node.get(keyword).unwrap_or(node),
        format!(
            "this schema has no `type`, but `{keyword}` implies {} {ty}; it is typed as one",
            if ty == "array" || ty == "object" {
                "an"
            } else {
                "a"
            }
        ),
        format!("add `type: {ty}`"),
    );
    Some(ty)
}

fn any() -> Shape {
    Shape {
        ty: Some(TypeRef::Any),
        ..Shape::default()
    }
}

/// `{type: 'null'}` (or `type: [null]`), the other half of a 3.1 nullable choice.
fn is_null_schema(node: &Node) -> bool {
    match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => t == "null",
        Some(Value::Seq(items)) => items.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    }
}

/// The inner shape seen through a wrapper (`allOf: [X]`, `anyOf: [X, null]`) that adds its own
/// description and nullability at the use site.
fn merge_use_site(mut inner: Shape, wrapper: Shape) -> Shape {
    inner.nullable |= wrapper.nullable;
    if wrapper.docs.is_some() {
        inner.docs = wrapper.docs;
    }
    inner
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

fn variant_names(structs: &[&str]) -> Vec<String> {
    let words: Vec<Vec<&str>> = structs.iter().map(|s| camel_words(s)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    if structs.len() > 1 {
        while common + 1 < shortest {
            let word = words[0][words[0].len() - 1 - common];
            if words.iter().all(|w| w[w.len() - 1 - common] == word) {
                common += 1;
            } else {
                break;
            }
        }
    }
    let mut taken = BTreeSet::new();
    words
        .iter()
        .map(|w| naming::unique(w[..w.len() - common].concat(), &mut taken))
        .collect()
}

fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Removes `property` from an object schema's `properties` and `required`.
fn strip_property(schema: &mut serde_json::Value, property: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(properties) = object.get_mut("properties").and_then(|p| p.as_object_mut()) {
        properties.remove(property);
    }
    if let Some(required) = object.get_mut("required").and_then(|r| r.as_array_mut()) {
        required.retain(|r| r.as_str() != Some(property));
    }
}

#[cfg(test)]
mod tests {
    use super::variant_names;

    #[test]
    fn variant_names_drop_the_common_suffix() {
        assert_eq!(
            variant_names(&["EmailMessageRequest", "InAppMessageRequest"]),
            ["Email", "InApp"]
        );
        assert_eq!(variant_names(&["Cat", "Dog"]), ["Cat", "Dog"]);
        assert_eq!(variant_names(&["PetCat", "Cat"]), ["PetCat", "Cat"]);
        assert_eq!(variant_names(&["Only"]), ["Only"]);
    }
}
