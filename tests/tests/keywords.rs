//! The crate generated from `tests/fixtures/specs/keywords.yaml` (every constraint keyword
//! once) compiles, accepts a valid value, and rejects one bad value per keyword at its exact
//! JSON pointer.

use keywords_client::Thing;
use serde_json::{json, Value};

fn valid() -> Value {
    json!({ "kind": "widget", "version": "v1", "name": "ab", "count": 5 })
}

fn check(edit: impl FnOnce(&mut serde_json::Map<String, Value>), expected: (&str, &str)) {
    let mut value = valid();
    edit(value.as_object_mut().unwrap());
    let errors = Thing::from_json(&value.to_string())
        .expect_err(&format!("{value} must be rejected for {expected:?}"));
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(found, [expected], "{value}: {errors}");
}

#[test]
fn a_valid_thing_passes_every_keyword() {
    // Two halves, as all properties at once would break `maxProperties: 12`.
    let halves = [
        json!({ "code": "ABC-12", "ratio": 0.5, "step": 10, "tags": ["a", "b"], "labels": {"x": "abcd"} }),
        json!({
            "email": "wash@example.com", "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
            "at": "2024-02-29T12:30:00Z", "link": "https://example.com/things/1",
            "parts": [{"label": "p"}]
        }),
    ];
    for half in halves {
        let mut thing = valid();
        thing
            .as_object_mut()
            .unwrap()
            .extend(half.as_object().unwrap().clone());
        Thing::from_json(&thing.to_string()).expect("every property within its rules");
    }
    Thing::from_json(&valid().to_string()).expect("the minimal thing is valid");
}

#[test]
fn required() {
    check(|t| drop(t.remove("name")), ("/name", "required"));
}

#[test]
fn enumeration() {
    check(
        |t| drop(t.insert("kind".into(), json!("gizmo"))),
        ("/kind", "enum"),
    );
}

#[test]
fn constant() {
    check(
        |t| drop(t.insert("version".into(), json!("v2"))),
        ("/version", "const"),
    );
}

#[test]
fn string_lengths() {
    check(
        |t| drop(t.insert("name".into(), json!("a"))),
        ("/name", "minLength"),
    );
    check(
        |t| drop(t.insert("name".into(), json!("abcdefghi"))),
        ("/name", "maxLength"),
    );
}

#[test]
fn pattern() {
    check(
        |t| drop(t.insert("code".into(), json!("abc-1"))),
        ("/code", "pattern"),
    );
}

#[test]
fn number_bounds() {
    check(
        |t| drop(t.insert("count".into(), json!(0))),
        ("/count", "minimum"),
    );
    check(
        |t| drop(t.insert("count".into(), json!(11))),
        ("/count", "maximum"),
    );
    check(
        |t| drop(t.insert("ratio".into(), json!(0))),
        ("/ratio", "exclusiveMinimum"),
    );
    check(
        |t| drop(t.insert("ratio".into(), json!(1))),
        ("/ratio", "exclusiveMaximum"),
    );
    check(
        |t| drop(t.insert("step".into(), json!(7))),
        ("/step", "multipleOf"),
    );
}

#[test]
fn array_rules() {
    check(
        |t| drop(t.insert("tags".into(), json!([]))),
        ("/tags", "minItems"),
    );
    check(
        |t| drop(t.insert("tags".into(), json!(["a", "b", "c", "d"]))),
        ("/tags", "maxItems"),
    );
    check(
        |t| drop(t.insert("tags".into(), json!(["a", "a"]))),
        ("/tags/1", "uniqueItems"),
    );
    check(
        |t| drop(t.insert("tags".into(), json!([""]))),
        ("/tags/0", "minLength"),
    );
}

#[test]
fn map_rules() {
    check(
        |t| drop(t.insert("labels".into(), json!({}))),
        ("/labels", "minProperties"),
    );
    let three = json!({"a": "1", "b": "2", "c": "3"});
    check(
        |t| drop(t.insert("labels".into(), three)),
        ("/labels", "maxProperties"),
    );
    let long = json!({"a/b": "toolong"});
    check(
        |t| drop(t.insert("labels".into(), long)),
        ("/labels/a~1b", "maxLength"),
    );
}

#[test]
fn object_property_counts() {
    check(|t| drop(t.remove("version")), ("", "minProperties"));
    let many = json!({
        "code": "ABC-1", "ratio": 0.5, "step": 5, "tags": ["a"], "labels": {"x": "y"},
        "email": "a@b.co", "id": "0f8fad5b-d9cb-469f-a165-70867728950e", "warranty": "2y",
        "expires": "2030-01-01T00:00:00Z"
    });
    check(
        |t| t.extend(many.as_object().unwrap().clone()),
        ("", "maxProperties"),
    );
}

#[test]
fn formats() {
    check(
        |t| drop(t.insert("email".into(), json!("not-an-email"))),
        ("/email", "format"),
    );
    check(
        |t| drop(t.insert("id".into(), json!("1234"))),
        ("/id", "format"),
    );
    check(
        |t| drop(t.insert("at".into(), json!("yesterday"))),
        ("/at", "format"),
    );
    check(
        |t| drop(t.insert("link".into(), json!("/relative"))),
        ("/link", "format"),
    );
}

#[test]
fn nested_objects_are_validated() {
    let parts = json!([{"label": "ok"}, {"label": ""}]);
    check(
        |t| drop(t.insert("parts".into(), parts)),
        ("/parts/1/label", "minLength"),
    );
}

#[test]
fn dependent_required() {
    check(
        |t| drop(t.insert("warranty".into(), json!("2y"))),
        ("/expires", "required"),
    );
}

#[test]
fn if_then() {
    check(
        |t| drop(t.insert("kind".into(), json!("gadget"))),
        ("/code", "required"),
    );
    let mut gadget = valid();
    gadget["kind"] = json!("gadget");
    gadget["code"] = json!("GAD-1");
    Thing::from_json(&gadget.to_string()).expect("a gadget with a code is valid");
}
