//! The event-walking writer: turns the [`GongwenEvent`] stream of 公文 Markdown into docx-rs paragraphs
//! and tables, in the shape of pulldown-cmark's `html.rs` (a private struct with `run`, `start_tag`,
//! `end_tag`). Each Markdown element and layout block gets its GB/T 9704 look here; page geometry and
//! footers come from [`super::page`].

use docx_rs::{
    AlignmentType, BorderType, BreakType, CharacterSpacingValues, Document, Docx, LineSpacing,
    LineSpacingType, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    ParagraphChild, Run, RunChild, RunFonts, SectionProperty, SectionType, SpecialIndentType, Tab,
    TabValueType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableLayoutType, TableRow, Text, VAlignType, WidthType,
};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Tag, TagEnd};

use super::DocxError;
use super::page::{A4_HEIGHT, Footers, Geometry, Orientation, half_points, pt_twips, twips};
use super::style::StyleProfile;
use super::text::{sanitize, units};
use crate::markdown::{Block, GongwenEvent, events};

/// The explicit font of a run: the same name for every script, never a theme font.
pub fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
        .hint("eastAsia")
}

/// Builds the document (not yet packed) for `markdown`.
pub fn write(markdown: &str, style: &StyleProfile) -> Result<Docx, DocxError> {
    Writer::new(style).run(markdown)
}

/// A body element, or the end of a section (its `sectPr` goes into the paragraph before it).
enum Item {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
    SectionEnd(Orientation),
}

/// How the runs of a paragraph look.
#[derive(Clone)]
struct Look {
    font: String,
    size: f64,
    bold: bool,
    color: Option<&'static str>,
    /// `w:spacing` of the runs, twentieths of a point.
    spacing: i32,
    /// An empty run in this look, cloned for each run: cheaper than setting fonts, size, bold, colour
    /// and spacing on every run.
    run: Run,
}

impl Look {
    fn new(font: &str, size: f64, bold: bool, color: Option<&'static str>, spacing: i32) -> Look {
        Look {
            font: font.to_owned(),
            size,
            bold,
            color,
            spacing,
            run: run_prototype(font, size, bold, color, spacing),
        }
    }
}

/// An empty run with the given look (see [`make_run`]).
fn run_prototype(
    font: &str,
    size: f64,
    bold: bool,
    color: Option<&'static str>,
    spacing: i32,
) -> Run {
    let mut run = Run::new().fonts(fonts(font)).size(half_points(size));
    if bold {
        run = run.bold();
    }
    if let Some(color) = color {
        run = run.color(color);
    }
    if spacing != 0 {
        run = run.character_spacing(spacing);
    }
    run
}

/// The look and paragraph of each kind of paragraph, built once per document and cloned.
struct Prototypes {
    body_look: Look,
    heading_looks: [Look; 4],
    title_look: Look,
    attachment_label_look: Look,
    title: Paragraph,
    heading: Paragraph,
    recipient: Paragraph,
    attachment_label: Paragraph,
    body: Paragraph,
    empty_line: Paragraph,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Body,
    Title,
    Heading(u8),
    Recipient,
    AttachmentNote,
    AttachmentLabel,
    ListItem,
}

/// The paragraph being written.
struct Open {
    paragraph: Paragraph,
    look: Look,
    kind: Kind,
    /// Its text so far, for layouts computed from character counts.
    plain: String,
}

/// Where we are inside an 附件 block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttachmentState {
    ExpectLabel,
    ExpectTitle,
    Titled,
    Content,
}

struct Attachment {
    /// Index in `items` of the attachment's first element (its label).
    start: usize,
    state: AttachmentState,
}

struct CellText {
    text: String,
    bold: bool,
    italic: bool,
}

struct TableState {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<Vec<CellText>>>,
    header_rows: usize,
    in_head: bool,
}

struct Writer<'s> {
    style: &'s StyleProfile,
    geometry: Geometry,
    items: Vec<Item>,
    blocks: Vec<Block>,
    open: Option<Open>,
    bold: usize,
    italic: usize,
    /// Paragraph texts of a block laid out as a whole at its end (落款, 版头, 版记).
    collected: Option<Vec<String>>,
    table: Option<TableState>,
    page_break_pending: bool,
    orientation: Orientation,
    attachment: Option<Attachment>,
    /// Ordered lists: the next number; unordered: None.
    lists: Vec<Option<u64>>,
    /// Width of “附件：” in the first 附件说明 paragraph, in character units.
    note_label_units: f64,
    /// Index in `items` where a 版记 on a page of its own starts: that page has no page number.
    colophon_page: Option<usize>,
    protos: Prototypes,
    /// Paragraphs cloned from a prototype made so far (see [`Writer::copy`]).
    copies: std::cell::Cell<u32>,
}

impl<'s> Writer<'s> {
    fn new(style: &'s StyleProfile) -> Self {
        let geometry = Geometry::new(style);
        let protos = Prototypes::new(style, &geometry);
        Writer {
            style,
            geometry,
            items: Vec::new(),
            blocks: Vec::new(),
            open: None,
            bold: 0,
            italic: 0,
            collected: None,
            table: None,
            page_break_pending: false,
            orientation: Orientation::Portrait,
            attachment: None,
            lists: Vec::new(),
            note_label_units: 3.0,
            colophon_page: None,
            protos,
            copies: std::cell::Cell::new(0),
        }
    }

    /// A copy of the prototype `paragraph` with an id of its own. docx-rs renumbers every paragraph of
    /// a document when two share an id, which costs more than all the cloning saves; the ids are
    /// removed from the package anyway (`package::remove_para_ids`). Ours start with a letter that is
    /// not a hex digit, so they never meet the eight-hex-digit ids of docx-rs.
    fn copy(&self, paragraph: &Paragraph) -> Paragraph {
        let n = self.copies.get() + 1;
        self.copies.set(n);
        let mut paragraph = paragraph.clone();
        paragraph.id = format!("z{n}");
        paragraph
    }

