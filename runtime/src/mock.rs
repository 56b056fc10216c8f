//! A mock of an API, for the tests of code that uses a generated client (feature `mock`).
//!
//! A generated crate's `mock` module wraps a [`MockServer`] in a `Mock` with one typed
//! accessor per operation, mirroring its client (`mock.messages().create()`), each an
//! [`OperationMock`]. This module is what every API shares:
//!
//! - **Where it listens.** [`MockServer::start`] binds `127.0.0.1` on a free port itself and
//!   hands that listener to wiremock, so the mock is never reachable from another host,
//!   whatever wiremock's own default (which is `127.0.0.1` too, in 0.6).
//! - **What it matches.** An operation's mock answers requests with the operation's method
//!   whose path fits its template segment by segment: `/contacts/{id}` matches
//!   `/contacts/123`, never `/contacts` or `/contacts/1/notes`. Query, headers and body do not
//!   take part in matching. A request no mock matches gets wiremock's `404`.
//! - **What it checks.** Every request an operation's mock matches has its body decoded into
//!   the operation's request type and validated with the generated validators (the same ones
//!   the client runs before sending). A request that breaks a rule is a [`Violation`]: it is
//!   recorded, and answered with `400 Bad Request` and a JSON body listing the broken rules
//!   (`{"violations": [{"path", "rule", "expected"}]}`), so the code under test sees a failure
//!   too instead of the response the test mounted. Path parameters of a primitive type in the
//!   `simple` style are decoded and checked with their rules too, and the required query,
//!   header and cookie parameters must be there; each is reported at `/<name>`, as the client
//!   reports its parameters. The values of query, header and cookie parameters are not
//!   checked.
//! - **How violations are reported.** [`MockServer::violations`] lists them;
//!   [`MockServer::take_violations`] lists them and forgets them (a test that sends a bad
//!   request on purpose takes them to assert on them). Dropping the server with violations
//!   nobody took panics with the list, as wiremock panics on dropping a server whose
//!   expectations (`expect(n)`) were not met; [`MockServer::verify`] checks both at once.

use crate::http::Method;
use crate::validate::{Validate, ValidationErrors};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::{Request, ResponseTemplate, Times};

/// The mocking library underneath: its `ResponseTemplate` answers anything an
/// [`OperationMock`]'s typed answers do not (headers, delays), and its `Mock` can be mounted on
/// [`MockServer::wiremock`].
pub use wiremock;

/// A local HTTP server that answers as the mounted operation mocks say and checks every request
/// they match. See the [module docs](self) for what it matches, checks and reports.
pub struct MockServer {
    server: wiremock::MockServer,
    violations: Arc<Mutex<Vec<Violation>>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .field("violations", &lock(&self.violations).len())
            .finish()
    }
}

fn lock(violations: &Mutex<Vec<Violation>>) -> std::sync::MutexGuard<'_, Vec<Violation>> {
    // A test that panicked while holding the lock left a list that is still a list.
    violations.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MockServer {
    /// Starts a server on `127.0.0.1`, on a port the system picks. Needs a tokio runtime.
    ///
    /// # Panics
    ///
    /// When no port of `127.0.0.1` can be bound (a test has nothing to run against then).
    pub async fn start() -> MockServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|err| panic!("cannot bind a port of 127.0.0.1 for the mock: {err}"));
        let server = wiremock::MockServer::builder()
            .listener(listener)
            .start()
            .await;
        MockServer {
            server,
            violations: Arc::default(),
        }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`: the client's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The address the server listens on (always on `127.0.0.1`).
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// The requests that broke a rule so far, in the order they arrived.
    pub fn violations(&self) -> Vec<Violation> {
        lock(&self.violations).clone()
    }

    /// The requests that broke a rule so far, which are then forgotten: taken violations no
    /// longer fail [`verify`](Self::verify) or the drop of the server.
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut *lock(&self.violations))
    }

    /// Every request the server received, matched or not, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        // Recording is on: the server is built with wiremock's defaults.
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Checks that no request broke a rule and that every mock's expectation (`expect(n)`) is
    /// met.
    ///
    /// # Panics
    ///
    /// When a violation was not taken (the message lists each with its broken rules), or an
    /// expectation is not met (wiremock's message, with the requests received).
    pub async fn verify(&self) {
        let violations = self.take_violations();
        if !violations.is_empty() {
            panic!("{}", report(&violations));
        }
        self.server.verify().await;
    }

    /// The wiremock server underneath, to mount a mock of one's own.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

impl Drop for MockServer {
    /// Panics when violations were left untaken (unless the thread is already panicking);
    /// wiremock then checks the expectations.
    fn drop(&mut self) {
        let violations = std::mem::take(&mut *lock(&self.violations));
        if !violations.is_empty() && !std::thread::panicking() {
            panic!("{}", report(&violations));
        }
    }
}

/// The panic message for violations nobody took.
fn report(violations: &[Violation]) -> String {
    let mut text = format!(
        "the mock received {} request{} breaking the API's rules (take them with `take_violations()` if that was the point):",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" }
    );
    for violation in violations {
        text.push_str("\n- ");
        text.push_str(&violation.to_string());
    }
    text
}

/// A request an operation's mock matched whose body breaks the operation's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The request's method, e.g. `POST`.
    pub method: String,
    /// The request's path, e.g. `/messages`.
    pub path: String,
    /// Every broken rule, each with the JSON pointer of its value.
    pub errors: ValidationErrors,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}): {}",
            self.method, self.path, self.operation, self.errors
        )
    }
}

/// One operation as its mock knows it; generated code writes one per operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/contacts/{id}`.
    pub path: &'static str,
    /// The status of the first success response the spec declares: what
    /// [`OperationMock::respond`] answers with.
    pub status: u16,
}

