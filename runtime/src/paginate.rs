//! Pagination: a list operation's pages as a stream that follows the next page until the end.
//!
//! A generated client gives every list operation whose paging it recognises (or whose spec
//! declares it with `x-pagination`) a `<operation>_pages(..)` method returning [`Pages`], a
//! [`futures_core::Stream`] of pages; [`Pages::items`] flattens it into the items. Each page
//! is one [`Call`], so the client's retries, rate-limit waits, timeout and size limit apply to
//! every page.

use crate::error::Error;
use crate::http::Call;
use crate::response::Response;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How the next page is found, given the page just received.
pub enum PageRule<P> {
    /// A cursor in the page's body (`pages.next.starting_after`, `next_cursor`,
    /// `next_page_token`), sent back as the query parameter `param`.
    Cursor {
        /// The query parameter that carries the cursor.
        param: &'static str,
        /// Reads the next page's cursor from a page; `None` when there is none.
        next: fn(&P) -> Option<String>,
    },
    /// A cursor in the page's body, sent back inside the JSON request body at the JSON
    /// pointer `pointer` (Intercom's search operations: `/pagination/starting_after`), the
    /// objects on the way created when the body lacks them.
    BodyCursor {
        /// Where the cursor goes in the request body.
        pointer: &'static str,
        /// Reads the next page's cursor from a page; `None` when there is none.
        next: fn(&P) -> Option<String>,
    },
    /// The `Link` header's `rel="next"` URL (RFC 8288), as GitHub sends. It is only followed
    /// when it is under the client's base URL: the request carries the credential.
    Link,
    /// Page numbers in the query parameter `param`, counting from `first`.
    PageNumber {
        /// The query parameter that carries the page number.
        param: &'static str,
        /// The first page's number (usually 1).
        first: u64,
        /// Reads how many pages there are, when the page says.
        total_pages: Option<fn(&P) -> Option<u64>>,
    },
    /// An offset into the list in the query parameter `param`, advanced by the number of
    /// items each page holds.
    Offset {
        /// The query parameter that carries the offset.
        param: &'static str,
        /// Reads how many items there are in all, when the page says.
        total: Option<fn(&P) -> Option<u64>>,
    },
}

impl<P> fmt::Debug for PageRule<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageRule::Cursor { param, .. } => write!(f, "Cursor({param})"),
            PageRule::BodyCursor { pointer, .. } => write!(f, "BodyCursor({pointer})"),
            PageRule::Link => f.write_str("Link"),
            PageRule::PageNumber { param, first, .. } => {
                write!(f, "PageNumber({param} from {first})")
            }
            PageRule::Offset { param, .. } => write!(f, "Offset({param})"),
        }
    }
}

type PageFuture<'a, P, E> =
    Pin<Box<dyn Future<Output = Result<Response<P>, Error<E>>> + Send + 'a>>;

