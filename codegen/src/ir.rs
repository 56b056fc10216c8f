//! The intermediate representation: what the API is, with every decision already made.
//!
//! No Rust syntax lives here (no tokens, no paths); names are plain strings that the naming
//! module has already made safe and unique. `emit` reads this and decides nothing.

use crate::diagnostics::Loc;

/// The whole API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.summary` and `info.description`, joined.
    pub docs: Option<String>,
    /// The servers, in spec order; the first is the default.
    pub servers: Vec<Server>,
    /// How requests authenticate.
    pub auth: Option<Auth>,
    /// Headers sent with every request whose value the client's builder can set.
    pub client_headers: Vec<ClientHeader>,
    /// Operation groups (from tags), in spec order of first appearance.
    pub groups: Vec<Group>,
    /// Operations without a tag: methods of the client itself.
    pub operations: Vec<Operation>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// The body type shared by the error responses, when they all share one.
    pub error_body: Option<ErrorBody>,
}

/// The type of the error responses' body, shared by every operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// The named type.
    pub ty: String,
    /// Its optional string field holding the request id, if it has one (`request_id`).
    pub request_id_field: Option<String>,
}

/// One server the API runs on.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// The variant name (UpperCamelCase), from the server's description.
    pub name: String,
    /// The base URL.
    pub url: String,
    /// The server's description.
    pub docs: Option<String>,
}

/// The authentication scheme the client applies to every request.
#[derive(Clone, Debug, PartialEq)]
pub struct Auth {
    /// How the credential travels.
    pub kind: AuthKind,
    /// The scheme's description.
    pub docs: Option<String>,
    /// Whether every request needs it (top-level `security`); otherwise the builder accepts
    /// a client without it.
    pub required: bool,
}

/// How a credential travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic ...` from a user name and a password.
    Basic,
    /// An API key in a header, the query or a cookie.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// The query string.
    Query,
    /// A cookie.
    Cookie,
}

/// A header every operation sends, with a default the builder can override.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientHeader {
    /// The header name on the wire, e.g. `Intercom-Version`.
    pub wire_name: String,
    /// The builder method's name (snake_case), e.g. `intercom_version`.
    pub method: String,
    /// The value sent unless the caller sets another.
    pub default: String,
    /// The parameter's description.
    pub docs: Option<String>,
}

