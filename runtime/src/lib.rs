//! Hand-written support that generated API clients call.
//!
//! Generated code stays small and declarative: it describes requests and types, and calls into
//! this crate for everything that is the same for every API: sending requests ([`HttpClient`],
//! [`Call`]), retrying them when that is safe ([`RetryPolicy`]), authentication, errors
//! ([`Error`]), secrets that never print ([`Secret`]) and the validation report
//! ([`ValidationErrors`]).
//!
//! **API boundary:** only generated crates depend on this crate; its public items are what
//! generated code may name. A generated crate re-exports the few a user needs.

mod builder;
mod error;
mod http;
mod params;
mod response;
mod retry;
#[cfg(feature = "schemars")]
mod schema;
mod secret;
mod template;
mod validate;

pub use builder::{ClientConfig, Settings, Spec};
pub use error::{ApiError, Error, ErrorBody};
pub use http::{body, Call, Decoder, HttpClient, Method, RequestOptions};
pub use params::QueryStyle;
pub use response::{RateLimit, Response, ResponseMeta};
pub use retry::{Clock, RetryPolicy, SystemClock};
#[cfg(feature = "schemars")]
pub use schema::SchemaData;
pub use secret::{Credential, Secret};
pub use template::PathStyle;
pub use validate::{
    attempt, decode, from_json, split_tag, untagged, Attempt, Format, Path, Pattern, Validate,
    ValidationError, ValidationErrors,
};

/// The ECMAScript regular expression engine generated `pattern` checks use.
pub use regress;

/// The HTTP library underneath, for callers who supply their own `reqwest::Client`.
pub use reqwest;

/// Decodes an optional, nullable property into `Option<Option<T>>`: absent is `None` (through
/// `#[serde(default)]`), `null` is `Some(None)`, a value is `Some(Some(value))`. Generated
/// request types use it where sending `null` and leaving the property out mean different things.
///
/// # Errors
///
/// Whatever decoding a `T` fails with.
pub fn explicit_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// Decodes a required, nullable property into `Option<T>`, `null` being `None`. Named as a
/// field's `deserialize_with`, it makes the property required: serde reads a missing `Option`
/// field as `None` unless the field has a decoder of its own, and `required` means the
/// property is there, if only as `null`.
///
/// # Errors
///
/// Whatever decoding a `T` fails with.
pub fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}

/// Decodes a string and maps it, borrowing it from the input where the format allows: the
/// `Deserialize` of a generated open enumeration, through its `From<&str>`.
///
/// # Errors
///
/// When the value is not a string.
pub fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    Ok(T::from(&value))
}
