//! stub (replaced by the templates branch)
use crate::diagnostics::Diagnostic;
use crate::model::UnitInput;
use serde::Serialize;
#[derive(Debug, Serialize)]
pub struct DocumentContext {}
pub struct Built {
    pub context: DocumentContext,
    pub warnings: Vec<Diagnostic>,
}
pub fn build(_unit: &UnitInput) -> Built {
    Built {
        context: DocumentContext {},
        warnings: Vec::new(),
    }
}
