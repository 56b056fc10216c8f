//! Page streams (issue 15, item 1) against local servers: the crate generated from
//! `fixtures/specs/pagination.yaml` pages through Intercom's cursor pages, a `next_cursor`,
//! GitHub's `Link` header, page numbers and a declared offset; retries apply to every page; the
//! stream ends at an empty page, a missing or repeated cursor and an error; a caller stops early
//! and resumes from a saved cursor; a dropped stream leaves the client usable. Then what the
//! generator notes and warns about.

use futures_util::StreamExt;
use pagination_client::http::Clock;
use pagination_client::params::{
    CompaniesListParams, ContactsListNotesParams, ContactsListParams, IssuesListParams,
    TicketsListParams,
};
use pagination_client::{
    Client, Error, SearchNotesRequest, SearchNotesRequestPage, SearchPaging, SearchRequest,
    SearchRequestQuery,
};
use serde_json::{json, Value};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Records the retry waits instead of sleeping.
#[derive(Debug, Default)]
struct RecordingClock {
    waits: Mutex<Vec<Duration>>,
}

impl Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .clock(Arc::new(RecordingClock::default()))
        .build()
        .unwrap()
}

/// Fails the test instead of hanging it.
async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the stream ended within its time bound")
}

/// An Intercom list page: contacts `ids`, and `pages.next.starting_after` when `next` is set.
fn contact_page(ids: &[&str], next: Option<&str>, page: u32) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
    json!({
        "type": "list",
        "data": data,
        "total_count": 6,
        "pages": {
            "type": "pages",
            "page": page,
            "next": next.map(|cursor| json!({ "per_page": 2, "starting_after": cursor })),
            "per_page": 2,
            "total_pages": 3
        }
    })
}

