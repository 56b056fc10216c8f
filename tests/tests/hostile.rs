//! Hostile input (tests/fixtures/specs/hostile.yaml): descriptions written to escape a comment
//! or a string, inject an item or trip rustdoc, and names that are keywords, digits, emoji,
//! empty, the crate's own names, or differ only in case. The generated crate
//! (tests/fixtures/hostile-client) is a workspace member, so it compiles with the tests, and
//! `cargo doc -D warnings` in CI documents it; its report (warnings included) is snapshotted in
//! `snapshots.rs`. Here: the generated code parsed back, to show the text stayed inside doc
//! attributes and string literals; and every hostile wire name surviving a round trip, in
//! bodies and on the wire.

use hostile_client::params::TypeTypeParams;
use hostile_client::{Circle, Client, Hostile, HostileEnum, Kind, Self_, Shape, Square};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::{fixture_options, root};

const SPEC: &str = "tests/fixtures/specs/hostile.yaml";

fn generate() -> codegen::Output {
    codegen::generate(&root().join(SPEC), &fixture_options(SPEC))
        .unwrap_or_else(|d| panic!("{SPEC}:\n{}", codegen::diagnostics::render(&d)))
}

/// The spec as JSON, to read its names and values exactly as written.
fn spec() -> Value {
    let text = std::fs::read_to_string(root().join(SPEC)).unwrap();
    let mut diags = codegen::diagnostics::Diagnostics::default();
    codegen::load::load_str(SPEC, &text, &mut diags)
        .expect("the hostile spec parses")
        .root
        .to_json()
}

fn schema(name: &str) -> Value {
    spec()["components"]["schemas"][name].clone()
}

fn enum_values(schema_name: &str) -> Vec<String> {
    schema(schema_name)["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Every identifier and every doc string of a token stream, descending into groups; doc
/// comments are `#[doc = "..."]` attributes, so their text is a string literal.
fn walk(tokens: TokenStream, idents: &mut Vec<String>, docs: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                if let [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(text)] =
                    inner.as_slice()
                {
                    if name == "doc" && eq.as_char() == '=' {
                        let text: syn::LitStr = syn::parse_str(&text.to_string()).unwrap();
                        docs.push(text.value());
                        continue;
                    }
                }
                walk(group.stream(), idents, docs);
            }
            TokenTree::Ident(ident) => idents.push(ident.to_string()),
            _ => {}
        }
    }
}

