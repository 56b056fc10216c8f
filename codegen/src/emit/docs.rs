//! Spec text -> rustdoc attributes that cannot break the build.
//!
//! The text goes into `#[doc = "..."]` string literals, so it can never escape the comment. What
//! remains is rustdoc reading it as Markdown: an unmarked fenced or indented block would become
//! a doctest, `<Your token>` an unclosed HTML tag, `[x]` a broken intra-doc link and a bare
//! URL a lint. Those are neutralised here; everything else is kept as written.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, or nothing.
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize(text).into_iter().map(|line| {
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// Appends a paragraph to optional docs.
/// The spec's text, or `fallback` when it has none: every public item gets some rustdoc, so
/// the generated crate can `#![warn(missing_docs)]`.
pub(crate) fn or_else(docs: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match docs.map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => docs.to_owned(),
        None => fallback(),
    }
}

pub(crate) fn join(docs: Option<&str>, extra: &str) -> String {
    match docs.map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => format!("{docs}\n\n{extra}"),
        None => extra.to_owned(),
    }
}

fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        if let Some(marker) = marker {
            match fence {
                Some(open) if open == marker => {
                    fence = None;
                    out.push(marker.to_owned());
                }
                Some(_) => out.push(line.to_owned()),
                None => {
                    fence = Some(marker);
                    let info = trimmed[marker.len()..].trim();
                    // Unlabelled and Rust blocks would be compiled as doctests.
                    let info = if info.is_empty() || info.starts_with("rust") {
                        "text"
                    } else {
                        info
                    };
                    out.push(format!("{marker}{info}"));
                }
            }
            continue;
        }
        if fence.is_some() {
            out.push(line.to_owned());
            continue;
        }
        // Four spaces of indentation start an indented code block, i.e. a doctest.
        let indent = (line.len() - trimmed.len()).min(3);
        out.push(format!("{}{}", " ".repeat(indent), escape_inline(trimmed)));
    }
    if let Some(marker) = fence {
        out.push(marker.to_owned());
    }
    out
}

/// Escapes Markdown outside inline code spans.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            escape_text(part, &mut out);
        }
    }
    out
}

fn escape_text(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(link) = inline_link(rest) {
            out.push_str(link);
            rest = &rest[link.len()..];
            continue;
        }
        if let Some(url) = bare_url(rest) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// `[text](https://...)` at the start of `s`, kept as a link.
fn inline_link(s: &str) -> Option<&str> {
    let text_end = s.strip_prefix('[')?.find("](")? + 1;
    if s[1..text_end].contains(['[', '<']) {
        return None;
    }
    let target = &s[text_end + 2..];
    let url = &target[..target.find(')')?];
    let is_web = url.starts_with("http://") || url.starts_with("https://");
    if !is_web || url.contains([' ', '<', '>']) {
        return None;
    }
    Some(&s[..text_end + 2 + url.len() + 1])
}

fn bare_url(s: &str) -> Option<&str> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn neutralises_what_rustdoc_would_trip_on() {
        let text = "Send `Authorization: Bearer <Your access token>` or <token>.\n\
                    See [the docs](https://example.com/a) and [1] at https://example.com/x.\n\
                    ```\nlet x = 1;\n```\n      indented";
        assert_eq!(
            sanitize(text),
            [
                "Send `Authorization: Bearer <Your access token>` or &lt;token&gt;.",
                "See [the docs](https://example.com/a) and \\[1\\] at <https://example.com/x>.",
                "```text",
                "let x = 1;",
                "```",
                "   indented",
            ]
        );
    }

    #[test]
    fn closes_an_unclosed_fence() {
        assert_eq!(sanitize("```json\n{}"), ["```json", "{}", "```"]);
    }
}
