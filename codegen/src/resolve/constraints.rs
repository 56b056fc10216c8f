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
        Some("byte") => Some(StringFormat::Byte),
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

/// `minItems`, `maxItems` and `uniqueItems` of an array schema.
pub(super) fn array_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    let mut out = Vec::new();
    if let Some(min) = cx.opt_u64(node, "minItems") {
        out.push(Constraint::MinItems(min));
    }
    if let Some(max) = cx.opt_u64(node, "maxItems") {
        out.push(Constraint::MaxItems(max));
    }
    if cx.flag(node, "uniqueItems") {
        out.push(Constraint::UniqueItems);
    }
    out
}

/// `minProperties` and `maxProperties` of an object schema: a map's constraints, or (as
/// [`ObjectRule`](crate::ir::ObjectRule)s) a struct's.
pub(super) fn object_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    let mut out = Vec::new();
    if let Some(min) = cx.opt_u64(node, "minProperties") {
        out.push(Constraint::MinProperties(min));
    }
    if let Some(max) = cx.opt_u64(node, "maxProperties") {
        out.push(Constraint::MaxProperties(max));
    }
    out
}

/// The first rule of its own schema `node` that its `default` breaks, in words; `None` when the
/// default fits (or uses keywords this check does not read). Checks the type, `enum`, `const`,
/// string length and `pattern`, numeric bounds and item counts.
pub(super) fn default_problem(node: &Node, default: &Node) -> Option<String> {
    let number = |key: &str| match node.get(key).map(|n| &n.value) {
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::Float(f)) => Some(*f),
        _ => None,
    };
    let count = |key: &str| match node.get(key).map(|n| &n.value) {
        Some(Value::Int(i)) => usize::try_from(*i).ok(),
        _ => None,
    };
    let shown = default.to_json().to_string();
    let types: Vec<&str> = match node.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => vec![t.as_str()],
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    let nullable = matches!(
        node.get("nullable").map(|n| &n.value),
        Some(Value::Bool(true))
    );
    let fits = |ty: &str| match (ty, &default.value) {
        ("string", Value::Str(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Seq(_))
        | ("object", Value::Map(_))
        | ("null", Value::Null)
        | ("number", Value::Int(_) | Value::Float(_))
        | ("integer", Value::Int(_)) => true,
        ("integer", Value::Float(f)) => f.fract() == 0.0,
        _ => false,
    };
    // `null` is always allowed for a 3.0 `nullable` schema.
    let null_allowed = nullable && matches!(default.value, Value::Null);
    let type_fits = types.is_empty() || types.iter().any(|t| fits(t));
    if !(type_fits || null_allowed) {
        return Some(format!(
            "`{shown}` is {}, not {}",
            default.kind(),
            types.join(" or ")
        ));
    }
    if let Some(values) = node.get("enum").and_then(Node::as_seq) {
        let value = default.to_json();
        if !(values.iter().any(|v| v.to_json() == value) || null_allowed) {
            return Some(format!("`{shown}` is not one of the `enum` values"));
        }
    }
    if let Some(constant) = node.get("const") {
        if constant.to_json() != default.to_json() {
            return Some(format!("`{shown}` is not the `const` value"));
        }
    }
    match &default.value {
        Value::Str(s) => {
            let length = s.chars().count();
            if count("minLength").is_some_and(|min| length < min) {
                return Some(format!("`{shown}` is shorter than `minLength`"));
            }
            if count("maxLength").is_some_and(|max| length > max) {
                return Some(format!("`{shown}` is longer than `maxLength`"));
            }
            let pattern = node.get("pattern").and_then(Node::as_str);
            if let Some(regex) = pattern.and_then(|p| regress::Regex::new(p).ok()) {
                if regex.find(s).is_none() {
                    return Some(format!("`{shown}` does not match `pattern`"));
                }
            }
        }
        Value::Int(_) | Value::Float(_) => {
            let value = match default.value {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => return None,
            };
            let exclusive = |key: &str, bound: &str| match node.get(key).map(|n| &n.value) {
                Some(Value::Bool(true)) => number(bound),
                _ => number(key),
            };
            let inclusive =
                |key: &str, exclusive_key: &str| match node.get(exclusive_key).map(|n| &n.value) {
                    Some(Value::Bool(true)) => None,
                    _ => number(key),
                };
            if inclusive("minimum", "exclusiveMinimum").is_some_and(|min| value < min)
                || exclusive("exclusiveMinimum", "minimum").is_some_and(|min| value <= min)
            {
                return Some(format!("`{shown}` is below the minimum"));
            }
            if inclusive("maximum", "exclusiveMaximum").is_some_and(|max| value > max)
                || exclusive("exclusiveMaximum", "maximum").is_some_and(|max| value >= max)
            {
                return Some(format!("`{shown}` is above the maximum"));
            }
        }
        Value::Seq(items) => {
            if count("minItems").is_some_and(|min| items.len() < min) {
                return Some(format!("`{shown}` has fewer items than `minItems`"));
            }
            if count("maxItems").is_some_and(|max| items.len() > max) {
                return Some(format!("`{shown}` has more items than `maxItems`"));
            }
        }
        _ => {}
    }
    None
}
