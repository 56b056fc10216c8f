//! Problems found in a spec, each pointing at a file, line and column.
//!
//! Every stage reports through [`Diagnostics`] instead of stopping at the first problem, so one run
//! shows everything that is wrong. A later stage only runs when the earlier ones found no error.

use std::fmt;

/// How bad a problem is: an error stops generation, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation cannot go on; nothing is written.
    Error,
    /// The output is produced, but something in the spec deserves attention.
    Warning,
}

/// A place in a source file: 1-based line and column. `0:0` means "unknown" (the whole file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
}

/// One problem: where it is, what it is, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The spec file, as the caller named it.
    pub file: String,
    /// Where in `file`.
    pub loc: Loc,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if self.loc.line == 0 {
            write!(f, "  --> {}", self.file)?;
        } else {
            write!(
                f,
                "  --> {}:{}:{}",
                self.file, self.loc.line, self.loc.column
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// The problems collected during one run, kept in the order of their location.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error at `loc` of `file`.
    pub fn error(
        &mut self,
        file: &str,
        loc: Loc,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.push(Severity::Error, file, loc, message.into(), help.into());
    }

    /// Records a warning at `loc` of `file`.
    pub fn warning(
        &mut self,
        file: &str,
        loc: Loc,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.push(Severity::Warning, file, loc, message.into(), help.into());
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &str,
        loc: Loc,
        message: String,
        help: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity,
            file: file.to_owned(),
            loc,
            message,
            help,
        });
    }

    /// Whether any error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics sorted by file, line, column, then severity; duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.loc, a.severity, &a.message).cmp(&(&b.file, b.loc, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

/// Renders diagnostics one after the other, ending with a count, the way a compiler does.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push_str("\n\n");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    out
}
