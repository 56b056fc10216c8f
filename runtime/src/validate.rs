//! The report of everything wrong with a request, built by generated `validate()` methods.

use std::fmt;

/// Checks a value against the rules of its schema, reporting every violation.
///
/// Generated types implement it; the client calls it before sending anything.
pub trait Validate {
    /// Adds every violation found in `self`, which sits at the JSON pointer `path`, to `errors`.
    fn validate_at(&self, path: &str, errors: &mut ValidationErrors);

    /// Every violation in `self`, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.validate_at("", &mut errors);
        errors.into_result()
    }
}

/// The JSON pointer of `segment` (already escaped per RFC 6901) inside `path`.
pub fn pointer(path: &str, segment: &str) -> String {
    format!("{path}/{segment}")
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The JSON pointer of the offending value, e.g. `/to/id` (empty for the whole request).
    pub path: String,
    /// The JSON Schema keyword that is broken, e.g. `minLength`.
    pub rule: &'static str,
    /// What the rule expects, for a person: `at least 1 character`.
    pub expected: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: expected {} ({})", self.expected, self.rule)
    }
}

/// Every rule a value breaks. Empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// The violations, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// How many violations there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Records that the value at `field` inside `path` breaks `rule`.
    pub fn push(&mut self, path: &str, field: &str, rule: &'static str, expected: String) {
        self.errors.push(ValidationError {
            path: pointer(path, field),
            rule,
            expected,
        });
    }

    /// Checks `minLength`, counted in characters (Unicode scalar values), as JSON Schema does.
    pub fn min_length(&mut self, path: &str, field: &str, value: &str, min: u64) {
        if (value.chars().count() as u64) < min {
            let unit = if min == 1 { "character" } else { "characters" };
            self.push(path, field, "minLength", format!("at least {min} {unit}"));
        }
    }

    /// Checks `maxLength`, counted in characters.
    pub fn max_length(&mut self, path: &str, field: &str, value: &str, max: u64) {
        if (value.chars().count() as u64) > max {
            let unit = if max == 1 { "character" } else { "characters" };
            self.push(path, field, "maxLength", format!("at most {max} {unit}"));
        }
    }

    /// Checks `const`: the value must be exactly `expected`.
    pub fn constant(&mut self, path: &str, field: &str, value: &str, expected: &str) {
        if value != expected {
            self.push(path, field, "const", format!("{expected:?}"));
        }
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} validation error{}", if n == 1 { "" } else { "s" })?;
        for error in &self.errors {
            write!(f, "; {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut errors = ValidationErrors::default();
        errors.max_length("", "name", "héllo", 5);
        errors.min_length("", "name", "", 1);
        errors.min_length("/to", "id", "é", 2);
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "/name: expected at least 1 character (minLength)",
                "/to/id: expected at least 2 characters (minLength)"
            ]
        );
        assert_eq!(errors.to_string().lines().count(), 1);
        assert!(errors.to_string().starts_with("2 validation errors; "));
    }
}
