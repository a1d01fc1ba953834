//! Bytes → text. Owns the encodings people's files arrive in: UTF-8 (with or without BOM), UTF-16 with a
//! BOM, and GBK/GB18030 as Windows Notepad and WPS save them. A file that is none of these is refused
//! with a message naming what it looks like, never turned into mojibake.

use std::borrow::Cow;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// Files larger than this are refused before parsing: no unit file comes near it, and it keeps a
/// mistaken `render` on a huge file from eating the machine.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// The encoding a file was decoded from, for the warning that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Gb18030,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

/// Why a file could not be decoded: in Chinese, and where when the place is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl From<String> for DecodeError {
    fn from(message: String) -> Self {
        DecodeError {
            message,
            line: None,
            column: None,
        }
    }
}

impl From<&str> for DecodeError {
    fn from(message: &str) -> Self {
        DecodeError::from(message.to_string())
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Decodes a whole file, or says in Chinese why it cannot.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件太大（{:.1} MB），超过 {} MB 的上限；单位文件一般只有几十 KB，请检查是否选错了文件",
            bytes.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        )
        .into());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    if looks_like_utf16_without_bom(bytes) {
        return Err(
            "文件像是 UTF-16 编码但没有字节顺序标记（BOM），无法可靠识别；请用记事本或 WPS“另存为”UTF-8 编码".into(),
        );
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return checked(Cow::Borrowed(text), Encoding::Utf8),
        Err(error) => error,
    };
    // GB18030 decodes almost any bytes: a UTF-8 file with a few damaged bytes (a copy cut short, one
    // character from another program) would come out as mojibake. Text that is mostly good UTF-8 is
    // UTF-8; GBK read as UTF-8 fails at nearly every Chinese character.
    if mostly_utf8(bytes) {
        let valid = &bytes[..utf8_error.valid_up_to()];
        let (line, column) = position(&String::from_utf8_lossy(valid), valid.len());
        return Err(DecodeError {
            message: format!(
                "文件是 UTF-8 编码，但第 {line} 行第 {column} 列有损坏的字节（可能是复制不完整，或混入了其他编码的文字）；请打开文件检查这个位置，删去乱码后重新保存"
            ),
            line: Some(line),
            column: Some(column),
        });
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("文件既不是 UTF-8，也不是 GBK/GB18030 编码，无法读取；请用记事本或 WPS“另存为”UTF-8 编码后再试".into());
    }
    checked(text, Encoding::Gb18030)
}

