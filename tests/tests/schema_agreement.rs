//! The JSON Schema a request type exports (`schemars::schema_for!`) and its `validate()` agree:
//! for generated request values, and for JSON documents mutated from them, the client accepts
//! exactly what the schema accepts (checked with the `jsonschema` crate, formats included).

use intercom::{
    ContactRole, CreateMessageRequest, EmailMessageRequest, InAppMessageRequest, MessageFrom,
    MessageTo, Template,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::LazyLock;

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema = serde_json::to_value(schemars::schema_for!(CreateMessageRequest)).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the exported schema is a valid JSON Schema")
});

/// Short strings, empty ones (which break `minLength: 1`) and non-ASCII ones included.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!['a', 'Z', '0', ' ', 'é', '漢']),
        0..4,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn template() -> impl Strategy<Value = Template> {
    prop_oneof![
        Just(Template::Plain),
        Just(Template::Personal),
        // A value only a response can carry; a request holding it must be refused.
        Just(Template::from("fancy")),
    ]
}

fn from() -> impl Strategy<Value = MessageFrom> {
    text().prop_map(MessageFrom::new)
}

fn to() -> impl Strategy<Value = MessageTo> {
    (
        prop_oneof![Just(ContactRole::User), Just(ContactRole::Lead)],
        text(),
    )
        .prop_map(|(type_, id)| MessageTo::new(type_, id))
}

fn request() -> impl Strategy<Value = CreateMessageRequest> {
    prop_oneof![
        (text(), text(), template(), from(), to()).prop_map(
            |(subject, body, template, from, to)| {
                EmailMessageRequest::new(subject, body, template, from, to).into()
            }
        ),
        (text(), from(), to())
            .prop_map(|(body, from, to)| InAppMessageRequest::new(body, from, to).into()),
    ]
}

/// One edit of a request document, each breaking or keeping a rule.
fn mutate(mut document: Value, choice: usize, text: &str) -> Value {
    let object = document.as_object_mut().expect("requests are objects");
    let keys: Vec<String> = object.keys().cloned().collect();
    let key = keys[choice % keys.len()].clone();
    match choice % 10 {
        0 => drop(object.remove(&key)),
        1 => drop(object.insert(key, json!(text))),
        2 => drop(object.insert("extra".into(), json!(text))),
        3 => drop(object.insert(
            "message_type".into(),
            json!(["sms", "email", "inapp"][choice % 3]),
        )),
        4 => document["to"]["type"] = json!(["admin", "user", "lead"][choice % 3]),
        5 => document["from"]["type"] = json!(["user", "admin"][choice % 2]),
        6 => drop(document["to"].as_object_mut().unwrap().remove("id")),
        7 => drop(object.insert(
            "template".into(),
            json!(["fancy", "plain", "personal"][choice % 3]),
        )),
        8 => drop(object.insert(key, json!(choice))),
        _ => drop(object.insert("subject".into(), json!(text))),
    }
    document
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn validate_agrees_with_the_exported_schema(request in request()) {
        let document = serde_json::to_value(&request).unwrap();
        prop_assert_eq!(
            request.validate().is_ok(),
            SCHEMA.is_valid(&document),
            "validate() and the schema disagree on {}", document
        );
    }

    #[test]
    fn from_json_agrees_with_the_exported_schema(
        request in request(),
        choice in 0usize..1000,
        text in text(),
    ) {
        let document = mutate(serde_json::to_value(&request).unwrap(), choice, &text);
        let accepted = CreateMessageRequest::from_json(&document.to_string());
        prop_assert_eq!(
            accepted.is_ok(),
            SCHEMA.is_valid(&document),
            "from_json and the schema disagree on {}: {:?}", document, accepted.err()
        );
    }
}

#[test]
fn the_exported_schema_accepts_the_seed_request() {
    assert!(SCHEMA.is_valid(&workspace_tests::seed_request_json()));
    let schema = serde_json::to_value(schemars::schema_for!(CreateMessageRequest)).unwrap();
    assert_eq!(
        schema["oneOf"].as_array().map(Vec::len),
        Some(2),
        "{schema}"
    );
}
