//! XML-level checks of the DOCX writer: the parts are read from the zip and parsed with quick-xml, and the
//! values GB/T 9704 asks for are asserted (page, margins, grid, fonts and sizes, footers, sections, table
//! header rows, sanitised text, determinism).

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use zhenggai::context;
use zhenggai::docx::{StyleProfile, write_docx};
use zhenggai::model::Document;
use zhenggai::templates::Engine;

const PLAN: &str = include_str!("data/plan.md");
const FULL: &str = include_str!("data/full.md");

/// A minimal element tree.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for child in &self.children {
            if child.name == name {
                out.push(child);
            }
            child.descendants(name, out);
        }
    }

    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.descendants(name, &mut out);
        out
    }

    /// The concatenated `w:t` text below this node.
    fn text(&self) -> String {
        self.all("w:t").iter().map(|t| t.text.as_str()).collect()
    }

    fn path(&self, path: &[&str]) -> Option<&Node> {
        let mut node = self;
        for name in path {
            node = node.child(name)?;
        }
        Some(node)
    }
}

fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart| Node {
        name: e.name().as_ref().to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("value")
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Text(t) => {
                let text = t.into_inner().into_owned();
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().expect("char ref") {
                    stack.last_mut().unwrap().text.push(c);
                    continue;
                }
                let name = r.into_inner().into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced XML");
    stack.pop().unwrap()
}

struct Docx {
    parts: HashMap<String, String>,
}

impl Docx {
    fn render(markdown: &str) -> Docx {
        Self::from_bytes(&write_docx(markdown, &StyleProfile::default()).expect("DOCX"))
    }

    fn from_bytes(bytes: &[u8]) -> Docx {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).unwrap();
            if file.is_dir() {
                continue;
            }
            let mut text = String::new();
            file.read_to_string(&mut text).expect("UTF-8 part");
            parts.insert(file.name().unwrap().to_string(), text);
        }
        Docx { parts }
    }

    fn part(&self, name: &str) -> Node {
        parse(
            self.parts
                .get(name)
                .unwrap_or_else(|| panic!("no part {name}")),
        )
    }

    fn body(&self) -> Node {
        self.part("word/document.xml")
            .path(&["w:document", "w:body"])
            .expect("body")
            .clone()
    }
}

/// The first paragraph whose text starts with `start`.
fn paragraph<'a>(body: &'a Node, start: &str) -> &'a Node {
    body.all("w:p")
        .into_iter()
        .find(|p| p.text().starts_with(start))
        .unwrap_or_else(|| panic!("no paragraph starting with {start}"))
}

/// The run properties of the first run of a paragraph that has text.
fn first_run_props(p: &Node) -> &Node {
    p.all("w:r")
        .into_iter()
        .find(|r| !r.text().is_empty())
        .and_then(|r| r.child("w:rPr"))
        .expect("run properties")
}

fn font_of(rpr: &Node) -> String {
    let fonts = rpr.child("w:rFonts").expect("w:rFonts on the run");
    let ascii = fonts.attr("w:ascii").expect("ascii font");
    for key in ["w:hAnsi", "w:eastAsia", "w:cs"] {
        assert_eq!(fonts.attr(key), Some(ascii), "{key} differs from ascii");
    }
    ascii.to_owned()
}

fn size_of(rpr: &Node) -> &str {
    rpr.child("w:sz")
        .and_then(|s| s.attr("w:val"))
        .expect("w:sz")
}

#[test]
fn page_size_margins_and_line_grid() {
    let body = Docx::render(PLAN).body();
    let sect = body.child("w:sectPr").expect("body sectPr");
    let size = sect.child("w:pgSz").unwrap();
    // The plan ends with a portrait attachment.
    assert_eq!(size.attr("w:w"), Some("11906"));
    assert_eq!(size.attr("w:h"), Some("16838"));
    let margin = sect.child("w:pgMar").unwrap();
    assert_eq!(margin.attr("w:top"), Some("2098"));
    assert_eq!(margin.attr("w:left"), Some("1587"));
    assert_eq!(margin.attr("w:right"), Some("1474"));
    assert_eq!(margin.attr("w:bottom"), Some("1984"));
    let grid = sect.child("w:docGrid").unwrap();
    assert_eq!(grid.attr("w:type"), Some("lines"));
    assert_eq!(grid.attr("w:linePitch"), Some("579"));
}

