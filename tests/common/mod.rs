//! Test helpers: the example units, loaded through the real input stage (`zhenggai::input`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use zhenggai::input;
use zhenggai::model::{Document, UnitInput};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Loads the units the paths name (unit files, round manifests), validated for all documents; panics with
/// the diagnostics when anything is wrong, since the fixtures must be clean.
pub fn load(paths: &[PathBuf]) -> Vec<UnitInput> {
    let discovery = input::discover(paths);
    assert!(
        discovery.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        discovery.diagnostics
    );
    discovery
        .units
        .iter()
        .map(|source| {
            let (unit, diagnostics) = input::load_and_validate(source, &Document::ALL);
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
            unit.unwrap_or_else(|| panic!("{} did not load", source.file.display()))
        })
        .collect()
}

/// Every example unit: county-police and the units of round-2026.
pub fn example_units() -> Vec<UnitInput> {
    load(&[
        fixtures().join("county-police.yaml"),
        fixtures().join("round-2026/round.yaml"),
    ])
}

pub fn county_police() -> UnitInput {
    load(&[fixtures().join("county-police.yaml")]).remove(0)
}

/// The text of the first level-1 heading (either form: `# …` or a setext title broken by hand).
pub fn first_title(markdown: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut inside = false;
    let mut title = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => inside = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => break,
            Event::Text(text) if inside => title.push_str(&text),
            _ => {}
        }
    }
    title
}
