//! What changed between two versions of a spec, and what the change means: [`diff`] loads and
//! resolves both specs (the same stages [`generate`](crate::generate) runs) and compares the
//! two IRs at two levels.
//!
//! - **The wire** (`wire/`): operations, parameters, bodies, statuses, content types,
//!   properties, enum values, types and constraints, each classified for the two sides of a
//!   client built from the old spec talking to a server that follows the new one: **callers**
//!   (what the client sends) and **decoding** (what it receives).
//! - **The Rust API** of the generated crate (`rust.rs`): items, fields, variants and methods
//!   added, removed or renamed, and their types, as emit names and types them; a change to a
//!   type sent in requests is a change for callers, to one received for decoding.
//!
//! Every change names where it is in both specs (file, line, column and JSON pointer) and adds
//! up, in [`Report::bump`], to the semver bump of the generated crate. `render.rs` writes the
//! report as text, Markdown or JSON.

mod render;
mod rust;
mod wire;

pub use rust::Policy;

use crate::diagnostics::{Diagnostics, Loc};
use crate::ir::{Api, Operation, TypeDef};
use crate::load::{self, Document};
use crate::Report as Diagnosed;
use serde::Serialize;
use std::path::Path;

/// How to name the two specs in the report, and the rules of the generated Rust API.
#[derive(Clone, Debug)]
pub struct Options {
    /// The old spec's name in locations, e.g. `spec/intercom.yaml@HEAD`.
    pub old_name: String,
    /// The new spec's name in locations.
    pub new_name: String,
    /// Which additions break code written against the generated crate.
    pub policy: Policy,
}

impl Options {
    /// Names the specs after their paths, with today's [`Policy`].
    pub fn for_paths(old: &Path, new: &Path) -> Options {
        Options {
            old_name: old.display().to_string(),
            new_name: new.display().to_string(),
            policy: Policy::default(),
        }
    }
}

/// Compares the spec at `old` with the one at `new`. Either spec failing to load or resolve
/// returns its diagnostics (both specs' problems, when both have some). Never panics on bad
/// input.
pub fn diff(old: &Path, new: &Path, options: &Options) -> Result<Report, Diagnosed> {
    crate::on_own_stack(|| diff_here(old, new, options))
        .unwrap_or_else(|| diff_here(old, new, options))
}

fn diff_here(old: &Path, new: &Path, options: &Options) -> Result<Report, Diagnosed> {
    let mut diags = Diagnostics::default();
    let old_side = side(old, &options.old_name, &mut diags);
    let new_side = side(new, &options.new_name, &mut diags);
    let (Some(old_side), Some(new_side)) = (old_side, new_side) else {
        return Err(diags.into_sorted());
    };
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let pair = Pair {
        old: &old_side,
        new: &new_side,
    };
    let mut changes = wire::compare(&pair);
    changes.extend(rust::compare(&pair, &options.policy));
    Ok(Report {
        old: options.old_name.clone(),
        new: options.new_name.clone(),
        changes,
    })
}

/// One spec, loaded and resolved.
pub(crate) struct Side {
    document: Document,
    api: Api,
}

fn side(path: &Path, name: &str, diags: &mut Diagnostics) -> Option<Side> {
    let document = load::load(path, name, diags)?;
    let api = crate::resolve::resolve(&document, diags);
    Some(Side { document, api })
}

/// The two specs being compared.
pub(crate) struct Pair<'a> {
    pub(crate) old: &'a Side,
    pub(crate) new: &'a Side,
}

impl Side {
    /// Every operation with the accessor of its group (`None`: a method of the client), keyed
    /// by method and path, in spec order.
    pub(crate) fn operations(&self) -> Vec<(Option<&str>, &Operation)> {
        let api = &self.api;
        api.operations
            .iter()
            .map(|op| (None, op))
            .chain(api.groups.iter().flat_map(|g| {
                g.operations
                    .iter()
                    .map(|op| (Some(g.accessor.as_str()), op))
            }))
            .collect()
    }

