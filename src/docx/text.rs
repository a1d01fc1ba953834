//! Text helpers of the DOCX writer: removing the characters XML 1.0 forbids, and measuring text in
//! character units (a CJK character is one unit, an ASCII character half a unit) for layouts computed by
//! character counts (落款, 附件说明, table column widths, the letterhead size).

/// Whether XML 1.0 allows `c` in character data.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML 1.0 forbids (a vertical tab pasted from Word, NUL, U+FFFE …).
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(xml_allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| xml_allowed(c)).collect())
    }
}

/// Width of one character in character units: half for ASCII (digits, Latin letters), one otherwise.
pub fn char_units(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

/// Width of `text` in character units.
pub fn units(text: &str) -> f64 {
    text.chars().map(char_units).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_removed() {
        assert_eq!(sanitize("a\u{0B}b\u{0}c\u{FFFE}d\u{1F}e\te"), "abcde\te");
        assert!(matches!(sanitize("正文"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn measures_in_character_units() {
        assert_eq!(units("2026年5月22日"), 2.0 + 1.0 + 0.5 + 1.0 + 1.0 + 1.0);
        assert_eq!(units("中共某某县委员会"), 8.0);
    }
}
