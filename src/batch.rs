//! Many units at once: discover the units the user named, then for each unit load → validate → derive →
//! render → write, in parallel. A unit that fails is reported and skipped; the others are written
//! (ripgrep's rule: one bad item does not stop the batch, the exit code is decided at the end).
//!
//! Two passes: loading and validation first (cheap, and it lets two units that would write the same
//! folder be refused before anything is written), then rendering and writing, each unit's files
//! written as soon as they are made.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::context;
use crate::diagnostics::{self, Diagnostic};
use crate::docx::{self, StyleProfile};
use crate::input::{self, UnitSource};
use crate::model::{Document, UnitInput};
use crate::output;
use crate::templates::Engine;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Docx => "docx",
        }
    }
}

/// What to render, and where.
#[derive(Debug, Clone)]
pub struct RenderJob {
    pub docs: Vec<Document>,
    pub formats: Vec<Format>,
    pub out_dir: PathBuf,
    /// Parallel units; `None` uses every core.
    pub threads: Option<usize>,
}

/// What every unit of a run shares: the compiled templates and the style profile. Built once per run.
pub struct Toolkit {
    pub engine: Engine,
    pub style: StyleProfile,
}

/// What happened to one unit.
#[derive(Debug, Clone, Serialize)]
pub struct UnitOutcome {
    pub input: PathBuf,
    /// The unit's 单位名称 when it could be read.
    pub unit: Option<String>,
    pub outputs: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    pub millis: u64,
}

impl UnitOutcome {
    fn new(input: &Path) -> Self {
        UnitOutcome {
            input: input.to_path_buf(),
            unit: None,
            outputs: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            millis: 0,
        }
    }

    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    fn absorb(&mut self, found: Vec<Diagnostic>) {
        for diagnostic in found {
            if diagnostic.is_error() {
                self.errors.push(diagnostic);
            } else {
                self.warnings.push(diagnostic);
            }
        }
        diagnostics::sort(&mut self.errors);
        diagnostics::sort(&mut self.warnings);
    }
}

/// The result of a run: every unit, and the problems with the inputs themselves (a missing file, a
/// manifest whose glob matches nothing).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub units: Vec<UnitOutcome>,
    pub input_errors: Vec<Diagnostic>,
}

impl Summary {
    pub fn failed_units(&self) -> usize {
        self.units.iter().filter(|u| u.failed()).count()
    }

    pub fn files_written(&self) -> usize {
        self.units.iter().map(|u| u.outputs.len()).sum()
    }

    pub fn all_ok(&self) -> bool {
        self.failed_units() == 0 && !diagnostics::has_errors(&self.input_errors)
    }
}

/// Makes sure `dir` exists and can be written, before any unit is rendered: when it cannot, nothing can
/// be done and the run stops at once (exit code 2) instead of failing every unit alike.
pub fn prepare_output(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!(".zhenggai-probe-{}", std::process::id()));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, b""))
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|error| {
            format!(
                "输出文件夹 {} 无法写入：{error}；请换一个文件夹（-o）",
                dir.display()
            )
        })
}

/// Loads and validates every unit the inputs name, for `docs`; writes nothing.
pub fn check(inputs: &[PathBuf], docs: &[Document]) -> Summary {
    let discovery = input::discover(inputs);
    let units = discovery
        .units
        .par_iter()
        .map(|source| load_and_validate(source, docs).0)
        .collect();
    Summary {
        units,
        input_errors: discovery.diagnostics,
    }
}

/// Renders every unit the inputs name. `on_unit` is called as each unit finishes (progress).
pub fn render(
    inputs: &[PathBuf],
    job: &RenderJob,
    toolkit: &Toolkit,
    on_unit: &(dyn Fn(&UnitOutcome) + Sync),
) -> Summary {
    let discovery = input::discover(inputs);
    let run = || {
        let loaded: Vec<(UnitOutcome, Option<UnitInput>)> = discovery
            .units
            .par_iter()
            .map(|source| load_and_validate(source, &job.docs))
            .collect();
        let folders = assign_folders(loaded, &job.out_dir);
        folders
            .into_par_iter()
            .map(|(mut outcome, unit, folder)| {
                if let (Some(unit), Some(folder)) = (unit, folder) {
                    let started = Instant::now();
                    render_unit(&unit, &folder, job, toolkit, &mut outcome);
                    outcome.millis += started.elapsed().as_millis() as u64;
                }
                on_unit(&outcome);
                outcome
            })
            .collect()
    };
    let units = match job.threads {
        Some(threads) => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    };
    Summary {
        units,
        input_errors: discovery.diagnostics,
    }
}

