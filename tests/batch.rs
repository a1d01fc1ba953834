//! The batch through the real command: a round with a broken unit, unsafe and colliding folder names,
//! re-rendering over earlier output, the `--json` summary, quiet output when piped, and exit code 2.
//!
//! Every test runs the built binary in a temporary folder holding a copy of `fixtures/round-2026`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const DOCS: [&str; 3] = ["整改工作方案", "反馈会讲话", "整改进展情况报告"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A copy of the fixture round in a temporary folder: `round.yaml`, `units/education.yaml`,
/// `units/health.yaml`.
fn round() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = fixtures().join("round-2026");
    fs::create_dir_all(dir.path().join("units")).expect("units folder");
    fs::copy(source.join("round.yaml"), dir.path().join("round.yaml")).expect("copy manifest");
    for unit in ["education.yaml", "health.yaml"] {
        fs::copy(
            source.join("units").join(unit),
            dir.path().join("units").join(unit),
        )
        .expect("copy unit");
    }
    dir
}

/// The health unit of the fixture round, with `org` changed: a valid unit that writes to `org`.
fn unit_with_org(org: &str) -> String {
    let text =
        fs::read_to_string(fixtures().join("round-2026/units/health.yaml")).expect("fixture");
    let quoted = serde_json::to_string(org).expect("quote");
    text.replacen("org: 县卫生健康局", &format!("org: {quoted}"), 1)
}

fn add_unit(round: &TempDir, file: &str, text: &str) -> PathBuf {
    let path = round.path().join("units").join(file);
    fs::write(&path, text).expect("write unit");
    path
}

fn zhenggai(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run zhenggai")
}