#[test]
fn title_headings_and_body_have_their_fonts_and_sizes() {
    let body = Docx::render(PLAN).body();
    let title = paragraph(&body, "中共临川县公安局委员会关于县委第三巡察组");
    let ppr = title.child("w:pPr").unwrap();
    assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some("center"));
    assert_eq!(ppr.child("w:ind").unwrap().attr("w:firstLine"), Some("0"));
    let rpr = first_run_props(title);
    assert_eq!(font_of(rpr), "方正小标宋简体");
    assert_eq!(size_of(rpr), "44");

    for (start, font) in [
        ("一、总体要求", "黑体"),
        ("（一）贯彻落实", "楷体_GB2312"),
        ("1.理论学习不够深入系统", "仿宋_GB2312"),
    ] {
        let p = paragraph(&body, start);
        let rpr = first_run_props(p);
        assert_eq!(font_of(rpr), font, "{start}");
        assert_eq!(size_of(rpr), "32", "{start}");
        let ind = p.path(&["w:pPr", "w:ind"]).unwrap();
        assert_eq!(
            ind.attr("w:firstLine"),
            Some("630"),
            "{start} indented two characters"
        );
    }

    let p = paragraph(&body, "根据县委统一部署");
    let ppr = p.child("w:pPr").unwrap();
    assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some("both"));
    assert_eq!(ppr.child("w:ind").unwrap().attr("w:firstLine"), Some("630"));
    let spacing = ppr.child("w:spacing").unwrap();
    assert_eq!(spacing.attr("w:line"), Some("579"));
    assert_eq!(spacing.attr("w:lineRule"), Some("exact"));
    assert_eq!(
        ppr.child("w:widowControl").unwrap().attr("w:val"),
        Some("0")
    );
    let rpr = first_run_props(p);
    assert_eq!(font_of(rpr), "仿宋_GB2312");
    assert_eq!(size_of(rpr), "32");
    // 28 characters of 16 pt in 8845 twips: each character 0.25 pt narrower.
    assert_eq!(rpr.child("w:spacing").unwrap().attr("w:val"), Some("-5"));

    let recipient = paragraph(&body, "县委巡察工作领导小组：");
    assert_eq!(
        recipient
            .path(&["w:pPr", "w:ind"])
            .unwrap()
            .attr("w:firstLine"),
        Some("0")
    );
}

#[test]
fn run_in_headings_are_bold_and_the_rest_is_not() {
    let body = Docx::render(PLAN).body();
    let p = paragraph(&body, "1.提高政治站位。");
    let runs: Vec<&Node> = p.all("w:r");
    assert_eq!(runs[0].text(), "1.提高政治站位。");
    assert!(runs[0].path(&["w:rPr", "w:b"]).is_some());
    assert!(runs[1].text().starts_with("局党委要把"));
    assert!(runs[1].path(&["w:rPr", "w:b"]).is_none());
}

#[test]
fn every_run_names_its_fonts_and_no_theme_font_anywhere() {
    let docx = Docx::render(PLAN);
    for (name, xml) in &docx.parts {
        assert!(!xml.contains("Theme=\""), "{name} uses a theme font");
    }
    let body = docx.body();
    for run in body.all("w:r").into_iter().filter(|r| !r.text().is_empty()) {
        let rpr = run.child("w:rPr").expect("rPr");
        font_of(rpr);
    }
}

