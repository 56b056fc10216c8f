//! The generator never panics and never hangs, whatever the spec: a mutation fuzzer.
//!
//! Each case takes one of our own valid specs (`spec/intercom.yaml` and the fixture specs),
//! applies a few random mutations, either to the document tree (delete a key, swap a value for
//! one of another type, corrupt or loop a `$ref`, rename keys so names collide, nest deeply,
//! add hostile text) or to the text (truncate, delete or duplicate lines, re-indent, splice in
//! garbage), and runs the whole pipeline on the result. Every case must end in `Ok` or in
//! diagnostics; a panic or a case running past the time limit fails the test and writes the
//! input to `target/fuzz-failures/` with the seed that reproduces it.
//!
//! Bounded by default (CI): `FUZZ_CASES` cases (3,000). `cargo xtask fuzz --minutes N` runs the
//! same test in release mode with `FUZZ_SECONDS` set, for as long as asked. `FUZZ_SEED` picks
//! the first seed (default: fixed, so CI runs are reproducible); `FUZZ_SAVE=1` writes every
//! input before running it (to see the one that overflowed the stack, which no hook survives).

use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A case taking longer than this is a hang (the slowest seed takes milliseconds).
const HANG: Duration = Duration::from_secs(20);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives one level below the workspace root")
        .to_path_buf()
}

/// The seed specs: their name, text and parsed tree.
fn seeds() -> Vec<(String, String, Value)> {
    let root = root();
    let mut paths = vec![root.join("spec/intercom.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/specs"))
        .expect("the fixture specs are readable")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a seed spec is readable");
            let tree: Value = serde_saphyr::from_str(&text).expect("a seed spec is valid YAML");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, text, tree)
        })
        .collect()
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn the_generator_never_panics_or_hangs() {
    let seeds = seeds();
    let seconds = env_number("FUZZ_SECONDS");
    let cases = env_number("FUZZ_CASES").unwrap_or(3_000);
    let first_seed = env_number("FUZZ_SEED").unwrap_or(0x5eed);
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    // Panics are caught and reported with their input; the default hook would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let outcomes: Vec<Result<Tally, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers as u64)
            .map(|worker| {
                let seeds = &seeds;
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut seed = first_seed + worker;
                    loop {
                        // Seeds `first_seed..first_seed + cases`, shared out between workers,
                        // so `FUZZ_SEED=n FUZZ_CASES=1` replays exactly case `n`.
                        let done = match deadline {
                            Some(deadline) => Instant::now() >= deadline,
                            None => seed >= first_seed + cases,
                        };
                        if done {
                            return Ok(tally);
                        }
                        run_case(seeds, seed, &mut tally)?;
                        seed += workers as u64;
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a fuzz worker died".to_owned()))
            })
            .collect()
    });
    let _ = std::panic::take_hook();
    let mut total = Tally::default();
    for outcome in outcomes {
        match outcome {
            Ok(t) => total.add(&t),
            Err(failure) => panic!("{failure}"),
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "fuzz: {} cases in {:.1} s ({:.0}/s) on {workers} threads: {} generated, {} rejected with diagnostics, 0 panics, 0 hangs",
        total.cases,
        elapsed.as_secs_f64(),
        total.cases as f64 / elapsed.as_secs_f64(),
        total.generated,
        total.rejected,
    );
    assert!(total.cases > 0);
    // Mutations that break nothing and mutations that break everything both happen: a fuzzer
    // whose every case is rejected at the first line tests only the parser.
    assert!(total.generated > 0, "no case generated: {total:?}");
    assert!(total.rejected > 0, "no case was rejected: {total:?}");
}

#[derive(Debug, Default)]
struct Tally {
    cases: u64,
    generated: u64,
    rejected: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.generated += other.generated;
        self.rejected += other.rejected;
    }
}

