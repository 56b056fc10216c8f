//! `clientgen`: the installable generator (`cargo install --path cli`).
//!
//! Exit status: 0 when it worked (warnings allowed), 1 when the spec has errors or a file could
//! not be written, 2 for a usage error.

use clientgen::{generate_crate, CrateOptions, Failure, ManifestOutcome, Runtime};
use codegen::manifest::crate_name;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
clientgen: a typed, validating Rust client crate from an OpenAPI 3.0 or 3.1 document

Usage:
  clientgen generate <spec> --out <dir> [--name <crate>] [--version <semver>]
                     [--runtime vendor|path:<dir>|git:<url>|version:<semver>] [options]
  clientgen check <spec> [options]
  clientgen conformance <spec|dir>.. [--rounds <n>] [--seed <n>] [--count <n>] [--workdir <dir>]
  clientgen examples <spec|dir>.. [--seed <n>] [--count <n>] [--workdir <dir>]
  clientgen diff <old spec> <new spec> [--format text|json|markdown] [--fail-on-breaking]
  clientgen help

Options (they add to the config file beside the spec, `<spec name>.clientgen.yaml`):
  --config <file>                  read the options from <file> instead
  --derive <path>                  one more derive on every type that can have it (Hash, Eq..)
  --rename-type <name>=<new>       a generated type's name
  --rename-operation <id>=<new>    a method's name, by operationId
  --tag <tag>                      only the operations with this tag (repeatable)
  --operation <operationId>        only this operation (repeatable, adds to --tag)
  --no-group-by-tag                every operation a method of the client itself
  --no-schemars                    no JsonSchema impls and no `schemars` feature

generate  writes (or regenerates) the crate in <dir>: Cargo.toml and src/. Only files the
          generator wrote (they start with `@generated`) are replaced or removed; of an
          existing Cargo.toml only the two marked generated blocks are rewritten, so your own
          files, dependencies, features and metadata stay. <crate> defaults to the spec's file
          name, <semver> to 0.1.0, the runtime to the one this binary was built from;
          `vendor` copies the runtime into <dir>/runtime, so the crate stands alone.
check     reads the spec and prints every diagnostic, writing nothing.
conformance  judges the client of each spec with judges this project did not write: every
          example and <n> synthesized values per type (default 100) by the jsonschema crate,
          then decoded and validated by the generated types; then every operation called
          <rounds> times (default 3) against Prism, which checks each request and answers with
          schema-valid data the client must decode. Needs Node.js and npm (Prism is installed
          from a pinned lockfile into ~/.cache/clientgen/prism on first use). The clients and
          their drivers are built in <dir> (default target/clientgen-conformance), into
          $CARGO_TARGET_DIR if set. Exit 1 when a failure is the client's.
examples  the first half of `conformance` alone (no Prism).
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
        ["check", rest @ ..] => check(rest),
        ["conformance", rest @ ..] => {
            clientgen::conformance::conformance_command(rest, &conformance_setup())
        }
        ["examples", rest @ ..] => {
            clientgen::conformance::examples_command(rest, &conformance_setup())
        }
        ["diff", rest @ ..] => match clientgen::DiffArgs::parse(rest) {
            Ok(args) => ExitCode::from(clientgen::run_diff(&args, color())),
            Err(message) => usage_error(&message),
        },
        ["generate", rest @ ..] => match GenerateArgs::parse(rest, true) {
            Ok(args) => generate(&args),
            Err(message) => usage_error(&message),
        },
        [other, ..] => usage_error(&format!("unknown command `{other}`")),
    }
}

