//! Page geometry: A4 sections (portrait and landscape) with the GB/T 9704 margins, the line grid, and the
//! page-number footers ("— N —", odd pages right and even pages left, one character from the edge).

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, PageOrientationType, PageSize, Paragraph, Run, SectionProperty,
};

use super::style::StyleProfile;
use super::writer::fonts;

/// A4 in twips.
pub const A4_WIDTH: u32 = 11906;
pub const A4_HEIGHT: u32 = 16838;

/// Millimetres to twips (1/1440 inch).
pub fn twips(mm: f64) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to twips.
pub fn pt_twips(pt: f64) -> i32 {
    (pt * 20.0).round() as i32
}

/// Points to the half-points of `w:sz`.
pub fn half_points(pt: f64) -> usize {
    (pt * 2.0).round().max(1.0) as usize
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// The page geometry a style profile implies, in twips.
#[derive(Debug, Clone)]
pub struct Geometry {
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
    pub footer: i32,
    /// Exact pitch of every body line.
    pub line_pitch: i32,
    /// Width of the portrait text block.
    pub text_width: i32,
    /// Width of the landscape text block.
    pub landscape_text_width: i32,
    /// `w:spacing` (twentieths of a point) on body-size runs so that `chars_per_line` characters fill a line.
    pub body_char_spacing: i32,
    /// Advance of one body character (font size plus spacing), in twips.
    pub char_advance: i32,
}

impl Geometry {
    pub fn new(style: &StyleProfile) -> Geometry {
        let m = &style.margins;
        let (top, bottom, left, right) =
            (twips(m.top), twips(m.bottom), twips(m.left), twips(m.right));
        let text_width = A4_WIDTH as i32 - left - right;
        let body = pt_twips(style.sizes.body);
        let pitch = text_width as f64 / f64::from(style.chars_per_line.max(1));
        let body_char_spacing = (pitch - body as f64).floor() as i32;
        Geometry {
            top,
            bottom,
            left,
            right,
            footer: twips(m.footer),
            line_pitch: pt_twips(style.line_pitch),
            text_width,
            // Landscape: the portrait top margin on the left, the portrait bottom margin on the right.
            landscape_text_width: A4_HEIGHT as i32 - top - bottom,
            body_char_spacing,
            char_advance: body + body_char_spacing,
        }
    }

    /// The section properties of a section of the given orientation, with the page-number footers.
    pub fn section(&self, orientation: Orientation, footers: &Footers) -> SectionProperty {
        let (size, margin) = match orientation {
            Orientation::Portrait => (
                PageSize::new().size(A4_WIDTH, A4_HEIGHT),
                PageMargin::new()
                    .top(self.top)
                    .bottom(self.bottom)
                    .left(self.left)
                    .right(self.right),
            ),
            Orientation::Landscape => (
                PageSize::new()
                    .size(A4_HEIGHT, A4_WIDTH)
                    .orient(PageOrientationType::Landscape),
                PageMargin::new()
                    .top(self.left)
                    .bottom(self.bottom)
                    .left(self.top)
                    .right(self.bottom),
            ),
        };
        SectionProperty::new()
            .page_size(size)
            .page_margin(margin.header(851).footer(self.footer).gutter(0))
            .doc_grid(
                DocGrid::new()
                    .grid_type(DocGridType::Lines)
                    .line_pitch(self.line_pitch.max(1) as usize),
            )
            .footer(footers.odd.clone(), &footers.odd_rid)
            .even_footer(footers.even.clone(), &footers.even_rid)
    }
}

/// The two page-number footers and the relationship ids docx-rs gives them.
pub struct Footers {
    pub odd: Footer,
    pub even: Footer,
    pub odd_rid: String,
    pub even_rid: String,
}

impl Footers {
    pub fn new(style: &StyleProfile) -> Footers {
        Footers {
            odd: Footer::new().add_paragraph(page_number(style, AlignmentType::Right)),
            even: Footer::new().add_paragraph(page_number(style, AlignmentType::Left)),
            // docx-rs numbers footers in the order they are added to the document: odd first.
            odd_rid: "rIdFooter1".to_owned(),
            even_rid: "rIdFooter2".to_owned(),
        }
    }
}

/// "— N —" with a PAGE field, one page-number character in from the given edge.
fn page_number(style: &StyleProfile, align: AlignmentType) -> Paragraph {
    let size = half_points(style.sizes.page_number);
    let font = &style.fonts.page_number;
    let run = || Run::new().fonts(fonts(font)).size(size);
    let one_char = pt_twips(style.sizes.page_number);
    let (left, right) = match align {
        AlignmentType::Right => (0, one_char),
        _ => (one_char, 0),
    };
    Paragraph::new()
        .align(align)
        .indent(Some(left), None, Some(right), None)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(pt_twips(style.sizes.page_number * 1.3))
                .before(0)
                .after(0),
        )
        .widow_control(false)
        .snap_to_grid(false)
        .add_run(run().add_text("\u{2014} "))
        .add_run(run().add_field_char(FieldCharType::Begin, false))
        .add_run(run().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(run().add_field_char(FieldCharType::Separate, false))
        .add_run(run().add_text("1"))
        .add_run(run().add_field_char(FieldCharType::End, false))
        .add_run(run().add_text(" \u{2014}"))
}