#[test]
fn footers_show_page_numbers_odd_right_even_left() {
    let docx = Docx::render(PLAN);
    let settings = docx.part("word/settings.xml");
    assert!(settings.all("w:evenAndOddHeaders").len() == 1);
    let rels = docx.part("word/_rels/document.xml.rels");
    let target = |id: &str| {
        rels.all("Relationship")
            .into_iter()
            .find(|r| r.attr("Id") == Some(id))
            .and_then(|r| r.attr("Target"))
            .map(|t| format!("word/{t}"))
            .unwrap()
    };
    let body = docx.body();
    let sect = body.child("w:sectPr").unwrap();
    let mut seen = 0;
    for reference in sect.all("w:footerReference") {
        let kind = reference.attr("w:type").unwrap();
        let footer = docx.part(&target(reference.attr("r:id").unwrap()));
        let p = &footer.all("w:p")[0];
        let jc = p.path(&["w:pPr", "w:jc"]).unwrap().attr("w:val").unwrap();
        let ind = p.path(&["w:pPr", "w:ind"]).unwrap();
        match kind {
            "default" => {
                assert_eq!(jc, "right");
                assert_eq!(ind.attr("w:right"), Some("280"), "one 四号 character in");
            }
            "even" => {
                assert_eq!(jc, "left");
                assert_eq!(ind.attr("w:left"), Some("280"));
            }
            other => panic!("unexpected footer {other}"),
        }
        assert_eq!(p.text(), "\u{2014} 1 \u{2014}");
        let instr: String = p
            .all("w:instrText")
            .iter()
            .map(|i| i.text.clone())
            .collect();
        assert_eq!(instr.trim(), "PAGE");
        let kinds: Vec<&str> = p
            .all("w:fldChar")
            .iter()
            .map(|f| f.attr("w:fldCharType").unwrap())
            .collect();
        assert_eq!(kinds, ["begin", "separate", "end"]);
        let rpr = first_run_props(p);
        assert_eq!(font_of(rpr), "宋体");
        assert_eq!(size_of(rpr), "28");
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn landscape_ledger_is_its_own_section_with_page_numbers() {
    let body = Docx::render(PLAN).body();
    let sections: Vec<&Node> = body
        .all("w:p")
        .into_iter()
        .filter_map(|p| p.path(&["w:pPr", "w:sectPr"]))
        .collect();
    assert_eq!(
        sections.len(),
        2,
        "portrait text, landscape ledger, then portrait"
    );
    let size = |s: &Node| {
        let size = s.child("w:pgSz").unwrap();
        (
            size.attr("w:w").unwrap().to_owned(),
            size.attr("w:h").unwrap().to_owned(),
            size.attr("w:orient").map(str::to_owned),
        )
    };
    assert_eq!(size(sections[0]), ("11906".into(), "16838".into(), None));
    assert_eq!(
        size(sections[1]),
        ("16838".into(), "11906".into(), Some("landscape".into()))
    );
    for section in sections {
        assert_eq!(section.all("w:footerReference").len(), 2);
    }
    // The portrait section ends with the 成文日期, so that the attachment label opens the landscape page.
    let carrier = body
        .all("w:p")
        .into_iter()
        .find(|p| p.path(&["w:pPr", "w:sectPr"]).is_some())
        .unwrap();
    assert_eq!(carrier.text(), "2026年5月22日");
    let label = paragraph(&body, "附件1");
    assert!(label.path(&["w:pPr", "w:pageBreakBefore"]).is_none());
    assert_eq!(font_of(first_run_props(label)), "黑体");
}

#[test]
fn table_is_full_width_with_a_repeated_bold_header_row() {
    let body = Docx::render(PLAN).body();
    let tables = body.all("w:tbl");
    assert_eq!(tables.len(), 1);
    let table = tables[0];
    let width = table.path(&["w:tblPr", "w:tblW"]).unwrap();
    // Landscape text block: 16838 − 2098 − 1984.
    assert_eq!(width.attr("w:w"), Some("12756"));
    let grid: u32 = table
        .path(&["w:tblGrid"])
        .unwrap()
        .all("w:gridCol")
        .iter()
        .map(|g| g.attr("w:w").unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(grid, 12756);
    let rows = table.all("w:tr");
    assert_eq!(rows.len(), 14);
    assert!(rows[0].path(&["w:trPr", "w:tblHeader"]).is_some());
    assert!(rows[1..].iter().all(|r| r.all("w:tblHeader").is_empty()));
    // No row breaks across pages.
    assert!(
        rows.iter()
            .all(|r| r.path(&["w:trPr", "w:cantSplit"]).is_some())
    );
    // Cells centred vertically.
    assert!(table.all("w:tc").iter().all(|c| {
        c.path(&["w:tcPr", "w:vAlign"])
            .and_then(|v| v.attr("w:val"))
            == Some("center")
    }));
    let header_rpr = first_run_props(rows[0]);
    assert!(header_rpr.child("w:b").is_some());
    let cell_rpr = first_run_props(rows[1]);
    assert_eq!(font_of(cell_rpr), "仿宋_GB2312");
    assert_eq!(size_of(cell_rpr), "24");
    let cell_spacing = rows[1].all("w:spacing")[0];
    assert_eq!(cell_spacing.attr("w:line"), Some("360"));
    assert_eq!(cell_spacing.attr("w:lineRule"), Some("exact"));
    let borders = table.path(&["w:tblPr", "w:tblBorders"]).unwrap();
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        assert_eq!(
            borders.child(side).unwrap().attr("w:val"),
            Some("single"),
            "{side}"
        );
    }
}

#[test]
fn signature_follows_gbt9704_without_seal() {
    let body = Docx::render(PLAN).body();
    let paragraphs = body.all("w:p");
    let at = paragraphs
        .iter()
        .position(|p| p.text() == "中共临川县公安局委员会")
        .unwrap();
    assert_eq!(
        paragraphs[at - 1].text(),
        "",
        "one empty line above the 署名"
    );
    let right = |p: &Node| -> i32 {
        p.path(&["w:pPr", "w:ind"])
            .unwrap()
            .attr("w:right")
            .unwrap()
            .parse()
            .unwrap()
    };
    let advance = 315; // 16 pt − 0.25 pt
    assert_eq!(right(paragraphs[at]), 2 * advance);
    // 署名 11 characters, date 6.5: the date starts two characters right of the 署名.
    let date = paragraphs[at + 1];
    assert_eq!(date.text(), "2026年5月22日");
    let date_right = f64::from(right(date)) / f64::from(advance);
    assert!(
        (date_right - (2.0 + 11.0 - 2.0 - 6.5)).abs() < 0.01,
        "{date_right}"
    );

    // A date longer than the 署名: date right-indented two characters, 署名 moves left.
    let body = Docx::render("正文。\n\n::: 落款\n\n某局\n\n2026年12月31日\n\n:::\n").body();
    let name = paragraph(&body, "某局");
    let date = paragraph(&body, "2026年12月31日");
    assert_eq!(right(date), 2 * advance);
    // date 7 characters: 署名 starts 2 left of the date → right indent = 2 + 7 + 2 − 2.
    assert_eq!(right(name), 9 * advance);
    for p in [name, date] {
        assert_eq!(
            p.path(&["w:pPr", "w:jc"]).unwrap().attr("w:val"),
            Some("right")
        );
    }
}

#[test]
fn attachment_note_hangs_under_the_name() {
    let body = Docx::render(PLAN).body();
    let ind = |start: &str| {
        let ind = paragraph(&body, start)
            .path(&["w:pPr", "w:ind"])
            .unwrap()
            .clone();
        (
            ind.attr("w:left").unwrap().parse::<i32>().unwrap(),
            ind.attr("w:hanging").unwrap().parse::<i32>().unwrap(),
        )
    };
    // “附件：” 3 characters, “1.” one: the name starts 2 + 3 + 1 characters in, the first line at 2.
    assert_eq!(ind("附件：1."), (6 * 315, 4 * 315));
    assert_eq!(ind("2.县公安局"), (6 * 315, 315));
}

#[test]
fn letterhead_colophon_page_break_lists_and_emphasis() {
    let body = Docx::render(FULL).body();
    let issuer = paragraph(&body, "中共临川县公安局委员会文件");
    let rpr = first_run_props(issuer);
    assert_eq!(rpr.child("w:color").unwrap().attr("w:val"), Some("FF0000"));
    assert_eq!(font_of(rpr), "方正小标宋简体");
    let number = paragraph(&body, "临公党〔2026〕12号");
    let rule = number.path(&["w:pPr", "w:pBdr", "w:bottom"]).unwrap();
    assert_eq!(rule.attr("w:color"), Some("FF0000"));
    assert!(number.path(&["w:pPr", "w:pBdr", "w:top"]).is_none());

    let title = paragraph(&body, "中共临川县公安局委员会关于印发");
    assert_eq!(title.all("w:br").len(), 1, "hard break in the title kept");

    let emphasis = body
        .all("w:r")
        .into_iter()
        .find(|r| r.text() == "认真抓好贯彻落实")
        .unwrap();
    assert_eq!(font_of(emphasis.child("w:rPr").unwrap()), "楷体_GB2312");

    assert!(paragraph(&body, "1.各部门要于").text().starts_with("1."));
    let broken = paragraph(&body, "本页由分页块开始");
    assert!(broken.path(&["w:pPr", "w:pageBreakBefore"]).is_some());

    let cc = paragraph(&body, "\u{3000}抄送：");
    assert!(cc.path(&["w:pPr", "w:pBdr", "w:top"]).is_some());
    let printed = paragraph(&body, "\u{3000}临川县公安局政治处");
    assert!(printed.text().ends_with("2026年5月22日印发"));
    assert_eq!(printed.all("w:tab").len(), 2, "tab stop and tab");
    assert_eq!(size_of(first_run_props(printed)), "28");
}

#[test]
fn characters_xml_forbids_are_removed() {
    let markdown = FULL.replace("甲乙丙丁", "甲\u{0B}乙\u{0}丙\u{1F}丁\u{FFFE}\u{C}");
    let docx = Docx::render(&markdown);
    let body = docx.body();
    assert_eq!(
        paragraph(&body, "文中含有控制字符").text(),
        "文中含有控制字符：甲乙丙丁。"
    );
    // Also in places the text takes other routes: table cells, the 落款, the letterhead.
    let markdown = String::from(
        "::: 版头\n\n机关\u{B}文件\n\n号\u{0}\n\n:::\n\n# 标\u{1}题\n\n| 列\u{2} |\n| --- |\n| 格\u{FFFF} |\n\n::: 落款\n\n署\u{7}名\n\n:::\n",
    );
    let docx = Docx::render(&markdown);
    for xml in docx.parts.values() {
        assert!(
            !xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')),
            "forbidden character left"
        );
    }
    let text = docx.body().text();
    for word in ["机关文件", "标题", "列", "格", "署名"] {
        assert!(text.contains(word), "{word} in {text}");
    }
}

#[test]
fn same_input_gives_the_same_bytes_without_a_clock() {
    let first = write_docx(PLAN, &StyleProfile::default()).unwrap();
    // Paragraphs created in between must not shift anything.
    let _ = write_docx(FULL, &StyleProfile::default()).unwrap();
    let second = write_docx(PLAN, &StyleProfile::default()).unwrap();
    assert!(first == second, "two renders differ");
    let handle = std::thread::spawn(|| write_docx(PLAN, &StyleProfile::default()).unwrap());
    assert!(
        handle.join().unwrap() == first,
        "a render on another thread differs"
    );

    let mut zip = zip::ZipArchive::new(Cursor::new(&first)).unwrap();
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        if let Some(time) = file.last_modified() {
            assert_eq!(
                (
                    time.year(),
                    time.month(),
                    time.day(),
                    time.hour(),
                    time.minute()
                ),
                (1980, 1, 1, 0, 0),
                "{} has a clock time",
                file.name().unwrap()
            );
        }
    }
    let core = Docx::from_bytes(&first).parts["docProps/core.xml"].clone();
    assert!(core.contains("2026-01-01T00:00:00Z"), "{core}");
}

#[test]
fn unknown_block_is_an_error() {
    let error = write_docx("::: 落 款\n\n某局\n\n:::\n", &StyleProfile::default()).unwrap_err();
    assert!(error.to_string().contains("落 款"), "{error}");
    let error = write_docx(
        "::: 落款\n\n| a |\n| - |\n| b |\n\n:::\n",
        &StyleProfile::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("表格"), "{error}");
}

#[test]
fn windows_profile_names_stock_fonts() {
    let style = StyleProfile::builtin("windows").unwrap();
    let docx = Docx::from_bytes(&write_docx(PLAN, &style).unwrap());
    let body = docx.body();
    assert_eq!(
        font_of(first_run_props(paragraph(&body, "根据县委"))),
        "仿宋"
    );
    assert_eq!(font_of(first_run_props(paragraph(&body, "（一）"))), "楷体");
    let title = first_run_props(paragraph(&body, "中共临川县公安局委员会关于"));
    assert_eq!(font_of(title), "宋体");
    assert!(title.child("w:b").is_some());
}

#[test]
fn arbitrary_markdown_gives_well_formed_parts() {
    for markdown in [
        "",
        ":::: 附件\n\n::: 横向\n\n:::\n\n::::\n",
        "<div>html & 块</div>\n\n```\ncode\n\tblock\n```\n\n> 引用\n\n- [链接](http://x) ![图](y.png)\n\n---\n",
        "| a | b |\n| - | - |\n| 1 |\n\n| 只有表头 |\n| --- |\n",
        "::: 横向\n\n| a |\n| - |\n| b |\n\n:::\n",
        "::: 分页\n\n:::\n\n| a |\n| - |\n| b |\n",
        "**未闭合\n\n*也是\n\n\\*转义\\*\n",
    ] {
        let docx = Docx::render(markdown);
        for (name, xml) in &docx.parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                parse(xml);
            }
        }
    }
}

