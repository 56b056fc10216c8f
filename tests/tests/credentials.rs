//! Security requirements per call (`Call::security`, `Call::without_credential`): the
//! credentials of the first alternative the client has all of go with the request, wherever
//! they travel (a header, the query); `security: []` sends none; a requirement the client has
//! no credentials for fails with `Error::Config` before anything is sent. The generated side is
//! in `breadth.rs` (`security: []` in the parameters fixture).

use runtime::{Credential, Error, HttpClient, Method, Secret, Settings, Spec};
use wiremock::matchers::method;
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
