//! zhenggai turns YAML describing a Party inspection's findings and the inspected unit's responses into
//! the rectification documents (整改工作方案, 反馈会讲话, 整改进展情况报告), as 公文 Markdown or as DOCX
//! laid out by GB/T 9704-2012.
//!
//! The data flows one way, one module per stage:
//!
//! ```text
//! paths ─input::discover─▶ unit files ─input::decode─▶ text ─input::yaml─▶ located tree
//!       ─input::read─▶ UnitInput (+ manifest merge) ─input::validate─▶ every problem
//!       ─context::build─▶ DocumentContext ─templates::Engine::render─▶ 公文 Markdown
//!       ─docx::write_docx─▶ .docx bytes ─output::write_files_atomically─▶ files
//! ```
//!
//! `batch` drives the stages for many units in parallel. Nothing here knows about the command line.

pub mod batch;
pub mod calendar;
pub mod context;
pub mod diagnostics;
pub mod docx;
pub mod init;
pub mod input;
pub mod markdown;
pub mod model;
pub mod output;
pub mod templates;

pub use diagnostics::{Diagnostic, Severity};
pub use model::{Document, UnitInput};
