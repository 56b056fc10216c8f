//! Readable paths: emit writes every outside name in full (`::std::option::Option`), which
//! is always correct, and this pass shortens each one to what a person would write (`Option`)
//! wherever the generated crate's own names cannot shadow the short form.
//!
//! - A prelude name (`Option`, `String`, `Vec`, `Some`, `Ok`...) is written bare unless the
//!   spec gives a generated item that name (a schema called `Option` becomes a type `Option`,
//!   which the modules that use `crate::types::*` see instead of the prelude's).
//! - Every other path keeps its crate but loses the leading `::` (`std::fmt::Display`,
//!   `serde::Serialize`, `runtime::Path`): generated items are named in `CamelCase` and the
//!   crate's modules are fixed (`client`, `types`, ...), so no generated name can be a
//!   crate's name.
//! - Macros from the standard library are written bare (`vec!`, `matches!`): a generated crate
//!   defines no macros.
//!
//! Paths inside string literals that name a function (serde's `skip_serializing_if =
//! "::std::option::Option::is_none"`) are shortened the same way.

use proc_macro2::{Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::collections::BTreeSet;

/// Full paths (without the leading `::`) whose last segment is in the prelude, with the name
/// that stands for them when nothing shadows it.
const PRELUDE: &[(&str, &str)] = &[
    ("std::option::Option::Some", "Some"),
    ("std::option::Option::None", "None"),
    ("std::option::Option", "Option"),
    ("std::result::Result::Ok", "Ok"),
    ("std::result::Result::Err", "Err"),
    ("std::result::Result", "Result"),
    ("std::string::String", "String"),
    ("std::string::ToString", "ToString"),
    ("std::vec::Vec", "Vec"),
    ("std::boxed::Box", "Box"),
    ("std::default::Default", "Default"),
    ("std::convert::From", "From"),
    ("std::convert::Into", "Into"),
    ("std::convert::TryFrom", "TryFrom"),
    ("std::clone::Clone", "Clone"),
    ("std::iter::Iterator", "Iterator"),
    ("std::iter::IntoIterator", "IntoIterator"),
];

/// Keywords a path may follow.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "dyn", "else", "for", "if", "impl", "in", "let", "match", "move",
    "mut", "pub", "ref", "return", "static", "type", "where", "while",
];

/// The crates whose paths lose their leading `::`.
const CRATES: &[&str] = &["std", "serde", "serde_json", "runtime", "schemars"];

/// Shortens the paths in `tokens`. `names` holds every name the generated crate defines (its
/// types, groups and fixed items): a prelude path whose short form is among them stays in full.
///
/// `imports` are full paths (without the leading `::`) the file imports with `use`: each is
/// written as its last segment. The caller imports only paths whose last segment is not in
/// `names` ([`importable`]).
pub(crate) fn shorten(
    tokens: TokenStream,
    names: &BTreeSet<String>,
    imports: &[&str],
) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((segments, end)) = full_path(&tokens, i) {
            let bang = matches!(tokens.get(end), Some(TokenTree::Punct(p)) if p.as_char() == '!');
            out.extend(short_form(&segments, bang, names, imports));
            i = end;
            continue;
        }
        match &tokens[i] {
            TokenTree::Group(group) => {
                let mut new =
                    Group::new(group.delimiter(), shorten(group.stream(), names, imports));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            TokenTree::Literal(literal) => out.extend([TokenTree::Literal(
                shorten_literal(literal, names, imports).unwrap_or_else(|| literal.clone()),
            )]),
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}

/// The segments of a path starting with `::` at `tokens[start]` and the index after it, when
/// the path names one of [`CRATES`].
fn full_path(tokens: &[TokenTree], start: usize) -> Option<(Vec<String>, usize)> {
    // A `::` right after a name continues a path (`Option::Some`, `a::std`), unless the name is
    // a keyword (`impl ::serde::Serialize`). After punctuation it starts one: generated code
    // never continues a path after a `>` with a crate's name (`Vec<T>::new` goes on with a
    // method).
    if let Some(TokenTree::Ident(ident)) = start.checked_sub(1).map(|i| &tokens[i]) {
        // A lifetime (`&'a ::runtime::HttpClient`) is a name too, but ends a reference's prefix.
        let lifetime =
            start >= 2 && matches!(&tokens[start - 2], TokenTree::Punct(p) if p.as_char() == '\'');
        if !lifetime && !KEYWORDS.contains(&ident.to_string().as_str()) {
            return None;
        }
    }
    let mut segments = Vec::new();
    let mut i = start;
    while is_colons(tokens, i) {
        let Some(TokenTree::Ident(ident)) = tokens.get(i + 2) else {
            break;
        };
        segments.push(ident.to_string());
        i += 3;
    }
    let first = segments.first()?;
    CRATES.contains(&first.as_str()).then_some((segments, i))
}

/// Whether `tokens[i..i + 2]` is `::`.
fn is_colons(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// The tokens standing for the path `segments` (`bang`: it names a macro).
fn short_form(
    segments: &[String],
    bang: bool,
    names: &BTreeSet<String>,
    imports: &[&str],
) -> TokenStream {
    let text = shorten_text(&segments.join("::"), bang, names, imports);
    let mut out = TokenStream::new();
    for (n, segment) in text.split("::").enumerate() {
        if n > 0 {
            out.extend([
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            ]);
        }
        out.extend([TokenTree::Ident(Ident::new(segment, Span::call_site()))]);
    }
    out
}

/// The paths of `candidates` a file may import: those whose last segment no generated name
/// shadows.
pub(crate) fn importable<'a>(candidates: &[&'a str], names: &BTreeSet<String>) -> Vec<&'a str> {
    candidates
        .iter()
        .copied()
        .filter(|path| !names.contains(path.rsplit("::").next().unwrap_or(path)))
        .collect()
}

