//! The located YAML tree → the input model, reporting every problem of a file in one pass.
//!
//! Owns the mapping from keys (English or Chinese alias, mixed freely) to model fields, the value
//! syntaxes (dates, counts, vocabularies, 长期坚持), unknown-key suggestions and the removal of
//! characters XML forbids. It records where each value was written in [`Locations`]. Whether a value
//! is *required* is not decided here but in `validate`, because that depends on the document.

use std::path::Path;

use jiff::civil::Date;

use super::yaml::{Node, Value};
use crate::diagnostics::Diagnostic;
use crate::model::*;

/// What a file turned out to be.
pub enum FileContent {
    Unit(Box<UnitInput>),
    Manifest(Box<Manifest>),
}

/// A round manifest: what its units inherit, and where to find them.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub file: std::path::PathBuf,
    pub round: Round,
    pub deadlines: Deadlines,
    /// The `units` patterns with the line each was written on.
    pub units: Vec<(String, Location)>,
    pub locations: Locations,
}

/// Reads one file's tree. Problems go to `diagnostics`; the result holds whatever could be read.
pub fn read_file(file: &Path, root: &Node, diagnostics: &mut Vec<Diagnostic>) -> FileContent {
    let mut reader = Reader {
        file,
        diagnostics,
        locations: Locations::default(),
    };
    let outermost = match &root.value {
        Value::Map(_) => None,
        Value::Null => Some(
            "文件里没有内容（是空的，或只有 # 注释）；请按 `zhenggai init` 生成的示例填写"
                .to_string(),
        ),
        _ => Some(format!(
            "文件最外层应是一组“键: 值”（round:、unit:、findings: 等，顶格写），实际写的是{}；请按 `zhenggai init` 生成的示例填写",
            root.kind_name()
        )),
    };
    if let Some(message) = outermost {
        reader.error(root, "", message);
        return FileContent::Unit(Box::new(UnitInput {
            source: file.to_path_buf(),
            ..UnitInput::default()
        }));
    }
    let fields = reader.mapping(root, "", TOP_KEYS);
    if let Some(units) = fields.get("units") {
        for key in ["unit", "speech", "findings", "plan", "report"] {
            if let Some(node) = fields.get(key) {
                reader.error(
                    node,
                    key,
                    format!(
                        "轮次清单（写了 units 的文件）只能写 round、deadlines 和 units；{}（{}）请写到各单位文件里",
                        key,
                        alias_of(TOP_KEYS, key)
                    ),
                );
            }
        }
        let round = fields
            .get("round")
            .map(|n| reader.round(n))
            .unwrap_or_default();
        let deadlines = fields
            .get("deadlines")
            .map(|n| reader.deadlines(n))
            .unwrap_or_default();
        let units = reader.text_list(Some(units), "units");
        let patterns = units
            .into_iter()
            .enumerate()
            .map(|(i, pattern)| {
                let location = reader
                    .locations
                    .find(&format!("units[{i}]"))
                    .cloned()
                    .unwrap_or_else(|| reader.location(root));
                (pattern, location)
            })
            .collect();
        return FileContent::Manifest(Box::new(Manifest {
            file: file.to_path_buf(),
            round,
            deadlines,
            units: patterns,
            locations: reader.locations,
        }));
    }
    let mut unit = UnitInput {
        source: file.to_path_buf(),
        ..UnitInput::default()
    };
    if let Some(node) = fields.get("round") {
        unit.round = reader.round(node);
    }
    if let Some(node) = fields.get("unit") {
        unit.unit = reader.unit(node);
    }
    if let Some(node) = fields.get("deadlines") {
        unit.deadlines = reader.deadlines(node);
    }
    if let Some(node) = fields.get("speech") {
        unit.speech = reader.speech(node);
    }
    if let Some(node) = fields.get("findings") {
        unit.findings = reader.list(node, "findings", Reader::category);
    }
    if let Some(node) = fields.get("plan") {
        unit.plan = Some(reader.plan(node));
    }
    if let Some(node) = fields.get("report") {
        unit.report = Some(reader.report(node));
    }
    unit.locations = reader.locations;
    FileContent::Unit(Box::new(unit))
}

pub fn alias_of(keys: &[Key], english: &str) -> &'static str {
    keys.iter()
        .find(|(name, _)| *name == english)
        .map_or("", |(_, alias)| alias)
}

