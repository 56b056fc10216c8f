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

/// The spec's text, or `fallback` when it has none: every public item gets some rustdoc, so
/// the generated crate can `#![warn(missing_docs)]`.
pub(crate) fn or_else(docs: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match docs.map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => docs.to_owned(),
        None => fallback(),
    }
}

/// Appends a paragraph to optional docs.
pub(crate) fn join(docs: Option<&str>, extra: &str) -> String {
    match docs.map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => format!("{docs}\n\n{extra}"),
        None => extra.to_owned(),
    }
}

/// Spec text to embed in a line of generated Markdown: on one line, escaped like
/// [`doc_attrs`] escapes it.
pub(crate) fn inline(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_inline(&visible(&one_line))
}

/// An inline code span showing `text` exactly: fenced by more backticks than it holds, its
/// control characters written as escapes. The empty string shows as `""`.
pub(crate) fn code(text: &str) -> String {
    if text.trim().is_empty() {
        return format!("`\"{}\"`", visible(text).replace('\n', "\\n"));
    }
    let text = visible(text).replace('\n', "\\n");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    // A space on both sides keeps a backtick at either end from joining the fence; Markdown
    // strips it again.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Writes the characters a doc comment cannot hold, or a reader cannot see, as Rust escapes
/// (`\0`, `\r`, `\u{202e}`): controls other than tab and newline, bidirectional overrides
/// (which rustc rejects in comments) and Unicode line separators.
fn visible(text: &str) -> String {
    if !text.chars().any(hidden) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            match c {
                '\0' => out.push_str("\\0"),
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                _ => out.extend(c.escape_unicode()),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}' | '\u{feff}'
        )
}

/// A fence line: its character, how many, and the rest of the line.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let count = line.len() - line.trim_start_matches(c).len();
    let info = line[count..].trim();
    // A backtick fence's info string cannot hold a backtick: ```` ```a` ```` is inline code.
    (count >= 3 && !(c == '`' && info.contains('`'))).then_some((c, count, info))
}

/// Info strings rustdoc reads as Rust (and would compile as a doctest).
fn is_rust(info: &str) -> bool {
    let words: Vec<&str> = info
        .split([',', ' ', '\t', '{', '}', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let rustdoc_words = [
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
    ];
    words.is_empty()
        || words.iter().any(|w| {
            rustdoc_words.contains(w) || w.starts_with("ignore-") || w.starts_with("edition")
        })
        || !words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        })
}

fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    // The open fence: its character and length.
    let mut open: Option<(char, usize)> = None;
    for raw in text.split('\n') {
        let line = visible(raw.trim_end());
        let trimmed = line.trim_start();
        match (open, fence(trimmed)) {
            (Some((c, n)), Some((d, m, ""))) if c == d && m >= n => {
                open = None;
                out.push(c.to_string().repeat(n));
                continue;
            }
            (Some(_), _) => {
                out.push(line);
                continue;
            }
            (None, Some((c, n, info))) => {
                open = Some((c, n));
                let info = if is_rust(info) { "text" } else { info };
                out.push(format!("{}{info}", c.to_string().repeat(n)));
                continue;
            }
            (None, None) => {}
        }
        // Four spaces of indentation start an indented code block, i.e. a doctest, and so do
        // five after a list marker; a tab counts as four.
        let indent = (line.len() - trimmed.len()).min(3);
        let trimmed = collapse_markers(&trimmed.replace('\t', " "));
        out.push(format!("{}{}", " ".repeat(indent), escape_inline(&trimmed)));
    }
    if let Some((c, n)) = open {
        out.push(c.to_string().repeat(n));
    }
    out
}

/// `-     code` -> `- code`: list markers (`-`, `*`, `+`, `1.`, `1)`, nested too) followed by
/// one space, so no list item starts with an indented code block.
fn collapse_markers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = match rest.as_bytes().get(digits) {
            Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
            Some(b'-' | b'*' | b'+') if digits == 0 => 1,
            _ => break,
        };
        let after = &rest[marker..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if spaces == 0 || spaces == after.len() {
            break;
        }
        out.push_str(&rest[..marker]);
        out.push(' ');
        rest = &after[spaces..];
    }
    out.push_str(rest);
    out
}

/// Escapes Markdown outside inline code spans. A backtick run without a closing run of the
/// same length is not a code span, so it is escaped.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        escape_text(&rest[..start], &mut out);
        let after = &rest[start..];
        let run = after.len() - after.trim_start_matches('`').len();
        let body = &after[run..];
        match closing_run(body, run) {
            Some(end) => {
                out.push_str(&after[..run + end + run]);
                rest = &after[run + end + run..];
            }
            None => {
                out.push_str(&"\\`".repeat(run));
                rest = body;
            }
        }
    }
    escape_text(rest, &mut out);
    out
}

