//! OpenAPI breadth, one fixture spec per area (tests/fixtures/specs/{composition, parameters,
//! bodies}.yaml, and the multi-file external/api.yaml): each generated crate is a workspace
//! member, so it compiles with the tests; each spec generates without a warning (the crates'
//! reports are snapshotted in `snapshots.rs`); and the clients are run against a local server
//! to show what goes on the wire.

use serde_json::json;
use std::collections::BTreeMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::generate_listed;

/// The spec generates without a warning (its generated code is reviewed in the committed crate,
/// its report in `snapshots.rs`).
fn generates_cleanly(spec: &str) {
    let output = generate_listed(spec);
    assert!(
        output.warnings.is_empty(),
        "{spec} should generate without warnings:\n{}",
        codegen::diagnostics::render(&output.warnings)
    );
}

#[test]
fn composition_generates_without_warnings() {
    generates_cleanly("tests/fixtures/specs/composition.yaml");
}

#[test]
fn parameters_generates_without_warnings() {
    generates_cleanly("tests/fixtures/specs/parameters.yaml");
}

#[test]
fn bodies_generates_without_warnings() {
    generates_cleanly("tests/fixtures/specs/bodies.yaml");
}

#[test]
fn external_generates_without_warnings() {
    generates_cleanly("tests/fixtures/specs/external/api.yaml");
}

/// Types from three files, recursion across them included: `schemas/pet.yaml` refers to itself
/// by file name, to its own `$defs` by a local pointer, and back into `api.yaml`.
#[test]
fn external_refs_become_ordinary_types() {
    let pet: external_client::Pet = serde_json::from_value(json!({
        "id": 7,
        "name": "Rex",
        "owner": {"name": "Ada", "shelter": {"name": "North", "owner": {"name": "Bob"}}},
        "siblings": [{"id": 8, "name": "Rover"}],
    }))
    .unwrap();
    let shelter = pet.owner.as_ref().unwrap().shelter.as_ref().unwrap();
    assert_eq!(shelter.name, "North");
    assert_eq!(pet.siblings.as_ref().unwrap()[0].name, "Rover");
    // The constraint from `api.yaml` holds on the type reached through `pet.yaml`.
    let empty = external_client::NewPet::new("");
    let errors = empty.validate().unwrap_err();
    assert_eq!(errors.iter().next().unwrap().path, "/name");
}

/// A parameter and the error body from `common.yaml` reach the client.
#[tokio::test]
async fn external_parameters_and_responses_are_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(wiremock::matchers::query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "name": "Rex"}])))
        .mount(&server)
        .await;
    let client = external_client::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let pets = client
        .pets()
        .list(&external_client::params::PetsListParams::new().with_limit(5))
        .await
        .unwrap();
    assert_eq!(pets[0].id, 1);
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(json!({"message": "taken", "request_id": "req-9"})),
        )
        .mount(&server)
        .await;
    let body = external_client::NewPet::new("Rex");
    let err = client.pets().create(&body).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.request_id(), Some("req-9"));
    assert_eq!(err.body().unwrap().message, "taken");
}

mod composition {
    use super::*;
    use composition_client::{Expression, Node, Shape, StoredShape, StoredShapeTags};
    use runtime::Validate;

    #[test]
    fn all_of_merges_parts_and_keeps_their_rules() {
        let stored: StoredShape = serde_json::from_value(json!({
            "name": "wheel", "id": 7, "shape": {"radius": 2.5},
            "label": null, "size": null, "tags": ["a", "b"]
        }))
        .unwrap();
        assert_eq!(stored.name, "wheel");
        assert_eq!(stored.id, 7);
        assert_eq!(
            stored.shape,
            Some(Shape::Circle(composition_client::Circle::new(2.5)))
        );
        assert_eq!(stored.label, None);
        assert_eq!(
            stored.tags,
            Some(StoredShapeTags::StringList(vec!["a".into(), "b".into()]))
        );
        // `name`'s minLength comes from the `Named` part.
        let mut empty = stored.clone();
        empty.name.clear();
        let errors = empty
            .validate()
            .expect_err("an empty name breaks minLength");
        assert_eq!(
            errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            ["/name"]
        );
        // A part's required property is required in the merge.
        let missing = serde_json::from_value::<StoredShape>(json!({"name": "x"}));
        assert!(missing.is_err());
    }

    #[test]
    fn untagged_choices_decode_by_shape() {
        let square: Shape = serde_json::from_value(json!({"side": 3.0})).unwrap();
        assert!(matches!(square, Shape::Square(_)));
        let one: StoredShapeTags = serde_json::from_value(json!("solo")).unwrap();
        assert_eq!(one, StoredShapeTags::String("solo".into()));
        assert!(serde_json::from_value::<Shape>(json!({"colour": "red"})).is_err());
        // Rules inside a variant are checked through the union.
        let negative = Shape::Circle(composition_client::Circle::new(-1.0));
        let errors = negative.validate().expect_err("radius has minimum 0");
        assert_eq!(errors.iter().next().unwrap().path, "/radius");
    }

