//! Schemas -> named types and type references.
//!
//! Component schemas are resolved first, in spec order, so their names never depend on which
//! operation happens to mention them first. Schemas that are only a constrained primitive
//! (`MessageBody: {type: string, minLength: 1}`) are inlined at each use, carrying their
//! constraints and description, so callers write `String`, not a wrapper.
//!
//! This module holds [`Schemas`], what it has found so far, the entry points (`shape`, which
//! follows a `$ref`, and `components`), component schemas resolved once (`named`), and
//! `inline`, which sends a schema to the module of its kind: `compose.rs` (`allOf`, `oneOf`,
//! `anyOf`), `unions.rs` (tagged and untagged unions), `enums.rs` (`const`, `enum`),
//! `values.rs` (primitives, arrays, maps), `object.rs` (objects with `properties`). `refs.rs`
//! holds the references to a schema being resolved and the `$ref` cycles.

mod compose;
mod enums;
mod object;
mod refs;
mod unions;
mod values;

use super::constraints::{default_problem, implied_type, warn_unchecked};
use super::context::{escape_segment, Ctx};
use crate::ir::{Constraint, TaggedUnion, TypeDef, TypeKind, TypeRef, Usage, Variant};
use crate::load::{Node, RefError, Value};
use crate::naming;
use refs::alias_cycle;
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

/// Keywords whose schemas cannot become an exact Rust type: the value degrades to
/// `serde_json::Value`, with a warning. (`allOf`, `oneOf` and `anyOf` are understood, see
/// `Schemas::all_of` and `Schemas::choice`; `if`/`then`/`else` on objects, see
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
    /// The user's type renames (generated name -> theirs); the new names are reserved from
    /// the start.
    renames: BTreeMap<String, String>,
    /// The new names of every rename.
    rename_targets: BTreeSet<String>,
    /// Generated names that wanted a rename's new name without being renamed themselves.
    pub rename_clashes: Vec<(String, String)>,
}

impl Schemas {
    /// Starts with `reserved` names taken, so no schema type can be called like them, and
    /// with the new names of `renames` (generated name -> the user's) reserved for the types
    /// they rename.
    pub fn with_reserved(
        reserved: impl IntoIterator<Item = String>,
        renames: BTreeMap<String, String>,
    ) -> Self {
        Schemas {
            taken: reserved
                .into_iter()
                .chain(renames.values().cloned())
                .collect(),
            rename_targets: renames.values().cloned().collect(),
            renames,
            ..Schemas::default()
        }
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

    /// An inline schema (no `$ref`): the checks every schema gets, then its shape by kind.
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
        warn_unchecked(cx, node);
        if let Some(default) = node.get("default") {
            if let Some(problem) = default_problem(cx, node, default) {
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
        let shape = Shape {
            nullable,
            docs,
            ..Shape::default()
        };
        if let Some(all_of) = node.get("allOf") {
            return self.all_of(cx, node, all_of, pointer, hint, shape);
        }
        let choices = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|keyword| Some((keyword, node.get(keyword)?)));
        if let Some((keyword, choices)) = choices {
            return self.choice(cx, node, keyword, choices, pointer, hint, shape);
        }
        if let Some(constant) = node.get("const") {
            return self.constant(cx, constant, shape);
        }
        if let Some(values) = node.get("enum") {
            return self.enumeration(cx, node, values, &types, pointer, hint, shape);
        }
        self.typed(cx, node, &types, pointer, hint, shape)
    }

    /// A schema that is neither a composition nor an enum, by its `type` (or the type its
    /// keywords imply): a primitive, an array, an object with `properties`, a map, or any JSON.
    fn typed(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        types: &[String],
        pointer: &str,
        hint: &str,
        mut shape: Shape,
    ) -> Option<Shape> {
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
            Some(primitive @ ("string" | "integer" | "number" | "boolean")) => {
                let (ty, constraints) = values::primitive(cx, node, primitive);
                shape.constraints = constraints;
                ty
            }
            Some("array") => {
                let (ty, constraints) = self.array(cx, node, pointer, hint)?;
                shape.constraints = constraints;
                ty
            }
            _ if is_struct => {
                TypeRef::Named(self.object(cx, node, pointer, hint, shape.docs.clone())?)
            }
            Some("object") => {
                let (ty, constraints) = self.map(cx, node, pointer, hint)?;
                shape.constraints = constraints;
                ty
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

    /// A new type's name: from `hint`, unique, or the user's name for it.
    pub(super) fn new_type(&mut self, hint: &str) -> String {
        let wanted = naming::camel(hint);
        let generated = naming::unique(wanted.clone(), &mut self.taken);
        if let Some(to) = self.renames.remove(&generated) {
            // The generated name is free again; the user's was reserved for this type.
            self.taken.remove(&generated);
            return to;
        }
        if generated != wanted && self.rename_targets.contains(&wanted) {
            self.rename_clashes.push((wanted, generated.clone()));
        }
        generated
    }

    /// The name of the type defined at `pointer`: the one reserved for it if a recursive use
    /// came first, else a new one from `hint`.
    pub(super) fn type_name(&mut self, pointer: &str, hint: &str) -> String {
        match self.pending.remove(pointer) {
            Some(name) => name,
            None => self.new_type(hint),
        }
    }

    /// The type a component schema (at `pointer`) resolved to, if it is resolved.
    pub(crate) fn named_type(&self, pointer: &str) -> Option<&TypeRef> {
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
                derives: Vec::new(),
                examples: Vec::new(),
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

/// The shape of a value the generator keeps as JSON.
fn any() -> Shape {
    Shape {
        ty: Some(TypeRef::Any),
        ..Shape::default()
    }
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
