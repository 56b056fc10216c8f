//! `oneOf`/`anyOf` of several shapes: a tagged enum when a `discriminator` names the property
//! that tells the variants apart, else an untagged enum decoded by trying each variant in turn;
//! and the names of their variants.

use super::compose::is_null_schema;
use super::Schemas;
use crate::ir::{Constraint, TypeKind, TypeRef, UntaggedVariant, Variant};
use crate::load::Node;
use crate::naming;
use crate::resolve::context::{escape_segment, Ctx};
use std::collections::BTreeSet;

impl Schemas {
    /// `oneOf`/`anyOf` without a discriminator: an untagged enum with a variant per choice,
    /// named after its type. Decoding tries the variants in spec order, so the first choice a
    /// value fits wins (for `oneOf`, exactly one should). Constraints of primitive choices
    /// (`{type: string, minLength: 1}`) are not checked: they are reported once.
    pub(super) fn untagged(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        choices: &[(usize, &Node)],
        keyword: &str,
        pointer: &str,
        hint: &str,
    ) -> (TypeRef, bool) {
        let name = self.type_name(pointer, hint);
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        let mut taken = BTreeSet::new();
        let mut unchecked = false;
        let mut nullable = false;
        for (i, choice) in choices {
            // Inline choices are named by their `title`, or by their one property (serde's
            // externally tagged enums, as Dropshot writes them), else by position.
            let single_property = choice
                .get("properties")
                .and_then(Node::entries)
                .filter(|p| p.len() == 1)
                .map(|p| p[0].0.name.as_str());
            // A property fixed to one string (`type: {enum: [file]}`) is a tag in all but name.
            let fixed_value = choice
                .get("properties")
                .and_then(Node::entries)
                .unwrap_or_default()
                .iter()
                .find_map(|(_, property)| fixed_string(property));
            let inline = choice.get("$ref").is_none();
            let label = match (cx.opt_str(choice, "title"), fixed_value, single_property) {
                (Some(title), _, _) => naming::camel(title),
                (None, Some(value), _) if inline => naming::camel(value),
                (None, None, Some(property)) if inline => naming::camel(property),
                _ => format!("Variant{}", i + 1),
            };
            let choice_hint = format!("{name}{label}");
            let Some(shape) = self.shape(
                cx,
                choice,
                &format!("{pointer}/{keyword}/{i}"),
                &choice_hint,
            ) else {
                continue;
            };
            unchecked |= !shape.constraints.is_empty() || shape.constant.is_some();
            // A choice that may be `null` makes the whole union nullable.
            nullable |= shape.nullable;
            let ty = shape.ty.unwrap_or(TypeRef::Any);
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            // `Union::Attached(UnionAttached)` rather than `Union::UnionAttached(..)`.
            let full = variant_name(&ty);
            let short = full
                .strip_prefix(name.as_str())
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(&full)
                .to_owned();
            variants.push(UntaggedVariant {
                name: naming::unique(short, &mut taken),
                boxed: shape.recursive,
                ty,
            });
        }
        if unchecked {
            cx.warning(
                node.get(keyword).unwrap_or(node),
                format!(
                    "the constraints of the `{keyword}` choices are not checked by the validator"
                ),
                "the API still enforces them; name the choices as schemas with their own types",
            );
        }
        if variants.len() > 1 && variants.iter().all(|v| matches!(v.ty, TypeRef::Named(_))) {
            // `Component::Button(ButtonComponent)`: the words every choice ends with go.
            let names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            for (variant, short) in variants.iter_mut().zip(variant_names(&names)) {
                variant.name = short;
            }
        }
        if variants.len() == 1 {
            // Every other choice failed or was the same type: that type.
            let only = variants.remove(0).ty;
            self.pending.remove(pointer);
            return (only, nullable);
        }
        let docs = cx.opt_str(node, "description").map(|d| d.trim().to_owned());
        self.insert(cx, node, pointer, &name, docs, TypeKind::Untagged(variants));
        (TypeRef::Named(name), nullable)
    }

