//! The check that counts: LibreOffice converts the DOCX to PDF, and `pdftotext -bbox-layout` shows 22 body
//! lines on a full page, 28 characters on a full line, page numbers odd right / even left, a centred
//! title and a landscape ledger.
//!
//! Needs `soffice` and `pdftotext` (`.ci/install-render-deps.sh`). Without them the tests print a note
//! and pass, unless the environment variable `CI` is set: then they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use zhenggai::docx::{StyleProfile, write_docx};

const PLAN: &str = include_str!("data/plan.md");

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

fn convert(docx: &Path, dir: &Path) -> PathBuf {
    let profile = dir.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("run soffice");
    assert!(status.status.success(), "soffice failed: {status:?}");
    let pdf = docx.with_extension("pdf");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    pdf
}

/// The plan, rendered once for all tests of this file.
fn plan_pages() -> Option<&'static Vec<Page>> {
    static PAGES: OnceLock<Option<Vec<Page>>> = OnceLock::new();
    PAGES
        .get_or_init(|| {
            if !tools_present() {
                return None;
            }
            let dir = tempfile::tempdir().expect("tempdir");
            let docx = dir.path().join("plan.docx");
            std::fs::write(&docx, write_docx(PLAN, &StyleProfile::default()).unwrap()).unwrap();
            let pdf = convert(&docx, dir.path());
            let out = Command::new("pdftotext")
                .arg("-bbox-layout")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("run pdftotext");
            assert!(out.status.success());
            if let Ok(keep) = std::env::var("ZHENGGAI_KEEP_PDF") {
                let _ = std::fs::copy(&pdf, keep);
            }
            Some(parse_bbox(&String::from_utf8_lossy(&out.stdout)))
        })
        .as_ref()
}

const MM: f64 = 72.0 / 25.4;

/// Lines inside the text block (above the bottom margin), i.e. without the page number.
fn body_lines(page: &Page) -> Vec<&Line> {
    page.lines
        .iter()
        .filter(|l| l.y_min < page.height - 35.0 * MM)
        .collect()
}

fn footer_line(page: &Page) -> &Line {
    page.lines
        .iter()
        .find(|l| l.y_min >= page.height - 35.0 * MM)
        .expect("a page number")
}

/// Characters of a line in character units: CJK one, ASCII half.
fn units(text: &str) -> f64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

#[test]
fn full_body_pages_have_22_lines_of_28_characters() {
    let Some(pages) = plan_pages() else { return };
    assert!(pages.len() >= 6, "{} pages", pages.len());
    // Pages 2 and 3 are body text from top to bottom.
    let mut full_lines = 0;
    for number in [2, 3] {
        let page = &pages[number - 1];
        let lines = body_lines(page);
        assert_eq!(
            lines.len(),
            22,
            "page {number}: {:#?}",
            lines.iter().map(|l| &l.text).collect::<Vec<_>>()
        );
        // Exact pitch: 28.95 pt from line to line (a line's box top depends a little on its font, so
        // single steps get some slack and the average none), the block filled to its bottom.
        for pair in lines.windows(2) {
            let pitch = pair[1].y_min - pair[0].y_min;
            assert!((pitch - 28.95).abs() < 1.5, "page {number}: pitch {pitch}");
        }
        let average = (lines[21].y_min - lines[0].y_min) / 21.0;
        assert!(
            (average - 28.95).abs() < 0.1,
            "page {number}: average pitch {average}"
        );
        let text_block = 225.0 * MM;
        let used = lines[21].y_min - lines[0].y_min + 28.95;
        assert!(
            used <= text_block + 0.5 && used > text_block - 28.95,
            "{used}"
        );
        for line in &lines {
            // Punctuation may hang past the end of a full line (LibreOffice and Word both allow it by
            // default, as Chinese typesetting does); it does not count.
            let text = line.text.trim_end_matches([
                '，', '。', '、', '；', '：', '？', '！', '）', '”', '’', '》',
            ]);
            let n = units(text);
            assert!(n <= 28.0, "page {number}: {n} characters: {}", line.text);
            let cjk_only = text.chars().all(|c| !c.is_ascii());
            if cjk_only && n == 28.0 {
                full_lines += 1;
                // A full line spans the text block: 442.3 pt from the left margin.
                assert!((line.x_min - 28.0 * MM).abs() < 1.5, "{line:?}");
                let hanging = if text.len() < line.text.len() {
                    16.0
                } else {
                    0.0
                };
                assert!(
                    (line.x_max - hanging - (210.0 - 26.0) * MM).abs() < 3.0,
                    "{line:?}"
                );
            }
        }
    }
    assert!(
        full_lines >= 12,
        "only {full_lines} full 28-character lines on pages 2–3"
    );
}

#[test]
fn page_numbers_even_left_odd_right() {
    let Some(pages) = plan_pages() else { return };
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        let footer = footer_line(page);
        let digits: String = footer.text.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits, number.to_string(), "{footer:?}");
        assert!(footer.text.starts_with('\u{2014}') && footer.text.ends_with('\u{2014}'));
        let portrait = page.width < page.height;
        // Left/right margins of the page: portrait 28/26 mm, landscape 37/35 mm; one 14 pt character in.
        let (left, right) = if portrait { (28.0, 26.0) } else { (37.0, 35.0) };
        if number % 2 == 0 {
            let expected = left * MM + 14.0;
            assert!(
                (footer.x_min - expected).abs() < 3.0,
                "page {number}: {footer:?}"
            );
        } else {
            let expected = page.width - right * MM - 14.0;
            assert!(
                (footer.x_max - expected).abs() < 3.0,
                "page {number}: {footer:?}"
            );
        }
    }
}

#[test]
fn title_is_centred() {
    let Some(pages) = plan_pages() else { return };
    let first = &pages[0].lines[0];
    assert!(
        first.text.starts_with("中共临川县公安局委员会"),
        "{first:?}"
    );
    let centre = (28.0 + (210.0 - 26.0)) / 2.0 * MM;
    let middle = (first.x_min + first.x_max) / 2.0;
    assert!(
        (middle - centre).abs() < 3.0,
        "title centre {middle} vs {centre}"
    );
}

#[test]
fn ledger_pages_are_landscape_and_the_rest_portrait() {
    let Some(pages) = plan_pages() else { return };
    let landscape: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.width > p.height)
        .map(|(i, _)| i + 1)
        .collect();
    let ledger: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lines.iter().any(|l| l.text.contains("序号")))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(
        ledger.len() >= 2,
        "header row repeated on each ledger page: {ledger:?}"
    );
    assert_eq!(
        landscape, ledger,
        "landscape pages are exactly the ledger pages"
    );
    let label_page = &pages[ledger[0] - 1];
    assert!(
        label_page.lines[0].text.starts_with("附件1"),
        "{:?}",
        label_page.lines[0]
    );
    for (number, page) in pages.iter().enumerate() {
        if !ledger.contains(&(number + 1)) {
            assert!((page.width - 595.3).abs() < 1.0 && (page.height - 841.9).abs() < 1.0);
        } else {
            assert!((page.width - 841.9).abs() < 1.0 && (page.height - 595.3).abs() < 1.0);
        }
    }
    let last = pages.last().unwrap();
    assert!(last.lines.iter().any(|l| l.text.starts_with("附件2")));
}
