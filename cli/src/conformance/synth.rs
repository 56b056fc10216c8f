//! Random values synthesized from a schema, from a seed. Each one is only a candidate: the
//! caller keeps it when the judge confirms it follows the schema. What it covers on purpose:
//! `null` for nullable schemas, every branch of `oneOf`/`anyOf` (with the discriminator's
//! value), maps (`additionalProperties`), the checked formats, and values at their bounds.

use super::judge::deref;
use serde_json::{json, Map, Number, Value};

/// splitmix64: small, seedable, and good enough to pick branches and lengths.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// Which side of the wire a value is for: `readOnly` properties are only in responses,
/// `writeOnly` ones only in requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// Deeper than this, objects keep only their required properties and lists stay short.
const SHALLOW: usize = 5;
/// Deeper than this, synthesis gives up (a required recursive property).
const DEEPEST: usize = 24;

/// A value for `schema` (in `document`, the judge's converted spec), or `None` when the schema
/// cannot be satisfied this way.
pub fn value(
    document: &Value,
    schema: &Value,
    direction: Direction,
    rng: &mut Rng,
    depth: usize,
) -> Option<Value> {
    if depth > DEEPEST {
        return None;
    }
    let schema = deref(document, schema);
    let Some(map) = schema.as_object() else {
        // `true` or a missing schema: anything.
        return Some(json!(rng.below(100)));
    };
    if let Some(value) = map.get("const") {
        return Some(value.clone());
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return rng.pick(values).cloned();
    }
    let nullable = types(map).contains(&"null");
    if nullable && rng.chance(if depth > SHALLOW { 80 } else { 20 }) {
        return Some(Value::Null);
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        return all_of(document, map, parts, direction, rng, depth);
    }
    for choice in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(choice) {
            let branch = rng.pick(branches)?;
            let mut chosen = value(document, branch, direction, rng, depth + 1)?;
            if let (Some(tag), Some(object)) = (discriminator(map, branch), chosen.as_object_mut())
            {
                object.insert(tag.0, Value::String(tag.1));
            }
            if map.contains_key("properties") {
                if let (Value::Object(extra), Some(object)) = (
                    object(document, map, direction, rng, depth)?,
                    chosen.as_object_mut(),
                ) {
                    for (k, v) in extra {
                        object.entry(k).or_insert(v);
                    }
                }
            }
            return Some(chosen);
        }
    }
    let ty = types(map)
        .into_iter()
        .filter(|t| *t != "null")
        .collect::<Vec<_>>();
    let ty = match rng.pick(&ty) {
        Some(ty) => *ty,
        None if map.contains_key("properties") || map.contains_key("additionalProperties") => {
            "object"
        }
        None if map.contains_key("items") => "array",
        None if nullable => return Some(Value::Null),
        None => return Some(free_form(rng)),
    };
    match ty {
        "string" => Some(Value::String(string(map, rng))),
        "integer" => integer(map, rng),
        "number" => number(map, rng),
        "boolean" => Some(Value::Bool(rng.chance(50))),
        "array" => array(document, map, direction, rng, depth),
        "object" => object(document, map, direction, rng, depth),
        _ => Some(free_form(rng)),
    }
}

/// The `type` keyword as a list (`[]` when absent).
fn types(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn free_form(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => json!("free"),
        1 => json!(rng.below(1000)),
        2 => json!({"key": "value"}),
        _ => json!(true),
    }
}

/// The discriminator's property and the value that selects `branch`, if the choice has one.
fn discriminator(map: &Map<String, Value>, branch: &Value) -> Option<(String, String)> {
    let disc = map.get("discriminator")?;
    let property = disc.get("propertyName")?.as_str()?.to_owned();
    let reference = branch.get("$ref")?.as_str()?;
    if let Some(Value::Object(mapping)) = disc.get("mapping") {
        if let Some((key, _)) = mapping
            .iter()
            .find(|(_, target)| target.as_str() == Some(reference))
        {
            return Some((property, key.clone()));
        }
    }
    Some((property, reference.rsplit('/').next()?.to_owned()))
}

