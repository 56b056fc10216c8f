//! Rule sets that several values share, emitted once: see [`Shared`].

use super::ident;
use super::validate::{value_checks, Value};
use crate::ir::{Api, Constraint, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// Rule sets that several values (fields and parameters) share: the same type with the same
/// constraints, more than one check. Each is emitted once, as a function of `validate.rs`, and
/// each value calls it: a spec whose `Name` schema (a length and a pattern) is used by forty
/// path parameters gets one function, not forty copies of its checks.
#[derive(Debug)]
pub(super) struct Shared {
    sets: Vec<SharedSet>,
    /// The names of the spec's types.
    types: std::collections::BTreeSet<String>,
}

#[derive(Debug)]
struct SharedSet {
    /// The type and constraints, as text, to find the set by.
    key: String,
    name: String,
    ty: TypeRef,
    constraints: Vec<Constraint>,
    /// The values that share it (wire names, each once), for its docs.
    users: Vec<String>,
    /// How many values use it.
    uses: usize,
    /// Whether an operation's parameter uses it (`client.rs` then imports it).
    by_params: bool,
}

impl Shared {
    /// The shared sets of `api`, in the order of their first use, named after it.
    pub(super) fn of(api: &Api) -> Shared {
        let fields = api.types.iter().flat_map(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| {
                    (
                        &f.name,
                        &f.wire_name,
                        &f.ty,
                        f.constraints.as_slice(),
                        false,
                    )
                })
                .collect(),
            _ => Vec::new(),
        });
        let params = super::client::all_operations(api)
            .flat_map(|op| &op.params)
            .map(|p| (&p.name, &p.wire_name, &p.ty, p.constraints.as_slice(), true));
        let mut sets: Vec<SharedSet> = Vec::new();
        for (name, wire, ty, constraints, by_params) in fields.chain(params) {
            let several = value_checks(ty, constraints, &Value::Ref(quote!(value)), &quote!(at))
                .is_some_and(|checks| !checks.simple);
            if !several {
                continue;
            }
            let key = format!("{ty:?} {constraints:?}");
            match sets.iter_mut().find(|set| set.key == key) {
                Some(set) => {
                    set.uses += 1;
                    set.by_params |= by_params;
                    if !set.users.contains(wire) {
                        set.users.push(wire.clone());
                    }
                }
                None => sets.push(SharedSet {
                    key,
                    name: format!("check_{name}"),
                    ty: ty.clone(),
                    constraints: constraints.to_vec(),
                    users: vec![wire.clone()],
                    uses: 1,
                    by_params,
                }),
            }
        }
        sets.retain(|set| set.uses > 1);
        // Two sets first used by values of the same name get told apart.
        let mut taken = std::collections::BTreeSet::new();
        for set in &mut sets {
            let base = set.name.clone();
            let mut n = 1;
            while !taken.insert(set.name.clone()) {
                n += 1;
                set.name = format!("{base}_{n}");
            }
        }
        let types = api.types.iter().map(|def| def.name.clone()).collect();
        Shared { sets, types }
    }

    /// `use crate::validate::{..}` of the functions parameters use, for `client.rs`.
    pub(super) fn param_imports(&self) -> Option<TokenStream> {
        let names: Vec<_> = self
            .sets
            .iter()
            .filter(|set| set.by_params)
            .map(|set| ident(&set.name))
            .collect();
        (!names.is_empty()).then(|| quote!(use crate::validate::{#(#names),*};))
    }

    /// Whether the spec has a type called `name`.
    pub(super) fn type_named(&self, name: &str) -> bool {
        self.types.contains(name)
    }

    /// The function checking `ty` with `constraints`, when several values share them.
    pub(super) fn function(&self, ty: &TypeRef, constraints: &[Constraint]) -> Option<TokenStream> {
        let key = format!("{ty:?} {constraints:?}");
        let set = self.sets.iter().find(|set| set.key == key)?;
        let name = ident(&set.name);
        // `client.rs` imports the functions its parameters use (`param_imports`).
        Some(quote!(#name))
    }

    /// Whether any rule set is shared.
    pub(super) fn has_functions(&self) -> bool {
        !self.sets.is_empty()
    }

    /// The functions, for `validate.rs`.
    pub(super) fn functions(&self) -> TokenStream {
        let functions = self.sets.iter().map(|set| {
            let name = ident(&set.name);
            let ty = match &set.ty {
                TypeRef::String => quote!(str),
                TypeRef::List(inner) => {
                    let inner = super::rust_type(inner);
                    quote!([#inner])
                }
                other => super::rust_type(other),
            };
            let checks = value_checks(&set.ty, &set.constraints, &Value::Ref(quote!(value)), &quote!(at))
                .map(|checks| checks.tokens);
            const NAMED: usize = 4;
            let mut users = set.users.iter().take(NAMED).map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ");
            if set.users.len() > NAMED {
                users.push_str(&format!(" and {} more", set.users.len() - NAMED));
            }
            let doc = format!(" The rules of {users}.");
            quote! {
                #[doc = #doc]
                pub(crate) fn #name(value: &#ty, at: ::runtime::Path<'_>, errors: &mut ::runtime::ValidationErrors) {
                    #checks
                }
            }
        });
        quote!(#(#functions)*)
    }
}