    fn run(mut self, markdown: &str) -> Result<Docx, DocxError> {
        for event in events(markdown) {
            match event? {
                GongwenEvent::Markdown(event) => self.event(event)?,
                GongwenEvent::BlockStart(block) => self.block_start(block)?,
                GongwenEvent::BlockEnd(block) => self.block_end(block),
            }
        }
        self.close_paragraph();
        Ok(self.assemble())
    }

    fn event(&mut self, event: Event<'_>) -> Result<(), DocxError> {
        match event {
            Event::Start(tag) => self.start_tag(tag)?,
            Event::End(tag) => self.end_tag(tag),
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => self.text(&text),
            Event::SoftBreak => {
                // Lines of a paragraph join without a space between Chinese characters.
                let last = self.last_char();
                if last.is_some_and(|c| c.is_ascii() && !c.is_whitespace()) {
                    self.text(" ");
                }
            }
            Event::HardBreak => self.hard_break(),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
        Ok(())
    }

    fn start_tag(&mut self, tag: Tag<'_>) -> Result<(), DocxError> {
        match tag {
            Tag::Paragraph => {
                if let Some(collected) = &mut self.collected {
                    collected.push(String::new());
                } else if self.table.is_none() {
                    self.start_paragraph_in_context();
                }
            }
            Tag::Heading { level, .. } => {
                self.close_paragraph();
                let kind = match level {
                    HeadingLevel::H1 => Kind::Title,
                    HeadingLevel::H2 => Kind::Heading(1),
                    HeadingLevel::H3 => Kind::Heading(2),
                    HeadingLevel::H4 => Kind::Heading(3),
                    HeadingLevel::H5 | HeadingLevel::H6 => Kind::Heading(4),
                };
                if kind == Kind::Title {
                    self.start_title();
                } else {
                    self.mark_attachment_content();
                    self.open_paragraph(kind);
                }
            }
            Tag::Table(alignments) => {
                if let Some(&block) = self.blocks.last()
                    && !matches!(block, Block::Attachment | Block::Landscape)
                {
                    return Err(DocxError::Unsupported {
                        block: block.name(),
                        what: "表格".to_owned(),
                    });
                }
                self.close_paragraph();
                self.mark_attachment_content();
                self.table = Some(TableState {
                    alignments,
                    rows: Vec::new(),
                    header_rows: 0,
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = true;
                    table.header_rows += 1;
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::List(start) => {
                self.close_paragraph();
                self.lists.push(start);
            }
            Tag::Item => {
                self.close_paragraph();
                self.open_paragraph(Kind::ListItem);
                let prefix = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let prefix = format!("{n}.");
                        *n += 1;
                        prefix
                    }
                    _ => String::new(),
                };
                if !prefix.is_empty() {
                    self.text(&prefix);
                }
            }
            Tag::CodeBlock(_) | Tag::HtmlBlock if self.collected.is_none() => {
                self.close_paragraph();
                self.open_paragraph(Kind::Body);
            }
            _ => {}
        }
        Ok(())
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            // A list item's paragraph ends with the item.
            TagEnd::Paragraph
                if self.collected.is_none()
                    && self.table.is_none()
                    && !self.open.as_ref().is_some_and(|o| o.kind == Kind::ListItem) =>
            {
                self.close_paragraph();
            }
            TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.close_paragraph()
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.push_table(table);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = false;
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::List(_) => {
                self.close_paragraph();
                self.lists.pop();
            }
            _ => {}
        }
    }

    // -----------------------------------------------------------------------------------------------
    // Layout blocks.

    fn block_start(&mut self, block: Block) -> Result<(), DocxError> {
        if let Some(&outer) = self.blocks.last()
            && matches!(
                outer,
                Block::Signature | Block::Letterhead | Block::Colophon | Block::PageBreak
            )
        {
            return Err(DocxError::Unsupported {
                block: outer.name(),
                what: format!("“{}”块", block.name()),
            });
        }
        self.close_paragraph();
        self.blocks.push(block);
        match block {
            Block::Signature | Block::Letterhead | Block::Colophon => {
                self.collected = Some(Vec::new());
            }
            Block::PageBreak => self.page_break_pending = true,
            Block::Attachment => {
                self.page_break_pending = true;
                self.attachment = Some(Attachment {
                    start: self.items.len(),
                    state: AttachmentState::ExpectLabel,
                });
            }
            Block::Landscape => self.start_landscape(),
            Block::AttachmentNote => {
                self.mark_attachment_content();
                self.push_paragraph(self.empty_line());
            }
            Block::Recipient => self.mark_attachment_content(),
        }
        Ok(())
    }

    /// The lines a 落款, 版头 or 版记 block collected, trimmed, empty ones dropped.
    fn collected_lines(&mut self) -> Vec<String> {
        self.collected
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|line| line.trim().to_owned())
            .filter(|line| !line.is_empty())
            .collect()
    }

    fn block_end(&mut self, block: Block) {
        self.close_paragraph();
        self.blocks.pop();
        match block {
            Block::Signature => {
                let lines = self.collected_lines();
                self.signature(lines);
            }
            Block::Letterhead => {
                let lines = self.collected_lines();
                self.letterhead(lines);
            }
            Block::Colophon => {
                let lines = self.collected_lines();
                self.colophon(lines);
            }
            Block::Landscape => {
                self.items.push(Item::SectionEnd(Orientation::Landscape));
                self.orientation = Orientation::Portrait;
                self.page_break_pending = false;
            }
            Block::Attachment => self.attachment = None,
            Block::PageBreak | Block::AttachmentNote | Block::Recipient => {}
        }
    }