/// A path check: decodes the path parameters and adds the rules they break (generated per
/// operation).
pub type PathCheck = fn(&PathParams<'_>, &mut ValidationErrors);

/// Where a parameter the mock looks for goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    /// The query string (`name=..`, or `name[..]=..` for `deepObject`).
    Query,
    /// A request header (any case).
    Header,
    /// The `Cookie` header.
    Cookie,
}

impl ParamIn {
    /// Whether `request` carries the parameter `name` here.
    fn present(self, request: &Request, name: &str) -> bool {
        match self {
            ParamIn::Query => request.url.query_pairs().any(|(key, _)| {
                key == name
                    || key
                        .strip_prefix(name)
                        .is_some_and(|rest| rest.starts_with('['))
            }),
            ParamIn::Header => request.headers.contains_key(name),
            ParamIn::Cookie => request
                .headers
                .get_all("cookie")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(';'))
                .any(|pair| pair.split('=').next().map(str::trim) == Some(name)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ParamIn::Query => "query parameter",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// The path parameters of a request, read from its path by its operation's template: what a
/// path check ([`OperationMock::checks_path`]) decodes and validates.
#[derive(Debug)]
pub struct PathParams<'a> {
    params: Vec<(&'static str, &'a str)>,
}

impl PathParams<'_> {
    /// The path parameter `name`, percent-decoded and parsed as a `T`; a `type` violation at
    /// `/<name>` (expecting `expected`) and `None` when it does not parse.
    pub fn parse<T: std::str::FromStr>(
        &self,
        errors: &mut ValidationErrors,
        name: &str,
        expected: &str,
    ) -> Option<T> {
        let raw = self.params.iter().find(|(n, _)| *n == name)?.1;
        let parsed = percent_decode(raw).and_then(|text| text.parse().ok());
        if parsed.is_none() {
            errors.push(&crate::Path::ROOT.key(name), "type", expected.to_owned());
        }
        parsed
    }
}

/// How a request body is checked: decoded and validated by `check`, after the empty body is
/// accepted or refused by `required`.
#[derive(Clone, Copy, Debug)]
struct BodyCheck {
    required: bool,
    check: fn(&str) -> Result<(), ValidationErrors>,
}

/// The mock of one operation, to be given an answer: [`respond`](Self::respond) with the
/// spec's success type, [`respond_with_status`](Self::respond_with_status) with any status and
/// JSON body (an error response), [`fail_with`](Self::fail_with) a bare status, or
/// [`respond_with`](Self::respond_with) anything wiremock can say. Each answer mounts the mock
/// on the server (`.await` it); mounted mocks are tried in the order they were mounted.
#[must_use = "an operation mock does nothing until it is given an answer and awaited"]
pub struct OperationMock<'a, T: ?Sized> {
    server: &'a MockServer,
    operation: Operation,
    reply: fn(u16, &T) -> ResponseTemplate,
    body: Option<BodyCheck>,
    required: Vec<(ParamIn, &'static str)>,
    path_check: Option<PathCheck>,
    expect: Option<Times>,
    up_to: Option<u64>,
    path_params: Vec<(String, String)>,
}

impl<T: ?Sized> fmt::Debug for OperationMock<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationMock")
            .field("operation", &self.operation)
            .field("up_to", &self.up_to)
            .field("path_params", &self.path_params)
            .finish_non_exhaustive()
    }
}

