//! The template engine: the built-in Tera 2 templates (embedded from `templates/`), a user folder that
//! overrides them by file name (zola-like), the filters (`cn_num`, `cn_date`, …) and the Markdown escaping
//! of every value a template prints.
//!
//! OWNER: templates helper. An [`Engine`] is built once per run and shared by the rendering threads
//! (it is `Send + Sync`). Every `.md` template is autoescaped with [`crate::markdown::escape_inline`], so
//! that user data cannot inject markup: a `*`, `<b>` or `|` in a problem title comes out literally.
//! Markup written in a template is template text and stays markup; a value that is already Markdown can be
//! printed with `| safe`. Errors name the template file, line and column and say in Chinese what is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::context::{DocumentContext, cn_number};
use crate::model::Document;

/// The built-in templates: file name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("plan.md", include_str!("../templates/plan.md")),
    ("speech.md", include_str!("../templates/speech.md")),
    ("report.md", include_str!("../templates/report.md")),
    ("ledger.md", include_str!("../templates/ledger.md")),
    ("title.md", include_str!("../templates/title.md")),
];

/// The suffix of template files in a user folder; other files there are ignored.
const SUFFIX: &str = ".md";

/// A template that could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A problem at a place in a template file.
    #[error("模板 {file} 第{line}行第{column}列：{message}{more}", more = more_text(*more))]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
        /// How many further problems were found (they are not shown).
        more: usize,
    },
    /// A template the engine was asked for does not exist.
    #[error(
        "找不到模板文件 {name}：内置模板有 plan.md、speech.md、report.md、ledger.md、title.md，自定义模板目录中的文件须与之同名或被它们引用"
    )]
    Missing { name: String },
    /// A template file or folder could not be read.
    #[error("无法读取模板 {}：{message}", path.display())]
    Read { path: PathBuf, message: String },
    /// A problem without a known place.
    #[error("模板 {file}：{message}")]
    Other { file: String, message: String },
}

fn more_text(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!("（另有{more}处错误）")
    }
}

/// One unit's values for the templates, shared by its documents (see [`Engine::data`]).
pub struct TemplateData(Context);

/// The template engine of one run.
pub struct Engine {
    tera: Tera,
    /// Template name → the file it came from, for messages (`内置模板 speech.md` or the user's path).
    origins: BTreeMap<String, String>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("templates", &self.origins)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// The built-in templates, overridden (and extended) by the `.md` files of `user_dir`.
    pub fn new(user_dir: Option<&Path>) -> Result<Engine, TemplateError> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut origins: BTreeMap<String, String> = BTreeMap::new();
        for (name, text) in BUILTIN {
            sources.insert((*name).to_string(), (*text).to_string());
            origins.insert((*name).to_string(), format!("内置模板 {name}"));
        }
        if let Some(dir) = user_dir {
            for (name, path) in user_templates(dir)? {
                let text = read_template(&path)?;
                sources.insert(name.clone(), text);
                origins.insert(name, path.display().to_string());
            }
        }

        let mut tera = Tera::new();
        tera.set_escape_fn(escape_markdown);
        tera.autoescape_on([SUFFIX]);
        register_filters(&mut tera);
        let engine_origins = origins.clone();
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| translate(e, &origins))?;
        Ok(Engine {
            tera,
            origins: engine_origins,
        })
    }

    /// Renders one document of one unit.
    pub fn render(
        &self,
        doc: Document,
        context: &DocumentContext,
    ) -> Result<String, TemplateError> {
        self.render_data(doc, &self.data(context)?)
    }

    /// The template data of one unit, prepared once for all of its documents: turning the context into
    /// Tera values is a tenth of a unit's template work, and cloning the result is cheap (its values
    /// are shared, not copied).
    pub fn data(&self, context: &DocumentContext) -> Result<TemplateData, TemplateError> {
        Context::from_serialize(context)
            .map(TemplateData)
            .map_err(|e| TemplateError::Other {
                file: "（模板数据）".into(),
                message: format!("无法把单位的数据交给模板：{e}"),
            })
    }

    /// Renders one document from data prepared by [`Engine::data`].
    pub fn render_data(&self, doc: Document, data: &TemplateData) -> Result<String, TemplateError> {
        let name = format!("{}{SUFFIX}", doc.id());
        if !self.tera.contains_template(&name) {
            return Err(TemplateError::Missing { name });
        }
        let mut ctx = data.0.clone();
        ctx.insert("document", doc.id());
        self.tera
            .render(&name, &ctx)
            .map(|text| tidy_blank_lines(&text))
            .map_err(|e| translate(e, &self.origins))
    }

    /// The template names this engine holds, sorted.
    pub fn template_names(&self) -> Vec<String> {
        self.origins.keys().cloned().collect()
    }
}