/// The fields of one mapping, by English key name, and the mapping's own field path.
struct Fields<'n> {
    path: String,
    entries: Vec<(&'static str, &'n Node)>,
}

impl<'n> Fields<'n> {
    fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, node)| *node)
            .filter(|node| node.value != Value::Null)
    }
}

struct Reader<'a> {
    file: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
    locations: Locations,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Reader<'_> {
    fn location(&self, node: &Node) -> Location {
        Location {
            file: self.file.to_path_buf(),
            line: node.line,
            column: node.column,
        }
    }

    fn error(&mut self, node: &Node, path: &str, message: String) {
        let location = self.location(node);
        self.diagnostics
            .push(Diagnostic::error(path, message).at(Some(&location)));
    }

    fn warning(&mut self, node: &Node, path: &str, message: String) {
        let location = self.location(node);
        self.diagnostics
            .push(Diagnostic::warning(path, message).at(Some(&location)));
    }

    /// Reads a mapping, matching each key to its English name; reports unknown keys with the nearest
    /// known one, and a key given twice (once in English, once in Chinese).
    fn mapping<'n>(&mut self, node: &'n Node, path: &str, keys: &[Key]) -> Fields<'n> {
        let mut fields = Fields {
            path: path.to_string(),
            entries: Vec::new(),
        };
        self.locations.insert(path, self.location(node));
        let Value::Map(entries) = &node.value else {
            let expected: Vec<String> = keys
                .iter()
                .take(4)
                .map(|(en, _)| format!("{en}:"))
                .collect();
            self.error(
                node,
                path,
                format!(
                    "这里应是一组“键: 值”（如 {} …），实际写的是{}；请检查缩进",
                    expected.join(" "),
                    node.kind_name()
                ),
            );
            return fields;
        };
        for (key_node, value) in entries {
            let written = match &key_node.value {
                Value::Str(text) => text.trim().to_string(),
                Value::Int(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    self.error(key_node, path, "键名应是一个词（如 title 或 问题）".into());
                    continue;
                }
            };
            let Some(&(english, chinese)) = keys
                .iter()
                .find(|(en, zh)| *en == written || *zh == written)
            else {
                let message = unknown_key_message(&written, keys);
                self.error(key_node, &join(path, &written), message);
                // A misspelt key is the same problem as the key it stands for being missing: locating
                // that key here lets validation see it was already reported (`load_and_validate`).
                if let Some((english, chinese)) = nearest_key(&written, keys) {
                    let spelt_right = entries.iter().any(|(k, _)| {
                        matches!(&k.value, Value::Str(t) if t.trim() == english || t.trim() == chinese)
                    });
                    if !spelt_right {
                        self.locations
                            .insert(join(path, english), self.location(key_node));
                    }
                }
                continue;
            };
            if let Some(_previous) = fields.entries.iter().find(|(name, _)| *name == english) {
                self.error(
                    key_node,
                    &join(path, english),
                    format!(
                        "{english}（{chinese}）写了两次（英文名和中文名算同一个键）；请只保留一处"
                    ),
                );
                continue;
            }
            self.locations
                .insert(join(path, english), self.location(value));
            fields.entries.push((english, value));
        }
        fields
    }

    /// Reads the field `key` of a mapping with `read` (`Self::text`, `Self::date`, …).
    fn field<T>(
        &mut self,
        fields: &Fields,
        key: &str,
        read: fn(&mut Self, Option<&Node>, &str) -> T,
    ) -> T {
        read(self, fields.get(key), &fields.path_of(key))
    }

    /// Any scalar as text, trimmed; characters XML forbids are removed with a warning.
    fn text(&mut self, node: Option<&Node>, path: &str) -> Option<String> {
        let node = node?;
        let raw = match &node.value {
            Value::Null => return None,
            Value::Str(text) => text.clone(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => format_float(*x),
            Value::Bool(b) => (if *b { "是" } else { "否" }).to_string(),
            Value::Seq(_) | Value::Map(_) => {
                self.error(
                    node,
                    path,
                    format!(
                        "这里应是一段文字，实际写的是{}；请检查缩进或去掉多余的“- ”",
                        node.kind_name()
                    ),
                );
                return None;
            }
        };
        // The same invisible characters a raw file loses before parsing (`decode::strip_forbidden`),
        // here written as escapes (`"\v"`, `"\x7f"`), plus what XML forbids.
        let cleaned: String = raw
            .chars()
            .filter(|c| !is_xml_forbidden(*c) && !super::decode::is_yaml_forbidden(*c))
            .collect();
        if cleaned.len() != raw.len() {
            self.warning(
                node,
                path,
                "文字里有看不见的控制字符（多见于从 Word 或微信粘贴的文字），已删除；请核对这段文字".into(),
            );
        }
        let joined = join_folded_lines(cleaned.trim());
        (!joined.is_empty()).then_some(joined)
    }

    /// A list or mapping where one value (a date, a word from a vocabulary) belongs: says what belongs.
    fn not_a_scalar(&mut self, node: Option<&Node>, path: &str, what: &str) -> bool {
        let Some(node) = node else {
            return false;
        };
        if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
            self.error(
                node,
                path,
                format!(
                    "这里应写{what}，实际写的是{}；请检查缩进或去掉多余的“- ”",
                    node.kind_name()
                ),
            );
            return true;
        }
        false
    }

    fn date(&mut self, node: Option<&Node>, path: &str) -> Option<Date> {
        if self.not_a_scalar(node, path, "一个日期（如 2026-05-12）") {
            return None;
        }
        let text = self.text(node, path)?;
        let node = node?;
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                self.error(node, path, message);
                None
            }
        }
    }

    fn count(&mut self, node: Option<&Node>, path: &str) -> Option<u32> {
        let node = node?;
        let parsed = match &node.value {
            Value::Int(n) => u32::try_from(*n).ok(),
            Value::Str(text) => text.trim().parse::<u32>().ok(),
            Value::Float(x) if x.fract() == 0.0 && *x >= 0.0 && *x <= f64::from(u32::MAX) => {
                Some(*x as u32)
            }
            Value::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                node,
                path,
                format!(
                    "这里应是一个不小于 0 的整数（阿拉伯数字，如 10），实际写的是{}",
                    shown(node)
                ),
            );
        }
        parsed
    }

    fn amount(&mut self, node: Option<&Node>, path: &str) -> Option<String> {
        let node = node?;
        match &node.value {
            Value::Int(n) if *n >= 0 => Some(n.to_string()),
            Value::Float(x) if *x >= 0.0 && x.is_finite() => Some(format_float(*x)),
            Value::Str(text)
                if text
                    .trim()
                    .parse::<f64>()
                    .is_ok_and(|x| x >= 0.0 && x.is_finite()) =>
            {
                Some(text.trim().to_string())
            }
            Value::Null => None,
            _ => {
                self.error(
                    node,
                    path,
                    format!(
                        "这里应是金额数字（万元，如 2.3），实际写的是{}",
                        shown(node)
                    ),
                );
                None
            }
        }
    }

    fn flag(&mut self, node: Option<&Node>, path: &str) -> Option<bool> {
        let node = node?;
        let parsed = match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Str(text) => match text.trim() {
                "是" | "公开" | "yes" | "Yes" | "YES" | "true" | "True" => Some(true),
                "否" | "不公开" | "no" | "No" | "NO" | "false" | "False" => Some(false),
                _ => None,
            },
            Value::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                node,
                path,
                format!(
                    "这里应写 是 或 否（true / false），实际写的是{}",
                    shown(node)
                ),
            );
        }
        parsed
    }

    fn word<T>(
        &mut self,
        node: Option<&Node>,
        path: &str,
        words: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        if self.not_a_scalar(node, path, &format!("以下一种：{}", words.join("、"))) {
            return None;
        }
        let text = self.text(node, path)?;
        let node = node?;
        let parsed = parse(&text);
        if parsed.is_none() {
            self.error(
                node,
                path,
                format!(
                    "“{text}”不是可选的写法；请从以下几种中选一个：{}",
                    words.join("、")
                ),
            );
        }
        parsed
    }

    /// A list of texts; a single text is taken as a list of one.
    fn text_list(&mut self, node: Option<&Node>, path: &str) -> Vec<String> {
        let Some(node) = node else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let item_path = format!("{path}[{i}]");
                    self.locations
                        .insert(item_path.clone(), self.location(item));
                    self.text(Some(item), &item_path)
                })
                .collect(),
            _ => self.text(Some(node), path).into_iter().collect(),
        }
    }

    fn date_list(&mut self, node: Option<&Node>, path: &str) -> Vec<Date> {
        let Some(node) = node else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| self.date(Some(item), &format!("{path}[{i}]")))
            .collect()
    }

    fn list<T>(
        &mut self,
        node: &Node,
        path: &str,
        read: fn(&mut Self, &Node, &str) -> T,
    ) -> Vec<T> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| read(self, item, &format!("{path}[{i}]")))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.error(
                    node,
                    path,
                    format!(
                        "这里应是一个列表（每项以“- ”开头），实际写的是{}",
                        node.kind_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    fn round(&mut self, node: &Node) -> Round {
        let p = "round";
        let f = self.mapping(node, p, ROUND_KEYS);
        Round {
            committee: self.field(&f, "committee", Self::text),
            name: self.field(&f, "name", Self::text),
            group: self.field(&f, "group", Self::text),
            group_leader: self.field(&f, "group_leader", Self::text),
            office: self.field(&f, "office", Self::text),
            focus: self.field(&f, "focus", Self::text),
            start: self.field(&f, "start", Self::date),
            end: self.field(&f, "end", Self::date),
            feedback_date: self.field(&f, "feedback_date", Self::date),
            clues: self.field(&f, "clues", Self::clues),
            briefing: f.get("briefing").map(|n| self.briefing(n)),
        }
    }

    fn clues(&mut self, node: Option<&Node>, path: &str) -> Option<Clues> {
        match node.map(|n| &n.value) {
            Some(Value::Int(n)) if *n >= 0 => {
                Some(Clues::Count(u32::try_from(*n).unwrap_or(u32::MAX)))
            }
            _ => self.text(node, path).map(|text| match text.parse::<u32>() {
                Ok(count) => Clues::Count(count),
                Err(_) => Clues::Text(text),
            }),
        }
    }

    fn briefing(&mut self, node: &Node) -> Briefing {
        let p = "round.briefing";
        let f = self.mapping(node, p, BRIEFING_KEYS);
        Briefing {
            date: self.field(&f, "date", Self::date),
            body: self.field(&f, "body", Self::text),
            secretary: self.field(&f, "secretary", Self::text),
            instructions: self.field(&f, "instructions", Self::text),
        }
    }

    fn unit(&mut self, node: &Node) -> Unit {
        let p = "unit";
        let f = self.mapping(node, p, UNIT_KEYS);
        Unit {
            name: self.field(&f, "name", Self::text),
            short: self.field(&f, "short", Self::text),
            org: self.field(&f, "org", Self::text),
            secretary: self.field(&f, "secretary", Self::text),
            representative: self.field(&f, "representative", Self::text),
        }
    }

    fn deadlines(&mut self, node: &Node) -> Deadlines {
        let p = "deadlines";
        let f = self.mapping(node, p, DEADLINE_KEYS);
        Deadlines {
            plan_workdays: self.field(&f, "plan_workdays", Self::count),
            meeting_months: self.field(&f, "meeting_months", Self::count),
            report_months: self.field(&f, "report_months", Self::count),
            holidays: self.field(&f, "holidays", Self::date_list),
            workdays: self.field(&f, "workdays", Self::date_list),
        }
    }

    fn speech(&mut self, node: &Node) -> Speech {
        let p = "speech";
        let f = self.mapping(node, p, SPEECH_KEYS);
        Speech {
            speaker: self.field(&f, "speaker", Self::text),
            title: self.field(&f, "title", Self::text),
            date: self.field(&f, "date", Self::date),
            closing: self.field(&f, "closing", Self::text),
        }
    }

    fn category(&mut self, node: &Node, p: &str) -> Category {
        let f = self.mapping(node, p, CATEGORY_KEYS);
        Category {
            category: self.field(&f, "category", Self::text),
            heading: self.field(&f, "heading", Self::text),
            summary: self.field(&f, "summary", Self::text),
            remarks: self.field(&f, "remarks", Self::text),
            problems: f
                .get("problems")
                .map(|n| self.list(n, &join(p, "problems"), Reader::problem))
                .unwrap_or_default(),
        }
    }

    fn problem(&mut self, node: &Node, p: &str) -> Problem {
        let f = self.mapping(node, p, PROBLEM_KEYS);
        Problem {
            title: self.field(&f, "title", Self::text),
            detail: self.field(&f, "detail", Self::text),
            suggestion: self.field(&f, "suggestion", Self::text),
            public: self
                .flag(f.get("public"), &join(p, "public"))
                .unwrap_or(true),
            status: self.word(
                f.get("status"),
                &join(p, "status"),
                ProblemStatus::WORDS,
                ProblemStatus::parse,
            ),
            measures: f
                .get("measures")
                .map(|n| self.list(n, &join(p, "measures"), Reader::measure))
                .unwrap_or_default(),
        }
    }

    fn measure(&mut self, node: &Node, p: &str) -> Measure {
        let f = self.mapping(node, p, MEASURE_KEYS);
        Measure {
            action: self.field(&f, "action", Self::text),
            kind: self.word(
                f.get("type"),
                &join(p, "type"),
                MeasureType::WORDS,
                MeasureType::parse,
            ),
            lead: self.field(&f, "lead", Self::text),
            department: self.field(&f, "department", Self::text),
            owner: self.field(&f, "owner", Self::text),
            due: self.field(&f, "due", Self::due),
            status: self.word(
                f.get("status"),
                &join(p, "status"),
                MeasureStatus::WORDS,
                MeasureStatus::parse,
            ),
            progress: self.field(&f, "progress", Self::text),
            evidence: self.field(&f, "evidence", Self::text),
        }
    }

    fn due(&mut self, node: Option<&Node>, path: &str) -> Option<Due> {
        if self.not_a_scalar(node, path, "一个日期（如 2026-06-30）或“长期坚持”") {
            return None;
        }
        let text = self.text(node, path)?;
        let node = node?;
        if text == "长期坚持" {
            return Some(Due::Ongoing);
        }
        match parse_date(&text) {
            Ok(date) => Some(Due::Date(date)),
            Err(message) => {
                self.error(node, path, format!("{message}；长期性的措施请写“长期坚持”"));
                None
            }
        }
    }

    fn plan(&mut self, node: &Node) -> Plan {
        let p = "plan";
        let f = self.mapping(node, p, PLAN_KEYS);
        Plan {
            date: self.field(&f, "date", Self::date),
            recipient: self.field(&f, "recipient", Self::text),
            leading_group: f.get("leading_group").map(|n| self.leading_group(n)),
            letterhead: f
                .get("letterhead")
                .map(|n| self.letterhead(n, &join(p, "letterhead"))),
            colophon: f
                .get("colophon")
                .map(|n| self.colophon(n, &join(p, "colophon"))),
        }
    }

    fn leading_group(&mut self, node: &Node) -> LeadingGroup {
        let p = "plan.leading_group";
        let f = self.mapping(node, p, LEADING_GROUP_KEYS);
        LeadingGroup {
            leader: self.field(&f, "leader", Self::text),
            deputies: self.field(&f, "deputies", Self::text_list),
            members: self.field(&f, "members", Self::text_list),
            office: self.field(&f, "office", Self::text),
            office_director: self.field(&f, "office_director", Self::text),
        }
    }

    fn report(&mut self, node: &Node) -> Report {
        let p = "report";
        let f = self.mapping(node, p, REPORT_KEYS);
        Report {
            date: self.field(&f, "date", Self::date),
            as_of: self.field(&f, "as_of", Self::date),
            recipient: self.field(&f, "recipient", Self::text),
            meeting_date: self.field(&f, "meeting_date", Self::date),
            stats: f.get("stats").map(|n| self.stats(n)).unwrap_or_default(),
            next_steps: self.field(&f, "next_steps", Self::text_list),
            letterhead: f
                .get("letterhead")
                .map(|n| self.letterhead(n, &join(p, "letterhead"))),
            colophon: f
                .get("colophon")
                .map(|n| self.colophon(n, &join(p, "colophon"))),
        }
    }

    fn stats(&mut self, node: &Node) -> Stats {
        let p = "report.stats";
        let f = self.mapping(node, p, STATS_KEYS);
        Stats {
            rules: self.field(&f, "rules", Self::count),
            disciplined: self.field(&f, "disciplined", Self::count),
            org_handled: self.field(&f, "org_handled", Self::count),
            admonished: self.field(&f, "admonished", Self::count),
            funds_recovered: self.field(&f, "funds_recovered", Self::amount),
        }
    }

    fn letterhead(&mut self, node: &Node, p: &str) -> Letterhead {
        let f = self.mapping(node, p, LETTERHEAD_KEYS);
        Letterhead {
            issuer: self.field(&f, "issuer", Self::text),
            number: self.field(&f, "number", Self::text),
        }
    }

    fn colophon(&mut self, node: &Node, p: &str) -> Colophon {
        let f = self.mapping(node, p, COLOPHON_KEYS);
        Colophon {
            cc: self.field(&f, "cc", Self::text_list),
            printed_by: self.field(&f, "printed_by", Self::text),
            printed_on: self.field(&f, "printed_on", Self::date),
        }
    }
}

fn shown(node: &Node) -> String {
    match &node.value {
        Value::Str(text) => format!("“{text}”"),
        Value::Int(n) => n.to_string(),
        Value::Float(x) => format_float(*x),
        _ => node.kind_name().to_string(),
    }
}

fn format_float(x: f64) -> String {
    let text = format!("{x}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// YAML folds a long value's lines with a space (`>-`); between two Chinese characters that space is an
/// artefact of the line break, never meant, so it is removed. Other spaces stay.
fn join_folded_lines(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\n' {
            let mut end = i;
            while end < chars.len() && (chars[end] == ' ' || chars[end] == '\n') {
                end += 1;
            }
            let before_wide = i > 0 && is_wide(chars[i - 1]);
            let after_wide = end < chars.len() && is_wide(chars[end]);
            if !(before_wide && after_wide) {
                out.extend(&chars[i..end]);
            }
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Chinese characters and full-width punctuation.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{2018}'..='\u{201D}' | '\u{2014}' | '\u{2026}')
}

/// XML 1.0 forbids these; Word refuses a file that holds one.
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `YYYY-MM-DD`; also `YYYY/M/D`, `YYYY.M.D` and `YYYY年M月D日`, which people type as well.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let shape = "日期请写成 YYYY-MM-DD（如 2026-05-12）";
    let normalised: String = text
        .trim()
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = normalised.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(format!("“{text}”不是日期；{shape}"));
    };
    let (Ok(year), Ok(month), Ok(day)) =
        (year.parse::<i16>(), month.parse::<i8>(), day.parse::<i8>())
    else {
        return Err(format!("“{text}”不是日期；{shape}"));
    };
    if !(1900..=2200).contains(&year) {
        return Err(format!("“{text}”的年份 {year} 不合理；{shape}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("“{text}”的月份 {month} 不存在；{shape}"));
    }
    Date::new(year, month, day).map_err(|_| {
        let days = Date::new(year, month, 1).map_or(31, |first| first.days_in_month());
        format!("日期“{text}”不存在：{year}年{month}月只有{days}天")
    })
}

/// The known key nearest to a misspelt one, if any is near enough.
fn nearest_key(written: &str, keys: &[Key]) -> Option<Key> {
    keys.iter()
        .flat_map(|(en, zh)| [(*en, *en, *zh), (*zh, *en, *zh)])
        .map(|(candidate, en, zh)| (strsim::normalized_levenshtein(written, candidate), en, zh))
        .filter(|(score, _, _)| *score >= 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, en, zh)| (en, zh))
}

fn unknown_key_message(written: &str, keys: &[Key]) -> String {
    let nearest = nearest_key(written, keys);
    let allowed: Vec<String> = keys
        .iter()
        .map(|(en, zh)| format!("{en}（{zh}）"))
        .collect();
    match nearest {
        Some((en, zh)) => format!(
            "不认识的键“{written}”；是不是想写 {en}（{zh}）？这里可以写的键有：{}",
            allowed.join("、")
        ),
        None => format!(
            "不认识的键“{written}”；这里可以写的键有：{}",
            allowed.join("、")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml;

    fn read(text: &str) -> (FileContent, Vec<Diagnostic>) {
        let tree = yaml::parse(text).unwrap();
        let mut diagnostics = Vec::new();
        let content = read_file(Path::new("t.yaml"), &tree, &mut diagnostics);
        (content, diagnostics)
    }

    fn unit(text: &str) -> (UnitInput, Vec<Diagnostic>) {
        match read(text) {
            (FileContent::Unit(unit), diagnostics) => (*unit, diagnostics),
            _ => panic!("not a unit file"),
        }
    }

    #[test]
    fn english_and_chinese_keys_mix() {
        let (unit, diagnostics) =
            unit("单位:\n  name: 中共某委员会\n  简称: 某党委\nround:\n  反馈日期: 2026-05-12\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(unit.unit.name.as_deref(), Some("中共某委员会"));
        assert_eq!(unit.unit.short.as_deref(), Some("某党委"));
        assert_eq!(unit.round.feedback_date, Date::new(2026, 5, 12).ok());
    }

    #[test]
    fn unknown_keys_get_the_nearest_suggestion() {
        let (_, diagnostics) = unit("unit:\n  nmae: x\n  责任部: y\n");
        assert_eq!(diagnostics.len(), 2);
        assert!(
            diagnostics[0].message.contains("name（全称）"),
            "{}",
            diagnostics[0].message
        );
        assert_eq!(diagnostics[0].line, Some(2));
        assert_eq!(diagnostics[0].path, "unit.nmae");
    }

    #[test]
    fn chinese_typo_suggests_the_alias() {
        let (_, diagnostics) = unit(
            "findings:\n  - category: a\n    problems:\n      - title: t\n        measures:\n          - 责任部: 政治处\n",
        );
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.contains("department（责任部门）"),
            "{}",
            diagnostics[0].message
        );
        assert_eq!(
            diagnostics[0].path,
            "findings[0].problems[0].measures[0].责任部"
        );
        assert_eq!(
            (diagnostics[0].line, diagnostics[0].column),
            (Some(6), Some(13))
        );
    }

    #[test]
    fn the_same_key_in_both_languages_is_an_error() {
        let (_, diagnostics) = unit("unit:\n  name: a\n  全称: b\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("两次"));
    }

    #[test]
    fn every_problem_of_a_file_is_reported() {
        let (_, mut diagnostics) = unit(
            "round:\n  start: 2026-02-30\n  end: tomorrow\ndeadlines:\n  plan_workdays: 十\nfindings:\n  - problems:\n      - measures:\n          - type: 马上改\n            status: done\n            due: 2026-13-01\n",
        );
        crate::diagnostics::sort(&mut diagnostics);
        let lines: Vec<_> = diagnostics.iter().map(|d| d.line.unwrap_or(0)).collect();
        assert_eq!(lines, vec![2, 3, 5, 9, 10, 11], "{diagnostics:#?}");
        assert!(diagnostics[0].message.contains("2026年2月只有28天"));
        assert!(
            diagnostics[3]
                .message
                .contains("立行立改、限期整改、长期坚持")
        );
        assert!(
            diagnostics[4]
                .message
                .contains("未启动、正在推进、已完成、长期坚持")
        );
    }

    #[test]
    fn dates_in_the_forms_people_type() {
        let expected = Date::new(2026, 5, 12).unwrap();
        for text in [
            "2026-05-12",
            "2026-5-12",
            "2026/5/12",
            "2026.05.12",
            "2026年5月12日",
        ] {
            assert_eq!(parse_date(text), Ok(expected), "{text}");
        }
        assert!(parse_date("2025-02-29").unwrap_err().contains("28天"));
        assert!(parse_date("5月12日").is_err());
    }

    #[test]
    fn control_characters_are_removed_with_a_warning() {
        let (unit, diagnostics) = unit("unit:\n  name: \"中共\\v某委\\u0001员会\"\n");
        assert_eq!(unit.unit.name.as_deref(), Some("中共某委员会"));
        assert_eq!(diagnostics.len(), 1);
        assert!(!diagnostics[0].is_error());
        assert_eq!(diagnostics[0].path, "unit.name");
    }

    #[test]
    fn manifests_list_units_and_may_not_hold_unit_data() {
        let (content, diagnostics) =
            read("round:\n  name: r\nunits:\n  - units/*.yaml\nfindings: []\n");
        let FileContent::Manifest(manifest) = content else {
            panic!("not a manifest")
        };
        assert_eq!(manifest.units[0].0, "units/*.yaml");
        assert_eq!(manifest.units[0].1.line, 4);
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("轮次清单"));
    }

    #[test]
    fn folded_chinese_lines_join_without_a_space() {
        assert_eq!(join_folded_lines("到哪里， 监督检查"), "到哪里，监督检查");
        assert_eq!(join_folded_lines("学习 Word 文档"), "学习 Word 文档");
        assert_eq!(join_folded_lines("一行\n二行"), "一行二行");
    }

    #[test]
    fn clues_and_amounts() {
        let (unit, _) = unit("round:\n  clues: 3\nreport:\n  stats:\n    funds_recovered: 2.30\n");
        assert_eq!(unit.round.clues, Some(Clues::Count(3)));
        assert_eq!(
            unit.report.unwrap().stats.funds_recovered.as_deref(),
            Some("2.3")
        );
    }
}
