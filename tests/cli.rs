//! The command line as a user meets it: exit codes, `check` messages with locations, `init` →
//! `check` → `render`, `templates export` → `render -t`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn zhenggai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run zhenggai")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

#[test]
fn check_passes_on_the_examples() {
    let output = zhenggai(&[
        "check",
        "fixtures/county-police.yaml",
        "fixtures/round-2026/round.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("通过：检查了 3 个单位"),
        "{}",
        text(&output)
    );
}

const BROKEN: &str = "巡察:
  committee: 中共某县委
  group: 县委第一巡察组
  start: 2026-04-10
  end: 2026-03-01
  feedback_date: 2026-02-30
unit:
  name: 中共某局委员会
  nmae: 某局
  org: 某局
deadlines:
  plan_workdays: 十
findings:
  - category: 党的领导
    problems:
      - title: 学习不够
        measures:
          - action: 制定学习计划
            type: 马上改
            责任部: 办公室
            due: 2026-06-31
";

#[test]
fn check_reports_every_problem_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("broken.yaml");
    std::fs::write(&file, BROKEN).expect("write");
    let output = zhenggai(&["check", path_arg(&file)]);
    assert_eq!(output.status.code(), Some(1));
    let shown = text(&output);
    let at = |line: u32, column: u32| format!("{}:{line}:{column}: 错误: ", file.display());
    for expected in [
        format!(
            "{}round.end：巡察结束日期（2026年3月1日）早于进驻日期",
            at(5, 8)
        ),
        format!(
            "{}round.feedback_date：日期“2026-02-30”不存在：2026年2月只有28天",
            at(6, 18)
        ),
        format!(
            "{}unit.nmae：不认识的键“nmae”；是不是想写 name（全称）？",
            at(9, 3)
        ),
        format!(
            "{}deadlines.plan_workdays：这里应是一个不小于 0 的整数",
            at(12, 18)
        ),
        format!(
            "{}findings[0].problems[0].measures[0].type：“马上改”不是可选的写法",
            at(19, 19)
        ),
        format!(
            "{}findings[0].problems[0].measures[0].责任部：不认识的键“责任部”；是不是想写 department（责任部门）？",
            at(20, 13)
        ),
        format!(
            "{}findings[0].problems[0].measures[0].due：日期“2026-06-31”不存在",
            at(21, 18)
        ),
        format!(
            "{}findings[0].problems[0].measures[0].owner：缺少 owner（责任人）",
            at(18, 13)
        ),
        format!("{}plan：缺少 plan（整改方案）", at(1, 1)),
    ] {
        assert!(
            shown.contains(&expected),
            "missing {expected}\nin:\n{shown}"
        );
    }
    assert!(shown.contains("请按提示修改后再运行"));
}

#[test]
fn check_only_asks_for_what_the_chosen_document_needs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("speech-only.yaml");
    let county = std::fs::read_to_string("fixtures/county-police.yaml").expect("fixture");
    let without_plan: String = county.split("\nplan:").next().expect("head").to_string();
    std::fs::write(&file, without_plan).expect("write");
    let speech = zhenggai(&["check", "-d", "speech", path_arg(&file)]);
    assert_eq!(speech.status.code(), Some(0), "{}", text(&speech));
    let plan = zhenggai(&["check", "-d", "plan", path_arg(&file)]);
    assert_eq!(plan.status.code(), Some(1));
    assert!(
        text(&plan).contains("缺少 plan（整改方案）"),
        "{}",
        text(&plan)
    );
}

#[test]
fn exit_code_two_when_nothing_can_be_done() {
    let missing = zhenggai(&["check", "no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing).contains("找不到这个文件"),
        "{}",
        text(&missing)
    );
    let bad_argument = zhenggai(&["render", "fixtures/county-police.yaml", "-f", "pdf"]);
    assert_eq!(bad_argument.status.code(), Some(2));
    let no_input = zhenggai(&["render"]);
    assert_eq!(no_input.status.code(), Some(2));
}

#[test]
fn render_markdown_writes_the_three_documents() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = zhenggai(&[
        "render",
        "fixtures/county-police.yaml",
        "-f",
        "md",
        "-o",
        path_arg(out.path()),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    for (stem, title) in [
        (
            "整改工作方案",
            "中共XX县公安局委员会关于县委第XX巡察组巡察反馈意见的整改工作方案",
        ),
        (
            "反馈会讲话",
            "在县委第XX组巡察县公安局党委情况反馈会上的讲话",
        ),
        (
            "整改进展情况报告",
            "中共XX县公安局委员会关于县委第XX巡察组巡察反馈意见整改进展情况的报告",
        ),
    ] {
        let file = out.path().join("县公安局").join(format!("{stem}.md"));
        let markdown =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(common::first_title(&markdown), title, "{stem}");
    }
}

#[test]
fn init_gives_files_that_check_and_render() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("我的整改");
    let init = zhenggai(&["init", path_arg(&target)]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let manifest = target.join("round.yaml");
    assert!(manifest.is_file() && target.join("units/示例单位.yaml").is_file());
    let check = zhenggai(&["check", path_arg(&manifest)]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let out = dir.path().join("out");
    let render = zhenggai(&[
        "render",
        path_arg(&manifest),
        "-f",
        "md",
        "-o",
        path_arg(&out),
    ]);
    assert_eq!(render.status.code(), Some(0), "{}", text(&render));
    assert!(out.join("县公安局/反馈会讲话.md").is_file());
    let again = zhenggai(&["init", path_arg(&target)]);
    assert_eq!(again.status.code(), Some(2), "init must not overwrite");
    assert!(text(&again).contains("已存在"));
}

#[test]
fn exported_templates_override_the_built_in_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("tpl");
    let export = zhenggai(&["templates", "export", path_arg(&templates)]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    let speech = templates.join("speech.md");
    let original = std::fs::read_to_string(&speech).expect("exported speech.md");
    std::fs::write(&speech, original.replace("同志们：", "各位同志：")).expect("edit");
    let out = dir.path().join("out");
    let render = zhenggai(&[
        "render",
        "fixtures/county-police.yaml",
        "-d",
        "speech",
        "-f",
        "md",
        "-t",
        path_arg(&templates),
        "-o",
        path_arg(&out),
    ]);
    assert_eq!(render.status.code(), Some(0), "{}", text(&render));
    let rendered = std::fs::read_to_string(out.join("县公安局/反馈会讲话.md")).expect("rendered");
    assert!(rendered.contains("各位同志："), "{rendered:.300}");
    assert!(!rendered.contains("\n同志们："));
}

#[test]
fn help_explains_in_chinese() {
    let help = zhenggai(&["render", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let shown = text(&help);
    for words in [
        "生成哪种文书",
        "输出格式",
        "输出文件夹",
        "自定义模板文件夹",
        "版式",
    ] {
        assert!(shown.contains(words), "{words}: {shown}");
    }
}
