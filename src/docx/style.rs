//! The style profile: every font, size, margin and pitch of the DOCX layout, with GB/T 9704-2012 as the
//! default (`gbt9704`), a stock-Windows-fonts variant (`windows`), and user overrides read from a small YAML
//! file (English keys or Chinese aliases; unknown keys are errors naming the nearest known key).

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;

/// Fonts by role. Every run of the DOCX names its font explicitly (ascii, hAnsi, eastAsia, cs).
#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    /// 公文标题 and 附件标题.
    pub title: String,
    /// 正文, 主送机关, 落款, 附件说明.
    pub body: String,
    /// 一级标题 一、
    pub heading1: String,
    /// 二级标题 （一）
    pub heading2: String,
    /// 三级标题 1.
    pub heading3: String,
    /// 四级标题 （1）
    pub heading4: String,
    /// *强调* (italic in Markdown).
    pub emphasis: String,
    /// 附件 label (附件1).
    pub attachment_label: String,
    /// 页码.
    pub page_number: String,
    /// Table cells.
    pub table: String,
    /// 发文机关标志 in the 版头.
    pub letterhead: String,
}

/// Font sizes in points (三号 = 16, 二号 = 22, 四号 = 14, 小四 = 12 …).
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    pub title: f64,
    pub body: f64,
    pub page_number: f64,
    pub table: f64,
    /// Largest size of the 发文机关标志; a long issuer is set smaller so that it fits one line.
    pub letterhead: f64,
    pub colophon: f64,
}

/// Page margins in millimetres.
#[derive(Debug, Clone, PartialEq)]
pub struct Margins {
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
    /// Distance of the footer (page number line) from the bottom edge.
    pub footer: f64,
}

/// Which elements are set in bold.
#[derive(Debug, Clone, PartialEq)]
pub struct Bold {
    pub title: bool,
    pub heading1: bool,
    pub heading2: bool,
    pub heading3: bool,
    pub heading4: bool,
    /// `**1.提高认识。**正文` run-in headings.
    pub run_in: bool,
    pub table_header: bool,
}

/// Everything the DOCX writer needs to know about the look of a 公文.
#[derive(Debug, Clone, PartialEq)]
pub struct StyleProfile {
    /// The built-in profile this one starts from.
    pub base: String,
    pub fonts: Fonts,
    pub sizes: Sizes,
    pub margins: Margins,
    /// Exact line pitch of body text, in points (28.95 pt gives 22 lines in the 225 mm text block).
    pub line_pitch: f64,
    /// Exact line pitch inside tables, in points.
    pub table_line_pitch: f64,
    /// Characters on a full body line (28); the writer tightens character spacing so that they fit.
    pub chars_per_line: u32,
    /// Distance from the top of the text block to the top of the 发文机关标志, in millimetres (GB/T 9704
    /// §7.2.4: 35 mm).
    pub letterhead_top: f64,
    pub bold: Bold,
}

pub const BUILTIN_NAMES: [&str; 2] = ["gbt9704", "windows"];

impl StyleProfile {
    /// A built-in profile: `gbt9704` (the standard's fonts, default) or `windows` (fonts every Windows has).
    pub fn builtin(name: &str) -> Option<StyleProfile> {
        match name {
            "gbt9704" | "GB/T 9704" | "GBT9704" | "标准" => Some(Self::gbt9704()),
            "windows" | "Windows" => Some(Self::windows()),
            _ => None,
        }
    }

    fn gbt9704() -> StyleProfile {
        StyleProfile {
            base: "gbt9704".to_owned(),
            fonts: Fonts {
                title: "方正小标宋简体".to_owned(),
                body: "仿宋_GB2312".to_owned(),
                heading1: "黑体".to_owned(),
                heading2: "楷体_GB2312".to_owned(),
                heading3: "仿宋_GB2312".to_owned(),
                heading4: "仿宋_GB2312".to_owned(),
                emphasis: "楷体_GB2312".to_owned(),
                attachment_label: "黑体".to_owned(),
                page_number: "宋体".to_owned(),
                table: "仿宋_GB2312".to_owned(),
                letterhead: "方正小标宋简体".to_owned(),
            },
            sizes: Sizes {
                title: 22.0,
                body: 16.0,
                page_number: 14.0,
                table: 12.0,
                letterhead: 36.0,
                colophon: 14.0,
            },
            margins: Margins {
                top: 37.0,
                bottom: 35.0,
                left: 28.0,
                right: 26.0,
                footer: 23.0,
            },
            line_pitch: 28.95,
            table_line_pitch: 18.0,
            chars_per_line: 28,
            letterhead_top: 35.0,
            bold: Bold {
                title: false,
                heading1: false,
                heading2: false,
                heading3: false,
                heading4: false,
                run_in: true,
                table_header: true,
            },
        }
    }

