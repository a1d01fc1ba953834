//! The README's input reference must name every key the parser accepts, with its Chinese alias.

use zhenggai::model::*;

#[test]
fn readme_documents_every_key_and_alias() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let tables: &[(&str, &[Key])] = &[
        ("top", TOP_KEYS),
        ("round", ROUND_KEYS),
        ("briefing", BRIEFING_KEYS),
        ("unit", UNIT_KEYS),
        ("deadlines", DEADLINE_KEYS),
        ("speech", SPEECH_KEYS),
        ("category", CATEGORY_KEYS),
        ("problem", PROBLEM_KEYS),
        ("measure", MEASURE_KEYS),
        ("plan", PLAN_KEYS),
        ("leading_group", LEADING_GROUP_KEYS),
        ("report", REPORT_KEYS),
        ("stats", STATS_KEYS),
        ("letterhead", LETTERHEAD_KEYS),
        ("colophon", COLOPHON_KEYS),
    ];
    let mut missing = Vec::new();
    for (table, keys) in tables {
        for (english, alias) in *keys {
            let in_table = format!("| `{english}` | {alias} |");
            let inline = format!("`{english}` {alias}");
            if !readme.contains(&in_table) && !readme.contains(&inline) {
                missing.push(format!("{table}: {english} / {alias}"));
            }
        }
    }
    assert!(missing.is_empty(), "README lacks: {missing:#?}");
}
