//! The wire oracle: every operation called, `--rounds` times, against Prism, which checks each
//! request against the spec (violations come back in its `sl-violations` header, and as 422
//! with `--errors`) and answers with random schema-valid data the client must decode.
//!
//! Inputs: round 0 uses the spec's examples where they follow their schema; other rounds, and
//! inputs without a usable example, are synthesized and confirmed by the judge. The driver
//! decodes them into the generated typed parameters and bodies before calling.

use super::judge::{deref, ref_pointer, Judge};
use super::prism::Prism;
use super::synth::{self, Direction, Rng};
use super::{Args, Driver, Prepared};
use codegen::conformance::{operations, Model};
use codegen::ir::{BodyEncoding, Operation, Output, ParamLocation};
use serde_json::{json, Map, Value};
use std::path::Path;

/// Counts for one spec.
#[derive(Default)]
struct Row {
    operations: usize,
    called: usize,
    skipped: Vec<String>,
    calls: usize,
    violations: Vec<String>,
    decode: Vec<String>,
    refused: Vec<String>,
    other: Vec<String>,
    defects: Vec<String>,
    mock: Vec<String>,
}

impl Row {
    fn ours(&self) -> usize {
        self.violations.len() + self.decode.len() + self.refused.len() + self.other.len()
    }
}

/// Runs the wire oracle on every prepared spec and prints its table; returns how many
/// failures are ours.
pub(crate) fn run(prepared: &[Prepared], args: &Args, script: &Path) -> usize {
    let mut rows = Vec::new();
    let mut ours = 0;
    for entry in prepared {
        let mut row = Row::default();
        match (&entry.model, &entry.driver) {
            (Some(model), Some(binary)) => {
                let log = binary.with_file_name(format!("{}.prism.log", entry.label));
                one_spec(model, &entry.spec, binary, script, &log, args, &mut row);
            }
            (Some(_), None) => row.other.push(entry.problem.clone().unwrap_or_default()),
            _ => row.defects.push(entry.problem.clone().unwrap_or_default()),
        }
        ours += row.ours();
        rows.push((entry.label.clone(), row));
    }
    println!(
        "\n## Wire oracle: Prism (seed {}, {} rounds)\n",
        args.seed, args.rounds
    );
    println!("| spec | operations | called | skipped | calls | request violations | decode failures | inputs refused | other failures | spec defects | Prism's own defects |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (label, r) in &rows {
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.operations,
            r.called,
            r.skipped.len(),
            r.calls,
            r.violations.len(),
            r.decode.len(),
            r.refused.len(),
            r.other.len(),
            r.defects.len(),
            r.mock.len()
        );
    }
    for (label, r) in &rows {
        for (title, list) in [
            ("request violations", &r.violations),
            ("decode failures", &r.decode),
            ("inputs refused", &r.refused),
            ("other failures", &r.other),
            ("skipped", &r.skipped),
            ("spec defects", &r.defects),
            (
                "Prism's own defects (off-spec answers, unread parameters; not ours)",
                &r.mock,
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            println!("\n{label}: {} {title}", list.len());
            let mut shown = std::collections::BTreeSet::new();
            for line in list {
                let line: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
                if shown.len() < 25 && shown.insert(line.chars().take(300).collect::<String>()) {
                    println!("- {}", line.chars().take(300).collect::<String>());
                }
            }
        }
    }
    ours
}