    /// Ends the portrait section before a 横向 block. When the block opens an attachment whose only
    /// content so far is its label and title, the section ends before the label, so that label, title
    /// and table share the landscape page.
    fn start_landscape(&mut self) {
        self.orientation = Orientation::Landscape;
        self.page_break_pending = false;
        if let Some(attachment) = &self.attachment
            && attachment.state != AttachmentState::Content
            && attachment.start < self.items.len()
        {
            let start = attachment.start;
            if let Some(Item::Paragraph(label)) = self.items.get_mut(start) {
                let paragraph = std::mem::take(label.as_mut());
                **label = paragraph.page_break_before(false);
            }
            self.items
                .insert(start, Item::SectionEnd(Orientation::Portrait));
            return;
        }
        self.items.push(Item::SectionEnd(Orientation::Portrait));
    }

    fn mark_attachment_content(&mut self) {
        if let Some(attachment) = &mut self.attachment {
            attachment.state = AttachmentState::Content;
        }
    }

    // -----------------------------------------------------------------------------------------------
    // Paragraphs.

    fn body_look(&self) -> Look {
        self.protos.body_look.clone()
    }

    fn exact(&self, line: i32) -> LineSpacing {
        exact(line)
    }

    /// A paragraph with the properties every paragraph shares: exact line pitch, no widow control.
    fn base_paragraph(&self, line: i32) -> Paragraph {
        base_paragraph(line)
    }

    fn start_paragraph_in_context(&mut self) {
        if self.open.as_ref().is_some_and(|o| o.kind == Kind::ListItem) {
            if self.open.as_ref().is_some_and(|o| o.plain.is_empty()) {
                return;
            }
            self.close_paragraph();
            self.open_paragraph(Kind::ListItem);
            return;
        }
        self.close_paragraph();
        let kind = match self.blocks.last() {
            Some(Block::Recipient) => Kind::Recipient,
            Some(Block::AttachmentNote) => Kind::AttachmentNote,
            _ => match &self.attachment {
                Some(a) if a.state == AttachmentState::ExpectLabel => Kind::AttachmentLabel,
                _ => Kind::Body,
            },
        };
        if kind == Kind::Body {
            self.mark_attachment_content();
        }
        self.open_paragraph(kind);
    }

    fn start_title(&mut self) {
        let in_attachment_title = self
            .attachment
            .as_ref()
            .is_some_and(|a| a.state == AttachmentState::ExpectTitle);
        if in_attachment_title {
            // The label is on line 1, the attachment title on line 3.
            self.push_paragraph(self.empty_line());
            if let Some(attachment) = &mut self.attachment {
                attachment.state = AttachmentState::Titled;
            }
        }
        self.open_paragraph(Kind::Title);
    }

    fn open_paragraph(&mut self, kind: Kind) {
        let protos = &self.protos;
        let (paragraph, look) = match kind {
            Kind::Title => (&protos.title, protos.title_look.clone()),
            Kind::Heading(level) => {
                let index = match level {
                    1 => 0,
                    2 => 1,
                    3 => 2,
                    _ => 3,
                };
                let look = &protos.heading_looks[index];
                (&protos.heading, look.clone())
            }
            Kind::Recipient => (&protos.recipient, protos.body_look.clone()),
            Kind::AttachmentLabel => (
                &protos.attachment_label,
                protos.attachment_label_look.clone(),
            ),
            Kind::Body | Kind::ListItem | Kind::AttachmentNote => {
                (&protos.body, protos.body_look.clone())
            }
        };
        self.open = Some(Open {
            paragraph: self.copy(paragraph),
            look,
            kind,
            plain: String::new(),
        });
    }

    fn last_char(&self) -> Option<char> {
        self.open.as_ref().and_then(|o| o.plain.chars().last())
    }

