//! The intermediate representation: what the API is, with every decision already made.
//!
//! No Rust syntax lives here (no tokens, no paths); names are plain strings that the naming
//! module has already made safe and unique. `emit` reads this and decides nothing.
//!
//! This module holds the API as a whole (servers, authentication, client headers, where things
//! come from); `operation.rs` the operations, their parameters, bodies and responses; `types.rs`
//! the named types and type references; `rules.rs` the rules on values that types cannot say.
//! Everything is re-exported here: `crate::ir::X` names any of them.

mod multipart;
mod operation;
mod pagination;
mod rules;
mod types;

pub use multipart::*;
pub use operation::*;
pub use pagination::*;
pub use rules::*;
pub use types::*;

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
    /// How requests authenticate: the main scheme (the builder's `token`, `basic_auth` or
    /// `api_key`).
    pub auth: Option<Auth>,
    /// The other security schemes operations name, each with a builder method of its own.
    pub other_schemes: Vec<Scheme>,
    /// The API's security requirement (top-level `security`), scheme names; `None` when the
    /// spec declares none.
    pub security: Option<Vec<Vec<String>>>,
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
    /// Whether the crate exports each type's JSON Schema (`JsonSchema` impls behind its
    /// `schemars` feature); the generation options can turn it off.
    pub schemars: bool,
    /// The generated crate's package name, when it is a crate of its own: its doc examples
    /// `use` it. `None` for a module a build script includes (no doc examples then).
    pub crate_name: Option<String>,
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
    /// The security scheme's name in the spec.
    pub scheme: String,
    /// The builder method that sets its credential: `token`, `basic_auth` or `api_key`.
    pub setter: String,
    /// How the credential travels.
    pub kind: AuthKind,
    /// The scheme's description.
    pub docs: Option<String>,
    /// Whether every request needs it (top-level `security`); otherwise the builder accepts
    /// a client without it.
    pub required: bool,
    /// The builder method that takes a `TokenSource` for it (`token_with`, `api_key_with`);
    /// `None` for basic auth.
    pub source_setter: Option<String>,
    /// Its OAuth 2 client-credentials flow, when it has one.
    pub client_credentials: Option<ClientCredentialsFlow>,
}

/// An OAuth 2 scheme's client-credentials flow: a builder method takes the client's id and
/// secret, and the client fetches its tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientCredentialsFlow {
    /// The builder method (`client_credentials`, or `<scheme>_client_credentials`).
    pub setter: String,
    /// The flow's `tokenUrl`.
    pub token_url: String,
    /// The scopes asked for: those the requirements naming the scheme list.
    pub scopes: Vec<String>,
}

/// A security scheme beside the main one.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheme {
    /// Its name in the spec.
    pub scheme: String,
    /// The builder method that sets its credential (snake_case, unique among the builder's).
    pub setter: String,
    /// How the credential travels.
    pub kind: AuthKind,
    /// The scheme's description.
    pub docs: Option<String>,
    /// The builder method that takes a `TokenSource` for it (`<setter>_with`); `None` for
    /// basic auth.
    pub source_setter: Option<String>,
    /// Its OAuth 2 client-credentials flow, when it has one.
    pub client_credentials: Option<ClientCredentialsFlow>,
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
                Output::Events(EventData::Json(ty)) => body(ty),
                Output::Events(EventData::Named(events)) => {
                    for variant in &events.variants {
                        body(&variant.ty);
                    }
                }
                Output::Empty | Output::Text | Output::Bytes | Output::Events(EventData::Text) => {}
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
