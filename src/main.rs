//! The `zhenggai` command: parse the arguments, call the library, print what happened once, and exit
//! with 0 (all done), 1 (some units failed, the rest written) or 2 (nothing could be done).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, TemplatesAction};
use zhenggai::batch::{self, RenderJob, Summary, Toolkit};
use zhenggai::docx::StyleProfile;
use zhenggai::templates::Engine;
use zhenggai::{Diagnostic, init, templates};

const FAILED_UNITS: u8 = 1;
const NOTHING_DONE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
        Command::Init { dir } => match init::write_example(&dir) {
            Ok(written) => {
                for path in &written {
                    println!("已生成 {}", path.display());
                }
                println!(
                    "下一步：按注释修改这些文件，然后运行 zhenggai check {0}/round.yaml 检查、zhenggai render {0}/round.yaml 生成文书",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => fail(&error.to_string()),
        },
        Command::Templates {
            action: TemplatesAction::Export { dir },
        } => match templates::export(&dir) {
            Ok(written) => {
                for path in &written {
                    println!("已导出 {}", path.display());
                }
                println!(
                    "修改后用 zhenggai render … -t {} 使用这些模板",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => fail(&format!("无法导出模板到 {}：{error}", dir.display())),
        },
    }
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
    let summary = batch::render(&args.inputs, &job, &toolkit, &|_| {});
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
    if summary.all_ok() && !summary.units.is_empty() {
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

fn print_summary(summary: &Summary, job: &RenderJob) {
    print_diagnostics(&summary.input_errors);
    for unit in &summary.units {
        print_diagnostics(&unit.warnings);
        if unit.failed() {
            eprintln!(
                "✗ {}（{}）未生成：",
                unit.unit.as_deref().unwrap_or("单位"),
                unit.input.display()
            );
            print_diagnostics(&unit.errors);
        }
    }
    let done = summary.units.len() - summary.failed_units();
    println!(
        "已生成 {} 个单位、{} 个文件，输出到 {}{}",
        done,
        summary.files_written(),
        job.out_dir.display(),
        if summary.failed_units() > 0 {
            format!("；{} 个单位失败（见上）", summary.failed_units())
        } else {
            String::new()
        }
    );
}
