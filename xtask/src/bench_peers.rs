//! `cargo xtask bench-peers <dir> [--runs <n>] [--check]`: for every spec of a folder, the wall
//! time of our generator and of its peers, each run as a whole process the way a user runs it,
//! as a markdown table of medians and ratios (peer / ours).
//!
//! - ours: `target/release/xtask generate <spec> --out <dir>` (built here with `cargo build
//!   --release -p xtask` first);
//! - progenitor: `cargo progenitor -i <spec> -o <dir> -n <name> -v 0.1.0`, run as the
//!   `cargo-progenitor` binary cargo would start (cargo's own start-up left out);
//! - openapi-generator: `openapi-generator-cli generate -i <spec> -g rust -o <dir>
//!   --skip-validate-spec` (the PyPI wrapper, which starts the bundled jar on the installed Java).
//!
//! Each tool runs once untimed on each spec before the timed runs. A peer that is not installed
//! is left out with the command that installs it; a peer that fails on a spec is reported as
//! failing, with the last line it printed. With `--check`, every output is also compiled with
//! `cargo check` (one shared target directory, `target/bench-peers`). Outputs go to a folder
//! under the system's temporary directory, outside this workspace, so cargo does not take them
//! for members of it.

use crate::workspace_root;
use codegen::manifest::crate_name;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// A generator to time: its name in the table, how to run it on one spec, how to install it.
struct Tool {
    name: &'static str,
    install: &'static str,
    /// The executable, when it is installed.
    program: Option<PathBuf>,
    /// The arguments for (spec, output directory, crate name).
    args: fn(&Path, &Path, &str) -> Vec<String>,
}

/// What one tool did with one spec.
enum Outcome {
    /// Every run succeeded: the median wall time in milliseconds, and `cargo check`'s verdict
    /// when it was asked for.
    Ran {
        millis: f64,
        check: Option<Result<(), String>>,
    },
    /// A run failed: why.
    Failed(String),
    /// The tool is not installed.
    Missing,
}

/// `cargo xtask bench-peers <dir> [--runs <n>] [--check]`.
pub fn bench_peers(args: &[&str]) -> ExitCode {
    let mut dir = None;
    let mut runs = 5usize;
    let mut check = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--check" => check = true,
            "--runs" => match rest.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => {
                    eprintln!("error: `--runs` takes a number of runs, at least 1");
                    return ExitCode::from(2);
                }
            },
            other if dir.is_none() && !other.starts_with("--") => dir = Some(other),
            other => {
                eprintln!("error: unknown argument `{other}` for bench-peers");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("error: bench-peers needs a folder of specs: cargo xtask bench-peers <dir>");
        return ExitCode::from(2);
    };
    let specs = match crate::generate::spec_files(dir) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };

    let Some(ours) = release_xtask() else {
        return ExitCode::FAILURE;
    };

    let tools = [
        Tool {
            name: "ours",
            install: "",
            program: Some(ours),
            args: |spec, out, _| {
                vec![
                    "generate".into(),
                    spec.display().to_string(),
                    "--out".into(),
                    out.display().to_string(),
                ]
            },
        },
        Tool {
            name: "progenitor",
            install: "cargo install cargo-progenitor",
            program: which("cargo-progenitor"),
            args: |spec, out, name| {
                vec![
                    "progenitor".into(),
                    "-i".into(),
                    spec.display().to_string(),
                    "-o".into(),
                    out.display().to_string(),
                    "-n".into(),
                    name.into(),
                    "-v".into(),
                    "0.1.0".into(),
                ]
            },
        },
        Tool {
            name: "openapi-generator",
            install: "pip install openapi-generator-cli",
            program: which("openapi-generator-cli"),
            args: |spec, out, _| {
                vec![
                    "generate".into(),
                    "-i".into(),
                    spec.display().to_string(),
                    "-g".into(),
                    "rust".into(),
                    "-o".into(),
                    out.display().to_string(),
                    // Its validator rejects specs it can generate from (Intercom's among
                    // them); skipping it only makes it faster.
                    "--skip-validate-spec".into(),
                ]
            },
        },
    ];
    for tool in &tools {
        if tool.program.is_none() {
            eprintln!(
                "note: {} is not installed, so it is left out; install it with `{}`",
                tool.name, tool.install
            );
        }
    }

    let scratch = std::env::temp_dir().join("xtask-bench-peers");
    let check_target = workspace_root().join("target/bench-peers");
    // Tool by tool, every spec, so one tool's aftermath (a JVM handing back a large heap)
    // does not land on the next tool's timings.
    let mut rows: Vec<(String, u64, Vec<Outcome>)> = specs
        .iter()
        .map(|spec| {
            let file = crate::roots::label(Path::new(dir), spec);
            (
                file,
                std::fs::metadata(spec).map_or(0, |m| m.len()),
                Vec::new(),
            )
        })
        .collect();
    for tool in &tools {
        for (spec, (file, _, outcomes)) in specs.iter().zip(&mut rows) {
            let Some(program) = &tool.program else {
                outcomes.push(Outcome::Missing);
                continue;
            };
            eprintln!("==> {} on {file}", tool.name);
            let name = crate_name(&crate::roots::stem(Path::new(dir), spec));
            let out = scratch.join(tool.name).join(&name);
            let args = (tool.args)(spec, &out, &name);
            let outcome = match time_runs(program, &args, &out, runs) {
                Ok(millis) => Outcome::Ran {
                    millis,
                    check: check.then(|| cargo_check(&out, &check_target)),
                },
                Err(reason) => Outcome::Failed(reason),
            };
            outcomes.push(outcome);
        }
    }

    print_table(&tools, &rows, runs, check);
    ExitCode::SUCCESS
}