/// At most one blank line between blocks, no blank lines at the start, one newline at the end, no
/// trailing spaces: templates can then put their `{% if %}`s on lines of their own. (公文 Markdown has no
/// code blocks, where blank lines would count.)
pub fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() && blank_run > 0 {
            out.push('\n');
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Writes the built-in templates into `dir` (created if needed), for editing; returns the files written.
pub fn export(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(BUILTIN.len());
    for (name, text) in BUILTIN {
        let path = dir.join(name);
        fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// The `.md` files of a user folder (sub-folders too), named by their path relative to it with `/`.
fn user_templates(dir: &Path) -> Result<Vec<(String, PathBuf)>, TemplateError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = fs::read_dir(&folder).map_err(|e| TemplateError::Read {
            path: folder.clone(),
            message: io_message(&e),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| TemplateError::Read {
                path: folder.clone(),
                message: io_message(&e),
            })?;
            let path = entry.path();
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            if file_name.starts_with('.') {
                continue;
            }
            // Sub-folders are followed, symbolic links to folders are not (no loops).
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(path);
            } else if file_name.ends_with(SUFFIX) {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((name, path));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn read_template(path: &Path) -> Result<String, TemplateError> {
    let bytes = fs::read(path).map_err(|e| TemplateError::Read {
        path: path.to_path_buf(),
        message: io_message(&e),
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| TemplateError::Read {
        path: path.to_path_buf(),
        message: "文件不是 UTF-8 编码（可能是 GBK）；请用记事本或 WPS “另存为”UTF-8 编码后再试"
            .to_string(),
    })?;
    Ok(text.replace("\r\n", "\n"))
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件或目录不存在".to_string(),
        io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => e.to_string(),
    }
}

fn origin_of(origins: &BTreeMap<String, String>, name: &str) -> String {
    origins
        .get(name)
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// Turns a Tera error into ours: the file, line and column, and the message in Chinese.
fn translate(error: tera::Error, origins: &BTreeMap<String, String>) -> TemplateError {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let syntax = matches!(error.kind(), ErrorKind::SyntaxError(_));
            TemplateError::At {
                file: origin_of(origins, report.filename()),
                line: report.span().start_line,
                column: report.span().start_col + 1,
                message: chinese_message(report.message(), syntax),
                more: 0,
            }
        }
        ErrorKind::TemplateNotFound(name) => TemplateError::Missing { name: name.clone() },
        ErrorKind::MissingParent { current, parent } => TemplateError::Other {
            file: origin_of(origins, current),
            message: format!("继承的模板 {parent} 不存在（{{% extends %}} 引用的文件找不到）"),
        },
        ErrorKind::CircularExtend { tpl, .. } => TemplateError::Other {
            file: origin_of(origins, tpl),
            message: "模板之间循环继承（{% extends %}）".to_string(),
        },
        ErrorKind::CircularInclude { tpl, .. } => TemplateError::Other {
            file: origin_of(origins, tpl),
            message: "模板之间循环引用（{% include %}）".to_string(),
        },
        ErrorKind::Msg(text) => {
            parse_reports(text, origins).unwrap_or_else(|| TemplateError::Other {
                file: "模板".to_string(),
                message: text.clone(),
            })
        }
        other => TemplateError::Other {
            file: "模板".to_string(),
            message: other.to_string(),
        },
    }
}

/// Tera reports the checks made after parsing (unknown filters, included templates that do not exist …)
/// as text: `error: MESSAGE\n  --> NAME:LINE:COLUMN …`, several joined by blank lines.
fn parse_reports(text: &str, origins: &BTreeMap<String, String>) -> Option<TemplateError> {
    let mut reports = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let Some(place) = line.trim_start().strip_prefix("--> ")
            && let Some(m) = message.take()
        {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.parse::<usize>().ok()?;
            let line_no = parts.next()?.parse::<usize>().ok()?;
            let name = parts.next()?;
            reports.push((name.to_string(), line_no, column, m.to_string()));
        }
    }
    let more = reports.len().saturating_sub(1);
    let (name, line, column, message) = reports.into_iter().next()?;
    Some(TemplateError::At {
        file: origin_of(origins, &name),
        line,
        column,
        message: chinese_message(&message, true),
        more,
    })
}

/// The Chinese for Tera's messages; the English original is kept where it carries detail.
fn chinese_message(message: &str, syntax: bool) -> String {
    fn between<'a>(text: &'a str, open: &str) -> Option<(&'a str, &'a str)> {
        let rest = text.strip_prefix(open)?;
        let end = rest.find('`')?;
        Some((&rest[..end], &rest[end + 1..]))
    }
    let listed = |rest: &str, label: &str, what: &str| -> String {
        match rest.split_once(label) {
            Some((_, list)) => format!("（{what}：{}）", list.trim().trim_end_matches('.')),
            None => String::new(),
        }
    };
    if let Some((name, rest)) = between(message, "Variable `") {
        if rest.contains("exists but") {
            return format!("变量 {name} 没有值");
        }
        return format!(
            "变量 {name} 未定义{}",
            listed(rest, "Available variables:", "可用的变量")
        );
    }
    if let Some((name, rest)) = between(message, "Field `") {
        return format!(
            "字段 {name} 不存在{}",
            listed(rest, "Available fields:", "可用的字段")
        );
    }
    if let Some((name, _)) = between(message, "Unknown filter `") {
        return format!("未知的过滤器 {name}（可用的有 cn_num、cn_date、Tera 内置过滤器）");
    }
    if let Some((name, _)) = between(message, "Unknown function `") {
        return format!("未知的函数 {name}");
    }
    if let Some((name, _)) = between(message, "Unknown test `") {
        return format!("未知的测试 {name}");
    }
    if let Some((name, _)) = between(message, "Unknown template `") {
        return format!("引用的模板文件 {name} 不存在");
    }
    if let Some(rest) = message.strip_prefix("Found ")
        && let Some((found, expected)) = rest.split_once(" but expected ")
    {
        let expected = expected.trim_start_matches("one of:").trim();
        return format!(
            "模板语法错误：这里不应出现 {found}（应为：{expected}）；请检查 {{{{ }}}} 和 {{% %}} 里的写法是否完整"
        );
    }
    if message.starts_with("Tried to render a variable that is undefined") {
        return "要输出的变量未定义".to_string();
    }
    if syntax {
        format!("模板语法错误：{message}")
    } else {
        format!("渲染出错：{message}")
    }
}

/// The autoescape function of `.md` templates: Markdown escaping of user text.
fn escape_markdown(input: &str, output: &mut dyn Write) -> io::Result<()> {
    output.write_all(markdown_escaped(input).as_bytes())
}

/// [`crate::markdown::escaped`], except that a number such as `2.3` opening a value keeps its dot: only a
/// dot or bracket followed by a space or the end can open a list.
fn markdown_escaped(input: &str) -> String {
    let escaped = crate::markdown::escaped(input);
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &escaped[digits..];
    if digits > 0
        && (rest.starts_with("\\.") || rest.starts_with("\\)"))
        && rest[2..].chars().next().is_some_and(|c| !c.is_whitespace())
    {
        format!("{}{}", &escaped[..digits], &rest[1..])
    } else {
        escaped
    }
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter("cn_num", cn_num);
    tera.register_filter("cn_date", cn_date);
    tera.register_filter("clause", clause);
}

/// `{{ 12 | cn_num }}` → 十二. Accepts integers and strings of digits.
fn cn_num(value: &Value, _: Kwargs, _: &State) -> tera::TeraResult<String> {
    let number = value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse::<u64>().ok()));
    match number {
        Some(n) => Ok(cn_number(n)),
        None => Err(tera::Error::message(format!(
            "cn_num 只能用于非负整数，这里的值是 {}",
            value.name()
        ))),
    }
}

