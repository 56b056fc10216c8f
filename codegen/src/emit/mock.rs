//! `mock.rs` (the generated crate's cargo feature `mock`): a `Mock` of the API for the tests
//! of code that uses the client, built on `runtime::mock`. It mirrors the client: the same
//! group accessors and group struct names (in the `mock` module), one method per operation
//! returning a `runtime::mock::OperationMock` typed by the operation's success response and
//! checking requests with its request body type's validators.

use super::docs::code;
use super::ident;
use super::shared::Shared;
use crate::ir::{
    Api, AuthKind, BodyEncoding, Group, Operation, Output, ParamLocation, ParamStyle, Parameter,
    PathStyle, StatusBody, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub(super) fn mock(api: &Api, cx: &super::Crate) -> TokenStream {
    let shared = &cx.shared;
    let server = quote!(&self.server);
    let accessors = api.groups.iter().map(|g| {
        let accessor = ident(&g.accessor);
        let ty = ident(&g.type_name);
        // Identifiers only: no spec text, so no escaping (which would break the link).
        let doc = format!(
            " The mocks of the {} operations, as [`Client::{}`](crate::Client::{}) calls them.",
            g.type_name, g.accessor, g.accessor
        );
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #ty<'_> {
                #ty { server: &self.server }
            }
        }
    });
    let root_operations = api
        .operations
        .iter()
        .map(|op| operation(api, op, shared, &server, &quote!('_)));
    let groups = api.groups.iter().map(|g| group(api, g, shared));
    // The shared rule functions the path checks call, imported as `client.rs` imports them.
    let used: BTreeSet<String> = super::client::all_operations(api)
        .flat_map(|op| path_checks(op, shared).1)
        .collect();
    let imports = (!used.is_empty()).then(|| {
        let names = used.iter().map(|name| ident(name));
        quote!(use crate::validate::{#(#names),*};)
    });
    // A credential the client needs to build; the mock does not check it. The setters are the
    // ones `client.rs`'s builder writes for each kind of scheme.
    // A stand-in credential for every scheme, so each operation's requirement is met.
    let stand_in = |setter: &str, kind: &AuthKind| {
        let setter = super::ident(setter);
        match kind {
            AuthKind::Bearer => quote!(.#setter("mock-token")),
            AuthKind::Basic => quote!(.#setter("mock-user", "mock-password")),
            AuthKind::ApiKey { .. } => quote!(.#setter("mock-key")),
        }
    };
    let main = api
        .auth
        .as_ref()
        .map(|auth| stand_in(&auth.setter, &auth.kind));
    let others = api
        .other_schemes
        .iter()
        .map(|s| stand_in(&s.setter, &s.kind));
    let credential = quote!(#main #(#others)*);
    let example = example(api);
    quote! {
        //! A mock of the API for the tests of code that uses the client (cargo feature `mock`):
        //! typed answers per operation, every request checked with the operation's validators,
        //! on `127.0.0.1` only. How it matches, checks and reports is said once, in
        //! [`runtime::mock`].

        #imports

        /// A local mock of the API: mount an answer per operation, point the code under test at
        /// [`client`](Self::client), then check what it sent.
        ///
        /// Each operation's mock matches the operation's method and path template
        /// (`/contacts/{id}` matches `/contacts/123`) and checks every request's body with the
        /// validators the client runs before sending, its path parameters with their rules,
        /// and that its required query, header and cookie parameters are there. A request that
        /// breaks a rule is answered
        /// `400 Bad Request` and recorded: [`violations`](Self::violations) lists them,
        /// [`take_violations`](Self::take_violations) takes them (a test that sends a bad
        /// request on purpose), and [`verify`](Self::verify), or dropping the mock, panics
        /// while any is left, as it does for an unmet `expect(n)`.
        ///
        /// ```no_run
        #example
        /// ```
        #[derive(Debug)]
        pub struct Mock {
            server: ::runtime::mock::MockServer,
        }

        impl Mock {
            ::runtime::mock_methods!(crate::Client);

            /// A client builder pointed at the mock, with a stand-in credential when the API
            /// needs one; every other setting is the builder's default.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::Client::builder().base_url(self.server.uri()) #credential
            }


            #(#accessors)*

            #(#root_operations)*
        }

        #(#groups)*
    }
}

/// The example on `Mock`: start it, mount an answer to the first operation, build the client,
/// verify. The crate's name comes from cargo, so the example compiles in any generated crate.
fn example(api: &Api) -> TokenStream {
    let first = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (Some(g), op)))
        .chain(api.operations.iter().map(|op| (None, op)))
        .next();
    let mount = first.map(|(group, op)| {
        let call = match group {
            Some(g) => format!("mock.{}().{}()", g.accessor, op.name),
            None => format!("mock.{}()", op.name),
        };
        // 404: no method is retried on it, so `expect(1)` holds whatever the method.
        let comment = format!(
            " // `{} {}` answers 404 once: `.respond(&value)` answers with the spec's success.",
            op.method.as_str(),
            op.path
        );
        let line = format!(" {call}.expect(1).fail_with(404).await;");
        quote! {
            #[doc = #comment]
            #[doc = #line]
        }
    });
    quote! {
        /// # async fn example() {
        #[doc = concat!(" let mock = ", env!("CARGO_CRATE_NAME"), "::mock::Mock::start().await;")]
        #mount
        /// let client = mock.client();
        /// // ... run the code under test with `client` ...
        /// # let _ = client;
        /// assert!(mock.violations().is_empty());
        /// mock.verify().await;
        /// # }
    }
}

fn group(api: &Api, g: &Group, shared: &Shared) -> TokenStream {
    let ty = ident(&g.type_name);
    let doc = format!(
        " The mocks of the {} operations; from [`Mock::{}`].",
        g.type_name, g.accessor
    );
    let server = quote!(self.server);
    let operations = g
        .operations
        .iter()
        .map(|op| operation(api, op, shared, &server, &quote!('a)));
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            server: &'a ::runtime::mock::MockServer,
        }

        impl<'a> #ty<'a> {
            #(#operations)*
        }
    }
}

/// The method that mocks one operation: its typed answer (`respond`) and its body check.
/// The path check of an operation (`.checks_path(..)`): its path parameters of a primitive
/// type in the `simple` style, decoded and checked with the rules the client checks before
/// sending; and the shared rule functions it calls. `None` when there is none to decode.
fn path_checks(op: &Operation, shared: &Shared) -> (Option<TokenStream>, BTreeSet<String>) {
    let mut used = BTreeSet::new();
    let steps: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| {
            p.location == ParamLocation::Path
                && matches!(p.style, ParamStyle::Path(PathStyle::Simple { .. }))
        })
        .filter_map(|p| {
            let (ty, expected) = match p.ty {
                TypeRef::String => (quote!(::std::string::String), "a string"),
                TypeRef::Integer(32) => (quote!(i32), "an integer"),
                TypeRef::Integer(_) => (quote!(i64), "an integer"),
                TypeRef::Number => (quote!(f64), "a number"),
                TypeRef::Boolean => (quote!(bool), "`true` or `false`"),
                _ => return None,
            };
            Some(path_step(p, &ty, expected, shared, &mut used))
        })
        .collect();
    if steps.is_empty() {
        return (None, used);
    }
    (
        Some(quote!(.checks_path(|params, errors| { #(#steps)* }))),
        used,
    )
}

/// Decodes one path parameter and checks it, as the client's method (whose argument it is)
/// does: a string by reference, a number or boolean by value.
fn path_step(
    p: &Parameter,
    ty: &TokenStream,
    expected: &str,
    shared: &Shared,
    used: &mut BTreeSet<String>,
) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire_name;
    let is_string = p.ty == TypeRef::String;
    let checks = super::validate::param_checks(
        std::iter::once(p),
        |p| {
            let name = ident(&p.name);
            (quote!(#name), is_string)
        },
        shared,
    );
    let parse = quote!(params.parse::<#ty>(errors, #wire, #expected));
    if checks.is_empty() {
        return quote!(let _ = #parse;);
    }
    if let Some(function) = shared.function(&p.ty, &p.constraints) {
        used.insert(function.to_string());
    }
    let borrow = is_string.then(|| quote!(let #name: &str = &#name;));
    quote! {
        if let ::std::option::Option::Some(#name) = #parse {
            #borrow
            #(#checks)*
        }
    }
}

fn operation(
    api: &Api,
    op: &Operation,
    shared: &Shared,
    server: &TokenStream,
    lifetime: &TokenStream,
) -> TokenStream {
    let name = ident(&op.name);
    let id = &op.operation_id;
    let method = ident(op.method.as_str());
    let path = &op.path;
    let status = op.success.status;
    let (answer, reply, answer_doc) = match &op.output {
        Output::Json(ty) => (
            super::qualified_type(ty),
            quote!(::runtime::mock::reply::json),
            format!("status {status} and a JSON body"),
        ),
        Output::JsonOrEmpty(ty) => {
            let ty = super::qualified_type(ty);
            (
                quote!(::std::option::Option<#ty>),
                quote!(::runtime::mock::reply::json_or_empty),
                format!("status {status} and a JSON body, or `204 No Content` for `None`"),
            )
        }
        Output::Empty => (
            quote!(()),
            quote!(::runtime::mock::reply::empty),
            format!("status {status} and no body"),
        ),
        Output::Text => (
            quote!(str),
            quote!(::runtime::mock::reply::text),
            format!("status {status} and a text body"),
        ),
        Output::Bytes => (
            quote!([u8]),
            quote!(::runtime::mock::reply::bytes),
            format!("status {status} and a body of bytes"),
        ),
        Output::Events(_) => (
            quote!(str),
            quote!(::runtime::mock::reply::event_stream),
            format!("status {status} and a `text/event-stream` body, written as the server sends it (`data: ...` lines, a blank line after each event)"),
        ),
        Output::ByStatus(e) => {
            let ty = ident(&e.name);
            let arms = e.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let status = v.status;
                match &v.body {
                    StatusBody::Json(_) => quote!(crate::types::#ty::#variant(body) => ::runtime::mock::reply::json(#status, body),),
                    StatusBody::Text => quote!(crate::types::#ty::#variant(body) => ::runtime::mock::reply::text(#status, body),),
                    StatusBody::Bytes => quote!(crate::types::#ty::#variant(body) => ::runtime::mock::reply::bytes(#status, body),),
                    StatusBody::Empty => quote!(crate::types::#ty::#variant => ::runtime::mock::reply::empty(#status, &()),),
                }
            });
            (
                quote!(crate::types::#ty),
                quote!(|_, value: &crate::types::#ty| match value { #(#arms)* }),
                "the status and body of the variant".to_owned(),
            )
        }
    };
    let (check, check_doc) = match &op.body {
        Some(body) if body.encoding != BodyEncoding::Bytes => {
            let required = body.required;
            let checker = match (&body.ty, body.encoding) {
                // A request type's own `from_json` keeps exact pointers inside tagged unions.
                (TypeRef::Named(n), BodyEncoding::Json)
                    if api
                        .types
                        .iter()
                        .any(|def| def.name == *n && def.usage.request) =>
                {
                    let n = ident(n);
                    quote!(|text| crate::types::#n::from_json(text).map(drop))
                }
                (ty, BodyEncoding::Json) => {
                    let ty = super::qualified_type(ty);
                    quote!(::runtime::mock::json_body::<#ty>)
                }
                (ty, _) => {
                    let ty = super::qualified_type(ty);
                    quote!(::runtime::mock::form_body::<#ty>)
                }
            };
            (
                Some(quote!(.checks_body(#required, #checker))),
                format!(
                    " Every request's body is checked as {}{}.",
                    code(&body.ty.describe()),
                    if required { "" } else { " when there is one" }
                ),
            )
        }
        _ => (None, String::new()),
    };
    // The spec's text (the path, the id) only in code spans, which `code` makes safe; the
    // link is ours.
    // Required query, header and cookie parameters must be there (their values are not
    // checked yet).
    let required_params: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.required && p.location != ParamLocation::Path)
        .collect();
    let params_doc = if required_params.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = required_params
            .iter()
            .map(|p| format!("{} ({})", code(&p.wire_name), p.location.as_str()))
            .collect();
        format!(" Every request must carry {}.", names.join(", "))
    };
    let required = required_params.iter().filter_map(|p| {
        let location = match p.location {
            ParamLocation::Query => quote!(Query),
            ParamLocation::Header => quote!(Header),
            ParamLocation::Cookie => quote!(Cookie),
            ParamLocation::Path => return None,
        };
        let wire = &p.wire_name;
        Some(quote!(.requires_param(::runtime::mock::ParamIn::#location, #wire)))
    });
    let (path_check, _) = path_checks(op, shared);
    let path_doc = if path_check.is_some() {
        " Its path parameters are decoded and checked as the client checks them."
    } else {
        ""
    };
    let text = format!(
        " Mocks {} (operation {}): [`respond`](runtime::mock::OperationMock::respond) answers with {answer_doc}.{check_doc}{path_doc}{params_doc}",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(id)
    );
    let doc = quote!(#[doc = #text]);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self) -> ::runtime::mock::OperationMock<#lifetime, #answer> {
            ::runtime::mock::OperationMock::new(
                #server,
                ::runtime::mock::Operation {
                    id: #id,
                    method: ::runtime::Method::#method,
                    path: #path,
                    status: #status,
                },
                #reply,
            )
            #path_check
            #(#required)*
            #check
        }
    }
}
