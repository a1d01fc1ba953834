//! The input model: what one inspected unit's YAML says, after the round manifest has been merged in.
//!
//! These types are plain data. They are filled by `input::parse`, which reads the YAML tree by hand so that
//! it can report every problem at once with its location; the key tables below (`*_KEYS`) are the single
//! list of English names and Chinese aliases that the parser accepts, the suggestions use and the README
//! documents. Where a value was written in the file is kept beside the model in [`Locations`], keyed by
//! field path, so that validation can point at the line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

/// One key of the input: its English name and its Chinese alias.
pub type Key = (&'static str, &'static str);

pub const TOP_KEYS: &[Key] = &[
    ("round", "巡察"),
    ("unit", "单位"),
    ("deadlines", "整改时限"),
    ("speech", "讲话"),
    ("findings", "反馈问题"),
    ("plan", "整改方案"),
    ("report", "整改报告"),
    ("units", "单位清单"),
];

pub const ROUND_KEYS: &[Key] = &[
    ("committee", "派出党委"),
    ("name", "轮次"),
    ("group", "巡察组"),
    ("group_leader", "组长"),
    ("office", "巡察办"),
    ("focus", "巡察重点"),
    ("start", "进驻日期"),
    ("end", "结束日期"),
    ("feedback_date", "反馈日期"),
    ("clues", "移交线索"),
    ("briefing", "听取汇报"),
];

pub const BRIEFING_KEYS: &[Key] = &[
    ("date", "日期"),
    ("body", "会议"),
    ("secretary", "书记"),
    ("instructions", "讲话要求"),
];

pub const UNIT_KEYS: &[Key] = &[
    ("name", "全称"),
    ("short", "简称"),
    ("org", "单位名称"),
    ("secretary", "主要负责人"),
    ("representative", "表态人"),
];

pub const DEADLINE_KEYS: &[Key] = &[
    ("plan_workdays", "方案工作日数"),
    ("meeting_months", "民主生活会月数"),
    ("report_months", "报告月数"),
    ("holidays", "放假日期"),
    ("workdays", "调休上班日期"),
];

pub const SPEECH_KEYS: &[Key] = &[
    ("speaker", "讲话人"),
    ("title", "标题"),
    ("date", "日期"),
    ("closing", "结束语"),
];

pub const CATEGORY_KEYS: &[Key] = &[
    ("category", "类别"),
    ("heading", "讲话标题"),
    ("summary", "概述"),
    ("remarks", "讲话要求"),
    ("problems", "问题清单"),
];

pub const PROBLEM_KEYS: &[Key] = &[
    ("title", "问题"),
    ("detail", "具体表现"),
    ("suggestion", "整改建议"),
    ("public", "是否公开"),
    ("status", "整改状态"),
    ("measures", "整改措施"),
];

pub const MEASURE_KEYS: &[Key] = &[
    ("action", "措施"),
    ("type", "整改类型"),
    ("lead", "责任领导"),
    ("department", "责任部门"),
    ("owner", "责任人"),
    ("due", "完成时限"),
    ("status", "整改状态"),
    ("progress", "整改进展"),
    ("evidence", "佐证材料"),
];

pub const PLAN_KEYS: &[Key] = &[
    ("date", "成文日期"),
    ("recipient", "主送机关"),
    ("leading_group", "领导小组"),
    ("letterhead", "版头"),
    ("colophon", "版记"),
];

pub const LEADING_GROUP_KEYS: &[Key] = &[
    ("leader", "组长"),
    ("deputies", "副组长"),
    ("members", "成员"),
    ("office", "办公室"),
    ("office_director", "办公室主任"),
];

pub const REPORT_KEYS: &[Key] = &[
    ("date", "成文日期"),
    ("as_of", "统计截止日期"),
    ("recipient", "主送机关"),
    ("meeting_date", "民主生活会日期"),
    ("stats", "统计"),
    ("next_steps", "下一步打算"),
    ("letterhead", "版头"),
    ("colophon", "版记"),
];

pub const STATS_KEYS: &[Key] = &[
    ("rules", "制度"),
    ("disciplined", "党纪政务处分"),
    ("org_handled", "组织处理"),
    ("admonished", "诫勉谈话"),
    ("funds_recovered", "追缴资金"),
];

pub const LETTERHEAD_KEYS: &[Key] = &[("issuer", "发文机关标志"), ("number", "发文字号")];

pub const COLOPHON_KEYS: &[Key] = &[
    ("cc", "抄送"),
    ("printed_by", "印发机关"),
    ("printed_on", "印发日期"),
];

/// The three documents zhenggai writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Document {
    Plan,
    Speech,
    Report,
}

impl Document {
    pub const ALL: [Document; 3] = [Document::Plan, Document::Speech, Document::Report];

