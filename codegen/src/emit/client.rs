//! `client.rs`: the `Client`, its builder, the servers and one accessor struct per group.

use super::docs::{code, doc_attrs, inline, join};
use super::{ident, rust_type};
use crate::ir::{
    Api, ApiKeyLocation, AuthKind, BodyEncoding, Group, Operation, Output, ParamLocation,
    Parameter, QueryStyle, TypeRef,
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
                let where_ = match p.location {
                    ParamLocation::Query => "query parameter",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                    ParamLocation::Path => "path parameter",
                };
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
            Some(quote! {
                #doc
                #[derive(Clone, Debug, #default PartialEq)]
                pub struct #name {
                    #(#fields)*
                }
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

pub(super) fn client(api: &Api) -> TokenStream {
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
                #ty { client: self }
            }
        }
    });
    let groups = api.groups.iter().map(group);
    let imports = imports(api);
    let root_operations = api
        .operations
        .iter()
        .map(|op| operation(op, &quote!(self.http)));
    let title = format!(" A client for {}: build one with [`Client::builder`], then call an operation through its group.", inline(&api.title));
    quote! {
        //! The client: configuration, servers and operations.

        #imports
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
        quote!((::std::string::String::from(#wire), self.#name),)
    });

    let auth = api.auth.as_ref();
    let credential_field =
        auth.map(|_| quote!(credential: ::std::option::Option<::runtime::Credential>,));
    let credential_default = auth.map(|_| quote!(credential: ::std::option::Option::None,));
    let (setter_name, credential_setter) = match auth {
        Some(auth) => {
            let need = if auth.required {
                "Required"
            } else {
                "Optional"
            };
            let (name, how, params, value) = match &auth.kind {
                AuthKind::Bearer => (
                    "token",
                    "Sent as `Authorization: Bearer <token>`".to_owned(),
                    quote!(token: impl ::std::convert::Into<::std::string::String>),
                    quote!(::runtime::Credential::Bearer(::runtime::Secret::new(token))),
                ),
                AuthKind::Basic => (
                    "basic_auth",
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
                        "api_key",
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
                auth.docs.as_deref(),
                &format!("{need}. {how}; it never appears in `Debug` output, errors or traces."),
            )));
            let setter = ident(name);
            (
                Some(name),
                Some(quote! {
                    #doc
                    pub fn #setter(mut self, #params) -> Self {
                        self.credential = ::std::option::Option::Some(#value);
                        self
                    }
                }),
            )
        }
        None => (None, None),
    };
    let credential_value = match (auth, setter_name) {
        (Some(auth), Some(setter)) if auth.required => {
            let message = format!("no credentials: call `.{setter}(..)` on the builder");
            quote! {
                ::std::option::Option::Some(self.credential.ok_or_else(|| {
                    Error::Config(::std::string::String::from(#message))
                })?)
            }
        }
        (Some(_), _) => quote!(self.credential),
        (None, _) => quote!(::std::option::Option::None),
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
    let base_url_value = if has_servers {
        quote!(self
            .base_url
            .unwrap_or_else(|| ::std::string::String::from(self.region.base_url())))
    } else {
        quote! {
            self.base_url.ok_or_else(|| {
                Error::Config(::std::string::String::from("no base URL: call `.base_url(..)` on the builder"))
            })?
        }
    };

    quote! {
        /// Configures a [`Client`]. Every setting has a default except the credentials.
        #[derive(Debug)]
        pub struct ClientBuilder {
            #credential_field
            #region_field
            base_url: ::std::option::Option<::std::string::String>,
            #(#header_fields)*
            timeout: ::std::time::Duration,
            retry: ::runtime::RetryPolicy,
            user_agent: ::std::option::Option<::std::string::String>,
            http_client: ::std::option::Option<::runtime::reqwest::Client>,
            clock: ::std::option::Option<::std::sync::Arc<dyn ::runtime::Clock>>,
        }

        impl ::std::default::Default for ClientBuilder {
            fn default() -> Self {
                ClientBuilder {
                    #credential_default
                    #region_default
                    base_url: ::std::option::Option::None,
                    #(#header_defaults)*
                    timeout: ::std::time::Duration::from_secs(30),
                    retry: ::runtime::RetryPolicy::default(),
                    user_agent: ::std::option::Option::None,
                    http_client: ::std::option::Option::None,
                    clock: ::std::option::Option::None,
                }
            }
        }

        impl ClientBuilder {
            #credential_setter
            #region_setter

            /// Sends requests to this base URL instead (a proxy, a test server).
            pub fn base_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.base_url = ::std::option::Option::Some(url.into());
                self
            }

            #(#header_setters)*

            /// How long each attempt of a request may take, from connecting to the end of the
            /// response, before it fails with `Error::Timeout`; 30 seconds unless set here. A
            /// call can override it with `.timeout(..)`.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = timeout;
                self
            }

            /// When to retry a failed request and how long to wait; [`RetryPolicy::default`]
            /// (3 attempts, exponential backoff with full jitter) unless set here, and
            /// [`RetryPolicy::never`] turns retries off. A call can override it with
            /// `.retry(..)`.
            ///
            /// Whatever the policy, a request that may change something on the server (`POST`,
            /// `PATCH`) is only retried when the server cannot have acted on it: the connection
            /// was never established, or it answered 429 Too Many Requests.
            ///
            /// [`RetryPolicy::default`]: crate::http::RetryPolicy::default
            /// [`RetryPolicy::never`]: crate::http::RetryPolicy::never
            pub fn retry(mut self, policy: ::runtime::RetryPolicy) -> Self {
                self.retry = policy;
                self
            }

            /// The `User-Agent` header; `<crate name>/<crate version>` unless set here.
            pub fn user_agent(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.user_agent = ::std::option::Option::Some(value.into());
                self
            }

            /// Sends requests through this `reqwest::Client` (to share a connection pool or set
            /// a proxy) instead of a new one.
            pub fn http_client(mut self, client: ::runtime::reqwest::Client) -> Self {
                self.http_client = ::std::option::Option::Some(client);
                self
            }

            /// The clock retries read (`Retry-After` dates, `X-RateLimit-Reset`) and wait on; the
            /// system clock and tokio's timer unless set here. Tests set one that records waits
            /// instead of sleeping.
            pub fn clock(mut self, clock: ::std::sync::Arc<dyn ::runtime::Clock>) -> Self {
                self.clock = ::std::option::Option::Some(clock);
                self
            }

            /// Checks the settings and builds the client.
            pub fn build(self) -> ::std::result::Result<Client, Error> {
                let config = ::runtime::ClientConfig {
                    credential: #credential_value,
                    base_url: #base_url_value,
                    headers: ::std::vec![#(#header_pairs)*],
                    timeout: self.timeout,
                    retry: self.retry,
                    user_agent: self.user_agent.unwrap_or_else(|| {
                        ::std::string::String::from(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                    }),
                    http_client: self.http_client,
                    clock: self.clock,
                };
                ::std::result::Result::Ok(Client { http: ::runtime::HttpClient::new(config)? })
            }
        }
    }
}

fn group(g: &Group) -> TokenStream {
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
        .map(|op| operation(op, &quote!(self.client.http)));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        impl #ty<'_> {
            #(#operations)*
        }
    }
}

/// The `Error` variant an error status lands in; the same table as the runtime's
/// `Error::from_status`.
fn error_variant(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        422 => "UnprocessableEntity",
        429 => "RateLimited",
        500..=599 => "Server",
        _ => "Api",
    }
}

