//! `client.rs`: the `Client`, its builder, the servers and one accessor struct per group.

use super::construct::{constructors, Member, Presence};
use super::docs::{code, doc_attrs, inline, join};
use super::{ident, rust_type};
use crate::ir::{
    Api, ApiKeyLocation, AuthKind, BodyEncoding, ClientCredentialsFlow, EventData, Group,
    Operation, Output, ParamLocation, ParamStyle, Parameter, PathStyle, QueryStyle, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// `use crate::types::{..}` for exactly the types the operations name, so the file has neither
/// an unused import nor a glob.
fn imports(api: &Api) -> TokenStream {
    let mut names = BTreeSet::new();
    for op in all_operations(api) {
        let body = op
            .body
            .as_ref()
            .filter(|b| b.encoding != BodyEncoding::Bytes)
            .map(|b| &b.ty);
        if let Output::ByStatus(e) = &op.output {
            names.insert(e.name.as_str());
        }
        // Event data types are written crate-qualified.
        let output = match &op.output {
            Output::Json(ty) | Output::JsonOrEmpty(ty) => Some(ty),
            _ => None,
        };
        let path_params = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| &p.ty);
        for ty in body.into_iter().chain(output).chain(path_params) {
            collect_named(ty, &mut names);
        }
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    let names = names.into_iter().map(ident);
    quote!(use crate::types::{#(#names),*};)
}

/// The runtime's value for a path style (the styles are the runtime's own types).
fn path_style(style: PathStyle) -> TokenStream {
    match style {
        PathStyle::Simple { explode } => quote!(::runtime::PathStyle::Simple { explode: #explode }),
        PathStyle::Label { explode } => quote!(::runtime::PathStyle::Label { explode: #explode }),
        PathStyle::Matrix { explode } => quote!(::runtime::PathStyle::Matrix { explode: #explode }),
    }
}

/// The runtime's value for a query style.
fn query_style(style: QueryStyle) -> TokenStream {
    match style {
        QueryStyle::Form { explode } => quote!(::runtime::QueryStyle::Form { explode: #explode }),
        QueryStyle::SpaceDelimited => quote!(::runtime::QueryStyle::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(::runtime::QueryStyle::PipeDelimited),
        QueryStyle::DeepObject => quote!(::runtime::QueryStyle::DeepObject),
    }
}

/// The output type of an operation whose answer is streamed, and the opener of its stream: a
/// download (`events` is `None`), or server-sent events whose data is `events`.
pub(super) fn streamed_output(api: &Api, events: Option<&EventData>) -> (TokenStream, TokenStream) {
    let error = super::error_body_type(api);
    let Some(data) = events else {
        return (
            quote!(::runtime::ByteStream<#error>),
            quote!(::runtime::ByteStream::open),
        );
    };
    // The type of an event's data, and the decoder of one event's data.
    let (data, decode) = match data {
        EventData::Json(ty) => {
            let ty = super::qualified_type(ty);
            (quote!(#ty), quote!(::runtime::sse::json::<#ty>))
        }
        EventData::Text => (quote!(::std::string::String), quote!(::runtime::sse::text)),
        EventData::Named(e) => {
            let name = ident(&e.name);
            (
                quote!(crate::types::#name),
                quote!(crate::types::#name::decode),
            )
        }
    };
    (
        quote!(::runtime::EventStream<#data, #error>),
        quote!(|streaming| ::runtime::EventStream::open(streaming, #decode)),
    )
}

/// How operations name their return type: `Call` where the spec has no type of that name
/// (`client.rs` then imports it), else `crate::http::Call`.
fn call_type(shared: &super::shared::Shared) -> TokenStream {
    if shared.type_named("Call") {
        quote!(crate::http::Call)
    } else {
        quote!(Call)
    }
}

/// Every operation: the client's own, then each group's.
pub(super) fn all_operations(api: &Api) -> impl Iterator<Item = &Operation> {
    api.operations
        .iter()
        .chain(api.groups.iter().flat_map(|g| &g.operations))
}

/// Whether some operation has query, header or cookie parameters, i.e. `params.rs` exists.
pub(super) fn has_params(api: &Api) -> bool {
    all_operations(api).any(|op| op.params_type.is_some())
}

/// How a parameter's docs name where it goes.
fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    }
}

/// `params.rs`: one struct per operation with query, header or cookie parameters.
pub(super) fn params(api: &Api) -> Option<TokenStream> {
    let structs: Vec<TokenStream> = all_operations(api)
        .filter_map(|op| {
            let name = ident(op.params_type.as_deref()?);
            let params: Vec<&Parameter> = op
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .collect();
            let all_optional = params.iter().all(|p| !p.required);
            let default = all_optional.then(|| quote!(Default,));
            let fields = params.iter().map(|p| {
                let field = ident(&p.name);
                let ty = rust_type(&p.ty);
                let ty = if p.required {
                    ty
                } else {
                    quote!(::std::option::Option<#ty>)
                };
                let where_ = location(p.location);
                let doc = doc_attrs(Some(&join(
                    p.docs.as_deref(),
                    &format!(
                        "The {} {where_}{}.",
                        code(&p.wire_name),
                        if p.required { "; required" } else { "" }
                    ),
                )));
                quote!(#doc pub #field: #ty,)
            });
            let doc = doc_attrs(Some(&format!(
                "The query, header and cookie parameters of {} (operation {}).",
                code(&format!("{} {}", op.method.as_str(), op.path)),
                code(&op.operation_id)
            )));
            let members: Vec<Member<'_>> = params
                .iter()
                .map(|p| Member {
                    name: &p.name,
                    ty: rust_type(&p.ty),
                    boxed: false,
                    presence: if p.required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    what: format!("the {} {}", code(&p.wire_name), location(p.location)),
                })
                .collect();
            let construct = constructors(op.params_type.as_deref()?, &members);
            Some(quote! {
                #doc
                #[derive(Clone, Debug, #default PartialEq)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                }

                #construct
            })
        })
        .collect();
    if structs.is_empty() {
        return None;
    }
    let imports = {
        let mut names = BTreeSet::new();
        for p in all_operations(api)
            .flat_map(|op| &op.params)
            .filter(|p| p.location != ParamLocation::Path)
        {
            collect_named(&p.ty, &mut names);
        }
        if names.is_empty() {
            TokenStream::new()
        } else {
            let names = names.into_iter().map(ident);
            quote!(use crate::types::{#(#names),*};)
        }
    };
    Some(quote! {
        //! Parameters of the operations that take query, header or cookie parameters.
        #imports
        #(#structs)*
    })
}

fn collect_named<'a>(ty: &'a TypeRef, out: &mut BTreeSet<&'a str>) {
    match ty {
        TypeRef::Named(name) => {
            out.insert(name);
        }
        other => {
            if let Some(inner) = other.inner() {
                collect_named(inner, out);
            }
        }
    }
}

pub(super) fn client(api: &Api, cx: &super::Crate) -> TokenStream {
    let region = region(api);
    let builder = builder(api);
    let accessors = api.groups.iter().map(|g| {
        let accessor = ident(&g.accessor);
        let ty = ident(&g.type_name);
        let doc = doc_attrs(Some(&join(
            g.docs.as_deref(),
            &format!("The {} operations.", g.type_name),
        )));
        quote! {
            #doc
            pub fn #accessor(&self) -> #ty<'_> {
                #ty { http: &self.http }
            }
        }
    });
    // Parameter rules several parameters (or fields) share are functions of `validate.rs`.
    let shared = &cx.shared;
    let check_imports = shared.param_imports();
    let groups = api.groups.iter().map(|g| group(g, api, shared));
    let imports = imports(api);
    let root_operations = api
        .operations
        .iter()
        .map(|op| operation(op, api, &quote!('_), shared));
    let call_import =
        (!shared.type_named("Call") && all_operations(api).next().is_some()).then(|| {
            quote!(
                use crate::http::Call;
            )
        });
    // Written without a leading `::`, which the readable-paths pass would shorten.
    let method_import = cx.client_imports.iter().map(|path| {
        let segments = path.split("::").map(ident);
        quote!(use #(#segments)::*;)
    });
    let method_import = quote!(#(#method_import)*);
    // Page streams of the list operations, in `impl` blocks of their own.
    let pages = super::pagination::impls(api);
    // Multipart methods of the operations with `multipart/form-data` bodies, likewise.
    let multipart = super::multipart::impls(api);
    let title = format!(" A client for {}: build one with [`Client::builder`], then call an operation through its group.", inline(&api.title));
    quote! {
        //! The client: configuration, servers and operations.

        #imports
        #call_import
        #method_import
        #check_imports
        use crate::Error;

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(Clone, Debug)]
        pub struct Client {
            http: ::runtime::HttpClient,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.http.base_url()
            }

            #(#accessors)*

            #(#root_operations)*
        }

        #region
        #builder
        #(#groups)*
        #pages
        #multipart
    }
}

fn region(api: &Api) -> Option<TokenStream> {
    api.servers.first()?;
    let variants = api.servers.iter().map(|s| {
        let variant = ident(&s.name);
        let doc = doc_attrs(Some(&join(s.docs.as_deref(), &code(&s.url))));
        quote!(#doc #variant,)
    });
    let arms = api.servers.iter().map(|s| {
        let variant = ident(&s.name);
        let url = &s.url;
        quote!(Region::#variant => #url,)
    });
    Some(quote! {
        /// Where the API is served; the builder uses the first one unless told otherwise.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Region {
            #[default]
            #(#variants)*
        }

        impl Region {
            /// The base URL of this region's servers.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

    })
}

/// The builder: the settings every client has come from the runtime ([`runtime::Settings`] and
/// `runtime::client_settings!`); what is generated is what the spec says: its servers, its
/// security scheme and the headers it gives defaults for.
fn builder(api: &Api) -> TokenStream {
    let has_servers = !api.servers.is_empty();

    let header_fields = api.client_headers.iter().map(|h| {
        let name = ident(&h.method);
        quote!(#name: ::std::string::String,)
    });
    let header_defaults = api.client_headers.iter().map(|h| {
        let name = ident(&h.method);
        let default = &h.default;
        quote!(#name: ::std::string::String::from(#default),)
    });
    let header_setters = api.client_headers.iter().map(|h| {
        let name = ident(&h.method);
        let text = join(h.docs.as_deref(), &format!("Sent as the {} header; {} unless set here.", code(&h.wire_name), code(&h.default)));
        let doc = doc_attrs(Some(&text));
        quote! {
            #doc
            pub fn #name(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.#name = value.into();
                self
            }
        }
    });
    let header_pairs = api.client_headers.iter().map(|h| {
        let name = ident(&h.method);
        let wire = &h.wire_name;
        quote!((::std::string::String::from(#wire), self.#name))
    });

    let auth = api.auth.as_ref();
    let (setter_name, main_credential) = match auth {
        Some(auth) => {
            let need = if auth.required {
                "Required"
            } else {
                "Optional"
            };
            let name = auth.setter.as_str();
            let setter =
                credential_setter(name, &auth.scheme, &auth.kind, auth.docs.as_deref(), need);
            let sources = source_setters(
                &auth.scheme,
                &auth.kind,
                auth.source_setter.as_deref(),
                auth.client_credentials.as_ref(),
            );
            (Some(name), Some(quote!(#setter #sources)))
        }
        None => (None, None),
    };
    // The other schemes operations name: a setter each, named after the scheme.
    let other_setters = api.other_schemes.iter().map(|s| {
        let setter = credential_setter(
            &s.setter,
            &s.scheme,
            &s.kind,
            s.docs.as_deref(),
            "For the operations that accept it",
        );
        let sources = source_setters(
            &s.scheme,
            &s.kind,
            s.source_setter.as_deref(),
            s.client_credentials.as_ref(),
        );
        quote!(#setter #sources)
    });
    let security = match &api.security {
        Some(alternatives) => {
            let list = alternatives.iter().map(|schemes| quote!(&[#(#schemes),*]));
            quote!(::std::option::Option::Some(&[#(#list),*]))
        }
        None => quote!(::std::option::Option::None),
    };
    let required_credential = match (auth, setter_name) {
        (Some(auth), Some(setter)) if auth.required => quote!(::std::option::Option::Some(#setter)),
        _ => quote!(::std::option::Option::None),
    };

    let region_field = has_servers.then(|| quote!(region: Region,));
    let region_default = has_servers.then(|| quote!(region: Region::default(),));
    let region_setter = has_servers.then(|| {
        quote! {
            /// The region whose servers to use; ignored when a base URL is set.
            pub fn region(mut self, region: Region) -> Self {
                self.region = region;
                self
            }
        }
    });
    let server = if has_servers {
        quote!(::std::option::Option::Some(self.region.base_url()))
    } else {
        quote!(::std::option::Option::None)
    };
    let headers = if api.client_headers.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec![#(#header_pairs),*])
    };

    quote! {
        /// Configures a [`Client`]. Every setting has a default except the credentials.
        #[derive(Debug)]
        pub struct ClientBuilder {
            settings: ::runtime::Settings,
            #region_field
            #(#header_fields)*
        }

        impl ::std::default::Default for ClientBuilder {
            fn default() -> Self {
                ClientBuilder {
                    settings: ::runtime::Settings::new(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                    #region_default
                    #(#header_defaults)*
                }
            }
        }

        impl ClientBuilder {
            ::runtime::client_settings!();

            #main_credential
            #(#other_setters)*
            #region_setter
            #(#header_setters)*

            /// Checks the settings and builds the client.
            pub fn build(self) -> ::std::result::Result<Client, Error> {
                let http = self.settings.build(::runtime::Spec {
                    server: #server,
                    required_credential: #required_credential,
                    security: #security,
                    headers: #headers,
                })?;
                ::std::result::Result::Ok(Client { http })
            }
        }
    }
}

/// The builder methods that take a credential that changes for scheme `scheme`: `source_setter`
/// (a `TokenSource`) and, for an OAuth 2 client-credentials flow, one that takes the client's
/// id and secret.
fn source_setters(
    scheme: &str,
    kind: &AuthKind,
    source_setter: Option<&str>,
    flow: Option<&ClientCredentialsFlow>,
) -> TokenStream {
    let Some(source_setter) = source_setter else {
        return TokenStream::new();
    };
    let (placement, how) = match kind {
        AuthKind::Bearer => (
            quote!(::runtime::Placement::Bearer),
            "as `Authorization: Bearer <token>`".to_owned(),
        ),
        AuthKind::ApiKey { location, name } => {
            let (variant, place) = match location {
                ApiKeyLocation::Header => (quote!(Header), "header"),
                ApiKeyLocation::Query => (quote!(Query), "query parameter"),
                ApiKeyLocation::Cookie => (quote!(Cookie), "cookie"),
            };
            (
                quote!(::runtime::Placement::#variant(::std::string::String::from(#name))),
                format!("as the {} {place}", code(name)),
            )
        }
        AuthKind::Basic => return TokenStream::new(),
    };
    let doc = format!(
        " The credential of security scheme {} from `source`, asked for each call (a callback, or OAuth 2 client credentials; see [`runtime::TokenSource`]) and sent {how}. Replaces a fixed one.",
        code(scheme)
    );
    let name = ident(source_setter);
    let with_source = quote! {
        #[doc = #doc]
        pub fn #name(mut self, source: ::runtime::TokenSource) -> Self {
            self.settings.set_credential(#scheme, ::runtime::Credential::Dynamic { source, placement: #placement });
            self
        }
    };
    let client_credentials = flow.map(|flow| {
        let setter = ident(&flow.setter);
        let token_url = &flow.token_url;
        let scopes = &flow.scopes;
        let scoped = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
        let asked = match scopes.as_slice() {
            [] => "no scope".to_owned(),
            scopes => format!(
                "the scopes the spec's requirements list ({})",
                scopes.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
            ),
        };
        let doc = format!(
            " Security scheme {}'s OAuth 2 client-credentials flow: tokens fetched from {} for the client `client_id` with `client_secret`, asking for {asked}; cached, and fetched again before they expire or when the API refuses one. For another token URL or other scopes, pass a [`runtime::ClientCredentials`] to [`{source_setter}`](Self::{source_setter}).",
            code(scheme),
            code(token_url)
        );
        quote! {
            #[doc = #doc]
            pub fn #setter(
                self,
                client_id: impl ::std::convert::Into<::std::string::String>,
                client_secret: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.#name(::runtime::TokenSource::client_credentials(
                    ::runtime::ClientCredentials::new(#token_url, client_id, client_secret) #scoped,
                ))
            }
        }
    });
    quote!(#with_source #client_credentials)
}

/// The builder method `name` that sets the credential of security scheme `scheme`.
fn credential_setter(
    name: &str,
    scheme: &str,
    kind: &AuthKind,
    docs: Option<&str>,
    need: &str,
) -> TokenStream {
    let (how, params, value) = match kind {
        AuthKind::Bearer => (
            "Sent as `Authorization: Bearer <token>`".to_owned(),
            quote!(token: impl ::std::convert::Into<::std::string::String>),
            quote!(::runtime::Credential::Bearer(::runtime::Secret::new(token))),
        ),
        AuthKind::Basic => (
            "Sent as `Authorization: Basic ..`".to_owned(),
            quote!(
                username: impl ::std::convert::Into<::std::string::String>,
                password: impl ::std::convert::Into<::std::string::String>
            ),
            quote!(::runtime::Credential::Basic {
                username: username.into(),
                password: ::runtime::Secret::new(password),
            }),
        ),
        AuthKind::ApiKey { location, name } => {
            let (variant, place) = match location {
                ApiKeyLocation::Header => (quote!(HeaderKey), "header"),
                ApiKeyLocation::Query => (quote!(QueryKey), "query parameter"),
                ApiKeyLocation::Cookie => (quote!(CookieKey), "cookie"),
            };
            (
                format!("Sent as the {} {place}", code(name)),
                quote!(key: impl ::std::convert::Into<::std::string::String>),
                quote!(::runtime::Credential::#variant {
                    name: ::std::string::String::from(#name),
                    key: ::runtime::Secret::new(key),
                }),
            )
        }
    };
    let doc = doc_attrs(Some(&join(
        docs,
        &format!(
            "{need} (security scheme {}). {how}; it never appears in `Debug` output, errors or traces.",
            code(scheme)
        ),
    )));
    let setter = ident(name);
    quote! {
        #doc
        pub fn #setter(mut self, #params) -> Self {
            self.settings.set_credential(#scheme, #value);
            self
        }
    }
}

fn group(g: &Group, api: &Api, shared: &super::shared::Shared) -> TokenStream {
    let ty = ident(&g.type_name);
    // The spec's text is escaped; the link to the accessor is ours, so it stays a link.
    let spec_docs = doc_attrs(g.docs.as_deref());
    let separator = (!spec_docs.is_empty()).then(|| quote!(#[doc = ""]));
    let link = format!(
        " The {} operations; from [`Client::{}`].",
        g.type_name, g.accessor
    );
    let doc = quote!(#spec_docs #separator #[doc = #link]);
    let operations = g
        .operations
        .iter()
        .map(|op| operation(op, api, &quote!('a), shared));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            http: &'a ::runtime::HttpClient,
        }

        // Calls borrow the client, not the group: `client.contacts().list(..)` outlives the
        // group struct it was made through.
        impl<'a> #ty<'a> {
            #(#operations)*
        }
    }
}

/// One operation's method; its call borrows the client for `lifetime` (`'a`, the group's, or
/// `'_`, the client's own).
fn operation(
    op: &Operation,
    api: &Api,
    lifetime: &TokenStream,
    shared: &super::shared::Shared,
) -> TokenStream {
    let http = &quote!(self.http);
    let name = ident(&op.name);
    let method = ident(op.method.as_str());
    let path = &op.path;
    let accept = &op.accept;
    let mut text = join(
        op.docs.as_deref(),
        &format!(
            "{} (operation {}).",
            code(&format!("{} {}", op.method.as_str(), op.path)),
            code(&op.operation_id)
        ),
    );
    // How calls, retries and errors work is said once, on `runtime::Call` and the crate's
    // `Error`; an operation's docs keep what is its own: the error statuses it declares.
    // Each description's first paragraph, on one line so a list item holds it all.
    let statuses: Vec<(u16, String)> = op
        .errors
        .iter()
        .map(|e| {
            let first = e.docs.as_deref().unwrap_or("").trim_start();
            let first = first.split("\n\n").next().unwrap_or_default();
            (
                e.status,
                first.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    // Short descriptions fit on one line; longer ones get a list.
    if statuses.iter().all(|(_, text)| text.len() <= 40) && !statuses.is_empty() {
        let list: Vec<String> = statuses
            .iter()
            .map(|(status, text)| match text.as_str() {
                "" => status.to_string(),
                text => format!("{status} ({text})"),
            })
            .collect();
        // In the paragraph that names the method and path: one line for a short list.
        text.push_str(&format!(" Error statuses: {}.", list.join(", ")));
    } else if !statuses.is_empty() {
        text.push_str("\n\n# Errors\n");
        for (status, first) in &statuses {
            text.push_str(&format!("\n- {status}: {first}"));
        }
    }
    let taken = |name: &str| api.types.iter().any(|t| t.name == name);
    let examples = super::docs::examples(&op.examples, api.crate_name.as_deref(), &taken);
    let doc = doc_attrs(Some(&text));
    let doc = quote!(#doc #examples);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let (output, decoder) = match &op.output {
        Output::Json(ty) => (rust_type(ty), quote!(::runtime::body::json)),
        Output::JsonOrEmpty(ty) => {
            let ty = rust_type(ty);
            (
                quote!(::std::option::Option<#ty>),
                quote!(::runtime::body::json_or_empty),
            )
        }
        Output::Empty => (quote!(()), quote!(::runtime::body::empty)),
        Output::Text => (quote!(::std::string::String), quote!(::runtime::body::text)),
        Output::Bytes => streamed_output(api, None),
        Output::Events(data) => streamed_output(api, Some(data)),
        Output::ByStatus(e) => {
            let name = ident(&e.name);
            (quote!(#name), quote!(#name::decode))
        }
    };
    let mut args = Vec::new();
    let mut steps = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let arg = ident(&p.name);
        let wire = &p.wire_name;
        let ty = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => rust_type(&p.ty),
            other => {
                let ty = rust_type(other);
                quote!(&#ty)
            }
        };
        args.push(quote!(#arg: #ty));
        // `simple`, not exploded, is the default; the other path styles are named.
        steps.push(match p.style {
            ParamStyle::Path(PathStyle::Simple { explode: false }) => {
                quote!(.path_param(#wire, &#arg))
            }
            ParamStyle::Path(style) => {
                let style = path_style(style);
                quote!(.path_param_styled(#wire, &#arg, #style))
            }
            // Resolve gives path parameters path styles only.
            ParamStyle::Query(_) => quote!(.path_param(#wire, &#arg)),
        });
    }
    if let Some(body) = &op.body {
        let (ty, step) = match body.encoding {
            BodyEncoding::Json => (rust_type(&body.ty), quote!(json)),
            BodyEncoding::Form => (rust_type(&body.ty), quote!(form)),
            BodyEncoding::Bytes => (quote!(::runtime::Upload), quote!(upload)),
        };
        let media_type = &body.media_type;
        let send = match body.encoding {
            BodyEncoding::Bytes => quote!(call.upload(#media_type, body)),
            _ => quote!(call.#step(body)),
        };
        if body.required {
            args.push(match body.encoding {
                // Bytes, text, or a stream, a reader or a file read as it is sent.
                BodyEncoding::Bytes => quote!(body: impl ::std::convert::Into<#ty>),
                _ => quote!(body: &#ty),
            });
            steps.push(match body.encoding {
                BodyEncoding::Bytes => quote!(.upload(#media_type, body)),
                _ => quote!(.#step(body)),
            });
        } else if body.encoding == BodyEncoding::Bytes {
            args.push(quote!(body: ::std::option::Option<#ty>));
            steps.push(quote!(.apply(|call| match body {
                ::std::option::Option::Some(body) => #send,
                ::std::option::Option::None => call,
            })));
        } else {
            args.push(quote!(body: ::std::option::Option<&#ty>));
            steps.push(quote!(.apply(|call| match body {
                ::std::option::Option::Some(body) => #send,
                ::std::option::Option::None => call,
            })));
        }
    }
    if let Some(params_name) = &op.params_type {
        let ty = ident(params_name);
        args.push(quote!(params: &crate::params::#ty));
        for p in op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
        {
            let field = ident(&p.name);
            let wire = &p.wire_name;
            steps.push(match p.location {
                ParamLocation::Query => match p.style {
                    // `form`, exploded, is the default; the other query styles are named.
                    ParamStyle::Query(QueryStyle::Form { explode: true }) => {
                        quote!(.query(#wire, &params.#field))
                    }
                    ParamStyle::Query(style) => {
                        let style = query_style(style);
                        quote!(.query_styled(#wire, &params.#field, #style))
                    }
                    // Resolve gives query parameters query styles only.
                    ParamStyle::Path(_) => quote!(.query(#wire, &params.#field)),
                },
                ParamLocation::Header => quote!(.header_param(#wire, &params.#field)),
                _ => quote!(.cookie(#wire, &params.#field)),
            });
        }
    }
    // Parameter rules, checked before anything is sent: path parameters are arguments, the
    // others fields of `params`.
    let checks = super::validate::param_checks(
        &op.params,
        |p| {
            let name = ident(&p.name);
            match p.location {
                // Numbers and booleans are passed by value, everything else by reference.
                ParamLocation::Path => (
                    quote!(#name),
                    !matches!(
                        p.ty,
                        TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean
                    ),
                ),
                _ => (quote!(params.#name), false),
            }
        },
        shared,
    );
    let (prelude, checked) = if checks.is_empty() {
        (None, None)
    } else {
        (
            Some(quote!(let errors = &mut ::runtime::ValidationErrors::default(); #(#checks)*)),
            Some(quote!(.checked(::std::mem::take(errors)))),
        )
    };
    // A JSON answer is the common case: `call` decodes JSON and accepts it.
    let start = if matches!(op.output, Output::Json(_)) && accept == "application/json" {
        quote!(.call(::runtime::Method::#method, #path))
    } else if matches!(op.output, Output::Bytes | Output::Events(_)) {
        quote!(.stream_with(::runtime::Method::#method, #path, #decoder).accept(#accept))
    } else {
        quote!(.call_with(::runtime::Method::#method, #path, #decoder).accept(#accept))
    };
    let call = call_type(shared);
    // The operation's own requirement: `security: []` is open to anyone, no credential goes
    // with it; alternatives name the schemes whose credentials go.
    let anonymous = op.security.as_ref().map(|alternatives| {
        if alternatives.is_empty() {
            quote!(.without_credential())
        } else {
            let list = alternatives.iter().map(|schemes| quote!(&[#(#schemes),*]));
            quote!(.security(&[#(#list),*]))
        }
    });
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #call<#lifetime, #output> {
            #prelude
            #http
                #start
                #anonymous
                #checked
                #(#steps)*
        }
    }
}