/// Where the installed binary's conformance runs put things: the work folder under the current
/// one, the runtime this binary carries, Prism in the user's cache.
fn conformance_setup() -> clientgen::conformance::Setup {
    let base = std::env::current_dir().unwrap_or_default();
    let default_workdir = "target/clientgen-conformance".to_owned();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| base.join(&default_workdir).join("target"));
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| base.join(&default_workdir));
    clientgen::conformance::Setup {
        default_workdir,
        target_dir,
        lock_file: None,
        runtime: None,
        prism_dir: cache.join("clientgen/prism"),
        command: "clientgen conformance".to_owned(),
        usage: USAGE.to_owned(),
        base,
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

fn check(args: &[&str]) -> ExitCode {
    let args = match GenerateArgs::parse(args, false) {
        Ok(args) => args,
        Err(message) => return usage_error(&message),
    };
    let spec = args.spec;
    let path = Path::new(spec);
    let Some(config) = args.config() else {
        return ExitCode::FAILURE;
    };
    let options = codegen::Options {
        config,
        ..codegen::Options::new(spec, "clientgen generate")
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

/// The arguments of `generate` (and of `check`, which takes the spec and the options only).
struct GenerateArgs<'a> {
    spec: &'a str,
    out: &'a str,
    name: Option<&'a str>,
    version: &'a str,
    runtime: Runtime,
    /// `--config <file>`, instead of the file beside the spec.
    config_file: Option<&'a str>,
    /// The generation options given as flags: added to the config file's.
    flags: codegen::config::Config,
    no_group_by_tag: bool,
    no_schemars: bool,
}

/// Flags that set a generation option ([`codegen::config::Config::flag`]).
const OPTION_FLAGS: &[&str] = &[
    "--derive",
    "--rename-type",
    "--rename-operation",
    "--tag",
    "--operation",
];

impl<'a> GenerateArgs<'a> {
    fn parse(args: &[&'a str], generate: bool) -> Result<Self, String> {
        let (mut spec, mut out, mut name, mut version, mut runtime) =
            (None, None, None, "0.1.0", Runtime::beside_this_build());
        let (mut config_file, mut no_group_by_tag, mut no_schemars) = (None, false, false);
        let mut flags = codegen::config::Config::default();
        let command = if generate { "generate" } else { "check" };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = || {
                rest.next()
                    .copied()
                    .ok_or_else(|| format!("`{arg}` needs a value"))
            };
            match *arg {
                "--out" if generate => out = Some(value()?),
                "--name" if generate => name = Some(value()?),
                "--version" if generate => version = value()?,
                "--runtime" if generate => runtime = Runtime::parse(value()?)?,
                "--config" => config_file = Some(value()?),
                "--no-group-by-tag" => no_group_by_tag = true,
                "--no-schemars" => no_schemars = true,
                flag if OPTION_FLAGS.contains(&flag) => flags.flag(flag, value()?)?,
                other if other.starts_with("--") => {
                    return Err(format!("`{command}` has no option `{other}`"))
                }
                other if spec.is_none() => spec = Some(other),
                other => return Err(format!("one spec at a time (`{other}` is a second)")),
            }
        }
        let spec = spec.ok_or(format!("`{command}` needs a spec"))?;
        let out = if generate {
            out.ok_or("`generate` needs `--out <dir>`")?
        } else {
            ""
        };
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
            config_file,
            flags,
            no_group_by_tag,
            no_schemars,
        })
    }

    /// The generation options: the config file (`--config`, or the one beside the spec), with
    /// the flags added. `None` (the diagnostics printed) when the file has errors.
    fn config(&self) -> Option<codegen::config::Config> {
        use codegen::config::Config;
        let loaded = match self.config_file {
            Some(file) => Config::load(Path::new(file), file),
            None => Config::for_spec(Path::new(self.spec), self.spec),
        };
        let mut config = match loaded {
            Ok(config) => config,
            Err(report) => {
                eprint!("{}", report.render(color()));
                return None;
            }
        };
        let flags = self.flags.clone();
        config.derives.extend(flags.derives);
        config.rename_types.extend(flags.rename_types);
        config.rename_operations.extend(flags.rename_operations);
        config.include_tags.extend(flags.include_tags);
        config.include_operations.extend(flags.include_operations);
        config.group_by_tag &= !self.no_group_by_tag;
        config.schemars &= !self.no_schemars;
        Some(config)
    }
}

fn generate(args: &GenerateArgs<'_>) -> ExitCode {
    let spec = Path::new(args.spec);
    let name = args.name.map_or_else(
        || crate_name(&spec.file_stem().unwrap_or_default().to_string_lossy()),
        str::to_owned,
    );
    let Some(config) = args.config() else {
        return ExitCode::FAILURE;
    };
    let options = CrateOptions {
        config,
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
