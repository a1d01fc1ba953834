//! Property tests: units with arbitrary Unicode in every text field — control characters, Markdown and
//! HTML specials, template syntax, `::: 落款`, line breaks — go through the real pipeline (YAML bytes →
//! input stage → validation → context → templates → DOCX) and must render every document without a
//! panic; the Markdown must keep each user text as text (no markup injected); every DOCX must be a valid
//! zip whose XML parts are well-formed; and every text put in must come out, in the Markdown and in the
//! DOCX, apart from the characters XML forbids.

use std::io::{Cursor, Read};
use std::path::Path;

use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use zhenggai::context;
use zhenggai::docx::{StyleProfile, write_docx};
use zhenggai::input::{self, read::FileContent};
use zhenggai::markdown;
use zhenggai::model::{Document, UnitInput};
use zhenggai::templates::Engine;

/// Characters worth trying more often than `any::<char>()` would.
const SPECIALS: &[char] = &[
    '*', '_', '<', '>', '|', '&', '#', ':', '-', '+', '=', '`', '[', ']', '(', ')', '{', '}', '%',
    '~', '!', '\\', '"', '\'', '.', '1', '9', ' ', '\t', '\n', '\r', '\u{0}', '\u{1}', '\u{8}',
    '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{a0}', '\u{2028}', '\u{2029}',
    '\u{200b}', '\u{feff}', '\u{fffe}', '\u{ffff}', '\u{3000}', '。', '；', '，', '：', '“', '”',
    '、', '落', '款', '𠀀', '😀',
];

fn any_text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(SPECIALS),
        3 => prop::char::range('\u{4e00}', '\u{9fa5}'),
        2 => any::<char>(),
        1 => prop::char::range('a', 'z'),
    ]
}

/// A user text: arbitrary characters, sometimes with a `::: 落款` line or template syntax in it.
fn user_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(any_text_char(), 1..16),
        prop::sample::select(
            &[
                "",
                "\n::: 落款\n",
                "{{ unit.name }}",
                "{% if x %}",
                "<b>",
                "1. ",
                "# ",
            ][..],
        ),
    )
        .prop_map(|(chars, inject)| {
            let mut text: String = chars.into_iter().collect();
            let middle = text
                .char_indices()
                .nth(text.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            text.insert_str(middle, inject);
            // Every text must say something once trimmed and cleaned, or it is simply missing.
            if significant(&text).is_empty() {
                text.push('文');
            }
            text
        })
}

/// What of a text must come out: without the characters XML forbids, without white space (line breaks
/// are joined and folded, runs collapse), without the closing punctuation templates replace.
fn significant(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !is_dropped(*c) && !c.is_whitespace())
        .collect();
    kept.trim_end_matches(['。', '；', ';', '，', ',', '.', '！', '!', '、', '：', ':'])
        .to_string()
}

/// Characters the input stage removes (with a warning): YAML- or XML-forbidden.
fn is_dropped(c: char) -> bool {
    zhenggai::input::decode::is_yaml_forbidden(c) || zhenggai::input::read::is_xml_forbidden(c)
}

/// A YAML double-quoted scalar holding `text` exactly.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A problem's title and its measures' actions.
type ProblemTexts = (String, Vec<String>);
/// A category's heading, remarks and problems.
type CategoryTexts = (String, String, Vec<ProblemTexts>);

#[derive(Debug, Clone)]
struct Texts {
    group_leader: String,
    short: String,
    representative: String,
    closing: String,
    categories: Vec<CategoryTexts>,
}

fn texts() -> impl Strategy<Value = Texts> {
    let problem = (user_text(), prop::collection::vec(user_text(), 1..3));
    let category = (
        user_text(),
        user_text(),
        prop::collection::vec(problem, 1..3),
    );
    (
        user_text(),
        user_text(),
        user_text(),
        user_text(),
        prop::collection::vec(category, 1..3),
    )
        .prop_map(
            |(group_leader, short, representative, closing, categories)| Texts {
                group_leader,
                short,
                representative,
                closing,
                categories,
            },
        )
}

fn unit_yaml(t: &Texts) -> String {
    let mut y = format!(
        "round:\n  committee: 中共青山县委\n  group: 县委第二巡察组\n  group_leader: {}\n  office: 县委巡察办\n  focus: 四个聚焦\n  start: 2026-03-02\n  end: 2026-04-01\n  feedback_date: 2026-05-12\nunit:\n  name: 中共青山县教育局委员会\n  short: {}\n  org: 县教育局\n  representative: {}\ndeadlines:\n  plan_workdays: 10\n  meeting_months: 1\n  report_months: 2\nspeech:\n  closing: {}\nfindings:\n",
        quoted(&t.group_leader),
        quoted(&t.short),
        quoted(&t.representative),
        quoted(&t.closing)
    );
    for (heading, remarks, problems) in &t.categories {
        y.push_str(&format!(
            "  - category: 党的领导\n    heading: {}\n    remarks: {}\n    problems:\n",
            quoted(heading),
            quoted(remarks)
        ));
        for (title, actions) in problems {
            y.push_str(&format!(
                "      - title: {}\n        measures:\n",
                quoted(title)
            ));
            for action in actions {
                y.push_str(&format!(
                    "          - action: {}\n            type: 限期整改\n            lead: 王明\n            department: 办公室\n            owner: 李华\n            due: 2026-06-30\n            status: 正在推进\n            progress: 已启动\n",
                    quoted(action)
                ));
            }
        }
    }
    y.push_str("plan:\n  date: 2026-05-22\n  leading_group:\n    leader: 王明\nreport:\n  date: 2026-07-10\n");
    y
}

