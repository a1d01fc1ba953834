//! The view handed to the templates: one [`DocumentContext`] per unit, built from a [`UnitInput`] by
//! [`build`] (the `derive` stage of the pipeline).
//!
//! OWNER: templates helper. Everything a template needs is computed here, so that the templates stay
//! simple (loops, `if`s and plain output): the due dates (working days over the holiday calendar,
//! calendar months), the problem statuses, the numbering, the statistics sentence of the report, the
//! speech's period, duration, clues and per-category summary, the ledger rows and the unfinished measures.
//!
//! Every value is a plain string, number, bool or list; a missing input field becomes an empty string
//! (or zero, or an empty list), never an error and never a panic. Which fields a document really needs is
//! the validator's business (`input::validate`); this module only has to keep going. Text values are
//! **plain text**: the template engine escapes them for Markdown on output. Dates are already written the
//! Chinese way (`2026年5月12日`).

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar;
use crate::diagnostics::Diagnostic;
use crate::model::{
    Category, Clues, Colophon, Due, Letterhead, Measure, MeasureStatus, Problem, ProblemStatus,
    UnitInput,
};

/// The context and what deriving it found worth telling the user.
#[derive(Debug, Clone)]
pub struct Built {
    pub context: DocumentContext,
    pub warnings: Vec<Diagnostic>,
}