/// Serves three Intercom pages: the first without a cursor, then after `c2` and `c4`.
async fn three_contact_pages(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(
            &["1", "2"],
            Some("c2"),
            1,
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(
            &["3", "4"],
            Some("c4"),
            2,
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "c4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(&["5", "6"], None, 3)))
        .mount(server)
        .await;
}

fn per_page(n: i64) -> ContactsListParams {
    ContactsListParams::new().with_per_page(n)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn intercom_cursor_pages_through_three_pages() {
    let server = MockServer::start().await;
    three_contact_pages(&server).await;
    let client = client(&server);

    let pages: Vec<_> = bounded(client.contacts().list_pages(&per_page(2)).collect()).await;
    let ids: Vec<Vec<String>> = pages
        .into_iter()
        .map(|page| page.unwrap().data.into_iter().map(|c| c.id).collect())
        .collect();
    assert_eq!(ids, [["1", "2"], ["3", "4"], ["5", "6"]]);

    // Every request kept the caller's other parameters; the cursor went as `starting_after`.
    let sent = requests(&server).await;
    let queries: Vec<&str> = sent.iter().map(|r| r.url.query().unwrap_or("")).collect();
    assert_eq!(
        queries,
        [
            "per_page=2",
            "per_page=2&starting_after=c2",
            "per_page=2&starting_after=c4"
        ]
    );

    // The items, one by one, as a user of `futures` reads them.
    let items: Vec<String> = bounded(
        client
            .contacts()
            .list_pages(&per_page(2))
            .items()
            .map(|contact| contact.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(items, ["1", "2", "3", "4", "5", "6"]);

    // And without `futures`: `next_item().await` in a loop.
    let mut items = client.contacts().list_pages(&per_page(2)).items();
    let mut count = 0;
    while let Some(item) = bounded(items.next_item()).await {
        item.unwrap();
        count += 1;
    }
    assert_eq!(count, 6);
}

#[tokio::test]
async fn an_undeclared_starting_after_is_sent_as_intercom_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/articles"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(
            &["a1"],
            Some("x1"),
            1,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/articles"))
        .and(query_param("starting_after", "x1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(&["a2"], None, 2)))
        .mount(&server)
        .await;
    let client = client(&server);
    let ids: Vec<String> = bounded(
        client
            .articles()
            .list_pages()
            .items()
            .map(|a| a.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(ids, ["a1", "a2"]);
}

#[tokio::test]
async fn retries_and_rate_limits_apply_to_every_page() {
    let server = MockServer::start().await;
    // The second page is rate limited once, then served.
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "c2"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "2")
                .set_body_json(json!({ "type": "error.list" })),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    three_contact_pages(&server).await;
    let clock = Arc::new(RecordingClock::default());
    let client = Client::builder()
        .base_url(server.uri())
        .clock(clock.clone())
        .build()
        .unwrap();

    let pages: Vec<_> = bounded(client.contacts().list_pages(&per_page(2)).collect()).await;
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(Result::is_ok));
    assert_eq!(requests(&server).await.len(), 4, "page 2 was sent twice");
    assert_eq!(*clock.waits.lock().unwrap(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn a_repeated_cursor_or_an_empty_page_ends_the_stream() {
    // The server always says the next page starts after `same`: two pages, then the stream
    // sees the cursor again and stops instead of looping forever.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(
            &["1"],
            Some("same"),
            1,
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    let pages: Vec<_> = bounded(client.contacts().list_pages(&per_page(1)).collect()).await;
    assert_eq!(pages.len(), 2);
    assert_eq!(requests(&server).await.len(), 2);

    // An empty page ends it, though it names a next cursor.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(&[], Some("c1"), 1)))
        .mount(&server)
        .await;
    let client = self::client(&server);
    let pages: Vec<_> = bounded(client.contacts().list_pages(&per_page(1)).collect()).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_caller_stops_early_and_resumes_from_a_saved_cursor() {
    let server = MockServer::start().await;
    three_contact_pages(&server).await;
    let client = client(&server);

    let mut pages = client.contacts().list_pages(&per_page(2));
    assert_eq!(pages.next_cursor(), None, "nothing requested yet");
    let first = bounded(pages.next_page()).await.unwrap().unwrap();
    assert_eq!(first.data[0].id, "1");
    let saved = pages.next_cursor().unwrap().to_owned();
    assert_eq!(saved, "c2");
    drop(pages);

    let resumed: Vec<_> = bounded(
        client
            .contacts()
            .list_pages(&per_page(2))
            .resume_from(saved)
            .items()
            .map(|c| c.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(resumed, ["3", "4", "5", "6"]);
    assert_eq!(
        requests(&server).await.len(),
        3,
        "no page was fetched twice"
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_and_keeps_where_to_resume() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "c2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "type": "error.list" })))
        .with_priority(1)
        .mount(&server)
        .await;
    three_contact_pages(&server).await;
    let client = client(&server);

    let mut pages = client.contacts().list_pages(&per_page(2));
    assert!(bounded(pages.next_page()).await.unwrap().is_ok());
    let error = bounded(pages.next_page()).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert!(
        bounded(pages.next_page()).await.is_none(),
        "the error ended it"
    );
    assert_eq!(pages.next_cursor(), Some("c2"), "the page that failed");
}

#[tokio::test]
async fn dropping_a_stream_mid_request_leaves_the_client_usable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "c2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(contact_page(&["3"], None, 2))
                .set_delay(Duration::from_secs(30)),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    three_contact_pages(&server).await;
    let client = client(&server);

    let mut pages = client.contacts().list_pages(&per_page(2));
    assert!(bounded(pages.next_page()).await.unwrap().is_ok());
    // The second page hangs; the caller gives up on it.
    let gave_up = tokio::time::timeout(Duration::from_millis(200), pages.next_page()).await;
    assert!(gave_up.is_err());
    drop(pages);
    // The client goes on as before.
    let first = bounded(client.contacts().list(&per_page(2)).into_future())
        .await
        .unwrap();
    assert_eq!(first.data.len(), 2);
}

#[tokio::test]
async fn next_cursor_pages_with_a_path_parameter() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let notes: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
        json!({ "notes": notes, "next_cursor": next })
    };
    Mock::given(method("GET"))
        .and(path("/contacts/a%2Fb/notes"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["n1"], Some("x"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/a%2Fb/notes"))
        .and(query_param("cursor", "x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["n2"], None)))
        .mount(&server)
        .await;
    let client = client(&server);
    let notes: Vec<String> = bounded(
        client
            .contacts()
            .list_notes_pages("a/b", &ContactsListNotesParams::default())
            .items()
            .map(|n| n.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(notes, ["n1", "n2"]);
}

#[tokio::test]
async fn link_headers_are_followed_under_the_base_url_only() {
    let server = MockServer::start().await;
    let base = server.uri();
    let issues = |numbers: &[i64]| json!({ "issues": numbers.iter().map(|n| json!({ "number": n })).collect::<Vec<_>>() });
    Mock::given(method("GET"))
        .and(path("/issues"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!(r#"<{base}/issues?per_page=1&page=2>; rel="next", <{base}/issues?per_page=1&page=3>; rel="last""#),
                )
                .set_body_json(issues(&[1])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/issues"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!(r#"<{base}/issues?per_page=1&page=3>; rel="next""#),
                )
                .set_body_json(issues(&[2])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/issues"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    "<https://elsewhere.example/issues?page=4>; rel=\"next\"",
                )
                .set_body_json(issues(&[3])),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let params = IssuesListParams::new().with_per_page(1);
    let results: Vec<_> = bounded(client.issues().list_pages(&params).items().collect()).await;
    let numbers: Vec<i64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|i| i.number))
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    // The third page points at another host: not followed, since the request would carry the
    // credential there.
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(last, Error::Config(m) if m.contains("not under the client's base URL")),
        "{last:?}"
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn page_numbers_stop_at_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/companies"))
        .respond_with(|request: &Request| {
            let page: u32 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map_or(1, |(_, v)| v.parse().unwrap());
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [{ "id": format!("p{page}") }], "total_pages": 3 }))
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let ids: Vec<String> = bounded(
        client
            .companies()
            .list_pages(&CompaniesListParams::default())
            .items()
            .map(|c| c.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(ids, ["p1", "p2", "p3"]);
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect();
    assert_eq!(queries, ["", "page=2", "page=3"]);
}

#[tokio::test]
async fn a_declared_offset_advances_by_the_items_to_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .respond_with(|request: &Request| {
            let offset: i64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .map_or(0, |(_, v)| v.parse().unwrap());
            let tickets: Vec<Value> = (offset..(offset + 2).min(5))
                .map(|id| json!({ "id": id }))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "tickets": tickets, "total": 5 }))
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let params = TicketsListParams::new().with_limit(2);
    let ids: Vec<i64> = bounded(
        client
            .tickets()
            .list_pages(&params)
            .items()
            .map(|t| t.unwrap().id)
            .collect(),
    )
    .await;
    assert_eq!(ids, [0, 1, 2, 3, 4]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[test]
fn the_generator_notes_the_rule_that_matched() {
    let output = codegen::generate(
        &workspace_tests::root().join("tests/fixtures/specs/pagination.yaml"),
        &workspace_tests::fixture_options("tests/fixtures/specs/pagination.yaml"),
    )
    .unwrap();
    assert!(output.warnings.is_empty());
    let notes: Vec<&str> = output.notes.iter().map(|d| d.message.as_str()).collect();
    let expect = [
        "operation `listContacts` pages by rule `intercom-cursor`",
        "operation `searchContacts` pages by rule `intercom-search-cursor`",
        "operation `listArticles` pages by rule `intercom-cursor-implied`",
        "operation `listNotes` pages by rule `next-cursor`",
        "operation `searchNotes` pages by rule `x-pagination`",
        "operation `listIssues` pages by rule `link-header`",
        "operation `listCompanies` pages by rule `page-number`",
        "operation `listTickets` pages by rule `x-pagination`",
    ];
    assert_eq!(notes.len(), expect.len(), "{notes:#?}");
    for (note, expect) in notes.iter().zip(expect) {
        assert!(note.starts_with(expect), "{note}");
    }
    // `x-pagination: false` turned `listTags` off.
    let client = &output
        .files
        .iter()
        .find(|f| f.path == "client.rs")
        .unwrap()
        .contents;
    assert!(client.contains("pub fn list_pages(") && !client.contains("list_tags_pages"));
}

#[test]
fn a_broken_x_pagination_is_a_warning_and_no_stream() {
    let spec = |extension: &str| {
        format!(
            r#"
openapi: 3.0.3
info: {{ title: T, version: "1" }}
paths:
  /things:
    get:
      operationId: listThings
      x-pagination: {extension}
      parameters:
        - {{ name: after, in: query, schema: {{ type: string }} }}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {{ type: array, items: {{ type: string }} }}
                  next: {{ type: string }}
"#
        )
    };
    let options = workspace_tests::fixture_options("things.yaml");
    let good = codegen::generate_str(
        &spec("{ style: cursor, param: after, next: /next }"),
        &options,
    )
    .unwrap();
    assert!(good.warnings.is_empty());
    assert!(good
        .files
        .iter()
        .any(|f| f.contents.contains("pub fn list_things_pages(")));
    for (bad, says) in [
        (
            "{ style: cursor, param: before, next: /next }",
            "is not a query parameter",
        ),
        (
            "{ style: cursor, param: after, next: /missing }",
            "names no property",
        ),
        (
            "{ style: cursor, param: after, next: next }",
            "must be a JSON pointer",
        ),
        (
            "{ style: sideways }",
            "must be `cursor`, `link`, `page` or `offset`",
        ),
        (
            "{ style: cursor, param: after, next: /things }",
            "must name a string or an integer",
        ),
        (
            "{ style: offset, param: after, items: /next }",
            "must name a list",
        ),
        ("[cursor]", "is not a mapping"),
        (
            "{ style: cursor, body: /page/after, next: /next }",
            "whose request body is not JSON",
        ),
        (
            "{ style: cursor, body: page.after, next: /next }",
            "`x-pagination.body` must be a JSON pointer",
        ),
        (
            "{ style: page, body: /page, total: /next }",
            "`x-pagination.body` must be a JSON pointer (`/pagination/starting_after`), with style `cursor`",
        ),
    ] {
        let output = codegen::generate_str(&spec(bad), &options).unwrap();
        let warnings: Vec<&str> = output.warnings.iter().map(|d| d.message.as_str()).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(says) && w.contains("no page stream")),
            "{bad}: {warnings:?}"
        );
        assert!(
            !output.files.iter().any(|f| f.contents.contains("_pages(")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_search_pages_with_the_cursor_in_the_request_body() {
    let server = MockServer::start().await;
    // Answers by the cursor in the body: none, `c2`, `c4`.
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let page = match body.pointer("/pagination/starting_after") {
                None | Some(Value::Null) => contact_page(&["1", "2"], Some("c2"), 1),
                Some(cursor) if cursor == "c2" => contact_page(&["3", "4"], Some("c4"), 2),
                Some(cursor) if cursor == "c4" => contact_page(&["5", "6"], None, 3),
                Some(other) => panic!("unexpected cursor {other}"),
            };
            ResponseTemplate::new(200).set_body_json(page)
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let search = SearchRequest::new(SearchRequestQuery::new("email", "~", "example.com"))
        .with_pagination(Some(SearchPaging::new().with_per_page(2)));
    let ids: Vec<String> = bounded(
        client
            .contacts()
            .search_pages(Some(&search))
            .items()
            .map(|contact| contact.unwrap().id)
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
    // Each request is the caller's search, with the cursor in `pagination.starting_after`.
    let bodies: Vec<Value> = requests(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let query = json!({"field": "email", "operator": "~", "value": "example.com"});
    assert_eq!(
        bodies,
        [
            json!({"query": query, "pagination": {"per_page": 2}}),
            json!({"query": query, "pagination": {"per_page": 2, "starting_after": "c2"}}),
            json!({"query": query, "pagination": {"per_page": 2, "starting_after": "c4"}}),
        ]
    );

    // Without `pagination` in the search, the cursor makes one; without a search at all (the
    // body is optional), a body to hold it. Resuming starts at the cursor.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_page(&["5", "6"], None, 3)))
        .mount(&server)
        .await;
    let bare = SearchRequest::new(SearchRequestQuery::new("email", "~", "example.com"));
    for search in [Some(&bare), None] {
        let pages = client.contacts().search_pages(search).resume_from("c4");
        assert_eq!(bounded(pages.collect::<Vec<_>>()).await.len(), 1);
    }
    let sent: Vec<Value> = requests(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            json!({"query": query, "pagination": {"starting_after": "c4"}}),
            json!({"pagination": {"starting_after": "c4"}}),
        ]
    );
}

#[tokio::test]
async fn a_body_cursor_declared_with_x_pagination_is_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes/search"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let page = match body.pointer("/page/after").and_then(Value::as_str) {
                None => json!({"notes": [{"id": "n1"}], "next_cursor": "after-n1"}),
                Some("after-n1") => json!({"notes": [{"id": "n2"}], "next_cursor": null}),
                Some(other) => panic!("unexpected cursor {other}"),
            };
            ResponseTemplate::new(200).set_body_json(page)
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let search =
        SearchNotesRequest::new("urgent").with_page(SearchNotesRequestPage::new().with_size(1));
    let ids: Vec<String> = bounded(
        client
            .contacts()
            .search_notes_pages(&search)
            .items()
            .map(|note| note.unwrap().id)
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(ids, ["n1", "n2"]);
    let bodies: Vec<Value> = requests(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"text": "urgent", "page": {"size": 1}}),
            json!({"text": "urgent", "page": {"size": 1, "after": "after-n1"}}),
        ]
    );
}