/// The county-police documents, rendered through the library (templates, context) as Markdown.
fn county_police(doc: Document) -> String {
    let engine = Engine::new(None).expect("built-in templates");
    let unit = common::county_police();
    engine
        .render(doc, &context::build(&unit).context)
        .expect("template")
}

fn snaps_to_grid(p: &Node) -> bool {
    p.path(&["w:pPr", "w:snapToGrid"])
        .and_then(|s| s.attr("w:val"))
        .is_none_or(|v| v != "false" && v != "0")
}

#[test]
fn titles_and_the_issuer_are_off_the_line_grid_at_the_exact_pitch() {
    let body = Docx::render(&county_police(Document::Plan)).body();
    for start in [
        "中共XX县公安局委员会关于县委第XX巡察组",
        "县公安局党委巡察反馈问题整改台账",
        "中共XX县公安局委员会文件",
    ] {
        let p = paragraph(&body, start);
        assert!(!snaps_to_grid(p), "{start} snaps to the grid");
        let spacing = p.path(&["w:pPr", "w:spacing"]).unwrap();
        assert_eq!(spacing.attr("w:lineRule"), Some("exact"), "{start}");
    }
    assert_eq!(
        paragraph(&body, "中共XX县公安局委员会关于")
            .path(&["w:pPr", "w:spacing"])
            .unwrap()
            .attr("w:line"),
        Some("579")
    );
    // Body text stays on the grid.
    assert!(snaps_to_grid(paragraph(&body, "2026年5月12日")));
}

