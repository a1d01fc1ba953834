//! stub (replaced by the docx branch)
use crate::diagnostics::Diagnostic;
use std::path::Path;
#[derive(Debug, Clone, Default)]
pub struct StyleProfile;
impl StyleProfile {
    pub fn from_arg(_arg: &str) -> Result<StyleProfile, Vec<Diagnostic>> {
        Ok(StyleProfile)
    }
    pub fn load(_path: &Path) -> Result<StyleProfile, Vec<Diagnostic>> {
        Ok(StyleProfile)
    }
}
#[derive(Debug, thiserror::Error)]
#[error("DOCX 错误")]
pub struct DocxError;
pub fn write_docx(_markdown: &str, _style: &StyleProfile) -> Result<Vec<u8>, DocxError> {
    Ok(Vec::new())
}
