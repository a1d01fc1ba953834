//! What each document requires, and the rules between values (DESIGN §3.3).
//!
//! A field that only one document needs is required only when that document is rendered. Every problem
//! is reported, each located at the field or, for a missing field, at the mapping it belongs in.

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;
use crate::model::*;

/// Checks `unit` for rendering `docs`; returns every error and warning.
pub fn validate(unit: &UnitInput, docs: &[Document]) -> Vec<Diagnostic> {
    let mut check = Check {
        unit,
        docs,
        found: Vec::new(),
    };
    check.common();
    if docs.contains(&Document::Speech) {
        check.speech();
    }
    if docs.contains(&Document::Plan) {
        check.plan();
    }
    if docs.contains(&Document::Report) {
        check.report();
    }
    let needing_deadlines: Vec<Document> = docs
        .iter()
        .copied()
        .filter(|d| *d != Document::Report)
        .collect();
    if !needing_deadlines.is_empty() {
        check.deadlines(&needed_by(&needing_deadlines));
    }
    check.measures();
    check.date_order();
    check.found
}

struct Check<'a> {
    unit: &'a UnitInput,
    docs: &'a [Document],
    found: Vec<Diagnostic>,
}

/// Which documents need a field, in words: “三份文书都要用到” or “整改工作方案要用到”.
fn needed_by(docs: &[Document]) -> String {
    match docs {
        [one] => format!("{one}要用到"),
        _ => {
            let names: Vec<&str> = docs.iter().map(|d| d.file_stem()).collect();
            format!("{}都要用到", names.join("、"))
        }
    }
}

