//! The generation options that act on the finished types: the user's type renames are checked
//! against what the spec produced, and the extra derives are given to each type that can have
//! them (see [`crate::config`]).

use super::context::Ctx;
use super::operation::Operations;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Derives every generated type already has (emit writes them, or implements the trait).
const EVERY_TYPE_HAS: &[&str] = &["Clone", "Debug", "PartialEq", "Serialize", "Deserialize"];

/// The standard traits whose derive needs every field to have them too: each is given only to
/// the types whose fields all can, worked out over the whole type graph.
const CHECKED: &[&str] = &["Eq", "Hash", "PartialOrd", "Ord", "Default", "Copy"];

/// What a derive needs derived beside it (`Ord: Eq + PartialOrd`).
const IMPLIES: &[(&str, &[&str])] = &[("Ord", &["Eq", "PartialOrd"])];

/// Every type rename must have renamed something, and its new name must not have pushed a type
/// of the spec to a numbered name.
pub(super) fn check_type_renames(
    cx: &mut Ctx<'_>,
    types: &BTreeMap<String, TypeDef>,
    ops: &Operations,
    clashes: &[(String, String)],
) {
    let params_types = ops
        .root
        .iter()
        .chain(ops.groups.iter().flat_map(|g| &g.operations))
        .filter_map(|op| op.params_type.as_deref());
    let names: BTreeSet<&str> = types
        .keys()
        .map(String::as_str)
        .chain(params_types)
        .collect();
    for rename in &cx.config.rename_types {
        let at = &rename.at;
        if let Some((_, numbered)) = clashes.iter().find(|(wanted, _)| *wanted == rename.to) {
            cx.diags.error(
                &at.file,
                at.loc,
                format!(
                    "`{}` is renamed to `{}`, which the spec already has a type called (it would become `{numbered}`)",
                    rename.from, rename.to
                ),
                Some("choose a new name the spec does not use".to_owned()),
            );
        } else if !names.contains(rename.to.as_str()) {
            let similar: Vec<&str> = names
                .iter()
                .filter(|n| {
                    n.to_ascii_lowercase()
                        .contains(&rename.from.to_ascii_lowercase())
                })
                .take(5)
                .copied()
                .collect();
            let help = if similar.is_empty() {
                "rename a type by its name in the generated code".to_owned()
            } else {
                format!(
                    "names in the generated code that contain it: {}",
                    similar.join(", ")
                )
            };
            cx.diags.error(
                &at.file,
                at.loc,
                format!("no generated type is named `{}`", rename.from),
                Some(help),
            );
        }
    }
}

/// Gives each type the extra derives of the config that it can have.
pub(super) fn derives(cx: &mut Ctx<'_>, types: &mut BTreeMap<String, TypeDef>) {
    let config = cx.config;
    let wanted: Vec<&str> = config.derives.iter().map(|d| d.value.as_str()).collect();
    let mut missing_implied: Vec<(&str, &crate::config::Setting)> = Vec::new();
    for derive in &config.derives {
        for (trait_name, needs) in IMPLIES {
            if last_segment(&derive.value) == *trait_name {
                for need in *needs {
                    if !wanted.iter().any(|w| last_segment(w) == *need) {
                        missing_implied.push((need, derive));
                    }
                }
            }
        }
    }
    let mut all: Vec<(String, &crate::config::Place)> = Vec::new();
    for derive in &config.derives {
        let name = last_segment(&derive.value);
        if EVERY_TYPE_HAS.contains(&name) {
            cx.diags.warning(
                &derive.at.file,
                derive.at.loc,
                format!("every generated type already derives `{name}`"),
                Some(format!("remove `{}` from the derives", derive.value)),
            );
            continue;
        }
        if !all.iter().any(|(d, _)| *d == derive.value) {
            all.push((derive.value.clone(), &derive.at));
        }
    }
    for (need, derive) in missing_implied {
        cx.diags.warning(
            &derive.at.file,
            derive.at.loc,
            format!(
                "`{}` needs `{need}` as well: it is derived too",
                derive.value
            ),
            Some(format!("add `{need}` to the derives")),
        );
        if !all.iter().any(|(d, _)| d == need) {
            all.push((need.to_owned(), &derive.at));
        }
    }
    for (derive, at) in all {
        let name = last_segment(&derive);
        let capable = if CHECKED.contains(&name) {
            capable(types, name)
        } else {
            types.keys().cloned().collect()
        };
        let mut left_off = Vec::new();
        for (type_name, def) in types.iter_mut() {
            if !capable.contains(type_name) {
                left_off.push(type_name.clone());
            } else if !has_already(def, name) {
                def.derives.push(derive.clone());
            }
        }
        if !left_off.is_empty() {
            let shown: Vec<&str> = left_off.iter().take(6).map(String::as_str).collect();
            let more = if left_off.len() > 6 { ", ..." } else { "" };
            cx.diags.warning(
                &at.file,
                at.loc,
                format!(
                    "`{derive}` is left off {} type(s) that cannot have it: {}{more}",
                    left_off.len(),
                    shown.join(", ")
                ),
                Some(format!(
                    "{} (`{derive}` needs it of every field)",
                    why(name)
                )),
            );
        }
    }
}

