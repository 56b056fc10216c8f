//! The generator: an OpenAPI document in, the source files of a Rust client crate out.
//!
//! Four stages, each a module with one entry function, data flowing one way:
//! [`load`] (text -> located tree), [`resolve`] (tree -> [`ir::Api`], every decision made here),
//! [`emit`] (IR -> token streams, no decisions) and [`format`](mod@format) (tokens -> formatted source with
//! the `@generated` header). [`generate`] runs them all.

pub mod build;
pub mod config;
pub mod conformance;
pub mod diagnostics;
pub mod diff;
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
    /// Notes: decisions worth knowing of (which rule found an operation's pagination).
    pub notes: Report,
    /// How many operations the client has.
    pub operations: usize,
    /// How many named types it defines.
    pub types: usize,
    /// How much of the API is typed rather than `serde_json::Value`.
    pub typed: ir::Typed,
}

/// How to name the spec and the command in the generated files' header, and the generation
/// options.
#[derive(Clone, Debug)]
pub struct Options {
    /// The spec's name as written in headers and diagnostics, e.g. `spec/intercom.yaml`.
    pub spec_name: String,
    /// The command that regenerates the files, e.g. `cargo xtask codegen`.
    pub command: String,
    /// What the user chose about the generated crate ([`config::Config::default`]: nothing).
    pub config: config::Config,
    /// The generated crate's package name, which its doc examples (the spec's examples, as
    /// doctests) `use`; `None`: no doc examples.
    pub crate_name: Option<String>,
}

impl Options {
    /// Options with the default generation settings.
    pub fn new(spec_name: impl Into<String>, command: impl Into<String>) -> Options {
        Options {
            spec_name: spec_name.into(),
            command: command.into(),
            config: config::Config::default(),
            crate_name: None,
        }
    }
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
pub(crate) const STACK: usize = 256 << 20;

/// Runs `f` on a thread with a [`STACK`]-sized stack and returns its result (a panic in it is
/// resumed here); `None` when no thread can be started, for the caller to run `f` itself.
pub(crate) fn on_own_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
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
    let mut api = resolve::resolve_with(document, &options.config, &mut diags);
    api.crate_name.clone_from(&options.crate_name);
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let mut files = Vec::new();
    let header = format::Header {
        spec: &options.spec_name,
        command: &options.command,
    };
    for (path, contents) in format::format(&emit::emit(&api), header) {
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
    let (warnings, notes) = diags.into_sorted().split_notes();
    Ok(Output {
        files,
        warnings,
        notes,
        operations: api.operations.len()
            + api.groups.iter().map(|g| g.operations.len()).sum::<usize>(),
        types: api.types.len(),
        typed: api.typed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formatting a file part by part, on several threads, gives the same bytes however the
    /// files are cut into parts: the guarantee parallel formatting rests on.
    #[test]
    fn the_cut_into_parts_does_not_change_the_files() {
        let specs = [
            include_str!("../../spec/intercom.yaml"),
            include_str!("../../tests/fixtures/specs/keywords.yaml"),
            include_str!("../../tests/fixtures/specs/composition.yaml"),
            include_str!("../../tests/fixtures/specs/bodies.yaml"),
        ];
        let header = format::Header {
            spec: "spec.yaml",
            command: "test",
        };
        for text in specs {
            let mut diags = Diagnostics::default();
            let document = load::load_str("spec.yaml", text, &mut diags).expect("the spec loads");
            let api = resolve::resolve(&document, &mut diags);
            assert!(!diags.has_errors());
            let files = |per_part| -> Vec<(String, String)> {
                format::format(&emit::emit_in_parts(&api, per_part), header)
                    .into_iter()
                    .map(|(path, text)| (path, text.expect("valid Rust")))
                    .collect()
            };
            let whole = files(usize::MAX);
            // One type per part, a few, and the default: every cut gives the same files.
            for per_part in [1, 5] {
                assert_eq!(whole, files(per_part), "{per_part} types per part");
            }
            assert_eq!(
                whole,
                format::format(&emit::emit(&api), header)
                    .into_iter()
                    .map(|(p, t)| (p, t.expect("valid Rust")))
                    .collect::<Vec<_>>()
            );
        }
    }
}