fn load_and_validate(source: &UnitSource, docs: &[Document]) -> (UnitOutcome, Option<UnitInput>) {
    let started = Instant::now();
    let mut outcome = UnitOutcome::new(&source.file);
    let (unit, found) = input::load_and_validate(source, docs);
    outcome.unit = unit.as_ref().map(UnitInput::display_name);
    outcome.absorb(found);
    outcome.millis = started.elapsed().as_millis() as u64;
    let usable = unit.filter(|_| !outcome.failed());
    (outcome, usable)
}

/// Gives each good unit its output folder; two units that map to the same folder both fail, each
/// naming the other, rather than one overwriting the other.
fn assign_folders(
    loaded: Vec<(UnitOutcome, Option<UnitInput>)>,
    out_dir: &Path,
) -> Vec<(UnitOutcome, Option<UnitInput>, Option<PathBuf>)> {
    let folder_of = |unit: &UnitInput| {
        out_dir.join(output::safe_dir_name(
            unit.unit.org.as_deref().unwrap_or_default(),
        ))
    };
    // Windows and macOS file systems ignore case: “ABC局” and “abc局” are one folder there.
    let claim_key = |folder: &Path| folder.to_string_lossy().to_lowercase();
    let mut claims: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for (outcome, unit) in &loaded {
        if let Some(unit) = unit {
            claims
                .entry(claim_key(&folder_of(unit)))
                .or_default()
                .push(outcome.input.clone());
        }
    }
    loaded
        .into_iter()
        .map(|(mut outcome, unit)| {
            let Some(unit) = unit else {
                return (outcome, None, None);
            };
            let folder = folder_of(&unit);
            let sharing = &claims[&claim_key(&folder)];
            if sharing.len() > 1 {
                let others: Vec<String> = sharing
                    .iter()
                    .filter(|file| **file != outcome.input)
                    .map(|file| file.display().to_string())
                    .collect();
                let location = unit.locations.find("unit.org").cloned();
                outcome.errors.push(
                    Diagnostic::error(
                        "unit.org",
                        format!(
                            "输出文件夹 {} 与 {} 的相同，会互相覆盖；请把两个单位的 org（单位名称）改得不同",
                            folder.display(),
                            others.join("、")
                        ),
                    )
                    .at(location.as_ref()),
                );
                return (outcome, None, None);
            }
            (outcome, Some(unit), Some(folder))
        })
        .collect()
}

fn render_unit(
    unit: &UnitInput,
    folder: &Path,
    job: &RenderJob,
    toolkit: &Toolkit,
    outcome: &mut UnitOutcome,
) {
    let built = context::build(unit);
    outcome.absorb(built.warnings);
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(job.docs.len() * job.formats.len());
    for &doc in &job.docs {
        let markdown = match toolkit.engine.render(doc, &built.context) {
            Ok(markdown) => markdown,
            Err(error) => {
                outcome.errors.push(
                    Diagnostic::error("", format!("生成{doc}时模板出错：{error}"))
                        .in_file(&unit.source),
                );
                continue;
            }
        };
        for &format in &job.formats {
            let name = format!("{}.{}", doc.file_stem(), format.extension());
            match format {
                Format::Markdown => files.push((name, markdown.clone().into_bytes())),
                Format::Docx => match docx::write_docx(&markdown, &toolkit.style) {
                    Ok(bytes) => files.push((name, bytes)),
                    Err(error) => outcome.errors.push(
                        Diagnostic::error("", format!("生成{name}失败：{error}"))
                            .in_file(&unit.source),
                    ),
                },
            }
        }
    }
    if outcome.failed() {
        return;
    }
    match output::write_files_atomically(folder, &files) {
        Ok(()) => outcome.outputs = files.iter().map(|(name, _)| folder.join(name)).collect(),
        Err(error) => outcome
            .errors
            .push(Diagnostic::error("", error.to_string()).in_file(&unit.source)),
    }
}