#[test]
fn ledger_columns_are_sized_by_content() {
    for doc in [Document::Plan, Document::Report] {
        let body = Docx::render(&county_police(doc)).body();
        let table = body.all("w:tbl")[0].clone();
        let widths: Vec<u32> = table
            .all("w:gridCol")
            .iter()
            .map(|g| g.attr("w:w").unwrap().parse().unwrap())
            .collect();
        assert_eq!(widths.iter().sum::<u32>(), 12756, "{doc}");
        let header: Vec<String> = table.all("w:tr")[0]
            .all("w:tc")
            .iter()
            .map(|c| c.text())
            .collect();
        let width = |name: &str| {
            let at = header.iter().position(|h| h == name).unwrap();
            widths[at]
        };
        // 12 pt characters (240 twips) plus 216 twips of cell margins: “2026年6月30日” (6.5
        // characters) on at most two lines, 序号 on one.
        assert!(width("完成时限") >= 4 * 240 + 216, "{doc}: {widths:?}");
        assert!(width("序号") >= 2 * 240 + 216, "{doc}: {widths:?}");
        assert!(width("整改措施") > width("存在问题"), "{doc}: {widths:?}");
        assert!(width("存在问题") > width("完成时限"), "{doc}: {widths:?}");
        assert!(width("责任人") < width("完成时限"), "{doc}: {widths:?}");
        if doc == Document::Plan {
            assert!(width("整改类型") < width("完成时限"), "{doc}: {widths:?}");
        }
        // Running text left-aligned, short entries centred.
        let row = &table.all("w:tr")[1];
        let jc: Vec<&str> = row
            .all("w:tc")
            .iter()
            .map(|c| {
                c.path(&["w:p", "w:pPr", "w:jc"])
                    .unwrap()
                    .attr("w:val")
                    .unwrap()
            })
            .collect();
        for (name, align) in header.iter().zip(&jc) {
            let expected = if ["存在问题", "整改措施", "整改进展"].contains(&name.as_str())
            {
                "left"
            } else {
                "center"
            };
            assert_eq!(*align, expected, "{doc}: {name}");
        }
    }
}

