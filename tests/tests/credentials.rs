//! Security requirements per call (`Call::security`, `Call::without_credential`): the
//! credentials of the first alternative the client has all of go with the request, wherever
//! they travel (a header, the query); `security: []` sends none; a requirement the client has
//! no credentials for fails with `Error::Config` before anything is sent. The generated side is
//! in `breadth.rs` (`security: []` in the parameters fixture).
//!
//! Credentials that change (issue 15, item 4), with the client generated from the parameters
//! fixture: OAuth 2 client-credentials tokens fetched from the spec's token URL, cached, fetched
//! again before they expire and once after a 401, one request for many concurrent calls; a
//! callback asked for each call; failures that are typed errors quoting no secret.

use parameters_client::http::TokenSource;
use runtime::{Clock, Credential, Error, HttpClient, Method, Secret, Settings, Spec};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A client with a bearer token (scheme `bearer`) and, when `with_key`, an API key in the
/// query (scheme `key`); the API's own requirement is the bearer token.
fn client(base_url: &str, with_key: bool) -> HttpClient {
    let mut settings = Settings::new("credentials-test");
    settings.set_credential("bearer", Credential::Bearer(Secret::new("secret-token")));
    if with_key {
        settings.set_credential(
            "key",
            Credential::QueryKey {
                name: "api_key".to_owned(),
                key: Secret::new("secret-key"),
            },
        );
    }
    settings.set_base_url(base_url.to_owned());
    let spec = Spec {
        server: None,
        required_credential: Some("token"),
        security: Some(&[&["bearer"]]),
        headers: Vec::new(),
    };
    settings.build::<serde_json::Value>(spec).expect("builds")
}

/// (has `Authorization`, the query string) of a received request.
fn credentials(request: &Request) -> (bool, Option<String>) {
    (
        request.headers.contains_key("authorization"),
        request.url.query().map(str::to_owned),
    )
}

#[tokio::test]
async fn each_call_carries_the_credentials_its_requirement_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let http = client(&server.uri(), true);
    let call = |path: &'static str| {
        http.call_with::<(), serde_json::Value>(Method::GET, path, runtime::body::empty)
    };
    // The API's requirement: the bearer token.
    call("/default").await.unwrap();
    // Its own: an API key, or a bearer token; the first the client has goes.
    call("/key-first")
        .security(&[&["key"], &["bearer"]])
        .await
        .unwrap();
    // Both together (an AND).
    call("/both").security(&[&["bearer", "key"]]).await.unwrap();
    // `security: []`: none.
    call("/open").without_credential().await.unwrap();
    let seen: Vec<(bool, Option<String>)> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(credentials)
        .collect();
    let key = Some("api_key=secret-key".to_owned());
    assert_eq!(
        seen,
        [
            (true, None),
            (false, key.clone()),
            (true, key),
            (false, None)
        ]
    );
}

#[tokio::test]
async fn a_requirement_the_client_cannot_meet_fails_before_sending() {
    let server = MockServer::start().await;
    let http = client(&server.uri(), false);
    let error = http
        .call_with::<(), serde_json::Value>(Method::GET, "/keyed", runtime::body::empty)
        .security(&[&["key"]])
        .await
        .expect_err("no key was set");
    match &error {
        Error::Config(message) => {
            assert!(
                message.contains("`GET /keyed` needs the credentials of `key`"),
                "{message}"
            );
            assert!(!message.contains("secret"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // An alternative the client has goes instead.
    http.call_with::<(), serde_json::Value>(Method::GET, "/either", runtime::body::empty)
        .security(&[&["key"], &["bearer"]])
        .await
        .expect_err("nothing listens on the mock's other paths: a 404, but sent");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "only the call that could be sent was");
    assert!(requests[0].headers.contains_key("authorization"));
}

/// A clock that stands still until the test moves it; waits take no time.
#[derive(Debug, Default)]
struct ManualClock {
    elapsed: Mutex<Duration>,
}

impl ManualClock {
    fn advance(&self, by: Duration) {
        *self.elapsed.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000) + *self.elapsed.lock().unwrap()
    }

    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

const CLIENT_SECRET: &str = "client-secret-4242";

/// A token endpoint at `/oauth/token` that hands out `tok-1`, `tok-2`, ... valid for
/// `lifetime` seconds, and an API at `/reports` that accepts the tokens `accepted` says.
async fn oauth_server(lifetime: u64, accepted: fn(&str) -> bool) -> MockServer {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("tok-{n}"),
                "token_type": "Bearer",
                "expires_in": lifetime,
            }))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/reports"))
        .respond_with(move |request: &Request| {
            let token = request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            ResponseTemplate::new(if accepted(token) { 204 } else { 401 })
        })
        .mount(&server)
        .await;
    server
}

