//! `multipart/form-data` request bodies (issue 15): the spec's `encoding`, which a generated
//! `<operation>_multipart` method applies to the form the caller builds.

/// An operation whose request body is `multipart/form-data`.
#[derive(Clone, Debug, PartialEq)]
pub struct MultipartBody {
    /// The method that sends a `runtime::Multipart` form (snake_case, `<operation>_multipart`),
    /// unique among the methods beside it.
    pub method: String,
    /// `encoding.<field>.contentType`, by field (wire) name, in spec order.
    pub encoding: Vec<(String, String)>,
}
