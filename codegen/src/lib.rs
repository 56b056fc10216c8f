//! The generator: an OpenAPI document in, the source files of a Rust client crate out.
//!
//! Four stages, each a module with one entry function, data flowing one way:
//! [`load`] (text -> located tree), [`resolve`] (tree -> [`ir::Api`], every decision made here),
//! [`emit`] (IR -> token streams, no decisions) and [`format`](mod@format) (tokens -> formatted source with
//! the `@generated` header). [`generate`] runs them all.

pub mod conformance;
pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod naming;
pub mod resolve;

pub use diagnostics::{Diagnostic, Report, Severity};

use diagnostics::Diagnostics;
use std::path::Path;

/// One generated file: where it goes (relative to the crate's `src/`) and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated crate's `src/` directory, with `/` separators.
    pub path: String,
    /// The whole file, header included.
    pub contents: String,
}

/// What a successful run produced: the files, and warnings that did not stop it.
#[derive(Debug)]
pub struct Output {
    /// The generated files, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings about the spec, sorted by location.
    pub warnings: Report,
    /// How many operations the client has.
    pub operations: usize,
    /// How many named types it defines.
    pub types: usize,
    /// How much of the API is typed rather than `serde_json::Value`.
    pub typed: ir::Typed,
}

/// How to name the spec and the command in the generated files' header.
#[derive(Clone, Debug)]
pub struct Options {
    /// The spec's name as written in headers and diagnostics, e.g. `spec/intercom.yaml`.
    pub spec_name: String,
    /// The command that regenerates the files, e.g. `cargo xtask codegen`.
    pub command: String,
}

/// Runs every stage on the spec at `path`: the generated files, or every problem found.
///
/// Deterministic: the same spec and options always give the same bytes. Never panics on bad
/// input; every problem becomes a [`Diagnostic`].
pub fn generate(path: &Path, options: &Options) -> Result<Output, Report> {
    on_own_stack(|| generate_here(path, options)).unwrap_or_else(|| generate_here(path, options))
}

/// Like [`generate`], for spec text already in memory (`options.spec_name` names it).
pub fn generate_str(text: &str, options: &Options) -> Result<Output, Report> {
    on_own_stack(|| generate_str_here(text, options))
        .unwrap_or_else(|| generate_str_here(text, options))
}

/// The stack the pipeline runs on. Parsing and resolving recurse once or more per level of
/// nesting (a spec may nest 64 levels; the parser refuses more), and a caller's thread may
/// have as little as 2 MiB, which unoptimised builds exhaust. The memory is reserved, not
/// used: pages are only committed as the stack grows.
const STACK: usize = 256 << 20;

/// Runs `f` on a thread with a [`STACK`]-sized stack and returns its result (a panic in it is
/// resumed here); `None` when no thread can be started, for the caller to run `f` itself.
fn on_own_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("codegen".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, f)
            .ok()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    })
}

fn generate_here(path: &Path, options: &Options) -> Result<Output, Report> {
    let mut diags = Diagnostics::default();
    let Some(document) = load::load(path, &options.spec_name, &mut diags) else {
        return Err(diags.into_sorted());
    };
    generate_document(&document, options, diags)
}

fn generate_str_here(text: &str, options: &Options) -> Result<Output, Report> {
    let mut diags = Diagnostics::default();
    let Some(document) = load::load_str(&options.spec_name, text, &mut diags) else {
        return Err(diags.into_sorted());
    };
    generate_document(&document, options, diags)
}