impl<'a, T: ?Sized> OperationMock<'a, T> {
    /// The mock of `operation` on `server`; `reply` writes the success response of
    /// [`respond`](Self::respond) from the operation's status and a value (see [`reply`]).
    pub fn new(
        server: &'a MockServer,
        operation: Operation,
        reply: fn(u16, &T) -> ResponseTemplate,
    ) -> Self {
        OperationMock {
            server,
            operation,
            reply,
            body: None,
            required: Vec::new(),
            path_check: None,
            expect: None,
            up_to: None,
            path_params: Vec::new(),
        }
    }

    /// Checks the body of every request with `check` (decode and validate; see [`json_body`]
    /// and [`form_body`]); an empty body is a violation when `required`, else accepted.
    pub fn checks_body(
        mut self,
        required: bool,
        check: fn(&str) -> Result<(), ValidationErrors>,
    ) -> Self {
        self.body = Some(BodyCheck { required, check });
        self
    }

    /// Checks every request's path parameters with `check`, which decodes them
    /// ([`PathParams::parse`]) and adds the rules they break to the errors.
    pub fn checks_path(mut self, check: PathCheck) -> Self {
        self.path_check = Some(check);
        self
    }

    /// Checks that every request carries the required parameter `name` in `location`.
    pub fn requires_param(mut self, location: ParamIn, name: &'static str) -> Self {
        self.required.push((location, name));
        self
    }

    /// Expects this many matching requests (`1`, `1..`, `..=3`): checked by
    /// [`MockServer::verify`] and when the server is dropped.
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.expect = Some(times.into());
        self
    }

    /// Answers at most `n` requests, then lets the next mounted mock of the operation answer
    /// (a `429` first, then a success).
    pub fn up_to_n_times(mut self, n: u64) -> Self {
        self.up_to = Some(n);
        self
    }

    /// Matches only requests whose path parameter `name` is `value` (the segment of `{name}`,
    /// percent-decoded).
    pub fn with_path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.path_params.push((name.to_owned(), value.to_string()));
        self
    }

    /// Answers with the spec's success status and `body` (JSON for a JSON response).
    pub async fn respond(self, body: &T) {
        let reply = (self.reply)(self.operation.status, body);
        self.mount(reply).await;
    }

    /// Answers with `status` and `body` as JSON: an error response the spec declares (e.g. its
    /// error list with `404`), or another success.
    pub async fn respond_with_status<B: Serialize + ?Sized>(self, status: u16, body: &B) {
        self.mount(reply::json(status, body)).await;
    }

    /// Answers with `status` and no body.
    pub async fn fail_with(self, status: u16) {
        self.mount(ResponseTemplate::new(status)).await;
    }

    /// Answers with anything wiremock can say (headers such as `Retry-After`, a delay, a body
    /// off the spec).
    pub async fn respond_with(self, template: ResponseTemplate) {
        self.mount(template).await;
    }

    async fn mount(self, reply: ResponseTemplate) {
        let op = self.operation;
        let name = format!("{} {} ({})", op.method, op.path, op.id);
        let matcher = OperationMatcher {
            method: op.method,
            template: op.path,
            path_params: self.path_params,
        };
        let responder = Checked {
            operation: op.id,
            body: self.body,
            required: self.required,
            template: op.path,
            path_check: self.path_check,
            violations: Arc::clone(&self.server.violations),
            reply,
        };
        let mut mock = wiremock::Mock::given(matcher)
            .respond_with(responder)
            .named(name);
        if let Some(times) = self.expect {
            mock = mock.expect(times);
        }
        if let Some(n) = self.up_to {
            mock = mock.up_to_n_times(n);
        }
        mock.mount(&self.server.server).await;
    }
}

