//! The check that counts: LibreOffice converts the DOCX to PDF, and `pdftotext -bbox-layout` shows, for
//! the speech, plan and report of every example unit (rendered through the library from the fixtures):
//! 22 body lines on each full body page, 28 characters on full lines, page numbers odd right / even left,
//! the title centred with its lines at the body pitch, landscape ledger pages, and the 版记 at the bottom
//! of a page without a page number.
//!
//! Needs `soffice` and `pdftotext` (`.ci/install-render-deps.sh`). Without them the tests print a note
//! and pass, unless the environment variable `CI` is set: then they fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use zhenggai::context;
use zhenggai::docx::{StyleProfile, write_docx};
use zhenggai::model::Document;
use zhenggai::templates::Engine;

/// One line of text on a PDF page, in points from the top left corner.
#[derive(Debug, Clone)]
struct Line {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    text: String,
}

#[derive(Debug)]
struct Page {
    width: f64,
    height: f64,
    lines: Vec<Line>,
}

fn tool(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether the render tools exist; without them, fail on CI and skip elsewhere.
fn tools_present() -> bool {
    if tool("soffice") && tool("pdftotext") {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("soffice/pdftotext missing on CI: run .ci/install-render-deps.sh first");
    }
    eprintln!("note: soffice or pdftotext not installed; LibreOffice render test skipped");
    false
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).map(|i| i + key.len()).expect("attribute");
    let end = tag[start..].find('"').expect("quote") + start;
    tag[start..end].parse().expect("number")
}

/// Parses `pdftotext -bbox-layout` output (XHTML) into pages of lines.
fn parse_bbox(html: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let head = &page[..page.find('>').expect("page tag")];
        let mut lines = Vec::new();
        for line in page.split("<line ").skip(1) {
            let tag = &line[..line.find('>').expect("line tag")];
            let body = &line[..line.find("</line>").expect("line end")];
            let text: String = body
                .split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let start = w.find('>')? + 1;
                    let end = w.find("</word>")?;
                    Some(w[start..end].to_owned())
                })
                .collect();
            lines.push(Line {
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                text: text
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            });
        }
        pages.push(Page {
            width: attr(head, "width"),
            height: attr(head, "height"),
            lines,
        });
    }
    pages
}

/// Converts every DOCX of `files` to PDF with one LibreOffice process.
fn convert(files: &[PathBuf], dir: &Path) {
    let profile = dir.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(files)
        .output()
        .expect("run soffice");
    assert!(status.status.success(), "soffice failed: {status:?}");
}

/// One rendered document: its Markdown (for the texts to look for) and its PDF pages.
struct Rendered {
    name: String,
    markdown: String,
    pages: Vec<Page>,
}

/// Every document of every example unit, rendered once for all tests of this file.
fn rendered() -> Option<&'static Vec<Rendered>> {
    static RENDERED: OnceLock<Option<Vec<Rendered>>> = OnceLock::new();
    RENDERED
        .get_or_init(|| {
            if !tools_present() {
                return None;
            }
            let engine = Engine::new(None).expect("built-in templates");
            let dir = tempfile::tempdir().expect("tempdir");
            let mut documents = Vec::new();
            for (u, unit) in common::example_units().iter().enumerate() {
                let built = context::build(unit);
                for doc in Document::ALL {
                    let markdown = engine.render(doc, &built.context).expect("template");
                    let docx = write_docx(&markdown, &StyleProfile::default()).expect("DOCX");
                    let path = dir.path().join(format!("{u}-{}.docx", doc.id()));
                    std::fs::write(&path, docx).expect("write DOCX");
                    let name = format!("{} {}", unit.unit.org.clone().unwrap_or_default(), doc);
                    documents.push((name, markdown, path));
                }
            }
            let files: Vec<PathBuf> = documents.iter().map(|d| d.2.clone()).collect();
            convert(&files, dir.path());
            let keep = std::env::var_os("ZHENGGAI_KEEP_PDF").map(PathBuf::from);
            let rendered = documents
                .into_iter()
                .map(|(name, markdown, path)| {
                    let pdf = path.with_extension("pdf");
                    assert!(pdf.exists(), "no PDF for {name}");
                    if let Some(keep) = &keep {
                        let _ = std::fs::create_dir_all(keep);
                        let _ = std::fs::copy(&pdf, keep.join(pdf.file_name().unwrap()));
                    }
                    let out = Command::new("pdftotext")
                        .arg("-bbox-layout")
                        .arg(&pdf)
                        .arg("-")
                        .output()
                        .expect("run pdftotext");
                    assert!(out.status.success());
                    let pages = parse_bbox(&String::from_utf8_lossy(&out.stdout));
                    Rendered {
                        name,
                        markdown,
                        pages,
                    }
                })
                .collect();
            Some(rendered)
        })
        .as_ref()
}