    pub(crate) fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.api.types.iter().find(|t| t.name == name)
    }

    /// The file a pointer is in (`file#pointer` for another file of a split spec) and the
    /// pointer inside it.
    fn split<'p>(&self, pointer: &'p str) -> (u16, &'p str) {
        match pointer.split_once('#') {
            Some((file, inner)) => (
                self.document
                    .others
                    .iter()
                    .position(|f| f.name == file)
                    .and_then(|i| u16::try_from(i + 1).ok())
                    .unwrap_or(0),
                inner,
            ),
            None => (0, pointer),
        }
    }

    /// The node at a pointer as [`Side::site`] takes it.
    pub(crate) fn node(&self, pointer: &str) -> Option<&load::Node> {
        let (file_id, inner) = self.split(pointer);
        load::lookup(self.document.file_root(file_id), inner)
    }

    /// Where the node at `pointer` (in the spec itself, or `file#pointer` for another file) is;
    /// a pointer that names nothing (a property merged from an `allOf` part, say) is placed at
    /// the nearest node above it that exists.
    pub(crate) fn site(&self, pointer: &str) -> Site {
        let (file_id, inner) = self.split(pointer);
        let root = self.document.file_root(file_id);
        let mut at = inner;
        let loc = loop {
            if let Some(node) = load::lookup(root, at) {
                break node.loc;
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => break Loc::default(),
            }
        };
        Site {
            file: self.document.file_name(file_id).to_owned(),
            line: loc.line,
            column: loc.column,
            pointer: pointer.to_owned(),
        }
    }
}

/// The named types of both specs, matched: by name, then (a type renamed in Rust while its
/// schema stayed where it was) by the place it is defined.
pub(crate) struct Types<'a> {
    /// Types in both specs, old and new.
    pub(crate) pairs: Vec<(&'a TypeDef, &'a TypeDef)>,
    /// Types only in the old spec.
    pub(crate) removed: Vec<&'a TypeDef>,
    /// Types only in the new spec.
    pub(crate) added: Vec<&'a TypeDef>,
}

impl<'a> Types<'a> {
    pub(crate) fn of(pair: &Pair<'a>) -> Types<'a> {
        let (old, new) = (&pair.old.api.types, &pair.new.api.types);
        let mut pairs = Vec::new();
        let mut removed = Vec::new();
        for o in old {
            match new.iter().find(|n| n.name == o.name) {
                Some(n) => pairs.push((o, n)),
                None => removed.push(o),
            }
        }
        let mut added: Vec<&TypeDef> = new
            .iter()
            .filter(|n| !old.iter().any(|o| o.name == n.name))
            .collect();
        removed.retain(|o| {
            let renamed = added.iter().position(|n| n.origin == o.origin);
            if let Some(i) = renamed {
                pairs.push((o, added.remove(i)));
            }
            renamed.is_none()
        });
        Types {
            pairs,
            removed,
            added,
        }
    }

    /// The new name of the old type `name`, when it is still there.
    pub(crate) fn renamed(&self, name: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(o, _)| o.name == name)
            .map(|(_, n)| n.name.as_str())
    }
}

/// The pointer a site names: the origin's own pointer in the spec itself, `file#pointer` in
/// another file of a split spec.
pub(crate) fn origin_pointer(side: &Side, origin: &crate::ir::Origin) -> String {
    if origin.file == side.document.file || origin.pointer.contains('#') {
        origin.pointer.clone()
    } else {
        format!("{}#{}", origin.file, origin.pointer)
    }
}

/// Escapes one segment of a JSON pointer (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Where a change is in one of the two specs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The spec file, as [`Options`] names it (or the file of a split spec).
    pub file: String,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub column: u32,
    /// The JSON pointer of the changed node.
    pub pointer: String,
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Which level a change is seen at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// What goes over HTTP.
    Wire,
    /// The generated crate's Rust API.
    Rust,
}

/// What a change does to one side of a client built from the old spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// This side is not concerned.
    None,
    /// It keeps working (or the change only adds something).
    Compatible,
    /// It may stop working.
    Breaking,
}

/// What kind of change, for the semver bump when nothing breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Something new (an operation, a property, a value), or a rule relaxed.
    Addition,
    /// Something removed or changed.
    Change,
    /// Only text: a description or summary.
    Docs,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Wire or Rust.
    pub level: Level,
    /// Addition, change or documentation.
    pub kind: Kind,
    /// What changed: `POST /messages`, `Message.subject`, `intercom::Message::subject`...
    pub subject: String,
    /// How it changed, in a few words.
    pub message: String,
    /// For what the client sends (or code that builds requests and calls methods).
    pub callers: Effect,
    /// For what the client receives (or code that reads responses).
    pub decoding: Effect,
    /// Where it is in the old spec; `None` for an addition.
    pub old: Option<Site>,
    /// Where it is in the new spec; `None` for a removal.
    pub new: Option<Site>,
}