    fn text(&mut self, text: &str) {
        let text = sanitize(text);
        if let Some(collected) = &mut self.collected {
            if collected.is_empty() {
                collected.push(String::new());
            }
            if let Some(last) = collected.last_mut() {
                last.push_str(&text);
            }
            return;
        }
        if let Some(table) = &mut self.table {
            if let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push(CellText {
                    text: text.into_owned(),
                    bold: self.bold > 0,
                    italic: self.italic > 0,
                });
            }
            return;
        }
        if self.open.is_none() {
            self.open_paragraph(Kind::Body);
        }
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        let style = self.style;
        if let Some(open) = &mut self.open {
            open.plain.push_str(&text);
            let run = make_run(style, &open.look, &text, bold && style.bold.run_in, italic);
            push_run(&mut open.paragraph, run);
        }
    }

    fn hard_break(&mut self) {
        if let Some(collected) = &mut self.collected {
            if let Some(last) = collected.last_mut() {
                last.push('\n');
            }
            return;
        }
        if let Some(table) = &mut self.table {
            if let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push(CellText {
                    text: "\n".to_owned(),
                    bold: false,
                    italic: false,
                });
            }
            return;
        }
        if let Some(open) = &mut self.open {
            let run = Run::new()
                .fonts(fonts(&open.look.font))
                .size(half_points(open.look.size))
                .add_break(BreakType::TextWrapping);
            push_run(&mut open.paragraph, run);
        }
    }

    fn close_paragraph(&mut self) {
        let Some(open) = self.open.take() else { return };
        let mut paragraph = open.paragraph;
        match open.kind {
            Kind::AttachmentNote => {
                paragraph = self.note_indent(paragraph, &open.plain);
            }
            Kind::AttachmentLabel => {
                if let Some(attachment) = &mut self.attachment {
                    attachment.state = AttachmentState::ExpectTitle;
                }
            }
            _ => {}
        }
        self.push_paragraph(paragraph);
        if open.kind == Kind::Title {
            // 标题下空一行.
            self.push_paragraph(self.empty_line());
        }
    }

    /// 附件说明: the first line starts two characters in; continuation lines align under the name,
    /// after “附件：” and the number.
    fn note_indent(&mut self, paragraph: Paragraph, plain: &str) -> Paragraph {
        let text = plain.trim_start();
        let (label, rest) = match text
            .strip_prefix("附件：")
            .or_else(|| text.strip_prefix("附件:"))
        {
            Some(rest) => {
                self.note_label_units = units(&text[..text.len() - rest.len()]);
                (self.note_label_units, rest)
            }
            None => (0.0, text),
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let number = match rest[digits.len()..].chars().next() {
            Some(mark @ ('.' | '．' | '、')) if !digits.is_empty() => {
                units(&digits) + super::text::char_units(mark)
            }
            _ => 0.0,
        };
        let advance = f64::from(self.geometry.char_advance);
        let first = if label > 0.0 {
            2.0
        } else {
            2.0 + self.note_label_units
        };
        let left = ((first + label + number) * advance).round() as i32;
        let hanging = ((label + number) * advance).round() as i32;
        paragraph.indent(
            Some(left),
            Some(SpecialIndentType::Hanging(hanging)),
            Some(0),
            None,
        )
    }

    fn push_paragraph(&mut self, mut paragraph: Paragraph) {
        if self.page_break_pending {
            self.page_break_pending = false;
            paragraph = paragraph.page_break_before(true);
        }
        self.items.push(Item::Paragraph(Box::new(paragraph)));
    }

    /// An empty body line (one line pitch).
    fn empty_line(&self) -> Paragraph {
        self.copy(&self.protos.empty_line)
    }

    fn line_paragraph(&self, look: &Look, text: &str) -> Paragraph {
        self.base_paragraph(self.geometry.line_pitch)
            .add_run(make_run(self.style, look, text, false, false))
    }

    // -----------------------------------------------------------------------------------------------
    // 落款, 版头, 版记.

    /// GB/T 9704 §7.3.5.2 (no seal): 署名 one line below the body, right-indented two characters; the
    /// date on the next line, its first character two characters right of the 署名's first; a date longer
    /// than that is right-indented two characters and the 署名 moves left to keep the offset.
    fn signature(&mut self, lines: Vec<String>) {
        if lines.is_empty() {
            return;
        }
        // The 署名 never starts a page alone: the last line before it comes along.
        if let Some(Item::Paragraph(previous)) = self.items.last_mut() {
            let paragraph = std::mem::take(previous.as_mut());
            **previous = paragraph.keep_next(true);
        }
        self.push_paragraph(self.empty_line().keep_next(true));
        let (names, date) = if lines.len() == 1 {
            (&lines[..], None)
        } else {
            (&lines[..lines.len() - 1], lines.last())
        };
        let name_units = names.iter().map(|n| units(n)).fold(0.0, f64::max);
        let date_units = date.map(|d| units(d)).unwrap_or(0.0);
        let (name_right, date_right) = if date_units + 2.0 <= name_units {
            (2.0, 2.0 + name_units - 2.0 - date_units)
        } else {
            (date_units + 4.0 - name_units, 2.0)
        };
        let advance = f64::from(self.geometry.char_advance);
        let look = self.body_look();
        let place = |writer: &Self, text: &str, right_units: f64, own_units: f64, width: f64| {
            // Right-aligned; a 署名 shorter than the longest is aligned on its first character.
            let right = ((right_units + width - own_units) * advance).round() as i32;
            writer
                .line_paragraph(&look, text)
                .align(AlignmentType::Right)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    Some(right),
                    None,
                )
                .keep_next(true)
        };
        for name in names {
            let p = place(self, name, name_right, units(name), name_units);
            self.push_paragraph(p);
        }
        if let Some(date) = date {
            let p = place(self, date, date_right, date_units, date_units);
            self.push_paragraph(p.keep_next(false));
        }
    }

    /// 版头: the issuer in red, centred, as large as `sizes.letterhead` allows on one line; the 发文字号
    /// centred with a red rule 4 mm below; two empty lines before the title.
    fn letterhead(&mut self, lines: Vec<String>) {
        let mut lines = lines.into_iter();
        let issuer = lines.next().unwrap_or_default();
        let number = lines.next().unwrap_or_default();
        let style = self.style;
        let width_pt = f64::from(self.geometry.text_width) / 20.0;
        // Latin letters and digits of a CJK display face are wider than half a character (up to 0.75),
        // Word and LibreOffice add a quarter character between CJK and Latin text (autoSpaceDE), and
        // half a character is kept free, so that the issuer never wraps.
        let mut wide_units: f64 = 0.0;
        let mut previous: Option<bool> = None;
        for c in issuer.chars() {
            let ascii = c.is_ascii();
            wide_units += if ascii { 0.75 } else { 1.0 };
            if previous.is_some_and(|p| p != ascii) {
                wide_units += 0.25;
            }
            previous = Some(ascii);
        }
        let fit = (width_pt / (wide_units + 0.5).max(1.0) * 2.0).floor() / 2.0;
        let size = style.sizes.letterhead.min(fit).max(8.0);
        let look = Look::new(&style.fonts.letterhead, size, false, Some("FF0000"), 0);
        let line = pt_twips(size * 1.25).max(self.geometry.line_pitch);
        let centred = |p: Paragraph| {
            p.align(AlignmentType::Center).indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(0)),
                Some(0),
                None,
            )
        };
        // GB/T 9704 §7.2.4 measures to the top of the characters; with an exact line height the
        // characters sit about half the leading below the top of the line.
        let half_leading = (line - pt_twips(size)) / 2;
        let before = (twips(style.letterhead_top) - half_leading).max(0);
        let issuer_paragraph = centred(
            self.base_paragraph(line)
                .line_spacing(exact(line).before(before as u32))
                .snap_to_grid(false)
                .add_run(make_run(style, &look, &issuer, false, false)),
        );
        self.push_paragraph(issuer_paragraph);
        self.push_paragraph(self.empty_line());
        let rule = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(8)
            .space(11)
            .color("FF0000");
        let number_look = self.body_look();
        let number_paragraph =
            with_border(centred(self.line_paragraph(&number_look, &number)), rule);
        self.push_paragraph(number_paragraph);
        self.push_paragraph(self.empty_line());
        self.push_paragraph(self.empty_line());
    }

    /// 版记: 抄送 and 印发 lines in 4号仿宋, one character in on each side, between a thick first and
    /// last rule, thin rules between the lines. The organ and the date of the 印发 line go to the left
    /// and right edges.
    fn colophon(&mut self, lines: Vec<String>) {
        if lines.is_empty() {
            return;
        }
        let style = self.style;
        let size = style.sizes.colophon;
        let one = pt_twips(size);
        let look = Look::new(&style.fonts.body, size, false, None, 0);
        let tab_at = (self.geometry.text_width - one).max(0) as usize;
        let count = lines.len();
        // GB/T 9704 §7.4: the 版记 sits at the bottom of the last page, which has no page number. When
        // it opens a page of its own (after a landscape ledger), the page's height is known: an empty
        // paragraph of exact height fills the lines above it, and its section shows no footer (see
        // `assemble`). After body text on the same page the writer cannot know where the page ends
        // (LibreOffice 7.4 ignores both `w:vAlign` and the position of `w:framePr` frames), so the 版记
        // then follows the text after one empty line.
        let fresh_page = matches!(self.items.last(), Some(Item::SectionEnd(_)))
            && self.orientation == Orientation::Portrait
            && !self.page_break_pending;
        let geometry = &self.geometry;
        let page_lines =
            (A4_HEIGHT as i32 - geometry.top - geometry.bottom) / geometry.line_pitch.max(1);
        // The rules add their width plus their 1 pt distance from the text to the lines' height: the
        // thick first and last rule 1 pt + 1 pt (40 twips), each thin one 0.5 pt + 1 pt (30 twips).
        let rules = 40 + 30 * (count as i32 - 1) + 40;
        let fill = (page_lines - count as i32) * geometry.line_pitch - rules - 20;
        if fresh_page && fill >= geometry.line_pitch {
            self.colophon_page = Some(self.items.len());
            let spacer = Paragraph::new()
                .line_spacing(self.exact(fill))
                .snap_to_grid(false)
                .widow_control(false)
                .size(half_points(size))
                .fonts(fonts(&look.font));
            self.push_paragraph(spacer);
        } else {
            self.push_paragraph(self.empty_line());
        }
        for (i, line) in lines.iter().enumerate() {
            let mut parts: Vec<&str> = line
                .split(['\t', '\n'])
                .flat_map(|p| p.split("　　"))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let date = if parts.len() > 1 { parts.pop() } else { None };
            // The rules span the text block, so the paragraph is not indented; an ideographic space
            // (one character of this size) and the tab stop keep the text one character off each edge.
            let left_text = format!("\u{3000}{}", parts.join("\u{3000}"));
            let mut paragraph = self
                .line_paragraph(&look, &left_text)
                .align(AlignmentType::Left)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    Some(0),
                    None,
                )
                .add_tab(Tab::new().val(TabValueType::Right).pos(tab_at))
                .snap_to_grid(false)
                .keep_next(i + 1 < count);
            if let Some(date) = date {
                paragraph = paragraph
                    .add_run(Run::new().fonts(fonts(&look.font)).add_tab())
                    .add_run(make_run(style, &look, date, false, false));
            }
            if i == 0 {
                paragraph = with_border(
                    paragraph,
                    ParagraphBorder::new(ParagraphBorderPosition::Top)
                        .val(BorderType::Single)
                        .size(8)
                        .space(1)
                        .color("000000"),
                );
            }
            let last = i + 1 == count;
            paragraph = with_border(
                paragraph,
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .val(BorderType::Single)
                    .size(if last { 8 } else { 4 })
                    .space(1)
                    .color("000000"),
            );
            self.push_paragraph(paragraph);
        }
    }

    // -----------------------------------------------------------------------------------------------
    // Tables.

    fn push_table(&mut self, table: TableState) {
        let style = self.style;
        let width = match self.orientation {
            Orientation::Portrait => self.geometry.text_width,
            Orientation::Landscape => self.geometry.landscape_text_width,
        };
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let columns: Vec<ColumnStats> = (0..columns).map(|c| ColumnStats::new(&table, c)).collect();
        let char_twips = f64::from(pt_twips(style.sizes.table));
        let grid = column_widths(&columns, f64::from(width), char_twips);
        let line = pt_twips(style.table_line_pitch);
        let look = Look::new(&style.fonts.table, style.sizes.table, false, None, 0);
        // Table lines have their own pitch: off the page's line grid.
        let cell_paragraph = |align| {
            prototype_paragraph(line)
                .snap_to_grid(false)
                .align(align)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    Some(0),
                    None,
                )
        };
        let centred = cell_paragraph(AlignmentType::Center);
        let right = cell_paragraph(AlignmentType::Right);
        let left = cell_paragraph(AlignmentType::Left);
        let mut rows = Vec::new();
        for (r, cells) in table.rows.iter().enumerate() {
            let header = r < table.header_rows;
            let mut row_cells = Vec::new();
            for (c, &cell_width) in grid.iter().enumerate() {
                let prototype = if header {
                    &centred
                } else {
                    match table.alignments.get(c) {
                        Some(Alignment::Center) => &centred,
                        Some(Alignment::Right) => &right,
                        Some(Alignment::Left) => &left,
                        // Columns of short entries (序号, 责任人, 整改类型, 完成时限) are centred.
                        _ if !columns[c].long => &centred,
                        _ => &left,
                    }
                };
                let mut paragraph = self.copy(prototype);
                for part in cells.get(c).map(Vec::as_slice).unwrap_or_default() {
                    let bold = part.bold || (header && style.bold.table_header);
                    if part.text == "\n" {
                        push_run(
                            &mut paragraph,
                            Run::new()
                                .fonts(fonts(&look.font))
                                .add_break(BreakType::TextWrapping),
                        );
                    } else {
                        push_run(
                            &mut paragraph,
                            make_run(style, &look, &part.text, bold, part.italic),
                        );
                    }
                }
                row_cells.push(
                    TableCell::new()
                        .width(cell_width, WidthType::Dxa)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(paragraph),
                );
            }
            // No row breaks across pages. `package` adds w:tblHeader to the first row of each table
            // (the GFM header row), which Word and LibreOffice repeat on every page.
            rows.push(TableRow::new(row_cells).cant_split());
        }
        let border = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000")
        };
        let borders = TableBorders::with_empty()
            .set(border(TableBorderPosition::Top))
            .set(border(TableBorderPosition::Left))
            .set(border(TableBorderPosition::Bottom))
            .set(border(TableBorderPosition::Right))
            .set(border(TableBorderPosition::InsideH))
            .set(border(TableBorderPosition::InsideV));
        let docx_table = Table::new(rows)
            .set_grid(grid)
            .width(width.max(0) as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders);
        if self.page_break_pending {
            // A table cannot break the page itself: an empty paragraph does, at the smallest height.
            let paragraph = self.spacer_paragraph();
            self.push_paragraph(paragraph);
        }
        self.items.push(Item::Table(Box::new(docx_table)));
    }

    /// A paragraph of (almost) no height: carries a page break or a section break after a table.
    fn spacer_paragraph(&self) -> Paragraph {
        Paragraph::new()
            .line_spacing(self.exact(20))
            .snap_to_grid(false)
            .widow_control(false)
            .size(2)
            .fonts(fonts(&self.style.fonts.body))
    }

    // -----------------------------------------------------------------------------------------------
    // The document.

    fn assemble(mut self) -> Docx {
        let footers = Footers::new(self.style);
        // The last section's properties are the body's; a section end at the very end is that one.
        let mut last_orientation = self.orientation;
        while let Some(Item::SectionEnd(orientation)) = self.items.last() {
            last_orientation = *orientation;
            self.items.pop();
        }
        let mut document = Document::new();
        let mut pending: Option<Paragraph> = None;
        // Whether the section being assembled holds the 版记's own page.
        let mut colophon_section = false;
        for (index, item) in std::mem::take(&mut self.items).into_iter().enumerate() {
            if Some(index) == self.colophon_page {
                colophon_section = true;
            }
            match item {
                Item::Paragraph(paragraph) => {
                    if let Some(previous) = pending.replace(*paragraph) {
                        document = document.add_paragraph(previous);
                    }
                }
                Item::Table(table) => {
                    if let Some(previous) = pending.take() {
                        document = document.add_paragraph(previous);
                    }
                    document = document.add_table(*table);
                }
                Item::SectionEnd(orientation) => {
                    let carrier = pending.take().unwrap_or_else(|| self.spacer_paragraph());
                    let mut section = self.geometry.section(orientation, &footers);
                    if std::mem::take(&mut colophon_section) {
                        section = colophon_section_property(section);
                    }
                    document = document.add_paragraph(carrier.section_property(section));
                }
            }
        }
        if let Some(previous) = pending.take() {
            document = document.add_paragraph(previous);
        }
        let mut last = self.geometry.section(last_orientation, &footers);
        if colophon_section {
            last = colophon_section_property(last);
        }
        document = document.default_section_property(last);
        let body = &self.style.fonts.body;
        let mut docx = Docx::new()
            .document(document)
            .footer(footers.odd)
            .even_footer(footers.even)
            .default_fonts(fonts(body))
            .default_size(half_points(self.style.sizes.body))
            .created_at("2026-01-01T00:00:00Z")
            .updated_at("2026-01-01T00:00:00Z");
        // CJK punctuation keeps its full width, so that a full line holds exactly the characters the
        // grid promises.
        docx.settings = std::mem::take(&mut docx.settings)
            .character_spacing_control(CharacterSpacingValues::DoNotCompress);
        docx
    }
}

