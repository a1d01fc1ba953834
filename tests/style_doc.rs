//! `docs/style-profile.md` documents every key the style parser accepts. The key list comes from the
//! parser itself (the keys its "unknown key" error offers), so a key added to `src/docx/style.rs` without
//! a line in the document fails here; every Chinese alias the document gives must be accepted and mean
//! the same as its English key; the example file must load.

use zhenggai::docx::StyleProfile;

const DOC: &str = include_str!("../docs/style-profile.md");

/// The keys the parser offers for a section ("" for the top level), from its unknown-key error.
fn accepted_keys(section: &str) -> Vec<String> {
    let yaml = if section.is_empty() {
        "zz_no_such_key: 1\n".to_owned()
    } else {
        format!("{section}:\n  zz_no_such_key: 1\n")
    };
    let errors = StyleProfile::from_yaml(&yaml).expect_err("unknown key refused");
    let message = &errors[0].message;
    let list = message
        .split("可写的项：")
        .nth(1)
        .and_then(|rest| rest.split('）').next())
        .unwrap_or_else(|| panic!("no key list in {message}"));
    list.split('、').map(str::to_owned).collect()
}

/// (`key`, `alias`) pairs of the document's tables: rows that open with two code spans.
fn documented() -> Vec<(String, String)> {
    DOC.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = |c: &str| {
                c.strip_prefix('`')
                    .and_then(|c| c.strip_suffix('`'))
                    .map(str::to_owned)
            };
            Some((code(cells.get(1)?)?, code(cells.get(2)?)?))
        })
        .collect()
}

/// A style file setting `path` (dotted) to a valid value for that key.
fn yaml_for(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let section = if parts.len() > 1 { parts[0] } else { "" };
    let value = match (section, parts.last().copied().unwrap_or("")) {
        ("", "base" | "基于") => "windows".to_owned(),
        ("", "line_pitch" | "行距") => "28".to_owned(),
        ("", "table_line_pitch" | "表格行距") => "17".to_owned(),
        ("", "chars_per_line" | "每行字数") => "27".to_owned(),
        ("", "letterhead_top" | "版头上距") => "40".to_owned(),
        ("", _) => "{}".to_owned(),
        ("fonts" | "字体", _) => "某某字体".to_owned(),
        ("sizes" | "字号", _) => "20".to_owned(),
        ("margins" | "页边距", "footer" | "页脚") => "20".to_owned(),
        ("margins" | "页边距", _) => "30".to_owned(),
        ("bold" | "加粗", "run_in" | "段首标题" | "table_header" | "表头") => {
            "false".to_owned()
        }
        ("bold" | "加粗", _) => "true".to_owned(),
        (other, _) => panic!("unknown section {other}"),
    };
    match parts.as_slice() {
        [key] => format!("{key}: {value}\n"),
        [section, key] => format!("{section}:\n  {key}: {value}\n"),
        _ => panic!("{path}"),
    }
}