const MM: f64 = 72.0 / 25.4;
const PITCH: f64 = 28.95;

fn portrait(page: &Page) -> bool {
    page.width < page.height
}

/// Lines inside the text block (above the bottom margin), i.e. without the page number.
fn body_lines(page: &Page) -> Vec<&Line> {
    page.lines
        .iter()
        .filter(|l| l.y_min < page.height - 35.0 * MM)
        .collect()
}

fn footer_line(page: &Page) -> Option<&Line> {
    page.lines
        .iter()
        .find(|l| l.y_min >= page.height - 35.0 * MM)
}

/// Characters of a line in character units: CJK one, ASCII half.
fn units(text: &str) -> f64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of the paragraph after `::: name` in a document's Markdown.
fn block_text(markdown: &str, name: &str) -> Option<String> {
    let mut lines = markdown
        .lines()
        .skip_while(|l| l.trim() != format!("::: {name}"));
    lines.next()?;
    lines.map(str::trim).find(|l| !l.is_empty()).map(squeeze)
}

/// A portrait page whose last paragraph runs on to the next page: the next page opens with a
/// continuation line at the left margin, not with an indented paragraph or heading. No keep-with-next
/// rule moved lines off it, so it must be full.
fn is_full_body_page(pages: &[Page], index: usize) -> bool {
    // The first page holds the 版头 and the title, of other heights.
    if index == 0 {
        return false;
    }
    let (Some(page), Some(next)) = (pages.get(index), pages.get(index + 1)) else {
        return false;
    };
    if !portrait(page) || !portrait(next) {
        return false;
    }
    let (lines, next_lines) = (body_lines(page), body_lines(next));
    let (Some(last), Some(first)) = (lines.last(), next_lines.first()) else {
        return false;
    };
    units(&last.text) >= 27.0 && (first.x_min - 28.0 * MM).abs() < 1.5 && first.text.len() > 3
}

/// The page of the 版记: a line opens with “抄送：”, or the last line is the 印发 line.
fn is_colophon_page(page: &Page) -> bool {
    page.lines
        .iter()
        .any(|l| squeeze(&l.text).starts_with("抄送："))
        || page
            .lines
            .last()
            .is_some_and(|l| squeeze(&l.text).ends_with("印发"))
}

