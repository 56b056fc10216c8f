//! The conformance oracles: judges nobody here wrote decide whether a generated client is right.
//!
//! - `examples <spec|dir>..`: every example of the spec, and synthesized values, judged by the
//!   `jsonschema` crate and then decoded and validated by the generated types (`examples.rs`).
//! - `conformance <spec|dir>..`: the same, then every operation called against Prism, which
//!   checks each request and answers with random schema-valid data (`wire.rs`).
//!
//! `clientgen conformance` and `cargo xtask conformance`/`examples` run the same code; a
//! [`Setup`] says where each puts things. Both generate, per spec, the client crate and a driver
//! (`codegen::conformance::driver`) into one cargo workspace and build it once (in this
//! repository, into the project's own target dir, so the dependencies compiled for the tests
//! are reused).

mod examples;
mod judge;
mod prism;
mod synth;
mod wire;

use codegen::conformance::Model;
use codegen::manifest::{crate_name, Manifest};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Where a run puts things: what differs between the installed `clientgen` and this
/// repository's `cargo xtask`.
#[derive(Clone, Debug)]
pub struct Setup {
    /// What `--workdir` is relative to (the repository's root, or the current folder).
    pub base: PathBuf,
    /// The work folder when `--workdir` is not given, relative to `base`.
    pub default_workdir: String,
    /// Where cargo builds the drivers.
    pub target_dir: PathBuf,
    /// A lock file to start the work folder's from (the repository's, so the build is offline
    /// and reuses what its tests compiled).
    pub lock_file: Option<PathBuf>,
    /// The runtime the clients and drivers depend on: a path to it, or `None` to write the
    /// runtime this binary carries into the work folder.
    pub runtime: Option<PathBuf>,
    /// Where Prism is installed (from the lockfile this binary carries).
    pub prism_dir: PathBuf,
    /// The command as the user typed it, for messages and generated headers.
    pub command: String,
    /// The usage text shown with a usage error.
    pub usage: String,
}

/// Options shared by both commands.
struct Args {
    paths: Vec<PathBuf>,
    rounds: u64,
    seed: u64,
    count: u64,
    /// Where the workspace goes, relative to [`Setup::base`].
    workdir: String,
    /// `(file, from, to)`: replace text in a generated file before building, to prove the
    /// oracles catch a broken client (`tests/oracles.rs`).
    mutations: Vec<(String, String, String)>,
}

fn parse(args: &[&str], setup: &Setup) -> Result<Args, String> {
    let mut parsed = Args {
        paths: Vec::new(),
        rounds: 3,
        seed: 1,
        count: 100,
        workdir: setup.default_workdir.clone(),
        mutations: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .map(|v| v.to_string())
                .ok_or_else(|| format!("`{name}` takes a value"))
        };
        let number = |name: &str, text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("`{name}` takes a whole number, got `{text}`"))
        };
        match *arg {
            "--rounds" => parsed.rounds = number("--rounds", value("--rounds")?)?.max(1),
            "--seed" => parsed.seed = number("--seed", value("--seed")?)?,
            "--count" => parsed.count = number("--count", value("--count")?)?,
            "--workdir" => parsed.workdir = value("--workdir")?,
            "--mutate" => {
                let file = value("--mutate")?;
                let from = value("--mutate")?;
                let to = value("--mutate")?;
                parsed.mutations.push((file, from, to));
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path => parsed.paths.extend(spec_files(Path::new(path))?),
        }
    }
    if parsed.paths.is_empty() {
        return Err("name at least one spec or folder of specs".to_owned());
    }
    Ok(parsed)
}

/// `path` itself, or the `.yaml`/`.yml`/`.json` files directly in the folder `path`, sorted.
fn spec_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_file() && crate::is_spec_file(p))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no .yaml, .yml or .json spec in `{}`",
            path.display()
        ));
    }
    Ok(specs)
}

/// One spec, generated and (if it compiled) with its driver.
pub(crate) struct Prepared {
    /// The spec's file name, for tables.
    pub label: String,
    pub spec: PathBuf,
    pub model: Option<Model>,
    pub driver: Option<PathBuf>,
    /// Why there is no model or no driver.
    pub problem: Option<String>,
}

