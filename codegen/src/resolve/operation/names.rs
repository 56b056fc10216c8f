//! The names operations take: each group's accessor and struct (from its tag), each method
//! (from the `operationId`, without its group's words), each parameter struct; none of them may
//! be a name the generated crate already uses.

use super::Operations;
use crate::config::Config;
use crate::ir::{Group, ParamLocation};
use crate::load::Node;
use crate::naming;
use crate::resolve::context::Ctx;
use crate::resolve::schema::Schemas;
use std::collections::BTreeSet;

/// `{Group}{Method}Params` for each operation with query, header or cookie parameters: unique
/// among themselves, and never a type's name, which `params.rs` imports.
pub(super) fn name_params_types(out: &mut Operations, schemas: &Schemas, config: &Config) {
    let mut taken: BTreeSet<String> = schemas.types.keys().cloned().collect();
    let root = out.root.iter_mut().map(|op| ("", op));
    let grouped = out
        .groups
        .iter_mut()
        .flat_map(|g| g.operations.iter_mut().map(|op| (g.type_name.as_str(), op)));
    for (group, op) in root.chain(grouped) {
        if op.params.iter().any(|p| p.location != ParamLocation::Path) {
            let name = format!("{group}{}Params", naming::camel(&op.name));
            let name = config.type_name(&name).map_or(name, |r| r.to.clone());
            op.params_type = Some(naming::unique(name, &mut taken));
        }
    }
}

/// Methods of the generated `Client` itself, which neither group accessors nor untagged
/// operations may take.
const CLIENT_METHODS: &[&str] = &["builder", "base_url"];

/// Methods of the generated `mock::Mock` itself (cargo feature `mock`), which mirrors the
/// client's accessors and untagged operations, so they may not take these names either.
const MOCK_METHODS: &[&str] = &[
    "start",
    "uri",
    "client",
    "client_builder",
    "violations",
    "take_violations",
    "verify",
    "server",
];

/// The generated `mock` module's own struct, beside the group structs it mirrors.
const MOCK_TYPES: &[&str] = &["Mock"];

/// Methods of traits `Client` and the group structs implement (`Clone`, `Copy`, `Debug` and
/// the blanket `Into`, `Borrow`, `ToOwned`, `Any`), which an operation named like them would
/// shadow, and the names clippy's `should_implement_trait` reserves for std's traits.
pub(super) const TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Types the generated crate defines or re-exports at its root, which neither group structs
/// nor schema types may take.
pub(crate) const CRATE_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Region",
    "Error",
    "ApiError",
    "ValidationError",
    "ValidationErrors",
];

/// The accessor method and struct name of each group (an operation's first tag), decided
/// once from the document so schema types can avoid the struct names: tags that differ only
/// in case, or are empty or unspellable, still get distinct, valid names.
pub(crate) struct GroupNames {
    /// (tag, accessor, type name), in the order tags first appear under `paths`.
    pub groups: Vec<(String, String, String)>,
    /// The client's methods so far: its own, the accessors, untagged operations.
    pub(super) methods: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl GroupNames {
    pub(crate) fn new(doc: &crate::load::Document, config: &Config) -> GroupNames {
        let mut names = GroupNames {
            groups: Vec::new(),
            methods: CLIENT_METHODS
                .iter()
                .chain(MOCK_METHODS)
                .chain(TRAIT_METHODS)
                .map(|m| (*m).to_owned())
                .collect(),
            types: CRATE_TYPES
                .iter()
                .chain(MOCK_TYPES)
                .map(|t| (*t).to_owned())
                .collect(),
        };
        if !config.group_by_tag {
            return names;
        }
        let tags: Vec<String> = doc
            .root
            .get("paths")
            .and_then(Node::entries)
            .unwrap_or_default()
            .iter()
            .flat_map(|(_, item)| doc.referred(item).entries().unwrap_or_default())
            .map(|(_, op)| doc.referred(op))
            .filter(|op| {
                let id = op
                    .get("operationId")
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                config.includes(&tags_of(op), id)
            })
            .filter_map(|op| op.get("tags")?.as_seq()?.first()?.as_str())
            .map(str::to_owned)
            .collect();
        for tag in tags {
            names.get(&tag);
        }
        names
    }

    /// The names of `tag`'s group, made on first use.
    pub(crate) fn get(&mut self, tag: &str) -> (String, String) {
        if let Some((_, accessor, type_name)) = self.groups.iter().find(|(t, _, _)| t == tag) {
            return (accessor.clone(), type_name.clone());
        }
        let accessor = naming::unique(naming::snake(tag), &mut self.methods);
        let type_name = naming::unique(naming::camel(tag), &mut self.types);
        self.groups
            .push((tag.to_owned(), accessor.clone(), type_name.clone()));
        (accessor, type_name)
    }
}

/// Every tag of an operation, in order.
pub(super) fn tags_of(op: &Node) -> Vec<&str> {
    op.get("tags")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

pub(super) fn group(cx: &mut Ctx<'_>, tag: &str, accessor: String, type_name: String) -> Group {
    let declared = cx
        .doc
        .root
        .get("tags")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let docs = declared
        .iter()
        .find(|t| t.get("name").and_then(Node::as_str) == Some(tag))
        .and_then(|t| cx.opt_str(t, "description"))
        .map(|d| d.trim().to_owned());
    Group {
        accessor,
        type_name,
        docs,
        operations: Vec::new(),
    }
}

/// The method's name: the operation id in snake_case without the words of its group
/// (`createMessage` in `Messages` -> `create`), unless nothing would be left.
pub(super) fn method_name(operation_id: &str, tag: &str) -> String {
    let full = naming::snake(operation_id);
    let tag_words: Vec<String> = naming::snake(tag).split('_').map(str::to_owned).collect();
    let is_tag_word = |w: &str| {
        tag_words
            .iter()
            .any(|t| t == w || t.strip_suffix('s') == Some(w) || w.strip_suffix('s') == Some(t))
    };
    let kept: Vec<&str> = full.split('_').filter(|w| !is_tag_word(w)).collect();
    if kept.is_empty() {
        full
    } else {
        naming::snake(&kept.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::method_name;

    #[test]
    fn method_names_drop_the_group_words() {
        assert_eq!(method_name("createMessage", "Messages"), "create");
        assert_eq!(method_name("listContacts", "Contacts"), "list");
        assert_eq!(method_name("messages", "Messages"), "messages");
        assert_eq!(method_name("getDataAttributes", "Data Attributes"), "get");
        assert_eq!(method_name("sendEmail", "Messages"), "send_email");
    }
}
