//! The DOCX writer: 公文 Markdown (see docs/gongwen-markdown.md) → a DOCX laid out by GB/T 9704-2012.
//!
//! `writer` walks the event stream of [`crate::markdown::events`] and builds paragraphs and tables with
//! docx-rs; `page` owns the page geometry, sections and footers; `style` the style profile; `package`
//! the few post-processing steps docx-rs cannot do and the deterministic zip.

mod package;
mod page;
pub mod style;
mod text;
mod writer;

pub use style::StyleProfile;

use crate::markdown::BlockError;

/// Why a DOCX could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("公文 Markdown 的版式块有误：{0}")]
    Block(#[from] BlockError),
    #[error("“{block}”块中不能使用{what}")]
    Unsupported { block: &'static str, what: String },
    #[error("生成 DOCX 文件失败：{0}")]
    Package(String),
}

/// Renders 公文 Markdown to the bytes of a DOCX file. The same input and profile give the same bytes.
pub fn write_docx(markdown: &str, style: &StyleProfile) -> Result<Vec<u8>, DocxError> {
    let docx = writer::write(markdown, style)?;
    package::pack(docx)
}
