//! Operations: how each is called (method, path, parameters and their styles, request body)
//! and what it answers (success output, declared errors), grouped as the client's accessors.

use super::{Constraint, Origin, TypeRef};

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
    /// The operation's own security requirement (its `security`), overriding the API's:
    /// alternatives, each the schemes it needs together; empty (`security: []`): open to
    /// anyone, no credential is sent. Only schemes the client can send are kept.
    pub security: Option<Vec<Vec<String>>>,
    /// The spec's examples of its request body and success response that fit their types: its
    /// rustdoc examples (doctests).
    pub examples: Vec<super::Example>,
    /// How it pages, when it is a list operation whose paging is known.
    pub pagination: Option<super::Pagination>,
    /// Its `multipart/form-data` request body's encoding, when it has one.
    pub multipart: Option<super::MultipartBody>,
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
    /// The typed form of a `multipart/form-data` body whose schema is an object.
    pub form: Option<super::Form>,
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
    /// Any other body (`application/octet-stream`, images, archives...): a download, handed
    /// to the caller as a stream of bytes, never held whole.
    Bytes,
    /// `text/event-stream`: server-sent events, handed to the caller as a stream of events
    /// whose data is decoded as they arrive.
    Events(EventData),
    /// Success statuses with bodies of different kinds or types: an enum with a variant per
    /// status, decoded by the status the API answered with.
    ByStatus(StatusEnum),
}

/// What the data of an operation's server-sent events holds.
#[derive(Clone, Debug, PartialEq)]
pub enum EventData {
    /// JSON of this type (the media type's `schema`), whatever the event's name.
    Json(TypeRef),
    /// Text (no schema, or a string schema).
    Text,
    /// A type per event name (the media type's `x-events`).
    Named(EventEnum),
}

/// The events of an operation whose event names carry different data: an enum with a variant
/// per name, and one for names the spec does not list.
#[derive(Clone, Debug, PartialEq)]
pub struct EventEnum {
    /// The enum's name (UpperCamelCase), unique among the API's types.
    pub name: String,
    /// One per event name, in spec order.
    pub variants: Vec<EventVariant>,
}

/// One event name and its data's type.
#[derive(Clone, Debug, PartialEq)]
pub struct EventVariant {
    /// The name as the server sends it in `event:`.
    pub event: String,
    /// The variant's name.
    pub name: String,
    /// The data's type (JSON).
    pub ty: TypeRef,
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

pub use runtime::{PathStyle, QueryStyle};

/// How a parameter's value is written (OpenAPI `style` + `explode`), in the runtime's own terms:
/// the styles are defined once, in the runtime, and generated code passes them on as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// A path parameter's style (headers are written `simple` too).
    Path(PathStyle),
    /// A query parameter's style (cookies are written `form`).
    Query(QueryStyle),
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
    pub style: ParamStyle,
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
