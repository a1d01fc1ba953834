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
    // A large real unit (100 problems of 10 measures) is about 20,000 nodes.
    budget.max_nodes = 200_000;
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

/// The parser's message, in words a person who does not know YAML can act on. A message not known here
/// gets a general Chinese lead, and the parser's own words after it, so that nothing is hidden.
fn explain(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // “line 3 column 8: …” in front, “ at line 3, column 8 (defined at …)” behind: the location is
    // shown by the diagnostic itself.
    let detail = match first.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => first,
    };
    let detail = detail.split(" at line ").next().unwrap_or(detail).trim();
    let lower = detail.to_lowercase();
    const DUPLICATE: &str = "duplicate mapping key";
    if lower.starts_with(DUPLICATE) {
        // `lower` may be longer than `detail` (İ lowercases to two characters): cut the ASCII prefix
        // off `detail` itself.
        let key = detail
            .get(DUPLICATE.len()..)
            .unwrap_or("")
            .trim_start_matches(':')
            .split(", set ")
            .next()
            .unwrap_or("")
            .trim();
        let key = if key.is_empty() {
            String::new()
        } else {
            format!("“{key}”")
        };
        return format!(
            "YAML 格式错误：同一个键{key}在这一层写了两次；请删去重复的一处，或把两处内容合并"
        );
    }
    let known: &[(&str, &str)] = &[
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
        (
            "unknown escape character",
            "双引号里的反斜杠“\\”后面跟了不认识的字符；要写反斜杠本身请写两个“\\\\”，或改用单引号",
        ),
        (
            "quoted scalar",
            "引号里的文字写法有误（可能没有闭合）；请检查这段文字的引号",
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
            "misplaced bracket",
            "多了一个方括号或花括号（] 或 }）；请删去多余的括号",
        ),
        (
            "illegal placement of ':'",
            "冒号“:”的位置不对：可能是上一行的 [ 或 { 没有闭合，或文字里有英文冒号（请给整段文字加引号）",
        ),
        (
            "recursion limit",
            "嵌套层级过深，已拒绝读取；单位文件最多只需要六七层缩进",
        ),
        (
            "depth",
            "嵌套层级过深，已拒绝读取；单位文件最多只需要六七层缩进",
        ),
        (
            "documents",
            "文件里有多个 YAML 文档（用 --- 分隔）；每个文件只写一个单位，请删去多余的 --- 或把内容拆成几个文件",
        ),
        (
            "multiple documents",
            "文件里有多个 YAML 文档（用 --- 分隔）；每个文件只写一个单位，请删去多余的 --- 或把内容拆成几个文件",
        ),
        (
            "budget",
            "文件里的别名（& 和 *）展开后过大，已拒绝读取；请直接写出内容，不要用别名反复引用",
        ),
        (
            "unknown anchor",
            "别名“*…”引用的锚点“&…”不存在；请直接写出内容，不要用 * 开头（文字以 * 开头时请加引号）",
        ),
        (
            "alias",
            "文件里的别名（* 引用）有误或展开过多；请直接写出内容，不要用别名（文字以 * 或 & 开头时请加引号）",
        ),
        (
            "unexpected character",
            "这里的字符（如 @ 或 `）不能作为一段文字的开头；请给整段文字加上引号",
        ),
        (
            "cannot start any token",
            "这里的字符（如 @ 或 `）不能作为一段文字的开头；请给整段文字加上引号",
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
            "expected '-' indicator",
            "列表项“- ”的缩进不对，或列表里混入了“键: 值”；同一个列表的各项要对齐",
        ),
        (
            "block sequence",
            "列表项“- ”的缩进不对；同一个列表的各项要对齐",
        ),
        (
            "did not find expected key",
            "缩进不对齐：这一行比上面同一层的键少了或多了空格；同一层的键要用相同数量的空格开头",
        ),
        (
            "could not find expected ':'",
            "这里缺少英文冒号“:”，或上一行的引号、括号没有闭合",
        ),
        (
            "document start",
            "文件开头的写法不对：列表“- ”和“键: 值”混在了同一层；请检查第一行和这一行的缩进",
        ),
        (
            "directive",
            "以 % 开头的行是 YAML 指令，这里写错了；请删去以 % 开头的行",
        ),
        (
            "invalid",
            "值的类型标记（!! 开头）与内容不符；请删去 !! 标记",
        ),
    ];
    for (needle, chinese) in known {
        if lower.contains(needle) {
            return format!("YAML 格式错误：{chinese}");
        }
    }
    format!(
        "YAML 格式错误：这一行（或上一行）不符合 YAML 写法；请检查缩进、冒号、引号和括号（解析器提示：{detail}）"
    )
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
        assert!(duplicate.message.contains("“a”"), "{}", duplicate.message);
        assert!(duplicate.message.contains("两次"), "{}", duplicate.message);
        assert!(
            !duplicate.message.contains("Policy"),
            "{}",
            duplicate.message
        );
        // Keys whose lowercase is longer than they are (İ → i̇) must not upset the cutting.
        let long_key = "İ".repeat(40);
        let unicode = parse(&format!("{long_key}: 1\n{long_key}: 2\n")).unwrap_err();
        assert!(unicode.message.contains(&long_key), "{}", unicode.message);
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
