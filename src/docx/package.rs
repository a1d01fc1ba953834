//! Packing: docx-rs renders the XML parts; this module applies the few edits docx-rs has no API for and
//! writes the zip. Each edit is a plain text substitution on XML that docx-rs itself wrote, so its shape
//! is known:
//!
//! 1. `w:tblHeader`: docx-rs cannot mark a repeated header row. The writer gives header rows (and only
//!    them) `w:cantSplit`; here every `<w:cantSplit />` of document.xml gets a `<w:tblHeader />` beside it.
//! 2. `w14:paraId`: docx-rs numbers paragraphs from a thread-local counter that is not reset between
//!    documents, so the same input would give different ids. The ids are optional; they are removed.
//! 3. `w:characterSpacingControl`: set to `doNotCompress`, so that CJK punctuation keeps its full width
//!    and a full line holds exactly the characters the grid promises.
//!
//! The edits are made in one pass each over the bytes (`memchr::memmem`), without decoding the XML to a
//! `String` first: on the ledger tables of a plan or report, document.xml is some 400 KB.
//!
//! docx-rs stores its parts uncompressed (a plan came to 400 KB); [`deflate`] writes them again with
//! Deflate at a fast level (a plan 47 KB, a speech 29 KB). docProps dates are fixed by the writer
//! (no clock), and every zip entry gets the fixed DOS epoch as its time. The tests check both.

use std::io::{Cursor, Read, Write};

use docx_rs::Docx;
use memchr::memmem;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::DocxError;

/// Deflate level: 1 is the fastest; level 6 makes `document.xml` about a quarter smaller at some 2.4 times
/// the time, about 10% more CPU for a round (figures in BENCHMARKS.md).
const DEFLATE_LEVEL: i64 = 1;

/// Parts smaller than this are stored: starting a Deflate stream clears some 200 KB of tables, which
/// costs more than compressing a 2 KB part saves (a DOCX has a dozen such parts; only document.xml is
/// large).
const DEFLATE_FROM_BYTES: usize = 4096;

pub fn pack(docx: Docx) -> Result<Vec<u8>, DocxError> {
    let mut xml = docx.build();
    xml.document = mark_header_rows(&remove_para_ids(&xml.document));
    xml.footers = xml.footers.iter().map(|f| remove_para_ids(f)).collect();
    xml.headers = xml.headers.iter().map(|h| remove_para_ids(h)).collect();
    xml.settings = do_not_compress(&xml.settings);
    let mut stored = Cursor::new(Vec::new());
    xml.pack(&mut stored)
        .map_err(|e| DocxError::Package(e.to_string()))?;
    deflate(&stored.into_inner()).map_err(|e| DocxError::Package(e.to_string()))
}

/// Copies a zip, compressing the larger files with Deflate; entry order, names and directories are kept,
/// entry times set to the DOS epoch (1980-01-01), so the bytes depend on the content only.
fn deflate(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(stored))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(stored.len() / 6)));
    let directory = SimpleFileOptions::default().last_modified_time(DateTime::default());
    let small = directory
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    let large = small
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL));
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        let name = entry.name()?.into_owned();
        if entry.is_dir() {
            out.add_directory(name, directory)?;
        } else {
            buffer.clear();
            entry.read_to_end(&mut buffer)?;
            let options = if buffer.len() < DEFLATE_FROM_BYTES {
                small
            } else {
                large
            };
            out.start_file(name, options)?;
            out.write_all(&buffer)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// Replaces every occurrence of `from` with `to`, in one pass.
fn replace(xml: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 16);
    let mut last = 0;
    for at in memmem::find_iter(xml, from) {
        out.extend_from_slice(&xml[last..at]);
        out.extend_from_slice(to);
        last = at + from.len();
    }
    out.extend_from_slice(&xml[last..]);
    out
}

fn mark_header_rows(xml: &[u8]) -> Vec<u8> {
    replace(xml, b"<w:cantSplit />", b"<w:cantSplit /><w:tblHeader />")
}

fn remove_para_ids(xml: &[u8]) -> Vec<u8> {
    const ATTR: &[u8] = b" w14:paraId=\"";
    let mut out = Vec::with_capacity(xml.len());
    let mut rest = xml;
    let finder = memmem::Finder::new(ATTR);
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

fn do_not_compress(xml: &[u8]) -> Vec<u8> {
    const SETTING: &[u8] = b"<w:characterSpacingControl w:val=\"doNotCompress\" />";
    if let Some(start) = memmem::find(xml, b"<w:characterSpacingControl ")
        && let Some(len) = memmem::find(&xml[start..], b"/>")
    {
        let mut out = Vec::with_capacity(xml.len() + SETTING.len());
        out.extend_from_slice(&xml[..start]);
        out.extend_from_slice(SETTING);
        out.extend_from_slice(&xml[start + len + 2..]);
        return out;
    }
    replace(xml, b"</w:settings>", &[SETTING, b"</w:settings>"].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_parts_are_deflated_small_ones_stored_and_the_content_kept() {
        let markdown = "# 标题\n\n".to_string() + &"正文段落，内容较长。".repeat(40).repeat(20);
        let bytes = crate::docx::write_docx(&markdown, &crate::docx::StyleProfile::default())
            .expect("docx");
        let mut zip = ZipArchive::new(Cursor::new(&bytes)).expect("zip");
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
    fn replace_and_settings_edits() {
        assert_eq!(
            mark_header_rows(b"<w:trPr><w:cantSplit /></w:trPr><w:cantSplit />"),
            b"<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:cantSplit /><w:tblHeader />"
                .to_vec()
        );
        assert_eq!(
            do_not_compress(b"<w:settings><w:characterSpacingControl w:val=\"x\" /></w:settings>"),
            b"<w:settings><w:characterSpacingControl w:val=\"doNotCompress\" /></w:settings>"
                .to_vec()
        );
        assert_eq!(
            do_not_compress(b"<w:settings></w:settings>"),
            b"<w:settings><w:characterSpacingControl w:val=\"doNotCompress\" /></w:settings>"
                .to_vec()
        );
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
