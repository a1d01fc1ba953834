//! Text → a YAML tree that remembers where every node was written.
//!
//! serde-saphyr parses; its `Spanned` wrapper gives each node its line and column. The tree is read into
//! the model by `input::read`, which can then report every problem of a file at once (serde's derive
//! stops at the first). The parser's budget bounds alias expansion ("billion laughs"), nesting depth
//! and size; its English messages are turned into Chinese ones here.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub column: u32,
}

impl Node {
    /// A short Chinese description of what the node is, for “应为…，实际是…” messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "空值",
            Value::Bool(_) => "是/否",
            Value::Int(_) | Value::Float(_) => "数字",
            Value::Str(_) => "文字",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            line: spanned.referenced.line() as u32,
            column: spanned.referenced.column() as u32,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

/// A YAML syntax problem: where, and what to do about it, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// Nesting deeper than this is no unit file: the deepest real path is about six levels.
const MAX_DEPTH: usize = 24;

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_aliases = 1_000;
    budget.max_nodes = 500_000;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.with_snippet = false;
    options.emit_comments = false;
    options
}

/// Parses one YAML document into a located tree. An empty file is a `Null` node.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    serde_saphyr::from_str_with_options::<Node>(text, options()).map_err(|error| {
        let location = error.location();
        SyntaxError {
            line: location.map(|l| l.line() as u32),
            column: location.map(|l| l.column() as u32),
            message: explain(&error.to_string()),
        }
    })
}

/// The parser's message, in words a person who does not know YAML can act on. Unknown messages are
/// kept in English after a Chinese lead, so that nothing is hidden.
fn explain(raw: &str) -> String {
    let detail = raw
        .lines()
        .next()
        .unwrap_or(raw)
        .trim_start_matches("error: ")
        .split_once(": ")
        .filter(|(head, _)| head.starts_with("line "))
        .map_or(raw.lines().next().unwrap_or(raw), |(_, rest)| rest)
        .trim();
    let lower = detail.to_lowercase();
    let known: &[(&str, &str)] = &[
        (
            "duplicate mapping key",
            "同一个键写了两次；请删去重复的一行，或把两处内容合并",
        ),
        (
            "tab",
            "缩进里有 Tab 制表符；YAML 只能用空格缩进，请把 Tab 换成空格",
        ),
        (
            "unclosed quote",
            "引号没有闭合；请在这段文字末尾补上对应的引号",
        ),
        (
            "unterminated quoted",
            "引号没有闭合；请在这段文字末尾补上对应的引号",
        ),
        ("did not find expected ']'", "方括号 [ 没有闭合；请补上 ]"),
        ("did not find expected '}'", "花括号 { 没有闭合；请补上 }"),
        (
            "flow sequence",
            "方括号 [ … ] 列表写法有误（可能没有闭合）；请检查括号和逗号",
        ),
        (
            "flow mapping",
            "花括号 { … } 写法有误（可能没有闭合）；请检查括号和逗号",
        ),
        (
            "budget",
            "文件里的别名（& 和 *）展开后过大或嵌套过深，已拒绝读取；请不要用别名反复引用",
        ),
        (
            "alias",
            "文件里的别名（* 引用）有误或展开过多；请直接写出内容，不要用别名",
        ),
        (
            "depth",
            "嵌套层级过深，已拒绝读取；单位文件最多只需要六七层缩进",
        ),
        (
            "indentation",
            "缩进不对齐；同一层的键要用相同数量的空格开头",
        ),
        (
            "mapping values are not allowed",
            "冒号用法有误：可能是缩进不对，或一行里写了两个“键: 值”；文字里有英文冒号时请给整段文字加引号",
        ),
        (
            "block sequence",
            "列表项“- ”的缩进不对；同一个列表的各项要对齐",
        ),
        (
            "could not find expected ':'",
            "这里缺少英文冒号“:”，或上一行的引号、括号没有闭合",
        ),
        (
            "multiple documents",
            "文件里有多个 YAML 文档（---）；每个文件只写一个单位",
        ),
    ];
    for (needle, chinese) in known {
        if lower.contains(needle) {
            return format!("YAML 格式错误：{chinese}（{detail}）");
        }
    }
    format!("YAML 格式错误：{detail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_where_they_were_written() {
        let tree = parse("a: 1\nb:\n  - 长期坚持\n").unwrap();
        let Value::Map(entries) = tree.value else {
            panic!("not a map")
        };
        let (key, value) = &entries[1];
        assert_eq!((key.line, key.column), (2, 1));
        let Value::Seq(items) = &value.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].value, Value::Str("长期坚持".into()));
        assert_eq!((items[0].line, items[0].column), (3, 5));
    }

    #[test]
    fn dates_stay_text_and_yes_is_not_a_boolean() {
        let tree = parse("d: 2026-05-12\np: yes\nq: false\n").unwrap();
        let Value::Map(entries) = tree.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].1.value, Value::Str("2026-05-12".into()));
        assert_eq!(entries[1].1.value, Value::Str("yes".into()));
        assert_eq!(entries[2].1.value, Value::Bool(false));
    }

    #[test]
    fn syntax_errors_are_located_and_in_chinese() {
        let tab = parse("a:\n\t- b\n").unwrap_err();
        assert_eq!(tab.line, Some(2));
        assert!(tab.message.contains("Tab"), "{}", tab.message);
        let quote = parse("a: \"open\nb: 2\n").unwrap_err();
        assert!(quote.message.contains("引号"), "{}", quote.message);
        let duplicate = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(duplicate.line, Some(2));
        assert!(duplicate.message.contains("两次"), "{}", duplicate.message);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_err());
    }
}
