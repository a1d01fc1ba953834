//! The input stage: from the paths a user names to validated [`UnitInput`]s.
//!
//! - `discover`: paths, folders and round manifests → the list of unit files (globs, de-duplication);
//! - `decode`: bytes → text (UTF-8 with or without BOM, UTF-16, GBK/GB18030);
//! - `yaml`: text → a located YAML tree (serde-saphyr, bounded);
//! - `read`: tree → model, every problem reported with its line;
//! - `merge` (here): a unit inherits its manifest's `round` and `deadlines`, key by key;
//! - `validate`: what each document requires, and the rules between values.

pub mod decode;
pub mod discover;
pub mod read;
pub mod validate;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

pub use discover::{Discovery, UnitSource, discover};
pub use read::Manifest;
pub use validate::validate;

use crate::diagnostics::{self, Diagnostic};
use crate::model::{Deadlines, Document, Round, UnitInput};

/// Reads and parses one file: the model and every problem found on the way. `None` when the file could
/// not be read or parsed at all (the diagnostics say why).
pub fn read_path(path: &Path) -> (Option<read::FileContent>, Vec<Diagnostic>) {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = match error.kind() {
                std::io::ErrorKind::NotFound => "找不到这个文件；请检查路径和文件名".to_string(),
                std::io::ErrorKind::IsADirectory => "这是一个文件夹，不是 YAML 文件".to_string(),
                _ => format!("无法读取文件：{error}"),
            };
            return (None, vec![Diagnostic::error("", message).in_file(path)]);
        }
    };
    read_bytes(path, &bytes)
}

/// As [`read_path`], for bytes already in memory (tests, fuzzing).
pub fn read_bytes(path: &Path, bytes: &[u8]) -> (Option<read::FileContent>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let decoded = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(error) => {
            let mut diagnostic = Diagnostic::error("", error.message).in_file(path);
            diagnostic.line = error.line;
            diagnostic.column = error.column;
            return (None, vec![diagnostic]);
        }
    };
    if decoded.encoding == decode::Encoding::Gb18030 || decoded.encoding == decode::Encoding::Utf16
    {
        let name = if decoded.encoding == decode::Encoding::Utf16 {
            "UTF-16"
        } else {
            "GBK/GB18030"
        };
        diagnostics.push(
            Diagnostic::warning(
                "",
                format!("文件是 {name} 编码，已按 {name} 读取；建议另存为 UTF-8 编码"),
            )
            .in_file(path),
        );
    }
    let (text, removed) = decode::strip_forbidden(decoded.text);
    report_removed(path, &removed, &mut diagnostics);
    let tree = match yaml::parse(&text) {
        Ok(tree) => tree,
        Err(error) => {
            let mut diagnostic = Diagnostic::error("", error.message).in_file(path);
            diagnostic.line = error.line;
            diagnostic.column = error.column;
            diagnostics.push(diagnostic);
            return (None, diagnostics);
        }
    };
    let content = read::read_file(path, &tree, &mut diagnostics);
    // A file that is not a mapping at all (empty, only comments, a list, one line of text) has nothing
    // in it to validate: its one error says so, without a list of every field as missing.
    if !matches!(tree.value, yaml::Value::Map(_)) {
        return (None, diagnostics);
    }
    (Some(content), diagnostics)
}

/// At most this many lines with removed characters are named one by one; the rest are counted.
const MAX_REMOVED_WARNINGS: usize = 10;

/// One warning per line that lost invisible characters before parsing.
fn report_removed(path: &Path, removed: &[decode::Removed], diagnostics: &mut Vec<Diagnostic>) {
    let mut lines: Vec<(u32, u32, Vec<char>)> = Vec::new();
    for r in removed {
        match lines.last_mut() {
            Some((line, _, chars)) if *line == r.line => chars.push(r.character),
            _ => lines.push((r.line, r.column, vec![r.character])),
        }
    }
    for (line, column, chars) in lines.iter().take(MAX_REMOVED_WARNINGS) {
        let mut names: Vec<String> = chars
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        names.dedup();
        diagnostics.push(
            Diagnostic::warning(
                "",
                format!(
                    "这一行有 {} 个看不见的控制字符（{}，多见于从 Word 或微信粘贴的文字），已删除；请核对这一行的文字",
                    chars.len(),
                    names.join("、")
                ),
            )
            .in_file(path)
            .at_line(*line, *column),
        );
    }
    if lines.len() > MAX_REMOVED_WARNINGS {
        let rest: usize = lines[MAX_REMOVED_WARNINGS..]
            .iter()
            .map(|(_, _, c)| c.len())
            .sum();
        diagnostics.push(
            Diagnostic::warning(
                "",
                format!(
                    "另有 {} 行共 {rest} 个看不见的控制字符已删除；请核对全文，或把文字先粘贴到记事本再复制过来",
                    lines.len() - MAX_REMOVED_WARNINGS
                ),
            )
            .in_file(path),
        );
    }
}