    /// The template id, also the template's file stem (`plan.md`).
    pub fn id(self) -> &'static str {
        match self {
            Document::Plan => "plan",
            Document::Speech => "speech",
            Document::Report => "report",
        }
    }

    /// The output file stem, as the office calls the document.
    pub fn file_stem(self) -> &'static str {
        match self {
            Document::Plan => "整改工作方案",
            Document::Speech => "反馈会讲话",
            Document::Report => "整改进展情况报告",
        }
    }

    pub fn from_id(id: &str) -> Option<Document> {
        Document::ALL
            .into_iter()
            .find(|doc| doc.id() == id || doc.file_stem() == id)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_stem())
    }
}

/// 整改类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeasureType {
    #[serde(rename = "立行立改")]
    Immediate,
    #[serde(rename = "限期整改")]
    Deadline,
    #[serde(rename = "长期坚持")]
    Ongoing,
}

impl MeasureType {
    pub const WORDS: &'static [&'static str] = &["立行立改", "限期整改", "长期坚持"];

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "立行立改" => Some(Self::Immediate),
            "限期整改" => Some(Self::Deadline),
            "长期坚持" => Some(Self::Ongoing),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        Self::WORDS[self as usize]
    }
}

/// 整改状态 of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeasureStatus {
    #[serde(rename = "未启动")]
    NotStarted,
    #[serde(rename = "正在推进")]
    InProgress,
    #[serde(rename = "已完成")]
    Done,
    #[serde(rename = "长期坚持")]
    Ongoing,
}

impl MeasureStatus {
    pub const WORDS: &'static [&'static str] = &["未启动", "正在推进", "已完成", "长期坚持"];

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "未启动" => Some(Self::NotStarted),
            "正在推进" => Some(Self::InProgress),
            "已完成" => Some(Self::Done),
            "长期坚持" => Some(Self::Ongoing),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        Self::WORDS[self as usize]
    }

    /// Unfinished measures are listed again under 下一步打算 in the report.
    pub fn is_unfinished(self) -> bool {
        matches!(self, Self::NotStarted | Self::InProgress)
    }
}

/// 整改状态 of a problem: set in the file, or derived from its measures (DESIGN §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProblemStatus {
    #[serde(rename = "已完成")]
    Done,
    #[serde(rename = "基本完成")]
    MostlyDone,
    #[serde(rename = "正在整改")]
    InProgress,
}

impl ProblemStatus {
    pub const WORDS: &'static [&'static str] = &["已完成", "基本完成", "正在整改"];

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "已完成" => Some(Self::Done),
            "基本完成" => Some(Self::MostlyDone),
            "正在整改" => Some(Self::InProgress),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        Self::WORDS[self as usize]
    }
}

/// 完成时限: a date, or 长期坚持 for measures that never close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Date(Date),
    Ongoing,
}