/// Operations reached through one accessor of the client, e.g. `client.messages()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The accessor's name (snake_case).
    pub accessor: String,
    /// The name of the struct behind it (UpperCamelCase).
    pub type_name: String,
    /// The tag's description.
    pub docs: Option<String>,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
}

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // The names are the HTTP methods.
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The method as written in an HTTP request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110): every
    /// method but `POST` and `PATCH`.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The method's name (snake_case), e.g. `create`.
    pub name: String,
    /// The `operationId`, kept for docs and messages.
    pub operation_id: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/messages`.
    pub path: String,
    /// Summary and description.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters, in spec order (path-item ones first).
    pub params: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// The media type the client asks for (`Accept`).
    pub accept: String,
    /// What a successful response holds.
    pub output: Output,
    /// The first successful response, for its docs.
    pub success: Response,
    /// The declared error responses, by status.
    pub errors: Vec<Response>,
    /// Where the operation is defined.
    pub origin: Origin,
    /// The struct in the `params` module that holds its query, header and cookie parameters,
    /// when it has any.
    pub params_type: Option<String>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    /// The media type, e.g. `application/json`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The body's type (`Any` for raw bytes).
    pub ty: TypeRef,
    /// Whether the operation requires it (`requestBody.required`).
    pub required: bool,
}

/// How a request body goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// Serialised as JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Bytes the caller provides (`application/octet-stream`, `multipart/form-data`, text...).
    Bytes,
}

/// What a successful response holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// A JSON body of this type.
    Json(TypeRef),
    /// A JSON body of this type, or no body (one success status has none).
    JsonOrEmpty(TypeRef),
    /// No body.
    Empty,
    /// A text body (`text/*`).
    Text,
    /// Any other body, as bytes.
    Bytes,
    /// Success statuses with bodies of different kinds or types: an enum with a variant per
    /// status, decoded by the status the API answered with.
    ByStatus(StatusEnum),
}

/// The successful responses of one operation, told apart by status.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusEnum {
    /// The enum's name (UpperCamelCase), unique among the API's types.
    pub name: String,
    /// One per declared success status, in spec order.
    pub variants: Vec<StatusVariant>,
}

/// One success status and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusVariant {
    /// The status code (a `2XX` range counts as its first code).
    pub status: u16,
    /// The variant's name (`Ok`, `Created`, `NoContent`, `Status207`...).
    pub name: String,
    /// The response's description.
    pub docs: Option<String>,
    /// What the body holds.
    pub body: StatusBody,
}

/// The body of one success status.
#[derive(Clone, Debug, PartialEq)]
pub enum StatusBody {
    /// JSON of this type.
    Json(TypeRef),
    /// No body.
    Empty,
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template, `{name}`.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The location as the spec writes it (`in: query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter's value is written (OpenAPI `style` + `explode`): the first four are query
/// styles, the last three path styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`: `a=1&a=2` when exploded, `a=1,2` when not.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[key]=value`.
    DeepObject,
    /// `simple` (path): `1,2`.
    Simple {
        /// `explode`.
        explode: bool,
    },
    /// `label` (path): `.1,2`, or `.1.2` when exploded.
    Label {
        /// `explode`.
        explode: bool,
    },
    /// `matrix` (path): `;id=1,2`, or `;id=1;id=2` when exploded.
    Matrix {
        /// `explode`.
        explode: bool,
    },
}

/// One parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The Rust name (snake_case), unique among the operation's parameters.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// How the value is written (a query or a path style, by location).
    pub style: QueryStyle,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given (path parameters always are).
    pub required: bool,
    /// Its description.
    pub docs: Option<String>,
    /// Rules the value must follow beyond its type, checked before sending.
    pub constraints: Vec<Constraint>,
}

/// One declared response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The response's description.
    pub docs: Option<String>,
    /// The body's type, when it has a JSON body.
    pub ty: Option<TypeRef>,
}

/// Where something came from: a file and a JSON pointer into it, plus the line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The spec file.
    pub file: String,
    /// A JSON pointer to the node, e.g. `/components/schemas/Message`.
    pub pointer: String,
    /// Where the node starts.
    pub loc: Loc,
}

/// How much of an API is typed rather than kept as `serde_json::Value`: the measure of how well
/// the generator understood a spec (`cargo xtask corpus` prints it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    /// JSON and form request bodies, and JSON success response bodies.
    pub bodies: usize,
    /// Those whose type holds no `Value`.
    pub bodies_typed: usize,
    /// Fields of the generated structs.
    pub properties: usize,
    /// Those whose type holds no `Value`.
    pub properties_typed: usize,
}

impl Api {
    /// Counts the typed bodies and properties.
    pub fn typed(&self) -> Typed {
        let mut typed = Typed::default();
        let mut body = |ty: &TypeRef| {
            typed.bodies += 1;
            typed.bodies_typed += usize::from(!ty.holds_any());
        };
        let operations = self
            .operations
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.operations));
        for op in operations {
            if let Some(request) = op
                .body
                .as_ref()
                .filter(|b| b.encoding != BodyEncoding::Bytes)
            {
                body(&request.ty);
            }
            match &op.output {
                Output::Json(ty) | Output::JsonOrEmpty(ty) => body(ty),
                Output::ByStatus(statuses) => {
                    for variant in &statuses.variants {
                        if let StatusBody::Json(ty) = &variant.body {
                            body(ty);
                        }
                    }
                }
                Output::Empty | Output::Text | Output::Bytes => {}
            }
        }
        for def in &self.types {
            if let TypeKind::Struct(s) = &def.kind {
                typed.properties += s.fields.len();
                typed.properties_typed += s.fields.iter().filter(|f| !f.ty.holds_any()).count();
            }
        }
        typed
    }
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

/// A rule on a value that its Rust type cannot express, named after its JSON Schema keyword.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// An ECMAScript regular expression that must match somewhere in the string (checked to
    /// compile when the spec is resolved).
    Pattern(String),
    /// A checked string format.
    Format(StringFormat),
    /// `minimum`: at least this.
    Minimum(f64),
    /// `exclusiveMinimum` (either OpenAPI form): more than this.
    ExclusiveMinimum(f64),
    /// `maximum`: at most this.
    Maximum(f64),
    /// `exclusiveMaximum`: less than this.
    ExclusiveMaximum(f64),
    /// `multipleOf`: a whole multiple of this (positive).
    MultipleOf(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `minProperties` of a map.
    MinProperties(u64),
    /// `maxProperties` of a map.
    MaxProperties(u64),
    /// Exactly this string (`const`, or an `enum` of one value, where it is not a struct's
    /// fixed property).
    Const(String),
    /// Rules every item of a list follows.
    Items(Vec<Constraint>),
    /// Rules every value of a map follows.
    Values(Vec<Constraint>),
}

/// A string `format` the validators check. Other formats are annotations only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringFormat {
    /// `email`.
    Email,
    /// `uuid`.
    Uuid,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `uri` (absolute).
    Uri,
    /// `byte` (OpenAPI): base64.
    Byte,
}

/// A rule about an object as a whole.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectRule {
    /// `minProperties`: at least this many properties present.
    MinProperties(u64),
    /// `maxProperties`: at most this many properties present.
    MaxProperties(u64),
    /// `dependentRequired`: when field `when` is present, every one of `requires` must be.
    /// Field names are the struct's (snake_case) names.
    DependentRequired {
        /// The field whose presence triggers the rule.
        when: String,
        /// The fields that must then be present.
        requires: Vec<String>,
    },
    /// `anyOf`/`oneOf` whose branches only add rules to the object's own properties: which
    /// properties must be present, and to which values some are narrowed.
    Branches {
        /// `oneOf`: exactly one branch must hold; `anyOf`: at least one.
        exactly_one: bool,
        /// The branches, in spec order.
        branches: Vec<Branch>,
    },
    /// `if`/`then`/`else` (3.1) of the form "if `field` is `value`, require these, else those".
    Conditional {
        /// The condition.
        condition: Condition,
        /// Fields required when it holds.
        then: Vec<String>,
        /// Fields required when it does not.
        otherwise: Vec<String>,
    },
}

/// One branch of [`ObjectRule::Branches`].
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// How messages name it: its `title`, else its position, then what it requires.
    pub label: String,
    /// Fields (the struct's names) that must be present.
    pub required: Vec<String>,
    /// Fields (the struct's names) whose value, when present, must be one of these strings.
    pub values: Vec<(String, Vec<String>)>,
}

/// `if: {properties: {field: {const: value}}, required: [field]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The struct's field.
    pub field: String,
    /// The string (or string enum) value it is compared with.
    pub value: String,
    /// Whether the field must be present for the condition to hold (`required` in the `if`);
    /// without it an absent field satisfies the condition, as in JSON Schema.
    pub require_present: bool,
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