#[test]
fn zip_entries_are_deflated_and_documents_small() {
    let bytes = write_docx(&county_police(Document::Plan), &StyleProfile::default()).unwrap();
    assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        // Parts under 4 KB are stored (`DEFLATE_FROM_BYTES` in src/docx/package.rs): starting a
        // Deflate stream costs more than compressing them saves.
        let expected = if file.size() < 4096 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(file.compression(), expected, "{}", file.name().unwrap());
        if file.name().unwrap() == "word/document.xml" {
            assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
        }
    }
    let again = write_docx(&county_police(Document::Plan), &StyleProfile::default()).unwrap();
    assert!(bytes == again, "two renders differ");
}

#[test]
fn colophon_after_the_ledger_fills_its_page_from_the_bottom_without_a_page_number() {
    let body = Docx::render(&county_police(Document::Plan)).body();
    let paragraphs = body.all("w:p");
    let at = paragraphs
        .iter()
        .position(|p| p.text().starts_with("\u{3000}抄送："))
        .unwrap();
    // An empty spacer of exact height: the page's 22 lines less the 版记's two and its rules.
    let spacer = paragraphs[at - 1];
    assert_eq!(spacer.text(), "");
    let spacing = spacer.path(&["w:pPr", "w:spacing"]).unwrap();
    assert_eq!(spacing.attr("w:lineRule"), Some("exact"));
    let height: i32 = spacing.attr("w:line").unwrap().parse().unwrap();
    assert_eq!(height, 20 * 579 - 110 - 20);
    for p in &paragraphs[at - 1..] {
        assert!(!snaps_to_grid(p));
    }
    // The 版记's section: an even page, the first page without a footer.
    let last = body.child("w:sectPr").unwrap();
    assert!(last.child("w:titlePg").is_some());
    assert_eq!(
        last.child("w:type").and_then(|t| t.attr("w:val")),
        Some("evenPage")
    );
    assert!(
        last.all("w:footerReference")
            .iter()
            .all(|f| f.attr("w:type") != Some("first"))
    );
    // Only that section.
    let earlier: Vec<&Node> = paragraphs
        .iter()
        .filter_map(|p| p.path(&["w:pPr", "w:sectPr"]))
        .collect();
    assert!(earlier.iter().all(|s| s.child("w:titlePg").is_none()));
    // After body text the 版记 follows one empty line, and every page keeps its number.
    let body = Docx::render(FULL).body();
    assert!(body.child("w:sectPr").unwrap().child("w:titlePg").is_none());
}

