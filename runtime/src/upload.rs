//! A request body of raw bytes (`application/octet-stream`, `text/plain`, images...): held in
//! memory, or read from a stream, a reader or a file as it is sent.

use std::fmt;
use std::path::Path;

/// The body of an operation that takes raw bytes. Build one from bytes or text
/// (`Vec<u8>`, `&[u8]`, `bytes::Bytes`, `String`, `&str`, through `From`), or from a source
/// that is read as the request is sent: [`stream`](Upload::stream),
/// [`reader`](Upload::reader), [`file`](Upload::file).
///
/// - **In memory**: sent again as it is when the call is retried.
/// - **Streamed**: read once, as the request goes out, so the whole body is never held in
///   memory. It cannot be sent twice, so a call with a streamed body is never retried (an
///   error is returned as it is). A body whose length is known (a file's) is sent with
///   `Content-Length`; the others are sent chunked.
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example(http: &runtime::HttpClient) -> Result<(), Box<dyn std::error::Error>> {
/// use runtime::{Method, Upload};
///
/// let video = Upload::file("talk.mp4").await?; // read as it is sent
/// let stored: serde_json::Value = http
///     .call::<serde_json::Value, serde_json::Value>(Method::PUT, "/files/talk.mp4")
///     .upload("application/octet-stream", video)
///     .await?;
/// # Ok(()) }
/// ```
pub struct Upload {
    pub(crate) body: Source,
}

pub(crate) enum Source {
    Bytes(bytes::Bytes),
    Stream {
        body: reqwest::Body,
        length: Option<u64>,
    },
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes are the caller's data: only their size shows.
        match &self.body {
            Source::Bytes(bytes) => write!(f, "Upload({} bytes)", bytes.len()),
            Source::Stream {
                length: Some(length),
                ..
            } => write!(f, "Upload(stream of {length} bytes)"),
            Source::Stream { length: None, .. } => f.write_str("Upload(stream)"),
        }
    }
}

impl Upload {
    /// A body of bytes, held in memory.
    pub fn bytes(bytes: impl Into<bytes::Bytes>) -> Self {
        Upload {
            body: Source::Bytes(bytes.into()),
        }
    }

    /// A body read from `stream` as the request is sent (sent chunked: its length is not
    /// known beforehand). An error from the stream aborts the request: the call fails with
    /// `Error::Transport`.
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<B, E>> + Send + 'static,
        bytes::Bytes: From<B>,
        B: 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Upload {
            body: Source::Stream {
                body: reqwest::Body::wrap_stream(stream),
                length: None,
            },
        }
    }

    /// A body read from `reader` as the request is sent, `length` bytes long when known (it
    /// is then sent with `Content-Length`, and must be exact).
    pub fn reader<R>(reader: R, length: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        Upload {
            body: Source::Stream {
                body: reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader)),
                length,
            },
        }
    }

    /// A body read from the file at `path` as the request is sent, with its length.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened or its length read.
    pub async fn file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        Ok(Upload::reader(file, Some(length)))
    }

    /// The body's length, when it is known before it is sent.
    pub fn len(&self) -> Option<u64> {
        match &self.body {
            Source::Bytes(bytes) => u64::try_from(bytes.len()).ok(),
            Source::Stream { length, .. } => *length,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl From<bytes::Bytes> for Upload {
    fn from(bytes: bytes::Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&Vec<u8>> for Upload {
    fn from(bytes: &Vec<u8>) -> Self {
        Upload::bytes(bytes.clone())
    }
}

impl From<&[u8]> for Upload {
    fn from(bytes: &[u8]) -> Self {
        Upload::bytes(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Upload {
    fn from(bytes: &[u8; N]) -> Self {
        Upload::bytes(bytes.to_vec())
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&String> for Upload {
    fn from(text: &String) -> Self {
        Upload::bytes(text.clone())
    }
}

impl From<&str> for Upload {
    fn from(text: &str) -> Self {
        Upload::bytes(text.to_owned())
    }
}