    fn windows() -> StyleProfile {
        let mut profile = Self::gbt9704();
        profile.base = "windows".to_owned();
        profile.fonts = Fonts {
            title: "宋体".to_owned(),
            body: "仿宋".to_owned(),
            heading1: "黑体".to_owned(),
            heading2: "楷体".to_owned(),
            heading3: "仿宋".to_owned(),
            heading4: "仿宋".to_owned(),
            emphasis: "楷体".to_owned(),
            attachment_label: "黑体".to_owned(),
            page_number: "宋体".to_owned(),
            table: "仿宋".to_owned(),
            letterhead: "宋体".to_owned(),
        };
        // 宋体 is light; a bold 宋体 title comes closest to 小标宋.
        profile.bold.title = true;
        profile
    }

    /// Reads a style file: YAML overrides on top of `base` (default `gbt9704`). Every problem is reported.
    pub fn load(path: &Path) -> Result<StyleProfile, Vec<Diagnostic>> {
        let text = std::fs::read(path).map_err(|e| {
            vec![Diagnostic::error("", format!("无法读取样式文件：{e}")).in_file(path)]
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            vec![
                Diagnostic::error("", "样式文件不是 UTF-8 编码，请用 UTF-8 另存后重试")
                    .in_file(path),
            ]
        })?;
        Self::from_yaml(&text).map_err(|ds| ds.into_iter().map(|d| d.in_file(path)).collect())
    }

    /// A built-in profile name, or the path of a style file.
    pub fn from_arg(arg: &str) -> Result<StyleProfile, Vec<Diagnostic>> {
        if let Some(profile) = Self::builtin(arg) {
            return Ok(profile);
        }
        let path = Path::new(arg);
        if path.exists() {
            return Self::load(path);
        }
        Err(vec![Diagnostic::error(
            "",
            format!(
                "“{arg}”既不是内置样式（{}），也不是存在的样式文件",
                BUILTIN_NAMES.join("、")
            ),
        )])
    }

    /// Parses style-file YAML (see [`load`](Self::load)) without touching the file system.
    pub fn from_yaml(text: &str) -> Result<StyleProfile, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Ok(StyleProfile::default());
        }
        let file: StyleFile = serde_saphyr::from_str(text).map_err(|e| vec![yaml_error(&e)])?;
        let mut diagnostics = Vec::new();
        let mut profile = match &file.base {
            None => StyleProfile::default(),
            Some(base) => match StyleProfile::builtin(&base.value) {
                Some(profile) => profile,
                None => {
                    diagnostics.push(located("base", &base.referenced).with_message(format!(
                        "没有名为“{}”的内置样式，请写 {} 之一",
                        base.value,
                        BUILTIN_NAMES.join(" 或 ")
                    )));
                    StyleProfile::default()
                }
            },
        };
        file.apply(&mut profile, &mut diagnostics);
        crate::diagnostics::sort(&mut diagnostics);
        if diagnostics.is_empty() {
            Ok(profile)
        } else {
            Err(diagnostics)
        }
    }
}

impl Default for StyleProfile {
    fn default() -> Self {
        Self::gbt9704()
    }
}

