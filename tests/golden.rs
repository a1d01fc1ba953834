//! Golden Markdown: every document of every example unit, compared with `tests/golden/<unit.org>/<文书>.md`.
//! `UPDATE_GOLDEN=1 cargo test --test golden` writes the files anew (review the diff before committing).

mod common;

use std::path::{Path, PathBuf};

use zhenggai::context;
use zhenggai::model::{Document, UnitInput};
use zhenggai::templates::Engine;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn render_all(engine: &Engine, unit: &UnitInput) -> Vec<(PathBuf, String)> {
    let built = context::build(unit);
    let org = unit.unit.org.clone().expect("fixtures name their unit.org");
    Document::ALL
        .into_iter()
        .map(|doc| {
            let markdown = engine
                .render(doc, &built.context)
                .unwrap_or_else(|e| panic!("{org} {doc}: {e}"));
            let path = golden_dir()
                .join(&org)
                .join(format!("{}.md", doc.file_stem()));
            (path, markdown)
        })
        .collect()
}

/// The first stretch where the texts differ, with two lines of context, as `-expected` / `+actual`.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let head = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let tail = e[head..]
        .iter()
        .rev()
        .zip(a[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let from = head.saturating_sub(2);
    let mut out = format!("第{}行起不同：\n", head + 1);
    for line in &e[from..head] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in e[head..e.len() - tail].iter().take(20) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in a[head..a.len() - tail].iter().take(20) {
        out.push_str(&format!("+ {line}\n"));
    }
    for line in e[e.len() - tail..].iter().take(2) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

#[test]
fn every_document_of_every_example_matches_its_golden_file() {
    let engine = Engine::new(None).expect("built-in templates load");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let units = common::example_units();
    assert_eq!(units.len(), 3, "county-police, education, health");
    let mut failures = Vec::new();
    for unit in &units {
        for (path, markdown) in render_all(&engine, unit) {
            if update {
                std::fs::create_dir_all(path.parent().expect("golden folder")).expect("mkdir");
                std::fs::write(&path, &markdown).expect("write golden file");
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if expected == markdown => {}
                Ok(expected) => failures.push(format!(
                    "{}\n{}",
                    path.display(),
                    diff(&expected, &markdown)
                )),
                Err(e) => failures.push(format!(
                    "{}：{e}（运行 UPDATE_GOLDEN=1 cargo test --test golden 生成）",
                    path.display()
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "与 golden 文件不一致（确认无误后用 UPDATE_GOLDEN=1 更新）：\n\n{}",
        failures.join("\n")
    );
}

#[test]
fn user_markup_in_the_data_is_escaped_in_every_document() {
    let engine = Engine::new(None).expect("built-in templates load");
    let mut unit = common::county_police();
    unit.findings[0].problems[0].title = Some("学习*走过场* <b>严重</b> a|b".to_string());
    unit.findings[0].summary = None;
    let built = context::build(&unit);
    for doc in Document::ALL {
        let markdown = engine.render(doc, &built.context).expect("renders");
        assert!(
            markdown.contains(r"学习\*走过场\* \<b\>严重\</b\> a\|b"),
            "{doc}:\n{markdown}"
        );
        assert!(!markdown.contains("<b>"), "{doc}");
    }
}

#[test]
fn the_documents_are_well_formed_markdown() {
    let engine = Engine::new(None).expect("built-in templates load");
    for unit in common::example_units() {
        let built = context::build(&unit);
        for doc in Document::ALL {
            let markdown = engine.render(doc, &built.context).expect("renders");
            let titles = markdown
                .lines()
                .filter(|l| l.starts_with("# ") || *l == "===")
                .count();
            let attachments = markdown.matches(":::: 附件").count();
            assert_eq!(
                titles,
                1 + attachments,
                "{doc}: one title, one per attachment"
            );
            let mut depth = 0usize;
            for line in markdown.lines().filter(|l| l.starts_with(":::")) {
                if line.trim_start_matches(':').trim().is_empty() {
                    depth = depth
                        .checked_sub(1)
                        .expect("block closed that was not opened");
                } else {
                    depth += 1;
                }
            }
            assert_eq!(depth, 0, "{doc}: every layout block is closed");
            for heading in markdown.lines().filter(|l| l.starts_with("### ")) {
                assert!(!heading.contains("）、"), "{heading}");
            }
            assert!(!markdown.contains("\n\n\n"), "{doc}: blank lines are tidy");
        }
    }
}