#[test]
fn descriptions_stay_in_doc_attributes_and_names_are_plain_identifiers() {
    let output = generate();
    let mut all_docs = Vec::new();
    for file in output.files.iter().filter(|f| f.path.ends_with(".rs")) {
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path));
        let (mut idents, mut docs) = (Vec::new(), Vec::new());
        walk(parsed.to_token_stream(), &mut idents, &mut docs);
        // The descriptions hold `pub fn injected() {}` and `fn broken(`: as text only.
        for word in [
            "injected",
            "broken",
            "also_broken",
            "broken_in_list",
            "broken_in_numbered",
            "alert",
            "script",
        ] {
            assert!(
                !idents.iter().any(|i| i == word),
                "{}: `{word}` escaped a description into the code",
                file.path
            );
        }
        // Plain ASCII identifiers: no raw identifiers, nothing from outside ASCII.
        for ident in &idents {
            assert!(
                !ident.starts_with("r#") && ident.is_ascii(),
                "{}: identifier `{ident}`",
                file.path
            );
        }
        if file.path == "mock.rs" {
            // The generator's own example on `Mock` (no spec text in it) is the one doctest
            // of the crate; the spec's fences are checked below.
            let fences: Vec<&str> = docs
                .iter()
                .map(|d| d.trim())
                .filter(|d| d.starts_with("```"))
                .collect();
            assert_eq!(fences, ["```no_run", "```"], "mock.rs: its example only");
            docs.retain(|d| !d.trim().starts_with("```"));
        }
        all_docs.extend(docs);
    }
    // rustc rejects bidirectional overrides and a bare CR in doc comments; NUL and other
    // controls are invisible. They are all written as escapes.
    for doc in &all_docs {
        assert!(
            !doc.chars().any(|c| (c.is_control() && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "a doc line holds a hidden character: {doc:?}"
        );
    }
    for escaped in [r"NUL:\0", r"RLO:\u{202e}", r"CR:\rend", "&lt;script&gt;"] {
        assert!(
            all_docs.iter().any(|d| d.contains(escaped)),
            "the crate docs show {escaped} as text"
        );
    }
    // A fenced block that rustdoc would compile is labelled `text`, whatever its fence.
    for fence in ["```no_run", "```rust,ignore"] {
        assert!(
            !all_docs.iter().any(|d| d.trim() == fence),
            "{fence} left as a doctest"
        );
    }
    let fences: Vec<&str> = all_docs
        .iter()
        .map(|d| d.trim())
        .filter(|d| d.starts_with("```") || d.starts_with("~~~"))
        .collect();
    assert_eq!(
        fences,
        ["````text", "````", "```text", "```", "```text", "```", "~~~text", "~~~",],
        "every fence opened as text, and closed"
    );
}

#[test]
fn one_type_per_schema_and_nothing_else() {
    let output = generate();
    let types = output
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs");
    let parsed = syn::parse_file(&types.contents).unwrap();
    let mut names = Vec::new();
    for item in &parsed.items {
        match item {
            syn::Item::Struct(s) => names.push(s.ident.to_string()),
            syn::Item::Enum(e) => names.push(e.ident.to_string()),
            syn::Item::Impl(_) => {}
            // A string enumeration's `Display` and serde impls, from the runtime.
            syn::Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "str_enum") => {}
            other => panic!(
                "types.rs holds an unexpected item: {}",
                other.to_token_stream()
            ),
        }
    }
    let count = spec()["components"]["schemas"].as_object().unwrap().len();
    assert_eq!(names.len(), count, "one type per schema: {names:?}");
    let distinct: BTreeSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), names.len(), "type names are distinct");
    // Schemas named like the crate's own types, or differing only in case, are renamed
    // stably; prelude names are fine: the generated code then names std's types by full path.
    for name in [
        "Client3", "Error2", "Type3", "Type4", "Type5", "V123_2", "Value3", "Value4", "Self_",
        "Option", "Result", "String", "Vec", "Box",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
}

#[test]
fn enum_values_keep_their_exact_wire_strings() {
    let values = enum_values("HostileEnum");
    let mut variants = BTreeSet::new();
    for value in &values {
        let decoded: HostileEnum = serde_json::from_value(json!(value)).unwrap();
        assert!(
            !matches!(decoded, HostileEnum::Unknown3(_)),
            "{value:?} is a listed value"
        );
        assert_eq!(decoded.as_str(), value);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(value));
        assert_eq!(decoded.to_string(), *value);
        variants.insert(decoded);
    }
    assert_eq!(
        variants.len(),
        values.len(),
        "every value has its own variant"
    );
    // Values that differ only in case are distinct variants.
    assert_eq!(HostileEnum::Type.as_str(), "type");
    assert_eq!(HostileEnum::Type2.as_str(), "Type");
    assert_eq!(HostileEnum::Type3.as_str(), "TYPE");
    assert_eq!(HostileEnum::Self_.as_str(), "self");
    assert_eq!(HostileEnum::Self2.as_str(), "Self");
    assert_eq!(HostileEnum::AB.as_str(), "a\0b");
    assert_eq!(HostileEnum::Evil.as_str(), "\u{202e}evil");
    // A listed value named `Unknown` does not take the catch-all's place.
    assert_eq!(HostileEnum::Unknown.as_str(), "Unknown");
    assert_eq!(HostileEnum::Unknown2.as_str(), "unknown");
    let other: HostileEnum = serde_json::from_value(json!("UNKNOWN")).unwrap();
    assert_eq!(other, HostileEnum::Unknown3("UNKNOWN".into()));
    assert_eq!(serde_json::to_value(&other).unwrap(), json!("UNKNOWN"));

    for value in enum_values("Kind") {
        let decoded: Kind = serde_json::from_value(json!(value)).unwrap();
        assert!(!matches!(decoded, Kind::Unknown2(_)), "{value:?}");
        assert_eq!(decoded.as_str(), value);
    }
    let values = enum_values("Self");
    let decoded: Vec<Self_> = values
        .iter()
        .map(|v| serde_json::from_value(json!(v)).unwrap())
        .collect();
    assert_eq!(decoded, [Self_::Self_, Self_::Self2, Self_::Self3]);
}