impl Check<'_> {
    fn error(&mut self, path: &str, message: String) {
        let location = self.unit.locations.find(path).cloned();
        let diagnostic = Diagnostic::error(path, message).at(location.as_ref());
        self.found.push(self.with_file(diagnostic));
    }

    fn warning(&mut self, path: &str, message: String) {
        let location = self.unit.locations.find(path).cloned();
        let diagnostic = Diagnostic::warning(path, message).at(location.as_ref());
        self.found.push(self.with_file(diagnostic));
    }

    fn with_file(&self, diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.file.is_none() {
            diagnostic.in_file(&self.unit.source)
        } else {
            diagnostic
        }
    }

    /// Reports a missing field: `path` ends in its English key; `keys` gives the alias.
    fn require(&mut self, present: bool, path: &str, keys: &[Key], why: &str) {
        if present {
            return;
        }
        let key = path.rsplit('.').next().unwrap_or(path);
        let alias = keys
            .iter()
            .find(|(en, _)| *en == key)
            .map_or(String::new(), |(_, zh)| format!("（{zh}）"));
        self.error(path, format!("缺少 {key}{alias}：{why}"));
    }

    fn common(&mut self) {
        let why = needed_by(self.docs);
        let unit = &self.unit.unit;
        let round = &self.unit.round;
        let checks = [
            (
                unit.name.is_some(),
                "unit.name",
                UNIT_KEYS,
                "单位全称，如 中共XX县公安局委员会；",
            ),
            (
                unit.short.is_some(),
                "unit.short",
                UNIT_KEYS,
                "文中简称，如 县公安局党委；",
            ),
            (
                unit.org.is_some(),
                "unit.org",
                UNIT_KEYS,
                "单位名称，如 县公安局，也是输出文件夹名；",
            ),
            (
                round.committee.is_some(),
                "round.committee",
                ROUND_KEYS,
                "派出巡察组的党委，如 中共XX县委；",
            ),
            (
                round.group.is_some(),
                "round.group",
                ROUND_KEYS,
                "巡察组，如 县委第二巡察组；",
            ),
            (
                round.feedback_date.is_some(),
                "round.feedback_date",
                ROUND_KEYS,
                "反馈会日期，如 2026-05-12；",
            ),
            (
                round.office.is_some(),
                "round.office",
                ROUND_KEYS,
                "整改方案和整改报告的报送单位，如 县委巡察办（文中说“报县委巡察办”）；",
            ),
        ];
        for (present, path, keys, what) in checks {
            self.require(present, path, keys, &format!("请写{what}{why}"));
        }
        if let Some(org) = &unit.org {
            let folder = crate::output::safe_dir_name(org);
            if folder != *org {
                self.warning(
                    "unit.org",
                    format!(
                        "单位名称“{org}”含有不能用在文件夹名里的字符（如 / \\ : * ? \" < > |、开头的“.”或 CON、NUL 等设备名），输出文件夹将命名为“{folder}”；如不合适，请改写 org（单位名称）"
                    ),
                );
            }
        }
        if self.unit.findings.is_empty() {
            self.error(
                "findings",
                format!("缺少 findings（反馈问题）：请至少写一类问题，每类写 category（类别）和 problems（问题清单）；{why}"),
            );
        }
        for (c, category) in self.unit.findings.iter().enumerate() {
            let path = format!("findings[{c}]");
            self.require(
                category.category.is_some(),
                &format!("{path}.category"),
                CATEGORY_KEYS,
                "请写这一类问题的类别，如 党的领导",
            );
            if category.problems.is_empty() {
                self.error(
                    &format!("{path}.problems"),
                    "这一类下没有问题；请在 problems（问题清单）下至少写一个问题，或删去这一类"
                        .into(),
                );
            }
            for (p, problem) in category.problems.iter().enumerate() {
                self.require(
                    problem.title.is_some(),
                    &format!("{path}.problems[{p}].title"),
                    PROBLEM_KEYS,
                    "请用一句话写出问题，如 政治理论学习被动应付",
                );
            }
        }
    }

    fn deadlines(&mut self, why: &str) {
        let deadlines = &self.unit.deadlines;
        let checks = [
            (
                deadlines.plan_workdays.is_some(),
                "deadlines.plan_workdays",
                "几个工作日内报送整改方案，如 10",
            ),
            (
                deadlines.meeting_months.is_some(),
                "deadlines.meeting_months",
                "几个月内召开整改专题民主生活会，如 1",
            ),
            (
                deadlines.report_months.is_some(),
                "deadlines.report_months",
                "几个月内报送整改情况报告，如 2",
            ),
        ];
        for (present, path, what) in checks {
            self.require(
                present,
                path,
                DEADLINE_KEYS,
                &format!("请写{what}（可写在轮次清单里）；{why}"),
            );
        }
    }

    fn speech(&mut self) {
        let why = needed_by(&[Document::Speech]);
        let round = &self.unit.round;
        let checks = [
            (
                round.start.is_some(),
                "round.start",
                "进驻日期，如 2026-03-02",
            ),
            (
                round.end.is_some(),
                "round.end",
                "巡察结束日期，如 2026-04-01",
            ),
            (
                round.group_leader.is_some(),
                "round.group_leader",
                "巡察组组长，文中称“XX组长”",
            ),
        ];
        for (present, path, what) in checks {
            self.require(present, path, ROUND_KEYS, &format!("请写{what}；{why}"));
        }
        let unit = &self.unit.unit;
        if unit.representative.is_none() && unit.secretary.is_none() {
            self.error(
                "unit.representative",
                format!("缺少 representative（表态人）或 secretary（主要负责人）：讲话里要说“XX同志代表…作了表态”；{why}"),
            );
        }
        for (c, category) in self.unit.findings.iter().enumerate() {
            self.require(
                category.heading.is_some(),
                &format!("findings[{c}].heading"),
                CATEGORY_KEYS,
                &format!("请写讲话中这一类的小标题，如 要坚持和加强党的全面领导；{why}"),
            );
        }
    }

    fn plan(&mut self) {
        let why = needed_by(&[Document::Plan]);
        let Some(plan) = &self.unit.plan else {
            self.error(
                "plan",
                format!("缺少 plan（整改方案）：请写成文日期 date 和领导小组 leading_group；{why}"),
            );
            return;
        };
        self.require(
            plan.date.is_some(),
            "plan.date",
            PLAN_KEYS,
            &format!("请写方案的成文日期，如 2026-05-22；{why}"),
        );
        match &plan.leading_group {
            Some(group) => self.require(
                group.leader.is_some(),
                "plan.leading_group.leader",
                LEADING_GROUP_KEYS,
                &format!("请写整改工作领导小组组长，如 X（局党委书记、局长）；{why}"),
            ),
            None => self.error(
                "plan.leading_group",
                format!("缺少 leading_group（领导小组）：请写组长 leader、成员 members 等；{why}"),
            ),
        }
        self.letterhead_and_colophon(plan.letterhead.as_ref(), plan.colophon.as_ref(), "plan");
    }

    fn report(&mut self) {
        let why = needed_by(&[Document::Report]);
        match &self.unit.report {
            Some(report) => {
                self.require(
                    report.date.is_some(),
                    "report.date",
                    REPORT_KEYS,
                    &format!("请写报告的成文日期，如 2026-07-10；{why}"),
                );
                self.letterhead_and_colophon(
                    report.letterhead.as_ref(),
                    report.colophon.as_ref(),
                    "report",
                );
            }
            None => self.error(
                "report",
                format!("缺少 report（整改报告）：请至少写成文日期 date；{why}"),
            ),
        }
    }

    fn letterhead_and_colophon(
        &mut self,
        letterhead: Option<&Letterhead>,
        colophon: Option<&Colophon>,
        doc: &str,
    ) {
        if let Some(letterhead) = letterhead {
            self.require(
                letterhead.issuer.is_some(),
                &format!("{doc}.letterhead.issuer"),
                LETTERHEAD_KEYS,
                "版头要写发文机关标志，如 中共XX县公安局委员会文件；不要版头就删去 letterhead",
            );
        }
        if let Some(colophon) = colophon {
            self.require(
                colophon.printed_by.is_some(),
                &format!("{doc}.colophon.printed_by"),
                COLOPHON_KEYS,
                "版记要写印发机关，如 中共XX县公安局委员会办公室；不要版记就删去 colophon",
            );
            self.require(
                colophon.printed_on.is_some(),
                &format!("{doc}.colophon.printed_on"),
                COLOPHON_KEYS,
                "版记要写印发日期，如 2026-05-22",
            );
        }
    }

    /// In the plan and the report every problem needs measures, and every measure what they print of it.
    fn measures(&mut self) {
        let plan = self.docs.contains(&Document::Plan);
        let report = self.docs.contains(&Document::Report);
        let listing: Vec<Document> = self
            .docs
            .iter()
            .copied()
            .filter(|d| *d != Document::Speech)
            .collect();
        if listing.is_empty() {
            return;
        }
        let why_listing = needed_by(&listing);
        let why_plan = needed_by(&[Document::Plan]);
        let why_report = needed_by(&[Document::Report]);
        for (c, category) in self.unit.findings.iter().enumerate() {
            for (p, problem) in category.problems.iter().enumerate() {
                let path = format!("findings[{c}].problems[{p}]");
                if problem.measures.is_empty() {
                    self.error(
                        &format!("{path}.measures"),
                        format!("这个问题还没有整改措施；请在 measures（整改措施）下至少写一条；{why_listing}"),
                    );
                }
                for (m, measure) in problem.measures.iter().enumerate() {
                    let path = format!("{path}.measures[{m}]");
                    let mut fields: Vec<(bool, &str, &str, &str)> = vec![(
                        measure.action.is_some(),
                        "action",
                        "请写这条整改措施的内容",
                        &why_listing,
                    )];
                    if plan {
                        fields.extend([
                            (
                                measure.lead.is_some(),
                                "lead",
                                "请写责任领导，如 X",
                                why_plan.as_str(),
                            ),
                            (
                                measure.department.is_some(),
                                "department",
                                "请写责任部门，如 政治处",
                                &why_plan,
                            ),
                            (
                                measure.owner.is_some(),
                                "owner",
                                "请写责任人，如 张XX",
                                &why_plan,
                            ),
                            (
                                measure.due.is_some(),
                                "due",
                                "请写完成时限，如 2026-06-30，或“长期坚持”",
                                &why_plan,
                            ),
                        ]);
                    }
                    if report {
                        fields.push((
                            measure.status.is_some(),
                            "status",
                            "请写整改状态：未启动、正在推进、已完成 或 长期坚持",
                            &why_report,
                        ));
                    }
                    for (present, key, what, why) in fields {
                        self.require(
                            present,
                            &format!("{path}.{key}"),
                            MEASURE_KEYS,
                            &format!("{what}；{why}"),
                        );
                    }
                }
            }
        }
    }

    fn date_order(&mut self) {
        let round = &self.unit.round;
        let plan_date = self.unit.plan.as_ref().and_then(|p| p.date);
        let report_date = self.unit.report.as_ref().and_then(|r| r.date);
        let sequence: [(Option<Date>, &str, &str); 5] = [
            (round.start, "round.start", "进驻日期"),
            (round.end, "round.end", "巡察结束日期"),
            (round.feedback_date, "round.feedback_date", "反馈会日期"),
            (plan_date, "plan.date", "整改方案成文日期"),
            (report_date, "report.date", "整改报告成文日期"),
        ];
        let present: Vec<_> = sequence
            .iter()
            .filter_map(|(date, path, name)| date.map(|d| (d, *path, *name)))
            .collect();
        for pair in present.windows(2) {
            let [(earlier, _, earlier_name), (later, later_path, later_name)] = pair else {
                continue;
            };
            if later < earlier {
                self.error(
                    later_path,
                    format!(
                        "{later_name}（{}）早于{earlier_name}（{}）；日期应依次为 进驻 ≤ 结束 ≤ 反馈 ≤ 方案 ≤ 报告，请核对",
                        cn(*later),
                        cn(*earlier)
                    ),
                );
            }
        }
        let Some(feedback) = round.feedback_date else {
            return;
        };
        if let Some(report) = &self.unit.report {
            if let (Some(as_of), Some(date)) = (report.as_of, report.date)
                && as_of > date
            {
                self.error(
                    "report.as_of",
                    format!(
                        "统计截止日期（{}）晚于报告成文日期（{}）；请核对",
                        cn(as_of),
                        cn(date)
                    ),
                );
            }
            if let Some(meeting) = report.meeting_date
                && meeting < feedback
            {
                self.error(
                    "report.meeting_date",
                    format!(
                        "民主生活会日期（{}）早于反馈会日期（{}）；请核对",
                        cn(meeting),
                        cn(feedback)
                    ),
                );
            }
        }
        let suspicious: Vec<(String, Date)> = self
            .unit
            .measures()
            .filter_map(|(c, p, m, measure)| match measure.due {
                Some(Due::Date(due)) if due < feedback => Some((
                    format!("findings[{c}].problems[{p}].measures[{m}].due"),
                    due,
                )),
                _ => None,
            })
            .collect();
        for (path, due) in suspicious {
            self.warning(
                &path,
                format!(
                    "完成时限（{}）早于反馈会日期（{}）；请确认是否写错",
                    cn(due),
                    cn(feedback)
                ),
            );
        }
    }
}

