//! Many units at once: discover the units the user named, then for each unit load → validate → derive →
//! render → write, in parallel. A unit that fails is reported and skipped; the others are written
//! (ripgrep's rule: one bad item does not stop the batch, the exit code is decided at the end).
//!
//! Two passes: loading and validation first (cheap, and it lets two units that would write the same
//! folder be refused before anything is written), then rendering and writing. The second pass streams:
//! a unit's documents are made, written (all or nothing, [`output::write_files_atomically`]) and
//! dropped before the worker takes the next unit, so memory holds at most one unit's output per thread,
//! whatever the size of the round. Between the passes each good unit is held without its source
//! locations; what the summary keeps of a unit is small (paths, diagnostics, time).
//!
//! The summary lists the units in the order they were found (the order of the arguments, and within a
//! manifest the sorted glob matches), whatever order the threads finished in; a caller that wants to
//! show progress implements [`Progress`], which the workers call as units finish.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::context::{self, DocumentContext};
use crate::diagnostics::{self, Diagnostic};
use crate::docx::{self, StyleProfile};
use crate::input::{self, UnitSource};
use crate::model::{Document, Location, Locations, UnitInput};
use crate::output;
use crate::templates::{Engine, TemplateData};

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

/// The two passes of [`render`], as reported to [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Loading and validating every unit (nothing is written).
    Check,
    /// Rendering and writing each good unit.
    Render,
}

/// Hooks for showing progress, called from the worker threads (so they must be cheap and `Sync`). Every
/// method has an empty default. The library knows no terminal: `main` draws the bar.
///
/// Calls come in this order: `stage(Check, n)`, `unit_done(Check, …)` n times, then `stage(Render, n)`
/// and per unit `unit_started` (units that failed the check skip it) and `unit_done(Render, …)`.
pub trait Progress: Sync {
    /// A stage begins, over `total` units.
    fn stage(&self, _stage: Stage, _total: usize) {}
    /// A unit starts rendering; `name` is its 单位名称.
    fn unit_started(&self, _name: &str) {}
    /// A unit is through `stage` (in the render stage: written, or failed and skipped).
    fn unit_done(&self, _stage: Stage, _outcome: &UnitOutcome) {}
}

/// No progress to show.
impl Progress for () {}

/// A closure is called as each unit is finally done (written, or failed and skipped).
impl<F: Fn(&UnitOutcome) + Sync> Progress for F {
    fn unit_done(&self, stage: Stage, outcome: &UnitOutcome) {
        if stage == Stage::Render {
            self(outcome)
        }
    }
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
#[derive(Debug, Default)]
pub struct Summary {
    pub units: Vec<UnitOutcome>,
    pub input_errors: Vec<Diagnostic>,
    /// Wall time of the whole run.
    pub millis: u64,
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

    /// The counts people and scripts look at first.
    pub fn totals(&self) -> Totals {
        Totals {
            units: self.units.len(),
            rendered: self.units.len() - self.failed_units(),
            failed: self.failed_units(),
            files: self.files_written(),
            warnings: self.units.iter().map(|u| u.warnings.len()).sum(),
        }
    }
}

/// Counts over a [`Summary`]; part of its JSON form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub units: usize,
    pub rendered: usize,
    pub failed: usize,
    pub files: usize,
    pub warnings: usize,
}

/// The JSON form (`--json`): the totals first, then every unit in input order.
impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            ok: bool,
            totals: Totals,
            millis: u64,
            input_errors: &'a [Diagnostic],
            units: &'a [UnitOutcome],
        }
        Json {
            ok: self.all_ok() && !self.units.is_empty(),
            totals: self.totals(),
            millis: self.millis,
            input_errors: &self.input_errors,
            units: &self.units,
        }
        .serialize(serializer)
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
                "输出文件夹 {} 无法写入：{}；请换一个文件夹（-o）",
                dir.display(),
                output::io_reason(&error)
            )
        })
}

/// Loads, validates and derives every unit the inputs name, for `docs`; writes nothing. Reports what
/// `render` would report before rendering, derived-value warnings included (a year the calendar lacks).
pub fn check(inputs: &[PathBuf], docs: &[Document]) -> Summary {
    let started = Instant::now();
    let discovery = input::discover(inputs);
    let units = discovery
        .units
        .par_iter()
        .map(|source| load_validate_derive(source, docs).0)
        .collect();
    Summary {
        units,
        input_errors: discovery.diagnostics,
        millis: started.elapsed().as_millis() as u64,
    }
}