// ---------------------------------------------------------------------------------------------------
// The style file.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    #[serde(alias = "基于")]
    base: Option<Spanned<String>>,
    #[serde(alias = "字体")]
    fonts: Option<FontsFile>,
    #[serde(alias = "字号")]
    sizes: Option<SizesFile>,
    #[serde(alias = "页边距")]
    margins: Option<MarginsFile>,
    #[serde(alias = "行距")]
    line_pitch: Option<Spanned<f64>>,
    #[serde(alias = "表格行距")]
    table_line_pitch: Option<Spanned<f64>>,
    #[serde(alias = "每行字数")]
    chars_per_line: Option<Spanned<u32>>,
    #[serde(alias = "版头上距")]
    letterhead_top: Option<Spanned<f64>>,
    #[serde(alias = "加粗")]
    bold: Option<BoldFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FontsFile {
    #[serde(alias = "标题")]
    title: Option<Spanned<String>>,
    #[serde(alias = "正文")]
    body: Option<Spanned<String>>,
    #[serde(alias = "一级标题")]
    heading1: Option<Spanned<String>>,
    #[serde(alias = "二级标题")]
    heading2: Option<Spanned<String>>,
    #[serde(alias = "三级标题")]
    heading3: Option<Spanned<String>>,
    #[serde(alias = "四级标题")]
    heading4: Option<Spanned<String>>,
    #[serde(alias = "强调")]
    emphasis: Option<Spanned<String>>,
    #[serde(alias = "附件标识")]
    attachment_label: Option<Spanned<String>>,
    #[serde(alias = "页码")]
    page_number: Option<Spanned<String>>,
    #[serde(alias = "表格")]
    table: Option<Spanned<String>>,
    #[serde(alias = "版头")]
    letterhead: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SizesFile {
    #[serde(alias = "标题")]
    title: Option<Spanned<Size>>,
    #[serde(alias = "正文")]
    body: Option<Spanned<Size>>,
    #[serde(alias = "页码")]
    page_number: Option<Spanned<Size>>,
    #[serde(alias = "表格")]
    table: Option<Spanned<Size>>,
    #[serde(alias = "版头")]
    letterhead: Option<Spanned<Size>>,
    #[serde(alias = "版记")]
    colophon: Option<Spanned<Size>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarginsFile {
    #[serde(alias = "上")]
    top: Option<Spanned<f64>>,
    #[serde(alias = "下")]
    bottom: Option<Spanned<f64>>,
    #[serde(alias = "左")]
    left: Option<Spanned<f64>>,
    #[serde(alias = "右")]
    right: Option<Spanned<f64>>,
    #[serde(alias = "页脚")]
    footer: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoldFile {
    #[serde(alias = "标题")]
    title: Option<bool>,
    #[serde(alias = "一级标题")]
    heading1: Option<bool>,
    #[serde(alias = "二级标题")]
    heading2: Option<bool>,
    #[serde(alias = "三级标题")]
    heading3: Option<bool>,
    #[serde(alias = "四级标题")]
    heading4: Option<bool>,
    #[serde(alias = "段首标题")]
    run_in: Option<bool>,
    #[serde(alias = "表头")]
    table_header: Option<bool>,
}

/// A font size: points as a number, or a Chinese size name (三号, 小四 …).
#[derive(Debug, Clone, Copy)]
struct Size(f64);

/// The traditional Chinese type sizes, in points.
pub const SIZE_NAMES: [(&str, f64); 16] = [
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SizeVisitor;
        impl Visitor<'_> for SizeVisitor {
            type Value = Size;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("磅值（如 16）或字号名称（如 三号、小四）")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Size, E> {
                Ok(Size(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Size, E> {
                Ok(Size(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Size, E> {
                Ok(Size(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Size, E> {
                let v = v.trim();
                let v = v
                    .strip_suffix("pt")
                    .or_else(|| v.strip_suffix("磅"))
                    .unwrap_or(v);
                if let Ok(points) = v.trim().parse::<f64>() {
                    return Ok(Size(points));
                }
                SIZE_NAMES
                    .iter()
                    .find(|(name, _)| *name == v || name.replace('号', "") == v)
                    .map(|&(_, points)| Size(points))
                    .ok_or_else(|| {
                        E::custom(format!(
                            "“{v}”不是字号，请写磅值（如 16）或字号名称（{}）",
                            SIZE_NAMES.map(|(n, _)| n).join("、")
                        ))
                    })
            }
        }
        deserializer.deserialize_any(SizeVisitor)
    }
}

/// A diagnostic at a value's location, message filled in later.
struct Pending {
    diagnostic: Diagnostic,
}

impl Pending {
    fn with_message(mut self, message: String) -> Diagnostic {
        self.diagnostic.message = message;
        self.diagnostic
    }
}

fn located(path: &str, location: &serde_saphyr::Location) -> Pending {
    let mut diagnostic = Diagnostic::error(path, String::new());
    if location.line() > 0 {
        diagnostic = diagnostic.at_line(location.line() as u32, location.column() as u32);
    }
    Pending { diagnostic }
}

/// Sets `target` from a font override, refusing empty names and characters no font name has.
fn set_font(
    target: &mut String,
    value: &Option<Spanned<String>>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(value) = value else { return };
    let name = value.value.trim();
    if name.is_empty() || name.chars().any(|c| c.is_control() || "<>&\"".contains(c)) {
        diagnostics.push(located(path, &value.referenced).with_message(format!(
            "字体名称“{}”无效，请写字体的名称，如 仿宋_GB2312、黑体",
            value.value
        )));
    } else {
        *target = name.to_owned();
    }
}

fn set_number(
    target: &mut f64,
    value: &Option<Spanned<f64>>,
    (path, min, max, unit): (&str, f64, f64, &str),
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(value) = value else { return };
    if value.value.is_finite() && (min..=max).contains(&value.value) {
        *target = value.value;
    } else {
        diagnostics.push(located(path, &value.referenced).with_message(format!(
            "{} 超出范围，请写 {min} 到 {max} 之间的数（单位：{unit}）",
            value.value
        )));
    }
}

fn set_size(
    target: &mut f64,
    value: &Option<Spanned<Size>>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(value) = value else { return };
    let spanned = Spanned::new(value.value.0, value.referenced, value.defined);
    set_number(target, &Some(spanned), (path, 4.0, 72.0, "磅"), diagnostics);
}

impl StyleFile {
    fn apply(&self, p: &mut StyleProfile, d: &mut Vec<Diagnostic>) {
        if let Some(f) = &self.fonts {
            set_font(&mut p.fonts.title, &f.title, "fonts.title", d);
            set_font(&mut p.fonts.body, &f.body, "fonts.body", d);
            set_font(&mut p.fonts.heading1, &f.heading1, "fonts.heading1", d);
            set_font(&mut p.fonts.heading2, &f.heading2, "fonts.heading2", d);
            set_font(&mut p.fonts.heading3, &f.heading3, "fonts.heading3", d);
            set_font(&mut p.fonts.heading4, &f.heading4, "fonts.heading4", d);
            set_font(&mut p.fonts.emphasis, &f.emphasis, "fonts.emphasis", d);
            set_font(
                &mut p.fonts.attachment_label,
                &f.attachment_label,
                "fonts.attachment_label",
                d,
            );
            set_font(
                &mut p.fonts.page_number,
                &f.page_number,
                "fonts.page_number",
                d,
            );
            set_font(&mut p.fonts.table, &f.table, "fonts.table", d);
            set_font(
                &mut p.fonts.letterhead,
                &f.letterhead,
                "fonts.letterhead",
                d,
            );
        }
        if let Some(s) = &self.sizes {
            set_size(&mut p.sizes.title, &s.title, "sizes.title", d);
            set_size(&mut p.sizes.body, &s.body, "sizes.body", d);
            set_size(
                &mut p.sizes.page_number,
                &s.page_number,
                "sizes.page_number",
                d,
            );
            set_size(&mut p.sizes.table, &s.table, "sizes.table", d);
            set_size(
                &mut p.sizes.letterhead,
                &s.letterhead,
                "sizes.letterhead",
                d,
            );
            set_size(&mut p.sizes.colophon, &s.colophon, "sizes.colophon", d);
        }
        if let Some(m) = &self.margins {
            set_number(
                &mut p.margins.top,
                &m.top,
                ("margins.top", 5.0, 80.0, "毫米"),
                d,
            );
            set_number(
                &mut p.margins.bottom,
                &m.bottom,
                ("margins.bottom", 5.0, 80.0, "毫米"),
                d,
            );
            set_number(
                &mut p.margins.left,
                &m.left,
                ("margins.left", 5.0, 80.0, "毫米"),
                d,
            );
            set_number(
                &mut p.margins.right,
                &m.right,
                ("margins.right", 5.0, 80.0, "毫米"),
                d,
            );
            set_number(
                &mut p.margins.footer,
                &m.footer,
                ("margins.footer", 0.0, 60.0, "毫米"),
                d,
            );
        }
        set_number(
            &mut p.line_pitch,
            &self.line_pitch,
            ("line_pitch", 8.0, 72.0, "磅"),
            d,
        );
        set_number(
            &mut p.table_line_pitch,
            &self.table_line_pitch,
            ("table_line_pitch", 6.0, 72.0, "磅"),
            d,
        );
        set_number(
            &mut p.letterhead_top,
            &self.letterhead_top,
            ("letterhead_top", 0.0, 100.0, "毫米"),
            d,
        );
        if let Some(n) = &self.chars_per_line {
            if (10..=60).contains(&n.value) {
                p.chars_per_line = n.value;
            } else {
                d.push(
                    located("chars_per_line", &n.referenced).with_message(format!(
                        "每行字数 {} 超出范围，请写 10 到 60 之间的整数（国家标准为 28）",
                        n.value
                    )),
                );
            }
        }
        if let Some(b) = &self.bold {
            let pairs = [
                (&mut p.bold.title, b.title),
                (&mut p.bold.heading1, b.heading1),
                (&mut p.bold.heading2, b.heading2),
                (&mut p.bold.heading3, b.heading3),
                (&mut p.bold.heading4, b.heading4),
                (&mut p.bold.run_in, b.run_in),
                (&mut p.bold.table_header, b.table_header),
            ];
            for (target, value) in pairs {
                if let Some(value) = value {
                    *target = value;
                }
            }
        }
        if p.margins.footer >= p.margins.bottom {
            d.push(Diagnostic::error(
                "margins.footer",
                "页脚距离必须小于下边距，否则页码会压住正文",
            ));
        }
        let text_width = 210.0 - p.margins.left - p.margins.right;
        if text_width < 50.0 {
            d.push(Diagnostic::error(
                "margins",
                "左右边距过大，版心宽度不足 50 毫米",
            ));
        }
    }
}

/// Which section of the style file a serde field list belongs to, for the field path of a diagnostic.
fn section_of(expected: &[&str]) -> &'static str {
    if expected.contains(&"heading1") && expected.contains(&"emphasis") {
        "fonts."
    } else if expected.contains(&"colophon") {
        "sizes."
    } else if expected.contains(&"footer") {
        "margins."
    } else if expected.contains(&"run_in") {
        "bold."
    } else {
        ""
    }
}

/// Chinese aliases of the keys, for suggestions (serde lists only the English names).
const ALIASES: [(&str, &str); 31] = [
    ("基于", "base"),
    ("字体", "fonts"),
    ("字号", "sizes"),
    ("页边距", "margins"),
    ("行距", "line_pitch"),
    ("表格行距", "table_line_pitch"),
    ("每行字数", "chars_per_line"),
    ("版头上距", "letterhead_top"),
    ("加粗", "bold"),
    ("标题", "title"),
    ("正文", "body"),
    ("一级标题", "heading1"),
    ("二级标题", "heading2"),
    ("三级标题", "heading3"),
    ("四级标题", "heading4"),
    ("强调", "emphasis"),
    ("附件标识", "attachment_label"),
    ("页码", "page_number"),
    ("表格", "table"),
    ("版头", "letterhead"),
    ("版记", "colophon"),
    ("上", "top"),
    ("下", "bottom"),
    ("左", "left"),
    ("右", "right"),
    ("页脚", "footer"),
    ("段首标题", "run_in"),
    ("表头", "table_header"),
    ("行数", "lines"),
    ("字距", "spacing"),
    ("颜色", "color"),
];

/// The known key (English or Chinese) nearest to `field`, if any is reasonably near.
pub(crate) fn nearest_key(field: &str, expected: &[&str]) -> Option<String> {
    let mut candidates: Vec<(&str, &str)> = expected.iter().map(|e| (*e, *e)).collect();
    for (alias, english) in ALIASES {
        if expected.contains(&english) {
            candidates.push((alias, english));
        }
    }
    let lower = field.to_lowercase();
    candidates
        .into_iter()
        .map(|(shown, english)| {
            let score = strsim::normalized_damerau_levenshtein(&lower, shown);
            (score, shown, english)
        })
        .filter(|(score, _, _)| *score >= 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, shown, english)| {
            if shown == english {
                english.to_owned()
            } else {
                format!("{shown}（{english}）")
            }
        })
}

fn yaml_error(error: &serde_saphyr::Error) -> Diagnostic {
    let location = error.location();
    let mut inner = error.without_snippet();
    while let serde_saphyr::Error::AliasError { error, .. } = inner {
        inner = error.without_snippet();
    }
    let mut diagnostic = match inner {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let section = section_of(expected);
            let suggestion = match nearest_key(field, expected) {
                Some(key) => format!("，是不是要写 {key}？"),
                None => String::new(),
            };
            Diagnostic::error(
                format!("{section}{field}"),
                format!(
                    "样式文件中没有“{field}”这一项{suggestion}（可写的项：{}）",
                    expected.join("、")
                ),
            )
        }
        other => Diagnostic::error("", format!("样式文件格式有误：{other}")),
    };
    if let Some(location) = location
        && location.line() > 0
    {
        diagnostic = diagnostic.at_line(location.line() as u32, location.column() as u32);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins() {
        assert_eq!(
            StyleProfile::builtin("gbt9704"),
            Some(StyleProfile::default())
        );
        let windows = StyleProfile::builtin("windows").unwrap();
        assert_eq!(windows.fonts.body, "仿宋");
        assert!(StyleProfile::builtin("nope").is_none());
    }

    #[test]
    fn overrides_with_english_and_chinese_keys() {
        let profile = StyleProfile::from_yaml(
            "基于: windows\nfonts:\n  正文: 仿宋_GB2312\n字号:\n  table: 小四\n  标题: 20\nmargins:\n  上: 36\nline_pitch: 28\n加粗:\n  二级标题: true\n",
        )
        .unwrap();
        assert_eq!(profile.fonts.body, "仿宋_GB2312");
        assert_eq!(profile.fonts.heading2, "楷体");
        assert_eq!(profile.sizes.table, 12.0);
        assert_eq!(profile.sizes.title, 20.0);
        assert_eq!(profile.margins.top, 36.0);
        assert_eq!(profile.line_pitch, 28.0);
        assert!(profile.bold.heading2);
        assert_eq!(profile.letterhead_top, 35.0, "GB/T 9704 §7.2.4 by default");
        let profile = StyleProfile::from_yaml("版头上距: 80\n").unwrap();
        assert_eq!(profile.letterhead_top, 80.0);
        let errors = StyleProfile::from_yaml("letterhead_top: 150\n").unwrap_err();
        assert_eq!(errors[0].path, "letterhead_top");
        assert_eq!(errors[0].line, Some(1));
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let errors = StyleProfile::from_yaml("fonts:\n  boddy: 仿宋\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        let shown = errors[0].to_string();
        assert!(shown.contains("fonts.boddy"), "{shown}");
        assert!(shown.contains("是不是要写 body"), "{shown}");
        assert_eq!(errors[0].line, Some(2), "{shown}");
        let errors = StyleProfile::from_yaml("行高: 28\n").unwrap_err();
        assert!(
            errors[0].message.contains("行距（line_pitch）"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn bad_values_are_all_reported_with_lines() {
        let errors =
            StyleProfile::from_yaml("base: mac\nmargins:\n  top: 300\nsizes:\n  body: 1\n")
                .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0].path, "base");
        assert_eq!(errors[1].path, "margins.top");
        assert_eq!(errors[1].line, Some(3));
        assert_eq!(errors[2].path, "sizes.body");
        let errors = StyleProfile::from_yaml("sizes:\n  body: 大号\n").unwrap_err();
        assert!(errors[0].message.contains("不是字号"), "{}", errors[0]);
    }

    #[test]
    fn from_arg_takes_a_name_or_a_file() {
        assert!(StyleProfile::from_arg("windows").is_ok());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("style.yaml");
        std::fs::write(&path, "fonts:\n  title: 华文中宋\n").unwrap();
        let profile = StyleProfile::from_arg(path.to_str().unwrap()).unwrap();
        assert_eq!(profile.fonts.title, "华文中宋");
        std::fs::write(&path, "fonts: [\n").unwrap();
        let errors = StyleProfile::from_arg(path.to_str().unwrap()).unwrap_err();
        assert_eq!(errors[0].file.as_deref(), Some(path.as_path()));
        assert!(StyleProfile::from_arg("/no/such/style.yaml").is_err());
    }
}