#[test]
fn full_body_pages_have_22_lines_of_28_characters() {
    let Some(documents) = rendered() else { return };
    let mut full_lines = 0;
    let mut full_pages = 0;
    for document in documents {
        let name = &document.name;
        let pages = &document.pages;
        let full: Vec<usize> = (0..pages.len())
            .filter(|&i| is_full_body_page(pages, i))
            .collect();
        full_pages += full.len();
        for index in full {
            let number = index + 1;
            let page = &pages[index];
            let lines = body_lines(page);
            assert_eq!(
                lines.len(),
                22,
                "{name} page {number}: {:#?}",
                lines.iter().map(|l| &l.text).collect::<Vec<_>>()
            );
            // Exact pitch: 28.95 pt from line to line (a line's box top depends a little on its font,
            // so single steps get some slack and the average little), the block filled to its bottom.
            for pair in lines.windows(2) {
                let pitch = pair[1].y_min - pair[0].y_min;
                assert!(
                    (pitch - PITCH).abs() < 4.0,
                    "{name} page {number}: pitch {pitch}"
                );
            }
            let average = (lines[21].y_min - lines[0].y_min) / 21.0;
            assert!(
                (average - PITCH).abs() < 0.2,
                "{name} page {number}: average pitch {average}"
            );
            for line in &lines {
                // Punctuation may hang past the end of a full line (LibreOffice and Word both allow it
                // by default, as Chinese typesetting does); it does not count.
                let text = line.text.trim_end_matches([
                    '，', '。', '、', '；', '：', '？', '！', '）', '”', '’', '》',
                ]);
                let n = units(text);
                assert!(
                    n <= 28.0,
                    "{name} page {number}: {n} characters: {}",
                    line.text
                );
                let cjk_only = text.chars().all(|c| !c.is_ascii());
                if cjk_only && n == 28.0 {
                    full_lines += 1;
                    // A full line spans the text block: from the left margin to the right one.
                    assert!((line.x_min - 28.0 * MM).abs() < 1.5, "{name}: {line:?}");
                    let hanging = if text.len() < line.text.len() {
                        16.0
                    } else {
                        0.0
                    };
                    assert!(
                        (line.x_max - hanging - (210.0 - 26.0) * MM).abs() < 3.0,
                        "{name}: {line:?}"
                    );
                }
            }
        }
    }
    assert!(full_pages >= 6, "only {full_pages} full body pages");
    assert!(
        full_lines >= 20,
        "only {full_lines} full 28-character lines on the full body pages"
    );
}

#[test]
fn page_numbers_even_left_odd_right_and_none_on_the_colophon_page() {
    let Some(documents) = rendered() else { return };
    for document in documents {
        let name = &document.name;
        assert!(
            document.pages.len() >= 3,
            "{name}: {} pages",
            document.pages.len()
        );
        for (index, page) in document.pages.iter().enumerate() {
            let number = index + 1;
            let colophon = is_colophon_page(page);
            let Some(footer) = footer_line(page) else {
                assert!(colophon, "{name} page {number} has no page number");
                continue;
            };
            assert!(
                !colophon,
                "{name}: page number on the 版记 page: {footer:?}"
            );
            let digits: String = footer.text.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(digits, number.to_string(), "{name}: {footer:?}");
            assert!(footer.text.starts_with('\u{2014}') && footer.text.ends_with('\u{2014}'));
            // Left/right margins of the page: portrait 28/26 mm, landscape 37/35 mm; one 14 pt
            // character in.
            let (left, right) = if portrait(page) {
                (28.0, 26.0)
            } else {
                (37.0, 35.0)
            };
            if number % 2 == 0 {
                let expected = left * MM + 14.0;
                assert!(
                    (footer.x_min - expected).abs() < 3.0,
                    "{name} page {number}: {footer:?}"
                );
            } else {
                let expected = page.width - right * MM - 14.0;
                assert!(
                    (footer.x_max - expected).abs() < 3.0,
                    "{name} page {number}: {footer:?}"
                );
            }
        }
    }
}

