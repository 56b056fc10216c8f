//! The generator, stage by stage and whole: `load` (text -> located tree), `resolve` (tree ->
//! IR), `emit` (IR -> tokens), `emit+format` (the tokens emitted and formatted, as `generate` does) and `pipeline` (`generate_str`).
//!
//! Specs: `spec/intercom.yaml`, the fixture specs of `tests/fixtures/specs/`, and every
//! `.yaml`/`.yml`/`.json` file of the folder named by `BENCH_SPECS` when it is set, e.g.
//!
//! ```sh
//! cargo bench -p codegen --bench generator
//! BENCH_SPECS=../shared/specs cargo bench -p codegen --bench generator
//! ```
//!
//! A spec that does not generate (errors) is reported on stderr and left out.

use codegen::diagnostics::Diagnostics;
use codegen::{emit, format, load, resolve, Options};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Every spec to measure: (short name, path).
fn specs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut specs = vec![("intercom.yaml".to_owned(), root.join("spec/intercom.yaml"))];
    specs.extend(folder(&root.join("tests/fixtures/specs")));
    if let Some(dir) = std::env::var_os("BENCH_SPECS") {
        specs.extend(folder(Path::new(&dir)));
    }
    specs
}

/// The spec files directly in `dir`, by name.
fn folder(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("cannot read {}; skipped", dir.display());
        return Vec::new();
    };
    let mut specs: Vec<(String, PathBuf)> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, p)
        })
        .collect();
    specs.sort();
    specs
}

fn generator(c: &mut Criterion) {
    let options = Options::new("spec.yaml", "cargo bench");
    let header = format::Header {
        spec: "spec.yaml",
        command: "cargo bench",
    };
    for (name, path) in specs() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {}; skipped", path.display());
            continue;
        };
        let mut diags = Diagnostics::default();
        let Some(document) = load::load_str(&name, &text, &mut diags) else {
            eprintln!("{name} does not load; skipped");
            continue;
        };
        let api = resolve::resolve(&document, &mut diags);
        if diags.has_errors() {
            // Fixtures of errors are diagnostics tests, not generator work.
            eprintln!("{name} has errors; skipped");
            continue;
        }
        let mut group = c.benchmark_group("generator");
        if text.len() > 100_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::new("load", &name), &text, |b, text| {
            b.iter(|| load::load_str("spec.yaml", black_box(text), &mut Diagnostics::default()))
        });
        group.bench_with_input(BenchmarkId::new("resolve", &name), &document, |b, doc| {
            b.iter(|| resolve::resolve(black_box(doc), &mut Diagnostics::default()))
        });
        // Emit: every part's tokens, on this thread.
        group.bench_with_input(BenchmarkId::new("emit", &name), &api, |b, api| {
            b.iter(|| {
                let files = emit::emit(black_box(api));
                for (_, parts) in files.files() {
                    for part in parts {
                        black_box(files.piece(part));
                    }
                }
            })
        });
        // Format: the stage as `generate` runs it, every part emitted and formatted on as many
        // threads as the machine has (tokens cannot cross threads, so the two go together).
        group.bench_with_input(BenchmarkId::new("emit+format", &name), &api, |b, api| {
            b.iter(|| black_box(format::format(&emit::emit(api), header)))
        });
        group.bench_with_input(BenchmarkId::new("pipeline", &name), &text, |b, text| {
            b.iter(|| codegen::generate_str(black_box(text), &options).is_ok())
        });
        group.finish();
    }
}

criterion_group!(benches, generator);
criterion_main!(benches);
