//! The spec's own examples against the generated types: every request example deserialises,
//! validates and serialises back to itself; every response example decodes. An example the
//! types reject means the spec contradicts itself.

use intercom::{CreateMessageRequest, ErrorList, Message};
use serde_json::{json, Value};
use workspace_tests::{seed_request_json, seed_response_json, spec_json};

fn operation() -> Value {
    spec_json()["paths"]["/messages"]["post"].clone()
}

/// Follows a local `$ref` once.
fn deref(spec: &Value, node: &Value) -> Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} resolves"))
            .clone(),
        None => node.clone(),
    }
}

fn examples(media: &Value) -> Vec<(String, Value)> {
    let examples = media["examples"]
        .as_object()
        .expect("every body in the spec has named examples");
    examples
        .iter()
        .map(|(name, example)| (name.clone(), example["value"].clone()))
        .collect()
}

#[test]
fn request_examples_validate_and_round_trip() {
    let examples = examples(&operation()["requestBody"]["content"]["application/json"]);
    assert_eq!(examples.len(), 3, "email, email_personal and inapp");
    for (name, value) in examples {
        let request: CreateMessageRequest = serde_json::from_value(value.clone())
            .unwrap_or_else(|err| panic!("request example `{name}` does not decode: {err}"));
        request
            .validate()
            .unwrap_or_else(|err| panic!("request example `{name}` is invalid: {err}"));
        assert_eq!(serde_json::to_value(&request).unwrap(), value, "{name}");
    }
}

#[test]
fn response_examples_decode() {
    let spec = spec_json();
    let responses = operation()["responses"].clone();
    let mut decoded = 0;
    for (status, response) in responses.as_object().unwrap() {
        let response = deref(&spec, response);
        for (name, value) in examples(&response["content"]["application/json"]) {
            if status == "200" {
                let message: Message = serde_json::from_value(value.clone())
                    .unwrap_or_else(|err| panic!("{status} example `{name}`: {err}"));
                assert_eq!(serde_json::to_value(&message).unwrap(), value);
            } else {
                let list: ErrorList = serde_json::from_value(value.clone())
                    .unwrap_or_else(|err| panic!("{status} example `{name}`: {err}"));
                assert_eq!(list.type_, "error.list", "{status} `{name}`");
                assert!(!list.errors.is_empty(), "{status} `{name}`");
            }
            decoded += 1;
        }
    }
    // 200 plus the six documented error statuses, each with at least one example.
    assert!(decoded >= 7, "only {decoded} response examples");
}

#[test]
fn the_spec_carries_the_seed_examples_verbatim() {
    let op = operation();
    let request = &op["requestBody"]["content"]["application/json"]["examples"]["email"]["value"];
    assert_eq!(request, &seed_request_json());
    let response =
        &op["responses"]["200"]["content"]["application/json"]["examples"]["email"]["value"];
    assert_eq!(response, &seed_response_json());
}

#[test]
fn documented_error_statuses_are_all_declared() {
    let responses = operation()["responses"].clone();
    let mut statuses: Vec<&str> = responses
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["200", "400", "401", "403", "404", "422", "429"]);
}

#[test]
fn the_php_example_shape_is_rejected() {
    // The seed's PHP example addresses the recipient by email; the spec's description
    // explains why only `id` is accepted.
    let mut php = seed_request_json();
    php["to"] = json!({ "type": "user", "email": "socrates@email.com" });
    let err = serde_json::from_value::<CreateMessageRequest>(php).unwrap_err();
    assert!(err.to_string().contains("email"), "{err}");
}

#[test]
fn from_type_is_always_admin_on_the_wire() {
    let mut wrong = seed_request_json();
    wrong["from"]["type"] = json!("user");
    let err = serde_json::from_value::<CreateMessageRequest>(wrong.clone()).unwrap_err();
    assert!(err.to_string().contains("expected `admin`"), "{err}");

    let mut missing = wrong;
    missing["from"].as_object_mut().unwrap().remove("type");
    let err = serde_json::from_value::<CreateMessageRequest>(missing).unwrap_err();
    assert!(err.to_string().contains("missing field `type`"), "{err}");
}

#[test]
fn email_without_subject_or_template_does_not_decode() {
    for missing in ["subject", "template"] {
        let mut value = seed_request_json();
        value.as_object_mut().unwrap().remove(missing);
        let err = serde_json::from_value::<CreateMessageRequest>(value).unwrap_err();
        assert!(err.to_string().contains(missing), "{err}");
    }
}
