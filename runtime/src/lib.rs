//! Hand-written support that generated API clients call.
//!
//! Generated code stays small and declarative: it describes requests and types, and calls into
//! this crate for everything that is the same for every API: sending requests ([`HttpClient`],
//! [`Call`]), retrying them when that is safe ([`RetryPolicy`]), streamed responses
//! ([`ByteStream`], [`EventStream`]), page streams ([`Pages`]), authentication, errors
//! ([`Error`]), secrets that never print ([`Secret`]) and the validation report
//! ([`ValidationErrors`]).
//!
//! **API boundary:** only generated crates depend on this crate; its public items are what
//! generated code may name. A generated crate re-exports the few a user needs.
//!
//! **Features:** `client` (on by default) is everything above; without it the crate holds only
//! the parameter styles ([`QueryStyle`], [`PathStyle`]), which the generator shares with it and
//! which need no dependency. `schemars` adds the JSON Schema export ([`SchemaData`]); `mock` adds
//! the `mock` module: a local mock server that checks the requests it receives, what a
//! generated crate's `mock` feature builds on.

#[cfg(feature = "client")]
mod builder;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod http;
#[cfg(feature = "client")]
mod limit;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "client")]
mod multipart;
#[cfg(feature = "client")]
mod paginate;
#[cfg(feature = "client")]
mod params;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
mod retry;
#[cfg(all(feature = "client", feature = "schemars"))]
mod schema;
#[cfg(feature = "client")]
mod secret;
#[cfg(feature = "client")]
pub mod sse;
#[cfg(feature = "client")]
mod stream;
mod style;
#[cfg(feature = "client")]
mod template;
#[cfg(feature = "client")]
mod token;
#[cfg(feature = "client")]
mod upload;
#[cfg(feature = "client")]
mod validate;

#[cfg(feature = "client")]
pub use builder::{ClientConfig, Settings, Spec};
#[cfg(feature = "client")]
pub use error::{ApiError, Error, ErrorBody};
#[cfg(feature = "client")]
pub use http::{body, Call, Decoder, HttpClient, Method, RequestOptions};
#[cfg(feature = "client")]
pub use limit::DEFAULT_MAX_RESPONSE_BYTES;
#[cfg(feature = "client")]
pub use multipart::{FilePart, Multipart};
#[cfg(feature = "client")]
pub use paginate::{Items, PageRule, Pages};
#[cfg(feature = "client")]
pub use response::{RateLimit, Response, ResponseMeta};
#[cfg(feature = "client")]
pub use retry::{Clock, RetryPolicy, SystemClock};
#[cfg(all(feature = "client", feature = "schemars"))]
pub use schema::SchemaData;
#[cfg(feature = "client")]
pub use secret::{Credential, Secret};
#[cfg(feature = "client")]
pub use stream::{ByteStream, Event, EventDecoder, EventStream, Opener, Streaming};
pub use style::{PathStyle, QueryStyle};
#[cfg(feature = "client")]
pub use token::{ClientCredentials, Placement, TokenSource};
#[cfg(feature = "client")]
pub use upload::Upload;
#[cfg(feature = "client")]
pub use validate::{
    attempt, decode, from_json, split_tag, untagged, Attempt, Format, Path, Pattern, Validate,
    ValidationError, ValidationErrors,
};

#[cfg(feature = "client")]
/// The ECMAScript regular expression engine generated `pattern` checks use.
pub use regress;

/// The JSON Schema library generated types export their schemas through (the `schemars`
/// feature).
#[cfg(all(feature = "client", feature = "schemars"))]
pub use schemars;

#[cfg(feature = "client")]
/// The serialization framework generated types use (re-exported for the macros).
#[doc(hidden)]
pub use serde;

#[cfg(feature = "client")]
/// The `Stream` trait page, byte and event streams implement (`futures::Stream` is the same trait).
pub use futures_core;

#[cfg(feature = "client")]
/// The HTTP library underneath, for callers who supply their own `reqwest::Client`.
pub use reqwest;

#[cfg(feature = "client")]
/// Decodes an optional, nullable property into `Option<Option<T>>`: absent is `None` (through
/// `#[serde(default)]`), `null` is `Some(None)`, a value is `Some(Some(value))`. Generated
/// request types use it where sending `null` and leaving the property out mean different things:
/// a field of type `Option<Option<T>>` set to `None` leaves the property out, `Some(None)` sends
/// `null` (a PATCH that clears a value).
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

#[cfg(feature = "client")]
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

/// The `with_<member>` method of a generated struct's optional member: one line of generated
/// code per member, its documentation written here.
///
/// - `setter!(with_x, x, T)`: `x: Option<T>`, set from anything `Into<T>`;
/// - `setter!(with_x, x, box T)`: `x: Option<Box<T>>`, set from a `T`;
/// - `setter!(with_x, x, null T)`: `x: Option<Option<T>>` (absent, `null` or a value), set
///   from an `Option<T>`: `Some(value)` sends the value, `None` sends `null`;
/// - `setter!(with_x, x, null box T)`: the same, boxed.
#[macro_export]
macro_rules! setter {
    ($setter:ident, $field:ident, null box $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), "): `Some(value)` sends the value, `None` sends `null` (which clears it).")]
        pub fn $setter(mut self, value: ::std::option::Option<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value.map(::std::boxed::Box::new));
            self
        }
    };
    ($setter:ident, $field:ident, null $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), "): `Some(value)` sends the value, `None` sends `null` (which clears it).")]
        pub fn $setter(mut self, value: ::std::option::Option<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value);
            self
        }
    };
    ($setter:ident, $field:ident, box $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        pub fn $setter(mut self, value: $ty) -> Self {
            self.$field = ::std::option::Option::Some(::std::boxed::Box::new(value));
            self
        }
    };
    ($setter:ident, $field:ident, $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(::std::convert::Into::into(value));
            self
        }
    };
}

#[cfg(feature = "client")]
/// The impls a generated string enumeration gets from its `as_str` (the value as written on
/// the wire), written once here: `Display` prints that value; with `serde`, for an open
/// enumeration (one with a catch-all variant, so serde's derive cannot say it), `Serialize`
/// writes it and `Deserialize` reads any string through the type's `From<&str>`.
#[macro_export]
macro_rules! str_enum {
    ($ty:ident) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    ($ty:ident, serde) => {
        $crate::str_enum!($ty);

        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                ::std::result::Result::Ok(<$ty as ::std::convert::From<&str>>::from(&value))
            }
        }
    };
}