/// Renders every unit the inputs name, calling `progress` as units go by.
///
/// The first pass keeps each good unit without its source locations (those are what made a parsed
/// unit big: 2,000 units with them took 250 MB), so the second pass derives, renders, writes and drops
/// it without parsing the file again.
pub fn render(
    inputs: &[PathBuf],
    job: &RenderJob,
    toolkit: &Toolkit,
    progress: &dyn Progress,
) -> Summary {
    let started = Instant::now();
    let discovery = input::discover(inputs);
    let total = discovery.units.len();
    let run = || {
        progress.stage(Stage::Check, total);
        let checked: Vec<(UnitOutcome, Option<Claim>)> = discovery
            .units
            .par_iter()
            .map(|source| {
                let checked = check_unit(source, &job.docs, &job.out_dir);
                progress.unit_done(Stage::Check, &checked.0);
                checked
            })
            .collect();
        let assigned = assign_folders(checked);
        progress.stage(Stage::Render, total);
        assigned
            .into_par_iter()
            .map(|(mut outcome, good)| {
                if let Some((unit, folder)) = good {
                    progress.unit_started(outcome.unit.as_deref().unwrap_or_default());
                    let started = Instant::now();
                    render_unit(
                        &context::build(&unit).context,
                        &folder,
                        job,
                        toolkit,
                        &mut outcome,
                    );
                    outcome.millis += started.elapsed().as_millis() as u64;
                }
                progress.unit_done(Stage::Render, &outcome);
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
        millis: started.elapsed().as_millis() as u64,
    }
}

/// A good unit (its source locations dropped), the folder it wants to write, and where its `org` was
/// written (for the collision message).
struct Claim {
    unit: UnitInput,
    folder: PathBuf,
    org_at: Option<Location>,
}

fn folder_of(unit: &UnitInput, out_dir: &Path) -> PathBuf {
    out_dir.join(output::safe_dir_name(
        unit.unit.org.as_deref().unwrap_or_default(),
    ))
}

/// Loads and validates a unit and, for a good unit, derives its template context once to collect the
/// derived-value warnings (a year the calendar lacks), which need the source locations.
fn load_validate_derive(
    source: &UnitSource,
    docs: &[Document],
) -> (UnitOutcome, Option<UnitInput>) {
    let started = Instant::now();
    let mut outcome = UnitOutcome::new(&source.file);
    let (unit, found) = input::load_and_validate(source, docs);
    outcome.unit = unit.as_ref().map(UnitInput::display_name);
    outcome.absorb(found);
    let good = unit.filter(|_| !outcome.failed()).inspect(|unit| {
        outcome.absorb(context::build(unit).warnings);
    });
    outcome.millis = started.elapsed().as_millis() as u64;
    (outcome, good)
}

/// First pass: the unit's problems, and for a good unit the folder it claims.
fn check_unit(
    source: &UnitSource,
    docs: &[Document],
    out_dir: &Path,
) -> (UnitOutcome, Option<Claim>) {
    let (outcome, good) = load_validate_derive(source, docs);
    let claim = good.map(|mut unit| {
        let org_at = unit.locations.find("unit.org").cloned();
        unit.locations = Locations::default();
        Claim {
            folder: folder_of(&unit, out_dir),
            org_at,
            unit,
        }
    });
    (outcome, claim)
}

/// Gives each good unit its output folder; two units that map to the same folder both fail, each
/// naming the other, rather than one overwriting the other.
fn assign_folders(
    checked: Vec<(UnitOutcome, Option<Claim>)>,
) -> Vec<(UnitOutcome, Option<(UnitInput, PathBuf)>)> {
    // Windows and macOS file systems ignore case: “ABC局” and “abc局” are one folder there.
    let claim_key = |folder: &Path| folder.to_string_lossy().to_lowercase();
    let mut claims: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for (outcome, claim) in &checked {
        if let Some(claim) = claim {
            claims
                .entry(claim_key(&claim.folder))
                .or_default()
                .push(outcome.input.clone());
        }
    }
    checked
        .into_iter()
        .map(|(mut outcome, claim)| {
            let Some(Claim {
                unit,
                folder,
                org_at,
            }) = claim
            else {
                return (outcome, None);
            };
            let sharing = claims
                .get(&claim_key(&folder))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if sharing.len() > 1 {
                let others: Vec<String> = sharing
                    .iter()
                    .filter(|file| **file != outcome.input)
                    .map(|file| file.display().to_string())
                    .collect();
                outcome.errors.push(
                    Diagnostic::error(
                        "unit.org",
                        format!(
                            "输出文件夹 {} 与 {} 的相同，会互相覆盖；请把两个单位的 org（单位名称）改得不同",
                            folder.display(),
                            others.join("、")
                        ),
                    )
                    .at(org_at.as_ref()),
                );
                return (outcome, None);
            }
            (outcome, Some((unit, folder)))
        })
        .collect()
}

/// A file to write: its name in the unit's folder, and its bytes.
type OutputFile = (String, Vec<u8>);

fn render_unit(
    context: &DocumentContext,
    folder: &Path,
    job: &RenderJob,
    toolkit: &Toolkit,
    outcome: &mut UnitOutcome,
) {
    let source = outcome.input.clone();
    let data = match toolkit.engine.data(context) {
        Ok(data) => data,
        Err(error) => {
            outcome
                .errors
                .push(Diagnostic::error("", error.to_string()).in_file(&source));
            return;
        }
    };
    // The documents of a unit are independent: rendered in parallel too, which is what makes a
    // one-unit run use more than one core (rayon's work stealing keeps a big round from
    // oversubscribing). The results keep the order of `job.docs`.
    let rendered: Vec<Result<Vec<OutputFile>, Diagnostic>> = job
        .docs
        .par_iter()
        .map(|&doc| render_document(doc, &data, &source, job, toolkit))
        .collect();
    let mut files: Vec<OutputFile> = Vec::with_capacity(job.docs.len() * job.formats.len());
    for result in rendered {
        match result {
            Ok(made) => files.extend(made),
            Err(error) => outcome.errors.push(error),
        }
    }
    if outcome.failed() {
        return;
    }
    match output::write_files_atomically(folder, &files) {
        Ok(()) => outcome.outputs = files.iter().map(|(name, _)| folder.join(name)).collect(),
        Err(error) => outcome
            .errors
            .push(Diagnostic::error("", error.to_string()).in_file(&source)),
    }
}

/// One document of a unit in every format asked for: (file name, bytes), DOCX before Markdown.
fn render_document(
    doc: Document,
    data: &TemplateData,
    source: &Path,
    job: &RenderJob,
    toolkit: &Toolkit,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let markdown = toolkit.engine.render_data(doc, data).map_err(|error| {
        Diagnostic::error("", format!("生成{doc}时模板出错：{error}")).in_file(source)
    })?;
    let name = |format: Format| format!("{}.{}", doc.file_stem(), format.extension());
    let mut files = Vec::with_capacity(job.formats.len());
    if job.formats.contains(&Format::Docx) {
        let bytes = docx::write_docx(&markdown, &toolkit.style).map_err(|error| {
            Diagnostic::error("", format!("生成{}失败：{error}", name(Format::Docx)))
                .in_file(source)
        })?;
        files.push((name(Format::Docx), bytes));
    }
    if job.formats.contains(&Format::Markdown) {
        files.push((name(Format::Markdown), markdown.into_bytes()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Progress for Recorder {
        fn stage(&self, stage: Stage, total: usize) {
            self.0.lock().unwrap().push(format!("{stage:?} {total}"));
        }
        fn unit_started(&self, name: &str) {
            self.0.lock().unwrap().push(format!("start {name}"));
        }
        fn unit_done(&self, stage: Stage, outcome: &UnitOutcome) {
            let name = outcome.unit.clone().unwrap_or_default();
            self.0
                .lock()
                .unwrap()
                .push(format!("done {stage:?} {name}"));
        }
    }

    #[test]
    fn progress_hooks_come_in_order_and_the_summary_keeps_input_order() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let out = tempfile::tempdir().unwrap();
        let job = RenderJob {
            docs: Document::ALL.to_vec(),
            formats: vec![Format::Markdown],
            out_dir: out.path().to_path_buf(),
            threads: Some(2),
        };
        let toolkit = Toolkit {
            engine: Engine::new(None).unwrap(),
            style: StyleProfile::from_arg("gbt9704").unwrap(),
        };
        let recorder = Recorder::default();
        let inputs = [
            fixtures.join("round-2026/round.yaml"),
            fixtures.join("county-police.yaml"),
        ];
        let summary = render(&inputs, &job, &toolkit, &recorder);
        let events = recorder.0.into_inner().unwrap();

        assert_eq!(events[0], "Check 3");
        let render_at = events.iter().position(|e| e == "Render 3").unwrap();
        assert_eq!(render_at, 4, "{events:?}");
        assert!(events[1..4].iter().all(|e| e.starts_with("done Check")));
        let rest = &events[render_at + 1..];
        assert_eq!(rest.iter().filter(|e| e.starts_with("start ")).count(), 3);
        assert_eq!(
            rest.iter().filter(|e| e.starts_with("done Render")).count(),
            3
        );
        for name in ["县教育体育局", "县卫生健康局", "县公安局"] {
            let started = rest.iter().position(|e| *e == format!("start {name}"));
            let done = rest
                .iter()
                .position(|e| *e == format!("done Render {name}"));
            assert!(started.is_some() && started < done, "{events:?}");
        }

        let units: Vec<&str> = summary
            .units
            .iter()
            .map(|u| u.unit.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(units, ["县教育体育局", "县卫生健康局", "县公安局"]);
        assert_eq!(
            summary.totals(),
            Totals {
                units: 3,
                rendered: 3,
                failed: 0,
                files: 9,
                warnings: summary.totals().warnings,
            }
        );
    }
}
