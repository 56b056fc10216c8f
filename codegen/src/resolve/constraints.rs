//! The constraint keywords of a schema -> IR constraints the generated validators check, each
//! keyword read by one function here; the keywords not checked yet; the type a schema without
//! `type` implies by its keywords; and the check of a `default` against its own schema.

use super::context::Ctx;
use crate::diagnostics::Diagnostics;
use crate::ir::{Constraint, StringFormat};
use crate::load::{Node, Value};

/// The rules a list item, map value or parameter follows: its constraints, and its `const` if
/// any.
pub(super) fn value_rules(
    mut constraints: Vec<Constraint>,
    constant: Option<String>,
) -> Vec<Constraint> {
    if let Some(value) = constant {
        constraints.push(Constraint::Const(value));
    }
    constraints
}

/// The rule a count keyword's value becomes (`Constraint::MinLength`, ...).
type CountRule = fn(u64) -> Constraint;

/// The count keywords (`minLength`, `maxItems`, ...) among `keywords` that `node` has, each as
/// its rule, in the order given.
fn counts(cx: &mut Ctx<'_>, node: &Node, keywords: [(&str, CountRule); 2]) -> Vec<Constraint> {
    keywords
        .into_iter()
        .filter_map(|(keyword, rule)| cx.opt_u64(node, keyword).map(rule))
        .collect()
}

/// `minLength`, `maxLength`, `pattern` and checked `format`s of a string schema.
pub(super) fn string_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    let mut out = counts(
        cx,
        node,
        [
            ("minLength", Constraint::MinLength),
            ("maxLength", Constraint::MaxLength),
        ],
    );
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
    let mut out = counts(
        cx,
        node,
        [
            ("minItems", Constraint::MinItems),
            ("maxItems", Constraint::MaxItems),
        ],
    );
    if cx.flag(node, "uniqueItems") {
        out.push(Constraint::UniqueItems);
    }
    out
}

/// `minProperties` and `maxProperties` of an object schema: a map's constraints, or (as
/// [`ObjectRule`](crate::ir::ObjectRule)s) a struct's.
pub(super) fn object_constraints(cx: &mut Ctx<'_>, node: &Node) -> Vec<Constraint> {
    counts(
        cx,
        node,
        [
            ("minProperties", Constraint::MinProperties),
            ("maxProperties", Constraint::MaxProperties),
        ],
    )
}

