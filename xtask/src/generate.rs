//! `cargo xtask generate` (one spec -> one standalone crate) and `cargo xtask corpus` (every spec
//! in a folder -> crates checked together, with a table).

use crate::{roots, workspace_root};
use codegen::manifest::crate_name;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// What generating one spec into a crate gave.
struct Generated {
    name: String,
    operations: usize,
    types: usize,
    millis: f64,
    warnings: usize,
    /// List operations that got a page stream (each has a note naming its rule).
    page_streams: usize,
    typed: codegen::ir::Typed,
}

/// Generates `spec` into the crate directory `out` through `clientgen` (the installable
/// generator's library: the same writer, so regenerating keeps a user's files and manifest
/// edits). Prints the diagnostics; returns `None` when nothing could be written.
fn generate_crate(spec: &Path, out: &Path, name: &str, standalone: bool) -> Option<Generated> {
    let spec_name = spec.display().to_string();
    let config = match codegen::config::Config::for_spec(spec, &spec_name) {
        Ok(config) => config,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(crate::stderr_color()));
            return None;
        }
    };
    let options = clientgen::CrateOptions {
        config,
        name: name.to_owned(),
        version: "0.1.0".to_owned(),
        runtime: clientgen::Runtime::Path(workspace_root().join("runtime")),
        standalone,
        spec_name: spec_name.clone(),
        command: "cargo xtask generate".to_owned(),
    };
    let started = Instant::now();
    let written = match clientgen::generate_crate(spec, out, &options) {
        Ok(written) => written,
        Err(clientgen::Failure::Spec(diagnostics)) => {
            eprint!("{}", diagnostics.render(crate::stderr_color()));
            eprintln!("error: {spec_name} has problems; nothing was written");
            return None;
        }
        Err(clientgen::Failure::Io(message)) => {
            eprintln!("error: {message}");
            return None;
        }
    };
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let output = written.output;
    if !output.warnings.is_empty() {
        eprint!("{}", output.warnings.render(crate::stderr_color()));
    }
    // The notes say which list operations page and by which rule; the corpus only counts them.
    if standalone && !output.notes.is_empty() {
        eprint!("{}", output.notes.render(crate::stderr_color()));
    }
    if written.manifest == clientgen::ManifestOutcome::LeftAlone {
        eprintln!(
            "warning: {}/Cargo.toml has no generated blocks, so it was left as it is",
            out.display()
        );
    }
    Some(Generated {
        name: name.to_owned(),
        operations: output.operations,
        types: output.types,
        millis,
        warnings: output.warnings.len(),
        page_streams: output
            .notes
            .iter()
            .filter(|note| note.message.contains(" pages by rule "))
            .count(),
        typed: output.typed,
    })
}

/// `cargo xtask generate <spec> --out <dir> [--name <crate>]`. `spec` may be the root document
/// of a spec split over files: every file its `$ref`s reach, relative to the file holding the
/// `$ref`, is read too.
pub fn generate(spec: &str, out: &str, name: Option<&str>) -> ExitCode {
    let spec = Path::new(spec);
    let name = match name {
        Some(name) if crate_name(name) == name => name.to_owned(),
        Some(name) => {
            eprintln!(
                "error: `{name}` is not a crate name (try `{}`)",
                crate_name(name)
            );
            return ExitCode::from(2);
        }
        None => crate_name(&spec.file_stem().unwrap_or_default().to_string_lossy()),
    };
    match generate_crate(spec, Path::new(out), &name, true) {
        Some(generated) => {
            println!(
                "generated crate `{}` in {out}: {} operations ({} with page streams), {} types, {} warnings, {:.1} ms",
                generated.name,
                generated.operations,
                generated.page_streams,
                generated.types,
                generated.warnings,
                generated.millis
            );
            ExitCode::SUCCESS
        }
        None => ExitCode::FAILURE,
    }
}

/// One row of the corpus table.
struct Row {
    spec: String,
    generated: Option<Generated>,
    compiled: Option<bool>,
    rustc_warnings: usize,
}