/// The section that starts with the 版记's own page: it starts on an even page (the back of the last
/// sheet, GB/T 9704 §7.4), and its first page shows no page number: `w:titlePg` with no first-page
/// footer defined in any section leaves that page's footer empty.
fn colophon_section_property(section: SectionProperty) -> SectionProperty {
    let mut section = section.title_pg();
    section.section_type = Some(SectionType::EvenPage);
    section
}

/// A run of `text` in the paragraph's look; italic text is set in the emphasis font (楷体), not slanted.
fn make_run(style: &StyleProfile, look: &Look, text: &str, bold: bool, italic: bool) -> Run {
    let mut run = if italic {
        run_prototype(
            &style.fonts.emphasis,
            look.size,
            bold || look.bold,
            look.color,
            look.spacing,
        )
    } else if bold && !look.bold {
        look.run.clone().bold()
    } else {
        look.run.clone()
    };
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            run.children.push(RunChild::Break(docx_rs::Break::new(
                BreakType::TextWrapping,
            )));
        }
        first = false;
        let mut first_part = true;
        for part in line.split('\t') {
            if !first_part {
                run.children.push(RunChild::Tab(docx_rs::Tab::new()));
            }
            first_part = false;
            if !part.is_empty() {
                // `Run::add_text` without its `replace('\n', "")`: `part` holds no line break.
                run.children.push(RunChild::Text(Text::new(part)));
            }
        }
    }
    run
}

