//! The examples oracle: every example in a spec (`example`/`examples` on schemas, parameters,
//! media types and headers), and at least `--count` values synthesized per generated type,
//! first judged against their schema by `jsonschema`, then decoded into the generated type and
//! validated by the driver. Four outcomes are kept apart:
//!
//! - the example breaks its own schema (and our type refuses it too, or the rule broken is one
//!   we do not claim to check): a *spec defect*, listed, not a failure;
//! - the schema accepts it but our type or `validate()` refuses it: *ours*;
//! - the schema refuses it, for a keyword we claim to check, and our type accepts it: *ours*;
//! - both agree: a pass.

use super::judge::{deref, ref_pointer, Judge, Violation};
use super::synth::{self, Direction, Rng};
use super::{Args, Driver, Prepared};
use codegen::conformance::{operations, sites, type_key, Model, Site};
use codegen::ir::{ParamLocation, TypeKind, TypeRef};
use serde_json::{json, Value};
use std::collections::HashMap;

/// How one value fared.
pub(crate) enum Verdict {
    Pass,
    SpecDefect(String),
    Ours(String),
    /// Neither side could be asked (no generated type, or the judge cannot read the schema).
    Unchecked(String),
}

/// The verdict from the judge's violations and the driver's answer. `property`: the type
/// claims no rules of its own (a struct field's, checked by the struct, or a free-form
/// `serde_json::Value`).
pub(crate) fn classify(
    judged: Result<Vec<Violation>, String>,
    answer: &Value,
    property: bool,
) -> Verdict {
    let violations = match judged {
        Ok(v) => v,
        Err(message) => return Verdict::Unchecked(message),
    };
    let outcome = answer["outcome"].as_str().unwrap_or("crash");
    let message = answer["message"].as_str().unwrap_or_default();
    match (violations.first(), outcome) {
        (_, "unknown-type") => Verdict::Unchecked(format!("the driver has no type `{message}`")),
        (None, "ok") => Verdict::Pass,
        (None, _) => Verdict::Ours(format!(
            "the schema accepts it, our type refuses it ({outcome}): {message}"
        )),
        (Some(_), "ok") => match violations.iter().find(|v| v.claimed && !property) {
            Some(v) => Verdict::Ours(format!(
                "our type accepts it, but it breaks `{}`, which validate() claims to check: {}",
                v.keyword, v.message
            )),
            None => Verdict::SpecDefect(format!(
                "breaks its schema (`{}`, not checked by our types): {}",
                violations[0].keyword, violations[0].message
            )),
        },
        (Some(v), _) => Verdict::SpecDefect(format!(
            "breaks its schema (`{}`): {}",
            v.keyword, v.message
        )),
    }
}

/// The first recursive reference the schema at `pointer` reaches (through local `$ref`s) that
/// JSON Schema 2020-12 reads otherwise than the generator: `$ref: '#'` (the whole document) or
/// `$recursiveRef` (a 2019-09 keyword). The generator warns about each.
fn literal_reading(document: &Value, pointer: &str) -> Option<&'static str> {
    let mut pending = vec![pointer.to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(at) = pending.pop() {
        if !seen.insert(at.clone()) {
            continue;
        }
        let mut nodes = vec![document.pointer(&at)?];
        while let Some(node) = nodes.pop() {
            match node {
                Value::Object(map) => {
                    if map.contains_key("$recursiveRef") {
                        return Some("`$recursiveRef`");
                    }
                    match map.get("$ref").and_then(Value::as_str) {
                        Some("#") => return Some("`$ref: '#'`"),
                        Some(local) if local.starts_with("#/") => {
                            pending.push(local[1..].to_owned());
                        }
                        _ => {}
                    }
                    nodes.extend(
                        map.iter()
                            .filter(|(k, _)| !DATA.contains(&k.as_str()))
                            .map(|(_, v)| v),
                    );
                }
                Value::Array(items) => nodes.extend(items),
                _ => {}
            }
        }
    }
    None
}

/// One example found in the spec.
struct Example {
    /// Where the example value is.
    at: String,
    /// The schema it is an example of.
    schema: String,
    value: Value,
}