/// Generates every spec's client and driver into the workspace and builds them all at once.
fn prepare(args: &Args, setup: &Setup) -> Result<Vec<Prepared>, String> {
    let work = setup.base.join(&args.workdir);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let runtime = match &setup.runtime {
        Some(path) => path.clone(),
        None => {
            crate::vendor(&work).map_err(|failure| match failure {
                crate::Failure::Io(message) => message,
                crate::Failure::Spec(_) => "cannot write the runtime".to_owned(),
            })?;
            work.join("runtime")
        }
    };
    let mut prepared = Vec::new();
    let mut members = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for spec in &args.paths {
        let label = spec
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut name = crate_name(&spec.file_stem().unwrap_or_default().to_string_lossy());
        while !used.insert(name.clone()) {
            name.push('2');
        }
        let display = spec.display().to_string();
        let mut entry = Prepared {
            label,
            spec: spec.clone(),
            model: None,
            driver: None,
            problem: None,
        };
        // The folder's name goes into the member's: every work folder builds into the
        // project's target dir, where cargo tells path packages apart by their path relative
        // to their workspace, so two folders' `breakable/client` would share (stale) builds.
        let member = format!("{}-{name}", folder_tag(&args.workdir));
        let driver = format!("{member}-driver");
        match write_crates(
            spec,
            &display,
            &work.join(&member),
            (&name, &driver),
            &Writing {
                mutations: &args.mutations,
                runtime: &runtime,
                command: &setup.command,
            },
        ) {
            Ok(model) => {
                entry.model = Some(model);
                members.push(member);
            }
            // A mutation that finds nothing to change would leave the client unbroken and the
            // run proving nothing: a usage error, not a spec's problem.
            Err(problem) if problem.starts_with(MUTATION_MISSING) => return Err(problem),
            Err(problem) => entry.problem = Some(problem),
        }
        prepared.push(entry);
    }
    let list: Vec<String> = members
        .iter()
        .flat_map(|m| {
            [
                format!("    \"{m}/client\","),
                format!("    \"{m}/driver\","),
            ]
        })
        .collect();
    let manifest = format!(
        "# Written by `{}`: each spec's client and driver.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n\n\
         # The project's profile, so the dependencies compiled for its tests are reused.\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        setup.command,
        list.join("\n")
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if let Some(lock) = &setup.lock_file {
        let _ = std::fs::copy(lock, work.join("Cargo.lock"));
    }
    let bin_dir = setup.target_dir.join("debug");
    for member in &members {
        let _ = std::fs::remove_file(bin_dir.join(format!("{member}-driver")));
    }
    if !members.is_empty() {
        eprintln!(
            "==> cargo build of {} drivers in {}",
            members.len(),
            args.workdir
        );
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--quiet",
                "--workspace",
                "--keep-going",
                "--target-dir",
            ])
            .arg(&setup.target_dir)
            .current_dir(&work)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            eprintln!("warning: some drivers did not compile; their specs are marked below");
        }
    }
    let mut members = members.into_iter();
    for entry in &mut prepared {
        if entry.model.is_none() {
            continue;
        }
        let member = members.next().expect("one member per spec with a model");
        let binary = bin_dir.join(format!("{member}-driver"));
        if binary.is_file() {
            entry.driver = Some(binary);
        } else {
            entry.problem =
                Some("the generated client or its driver does not compile (ours)".to_owned());
        }
    }
    Ok(prepared)
}

/// How the error of a `--mutate` whose text is not in its file starts.
const MUTATION_MISSING: &str = "mutation: ";

/// The work folder's name as a crate name (`conformance`, `conformance-break`).
fn folder_tag(workdir: &str) -> String {
    crate_name(
        &Path::new(workdir)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy(),
    )
}

/// What every spec's crates are written with.
struct Writing<'a> {
    /// Text replaced in generated files (`--mutate`).
    mutations: &'a [(String, String, String)],
    /// The runtime the crates depend on.
    runtime: &'a Path,
    /// The command named in headers.
    command: &'a str,
}

