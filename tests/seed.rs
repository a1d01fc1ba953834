//! The speech template must reproduce the real feedback-meeting speech (`tests/data/seed-speech.txt`, a
//! copy of `shared/seeds/000_55b4bd1e74d930ef.txt`) from `fixtures/county-police.yaml`.
//!
//! Both texts are normalised before they are compared: Markdown markup is stripped (heading marks and
//! setext underlines, `**`, layout-block markers, backslash escapes and hard breaks), every run of
//! X/x/digits becomes one placeholder (the seed's X are anonymised names and numbers), `．` becomes `.`,
//! and all whitespace goes. Then the texts are compared sentence by sentence, so a failure shows the
//! first sentence that differs. Any other difference fails, except the typo corrections listed in
//! `SEED_CORRECTIONS`.

mod common;

use zhenggai::context;
use zhenggai::model::Document;
use zhenggai::templates::Engine;

/// Corrections made to the seed before comparing, each a typo in the original that a generated
/// document must not repeat: (as in the seed, as the template writes it).
const SEED_CORRECTIONS: &[(&str, &str)] = &[
    // “既要在治标上力气” lacks 下: the parallel clause is “也要在治本上下功夫”.
    ("既要在治标上力气", "既要在治标上下力气"),
];

const PLACEHOLDER: char = '※';

fn strip_markdown(markdown: &str) -> String {
    let mut out = String::new();
    for line in markdown.lines() {
        let line = line.trim();
        let setext_underline =
            !line.is_empty() && (line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-'));
        if line.starts_with(":::") || setext_underline {
            continue;
        }
        // A backslash ending a line is a hard line break.
        let line = line.strip_suffix('\\').unwrap_or(line);
        let line = line.trim_start_matches('#').trim_start().replace("**", "");
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
                continue;
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut in_run = false;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        let c = if c == '．' { '.' } else { c };
        if c == 'X' || c == 'x' || c.is_ascii_digit() {
            if !in_run {
                out.push(PLACEHOLDER);
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if matches!(c, '。' | '：') {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn first_difference(expected: &[String], actual: &[String]) -> Option<String> {
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        if e != a {
            let common = e.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
            let at: String = e.chars().take(common).collect();
            return Some(format!(
                "第{}句不同（前 {common} 个字相同：“{at}”）\n样稿：{e}\n生成：{a}",
                i + 1
            ));
        }
    }
    match expected.len().cmp(&actual.len()) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(format!(
            "生成的讲话少了句子，样稿第{}句起：{}",
            actual.len() + 1,
            expected[actual.len()..].join("")
        )),
        std::cmp::Ordering::Less => Some(format!(
            "生成的讲话多了句子，第{}句起：{}",
            expected.len() + 1,
            actual[expected.len()..].join("")
        )),
    }
}

fn seed() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-speech.txt");
    let mut text = std::fs::read_to_string(path).expect("tests/data/seed-speech.txt");
    for (typo, fixed) in SEED_CORRECTIONS {
        assert!(
            text.contains(typo),
            "seed correction no longer applies: {typo}"
        );
        text = text.replace(typo, fixed);
    }
    text
}

fn rendered_speech() -> String {
    let built = context::build(&common::county_police());
    let engine = Engine::new(None).expect("built-in templates load");
    engine
        .render(Document::Speech, &built.context)
        .expect("speech renders")
}

#[test]
fn speech_reproduces_the_seed() {
    let expected = sentences(&normalise(&seed()));
    let actual = sentences(&normalise(&strip_markdown(&rendered_speech())));
    if let Some(difference) = first_difference(&expected, &actual) {
        panic!("讲话与样稿不一致：{difference}");
    }
}

#[test]
fn the_comparison_notices_changes() {
    let seed = sentences(&normalise(&seed()));
    let speech = rendered_speech();
    for (from, to) in [
        ("同志们：", "同志们!"),
        ("彰显了利剑作用", "彰显利剑作用"),
        ("**1.提高认识", "**2.提高认识"),
    ] {
        assert!(speech.contains(from), "{from}");
        let changed = sentences(&normalise(&strip_markdown(&speech.replacen(from, to, 1))));
        // Changing a digit is a placeholder change and passes; the others must fail.
        let differs = first_difference(&seed, &changed).is_some();
        assert_eq!(differs, from != "**1.提高认识", "{from}");
    }
}

#[test]
fn normalisation_treats_x_and_digits_as_placeholders() {
    assert_eq!(normalise("XX县委 第12组．"), "※县委第※组.");
    assert_eq!(
        strip_markdown("## 一、\\*x\\*\n\n::: 落款\n**粗**"),
        "一、*x*\n\n粗\n"
    );
    assert_eq!(strip_markdown("标题上\\\n标题下\n==="), "标题上\n标题下\n");
}
