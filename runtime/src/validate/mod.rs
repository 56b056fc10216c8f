//! Validation: the [`Validate`] trait generated types implement, the [`Path`] of a value, and
//! the report of every broken rule ([`ValidationErrors`]).
//!
//! The happy path allocates nothing: a [`Path`] is a chain of borrowed segments on the stack,
//! turned into a JSON pointer string only when a rule is broken.

mod format;
mod json;
mod rules;

pub use format::Format;
pub(crate) use json::decode_response;
pub use json::{attempt, decode, from_json, split_tag, untagged, Attempt};
pub use rules::Pattern;

use std::fmt;

/// Checks a value against the rules of its schema, reporting every violation.
///
/// Generated types implement it; the client calls it before sending anything.
pub trait Validate {
    /// Adds every violation found in `self`, which sits at `path`, to `errors`.
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors);

    /// Every violation in `self`, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.validate_at(&Path::ROOT, &mut errors);
        errors.into_result()
    }
}

/// `Validate` for generated types that have no rule to check beyond their shape: any value
/// that decodes is valid.
#[macro_export]
macro_rules! no_rules {
    ($($ty:ident),* $(,)?) => {
        $(
            impl $crate::Validate for $ty {
                fn validate_at(&self, _: &$crate::Path<'_>, _: &mut $crate::ValidationErrors) {}
            }
        )*
    };
}

/// The `validate` and `from_json` methods of a generated request type, documented once here.
#[macro_export]
macro_rules! request_methods {
    ($ty:ident) => {
        impl $ty {
            /// Checks every rule of the spec that the type itself cannot enforce and reports
            /// every violation, each with the JSON pointer of the offending value. The client
            /// calls this before sending, so an invalid request never leaves.
            // `#[inline]` here and below: compiled where called, not in every build of the
            // generated crate.
            #[inline]
            pub fn validate(&self) -> ::std::result::Result<(), $crate::ValidationErrors> {
                $crate::Validate::validate(self)
            }

            /// Decodes a JSON document and validates it: a value ready to send, or every broken
            /// rule with the JSON pointer of its value (decoding itself stops at the first
            /// structural problem, such as a missing required property).
            #[inline]
            pub fn from_json(json: &str) -> ::std::result::Result<Self, $crate::ValidationErrors> {
                $crate::from_json(json)
            }
        }
    };
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_at(path, errors);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&path.index(i), errors);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        self.as_slice().validate_at(path, errors);
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        for (key, value) in self {
            value.validate_at(&path.key(key), errors);
        }
    }
}

/// Values without rules of their own (a body that is a bare string, number or any JSON): the
/// rules of the schema that holds them are checked by that schema's type.
macro_rules! no_rules {
    ($($ty:ty),*) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _: &Path<'_>, _: &mut ValidationErrors) {}
        })*
    };
}

no_rules!(str, String, bool, i32, i64, f64, serde_json::Value);

/// Where a value sits in a JSON document: a chain of segments borrowed from the stack.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The whole document.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The property `key` of the object at `self`.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The item `index` of the array at `self`.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The JSON pointer (RFC 6901) of this path: `""` for the root, `/to/id`, `/items/0`.
    pub fn to_pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            segments.push(path.segment);
            at = path.parent;
        }
        let mut pointer = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(key) => push_key(&mut pointer, key),
                Segment::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
    }
}

/// Appends `key` to a JSON pointer as one segment, escaped per RFC 6901 (`~` -> `~0`,
/// `/` -> `~1`).
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The JSON pointer of the offending value, e.g. `/to/id` (empty for the whole request).
    pub path: String,
    /// The JSON Schema keyword that is broken, e.g. `minLength`, `required`, `pattern`.
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

    /// Records that the value at `path` breaks `rule`.
    pub fn push(&mut self, path: &Path<'_>, rule: &'static str, expected: String) {
        self.errors.push(ValidationError {
            path: path.to_pointer(),
            rule,
            expected,
        });
    }

    /// Adds every violation of `other`, after these.
    #[cfg(feature = "mock")]
    pub(crate) fn append(&mut self, other: ValidationErrors) {
        self.errors.extend(other.errors);
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
    fn pointers_escape_keys_and_number_indexes() {
        let root = Path::ROOT;
        assert_eq!(root.to_pointer(), "");
        let to = root.key("to");
        assert_eq!(to.key("id").to_pointer(), "/to/id");
        let odd = root.key("a/b~c");
        assert_eq!(odd.index(3).to_pointer(), "/a~1b~0c/3");
    }

    #[test]
    fn reports_read_as_one_line() {
        let mut errors = ValidationErrors::default();
        let root = Path::ROOT;
        errors.min_length(&root.key("name"), "", 1);
        let to = root.key("to");
        errors.min_length(&to.key("id"), "é", 2);
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