/// An object with every property of `Hostile`, each with its own value.
fn hostile_json() -> Value {
    let properties = schema("Hostile")["properties"].as_object().unwrap().clone();
    let mut object = serde_json::Map::new();
    for (i, (name, property)) in properties.iter().enumerate() {
        let value = match (name.as_str(), property["type"].as_str()) {
            ("choice", _) => json!("\u{202e}evil"),
            ("kind", _) => json!("*/"),
            // The property's pattern refuses `"` and `#`.
            ("\"#", _) => json!("plain"),
            (_, Some("integer")) => json!(i),
            _ => json!(format!("value of {name:?}")),
        };
        object.insert(name.clone(), value);
    }
    Value::Object(object)
}

#[test]
fn property_names_survive_a_round_trip() {
    let json = hostile_json();
    let hostile: Hostile = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&hostile).unwrap(), json);
    // Names that differ only in case, or only in punctuation, are distinct fields.
    assert_eq!(hostile.type_, r#"value of "type""#);
    assert_eq!(hostile.type2, r#"value of "Type""#);
    assert_eq!(hostile.type3, r#"value of "TYPE""#);
    assert_eq!(hostile.self_.as_deref(), Some(r#"value of "self""#));
    assert_eq!(hostile.self2.as_deref(), Some(r#"value of "Self""#));
    assert_eq!(hostile.value.as_deref(), Some(r#"value of """#));
    assert_eq!(hostile.a_b.as_deref(), Some(r#"value of "a-b""#));
    assert_eq!(hostile.a_b2.as_deref(), Some(r#"value of "a_b""#));
    assert_eq!(hostile.a_b3.as_deref(), Some(r#"value of "aB""#));
    assert_eq!(hostile.value3.as_deref(), Some(r#"value of "*/""#));
    assert_eq!(hostile.choice, Some(HostileEnum::Evil));
    assert_eq!(hostile.kind, Some(Kind::Value2));
    assert_eq!(hostile.value4.as_deref(), Some("plain"));
    // The pattern `^[^"#`]*$` is checked, with its hostile characters, on a hostile name.
    let mut bad = hostile.clone();
    bad.value4 = Some("has a #".into());
    let errors = runtime::Validate::validate(&bad).expect_err("`#` breaks the pattern");
    assert_eq!(
        errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["/\"#"]
    );
}

#[test]
fn a_hostile_discriminator_tags_the_union() {
    let circle = json!({"*/\"#": "circle */ <b>", "radius": 1.5});
    let shape: Shape = serde_json::from_value(circle.clone()).unwrap();
    assert_eq!(shape, Shape::Circle(Circle::new().with_radius(1.5)));
    assert_eq!(serde_json::to_value(&shape).unwrap(), circle);
    let square = json!({"*/\"#": "\"#`", "side": 2.0});
    let shape: Shape = serde_json::from_value(square.clone()).unwrap();
    assert_eq!(shape, Shape::Square(Square::new().with_side(2.0)));
    assert_eq!(serde_json::to_value(&shape).unwrap(), square);
}

#[tokio::test]
async fn hostile_names_go_on_the_wire_as_written() {
    let server = MockServer::start().await;
    let body = hostile_json();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let hostile: Hostile = serde_json::from_value(body.clone()).unwrap();
    let params = TypeTypeParams::new()
        .with_value("empty")
        .with_self_("lower")
        .with_self2("upper")
        .with_n123(7)
        .with_value2("rocket")
        .with_a_b("space")
        .with_a_b2("dash")
        .with_x_type("header")
        .with_x_type2("cookie");
    let answer = client
        .type_()
        .type_("a/b", "A B", "*/", "\"#", &hostile, &params)
        .await
        .unwrap();
    assert_eq!(answer, hostile);

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/items/a%2Fb/A%20B/%2A%2F/%22%23");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let expected = [
        ("", "empty"),
        ("self", "lower"),
        ("Self", "upper"),
        ("123", "7"),
        ("🚀", "rocket"),
        ("a b", "space"),
        ("a-b", "dash"),
    ];
    assert_eq!(
        query,
        expected.map(|(k, v)| (k.to_owned(), v.to_owned())),
        "query names as written, in spec order"
    );
    assert_eq!(request.headers["x-type"], "header");
    assert_eq!(request.headers["cookie"], "x-type=cookie");
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, body);
}

#[tokio::test]
async fn tags_and_operations_that_collide_get_their_own_methods() {
    let server = MockServer::start().await;
    for (verb, route, status, body) in [
        ("GET", "/types", 200, json!({})),
        ("PUT", "/types", 204, Value::Null),
        ("GET", "/emoji", 200, json!({"🚀": "a", "😀": "b"})),
        ("GET", "/empty", 200, json!({"": "empty"})),
        ("GET", "/digits", 200, json!({"1": "one", "2": "two"})),
        ("GET", "/client", 204, Value::Null),
        ("GET", "/untagged", 200, json!({"self": "Self"})),
        ("DELETE", "/untagged", 204, Value::Null),
    ] {
        let response = match body {
            Value::Null => ResponseTemplate::new(status),
            body => ResponseTemplate::new(status).set_body_json(body),
        };
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    // Tags `type` and `Type`: two groups; operations `Type` and `TYPE` in one group: two methods.
    #[allow(deprecated)]
    let types = client.type2().type_().await.unwrap();
    assert_eq!(types.shape, None);
    client.type2().type2().await.unwrap();
    // Tag and operation `🚀`, and the schema `🚀` with properties `🚀` and `😀`.
    let emoji = client.value().value().await.unwrap();
    assert_eq!(
        (emoji.value.as_deref(), emoji.value2.as_deref()),
        (Some("a"), Some("b"))
    );
    // The empty tag, operation, schema and property.
    let empty = client.value2().value().await.unwrap();
    assert_eq!(empty.value.as_deref(), Some("empty"));
    let digits = client.n123().n123().await.unwrap();
    assert_eq!(
        (digits.n1.as_deref(), digits.n2.as_deref()),
        (Some("one"), Some("two"))
    );
    // Tag `Client`, operation `builder`: neither takes the client's own names (nor the
    // mock's: `Mock::client` is why the accessor is `client2`).
    client.client2().builder().await.unwrap();
    let reserved = client.base_url2().await.unwrap();
    assert_eq!(reserved.self_, Some(Self_::Self_));
    client.builder2().await.unwrap();
    assert!(client.base_url().starts_with("http://"));
}

#[tokio::test]
async fn parameter_structs_named_alike_stay_apart() {
    use hostile_client::params::{XYZParams2, XYZParams3, XYZParams4};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .expect(3)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    // Root `x_y_z`, `y_z` in group `x` and `z` in group `x y` would all take `XYZParams`, the
    // name of the schema `x_y_z_params`.
    let filter = hostile_client::XYZParams::new().with_x("1");
    client
        .x_y_z(&XYZParams2::new().with_filter(filter))
        .await
        .unwrap();
    client
        .x()
        .y_z(&XYZParams3::new().with_q("2"))
        .await
        .unwrap();
    client
        .x_y()
        .z(&XYZParams4::new().with_q("2"))
        .await
        .unwrap();
    let queries: Vec<(String, Option<String>)> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| (r.url.path().to_owned(), r.url.query().map(str::to_owned)))
        .collect();
    assert_eq!(
        queries,
        [
            ("/xyz/root".to_owned(), Some("filter%5Bx%5D=1".to_owned())),
            ("/xyz/one".to_owned(), Some("q=2".to_owned())),
            ("/xyz/two".to_owned(), Some("q=2".to_owned())),
        ]
    );
}

#[tokio::test]
async fn header_setters_named_like_the_builders_own_stay_apart() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(std::time::Duration::from_secs(5))
        .timeout2("*/ set")
        .x_version2("3")
        .build()
        .unwrap();
    client.builder2().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["timeout"], "*/ set");
    assert_eq!(request.headers["x-version"], "1");
    assert_eq!(request.headers["x_version"], "3");
}

#[tokio::test]
async fn operations_named_like_trait_methods_do_not_shadow_them() {
    let server = MockServer::start().await;
    Mock::given(path("/traits"))
        .respond_with(ResponseTemplate::new(204))
        .expect(4)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    // `clone` is still `Clone::clone`; the operation `clone` is `clone2`.
    let copy: Client = client.clone();
    copy.clone2().await.unwrap();
    let group = client.x();
    #[allow(clippy::clone_on_copy)] // The point: `clone` is still the trait's.
    let _: hostile_client::X<'_> = group.clone();
    group.default2().await.unwrap();
    group.next2().await.unwrap();
    group
        .from_str2(&hostile_client::params::XFromStr2Params::new())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_cookie_name_that_would_add_a_cookie_is_refused() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let params = hostile_client::params::XFromStr2Params::new().with_a_admin("yes");
    let error = client
        .x()
        .from_str2(&params)
        .await
        .expect_err("`a; admin` is not a cookie name");
    assert!(
        matches!(&error, hostile_client::Error::Config(m) if m.contains("cookie name")),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn media_types_a_header_cannot_carry_are_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let error = client
        .upload(b"bytes")
        .await
        .expect_err("nothing can be sent");
    assert!(
        matches!(&error, hostile_client::Error::Config(message) if message.contains("header")),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Plain names where nothing can shadow them, full paths where a schema's name would: the
/// hostile spec has schemas called `Option`, `String`, `Vec`, `Box` and `Result`, so its crate
/// writes `std::option::Option`; Intercom's has none of them, so its crate writes `Option`.
#[test]
fn full_paths_only_where_a_generated_name_would_shadow_the_plain_one() {
    let hostile = generate();
    let types = hostile
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs");
    for full in ["std::option::Option<", "std::string::String"] {
        assert!(types.contents.contains(full), "{full} in hostile types.rs");
    }
    // Names no schema takes stay plain even here, and no path keeps a leading `::`.
    assert!(types.contents.contains("serde::Serialize"));
    for file in hostile.files.iter().filter(|f| f.path.ends_with(".rs")) {
        assert!(
            !file.contents.contains(" ::std::") && !file.contents.contains("<::std::"),
            "{} keeps a leading `::`",
            file.path
        );
    }

    let intercom = workspace_tests::generate_intercom();
    let types = intercom
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("pub body: String,"),
        "plain `String`"
    );
    assert!(types.contents.contains("Option<"), "plain `Option`");
    for full in [
        "std::option::Option",
        "std::string::String",
        "std::vec::Vec",
    ] {
        assert!(
            !types.contents.contains(full),
            "{full} in intercom's types.rs"
        );
    }
}

#[tokio::test]
async fn the_mock_mirrors_the_client_s_names() {
    let mock = hostile_client::mock::Mock::start().await;
    // Tag `Client`: its accessor is `client2` in both, `Mock::client` being the mock's own.
    mock.client2().builder().expect(1).respond(&()).await;
    // The untagged operation `Builder`, a method of `Mock` as of `Client`.
    mock.builder2().expect(1).respond(&()).await;
    let client = mock.client();
    client.client2().builder().await.unwrap();
    client.builder2().await.unwrap();
    mock.verify().await;
}
