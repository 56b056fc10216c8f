//! The list of generated crates, `generated-crates.txt` at the workspace root, parsed.
//!
//! One source file compiled into two crates: the tests' library (`workspace_tests::targets`)
//! and xtask (through `#[path]`), so `cargo xtask codegen [--check]`, the freshness test and the
//! report snapshots walk the same list, parsed the same way. No dependency on either side.

/// The list's text, read at compile time.
const LIST: &str = include_str!("../generated-crates.txt");

/// Every generated crate as `(spec, sources)`, relative to the workspace root, in the list's
/// order. Panics, naming the line, when a line is not exactly two fields.
pub fn targets() -> Vec<(&'static str, &'static str)> {
    LIST.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(
            |(number, line)| match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                [spec, out_dir] => (*spec, *out_dir),
                _ => {
                    panic!("generated-crates.txt:{number}: expected `spec  sources`, got `{line}`")
                }
            },
        )
        .collect()
}