fn oauth_client(server: &MockServer, clock: &Arc<ManualClock>) -> parameters_client::Client {
    parameters_client::Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .oauth_client_credentials("reports-client", CLIENT_SECRET)
        .clock(Arc::clone(clock) as Arc<dyn Clock>)
        .build()
        .unwrap()
}

/// The requests `server` got at `path`, each as (its `Authorization` header, its body).
async fn requests_to(server: &MockServer, to: &str) -> Vec<(String, String)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.url.path() == to)
        .map(|r| {
            let auth = r
                .headers
                .get("authorization")
                .map_or("", |v| v.to_str().unwrap());
            (
                auth.to_owned(),
                String::from_utf8_lossy(&r.body).into_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn client_credentials_tokens_are_fetched_cached_and_refreshed_before_they_expire() {
    let server = oauth_server(120, |_| true).await;
    let clock = Arc::new(ManualClock::default());
    let client = oauth_client(&server, &clock);
    client.list_reports().await.unwrap();
    client.list_reports().await.unwrap();
    // 120 s tokens are fetched again 60 s before they expire.
    clock.advance(Duration::from_secs(59));
    client.list_reports().await.unwrap();
    clock.advance(Duration::from_secs(2));
    client.list_reports().await.unwrap();

    let tokens = requests_to(&server, "/oauth/token").await;
    assert_eq!(
        tokens.len(),
        2,
        "one token for the first three calls, one after"
    );
    let (auth, body) = &tokens[0];
    // `client_secret_basic`: the id and secret in HTTP Basic, the grant and scope in the form.
    let basic = format!(
        "Basic {}",
        base64(&format!("reports-client:{CLIENT_SECRET}"))
    );
    assert_eq!(auth, &basic);
    assert_eq!(body, "grant_type=client_credentials&scope=reports%3Aread");
    let sent: Vec<String> = requests_to(&server, "/v1/reports")
        .await
        .into_iter()
        .map(|(auth, _)| auth)
        .collect();
    assert_eq!(
        sent,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2"
        ]
    );
}

#[tokio::test]
async fn a_token_the_api_refuses_is_fetched_again_once() {
    // The API refuses the first token (revoked early), accepts the second.
    let server = oauth_server(3600, |token| token != "tok-1").await;
    let clock = Arc::new(ManualClock::default());
    let client = oauth_client(&server, &clock);
    client.list_reports().await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/v1/reports").await.len(), 2);

    // An API that refuses every token: one new token, then the 401, never a loop.
    let server = oauth_server(3600, |_| false).await;
    let client = oauth_client(&server, &clock);
    let error = client.list_reports().await.unwrap_err();
    assert!(
        matches!(error, parameters_client::Error::Unauthorized(_)),
        "{error:?}"
    );
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/v1/reports").await.len(), 2);
}

#[tokio::test]
async fn concurrent_calls_share_one_token_request() {
    let server = oauth_server(3600, |_| true).await;
    let clock = Arc::new(ManualClock::default());
    let client = oauth_client(&server, &clock);
    let calls = (0..8).map(|_| client.list_reports().into_future());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(requests_to(&server, "/v1/reports").await.len(), 8);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_credential_error_that_quotes_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "client authentication failed",
        })))
        .mount(&server)
        .await;
    let clock = Arc::new(ManualClock::default());
    let client = oauth_client(&server, &clock);
    let error = client.list_reports().await.unwrap_err();
    let parameters_client::Error::Credential(message) = &error else {
        panic!("expected a credential error, got {error:?}");
    };
    assert!(
        message.contains("answered HTTP 401: invalid_client (client authentication failed)"),
        "{message}"
    );
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    }
    // Nothing went to the API.
    assert_eq!(requests_to(&server, "/v1/reports").await.len(), 0);

    // A token that is not a bearer token cannot be sent.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "mac-1", "token_type": "mac"})),
        )
        .mount(&server)
        .await;
    let client = oauth_client(&server, &clock);
    let error = client.list_reports().await.unwrap_err();
    assert!(
        matches!(&error, parameters_client::Error::Credential(m) if m.contains("`mac` token")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_callback_supplies_a_token_for_each_call_wherever_the_scheme_sends_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // The API key travels in the query: so does the callback's.
    let client = parameters_client::Client::builder()
        .base_url(server.uri())
        .api_key_with(TokenSource::callback(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, String>(format!("rotating-{n}")) }
        }))
        .build()
        .unwrap();
    client.list_reports().await.unwrap();
    client.list_reports().await.unwrap();
    // `security: []`: no credential, and the callback is not asked.
    client.health().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let queries: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("api_key=rotating-1".to_owned()),
            Some("api_key=rotating-2".to_owned()),
            None
        ]
    );

    // A callback that fails fails the call, before anything is sent.
    let client = parameters_client::Client::builder()
        .base_url(server.uri())
        .api_key_with(TokenSource::callback(|| async {
            Err::<String, _>("the vault is sealed")
        }))
        .build()
        .unwrap();
    let error = client.list_reports().await.unwrap_err();
    assert!(
        matches!(&error, parameters_client::Error::Credential(m) if m == "the token callback failed: the vault is sealed"),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

fn base64(text: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn api_keys_travel_in_a_header_or_a_cookie_fixed_or_from_a_source() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut settings = Settings::new("credentials-test");
    settings.set_base_url(server.uri());
    settings.set_credential(
        "header",
        Credential::HeaderKey {
            name: "X-Api-Key".to_owned(),
            key: Secret::new("header-key"),
        },
    );
    settings.set_credential(
        "cookie",
        Credential::CookieKey {
            name: "session".to_owned(),
            key: Secret::new("cookie-key"),
        },
    );
    settings.set_credential(
        "rotating",
        Credential::Dynamic {
            source: TokenSource::callback(|| async { Ok::<_, String>("from-source".to_owned()) }),
            placement: runtime::Placement::Cookie("rotating".to_owned()),
        },
    );
    let http = settings
        .build::<serde_json::Value>(Spec {
            server: None,
            required_credential: None,
            security: Some(&[&["header", "cookie", "rotating"]]),
            headers: Vec::new(),
        })
        .unwrap();
    let shown = format!("{http:?}");
    assert!(
        !shown.contains("header-key") && !shown.contains("cookie-key"),
        "{shown}"
    );
    http.call_with::<(), serde_json::Value>(Method::GET, "/both", runtime::body::empty)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["x-api-key"], "header-key");
    assert_eq!(
        request.headers["cookie"],
        "session=cookie-key; rotating=from-source"
    );
    assert!(request.headers.get("authorization").is_none());

    // A name a cookie cannot have is refused when the client is built.
    let mut settings = Settings::new("credentials-test");
    settings.set_base_url(server.uri());
    settings.set_credential(
        "bad",
        Credential::Dynamic {
            source: TokenSource::callback(|| async { Ok::<_, String>("x".to_owned()) }),
            placement: runtime::Placement::Cookie("a=b".to_owned()),
        },
    );
    let spec = Spec {
        server: None,
        required_credential: None,
        security: None,
        headers: Vec::new(),
    };
    let error = settings.build::<serde_json::Value>(spec).unwrap_err();
    assert!(
        matches!(&error, Error::Config(m) if m.contains("`a=b` is not a valid cookie name")),
        "{error}"
    );
}