fn generate_document(
    document: &load::Document,
    options: &Options,
    mut diags: Diagnostics,
) -> Result<Output, Report> {
    let api = resolve::resolve(document, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let mut files = Vec::new();
    for (path, contents) in emit_and_format(&api, options) {
        match contents {
            Ok(contents) => files.push(GeneratedFile { path, contents }),
            Err(message) => diags.error(
                &options.spec_name,
                diagnostics::Loc::default(),
                message,
                None,
            ),
        }
    }
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    Ok(Output {
        files,
        warnings: diags.into_sorted(),
        operations: api.operations.len()
            + api.groups.iter().map(|g| g.operations.len()).sum::<usize>(),
        types: api.types.len(),
        typed: api.typed(),
    })
}

/// Emits and formats every file, part by part ([`emit::parts`]), on as many threads as the
/// machine has (tokens cannot cross threads, so each part is emitted where it is formatted).
/// Each part's text depends only on the IR, so the files are the same bytes whatever the
/// number of threads or the order the parts run in.
fn emit_and_format(api: &ir::Api, options: &Options) -> Vec<(String, Result<String, String>)> {
    format_parts(api, emit::parts(api), options)
}

/// [`emit_and_format`] for the given cut of the files into parts.
fn format_parts(
    api: &ir::Api,
    files: Vec<(String, Vec<emit::Part>)>,
    options: &Options,
) -> Vec<(String, Result<String, String>)> {
    let jobs: Vec<(&str, &emit::Part)> = files
        .iter()
        .flat_map(|(path, parts)| parts.iter().map(move |part| (path.as_str(), part)))
        .collect();
    let run = |(path, part): (&str, &emit::Part)| format::body(path, emit::emit_part(api, part));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(jobs.len());
    let mut results: Vec<Option<Result<String, String>>> = vec![None; jobs.len()];
    if threads <= 1 {
        for (slot, job) in results.iter_mut().zip(&jobs) {
            *slot = Some(run(*job));
        }
    } else {
        // Workers take the next part from a shared counter, so a large part on one thread
        // does not leave the others idle.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(i) else {
                    return done;
                };
                done.push((i, run(*job)));
            }
        };
        let finished: Vec<Vec<(usize, Result<String, String>)>> = std::thread::scope(|scope| {
            // A helper the system refuses to start is no loss: this thread's `work` takes
            // every part the helpers do not.
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| {
                    std::thread::Builder::new()
                        .stack_size(STACK)
                        .spawn_scoped(scope, work)
                        .ok()
                })
                .collect();
            let mut finished = vec![work()];
            for helper in helpers {
                // A worker only panics if emit or prettyplease has a bug; pass it on.
                finished.push(
                    helper
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            finished
        });
        for (i, result) in finished.into_iter().flatten() {
            results[i] = Some(result);
        }
    }
    let mut results = results.into_iter();
    files
        .into_iter()
        .map(|(path, parts)| {
            let mut contents = Ok(format::header(options));
            for result in results.by_ref().take(parts.len()) {
                match (&mut contents, result) {
                    (Ok(text), Some(Ok(body))) => text.push_str(&body),
                    (Ok(_), Some(Err(message))) => contents = Err(message),
                    (Ok(_), None) => {
                        contents = Err(format!("internal error: `{path}` was not formatted"))
                    }
                    (Err(_), _) => {}
                }
            }
            (path, contents)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formatting a file part by part, on several threads, gives the bytes of formatting it
    /// whole: the guarantee `emit_and_format` rests on.
    #[test]
    fn parts_formatted_apart_join_into_the_whole_file() {
        let specs = [
            include_str!("../../spec/intercom.yaml"),
            include_str!("../../tests/fixtures/specs/keywords.yaml"),
            include_str!("../../tests/fixtures/specs/composition.yaml"),
            include_str!("../../tests/fixtures/specs/bodies.yaml"),
        ];
        let options = Options {
            spec_name: "spec.yaml".to_owned(),
            command: "test".to_owned(),
        };
        for text in specs {
            let mut diags = Diagnostics::default();
            let document = load::load_str("spec.yaml", text, &mut diags).expect("the spec loads");
            let api = resolve::resolve(&document, &mut diags);
            assert!(!diags.has_errors());
            let whole: Vec<(String, String)> = emit::emit(&api)
                .into_iter()
                .map(|(path, tokens)| {
                    let text = format::format(&path, tokens, &options).expect("valid Rust");
                    (path, text)
                })
                .collect();
            // One type per part, a few, and the default: every cut gives the same files.
            for per_part in [1, 5, usize::MAX] {
                let apart: Vec<(String, String)> =
                    format_parts(&api, emit::parts_of(&api, per_part), &options)
                        .into_iter()
                        .map(|(path, text)| (path, text.expect("valid Rust")))
                        .collect();
                assert_eq!(whole, apart, "{per_part} types per part");
            }
            let default: Vec<(String, String)> = emit_and_format(&api, &options)
                .into_iter()
                .map(|(path, text)| (path, text.expect("valid Rust")))
                .collect();
            assert_eq!(whole, default);
        }
    }
}
