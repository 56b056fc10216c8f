//! Shapes and defects of real public specs (issue 12), each in a fixture of ours:
//! `tests/fixtures/specs/realworld-30.yaml` (3.0, the shapes of Intercom's published specs) and
//! `realworld-31.yaml` (3.1). Both crates are workspace members, so they compile with the tests;
//! the repairs' warnings are checked here (and snapshotted, with the rest of each crate's
//! report, in `snapshots.rs`), and the clients run against a local server.

use realworld30_client as v30;
use realworld31_client as v31;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{fixture_options, root};

fn generate(spec: &str) -> codegen::Output {
    codegen::generate(&root().join(spec), &fixture_options(spec))
        .unwrap_or_else(|d| panic!("{spec}:\n{}", codegen::diagnostics::render(&d)))
}

#[test]
fn realworld_30_warnings() {
    let output = generate("tests/fixtures/specs/realworld-30.yaml");
    let warnings = codegen::diagnostics::render(&output.warnings);
    // Every repair and every `Value` says so, where it happens.
    for expected in [
        "the path `/jobs/{job_identifier}` has `{job_identifier}`, but the operation declares no path parameter `job_identifier`; it is taken as a required string parameter",
        "`style: form` is not implemented for header parameters; `X-Trace` is written in the `simple` style",
        "this schema has no `type`, but `items` implies an array; it is typed as one",
        "`options` is declared by some branches of this `oneOf` only; it is typed as they declare it",
        "the `application/json` response has no `schema`; its body is kept as `serde_json::Value`",
    ] {
        assert!(warnings.contains(expected), "{expected:?} in:\n{warnings}");
    }
}

#[test]
fn realworld_31_warnings() {
    let output = generate("tests/fixtures/specs/realworld-31.yaml");
    // The two recursive references that JSON Schema 2020-12 reads otherwise are repairs.
    let warnings = codegen::diagnostics::render(&output.warnings);
    assert!(warnings.ends_with("0 errors, 2 warnings\n"), "{warnings}");
}

/// The typed share the corpus measures: every body of both fixtures is typed but the one
/// response without a schema.
#[test]
fn bodies_are_typed() {
    let typed = generate("tests/fixtures/specs/realworld-30.yaml").typed;
    assert_eq!((typed.bodies_typed, typed.bodies), (8, 9), "{typed:?}");
    assert_eq!(typed.properties_typed, typed.properties, "{typed:?}");
    let typed = generate("tests/fixtures/specs/realworld-31.yaml").typed;
    assert_eq!((typed.bodies_typed, typed.bodies), (5, 5), "{typed:?}");
    assert_eq!(typed.properties_typed, typed.properties, "{typed:?}");
}

/// `/jobs/{job_identifier}` declares no parameter: the client takes it as a string and fills
/// the path; the body is a `$ref` to a nullable schema, so `null` decodes as `None`.
#[tokio::test]
async fn undeclared_path_variables_are_parameters_and_nullable_bodies_accept_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/job%201"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(null)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "7", "name": "Ada"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(client.jobs().get("job 1").await.unwrap(), None);
    let admin = client.jobs().get("42").await.unwrap().unwrap();
    assert_eq!(admin.name.as_deref(), Some("Ada"));
}

/// An `Accept` header parameter of one value is the `Accept` the client sends.
#[tokio::test]
async fn a_one_value_accept_parameter_is_the_accept_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j1/download"))
        .and(wiremock::matchers::header(
            "accept",
            "application/octet-stream",
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.jobs().download("j1").await.unwrap();
}

/// `matrix` and `label` path parameters are written as RFC 6570 says, each part encoded.
#[tokio::test]
async fn matrix_and_label_path_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j1/notes;note=a%20b/tags.x.y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"any": "thing"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let params = v30::params::JobsGetNoteParams::default();
    let note = client
        .jobs()
        .get_note("a b", &vec!["x".to_owned(), "y".to_owned()], "j1", &params)
        .await
        .unwrap();
    assert_eq!(note, json!({"any": "thing"}));
}

