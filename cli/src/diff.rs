//! `diff <old> <new>`: what changed between two specs, for `clientgen diff` and
//! `cargo xtask diff` alike.

use std::path::Path;

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// One line per change, grouped (the default).
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools.
    Json,
}

/// The arguments of `diff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffArgs<'a> {
    /// The old spec.
    pub old: &'a str,
    /// The new spec.
    pub new: &'a str,
    /// `--format text|json|markdown`.
    pub format: DiffFormat,
    /// `--fail-on-breaking`: exit 1 when anything breaks.
    pub fail_on_breaking: bool,
}

impl<'a> DiffArgs<'a> {
    /// Parses `<old> <new> [--format text|json|markdown] [--fail-on-breaking]`, in any order.
    pub fn parse(args: &[&'a str]) -> Result<Self, String> {
        let mut specs = Vec::new();
        let mut format = DiffFormat::Text;
        let mut fail_on_breaking = false;
        let mut args = args.iter();
        while let Some(&arg) = args.next() {
            match arg {
                "--fail-on-breaking" => fail_on_breaking = true,
                "--format" => {
                    format = match args.next().copied() {
                        Some("text") => DiffFormat::Text,
                        Some("json") => DiffFormat::Json,
                        Some("markdown" | "md") => DiffFormat::Markdown,
                        Some(other) => {
                            return Err(format!(
                                "unknown format `{other}` (text, json or markdown)"
                            ))
                        }
                        None => return Err("--format needs a value".to_owned()),
                    }
                }
                other if other.starts_with("--") => {
                    return Err(format!("unknown option `{other}`"))
                }
                spec => specs.push(spec),
            }
        }
        match specs.as_slice() {
            [old, new] => Ok(DiffArgs {
                old,
                new,
                format,
                fail_on_breaking,
            }),
            _ => Err("diff takes two specs: <old> <new>".to_owned()),
        }
    }
}

/// Runs `diff`: the report on stdout, a spec's diagnostics on stderr. Returns the exit
/// status: 0, or 1 when a spec has errors or (with `--fail-on-breaking`) something breaks.
pub fn run_diff(args: &DiffArgs<'_>, color: bool) -> u8 {
    let (old, new) = (Path::new(args.old), Path::new(args.new));
    match codegen::diff::diff(old, new, &codegen::diff::Options::for_paths(old, new)) {
        Ok(report) => {
            match args.format {
                DiffFormat::Text => print!("{}", report.render_text()),
                DiffFormat::Markdown => print!("{}", report.render_markdown()),
                DiffFormat::Json => println!("{:#}", report.to_json()),
            }
            u8::from(args.fail_on_breaking && report.has_breaking())
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(color));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_in_any_order() {
        let args = DiffArgs::parse(&["--format", "json", "a.yaml", "--fail-on-breaking", "b.yaml"])
            .expect("valid arguments");
        assert_eq!(
            args,
            DiffArgs {
                old: "a.yaml",
                new: "b.yaml",
                format: DiffFormat::Json,
                fail_on_breaking: true
            }
        );
        assert!(DiffArgs::parse(&["a.yaml"]).is_err());
        assert!(DiffArgs::parse(&["a.yaml", "b.yaml", "--format", "yaml"]).is_err());
        assert!(DiffArgs::parse(&["a.yaml", "b.yaml", "--strict"]).is_err());
    }
}