fn cn(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{read, yaml};
    use std::path::Path;

    fn unit(text: &str) -> UnitInput {
        let tree = yaml::parse(text).unwrap();
        let mut diagnostics = Vec::new();
        match read::read_file(Path::new("u.yaml"), &tree, &mut diagnostics) {
            read::FileContent::Unit(unit) if diagnostics.is_empty() => *unit,
            _ => panic!("{diagnostics:?}"),
        }
    }

    const MINIMAL: &str = "round:\n  committee: 中共某县委\n  group: 县委第一巡察组\n  feedback_date: 2026-05-12\n  office: 县委巡察办\nunit:\n  name: 中共某局委员会\n  short: 某局党委\n  org: 某局\nfindings:\n  - category: 党的领导\n    problems:\n      - title: 学习不够\n        measures:\n          - action: 制定学习计划\n";

    fn messages(found: &[Diagnostic]) -> Vec<(String, Option<u32>)> {
        found.iter().map(|d| (d.path.clone(), d.line)).collect()
    }

    #[test]
    fn common_fields_suffice_for_nothing_more() {
        let found = validate(&unit(MINIMAL), &[]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_plan_needs_owners_and_dates_at_the_measure() {
        let found = validate(&unit(MINIMAL), &[Document::Plan]);
        let paths: Vec<_> = messages(&found);
        assert!(paths.contains(&("plan".into(), Some(1))), "{paths:?}");
        for key in ["lead", "department", "owner", "due"] {
            let path = format!("findings[0].problems[0].measures[0].{key}");
            assert!(paths.contains(&(path, Some(15))), "{key}: {paths:?}");
        }
        let owner = found.iter().find(|d| d.path.ends_with("owner")).unwrap();
        assert!(
            owner.message.contains("缺少 owner（责任人）"),
            "{}",
            owner.message
        );
        assert!(owner.message.contains("整改工作方案"), "{}", owner.message);
    }

    #[test]
    fn the_report_needs_statuses_not_owners() {
        let text = format!("{MINIMAL}report:\n  date: 2026-07-01\n");
        let found = validate(&unit(&text), &[Document::Report]);
        assert_eq!(
            messages(&found),
            vec![(
                "findings[0].problems[0].measures[0].status".into(),
                Some(15)
            )]
        );
    }

    #[test]
    fn the_speech_needs_headings_and_deadlines() {
        let found = validate(&unit(MINIMAL), &[Document::Speech]);
        let paths: Vec<String> = found.iter().map(|d| d.path.clone()).collect();
        for path in [
            "round.start",
            "round.end",
            "round.group_leader",
            "unit.representative",
            "deadlines.plan_workdays",
            "findings[0].heading",
        ] {
            assert!(paths.iter().any(|p| p == path), "{path}: {paths:?}");
        }
    }

    #[test]
    fn dates_out_of_order_and_early_due_dates() {
        let text = MINIMAL.replace(
            "feedback_date: 2026-05-12",
            "feedback_date: 2026-05-12\n  start: 2026-06-01\n  end: 2026-04-01",
        ) + "            due: 2026-05-01\n";
        let found = validate(&unit(&text), &[]);
        let end = found.iter().find(|d| d.path == "round.end").unwrap();
        assert!(end.message.contains("早于进驻日期"), "{}", end.message);
        assert_eq!(end.line, Some(6));
        let due = found.iter().find(|d| d.path.ends_with(".due")).unwrap();
        assert!(!due.is_error());
        assert!(due.message.contains("早于反馈会日期"));
    }

    #[test]
    fn an_org_unfit_for_a_folder_name_is_a_warning() {
        let text = MINIMAL.replace("org: 某局", "org: \"../某/局\"");
        let found = validate(&unit(&text), &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].is_error());
        assert_eq!(found[0].path, "unit.org");
        assert!(
            found[0].message.contains("“_某_局”"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn empty_lists_are_errors() {
        let text = "round:\n  committee: c\n  group: g\n  feedback_date: 2026-05-12\n  office: o\nunit: {name: n, short: s, org: o}\nfindings:\n  - category: 党的领导\n    problems: []\n";
        let found = validate(&unit(text), &[]);
        assert_eq!(
            messages(&found),
            vec![("findings[0].problems".into(), Some(9))]
        );
    }
}