/// `required` means present, if only as `null`: a required nullable property that is absent is
/// refused when decoding (serde would otherwise read it as `None`).
#[test]
fn required_nullable_properties_must_be_present() {
    let message: v30::Message = serde_json::from_value(json!({"id": "m1", "owner": null})).unwrap();
    assert!(message.owner.is_none());
    let absent = serde_json::from_value::<v30::Message>(json!({"id": "m1"})).unwrap_err();
    assert!(
        absent.to_string().contains("missing field `owner`"),
        "{absent}"
    );
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        json!({"id": "m1", "owner": null}),
        "and it is always written"
    );
}

/// A `$ref` to a `nullable: true` schema accepts `null` as a list item, a map value and a
/// property; before, a list holding `null` failed to decode.
#[tokio::test]
async fn nullable_referenced_schemas_accept_null_everywhere() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admins"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "admin.list",
            "admins": [null, {"id": "1"}],
            "by_team": {"support": null, "sales": {"id": "2"}},
            "owner": null,
        })))
        .mount(&server)
        .await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let list = client.admins().list().await.unwrap();
    assert_eq!(list.admins.len(), 2);
    assert!(list.admins[0].is_none());
    assert_eq!(list.admins[1].as_ref().unwrap().id, "1");
    let by_team = list.by_team.unwrap();
    assert!(by_team["support"].is_none());
    assert_eq!(by_team["sales"].as_ref().unwrap().id, "2");
    assert!(list.owner.is_none());
    // `teams` has no `type`, but its `items` say it is a list.
    let teams: Option<Vec<String>> = list.teams;
    assert!(teams.is_none());
}

fn message(value: serde_json::Value) -> v30::CreateMessageRequest {
    serde_json::from_value(value).expect("decodes")
}

/// Intercom's create-message shape: `properties` plus an `anyOf` whose branches only list
/// `required` names. The request is a typed struct (what every branch requires is a plain
/// field), and `validate()` refuses a request that meets no branch, naming both.
#[test]
fn properties_with_required_only_branches_are_a_typed_validated_struct() {
    let email = v30::CreateMessageRequest::new(
        v30::CreateMessageRequestMessageType::Email,
        v30::CreateMessageRequestFrom::new(394051),
    )
    .with_subject("Hey")
    .with_template("plain");
    email.validate().unwrap();
    let in_app = message(json!({
        "message_type": "in_app", "body": "Hi", "from": {"type": "admin", "id": 1}
    }));
    in_app.validate().unwrap();
    // An email without its subject and template, and without a body: no branch holds.
    let neither = message(json!({"message_type": "email", "from": {"type": "admin", "id": 1}}));
    let errors = neither.validate().unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!((error.path.as_str(), error.rule), ("", "anyOf"));
    assert_eq!(
        error.expected,
        "at least one of: \"message_type: `email`\" (requires subject, template), \"message_type: `inapp`\" (requires body)"
    );
    // `format: byte` is checked: base64, padded.
    let attached = message(json!({
        "message_type": "in_app", "body": "Hi", "attachment": "aGVsbG8=",
        "from": {"type": "admin", "id": 1}
    }));
    attached.validate().unwrap();
    let garbled = message(json!({
        "message_type": "in_app", "body": "Hi", "attachment": "iVBORw0KGgo...",
        "from": {"type": "admin", "id": 1}
    }));
    let error = garbled.validate().unwrap_err();
    let error = error.iter().next().unwrap();
    assert_eq!((error.path.as_str(), error.rule), ("/attachment", "format"));
    // The plain fields are still checked: `body` has a minimum length.
    let empty = message(json!({
        "message_type": "in_app", "body": "", "from": {"type": "admin", "id": 1}
    }));
    let errors = empty.validate().unwrap_err();
    assert_eq!(errors.iter().next().unwrap().path, "/body");
}

