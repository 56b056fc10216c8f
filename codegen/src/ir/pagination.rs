//! How a list operation pages (issue 15): where the next page's cursor, link, number or offset
//! comes from, and where a page's items are. Resolve detects it (or reads `x-pagination`);
//! emit gives the operation a `<name>_pages` method over the runtime's `Pages`.

use super::TypeRef;

/// A list operation's paging.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The method that streams the pages (snake_case, `<operation>_pages`), unique among the
    /// methods beside it.
    pub method: String,
    /// How the next page is found.
    pub style: PageStyle,
    /// The page's items: the path to the list in the page, and the item type. `None` when the
    /// page has no single list of items (the pages are still streamed; `items()` is empty).
    pub items: Option<FieldPath>,
    /// The rule that matched (`intercom-cursor`, `next-cursor`, `link-header`, `page-number`,
    /// `x-pagination`), named in the diagnostics note and the method's docs.
    pub rule: String,
}

/// Where the next page comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PageStyle {
    /// A cursor in the page's body, sent back as the query parameter `param`.
    Cursor {
        /// The query parameter's wire name.
        param: String,
        /// Where the next cursor is in the page (a string or an integer).
        next: FieldPath,
    },
    /// A cursor in the page's body, sent back inside the JSON request body at `pointer`
    /// (Intercom's search operations: `/pagination/starting_after`).
    BodyCursor {
        /// The JSON pointer of the cursor in the request body.
        pointer: String,
        /// Where the next cursor is in the page (a string or an integer).
        next: FieldPath,
    },
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// Page numbers in the query parameter `param`, from `first`.
    PageNumber {
        /// The query parameter's wire name.
        param: String,
        /// The first page's number.
        first: u64,
        /// Where the number of pages is in the page (an integer), if it says.
        total_pages: Option<FieldPath>,
    },
    /// An offset in the query parameter `param`, advanced by each page's item count.
    Offset {
        /// The query parameter's wire name.
        param: String,
        /// Where the total number of items is in the page (an integer), if it says.
        total: Option<FieldPath>,
    },
}

/// A value inside a page: the struct fields that lead to it, from the page's type.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPath {
    /// The fields, outermost first.
    pub steps: Vec<FieldStep>,
    /// The value's type (for items, the list's item type).
    pub ty: TypeRef,
}

/// One field on a [`FieldPath`].
#[derive(Clone, Debug, PartialEq)]
pub struct FieldStep {
    /// The Rust field name.
    pub name: String,
    /// How many `Option`s wrap the field's value (0, 1, or 2 for an explicit null).
    pub options: u8,
}