/// Appends `run` to `paragraph` in place (`Paragraph::add_run` moves the paragraph in and out).
fn push_run(paragraph: &mut Paragraph, run: Run) {
    paragraph.children.push(ParagraphChild::Run(Box::new(run)));
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

/// A paragraph with the properties every paragraph shares: exact line pitch, no widow control.
fn base_paragraph(line: i32) -> Paragraph {
    Paragraph::new()
        .line_spacing(exact(line))
        .widow_control(false)
        .snap_to_grid(true)
}

/// [`base_paragraph`] without an id, for [`Writer::copy`] (a clone of an empty id allocates nothing).
fn prototype_paragraph(line: i32) -> Paragraph {
    let mut paragraph = base_paragraph(line);
    paragraph.id = String::new();
    paragraph
}

impl Prototypes {
    fn new(style: &StyleProfile, geometry: &Geometry) -> Prototypes {
        let base_paragraph = prototype_paragraph;
        let pitch = geometry.line_pitch;
        let two_chars = 2 * geometry.char_advance;
        let body_size = style.sizes.body;
        let body_look = |font: &str, bold: bool| {
            Look::new(font, body_size, bold, None, geometry.body_char_spacing)
        };
        let indent = |p: Paragraph, first: i32| {
            p.indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(first)),
                Some(0),
                None,
            )
        };
        Prototypes {
            body_look: body_look(&style.fonts.body, false),
            heading_looks: [
                body_look(&style.fonts.heading1, style.bold.heading1),
                body_look(&style.fonts.heading2, style.bold.heading2),
                body_look(&style.fonts.heading3, style.bold.heading3),
                body_look(&style.fonts.heading4, style.bold.heading4),
            ],
            title_look: Look::new(
                &style.fonts.title,
                style.sizes.title,
                style.bold.title,
                None,
                0,
            ),
            attachment_label_look: body_look(&style.fonts.attachment_label, false),
            // Off the line grid: a 22 pt line is taller than one grid cell in LibreOffice, so a snapped
            // title line would take two cells; at the exact pitch every title line takes one.
            title: indent(
                base_paragraph(pitch)
                    .snap_to_grid(false)
                    .align(AlignmentType::Center),
                0,
            )
            .keep_next(true),
            heading: indent(base_paragraph(pitch).align(AlignmentType::Both), two_chars)
                .keep_next(true),
            recipient: indent(base_paragraph(pitch).align(AlignmentType::Both), 0),
            attachment_label: indent(base_paragraph(pitch).align(AlignmentType::Left), 0)
                .keep_next(true),
            body: indent(base_paragraph(pitch).align(AlignmentType::Both), two_chars),
            empty_line: indent(base_paragraph(pitch), 0)
                .size(half_points(body_size))
                .fonts(fonts(&style.fonts.body)),
        }
    }
}