/// Matches the operation's method and path template.
struct OperationMatcher {
    method: Method,
    template: &'static str,
    path_params: Vec<(String, String)>,
}

impl wiremock::Match for OperationMatcher {
    fn matches(&self, request: &Request) -> bool {
        if request.method.as_str() != self.method.as_str() {
            return false;
        }
        let Some(params) = match_path(self.template, request.url.path()) else {
            return false;
        };
        self.path_params.iter().all(|(name, value)| {
            params
                .iter()
                .any(|(n, v)| n == name && percent_decode(v).as_deref() == Some(value.as_str()))
        })
    }
}

/// The path parameters of `path` when it fits `template` segment by segment: a `{name}` takes
/// a non-empty part of one segment, text around it must be there as written. `None` when the
/// path does not fit.
fn match_path<'t, 'p>(template: &'t str, path: &'p str) -> Option<Vec<(&'t str, &'p str)>> {
    let templates: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if templates.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (pattern, segment) in templates.iter().zip(&segments) {
        match_segment(pattern, segment, &mut params)?;
    }
    Some(params)
}

/// Matches one segment against its template (`{id}`, `{name}.json`, `v{major}.{minor}`),
/// adding the parameters it takes to `params`.
fn match_segment<'t, 'p>(
    pattern: &'t str,
    segment: &'p str,
    params: &mut Vec<(&'t str, &'p str)>,
) -> Option<()> {
    let Some(open) = pattern.find('{') else {
        return (pattern == segment).then_some(());
    };
    let close = open + pattern[open..].find('}')?;
    let (prefix, name, rest) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let after = segment.strip_prefix(prefix)?;
    // The parameter ends where the rest of the template can start: the literal text up to the
    // next parameter, found from the left (a parameter takes at least one character).
    let literal_end = rest.find('{').unwrap_or(rest.len());
    let literal = &rest[..literal_end];
    let candidates: Vec<usize> = if literal.is_empty() {
        if literal_end == rest.len() {
            vec![after.len()]
        } else {
            // Two parameters side by side: no way to tell where one ends; take one character.
            after
                .char_indices()
                .nth(1)
                .map(|(i, _)| i)
                .into_iter()
                .collect()
        }
    } else {
        after.match_indices(literal).map(|(i, _)| i).collect()
    };
    for end in candidates {
        if end == 0 {
            continue;
        }
        let mut attempt = params.clone();
        attempt.push((name, &after[..end]));
        if match_segment(rest, &after[end..], &mut attempt).is_some() {
            *params = attempt;
            return Some(());
        }
    }
    None
}

/// `%xx` escapes decoded; `None` when the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Checks the request, then answers with the mounted answer or, for a violation, `400`.
struct Checked {
    /// The `operationId`.
    operation: &'static str,
    body: Option<BodyCheck>,
    required: Vec<(ParamIn, &'static str)>,
    /// The path template, which the path check reads the parameters with.
    template: &'static str,
    path_check: Option<PathCheck>,
    violations: Arc<Mutex<Vec<Violation>>>,
    reply: ResponseTemplate,
}

impl Checked {
    /// Every rule `request` breaks: missing required parameters, then its body's.
    fn check(&self, request: &Request) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        if let Some(check) = self.path_check {
            // The matcher let the request through, so its path fits the template.
            if let Some(params) = match_path(self.template, request.url.path()) {
                check(&PathParams { params }, &mut errors);
            }
        }
        for (location, name) in &self.required {
            if !location.present(request, name) {
                errors.push(
                    &crate::Path::ROOT.key(name),
                    "required",
                    format!("the `{name}` {}", location.describe()),
                );
            }
        }
        if let Some(body) = self.body.and_then(|check| check_body(check, &request.body)) {
            errors.append(body);
        }
        errors
    }
}

impl wiremock::Respond for Checked {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let errors = self.check(request);
        if errors.is_empty() {
            return self.reply.clone();
        }
        let listed: Vec<serde_json::Value> = errors
            .iter()
            .map(|e| serde_json::json!({"path": e.path, "rule": e.rule, "expected": e.expected}))
            .collect();
        lock(&self.violations).push(Violation {
            operation: self.operation,
            method: request.method.to_string(),
            path: request.url.path().to_owned(),
            errors,
        });
        ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "message": format!("the request breaks the rules of `{}`", self.operation),
            "violations": listed,
        }))
    }
}

