//! 公文 Markdown: the one place where the pulldown-cmark options and the layout-block extension
//! (`::: 落款` … `:::`, see docs/gongwen-markdown.md) are defined, and where user text is escaped so
//! that it comes out literally.
//!
//! OWNER of the event adapter: DOCX helper. `escape_inline` is used by the template engine.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, OffsetIter, Options, Parser, Tag, TagEnd};

/// The parser options every consumer of 公文 Markdown uses.
pub fn options() -> Options {
    Options::ENABLE_TABLES
}

/// Escapes user text for use inside a Markdown paragraph, heading or table cell, so that no character of
/// it is taken as markup. Line breaks inside the text are joined: between Chinese characters they vanish
/// (a line folded in YAML), elsewhere they become one space.
pub fn escape_inline(text: &str, out: &mut String) {
    let mut at_line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' || c == '\n' {
            let prev_wide = out.chars().last().is_some_and(|p| !p.is_ascii());
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            let next_wide = chars.peek().is_some_and(|n| !n.is_ascii());
            let joins_wide_text = prev_wide && next_wide;
            if !joins_wide_text && !out.is_empty() && chars.peek().is_some() {
                out.push(' ');
            }
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' | ':' if at_line_start => {
                out.push('\\');
                out.push(c);
            }
            '0'..='9' if at_line_start => {
                // “1.” or “1)” at the start of a paragraph would open a list.
                out.push(c);
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                out.push_str(&digits);
                if let Some(mark @ ('.' | ')')) = chars.peek().copied() {
                    out.push('\\');
                    out.push(mark);
                    chars.next();
                }
            }
            _ => out.push(c),
        }
        at_line_start = false;
    }
}

pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_inline(text, &mut out);
    out
}

/// A layout block of 公文 Markdown (`::: 名称` … `:::`), see docs/gongwen-markdown.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Block {
    /// 版头: 发文机关标志, 发文字号, red rule.
    Letterhead,
    /// 主送机关.
    Recipient,
    /// 落款: 署名 and 成文日期.
    Signature,
    /// 附件说明.
    AttachmentNote,
    /// 附件: new page, label, title, content.
    Attachment,
    /// 横向: a landscape section.
    Landscape,
    /// 版记: 抄送, 印发机关 and 印发日期.
    Colophon,
    /// 分页: a page break.
    PageBreak,
}

impl Block {
    pub const ALL: [Block; 8] = [
        Block::Letterhead,
        Block::Recipient,
        Block::Signature,
        Block::AttachmentNote,
        Block::Attachment,
        Block::Landscape,
        Block::Colophon,
        Block::PageBreak,
    ];

    /// The block's name as written after `:::`.
    pub fn name(self) -> &'static str {
        match self {
            Block::Letterhead => "版头",
            Block::Recipient => "主送机关",
            Block::Signature => "落款",
            Block::AttachmentNote => "附件说明",
            Block::Attachment => "附件",
            Block::Landscape => "横向",
            Block::Colophon => "版记",
            Block::PageBreak => "分页",
        }
    }

    pub fn from_name(name: &str) -> Option<Block> {
        Block::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// One event of 公文 Markdown: an ordinary pulldown-cmark event, or the start or end of a layout block.
/// The marker paragraphs themselves are consumed.
#[derive(Debug, Clone, PartialEq)]
pub enum GongwenEvent<'a> {
    Markdown(Event<'a>),
    BlockStart(Block),
    BlockEnd(Block),
}

/// A malformed layout block. `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    #[error(
        "第 {line} 行：未知的版式块“{name}”，可用的有：版头、主送机关、落款、附件说明、附件、横向、版记、分页"
    )]
    Unknown { name: String, line: usize },
    #[error("第 {line} 行：“:::” 没有对应的开始标记（多写了一个结束标记？）")]
    UnmatchedClose { line: usize },
    #[error("第 {line} 行：版式块“{name}”没有结束，请在块的末尾单独写一行“:::”（前后各空一行）")]
    Unclosed { name: &'static str, line: usize },
    #[error("第 {line} 行：版式块标记“{text}”必须单独成段，请在它的前后各留一个空行")]
    NotAlone { text: String, line: usize },
}