#[test]
fn every_key_the_parser_accepts_is_documented() {
    let rows = documented();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    // (English section, alias) of each documented alias: `字体.标题` of `fonts.title` → (fonts, 标题).
    let aliases: Vec<(String, String)> = rows
        .iter()
        .map(|(key, alias)| {
            let section = key.rsplit_once('.').map(|(s, _)| s).unwrap_or("");
            let last = alias.rsplit('.').next().unwrap_or(alias);
            (section.to_owned(), last.to_owned())
        })
        .collect();
    // The parser offers English keys and their Chinese aliases alike.
    let mut accepted: Vec<(String, String)> = accepted_keys("")
        .into_iter()
        .map(|k| (String::new(), k))
        .collect();
    for section in ["fonts", "sizes", "margins", "bold"] {
        assert!(accepted.iter().any(|(_, k)| k == section), "{section}");
        for key in accepted_keys(section) {
            accepted.push((section.to_owned(), key));
        }
    }
    assert!(accepted.len() > 60, "{accepted:?}");
    let mut missing = Vec::new();
    for (section, key) in &accepted {
        let path = if section.is_empty() {
            key.clone()
        } else {
            format!("{section}.{key}")
        };
        let listed = if key.is_ascii() {
            keys.contains(&path.as_str())
        } else {
            aliases.contains(&(section.clone(), key.clone()))
        };
        if !listed {
            missing.push(path);
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/style-profile.md: {missing:?}"
    );
    let english: Vec<String> = accepted
        .iter()
        .filter(|(_, k)| k.is_ascii())
        .map(|(s, k)| {
            if s.is_empty() {
                k.clone()
            } else {
                format!("{s}.{k}")
            }
        })
        .collect();
    let unknown: Vec<&&str> = keys
        .iter()
        .filter(|k| !english.contains(&k.to_string()))
        .collect();
    assert!(
        unknown.is_empty(),
        "documented but not accepted: {unknown:?}"
    );
}

#[test]
fn every_documented_alias_means_its_key() {
    let rows = documented();
    assert!(rows.len() > 30);
    for (key, alias) in rows {
        let english =
            StyleProfile::from_yaml(&yaml_for(&key)).unwrap_or_else(|e| panic!("{key}: {e:?}"));
        let chinese = StyleProfile::from_yaml(&yaml_for(&alias))
            .unwrap_or_else(|e| panic!("{alias} ({key}): {e:?}"));
        assert_eq!(english, chinese, "{alias} does not mean {key}");
        if !["fonts", "sizes", "margins", "bold"].contains(&key.as_str()) {
            assert_ne!(english, StyleProfile::default(), "{key} changes nothing");
        }
    }
}

#[test]
fn documented_defaults_match_the_builtin_profiles() {
    let gbt = StyleProfile::builtin("gbt9704").unwrap();
    let windows = StyleProfile::builtin("windows").unwrap();
    let row = |key: &str| -> Vec<String> {
        let line = DOC
            .lines()
            .find(|l| l.starts_with(&format!("| `{key}` |")))
            .unwrap_or_else(|| panic!("no row for {key}"));
        line.split('|').map(|c| c.trim().to_owned()).collect()
    };
    for (key, a, b) in [
        ("fonts.title", &gbt.fonts.title, &windows.fonts.title),
        ("fonts.body", &gbt.fonts.body, &windows.fonts.body),
        (
            "fonts.heading2",
            &gbt.fonts.heading2,
            &windows.fonts.heading2,
        ),
        ("fonts.table", &gbt.fonts.table, &windows.fonts.table),
        (
            "fonts.letterhead",
            &gbt.fonts.letterhead,
            &windows.fonts.letterhead,
        ),
    ] {
        let cells = row(key);
        assert_eq!((&cells[4], &cells[5]), (a, b), "{key}");
    }
    let number = |cell: &str| -> f64 { cell.split(' ').next().unwrap().parse().unwrap() };
    for (key, value) in [
        ("sizes.title", gbt.sizes.title),
        ("sizes.body", gbt.sizes.body),
        ("sizes.table", gbt.sizes.table),
        ("sizes.letterhead", gbt.sizes.letterhead),
        ("margins.top", gbt.margins.top),
        ("margins.footer", gbt.margins.footer),
        ("line_pitch", gbt.line_pitch),
        ("table_line_pitch", gbt.table_line_pitch),
        ("chars_per_line", f64::from(gbt.chars_per_line)),
    ] {
        assert_eq!(number(&row(key)[4]), value, "{key}");
    }
    assert_eq!(row("bold.title")[4..6], ["false", "true"]);
}

#[test]
fn the_example_file_loads() {
    let example = DOC
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("an example");
    let profile = StyleProfile::from_yaml(example).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(profile.fonts.title, "华文中宋");
    assert_eq!(profile.fonts.body, "仿宋");
    assert_eq!(profile.sizes.table, 10.5);
    assert!(profile.bold.heading2);
}