/// The pages of a list operation, one request per page, as a [`futures_core::Stream`] of
/// `Result<P, Error>`. Made by a generated `<operation>_pages(..)` method.
///
/// - **Every page is a call**: the client's retries (and `Retry-After` waits), timeout and
///   response size limit apply to each one.
/// - **It ends**: after a page with no items, without a next cursor (or next link, or with the
///   last page number or offset reached), or whose next cursor was already used: never an
///   endless loop. An error ends it too, after it is returned.
/// - **Stop and resume**: [`next_cursor`](Pages::next_cursor) is where the next page starts
///   (after an error, the page that failed); save it, and [`resume_from`](Pages::resume_from)
///   a new stream later.
/// - **Cancel safe**: dropping the stream (or the future of `next_page`) between or during
///   pages drops the request in flight; the client stays usable.
///
/// Without `futures`, [`next_page`](Pages::next_page) and [`Items::next_item`] are all a loop
/// needs:
///
/// ```no_run
/// # use clientgen_runtime as runtime; // generated crates name it `runtime`
/// # async fn example<P: Send + 'static, I>(mut pages: runtime::Pages<'_, P, I, serde_json::Value>) -> Result<(), runtime::Error> {
/// while let Some(page) = pages.next_page().await {
///     let page = page?;
///     // ... use the page, and maybe stop early:
///     if let Some(cursor) = pages.next_cursor() {
///         println!("resume later from {cursor}");
///     }
///     # let _ = page; break;
/// }
/// # Ok(()) }
/// ```
#[must_use = "a page stream does nothing until it is polled"]
pub struct Pages<'a, P, I, E> {
    make: Box<dyn Fn() -> Call<'a, P, E> + Send + Sync + 'a>,
    rule: PageRule<P>,
    items: fn(P) -> Vec<I>,
    count: Option<fn(&P) -> usize>,
    /// The cursor the next request starts from: `None` for the first page.
    cursor: Option<String>,
    /// Every cursor requested so far, to stop at a repeated one.
    seen: HashSet<String>,
    /// The page number or offset the last request carried, as the request wrote it (the
    /// caller's own parameter for the first page).
    sent: Option<String>,
    in_flight: Option<PageFuture<'a, P, E>>,
    done: bool,
}