#[allow(clippy::too_many_arguments)] // One call site.
fn one_spec(
    model: &Model,
    spec: &Path,
    binary: &Path,
    script: &Path,
    log: &Path,
    args: &Args,
    row: &mut Row,
) {
    let ops = operations(&model.api);
    row.operations = ops.len();
    if ops.is_empty() {
        return;
    }
    let prism = match Prism::start(script, spec, args.seed, log) {
        Ok(prism) => prism,
        Err(reason) => {
            row.defects.push(reason);
            return;
        }
    };
    // Prism serves the paths as they are, whatever the servers' URLs hold.
    let base = prism.url.clone();
    let mut driver = match Driver::start(binary, Some(&base)) {
        Ok(driver) => driver,
        Err(message) => {
            row.other.push(message);
            return;
        }
    };
    let mut judge = Judge::new(&model.document);
    let mut rng = Rng::new(args.seed);
    let mut sent = Vec::new();
    for (_, op) in ops {
        let mut called = false;
        for round in 0..args.rounds {
            let input = match inputs(model, &mut judge, op, round, &mut rng) {
                Ok((input, defects)) => {
                    row.defects.extend(defects);
                    input
                }
                Err(reason) => {
                    row.skipped.push(format!("{}: {reason}", op.operation_id));
                    break;
                }
            };
            let answer = driver.ask(&input);
            called = true;
            row.calls += 1;
            sent.push((op, input, answer));
        }
        if called {
            row.called += 1;
        }
    }
    drop(driver);
    // Prism checks its own answer after sending it, and says so only in its log: give it a
    // moment to write the last lines, then read the log, one segment per request received.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = prism.log();
    drop(prism);
    let mut segments = log_segments(&log).into_iter();
    for (op, input, answer) in sent {
        let outcome = answer["outcome"].as_str().unwrap_or("crash");
        // Only these reached Prism; the others were refused before sending.
        let reached = matches!(outcome, "ok" | "status" | "decode");
        let (mut request, mut response) = split_violations(answer["violations"].as_str());
        if reached {
            let (logged_request, logged_response) = segments.next().unwrap_or_default();
            if request.is_empty() {
                request = logged_request;
            }
            if response.is_empty() {
                response = logged_response;
            }
        }
        let blind = prism_blind(model, op);
        classify(op, &input, &answer, &request, &response, &blind, row);
    }
}

/// Files one call's outcome in the row.
fn classify(
    op: &Operation,
    input: &Value,
    answer: &Value,
    request: &[String],
    response: &[String],
    blind: &[String],
    row: &mut Row,
) {
    let what = format!("{} {} ({})", op.method.as_str(), op.path, op.operation_id);
    let message = answer["message"].as_str().unwrap_or_default();
    // Prism also reports its own answer breaking the schema (json-schema-faker does not honour
    // every keyword): that is the mock's defect, not a request's.
    for v in response {
        row.mock.push(format!("{what}: {v}"));
    }
    let status = answer["status"].as_u64();
    let declared = op
        .errors
        .iter()
        .any(|e| Some(u64::from(e.status)) == status);
    // Prism's own refusals that say the spec gives it nothing to answer with.
    let cannot_answer = ["#NO_RESPONSE_RESPONSE_DEFINED", "#UNKNOWN"]
        .iter()
        .any(|kind| message.contains(&format!("stoplight.io/prism/errors{kind}")));
    // OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be
    // ignored (the generator does, with a warning); Prism still requires it.
    let ignored_header = |v: &String| {
        ["'authorization'", "'accept'", "'content-type'"]
            .iter()
            .any(|h| v.starts_with("Request header must have required property") && v.contains(h))
    };
    match answer["outcome"].as_str().unwrap_or("crash") {
        _ if !request.is_empty() && request.iter().all(ignored_header) => {
            row.defects.push(format!(
                "{what}: declares a header parameter OpenAPI says to ignore; Prism requires it: {}",
                request.join("; ")
            ))
        }
        _ if !request.is_empty()
            && request.iter().all(|v| {
                blind
                    .iter()
                    .any(|p| v.starts_with(&format!("Request query parameter {p} ")))
            }) =>
        {
            row.mock.push(format!(
                "{what}: Prism cannot read back an exploded form object whose schema has no \
                 `properties` (only `oneOf`/`anyOf`): {}; sent {input}",
                request.join("; ")
            ))
        }
        _ if !request.is_empty() => row
            .violations
            .push(format!("{what}: {}; sent {input}", request.join("; "))),
        "ok" => {}
        "config" => row
            .defects
            .push(format!("{what}: the client cannot send it: {message}")),
        "status" if declared => {}
        "status" if cannot_answer => row.defects.push(format!(
            "{what}: Prism cannot answer from the spec: {message}"
        )),
        // An answer Prism itself says is off-spec may fail to decode: its defect.
        "decode" if !response.is_empty() => {}
        "decode" => row.decode.push(format!("{what}: {message}")),
        "input" | "invalid" => row
            .refused
            .push(format!("{what}: {message}; input {input}")),
        outcome => row.other.push(format!("{what}: {outcome} {message}")),
    }
}