/// The short form of `path` (written without its leading `::`): the prelude name for the
/// longest [`PRELUDE`] prefix nothing shadows, the bare macro name, or the path itself.
fn shorten_text(path: &str, bang: bool, names: &BTreeSet<String>, imports: &[&str]) -> String {
    for import in imports {
        let Some(rest) = path.strip_prefix(import) else {
            continue;
        };
        if rest.is_empty() || rest.starts_with("::") {
            let last = import.rsplit("::").next().unwrap_or(import);
            return format!("{last}{rest}");
        }
    }
    if bang {
        if let Some(name) = path
            .strip_prefix("std::")
            .filter(|rest| !rest.contains("::"))
        {
            return name.to_owned();
        }
    }
    for (full, short) in PRELUDE {
        let Some(rest) = path.strip_prefix(full) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with("::")) {
            continue;
        }
        // `Some` stands for `Option::Some`: neither may be shadowed.
        let shadowed = full
            .split("::")
            .filter(|segment| segment.starts_with(char::is_uppercase))
            .any(|segment| names.contains(segment));
        if !shadowed {
            return format!("{short}{rest}");
        }
    }
    path.to_owned()
}

/// A string literal holding a full path (`"::std::option::Option::is_none"`), shortened.
fn shorten_literal(
    literal: &Literal,
    names: &BTreeSet<String>,
    imports: &[&str],
) -> Option<Literal> {
    let text = literal.to_string();
    let path = text.strip_prefix("\"::")?.strip_suffix('"')?;
    let first = path.split("::").next()?;
    if !CRATES.contains(&first)
        || !path
            .chars()
            .all(|c| c == ':' || c == '_' || c.is_alphanumeric())
    {
        return None;
    }
    let mut new = Literal::string(&shorten_text(path, false, names, imports));
    new.set_span(literal.span());
    Some(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn prelude_paths_become_bare_names() {
        let tokens = quote! {
            fn f(x: ::std::option::Option<::std::vec::Vec<::std::string::String>>) -> ::std::result::Result<(), ::std::boxed::Box<i32>> {
                let y = ::std::option::Option::Some(::std::vec![1]);
                ::std::matches!(y, ::std::option::Option::None);
                ::std::result::Result::Ok(())
            }
        };
        let out = shorten(tokens, &names(&[]), &[]).to_string();
        let expected = quote! {
            fn f(x: Option<Vec<String>>) -> Result<(), Box<i32>> {
                let y = Some(vec![1]);
                matches!(y, None);
                Ok(())
            }
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn a_generated_name_keeps_the_full_path() {
        let tokens = quote! {
            fn f(x: ::std::option::Option<Option>, s: ::std::string::String) -> ::std::option::Option::Some {}
        };
        let out = shorten(tokens, &names(&["Option"]), &[]).to_string();
        let expected = quote! {
            fn f(x: std::option::Option<Option>, s: String) -> std::option::Option::Some {}
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn other_paths_lose_the_leading_colons_only() {
        let tokens = quote! {
            impl ::serde::Serialize for X {}
            fn g() -> ::std::string::String { <T as ::std::default::Default>::default() }
            impl<'de> ::serde::Deserialize<'de> for X {}
            struct S<'a> { r: &'a ::runtime::HttpClient }
            fn f(m: ::std::collections::BTreeMap<K, V>) -> ::runtime::Path<'_> { a::b::c; T::<U>::new() }
        };
        let out = shorten(tokens, &names(&[]), &[]).to_string();
        let expected = quote! {
            impl serde::Serialize for X {}
            fn g() -> String { <T as Default>::default() }
            impl<'de> serde::Deserialize<'de> for X {}
            struct S<'a> { r: &'a runtime::HttpClient }
            fn f(m: std::collections::BTreeMap<K, V>) -> runtime::Path<'_> { a::b::c; T::<U>::new() }
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn imported_paths_are_written_by_their_last_segment() {
        let candidates = ["runtime::Path", "runtime::Validate"];
        let imports = importable(&candidates, &names(&["Validate"]));
        assert_eq!(imports, ["runtime::Path"]);
        let tokens = quote! {
            impl ::runtime::Validate for X { fn f(p: &::runtime::Path<'_>) { ::runtime::Path::ROOT; } }
        };
        let out = shorten(tokens, &names(&["Validate"]), &imports).to_string();
        let expected = quote! {
            impl runtime::Validate for X { fn f(p: &Path<'_>) { Path::ROOT; } }
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn paths_in_attribute_strings_are_shortened() {
        let tokens = quote! {
            #[serde(skip_serializing_if = "::std::option::Option::is_none", with = "::runtime::x")]
            #[doc = "::std::option::Option is a type"]
            struct S;
        };
        let out = shorten(tokens, &names(&[]), &[]).to_string();
        let expected = quote! {
            #[serde(skip_serializing_if = "Option::is_none", with = "runtime::x")]
            #[doc = "::std::option::Option is a type"]
            struct S;
        };
        assert_eq!(out, expected.to_string());
    }
}