/// Keys holding data, not spec structure.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Every example under `node` (at `pointer`) of the document.
fn collect(doc: &Value, node: &Value, pointer: &str, in_properties: bool, out: &mut Vec<Example>) {
    let Some(map) = node.as_object() else {
        if let Value::Array(items) = node {
            for (i, item) in items.iter().enumerate() {
                collect(doc, item, &format!("{pointer}/{i}"), false, out);
            }
        }
        return;
    };
    if !in_properties {
        // A parameter, header or media type: its examples are of its `schema`.
        let carrier = map.get("schema").is_some_and(Value::is_object);
        let schema = if carrier {
            format!("{pointer}/schema")
        } else {
            pointer.to_owned()
        };
        if let Some(value) = map.get("example") {
            out.push(Example {
                at: format!("{pointer}/example"),
                schema: schema.clone(),
                value: value.clone(),
            });
        }
        match map.get("examples") {
            Some(Value::Object(named)) if carrier => {
                for (name, example) in named {
                    let example = deref(doc, example);
                    if let Some(value) = example.get("value") {
                        out.push(Example {
                            at: format!("{pointer}/examples/{}/value", escape(name)),
                            schema: schema.clone(),
                            value: value.clone(),
                        });
                    }
                }
            }
            Some(Value::Array(values)) if !carrier => {
                for (i, value) in values.iter().enumerate() {
                    out.push(Example {
                        at: format!("{pointer}/examples/{i}"),
                        schema: schema.clone(),
                        value: value.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    for (key, child) in map {
        if !in_properties && (DATA.contains(&key.as_str()) || key.starts_with("x-")) {
            continue;
        }
        let here = format!("{pointer}/{}", escape(key));
        collect(
            doc,
            child,
            &here,
            !in_properties && key == "properties",
            out,
        );
    }
}

/// The generated type for the schema at `pointer`: a named type or struct field defined there
/// or behind its `$ref`s, or an operation's parameter, body or response there.
fn site_of(model: &Model, sites: &HashMap<String, Site>, pointer: &str) -> Option<Site> {
    let mut at = pointer.to_owned();
    for _ in 0..32 {
        if let Some(site) = sites.get(&at) {
            return Some(site.clone());
        }
        match model.document.pointer(&at).and_then(ref_pointer) {
            Some(next) => at = next,
            None => break,
        }
    }
    let site = |ty: &TypeRef| {
        Some(Site {
            pointer: pointer.to_owned(),
            ty: ty.clone(),
            property: false,
            nullable: false,
        })
    };
    let carrier = pointer.strip_suffix("/schema")?;
    for (_, op) in operations(&model.api) {
        let Some(rest) = carrier.strip_prefix(&op.origin.pointer) else {
            continue;
        };
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["", "requestBody", "content", _] => return site(&op.body.as_ref()?.ty),
            ["", "responses", status, "content", _] => {
                let response = op
                    .errors
                    .iter()
                    .chain([&op.success])
                    .find(|r| r.status.to_string() == *status)?;
                return site(response.ty.as_ref()?);
            }
            ["", "parameters", _] => {
                let node = deref(&model.document, model.document.pointer(carrier)?);
                let name = node.get("name")?.as_str()?;
                let location = match node.get("in")?.as_str()? {
                    "path" => ParamLocation::Path,
                    "query" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    _ => ParamLocation::Cookie,
                };
                let param = op
                    .params
                    .iter()
                    .find(|p| p.wire_name == name && p.location == location)?;
                return site(&param.ty);
            }
            _ => {}
        }
    }
    None
}

/// Counts for one spec.
#[derive(Default)]
struct Tally {
    examples: usize,
    pass: usize,
    defects: Vec<String>,
    ours: Vec<String>,
    unchecked: Vec<String>,
    types: usize,
    instances: usize,
    synth_pass: usize,
    unsynthesizable: Vec<String>,
}

impl Tally {
    fn add(&mut self, verdict: Verdict, what: &str) {
        match verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::SpecDefect(m) => self.defects.push(format!("{what}: {m}")),
            Verdict::Ours(m) => self.ours.push(format!("{what}: {m}")),
            Verdict::Unchecked(m) => self.unchecked.push(format!("{what}: {m}")),
        }
    }
}

/// Runs the examples oracle on every prepared spec, prints its table; returns how many
/// failures are ours.
pub(crate) fn run(prepared: &[Prepared], args: &Args) -> usize {
    let mut rows = Vec::new();
    for entry in prepared {
        let (Some(model), Some(binary)) = (&entry.model, &entry.driver) else {
            rows.push((entry.label.clone(), None));
            continue;
        };
        let tally = match Driver::start(binary, None) {
            Ok(mut driver) => one_spec(model, &mut driver, args),
            Err(message) => {
                let mut tally = Tally::default();
                tally.ours.push(message);
                tally
            }
        };
        rows.push((entry.label.clone(), Some(tally)));
    }
    println!(
        "\n## Examples oracle (seed {}, {} synthesized values per type)\n",
        args.seed, args.count
    );
    println!("| spec | examples | pass | spec defects | ours | unchecked | types | synthesized | pass | ours | unsynthesizable types |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut ours = 0;
    for (label, tally) in &rows {
        let problem = prepared
            .iter()
            .find(|p| &p.label == label)
            .and_then(|p| p.problem.clone());
        match tally {
            None => {
                println!("| {label} | {} |", problem.unwrap_or_default());
                if prepared
                    .iter()
                    .any(|p| &p.label == label && p.model.is_some())
                {
                    ours += 1;
                }
            }
            Some(t) => {
                let example_ours = t
                    .ours
                    .iter()
                    .filter(|m| !m.starts_with("synthesized"))
                    .count();
                println!(
                    "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    t.examples,
                    t.pass,
                    t.defects.len(),
                    example_ours,
                    t.unchecked.len(),
                    t.types,
                    t.instances,
                    t.synth_pass,
                    t.ours.len() - example_ours,
                    t.unsynthesizable.len()
                );
                ours += t.ours.len();
            }
        }
    }
    for (label, tally) in &rows {
        let Some(t) = tally else { continue };
        for (title, list, limit) in [
            ("ours", &t.ours, 40),
            ("spec defects", &t.defects, 15),
            ("unchecked", &t.unchecked, 5),
            ("unsynthesizable", &t.unsynthesizable, 5),
        ] {
            if list.is_empty() {
                continue;
            }
            println!("\n{label}: {} {title}", list.len());
            let distinct: std::collections::BTreeSet<String> =
                list.iter().map(|l| one_line(l)).collect();
            for line in distinct.iter().take(limit) {
                println!("- {line}");
            }
            if distinct.len() > limit {
                println!("- .. and {} more kinds", distinct.len() - limit);
            }
        }
    }
    ours
}

fn one_line(text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(600).collect()
}

fn one_spec(model: &Model, driver: &mut Driver, args: &Args) -> Tally {
    let mut tally = Tally::default();
    let mut judge = Judge::new(&model.document);
    let sites: HashMap<String, Site> = sites(model)
        .into_iter()
        .map(|s| (s.pointer.clone(), s))
        .collect();
    let mut found = Vec::new();
    collect(&model.document, &model.document, "", false, &mut found);
    for example in &found {
        tally.examples += 1;
        let Some(site) = site_of(model, &sites, &example.schema) else {
            let judged = judge.check(&example.schema, &example.value);
            let note = match judged {
                Ok(v) if !v.is_empty() => {
                    tally.defects.push(format!(
                        "{}: breaks its schema (`{}`): {}",
                        example.at, v[0].keyword, v[0].message
                    ));
                    continue;
                }
                _ => "no generated type of its own (an inline part of another type)",
            };
            tally.unchecked.push(format!("{}: {note}", example.at));
            continue;
        };
        let verdict = check(
            &mut judge,
            driver,
            &example.schema,
            &site,
            &example.value,
            &example.value,
        );
        tally.add(verdict, &example.at);
    }
    // Synthesized values: at least `count` per generated type, each confirmed by the judge.
    let tags: HashMap<&str, &str> = model
        .api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::TaggedUnion(u) => Some(u),
            _ => None,
        })
        .flat_map(|u| u.variants.iter().map(|v| (v.ty.as_str(), u.tag.as_str())))
        .collect();
    // Variants defined inside their union's schema (inline, or made from a branch that only
    // adds rules to the union's properties): no schema of the spec describes one alone, so
    // they are judged through their union.
    let inline_variants: HashMap<&str, &str> = model
        .api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::TaggedUnion(u) => Some((t, u)),
            _ => None,
        })
        .flat_map(|(t, u)| u.variants.iter().map(move |v| (v.ty.as_str(), t)))
        .filter(|(variant, union)| {
            model.api.types.iter().any(|d| {
                d.name == *variant
                    && d.origin.file == union.origin.file
                    && d.origin
                        .pointer
                        .starts_with(&format!("{}/", union.origin.pointer))
            })
        })
        .map(|(variant, union)| (variant, union.name.as_str()))
        .collect();
    let mut rng = Rng::new(args.seed);
    for ty in &model.api.types {
        tally.types += 1;
        if let Some(union) = inline_variants.get(ty.name.as_str()) {
            tally.unchecked.push(format!(
                "{}: a variant defined inside `{union}`, judged through it",
                ty.name
            ));
            continue;
        }
        let Some(pointer) = model.pointer(&ty.origin.file, &ty.origin.pointer) else {
            tally
                .unsynthesizable
                .push(format!("{}: in a file the spec does not reach", ty.name));
            continue;
        };
        if let Some(repair) = literal_reading(&model.document, &pointer) {
            tally.unchecked.push(format!(
                "{}: reaches {repair}, which the generator reads as a recursive reference (with a \
                 warning) and the judge reads literally",
                ty.name
            ));
            continue;
        }
        let site = Site {
            pointer: pointer.clone(),
            ty: TypeRef::Named(ty.name.clone()),
            property: false,
            nullable: false,
        };
        let direction = if ty.usage.response {
            Direction::Response
        } else {
            Direction::Request
        };
        let schema = json!({ "$ref": format!("#{pointer}") });
        if model.document.pointer(&pointer).is_none() {
            tally.unsynthesizable.push(format!(
                "{}: its origin {} is not a node of the spec (the IR names a merged allOf \
                 property by where it would be, not where it is)",
                ty.name, ty.origin.pointer
            ));
            continue;
        }
        let (mut made, mut tries) = (0, 0);
        let mut reported = false;
        let mut refusal = String::from("no candidate");
        while made < args.count && tries < args.count * 5 {
            tries += 1;
            let Some(mut value) = synth::value(judge.document(), &schema, direction, &mut rng, 0)
            else {
                continue;
            };
            match judge.check(&pointer, &value) {
                Ok(v) if v.is_empty() => {}
                Ok(v) => {
                    refusal = format!("{value} breaks `{}`: {}", v[0].keyword, v[0].message);
                    continue;
                }
                Err(e) => {
                    refusal = e;
                    break;
                }
            }
            if value.is_null() {
                // A nullable schema's `null` is held by its uses (`Option<T>`), not by `T`:
                // nested nulls, drawn for the properties and items, test those.
                continue;
            }
            let judged = value.clone();
            // A variant of a tagged union does not hold the tag: the union does.
            if let (Some(tag), Some(object)) = (tags.get(ty.name.as_str()), value.as_object_mut()) {
                object.remove(*tag);
            }
            made += 1;
            tally.instances += 1;
            match check(&mut judge, driver, &pointer, &site, &judged, &value) {
                Verdict::Pass => tally.synth_pass += 1,
                Verdict::Ours(m) if !reported => {
                    // One per type: the others are likely the same bug.
                    reported = true;
                    tally
                        .ours
                        .push(format!("synthesized {} {value}: {m}", ty.name));
                }
                Verdict::Ours(_) => tally.ours.push(format!("synthesized {}", ty.name)),
                _ => {}
            }
        }
        if made < args.count {
            tally.unsynthesizable.push(format!(
                "{} ({}): {made} of {} values in {tries} tries; {refusal}",
                ty.name, ty.origin.pointer, args.count
            ));
        }
    }
    tally
}

/// Judges `judged` against the schema at `pointer`, asks the driver about `value` (the same,
/// or without a tag its type does not hold), and classifies.
fn check(
    judge: &mut Judge,
    driver: &mut Driver,
    pointer: &str,
    site: &Site,
    judged: &Value,
    value: &Value,
) -> Verdict {
    let judged = judge.check(pointer, judged);
    let answer = if site.nullable && value.is_null() {
        json!({"outcome": "ok"})
    } else {
        driver.ask(&json!({"kind": "check", "type": type_key(&site.ty), "value": value}))
    };
    // A schema the generator degraded to `serde_json::Value` (with a warning) claims nothing.
    let unclaimed = site.property || site.ty == TypeRef::Any;
    classify(judged, &answer, unclaimed)
}