/// Parses 公文 Markdown with [`options`] and yields [`GongwenEvent`]s: a paragraph whose whole text is
/// `::: 名称` opens a block, one that is `:::` (three or more colons, nothing else) closes the innermost.
pub fn events(markdown: &str) -> GongwenEvents<'_> {
    GongwenEvents {
        source: markdown,
        inner: Parser::new_ext(markdown, options()).into_offset_iter(),
        pending: VecDeque::new(),
        stack: Vec::new(),
        done: false,
    }
}

/// The iterator returned by [`events`]. After an error it yields nothing more.
pub struct GongwenEvents<'a> {
    source: &'a str,
    inner: OffsetIter<'a>,
    pending: VecDeque<GongwenEvent<'a>>,
    stack: Vec<(Block, usize)>,
    done: bool,
}

/// What a paragraph's text says as a block marker.
enum Marker {
    Open(String),
    Close,
}

fn parse_marker(text: &str) -> Option<Marker> {
    let text = text.trim();
    let colons = text.chars().take_while(|&c| c == ':').count();
    if colons < 3 {
        return None;
    }
    let rest = &text[colons..];
    if rest.trim().is_empty() {
        return Some(Marker::Close);
    }
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let name = rest.trim().trim_end_matches(':').trim();
    Some(Marker::Open(name.to_owned()))
}

impl<'a> GongwenEvents<'a> {
    fn line_of(&self, range: &Range<usize>) -> usize {
        let end = range.start.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// Reads a whole paragraph (its start already consumed) and decides, from its source text, whether it
    /// is a marker. Escaped text (`\:::`) is never a marker.
    fn paragraph(&mut self, range: Range<usize>) -> Result<Option<GongwenEvent<'a>>, BlockError> {
        let mut inner: Vec<(Event<'a>, Range<usize>)> = Vec::new();
        for (event, range) in self.inner.by_ref() {
            if event == Event::End(TagEnd::Paragraph) {
                break;
            }
            inner.push((event, range));
        }
        let line = self.line_of(&range);
        let raw = self.source.get(range).unwrap_or_default().trim();
        let first_line = raw.lines().next().unwrap_or_default();
        match parse_marker(first_line) {
            Some(_) if first_line.len() != raw.len() => {
                return Err(BlockError::NotAlone {
                    text: first_line.trim().to_owned(),
                    line,
                });
            }
            Some(Marker::Close) => {
                return match self.stack.pop() {
                    Some((block, _)) => Ok(Some(GongwenEvent::BlockEnd(block))),
                    None => Err(BlockError::UnmatchedClose { line }),
                };
            }
            Some(Marker::Open(name)) => {
                return match Block::from_name(&name) {
                    Some(block) => {
                        self.stack.push((block, line));
                        Ok(Some(GongwenEvent::BlockStart(block)))
                    }
                    None => Err(BlockError::Unknown { name, line }),
                };
            }
            None => {}
        }
        self.pending
            .push_back(GongwenEvent::Markdown(Event::Start(Tag::Paragraph)));
        self.pending.extend(
            pair_cjk_emphasis(self.source, inner)
                .into_iter()
                .map(GongwenEvent::Markdown),
        );
        self.pending
            .push_back(GongwenEvent::Markdown(Event::End(TagEnd::Paragraph)));
        Ok(None)
    }
}

/// CommonMark does not close `**` between CJK punctuation and a letter (`**1.提高认识。**要坚持`: the
/// closing `**` follows “。” and precedes “要”, so it is not right-flanking), and leaves both delimiters
/// as literal `*` text. This pairs such leftover delimiter runs of one paragraph, in order and at the same
/// nesting level: `**` … `**` becomes strong, `*` … `*` emphasis. A delimiter is a `*` text event whose
/// source is exactly `*`; an escaped `\*` (user text) never is. Unpaired runs stay literal.
fn pair_cjk_emphasis<'a>(source: &str, events: Vec<(Event<'a>, Range<usize>)>) -> Vec<Event<'a>> {
    // Group adjacent unescaped `*` events into runs: (first index, length).
    let is_star = |(event, range): &(Event<'a>, Range<usize>)| {
        matches!(event, Event::Text(t) if t.as_ref() == "*")
            && source.get(range.clone()) == Some("*")
            && !source.get(..range.start).is_some_and(|s| s.ends_with('\\'))
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, item) in events.iter().enumerate() {
        if !is_star(item) {
            continue;
        }
        match runs.last_mut() {
            Some((start, len)) if *start + *len == i && events[i - 1].1.end == item.1.start => {
                *len += 1
            }
            _ => runs.push((i, 1)),
        }
    }
    if runs.len() < 2 {
        return events.into_iter().map(|(e, _)| e).collect();
    }
    // Nesting depth before each event.
    let mut depth = Vec::with_capacity(events.len());
    let mut d = 0usize;
    for (event, _) in &events {
        if matches!(event, Event::End(_)) {
            d = d.saturating_sub(1);
        }
        depth.push(d);
        if matches!(event, Event::Start(_)) {
            d += 1;
        }
    }
    // Pair runs of equal length (1 or 2) at equal depth, nearest first.
    let mut replace: Vec<Option<Event<'a>>> = vec![None; events.len()];
    let mut skip = vec![false; events.len()];
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (start, len) in runs {
        if len > 2 {
            continue;
        }
        let found = open
            .iter()
            .rposition(|&(s, l)| l == len && depth[s] == depth[start]);
        match found {
            Some(k) => {
                let (s, l) = open.remove(k);
                open.truncate(k);
                let (start_tag, end_tag) = if l == 2 {
                    (Tag::Strong, TagEnd::Strong)
                } else {
                    (Tag::Emphasis, TagEnd::Emphasis)
                };
                replace[s] = Some(Event::Start(start_tag));
                replace[start] = Some(Event::End(end_tag));
                for i in 1..l {
                    skip[s + i] = true;
                    skip[start + i] = true;
                }
            }
            None => open.push((start, len)),
        }
    }
    events
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !skip[*i])
        .map(|(i, (event, _))| replace[i].take().unwrap_or(event))
        .collect()
}