/// The ECMA-376 child sequences of the property containers the writer emits (WordprocessingML schema,
/// `CT_RPr`/`CT_ParaRPr`, `CT_PPr`, `CT_SectPr`, …). Word reads these as sequences: a child that comes
/// after one the schema puts later is ignored (reported for `w:rFonts` after `w:b`, and `w:color` after
/// `w:sz`), and Word for the web refuses the file. LibreOffice does not care, so only this test sees it.
/// Names on one line share a rank (a choice).
const SCHEMA_ORDER: &[(&str, &[&str])] = &[
    (
        "w:rPr",
        &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
    ),
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:sectPr",
        &[
            "w:headerReference|w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ],
    ),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
    ),
    (
        "w:pBdr",
        &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
    ),
    (
        "w:tblBorders",
        &[
            "w:top",
            "w:left|w:start",
            "w:bottom",
            "w:right|w:end",
            "w:insideH",
            "w:insideV",
        ],
    ),
    ("w:tbl", &["w:tblPr", "w:tblGrid", "w:tr"]),
    ("w:tr", &["w:tblPrEx", "w:trPr", "w:tc"]),
    (
        "w:style",
        &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
    ),
    ("w:docDefaults", &["w:rPrDefault", "w:pPrDefault"]),
    (
        "w:lvl",
        &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
    ),
    (
        "w:settings",
        &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
            "w14:docId|w15:docId",
        ],
    ),
];