fn all_of(
    document: &Value,
    map: &Map<String, Value>,
    parts: &[Value],
    direction: Direction,
    rng: &mut Rng,
    depth: usize,
) -> Option<Value> {
    // Merge the parts' object keywords into one schema, then synthesize that.
    let mut merged = map.clone();
    merged.remove("allOf");
    let mut properties = merged
        .remove("properties")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    let mut required: Vec<Value> = merged
        .remove("required")
        .and_then(|r| r.as_array().cloned())
        .unwrap_or_default();
    let mut scalar = None;
    for part in parts {
        let part = deref(document, part);
        let Some(part) = part.as_object() else {
            continue;
        };
        if let Some(Value::Array(inner)) = part.get("allOf") {
            let nested = all_of(document, part, inner, direction, rng, depth + 1)?;
            if let Value::Object(values) = nested {
                for (k, v) in values {
                    properties.entry(k.clone()).or_insert(json!({"const": v}));
                    required.push(Value::String(k));
                }
            }
            continue;
        }
        if part.contains_key("oneOf") || part.contains_key("anyOf") {
            let chosen = value(
                document,
                &Value::Object(part.clone()),
                direction,
                rng,
                depth + 1,
            )?;
            match chosen {
                Value::Object(values) => {
                    for (k, v) in values {
                        properties.insert(k.clone(), json!({"const": v}));
                        required.push(Value::String(k));
                    }
                }
                other => scalar = Some(other),
            }
            continue;
        }
        for (k, v) in part {
            match k.as_str() {
                "properties" => {
                    if let Value::Object(p) = v {
                        for (name, schema) in p {
                            properties
                                .entry(name.clone())
                                .or_insert_with(|| schema.clone());
                        }
                    }
                }
                "required" => required.extend(v.as_array().cloned().unwrap_or_default()),
                _ => {
                    merged.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    if let Some(scalar) = scalar {
        return Some(scalar);
    }
    if !properties.is_empty() {
        merged.insert("properties".to_owned(), Value::Object(properties));
        merged.entry("type".to_owned()).or_insert(json!("object"));
    }
    if !required.is_empty() {
        merged.insert("required".to_owned(), Value::Array(required));
    }
    value(document, &Value::Object(merged), direction, rng, depth + 1)
}

/// A string matching a simple regular expression: literals, escapes (`\d`, `\w`, `\s`, an
/// escaped literal), classes (`[A-Z0-9_]`), `.`, and the quantifiers `?`, `*`, `+`, `{n}`,
/// `{n,m}`; anchors are dropped. `None` for anything else (groups, alternation, negated
/// classes): the caller falls back to a random string, which the judge then refuses or not.
fn from_pattern(pattern: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let choices: Vec<char> = match chars[i] {
            '^' | '$' => {
                i += 1;
                continue;
            }
            '(' | ')' | '|' => return None,
            '.' => ('a'..='z').collect(),
            '\\' => {
                i += 1;
                match chars.get(i)? {
                    'd' => ('0'..='9').collect(),
                    'w' => ('a'..='z').chain('0'..='9').chain(['_']).collect(),
                    's' => vec![' '],
                    c if c.is_ascii_alphanumeric() => return None,
                    c => vec![*c],
                }
            }
            '[' => {
                let end = i + chars[i..].iter().position(|c| *c == ']')?;
                let class = &chars[i + 1..end];
                if class.first() == Some(&'^') {
                    return None;
                }
                let mut set = Vec::new();
                let mut j = 0;
                while j < class.len() {
                    if class[j] == '\\' {
                        match class.get(j + 1)? {
                            'd' => set.extend('0'..='9'),
                            'w' => set.extend(('a'..='z').chain('0'..='9')),
                            c => set.push(*c),
                        }
                        j += 2;
                    } else if class.get(j + 1) == Some(&'-') && j + 2 < class.len() {
                        set.extend(class[j]..=class[j + 2]);
                        j += 3;
                    } else {
                        set.push(class[j]);
                        j += 1;
                    }
                }
                i = end;
                set
            }
            c => vec![c],
        };
        i += 1;
        let (min, max) = match chars.get(i) {
            Some('?') => (0, 1),
            Some('*') => (0, 3),
            Some('+') => (1, 4),
            Some('{') => {
                let end = i + chars[i..].iter().position(|c| *c == '}')?;
                let inside: String = chars[i + 1..end].iter().collect();
                i = end;
                match inside.split_once(',') {
                    Some((a, "")) => (a.parse().ok()?, a.parse::<u64>().ok()? + 3),
                    Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                    None => (inside.parse().ok()?, inside.parse().ok()?),
                }
            }
            _ => {
                i -= 1;
                (1, 1)
            }
        };
        i += 1;
        if choices.is_empty() || max < min {
            return None;
        }
        for _ in 0..min + rng.below(max - min + 1) {
            out.push(*rng.pick(&choices)?);
        }
    }
    Some(out)
}

fn bound(map: &Map<String, Value>, key: &str) -> Option<f64> {
    map.get(key).and_then(Value::as_f64)
}

fn string(map: &Map<String, Value>, rng: &mut Rng) -> String {
    let n = rng.below(1_000_000);
    match map.get("format").and_then(Value::as_str) {
        Some("email") => return format!("user{n}@example.com"),
        // Base64 of `n` as text (bytes with no padding needed: groups of three).
        Some("byte") => {
            let groups = 1 + rng.below(4);
            return (0..groups * 4)
                .map(|_| char::from(super::judge::BASE64[rng.below(64) as usize]))
                .collect();
        }
        Some("uuid") => {
            let (a, b) = (rng.next(), rng.next());
            return format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                b >> 52,
                b & 0xffff_ffff_ffff
            );
        }
        Some("date-time") => {
            return format!(
                "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                10 + rng.below(20),
                1 + rng.below(12),
                1 + rng.below(28),
                rng.below(24),
                rng.below(60),
                rng.below(60)
            )
        }
        Some("date") => {
            return format!(
                "20{:02}-{:02}-{:02}",
                10 + rng.below(20),
                1 + rng.below(12),
                1 + rng.below(28)
            )
        }
        Some("uri" | "url") => return format!("https://example.com/r/{n}"),
        Some("ipv4") => return format!("10.0.{}.{}", rng.below(256), rng.below(256)),
        _ => {}
    }
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
        if let Some(text) = from_pattern(pattern, rng) {
            return text;
        }
    }
    let min = bound(map, "minLength").unwrap_or(0.0) as u64;
    let max = bound(map, "maxLength")
        .map_or(min + 12, |m| m as u64)
        .max(min);
    // Often at a bound, otherwise anywhere between (capped: long strings prove nothing more).
    let len = match rng.below(4) {
        0 => min,
        1 => max.min(min + 64),
        _ => min + rng.below(max.min(min + 16) - min + 1),
    };
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// The closed range a number may take, from the bounds (exclusive ones nudged by `step`).
fn range(map: &Map<String, Value>, step: f64, lo: f64, hi: f64) -> (f64, f64) {
    let min = bound(map, "minimum")
        .or_else(|| bound(map, "exclusiveMinimum").map(|m| m + step))
        .unwrap_or(lo);
    let max = bound(map, "maximum")
        .or_else(|| bound(map, "exclusiveMaximum").map(|m| m - step))
        .unwrap_or(hi);
    (min, max.max(min))
}

fn integer(map: &Map<String, Value>, rng: &mut Rng) -> Option<Value> {
    let int32 = map.get("format").and_then(Value::as_str) == Some("int32");
    let (lo, hi) = if int32 { (-1e9, 1e9) } else { (-1e6, 1e12) };
    let (min, max) = range(map, 1.0, lo, hi);
    let (min, max) = (min.ceil() as i64, max.floor() as i64);
    if min > max {
        return None;
    }
    let span = (max - min) as u64;
    let mut n = match rng.below(4) {
        0 => min,
        1 => max,
        _ => min + rng.below(span.min(10_000) + 1) as i64,
    };
    if let Some(step) = bound(map, "multipleOf").filter(|s| *s >= 1.0) {
        let step = step as i64;
        n = (n / step) * step;
        if n < min {
            n += step;
        }
    }
    Some(json!(n))
}

fn number(map: &Map<String, Value>, rng: &mut Rng) -> Option<Value> {
    let (min, max) = range(map, 0.001, -1e6, 1e6);
    let mut n = match rng.below(4) {
        0 => min,
        1 => max,
        _ => min + (max - min) * (rng.below(1000) as f64 / 1000.0),
    };
    if let Some(step) = bound(map, "multipleOf").filter(|s| *s > 0.0) {
        n = (n / step).ceil() * step;
    }
    Number::from_f64(n).map(Value::Number)
}

fn array(
    document: &Value,
    map: &Map<String, Value>,
    direction: Direction,
    rng: &mut Rng,
    depth: usize,
) -> Option<Value> {
    let min = bound(map, "minItems").unwrap_or(0.0) as u64;
    let cap = if depth > SHALLOW { min } else { min + 3 };
    let max = bound(map, "maxItems")
        .map_or(cap, |m| (m as u64).min(cap))
        .max(min);
    let len = min + rng.below(max - min + 1);
    let items = map.get("items").cloned().unwrap_or(Value::Bool(true));
    let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
    let mut out: Vec<Value> = Vec::new();
    let mut tries = 0;
    while (out.len() as u64) < len && tries < len * 4 + 4 {
        tries += 1;
        let item = value(document, &items, direction, rng, depth + 1)?;
        if !(unique && out.contains(&item)) {
            out.push(item);
        }
    }
    Some(Value::Array(out))
}

fn object(
    document: &Value,
    map: &Map<String, Value>,
    direction: Direction,
    rng: &mut Rng,
    depth: usize,
) -> Option<Value> {
    let required: Vec<&str> = map
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let min_properties = bound(map, "minProperties").unwrap_or(0.0) as usize;
    let max_properties = bound(map, "maxProperties").map_or(usize::MAX, |m| m as usize);
    let mut out = Map::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, schema) in properties {
            let resolved = deref(document, schema);
            let hidden = match direction {
                Direction::Request => resolved.get("readOnly") == Some(&Value::Bool(true)),
                Direction::Response => resolved.get("writeOnly") == Some(&Value::Bool(true)),
            };
            let needed = required.contains(&name.as_str());
            let room = out.len() + required.len() < max_properties;
            let wanted = needed
                || (!hidden
                    && room
                    && depth <= SHALLOW
                    && (rng.chance(60) || out.len() < min_properties));
            if !wanted {
                continue;
            }
            match value(document, schema, direction, rng, depth + 1) {
                Some(v) => {
                    out.insert(name.clone(), v);
                }
                None if needed => return None,
                None => {}
            }
        }
    }
    // Required names not among the properties: anything.
    for name in required {
        if !out.contains_key(name) {
            out.insert(name.to_owned(), free_form(rng));
        }
    }
    if let Some(extra @ Value::Object(_)) = map.get("additionalProperties") {
        let max = max_properties;
        let count = if depth > SHALLOW {
            0
        } else {
            rng.below(3) as usize
        };
        for i in 0..count.max(min_properties.saturating_sub(out.len())) {
            if out.len() >= max {
                break;
            }
            if let Some(v) = value(document, extra, direction, rng, depth + 1) {
                out.insert(format!("key{i}_{}", rng.below(1000)), v);
            }
        }
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values_and_every_branch_reached() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["k"], "properties": {"k": {"const": "a"}}},
            "B": {"type": "object", "required": ["k"], "properties": {"k": {"const": "b"}}},
            "U": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                  "discriminator": {"propertyName": "k"}},
        }}});
        let schema = json!({"$ref": "#/components/schemas/U"});
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| value(&doc, &schema, Direction::Request, &mut rng, 0).unwrap())
                .collect::<Vec<_>>()
        };
        let values = run(7);
        assert_eq!(values, run(7));
        assert!(values.contains(&json!({"k": "A"})) || values.contains(&json!({"k": "a"})));
        assert!(values.iter().any(|v| v["k"] == "B" || v["k"] == "b"));
    }

    #[test]
    fn bounds_and_nullable_are_reached() {
        let doc = json!({});
        let schema = json!({"type": ["integer", "null"], "minimum": 3, "maximum": 5});
        let mut rng = Rng::new(1);
        let values: Vec<Value> = (0..200)
            .map(|_| value(&doc, &schema, Direction::Request, &mut rng, 0).unwrap())
            .collect();
        for expected in [json!(3), json!(5), Value::Null] {
            assert!(values.contains(&expected), "{expected}");
        }
        assert!(values
            .iter()
            .all(|v| v.is_null() || (3..=5).contains(&v.as_i64().unwrap())));
    }
}