/// `cargo xtask corpus <dir>`: every spec in `dir` is generated into `target/corpus/<name>`, the
/// crates are checked in one workspace, and a table is printed.
///
/// The specs are the `.yaml`, `.yml` and `.json` files directly in `dir`, and one per subfolder:
/// a subfolder is a spec split over files, and its root document is the file directly in it
/// whose top level has an `openapi` key and that no other such file refers to; among several,
/// `openapi.*`, then `api.*`, then `root.*`. A subfolder without one is skipped with the reason
/// printed. Its crate is named after the subfolder. The whole rule is in [`roots`].
pub fn corpus(dir: &str) -> ExitCode {
    let root = workspace_root();
    let corpus = root.join("target/corpus");
    let specs = match spec_files(dir) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut rows = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for spec in &specs {
        let name = unique_crate_name(&roots::stem(Path::new(dir), spec), &mut names);
        eprintln!("==> {}", spec.display());
        // The corpus crates are scratch output: each run starts from an empty folder.
        let _ = std::fs::remove_dir_all(corpus.join(&name));
        let generated = generate_crate(spec, &corpus.join(&name), &name, false);
        rows.push(Row {
            spec: roots::label(Path::new(dir), spec),
            generated,
            compiled: None,
            rustc_warnings: 0,
        });
    }
    let members: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.generated.as_ref().map(|g| g.name.as_str()))
        .collect();
    if !members.is_empty() {
        match check(&root, &corpus, &members) {
            Ok(results) => {
                for row in &mut rows {
                    let Some(generated) = &row.generated else {
                        continue;
                    };
                    let (errors, warnings) = results
                        .get(&generated.name.replace('-', "_"))
                        .copied()
                        .unwrap_or_default();
                    row.compiled = Some(errors == 0);
                    row.rustc_warnings = warnings;
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    print_table(&rows);
    let ok = rows
        .iter()
        .all(|r| r.generated.is_some() && r.compiled == Some(true) && r.rustc_warnings == 0);
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: not every spec generated and compiled without warnings; see above and target/corpus/*/check.log");
        ExitCode::FAILURE
    }
}

/// The specs in `dir`, sorted: every `.yaml`, `.yml` and `.json` file directly in it, and the
/// root document of each subfolder, found by the rule of [`roots`] (a subfolder is one spec
/// split over files); a subfolder without a root is skipped, and why is printed. An error when
/// there is no spec or the folder cannot be read.
pub fn spec_files(dir: &str) -> Result<Vec<PathBuf>, String> {
    let found = roots::find(Path::new(dir))?;
    for (folder, reason) in &found.skipped {
        eprintln!("skipped {}: {reason}", folder.display());
    }
    if found.specs.is_empty() {
        return Err(format!(
            "{dir} holds no .yaml, .yml or .json file, and no subfolder with a root document"
        ));
    }
    Ok(found.specs)
}

/// `stem` as a crate name, numbered when an earlier spec of the corpus took it.
fn unique_crate_name(stem: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let base = crate_name(stem);
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Writes the corpus workspace and runs `cargo check` over it once. Returns, per crate (lib
/// target name), the number of errors and warnings rustc reported.
fn check(
    root: &Path,
    corpus: &Path,
    members: &[&str],
) -> Result<BTreeMap<String, (usize, usize)>, String> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: every crate generated from the corpus.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(corpus.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the corpus workspace: {e}"))?;
    // The project's lock file: the same dependency versions, already compiled in its target dir.
    let _ = std::fs::copy(root.join("Cargo.lock"), corpus.join("Cargo.lock"));
    eprintln!("==> cargo check of {} crates", members.len());
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .arg("--target-dir")
        .arg(root.join("target"))
        .current_dir(corpus)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut results: BTreeMap<String, (usize, usize)> = members
        .iter()
        .map(|m| (m.replace('-', "_"), (0, 0)))
        .collect();
    let mut logs: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        // A diagnostic about deep macro expansion nests deeper than serde_json's default limit.
        let mut reader = serde_json::Deserializer::from_str(line);
        reader.disable_recursion_limit();
        let Ok(message) = <serde_json::Value as serde::Deserialize>::deserialize(&mut reader)
        else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let Some(target) = message["target"]["name"].as_str() else {
            continue;
        };
        let Some(counts) = results.get_mut(target) else {
            continue;
        };
        // rustc's summaries ("aborting due to 2 previous errors", "3 warnings emitted").
        let text = message["message"]["message"].as_str().unwrap_or_default();
        if text.starts_with("aborting due to") || text.ends_with("emitted") {
            continue;
        }
        match message["message"]["level"].as_str() {
            Some("error") => counts.0 += 1,
            Some("warning") => counts.1 += 1,
            _ => continue,
        }
        if let Some(rendered) = message["message"]["rendered"].as_str() {
            logs.entry(target.to_owned())
                .or_default()
                .push_str(rendered);
        }
    }
    for member in members {
        let log = logs.remove(&member.replace('-', "_")).unwrap_or_default();
        let _ = std::fs::write(corpus.join(member).join("check.log"), &log);
    }
    Ok(results)
}

/// `typed of total (percent)`, or `-` when there is nothing to count.
fn share(typed: usize, total: usize) -> String {
    if total == 0 {
        "-".to_owned()
    } else {
        format!(
            "{typed}/{total} ({:.1}%)",
            typed as f64 * 100.0 / total as f64
        )
    }
}

/// The corpus table, with a total line. "typed bodies" counts JSON and form request bodies and
/// JSON success response bodies, "typed properties" the fields of generated structs; typed
/// means no `serde_json::Value` anywhere in the type.
fn print_table(rows: &[Row]) {
    println!();
    println!("| spec | operations | page streams | types | typed bodies | typed properties | generation ms | diagnostics | compiled | warnings |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
    let mut total = codegen::ir::Typed::default();
    for row in rows {
        match &row.generated {
            Some(g) => {
                total.bodies += g.typed.bodies;
                total.bodies_typed += g.typed.bodies_typed;
                total.properties += g.typed.properties;
                total.properties_typed += g.typed.properties_typed;
                println!(
                    "| {} | {} | {} | {} | {} | {} | {:.1} | {} warnings | {} | {} |",
                    row.spec,
                    g.operations,
                    g.page_streams,
                    g.types,
                    share(g.typed.bodies_typed, g.typed.bodies),
                    share(g.typed.properties_typed, g.typed.properties),
                    g.millis,
                    g.warnings,
                    match row.compiled {
                        Some(true) => "yes",
                        Some(false) => "**no**",
                        None => "-",
                    },
                    row.rustc_warnings
                )
            }
            None => println!(
                "| {} | - | - | - | - | - | - | **errors** | **not generated** | - |",
                row.spec
            ),
        }
    }
    let generated = rows.iter().filter(|r| r.generated.is_some()).count();
    println!(
        "| **total** ({generated} of {} generated) | | {} | | {} | {} | | | | |",
        rows.len(),
        rows.iter()
            .filter_map(|r| r.generated.as_ref())
            .map(|g| g.page_streams)
            .sum::<usize>(),
        share(total.bodies_typed, total.bodies),
        share(total.properties_typed, total.properties),
    );
}
