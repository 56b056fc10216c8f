//! `multipart/form-data` request bodies (issue 15): the spec's `encoding`, which a generated
//! `<operation>_multipart` method applies to the form it sends, and the typed form (a struct
//! with a field per property) when the body's schema is an object.

use super::TypeRef;

/// An operation whose request body is `multipart/form-data`.
#[derive(Clone, Debug, PartialEq)]
pub struct MultipartBody {
    /// The method that sends a `runtime::Multipart` form (snake_case, `<operation>_multipart`),
    /// unique among the methods beside it.
    pub method: String,
    /// `encoding.<field>.contentType`, by field (wire) name, in spec order.
    pub encoding: Vec<(String, String)>,
    /// The typed form, when the body's schema is an object with properties.
    pub form: Option<Form>,
}

/// A typed `multipart/form-data` body: one field per property of the schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// The struct's name (UpperCamelCase), unique among the crate's types.
    pub name: String,
    /// The schema's description.
    pub docs: Option<String>,
    /// The fields, in spec order.
    pub fields: Vec<FormField>,
}

/// One property of a typed form.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// The field's name (snake_case, unique in the struct).
    pub name: String,
    /// The part's name on the wire.
    pub wire_name: String,
    /// What the part holds.
    pub kind: FormKind,
    /// Listed in `required`.
    pub required: bool,
    /// Its description.
    pub docs: Option<String>,
}

/// What a form field sends.
#[derive(Clone, Debug, PartialEq)]
pub enum FormKind {
    /// A text part: a string, number, boolean or string enumeration, as it displays.
    Text(TypeRef),
    /// One text part per item of a list of those.
    TextList(TypeRef),
    /// A JSON part (`application/json`): an object, a list of objects, anything else.
    Json(TypeRef),
    /// A file part (`format: binary`).
    File,
    /// One file part per item (a list of `format: binary`).
    Files,
}