/// `{{ "2026-05-12" | cn_date }}` → 2026年5月12日. Text that is not an ISO date is left as it is, so that
/// dates the context already writes the Chinese way pass through.
fn cn_date(value: &str, _: Kwargs, _: &State) -> String {
    match value.trim().parse::<jiff::civil::Date>() {
        Ok(date) => crate::context::cn_date(date),
        Err(_) => value.to_string(),
    }
}

/// `{{ text | clause }}`: the text without its closing punctuation (`。；，`), to add one's own.
fn clause(value: &str, _: Kwargs, _: &State) -> String {
    value
        .trim()
        .trim_end_matches(['。', '；', ';', '，', ',', '！', '!'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_shared_between_threads() {
        assert_send_sync::<Engine>();
    }

    fn one_off(template: &str, context: &Context) -> Result<String, TemplateError> {
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_markdown);
        tera.autoescape_on([SUFFIX]);
        register_filters(&mut tera);
        let origins = BTreeMap::from([("t.md".to_string(), "t.md".to_string())]);
        tera.add_raw_template("t.md", template)
            .map_err(|e| translate(e, &origins))?;
        tera.render("t.md", context)
            .map_err(|e| translate(e, &origins))
    }

    #[test]
    fn filters() {
        let mut ctx = Context::new();
        ctx.insert("n", &11);
        ctx.insert("d", "2026-05-12");
        ctx.insert("t", "有待加强。");
        let out = one_off(
            "{{ 1 | cn_num }} {{ 10 | cn_num }} {{ n | cn_num }} {{ 20 | cn_num }} {{ 99 | cn_num }} {{ d | cn_date }} {{ t | clause }}",
            &ctx,
        )
        .expect("renders");
        assert_eq!(out, "一 十 十一 二十 九十九 2026年5月12日 有待加强");
    }

    #[test]
    fn values_are_escaped_but_template_markup_is_not() {
        let mut ctx = Context::new();
        ctx.insert("title", "*重点* <b>粗</b> a|b");
        ctx.insert("funds", "2.3");
        ctx.insert("list", "1. 不是列表");
        let out = one_off(
            "**{{ title }}** {{ funds }} {{ list }} {{ title | safe }}",
            &ctx,
        )
        .expect("renders");
        assert_eq!(
            out,
            r"**\*重点\* \<b\>粗\</b\> a\|b** 2.3 1\. 不是列表 *重点* <b>粗</b> a|b"
        );
    }

    #[test]
    fn errors_name_file_line_and_column_in_chinese() {
        let ctx = Context::new();
        let err = one_off("第一行\n{{ nothing }}", &ctx).expect_err("unknown variable");
        let shown = err.to_string();
        assert!(shown.contains("t.md 第2行第4列"), "{shown}");
        assert!(shown.contains("变量 nothing 未定义"), "{shown}");

        let err = one_off("a\nb {% if %}", &ctx).expect_err("syntax");
        let shown = err.to_string();
        assert!(shown.starts_with("模板 t.md 第2行"), "{shown}");
        assert!(shown.contains("语法错误"), "{shown}");

        let err = one_off("\n\n{{ 1 | nope }}", &ctx).expect_err("unknown filter");
        let shown = err.to_string();
        assert!(shown.contains("第3行"), "{shown}");
        assert!(shown.contains("未知的过滤器 nope"), "{shown}");

        let err = one_off("{% include \"missing.md\" %}", &ctx).expect_err("missing include");
        assert!(err.to_string().contains("missing.md"), "{err}");
    }

    #[test]
    fn user_folder_overrides_by_name_and_reports_its_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("speech.md"), "讲话：{{ unit.short }}").expect("write");
        let engine = Engine::new(Some(dir.path())).expect("engine");
        let mut context = DocumentContext::default();
        context.unit.short = "县公安局党委".to_string();
        assert_eq!(
            engine.render(Document::Speech, &context).expect("renders"),
            "讲话：县公安局党委\n"
        );

        fs::write(
            dir.path().join("ledger.md"),
            "自定义台账{{ ledger | length }}行",
        )
        .expect("write");
        let engine = Engine::new(Some(dir.path())).expect("engine");
        let plan = engine.render(Document::Plan, &context).expect("renders");
        assert!(plan.contains("自定义台账0行"), "{plan}");

        fs::write(dir.path().join("plan.md"), "{{ unit.nickname }}").expect("write");
        let engine = Engine::new(Some(dir.path())).expect("engine");
        let err = engine
            .render(Document::Plan, &context)
            .expect_err("unknown field");
        let shown = err.to_string();
        assert!(
            shown.contains(&dir.path().join("plan.md").display().to_string()),
            "{shown}"
        );
        assert!(shown.contains("第1行第9列"), "{shown}");
        assert!(shown.contains("字段 nickname 不存在"), "{shown}");

        fs::write(dir.path().join("report.md"), "{% for %}").expect("write");
        let err = Engine::new(Some(dir.path())).expect_err("syntax error");
        assert!(err.to_string().contains("report.md 第1行"), "{err}");

        fs::write(dir.path().join("report.md"), b"\xd6\xd0\xce\xc4").expect("write");
        let err = Engine::new(Some(dir.path())).expect_err("GBK");
        assert!(err.to_string().contains("UTF-8"), "{err}");

        let err = Engine::new(Some(&dir.path().join("absent"))).expect_err("no folder");
        assert!(err.to_string().contains("不存在"), "{err}");
    }

    #[test]
    fn blank_lines_are_tidied() {
        assert_eq!(
            tidy_blank_lines("\n\n# 标题\n\n\n\n正文  \n| a |\n| b |\n\n"),
            "# 标题\n\n正文\n| a |\n| b |\n"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever the data, deriving never panics and the built-in templates render.
        #[test]
        fn any_unit_renders(
            words in proptest::collection::vec(".{0,12}", 12),
            days in 0u32..40,
            months in 0u32..14,
            day_offsets in proptest::collection::vec(0i64..3000, 4),
            count in 0usize..4,
        ) {
            use crate::model::*;
            let word = |i: usize| Some(words[i % words.len()].clone());
            let base = jiff::civil::date(2019, 1, 1);
            let day = |i: usize| base.checked_add(jiff::Span::new().days(day_offsets[i])).ok();
            let measure = Measure {
                action: word(7),
                status: Some(MeasureStatus::InProgress),
                due: day(3).map(Due::Date),
                ..Measure::default()
            };
            let unit = UnitInput {
                round: Round {
                    committee: word(0),
                    group: word(1),
                    start: day(0),
                    end: day(1),
                    feedback_date: day(2),
                    clues: Some(Clues::Text(words[2].clone())),
                    briefing: Some(Briefing { instructions: word(3), ..Briefing::default() }),
                    ..Round::default()
                },
                unit: Unit { name: word(4), short: word(5), ..Unit::default() },
                deadlines: Deadlines {
                    plan_workdays: Some(days),
                    meeting_months: Some(months),
                    report_months: Some(months),
                    ..Deadlines::default()
                },
                findings: (0..count)
                    .map(|i| Category {
                        category: word(6 + i),
                        remarks: word(8),
                        problems: vec![Problem {
                            title: word(9 + i),
                            measures: vec![measure.clone(); i],
                            ..Problem::default()
                        }],
                        ..Category::default()
                    })
                    .collect(),
                plan: Some(Plan::default()),
                report: Some(Report { next_steps: vec![words[10].clone()], ..Report::default() }),
                ..UnitInput::default()
            };
            let built = crate::context::build(&unit);
            let engine = Engine::new(None).expect("built-in templates");
            for doc in Document::ALL {
                proptest::prop_assert!(engine.render(doc, &built.context).is_ok());
            }
        }
    }

    #[test]
    fn export_writes_the_builtin_templates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let written = export(&dir.path().join("t")).expect("export");
        assert_eq!(written.len(), BUILTIN.len());
        let engine = Engine::new(Some(&dir.path().join("t"))).expect("engine");
        assert_eq!(engine.template_names().len(), BUILTIN.len());
    }
}