/// Builds this xtask in release, the way a user runs the generator: its path, or `None` (said on
/// stderr) when the build fails.
pub(crate) fn release_xtask() -> Option<PathBuf> {
    let root = workspace_root();
    eprintln!("==> cargo build --release -p xtask");
    let built = Command::new(cargo())
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(&root)
        .status();
    if !matches!(built, Ok(status) if status.success()) {
        eprintln!("error: `cargo build --release -p xtask` failed");
        return None;
    }
    Some(root.join("target/release/xtask"))
}

/// The cargo that runs us (or the one on the `PATH`).
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The executable `name` on the `PATH`, if there is one.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Runs `program args` once untimed (warming the caches after the previous tool), then `runs`
/// times, into a fresh `out` each time; the median wall time in milliseconds, or why a run
/// failed.
fn time_runs(program: &Path, args: &[String], out: &Path, runs: usize) -> Result<f64, String> {
    let mut times = Vec::with_capacity(runs + 1);
    for _ in 0..=runs {
        let _ = std::fs::remove_dir_all(out);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let started = Instant::now();
        let output = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !output.status.success() {
            return Err(reason(&output));
        }
        times.push(elapsed);
    }
    Ok(median(&mut times[1..]))
}

/// `cargo check` of the crate generated in `out`: `Ok`, or the first error rustc or cargo gave.
fn cargo_check(out: &Path, target: &Path) -> Result<(), String> {
    eprintln!("    cargo check {}", out.display());
    let output = Command::new(cargo())
        .args(["check", "--quiet", "--message-format=short"])
        .arg("--target-dir")
        .arg(target)
        .current_dir(out)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first_error = stderr
        .lines()
        .find(|line| line.contains("error"))
        .unwrap_or("cargo check failed");
    Err(shorten(first_error))
}

/// A one-line reason for a failed run: the last line it printed that says something.
fn reason(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = match lines.iter().position(|l| l.contains("panicked at")) {
        // A Rust panic: its message is on the next line.
        Some(i) => format!("panic: {}", lines.get(i + 1).unwrap_or(&"")),
        None => lines
            .iter()
            .find(|l| l.contains("rror") || l.contains("xception"))
            .or(lines.last())
            .unwrap_or(&"no output")
            .to_string(),
    };
    let status = match output.status.code() {
        Some(code) => format!("exit {code}"),
        None => "killed".to_owned(),
    };
    format!("{status}: {}", shorten(&line))
}

/// At most 100 characters of `text`, with `|` escaped for a markdown table.
pub(crate) fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(100).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.replace('|', "\\|")
}

pub(crate) fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    }
}

fn print_table(tools: &[Tool], rows: &[(String, u64, Vec<Outcome>)], runs: usize, check: bool) {
    println!();
    println!(
        "Wall time of the whole process, median of {runs} runs; ratio = peer / ours (above 1: we are faster)."
    );
    println!();
    let mut header = vec!["spec".to_owned(), "KiB".to_owned(), "ours ms".to_owned()];
    let mut align = vec!["---", "---:", "---:"];
    if check {
        header.push("ours check".to_owned());
        align.push("---");
    }
    for tool in &tools[1..] {
        header.push(format!("{} ms", tool.name));
        header.push("ratio".to_owned());
        align.extend(["---:", "---:"]);
        if check {
            header.push(format!("{} check", tool.name));
            align.push("---");
        }
    }
    println!("| {} |", header.join(" | "));
    println!("| {} |", align.join(" | "));
    for (spec, size, outcomes) in rows {
        let ours = match &outcomes[0] {
            Outcome::Ran { millis, .. } => Some(*millis),
            _ => None,
        };
        let mut cells = vec![spec.clone(), format!("{:.1}", *size as f64 / 1024.0)];
        for (i, outcome) in outcomes.iter().enumerate() {
            match outcome {
                Outcome::Ran {
                    millis,
                    check: verdict,
                } => {
                    cells.push(format!("{millis:.1}"));
                    if i > 0 {
                        cells.push(match ours {
                            Some(ours) if ours > 0.0 => format!("{:.1}×", millis / ours),
                            _ => "-".to_owned(),
                        });
                    }
                    if check {
                        cells.push(match verdict {
                            Some(Ok(())) => "ok".to_owned(),
                            Some(Err(error)) => format!("**fails**: {error}"),
                            None => "-".to_owned(),
                        });
                    }
                }
                Outcome::Failed(reason) => {
                    cells.push(format!("**fails**: {reason}"));
                    if i > 0 {
                        cells.push("-".to_owned());
                    }
                    if check {
                        cells.push("-".to_owned());
                    }
                }
                Outcome::Missing => {
                    cells.push("not installed".to_owned());
                    if i > 0 {
                        cells.push("-".to_owned());
                    }
                    if check {
                        cells.push("-".to_owned());
                    }
                }
            }
        }
        println!("| {} |", cells.join(" | "));
    }
}
