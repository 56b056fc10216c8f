//! Named types and references to types: structs and their fields, string enums, tagged and
//! untagged unions, and the JSON Schema each type exports.

use super::{Constraint, ObjectRule, Origin};

/// A reference to a type: a named one or a built-in shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A [`TypeDef`] by its name.
    Named(String),
    /// A string.
    String,
    /// A signed integer of this many bits (32 or 64).
    Integer(u8),
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// An array of the inner type.
    List(Box<TypeRef>),
    /// A JSON object with arbitrary keys and values of the inner type.
    Map(Box<TypeRef>),
    /// The inner type or `null`, where no field's `Option` can say so: a list item, a map
    /// value, a whole body (a `$ref` to a `nullable` schema). Never wraps `Any` or itself.
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

impl TypeRef {
    /// The item type of a list, the value type of a map, the type a nullable one wraps.
    pub fn inner(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => Some(inner),
            _ => None,
        }
    }

    /// Whether a `serde_json::Value` is anywhere in this type.
    pub fn holds_any(&self) -> bool {
        matches!(self, TypeRef::Any) || self.inner().is_some_and(TypeRef::holds_any)
    }

    /// How the type reads in a message: `Error`, `string`, `list of Error`...
    pub fn describe(&self) -> String {
        match self {
            TypeRef::Named(name) => name.clone(),
            TypeRef::String => "string".to_owned(),
            TypeRef::Integer(_) => "integer".to_owned(),
            TypeRef::Number => "number".to_owned(),
            TypeRef::Boolean => "boolean".to_owned(),
            TypeRef::List(inner) => format!("list of {}", inner.describe()),
            TypeRef::Map(inner) => format!("map of {}", inner.describe()),
            TypeRef::Nullable(inner) => format!("{} or null", inner.describe()),
            TypeRef::Any => "any JSON".to_owned(),
        }
    }

    /// This type, or `null` when `nullable` (`Any` already holds `null`).
    pub fn or_null(self, nullable: bool) -> TypeRef {
        match self {
            TypeRef::Any | TypeRef::Nullable(_) => self,
            ty if nullable => TypeRef::Nullable(Box::new(ty)),
            ty => ty,
        }
    }

    /// Replaces every reference to the named type `name` with `target`.
    pub fn substitute(&mut self, name: &str, target: &TypeRef) {
        match self {
            TypeRef::Named(n) if n == name => *self = target.clone(),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.substitute(name, target)
            }
            _ => {}
        }
    }
}

/// Which directions a type travels in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Part of some request.
    pub request: bool,
    /// Part of some response.
    pub response: bool,
}

/// How an exported schema ([`TypeDef::schema`]) refers to another generated type:
/// `{"$ref": "#/$defs/<Name>"}`. Emit turns it into that type's schemars definition.
pub const TYPE_REF_PREFIX: &str = "#/$defs/";

/// Keywords of an exported schema whose value is one schema. Only there, in the lists of
/// [`SUBSCHEMA_LISTS`] and the maps of [`SUBSCHEMA_MAPS`] is `{"$ref": "#/$defs/<Name>"}` a
/// type reference; anywhere else (a `default`, an `enum`, an extension) it is data.
pub const SUBSCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "if",
    "then",
    "else",
    "not",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keywords of an exported schema whose value is a list of schemas.
pub const SUBSCHEMA_LISTS: &[&str] = &["oneOf", "anyOf", "allOf", "prefixItems"];

/// Keywords of an exported schema whose value maps names to schemas.
pub const SUBSCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// The type's name (UpperCamelCase), unique in the API.
    pub name: String,
    /// Its description.
    pub docs: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Where it travels.
    pub usage: Usage,
    /// Where it is defined.
    pub origin: Origin,
    /// The JSON Schema (2020-12) of its wire form, as the spec states it; references to other
    /// generated types are `{"$ref": "#/$defs/<Name>"}`.
    pub schema: serde_json::Value,
    /// Derive macros the user asked for (generation options) that this type can have, as
    /// paths (`Hash`, `utoipa::ToSchema`), beyond the ones every generated type has.
    pub derives: Vec<String>,
    /// The spec's examples of this schema that fit it: its rustdoc examples (doctests).
    pub examples: Vec<Example>,
}

/// An example value from the spec, checked against the type it documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// What it is an example of: `the request body`, `the 200 response`, `the schema`.
    pub what: String,
    /// Its key in the spec's `examples`, if it has one.
    pub name: Option<String>,
    /// Its `summary`.
    pub summary: Option<String>,
    /// The value as compact JSON (one line).
    pub json: String,
    /// The type it decodes into.
    pub ty: TypeRef,
    /// Checked with the type's validator too (a request type's `from_json`).
    pub validate: bool,
}