/// Adds one border to a paragraph (docx-rs's `set_border` would start from a full box).
fn with_border(mut paragraph: Paragraph, border: ParagraphBorder) -> Paragraph {
    let borders = paragraph
        .property
        .borders
        .take()
        .unwrap_or_else(ParagraphBorders::with_empty);
    paragraph.property = paragraph.property.set_borders(borders.set(border));
    paragraph
}

fn cell_units(cell: &[CellText]) -> f64 {
    let text: String = cell.iter().map(|p| p.text.as_str()).collect();
    text.split('\n').map(units).fold(0.0, f64::max)
}

/// What the column-width planner knows about one column, in character units of the table font.
struct ColumnStats {
    /// The header text.
    header: f64,
    /// The longest body cell (the longest line of it).
    longest: f64,
    /// The average body cell.
    mean: f64,
    /// The longest run that cannot break (a number, a Latin word).
    word: f64,
    /// A column of running text (存在问题, 整改措施, 整改进展) rather than of short entries.
    long: bool,
}

/// Body cells longer than this make a column of running text.
const LONG_CELL: f64 = 12.0;
/// Running-text columns get at least this many characters a line …
const LONG_MIN: f64 = 8.0;
/// … and together at least this share of the table width; the one with the least text gets at least
/// `LONG_FLOOR` characters.
const LONG_SHARE: f64 = 0.5;
const LONG_FLOOR: f64 = 6.0;

impl ColumnStats {
    fn new(table: &TableState, column: usize) -> ColumnStats {
        let cell = |r: usize| table.rows.get(r).and_then(|row| row.get(column));
        let header = (0..table.header_rows)
            .filter_map(cell)
            .map(|c| cell_units(c))
            .fold(0.0, f64::max);
        let body: Vec<f64> = (table.header_rows..table.rows.len())
            .filter_map(cell)
            .map(|c| cell_units(c))
            .collect();
        let longest = body.iter().copied().fold(0.0, f64::max);
        let mean = if body.is_empty() {
            0.0
        } else {
            body.iter().sum::<f64>() / body.len() as f64
        };
        let word = (0..table.rows.len())
            .filter_map(cell)
            .map(|c| longest_word(c))
            .fold(0.0, f64::max);
        ColumnStats {
            header,
            longest,
            mean,
            word,
            long: longest > LONG_CELL,
        }
    }

    /// Width of a short column with every entry, and its header, on one line.
    fn preferred(&self) -> f64 {
        self.longest.max(self.header).max(1.0)
    }

    /// Narrowest width of a short column: entries and header on at most two lines, no word broken.
    fn minimum(&self) -> f64 {
        let half = |u: f64| (u / 2.0).ceil();
        half(self.longest)
            .max(half(self.header))
            .max(self.word)
            .max(2.0)
            .min(self.preferred())
    }
}

/// The longest run of ASCII letters and digits in a cell (a line cannot break inside it), in units.
fn longest_word(cell: &[CellText]) -> f64 {
    let text: String = cell.iter().map(|p| p.text.as_str()).collect();
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .map(units)
        .fold(0.0, f64::max)
}

