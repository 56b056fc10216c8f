//! JSON in, a valid request out: decoding and validation with one kind of report.

use super::{push_key, Validate, ValidationError, ValidationErrors};
use serde::de::DeserializeOwned;

/// Decodes `json` into `T` and validates it: a value the client can send, or every broken rule
/// with the JSON pointer of its value.
///
/// Decoding stops at the first structural problem (a missing required property, an unknown
/// property where the spec forbids them, a value outside an `enum`, a wrong type), reported as
/// the JSON Schema keyword it breaks; a value that decodes is then checked against every other
/// rule by [`Validate`].
pub fn from_json<T: DeserializeOwned + Validate>(json: &str) -> Result<T, ValidationErrors> {
    let decoded: T = decode(parse(json)?)?;
    decoded.validate()?;
    Ok(decoded)
}

/// Parses JSON text, reporting bad syntax as a `type` error at the root.
pub fn parse(json: &str) -> Result<serde_json::Value, ValidationErrors> {
    serde_json::from_str(json)
        .map_err(|err| single(String::new(), "type", format!("a JSON document ({err})")))
}

/// Decodes `value` into `T`, reporting the first structural problem with its JSON pointer.
/// Does not validate.
pub fn decode<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ValidationErrors> {
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(decoded) => Ok(decoded),
        Err(err) => {
            let pointer = pointer(err.path());
            Err(explain(&value, pointer, &err.inner().to_string()))
        }
    }
}

/// Decodes a response body into `T`: `Ok`, or the JSON pointer of the value that does not fit
/// (`None` when the body is not JSON at all) and the decoder's message.
///
/// The fast path is a plain `serde_json` decode; only a failure pays for decoding again through
/// a `Value` to find where the body leaves the spec.
pub(crate) fn decode_response<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, (Option<String>, String)> {
    let err = match serde_json::from_slice(bytes) {
        Ok(decoded) => return Ok(decoded),
        Err(err) => err,
    };
    if err.classify() != serde_json::error::Category::Data {
        return Err((None, err.to_string()));
    }
    let path = serde_json::from_slice(bytes)
        .ok()
        .and_then(|value| decode::<T>(value).err())
        .and_then(|errors| errors.errors.into_iter().next())
        .map_or_else(String::new, |error| error.path);
    Err((Some(path), err.to_string()))
}

/// One way to read a value of an untagged union: as one variant, and whether it also passes
/// that variant's `validate()`. Generated code builds these with [`attempt`].
pub type Attempt<T> = fn(&serde_json::Value) -> Option<(T, bool)>;

/// Decodes `value` as `V`, and says whether it also validates; `None` when it does not decode.
pub fn attempt<V: DeserializeOwned + Validate>(value: &serde_json::Value) -> Option<(V, bool)> {
    let decoded = V::deserialize(value).ok()?;
    let valid = decoded.validate().is_ok();
    Some((decoded, valid))
}

/// Decodes a union without a property to tell its variants apart (`oneOf`/`anyOf` without a
/// discriminator): the first variant, in spec order, that decodes *and* keeps its rules (so a
/// value whose `type` is `newsfeed` is not read as the first variant whose optional `type` may
/// only be `news-item`); failing that, the first that decodes, so a response that breaks a rule
/// is still read; failing that, an error naming the union.
///
/// # Errors
///
/// When no variant decodes.
pub fn untagged<'de, T, D: serde::Deserializer<'de>>(
    deserializer: D,
    name: &str,
    attempts: &[Attempt<T>],
) -> Result<T, D::Error> {
    use serde::de::Error as _;
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    let mut fallback = None;
    for attempt in attempts {
        match attempt(&value) {
            Some((decoded, true)) => return Ok(decoded),
            Some((decoded, false)) if fallback.is_none() => fallback = Some(decoded),
            _ => {}
        }
    }
    fallback.ok_or_else(|| D::Error::custom(format_args!("the value fits no variant of `{name}`")))
}

/// For a union told apart by the property `tag` (generated `from_json` of a tagged enum): the
/// index in `values` of the tag's value, and the object without the tag, ready to decode into
/// the variant's struct with exact paths. (serde buffers internally tagged enums, which loses
/// the path of any error inside them.)
pub fn split_tag(
    json: &str,
    tag: &str,
    values: &[&str],
) -> Result<(usize, serde_json::Value), ValidationErrors> {
    let mut value = parse(json)?;
    let at = child("", tag);
    let Some(object) = value.as_object_mut() else {
        return Err(single(String::new(), "type", "an object".to_owned()));
    };
    let expected = || format!("one of {}", values.join(", "));
    let index = match object.remove(tag) {
        None => return Err(single(at, "required", format!("a value for `{tag}`"))),
        Some(serde_json::Value::String(found)) => values.iter().position(|v| *v == found),
        Some(_) => None,
    };
    match index {
        Some(index) => Ok((index, value)),
        None => Err(single(at, "enum", expected())),
    }
}

fn single(path: String, rule: &'static str, expected: String) -> ValidationErrors {
    ValidationErrors {
        errors: vec![ValidationError {
            path,
            rule,
            expected,
        }],
    }
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => push_key(&mut pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// A tag or a fixed property is checked by the enum or struct that holds it, so serde reports
/// the holder's path; point at the property holding the offending string instead.
fn holder(document: &serde_json::Value, pointer: &str, value: &str) -> String {
    let key = document
        .pointer(pointer)
        .and_then(serde_json::Value::as_object)
        .and_then(|object| object.iter().find(|(_, v)| v.as_str() == Some(value)))
        .map(|(key, _)| key.as_str());
    match key {
        Some(key) => child(pointer, key),
        None => pointer.to_owned(),
    }
}

/// The pointer of the property `key` of the object at `pointer`.
fn child(pointer: &str, key: &str) -> String {
    let mut child = pointer.to_owned();
    push_key(&mut child, key);
    child
}

/// The text between the first pair of backticks of serde's message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Turns serde's message into the JSON Schema keyword and the pointer of the offending value.
fn explain(document: &serde_json::Value, pointer: String, message: &str) -> ValidationErrors {
    let (path, rule, expected) = if let Some(rest) = message.strip_prefix("missing field ") {
        let name = quoted(rest).unwrap_or(rest);
        (
            child(&pointer, name),
            "required",
            format!("a value for `{name}`"),
        )
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = quoted(rest).unwrap_or(rest);
        // serde_path_to_error already counts the unknown key as part of the path.
        let path = if pointer.ends_with(&child("", name)) {
            pointer.clone()
        } else {
            child(&pointer, name)
        };
        (
            path,
            "additionalProperties",
            format!("no property `{name}`"),
        )
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let value = quoted(rest).unwrap_or_default();
        let expected = rest.split_once(", expected ").map_or(rest, |(_, e)| e);
        (
            holder(document, &pointer, value),
            "enum",
            expected.to_owned(),
        )
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, rest));
        let path = match found
            .strip_prefix("string \"")
            .and_then(|v| v.strip_suffix('"'))
        {
            Some(value) => holder(document, &pointer, value),
            None => pointer,
        };
        (path, "const", expected.to_owned())
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.split_once(", expected ").map_or(rest, |(_, e)| e);
        (pointer, "type", expected.to_owned())
    } else {
        (pointer, "type", message.to_owned())
    };
    single(path, rule, expected)
}
