//! `clientgen`: the installable generator (`cargo install --path cli`).
//!
//! Exit status: 0 when it worked (warnings allowed), 1 when the spec has errors or a file could
//! not be written, 2 for a usage error.

use clientgen::{generate_crate, CrateOptions, Failure, ManifestOutcome, Runtime};
use codegen::manifest::crate_name;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
clientgen: a typed, validating Rust client crate from an OpenAPI 3.0 or 3.1 document

Usage:
  clientgen generate <spec> --out <dir> [--name <crate>] [--version <semver>]
                     [--runtime vendor|path:<dir>|git:<url>|version:<semver>]
  clientgen check <spec>
  clientgen diff <old spec> <new spec> [--format text|json|markdown] [--fail-on-breaking]
  clientgen help

generate  writes (or regenerates) the crate in <dir>: Cargo.toml and src/. Only files the
          generator wrote (they start with `@generated`) are replaced or removed; of an
          existing Cargo.toml only the two marked generated blocks are rewritten, so your own
          files, dependencies, features and metadata stay. <crate> defaults to the spec's file
          name, <semver> to 0.1.0, the runtime to the one this binary was built from;
          `vendor` copies the runtime into <dir>/runtime, so the crate stands alone.
check     reads the spec and prints every diagnostic, writing nothing.
diff      compares two versions of a spec: every change on the wire and in the generated
          crate's Rust API, each marked breaking for callers (what the client sends) or for
          decoding (what it receives), with its place in both specs, and the semver bump.
          --fail-on-breaking exits 1 when anything breaks.

A spec split over files: give its root document; every file its `$ref`s reach is read.
Exit status: 0 ok (warnings allowed), 1 the spec has errors, a write failed or (diff
--fail-on-breaking) a change breaks, 2 usage.
Colours on a terminal; NO_COLOR turns them off.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["--version" | "-V"] => {
            println!("clientgen {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["check", spec] => check(spec),
        ["diff", rest @ ..] => match clientgen::DiffArgs::parse(rest) {
            Ok(args) => ExitCode::from(clientgen::run_diff(&args, color())),
            Err(message) => usage_error(&message),
        },
        ["generate", rest @ ..] => match GenerateArgs::parse(rest) {
            Ok(args) => generate(&args),
            Err(message) => usage_error(&message),
        },
        [other, ..] => usage_error(&format!("unknown command `{other}`")),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Whether diagnostics on stderr get colours.
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn check(spec: &str) -> ExitCode {
    let path = Path::new(spec);
    let options = codegen::Options {
        spec_name: spec.to_owned(),
        command: "clientgen generate".to_owned(),
    };
    match codegen::generate(path, &options) {
        Ok(output) => {
            eprint!("{}", output.warnings.render(color()));
            println!(
                "{spec}: {} operations, {} types, {} warnings",
                output.operations,
                output.types,
                output.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{}", report.render(color()));
            ExitCode::FAILURE
        }
    }
}

/// The arguments of `generate`.
struct GenerateArgs<'a> {
    spec: &'a str,
    out: &'a str,
    name: Option<&'a str>,
    version: &'a str,
    runtime: Runtime,
}

impl<'a> GenerateArgs<'a> {
    fn parse(args: &[&'a str]) -> Result<Self, String> {
        let (mut spec, mut out, mut name, mut version, mut runtime) =
            (None, None, None, "0.1.0", Runtime::beside_this_build());
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = || {
                rest.next()
                    .copied()
                    .ok_or_else(|| format!("`{arg}` needs a value"))
            };
            match *arg {
                "--out" => out = Some(value()?),
                "--name" => name = Some(value()?),
                "--version" => version = value()?,
                "--runtime" => runtime = Runtime::parse(value()?)?,
                other if other.starts_with("--") => {
                    return Err(format!("unknown option `{other}`"))
                }
                other if spec.is_none() => spec = Some(other),
                other => return Err(format!("one spec at a time (`{other}` is a second)")),
            }
        }
        let spec = spec.ok_or("`generate` needs a spec")?;
        let out = out.ok_or("`generate` needs `--out <dir>`")?;
        if let Some(name) = name.filter(|n| crate_name(n) != *n) {
            return Err(format!(
                "`{name}` is not a crate name (try `{}`)",
                crate_name(name)
            ));
        }
        if version.is_empty()
            || !version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
            || !version.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(format!("`{version}` is not a version (e.g. 1.2.0)"));
        }
        Ok(GenerateArgs {
            spec,
            out,
            name,
            version,
            runtime,
        })
    }
}

fn generate(args: &GenerateArgs<'_>) -> ExitCode {
    let spec = Path::new(args.spec);
    let name = args.name.map_or_else(
        || crate_name(&spec.file_stem().unwrap_or_default().to_string_lossy()),
        str::to_owned,
    );
    let options = CrateOptions {
        name: name.clone(),
        version: args.version.to_owned(),
        runtime: args.runtime.clone(),
        standalone: true,
        spec_name: args.spec.to_owned(),
        command: "clientgen generate".to_owned(),
    };
    match generate_crate(spec, Path::new(args.out), &options) {
        Ok(written) => {
            eprint!("{}", written.output.warnings.render(color()));
            for file in &written.removed {
                println!("removed src/{file} (no longer generated)");
            }
            if written.manifest == ManifestOutcome::LeftAlone {
                eprintln!(
                    "warning: {}/Cargo.toml has no generated blocks, so it was left as it is; check its dependencies by hand",
                    args.out
                );
            }
            println!(
                "generated crate `{name}` in {}: {} operations, {} types, {} warnings",
                args.out,
                written.output.operations,
                written.output.types,
                written.output.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Spec(report)) => {
            eprint!("{}", report.render(color()));
            eprintln!("error: {} has problems; nothing was written", args.spec);
            ExitCode::FAILURE
        }
        Err(Failure::Io(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
