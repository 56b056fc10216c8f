//! The response size limit: a buffered body is read chunk by chunk and refused as soon as it
//! would pass the limit, so a huge (or endless) response costs at most the limit in memory. A
//! `Content-Length` over the limit is refused before a byte of the body is read.

/// The default limit on a buffered response body: 32 MiB. Set another per client with the
/// builder's `max_response_size(..)`, or per call with `Call::max_response_size`.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a body could not be read whole.
pub(crate) enum ReadError {
    /// The body is larger than the limit: declared so by `Content-Length` (`declared`), or
    /// found to be while reading (`declared` is `None`, or a length the body outgrew).
    TooLarge { declared: Option<u64> },
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// Reads `response`'s body into memory, at most `limit` bytes of it.
///
/// The buffer is sized from `Content-Length` (never beyond the limit), so a body that says its
/// length is read without reallocating; one that does not grows the buffer as chunks arrive,
/// and a chunk that would take it over the limit is refused before it is copied. The buffer's
/// capacity never passes the limit either, so the memory a body costs is bounded by the limit
/// (while the buffer grows, the old and the new block are held for a moment: 1.5 times the
/// limit at most), whatever the server sends.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<bytes::Bytes, ReadError> {
    let declared = response.content_length();
    if let Some(length) = declared {
        if length > limit {
            return Err(ReadError::TooLarge {
                declared: Some(length),
            });
        }
    }
    // The first chunk alone is kept as it is: a small body is one chunk, and needs no copy.
    let first = match response.chunk().await.map_err(ReadError::Transport)? {
        None => return Ok(bytes::Bytes::new()),
        Some(chunk) => chunk,
    };
    if len(&first) > limit {
        return Err(ReadError::TooLarge { declared });
    }
    let second = match response.chunk().await.map_err(ReadError::Transport)? {
        None => return Ok(first),
        Some(chunk) => chunk,
    };
    // Within the limit, so it fits in a `usize` on any platform that holds the limit itself.
    let capacity = declared.unwrap_or(0).min(limit);
    let mut buffer = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut next = Some(second);
    buffer.extend_from_slice(&first);
    drop(first);
    while let Some(chunk) = next {
        if len(&buffer) + len(&chunk) > limit {
            return Err(ReadError::TooLarge { declared });
        }
        if buffer.capacity() - buffer.len() < chunk.len() {
            // Doubling, as `Vec` does, but never past the limit: the buffer's capacity is
            // bounded by the limit too, not only its length.
            let wanted = (buffer.len() * 2).max(buffer.len() + chunk.len());
            let bound = usize::try_from(limit).unwrap_or(usize::MAX);
            buffer.reserve_exact(wanted.min(bound) - buffer.len());
        }
        buffer.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(ReadError::Transport)?;
    }
    Ok(bytes::Bytes::from(buffer))
}

fn len(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}