impl<P, I, E> fmt::Debug for Pages<'_, P, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cursor is the API's, not a secret; the calls are not shown (their bodies are
        // the caller's).
        f.debug_struct("Pages")
            .field("rule", &self.rule)
            .field("cursor", &self.cursor)
            .field("pages_requested", &self.seen.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<'a, P, I, E> Pages<'a, P, I, E>
where
    P: Send + 'a,
    E: serde::de::DeserializeOwned + crate::error::ErrorBody + Send + 'a,
{
    /// The pages of the calls `make` makes, found by `rule`; `items` takes a page's items,
    /// `count` counts them without taking them (`None` when a page's items cannot be found,
    /// so an empty page cannot be told apart). Generated code calls this.
    pub fn new(
        make: impl Fn() -> Call<'a, P, E> + Send + Sync + 'a,
        rule: PageRule<P>,
        items: fn(P) -> Vec<I>,
        count: Option<fn(&P) -> usize>,
    ) -> Self {
        Pages {
            make: Box::new(make),
            rule,
            items,
            count,
            cursor: None,
            seen: HashSet::new(),
            sent: None,
            in_flight: None,
            done: false,
        }
    }

    /// Starts from `cursor` (one [`next_cursor`](Pages::next_cursor) returned) instead of the
    /// first page.
    pub fn resume_from(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// Where the next page starts: the cursor (or next link, page number or offset, as text)
    /// its request will carry; after an error, that of the page that failed. `None` before
    /// the first page and after the last.
    pub fn next_cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The next page, `None` at the end. Cancel safe: dropping the future drops the request.
    pub async fn next_page(&mut self) -> Option<Result<P, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The items of every page, one by one (a page's items are taken when the page arrives).
    pub fn items(self) -> Items<'a, P, I, E> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P, Error<E>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let future = match &mut self.in_flight {
            Some(future) => future,
            None => match self.start() {
                Ok(future) => self.in_flight.insert(future),
                Err(error) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            },
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.in_flight = None;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                // The cursor stays: it is where to resume.
                self.done = true;
                return Poll::Ready(Some(Err(error)));
            }
        };
        self.advance(&response);
        Poll::Ready(Some(Ok(response.value)))
    }

    /// The request for the page at `self.cursor`.
    fn start(&mut self) -> Result<PageFuture<'a, P, E>, Error<E>> {
        let mut call = (self.make)();
        if let Some(cursor) = &self.cursor {
            self.seen.insert(cursor.clone());
            match &self.rule {
                PageRule::Cursor { param, .. }
                | PageRule::PageNumber { param, .. }
                | PageRule::Offset { param, .. } => {
                    let query = &mut call.request.query;
                    query.retain(|(name, _)| name != param);
                    query.push(((*param).to_owned(), cursor.clone()));
                }
                PageRule::BodyCursor { pointer, .. } => {
                    // A call without a body (the operation's is optional) gets one to hold the
                    // cursor.
                    let (_, body) = call
                        .request
                        .body
                        .get_or_insert_with(|| ("application/json", b"{}".to_vec()));
                    *body = with_cursor(body, pointer, cursor)?;
                }
                PageRule::Link => {
                    let base = call.request.http.base_url();
                    let Some(rest) = cursor.strip_prefix(base).filter(|rest| {
                        rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')
                    }) else {
                        return Err(Error::Config(
                            "the next page's link is not under the client's base URL, so it is \
                             not followed (it would carry the credential elsewhere)"
                                .to_owned(),
                        ));
                    };
                    call.request.path = rest.to_owned();
                    call.request.query.clear();
                }
            }
        }
        if let PageRule::PageNumber { param, .. } | PageRule::Offset { param, .. } = &self.rule {
            self.sent = call
                .request
                .query
                .iter()
                .rev()
                .find(|(name, _)| name == param)
                .map(|(_, value)| value.clone());
        }
        Ok(Box::pin(call.send_with_meta()))
    }

    /// Finds the next page's cursor from the page just received, or ends the stream.
    fn advance(&mut self, response: &Response<P>) {
        let page = &response.value;
        let count = self.count.map(|count| count(page));
        let empty = count == Some(0);
        let next = match &self.rule {
            PageRule::Cursor { next, .. } | PageRule::BodyCursor { next, .. } => {
                next(page).filter(|cursor| !cursor.is_empty())
            }
            PageRule::Link => next_link(&response.meta.headers),
            PageRule::PageNumber {
                first, total_pages, ..
            } => {
                let current = self
                    .sent
                    .as_deref()
                    .and_then(|c| c.parse::<u64>().ok())
                    .unwrap_or(*first);
                let total = total_pages.and_then(|total| total(page));
                match (total, count) {
                    // Pages counted from 0 end at total - 1.
                    (Some(total), _)
                        if current.saturating_add(1) >= total.saturating_add(*first) =>
                    {
                        None
                    }
                    // Neither a total nor a count: nothing says when to stop, so stop here.
                    (None, None) => None,
                    _ => current.checked_add(1).map(|n| n.to_string()),
                }
            }
            PageRule::Offset { total, .. } => {
                let current = self
                    .sent
                    .as_deref()
                    .and_then(|c| c.parse::<u64>().ok())
                    .unwrap_or(0);
                let advanced = count.and_then(|n| current.checked_add(n as u64));
                match (advanced, total.and_then(|total| total(page))) {
                    (Some(next), Some(total)) if next >= total => None,
                    (Some(next), _) => Some(next.to_string()),
                    // Without a count, an offset cannot advance.
                    (None, _) => None,
                }
            }
        };
        match next {
            Some(next) if !empty && !self.seen.contains(&next) => self.cursor = Some(next),
            _ => {
                self.cursor = None;
                self.done = true;
            }
        }
    }
}

impl<'a, P, I, E> futures_core::Stream for Pages<'a, P, I, E>
where
    P: Send + 'a,
    E: serde::de::DeserializeOwned + crate::error::ErrorBody + Send + 'a,
{
    type Item = Result<P, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The JSON `body` with `cursor` at `pointer`, the objects on the way created where missing
/// (or `null`).
fn with_cursor<E>(body: &[u8], pointer: &str, cursor: &str) -> Result<Vec<u8>, Error<E>> {
    let refuse = |why: &str| {
        Error::Config(format!(
            "the page's cursor cannot go at `{pointer}` of the request body: {why}"
        ))
    };
    let mut json: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| refuse("it is not JSON"))?;
    let mut at = &mut json;
    let keys: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, key) in keys.iter().enumerate() {
        if at.is_null() {
            *at = serde_json::Value::Object(serde_json::Map::new());
        }
        let serde_json::Value::Object(object) = at else {
            return Err(refuse("a value on the way is not an object"));
        };
        if i + 1 == keys.len() {
            object.insert(
                (*key).to_owned(),
                serde_json::Value::String(cursor.to_owned()),
            );
            break;
        }
        at = object
            .entry((*key).to_owned())
            .or_insert(serde_json::Value::Null);
    }
    serde_json::to_vec(&json).map_err(|_| refuse("it cannot be written back"))
}