fn operation(op: &Operation, http: &TokenStream) -> TokenStream {
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
    text.push_str(
        "\n\nAwait the returned call for the response body, or set per-call options \
         (`.timeout(..)`, `.retry(..)`, `.header(..)`) first; `.send_with_meta()` also returns \
         the status, request id and rate-limit headers.",
    );
    text.push_str(if op.method.is_idempotent() {
        "\n\nRetried, as the retry policy allows, after a connection failure, a timeout, a \
         broken connection, 408, 429 or a 5xx."
    } else {
        "\n\nRetried, as the retry policy allows, only where the server cannot have acted on \
         the request: a connection that could not be made, or 429. A timeout or a 5xx is \
         returned as is, since the request may have taken effect; mark the call `.idempotent()` \
         if sending it twice is harmless."
    });
    text.push_str("\n\n# Errors\n\n");
    text.push_str(
        "`Error::Validation` when the request breaks a rule of the spec (nothing is sent); \
         `Error::Connect`, `Error::Timeout` or `Error::Transport` when no response arrives; \
         `Error::Decode` when the response does not match the spec",
    );
    if op.errors.is_empty() {
        text.push_str("; a variant per status when the API answers with an error status.");
    } else {
        text.push_str(". Error statuses the spec declares:\n");
        for e in &op.errors {
            // The description's first paragraph, on one line so the list item holds it all.
            let first = e.docs.as_deref().unwrap_or("").trim_start();
            let first = first.split("\n\n").next().unwrap_or_default();
            let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
            text.push_str(&format!(
                "\n- {} (`Error::{}`): {}",
                e.status,
                error_variant(e.status),
                first
            ));
        }
    }
    let doc = doc_attrs(Some(&text));
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
        Output::Bytes => (quote!(::std::vec::Vec<u8>), quote!(::runtime::body::bytes)),
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
        let style = match p.style {
            QueryStyle::Label { explode } => Some(quote!(Label { explode: #explode })),
            QueryStyle::Matrix { explode } => Some(quote!(Matrix { explode: #explode })),
            QueryStyle::Simple { explode: true } => Some(quote!(Simple { explode: true })),
            _ => None,
        };
        steps.push(match style {
            Some(style) => quote!(.path_param_styled(#wire, &#arg, ::runtime::PathStyle::#style)),
            None => quote!(.path_param(#wire, &#arg)),
        });
    }
    if let Some(body) = &op.body {
        let (ty, step) = match body.encoding {
            BodyEncoding::Json => (rust_type(&body.ty), quote!(json)),
            BodyEncoding::Form => (rust_type(&body.ty), quote!(form)),
            BodyEncoding::Bytes => (quote!([u8]), quote!(bytes)),
        };
        let media_type = &body.media_type;
        let send = match body.encoding {
            BodyEncoding::Bytes => quote!(call.bytes(#media_type, body)),
            _ => quote!(call.#step(body)),
        };
        if body.required {
            args.push(quote!(body: &#ty));
            steps.push(match body.encoding {
                BodyEncoding::Bytes => quote!(.bytes(#media_type, body)),
                _ => quote!(.#step(body)),
            });
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
                ParamLocation::Query => {
                    let style = match p.style {
                        QueryStyle::Form { explode }
                        | QueryStyle::Simple { explode }
                        | QueryStyle::Label { explode }
                        | QueryStyle::Matrix { explode } => {
                            // Resolve gives query parameters query styles only.
                            quote!(::runtime::QueryStyle::Form { explode: #explode })
                        }
                        QueryStyle::SpaceDelimited => quote!(::runtime::QueryStyle::SpaceDelimited),
                        QueryStyle::PipeDelimited => quote!(::runtime::QueryStyle::PipeDelimited),
                        QueryStyle::DeepObject => quote!(::runtime::QueryStyle::DeepObject),
                    };
                    quote!(.query(#wire, &params.#field, #style))
                }
                ParamLocation::Header => quote!(.header_param(#wire, &params.#field)),
                _ => quote!(.cookie(#wire, &params.#field)),
            });
        }
    }
    // Parameter rules, checked before anything is sent: path parameters are arguments, the
    // others fields of `params`.
    let checks = super::validate::param_checks(&op.params, |p| {
        let name = ident(&p.name);
        match p.location {
            ParamLocation::Path => quote!(#name),
            _ => quote!(params.#name),
        }
    });
    let (prelude, checked) = if checks.is_empty() {
        (None, None)
    } else {
        (
            Some(quote!(let errors = &mut ::runtime::ValidationErrors::default(); #(#checks)*)),
            Some(quote!(.checked(::std::mem::take(errors)))),
        )
    };
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> crate::http::Call<'_, #output> {
            #prelude
            #http
                .call_with(::runtime::Method::#method, #path, #decoder)
                .accept(#accept)
                #checked
                #(#steps)*
        }
    }
}
