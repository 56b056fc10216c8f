//! `validate.rs`: a `runtime::Validate` impl per type, checking every rule the types cannot say.
//!
//! Paths are `runtime::Path` values on the stack, so a valid value is checked without a single
//! allocation; a JSON pointer string is only built for a broken rule.

use super::ident;
use super::shared::Shared;
use crate::ir::{
    Api, Condition, Constraint, Field, ObjectRule, Parameter, StringFormat, Struct, TypeDef,
    TypeKind, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::ops::Range;

/// The impls of `api.types[range]`; the part starting at 0 also has the file's docs and imports.
pub(super) fn validate(api: &Api, cx: &super::Crate, range: Range<usize>) -> TokenStream {
    let shared = &cx.shared;
    let head = (range.start == 0).then(|| {
        let glob = (!api.types.is_empty()).then(|| {
            quote!(
                use crate::types::*;
            )
        });
        // The same list the readable-paths pass shortens by.
        let imports = cx.validate_imports.iter().map(|path| {
            // Written without a leading `::`, which the readable-paths pass would shorten.
            let segments = path.split("::").map(ident);
            quote!(use #(#segments)::*;)
        });
        let imports = (!api.types.is_empty()).then(|| quote!(#(#imports)*));
        let functions = shared.functions();
        quote! {
            //! Validation of every type against the rules of its schema. The client runs it before
            //! sending anything.

            #glob
            #imports

            #functions
        }
    });
    let mut impls = Vec::new();
    for def in &api.types[range] {
        let Impl { checked, inherent } = type_impl(def, shared);
        // A type with nothing to check is valid whenever it decodes.
        let name = ident(&def.name);
        impls.push(checked.unwrap_or_else(|| quote!(::runtime::no_rules!(#name);)));
        impls.extend(inherent);
    }
    quote! {
        #head

        #(#impls)*
    }
}

fn type_impl(def: &TypeDef, shared: &Shared) -> Impl {
    let name = ident(&def.name);
    let checks: Vec<TokenStream> = match &def.kind {
        TypeKind::Struct(s) => struct_checks(s, shared),
        TypeKind::StringEnum(e) => match &e.unknown {
            // Only an open enum can hold a value outside the spec's list.
            Some(unknown) => {
                let unknown = ident(unknown);
                let allowed = e.values.iter().map(|v| &v.wire_value);
                vec![quote! {
                    errors.enumeration(path, !::std::matches!(self, #name::#unknown(_)), &[#(#allowed),*]);
                }]
            }
            None => Vec::new(),
        },
        TypeKind::TaggedUnion(u) => {
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                quote!(#name::#variant(value) => ::runtime::Validate::validate_at(value, path, errors),)
            });
            vec![quote! { match self { #(#arms)* } }]
        }
        TypeKind::Untagged(variants) => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                quote!(#name::#variant(value) => ::runtime::Validate::validate_at(value, path, errors),)
            });
            vec![quote! { match self { #(#arms)* } }]
        }
    };
    // A recursive type whose only check is the recursion (a tree with nothing else to
    // check) would pass `errors` along and never use it: clippy's `only_used_in_recursion`.
    let recursive = match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| mentions(&f.ty, &def.name)),
        _ => false,
    };
    let allow = recursive.then(|| quote!(#[allow(clippy::only_used_in_recursion)]));
    // A type with nothing to check is named in its part's `runtime::no_rules!` instead.
    let body = (!checks.is_empty()).then(|| {
        quote! {
            impl ::runtime::Validate for #name {
                #allow
                fn validate_at(&self, path: &::runtime::Path<'_>, errors: &mut ::runtime::ValidationErrors) {
                    #(#checks)*
                }
            }
        }
    });
    let inherent = def.usage.request.then(|| match &def.kind {
        // Decode the variant's struct from the object without its tag, so errors inside it keep
        // their exact path.
        TypeKind::TaggedUnion(u) if !u.variants.is_empty() => {
            let tag = &u.tag;
            let values = u.variants.iter().map(|v| &v.tag_value);
            let last = u.variants.len() - 1;
            let arms = u.variants.iter().enumerate().map(|(i, v)| {
                let variant = ident(&v.name);
                let index = if i == last { quote!(_) } else { quote!(#i) };
                quote!(#index => #name::#variant(::runtime::decode(value)?),)
            });
            quote! {
                impl #name {
                    /// Checks every rule of the spec that the type itself cannot enforce, as
                    /// [`runtime::Validate`] does: the client calls this before sending.
                    pub fn validate(&self) -> ::std::result::Result<(), ::runtime::ValidationErrors> {
                        ::runtime::Validate::validate(self)
                    }

                    /// Decodes a JSON document and validates it; errors inside the variant keep
                    /// their exact JSON pointer.
                    pub fn from_json(json: &str) -> ::std::result::Result<Self, ::runtime::ValidationErrors> {
                        let (index, value) = ::runtime::split_tag(json, #tag, &[#(#values),*])?;
                        let decoded = match index {
                            #(#arms)*
                        };
                        ::runtime::Validate::validate(&decoded)?;
                        ::std::result::Result::Ok(decoded)
                    }
                }
            }
        }
        // `validate` and `from_json`, documented once in the runtime.
        _ => quote!(::runtime::request_methods!(#name);),
    });
    Impl {
        checked: body,
        inherent,
    }
}

/// What `validate.rs` has for one type.
struct Impl {
    /// The `Validate` impl; `None` when the type has nothing to check.
    checked: Option<TokenStream>,
    /// `validate` and `from_json`, for a request type.
    inherent: Option<TokenStream>,
}

fn struct_checks(s: &Struct, shared: &Shared) -> Vec<TokenStream> {
    let mut checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| field_checks(f, shared))
        .collect();
    if let Some(extra) = s
        .extra
        .as_ref()
        .filter(|e| matches!(e.ty, TypeRef::Named(_)))
    {
        let name = ident(&extra.name);
        checks.push(quote!(::runtime::Validate::validate_at(&self.#name, path, errors);));
    }
    checks.extend(s.rules.iter().filter_map(|rule| object_rule(s, rule)));
    checks
}

/// The checks of one field, or `None` when there is nothing to check.
fn field_checks(f: &Field, shared: &Shared) -> Option<TokenStream> {
    let name = ident(&f.name);
    let presence = if f.required && !f.nullable {
        Presence::Always
    } else if f.explicit_null {
        Presence::NullableOption
    } else {
        Presence::Option
    };
    named_value_checks(
        &f.ty,
        &f.constraints,
        Value::Place(quote!(self.#name)),
        presence,
        quote!(path.key),
        &f.wire_name,
        shared,
    )
}

/// Statements checking an operation's parameters before sending, each reported at the
/// parameter's name (`/limit`) into a `runtime::ValidationErrors` called `errors`; `value_of`
/// gives the expression holding each one, and whether that expression is a reference. Empty
/// when no parameter has a rule.
pub(super) fn param_checks<'p>(
    params: impl IntoIterator<Item = &'p Parameter>,
    value_of: impl Fn(&Parameter) -> (TokenStream, bool),
    shared: &Shared,
) -> Vec<TokenStream> {
    params
        .into_iter()
        .filter_map(|p| {
            let presence = if p.required {
                Presence::Always
            } else {
                Presence::Option
            };
            let holder = match value_of(p) {
                (value, true) => Value::Ref(value),
                (value, false) => Value::Place(value),
            };
            named_value_checks(
                &p.ty,
                &p.constraints,
                holder,
                presence,
                quote!(::runtime::Path::ROOT.key),
                &p.wire_name,
                shared,
            )
        })
        .collect()
}

/// Whether `validate.rs` has anything to check: a `Validate` impl or a shared function, which
/// name the runtime items it imports.
pub(super) fn anything_checked(api: &Api, shared: &Shared) -> bool {
    shared.has_functions()
        || api
            .types
            .iter()
            .any(|def| type_impl(def, shared).checked.is_some())
}

/// Whether some parameter of an operation of `api` has a rule to check.
pub(super) fn params_have_checks(api: &Api) -> bool {
    super::client::all_operations(api)
        .flat_map(|op| &op.params)
        .any(|p| {
            value_checks(
                &p.ty,
                &p.constraints,
                &Value::Ref(quote!(value)),
                &quote!(at),
            )
            .is_some()
        })
}

/// How a checked value is held.
enum Presence {
    /// Always there: `T`.
    Always,
    /// Maybe absent: `Option<T>`, checked when `Some`.
    Option,
    /// Maybe absent or `null`: `Option<Option<T>>`, checked when `Some(Some(_))`.
    NullableOption,
}

/// The checks of the value in `holder` (held as `presence` says), located at
/// `key(wire)` (`path.key` for a field, the root's for a parameter). `None` when the value has
/// nothing to check.
fn named_value_checks(
    ty: &TypeRef,
    constraints: &[Constraint],
    holder: Value,
    presence: Presence,
    key: TokenStream,
    wire: &str,
    shared: &Shared,
) -> Option<TokenStream> {
    let held = holder.by_ref();
    let value = match presence {
        Presence::Always => holder,
        Presence::Option | Presence::NullableOption => Value::Ref(quote!(value)),
    };
    let located = quote!(#key(#wire));
    let checks = value_checks(ty, constraints, &value, &quote!(at))?;
    // Rules several values share are one function's; one plain check names the value and its
    // location in place; more share one binding of each.
    let body = if let Some(function) = shared.function(ty, constraints) {
        let value = value.by_ref();
        quote!(#function(#value, #located, errors);)
    } else if checks.simple {
        value_checks(ty, constraints, &value, &located)?.tokens
    } else {
        let tokens = checks.tokens;
        match presence {
            Presence::Always => {
                let checks =
                    value_checks(ty, constraints, &Value::Ref(quote!(value)), &quote!(at))?;
                let tokens = checks.tokens;
                return Some(quote! { { let value = #held; let at = #located; #tokens } });
            }
            _ => quote!(let at = #located; #tokens),
        }
    };
    Some(match presence {
        Presence::Always => body,
        Presence::Option => {
            quote! { if let ::std::option::Option::Some(value) = #held { #body } }
        }
        Presence::NullableOption => quote! {
            if let ::std::option::Option::Some(::std::option::Option::Some(value)) = #held { #body }
        },
    })
}

/// An expression for a checked value.
pub(super) enum Value {
    /// A place of type `T` (`self.name`).
    Place(TokenStream),
    /// An expression of type `&T` (`value`).
    Ref(TokenStream),
}

impl Value {
    /// The value as `&T`.
    pub(super) fn by_ref(&self) -> TokenStream {
        match self {
            Value::Place(place) => quote!(&#place),
            Value::Ref(value) => value.clone(),
        }
    }

    /// The value as a method's receiver (auto-referenced).
    fn receiver(&self) -> &TokenStream {
        match self {
            Value::Place(value) | Value::Ref(value) => value,
        }
    }

    /// The value as `T`, for the `Copy` numbers.
    fn copied(&self) -> TokenStream {
        match self {
            Value::Place(place) => place.clone(),
            Value::Ref(value) => quote!(*#value),
        }
    }
}

/// Statements checking a value.
pub(super) struct Checks {
    pub(super) tokens: TokenStream,
    /// One statement that names the value and its location once each, so both can be written
    /// in place.
    pub(super) simple: bool,
}

/// Checks of `value` located at the `runtime::Path` expression `at`: its constraints, the items
/// of a list or map, and a named type's own rules. `None` when the value has nothing to check.
pub(super) fn value_checks(
    ty: &TypeRef,
    constraints: &[Constraint],
    value: &Value,
    at: &TokenStream,
) -> Option<Checks> {
    if let TypeRef::Nullable(inner) = ty {
        // `null` breaks no rule; a present value is checked as the inner type.
        let checks = value_checks(inner, constraints, &Value::Ref(quote!(present)), at)?.tokens;
        let value = value.by_ref();
        return Some(Checks {
            tokens: quote! {
                if let ::std::option::Option::Some(present) = ::std::option::Option::as_ref(#value) {
                    #checks
                }
            },
            simple: false,
        });
    }
    let mut out: Vec<TokenStream> = Vec::new();
    let number = |v: f64| Literal::f64_suffixed(v);
    let as_f64 = match ty {
        TypeRef::Integer(_) => {
            let v = value.copied();
            quote!(#v as f64)
        }
        _ => value.copied(),
    };
    let r = value.by_ref();
    let recv = value.receiver();
    let mut item_rules: &[Constraint] = &[];
    for c in constraints {
        out.push(match c {
            Constraint::MinLength(n) => quote!(errors.min_length(&#at, #r, #n);),
            Constraint::MaxLength(n) => quote!(errors.max_length(&#at, #r, #n);),
            Constraint::Pattern(source) => quote! {
                {
                    static PATTERN: ::runtime::Pattern = ::runtime::Pattern::new(#source);
                    errors.pattern(&#at, #r, &PATTERN);
                }
            },
            Constraint::Format(format) => {
                let format = match format {
                    StringFormat::Email => quote!(Email),
                    StringFormat::Uuid => quote!(Uuid),
                    StringFormat::DateTime => quote!(DateTime),
                    StringFormat::Uri => quote!(Uri),
                    StringFormat::Byte => quote!(Byte),
                };
                quote!(errors.format(&#at, #r, ::runtime::Format::#format);)
            }
            Constraint::Minimum(v) => {
                let v = number(*v);
                quote!(errors.minimum(&#at, #as_f64, #v);)
            }
            Constraint::ExclusiveMinimum(v) => {
                let v = number(*v);
                quote!(errors.exclusive_minimum(&#at, #as_f64, #v);)
            }
            Constraint::Maximum(v) => {
                let v = number(*v);
                quote!(errors.maximum(&#at, #as_f64, #v);)
            }
            Constraint::ExclusiveMaximum(v) => {
                let v = number(*v);
                quote!(errors.exclusive_maximum(&#at, #as_f64, #v);)
            }
            Constraint::MultipleOf(v) => {
                let v = number(*v);
                quote!(errors.multiple_of(&#at, #as_f64, #v);)
            }
            Constraint::MinItems(n) => quote!(errors.min_items(&#at, #recv.len(), #n);),
            Constraint::MaxItems(n) => quote!(errors.max_items(&#at, #recv.len(), #n);),
            Constraint::UniqueItems => quote!(errors.unique_items(&#at, #r);),
            Constraint::MinProperties(n) => quote!(errors.min_properties(&#at, #recv.len(), #n);),
            Constraint::MaxProperties(n) => quote!(errors.max_properties(&#at, #recv.len(), #n);),
            Constraint::Const(expected) => quote!(errors.constant(&#at, #r, #expected);),
            Constraint::Items(rules) | Constraint::Values(rules) => {
                item_rules = rules;
                continue;
            }
        });
    }
    let item_at = quote!(item_at);
    let mut looped = false;
    match ty {
        TypeRef::Named(_) => out.push(quote!(::runtime::Validate::validate_at(#r, &#at, errors);)),
        TypeRef::List(inner) => {
            if let Some(item) = value_checks(inner, item_rules, &Value::Ref(quote!(item)), &item_at)
            {
                let item = item.tokens;
                looped = true;
                out.push(quote! {
                    for (index, item) in #recv.iter().enumerate() {
                        let #item_at = #at.index(index);
                        #item
                    }
                });
            }
        }
        TypeRef::Map(inner) => {
            if let Some(item) = value_checks(inner, item_rules, &Value::Ref(quote!(item)), &item_at)
            {
                let item = item.tokens;
                looped = true;
                out.push(quote! {
                    for (key, item) in #recv.iter() {
                        let #item_at = #at.key(key);
                        #item
                    }
                });
            }
        }
        _ => {}
    }
    if out.is_empty() {
        None
    } else {
        Some(Checks {
            simple: out.len() == 1 && !looped,
            tokens: quote!(#(#out)*),
        })
    }
}

/// Whether `ty` is, or holds, the named type `name`.
fn mentions(ty: &TypeRef, name: &str) -> bool {
    match ty {
        TypeRef::Named(n) => n == name,
        _ => ty.inner().is_some_and(|inner| mentions(inner, name)),
    }
}

/// The pattern binding `v` to the value of the `Option` field `f` when it holds one:
/// `Some(v)`, or `Some(Some(v))` where `null` and absent are told apart.
fn present_value(f: &Field) -> TokenStream {
    if f.explicit_null {
        quote!(::std::option::Option::Some(::std::option::Option::Some(v)))
    } else {
        quote!(::std::option::Option::Some(v))
    }
}

/// Whether a field may be absent: `Option` fields that are not required. A required nullable
/// field is always present on the wire, as `null` at least.
fn optional(f: &Field) -> bool {
    !f.required
}

fn object_rule(s: &Struct, rule: &ObjectRule) -> Option<TokenStream> {
    let field = |name: &str| s.fields.iter().find(|f| f.name == name);
    // `errors.required(..)` for each listed field that may be absent.
    let require = |names: &[String], because: &str| -> Vec<TokenStream> {
        names
            .iter()
            .filter_map(|name| field(name))
            .filter(|f| optional(f))
            .map(|f| {
                let name = ident(&f.name);
                let wire = &f.wire_name;
                quote!(errors.required(&path.key(#wire), self.#name.is_some(), #because);)
            })
            .collect()
    };
    match rule {
        ObjectRule::MinProperties(n) => {
            let count = property_count(s);
            Some(quote!(errors.min_properties(path, #count, #n);))
        }
        ObjectRule::MaxProperties(n) => {
            let count = property_count(s);
            Some(quote!(errors.max_properties(path, #count, #n);))
        }
        ObjectRule::DependentRequired { when, requires } => {
            let trigger = field(when)?;
            let because = format!("because `{}` is present", trigger.wire_name);
            let checks = require(requires, &because);
            if checks.is_empty() {
                return None;
            }
            if optional(trigger) {
                let name = ident(&trigger.name);
                Some(quote!(if self.#name.is_some() { #(#checks)* }))
            } else {
                Some(quote!(#(#checks)*))
            }
        }
        ObjectRule::Branches {
            exactly_one,
            branches,
        } => {
            let holds = branches.iter().map(|branch| {
                let present = branch
                    .required
                    .iter()
                    .filter_map(|name| field(name))
                    .map(|f| {
                        let name = ident(&f.name);
                        if optional(f) {
                            quote!(self.#name.is_some())
                        } else {
                            quote!(true)
                        }
                    });
                let values = branch.values.iter().filter_map(|(name, allowed)| {
                    let f = field(name)?;
                    let name = ident(&f.name);
                    let test = quote!(matches!(v.as_str(), #(#allowed)|*));
                    Some(if f.required && !f.nullable {
                        quote!({ let v = &self.#name; #test })
                    } else {
                        // An absent or `null` value is not narrowed.
                        let some = present_value(f);
                        quote!(match &self.#name { #some => #test, _ => true })
                    })
                });
                let all: Vec<TokenStream> = present.chain(values).collect();
                if all.is_empty() {
                    quote!(true)
                } else {
                    quote!(#(#all)&&*)
                }
            });
            let labels = branches
                .iter()
                .map(|b| b.label.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Some(quote!(errors.branches(path, &[#(#holds),*], #exactly_one, #labels);))
        }
        ObjectRule::Conditional {
            condition,
            then,
            otherwise,
        } => {
            let tested = field(&condition.field)?;
            let Condition {
                value,
                require_present,
                ..
            } = condition;
            let then_checks = require(
                then,
                &format!("because `{}` is `{value}`", tested.wire_name),
            );
            let else_checks = require(
                otherwise,
                &format!("because `{}` is not `{value}`", tested.wire_name),
            );
            if then_checks.is_empty() && else_checks.is_empty() {
                return None;
            }
            let name = ident(&tested.name);
            let compare = |v: TokenStream| match &tested.ty {
                TypeRef::Named(_) => quote!(#v.as_str() == #value),
                _ => quote!(#v == #value),
            };
            let holds = if tested.required && !tested.nullable {
                compare(quote!(self.#name))
            } else {
                let some = compare(quote!(v));
                // An absent (or null) value satisfies the `if` unless the `if` requires it.
                let absent = !require_present && !tested.required;
                let present = present_value(tested);
                quote! {
                    match &self.#name {
                        #present => #some,
                        _ => #absent,
                    }
                }
            };
            Some(match (then_checks.is_empty(), else_checks.is_empty()) {
                (false, true) => quote!(if #holds { #(#then_checks)* }),
                (true, false) => quote!(if !(#holds) { #(#else_checks)* }),
                _ => quote!(if #holds { #(#then_checks)* } else { #(#else_checks)* }),
            })
        }
    }
}

/// An expression counting the properties `s` has on the wire.
fn property_count(s: &Struct) -> TokenStream {
    // Fields that are always written, plus the fixed (tag) property.
    let always =
        s.fields.iter().filter(|f| !optional(f)).count() + usize::from(s.constant.is_some());
    let present = s.fields.iter().filter(|f| optional(f)).map(|f| {
        let name = ident(&f.name);
        quote!(usize::from(self.#name.is_some()))
    });
    let extra = s.extra.as_ref().map(|e| {
        let name = ident(&e.name);
        quote!(self.#name.len())
    });
    // `0 + x` is an identity clippy flags in the generated crate: leave the constant out when it
    // is zero and something else is counted.
    let terms: Vec<TokenStream> = (always > 0)
        .then(|| quote!(#always))
        .into_iter()
        .chain(present)
        .chain(extra)
        .collect();
    if terms.is_empty() {
        quote!(0usize)
    } else {
        quote!(#(#terms)+*)
    }
}
