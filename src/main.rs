//! The `zhenggai` command: parse the arguments, call the library, print what happened once, and exit
//! with 0 (all done), 1 (some units failed, the rest written) or 2 (nothing could be done).

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command, TemplatesAction};
use zhenggai::batch::{self, Progress, RenderJob, Stage, Summary, Toolkit, UnitOutcome};
use zhenggai::docx::StyleProfile;
use zhenggai::templates::Engine;
use zhenggai::{Diagnostic, init, templates};

// A round allocates and frees millions of small strings and element structs on every core (docx-rs
// builds each run's properties from owned strings); mimalloc serves them about 10% faster than glibc's
// malloc over a whole round, for about twice the peak memory (43 → 90 MB at 1,000 units; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FAILED_UNITS: u8 = 1;
const NOTHING_DONE: u8 = 2;
/// How many errors (and warnings) of one unit the summary shows; the rest are counted.
const SHOWN_PER_UNIT: usize = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
        Command::Init { dir } => match init::write_example(&dir) {
            Ok(written) => written_files(
                "已生成",
                &written,
                &format!(
                    "下一步：按注释修改这些文件，然后运行 zhenggai check {0}/round.yaml 检查、zhenggai render {0}/round.yaml 生成文书",
                    dir.display()
                ),
            ),
            Err(error) => fail(&error.to_string()),
        },
        Command::Templates {
            action: TemplatesAction::Export { dir },
        } => match templates::export(&dir) {
            Ok(written) => written_files(
                "已导出",
                &written,
                &format!(
                    "修改后用 zhenggai render … -t {} 使用这些模板",
                    dir.display()
                ),
            ),
            Err(error) => fail(&format!("无法导出模板到 {}：{error}", dir.display())),
        },
    }
}

/// Lists the files a command wrote, then what to do next.
fn written_files(verb: &str, written: &[std::path::PathBuf], next: &str) -> ExitCode {
    for path in written {
        println!("{verb} {}", path.display());
    }
    println!("{next}");
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("错误: {message}");
    ExitCode::from(NOTHING_DONE)
}

fn render(args: cli::RenderArgs) -> ExitCode {
    let engine = match Engine::new(args.templates.as_deref()) {
        Ok(engine) => engine,
        Err(error) => return fail(&error.to_string()),
    };
    let style = match StyleProfile::from_arg(&args.style) {
        Ok(style) => style,
        Err(problems) => {
            print_diagnostics(&problems);
            return fail("版式文件有误，未生成任何文件");
        }
    };
    let job = RenderJob {
        docs: cli::documents(&args.doc),
        formats: cli::formats(args.format),
        out_dir: args.out.clone(),
        threads: args.jobs,
    };
    if let Err(message) = batch::prepare_output(&job.out_dir) {
        return fail(&message);
    }
    let toolkit = Toolkit { engine, style };
    // The bar only on a terminal, and never with --json (whose reader is a program).
    let bar = (!args.json && std::io::stderr().is_terminal()).then(Bar::new);
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &(),
    };
    let summary = batch::render(&args.inputs, &job, &toolkit, progress);
    if let Some(bar) = &bar {
        bar.0.finish_and_clear();
    }
    if args.json {
        match serde_json::to_string_pretty(&summary) {
            Ok(json) => println!("{json}"),
            Err(error) => return fail(&format!("无法输出 JSON：{error}")),
        }
    } else {
        print_summary(&summary, &job);
    }
    exit_code(&summary)
}

fn check(args: cli::CheckArgs) -> ExitCode {
    let docs = cli::documents(&args.doc);
    let summary = batch::check(&args.inputs, &docs);
    print_diagnostics(&summary.input_errors);
    for unit in &summary.units {
        print_diagnostics(&unit.errors);
        print_diagnostics(&unit.warnings);
    }
    let errors: usize = summary.units.iter().map(|u| u.errors.len()).sum::<usize>()
        + summary.input_errors.iter().filter(|d| d.is_error()).count();
    if summary.units.is_empty() {
        eprintln!("没有找到任何单位文件，未检查；请按上面的提示检查路径");
    } else if summary.all_ok() {
        println!("通过：检查了 {} 个单位，没有发现错误", summary.units.len());
    } else {
        eprintln!(
            "共 {} 个错误（{} 个单位中 {} 个有错误）；请按提示修改后再运行 zhenggai check",
            errors,
            summary.units.len(),
            summary.failed_units()
        );
    }
    exit_code(&summary)
}

/// 2 when no unit was found at all, 0 when everything went through, else 1.
fn exit_code(summary: &Summary) -> ExitCode {
    if summary.units.is_empty() {
        ExitCode::from(NOTHING_DONE)
    } else if summary.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED_UNITS)
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "{diagnostic}");
    }
}

/// The terminal progress bar: stage, elapsed time, units done of all, the unit being rendered.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} 个单位  {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(bar)
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: usize) {
        // Count and length first: changing the prefix redraws the bar.
        self.0.set_position(0);
        self.0.set_length(total as u64);
        self.0.set_message("");
        self.0.set_prefix(match stage {
            Stage::Check => "检查",
            Stage::Render => "生成",
        });
    }

    fn unit_started(&self, name: &str) {
        self.0.set_message(name.to_owned());
    }

    fn unit_done(&self, _stage: Stage, _outcome: &UnitOutcome) {
        self.0.inc(1);
    }
}

/// “县公安局（units/police.yaml）”, or only the file when the unit could not be read.
fn unit_label(unit: &UnitOutcome) -> String {
    match &unit.unit {
        Some(name) => format!("{name}（{}）", unit.input.display()),
        None => unit.input.display().to_string(),
    }
}

/// Prints the first few of `diagnostics`, indented, and how many more there are.
fn print_some(diagnostics: &[Diagnostic], more: &str) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics.iter().take(SHOWN_PER_UNIT) {
        let _ = writeln!(stderr, "  {diagnostic}");
    }
    if diagnostics.len() > SHOWN_PER_UNIT {
        let _ = writeln!(
            stderr,
            "  …另有{}个{more}（zhenggai check 可列出全部）",
            diagnostics.len() - SHOWN_PER_UNIT
        );
    }
}

/// Warnings and failures on stderr, unit by unit in input order; the totals on stdout.
fn print_summary(summary: &Summary, job: &RenderJob) {
    print_diagnostics(&summary.input_errors);
    for unit in summary.units.iter().filter(|u| !u.warnings.is_empty()) {
        eprintln!("! {} 有警告：", unit_label(unit));
        print_some(&unit.warnings, "警告");
    }
    for unit in summary.units.iter().filter(|u| u.failed()) {
        eprintln!("✗ {} 未生成：", unit_label(unit));
        print_some(&unit.errors, "错误");
    }
    let totals = summary.totals();
    println!(
        "已生成 {} 个单位、{} 个文件，输出到 {}，用时 {:.2} 秒{}",
        totals.rendered,
        totals.files,
        job.out_dir.display(),
        summary.millis as f64 / 1000.0,
        if totals.failed > 0 {
            format!(
                "；{} 个单位失败（见上），这些单位没有写入任何文件",
                totals.failed
            )
        } else {
            String::new()
        }
    );
}