    #[test]
    fn recursive_schemas_round_trip() {
        let tree = json!({
            "value": 1,
            "parent": {"value": 0},
            "children": [{"value": 2, "children": [{"value": 3}]}],
            "expression": {"negate": {"negate": {"number": 4.0}}}
        });
        let node: Node = serde_json::from_value(tree.clone()).unwrap();
        assert_eq!(node.parent.as_ref().unwrap().value, 0);
        assert_eq!(
            node.children.as_ref().unwrap()[0]
                .children
                .as_ref()
                .unwrap()[0]
                .value,
            3
        );
        let Some(Expression::Negate(outer)) = &node.expression else {
            panic!("{:?}", node.expression);
        };
        assert!(matches!(*outer.negate, Expression::Negate(_)));
        assert_eq!(serde_json::to_value(&node).unwrap(), tree);
    }

    #[test]
    fn extra_properties_are_kept_and_checked() {
        let value = json!({"primary": {"name": "a"}, "x": {"name": "b"}, "y": {"name": ""}});
        let labels: composition_client::Labels = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(labels.primary.as_ref().unwrap().name, "a");
        assert_eq!(labels.extra.keys().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(
            serde_json::to_value(&labels).unwrap(),
            value,
            "nothing is lost"
        );
        let errors = labels.validate().expect_err("y's name is empty");
        assert_eq!(
            errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            ["/y/name"]
        );
        let mut many = labels.clone();
        many.extra
            .insert("z".into(), composition_client::Named::new("c"));
        many.extra.get_mut("y").unwrap().name = "d".into();
        let errors = many.validate().expect_err("four properties, at most three");
        assert_eq!(errors.iter().next().unwrap().rule, "maxProperties");
    }

    #[tokio::test]
    async fn a_get_of_a_recursive_type_decodes() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/trees"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"value": 5, "children": []})),
            )
            .mount(&server)
            .await;
        let client = composition_client::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        let tree = client.trees().get().await.unwrap();
        assert_eq!(tree.value, 5);
    }
}

mod parameters {
    use super::*;
    use parameters_client::params::ItemsGetNoteParams;
    use parameters_client::{Client, Error, GetNoteFilter, Region};

    fn params() -> ItemsGetNoteParams {
        ItemsGetNoteParams::new("trace-1")
            .with_tags(vec!["x".into(), "y z".into()])
            .with_ids(vec![1, 2, 3])
            .with_filter(GetNoteFilter::new().with_status("open"))
            .with_fields(vec!["a".into(), "b".into()])
            .with_session("s1")
    }