/// Mutates a seed with `seed` and runs the generator on it in a thread of its own, so a hang
/// is detected rather than waited for.
fn run_case(seeds: &[(String, String, Value)], seed: u64, tally: &mut Tally) -> Result<(), String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (name, text, tree) = &seeds[rng.usize(..seeds.len())];
    let input = mutate(&mut rng, text, tree);
    if std::env::var_os("FUZZ_SAVE").is_some() {
        // Replaying one seed to see its input: a stack overflow aborts before it can be saved.
        let dir = root().join("target/fuzz-failures");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{seed}.yaml")), &input);
    }
    let (send, receive) = mpsc::channel();
    let case = input.clone();
    std::thread::Builder::new()
        .name(format!("fuzz case {seed}"))
        .spawn(move || {
            let options = codegen::Options::new("fuzz.yaml", "fuzz");
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                match codegen::generate_str(&case, &options) {
                    Ok(output) => {
                        assert!(!output.files.is_empty(), "Ok without files");
                        true
                    }
                    Err(report) => {
                        assert!(report.errors() > 0, "Err without an error");
                        // Rendering is part of the pipeline a user sees.
                        let _ = report.render(false);
                        false
                    }
                }
            }));
            let _ = send.send(outcome.map_err(|payload| {
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic".to_owned())
            }));
        })
        .map_err(|e| format!("cannot start a fuzz case: {e}"))?;
    let failure = match receive.recv_timeout(HANG) {
        Ok(Ok(generated)) => {
            tally.cases += 1;
            if generated {
                tally.generated += 1;
            } else {
                tally.rejected += 1;
            }
            return Ok(());
        }
        Ok(Err(message)) => format!("panicked: {message}"),
        Err(_) => format!("did not finish within {HANG:?}"),
    };
    let dir = root().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{seed}.yaml"));
    let _ = std::fs::write(&file, &input);
    Err(format!(
        "the generator {failure} on a mutation of {name} (FUZZ_SEED={seed}); the input is in {}",
        file.display()
    ))
}

/// One to four mutations of the tree, then possibly one of the text.
fn mutate(rng: &mut fastrand::Rng, text: &str, tree: &Value) -> String {
    let mut tree = tree.clone();
    for _ in 0..rng.usize(1..=4) {
        mutate_tree(rng, &mut tree);
    }
    let mut out = if rng.bool() {
        serde_json::to_string_pretty(&tree).unwrap_or_default()
    } else {
        // The original text, with the tree mutations lost: only text mutations apply.
        text.to_owned()
    };
    if rng.u8(..3) == 0 || out == text {
        out = mutate_text(rng, &out);
    }
    out
}

/// Every node of the tree, as a path of keys/indices, so one can be picked at random.
fn paths(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                at.push(Step::Key(key.clone()));
                paths(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The JSON pointer (without `#/`) of a node's path.
fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.replace('~', "~0").replace('/', "~1"),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

/// Strings that have broken parsers, printers and code generators before.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "r#type",
    "_",
    "__",
    "0",
    "1st",
    "-",
    "a-b",
    "a.b",
    "a/b",
    "{id}",
    "{",
    "}",
    "#",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/paths",
    "#",
    "other.yaml#/X",
    "http://example.com/x.yaml",
    "*/ /*",
    "\"#",
    "`",
    "#[doc = \"x\"]",
    "\0",
    "\u{7}\u{1b}[31m",
    "<script>alert(1)</script>",
    "é",
    "🦀",
    "ǅ",
    "\u{202e}",
    "((((",
    "[a-",
    "\\",
    "x\ny",
    "9223372036854775808",
    "-0",
    "NaN",
];

fn random_scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..7) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(rng.i64(..)),
        3 => serde_json::Number::from_f64(rng.f64() * 1e6 - 5e5).map_or(Value::Null, Value::Number),
        4 => Value::from(
            [
                "string", "integer", "number", "boolean", "array", "object", "null", "strang",
            ][rng.usize(..8)],
        ),
        _ => Value::from(HOSTILE[rng.usize(..HOSTILE.len())]),
    }
}

fn random_value(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..5) {
        0 => Value::Array(vec![random_scalar(rng), random_scalar(rng)]),
        1 => {
            let mut map = Map::new();
            map.insert(
                [
                    "type",
                    "$ref",
                    "properties",
                    "items",
                    "oneOf",
                    "allOf",
                    "enum",
                    "required",
                ][rng.usize(..8)]
                .to_owned(),
                random_scalar(rng),
            );
            Value::Object(map)
        }
        _ => random_scalar(rng),
    }
}