/// Why a type cannot have the checked trait `name`.
fn why(name: &str) -> &'static str {
    match name {
        "Eq" => "they hold a floating-point number",
        "Hash" | "Ord" => "they hold a floating-point number or arbitrary JSON",
        "PartialOrd" => "they hold arbitrary JSON",
        "Default" => "they are enums, or have a required field of an enum type",
        _ => "they hold a string, a list, a map, a box or arbitrary JSON",
    }
}

/// `utoipa::ToSchema` -> `ToSchema`.
fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// Whether emit already derives or implements `name` for the type (string enums have `Eq`,
/// `Hash`, `PartialOrd` and `Ord`, closed ones `Copy` too; structs without a required property
/// `Default`).
fn has_already(def: &TypeDef, name: &str) -> bool {
    match &def.kind {
        TypeKind::StringEnum(e) => {
            matches!(name, "Eq" | "Hash" | "PartialOrd" | "Ord")
                || (name == "Copy" && e.unknown.is_none())
        }
        TypeKind::Struct(s) => name == "Default" && s.all_optional(),
        _ => false,
    }
}

/// The types that can derive the checked trait `name`: the largest set closed under "every
/// field's type can", so recursive types are judged right.
fn capable(types: &BTreeMap<String, TypeDef>, name: &str) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = types.keys().cloned().collect();
    loop {
        let before = set.len();
        let drop: Vec<String> = types
            .iter()
            .filter(|(n, def)| set.contains(*n) && !type_can(def, name, &set))
            .map(|(n, _)| n.clone())
            .collect();
        for n in drop {
            set.remove(&n);
        }
        if set.len() == before {
            return set;
        }
    }
}

fn type_can(def: &TypeDef, name: &str, set: &BTreeSet<String>) -> bool {
    match &def.kind {
        TypeKind::StringEnum(e) => match name {
            "Default" => false,
            "Copy" => e.unknown.is_none(),
            _ => true,
        },
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().all(|f| {
                let optional = !f.required || f.explicit_null;
                if f.boxed && name == "Copy" {
                    return false;
                }
                // `Option<T>` is `Default` whatever `T` is.
                (optional && name == "Default") || ref_can(&f.ty, name, set)
            });
            let extra = s.extra.as_ref().is_none_or(|e| {
                name != "Copy" && ref_can(&TypeRef::Map(Box::new(e.ty.clone())), name, set)
            });
            fields && extra
        }
        TypeKind::TaggedUnion(u) => {
            name != "Default"
                && u.variants
                    .iter()
                    .all(|v| ref_can(&TypeRef::Named(v.ty.clone()), name, set))
        }
        TypeKind::Untagged(variants) => {
            name != "Default"
                && variants
                    .iter()
                    .all(|v| !(v.boxed && name == "Copy") && ref_can(&v.ty, name, set))
        }
    }
}

fn ref_can(ty: &TypeRef, name: &str, set: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(n) => set.contains(n),
        TypeRef::Integer(_) | TypeRef::Boolean => true,
        TypeRef::String => name != "Copy",
        // f64: `PartialEq`, `PartialOrd`, `Default`, `Copy` only.
        TypeRef::Number => matches!(name, "PartialOrd" | "Default" | "Copy"),
        TypeRef::List(inner) | TypeRef::Map(inner) => {
            name != "Copy" && (name == "Default" || ref_can(inner, name, set))
        }
        TypeRef::Nullable(inner) => name == "Default" || ref_can(inner, name, set),
        // `serde_json::Value`: `Eq` and `Default`; its `Hash` is too recent to rely on.
        TypeRef::Any => matches!(name, "Eq" | "Default"),
    }
}