    /// A discriminated `oneOf`/`anyOf` (`keyword`): a tagged enum. Variants are `$ref`s
    /// (tagged by the mapping, their tag's `const`, or their name) or inline objects tagged by
    /// their tag property's `const` or one-value `enum`.
    pub(super) fn union(
        &mut self,
        cx: &mut Ctx<'_>,
        node: &Node,
        keyword: &str,
        one_of: &Node,
        pointer: &str,
        hint: &str,
    ) -> Option<String> {
        let Some(discriminator) = node.get("discriminator") else {
            cx.unsupported(one_of, "`oneOf` without a `discriminator`");
            return None;
        };
        let tag = cx
            .req_str(discriminator, "propertyName", "the `discriminator`")?
            .to_owned();
        let mapping: Vec<(String, String)> = discriminator
            .get("mapping")
            .and_then(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.name.clone(), v.as_str()?.to_owned())))
            .collect();
        for (value, target) in &mapping {
            let found = if target.contains('#') {
                cx.doc.follow(discriminator.loc.file, target).is_ok()
            } else {
                // A bare name stands for `#/components/schemas/<name>`.
                cx.doc
                    .follow(
                        0,
                        &format!("#/components/schemas/{}", escape_segment(target)),
                    )
                    .is_ok()
            };
            if !found {
                let at = discriminator
                    .get("mapping")
                    .and_then(|m| m.get(value))
                    .unwrap_or(discriminator);
                cx.error(
                    at,
                    format!("the discriminator maps `{value}` to `{target}`, which is not a schema in this document"),
                    "point the mapping at one of the `oneOf` schemas, e.g. `#/components/schemas/Name`",
                );
            }
        }
        let items = cx.seq(one_of, &format!("`{keyword}`"), "oneOf: [{$ref: ...}, ...]")?;
        let name = self.type_name(pointer, hint);
        let mut structs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if is_null_schema(item) {
                continue;
            }
            let variant_pointer = format!("{pointer}/{keyword}/{i}");
            let Some(reference) = item.get("$ref").and_then(Node::as_str) else {
                // An inline variant says its tag value itself.
                let fixed = item
                    .get("properties")
                    .and_then(|p| p.get(&tag))
                    .and_then(fixed_string);
                let Some(value) = fixed.map(str::to_owned) else {
                    cx.error(
                        item,
                        format!("this inline variant does not say its `{tag}`, so it cannot be told apart from the others"),
                        format!("give it `properties: {{{tag}: {{const: <value>}}}}`, or `$ref` a named schema"),
                    );
                    return None;
                };
                let variant_hint = format!("{name}{}", naming::camel(&value));
                let shape = self.shape(cx, item, &variant_pointer, &variant_hint)?;
                let Some(TypeRef::Named(ty)) = shape.ty else {
                    cx.error(
                        item,
                        format!("a discriminated `{keyword}` variant must be an object schema"),
                        "give the variant `type: object` and its `properties`",
                    );
                    return None;
                };
                structs.push((ty, value));
                continue;
            };
            let shape = self.shape(cx, item, &variant_pointer, &name)?;
            let Some(TypeRef::Named(ty)) = shape.ty else {
                cx.error(
                    item,
                    "a discriminated `oneOf` variant must be an object schema",
                    "point the `$ref` at an object with properties",
                );
                return None;
            };
            if structs.iter().any(|(seen, _)| *seen == ty) {
                // Two variants of one type would be two `From` impls for it.
                cx.warning(
                    item,
                    format!("`{reference}` is listed twice in this `oneOf`; the repeat is ignored"),
                    "list each schema once",
                );
                continue;
            }
            let component = reference.rsplit('/').next().unwrap_or(reference);
            let tag_value = mapping
                .iter()
                .find(|(_, target)| target == reference || target == component)
                .map(|(value, _)| value.clone())
                .or_else(|| self.tag_const(&ty, &tag))
                .unwrap_or_else(|| component.to_owned());
            structs.push((ty, tag_value));
        }
        // Inline variants are named `<Union><Value>`: the variant is `<Value>`.
        let short: Vec<&str> = structs
            .iter()
            .map(|(ty, _)| {
                ty.strip_prefix(name.as_str())
                    .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                    .unwrap_or(ty)
            })
            .collect();
        let variant_names = variant_names(&short);
        let variants = structs
            .iter()
            .zip(variant_names)
            .map(|((ty, tag_value), name)| Variant {
                name,
                tag_value: tag_value.clone(),
                ty: ty.clone(),
            })
            .collect::<Vec<_>>();
        let docs = cx.opt_str(node, "description").map(|d| d.trim().to_owned());
        self.insert_union(cx, node, pointer, &name, docs, tag, variants);
        Some(name)
    }

    /// The `const` value a struct gives to `tag`, if it has one.
    fn tag_const(&self, ty: &str, tag: &str) -> Option<String> {
        let TypeKind::Struct(s) = &self.types.get(ty)?.kind else {
            return None;
        };
        if let Some(c) = s.constant.as_ref().filter(|c| c.wire_name == tag) {
            return Some(c.value.clone());
        }
        s.fields
            .iter()
            .find(|f| f.wire_name == tag)?
            .constraints
            .iter()
            .find_map(|c| match c {
                Constraint::Const(v) => Some(v.clone()),
                _ => None,
            })
    }
}

/// The one string a property schema fixes a value to: its `enum` of one value, else its
/// `const` (`None` when that value is not a string).
fn fixed_string(property: &Node) -> Option<&str> {
    match property.get("enum").and_then(Node::as_seq) {
        Some([only]) => only.as_str(),
        _ => property.get("const").and_then(Node::as_str),
    }
}

/// A variant name for a choice of this type: the type's own name, or what the value is.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(_) => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::List(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Nullable(inner) => variant_name(inner),
        TypeRef::Any => "Value".to_owned(),
    }
}

/// Variant names: the struct names without the words they all end with
/// (`EmailMessageRequest`, `InAppMessageRequest` -> `Email`, `InApp`).
fn variant_names(structs: &[&str]) -> Vec<String> {
    let words: Vec<Vec<&str>> = structs.iter().map(|s| camel_words(s)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    if structs.len() > 1 {
        while common + 1 < shortest {
            let word = words[0][words[0].len() - 1 - common];
            if words.iter().all(|w| w[w.len() - 1 - common] == word) {
                common += 1;
            } else {
                break;
            }
        }
    }
    let mut taken = BTreeSet::new();
    words
        .iter()
        .map(|w| naming::unique(w[..w.len() - common].concat(), &mut taken))
        .collect()
}

/// The words of an UpperCamelCase name (`InAppMessage` -> `In`, `App`, `Message`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

#[cfg(test)]
mod tests {
    use super::variant_names;

    #[test]
    fn variant_names_drop_the_common_suffix() {
        assert_eq!(
            variant_names(&["EmailMessageRequest", "InAppMessageRequest"]),
            ["Email", "InApp"]
        );
        assert_eq!(variant_names(&["Cat", "Dog"]), ["Cat", "Dog"]);
        assert_eq!(variant_names(&["PetCat", "Cat"]), ["PetCat", "Cat"]);
        assert_eq!(variant_names(&["Only"]), ["Only"]);
    }
}