/// Nothing is sent when no branch holds; a valid request goes out as typed.
#[tokio::test]
async fn the_branch_rule_is_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(body_json(json!({
            "message_type": "in_app", "body": "Hi", "from": {"type": "admin", "id": 1}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "m1", "owner": null})))
        .expect(1)
        .mount(&server)
        .await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let neither = message(json!({"message_type": "email", "from": {"type": "admin", "id": 1}}));
    let error = client.messages().create(&neither).await.unwrap_err();
    assert!(matches!(error, v30::Error::Validation(_)), "{error:?}");
    let sent = message(json!({
        "message_type": "in_app", "body": "Hi", "from": {"type": "admin", "id": 1}
    }));
    let answer = client.messages().create(&sent).await.unwrap();
    assert_eq!(answer.id, "m1");
    assert!(answer.owner.is_none());
    // `sent_by` refers to `teammate`, an alias of `admin`: it is an `Admin`, not JSON.
    let sent_by: Option<v30::Admin> = answer.sent_by;
    assert!(sent_by.is_none());
}

/// Branches that fix `kind` to a value each make a tagged enum: a reminder must have its
/// `due_at` (the compiler says so), and its narrowed `priority` is checked.
#[test]
fn branches_told_apart_by_a_value_are_a_tagged_enum() {
    let note: v30::CreateNoteRequest =
        serde_json::from_value(json!({"kind": "note", "text": "hi", "priority": "low"})).unwrap();
    assert!(matches!(note, v30::CreateNoteRequest::Note(_)));
    note.validate().unwrap();
    let reminder = v30::CreateNoteRequest::from(
        v30::CreateNoteRequestReminder::new("call", 1_700_000_000)
            .with_priority(v30::CreateNoteRequestPriority::Low),
    );
    assert_eq!(
        serde_json::to_value(&reminder).unwrap(),
        json!({"kind": "reminder", "text": "call", "due_at": 1_700_000_000, "priority": "low"})
    );
    let errors = reminder.validate().unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!(error.rule, "oneOf");
    assert!(
        error.expected.contains("priority in [normal, high]"),
        "{error:?}"
    );
    let missing_due = serde_json::from_value::<v30::CreateNoteRequest>(
        json!({"kind": "reminder", "text": "call"}),
    );
    assert!(
        missing_due.is_err(),
        "a reminder without `due_at` is refused"
    );
}

/// The same branches, but `kind` may be left out: a value without it can meet a branch, so the
/// request is one struct and `validate()` counts the branches it meets (`oneOf`: exactly one).
#[test]
fn branches_whose_tag_may_be_absent_are_a_struct_with_the_rule() {
    let note: v30::UpdateNoteRequest =
        serde_json::from_value(json!({"text": "hi", "priority": "low"})).unwrap();
    note.validate().unwrap();
    // Both branches hold (no `kind` to rule either out, a `due_at`): not exactly one.
    let both: v30::UpdateNoteRequest =
        serde_json::from_value(json!({"text": "hi", "due_at": 5})).unwrap();
    let errors = both.validate().unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!(error.rule, "oneOf");
    assert!(error.expected.ends_with("(it meets 2)"), "{error:?}");
    // A reminder whose priority the reminder branch narrows away meets neither.
    let neither: v30::UpdateNoteRequest = serde_json::from_value(
        json!({"kind": "reminder", "text": "hi", "due_at": 5, "priority": "low"}),
    )
    .unwrap();
    assert!(neither
        .validate()
        .unwrap_err()
        .iter()
        .next()
        .unwrap()
        .expected
        .ends_with("(it meets none)"));
}

/// A branch may add a property of its own (`options`, for list attributes only): the struct
/// has it, and `validate()` checks which branch holds, the added property's own rules too.
#[test]
fn branches_that_add_properties_are_one_struct_with_the_rule() {
    let list: v30::CreateAttributeRequest = serde_json::from_value(json!({
        "name": "size", "data_type": "options", "options": [{"value": "S"}, {"value": "M"}]
    }))
    .unwrap();
    list.validate().unwrap();
    assert_eq!(
        list.options.as_ref().unwrap()[1].value.as_deref(),
        Some("M")
    );
    // `data_type` is declared by no `properties`, only narrowed by the branches: a string.
    let data_type: &String = &list.data_type;
    assert_eq!(data_type, "options");
    let unknown: v30::CreateAttributeRequest =
        serde_json::from_value(json!({"name": "size", "data_type": "blob"})).unwrap();
    assert!(unknown.validate().is_err(), "no branch allows `blob`");
    // `name` is required by the object itself: decoding refuses its absence.
    assert!(
        serde_json::from_value::<v30::CreateAttributeRequest>(json!({"data_type": "string"}))
            .is_err()
    );
    // A list attribute without its options meets no branch.
    let bare: v30::CreateAttributeRequest =
        serde_json::from_value(json!({"name": "size", "data_type": "options"})).unwrap();
    let errors = bare.validate().unwrap_err();
    assert_eq!(errors.iter().next().unwrap().rule, "oneOf");
    // One option is too few.
    let one: v30::CreateAttributeRequest = serde_json::from_value(
        json!({"name": "size", "data_type": "options", "options": [{"value": "S"}]}),
    )
    .unwrap();
    assert_eq!(
        one.validate().unwrap_err().iter().next().unwrap().path,
        "/options"
    );
}

