//! Problems found in a spec, each pointing at a file, line and column.
//!
//! Every stage reports through [`Diagnostics`] instead of stopping at the first problem, so one run
//! shows everything that is wrong. A later stage only runs when the earlier ones found no error.

use std::fmt;
use std::sync::Arc;

/// How bad a problem is: an error stops generation, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation cannot go on; nothing is written.
    Error,
    /// The output is produced, but something in the spec deserves attention.
    Warning,
    /// Nothing is wrong: a decision the generator made from the spec that a reader may want
    /// to know of (which rule found an operation's pagination). Notes travel apart from the
    /// warnings (`Output::notes`).
    Note,
}

/// A place in a source file: 1-based line and column. `0:0` means "unknown" (the whole file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Which file of a multi-file spec the place is in: 0 for the spec itself, then the files
    /// its `$ref`s reach, in the order they were loaded. A [`Diagnostic`] names the file by
    /// [`Diagnostic::file`]; this index is how the loader and resolver get from a node to it.
    pub file: u16,
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
    /// The one-paragraph form, without a source snippet: `error: message`, `--> file:line:col`,
    /// `= help: ...`. [`Report::render`] adds the snippet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
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

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The problems collected during one run, and the text of every file they can point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: Vec<(String, Arc<str>)>,
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

    /// Records a note at `loc` of `file`: a decision worth knowing of, not a problem.
    pub fn note(
        &mut self,
        file: &str,
        loc: Loc,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.push(Severity::Note, file, loc, message.into(), help.into());
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

    /// Keeps the text of `file`, so diagnostics pointing into it can show the lines.
    pub fn add_source(&mut self, file: &str, text: &str) {
        if !self.sources.iter().any(|(name, _)| name == file) {
            self.sources.push((file.to_owned(), Arc::from(text)));
        }
    }

    /// Whether any error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The report: diagnostics sorted by file, line, column, then severity, duplicates removed.
    pub fn into_sorted(mut self) -> Report {
        self.items.sort_by(|a, b| {
            (&a.file, a.loc, a.severity, &a.message).cmp(&(&b.file, b.loc, b.severity, &b.message))
        });
        self.items.dedup();
        Report {
            items: self.items,
            sources: self.sources,
        }
    }
}

/// The outcome of a run's checks: its diagnostics in location order, which it dereferences to,
/// and the source text needed to render them with snippets.
#[derive(Clone, Debug, Default)]
pub struct Report {
    items: Vec<Diagnostic>,
    sources: Vec<(String, Arc<str>)>,
}

impl std::ops::Deref for Report {
    type Target = [Diagnostic];
    fn deref(&self) -> &[Diagnostic] {
        &self.items
    }
}

impl<'a> IntoIterator for &'a Report {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl Report {
    /// How many errors the report holds.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings the report holds.
    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Splits the report into its errors and warnings, and its notes (each with the sources).
    pub fn split_notes(self) -> (Report, Report) {
        let (notes, items) = self
            .items
            .into_iter()
            .partition(|d| d.severity == Severity::Note);
        (
            Report {
                items,
                sources: self.sources.clone(),
            },
            Report {
                items: notes,
                sources: self.sources,
            },
        )
    }

    /// The diagnostics, without the sources.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Renders every diagnostic the way rustc does (message, `file:line:column`, the source
    /// line with the span underlined, the help), then a summary count. With `color`, the text
    /// carries ANSI colours for a terminal; without, it is plain.
    pub fn render(&self, color: bool) -> String {
        use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label, Severity as Level};
        use codespan_reporting::files::SimpleFiles;
        use codespan_reporting::term::{self, termcolor::Buffer, Config};

        let mut files = SimpleFiles::new();
        // Each source's name, id among the renderer's files, and text.
        let sources: Vec<(&str, usize, &str)> = self
            .sources
            .iter()
            .map(|(name, text)| {
                (
                    name.as_str(),
                    files.add(name.as_str(), text.as_ref()),
                    &**text,
                )
            })
            .collect();
        let config = Config::default();
        let mut buffer = if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for d in &self.items {
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Note => Level::Note,
            };
            let mut rendered = Rendered::new(level).with_message(&d.message);
            let span = sources
                .iter()
                .find(|(name, _, _)| *name == d.file)
                .and_then(|(_, id, text)| Some((*id, span(text, d.loc)?)));
            match span {
                Some((id, range)) => rendered = rendered.with_label(Label::primary(id, range)),
                None => rendered = rendered.with_note(format!("in {}", d.file)),
            }
            if let Some(help) = &d.help {
                rendered = rendered.with_note(format!("help: {help}"));
            }
            if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_err() {
                // The span did not fit the file (it cannot, but a renderer problem must not
                // lose the diagnostic): fall back to the one-paragraph form.
                buffer.clear();
                return self.render_plain();
            }
        }
        let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        out.push_str(&self.summary());
        out
    }

    /// The one-paragraph form of every diagnostic (no snippets), then the summary.
    pub fn render_plain(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.to_string());
            out.push_str("\n\n");
        }
        out.push_str(&self.summary());
        out
    }

    /// `2 errors, 1 warning`.
    fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let notes = self.len() - self.errors() - self.warnings();
        let notes = if notes == 0 {
            String::new()
        } else {
            format!(", {}", plural(notes, "note"))
        };
        format!(
            "{}, {}{notes}\n",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }
}

