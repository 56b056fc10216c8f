//! One check per JSON Schema keyword. Each returns at once when the rule holds, so valid
//! values cost a comparison and never an allocation.

use super::{Format, Path, ValidationErrors};
use std::sync::OnceLock;

/// A `pattern` of the spec: its source, compiled on first use and kept. Generated code holds
/// each in a `static`, so a pattern is compiled once per process.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    /// The pattern `source` (ECMAScript syntax), not compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            regex: OnceLock::new(),
        }
    }

    /// The compiled expression; `None` if the source does not compile (never the case for
    /// generated code, whose patterns the generator compiled when it read the spec), which no
    /// value then matches.
    fn regex(&self) -> Option<&regress::Regex> {
        self.regex
            .get_or_init(|| regress::Regex::new(self.source).ok())
            .as_ref()
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl ValidationErrors {
    /// `minLength`, counted in characters (Unicode scalar values) as JSON Schema does.
    pub fn min_length(&mut self, path: &Path<'_>, value: &str, min: u64) {
        // A character is at most 4 bytes: a long enough value has enough characters without
        // counting them, and a shorter one is counted only up to `min`.
        let enough = (value.len() / 4) as u64 >= min
            || value
                .chars()
                .take(usize::try_from(min).unwrap_or(usize::MAX))
                .count() as u64
                >= min;
        if !enough {
            let n = plural(min, "character", "characters");
            self.push(path, "minLength", format!("at least {n}"));
        }
    }

    /// `maxLength`, counted in characters.
    pub fn max_length(&mut self, path: &Path<'_>, value: &str, max: u64) {
        // Fewer bytes than the limit means fewer characters too: skip the count.
        if value.len() as u64 > max && value.chars().count() as u64 > max {
            let n = plural(max, "character", "characters");
            self.push(path, "maxLength", format!("at most {n}"));
        }
    }

    /// `pattern`: the regular expression (ECMAScript syntax) must match somewhere in the
    /// value, as JSON Schema patterns are not anchored.
    pub fn pattern(&mut self, path: &Path<'_>, value: &str, pattern: &Pattern) {
        if pattern
            .regex()
            .is_none_or(|regex| regex.find(value).is_none())
        {
            self.push(path, "pattern", format!("a match for /{}/", pattern.source));
        }
    }

    /// `format`: one of the formats the runtime checks.
    pub fn format(&mut self, path: &Path<'_>, value: &str, format: Format) {
        if !format.accepts(value) {
            self.push(path, "format", format!("a valid {}", format.name()));
        }
    }

    /// `minimum`: `value >= min`.
    pub fn minimum(&mut self, path: &Path<'_>, value: f64, min: f64) {
        if value < min {
            self.push(path, "minimum", format!("at least {min}"));
        }
    }

    /// `exclusiveMinimum` (3.1 number form; the 3.0 boolean form is translated by codegen).
    pub fn exclusive_minimum(&mut self, path: &Path<'_>, value: f64, min: f64) {
        if value <= min {
            self.push(path, "exclusiveMinimum", format!("more than {min}"));
        }
    }

    /// `maximum`: `value <= max`.
    pub fn maximum(&mut self, path: &Path<'_>, value: f64, max: f64) {
        if value > max {
            self.push(path, "maximum", format!("at most {max}"));
        }
    }

    /// `exclusiveMaximum`: `value < max`.
    pub fn exclusive_maximum(&mut self, path: &Path<'_>, value: f64, max: f64) {
        if value >= max {
            self.push(path, "exclusiveMaximum", format!("less than {max}"));
        }
    }

    /// `multipleOf`: exact for whole numbers, within a relative 1e-9 for fractions (binary
    /// floating point cannot represent 0.1 exactly).
    pub fn multiple_of(&mut self, path: &Path<'_>, value: f64, factor: f64) {
        let ok = if value.fract() == 0.0 && factor.fract() == 0.0 && value.abs() < 9.0e15 {
            (value as i64) % (factor as i64) == 0
        } else {
            let quotient = value / factor;
            quotient.is_finite()
                && (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
        };
        if !ok {
            self.push(path, "multipleOf", format!("a multiple of {factor}"));
        }
    }

    /// `minItems`.
    pub fn min_items(&mut self, path: &Path<'_>, len: usize, min: u64) {
        if (len as u64) < min {
            let n = plural(min, "item", "items");
            self.push(path, "minItems", format!("at least {n}"));
        }
    }

    /// `maxItems`.
    pub fn max_items(&mut self, path: &Path<'_>, len: usize, max: u64) {
        if len as u64 > max {
            let n = plural(max, "item", "items");
            self.push(path, "maxItems", format!("at most {n}"));
        }
    }

    /// `uniqueItems: true`. Quadratic, without hashing, so it works for every item type; API
    /// payloads are small. Reports the first repeated item.
    pub fn unique_items<T: PartialEq>(&mut self, path: &Path<'_>, items: &[T]) {
        for (i, item) in items.iter().enumerate() {
            if items[..i].contains(item) {
                self.push(
                    &path.index(i),
                    "uniqueItems",
                    "no repeated items".to_owned(),
                );
                return;
            }
        }
    }

    /// `minProperties`, given how many properties the object has.
    pub fn min_properties(&mut self, path: &Path<'_>, count: usize, min: u64) {
        if (count as u64) < min {
            let n = plural(min, "property", "properties");
            self.push(path, "minProperties", format!("at least {n}"));
        }
    }

    /// `maxProperties`.
    pub fn max_properties(&mut self, path: &Path<'_>, count: usize, max: u64) {
        if count as u64 > max {
            let n = plural(max, "property", "properties");
            self.push(path, "maxProperties", format!("at most {n}"));
        }
    }

    /// `required` decided at run time (`dependentRequired`, `if`/`then`/`else`): the property
    /// at `path` must be present; `because` says which rule demands it.
    pub fn required(&mut self, path: &Path<'_>, present: bool, because: &str) {
        if !present {
            self.push(path, "required", format!("a value, {because}"));
        }
    }

    /// `const`: the value must be exactly `expected`.
    pub fn constant(&mut self, path: &Path<'_>, value: &str, expected: &str) {
        if value != expected {
            self.push(path, "const", format!("{expected:?}"));
        }
    }

    /// `anyOf` (`exactly_one == false`) or `oneOf` of branches that only add rules to an
    /// object's own properties (`required` sets, narrowed values): `holds[i]` says whether the
    /// value meets branch `i`; `branches` names them all, for the message.
    pub fn branches(&mut self, path: &Path<'_>, holds: &[bool], exactly_one: bool, branches: &str) {
        let met = holds.iter().filter(|h| **h).count();
        if exactly_one && met != 1 {
            let how = if met == 0 {
                "none".to_owned()
            } else {
                format!("{met}")
            };
            self.push(
                path,
                "oneOf",
                format!("exactly one of: {branches} (it meets {how})"),
            );
        } else if !exactly_one && met == 0 {
            self.push(path, "anyOf", format!("at least one of: {branches}"));
        }
    }

    /// `enum`: a value the spec does not list (kept by a forward-compatible enum when decoding a
    /// response) may not be sent.
    pub fn enumeration(&mut self, path: &Path<'_>, known: bool, allowed: &[&str]) {
        if !known {
            self.push(path, "enum", format!("one of {}", allowed.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_count_the_ones_met() {
        let names = "`email` (subject, template), `in_app`";
        assert_eq!(
            rules(|e, p| e.branches(p, &[false, false], false, names)),
            ["anyOf at least one of: `email` (subject, template), `in_app`"]
        );
        assert!(rules(|e, p| e.branches(p, &[true, true], false, names)).is_empty());
        assert!(rules(|e, p| e.branches(p, &[false, true], true, names)).is_empty());
        assert_eq!(
            rules(|e, p| e.branches(p, &[true, true], true, names)),
            ["oneOf exactly one of: `email` (subject, template), `in_app` (it meets 2)"]
        );
        assert_eq!(
            rules(|e, p| e.branches(p, &[false, false], true, names)),
            ["oneOf exactly one of: `email` (subject, template), `in_app` (it meets none)"]
        );
    }

    fn rules(check: impl FnOnce(&mut ValidationErrors, &Path<'_>)) -> Vec<String> {
        let mut errors = ValidationErrors::default();
        let root = Path::ROOT;
        check(&mut errors, &root.key("v"));
        errors
            .iter()
            .map(|e| format!("{} {}", e.rule, e.expected))
            .collect()
    }

    #[test]
    fn each_rule_passes_its_boundary_and_fails_past_it() {
        assert!(rules(|e, p| e.min_length(p, "ab", 2)).is_empty());
        assert_eq!(
            rules(|e, p| e.min_length(p, "a", 2)),
            ["minLength at least 2 characters"]
        );
        assert!(rules(|e, p| e.max_length(p, "éé", 2)).is_empty());
        assert_eq!(
            rules(|e, p| e.max_length(p, "abc", 2)),
            ["maxLength at most 2 characters"]
        );
        assert!(rules(|e, p| e.minimum(p, 1.0, 1.0)).is_empty());
        assert_eq!(
            rules(|e, p| e.exclusive_minimum(p, 1.0, 1.0)),
            ["exclusiveMinimum more than 1"]
        );
        assert!(rules(|e, p| e.maximum(p, 1.0, 1.0)).is_empty());
        assert_eq!(
            rules(|e, p| e.exclusive_maximum(p, 1.0, 1.0)),
            ["exclusiveMaximum less than 1"]
        );
        assert!(rules(|e, p| e.multiple_of(p, 0.3, 0.1)).is_empty());
        assert!(rules(|e, p| e.multiple_of(p, 10.0, 5.0)).is_empty());
        assert_eq!(
            rules(|e, p| e.multiple_of(p, 7.0, 5.0)),
            ["multipleOf a multiple of 5"]
        );
        assert_eq!(
            rules(|e, p| e.min_items(p, 0, 1)),
            ["minItems at least 1 item"]
        );
        assert_eq!(
            rules(|e, p| e.max_items(p, 3, 2)),
            ["maxItems at most 2 items"]
        );
        assert!(rules(|e, p| e.unique_items(p, &[1, 2, 3])).is_empty());
        assert_eq!(
            rules(|e, p| e.unique_items(p, &[1, 2, 1])),
            ["uniqueItems no repeated items"]
        );
        assert_eq!(
            rules(|e, p| e.min_properties(p, 0, 1)),
            ["minProperties at least 1 property"]
        );
        assert_eq!(
            rules(|e, p| e.max_properties(p, 2, 1)),
            ["maxProperties at most 1 property"]
        );
        assert_eq!(
            rules(|e, p| e.constant(p, "user", "admin")),
            ["const \"admin\""]
        );
        assert_eq!(
            rules(|e, p| e.enumeration(p, false, &["a", "b"])),
            ["enum one of a, b"]
        );
        static RE: Pattern = Pattern::new("^[a-z]+$");
        assert!(rules(|e, p| e.pattern(p, "abc", &RE)).is_empty());
        assert_eq!(
            rules(|e, p| e.pattern(p, "ab1", &RE)),
            ["pattern a match for /^[a-z]+$/"]
        );
    }

    #[test]
    fn repeated_items_are_located() {
        let mut errors = ValidationErrors::default();
        let root = Path::ROOT;
        errors.unique_items(&root.key("tags"), &["a", "b", "a"]);
        assert_eq!(errors.iter().next().unwrap().path, "/tags/2");
    }
}