fn mutate_tree(rng: &mut fastrand::Rng, tree: &mut Value) {
    let mut all = Vec::new();
    paths(tree, &mut Vec::new(), &mut all);
    let path = all[rng.usize(..all.len())].clone();
    match rng.u8(..9) {
        // Delete the node from its parent.
        0 => {
            if let Some((last, parent)) = path.split_last() {
                match (node_mut(tree, parent), last) {
                    (Some(Value::Object(map)), Step::Key(k)) => {
                        map.remove(k);
                    }
                    (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Replace it with a value of another type.
        1 | 2 => {
            if let Some(node) = node_mut(tree, &path) {
                *node = random_value(rng);
            }
        }
        // Corrupt or loop a `$ref`.
        3 => {
            let refs: Vec<&Vec<Step>> = all
                .iter()
                .filter(|p| matches!(p.last(), Some(Step::Key(k)) if k == "$ref"))
                .collect();
            let target = refs
                .get(rng.usize(..refs.len().max(1)))
                .map(|p| (*p).clone());
            let other = pointer(&all[rng.usize(..all.len())]);
            if let Some(node) = target.and_then(|p| node_mut(tree, &p)) {
                *node = match rng.u8(..3) {
                    // Point it anywhere in the document, schema or not.
                    0 => Value::from(format!("#/{other}")),
                    1 => Value::from(HOSTILE[rng.usize(..HOSTILE.len())]),
                    _ => random_value(rng),
                };
            }
        }
        // Make a schema refer to itself.
        4 => {
            if let Some(Value::Object(map)) = node_mut(tree, &path) {
                map.insert(
                    "$ref".to_owned(),
                    Value::from(format!("#/{}", pointer(&path))),
                );
            }
        }
        // Rename a key: a hostile name, or the same name in another case.
        5 => {
            if let Some((Step::Key(k), parent)) = path.split_last() {
                if let Some(Value::Object(map)) = node_mut(tree, parent) {
                    if let Some(v) = map.remove(k) {
                        let new = if rng.bool() {
                            HOSTILE[rng.usize(..HOSTILE.len())].to_owned()
                        } else {
                            k.to_uppercase()
                        };
                        map.insert(new, v);
                    }
                }
            }
        }
        // Duplicate a mapping entry under a name differing only in case.
        6 => {
            if let Some((Step::Key(k), parent)) = path.split_last() {
                if let Some(Value::Object(map)) = node_mut(tree, parent) {
                    if let Some(v) = map.get(k).cloned() {
                        map.insert(format!("{k}_"), v.clone());
                        map.insert(k.to_uppercase(), v);
                    }
                }
            }
        }
        // Nest it deeply.
        7 => {
            if let Some(node) = node_mut(tree, &path) {
                let mut nested = node.take();
                for _ in 0..rng.usize(1..200) {
                    let mut map = Map::new();
                    map.insert(
                        ["items", "allOf", "not", "additionalProperties"][rng.usize(..4)]
                            .to_owned(),
                        nested,
                    );
                    nested = Value::Object(map);
                }
                *node = nested;
            }
        }
        // Put hostile text in a description or an enum.
        _ => {
            if let Some(Value::Object(map)) = node_mut(tree, &path) {
                let text: String = (0..rng.usize(1..6))
                    .map(|_| HOSTILE[rng.usize(..HOSTILE.len())])
                    .collect();
                if rng.bool() {
                    map.insert("description".to_owned(), Value::from(text));
                } else {
                    map.insert(
                        "enum".to_owned(),
                        Value::Array(vec![Value::from(text), Value::from("a"), Value::from("A")]),
                    );
                }
            }
        }
    }
}

fn mutate_text(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return "{".to_owned();
    }
    let i = rng.usize(..lines.len());
    match rng.u8(..6) {
        // Truncate anywhere (on a character boundary).
        0 => {
            let mut cut = rng.usize(..=text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_owned();
        }
        1 => {
            lines.remove(i);
        }
        2 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        3 => {
            let line = std::mem::take(&mut lines[i]);
            lines[i] = if rng.bool() {
                format!("  {line}")
            } else {
                line.trim_start().to_owned()
            };
        }
        4 => {
            let j = rng.usize(..lines.len());
            lines.swap(i, j);
        }
        _ => {
            let line = &mut lines[i];
            let mut at = rng.usize(..=line.len());
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            let garbage = [
                "{",
                "[",
                "]",
                "}",
                ":",
                "- ",
                "&a",
                "*a",
                "!!binary",
                "'",
                "\"",
                "\t",
                "? ",
                "|",
                "%YAML 1.2",
                "<<: *a",
            ];
            line.insert_str(at, garbage[rng.usize(..garbage.len())]);
        }
    }
    lines.join("\n")
}