    #[tokio::test]
    async fn every_location_and_style_goes_on_the_wire() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"text": "hi"})))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .api_key("k3y/secret")
            .build()
            .unwrap();
        let note = client
            .items()
            .get_note("a/b c", 7, &params())
            .await
            .unwrap();
        assert_eq!(note.text.as_deref(), Some("hi"));

        let request = &server.received_requests().await.unwrap()[0];
        assert_eq!(
            request.url.path(),
            "/items/a%2Fb%20c/notes/7",
            "path parameters are encoded"
        );
        let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("tags", "x"),
                ("tags", "y z"),
                ("ids", "1,2,3"),
                ("filter[status]", "open"),
                ("fields", "a|b"),
                ("api_key", "k3y/secret"),
            ]
        );
        assert_eq!(request.headers["x-trace-id"], "trace-1");
        assert_eq!(request.headers["cookie"], "session=s1");
    }

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .api_key("key")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn absent_optional_parameters_send_nothing() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        let client = client(&server);
        let params = ItemsGetNoteParams::new("t");
        client.items().get_note("i", 1, &params).await.unwrap();
        let request = &server.received_requests().await.unwrap()[0];
        assert_eq!(request.url.query(), Some("api_key=key"));
        assert!(request.headers.get("cookie").is_none());
    }

    #[tokio::test]
    async fn an_empty_path_parameter_is_refused_before_sending() {
        let server = MockServer::start().await;
        let client = client(&server);
        let error = client
            .items()
            .get_note("", 1, &params())
            .await
            .expect_err("empty id");
        let Error::Validation(errors) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(errors.iter().next().unwrap().path, "/itemId");
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    /// Every parameter rule of the spec is checked before sending, and every broken one is
    /// reported, named after its parameter.
    #[tokio::test]
    async fn parameter_rules_are_checked_before_sending() {
        let server = MockServer::start().await;
        let client = client(&server);
        let bad = params().with_tags(vec!["a".into(), String::new(), "c".into(), "d".into()]);
        let error = client
            .items()
            .get_note("{x}", 0, &bad)
            .await
            .expect_err("four broken rules");
        let Error::Validation(errors) = &error else {
            panic!("{error:?}");
        };
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
        assert_eq!(
            found,
            [
                ("/itemId", "pattern"),
                ("/noteId", "minimum"),
                ("/tags", "maxItems"),
                ("/tags/1", "minLength"),
            ]
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    /// `security: []` on an operation: the client's API key stays out of its request, and
    /// still goes with every other operation.
    #[tokio::test]
    async fn an_operation_without_security_is_sent_without_the_credential() {
        let server = MockServer::start().await;
        for route in ["/ping", "/health"] {
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(ResponseTemplate::new(204))
                .mount(&server)
                .await;
        }
        let client = client(&server);
        client.get_ping().await.unwrap();
        client.health().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let queries: Vec<(&str, Option<&str>)> = requests
            .iter()
            .map(|r| (r.url.path(), r.url.query()))
            .collect();
        assert_eq!(queries[0].0, "/ping");
        assert!(
            queries[0].1.unwrap_or_default().contains("api_key="),
            "{queries:?}"
        );
        assert_eq!(
            queries[1],
            ("/health", None),
            "no key on the open operation"
        );
    }

    #[tokio::test]
    async fn untagged_operations_are_client_methods_and_204_is_unit() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/ping"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let () = client(&server).get_ping().await.unwrap();
    }

    #[tokio::test]
    async fn a_query_key_is_required_and_never_shown_in_errors() {
        let error = Client::builder().build().expect_err("no key");
        assert!(error.to_string().contains(".api_key("), "{error}");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let client = Client::builder()
            .base_url(url)
            .api_key("very-secret-key")
            .retry(parameters_client::http::RetryPolicy::never())
            .build()
            .unwrap();
        let error = client.get_ping().await.expect_err("nothing listens");
        assert!(matches!(error, Error::Connect(_)), "{error:?}");
        for shown in [
            format!("{error}"),
            format!("{error:?}"),
            format!("{client:?}"),
        ] {
            assert!(!shown.contains("very-secret-key"), "{shown}");
        }
    }

    #[test]
    fn server_variables_take_their_defaults() {
        assert_eq!(Region::Production.base_url(), "https://eu.example.com/v1");
        let client = Client::builder().api_key("k").build().unwrap();
        assert_eq!(client.base_url(), "https://eu.example.com/v1");
    }
}

mod bodies {
    use super::*;

    /// Each success status decodes into its own variant, by the status the API answered with;
    /// a success status the spec does not declare is a decode error, not a guess.
    #[tokio::test]
    async fn success_statuses_with_different_bodies_become_an_enum() {
        use bodies_client::{StartJobAccepted, StartJobOk, StartJobResponse};
        let cases = [
            (
                200,
                Some(json!({"result": "done"}).to_string()),
                StartJobResponse::Ok(StartJobOk::new("done")),
            ),
            (
                202,
                Some(json!({"poll": "/jobs/1"}).to_string()),
                StartJobResponse::Accepted(StartJobAccepted::new("/jobs/1")),
            ),
            (204, None, StartJobResponse::NoContent),
            (
                206,
                Some("line 1\n".to_owned()),
                StartJobResponse::PartialContent("line 1\n".to_owned()),
            ),
        ];
        for (status, body, expected) in cases {
            let mut response = ResponseTemplate::new(status);
            if let Some(body) = body {
                response = response.set_body_string(body);
            }
            let mock = server("POST", "/jobs", response).await;
            let got = client(&mock).documents().start_job().await.unwrap();
            assert_eq!(got.status(), status);
            assert_eq!(got, expected);
        }
        let mock = server(
            "POST",
            "/jobs",
            ResponseTemplate::new(203).set_body_string("{}"),
        )
        .await;
        let err = client(&mock).documents().start_job().await.unwrap_err();
        assert!(matches!(err, Error::Decode { status: 203, .. }), "{err:?}");
        // The wrong body for its status is a decode error at the right place.
        let wrong = ResponseTemplate::new(202).set_body_json(json!({"result": "done"}));
        let mock = server("POST", "/jobs", wrong).await;
        let err = client(&mock).documents().start_job().await.unwrap_err();
        assert!(matches!(err, Error::Decode { status: 202, .. }), "{err:?}");
    }
    use bodies_client::{Client, Error, LoginRequest, SearchRequest};

    async fn server(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(response)
            .mount(&server)
            .await;
        server
    }

    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).build().unwrap()
    }

    #[tokio::test]
    async fn an_optional_body_may_be_left_out_and_204_is_none() {
        let server = server("POST", "/search", ResponseTemplate::new(204)).await;
        let found = client(&server).documents().search(None).await.unwrap();
        assert_eq!(found, None);
        let request = &server.received_requests().await.unwrap()[0];
        assert!(request.body.is_empty());
        assert!(request.headers.get("content-type").is_none());
    }

    #[tokio::test]
    async fn a_given_body_is_validated_sent_and_200_is_some() {
        let server = server(
            "POST",
            "/search",
            ResponseTemplate::new(200).set_body_json(json!(["doc-1"])),
        )
        .await;
        let query = SearchRequest::new().with_query("cats");
        let found = client(&server)
            .documents()
            .search(Some(&query))
            .await
            .unwrap();
        assert_eq!(found, Some(vec!["doc-1".to_owned()]));
        let sent: serde_json::Value =
            serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
        assert_eq!(sent, json!({"query": "cats"}));

        let empty = SearchRequest::new().with_query("");
        let error = client(&server)
            .documents()
            .search(Some(&empty))
            .await
            .expect_err("minLength 1");
        assert!(matches!(error, Error::Validation(_)), "{error:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn form_bodies_are_url_encoded_with_basic_auth() {
        let server = server("POST", "/login", ResponseTemplate::new(204)).await;
        let form = LoginRequest::new("ann lee").with_remember(true);
        let client = Client::builder()
            .base_url(server.uri())
            .basic_auth("Aladdin", "open sesame")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("open sesame"));
        client.documents().login(&form).await.unwrap();
        let request = &server.received_requests().await.unwrap()[0];
        assert_eq!(
            request.headers["authorization"],
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(
            request.headers["content-type"],
            "application/x-www-form-urlencoded"
        );
        let fields: BTreeMap<String, String> =
            url_pairs(std::str::from_utf8(&request.body).unwrap());
        assert_eq!(fields["user"], "ann lee");
        assert_eq!(fields["remember"], "true");
    }

    fn url_pairs(text: &str) -> BTreeMap<String, String> {
        let url = format!("http://x/?{text}");
        let url = runtime_url(&url);
        url.query_pairs().into_owned().collect()
    }

    fn runtime_url(text: &str) -> wiremock::http::Url {
        wiremock::http::Url::parse(text).unwrap()
    }

    #[tokio::test]
    async fn bytes_go_out_as_is_and_text_comes_back() {
        let server = server(
            "PUT",
            "/documents/raw",
            ResponseTemplate::new(200).set_body_raw("plain text ✓", "text/plain"),
        )
        .await;
        let text = client(&server)
            .documents()
            .upload(&[0, 159, 146, 150])
            .await
            .unwrap();
        assert_eq!(text, "plain text ✓");
        let request = &server.received_requests().await.unwrap()[0];
        assert_eq!(request.body, [0, 159, 146, 150]);
        assert_eq!(request.headers["content-type"], "application/octet-stream");
        assert_eq!(request.headers["accept"], "text/plain");
    }
}

