//! A call of an operation without security (`security: []`, `Call::without_credential`) sends
//! no credential, wherever the client keeps it: the `Authorization` header here (the query
//! string is covered by `breadth.rs`), while the other calls still carry it.

use runtime::{Credential, HttpClient, Method, Secret, Settings, Spec};
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> HttpClient {
    let mut settings = Settings::new("credentials-test");
    settings.set_credential(Credential::Bearer(Secret::new("secret-token")));
    settings.set_base_url(base_url.to_owned());
    let spec = Spec {
        server: None,
        required_credential: Some("token"),
        headers: Vec::new(),
    };
    settings.build::<serde_json::Value>(spec).expect("builds")
}

#[tokio::test]
async fn an_open_operation_goes_without_the_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/open"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/closed"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let http = client(&server.uri());
    http.call_with::<(), serde_json::Value>(Method::GET, "/closed", runtime::body::empty)
        .await
        .expect("sent with the token");
    http.call_with::<(), serde_json::Value>(Method::GET, "/open", runtime::body::empty)
        .without_credential()
        .await
        .expect("sent without it");
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.contains_key("authorization"));
    assert!(
        !requests[1].headers.contains_key("authorization"),
        "{:?}",
        requests[1].headers
    );
}