/// Every child of every listed container, in the part named `part`, that is out of sequence or not in
/// the container's list.
fn schema_order_violations(part: &str, node: &Node, out: &mut Vec<String>) {
    if let Some((_, order)) = SCHEMA_ORDER.iter().find(|(name, _)| *name == node.name) {
        let rank_of = |child: &str| {
            order
                .iter()
                .position(|names| names.split('|').any(|n| n == child))
        };
        let mut last = 0;
        let mut previous = "(start)";
        for child in &node.children {
            match rank_of(&child.name) {
                Some(rank) if rank >= last => {
                    last = rank;
                    previous = &child.name;
                }
                Some(_) => out.push(format!(
                    "{part}: <{}> has <{}> after <{previous}>",
                    node.name, child.name
                )),
                None => out.push(format!(
                    "{part}: <{}> has <{}>, which SCHEMA_ORDER does not list",
                    node.name, child.name
                )),
            }
        }
    }
    // A paragraph's properties come before its content.
    if node.name == "w:p"
        && let Some(at) = node.children.iter().position(|c| c.name == "w:pPr")
        && at != 0
    {
        out.push(format!("{part}: <w:pPr> is not the first child of <w:p>"));
    }
    for child in &node.children {
        schema_order_violations(part, child, out);
    }
}

#[test]
fn property_children_follow_the_schema_sequence_that_word_reads() {
    let mut documents = vec![
        ("full.md".to_string(), Docx::render(FULL)),
        ("plan.md".to_string(), Docx::render(PLAN)),
    ];
    for doc in [Document::Plan, Document::Speech, Document::Report] {
        documents.push((
            format!("county-police {doc}"),
            Docx::render(&county_police(doc)),
        ));
    }
    let mut violations = Vec::new();
    let mut containers_seen = std::collections::BTreeSet::new();
    for (source, docx) in &documents {
        let mut names: Vec<&String> = docx.parts.keys().filter(|n| n.ends_with(".xml")).collect();
        names.sort();
        for name in names {
            let root = docx.part(name);
            for (container, _) in SCHEMA_ORDER {
                if !root.all(container).is_empty() {
                    containers_seen.insert(*container);
                }
            }
            schema_order_violations(&format!("{source} {name}"), &root, &mut violations);
        }
    }
    // CT_TblGridCol has one attribute, the width.
    for (source, docx) in &documents {
        for col in docx.body().all("w:gridCol") {
            let mut keys: Vec<&String> = col.attrs.keys().collect();
            keys.sort();
            if keys != ["w:w"] {
                violations.push(format!("{source}: <w:gridCol> has attributes {keys:?}"));
            }
        }
    }
    violations.dedup();
    assert!(
        violations.is_empty(),
        "{} children out of schema order or invalid attributes, first ones:\n{}",
        violations.len(),
        violations[..violations.len().min(20)].join("\n")
    );
    // The check ran over every kind of container, so a container the writer stops emitting is noticed.
    for container in [
        "w:rPr",
        "w:pPr",
        "w:sectPr",
        "w:tblPr",
        "w:tcPr",
        "w:pBdr",
        "w:style",
        "w:settings",
        "w:lvl",
    ] {
        assert!(
            containers_seen.contains(container),
            "no {container} in any document"
        );
    }
}

#[test]
fn settings_keep_cjk_punctuation_full_width() {
    let settings = Docx::render(PLAN).part("word/settings.xml");
    let control = settings
        .path(&["w:settings", "w:characterSpacingControl"])
        .expect("w:characterSpacingControl is a child of w:settings");
    assert_eq!(control.attr("w:val"), Some("doNotCompress"));
    assert!(
        settings
            .path(&["w:settings", "w:evenAndOddHeaders"])
            .is_some()
    );
}