/// Where a run of exactly `run` backticks starts in `s`.
fn closing_run(s: &str, run: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = s[i..].find('`') {
        let start = i + found;
        let len = s[start..].len() - s[start..].trim_start_matches('`').len();
        if len == run {
            return Some(start);
        }
        i = start + len;
    }
    None
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
            // `&lt;` in the spec is shown as written, not as `<`.
            '&' if is_entity(&rest[1..]) => out.push_str("&amp;"),
            // `\[` in the spec is shown as written, not as `[`.
            // A backslash at the end would escape the backtick of a code span that follows,
            // or break the line.
            '\\' if rest.len() == 1
                || rest[1..].starts_with(|c: char| c.is_ascii_punctuation()) =>
            {
                out.push_str("\\\\")
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// `name;` or `#123;` (the rest of an HTML entity after its `&`).
fn is_entity(s: &str) -> bool {
    let name = s.split(';').next().unwrap_or_default();
    s.len() > name.len()
        && !name.is_empty()
        && name
            .strip_prefix('#')
            .unwrap_or(name)
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
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

/// `#[doc]` attributes for the spec's examples of an item, each a doctest that decodes the
/// example (and, for a request type, validates it): `cargo test --doc` proves the docs true.
/// Nothing without the crate's name (a module a build script includes has none to `use`).
/// `taken` tells whether the crate defines a type of this name (which would shadow std's in
/// the example's `use krate::*`).
pub(crate) fn examples(
    examples: &[crate::ir::Example],
    krate: Option<&str>,
    taken: &dyn Fn(&str) -> bool,
) -> TokenStream {
    let Some(krate) = krate.filter(|_| !examples.is_empty()) else {
        return TokenStream::new();
    };
    let krate = krate.replace('-', "_");
    let mut lines = vec![String::new(), " # Examples".to_owned()];
    for example in examples {
        let hashes = raw_hashes(&example.json);
        let literal = format!("r{hashes}\"{}\"{hashes}", example.json);
        let decode = match (&example.ty, example.validate) {
            (crate::ir::TypeRef::Named(name), true) => {
                format!(
                    "let value = {name}::from_json({literal}).expect(\"decodes and validates\");"
                )
            }
            (ty, _) => format!(
                "let value: {} = serde_json::from_str({literal}).expect(\"decodes\");",
                type_text(ty, taken)
            ),
        };
        let mut title = format!(" An example of {}", example.what);
        if let Some(name) = &example.name {
            title.push_str(&format!(", {}", code(name)));
        }
        if let Some(summary) = example.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            title.push_str(&format!(" ({})", inline(summary)));
        }
        lines.push(String::new());
        lines.push(format!("{title}:"));
        lines.push(String::new());
        lines.push(" ```".to_owned());
        lines.push(format!(" use {krate}::*;"));
        lines.push(format!(" {decode}"));
        lines.push(" # let _ = value;".to_owned());
        lines.push(" ```".to_owned());
    }
    quote! { #(#[doc = #lines])* }
}

/// Enough `#`s that a raw string holding `text` cannot end early.
fn raw_hashes(text: &str) -> String {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    hashes
}

/// How a type reads in an example's `let`.
fn type_text(ty: &crate::ir::TypeRef, taken: &dyn Fn(&str) -> bool) -> String {
    use crate::ir::TypeRef;
    let std = |short: &str, long: &str| {
        if taken(short) {
            long.to_owned()
        } else {
            short.to_owned()
        }
    };
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => std("String", "std::string::String"),
        TypeRef::Integer(32) => "i32".to_owned(),
        TypeRef::Integer(_) => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::List(inner) => format!(
            "{}<{}>",
            std("Vec", "std::vec::Vec"),
            type_text(inner, taken)
        ),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<{}, {}>",
            std("String", "std::string::String"),
            type_text(inner, taken)
        ),
        TypeRef::Nullable(inner) => {
            format!(
                "{}<{}>",
                std("Option", "std::option::Option"),
                type_text(inner, taken)
            )
        }
        TypeRef::Any => "serde_json::Value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{code, sanitize};

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
    fn fences_keep_their_length_and_never_run_as_rust() {
        let text = "````\nfn a( {\n```\n````\n```no_run\nb\n```\n```json\n{}\n```\n``` `x` ```";
        assert_eq!(
            sanitize(text),
            [
                "````text",
                "fn a( {",
                "```",
                "````",
                "```text",
                "b",
                "```",
                "```json",
                "{}",
                "```",
                "``` `x` ```",
            ]
        );
    }

    #[test]
    fn unmatched_backticks_and_hidden_characters_are_escaped() {
        assert_eq!(sanitize("a `b <i>"), ["a \\`b &lt;i&gt;"]);
        assert_eq!(sanitize("`` a`b `` <i>"), ["`` a`b `` &lt;i&gt;"]);
        assert_eq!(
            sanitize("NUL\0 CR\r RLO\u{202e} ESC\u{1b}\r\nnext"),
            ["NUL\\0 CR\\r RLO\\u{202e} ESC\\u{1b}", "next"]
        );
        assert_eq!(
            sanitize("&lt; &amp x \\[ end\\"),
            ["&amp;lt; &amp x \\\\\\[ end\\\\"]
        );
        assert_eq!(sanitize("-\t\tcode"), ["- code"]);
        assert_eq!(
            sanitize("-     a\n1.      b\n* +     c\n2)x\n3.5     d"),
            ["- a", "1. b", "* + c", "2)x", "3.5     d"]
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("type"), "`type`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code(" "), "`\" \"`");
        assert_eq!(code("`"), "`` ` ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("a\nb\u{202e}"), "`a\\nb\\u{202e}`");
    }

    #[test]
    fn closes_an_unclosed_fence() {
        assert_eq!(sanitize("```json\n{}"), ["```json", "{}", "```"]);
    }
}
