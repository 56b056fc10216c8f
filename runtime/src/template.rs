//! Path parameters in a path template: OpenAPI's `simple`, `label` and `matrix` styles, which
//! are RFC 6570's `{x}`, `{.x}` and `{;x}` expansions, with and without `explode`.

use crate::style::PathStyle;

/// Keeps the characters RFC 3986 leaves unreserved; percent-encodes every other byte.
pub(crate) fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A JSON scalar as text; `None` for `null`, arrays and objects.
fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null | serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            None
        }
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// What replaces `{name}` for `value` in `style`, every part percent-encoded; `None` when the
/// value is empty (`null`, `""`, `[]`, `{}`), which would address another resource.
pub(crate) fn expand(name: &str, value: &serde_json::Value, style: PathStyle) -> Option<String> {
    let (prefix, explode) = match style {
        PathStyle::Simple { explode } => ("", explode),
        PathStyle::Label { explode } => (".", explode),
        PathStyle::Matrix { explode } => (";", explode),
    };
    let matrix = matches!(style, PathStyle::Matrix { .. });
    let name = encode_segment(name);
    // (key, value) pairs of an object, or values alone.
    let pairs: Vec<(Option<String>, String)> = match value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(text)
            .map(|v| (None, encode_segment(&v)))
            .collect(),
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter_map(|(k, v)| Some((Some(encode_segment(k)), encode_segment(&text(v)?))))
            .collect(),
        scalar => {
            let value = text(scalar).filter(|t| !t.is_empty())?;
            let value = encode_segment(&value);
            return Some(if matrix {
                format!(";{name}={value}")
            } else {
                format!("{prefix}{value}")
            });
        }
    };
    if pairs.is_empty() {
        return None;
    }
    if !explode {
        // Everything comma-separated, keys and values alike.
        let joined = pairs
            .into_iter()
            .flat_map(|(k, v)| k.into_iter().chain(std::iter::once(v)))
            .collect::<Vec<_>>()
            .join(",");
        return Some(if matrix {
            format!(";{name}={joined}")
        } else {
            format!("{prefix}{joined}")
        });
    }
    let separator = match style {
        PathStyle::Simple { .. } => ",",
        _ => prefix,
    };
    let parts: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| match k {
            Some(k) => format!("{k}={v}"),
            None if matrix => format!("{name}={v}"),
            None => v,
        })
        .collect();
    Some(format!("{prefix}{}", parts.join(separator)))
}

#[cfg(test)]
mod tests {
    use super::{expand, PathStyle};
    use serde_json::json;

    /// The examples of the OpenAPI specification's style table (`id` = 5, [3, 4, 5] and
    /// {"role": "admin", "firstName": "Alex"}).
    #[test]
    fn the_openapi_style_examples() {
        let primitive = json!(5);
        let array = json!([3, 4, 5]);
        let object = json!({"role": "admin", "firstName": "Alex"});
        let cases = [
            (
                PathStyle::Simple { explode: false },
                ["5", "3,4,5", "firstName,Alex,role,admin"],
            ),
            (
                PathStyle::Simple { explode: true },
                ["5", "3,4,5", "firstName=Alex,role=admin"],
            ),
            (
                PathStyle::Label { explode: false },
                [".5", ".3,4,5", ".firstName,Alex,role,admin"],
            ),
            (
                PathStyle::Label { explode: true },
                [".5", ".3.4.5", ".firstName=Alex.role=admin"],
            ),
            (
                PathStyle::Matrix { explode: false },
                [";id=5", ";id=3,4,5", ";id=firstName,Alex,role,admin"],
            ),
            (
                PathStyle::Matrix { explode: true },
                [";id=5", ";id=3;id=4;id=5", ";firstName=Alex;role=admin"],
            ),
        ];
        for (style, [p, a, o]) in cases {
            assert_eq!(
                expand("id", &primitive, style).as_deref(),
                Some(p),
                "{style:?}"
            );
            assert_eq!(expand("id", &array, style).as_deref(), Some(a), "{style:?}");
            assert_eq!(
                expand("id", &object, style).as_deref(),
                Some(o),
                "{style:?}"
            );
        }
    }

    #[test]
    fn parts_are_encoded_and_empty_values_refused() {
        let style = PathStyle::Matrix { explode: false };
        assert_eq!(
            expand("id", &json!(["a b", "c/d"]), style).as_deref(),
            Some(";id=a%20b,c%2Fd")
        );
        for empty in [json!(null), json!(""), json!([]), json!({})] {
            assert_eq!(expand("id", &empty, style), None, "{empty}");
        }
    }
}
