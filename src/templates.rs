//! stub (replaced by the templates branch)
use crate::context::DocumentContext;
use crate::model::Document;
use std::path::{Path, PathBuf};
#[derive(Debug, thiserror::Error)]
#[error("模板错误")]
pub struct TemplateError;
pub struct Engine;
impl Engine {
    pub fn new(_user_dir: Option<&Path>) -> Result<Engine, TemplateError> {
        Ok(Engine)
    }
    pub fn render(
        &self,
        _doc: Document,
        _context: &DocumentContext,
    ) -> Result<String, TemplateError> {
        Ok(String::new())
    }
}
pub fn export(_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(Vec::new())
}