fn utf8(bytes: &[u8], encoding: Encoding) -> Result<Decoded<'_>, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => checked(Cow::Borrowed(text), encoding),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let (line, column) = position(&String::from_utf8_lossy(valid), valid.len());
            Err(DecodeError {
                message: format!(
                    "文件以 UTF-8 标记开头，但第 {line} 行第 {column} 列起不是有效的 UTF-8（可能混入了其他编码的文字）；请用记事本或 WPS 重新“另存为”UTF-8 编码"
                ),
                line: Some(line),
                column: Some(column),
            })
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at` of `text`.
fn position(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

fn utf16(bytes: &[u8], little_endian: bool) -> Result<Decoded<'_>, DecodeError> {
    let encoding = if little_endian { UTF_16LE } else { UTF_16BE };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("文件是 UTF-16 编码但内容已损坏，无法读取；请另存为 UTF-8 编码".into());
    }
    checked(Cow::Owned(text.into_owned()), Encoding::Utf16)
}

/// NUL bytes mean a binary file (or UTF-16 read wrongly): refuse rather than parse garbage.
fn checked(text: Cow<'_, str>, encoding: Encoding) -> Result<Decoded<'_>, DecodeError> {
    if let Some(at) = text.find('\0') {
        let (line, column) = position(&text, at);
        return Err(DecodeError {
            message: format!(
                "文件第 {line} 行第 {column} 列含有空字符（NUL），不像是文本文件；请确认选的是 YAML 文件，或用记事本打开、删去这个位置的乱码后重新保存"
            ),
            line: Some(line),
            column: Some(column),
        });
    }
    Ok(Decoded { text, encoding })
}

/// A character YAML does not allow anywhere in a file, even inside quotes: C0 controls other than tab
/// and line ends, DEL, C1 controls other than NEL, U+FFFE and U+FFFF. Text pasted from Word and WeChat
/// brings them in (a vertical tab for a manual line break, an escape character, …).
pub fn is_yaml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}' | '\u{80}'..='\u{84}' | '\u{86}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// One invisible character removed from the text before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub line: u32,
    pub column: u32,
    pub character: char,
}

/// Removes the characters YAML forbids ([`is_yaml_forbidden`]), so that a file holding text pasted from
/// Word still parses; returns the text and where each removed character was (1-based line and column).
pub fn strip_forbidden(text: Cow<'_, str>) -> (Cow<'_, str>, Vec<Removed>) {
    if !text.contains(is_yaml_forbidden) {
        return (text, Vec::new());
    }
    let mut cleaned = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    for c in text.chars() {
        if is_yaml_forbidden(c) {
            removed.push(Removed {
                line,
                column,
                character: c,
            });
        } else {
            cleaned.push(c);
        }
        if c == '\n' {
            line = line.saturating_add(1);
            column = 1;
        } else {
            column = column.saturating_add(1);
        }
    }
    (Cow::Owned(cleaned), removed)
}

/// Whether undecodable bytes are a few damaged places in UTF-8 text: at least three good multi-byte
/// characters, and four times as many as bad bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.chars().filter(|c| *c == '\u{FFFD}').count();
    let good = lossy
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    good >= 3 && good >= 4 * bad
}

fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    // ASCII text in UTF-16 has a zero in every other byte, all on the same side.
    let sample = &bytes[..bytes.len().min(400)];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    half >= 2
        && (zeros_at(0) * 10 >= half * 4 || zeros_at(1) * 10 >= half * 4)
        && zeros_at(0).min(zeros_at(1)) * 10 < half
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("单位: 县公安局".as_bytes()).unwrap();
        assert_eq!(plain.encoding, Encoding::Utf8);
        let with_bom = decode(b"\xEF\xBB\xBFa: 1").unwrap();
        assert_eq!(with_bom.text, "a: 1");
        assert_eq!(with_bom.encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn gbk_is_decoded() {
        let (bytes, _, _) = GB18030.encode("单位: 县公安局\r\n");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, "单位: 县公安局\r\n");
        assert_eq!(decoded.encoding, Encoding::Gb18030);
    }

    #[test]
    fn damaged_utf8_is_refused_not_read_as_gbk() {
        let mut bytes = "单位:\n  全称: 中共某县委\n  简称: ".as_bytes().to_vec();
        bytes.extend_from_slice(&"某县委".as_bytes()[..4]);
        bytes.extend_from_slice("\n  单位名称: 某县\n".as_bytes());
        let error = decode(&bytes).unwrap_err();
        assert_eq!((error.line, error.column), (Some(3), Some(8)), "{error}");
        assert!(error.message.contains("损坏"), "{error}");
        // Real GBK text is still read as GBK.
        let (gbk, _, _) =
            GB18030.encode("单位:\n  全称: 中共某县委\n  简称: 某县委\n  单位名称: 某县\n");
        assert_eq!(decode(&gbk).unwrap().encoding, Encoding::Gb18030);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "单位: 县".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "单位: 县");
    }

    #[test]
    fn binary_and_bomless_utf16_are_refused() {
        let nul = decode(b"a: 1\nb: \0\0").unwrap_err();
        assert!(nul.message.contains("第 2 行第 4 列"), "{nul}");
        assert_eq!((nul.line, nul.column), (Some(2), Some(4)));
        let utf16: Vec<u8> = "abc: 1\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(decode(&utf16).unwrap_err().message.contains("UTF-16"));
    }

    #[test]
    fn undecodable_bytes_are_refused_by_name() {
        let error = decode(b"a: \xFF\xFF\xFF\xFF").unwrap_err();
        assert!(error.message.contains("GBK"), "{error}");
        let bad_after_bom = decode(b"\xEF\xBB\xBFa: 1\nb: \xFF").unwrap_err();
        assert_eq!(
            (bad_after_bom.line, bad_after_bom.column),
            (Some(2), Some(4))
        );
    }

    #[test]
    fn forbidden_characters_are_removed_and_located() {
        let (text, removed) =
            strip_forbidden(Cow::Borrowed("a: 第一\u{b}行\nb: x\u{1}\u{7f}y\u{85}\n"));
        assert_eq!(text, "a: 第一行\nb: xy\u{85}\n");
        let places: Vec<_> = removed.iter().map(|r| (r.line, r.column)).collect();
        assert_eq!(places, vec![(1, 6), (2, 5), (2, 6)]);
        let (same, none) = strip_forbidden(Cow::Borrowed("a:\tb\r\n"));
        assert!(none.is_empty());
        assert!(matches!(same, Cow::Borrowed(_)));
    }
}