fn render_md(round: &TempDir, extra: &[&str]) -> Output {
    let mut args = vec!["render", "round.yaml", "-f", "md", "-o", "out"];
    args.extend_from_slice(extra);
    zhenggai(&args, round.path())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, found: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, found);
            } else {
                let relative = path.strip_prefix(base).expect("inside");
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

fn md_files(org: &str) -> Vec<String> {
    DOCS.iter().map(|doc| format!("{org}/{doc}.md")).collect()
}

#[test]
fn the_fixture_round_renders_every_unit() {
    let round = round();
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut expected = md_files("县卫生健康局");
    expected.extend(md_files("县教育体育局"));
    expected.sort();
    assert_eq!(tree(&round.path().join("out")), expected);
    assert!(
        stdout(&output).contains("已生成 2 个单位、6 个文件"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_broken_unit_is_named_and_skipped_and_the_others_are_written() {
    let round = round();
    // A YAML syntax error on line 3 (an unclosed flow sequence) …
    add_unit(
        &round,
        "broken.yaml",
        "unit:\n  name: 中共青山县审计局委员会\n  org: [县审计局\n",
    );
    // … and a unit that parses but misses what the plan needs and has a wrong status.
    let invalid = unit_with_org("县统计局")
        .replacen("lead: 马建国", "lead:", 1)
        .replacen("status: 已完成", "status: 完了", 1);
    add_unit(&round, "invalid.yaml", &invalid);

    let output = render_md(&round, &[]);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");

    // The good units are written in full; the failing ones have no folder at all.
    let mut expected = md_files("县卫生健康局");
    expected.extend(md_files("县教育体育局"));
    expected.sort();
    assert_eq!(tree(&round.path().join("out")), expected);

    // Each failure is named with its file, and its errors with file:line:column.
    let broken = Path::new("units").join("broken.yaml");
    assert!(
        err.contains(&format!(
            "✗ {} 未生成",
            round.path().join(&broken).display()
        )) || err.contains(&format!("✗ {} 未生成", broken.display())),
        "{err}"
    );
    assert!(err.contains("broken.yaml:3:"), "{err}");
    assert!(err.contains("✗ 县统计局（"), "{err}");
    assert!(err.contains("invalid.yaml:"), "{err}");
    assert!(err.contains("measures[0].lead"), "{err}");
    assert!(err.contains("“完了”"), "{err}");
    assert!(
        stdout(&output).contains("已生成 2 个单位、6 个文件")
            && stdout(&output).contains("2 个单位失败"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_unit_with_many_errors_shows_the_first_few_and_counts_the_rest() {
    let round = round();
    let mut text = unit_with_org("县统计局");
    for owner in ["owner: 冯涛", "owner: 许亮"] {
        text = text.replace(owner, "owner:");
    }
    text = text.replace("department: 党建办", "department:");
    text = text.replace("due: 2026-08-31", "due:");
    text = text.replace("due: 2026-07-31", "due:");
    add_unit(&round, "many.yaml", &text);
    let output = render_md(&round, &[]);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    let shown = err.lines().filter(|l| l.contains("many.yaml:")).count();
    assert_eq!(shown, 3, "{err}");
    assert!(err.contains("…另有"), "{err}");
}

#[test]
fn unsafe_folder_names_stay_inside_the_output_folder() {
    let round = round();
    add_unit(&round, "up.yaml", &unit_with_org("../../etc"));
    add_unit(&round, "con.yaml", &unit_with_org("CON"));
    add_unit(&round, "slash.yaml", &unit_with_org("a/b"));
    add_unit(&round, "reserved.yaml", &unit_with_org("县审计局:?*"));
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let out = round.path().join("out");
    let folders: Vec<String> = fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for folder in ["_.._etc", "_CON", "a_b", "县审计局___"] {
        assert!(folders.contains(&folder.to_string()), "{folders:?}");
        assert_eq!(tree(&out.join(folder)).len(), 3, "{folder}");
    }
    // Nothing escaped: every file is two levels under out/, and nothing appeared beside the round.
    assert!(tree(&out).iter().all(|f| f.matches('/').count() == 1));
    assert!(!round.path().join("etc").exists());
    assert!(!round.path().parent().expect("parent").join("etc").exists());
}

#[test]
fn two_units_with_the_same_folder_both_fail_naming_each_other() {
    let round = round();
    let first = add_unit(&round, "a.yaml", &unit_with_org("县审计局"));
    // Differs only by a trailing dot, which folder names drop (Windows does too): the same folder.
    let second = add_unit(&round, "b.yaml", &unit_with_org("县审计局."));
    let output = render_md(&round, &[]);
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(!round.path().join("out/县审计局").exists());

    let block = |file: &str| -> String {
        err.split('✗')
            .find(|b| b.contains(&format!("{file}） 未生成")))
            .unwrap_or_else(|| panic!("no failure for {file}: {err}"))
            .to_string()
    };
    let a = block("a.yaml");
    let b = block("b.yaml");
    assert!(
        a.contains(
            &second
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string()
        )
    );
    assert!(
        b.contains(
            &first
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string()
        )
    );
    assert!(a.contains("unit.org") && a.contains("a.yaml:4:"), "{a}");
    // The other units are written.
    assert_eq!(tree(&round.path().join("out")).len(), 6);
}

#[test]
fn the_same_unit_reached_twice_is_rendered_once() {
    let round = round();
    let output = zhenggai(
        &[
            "render",
            "round.yaml",
            "units/health.yaml",
            "./units/../units/health.yaml",
            "-f",
            "md",
            "-o",
            "out",
            "--json",
        ],
        round.path(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["totals"]["units"], 2);
    assert_eq!(json["units"].as_array().map(Vec::len), Some(2));
}

#[test]
fn re_rendering_replaces_files_and_a_failed_re_render_keeps_the_old_ones() {
    let round = round();
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let plan = round.path().join("out/县卫生健康局/整改工作方案.md");
    let speech = round.path().join("out/县卫生健康局/反馈会讲话.md");
    let before = fs::read(&speech).expect("speech");

    // A change in the data shows in the re-rendered files.
    let health = round.path().join("units/health.yaml");
    let text = fs::read_to_string(&health).expect("unit");
    fs::write(
        &health,
        text.replace(
            "要持续加强卫生健康系统党的建设",
            "要全面加强卫生健康系统党的建设",
        ),
    )
    .expect("edit");
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let changed = fs::read(&speech).expect("speech");
    assert_ne!(changed, before);
    assert!(String::from_utf8_lossy(&changed).contains("要全面加强卫生健康系统党的建设"));

    // Now the unit breaks: the run fails for it and its earlier files stay byte for byte.
    let snapshot: Vec<(PathBuf, Vec<u8>)> = [&plan, &speech]
        .into_iter()
        .map(|p| (p.clone(), fs::read(p).expect("file")))
        .collect();
    fs::write(&health, text.replace("status: 已完成", "status: 完了")).expect("break");
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    for (path, bytes) in snapshot {
        assert_eq!(fs::read(&path).expect("file"), bytes, "{}", path.display());
    }
    // No temporary or backup files are left beside them.
    let mut expected: Vec<String> = DOCS.iter().map(|d| format!("{d}.md")).collect();
    expected.sort();
    assert_eq!(tree(&round.path().join("out/县卫生健康局")), expected);
}

#[test]
fn json_summary_lists_units_outputs_errors_and_times() {
    let round = round();
    add_unit(
        &round,
        "broken.yaml",
        "unit:\n  name: 中共青山县审计局委员会\n  org: [县审计局\n",
    );
    let output = render_md(&round, &["--json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    // Nothing but the JSON: no bar, no summary lines.
    assert_eq!(stderr(&output), "");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");

    assert_eq!(json["ok"], false);
    assert_eq!(json["totals"]["units"], 3);
    assert_eq!(json["totals"]["rendered"], 2);
    assert_eq!(json["totals"]["failed"], 1);
    assert_eq!(json["totals"]["files"], 6);
    assert!(json["millis"].is_u64());

    let units = json["units"].as_array().expect("units");
    // Input order: the manifest's glob matches, sorted.
    let inputs: Vec<&str> = units
        .iter()
        .map(|u| u["input"].as_str().expect("input"))
        .collect();
    assert!(inputs[0].ends_with("broken.yaml"), "{inputs:?}");
    assert!(inputs[1].ends_with("education.yaml"), "{inputs:?}");
    assert!(inputs[2].ends_with("health.yaml"), "{inputs:?}");

    let broken = &units[0];
    assert_eq!(broken["outputs"].as_array().map(Vec::len), Some(0));
    let error = &broken["errors"][0];
    assert_eq!(error["severity"], "error");
    assert_eq!(error["line"], 3);
    assert!(error["column"].is_u64());
    assert!(
        error["file"]
            .as_str()
            .expect("file")
            .ends_with("broken.yaml")
    );
    assert!(!error["message"].as_str().expect("message").is_empty());

    let health = &units[2];
    assert_eq!(health["unit"], "县卫生健康局");
    assert_eq!(health["errors"].as_array().map(Vec::len), Some(0));
    let outputs: Vec<&str> = health["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| o.as_str().expect("path"))
        .collect();
    assert_eq!(outputs.len(), 3);
    for (output, doc) in outputs.iter().zip(DOCS) {
        assert!(
            output.ends_with(&format!("县卫生健康局/{doc}.md")),
            "{output}"
        );
        assert!(round.path().join(output).is_file(), "{output}");
    }
    assert!(health["millis"].is_u64());
    assert!(health["warnings"].is_array());
}

#[test]
fn no_progress_bar_when_piped() {
    let round = round();
    let output = render_md(&round, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains('\u{1b}'), "ANSI escape in {all:?}");
    assert!(!all.contains('\r'), "carriage return in {all:?}");
    for bar in ["检查 [", "生成 [", "=>", "个单位  "] {
        assert!(!all.contains(bar), "bar text {bar:?} in {all:?}");
    }
    // Only the one summary line.
    assert_eq!(stderr(&output), "");
    assert_eq!(stdout(&output).lines().count(), 1, "{}", stdout(&output));
}

#[test]
fn an_output_folder_that_cannot_be_made_is_exit_2_and_nothing_is_written() {
    let round = round();
    fs::write(round.path().join("a-file"), "").expect("file");
    let output = zhenggai(
        &["render", "round.yaml", "-f", "md", "-o", "a-file/out"],
        round.path(),
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a-file/out"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("无法写入"), "{}", stderr(&output));
}

#[test]
fn no_units_found_is_exit_2() {
    let round = round();
    let output = zhenggai(
        &["render", "missing.yaml", "-f", "md", "-o", "out"],
        round.path(),
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("missing.yaml"),
        "{}",
        stderr(&output)
    );

    fs::create_dir(round.path().join("empty")).expect("folder");
    let output = zhenggai(&["render", "empty", "-f", "md", "-o", "out"], round.path());
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        !round
            .path()
            .join("out")
            .read_dir()
            .is_ok_and(|mut d| d.next().is_some())
    );
}

#[test]
fn docx_and_markdown_together_write_both_for_every_unit() {
    let round = round();
    let output = zhenggai(
        &["render", "round.yaml", "-f", "all", "-o", "out", "-j", "1"],
        round.path(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let files = tree(&round.path().join("out"));
    assert_eq!(files.len(), 12, "{files:?}");
    assert_eq!(files.iter().filter(|f| f.ends_with(".docx")).count(), 6);
}
