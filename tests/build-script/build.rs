//! Generates the Intercom client from the project's spec into `OUT_DIR` on every build that
//! needs it (cargo reruns this when the spec, or a file it refers to, changes).

fn main() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/intercom.yaml");
    if let Err(problems) = codegen::build::cargo_build(spec, "intercom") {
        panic!("the spec has problems:\n{problems}");
    }
}
