//! Project automation, run as `cargo xtask <command>`.
//!
//! - `cargo xtask codegen` regenerates `generated-client/src` from `spec/intercom.yaml`, and
//!   the fixture crates the tests compile: every crate listed in `generated-crates.txt` (see
//!   [`targets`]).
//!   A spec that differs from its last committed version gets the `diff` report of the change
//!   on stderr ([`spec_diff`]).
//! - `cargo xtask codegen --check` writes nothing and fails, naming every stale file, when the
//!   checked-in code differs from what the spec generates.
//! - `cargo xtask generate` and `cargo xtask corpus`: any spec into a standalone crate.
//! - `cargo xtask bench-peers <dir>` times our generator against its peers ([`bench_peers`]).
//! - `cargo xtask size <spec>` compares our generated code with progenitor's: lines and debug
//!   build time ([`size`]).
//!
//! Arguments are parsed by hand: two commands and one flag do not justify a CLI crate's build
//! time on every `cargo xtask` run.

mod bench_peers;
mod generate;
/// Every generated crate in the workspace, `(spec, where its sources go)`, relative to the root:
/// the list in `generated-crates.txt`, parsed by the same code the tests use, so `codegen`,
/// `codegen --check` and the tests' freshness check walk the same crates.
#[path = "../../tests/generated_crates.rs"]
mod generated_crates;
mod roots;
mod size;
mod spec_diff;

/// The generator allocates millions of small objects; mimalloc frees and reuses them much
/// faster than the system allocator (measured by `cargo xtask bench-peers`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use generated_crates::targets;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen                 regenerate generated-client/src from spec/intercom.yaml (and the fixture crates);
                          a spec that differs from its version at git HEAD gets the `diff` report on stderr
  codegen --check         write nothing; fail if any generated file is not up to date
  generate <spec> --out <dir> [--name <crate>]
                          generate a standalone client crate (Cargo.toml + src/) from any OpenAPI spec
  corpus <dir>            generate every spec in <dir> into target/corpus/, `cargo check` them together
                          and print a table; fails unless every one generates and compiles warning-free.
                          A subfolder of <dir> is one spec split over files: its root is the file directly
                          in it with an `openapi` key that no other refers to (openapi.*, api.*, root.*
                          first when several); a subfolder without one is skipped, with the reason
  diff <old spec> <new spec> [--format text|json|markdown] [--fail-on-breaking]
                          what changed between two specs, on the wire and in the generated Rust API: each
                          change breaking or compatible for callers and for decoding, located in both specs,
                          and the semver bump; --fail-on-breaking exits 1 when anything breaks
  fuzz [--minutes N]      run the generator's mutation fuzzer (codegen/tests/fuzz.rs) in release mode
                          for N minutes (default 1) from a fresh seed; fails on any panic or hang
  bench-peers <dir> [--runs <n>] [--check]
                          time our generator (release build, whole process, median of n runs, default 5),
                          cargo progenitor and openapi-generator-cli (when installed) on every spec in <dir>
                          and print a table of medians and ratios; --check also runs `cargo check` on each output
  size <spec> [--runs <n>]
                          our generated crate next to progenitor's (when installed): lines of Rust and of
                          schema data, and the debug build time of the crate alone (touch src/lib.rs, then
                          `cargo build`, incremental and from scratch; median of n runs, default 9), ours
                          with and without `schemars`
  examples <spec|dir>.. [--count N] [--seed S]
                          the examples oracle: every example of each spec and N synthesized values per type
                          (default 100), judged by the jsonschema crate, then decoded and validated by the
                          generated types; fails on any disagreement that is ours
  conformance <spec|dir>.. [--rounds N] [--seed S] [--count N]
                          the examples oracle, then every operation called N times (default 3) against Prism
                          (installed from tools/prism on first use), which checks each request and answers
                          with random schema-valid data; prints a table per oracle, fails on any failure of ours";

/// Whether diagnostics on stderr get colours: only for a terminal, and never with `NO_COLOR`.
pub(crate) fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["generate", spec, "--out", out] | ["generate", "--out", out, spec] => {
            generate::generate(spec, out, None)
        }
        ["generate", spec, "--out", out, "--name", name]
        | ["generate", spec, "--name", name, "--out", out] => {
            generate::generate(spec, out, Some(name))
        }
        ["corpus", dir] => generate::corpus(dir),
        ["diff", rest @ ..] => match clientgen::DiffArgs::parse(rest) {
            Ok(args) => ExitCode::from(clientgen::run_diff(&args, stderr_color())),
            Err(message) => {
                eprintln!("error: {message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench-peers", rest @ ..] => bench_peers::bench_peers(rest),
        ["size", rest @ ..] => size::size(rest),
        ["examples", rest @ ..] => {
            clientgen::conformance::examples_command(rest, &conformance_setup("examples"))
        }
        ["conformance", rest @ ..] => {
            clientgen::conformance::conformance_command(rest, &conformance_setup("conformance"))
        }
        ["fuzz"] => fuzz("1"),
        ["fuzz", "--minutes", minutes] => fuzz(minutes),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unknown arguments `{}`\n\n{USAGE}", args.join(" "));
            ExitCode::from(2)
        }
    }
}

