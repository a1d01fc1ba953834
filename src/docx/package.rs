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
//! docProps dates are fixed by the writer (no clock); docx-rs's zip writer uses the fixed DOS epoch for
//! entry times (its zip dependency has no clock feature). The tests check both.

use std::io::Cursor;

use docx_rs::Docx;

use super::DocxError;

pub fn pack(docx: Docx) -> Result<Vec<u8>, DocxError> {
    let mut xml = docx.build();
    xml.document = mark_header_rows(&remove_para_ids(&xml.document));
    xml.footers = xml.footers.iter().map(|f| remove_para_ids(f)).collect();
    xml.headers = xml.headers.iter().map(|h| remove_para_ids(h)).collect();
    xml.settings = do_not_compress(&xml.settings);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocxError::Package(e.to_string()))?;
    Ok(out.into_inner())
}

fn replace(xml: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    text.replace(from, to).into_bytes()
}

fn mark_header_rows(xml: &[u8]) -> Vec<u8> {
    replace(xml, "<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
}

fn remove_para_ids(xml: &[u8]) -> Vec<u8> {
    const ATTR: &str = " w14:paraId=\"";
    let text = String::from_utf8_lossy(xml);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find(ATTR) {
        out.push_str(&rest[..at]);
        let value = &rest[at + ATTR.len()..];
        match value.find('"') {
            Some(end) => rest = &value[end + 1..],
            None => {
                rest = value;
                break;
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

fn do_not_compress(xml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    if let Some(start) = text.find("<w:characterSpacingControl ")
        && let Some(len) = text[start..].find("/>")
    {
        let mut out = text.to_string();
        out.replace_range(
            start..start + len + 2,
            "<w:characterSpacingControl w:val=\"doNotCompress\" />",
        );
        return out.into_bytes();
    }
    replace(
        xml,
        "</w:settings>",
        "<w:characterSpacingControl w:val=\"doNotCompress\" /></w:settings>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn para_ids_are_removed() {
        let xml = br#"<w:p w14:paraId="0000001a"><w:pPr /></w:p><w:p w14:paraId="2">"#;
        assert_eq!(
            remove_para_ids(xml),
            br#"<w:p><w:pPr /></w:p><w:p>"#.to_vec()
        );
    }
}
