//! Page streams (issue 15): for every operation with an `ir::Pagination`, a `<name>_pages`
//! method beside it, in an `impl` block of its own after the group's (or the client's), that
//! returns a `runtime::Pages` over the operation's own call. The paths into a page become
//! closures without captures (plain `fn` pointers for the runtime).

use super::docs::code;
use super::ident;
use crate::ir::{
    Api, BodyEncoding, FieldPath, Operation, PageStyle, Pagination, ParamLocation, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl` blocks holding the page methods: the client's own, then each group's; nothing
/// when no operation pages.
pub(super) fn impls(api: &Api) -> TokenStream {
    let error = match &api.error_body {
        Some(body) => {
            let ty = ident(&body.ty);
            quote!(crate::types::#ty)
        }
        None => quote!(::serde_json::Value),
    };
    let root: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| method(op, op.pagination.as_ref()?, &error, false))
        .collect();
    let root = (!root.is_empty()).then(|| quote!(impl Client { #(#root)* }));
    let groups = api.groups.iter().filter_map(|g| {
        let methods: Vec<TokenStream> = g
            .operations
            .iter()
            .filter_map(|op| method(op, op.pagination.as_ref()?, &error, true))
            .collect();
        if methods.is_empty() {
            return None;
        }
        let ty = ident(&g.type_name);
        Some(quote!(impl<'a> #ty<'a> { #(#methods)* }))
    });
    quote!(#root #(#groups)*)
}

/// `page.a.as_ref()?.b`: the value at `path` in `page: &P`, inside a closure that returns an
/// `Option` (a place, not yet borrowed when its last field is not optional).
fn borrowed(path: &FieldPath) -> TokenStream {
    let mut expr = quote!(page);
    for step in &path.steps {
        let name = ident(&step.name);
        expr = quote!(#expr.#name);
        for _ in 0..step.options {
            expr = quote!(#expr.as_ref()?);
        }
    }
    expr
}

/// A reference to the value at `path` in `page: &P` (`&page.a.b`, `page.a.as_ref()?`).
fn reference(path: &FieldPath) -> TokenStream {
    let expr = borrowed(path);
    match path.steps.last() {
        Some(step) if step.options > 0 => expr,
        _ => quote!(&#expr),
    }
}

/// The list at `path`, moved out of `page: P`, or an empty one where an optional field on the
/// way is absent: `page.data`, `page.data.unwrap_or_default()`, or
/// `(move || -> Option<Vec<I>> { page.a?.data })().unwrap_or_default()`.
fn owned_list(path: &FieldPath, item: &TokenStream) -> TokenStream {
    let mut expr = quote!(page);
    let mut early = false;
    let last = path.steps.len().saturating_sub(1);
    for (i, step) in path.steps.iter().enumerate() {
        let name = ident(&step.name);
        expr = quote!(#expr.#name);
        // The last field's own `Option` is kept, to be unwrapped once at the end.
        let questions = if i == last {
            step.options.saturating_sub(1)
        } else {
            step.options
        };
        for _ in 0..questions {
            expr = quote!(#expr?);
            early = true;
        }
    }
    let optional = path.steps.last().is_some_and(|s| s.options > 0);
    match (early, optional) {
        (false, false) => expr,
        (false, true) => quote!(#expr.unwrap_or_default()),
        (true, optional) => {
            let value = if optional {
                expr
            } else {
                quote!(::std::option::Option::Some(#expr))
            };
            quote! {
                (move || -> ::std::option::Option<::std::vec::Vec<#item>> { #value })()
                    .unwrap_or_default()
            }
        }
    }
}

/// `|page: &P| -> Option<u64> { .. }`: an integer in the page, as a count.
fn count_at(page: &TokenStream, path: &FieldPath) -> TokenStream {
    let value = reference(path);
    let ty = super::qualified_type(&path.ty);
    quote! {
        |page: &#page| -> ::std::option::Option<u64> {
            let value: &#ty = #value;
            ::std::convert::TryFrom::try_from(*value).ok()
        }
    }
}

/// The page method of `op`, a method of a group's struct (`in_group`) or of the client; its
/// stream borrows the client either way.
fn method(
    op: &Operation,
    pagination: &Pagination,
    error: &TokenStream,
    in_group: bool,
) -> Option<TokenStream> {
    let crate::ir::Output::Json(page_ty) = &op.output else {
        return None;
    };
    let page = super::qualified_type(page_ty);
    let name = ident(&pagination.method);
    let operation = ident(&op.name);

    // The operation's own arguments, owned by the stream so every page's call can be made.
    let mut args = Vec::new();
    let mut owned_args = Vec::new();
    let mut pass = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let arg = ident(&p.name);
        let (ty, keep, passed) = match &p.ty {
            TypeRef::String => (
                quote!(&str),
                quote!(let #arg = #arg.to_owned();),
                quote!(&#arg),
            ),
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
                (super::rust_type(&p.ty), TokenStream::new(), quote!(#arg))
            }
            other => {
                let ty = super::qualified_type(other);
                (
                    quote!(&#ty),
                    quote!(let #arg = ::std::clone::Clone::clone(#arg);),
                    quote!(&#arg),
                )
            }
        };
        args.push(quote!(#arg: #ty));
        owned_args.push(keep);
        pass.push(passed);
    }
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            BodyEncoding::Bytes => quote!([u8]),
            _ => super::qualified_type(&body.ty),
        };
        let owned = match body.encoding {
            BodyEncoding::Bytes => quote!(::std::vec::Vec<u8>),
            _ => ty.clone(),
        };
        if body.required {
            args.push(quote!(body: &#ty));
            owned_args.push(quote!(let body: #owned = ::std::borrow::ToOwned::to_owned(body);));
            pass.push(quote!(&body));
        } else {
            args.push(quote!(body: ::std::option::Option<&#ty>));
            owned_args.push(quote!(
                let body: ::std::option::Option<#owned> = body.map(::std::borrow::ToOwned::to_owned);
            ));
            pass.push(match body.encoding {
                BodyEncoding::Bytes => quote!(body.as_deref().map(::runtime::Upload::from)),
                _ => quote!(body.as_ref()),
            });
        }
    }
    if let Some(params) = &op.params_type {
        let ty = ident(params);
        args.push(quote!(params: &crate::params::#ty));
        owned_args.push(quote!(let params = ::std::clone::Clone::clone(params);));
        pass.push(quote!(&params));
    }

    // Reads the next cursor from a page (a string, or an integer written as one).
    let cursor = |next: &FieldPath| {
        let value = reference(next);
        let ty = super::qualified_type(&next.ty);
        quote! {
            |page: &#page| -> ::std::option::Option<::std::string::String> {
                let value: &#ty = #value;
                ::std::option::Option::Some(::std::string::ToString::to_string(value))
            }
        }
    };
    let rule = match &pagination.style {
        PageStyle::Cursor { param, next } => {
            let next = cursor(next);
            quote!(::runtime::PageRule::Cursor { param: #param, next: #next })
        }
        PageStyle::BodyCursor { pointer, next } => {
            let next = cursor(next);
            quote!(::runtime::PageRule::BodyCursor { pointer: #pointer, next: #next })
        }
        PageStyle::Link => quote!(::runtime::PageRule::Link),
        PageStyle::PageNumber {
            param,
            first,
            total_pages,
        } => {
            let total = match total_pages {
                Some(path) => {
                    let read = count_at(&page, path);
                    quote!(::std::option::Option::Some(#read))
                }
                None => quote!(::std::option::Option::None),
            };
            quote! {
                ::runtime::PageRule::PageNumber { param: #param, first: #first, total_pages: #total }
            }
        }
        PageStyle::Offset { param, total } => {
            let total = match total {
                Some(path) => {
                    let read = count_at(&page, path);
                    quote!(::std::option::Option::Some(#read))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(::runtime::PageRule::Offset { param: #param, total: #total })
        }
    };
    let (item, items, count) = match &pagination.items {
        Some(path) => {
            let item = super::qualified_type(&path.ty);
            let take = owned_list(path, &item);
            let len = borrowed(path);
            let direct = path.steps.iter().all(|s| s.options == 0);
            let len = if direct {
                quote!(#len.len())
            } else {
                quote! {
                    (|| -> ::std::option::Option<usize> { ::std::option::Option::Some(#len.len()) })()
                        .unwrap_or(0)
                }
            };
            (
                item.clone(),
                quote!(|page: #page| -> ::std::vec::Vec<#item> { #take }),
                quote!(::std::option::Option::Some(|page: &#page| -> usize { #len })),
            )
        }
        None => (
            quote!(()),
            quote!(|_: #page| -> ::std::vec::Vec<()> { ::std::vec::Vec::new() }),
            quote!(::std::option::Option::None),
        ),
    };
    let how = match &pagination.style {
        PageStyle::Cursor { param, .. } => format!(
            "each page's next cursor is sent back as the {} query parameter",
            code(param)
        ),
        PageStyle::BodyCursor { pointer, .. } => format!(
            "each page's next cursor is sent back in the request body, at {}",
            code(pointer)
        ),
        PageStyle::Link => {
            "each page's `Link: <..>; rel=\"next\"` header is followed (only under the client's base URL)"
                .to_owned()
        }
        PageStyle::PageNumber { param, .. } => {
            format!("the {} query parameter counts the pages", code(param))
        }
        PageStyle::Offset { param, .. } => format!(
            "the {} query parameter advances by each page's item count",
            code(param)
        ),
    };
    let items_doc = match &pagination.items {
        Some(_) => "`.items()` streams the items of every page".to_owned(),
        None => "the page has no single list of items, so `.items()` yields none".to_owned(),
    };
    // Our own text, with links that must stay links; the only spec text in it, a parameter's
    // name, is quoted by `code`.
    let first = format!(
        " Every page of [`{op}`](Self::{op}), one call per page, as a stream of pages (`futures::Stream`, or `.next_page().await`); {items_doc}. Found by rule {rule}: {how}.",
        op = op.name,
        rule = code(&pagination.rule),
    );
    let doc = quote! {
        #[doc = #first]
        #[doc = ""]
        #[doc = " The client's retries apply to every page. The stream ends at an empty page, a page without a next cursor, or a cursor it has already used, never looping forever; `.next_cursor()` says where to resume and `.resume_from(cursor)` starts there. See [`runtime::Pages`]."]
    };
    // A group is a copy of the client's reference: the stream keeps its own copy, so it
    // borrows the client, not the group (`client.contacts().list_pages(..)` outlives it).
    let (this, lifetime) = if in_group {
        (quote!(let this = *self;), quote!('a))
    } else {
        (quote!(let this = self;), quote!('_))
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> ::runtime::Pages<#lifetime, #page, #item, #error> {
            #(#owned_args)*
            #this
            ::runtime::Pages::new(
                move || this.#operation(#(#pass),*),
                #rule,
                #items,
                #count,
            )
        }
    })
}