#[test]
fn title_is_centred_with_its_lines_at_the_body_pitch() {
    let Some(documents) = rendered() else { return };
    let centre = (28.0 + (210.0 - 26.0)) / 2.0 * MM;
    for document in documents {
        let name = &document.name;
        let title = squeeze(&common::first_title(&document.markdown));
        assert!(!title.is_empty(), "{name}: no title");
        let lines = &document.pages[0].lines;
        let first = lines
            .iter()
            .position(|l| title.starts_with(&squeeze(&l.text)) && l.text.len() > 6)
            .unwrap_or_else(|| panic!("{name}: title {title} not on page 1: {lines:#?}"));
        let mut text = String::new();
        let mut title_lines = Vec::new();
        for line in &lines[first..] {
            if text.len() >= title.len() {
                break;
            }
            text.push_str(&squeeze(&line.text));
            title_lines.push(line);
        }
        assert_eq!(text, title, "{name}");
        for line in &title_lines {
            let middle = (line.x_min + line.x_max) / 2.0;
            assert!(
                (middle - centre).abs() < 3.0,
                "{name}: title line centre {middle} vs {centre}: {line:?}"
            );
        }
        // Lines of a long title are one body line apart, not two (a 22 pt line snapped to the grid
        // takes two grid lines in LibreOffice).
        for pair in title_lines.windows(2) {
            let pitch = pair[1].y_min - pair[0].y_min;
            assert!(
                (pitch - PITCH).abs() < 1.0,
                "{name}: title line pitch {pitch}"
            );
        }
        // The 版头 issuer fits on one line.
        if let Some(issuer) = block_text(&document.markdown, "版头") {
            let line = lines
                .iter()
                .find(|l| issuer.starts_with(&squeeze(&l.text)))
                .unwrap_or_else(|| panic!("{name}: no issuer line"));
            assert_eq!(squeeze(&line.text), issuer, "{name}: issuer on one line");
            // GB/T 9704 §7.2.4: the top of the issuer is 35 mm below the top of the text block (37 mm
            // from the top edge). pdftotext gives the top of the font's box, a little above the ink.
            let expected = (37.0 + 35.0) * MM;
            assert!(
                (line.y_min - expected).abs() < 2.0 * MM,
                "{name}: issuer top at {:.1} mm, expected 72 mm",
                line.y_min / MM
            );
        }
    }
    assert!(
        documents
            .iter()
            .any(|d| units(&common::first_title(&d.markdown)) > 28.0),
        "some title takes two lines"
    );
}

#[test]
fn ledger_pages_are_landscape_and_the_rest_portrait() {
    let Some(documents) = rendered() else { return };
    for document in documents {
        let name = &document.name;
        let pages = &document.pages;
        let landscape: Vec<usize> = (0..pages.len())
            .filter(|&i| !portrait(&pages[i]))
            .map(|i| i + 1)
            .collect();
        let ledger: Vec<usize> = (0..pages.len())
            .filter(|&i| {
                pages[i]
                    .lines
                    .iter()
                    .any(|l| squeeze(&l.text).starts_with("序号"))
            })
            .map(|i| i + 1)
            .collect();
        assert_eq!(
            landscape, ledger,
            "{name}: landscape pages are exactly the ledger pages"
        );
        if ledger.is_empty() {
            continue;
        }
        let label_page = &pages[ledger[0] - 1];
        assert!(
            label_page.lines[0].text.starts_with("附件"),
            "{name}: {:?}",
            label_page.lines[0]
        );
        for page in pages {
            let (w, h) = if portrait(page) {
                (595.3, 841.9)
            } else {
                (841.9, 595.3)
            };
            assert!((page.width - w).abs() < 1.0 && (page.height - h).abs() < 1.0);
        }
        // No cell line is a lone fragment of a date: “2026年6月30日” takes at most two lines.
        for &number in &ledger {
            for line in &pages[number - 1].lines {
                let text = squeeze(&line.text);
                assert!(
                    !matches!(text.as_str(), "日" | "月" | "年" | "2026"),
                    "{name} page {number}: a date broken into pieces: {line:?}"
                );
            }
        }
    }
    assert!(
        documents
            .iter()
            .filter(|d| d.pages.iter().any(|p| !portrait(p)))
            .count()
            >= 3,
        "the plans and reports have ledgers"
    );
}

#[test]
fn colophon_sits_at_the_bottom_of_its_page() {
    let Some(documents) = rendered() else { return };
    let mut seen = 0;
    for document in documents {
        let Some(page) = document.pages.iter().find(|p| is_colophon_page(p)) else {
            continue;
        };
        seen += 1;
        let name = &document.name;
        let last = page.lines.last().expect("lines");
        assert!(squeeze(&last.text).ends_with("印发"), "{name}: {last:?}");
        // On the last line of the text block: its top within one line of the bottom margin.
        let bottom = page.height - 35.0 * MM;
        assert!(
            last.y_min > bottom - 1.5 * PITCH && last.y_min < bottom,
            "{name}: 印发 line at {} (text block ends at {bottom})",
            last.y_min
        );
        assert!(
            std::ptr::eq(page, document.pages.last().unwrap()),
            "{name}: the last page"
        );
    }
    assert!(seen >= 1, "the county-police plan has a 版记");
}
