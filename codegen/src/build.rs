//! For build scripts: the client generated into `OUT_DIR` as one module file, to `include!`
//! inside any module of the crate being built, instead of a crate of its own.
//!
//! In `build.rs`'s `main`:
//!
//! ```no_run
//! if let Err(problems) = codegen::build::cargo_build("openapi.yaml", "api") {
//!     panic!("{problems}");
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/api.rs"));
//! }
//! ```
//!
//! (`tests/build-script` in this repository is such a crate.) The crate then depends on the runtime (`runtime = { package = "clientgen-runtime", .. }`),
//! `serde` (with `derive`) and `serde_json`, and declares a `schemars` feature (with the
//! optional `schemars` dependency and `runtime/schemars`) if it wants the JSON Schema impls.

use crate::config::Config;
use crate::diagnostics::{Diagnostics, Loc, Report};
use crate::{emit, format, load, resolve};
use std::path::{Path, PathBuf};

/// What [`generate_module`] wrote.
#[derive(Debug)]
pub struct Module {
    /// The module file, `<name>.rs`.
    pub file: PathBuf,
    /// Every file the spec was read from (the spec and the files its `$ref`s reach): what the
    /// build must be rerun for when it changes.
    pub inputs: Vec<PathBuf>,
    /// Warnings about the spec.
    pub warnings: Report,
}

/// Generates the client of `spec` as `<out_dir>/<name>.rs` (and its schema data,
/// `<name>.schemas.json`), with the generation options of the config file beside the spec
/// (`<spec name>.clientgen.yaml`, see [`crate::config`]) if there is one.
///
/// # Errors
///
/// Every diagnostic when the spec has errors, or one saying which file could not be written;
/// nothing is written then.
pub fn generate_module(spec: &Path, out_dir: &Path, name: &str) -> Result<Module, Report> {
    crate::on_own_stack(|| generate_here(spec, out_dir, name))
        .unwrap_or_else(|| generate_here(spec, out_dir, name))
}

fn generate_here(spec: &Path, out_dir: &Path, name: &str) -> Result<Module, Report> {
    let display = spec.display().to_string();
    let mut diags = Diagnostics::default();
    let Some(document) = load::load(spec, &display, &mut diags) else {
        return Err(diags.into_sorted());
    };
    let config = Config::for_spec(spec, &display)?;
    let api = resolve::resolve_with(&document, &config, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let data_file = format!("{name}.schemas.json");
    let (tokens, data) = emit::module(&api, &data_file);
    let header = format::Header {
        spec: &display,
        command: "codegen::build",
    };
    let text = match format::body(&format!("{name}.rs"), tokens) {
        Ok(body) => header.rust_comment() + &body,
        Err(message) => {
            diags.error(&display, Loc::default(), message, None);
            return Err(diags.into_sorted());
        }
    };
    let file = out_dir.join(format!("{name}.rs"));
    let data = format::json_text(data, header);
    for (path, contents) in [(&file, &text), (&out_dir.join(&data_file), &data)] {
        if let Err(err) = std::fs::write(path, contents) {
            diags.error(
                &display,
                Loc::default(),
                format!("cannot write {}: {err}", path.display()),
                Some("check that OUT_DIR is writable".to_owned()),
            );
            return Err(diags.into_sorted());
        }
    }
    let mut inputs = vec![spec.to_path_buf()];
    inputs.extend(config.source.map(|(file, _)| PathBuf::from(file)));
    inputs.extend(document.others.iter().map(|f| PathBuf::from(&f.name)));
    Ok(Module {
        file,
        inputs,
        warnings: diags.into_sorted(),
    })
}

/// [`generate_module`] the way a build script runs it: into cargo's `OUT_DIR`, telling cargo
/// to rerun when the spec or any file it refers to changes, and printing each warning as a
/// `cargo:warning`. The module file's path, or every problem, rendered.
///
/// # Errors
///
/// The rendered diagnostics when the spec has errors, or why `OUT_DIR` is unusable.
pub fn cargo_build(spec: impl AsRef<Path>, name: &str) -> Result<PathBuf, String> {
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or("OUT_DIR is not set: call this from a build script")?;
    let spec = spec.as_ref();
    // Rerun for the spec even when it has errors, so fixing it rebuilds.
    println!("cargo:rerun-if-changed={}", spec.display());
    match generate_module(spec, &out_dir, name) {
        Ok(module) => {
            for input in &module.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            if !module.warnings.is_empty() {
                for line in module.warnings.render(false).lines() {
                    println!("cargo:warning={line}");
                }
            }
            Ok(module.file)
        }
        Err(report) => Err(report.render(false)),
    }
}
