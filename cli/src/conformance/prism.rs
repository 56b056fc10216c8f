//! Prism, the OpenAPI mock server the wire oracle calls: installed from the committed lockfile
//! (`tools/prism/`, which this binary carries) on first use, started on a free port of
//! 127.0.0.1, and always stopped: [`Prism`] kills it when dropped, on success, error or panic
//! alike.

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned `package.json` and `package-lock.json` (`tools/prism/` in the repository).
const PINNED: [(&str, &str); 2] = [
    (
        "package.json",
        include_str!("../../../tools/prism/package.json"),
    ),
    (
        "package-lock.json",
        include_str!("../../../tools/prism/package-lock.json"),
    ),
];

/// Installs Prism into `dir` unless the lockfile installed there already equals the pinned
/// one; returns the path of its executable script.
pub fn install(dir: &Path) -> Result<PathBuf, String> {
    let script = dir.join("node_modules/@stoplight/prism-cli/dist/index.js");
    let lock = PINNED[1].1.as_bytes().to_vec();
    let installed = dir.join("node_modules/.installed-lock.json");
    let fresh = script.is_file() && std::fs::read(&installed).ok().as_ref() == Some(&lock);
    let tools: &[&str] = if fresh { &["node"] } else { &["node", "npm"] };
    for tool in tools {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Err(format!(
                "`{tool}` was not found: the wire oracle runs Prism (an npm package) and needs \
                 Node.js 18.20 or newer with npm on PATH (https://nodejs.org)"
            ));
        }
    }
    if fresh {
        return Ok(script);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (file, contents) in PINNED {
        std::fs::write(dir.join(file), contents)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(file).display()))?;
    }
    eprintln!(
        "==> installing Prism from the pinned package-lock.json (tools/prism) into {} (npm ci)",
        dir.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !status.success() || !script.is_file() {
        return Err(format!(
            "`npm ci` in {} failed ({status}); is the npm registry reachable?",
            dir.display()
        ));
    }
    std::fs::write(&installed, &lock)
        .map_err(|e| format!("cannot write {}: {e}", installed.display()))?;
    Ok(script)
}

/// A running Prism; dropping it kills the process.
pub struct Prism {
    child: Child,
    /// The base URL it serves, `http://127.0.0.1:<port>`.
    pub url: String,
    log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    /// Starts `prism mock` on `spec` (it validates every request), dynamic responses from `seed`
    /// and its log in `log`; waits until it accepts connections. `Err` holds the end of its
    /// log when it refuses the spec.
    pub fn start(script: &Path, spec: &Path, seed: u64, log: &Path) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?
            .port();
        let out = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new("node")
            .arg(script)
            .arg("mock")
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            // Without `--errors`: a request that breaks the spec still gets an answer, and its
            // violations come in the `sl-violations` header, apart from those of Prism's own
            // answer (which `--errors` would turn into a 500 and hide from the decoder).
            .args(["--dynamic", "--seed", &seed.to_string()])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        };
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism refused the spec ({status}): {}",
                    prism.log_tail()
                ));
            }
            if started.elapsed() > Duration::from_secs(90) {
                return Err(format!(
                    "Prism did not start within 90 s: {}",
                    prism.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The log so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    /// The last lines of the log that say something, on one line.
    fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = &lines[lines.len().saturating_sub(3)..];
        tail.join(" | ").chars().take(400).collect()
    }
}