/// The query parameters of `op` that Prism cannot read back: objects written `form` +
/// exploded (`user_id=1`, no parameter name on the wire), whose schema lists no `properties`
/// (a `oneOf` of objects): Prism only gathers the keys `properties` names, so it sees an empty
/// object and reports every branch's `required`. The client writes them as OpenAPI says.
fn prism_blind(model: &Model, op: &Operation) -> Vec<String> {
    op.params
        .iter()
        .filter(|p| {
            p.location == ParamLocation::Query
                && p.style
                    == codegen::ir::ParamStyle::Query(codegen::ir::QueryStyle::Form {
                        explode: true,
                    })
        })
        .filter(|p| {
            let item = op.origin.pointer.rsplit_once('/').map_or("", |(i, _)| i);
            [item, op.origin.pointer.as_str()].iter().any(|base| {
                let Some(Value::Array(list)) =
                    model.document.pointer(&format!("{base}/parameters"))
                else {
                    return false;
                };
                list.iter().any(|node| {
                    let node = deref(&model.document, node);
                    let schema = deref(&model.document, &node["schema"]);
                    node["name"].as_str() == Some(p.wire_name.as_str())
                        && (schema.get("oneOf").is_some() || schema.get("anyOf").is_some())
                        && schema.get("properties").is_none()
                })
            })
        })
        .map(|p| p.wire_name.clone())
        .collect()
}

/// Prism's log cut at each request it received: the request's and the answer's violations.
fn log_segments(log: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut segments: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in log.lines() {
        if line.contains("[HTTP SERVER]") && line.contains("Request received") {
            segments.push(Default::default());
            continue;
        }
        let Some(segment) = segments.last_mut() else {
            continue;
        };
        if let Some((_, violation)) = line.split_once("Violation: ") {
            if violation.starts_with("response") {
                segment.1.push(violation.trim().to_owned());
            } else {
                segment.0.push(violation.trim().to_owned());
            }
        } else if line.contains("[VALIDATOR]")
            && line.contains("error")
            && line.contains("Request ")
        {
            segment.0.push(
                line.rsplit("error")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            );
        }
    }
    segments
}

/// Prism's `sl-violations` header (a JSON list) split into the request's violations and those
/// of Prism's own answer.
fn split_violations(header: Option<&str>) -> (Vec<String>, Vec<String>) {
    let (mut request, mut response) = (Vec::new(), Vec::new());
    let Some(header) = header else {
        return (request, response);
    };
    match serde_json::from_str::<Vec<Value>>(header) {
        Ok(list) => {
            for v in list {
                let text = format!(
                    "{} at {}: {}",
                    v["code"].as_str().unwrap_or_default(),
                    v["location"],
                    v["message"].as_str().unwrap_or_default()
                );
                if v["location"][0] == "response" {
                    response.push(text);
                } else {
                    request.push(text);
                }
            }
        }
        Err(_) if !header.trim().is_empty() => request.push(header.to_owned()),
        Err(_) => {}
    }
    (request, response)
}