/// The byte range a diagnostic at `loc` underlines in `text`: from the column to the end of the
/// line, trailing blanks and comment left out. `None` when the place is unknown or outside.
fn span(text: &str, loc: Loc) -> Option<std::ops::Range<usize>> {
    if loc.line == 0 {
        return None;
    }
    let line_start = if loc.line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(usize::try_from(loc.line).ok()? - 2)?
            .0
            + 1
    };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let column = usize::try_from(loc.column.max(1)).ok()? - 1;
    let start = line
        .char_indices()
        .nth(column)
        .map_or(line.len(), |(i, _)| i);
    let end = token_len(&line[..start], &line[start..]);
    Some(line_start + start..line_start + start + end)
}

/// How much of `rest` (the line from the diagnostic's column on) is the token there: a quoted
/// scalar to its closing quote, a flow collection to its closing bracket, a plain scalar to the
/// end of the line (or to the next `,`, `}` or `]` inside a flow collection), never a comment.
/// At least one character, when the line has one.
fn token_len(before: &str, rest: &str) -> usize {
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let close = |i: usize, c: char| i + c.len_utf8();
    let end = match first {
        '"' | '\'' => {
            let mut escaped = false;
            chars
                .find(|&(_, c)| {
                    let done = c == first && !escaped;
                    escaped = first == '"' && c == '\\' && !escaped;
                    done
                })
                .map_or(rest.len(), |(i, c)| close(i, c))
        }
        '{' | '[' => {
            let mut depth = 0usize;
            rest.char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' | '[' => depth += 1,
                        '}' | ']' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, c)| close(i, c))
        }
        _ => {
            let opened = before.matches(['{', '[']).count();
            let closed = before.matches(['}', ']']).count();
            let in_flow = opened > closed;
            let stop = rest
                .char_indices()
                .find(|&(i, c)| {
                    (in_flow && matches!(c, ',' | '}' | ']')) || rest[i..].starts_with(" #")
                })
                .map_or(rest.len(), |(i, _)| i);
            rest[..stop].trim_end().len()
        }
    };
    end.max(first.len_utf8())
}

/// Renders a report without colour: what tests snapshot and what goes to a file or pipe.
pub fn render(report: &Report) -> String {
    report.render(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn underlined(text: &str, line: u32, column: u32) -> &str {
        let range = span(
            text,
            Loc {
                file: 0,
                line,
                column,
            },
        )
        .unwrap();
        &text[range]
    }

    #[test]
    fn spans_cover_the_token_at_the_place() {
        let text = "a: 1\nb: {type: strang, x: 1}\nc: \"quoted, with \\\" inside\" # note\nd: plain words, here # note\ne: [1, [2]] tail\n";
        assert_eq!(underlined(text, 2, 11), "strang");
        assert_eq!(underlined(text, 3, 4), "\"quoted, with \\\" inside\"");
        assert_eq!(underlined(text, 4, 4), "plain words, here");
        assert_eq!(underlined(text, 5, 4), "[1, [2]]");
        assert_eq!(underlined(text, 1, 1), "a: 1");
    }

    #[test]
    fn places_outside_the_text_have_no_span() {
        let at = |line, column| Loc {
            file: 0,
            line,
            column,
        };
        assert_eq!(span("a: 1\n", at(0, 0)), None);
        assert_eq!(span("a: 1\n", at(9, 1)), None);
        // A column past the end of the line underlines nothing rather than panicking.
        assert_eq!(span("a: 1\n", at(1, 40)), Some(4..4));
        // Non-ASCII: columns count characters, ranges are bytes.
        assert_eq!(underlined("é: ü\n", 1, 4), "ü");
    }

    #[test]
    fn the_summary_counts_both_kinds() {
        let mut diags = Diagnostics::default();
        diags.add_source("s.yaml", "a: 1\n");
        let at = Loc {
            file: 0,
            line: 1,
            column: 4,
        };
        diags.error("s.yaml", at, "bad", Some("fix it".to_owned()));
        diags.warning("s.yaml", at, "odd", None);
        diags.warning("s.yaml", at, "odder", None);
        let report = diags.into_sorted();
        let rendered = report.render(false);
        assert!(rendered.ends_with("1 error, 2 warnings\n"), "{rendered}");
        assert!(rendered.contains("1 │ a: 1"), "{rendered}");
        assert!(rendered.contains("= help: fix it"), "{rendered}");
    }
}
