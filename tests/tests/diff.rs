//! `codegen::diff` on spec pairs of our own (`fixtures/diff/<pair>/{old,new}.yaml`): a snapshot
//! of each report, a spec compared with itself, bad input, and the policy for the Rust API.

use codegen::diff::{diff, Bump, Effect, Level, Options, Policy, Report};
use workspace_tests::root;

/// The pairs that reproduce the kinds of change between consecutive Intercom versions, and
/// the one that exercises every rule (see `fixtures/diff/README.md`).
const PAIRS: &[&str] = &[
    "added-operations",
    "added-properties",
    "enum-values",
    "required-and-nullable",
    "descriptions",
    "path-ids",
    "every-rule",
];

fn options(old: &str, new: &str, policy: Policy) -> Options {
    Options {
        old_name: old.to_owned(),
        new_name: new.to_owned(),
        policy,
    }
}

fn compare_with(pair: &str, policy: Policy) -> Report {
    let old = format!("tests/fixtures/diff/{pair}/old.yaml");
    let new = format!("tests/fixtures/diff/{pair}/new.yaml");
    diff(
        &root().join(&old),
        &root().join(&new),
        &options(&old, &new, policy),
    )
    .unwrap_or_else(|problems| panic!("{pair}: {}", problems.render_plain()))
}

fn compare(pair: &str) -> Report {
    compare_with(pair, Policy::default())
}

#[test]
fn reports_of_each_pair() {
    for pair in PAIRS {
        insta::assert_snapshot!(pair.to_string(), compare(pair).render_text());
    }
}

#[test]
fn as_markdown_and_json() {
    insta::assert_snapshot!("every-rule.md", compare("every-rule").render_markdown());
    // JSON of a short report: every field of a change, located on both sides.
    let json = format!("{:#}", compare("path-ids").to_json());
    insta::assert_snapshot!("path-ids.json", json);
}

#[test]
fn each_pair_implies_its_bump() {
    let bumps: Vec<(&str, Bump)> = PAIRS.iter().map(|p| (*p, compare(p).bump())).collect();
    assert_eq!(
        bumps,
        [
            ("added-operations", Bump::Minor),
            ("added-properties", Bump::Minor),
            ("enum-values", Bump::Major),
            ("required-and-nullable", Bump::Major),
            ("descriptions", Bump::Patch),
            ("path-ids", Bump::Major),
            ("every-rule", Bump::Major),
        ]
    );
}

/// Adding optional properties is compatible on the wire, and for the generated crate too: its
/// structs are `#[non_exhaustive]` (built with `new` and `with_` setters). Only exhaustive
/// structs (struct literals) would make it breaking, and that is the policy's one decision.
#[test]
fn added_properties_break_only_the_rust_api_and_only_by_policy() {
    let report = compare("added-properties");
    assert!(!report.has_breaking(), "{}", report.render_text());
    assert_eq!(report.bump(), Bump::Minor);
    let exhaustive = Policy {
        exhaustive_structs: true,
        exhaustive_enums: true,
    };
    let report = compare_with("added-properties", exhaustive);
    assert_eq!(report.counts_at(Level::Wire).breaking, 0);
    assert_eq!(report.counts_at(Level::Rust).breaking, 3);
    let evolvable = Policy::default();
    // New variants too: only the removed request value still breaks.
    let report = compare_with("enum-values", evolvable);
    let breaking: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.is_breaking())
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(
        breaking,
        [
            "enum value `urgent` removed",
            "variant `CreateTicketRequestPriority::Urgent` removed"
        ]
    );
}