/// The broken rules of a request body, or `None` when it keeps them.
fn check_body(check: BodyCheck, body: &[u8]) -> Option<ValidationErrors> {
    if body.iter().all(u8::is_ascii_whitespace) {
        if !check.required {
            return None;
        }
        let mut errors = ValidationErrors::default();
        errors.push(&crate::Path::ROOT, "required", "a request body".to_owned());
        return Some(errors);
    }
    let result = match std::str::from_utf8(body) {
        Ok(text) => (check.check)(text),
        Err(_) => {
            let mut errors = ValidationErrors::default();
            errors.push(&crate::Path::ROOT, "type", "UTF-8 text".to_owned());
            Err(errors)
        }
    };
    result.err()
}

/// Decodes a JSON body into `T` and validates it (for [`OperationMock::checks_body`]).
///
/// # Errors
///
/// Every broken rule, each with the JSON pointer of its value.
pub fn json_body<T: DeserializeOwned + Validate>(text: &str) -> Result<(), ValidationErrors> {
    crate::validate::from_json::<T>(text).map(drop)
}

/// Decodes a form-urlencoded body into `T` and validates it (for
/// [`OperationMock::checks_body`]).
///
/// # Errors
///
/// A `type` error at the root when the form does not decode, else every broken rule.
pub fn form_body<T: DeserializeOwned + Validate>(text: &str) -> Result<(), ValidationErrors> {
    match serde_urlencoded::from_str::<T>(text) {
        Ok(value) => value.validate(),
        Err(err) => {
            let mut errors = ValidationErrors::default();
            errors.push(
                &crate::Path::ROOT,
                "type",
                format!("a form of the operation's fields ({err})"),
            );
            Err(errors)
        }
    }
}

/// How [`OperationMock::respond`] writes an operation's success response, by what the
/// operation answers; generated code picks one, as it picks a decoder of [`crate::body`].
pub mod reply {
    use serde::Serialize;
    use wiremock::ResponseTemplate;

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> ResponseTemplate {
        // Serialising a generated type into JSON cannot fail: its maps have string keys.
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        ResponseTemplate::new(status).set_body_raw(bytes, "application/json")
    }

    /// A JSON body, or none (`204 No Content`) for `None`.
    pub fn json_or_empty<T: Serialize>(status: u16, body: &Option<T>) -> ResponseTemplate {
        match body {
            Some(body) => json(status, body),
            None => ResponseTemplate::new(204),
        }
    }

    /// No body.
    pub fn empty(status: u16, _: &()) -> ResponseTemplate {
        ResponseTemplate::new(status)
    }

    /// A text body (`text/plain`).
    pub fn text(status: u16, body: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "text/plain")
    }

    /// Server-sent events (`text/event-stream`), written as the server sends them.
    pub fn event_stream(status: u16, body: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
    }

    /// Bytes (`application/octet-stream`).
    pub fn bytes(status: u16, body: &[u8]) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body.to_vec(), "application/octet-stream")
    }
}

