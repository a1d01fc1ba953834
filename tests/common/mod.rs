//! Test helpers: loading the example units and normalising text.
//!
//! Until the real parser (`zhenggai::input`) is on this branch, the fixtures are read here with a small
//! stand-in that understands the English keys the fixtures use and merges a round manifest key by key.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::{Map, Value};
use zhenggai::model::{
    Briefing, Category, Clues, Colophon, Deadlines, Due, LeadingGroup, Letterhead, Measure,
    MeasureStatus, MeasureType, Plan, Problem, ProblemStatus, Report, Round, Speech, Stats, Unit,
    UnitInput,
};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every example unit: county-police and the two units of round-2026.
pub fn example_units() -> Vec<UnitInput> {
    let mut units = vec![load_unit(&fixtures().join("county-police.yaml"), None)];
    let manifest_path = fixtures().join("round-2026/round.yaml");
    let manifest = read_yaml(&manifest_path);
    for name in ["education.yaml", "health.yaml"] {
        let path = fixtures().join("round-2026/units").join(name);
        units.push(load_unit(&path, Some((&manifest_path, &manifest))));
    }
    units
}

pub fn county_police() -> UnitInput {
    load_unit(&fixtures().join("county-police.yaml"), None)
}

fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_unit(path: &Path, manifest: Option<(&Path, &Value)>) -> UnitInput {
    let mut doc = read_yaml(path);
    if let Some((_, manifest)) = manifest {
        for key in ["round", "deadlines"] {
            let mut merged = manifest
                .get(key)
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            if let (Some(target), Some(Value::Object(own))) = (merged.as_object_mut(), doc.get(key))
            {
                for (k, v) in own {
                    target.insert(k.clone(), v.clone());
                }
            }
            doc[key] = merged;
        }
    }
    let null = Value::Null;
    let get = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let r = get(&doc, "round");
    let u = get(&doc, "unit");
    let d = get(&doc, "deadlines");
    let s = get(&doc, "speech");
    UnitInput {
        source: path.to_path_buf(),
        manifest: manifest.map(|(p, _)| p.to_path_buf()),
        round: Round {
            committee: string(&r, "committee"),
            name: string(&r, "name"),
            group: string(&r, "group"),
            group_leader: string(&r, "group_leader"),
            office: string(&r, "office"),
            focus: string(&r, "focus"),
            start: date(&r, "start"),
            end: date(&r, "end"),
            feedback_date: date(&r, "feedback_date"),
            clues: match r.get("clues") {
                Some(Value::Number(n)) => Some(Clues::Count(n.as_u64().unwrap_or(0) as u32)),
                Some(Value::String(t)) => Some(Clues::Text(t.clone())),
                _ => None,
            },
            briefing: r.get("briefing").map(|b| Briefing {
                date: date(b, "date"),
                body: string(b, "body"),
                secretary: string(b, "secretary"),
                instructions: string(b, "instructions"),
            }),
        },
        unit: Unit {
            name: string(&u, "name"),
            short: string(&u, "short"),
            org: string(&u, "org"),
            secretary: string(&u, "secretary"),
            representative: string(&u, "representative"),
        },
        deadlines: Deadlines {
            plan_workdays: number(&d, "plan_workdays"),
            meeting_months: number(&d, "meeting_months"),
            report_months: number(&d, "report_months"),
        },
        speech: Speech {
            speaker: string(&s, "speaker"),
            title: string(&s, "title"),
            date: date(&s, "date"),
            closing: string(&s, "closing"),
        },
        findings: list(&doc, "findings").iter().map(category).collect(),
        plan: doc.get("plan").map(|p| Plan {
            date: date(p, "date"),
            recipient: string(p, "recipient"),
            leading_group: p.get("leading_group").map(|g| LeadingGroup {
                leader: string(g, "leader"),
                deputies: strings(g, "deputies"),
                members: strings(g, "members"),
                office: string(g, "office"),
                office_director: string(g, "office_director"),
            }),
            letterhead: p.get("letterhead").map(letterhead),
            colophon: p.get("colophon").map(colophon),
        }),
        report: doc.get("report").map(|p| Report {
            date: date(p, "date"),
            as_of: date(p, "as_of"),
            recipient: string(p, "recipient"),
            meeting_date: date(p, "meeting_date"),
            stats: {
                let st = p.get("stats").unwrap_or(&null);
                Stats {
                    rules: number(st, "rules"),
                    disciplined: number(st, "disciplined"),
                    org_handled: number(st, "org_handled"),
                    admonished: number(st, "admonished"),
                    funds_recovered: st.get("funds_recovered").map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }),
                }
            },
            next_steps: strings(p, "next_steps"),
            letterhead: p.get("letterhead").map(letterhead),
            colophon: p.get("colophon").map(colophon),
        }),
        locations: Default::default(),
    }
}

fn category(v: &Value) -> Category {
    Category {
        category: string(v, "category"),
        heading: string(v, "heading"),
        summary: string(v, "summary"),
        remarks: string(v, "remarks"),
        problems: list(v, "problems").iter().map(problem).collect(),
    }
}

fn problem(v: &Value) -> Problem {
    Problem {
        title: string(v, "title"),
        detail: string(v, "detail"),
        suggestion: string(v, "suggestion"),
        public: v.get("public").and_then(Value::as_bool).unwrap_or(true),
        status: string(v, "status").and_then(|s| ProblemStatus::parse(&s)),
        measures: list(v, "measures").iter().map(measure).collect(),
    }
}

fn measure(v: &Value) -> Measure {
    Measure {
        action: string(v, "action"),
        kind: string(v, "type").and_then(|s| MeasureType::parse(&s)),
        lead: string(v, "lead"),
        department: string(v, "department"),
        owner: string(v, "owner"),
        due: string(v, "due").map(|s| {
            if s == "长期坚持" {
                Due::Ongoing
            } else {
                Due::Date(s.parse().unwrap_or_else(|e| panic!("due {s}: {e}")))
            }
        }),
        status: string(v, "status").and_then(|s| MeasureStatus::parse(&s)),
        progress: string(v, "progress"),
        evidence: string(v, "evidence"),
    }
}

fn letterhead(v: &Value) -> Letterhead {
    Letterhead {
        issuer: string(v, "issuer"),
        number: string(v, "number"),
    }
}

fn colophon(v: &Value) -> Colophon {
    Colophon {
        cc: strings(v, "cc"),
        printed_by: string(v, "printed_by"),
        printed_on: date(v, "printed_on"),
    }
}

fn string(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    list(v, key)
        .iter()
        .map(|x| {
            x.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string())
        })
        .collect()
}

fn list(v: &Value, key: &str) -> Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn number(v: &Value, key: &str) -> Option<u32> {
    v.get(key).and_then(Value::as_u64).map(|n| n as u32)
}

fn date(v: &Value, key: &str) -> Option<Date> {
    string(v, key).map(|s| s.parse().unwrap_or_else(|e| panic!("date {s}: {e}")))
}
