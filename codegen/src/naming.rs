//! Every identifier the generator writes is decided here: case, keywords, digits, collisions.
//!
//! Names are data (plain strings) so the IR stays free of Rust syntax; they are valid Rust
//! identifiers by construction, so `emit` can turn them into tokens without checks.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words Rust reserves in any edition (strict and reserved keywords), which cannot be plain
/// identifiers. `self`, `Self`, `super` and `crate` cannot even be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A snake_case identifier for a field, method or module: `created_at`, `type_`.
pub fn snake(raw: &str) -> String {
    safe(ascii_words(raw).to_snake_case(), "value")
}

/// An UpperCamelCase identifier for a type or variant: `CreateMessageRequest`.
pub fn camel(raw: &str) -> String {
    safe(ascii_words(raw).to_upper_camel_case(), "Value")
}

/// Makes `name` unique within `taken` by appending a number (`Name2`, `Name3`, ...), and
/// records it. Stable: the same inputs in the same order give the same names.
pub fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    // `Self_` (an escaped keyword) -> `Self2`: `Self_2` is not UpperCamelCase.
    let name = match name.strip_suffix('_') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('_') => stem.to_owned(),
        _ => name,
    };
    let separator = if name.ends_with(|c: char| c.is_ascii_digit()) {
        "_"
    } else {
        ""
    };
    (2..)
        .map(|n| format!("{name}{separator}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("an unbounded range always yields a free name")
}

/// Replaces everything that is not an ASCII letter or digit with a word break, so `heck` sees
/// the words; non-ASCII letters are dropped (identifiers must stay ASCII to be typeable).
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn safe(mut name: String, fallback: &str) -> String {
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        let prefix = if fallback.starts_with(char::is_uppercase) {
            "V"
        } else {
            "n"
        };
        name.insert_str(0, prefix);
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_keywords() {
        assert_eq!(snake("createdAt"), "created_at");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Intercom-Version"), "intercom_version");
        assert_eq!(camel("message_type"), "MessageType");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("inapp"), "Inapp");
        assert_eq!(camel("2xx"), "V2xx");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(camel("émoji"), "Moji");
        assert_eq!(camel("€"), "Value");
    }

    #[test]
    fn collisions_get_numbers() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("Name".into(), &mut taken), "Name");
        assert_eq!(unique("Name".into(), &mut taken), "Name2");
        assert_eq!(unique("V1".into(), &mut taken), "V1");
        assert_eq!(unique("V1".into(), &mut taken), "V1_2");
        assert_eq!(unique("Self_".into(), &mut taken), "Self_");
        assert_eq!(unique("Self_".into(), &mut taken), "Self2");
        assert_eq!(unique("type_".into(), &mut taken), "type_");
        assert_eq!(unique("type_".into(), &mut taken), "type2");
    }
}