fn load(yaml: &str) -> UnitInput {
    let (content, diagnostics) = input::read_bytes(Path::new("p.yaml"), yaml.as_bytes());
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}\n{yaml}", errors.join("\n"));
    match content {
        Some(FileContent::Unit(unit)) => *unit,
        _ => panic!("not a unit:\n{yaml}"),
    }
}

/// The text of a Markdown document as a reader sees it, white space removed; panics on raw HTML
/// (user text must never become markup that a converter would interpret as HTML).
fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the output: {h:?}"),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in the output"),
            Event::End(TagEnd::Paragraph) => text.push('\n'),
            _ => {}
        }
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks that `bytes` is a zip whose XML parts are well-formed XML 1.0, and returns the text of the
/// document body (`w:t` runs and the like), white space removed.
fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a zip: {e}"))?;
    let mut body = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| format!("zip entry {i}: {e}"))?;
        let name = file.name().unwrap_or_default().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        file.read_to_string(&mut xml)
            .map_err(|e| format!("{name} is not UTF-8: {e}"))?;
        if let Some(c) = xml
            .chars()
            .find(|c| zhenggai::input::read::is_xml_forbidden(*c))
        {
            return Err(format!(
                "{name} holds U+{:04X}, which XML 1.0 forbids",
                c as u32
            ));
        }
        let text = well_formed(&xml).map_err(|e| format!("{name}: {e}"))?;
        if name == "word/document.xml" {
            body = text;
        }
    }
    if body.is_empty() {
        return Err("no word/document.xml, or it is empty".into());
    }
    Ok(body.chars().filter(|c| !c.is_whitespace()).collect())
}

/// Parses a whole XML part with quick-xml: tags balanced and matching, references known. Returns its
/// character data.
fn well_formed(xml: &str) -> Result<String, String> {
    use quick_xml::events::Event as X;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut text = String::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("not well-formed: {e}"))?
        {
            X::Start(_) => depth += 1,
            X::End(_) => {
                depth = depth.checked_sub(1).ok_or("an end tag without a start")?;
            }
            X::Text(t) => text.push_str(&t.into_inner()),
            X::CData(t) => text.push_str(&t.into_inner()),
            X::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    text.push(c);
                } else {
                    let name = r.into_inner().into_owned();
                    text.push_str(match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => return Err(format!("unknown entity &{other};")),
                    });
                }
            }
            X::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("{depth} element(s) not closed"));
    }
    Ok(text)
}

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(None).expect("built-in templates"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_renders_and_comes_out(t in texts()) {
        let yaml = unit_yaml(&t);
        let unit = load(&yaml);
        let found = input::validate(&unit, &Document::ALL);
        let errors: Vec<String> = found.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        prop_assert!(errors.is_empty(), "{}", errors.join("\n"));
        let built = context::build(&unit);
        let mut rendered = Vec::new();
        for doc in Document::ALL {
            let markdown = engine().render(doc, &built.context).map_err(|e| TestCaseError::fail(format!("{doc}: {e}")))?;
            prop_assert!(!markdown.contains('\r'));
            prop_assert!(!markdown.chars().any(is_dropped), "{doc} holds a forbidden character");
            let bytes = write_docx(&markdown, &StyleProfile::default()).map_err(|e| TestCaseError::fail(format!("{doc} DOCX: {e}")))?;
            let docx = docx_text(&bytes).map_err(|e| TestCaseError::fail(format!("{doc} DOCX: {e}")))?;
            rendered.push((doc, plain_text(&markdown), docx));
        }
        let text_of = |doc: Document| rendered.iter().find(|(d, _, _)| *d == doc).map(|(_, t, x)| (t.as_str(), x.as_str())).unwrap_or(("", ""));
        // What must come out where. A document whose template is empty (not written yet) is skipped.
        let mut expected: Vec<(Document, &str, &String)> = vec![
            (Document::Speech, "group_leader", &t.group_leader),
            (Document::Speech, "unit.short", &t.short),
            (Document::Speech, "unit.representative", &t.representative),
            (Document::Speech, "speech.closing", &t.closing),
        ];
        for (heading, remarks, problems) in &t.categories {
            expected.push((Document::Speech, "heading", heading));
            expected.push((Document::Speech, "remarks", remarks));
            for (title, actions) in problems {
                expected.push((Document::Speech, "problem title (summary)", title));
                expected.push((Document::Plan, "problem title", title));
                expected.push((Document::Report, "problem title", title));
                for action in actions {
                    expected.push((Document::Plan, "measure action", action));
                    expected.push((Document::Report, "measure action", action));
                }
            }
        }
        for (doc, field, raw) in expected {
            let (text, docx) = text_of(doc);
            if text.is_empty() {
                continue;
            }
            let want = significant(raw);
            prop_assert!(text.contains(&want), "{doc}: {field} {raw:?} → {want:?} is missing from\n{text}");
            prop_assert!(docx.contains(&want), "{doc}.docx: {field} {raw:?} → {want:?} is missing from\n{docx}");
        }
    }

    /// Arbitrary bytes through the input stage and, when they make a unit, through every template:
    /// never a panic, every message formatted.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let (content, diagnostics) = input::read_bytes(Path::new("b.yaml"), &bytes);
        for d in &diagnostics {
            prop_assert!(!d.to_string().is_empty());
        }
        if let Some(FileContent::Unit(unit)) = content {
            let _ = input::validate(&unit, &Document::ALL);
            let built = context::build(&unit);
            for doc in Document::ALL {
                let _ = engine().render(doc, &built.context);
            }
        }
    }
}
