//! Rules on values that their Rust types cannot express, named after their JSON Schema keywords:
//! constraints on one value, and rules about an object as a whole.

/// A rule on a value that its Rust type cannot express, named after its JSON Schema keyword.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// An ECMAScript regular expression that must match somewhere in the string (checked to
    /// compile when the spec is resolved).
    Pattern(String),
    /// A checked string format.
    Format(StringFormat),
    /// `minimum`: at least this.
    Minimum(f64),
    /// `exclusiveMinimum` (either OpenAPI form): more than this.
    ExclusiveMinimum(f64),
    /// `maximum`: at most this.
    Maximum(f64),
    /// `exclusiveMaximum`: less than this.
    ExclusiveMaximum(f64),
    /// `multipleOf`: a whole multiple of this (positive).
    MultipleOf(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `minProperties` of a map.
    MinProperties(u64),
    /// `maxProperties` of a map.
    MaxProperties(u64),
    /// Exactly this string (`const`, or an `enum` of one value, where it is not a struct's
    /// fixed property).
    Const(String),
    /// Rules every item of a list follows.
    Items(Vec<Constraint>),
    /// Rules every value of a map follows.
    Values(Vec<Constraint>),
}

/// A string `format` the validators check. Other formats are annotations only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringFormat {
    /// `email`.
    Email,
    /// `uuid`.
    Uuid,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `uri` (absolute).
    Uri,
    /// `byte` (OpenAPI): base64.
    Byte,
}

/// A rule about an object as a whole.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectRule {
    /// `minProperties`: at least this many properties present.
    MinProperties(u64),
    /// `maxProperties`: at most this many properties present.
    MaxProperties(u64),
    /// `dependentRequired`: when field `when` is present, every one of `requires` must be.
    /// Field names are the struct's (snake_case) names.
    DependentRequired {
        /// The field whose presence triggers the rule.
        when: String,
        /// The fields that must then be present.
        requires: Vec<String>,
    },
    /// `anyOf`/`oneOf` whose branches only add rules to the object's own properties: which
    /// properties must be present, and to which values some are narrowed.
    Branches {
        /// `oneOf`: exactly one branch must hold; `anyOf`: at least one.
        exactly_one: bool,
        /// The branches, in spec order.
        branches: Vec<Branch>,
    },
    /// `if`/`then`/`else` (3.1) of the form "if `field` is `value`, require these, else those".
    Conditional {
        /// The condition.
        condition: Condition,
        /// Fields required when it holds.
        then: Vec<String>,
        /// Fields required when it does not.
        otherwise: Vec<String>,
    },
}

/// One branch of [`ObjectRule::Branches`].
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// How messages name it: its `title`, else its position, then what it requires.
    pub label: String,
    /// Fields (the struct's names) that must be present.
    pub required: Vec<String>,
    /// Fields (the struct's names) whose value, when present, must be one of these strings.
    pub values: Vec<(String, Vec<String>)>,
}

/// `if: {properties: {field: {const: value}}, required: [field]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The struct's field.
    pub field: String,
    /// The string (or string enum) value it is compared with.
    pub value: String,
    /// Whether the field must be present for the condition to hold (`required` in the `if`);
    /// without it an absent field satisfies the condition, as in JSON Schema.
    pub require_present: bool,
}