/// The shapes a named type can take.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string from a closed list.
    StringEnum(StringEnum),
    /// One of several object types, told apart by the value of one property.
    TaggedUnion(TaggedUnion),
    /// One of several shapes with no property to tell them apart (`oneOf`/`anyOf` without a
    /// discriminator): decoding tries each variant in spec order.
    Untagged(Vec<UntaggedVariant>),
}

/// One variant of an untagged union.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UntaggedVariant {
    /// The variant name (UpperCamelCase), from its type.
    pub name: String,
    /// What the variant holds.
    pub ty: TypeRef,
    /// Held in a `Box`: the variant's type contains the union itself.
    pub boxed: bool,
}

impl TypeDef {
    /// Replaces every reference to the named type `name` with `target`.
    pub fn substitute(&mut self, name: &str, target: &TypeRef) {
        match &mut self.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.ty.substitute(name, target);
                }
            }
            TypeKind::TaggedUnion(u) => {
                for variant in &mut u.variants {
                    if let (true, TypeRef::Named(other)) = (variant.ty == name, target) {
                        variant.ty.clone_from(other);
                    }
                }
            }
            TypeKind::Untagged(variants) => {
                for variant in variants {
                    variant.ty.substitute(name, target);
                }
            }
            TypeKind::StringEnum(_) => {}
        }
    }
}

/// An object type.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// The properties, in spec order.
    pub fields: Vec<Field>,
    /// A property whose value is fixed (`const`): written on serialisation, checked on
    /// deserialisation, and not a field the caller fills in.
    pub constant: Option<Constant>,
    /// `additionalProperties: false`: unknown properties are an error.
    pub deny_unknown: bool,
    /// `additionalProperties` with a schema (or `true`): the other properties, kept.
    pub extra: Option<ExtraProperties>,
    /// Rules about the object as a whole.
    pub rules: Vec<ObjectRule>,
}

impl Struct {
    /// Whether no property is required: such a struct is `Default` (and `new()` takes
    /// nothing).
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|f| !f.required)
    }
}

/// The map field holding an object's properties beyond the listed ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraProperties {
    /// The field's name (snake_case, unique among the struct's fields), usually `extra`.
    pub name: String,
    /// The type of each value.
    pub ty: TypeRef,
}

/// A property with a single allowed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constant {
    /// The property's name on the wire.
    pub wire_name: String,
    /// Its only value.
    pub value: String,
}

/// One property of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub wire_name: String,
    /// The field's name (snake_case, keyword-safe).
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Its description.
    pub docs: Option<String>,
    /// Rules the value must follow beyond its type.
    pub constraints: Vec<Constraint>,
    /// Held in a `Box`: the field's type contains the struct itself.
    pub boxed: bool,
    /// Optional and nullable in a type sent in requests, where leaving a property out and
    /// sending `null` mean different things (keep it / clear it): `Option<Option<T>>`, absent
    /// = `None`, `null` = `Some(None)`. In response-only types both read as `None`, so the
    /// field stays `Option<T>`.
    pub explicit_null: bool,
    /// `readOnly` / `writeOnly`.
    pub access: Access,
    /// Never serialised: a `readOnly` property of a type sent in requests (the server sets it;
    /// it is still read from responses).
    pub skip_sending: bool,
}

/// Which direction a property travels in, as `readOnly` and `writeOnly` say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Access {
    /// Both ways.
    #[default]
    ReadWrite,
    /// Only in responses (`readOnly: true`): never sent, and not required in requests.
    ReadOnly,
    /// Only in requests (`writeOnly: true`): not required in responses.
    WriteOnly,
}

/// An enum of strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringEnum {
    /// The values the spec lists, in spec order.
    pub values: Vec<EnumValue>,
    /// The name of the catch-all variant holding a value the spec does not list, for enums that
    /// appear in responses (the API may add values); `None` keeps the enum closed.
    pub unknown: Option<String>,
}

/// One value of a string enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The variant name (UpperCamelCase).
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// A union told apart by a property (`oneOf` + `discriminator`).
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedUnion {
    /// The property that tells the variants apart, e.g. `message_type`.
    pub tag: String,
    /// The variants, in spec order.
    pub variants: Vec<Variant>,
}

/// One variant of a [`TaggedUnion`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The variant name (UpperCamelCase).
    pub name: String,
    /// The tag's value for this variant.
    pub tag_value: String,
    /// The struct that holds the variant's other properties.
    pub ty: String,
}
