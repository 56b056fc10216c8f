use std::fmt;

/// A credential, such as an access token. Its `Debug` and `Display` print `[redacted]`, so it
/// cannot leak through logs, error messages or `{:?}` of a struct holding it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How requests prove who sends them; every secret part is a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2 and OpenID Connect access tokens).
    Bearer(Secret),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key in a request header.
    HeaderKey {
        /// The header's name.
        name: String,
        /// The key.
        key: Secret,
    },
    /// An API key in the query string. Errors of requests carrying it do not keep their URL.
    QueryKey {
        /// The query parameter's name.
        name: String,
        /// The key.
        key: Secret,
    },
    /// An API key in a cookie.
    CookieKey {
        /// The cookie's name.
        name: String,
        /// The key.
        key: Secret,
    },
    /// A token asked of `source` for each call (a callback, or OAuth 2 client credentials),
    /// sent as `placement` says.
    Dynamic {
        /// Where the token comes from.
        source: crate::token::TokenSource,
        /// Where it goes.
        placement: crate::token::Placement,
    },
}

/// RFC 4648 base64 with padding, for `Authorization: Basic`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn base64_matches_rfc_4648() {
        use super::base64;
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn never_prints_the_value() {
        let secret = Secret::new("tok_live_123");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert!(!format!("{secret:?}").contains("tok_live_123"));
        assert_eq!(secret.expose(), "tok_live_123");
    }
}
