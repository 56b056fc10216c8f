//! `multipart/form-data` request bodies (RFC 7578): text fields, JSON fields, and files from
//! bytes, a path or an async reader, each with a file name and a content type.
//!
//! The body is assembled in memory, so a call that is retried sends the same bytes again; the
//! boundary is chosen when the body is finished, and never occurs in any part.

use std::fmt;
use std::path::Path;

/// A file part's content, name and media type.
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example() -> std::io::Result<()> {
/// use runtime::FilePart;
///
/// let inline = FilePart::bytes(b"a,b\n1,2\n".to_vec()).file_name("data.csv").content_type("text/csv");
/// let from_disk = FilePart::path("photo.png").await?.content_type("image/png"); // named `photo.png`
/// let from_reader = FilePart::reader(tokio::io::empty()).await?.file_name("empty.bin");
/// # let _ = (inline, from_disk, from_reader); Ok(()) }
/// ```
#[derive(Clone)]
pub struct FilePart {
    content: bytes::Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content is the caller's data: only its length is shown.
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.content.len())
            .finish()
    }
}

impl FilePart {
    /// A file whose content is `content`; no file name until [`file_name`](Self::file_name).
    pub fn bytes(content: impl Into<bytes::Bytes>) -> Self {
        FilePart {
            content: content.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read now; its file name is the path's last component.
    ///
    /// # Errors
    ///
    /// The file cannot be read.
    pub async fn path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let content = tokio::fs::read(path).await?;
        Ok(FilePart {
            content: content.into(),
            file_name: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            content_type: None,
        })
    }

    /// Everything `reader` yields, read now (so a retry can send it again).
    ///
    /// # Errors
    ///
    /// The reader fails.
    pub async fn reader(mut reader: impl tokio::io::AsyncRead + Unpin) -> std::io::Result<Self> {
        let mut content = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut content).await?;
        Ok(FilePart::bytes(content))
    }

