//! The constraint keywords of a schema -> IR constraints the generated validators check.

use super::context::Ctx;
use crate::ir::{Constraint, StringFormat};
use crate::load::{Node, Value};

/// The rules a list item or map value follows: its constraints, and its `const` if any.
pub(super) fn value_rules(
    mut constraints: Vec<Constraint>,
    constant: Option<String>,
) -> Vec<Constraint> {
    if let Some(value) = constant {
        constraints.push(Constraint::Const(value));
    }
    constraints
}

/// `minLength`, `maxLength`, `pattern` and checked `format`s of a string schema.
pub(super) fn string_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    let mut out = Vec::new();
    if let Some(min) = cx.opt_u64(node, "minLength") {
        out.push(Constraint::MinLength(min));
    }
    if let Some(max) = cx.opt_u64(node, "maxLength") {
        out.push(Constraint::MaxLength(max));
    }
    if let Some(at) = node.get("pattern") {
        match at.as_str() {
            Some(pattern) => match regress::Regex::new(pattern) {
                Ok(_) => out.push(Constraint::Pattern(pattern.to_owned())),
                Err(err) => cx.error(
                    at,
                    format!("`pattern` is not a valid ECMAScript regular expression: {err}"),
                    "fix the expression; JSON Schema patterns use ECMAScript (JavaScript) syntax",
                ),
            },
            None => cx.error(
                at,
                format!("`pattern` must be a string, found {}", at.kind()),
                "quote the regular expression",
            ),
        }
    }
    let format = match cx.opt_str(node, "format") {
        Some("email") => Some(StringFormat::Email),
        Some("uuid") => Some(StringFormat::Uuid),
        Some("date-time") => Some(StringFormat::DateTime),
        Some("uri") => Some(StringFormat::Uri),
        // Every other format is an annotation, as JSON Schema 2020-12 defines by default.
        _ => None,
    };
    out.extend(format.map(Constraint::Format));
    out
}

/// `minimum`, `maximum`, both forms of `exclusiveMinimum`/`exclusiveMaximum` and `multipleOf`.
pub(super) fn number_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    let mut out = Vec::new();
    for (bound, exclusive, inclusive_rule, exclusive_rule) in [
        (
            "minimum",
            "exclusiveMinimum",
            Constraint::Minimum as fn(f64) -> Constraint,
            Constraint::ExclusiveMinimum as fn(f64) -> Constraint,
        ),
        (
            "maximum",
            "exclusiveMaximum",
            Constraint::Maximum,
            Constraint::ExclusiveMaximum,
        ),
    ] {
        let value = cx.opt_f64(node, bound);
        match node.get(exclusive).map(|n| &n.value) {
            // OpenAPI 3.0: a boolean that makes `minimum`/`maximum` exclusive.
            Some(Value::Bool(true)) => match value {
                Some(v) => out.push(exclusive_rule(v)),
                None => cx.error(
                    node.get(exclusive).unwrap_or(node),
                    format!("`{exclusive}: true` needs a `{bound}`"),
                    format!("add `{bound}:` or remove `{exclusive}`"),
                ),
            },
            Some(Value::Bool(false)) | None => out.extend(value.map(inclusive_rule)),
            // OpenAPI 3.1 / JSON Schema 2020-12: the exclusive bound itself.
            Some(_) => {
                out.extend(value.map(inclusive_rule));
                out.extend(cx.opt_f64(node, exclusive).map(exclusive_rule));
            }
        }
    }
    if let Some(factor) = cx.opt_f64(node, "multipleOf") {
        if factor > 0.0 {
            out.push(Constraint::MultipleOf(factor));
        } else {
            cx.error(
                node.get("multipleOf").unwrap_or(node),
                "`multipleOf` must be greater than 0",
                "use a positive number such as `5` or `0.01`",
            );
        }
    }
    out
}
