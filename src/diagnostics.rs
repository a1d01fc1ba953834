//! Problems found in the input, and how they are shown to people.
//!
//! Every stage that inspects user data (load, parse, validate, derive, style profiles) reports through
//! [`Diagnostic`], so that `check` and `render` print them the same way:
//! `文件:行:列: 错误: 字段路径：说明`.

use std::fmt;
use std::path::PathBuf;

use crate::model::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The field path, e.g. `findings[1].problems[0].measures[2].owner`; empty for the whole file.
    pub path: String,
    /// What is wrong and what to write instead, in Chinese.
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, location: Option<&Location>) -> Self {
        if let Some(location) = location {
            self.file = Some(location.file.clone());
            self.line = Some(location.line);
            self.column = Some(location.column);
        }
        self
    }

    pub fn at_line(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        })?;
        f.write_str(": ")?;
        if !self.path.is_empty() {
            write!(f, "{}：", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Diagnostics of one input, errors first in file order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_file_line_column_path_and_message() {
        let shown = Diagnostic::error("plan.date", "请写成 YYYY-MM-DD")
            .in_file("a.yaml")
            .at_line(3, 9)
            .to_string();
        assert_eq!(shown, "a.yaml:3:9: 错误: plan.date：请写成 YYYY-MM-DD");
    }
}