/// The rules that decide each side, checked one by one on `every-rule`.
#[test]
fn every_rule_classifies_both_sides() {
    let report = compare("every-rule");
    let find = |subject: &str, message: &str| {
        report
            .changes
            .iter()
            .find(|c| c.subject == subject && c.message.starts_with(message))
            .unwrap_or_else(|| panic!("no `{subject}: {message}` in\n{}", report.render_text()))
    };
    use Effect::{Breaking as B, Compatible as C, None as N};
    let cases = [
        ("DELETE /items/{id}", "operation removed", (B, N)),
        ("PUT /items/{id}", "operation added", (C, N)),
        (
            "GET /items",
            "required query parameter `filter` added",
            (B, N),
        ),
        (
            "GET /items",
            "optional query parameter `limit` added",
            (C, N),
        ),
        (
            "GET /items",
            "query parameter `sort`: became optional",
            (C, N),
        ),
        (
            "GET /items",
            "query parameter `page`: type int32 -> int64",
            (C, N),
        ),
        (
            "GET /items",
            "query parameter `page`: constraint tightened",
            (B, N),
        ),
        (
            "GET /items",
            "query parameter `cursor`: constraint relaxed",
            (C, N),
        ),
        ("GET /items", "error status 400 added", (N, C)),
        (
            "GET /items/{id}",
            "the success response may now have no body",
            (N, B),
        ),
        ("POST /exports", "success status 201 added", (N, B)),
        ("GET /reports", "response content type", (N, B)),
        ("Item", "property `name` removed", (N, B)),
        ("ItemList", "property `total` removed", (N, C)),
        ("Item", "property `state`: became optional", (N, B)),
        ("Item", "property `id`: may now be null", (N, B)),
        ("Item", "property `note`: may now be null", (N, C)),
        ("Item", "property `size`: type int64 -> int32", (N, C)),
        ("Item", "property `color`: type string -> boolean", (N, B)),
        ("Item", "required property `version` added", (N, C)),
        ("ItemState", "enum value `paused` added", (N, C)),
        (
            "CreateItemRequestColor",
            "enum value `blue` removed",
            (B, N),
        ),
        (
            "CreateItemRequestColor",
            "enum value `yellow` added",
            (C, N),
        ),
        ("CreateItemRequest", "required property `sku` added", (B, N)),
        (
            "CreateItemRequest",
            "property `quantity`: may no longer be null",
            (B, N),
        ),
        (
            "CreateItemRequest",
            "property `name`: constraint tightened",
            (B, N),
        ),
        ("Owner", "variant `kind: bot` added", (N, B)),
        ("Shape", "string enum -> object", (N, B)),
        ("Export", "fixed property none -> `type: export`", (N, B)),
        ("Item", "field `Item::version: i64` added", (N, B)),
        (
            "CreateItemRequest",
            "field `CreateItemRequest::sku: String` added",
            (B, N),
        ),
        (
            "GET /ping",
            "method `Client::items().ping()` renamed",
            (B, N),
        ),
        ("Client", "accessor `Client::reports()` removed", (B, N)),
        // Emit gives only types sent in requests their own `validate()` and `from_json()`.
        (
            "ExportRequest",
            "methods `ExportRequest::validate()` and `ExportRequest::from_json()` removed",
            (B, N),
        ),
    ];
    for (subject, message, expected) in cases {
        let change = find(subject, message);
        assert_eq!(
            (change.callers, change.decoding),
            expected,
            "{subject}: {}",
            change.message
        );
    }
    // Both sides are located: the removed parameter in the old spec only, at its line.
    let removed = find("GET /items", "query parameter `legacy` removed");
    let old = removed.old.as_ref().expect("a removal is in the old spec");
    assert_eq!(
        (old.line, old.pointer.as_str()),
        (13, "/paths/~1items/get/parameters/2")
    );
    assert!(removed.new.is_none());
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let mut specs = vec!["spec/intercom.yaml".to_owned()];
    for pair in PAIRS {
        for side in ["old", "new"] {
            specs.push(format!("tests/fixtures/diff/{pair}/{side}.yaml"));
        }
    }
    for spec in specs {
        let path = root().join(&spec);
        let report = diff(&path, &path, &options(&spec, &spec, Policy::default()))
            .unwrap_or_else(|problems| panic!("{spec}: {}", problems.render_plain()));
        assert!(report.changes.is_empty(), "{}", report.render_text());
        assert_eq!(report.bump(), Bump::None);
        assert!(report.render_text().contains("no changes"));
    }
}

#[test]
fn a_spec_that_does_not_load_gives_its_diagnostics() {
    let good = root().join("tests/fixtures/diff/path-ids/old.yaml");
    let bad = root().join("tests/fixtures/bad/dangling-ref.yaml");
    let missing = root().join("tests/fixtures/diff/no-such-pair/old.yaml");
    for (old, new) in [(&good, &bad), (&missing, &good), (&bad, &missing)] {
        let problems = diff(old, new, &Options::for_paths(old, new))
            .expect_err("a spec with errors cannot be compared");
        assert!(problems.errors() > 0, "{}", problems.render_plain());
    }
}
