//! What a spec change means, next to the change itself: `cargo xtask codegen` compares each
//! listed spec with its last committed version (`git show HEAD:<spec>`) and prints the
//! [`codegen::diff`] report on stderr, so under review the meaning of a change sits next to its
//! snapshot diff. Without git, without the file at `HEAD`, or when either version does not
//! load (its problems are codegen's to report), it says nothing: this never fails the command.

use std::path::Path;
use std::process::Command;

/// The text report comparing `spec` (relative to `root`, a git work tree) at `HEAD` with the
/// file as it is; `None` when they are the same, or when there is nothing to compare.
pub(crate) fn changes_since_head(root: &Path, spec: &str) -> Option<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["show", &format!("HEAD:{spec}")])
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let now = std::fs::read(root.join(spec)).ok()?;
    if now == output.stdout {
        return None;
    }
    // The committed text, where the loader can read it; next to nothing the spec refers to,
    // so a spec split over files that changed is compared only if its root stands alone.
    let base = root.join("target/diff-base");
    std::fs::create_dir_all(&base).ok()?;
    let old = base.join(spec.replace(['/', '\\'], "__"));
    std::fs::write(&old, &output.stdout).ok()?;
    let options = codegen::diff::Options {
        old_name: format!("{spec}@HEAD"),
        new_name: spec.to_owned(),
        policy: codegen::diff::Policy::default(),
    };
    let report = codegen::diff::diff(&old, &root.join(spec), &options).ok();
    let _ = std::fs::remove_file(&old);
    report
        .filter(|report| !report.changes.is_empty())
        .map(|report| report.render_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(side: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/diff/added-operations")
            .join(format!("{side}.yaml"))
    }

    fn git(dir: &Path, args: &[&str]) -> bool {
        Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .output()
            .is_ok_and(|output| output.status.success())
    }

    #[test]
    fn a_spec_changed_since_head_gets_its_report() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-diff-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).expect("a temporary folder");
        let spec = "spec/api.yaml";
        std::fs::copy(fixture("old"), dir.join(spec)).expect("the fixture copies");
        // Not a git work tree yet: nothing to say.
        assert_eq!(changes_since_head(&dir, spec), None);
        if !(git(&dir, &["init", "-q"])
            && git(&dir, &["add", "."])
            && git(&dir, &["commit", "-qm", "spec"]))
        {
            eprintln!("git is unavailable here; only the no-git case was checked");
            return;
        }
        // Unchanged: nothing to say.
        assert_eq!(changes_since_head(&dir, spec), None);
        std::fs::copy(fixture("new"), dir.join(spec)).expect("the fixture copies");
        let report = changes_since_head(&dir, spec).expect("the spec changed");
        assert!(report.contains("spec/api.yaml@HEAD"), "{report}");
        assert!(
            report.contains("POST /refunds: operation added"),
            "{report}"
        );
        // A file HEAD does not have: nothing to say.
        std::fs::copy(fixture("new"), dir.join("spec/other.yaml")).expect("the fixture copies");
        assert_eq!(changes_since_head(&dir, "spec/other.yaml"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
