//! 公文 Markdown: the one place where the pulldown-cmark options and the layout-block extension
//! (`::: 落款` … `:::`, see docs/gongwen-markdown.md) are defined, and where user text is escaped so
//! that it comes out literally.
//!
//! OWNER of the event adapter: DOCX helper. `escape_inline` is used by the template engine.

use pulldown_cmark::Options;

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
}
