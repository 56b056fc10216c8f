//! A [`Report`] as text (one line per change, grouped by level and by what it breaks),
//! Markdown (for a pull-request comment) and JSON.

use super::{Bump, Change, Counts, Effect, Kind, Level, Report, Site};
use std::fmt::Write as _;

/// The groups of a report, in the order they are printed.
const GROUPS: [(Level, Group, &str); 5] = [
    (Level::Wire, Group::Breaking, "Wire, breaking"),
    (Level::Wire, Group::Compatible, "Wire, compatible"),
    (Level::Wire, Group::Docs, "Wire, documentation"),
    (Level::Rust, Group::Breaking, "Rust API, breaking"),
    (Level::Rust, Group::Compatible, "Rust API, compatible"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Breaking,
    Compatible,
    Docs,
}

fn group(change: &Change) -> Group {
    match (change.is_breaking(), change.kind) {
        (true, _) => Group::Breaking,
        (false, Kind::Docs) => Group::Docs,
        (false, _) => Group::Compatible,
    }
}

fn breaks(change: &Change) -> Option<&'static str> {
    match (change.callers, change.decoding) {
        (Effect::Breaking, Effect::Breaking) => Some("breaks callers and decoding"),
        (Effect::Breaking, _) => Some("breaks callers"),
        (_, Effect::Breaking) => Some("breaks decoding"),
        _ => None,
    }
}

fn site(site: Option<&Site>) -> String {
    site.map_or("-".to_owned(), Site::to_string)
}

fn summary(counts: Counts) -> String {
    format!(
        "{} breaking ({} for callers, {} for decoding), {} compatible",
        counts.breaking, counts.breaking_callers, counts.breaking_decoding, counts.compatible
    )
}

fn bump_line(bump: Bump) -> String {
    match bump {
        Bump::Major => "semver: major (for a 0.y.z crate, bump y)".to_owned(),
        other => format!("semver: {}", other.as_str()),
    }
}

impl Report {
    fn groups(&self) -> impl Iterator<Item = (&'static str, Vec<&Change>)> + '_ {
        GROUPS.iter().filter_map(move |&(level, g, title)| {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.level == level && group(c) == g)
                .collect();
            (!changes.is_empty()).then_some((title, changes))
        })
    }

    /// The report for a terminal: a summary, then one line per change, grouped.
    pub fn render_text(&self) -> String {
        let mut text = format!("API changes from {} to {}\n", self.old, self.new);
        if self.changes.is_empty() {
            text.push_str("no changes\nsemver: none\n");
            return text;
        }
        let _ = writeln!(text, "wire: {}", summary(self.counts_at(Level::Wire)));
        let _ = writeln!(text, "Rust API: {}", summary(self.counts_at(Level::Rust)));
        let _ = writeln!(text, "{}", bump_line(self.bump()));
        for (title, changes) in self.groups() {
            let _ = writeln!(text, "\n{title} ({}):", changes.len());
            for change in changes {
                let tag = breaks(change).map_or(String::new(), |b| format!(" [{b}]"));
                let _ = writeln!(
                    text,
                    "  {}: {}{tag}  ({} -> {})",
                    change.subject,
                    change.message,
                    site(change.old.as_ref()),
                    site(change.new.as_ref())
                );
            }
        }
        text
    }

    /// The report as Markdown, for a pull-request comment: a summary table, then a table per
    /// group.
    pub fn render_markdown(&self) -> String {
        let mut text = format!("### API changes: `{}` → `{}`\n\n", self.old, self.new);
        if self.changes.is_empty() {
            text.push_str("No changes. Semver: **none**.\n");
            return text;
        }
        text.push_str("| level | breaking | for callers | for decoding | compatible |\n");
        text.push_str("| --- | ---: | ---: | ---: | ---: |\n");
        for (level, name) in [(Level::Wire, "wire"), (Level::Rust, "Rust API")] {
            let c = self.counts_at(level);
            let _ = writeln!(
                text,
                "| {name} | {} | {} | {} | {} |",
                c.breaking, c.breaking_callers, c.breaking_decoding, c.compatible
            );
        }
        let bump = self.bump();
        let note = if bump == Bump::Major {
            " (for a 0.y.z crate, bump y)"
        } else {
            ""
        };
        let _ = writeln!(text, "\nSemver: **{}**{note}.", bump.as_str());
        for (title, changes) in self.groups() {
            let _ = writeln!(text, "\n#### {title} ({})\n", changes.len());
            text.push_str("| what | change | callers | decoding | old | new |\n");
            text.push_str("| --- | --- | --- | --- | --- | --- |\n");
            for change in changes {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&change.subject),
                    cell(&change.message),
                    effect(change.callers),
                    effect(change.decoding),
                    cell(&site(change.old.as_ref())),
                    cell(&site(change.new.as_ref()))
                );
            }
        }
        text
    }

    /// The report as JSON: names, bump, counts (overall and per level) and every change with
    /// both sites.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "old": self.old,
            "new": self.new,
            "bump": self.bump(),
            "counts": self.counts(),
            "wire": self.counts_at(Level::Wire),
            "rust": self.counts_at(Level::Rust),
            "changes": self.changes,
        })
    }
}

fn effect(effect: Effect) -> &'static str {
    match effect {
        Effect::None => "",
        Effect::Compatible => "compatible",
        Effect::Breaking => "**breaking**",
    }
}

/// Text that stays in its Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
