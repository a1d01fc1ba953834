//! Which unit files the user's paths name: unit files, round manifests (with their `units` globs) and
//! folders. The same unit file reached twice is rendered once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::read::{FileContent, Manifest};
use crate::diagnostics::Diagnostic;

/// One unit to render: its file, and the manifest it inherits from.
#[derive(Debug, Clone)]
pub struct UnitSource {
    pub file: PathBuf,
    pub manifest: Option<Arc<Manifest>>,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub units: Vec<UnitSource>,
    /// Problems with the paths or manifests themselves (a glob that matches nothing, a bad manifest).
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands the user's paths. A folder stands for the round manifests in it, or, when it has none, for
/// every `.yaml`/`.yml` file in it.
pub fn discover(inputs: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = HashSet::new();
    for input in inputs {
        if input.is_dir() {
            discover_folder(input, &mut discovery, &mut seen);
        } else {
            discover_file(input, &mut discovery, &mut seen);
        }
    }
    discovery
}

fn yaml_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.is_file()
                && path.extension().is_some_and(|ext| {
                    ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")
                })
        })
        .collect();
    files.sort();
    Ok(files)
}

fn discover_folder(folder: &Path, discovery: &mut Discovery, seen: &mut HashSet<PathBuf>) {
    let files = match yaml_files_in(folder) {
        Ok(files) => files,
        Err(error) => {
            discovery
                .diagnostics
                .push(Diagnostic::error("", format!("无法读取文件夹：{error}")).in_file(folder));
            return;
        }
    };
    let manifests: Vec<&PathBuf> = files.iter().filter(|f| is_manifest(f)).collect();
    if manifests.is_empty() {
        if files.is_empty() {
            discovery
                .diagnostics
                .push(Diagnostic::error("", "文件夹里没有 .yaml 或 .yml 文件").in_file(folder));
        }
        for file in &files {
            discover_file(file, discovery, seen);
        }
    } else {
        for manifest in manifests {
            discover_file(manifest, discovery, seen);
        }
    }
}

/// A cheap look for a top-level `units:` key, so that a folder's manifests are found without parsing
/// every file twice.
fn is_manifest(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        String::from_utf8_lossy(&bytes)
            .lines()
            .any(|line| line.starts_with("units:") || line.starts_with("单位清单:"))
    })
}

fn discover_file(path: &Path, discovery: &mut Discovery, seen: &mut HashSet<PathBuf>) {
    if !path.exists() {
        discovery
            .diagnostics
            .push(Diagnostic::error("", "找不到这个文件或文件夹；请检查路径").in_file(path));
        return;
    }
    if !is_manifest(path) {
        if !add_unit(path.to_path_buf(), None, discovery, seen) {
            discovery.diagnostics.push(
                Diagnostic::warning(
                    "",
                    "这个单位文件前面已经列过（在命令行或轮次清单里），只处理一次",
                )
                .in_file(path),
            );
        }
        return;
    }
    let (content, diagnostics) = super::read_path(path);
    let has_errors = crate::diagnostics::has_errors(&diagnostics);
    discovery.diagnostics.extend(diagnostics);
    match content {
        Some(FileContent::Manifest(manifest)) if !has_errors => {
            expand_manifest(Arc::new(*manifest), discovery, seen)
        }
        Some(FileContent::Unit(_)) if !has_errors => {
            add_unit(path.to_path_buf(), None, discovery, seen);
        }
        _ => {}
    }
}

fn expand_manifest(
    manifest: Arc<Manifest>,
    discovery: &mut Discovery,
    seen: &mut HashSet<PathBuf>,
) {
    let base = manifest.file.parent().unwrap_or(Path::new(""));
    if manifest.units.is_empty() {
        discovery.diagnostics.push(
            Diagnostic::error(
                "units",
                "轮次清单的 units（单位清单）是空的；请列出单位文件，如 - units/*.yaml",
            )
            .in_file(&manifest.file),
        );
    }
    for (index, (pattern, location)) in manifest.units.iter().enumerate() {
        let path = format!("units[{index}]");
        // The manifest's own folder is a path, not a pattern: a folder named “第[2]轮” must not be
        // read as a character class.
        let escaped_base = glob::Pattern::escape(&base.to_string_lossy());
        let full = Path::new(&escaped_base).join(pattern);
        let full_text = full.to_string_lossy();
        let matches = match glob::glob(&full_text) {
            Ok(paths) => {
                let mut found: Vec<PathBuf> = paths
                    .filter_map(Result::ok)
                    .filter(|p| p.is_file())
                    .collect();
                found.sort();
                found
            }
            Err(error) => {
                discovery.diagnostics.push(
                    Diagnostic::error(path, format!("通配符“{pattern}”写法有误：{}", error.msg))
                        .at(Some(location)),
                );
                continue;
            }
        };
        if matches.is_empty() {
            discovery.diagnostics.push(
                Diagnostic::error(
                    path.clone(),
                    format!(
                        "“{pattern}”没有找到任何文件（在 {} 下查找）；请检查路径，路径相对于轮次清单所在的文件夹",
                        if base.as_os_str().is_empty() { Path::new(".") } else { base }.display()
                    ),
                )
                .at(Some(location)),
            );
        }
        let literal = !pattern.contains(['*', '?', '[']);
        for file in matches {
            if file == manifest.file {
                continue;
            }
            let shown = file.display().to_string();
            if !add_unit(file, Some(manifest.clone()), discovery, seen) && literal {
                discovery.diagnostics.push(
                    Diagnostic::warning(
                        path.clone(),
                        format!("单位文件 {shown} 前面已经列过，只处理一次；请删去重复的这一行"),
                    )
                    .at(Some(location)),
                );
            }
        }
    }
}

fn add_unit(
    file: PathBuf,
    manifest: Option<Arc<Manifest>>,
    discovery: &mut Discovery,
    seen: &mut HashSet<PathBuf>,
) -> bool {
    let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
    let new = seen.insert(identity);
    if new {
        discovery.units.push(UnitSource { file, manifest });
    }
    new
}