impl<'a> Iterator for GongwenEvents<'a> {
    type Item = Result<GongwenEvent<'a>, BlockError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(Ok(event));
            }
            if self.done {
                return None;
            }
            match self.inner.next() {
                Some((Event::Start(Tag::Paragraph), range)) => match self.paragraph(range) {
                    Ok(Some(event)) => return Some(Ok(event)),
                    Ok(None) => continue,
                    Err(error) => {
                        self.done = true;
                        return Some(Err(error));
                    }
                },
                Some((event, _)) => return Some(Ok(GongwenEvent::Markdown(event))),
                None => {
                    self.done = true;
                    if let Some((block, line)) = self.stack.pop() {
                        return Some(Err(BlockError::Unclosed {
                            name: block.name(),
                            line,
                        }));
                    }
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_text_of(markdown: &str) -> String {
        let mut text = String::new();
        for event in pulldown_cmark::Parser::new_ext(markdown, options()) {
            match event {
                pulldown_cmark::Event::Text(t) => text.push_str(&t),
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
                | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                other => panic!("markup leaked from user text: {other:?}"),
            }
        }
        text
    }

    #[test]
    fn user_text_comes_out_literally() {
        for raw in [
            "A&B <b>粗</b> *星* _下_ `码` [链](x) | 竖 ~删~ \\反",
            "1. 不是列表",
            "# 不是标题",
            "- 不是列表",
            "::: 落款",
            "&amp; 不是实体",
            "2026) 年",
        ] {
            assert_eq!(plain_text_of(&escaped(raw)), raw, "{raw}");
        }
    }

    #[test]
    fn folded_lines_join() {
        assert_eq!(escaped("要坚持\n  以政治"), "要坚持以政治");
        assert_eq!(escaped("word\nnext"), "word next");
    }

    fn kinds(markdown: &str) -> Vec<String> {
        events(markdown)
            .map(|e| match e {
                Ok(GongwenEvent::BlockStart(b)) => format!("<{}>", b.name()),
                Ok(GongwenEvent::BlockEnd(b)) => format!("</{}>", b.name()),
                Ok(GongwenEvent::Markdown(pulldown_cmark::Event::Text(t))) => t.to_string(),
                Ok(GongwenEvent::Markdown(_)) => String::new(),
                Err(e) => format!("ERR {e}"),
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    #[test]
    fn blocks_open_close_and_nest() {
        let md = "正文\n\n:::: 附件\n\n附件\n\n::: 横向\n\n表\n\n:::\n\n::::\n\n::: 落款\n\n机关\n\n2026年5月1日\n\n:::\n";
        assert_eq!(
            kinds(md),
            [
                "正文",
                "<附件>",
                "附件",
                "<横向>",
                "表",
                "</横向>",
                "</附件>",
                "<落款>",
                "机关",
                "2026年5月1日",
                "</落款>"
            ]
        );
    }

    #[test]
    fn every_block_name_is_known() {
        for block in Block::ALL {
            let md = format!("::: {}\n\n:::\n", block.name());
            assert_eq!(
                kinds(&md),
                [
                    format!("<{}>", block.name()),
                    format!("</{}>", block.name())
                ]
            );
        }
    }

    #[test]
    fn unknown_block_is_an_error_naming_it() {
        let out = kinds("正文\n\n::: 落 款\n\n:::\n");
        assert_eq!(out.len(), 2);
        assert!(
            out[1].contains("“落 款”") && out[1].contains("第 3 行"),
            "{out:?}"
        );
    }

    #[test]
    fn unbalanced_markers_are_errors() {
        assert!(kinds(":::\n")[0].contains("没有对应的开始标记"));
        assert!(
            kinds("::: 落款\n\n机关\n")
                .last()
                .is_some_and(|e| e.contains("没有结束"))
        );
        let out = kinds("::: 落款\n机关\n\n:::\n");
        assert!(out[0].contains("单独成段"), "{out:?}");
    }

    #[test]
    fn cjk_run_in_headings_are_bold() {
        let strong = |md: &str| {
            let mut out = String::new();
            for event in events(md) {
                match event.unwrap() {
                    GongwenEvent::Markdown(pulldown_cmark::Event::Start(Tag::Strong)) => {
                        out.push('[')
                    }
                    GongwenEvent::Markdown(pulldown_cmark::Event::End(TagEnd::Strong)) => {
                        out.push(']')
                    }
                    GongwenEvent::Markdown(pulldown_cmark::Event::Start(Tag::Emphasis)) => {
                        out.push('{')
                    }
                    GongwenEvent::Markdown(pulldown_cmark::Event::End(TagEnd::Emphasis)) => {
                        out.push('}')
                    }
                    GongwenEvent::Markdown(pulldown_cmark::Event::Text(t)) => out.push_str(&t),
                    _ => {}
                }
            }
            out
        };
        assert_eq!(strong("**1.提高认识。**要坚持"), "[1.提高认识。]要坚持");
        assert_eq!(strong("前文**强调**后文"), "前文[强调]后文");
        assert_eq!(strong("*斜。*体"), "{斜。}体");
        assert_eq!(
            strong(&escaped("**1.提高认识。**要坚持")),
            "**1.提高认识。**要坚持"
        );
        assert_eq!(strong("单个**星号"), "单个**星号");
    }

    #[test]
    fn escaped_user_text_is_not_a_marker() {
        assert_eq!(kinds(&escaped("::: 落款")), ["::: 落款"]);
        assert_eq!(kinds("：：： 落款\n"), ["：：： 落款"]);
    }
}
