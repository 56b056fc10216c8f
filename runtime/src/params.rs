//! The parameters of a call: path, query, header and cookie parameters, each written in its
//! OpenAPI style, and the check of their rules before anything is sent.

use crate::error::Error;
use crate::http::{is_cookie_name, Call};
use crate::style::{PathStyle, QueryStyle};
use crate::template::expand;
use crate::validate::ValidationErrors;
use serde::Serialize;

/// A parameter value as text: strings as they are, numbers and booleans as JSON writes them;
/// `None` for `null` (an absent optional parameter).
fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl<T, E> Call<'_, T, E> {
    /// Refuses the call with `errors` when there are any: the operation's parameters broke
    /// rules of the spec, so nothing is sent.
    pub fn checked(self, errors: ValidationErrors) -> Self {
        if errors.is_empty() {
            self
        } else {
            self.refuse(Error::Validation(errors))
        }
    }

    /// Fills `{name}` in the path with `value` in the `simple` style, percent-encoded. An empty
    /// value is refused: it would address another resource.
    pub fn path_param<V: Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.path_param_styled(name, value, PathStyle::Simple { explode: false })
    }

    /// Fills `{name}` in the path with `value` written in `style` (`label`, `matrix`, ...),
    /// every part percent-encoded. An empty value is refused.
    pub fn path_param_styled<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: PathStyle,
    ) -> Self {
        let text = match self.value(&format!("path parameter `{name}`"), value) {
            Ok(v) => expand(name, &v, style),
            Err(error) => return self.refuse(error),
        };
        let Some(text) = text else {
            let mut errors = crate::ValidationErrors::default();
            errors.push(
                &crate::Path::ROOT.key(name),
                "minLength",
                "a non-empty path parameter".to_owned(),
            );
            return self.refuse(Error::Validation(errors));
        };
        let mut call = self;
        call.request.path = call.request.path.replace(&format!("{{{name}}}"), &text);
        call
    }

    /// Adds a query parameter in the default style (`form`, exploded: `a=1&a=2`); `None` (JSON
    /// `null`) adds nothing.
    pub fn query<V: Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.query_styled(name, value, QueryStyle::Form { explode: true })
    }

    /// Adds a query parameter written in `style`; `None` (JSON `null`) adds nothing.
    pub fn query_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: QueryStyle,
    ) -> Self {
        let value = match self.value(&format!("query parameter `{name}`"), value) {
            Ok(v) => v,
            Err(error) => return self.refuse(error),
        };
        let joined = |items: Vec<String>, separator: &str| items.join(separator);
        match (&value, style) {
            (serde_json::Value::Array(items), QueryStyle::Form { explode: true }) => {
                for item in items.iter().filter_map(scalar) {
                    self.request.query.push((name.to_owned(), item));
                }
            }
            (serde_json::Value::Array(items), _) => {
                let separator = match style {
                    QueryStyle::SpaceDelimited => " ",
                    QueryStyle::PipeDelimited => "|",
                    _ => ",",
                };
                let items = items.iter().filter_map(scalar).collect();
                self.request
                    .query
                    .push((name.to_owned(), joined(items, separator)));
            }
            (serde_json::Value::Object(fields), QueryStyle::DeepObject) => {
                for (key, field) in fields {
                    if let Some(text) = scalar(field) {
                        self.request.query.push((format!("{name}[{key}]"), text));
                    }
                }
            }
            (serde_json::Value::Object(fields), QueryStyle::Form { explode: true }) => {
                for (key, field) in fields {
                    if let Some(text) = scalar(field) {
                        self.request.query.push((key.clone(), text));
                    }
                }
            }
            (serde_json::Value::Object(fields), _) => {
                let items = fields
                    .iter()
                    .filter_map(|(k, v)| Some(format!("{k},{}", scalar(v)?)))
                    .collect();
                self.request
                    .query
                    .push((name.to_owned(), joined(items, ",")));
            }
            (value, _) => {
                if let Some(text) = scalar(value) {
                    self.request.query.push((name.to_owned(), text));
                }
            }
        }
        self
    }

    /// Sends a header parameter; `None` sends nothing. Lists are comma-separated.
    pub fn header_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let text = match self.value(&format!("header `{name}`"), value) {
            Ok(serde_json::Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(scalar)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Ok(value) => scalar(&value),
            Err(error) => return self.refuse(error),
        };
        if let Some(text) = text {
            self.request.param_headers.push((name.to_owned(), text));
        }
        self
    }

    /// Sends a cookie parameter; `None` sends nothing. A name that is not a cookie name (it
    /// comes from the spec, and `a; admin` would add a cookie) refuses the call.
    pub fn cookie<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match self.value(&format!("cookie `{name}`"), value) {
            Ok(value) => {
                if let Some(text) = scalar(&value) {
                    if !is_cookie_name(name) {
                        return self.refuse(Error::Config(format!(
                            "`{name}` is not a valid cookie name"
                        )));
                    }
                    self.request
                        .cookies
                        .push(format!("{name}={}", crate::template::encode_segment(&text)));
                }
                self
            }
            Err(error) => self.refuse(error),
        }
    }
}