/// The template context (zola-style view struct). Top-level names are what templates see.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentContext {
    pub round: RoundView,
    pub unit: UnitView,
    pub deadlines: DeadlinesView,
    pub speech: SpeechView,
    pub findings: Vec<CategoryView>,
    pub plan: PlanView,
    pub report: ReportView,
    pub totals: Totals,
    /// One row per measure (a problem without measures gets one row of its own), in document order.
    pub ledger: Vec<LedgerRow>,
    /// Measures still 未启动 or 正在推进 (or without a status), in document order.
    pub unfinished: Vec<LedgerRow>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RoundView {
    /// 派出党委 as written (`中共青山县委`).
    pub committee: String,
    /// Without the `中共` prefix, for running text (`青山县委`).
    pub committee_short: String,
    /// The county (`青山县`), from the committee; empty when it cannot be told.
    pub county: String,
    pub name: String,
    /// 巡察组 as written (`县委第二巡察组`).
    pub group: String,
    /// With the committee in front (`青山县委第二巡察组`).
    pub group_full: String,
    /// As the speech title has it (`县委第二组`): “巡察组巡察…” would say 巡察 twice.
    pub group_title: String,
    pub group_leader: String,
    pub office: String,
    pub focus: String,
    pub start: String,
    pub end: String,
    pub feedback_date: String,
    /// `2026年3月至4月`, `2025年11月至2026年1月`, `2026年3月`.
    pub period: String,
    /// Whole months from start to end, at least 1.
    pub duration_months: u32,
    /// `3条` or the words as written (`一批`); empty when not given.
    pub clues: String,
    pub briefing: BriefingView,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BriefingView {
    /// Whether a briefing was given at all.
    pub given: bool,
    pub date: String,
    pub body: String,
    pub secretary: String,
    pub instructions: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitView {
    pub name: String,
    pub short: String,
    pub org: String,
    /// The organisation's full name without the Party-committee wrapper (`XX县公安局`), from `name`.
    pub org_full: String,
    pub secretary: String,
    /// Who speaks for the unit at the meeting: `representative`, else `secretary`.
    pub representative: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DeadlinesView {
    pub plan_workdays: u32,
    pub meeting_months: u32,
    pub report_months: u32,
    /// feedback date + plan_workdays working days; empty when either is missing.
    pub plan_due: String,
    /// feedback date + meeting_months months.
    pub meeting_due: String,
    /// feedback date + report_months months.
    pub report_due: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SpeechView {
    /// `speech.title`, else `在{group_title}巡察{short}情况反馈会上的讲话`.
    pub title: String,
    /// The title as the lines it is set in ([`break_title`]): `在县委第XX组巡察县公安局党委` /
    /// `情况反馈会上的讲话`, as the seed has it.
    pub title_lines: Vec<String>,
    pub speaker: String,
    pub date: String,
    /// The closing wish (`让县委放心、让巡察组认可、让人民群众满意`), default when not given.
    pub closing: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryView {
    /// 1-based.
    pub index: usize,
    /// `一`, `二`, …
    pub cn: String,
    pub category: String,
    /// The speech's run-in heading, without a closing full stop.
    pub heading: String,
    /// `summary`, else `{short}` + the public problems' titles joined with `；` + `等等`.
    pub summary: String,
    /// “从巡察反馈意见看，{summary}” with the punctuation that joins it to the remarks (`。` or `，`).
    pub summary_sentence: String,
    /// `remarks`, else a default paragraph.
    pub remarks: String,
    pub problems: Vec<ProblemView>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProblemView {
    /// 1-based within the category.
    pub index: usize,
    /// `一`, `二`, … within the category.
    pub cn: String,
    /// 1-based over the whole document.
    pub seq: usize,
    pub title: String,
    pub detail: String,
    pub suggestion: String,
    pub public: bool,
    /// Set in the file, else derived (DESIGN §3.4).
    pub status: String,
    pub measures: Vec<MeasureView>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MeasureView {
    /// 1-based within the problem.
    pub index: usize,
    /// 1-based over the whole document.
    pub seq: usize,
    /// Without a closing full stop: templates add the punctuation.
    pub action: String,
    pub kind: String,
    pub lead: String,
    pub department: String,
    pub owner: String,
    /// `2026年6月30日` or `长期坚持`.
    pub due: String,
    /// `2026年6月30日前` or `长期坚持`.
    pub due_text: String,
    pub ongoing: bool,
    pub status: String,
    pub unfinished: bool,
    /// Without a closing full stop.
    pub progress: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LedgerRow {
    /// 1-based row number.
    pub seq: usize,
    pub category: String,
    pub problem: String,
    pub problem_status: String,
    pub action: String,
    pub kind: String,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub progress: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanView {
    pub given: bool,
    pub date: String,
    pub recipient: String,
    pub leading_group: LeadingGroupView,
    pub letterhead: LetterheadView,
    pub colophon: ColophonView,
    /// 《…》 title of the plan, for the report to cite.
    pub title: String,
    /// The title as set in lines ([`break_title`]).
    pub title_lines: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LeadingGroupView {
    pub leader: String,
    pub deputies: Vec<String>,
    pub members: Vec<String>,
    /// Deputies joined for one line (`、`, or `，` when a name carries its post in brackets).
    pub deputies_text: String,
    pub members_text: String,
    pub office: String,
    pub office_director: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LetterheadView {
    pub given: bool,
    pub issuer: String,
    pub number: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ColophonView {
    pub given: bool,
    pub cc: Vec<String>,
    /// `县纪委监委，县委组织部` (GB/T 9704: 抄送机关间用逗号).
    pub cc_text: String,
    pub printed_by: String,
    pub printed_on: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportView {
    pub given: bool,
    /// `{unit.name}关于{round.group}巡察反馈意见整改进展情况的报告`, and as set in lines ([`break_title`]).
    pub title: String,
    pub title_lines: Vec<String>,
    pub date: String,
    /// `as_of`, else `date`.
    pub as_of: String,
    pub recipient: String,
    pub meeting_date: String,
    pub rules: u32,
    pub disciplined: u32,
    pub org_handled: u32,
    pub admonished: u32,
    /// 万元, as written; `0` when not given.
    pub funds_recovered: String,
    /// DESIGN §3.4, ending with `。`.
    pub stats_sentence: String,
    /// Without closing full stops.
    pub next_steps: Vec<String>,
    pub letterhead: LetterheadView,
    pub colophon: ColophonView,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub categories: usize,
    pub problems: usize,
    pub measures: usize,
    pub done: usize,
    pub mostly_done: usize,
    pub in_progress: usize,
    /// `66.7`, `100`, `0`.
    pub rate: String,
    pub immediate: usize,
    pub deadline: usize,
    pub ongoing: usize,
    pub unfinished: usize,
}

/// The default closing wish of the speech.
pub const DEFAULT_CLOSING: &str = "让县委放心、让巡察组认可、让人民群众满意";

/// Derives the template context of one unit.
pub fn build(input: &UnitInput) -> Built {
    let mut warnings = Vec::new();
    let round = &input.round;
    let unit = &input.unit;

    let committee = text(&round.committee);
    let committee_short = committee
        .strip_prefix("中共")
        .unwrap_or(&committee)
        .to_string();
    let county = county_of(&committee_short);
    let group = text(&round.group);
    let short = text(&unit.short);
    let org = text(&unit.org);
    let name = text(&unit.name);

    let briefing = match &round.briefing {
        Some(b) => BriefingView {
            given: true,
            date: opt_date(b.date),
            body: text(&b.body),
            secretary: text(&b.secretary),
            instructions: clause(&text(&b.instructions)),
        },
        None => BriefingView::default(),
    };

    let round_view = RoundView {
        committee: committee.clone(),
        committee_short: committee_short.clone(),
        county,
        name: text(&round.name),
        group_full: group_full(&committee_short, &group),
        group_title: group_title(&group),
        group: group.clone(),
        group_leader: text(&round.group_leader),
        office: text(&round.office),
        focus: text(&round.focus),
        start: opt_date(round.start),
        end: opt_date(round.end),
        feedback_date: opt_date(round.feedback_date),
        period: period_text(round.start, round.end),
        duration_months: duration_months(round.start, round.end),
        clues: match &round.clues {
            Some(Clues::Count(0)) | None => String::new(),
            Some(Clues::Count(n)) => format!("{n}条"),
            Some(Clues::Text(t)) => fold(t),
        },
        briefing,
    };

    let representative = text(&unit.representative);
    let unit_view = UnitView {
        org_full: org_full(&name, &org),
        name: name.clone(),
        short: short.clone(),
        org,
        secretary: text(&unit.secretary),
        representative: if representative.is_empty() {
            text(&unit.secretary)
        } else {
            representative
        },
    };

    let deadlines = derive_deadlines(input, &mut warnings);

    let speech = &input.speech;
    let speech_title = text(&speech.title);
    let speech_closing = clause(&text(&speech.closing));
    let title_lines = if speech_title.is_empty() {
        break_title(&[
            "在",
            &round_view.group_title,
            "巡察",
            &short,
            "情况反馈会上的讲话",
        ])
    } else {
        break_title(&[&speech_title])
    };
    let speech_view = SpeechView {
        title: title_lines.concat(),
        title_lines,
        speaker: text(&speech.speaker),
        date: opt_date(speech.date),
        closing: if speech_closing.is_empty() {
            DEFAULT_CLOSING.to_string()
        } else {
            speech_closing
        },
    };

    let mut totals = Totals {
        categories: input.findings.len(),
        ..Totals::default()
    };
    let mut ledger = Vec::new();
    let mut unfinished = Vec::new();
    let mut findings = Vec::with_capacity(input.findings.len());
    let mut problem_seq = 0;
    let mut measure_seq = 0;
    for (c, category) in input.findings.iter().enumerate() {
        let mut problems = Vec::with_capacity(category.problems.len());
        for (p, problem) in category.problems.iter().enumerate() {
            problem_seq += 1;
            let status = problem_status(problem);
            totals.problems += 1;
            match status {
                ProblemStatus::Done => totals.done += 1,
                ProblemStatus::MostlyDone => totals.mostly_done += 1,
                ProblemStatus::InProgress => totals.in_progress += 1,
            }
            let title = clause(&text(&problem.title));
            let category_name = text(&category.category);
            let mut measures = Vec::with_capacity(problem.measures.len());
            for (m, measure) in problem.measures.iter().enumerate() {
                measure_seq += 1;
                let view = measure_view(m + 1, measure_seq, measure);
                totals.measures += 1;
                match measure.kind.map(|k| k.word()) {
                    Some("立行立改") => totals.immediate += 1,
                    Some("限期整改") => totals.deadline += 1,
                    Some("长期坚持") => totals.ongoing += 1,
                    _ => {}
                }
                let row = LedgerRow {
                    seq: ledger.len() + 1,
                    category: category_name.clone(),
                    problem: title.clone(),
                    problem_status: status.word().to_string(),
                    action: view.action.clone(),
                    kind: view.kind.clone(),
                    lead: view.lead.clone(),
                    department: view.department.clone(),
                    owner: view.owner.clone(),
                    due: view.due.clone(),
                    status: view.status.clone(),
                    progress: view.progress.clone(),
                    evidence: view.evidence.clone(),
                };
                if view.unfinished {
                    unfinished.push(LedgerRow {
                        seq: unfinished.len() + 1,
                        ..row.clone()
                    });
                }
                ledger.push(row);
                measures.push(view);
            }
            if problem.measures.is_empty() {
                ledger.push(LedgerRow {
                    seq: ledger.len() + 1,
                    category: category_name,
                    problem: title.clone(),
                    problem_status: status.word().to_string(),
                    ..LedgerRow::default()
                });
            }
            problems.push(ProblemView {
                index: p + 1,
                cn: cn_number(p as u64 + 1),
                seq: problem_seq,
                title,
                detail: clause(&text(&problem.detail)),
                suggestion: clause(&text(&problem.suggestion)),
                public: problem.public,
                status: status.word().to_string(),
                measures,
            });
        }
        findings.push(category_view(c + 1, category, &short, problems));
    }
    totals.unfinished = unfinished.len();
    totals.rate = rate_text(totals.done, totals.problems);

    let plan_view = plan_view(input, &unit_view, &round_view);
    let mut report_view = report_view(input, &totals);
    report_view.title_lines = break_title(&[
        &unit_view.name,
        "关于",
        &round_view.group,
        "巡察反馈意见",
        "整改进展情况的报告",
    ]);
    report_view.title = report_view.title_lines.concat();

    Built {
        context: DocumentContext {
            round: round_view,
            unit: unit_view,
            deadlines,
            speech: speech_view,
            findings,
            plan: plan_view,
            report: report_view,
            totals,
            ledger,
            unfinished,
        },
        warnings,
    }
}

fn derive_deadlines(input: &UnitInput, warnings: &mut Vec<Diagnostic>) -> DeadlinesView {
    let d = &input.deadlines;
    let feedback = input.round.feedback_date;
    let mut view = DeadlinesView {
        plan_workdays: d.plan_workdays.unwrap_or(0),
        meeting_months: d.meeting_months.unwrap_or(0),
        report_months: d.report_months.unwrap_or(0),
        ..DeadlinesView::default()
    };
    let Some(feedback) = feedback else {
        return view;
    };
    if let Some(days) = d.plan_workdays {
        if days > MAX_WORKDAYS {
            warnings.push(
                Diagnostic::warning(
                    "deadlines.plan_workdays",
                    format!("方案工作日数{days}过大，没有推算报送日期；请写实际要求的工作日数，通常为10或15。"),
                )
                .at(input.locations.find("deadlines.plan_workdays")),
            );
            return months_due(view, feedback, d);
        }
        let supplement = calendar::Supplement {
            off_days: d.holidays.clone(),
            work_days: d.workdays.clone(),
        };
        let counted = calendar::add_working_days_with(feedback, days, &supplement);
        view.plan_due = cn_date(counted.date);
        if !counted.uncovered_years.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    "deadlines.plan_workdays",
                    uncovered_message(days, &counted.uncovered_years, &view.plan_due),
                )
                .at(input.locations.find("deadlines.plan_workdays")),
            );
        }
    }
    months_due(view, feedback, d)
}

/// The warning for a plan deadline counted over years the holiday calendar does not cover.
fn uncovered_message(days: u32, uncovered: &[i16], due: &str) -> String {
    let years = uncovered
        .iter()
        .map(|y| format!("{y}年"))
        .collect::<Vec<_>>()
        .join("、");
    let covered = calendar::covered_years();
    let range = match (covered.first(), covered.last()) {
        (Some(first), Some(last)) => format!("{first}—{last}年"),
        _ => "（无）".to_string(),
    };
    format!(
        "整改方案报送时限（反馈后{days}个工作日）涉及{years}，内置的节假日日历只覆盖{range}，\
         {years}只按周六、周日休息推算（未计法定节假日和调休），算得{due}。\
         请对照国务院办公厅公布的{years}放假安排，在 deadlines（整改时限）下用 holidays（放假日期）列出放假的日期、\
         用 workdays（调休上班日期）列出调休上班的周末（可写在轮次清单里，如 holidays: [2027-01-01]），\
         即按实际安排推算，本警告随之消失。"
    )
}

/// Longer deadlines than these are not counted (they are typos; the calendar need not face them).
const MAX_WORKDAYS: u32 = 2_000;
const MAX_MONTHS: u32 = 120;

fn months_due(
    mut view: DeadlinesView,
    feedback: Date,
    d: &crate::model::Deadlines,
) -> DeadlinesView {
    if let Some(months) = d.meeting_months.filter(|m| *m <= MAX_MONTHS) {
        view.meeting_due = cn_date(calendar::add_months(feedback, months));
    }
    if let Some(months) = d.report_months.filter(|m| *m <= MAX_MONTHS) {
        view.report_due = cn_date(calendar::add_months(feedback, months));
    }
    view
}

fn category_view(
    index: usize,
    category: &Category,
    short: &str,
    problems: Vec<ProblemView>,
) -> CategoryView {
    let given = clause(&text(&category.summary));
    let summary = if given.is_empty() {
        derived_summary(category, short)
    } else {
        given
    };
    let remarks = text(&category.remarks);
    let remarks = if remarks.is_empty() {
        format!(
            "{short}要认真检视反思，对照反馈意见逐条研究、逐项整改，举一反三、标本兼治，切实把问题解决好。"
        )
    } else {
        remarks
    };
    let joiner = if continues_sentence(&remarks) {
        "，"
    } else {
        "。"
    };
    CategoryView {
        index,
        cn: cn_number(index as u64),
        category: text(&category.category),
        heading: clause(&text(&category.heading)),
        summary_sentence: format!("从巡察反馈意见看，{summary}{joiner}"),
        summary,
        remarks,
        problems,
    }
}

/// `{short}` + the public problems' titles joined with `；` + `等等` (one title: `等`).
fn derived_summary(category: &Category, short: &str) -> String {
    let titles: Vec<String> = category
        .problems
        .iter()
        .filter(|p| p.public)
        .map(|p| clause(&text(&p.title)))
        .filter(|t| !t.is_empty())
        .collect();
    match titles.len() {
        0 => {
            let name = text(&category.category);
            if name.is_empty() {
                format!("{short}还存在一些问题")
            } else {
                format!("{short}在{name}方面还存在一些问题")
            }
        }
        1 => format!("{short}{}等", titles[0]),
        _ => format!("{short}{}等等", titles.join("；")),
    }
}

/// Remarks that open without a subject (必须…, 要…) continue the summary's sentence after a comma;
/// remarks with a subject of their own (县公安局党委要…) start a new sentence.
fn continues_sentence(remarks: &str) -> bool {
    const OPENERS: &[&str] = &[
        "必须",
        "要",
        "务必",
        "需要",
        "应当",
        "应该",
        "亟需",
        "亟待",
        "迫切需要",
    ];
    OPENERS.iter().any(|o| remarks.starts_with(o))
}

fn measure_view(index: usize, seq: usize, measure: &Measure) -> MeasureView {
    let (due, due_text, ongoing) = match measure.due {
        Some(Due::Date(d)) => (cn_date(d), format!("{}前", cn_date(d)), false),
        Some(Due::Ongoing) => ("长期坚持".to_string(), "长期坚持".to_string(), true),
        None => (String::new(), String::new(), false),
    };
    MeasureView {
        index,
        seq,
        action: clause(&text(&measure.action)),
        kind: measure
            .kind
            .map(|k| k.word().to_string())
            .unwrap_or_default(),
        lead: text(&measure.lead),
        department: text(&measure.department),
        owner: text(&measure.owner),
        due,
        due_text,
        ongoing,
        status: measure
            .status
            .map(|s| s.word().to_string())
            .unwrap_or_default(),
        unfinished: measure_unfinished(measure),
        progress: clause(&text(&measure.progress)),
        evidence: clause(&text(&measure.evidence)),
    }
}

/// 未启动, 正在推进, or no status at all.
fn measure_unfinished(measure: &Measure) -> bool {
    measure.status.is_none_or(MeasureStatus::is_unfinished)
}

/// DESIGN §3.4: 已完成 when all measures are 已完成; 基本完成 when none is unfinished and some are
/// 长期坚持; otherwise 正在整改. A status written in the file wins. A problem without measures is 正在整改.
pub fn problem_status(problem: &Problem) -> ProblemStatus {
    if let Some(status) = problem.status {
        return status;
    }
    let measures = &problem.measures;
    if measures.is_empty() {
        return ProblemStatus::InProgress;
    }
    if measures
        .iter()
        .all(|m| m.status == Some(MeasureStatus::Done))
    {
        return ProblemStatus::Done;
    }
    let none_unfinished = !measures.iter().any(measure_unfinished);
    let some_ongoing = measures
        .iter()
        .any(|m| m.status == Some(MeasureStatus::Ongoing));
    if none_unfinished && some_ongoing {
        ProblemStatus::MostlyDone
    } else {
        ProblemStatus::InProgress
    }
}

fn plan_view(input: &UnitInput, unit: &UnitView, round: &RoundView) -> PlanView {
    let title_lines = break_title(&[
        &unit.name,
        "关于",
        &round.group,
        "巡察反馈意见的",
        "整改工作方案",
    ]);
    let title = title_lines.concat();
    let Some(plan) = &input.plan else {
        return PlanView {
            title,
            title_lines,
            ..PlanView::default()
        };
    };
    let group = plan.leading_group.clone().unwrap_or_default();
    let deputies: Vec<String> = group.deputies.iter().map(|s| fold(s)).collect();
    let members: Vec<String> = group.members.iter().map(|s| fold(s)).collect();
    PlanView {
        given: true,
        date: opt_date(plan.date),
        recipient: text(&plan.recipient),
        leading_group: LeadingGroupView {
            leader: text(&group.leader),
            deputies_text: join_names(&deputies),
            members_text: join_names(&members),
            deputies,
            members,
            office: text(&group.office),
            office_director: text(&group.office_director),
        },
        letterhead: letterhead_view(&plan.letterhead),
        colophon: colophon_view(&plan.colophon),
        title,
        title_lines,
    }
}

fn report_view(input: &UnitInput, totals: &Totals) -> ReportView {
    let Some(report) = &input.report else {
        let mut view = ReportView {
            funds_recovered: "0".to_string(),
            ..ReportView::default()
        };
        view.stats_sentence = stats_sentence(totals, &view);
        return view;
    };
    let stats = &report.stats;
    let funds = stats
        .funds_recovered
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("0")
        .to_string();
    let date = opt_date(report.date);
    let as_of = match report.as_of {
        Some(d) => cn_date(d),
        None => date.clone(),
    };
    let mut view = ReportView {
        title: String::new(),
        title_lines: Vec::new(),
        given: true,
        date,
        as_of,
        recipient: text(&report.recipient),
        meeting_date: opt_date(report.meeting_date),
        rules: stats.rules.unwrap_or(0),
        disciplined: stats.disciplined.unwrap_or(0),
        org_handled: stats.org_handled.unwrap_or(0),
        admonished: stats.admonished.unwrap_or(0),
        funds_recovered: funds,
        stats_sentence: String::new(),
        next_steps: report
            .next_steps
            .iter()
            .map(|s| clause(&fold(s)))
            .filter(|s| !s.is_empty())
            .collect(),
        letterhead: letterhead_view(&report.letterhead),
        colophon: colophon_view(&report.colophon),
    };
    view.stats_sentence = stats_sentence(totals, &view);
    view
}

/// DESIGN §3.4, zeros printed.
fn stats_sentence(totals: &Totals, report: &ReportView) -> String {
    format!(
        "巡察反馈问题{n}个，已完成整改{a}个、基本完成{b}个、正在整改{c}个，整改完成率{rate}%；\
         制定完善制度{k}项；给予党纪政务处分{p}人、组织处理{q}人、诫勉谈话{r}人；追缴（清退）资金{y}万元。",
        n = totals.problems,
        a = totals.done,
        b = totals.mostly_done,
        c = totals.in_progress,
        rate = rate_text(totals.done, totals.problems),
        k = report.rules,
        p = report.disciplined,
        q = report.org_handled,
        r = report.admonished,
        y = report.funds_recovered,
    )
}

/// `done / total` as a percentage with at most one decimal and no trailing `.0`; `0` when total is 0.
pub fn rate_text(done: usize, total: usize) -> String {
    if total == 0 {
        return "0".to_string();
    }
    let (done, total) = (done as u128, total as u128);
    // Tenths of a percent, rounded half up.
    let tenths = (done * 2000 + total) / (2 * total);
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

fn letterhead_view(letterhead: &Option<Letterhead>) -> LetterheadView {
    match letterhead {
        Some(l) => LetterheadView {
            given: true,
            issuer: text(&l.issuer),
            number: text(&l.number),
        },
        None => LetterheadView::default(),
    }
}

fn colophon_view(colophon: &Option<Colophon>) -> ColophonView {
    match colophon {
        Some(c) => {
            let cc: Vec<String> =
                c.cc.iter()
                    .map(|s| fold(s))
                    .filter(|s| !s.is_empty())
                    .collect();
            ColophonView {
                given: true,
                cc_text: cc.join("，"),
                cc,
                printed_by: text(&c.printed_by),
                printed_on: opt_date(c.printed_on),
            }
        }
        None => ColophonView::default(),
    }
}

/// Names joined with `、`, or with `，` when a name carries its post in brackets (`XX（副局长、政委）`),
/// where `、` would be ambiguous.
fn join_names(names: &[String]) -> String {
    let bracketed = names.iter().any(|n| n.contains('（') || n.contains('('));
    names.join(if bracketed { "，" } else { "、" })
}

/// The period of the inspection: `2026年3月至4月`, `2025年11月至2026年1月`, `2026年3月`.
pub fn period_text(start: Option<Date>, end: Option<Date>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => {
            let (s, e) = if e < s { (e, s) } else { (s, e) };
            if s.year() != e.year() {
                format!(
                    "{}年{}月至{}年{}月",
                    s.year(),
                    s.month(),
                    e.year(),
                    e.month()
                )
            } else if s.month() != e.month() {
                format!("{}年{}月至{}月", s.year(), s.month(), e.month())
            } else {
                format!("{}年{}月", s.year(), s.month())
            }
        }
        (Some(d), None) | (None, Some(d)) => format!("{}年{}月", d.year(), d.month()),
        (None, None) => String::new(),
    }
}

/// Whole months from start to end (days / 30.44, rounded), at least 1.
pub fn duration_months(start: Option<Date>, end: Option<Date>) -> u32 {
    let (Some(start), Some(end)) = (start, end) else {
        return 1;
    };
    let days = start
        .until(end)
        .map(|span| i64::from(span.get_days()).abs())
        .unwrap_or(0);
    // 30.4375 days a month on average: months = round(days * 16 / 487).
    let months = (days * 32 + 487) / (2 * 487);
    u32::try_from(months).unwrap_or(u32::MAX).max(1)
}

/// `2026年5月12日`.
pub fn cn_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn opt_date(date: Option<Date>) -> String {
    date.map(cn_date).unwrap_or_default()
}

/// Chinese numerals as headings use them: 1→一, 10→十, 11→十一, 20→二十, 99→九十九, 100→一百,
/// 105→一百零五. Numbers past 9999 are written in Arabic digits.
pub fn cn_number(n: u64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: u64| DIGITS[(d % 10) as usize];
    match n {
        0..=9 => digit(n).to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { digit(n % 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n.is_multiple_of(10) {
                ""
            } else {
                digit(n % 10)
            }
        ),
        100..=9999 => {
            let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
            let mut out = String::new();
            let mut pending_zero = false;
            for (value, name) in units {
                let d = (n / value) % 10;
                if d == 0 {
                    if !out.is_empty() {
                        pending_zero = true;
                    }
                    continue;
                }
                if pending_zero {
                    out.push('零');
                    pending_zero = false;
                }
                out.push_str(digit(d));
                out.push_str(name);
            }
            out
        }
        _ => n.to_string(),
    }
}

/// The county of a committee: `XX县委` → `XX县`, `青山县委员会` → `青山县`; empty when it cannot be told.
fn county_of(committee_short: &str) -> String {
    let base = committee_short
        .strip_suffix("委员会")
        .or_else(|| committee_short.strip_suffix('委'))
        .unwrap_or("");
    if ["县", "市", "区", "旗"].iter().any(|s| base.ends_with(s)) {
        base.to_string()
    } else {
        String::new()
    }
}

/// `XX县委` + `县委第XX巡察组` → `XX县委第XX巡察组`; `XX县委` + `第二巡察组` → `XX县委第二巡察组`.
fn group_full(committee_short: &str, group: &str) -> String {
    if group.is_empty() || committee_short.is_empty() || group.starts_with(committee_short) {
        return group.to_string();
    }
    // The longest tail of the committee (two characters at least) that the group opens with.
    let chars: Vec<(usize, char)> = committee_short.char_indices().collect();
    for &(at, _) in &chars {
        let tail = &committee_short[at..];
        if tail.chars().count() >= 2 && group.starts_with(tail) {
            return format!("{}{}", &committee_short[..at], group);
        }
    }
    if group.starts_with('第') {
        format!("{committee_short}{group}")
    } else {
        group.to_string()
    }
}

/// A 2号 (22 pt) title line holds 20 Chinese characters in the 156 mm text block; widths are counted
/// in tenths of a Chinese character, Latin letters and the gap a renderer puts between Chinese and Latin
/// text counted generously (LibreOffice set 17 Chinese characters and 4 Latin letters on one line).
const TITLE_LINE_WIDTH: usize = 200;

/// The width of a title piece in tenths of a Chinese character.
fn title_width(piece: &str) -> usize {
    let mut width = 0;
    let mut previous_ascii = None;
    for c in piece.chars() {
        let ascii = c.is_ascii();
        width += if ascii { 6 } else { 10 };
        if previous_ascii.is_some_and(|p| p != ascii) {
            width += 3;
        }
        previous_ascii = Some(ascii);
    }
    width
}

/// Breaks a title into lines for GB/T 9704 §7.3.1: as few lines as fit, breaking only between the
/// given pieces (so that words stay whole: never “…巡察” / “组…”), and among those the break with the
/// narrowest widest line, then the most even lines (the standard asks for a symmetrical trapezoid or
/// diamond), then the longer upper line. Pieces too long for a line are split between characters as a
/// last resort.
pub fn break_title(pieces: &[&str]) -> Vec<String> {
    let pieces: Vec<&str> = pieces.iter().copied().filter(|p| !p.is_empty()).collect();
    let whole = pieces.concat();
    if title_width(&whole) <= TITLE_LINE_WIDTH {
        return vec![whole];
    }
    // Wider than four full lines: no break can fit (a cut removes at most one Latin/Chinese gap), so do
    // not search for one; the search grows with the fourth power of the length, and a pasted paragraph
    // as a name made it run for hours (found by fuzzing).
    if title_width(&whole) > 4 * (TITLE_LINE_WIDTH + 3) {
        return vec![whole];
    }
    let atoms: Vec<String> = if pieces.iter().all(|p| title_width(p) <= TITLE_LINE_WIDTH) {
        pieces.iter().map(|p| p.to_string()).collect()
    } else {
        whole.chars().map(String::from).collect()
    };
    let mut best: Option<(TitleScore, Vec<usize>)> = None;
    for lines in 2..=atoms.len().min(4) {
        let mut breaks = Vec::new();
        choose_breaks(&atoms, lines, 0, &mut breaks, &mut best);
        if best.is_some() {
            break;
        }
    }
    let Some((_, breaks)) = best else {
        return vec![whole];
    };
    let mut out = Vec::new();
    let mut start = 0;
    for end in breaks.into_iter().chain([atoms.len()]) {
        out.push(atoms[start..end].concat());
        start = end;
    }
    out
}

/// Lower is better: the widest line, the spread between widest and narrowest, and the upper line's
/// shortfall.
type TitleScore = (usize, usize, usize);

/// Tries every way of cutting `atoms[from..]` into `lines` more lines; keeps the best that fits.
fn choose_breaks(
    atoms: &[String],
    lines: usize,
    from: usize,
    breaks: &mut Vec<usize>,
    best: &mut Option<(TitleScore, Vec<usize>)>,
) {
    if lines == 1 {
        let bounds: Vec<usize> = [0]
            .into_iter()
            .chain(breaks.iter().copied())
            .chain([atoms.len()])
            .collect();
        let widths: Vec<usize> = bounds
            .windows(2)
            .map(|w| title_width(&atoms[w[0]..w[1]].concat()))
            .collect();
        let widest = widths.iter().copied().max().unwrap_or(0);
        let narrowest = widths.iter().copied().min().unwrap_or(0);
        if widest > TITLE_LINE_WIDTH {
            return;
        }
        let first = widths.first().copied().unwrap_or(0);
        let score = (widest, widest - narrowest, widest - first);
        if best
            .as_ref()
            .is_none_or(|(best_score, _)| score < *best_score)
        {
            *best = Some((score, breaks.clone()));
        }
        return;
    }
    for cut in from + 1..atoms.len() {
        // The line being cut is `atoms[from..cut]`; once it is too wide, longer ones are too.
        if title_width(&atoms[from..cut].concat()) > TITLE_LINE_WIDTH {
            break;
        }
        breaks.push(cut);
        choose_breaks(atoms, lines - 1, cut, breaks, best);
        breaks.pop();
    }
}

/// `县委第XX巡察组` → `县委第XX组`: the title goes on with “巡察…”, which must not follow “巡察组”.
fn group_title(group: &str) -> String {
    match group.strip_suffix("巡察组") {
        Some(head) if !head.is_empty() => format!("{head}组"),
        _ => group.to_string(),
    }
}

/// `中共XX县公安局委员会` → `XX县公安局`; falls back to `org`.
fn org_full(name: &str, org: &str) -> String {
    let inner = name.strip_prefix("中共").unwrap_or(name);
    for suffix in [
        "总支部委员会",
        "支部委员会",
        "党工委",
        "委员会",
        "党组",
        "党委",
    ] {
        if let Some(head) = inner.strip_suffix(suffix)
            && !head.is_empty()
        {
            return head.to_string();
        }
    }
    org.to_string()
}

/// A field as trimmed text; empty when missing.
fn text(value: &Option<String>) -> String {
    value.as_deref().map(fold).unwrap_or_default()
}

/// Joins the lines of text folded in YAML: a run of whitespace between two Chinese characters (or
/// Chinese punctuation) vanishes, any other run becomes one space; the ends are trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev_wide = out.chars().last().is_some_and(|p| !p.is_ascii());
            if !prev_wide || c.is_ascii() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Text with its closing punctuation removed, for templates that add their own.
fn clause(text: &str) -> String {
    // Full-width marks only: a trailing ASCII “;” or “.” may belong to the text (“&amp;”, “No.”).
    text.trim()
        .trim_end_matches(['。', '；', '，', '！', '、', '：'])
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Briefing, Deadlines, Round, Unit};

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).expect("test date")
    }

    fn measure(status: MeasureStatus) -> Measure {
        Measure {
            status: Some(status),
            ..Measure::default()
        }
    }

    fn problem(statuses: &[MeasureStatus]) -> Problem {
        Problem {
            measures: statuses.iter().copied().map(measure).collect(),
            ..Problem::default()
        }
    }

    #[test]
    fn rate_has_at_most_one_decimal_and_no_trailing_zero() {
        assert_eq!(rate_text(2, 3), "66.7");
        assert_eq!(rate_text(3, 3), "100");
        assert_eq!(rate_text(0, 3), "0");
        assert_eq!(rate_text(0, 0), "0");
        assert_eq!(rate_text(1, 2), "50");
        assert_eq!(rate_text(1, 3), "33.3");
        assert_eq!(rate_text(1, 8), "12.5");
        assert_eq!(rate_text(5, 6), "83.3");
    }

    #[test]
    fn problem_status_is_derived_from_measures() {
        use MeasureStatus::*;
        assert_eq!(problem_status(&problem(&[Done, Done])), ProblemStatus::Done);
        assert_eq!(
            problem_status(&problem(&[Done, Ongoing])),
            ProblemStatus::MostlyDone
        );
        assert_eq!(
            problem_status(&problem(&[Ongoing])),
            ProblemStatus::MostlyDone
        );
        assert_eq!(
            problem_status(&problem(&[Done, InProgress])),
            ProblemStatus::InProgress
        );
        assert_eq!(
            problem_status(&problem(&[Ongoing, NotStarted])),
            ProblemStatus::InProgress
        );
        assert_eq!(problem_status(&problem(&[])), ProblemStatus::InProgress);
        let mut without_status = problem(&[Done]);
        without_status.measures.push(Measure::default());
        assert_eq!(problem_status(&without_status), ProblemStatus::InProgress);
        let mut set = problem(&[NotStarted]);
        set.status = Some(ProblemStatus::Done);
        assert_eq!(problem_status(&set), ProblemStatus::Done);
    }

    #[test]
    fn period_text_follows_the_calendar() {
        assert_eq!(
            period_text(Some(date(2026, 3, 2)), Some(date(2026, 4, 1))),
            "2026年3月至4月"
        );
        assert_eq!(
            period_text(Some(date(2025, 11, 3)), Some(date(2026, 1, 9))),
            "2025年11月至2026年1月"
        );
        assert_eq!(
            period_text(Some(date(2026, 3, 2)), Some(date(2026, 3, 30))),
            "2026年3月"
        );
        assert_eq!(period_text(None, None), "");
    }

    #[test]
    fn duration_is_whole_months_at_least_one() {
        assert_eq!(
            duration_months(Some(date(2026, 3, 2)), Some(date(2026, 4, 1))),
            1
        );
        assert_eq!(
            duration_months(Some(date(2026, 3, 2)), Some(date(2026, 4, 30))),
            2
        );
        assert_eq!(
            duration_months(Some(date(2026, 3, 2)), Some(date(2026, 3, 5))),
            1
        );
        assert_eq!(duration_months(None, Some(date(2026, 3, 5))), 1);
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, cn) in cases {
            assert_eq!(cn_number(n), cn, "{n}");
        }
    }

    #[test]
    fn names_around_the_group() {
        assert_eq!(group_full("XX县委", "县委第XX巡察组"), "XX县委第XX巡察组");
        assert_eq!(group_full("青山县委", "第二巡察组"), "青山县委第二巡察组");
        assert_eq!(
            group_full("青山县委", "青山县委第二巡察组"),
            "青山县委第二巡察组"
        );
        assert_eq!(group_title("县委第XX巡察组"), "县委第XX组");
    }

    #[test]
    fn titles_break_between_words_and_evenly() {
        assert_eq!(
            break_title(&[
                "在",
                "县委第XX组",
                "巡察",
                "县公安局党委",
                "情况反馈会上的讲话"
            ]),
            ["在县委第XX组巡察县公安局党委", "情况反馈会上的讲话"]
        );
        assert_eq!(
            break_title(&[
                "中共XX县公安局委员会",
                "关于",
                "县委第XX巡察组",
                "巡察反馈意见的",
                "整改工作方案"
            ]),
            [
                "中共XX县公安局委员会",
                "关于县委第XX巡察组",
                "巡察反馈意见的整改工作方案"
            ]
        );
        assert_eq!(
            break_title(&[
                "中共青山县公安局委员会",
                "关于",
                "县委第二巡察组",
                "巡察反馈意见的",
                "整改工作方案"
            ]),
            [
                "中共青山县公安局委员会关于县委第二巡察组",
                "巡察反馈意见的整改工作方案"
            ]
        );
        assert_eq!(
            break_title(&[
                "中共青山县教育体育局委员会",
                "关于",
                "县委第二巡察组",
                "巡察反馈意见",
                "整改进展情况的报告"
            ]),
            [
                "中共青山县教育体育局委员会关于",
                "县委第二巡察组巡察反馈意见",
                "整改进展情况的报告"
            ]
        );
        assert_eq!(break_title(&["整改工作方案"]), ["整改工作方案"]);
        let long = "很".repeat(45);
        let lines = break_title(&[&long]);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(group_title("巡察组"), "巡察组");
        assert_eq!(county_of("XX县委"), "XX县");
        assert_eq!(county_of("青山县委员会"), "青山县");
        assert_eq!(county_of("某某委"), "");
        assert_eq!(org_full("中共XX县公安局委员会", "县公安局"), "XX县公安局");
        assert_eq!(org_full("", "县公安局"), "县公安局");
    }

    fn sample() -> UnitInput {
        UnitInput {
            round: Round {
                committee: Some("中共青山县委".into()),
                group: Some("县委第二巡察组".into()),
                start: Some(date(2026, 3, 2)),
                end: Some(date(2026, 4, 30)),
                feedback_date: Some(date(2026, 6, 10)),
                clues: Some(Clues::Count(3)),
                briefing: Some(Briefing {
                    secretary: Some("刘书记".into()),
                    ..Briefing::default()
                }),
                ..Round::default()
            },
            unit: Unit {
                short: Some("县教育体育局党委".into()),
                secretary: Some("陈立新".into()),
                ..Unit::default()
            },
            deadlines: Deadlines {
                plan_workdays: Some(15),
                meeting_months: Some(1),
                report_months: Some(3),
                ..Deadlines::default()
            },
            findings: vec![Category {
                category: Some("党的领导".into()),
                problems: vec![
                    Problem {
                        title: Some("学习不够。".into()),
                        ..problem(&[MeasureStatus::Done])
                    },
                    Problem {
                        title: Some("不公开的问题".into()),
                        public: false,
                        ..problem(&[MeasureStatus::InProgress])
                    },
                    Problem {
                        title: Some("纪律松弛".into()),
                        ..problem(&[MeasureStatus::Ongoing, MeasureStatus::Done])
                    },
                ],
                ..Category::default()
            }],
            ..UnitInput::default()
        }
    }

    #[test]
    fn builds_the_speech_values() {
        let built = build(&sample());
        let ctx = &built.context;
        assert_eq!(ctx.round.clues, "3条");
        assert_eq!(ctx.speech.title_lines.len(), 2);
        assert_eq!(ctx.round.period, "2026年3月至4月");
        assert_eq!(ctx.round.duration_months, 2);
        assert_eq!(ctx.round.group_full, "青山县委第二巡察组");
        assert_eq!(ctx.unit.representative, "陈立新");
        assert_eq!(
            ctx.speech.title,
            "在县委第二组巡察县教育体育局党委情况反馈会上的讲话"
        );
        assert_eq!(ctx.speech.closing, DEFAULT_CLOSING);
        let category = &ctx.findings[0];
        assert_eq!(category.summary, "县教育体育局党委学习不够；纪律松弛等等");
        assert!(category.summary_sentence.ends_with("等等。"));
        assert_eq!(category.problems[2].status, "基本完成");
        assert_eq!(ctx.unfinished.len(), 1);
        assert_eq!(ctx.unfinished[0].problem, "不公开的问题");
    }

    #[test]
    fn builds_the_statistics_sentence_with_zeros() {
        let mut input = sample();
        input.report = Some(crate::model::Report::default());
        let ctx = build(&input).context;
        assert_eq!(
            ctx.report.stats_sentence,
            "巡察反馈问题3个，已完成整改1个、基本完成1个、正在整改1个，整改完成率33.3%；制定完善制度0项；\
             给予党纪政务处分0人、组织处理0人、诫勉谈话0人；追缴（清退）资金0万元。"
        );
    }

    #[test]
    fn never_panics_on_an_empty_input() {
        let built = build(&UnitInput::default());
        assert!(built.warnings.is_empty());
        assert_eq!(built.context.totals.rate, "0");
        let mut odd = UnitInput::default();
        odd.findings.push(Category::default());
        odd.findings[0].problems.push(Problem::default());
        odd.round.start = Some(date(2026, 5, 1));
        odd.round.end = Some(date(2026, 3, 1));
        odd.deadlines.plan_workdays = Some(u32::MAX);
        let built = build(&odd);
        assert_eq!(built.context.ledger.len(), 1);
    }

    #[test]
    fn uncovered_years_give_a_warning_that_names_them() {
        let mut input = sample();
        input.round.feedback_date = Some(date(2026, 12, 24));
        input.deadlines.plan_workdays = Some(10);
        let built = build(&input);
        assert_eq!(built.warnings.len(), 1, "{:?}", built.warnings);
        let warning = &built.warnings[0];
        assert!(!warning.is_error());
        assert_eq!(warning.path, "deadlines.plan_workdays");
        assert!(
            warning.message.contains("涉及2027年"),
            "{}",
            warning.message
        );
        assert!(
            warning.message.contains("2020—2026年"),
            "{}",
            warning.message
        );
        assert!(warning.message.contains(&built.context.deadlines.plan_due));
        assert!(built.context.deadlines.plan_due.starts_with("2027年1月"));
    }

    #[test]
    fn deadlines_are_counted_from_the_feedback_date() {
        let built = build(&sample());
        let d = &built.context.deadlines;
        // 2026-06-10 + 15 working days, 端午节 2026-06-19 off: 2026-07-02.
        assert_eq!(d.plan_due, "2026年7月2日");
        assert_eq!(d.meeting_due, "2026年7月10日");
        assert_eq!(d.report_due, "2026年9月10日");
        assert!(built.warnings.is_empty());
    }

    #[test]
    fn folded_lines_join() {
        assert_eq!(fold("到哪里， 监督\n  检查"), "到哪里，监督检查");
        assert_eq!(fold(" word  next\n下一行 "), "word next 下一行");
    }

    #[test]
    fn remarks_without_a_subject_continue_the_sentence() {
        assert!(continues_sentence("必须坚持以党的政治建设为统领"));
        assert!(!continues_sentence("县公安局要落实全面从严治党主体责任"));
    }
}