/// Discriminated `oneOf`/`anyOf` with inline variants, told apart by `const` or a one-value
/// `enum`; a `type: [object, "null"]` union as list items.
#[tokio::test]
async fn inline_discriminated_variants_and_nullable_unions() {
    let circle: v31::Shape =
        serde_json::from_value(json!({"kind": "circle", "radius": 2.0})).unwrap();
    assert!(matches!(circle, v31::Shape::Circle(v31::ShapeCircle { radius, .. }) if radius == 2.0));
    let negative = v31::Shape::from(v31::ShapeCircle::new(-1.0));
    assert_eq!(
        negative.validate().unwrap_err().iter().next().unwrap().path,
        "/radius"
    );
    let square: v31::Shape =
        serde_json::from_value(json!({"kind": "square", "side": 3.0})).unwrap();
    assert!(matches!(square, v31::Shape::Square(_)));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"type": "opened", "at": 1},
            null,
            {"type": "closed", "reason": "done"},
        ])))
        .mount(&server)
        .await;
    let client = v31::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let events = client.list_events().await.unwrap();
    assert!(matches!(
        events[0],
        Some(v31::Event::Opened(v31::EventOpened { at: 1, .. }))
    ));
    assert!(events[1].is_none());
    assert!(matches!(&events[2], Some(v31::Event::Closed(_))));
}

/// Variants told apart only by an optional one-value `enum`: a newsfeed is not read as the
/// first variant (a news item whose `type` may only be `news-item`), which fits its shape.
#[test]
fn untagged_variants_keep_their_rules_when_decoding() {
    let items: Vec<v31::ListNewsResponseItem> = serde_json::from_value(json!([
        {"type": "newsfeed", "name": "Product"},
        {"type": "news-item", "title": "Launch"},
        {"title": "no type: the first variant that fits"},
    ]))
    .unwrap();
    assert!(
        matches!(&items[0], v31::ListNewsResponseItem::Newsfeed(f) if f.name.as_deref() == Some("Product"))
    );
    assert!(matches!(&items[1], v31::ListNewsResponseItem::NewsItem(_)));
    assert!(matches!(&items[2], v31::ListNewsResponseItem::NewsItem(_)));
    // A value no variant's rules accept is still read (as the first that fits), not refused.
    let odd: v31::ListNewsResponseItem =
        serde_json::from_value(json!({"type": "webinar"})).unwrap();
    assert!(matches!(odd, v31::ListNewsResponseItem::NewsItem(_)));
    assert!(serde_json::from_value::<v31::ListNewsResponseItem>(json!(3)).is_err());
}

/// `$ref: '#'`, `$recursiveRef` and `$dynamicRef` refer to the schema that holds them.
#[test]
fn recursive_references_become_recursive_types() {
    let forest: v31::Forest = serde_json::from_value(json!({
        "plain": {"value": "root", "children": [{"value": "leaf", "children": []}]},
        "recursive": {"value": 1, "children": [{"value": 2}]},
        "dynamic": {"value": true, "next": {"value": false}},
    }))
    .unwrap();
    let plain = forest.plain.unwrap();
    assert_eq!(plain.children.unwrap()[0].value, "leaf");
    assert_eq!(forest.recursive.unwrap().children.unwrap()[0].value, 2);
    assert!(!forest.dynamic.unwrap().next.unwrap().value);
}