/// 移交线索: a count (`3` → “3条”) or words (“一批”).
#[derive(Debug, Clone, PartialEq)]
pub enum Clues {
    Count(u32),
    Text(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    pub committee: Option<String>,
    pub name: Option<String>,
    pub group: Option<String>,
    pub group_leader: Option<String>,
    pub office: Option<String>,
    pub focus: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub feedback_date: Option<Date>,
    pub clues: Option<Clues>,
    pub briefing: Option<Briefing>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Briefing {
    pub date: Option<Date>,
    pub body: Option<String>,
    pub secretary: Option<String>,
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    pub name: Option<String>,
    pub short: Option<String>,
    pub org: Option<String>,
    pub secretary: Option<String>,
    pub representative: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deadlines {
    pub plan_workdays: Option<u32>,
    pub meeting_months: Option<u32>,
    pub report_months: Option<u32>,
    /// Statutory holidays the embedded calendar lacks (a year after 2026), written out by the user.
    pub holidays: Vec<Date>,
    /// 调休 working days (weekend days made working days) the embedded calendar lacks.
    pub workdays: Vec<Date>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Speech {
    pub speaker: Option<String>,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub closing: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Category {
    pub category: Option<String>,
    pub heading: Option<String>,
    pub summary: Option<String>,
    pub remarks: Option<String>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub title: Option<String>,
    pub detail: Option<String>,
    pub suggestion: Option<String>,
    pub public: bool,
    pub status: Option<ProblemStatus>,
    pub measures: Vec<Measure>,
}

impl Default for Problem {
    fn default() -> Self {
        Problem {
            title: None,
            detail: None,
            suggestion: None,
            public: true,
            status: None,
            measures: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measure {
    pub action: Option<String>,
    pub kind: Option<MeasureType>,
    pub lead: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub due: Option<Due>,
    pub status: Option<MeasureStatus>,
    pub progress: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub date: Option<Date>,
    pub recipient: Option<String>,
    pub leading_group: Option<LeadingGroup>,
    pub letterhead: Option<Letterhead>,
    pub colophon: Option<Colophon>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadingGroup {
    pub leader: Option<String>,
    pub deputies: Vec<String>,
    pub members: Vec<String>,
    pub office: Option<String>,
    pub office_director: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub date: Option<Date>,
    pub as_of: Option<Date>,
    pub recipient: Option<String>,
    pub meeting_date: Option<Date>,
    pub stats: Stats,
    pub next_steps: Vec<String>,
    pub letterhead: Option<Letterhead>,
    pub colophon: Option<Colophon>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub rules: Option<u32>,
    pub disciplined: Option<u32>,
    pub org_handled: Option<u32>,
    pub admonished: Option<u32>,
    /// 万元; kept as written so that “2.30” is not reprinted as “2.3” against the author's will.
    pub funds_recovered: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Letterhead {
    pub issuer: Option<String>,
    pub number: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Colophon {
    pub cc: Vec<String>,
    pub printed_by: Option<String>,
    pub printed_on: Option<Date>,
}

/// Where a value was written: file, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

/// Field path → where it was written. A missing field is located at its parent mapping.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    by_path: HashMap<String, Location>,
}

impl Locations {
    pub fn insert(&mut self, path: impl Into<String>, location: Location) {
        self.by_path.insert(path.into(), location);
    }

    /// The location of `path`, or of its nearest ancestor that has one (the file's top is `""`).
    pub fn find(&self, path: &str) -> Option<&Location> {
        let mut current = path;
        loop {
            if let Some(found) = self.by_path.get(current) {
                return Some(found);
            }
            if current.is_empty() {
                return None;
            }
            let cut = current.rfind(['.', '[']).unwrap_or(0);
            current = &current[..cut];
        }
    }

    pub fn exact(&self, path: &str) -> Option<&Location> {
        self.by_path.get(path)
    }

    /// Adds the locations of `other` for the paths this one does not have (inherited values).
    pub fn inherit(&mut self, other: &Locations) {
        for (path, location) in &other.by_path {
            self.by_path
                .entry(path.clone())
                .or_insert_with(|| location.clone());
        }
    }
}

/// One unit, ready for validation and rendering: its own file merged with its round manifest.
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    /// The unit file (or the single file that held everything).
    pub source: PathBuf,
    /// The round manifest the unit came from, if any.
    pub manifest: Option<PathBuf>,
    pub round: Round,
    pub unit: Unit,
    pub deadlines: Deadlines,
    pub speech: Speech,
    pub findings: Vec<Category>,
    pub plan: Option<Plan>,
    pub report: Option<Report>,
    pub locations: Locations,
}

impl UnitInput {
    /// What people call the unit in messages: its 单位名称, else its file.
    pub fn display_name(&self) -> String {
        self.unit
            .org
            .clone()
            .or_else(|| self.unit.short.clone())
            .unwrap_or_else(|| display_path(&self.source))
    }

    /// Every measure with its category and problem indices, in document order.
    pub fn measures(&self) -> impl Iterator<Item = (usize, usize, usize, &Measure)> {
        self.findings.iter().enumerate().flat_map(|(c, category)| {
            category
                .problems
                .iter()
                .enumerate()
                .flat_map(move |(p, problem)| {
                    problem
                        .measures
                        .iter()
                        .enumerate()
                        .map(move |(m, measure)| (c, p, m, measure))
                })
        })
    }
}

pub fn display_path(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_fall_back_to_the_parent() {
        let mut locations = Locations::default();
        let here = Location {
            file: PathBuf::from("a.yaml"),
            line: 7,
            column: 9,
        };
        locations.insert("findings[0].problems[1]", here.clone());
        assert_eq!(
            locations.find("findings[0].problems[1].measures[2].owner"),
            Some(&here)
        );
        assert_eq!(locations.find("plan.date"), None);
    }

    #[test]
    fn documents_have_ids_and_file_names() {
        assert_eq!(Document::from_id("speech"), Some(Document::Speech));
        assert_eq!(Document::from_id("整改工作方案"), Some(Document::Plan));
        assert_eq!(Document::Report.file_stem(), "整改进展情况报告");
    }

    #[test]
    fn vocabulary_words_round_trip() {
        for word in MeasureStatus::WORDS {
            assert_eq!(MeasureStatus::parse(word).map(|s| s.word()), Some(*word));
        }
        for word in MeasureType::WORDS {
            assert_eq!(MeasureType::parse(word).map(|s| s.word()), Some(*word));
        }
        for word in ProblemStatus::WORDS {
            assert_eq!(ProblemStatus::parse(word).map(|s| s.word()), Some(*word));
        }
    }
}