impl Change {
    /// Whether either side may stop working.
    pub fn is_breaking(&self) -> bool {
        self.callers == Effect::Breaking || self.decoding == Effect::Breaking
    }
}

/// The semver bump a change implies for the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Only descriptions changed.
    Patch,
    /// Only additions and compatible changes.
    Minor,
    /// Something breaks. For a `0.y.z` crate, cargo reads the minor number as the major one:
    /// bump `y`.
    Major,
}

impl Bump {
    /// The name as printed in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Every change between two specs, wire changes first, then Rust ones, each in spec order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The old spec's name.
    pub old: String,
    /// The new spec's name.
    pub new: String,
    /// The changes.
    pub changes: Vec<Change>,
}

/// How many changes of each classification a report holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking for what the client sends.
    pub breaking_callers: usize,
    /// Breaking for what it receives.
    pub breaking_decoding: usize,
    /// Breaking on either side (a change breaking both counts once).
    pub breaking: usize,
    /// Not breaking: additions, compatible changes and documentation.
    pub compatible: usize,
}

impl Report {
    /// Whether any change breaks either side.
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(Change::is_breaking)
    }

    /// The semver bump the whole change implies: major if anything breaks, minor if something
    /// was added or changed compatibly, patch for documentation only, none for no change.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| match (c.is_breaking(), c.kind) {
                (true, _) => Bump::Major,
                (false, Kind::Docs) => Bump::Patch,
                (false, _) => Bump::Minor,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// The counts, over both levels.
    pub fn counts(&self) -> Counts {
        self.counts_of(|_| true)
    }

    /// The counts of one level.
    pub fn counts_at(&self, level: Level) -> Counts {
        self.counts_of(|c| c.level == level)
    }

    fn counts_of(&self, keep: impl Fn(&Change) -> bool) -> Counts {
        let mut counts = Counts::default();
        for change in self.changes.iter().filter(|c| keep(c)) {
            counts.breaking_callers += usize::from(change.callers == Effect::Breaking);
            counts.breaking_decoding += usize::from(change.decoding == Effect::Breaking);
            if change.is_breaking() {
                counts.breaking += 1;
            } else {
                counts.compatible += 1;
            }
        }
        counts
    }
}

/// What a change does to the two sides: `(callers, decoding)`.
pub(crate) type Effects = (Effect, Effect);

/// Only the sides a type travels on are concerned by a change to it (a type no operation uses
/// concerns neither).
pub(crate) fn masked(usage: crate::ir::Usage, (callers, decoding): Effects) -> Effects {
    (
        if usage.request { callers } else { Effect::None },
        if usage.response {
            decoding
        } else {
            Effect::None
        },
    )
}

/// Collects the changes of one level, locating each on both sides.
pub(crate) struct Out<'p, 'a> {
    pub(crate) pair: &'p Pair<'a>,
    level: Level,
    pub(crate) changes: Vec<Change>,
}

impl<'p, 'a> Out<'p, 'a> {
    pub(crate) fn new(pair: &'p Pair<'a>, level: Level) -> Self {
        Out {
            pair,
            level,
            changes: Vec::new(),
        }
    }

    /// Adds a change at `old` and `new` (JSON pointers in each spec; `None` where the thing
    /// is not there).
    pub(crate) fn push(
        &mut self,
        kind: Kind,
        subject: &str,
        message: String,
        (callers, decoding): Effects,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        self.changes.push(Change {
            level: self.level,
            kind,
            subject: subject.to_owned(),
            message,
            callers,
            decoding,
            old: old.map(|p| self.pair.old.site(p)),
            new: new.map(|p| self.pair.new.site(p)),
        });
    }
}

/// Calls `each(old, new)` for every key of `old` and `new` in order: the old ones first (with
/// their match in `new`, if any), then the new ones `old` lacks.
pub(crate) fn by_key<'t, T, K: PartialEq>(
    old: &'t [T],
    new: &'t [T],
    key: impl Fn(&T) -> K,
    mut each: impl FnMut(Option<&'t T>, Option<&'t T>),
) {
    for o in old {
        each(Some(o), new.iter().find(|n| key(n) == key(o)));
    }
    for n in new {
        if !old.iter().any(|o| key(o) == key(n)) {
            each(None, Some(n));
        }
    }
}
