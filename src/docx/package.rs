//! Packing: docx-rs renders the XML parts; this module applies the few edits docx-rs has no API for and
//! writes the zip. Each edit is a plain text substitution on XML that docx-rs itself wrote, so its shape
//! is known:
//!
//! 1. `w:tblHeader`: docx-rs cannot mark a repeated header row. The writer gives every row `w:cantSplit`
//!    (no row breaks across pages); here the first row of each table (the GFM header row) also gets
//!    `<w:tblHeader />`.
//! 2. `w14:paraId`: docx-rs numbers paragraphs from a thread-local counter that is not reset between
//!    documents, so the same input would give different ids. The ids are optional; they are removed.
//!
//! The edits are made in one pass each over the bytes (`memchr::memmem`), without decoding the XML to a
//! `String` first: with the ledger tables of a plan or report, document.xml is some 400 KB, and the lossy
//! decoding and `str::replace` passes were 14% of a round's instructions.
//!
//! The zip is written here, not by docx-rs (which stores every entry uncompressed, ~100 KB a document):
//! parts of [`DEFLATE_FROM_BYTES`] and more deflated at a fast level, the small ones stored, a fixed entry
//! order, every entry time the DOS epoch 1980-01-01 00:00, so that the same input gives the same bytes.
//! docProps dates are fixed by the writer (no clock).

use std::io::{Cursor, Write};

use docx_rs::{Docx, XMLDocx};
use memchr::memmem;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::DocxError;

/// Deflate level of the zip entries. Measured on the nine example documents, 3,000 renders on one core
/// (AMD EPYC): stored 1.46 ms and 73 KB a document, level 1 1.76 ms and 15.7 KB, level 6 (the
/// default) 2.17 ms and 12.6 KB. Level 1 costs a fifth of what level 6 does for most of its gain.
pub const COMPRESSION_LEVEL: i64 = 1;

/// Parts smaller than this are stored: starting a Deflate stream clears some 200 KB of tables, which
/// costs more than compressing a 2 KB part saves (a DOCX has a dozen such parts; in practice only
/// document.xml is larger). Deflating every part cost 8% more instructions on a round than storing all.
pub const DEFLATE_FROM_BYTES: usize = 4096;

pub fn pack(docx: Docx) -> Result<Vec<u8>, DocxError> {
    let mut xml = docx.build();
    xml.document = mark_header_rows(&remove_para_ids(&xml.document));
    xml.footers = xml.footers.iter().map(|f| remove_para_ids(f)).collect();
    xml.headers = xml.headers.iter().map(|h| remove_para_ids(h)).collect();
    zip_parts(&xml, COMPRESSION_LEVEL).map_err(|e| DocxError::Package(e.to_string()))
}

/// The package parts of `xml` in a fixed order (docx-rs's), by name.
fn parts(xml: &XMLDocx) -> Vec<(String, &[u8])> {
    let mut parts: Vec<(String, &[u8])> = vec![
        ("[Content_Types].xml".into(), &xml.content_type),
        ("_rels/.rels".into(), &xml.rels),
        ("docProps/app.xml".into(), &xml.doc_props.app),
        ("docProps/core.xml".into(), &xml.doc_props.core),
        ("docProps/custom.xml".into(), &xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), &xml.document_rels),
        ("word/document.xml".into(), &xml.document),
        ("word/styles.xml".into(), &xml.styles),
        ("word/settings.xml".into(), &xml.settings),
        ("word/fontTable.xml".into(), &xml.font_table),
        ("word/comments.xml".into(), &xml.comments),
        ("word/numbering.xml".into(), &xml.numberings),
        ("word/commentsExtended.xml".into(), &xml.comments_extended),
        ("word/footnotes.xml".into(), &xml.footnotes),
    ];
    for (i, header) in xml.headers.iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), header));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels));
        }
    }
    for (i, footer) in xml.footers.iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), footer));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels));
        }
    }
    for (id, bytes) in &xml.media {
        parts.push((format!("word/media/{id}.png"), bytes));
    }
    parts
}

fn zip_parts(xml: &XMLDocx, level: i64) -> zip::result::ZipResult<Vec<u8>> {
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default());
    let deflated = stored
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level));
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(48 * 1024)));
    for (name, bytes) in parts(xml) {
        let options = if bytes.len() < DEFLATE_FROM_BYTES {
            stored
        } else {
            deflated
        };
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Adds `<w:tblHeader />` to the first row of every table (its first `<w:cantSplit />`).
fn mark_header_rows(xml: &[u8]) -> Vec<u8> {
    const TABLE: &[u8] = b"<w:tbl>";
    const CANT_SPLIT: &[u8] = b"<w:cantSplit />";
    let tables = memmem::Finder::new(TABLE);
    let rows = memmem::Finder::new(CANT_SPLIT);
    let mut out = Vec::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(at) = tables.find(rest) {
        let (before, table) = rest.split_at(at + TABLE.len());
        out.extend_from_slice(before);
        rest = table;
        // The first row's properties come before any nested content of the table.
        let next_table = tables.find(rest).unwrap_or(rest.len());
        if let Some(row) = rows.find(&rest[..next_table]) {
            let (head, tail) = rest.split_at(row + CANT_SPLIT.len());
            out.extend_from_slice(head);
            out.extend_from_slice(b"<w:tblHeader />");
            rest = tail;
        }
    }
    out.extend_from_slice(rest);
    out
}

fn remove_para_ids(xml: &[u8]) -> Vec<u8> {
    const ATTR: &[u8] = b" w14:paraId=\"";
    let finder = memmem::Finder::new(ATTR);
    let mut out = Vec::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = finder.find(rest) {
        out.extend_from_slice(&rest[..at]);
        let value = &rest[at + ATTR.len()..];
        match memchr::memchr(b'"', value) {
            Some(end) => rest = &value[end + 1..],
            None => {
                rest = value;
                break;
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_row_of_each_table_is_a_header() {
        let row = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        let xml = format!("<w:tbl>{row}{row}</w:tbl><w:p /><w:tbl>{row}{row}</w:tbl>");
        let marked = String::from_utf8(mark_header_rows(xml.as_bytes())).unwrap();
        let header = "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr>";
        assert_eq!(
            marked,
            format!("<w:tbl>{header}{row}</w:tbl><w:p /><w:tbl>{header}{row}</w:tbl>")
        );
    }

    #[test]
    fn large_parts_are_deflated_small_ones_stored_and_the_content_kept() {
        use std::io::Read;
        let markdown = "# 标题\n\n".to_string() + &"正文段落，内容较长。".repeat(40).repeat(20);
        let bytes = crate::docx::write_docx(&markdown, &crate::docx::StyleProfile::default())
            .expect("docx");
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
        let mut document = String::new();
        {
            let mut entry = zip.by_name("word/document.xml").expect("document.xml");
            assert_eq!(entry.compression(), CompressionMethod::Deflated);
            assert!(entry.compressed_size() * 4 < entry.size());
            entry.read_to_string(&mut document).expect("utf-8");
        }
        assert!(document.contains("正文段落"));
        assert!(!document.contains("w14:paraId"));
        let rels = zip.by_name("_rels/.rels").expect("rels");
        assert_eq!(rels.compression(), CompressionMethod::Stored);
    }

    #[test]
    fn para_ids_are_removed() {
        let xml = br#"<w:p w14:paraId="0000001a"><w:pPr /></w:p><w:p w14:paraId="2">"#;
        assert_eq!(
            remove_para_ids(xml),
            br#"<w:p><w:pPr /></w:p><w:p>"#.to_vec()
        );
    }
}