/// Generates `spec` into `dir/client` (crate `name`) and its driver into `dir/driver` (crate
/// `driver_name`); applies the mutations.
fn write_crates(
    spec: &Path,
    display: &str,
    dir: &Path,
    (name, driver_name): (&str, &str),
    writing: &Writing<'_>,
) -> Result<Model, String> {
    let Writing {
        mutations,
        runtime,
        command,
    } = *writing;
    let refused = |report: codegen::Report| {
        let first = report
            .into_vec()
            .into_iter()
            .find(|d| d.severity == codegen::Severity::Error)
            .map(|d| d.message)
            .unwrap_or_default();
        format!("the generator refuses the spec: {first}")
    };
    let config = codegen::config::Config::for_spec(spec, display).map_err(refused)?;
    let options = codegen::Options {
        spec_name: display.to_owned(),
        command: command.to_owned(),
        config,
        crate_name: Some(name.to_owned()),
    };
    let output = codegen::generate(spec, &options).map_err(refused)?;
    let model = codegen::conformance::model(spec, display, &options.config).map_err(refused)?;
    let runtime = std::fs::canonicalize(runtime).unwrap_or_else(|_| runtime.to_path_buf());
    let runtime = runtime.display().to_string().replace('\\', "/");
    let client = dir.join("client");
    let _ = std::fs::remove_dir_all(client.join("src"));
    let manifest = Manifest {
        name: name.to_owned(),
        version: "0.1.0".to_owned(),
        spec_name: display.to_owned(),
        command: command.to_owned(),
        runtime: Manifest::runtime_path(&runtime),
        standalone: false,
        schemars: options.config.schemars,
    };
    let mut files = vec![(client.join("Cargo.toml"), manifest.render())];
    for file in &output.files {
        let mut contents = file.contents.clone();
        for (target, from, to) in mutations {
            if *target == file.path {
                if !contents.contains(from.as_str()) {
                    return Err(format!("{MUTATION_MISSING}`{from}` is not in {target}"));
                }
                contents = contents.replace(from.as_str(), to);
            }
        }
        files.push((client.join("src").join(&file.path), contents));
    }
    let driver = codegen::conformance::driver(&model.api, &name.replace('-', "_"))?;
    let driver_manifest = format!(
        "# Written by `{command}`.\n[package]\nname = \"{driver_name}\"\nversion = \"0.1.0\"\n\
         edition = \"2021\"\npublish = false\n\n[dependencies]\n\
         {name} = {{ path = \"../client\" }}\n\
         runtime = {{ package = \"clientgen-runtime\", path = \"{runtime}\" }}\n\
         serde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n"
    );
    files.push((dir.join("driver/Cargo.toml"), driver_manifest));
    files.push((dir.join("driver/src/main.rs"), driver));
    for (path, contents) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        crate::write_if_changed(&path, &contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(model)
}

/// A running driver: one JSON line in, one JSON line out.
pub(crate) struct Driver {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
}

impl Driver {
    fn start(binary: &Path, base_url: Option<&str>) -> Result<Driver, String> {
        let mut command = Command::new(binary);
        command
            .args(base_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let input = child.stdin.take().ok_or("no stdin")?;
        let output = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Driver {
            child,
            input,
            output,
        })
    }

    /// Sends one request and reads the answer (`{"outcome": "crash"}` if the driver died).
    fn ask(&mut self, request: &serde_json::Value) -> serde_json::Value {
        let mut line = String::new();
        let sent = writeln!(self.input, "{request}").and_then(|()| self.input.flush());
        if sent.is_err() || self.output.read_line(&mut line).unwrap_or(0) == 0 {
            return serde_json::json!({"outcome": "crash", "message": "the driver stopped"});
        }
        serde_json::from_str(&line).unwrap_or_else(
            |e| serde_json::json!({"outcome": "crash", "message": format!("bad answer: {e}")}),
        )
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `examples <spec|dir>.. [--count N] [--seed S]`: the examples oracle alone.
pub fn examples_command(args: &[&str], setup: &Setup) -> ExitCode {
    run(args, false, setup)
}

/// `conformance <spec|dir>.. [--rounds N] [--seed S] [--count N] [--workdir DIR]`: both
/// oracles.
pub fn conformance_command(args: &[&str], setup: &Setup) -> ExitCode {
    run(args, true, setup)
}

fn run(args: &[&str], wire: bool, setup: &Setup) -> ExitCode {
    let args = match parse(args, setup) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{}", setup.usage);
            return ExitCode::from(2);
        }
    };
    let prism = if wire {
        match prism::install(&setup.prism_dir) {
            Ok(script) => Some(script),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let prepared = match prepare(&args, setup) {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut ours = examples::run(&prepared, &args);
    if let Some(script) = prism {
        ours += wire::run(&prepared, &args, &script);
    }
    if ours == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: {ours} failures are ours (see the tables above)");
        ExitCode::FAILURE
    }
}