/// Loads one unit: reads its file and merges its manifest. The unit is `None` only when the file could
/// not be parsed at all; a unit with bad values is still returned, so that validation can report what
/// else is wrong in the same run. Validation for particular documents is a separate step ([`validate`]).
pub fn load_unit(source: &UnitSource) -> (Option<UnitInput>, Vec<Diagnostic>) {
    let (content, mut diagnostics) = read_path(&source.file);
    let unit = match content {
        Some(read::FileContent::Unit(unit)) => unit,
        Some(read::FileContent::Manifest(manifest)) => {
            diagnostics.push(
                Diagnostic::error(
                    "units",
                    "这是轮次清单（写了 units），不是单位文件；轮次清单里只能列单位文件，不能再列轮次清单",
                )
                .in_file(&source.file)
                .at(manifest.locations.exact("units")),
            );
            return (None, diagnostics);
        }
        None => return (None, diagnostics),
    };
    let mut unit = *unit;
    if let Some(manifest) = &source.manifest {
        merge(&mut unit, manifest);
    }
    (Some(unit), diagnostics)
}

/// Loads and validates one unit for `docs`: every problem, each reported once (a value that could not
/// be read is not reported again as missing).
pub fn load_and_validate(
    source: &UnitSource,
    docs: &[Document],
) -> (Option<UnitInput>, Vec<Diagnostic>) {
    let (unit, mut found) = load_unit(source);
    if let Some(unit) = &unit {
        let already: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
        // A field already reported (its value could not be read, or its key was misspelt and the
        // reader located the key it stands for at the misspelling) is not reported again as missing.
        let reported = |d: &Diagnostic| {
            already.iter().any(|e| {
                e.path == d.path
                    || unit.locations.exact(&d.path).is_some_and(|at| {
                        e.file.as_ref() == Some(&at.file)
                            && e.line == Some(at.line)
                            && e.column == Some(at.column)
                    })
            })
        };
        let new: Vec<Diagnostic> = validate(unit, docs)
            .into_iter()
            .filter(|d| !reported(d))
            .collect();
        found.extend(new);
    }
    diagnostics::sort(&mut found);
    (unit, found)
}

/// A unit inherits its manifest's `round` and `deadlines` key by key: what the unit sets wins.
pub fn merge(unit: &mut UnitInput, manifest: &Arc<Manifest>) {
    unit.manifest = Some(manifest.file.clone());
    merge_round(&mut unit.round, &manifest.round);
    merge_deadlines(&mut unit.deadlines, &manifest.deadlines);
    unit.locations.inherit(&manifest.locations);
}

fn merge_round(unit: &mut Round, round: &Round) {
    macro_rules! inherit {
        ($($field:ident),*) => { $( if unit.$field.is_none() { unit.$field = round.$field.clone(); } )* };
    }
    inherit!(
        committee,
        name,
        group,
        group_leader,
        office,
        focus,
        start,
        end,
        feedback_date,
        clues
    );
    match (&mut unit.briefing, &round.briefing) {
        (None, Some(shared)) => unit.briefing = Some(shared.clone()),
        (Some(own), Some(shared)) => {
            macro_rules! inherit_briefing {
                ($($field:ident),*) => { $( if own.$field.is_none() { own.$field = shared.$field.clone(); } )* };
            }
            inherit_briefing!(date, body, secretary, instructions);
        }
        _ => {}
    }
}

fn merge_deadlines(unit: &mut Deadlines, shared: &Deadlines) {
    unit.plan_workdays = unit.plan_workdays.or(shared.plan_workdays);
    unit.meeting_months = unit.meeting_months.or(shared.meeting_months);
    unit.report_months = unit.report_months.or(shared.report_months);
    if unit.holidays.is_empty() && unit.workdays.is_empty() {
        unit.holidays = shared.holidays.clone();
        unit.workdays = shared.workdays.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;
    use jiff::civil::Date;
    use std::path::PathBuf;

    #[test]
    fn units_inherit_key_by_key() {
        let mut manifest = Manifest {
            file: PathBuf::from("round.yaml"),
            ..Manifest::default()
        };
        manifest.round.committee = Some("中共青山县委".into());
        manifest.round.feedback_date = Date::new(2026, 6, 10).ok();
        manifest.deadlines.plan_workdays = Some(15);
        manifest.deadlines.report_months = Some(3);
        manifest.locations.insert(
            "deadlines.report_months",
            Location {
                file: PathBuf::from("round.yaml"),
                line: 20,
                column: 18,
            },
        );
        let mut unit = UnitInput::default();
        unit.deadlines.plan_workdays = Some(10);
        unit.round.committee = Some("中共某县委".into());
        merge(&mut unit, &Arc::new(manifest));
        assert_eq!(unit.deadlines.plan_workdays, Some(10));
        assert_eq!(unit.deadlines.report_months, Some(3));
        assert_eq!(unit.round.committee.as_deref(), Some("中共某县委"));
        assert_eq!(unit.round.feedback_date, Date::new(2026, 6, 10).ok());
        assert_eq!(
            unit.locations
                .find("deadlines.report_months")
                .map(|l| l.line),
            Some(20)
        );
    }
}