/// In a request type, an optional nullable property tells "leave it" (absent) from "clear it"
/// (`null`); both directions keep the difference, and only a value is validated.
#[test]
fn optional_nullable_request_fields_tell_null_from_absent() {
    use composition_client::ShapePatch;
    let clear = ShapePatch::new().with_label(None);
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"label": null})
    );
    assert!(clear.validate().is_ok());
    let decoded: ShapePatch = serde_json::from_value(json!({"label": null})).unwrap();
    assert_eq!(decoded, clear);
    let decoded: ShapePatch = serde_json::from_value(json!({"size": 3})).unwrap();
    assert_eq!((decoded.label, decoded.size), (None, Some(Some(3))));
    let bad = ShapePatch::new()
        .with_label(Some(String::new()))
        .with_size(Some(-1));
    let errors = bad.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["/label", "/size"]);
    // Response-only types keep one `Option`: there, absent and `null` both mean "no value".
    let stored: composition_client::StoredShape =
        serde_json::from_value(json!({"name": "a", "id": 1, "size": null})).unwrap();
    assert_eq!(stored.size, None);
}

/// `readOnly` properties of a type that is also sent are optional and never serialised;
/// `writeOnly` ones of a type that is also received are optional.
#[test]
fn read_only_properties_are_never_sent() {
    use composition_client::Settings;
    let returned: Settings = serde_json::from_value(json!({"id": 7, "theme": "dark"})).unwrap();
    assert_eq!((returned.id, returned.password.as_deref()), (Some(7), None));
    let sent = Settings::new("light").with_id(7).with_password("hunter22");
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({"theme": "light", "password": "hunter22"})
    );
    let short = sent.with_password("short");
    let errors = short.validate().unwrap_err();
    assert_eq!(errors.iter().next().unwrap().path, "/password");
}