/// The pointer a node at `pointer` stands for once its `$ref`s are followed.
fn target(document: &Value, pointer: &str) -> String {
    let mut at = pointer.to_owned();
    for _ in 0..32 {
        match document.pointer(&at).and_then(ref_pointer) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// A value for the schema at `pointer`: `example` first if it is given and the judge accepts
/// it (a refused one is a spec defect), else synthesized and confirmed by the judge.
fn value_for(
    judge: &mut Judge,
    pointer: &str,
    example: Option<(&str, &Value)>,
    rng: &mut Rng,
    defects: &mut Vec<String>,
) -> Result<Value, String> {
    if let Some((at, example)) = example {
        match judge.check(pointer, example) {
            Ok(v) if v.is_empty() => return Ok(example.clone()),
            Ok(v) => defects.push(format!(
                "the example at {at} breaks its schema: {}",
                v[0].message
            )),
            Err(e) => return Err(e),
        }
    }
    let schema = json!({ "$ref": format!("#{pointer}") });
    for _ in 0..50 {
        let Some(value) = synth::value(judge.document(), &schema, Direction::Request, rng, 0)
        else {
            continue;
        };
        if judge.accepts(pointer, &value) {
            return Ok(value);
        }
    }
    Err(format!(
        "no value the schema at {pointer} accepts could be synthesized"
    ))
}

/// The example of a parameter or media type (`example`, else the first of `examples`).
fn example_of(node: &Value, document: &Value, at: &str) -> Option<(String, Value)> {
    if let Some(value) = node.get("example") {
        return Some((format!("{at}/example"), value.clone()));
    }
    let (name, example) = node.get("examples")?.as_object()?.iter().next()?;
    Some((
        format!("{at}/examples/{name}"),
        deref(document, example).get("value")?.clone(),
    ))
}

/// The driver's `call` request for one round of `op`, and the spec defects met on the way.
fn inputs(
    model: &Model,
    judge: &mut Judge,
    op: &Operation,
    round: u64,
    rng: &mut Rng,
) -> Result<(Value, Vec<String>), String> {
    let doc = &model.document;
    let mut defects = Vec::new();
    let responses = doc.pointer(&format!("{}/responses", op.origin.pointer));
    let upgrade = responses
        .and_then(Value::as_object)
        .is_some_and(|r| r.contains_key("101") && !r.keys().any(|k| k.starts_with('2')));
    if upgrade {
        return Err("a protocol upgrade (101, e.g. a WebSocket), not an HTTP call".to_owned());
    }
    if op.multipart.is_some() {
        // Its body is parts the driver does not draw (files among them); the multipart wire
        // test (`tests/tests/multipart.rs`) parses such bodies back instead.
        return Err("a multipart/form-data body, which the oracle does not synthesize".to_owned());
    }
    if matches!(op.output, Output::Events(_)) {
        // Prism cannot serve an event stream (it serialises no object as event text); the
        // streaming wire test (`tests/tests/streaming.rs`) runs against scripted servers.
        return Err("a text/event-stream response, which Prism cannot serve".to_owned());
    }
    let item_pointer = op
        .origin
        .pointer
        .rsplit_once('/')
        .map_or("", |(p, _)| p)
        .to_owned();
    // The parameter objects, path item's first, the operation's overriding them.
    let mut declared: Vec<(String, Value)> = Vec::new();
    for base in [item_pointer.clone(), op.origin.pointer.clone()] {
        let Some(Value::Array(list)) = doc.pointer(&format!("{base}/parameters")) else {
            continue;
        };
        for i in 0..list.len() {
            let at = target(doc, &format!("{base}/parameters/{i}"));
            if let Some(node) = doc.pointer(&at) {
                declared.push((at, node.clone()));
            }
        }
    }
    let mut groups: Map<String, Value> = ["path", "query", "header", "cookie"]
        .iter()
        .map(|k| (k.to_string(), json!({})))
        .collect();
    for p in &op.params {
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        if !p.required && rng.chance(50) {
            continue;
        }
        let node = declared.iter().rev().find(|(_, n)| {
            n["name"].as_str() == Some(p.wire_name.as_str()) && n["in"].as_str() == Some(location)
        });
        let Some((at, node)) = node else {
            if p.location == ParamLocation::Path && p.ty == codegen::ir::TypeRef::String {
                // A path variable the spec does not declare (the generator repaired it).
                groups[location][&p.wire_name] = json!(format!("v{}", rng.below(1000)));
                continue;
            }
            if !p.required {
                continue;
            }
            return Err(format!(
                "parameter `{}` is defined in another file, which the judge does not read",
                p.wire_name
            ));
        };
        let example = if round == 0 {
            example_of(node, doc, at)
        } else {
            None
        };
        let example = example.as_ref().map(|(a, v)| (a.as_str(), v));
        let schema = format!("{at}/schema");
        let mut value = value_for(judge, &schema, example, rng, &mut defects)
            .map_err(|e| format!("parameter `{}`: {e}", p.wire_name))?;
        // An empty value reads as a missing one (a path segment to the client; a query
        // parameter, header or cookie to Prism, as `allowEmptyValue` is false by default):
        // draw again.
        let empty_allowed = node["allowEmptyValue"] == json!(true);
        for _ in 0..20 {
            if empty_allowed || value.as_str() != Some("") {
                break;
            }
            value = value_for(judge, &schema, None, rng, &mut defects)
                .map_err(|e| format!("parameter `{}`: {e}", p.wire_name))?;
        }
        groups[location][&p.wire_name] = value;
    }
    let mut request = json!({"kind": "call", "op": op.operation_id});
    for (k, v) in groups {
        request[k] = v;
    }
    if let Some(body) = &op.body {
        if body.required || rng.chance(70) {
            request["body"] = if body.encoding == BodyEncoding::Bytes {
                json!("conformance")
            } else {
                let content = target(doc, &format!("{}/requestBody", op.origin.pointer));
                let media = format!(
                    "{content}/content/{}",
                    body.media_type.replace('~', "~0").replace('/', "~1")
                );
                let node = doc.pointer(&media).cloned().unwrap_or(Value::Null);
                let example = if round == 0 {
                    example_of(&node, doc, &media)
                } else {
                    None
                };
                let example = example.as_ref().map(|(a, v)| (a.as_str(), v));
                value_for(
                    judge,
                    &format!("{media}/schema"),
                    example,
                    rng,
                    &mut defects,
                )
                .map_err(|e| format!("request body: {e}"))?
            };
        }
    }
    Ok((request, defects))
}