/// The `rel="next"` target of a `Link` header (RFC 8288): `<url>; rel="next"`, among other
/// links and parameters, in any of the header's lines.
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        let mut rest = value;
        while let Some(open) = rest.find('<') {
            let after = &rest[open + 1..];
            let close = after.find('>')?;
            let target = &after[..close];
            let params = &after[close + 1..];
            // This link's parameters run to the next link (a `,` followed by `<`).
            let end = params
                .match_indices(',')
                .map(|(comma, _)| comma)
                .find(|&comma| params[comma + 1..].trim_start().starts_with('<'))
                .unwrap_or(params.len());
            let is_next = params[..end].split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next && !target.is_empty() {
                return Some(target.to_owned());
            }
            rest = &params[end..];
        }
    }
    None
}

/// The items of every page, one by one: a [`futures_core::Stream`] of `Result<I, Error>`, from
/// [`Pages::items`]. Ends as the pages do; a page's error comes out in place of its items.
#[must_use = "an item stream does nothing until it is polled"]
pub struct Items<'a, P, I, E> {
    pages: Pages<'a, P, I, E>,
    buffered: VecDeque<I>,
}

// Nothing is pinned in place: the request in flight is boxed, items are only moved out.
impl<P, I, E> Unpin for Items<'_, P, I, E> {}
impl<P, I, E> Unpin for Pages<'_, P, I, E> {}

impl<P, I, E> fmt::Debug for Items<'_, P, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<'a, P, I, E> Items<'a, P, I, E>
where
    P: Send + 'a,
    E: serde::de::DeserializeOwned + crate::error::ErrorBody + Send + 'a,
{
    /// The next item, `None` at the end. Cancel safe: an item is only taken when returned.
    pub async fn next_item(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Where the page after the items already received starts (see
    /// [`Pages::next_cursor`]). Items of the current page not yet returned are not counted:
    /// resuming from here skips them.
    pub fn next_cursor(&self) -> Option<&str> {
        self.pages.next_cursor()
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, Error<E>>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffered.extend((self.pages.items)(page)),
            }
        }
    }
}

impl<'a, P, I, E> futures_core::Stream for Items<'a, P, I, E>
where
    P: Send + 'a,
    E: serde::de::DeserializeOwned + crate::error::ErrorBody + Send + 'a,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::next_link;
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    fn link(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        next_link(&headers)
    }

    #[test]
    fn finds_the_next_link_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            link(&[github]).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let last_first = r#"<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel=next"#;
        assert_eq!(link(&[last_first]).as_deref(), Some("https://x/a?page=3"));
        let spaced = r#"<https://x/b>; title="a, b"; rel="prev next""#;
        assert_eq!(link(&[spaced]).as_deref(), Some("https://x/b"));
        assert_eq!(
            link(&[
                r#"<https://x/c>; rel="last""#,
                r#"<https://x/d>; REL="Next""#
            ])
            .as_deref(),
            Some("https://x/d")
        );
    }

    #[test]
    fn no_next_link_is_none_and_garbage_does_not_panic() {
        assert_eq!(link(&[r#"<https://x/a>; rel="prev""#]), None);
        assert_eq!(link(&[]), None);
        for garbage in [
            "<",
            ">",
            "<>; rel=next",
            "; rel=next",
            "<a",
            "<a>;;;,,<",
            "<a>; rel",
            ",<,>,",
        ] {
            let _ = link(&[garbage]);
        }
        assert_eq!(link(&["<>; rel=next"]), None);
    }
}
