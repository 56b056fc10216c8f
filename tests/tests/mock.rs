//! The `mock` feature of generated crates beyond Intercom's one operation: groups, untagged
//! operations, path parameters (matched by segment, and narrowed with `with_path_param`),
//! success statuses other than 200, empty answers, answers in sequence, and the body check of
//! another spec's validators. (`generated-client/tests/mock.rs` tests code that uses the
//! Intercom client with its mock.)

use runtime::reqwest;
use serde_json::json;
use split_client::mock::Mock;
use split_client::{Error, NewPet, Pet, Status, Tag};

fn pet(id: i64, name: &str) -> Pet {
    Pet::new(id, name)
        .with_status(Status::Available)
        .with_tag(Tag::new("dog"))
}

#[tokio::test]
async fn path_parameters_match_by_segment_and_can_be_narrowed() {
    let mock = Mock::start().await;
    // Mounted mocks are tried in order: pet 7 first, then any other id.
    mock.pets()
        .get()
        .with_path_param("petId", 7)
        .expect(1)
        .respond(&pet(7, "Rex"))
        .await;
    // Pets 8, 9, and the raw request for pet `seven` below.
    mock.pets().get().expect(3).respond(&pet(0, "Any")).await;
    let client = mock.client();

    assert_eq!(client.pets().get(7).await.expect("pet 7").name, "Rex");
    assert_eq!(client.pets().get(8).await.expect("pet 8").name, "Any");
    assert_eq!(client.pets().get(9).await.expect("pet 9").name, "Any");
    // A path parameter that is not the spec's type: a violation, answered 400.
    let raw = reqwest::Client::new()
        .get(format!("{}/pets/seven", mock.uri()))
        .send()
        .await
        .expect("sent");
    assert_eq!(raw.status(), 400);
    let violations = mock.take_violations();
    let found: Vec<(&str, &str)> = violations
        .iter()
        .flat_map(|v| v.errors.iter().map(|e| (e.path.as_str(), e.rule)))
        .collect();
    assert_eq!(found, [("/petId", "type")]);
    // `/pets/{petId}` is not `/pets`: the list operation has no mock, so wiremock's 404.
    let err = client
        .pets()
        .list(&Default::default())
        .await
        .expect_err("nothing mounted for the list");
    assert_eq!(err.status(), Some(404), "{err:?}");
    mock.verify().await;
}

#[tokio::test]
async fn created_and_empty_answers_use_the_spec_s_statuses() {
    let mock = Mock::start().await;
    mock.pets().create().respond(&pet(1, "Rex")).await;
    mock.pets().delete().expect(1).respond(&()).await;
    let client = mock.client();

    let created = client
        .pets()
        .create(&NewPet::new("Rex"))
        .send_with_meta()
        .await
        .expect("created");
    assert_eq!(created.meta.status, 201);
    assert_eq!(created.value, pet(1, "Rex"));
    client.pets().delete(1).await.expect("deleted");

    let requests = mock.server().received_requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method.as_str(), "DELETE");
    assert_eq!(requests[1].url.path(), "/pets/1");
    mock.verify().await;
}

#[tokio::test]
async fn answers_follow_one_another_with_up_to_n_times() {
    let mock = Mock::start().await;
    mock.pets().get().up_to_n_times(1).fail_with(404).await;
    mock.pets().get().respond(&pet(3, "Late")).await;
    let client = mock.client();

    let first = client.pets().get(3).await.expect_err("404 first");
    assert!(matches!(first, Error::NotFound(_)), "{first:?}");
    assert_eq!(
        client.pets().get(3).await.expect("then the pet").name,
        "Late"
    );
    mock.verify().await;
}

#[tokio::test]
async fn bodies_are_checked_with_the_spec_s_validators() {
    let mock = Mock::start().await;
    mock.pets().create().respond(&pet(1, "Rex")).await;
    let http = reqwest::Client::new();
    let url = format!("{}/pets", mock.uri());

    for bad in [
        json!({"name": ""}),
        json!({"name": "Rex", "tag": {}}),
        json!({"name": 5}),
    ] {
        let response = http.post(&url).json(&bad).send().await.expect("sent");
        assert_eq!(response.status(), 400, "{bad}");
    }
    let empty = http.post(&url).send().await.expect("sent");
    assert_eq!(empty.status(), 400, "the body is required");
    let good = http
        .post(&url)
        .json(&json!({"name": "Rex"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(good.status(), 201);

    let found: Vec<Vec<(String, &str)>> = mock
        .take_violations()
        .iter()
        .map(|v| {
            assert_eq!((v.operation, v.path.as_str()), ("createPet", "/pets"));
            v.errors.iter().map(|e| (e.path.clone(), e.rule)).collect()
        })
        .collect();
    assert_eq!(
        found,
        [
            vec![("/name".to_owned(), "minLength")],
            vec![("/tag/label".to_owned(), "required")],
            vec![("/name".to_owned(), "type")],
            vec![(String::new(), "required")],
        ]
    );
    mock.verify().await;
}

#[tokio::test]
async fn untagged_operations_path_parameters_headers_and_api_keys_in_another_crate() {
    use parameters_client::mock::Mock;
    use parameters_client::params::ItemsGetNoteParams;
    use parameters_client::GetNoteResponse;

    let mock = Mock::start().await;
    mock.get_ping().expect(1).respond(&()).await;
    mock.items()
        .get_note()
        .with_path_param("itemId", "a b")
        .with_path_param("noteId", 2)
        // The client's call, and a raw one without the required header.
        .expect(2)
        .respond(&GetNoteResponse::new().with_text("hello"))
        .await;
    // The mock's client carries a stand-in key: the API requires one.
    let client = mock.client();

    client.get_ping().await.expect("pong");
    let params = ItemsGetNoteParams::new("t-1");
    let note = client
        .items()
        .get_note("a b", 2, &params)
        .await
        .expect("the note");
    assert_eq!(note.text.as_deref(), Some("hello"));

    // Without its required header: a violation at the parameter's name, as the client says.
    let response = reqwest::Client::new()
        .get(format!("{}/items/a%20b/notes/2", mock.uri()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let violations = mock.take_violations();
    let found: Vec<(&str, &str)> = violations
        .iter()
        .flat_map(|v| v.errors.iter().map(|e| (e.path.as_str(), e.rule)))
        .collect();
    assert_eq!(found, [("/X-Trace-Id", "required")]);

    // Path parameters are checked as the client checks them: `noteId` has a minimum of 1.
    let get_note = mock.items().get_note();
    get_note.respond(&GetNoteResponse::new()).await;
    let response = reqwest::Client::new()
        .get(format!("{}/items/x/notes/0", mock.uri()))
        .header("X-Trace-Id", "t-2")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let violations = mock.take_violations();
    let found: Vec<(&str, &str)> = violations
        .iter()
        .flat_map(|v| v.errors.iter().map(|e| (e.path.as_str(), e.rule)))
        .collect();
    assert_eq!(found, [("/noteId", "minimum")]);
    mock.verify().await;
}