/// Runs the fuzz test in release mode for `minutes`, starting from a seed taken from the clock
/// (printed, so a run can be repeated), so each run explores new cases.
fn fuzz(minutes: &str) -> ExitCode {
    let Some(seconds) = minutes
        .parse::<f64>()
        .ok()
        .filter(|m| m.is_finite() && *m > 0.0)
        .map(|m| (m * 60.0).ceil() as u64)
    else {
        eprintln!("error: `--minutes` takes a positive number, got `{minutes}`");
        return ExitCode::from(2);
    };
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() << 20);
    println!("fuzzing for {seconds} s from FUZZ_SEED={seed}");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "test",
            "--release",
            "-p",
            "codegen",
            "--test",
            "fuzz",
            "--",
            "--nocapture",
        ])
        .env("FUZZ_SECONDS", seconds.to_string())
        .env("FUZZ_SEED", seed.to_string())
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => {
            eprintln!("error: the fuzzer found a problem; the input is in target/fuzz-failures/");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The conformance oracles as this repository runs them: the work folder under `target/`, built
/// into the project's own target dir from its lock file (offline, reusing what the tests
/// compiled), against the repository's runtime, with Prism in `target/prism`.
fn conformance_setup(command: &str) -> clientgen::conformance::Setup {
    let root = workspace_root();
    clientgen::conformance::Setup {
        default_workdir: "target/conformance".to_owned(),
        target_dir: root.join("target"),
        lock_file: Some(root.join("Cargo.lock")),
        runtime: Some(root.join("runtime")),
        prism_dir: root.join("target/prism"),
        command: format!("cargo xtask {command}"),
        usage: USAGE.to_owned(),
        base: root,
    }
}

fn workspace_root() -> PathBuf {
    // xtask lives one level below the root; cargo sets this at compile time.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

fn codegen(check: bool) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for (spec, out_dir) in targets() {
        if let Some(report) = spec_diff::changes_since_head(&workspace_root(), spec) {
            eprint!("{report}");
        }
        if codegen_one(spec, out_dir, check) != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    if check && code != ExitCode::SUCCESS {
        eprintln!("run `cargo xtask codegen` locally and commit the updated files");
    }
    code
}

fn codegen_one(spec: &str, out_dir: &str, check: bool) -> ExitCode {
    let root = workspace_root();
    let config = match codegen::config::Config::for_spec(&root.join(spec), spec) {
        Ok(config) => config,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(crate::stderr_color()));
            return ExitCode::FAILURE;
        }
    };
    // The crate's name, for its doc examples.
    let crate_name = std::fs::read_to_string(root.join(out_dir).join("../Cargo.toml"))
        .ok()
        .and_then(|manifest| codegen::manifest::package_name(&manifest));
    let options = codegen::Options {
        spec_name: spec.to_owned(),
        command: "cargo xtask codegen".to_owned(),
        config,
        crate_name,
    };
    let output = match codegen::generate(&root.join(spec), &options) {
        Ok(output) => output,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(crate::stderr_color()));
            eprintln!("error: {spec} has problems; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if !output.warnings.is_empty() {
        eprint!("{}", output.warnings.render(crate::stderr_color()));
    }
    let dir = root.join(out_dir);
    let mut stale = Vec::new();
    for file in &output.files {
        let path = dir.join(&file.path);
        match ensure_file_contents(&path, &file.contents, check) {
            Ok(true) => {}
            Ok(false) => stale.push(format!("{out_dir}/{}", file.path)),
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let expected: Vec<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    // Only files the generator wrote (with the `@generated` header) are stale; a hand-written
    // file in `src/` is never removed.
    for extra in clientgen::generated_files(&dir)
        .into_iter()
        .filter(|f| !expected.contains(&f.as_str()))
    {
        stale.push(format!("{out_dir}/{extra} (no longer generated)"));
        if !check {
            if let Err(err) = std::fs::remove_file(dir.join(&extra)) {
                eprintln!("error: cannot remove {out_dir}/{extra}: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    if check && !stale.is_empty() {
        for file in &stale {
            eprintln!("error: `{file}` was not up-to-date");
        }
        return ExitCode::FAILURE;
    }
    if check {
        println!("{out_dir} is up to date with {spec}");
    } else if stale.is_empty() {
        println!("{out_dir} was already up to date");
    } else {
        for file in &stale {
            println!("updated {file}");
        }
    }
    ExitCode::SUCCESS
}

/// Compares `contents` with the file (line endings normalised). With `check`, only reports;
/// otherwise rewrites it. Returns whether the file was already up to date.
fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> std::io::Result<bool> {
    if clientgen::up_to_date(path, contents) {
        return Ok(true);
    }
    if !check {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, contents)?;
    }
    Ok(false)
}