/// The methods every generated `Mock` has (it holds a [`MockServer`] in its `server` field),
/// expanded inside its `impl`; their documentation is written here, once for every generated
/// crate. The generated part adds `client_builder` (the spec's stand-in credential) and one
/// accessor per operation group; `$client` is its crate's client type.
#[macro_export]
macro_rules! mock_methods {
    ($client:ty) => {
        /// Starts the mock on a free port of `127.0.0.1`. Needs a tokio runtime.
        pub async fn start() -> Self {
            Self {
                server: $crate::mock::MockServer::start().await,
            }
        }

        /// The mock's base URL, e.g. `http://127.0.0.1:41234`.
        pub fn uri(&self) -> ::std::string::String {
            self.server.uri()
        }

        /// A client pointed at the mock ([`client_builder`](Self::client_builder), built).
        ///
        /// # Panics
        ///
        /// When the client does not build (a header default of the spec that cannot be
        /// sent).
        pub fn client(&self) -> $client {
            match self.client_builder().build() {
                ::std::result::Result::Ok(client) => client,
                ::std::result::Result::Err(err) => {
                    ::std::panic!("the client for the mock does not build: {err}")
                }
            }
        }

        /// The requests that broke a rule so far, each with its broken rules.
        pub fn violations(&self) -> ::std::vec::Vec<$crate::mock::Violation> {
            self.server.violations()
        }

        /// The requests that broke a rule so far, which then no longer fail
        /// [`verify`](Self::verify) or the mock's drop.
        pub fn take_violations(&self) -> ::std::vec::Vec<$crate::mock::Violation> {
            self.server.take_violations()
        }

        /// Checks that no request broke a rule and every `expect(n)` is met.
        ///
        /// # Panics
        ///
        /// When one is not, with a message listing what failed.
        pub async fn verify(&self) {
            self.server.verify().await;
        }

        /// The server underneath: its address, the requests it received, its wiremock
        /// server for mocks of one's own.
        pub fn server(&self) -> &$crate::mock::MockServer {
            &self.server
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_template_segment_by_segment() {
        assert_eq!(match_path("/messages", "/messages"), Some(vec![]));
        assert_eq!(match_path("/messages", "/messages/1"), None);
        assert_eq!(
            match_path("/contacts/{id}", "/contacts/123"),
            Some(vec![("id", "123")])
        );
        assert_eq!(match_path("/contacts/{id}", "/contacts/"), None);
        assert_eq!(match_path("/contacts/{id}", "/contacts"), None);
        assert_eq!(match_path("/contacts/{id}/notes", "/contacts/1/tags"), None);
        assert_eq!(
            match_path("/files/{name}.json", "/files/a.b.json"),
            Some(vec![("name", "a.b")])
        );
        assert_eq!(
            match_path("/v{major}.{minor}/x", "/v1.2/x"),
            Some(vec![("major", "1"), ("minor", "2")])
        );
        assert_eq!(match_path("/files/{name}.json", "/files/.json"), None);
    }

    fn request(url: &str, headers: &[(&'static str, &'static str)]) -> Request {
        let mut map = wiremock::http::HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, wiremock::http::HeaderValue::from_static(value));
        }
        Request {
            url: url.parse().expect("a URL"),
            method: Method::GET,
            headers: map,
            body: Vec::new(),
        }
    }

    #[test]
    fn required_parameters_are_found_where_they_go() {
        let query = request("http://127.0.0.1/x?tags=a&filter%5Bkind%5D=b&e=", &[]);
        assert!(ParamIn::Query.present(&query, "tags"));
        assert!(ParamIn::Query.present(&query, "filter"), "deepObject");
        assert!(ParamIn::Query.present(&query, "e"), "empty, but there");
        assert!(!ParamIn::Query.present(&query, "tag"));
        let headers = request(
            "http://127.0.0.1/x",
            &[("x-trace-id", "1"), ("cookie", "a=1; session=2")],
        );
        assert!(ParamIn::Header.present(&headers, "X-Trace-Id"));
        assert!(!ParamIn::Header.present(&headers, "X-Other"));
        assert!(ParamIn::Cookie.present(&headers, "session"));
        assert!(!ParamIn::Cookie.present(&headers, "sess"));
    }

    #[test]
    fn path_parameters_parse_or_break_their_type() {
        let params = PathParams {
            params: match_path("/items/{itemId}/notes/{noteId}", "/items/a%20b/notes/x")
                .expect("fits"),
        };
        let mut errors = ValidationErrors::default();
        let item: Option<String> = params.parse(&mut errors, "itemId", "a string");
        assert_eq!(item.as_deref(), Some("a b"));
        let note: Option<i64> = params.parse(&mut errors, "noteId", "an integer");
        assert_eq!(note, None);
        let broken: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
        assert_eq!(broken, [("/noteId", "type")]);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn empty_bodies_break_only_a_required_body() {
        let check = |text: &str| json_body::<Vec<String>>(text);
        let required = BodyCheck {
            required: true,
            check,
        };
        let errors = check_body(required, b"  ").expect("an empty required body is a violation");
        assert_eq!(errors.iter().next().map(|e| e.rule), Some("required"));
        assert!(check_body(
            BodyCheck {
                required: false,
                ..required
            },
            b""
        )
        .is_none());
        assert!(check_body(required, b"[\"a\"]").is_none());
        let errors = check_body(required, b"[1]").expect("a number is not a string");
        assert_eq!(errors.iter().next().map(|e| e.path.as_str()), Some("/0"));
    }
}