/// Column widths (twips) summing to `total`, computed from content. Short columns (序号, 责任人, dates …)
/// get their preferred width (everything on one line), or, when that leaves the running-text columns
/// less than [`LONG_MIN`] characters each or less than [`LONG_SHARE`] of the width, a width between
/// their minimum (two lines) and preferred width; the running-text columns share the rest in proportion
/// to their average text length.
fn column_widths(columns: &[ColumnStats], total: f64, char_twips: f64) -> Vec<usize> {
    let n = columns.len();
    // Cell margins (108 twips each side) and a little slack against rounding in the renderer.
    let twips = |units: f64| (units + 0.3) * char_twips + 216.0;
    let total = total.max(n as f64 * 200.0);
    let short: Vec<usize> = (0..n).filter(|&c| !columns[c].long).collect();
    let long: Vec<usize> = (0..n).filter(|&c| columns[c].long).collect();
    let mut widths = vec![0.0; n];
    // Running text gets at least half the width: a ledger row is as tall as its longest text, so the
    // long columns widen first and the short entries go to two lines before the running text gets
    // more lines.
    let long_min = if long.is_empty() {
        0.0
    } else {
        (long.len() as f64 * twips(LONG_MIN)).max(LONG_SHARE * total)
    };
    let available = total - long_min;
    let preferred: f64 = short.iter().map(|&c| twips(columns[c].preferred())).sum();
    let minimum: f64 = short.iter().map(|&c| twips(columns[c].minimum())).sum();
    let t = if preferred <= available {
        1.0
    } else if minimum < available {
        (available - minimum) / (preferred - minimum)
    } else {
        0.0
    };
    for &c in &short {
        let (lo, hi) = (twips(columns[c].minimum()), twips(columns[c].preferred()));
        widths[c] = lo + t * (hi - lo);
    }
    let mut used: f64 = widths.iter().sum();
    if !long.is_empty() && used > available {
        // Not even two lines fit: the short columns share what the running text leaves them (at
        // least 40 % of the width).
        let factor = available.max(0.4 * total) / used.max(1.0);
        for &c in &short {
            widths[c] *= factor;
        }
        used *= factor;
    }
    if long.is_empty() || used >= total {
        // Scale everything to fill the width exactly.
        let factor = total / used.max(1.0);
        for w in &mut widths {
            *w *= factor;
        }
    } else {
        // In proportion to the average text, so that the running text of a row takes about the same
        // number of lines in each column; a column that would get less than `LONG_FLOOR` characters
        // gets that much, and the others share the rest.
        let rest = total - used;
        let floor = (rest / long.len() as f64).min(twips(LONG_FLOOR));
        let mut open: Vec<usize> = long.clone();
        let mut left = rest;
        loop {
            let weight: f64 = open.iter().map(|&c| columns[c].mean.max(1.0)).sum();
            let narrow: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&c| left * columns[c].mean.max(1.0) / weight < floor)
                .collect();
            if narrow.is_empty() || narrow.len() == open.len() {
                for &c in &open {
                    widths[c] = if narrow.is_empty() {
                        left * columns[c].mean.max(1.0) / weight
                    } else {
                        left / open.len() as f64
                    };
                }
                break;
            }
            for &c in &narrow {
                widths[c] = floor;
                left -= floor;
            }
            open.retain(|c| !narrow.contains(c));
        }
    }
    let mut rounded: Vec<usize> = widths.iter().map(|w| w.floor().max(1.0) as usize).collect();
    let total = total as usize;
    let diff = total.saturating_sub(rounded.iter().sum::<usize>());
    let widest = (0..n).max_by_key(|&c| rounded[c]).unwrap_or(0);
    if let Some(w) = rounded.get_mut(widest) {
        *w += diff;
    }
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(header: f64, longest: f64, mean: f64, long: bool) -> ColumnStats {
        ColumnStats {
            header,
            longest,
            mean,
            word: 2.0,
            long,
        }
    }

    #[test]
    fn column_widths_fill_the_width() {
        // 序号, 存在问题, 整改措施, 整改类型, 完成时限 in a landscape text block at 12 pt.
        let columns = [
            stats(2.0, 1.0, 0.5, false),
            stats(4.0, 20.0, 14.0, true),
            stats(4.0, 45.0, 30.0, true),
            stats(4.0, 4.0, 4.0, false),
            stats(4.0, 6.5, 6.0, false),
        ];
        let widths = column_widths(&columns, 12756.0, 240.0);
        assert_eq!(widths.iter().sum::<usize>(), 12756);
        // Everything short on one line: the date column holds 6.5 characters.
        assert!(widths[4] as f64 >= 6.5 * 240.0 + 216.0, "{widths:?}");
        assert!(widths[3] < widths[4]);
        assert!(widths[2] > widths[1] && widths[1] as f64 > 8.0 * 240.0);
        // Crowded: short columns shrink towards two lines, running text keeps its minimum.
        let mut crowded: Vec<ColumnStats> = (0..5).map(|_| stats(4.0, 7.0, 7.0, false)).collect();
        crowded.push(stats(4.0, 40.0, 30.0, true));
        let widths = column_widths(&crowded, 12756.0, 240.0);
        assert_eq!(widths.iter().sum::<usize>(), 12756);
        assert!(widths[5] as f64 >= 0.5 * 12756.0, "{widths:?}");
        assert!(widths[0] as f64 >= 4.0 * 240.0 + 216.0, "{widths:?}");
        // Far too many columns: still the full width, running text keeps its minimum.
        let mut crowded: Vec<ColumnStats> = (0..20).map(|_| stats(4.0, 7.0, 7.0, false)).collect();
        crowded.push(stats(4.0, 40.0, 30.0, true));
        let widths = column_widths(&crowded, 12756.0, 240.0);
        assert_eq!(widths.iter().sum::<usize>(), 12756);
        assert!(widths[20] as f64 >= 8.0 * 240.0, "{widths:?}");
        let pair = [stats(1.0, 1.0, 1.0, false), stats(1.0, 1.0, 1.0, false)];
        let widths = column_widths(&pair, 8845.0, 240.0);
        assert_eq!(widths.iter().sum::<usize>(), 8845);
        assert_eq!(widths[0].abs_diff(widths[1]), 1);
    }
}