/// Keywords that constrain values but that the generated validators do not check yet.
const UNCHECKED: &[&str] = &[
    "not",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Warns about each [`UNCHECKED`] keyword of `node`, so nobody believes it is enforced.
pub(super) fn warn_unchecked(cx: &mut Ctx<'_>, node: &Node) {
    for keyword in UNCHECKED {
        if let Some(at) = node.get(keyword) {
            cx.warning(at, format!("`{keyword}` is not checked by the generated validator yet"), "the API will still enforce it; requests breaking it fail there, not before sending");
        }
    }
}

/// The type a schema without `type` implies by keywords that only one type has (`items`: an
/// array, `minLength`: a string, ...), with a warning saying what was assumed; `None` when the
/// schema names none (it accepts any JSON value, which is what `serde_json::Value` holds).
pub(super) fn implied_type(cx: &mut Ctx<'_>, node: &Node) -> Option<&'static str> {
    const IMPLIED: &[(&str, &str)] = &[
        ("items", "array"),
        ("minItems", "array"),
        ("maxItems", "array"),
        ("uniqueItems", "array"),
        ("additionalProperties", "object"),
        ("minProperties", "object"),
        ("maxProperties", "object"),
        ("minLength", "string"),
        ("maxLength", "string"),
        ("pattern", "string"),
        ("minimum", "number"),
        ("maximum", "number"),
        ("exclusiveMinimum", "number"),
        ("exclusiveMaximum", "number"),
        ("multipleOf", "number"),
    ];
    if node.get("properties").is_some() {
        // An object with properties already; that needs no warning.
        return None;
    }
    let found: Vec<(&str, &str)> = IMPLIED
        .iter()
        .filter(|(keyword, _)| node.get(keyword).is_some())
        .copied()
        .collect();
    let (keyword, ty) = *found.first()?;
    if found.iter().any(|(_, other)| *other != ty) {
        // Keywords of different types: JSON Schema applies each to its own type only, so the
        // schema really accepts several types.
        return None;
    }
    cx.warning(
        node.get(keyword).unwrap_or(node),
        format!(
            "this schema has no `type`, but `{keyword}` implies {} {ty}; it is typed as one",
            if ty == "array" || ty == "object" {
                "an"
            } else {
                "a"
            }
        ),
        format!("add `type: {ty}`"),
    );
    Some(ty)
}

/// The first rule of its own schema `node` that its `default` breaks, in words; `None` when the
/// default fits (or uses keywords this check does not read).
///
/// `type`, `nullable`, `enum` and `const` are compared as JSON, since the IR only holds string
/// enums and constants. The constraint keywords go through the readers above, the validators'
/// own reading, for the kind of value the default is (whatever the schema's `type`, as JSON
/// Schema applies them); what those readers report about the keywords is reported where the
/// schema is resolved, so here it is dropped. Of their rules, string length and `pattern`,
/// numeric bounds and item counts are checked.
pub(super) fn default_problem(cx: &Ctx<'_>, node: &Node, default: &Node) -> Option<String> {
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
    let mut dropped = Diagnostics::default();
    let mut quiet = Ctx {
        doc: cx.doc,
        diags: &mut dropped,
        config: cx.config,
    };
    let rules = match default.value {
        Value::Str(_) => string_constraints(&mut quiet, node),
        Value::Int(_) | Value::Float(_) => number_constraints(&mut quiet, node),
        Value::Seq(_) => array_constraints(&mut quiet, node),
        _ => Vec::new(),
    };
    rules
        .iter()
        .find_map(|rule| breaks(rule, &default.value, &shown))
}

/// How the default `value` (written `shown`) breaks `rule`, in words; `None` when it keeps it,
/// and for the rules the `default` check leaves out (`format`, `multipleOf`, `uniqueItems`).
fn breaks(rule: &Constraint, value: &Value, shown: &str) -> Option<String> {
    let number = match *value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    };
    let broken = match (rule, value) {
        (Constraint::MinLength(min), Value::Str(s)) => (s.chars().count() as u64) < *min,
        (Constraint::MaxLength(max), Value::Str(s)) => (s.chars().count() as u64) > *max,
        (Constraint::Pattern(pattern), Value::Str(s)) => regress::Regex::new(pattern)
            .ok()
            .is_some_and(|regex| regex.find(s).is_none()),
        (Constraint::Minimum(min), _) => number.is_some_and(|n| n < *min),
        (Constraint::ExclusiveMinimum(min), _) => number.is_some_and(|n| n <= *min),
        (Constraint::Maximum(max), _) => number.is_some_and(|n| n > *max),
        (Constraint::ExclusiveMaximum(max), _) => number.is_some_and(|n| n >= *max),
        (Constraint::MinItems(min), Value::Seq(items)) => (items.len() as u64) < *min,
        (Constraint::MaxItems(max), Value::Seq(items)) => (items.len() as u64) > *max,
        _ => false,
    };
    let what = match rule {
        Constraint::MinLength(_) => "is shorter than `minLength`",
        Constraint::MaxLength(_) => "is longer than `maxLength`",
        Constraint::Pattern(_) => "does not match `pattern`",
        Constraint::Minimum(_) | Constraint::ExclusiveMinimum(_) => "is below the minimum",
        Constraint::Maximum(_) | Constraint::ExclusiveMaximum(_) => "is above the maximum",
        Constraint::MinItems(_) => "has fewer items than `minItems`",
        Constraint::MaxItems(_) => "has more items than `maxItems`",
        _ => return None,
    };
    broken.then(|| format!("`{shown}` {what}"))
}

#[cfg(test)]
mod tests {
    use super::breaks;
    use crate::ir::{Constraint, StringFormat};
    use crate::load::{Node, Value};

    #[test]
    fn a_default_breaks_the_rules_it_is_checked_against() {
        let text = Value::Str("ab".to_owned());
        let shown = "\"ab\"";
        assert_eq!(
            breaks(&Constraint::MinLength(3), &text, shown).as_deref(),
            Some("`\"ab\"` is shorter than `minLength`")
        );
        assert_eq!(breaks(&Constraint::MaxLength(2), &text, shown), None);
        assert_eq!(
            breaks(&Constraint::Pattern("^a+$".to_owned()), &text, shown).as_deref(),
            Some("`\"ab\"` does not match `pattern`")
        );
        assert_eq!(
            breaks(&Constraint::ExclusiveMinimum(5.0), &Value::Int(5), "5").as_deref(),
            Some("`5` is below the minimum")
        );
        assert_eq!(
            breaks(&Constraint::Maximum(5.0), &Value::Float(5.0), "5.0"),
            None
        );
        let items = Value::Seq(vec![
            Node {
                loc: Default::default(),
                value: text.clone(),
            };
            2
        ]);
        assert_eq!(
            breaks(&Constraint::MaxItems(1), &items, "[..]").as_deref(),
            Some("`[..]` has more items than `maxItems`")
        );
        // Rules the `default` check leaves to the API.
        assert_eq!(breaks(&Constraint::UniqueItems, &items, "[..]"), None);
        assert_eq!(
            breaks(&Constraint::Format(StringFormat::Email), &text, shown),
            None
        );
        assert_eq!(
            breaks(&Constraint::MultipleOf(2.0), &Value::Int(3), "3"),
            None
        );
    }
}