    /// The file name sent with the part (`filename=".."`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type; `application/octet-stream` unless set here or by the spec's
    /// `encoding`.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The content.
    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

/// One part: its name, optional file name and media type, and content.
struct Part {
    name: String,
    file_name: Option<String>,
    /// The media type the caller set (or `application/json` for a JSON field).
    content_type: Option<String>,
    content: bytes::Bytes,
}

/// A `multipart/form-data` body, built field by field and sent with
/// [`Call::multipart`](crate::Call::multipart).
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example(http: &runtime::HttpClient) -> Result<(), runtime::Error> {
/// use runtime::{FilePart, Method, Multipart};
///
/// let mut form = Multipart::new();
/// form.text("title", "Quarterly report")
///     .json("labels", &["finance", "q3"])
///     .file("attachment", FilePart::bytes(b"%PDF-1.7 ...".to_vec()).file_name("q3.pdf"))
///     .encoding("attachment", "application/pdf"); // the media type unless the file sets one
/// let answer = http
///     .call::<serde_json::Value, serde_json::Value>(Method::POST, "/uploads")
///     .multipart(form)
///     .await?;
/// # let _ = answer; Ok(()) }
/// ```
#[derive(Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// Media types by field name, for parts that set none (the spec's `encoding`).
    encoding: Vec<(String, String)>,
    /// Why a field could not be added (a JSON value that does not serialise): the call that
    /// sends the form fails with it, sending nothing.
    error: Option<String>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: the values are the caller's data.
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("Multipart").field("parts", &names).finish()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// A text field.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            content: bytes::Bytes::copy_from_slice(value.as_bytes()),
        });
        self
    }

    /// A field holding `value` as JSON (`Content-Type: application/json`). A value that
    /// cannot be serialised makes the call that sends the form fail with `Error::Config`,
    /// sending nothing.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        match serde_json::to_vec(value) {
            Ok(content) => self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: Some("application/json".to_owned()),
                content: content.into(),
            }),
            Err(err) => {
                self.error.get_or_insert_with(|| {
                    format!("the form field `{name}` cannot be serialised: {err}")
                });
            }
        }
        self
    }

    /// Why the form cannot be sent, if a field could not be added.
    pub(crate) fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// A file field. Its media type is the file's own, else the field's
    /// [`encoding`](Self::encoding), else `application/octet-stream`; its file name the file's
    /// own, else the field's name (a file part always has one, so servers see a file).
    pub fn file(&mut self, name: &str, file: FilePart) -> &mut Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.unwrap_or_else(|| name.to_owned())),
            content_type: file.content_type,
            content: file.content,
        });
        self
    }

    /// The media type of the parts of field `name` that set none themselves: the spec's
    /// `encoding.<name>.contentType` (generated methods apply it).
    pub fn encoding(&mut self, name: &str, content_type: &str) -> &mut Self {
        self.encoding
            .push((name.to_owned(), content_type.to_owned()));
        self
    }

    /// The body and its `Content-Type` (with the boundary).
    pub fn finish(self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let size: usize = self
            .parts
            .iter()
            .map(|p| p.content.len() + p.name.len() + 160)
            .sum();
        let mut body = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            body.extend_from_slice(quoted(&part.name).as_bytes());
            body.push(b'"');
            if let Some(file_name) = &part.file_name {
                body.extend_from_slice(b"; filename=\"");
                body.extend_from_slice(quoted(file_name).as_bytes());
                body.push(b'"');
            }
            body.extend_from_slice(b"\r\n");
            let encoded = || {
                self.encoding
                    .iter()
                    .find(|(name, _)| *name == part.name)
                    .map(|(_, content_type)| content_type.as_str())
            };
            let content_type = match (&part.content_type, &part.file_name) {
                (Some(own), _) => Some(own.as_str()),
                (None, Some(_)) => Some(encoded().unwrap_or("application/octet-stream")),
                (None, None) => encoded(),
            };
            if let Some(content_type) = content_type {
                body.extend_from_slice(b"Content-Type: ");
                body.extend_from_slice(single_line(content_type).as_bytes());
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    /// A random boundary that occurs in no part (drawn again in the unlikely case it does).
    fn boundary(&self) -> String {
        loop {
            let random: String = std::iter::repeat_with(fastrand::alphanumeric)
                .take(32)
                .collect();
            let boundary = format!("runtime-{random}");
            let found = self.parts.iter().any(|part| {
                part.content
                    .windows(boundary.len())
                    .any(|window| window == boundary.as_bytes())
            });
            if !found {
                return boundary;
            }
        }
    }
}

/// A name or file name inside `".."`: a quote, CR and LF percent-encoded as browsers do
/// (WHATWG), so a name cannot end the parameter or the header.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value on one line.
fn single_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_and_names_cannot_break_out() {
        let mut form = Multipart::new();
        form.text("a\"b\r\nX-Evil: 1", "v")
            .file("f", FilePart::bytes(&b"\x00\xffbin"[..]))
            .encoding("f", "image/png");
        let (content_type, body) = form.finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"a%22b%0D%0AX-Evil: 1\"\r\n\r\nv\r\n")), "{text}");
        assert!(
            text.contains("name=\"f\"; filename=\"f\"\r\nContent-Type: image/png\r\n\r\n"),
            "{text}"
        );
        assert!(body.windows(5).any(|w| w == b"\x00\xffbin"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn a_json_field_that_does_not_serialise_is_kept_as_the_error() {
        let mut key_is_not_a_string = std::collections::BTreeMap::new();
        key_is_not_a_string.insert((1, 2), 3);
        let mut form = Multipart::new();
        form.json("bad", &key_is_not_a_string).text("after", "ok");
        let error = form.take_error().unwrap();
        assert!(error.contains("`bad` cannot be serialised"), "{error}");
    }

    #[test]
    fn debug_shows_no_content() {
        let file = FilePart::bytes(b"secret".to_vec()).file_name("x.txt");
        assert!(!format!("{file:?}").contains("secret"));
        let mut form = Multipart::new();
        form.text("password", "hunter2");
        assert!(!format!("{form:?}").contains("hunter2"));
    }
}
