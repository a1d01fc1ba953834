//! Integration tests of the input stage on the fixtures: aliases, mixed keys, round merge and override,
//! discovery.

mod common;

use std::path::{Path, PathBuf};

use zhenggai::input::{self, UnitSource, read::FileContent};
use zhenggai::model::UnitInput;

fn read_unit(path: &str) -> UnitInput {
    let (content, diagnostics) = input::read_path(Path::new(path));
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{path}: {diagnostics:#?}"
    );
    match content {
        Some(FileContent::Unit(unit)) => *unit,
        _ => panic!("{path} is not a unit file"),
    }
}

fn assert_same_data(a: &UnitInput, b: &UnitInput) {
    assert_eq!(a.round, b.round);
    assert_eq!(a.unit, b.unit);
    assert_eq!(a.deadlines, b.deadlines);
    assert_eq!(a.speech, b.speech);
    assert_eq!(a.findings, b.findings);
    assert_eq!(a.plan, b.plan);
    assert_eq!(a.report, b.report);
}

#[test]
fn chinese_aliases_read_the_same_as_english_keys() {
    let english = read_unit("fixtures/county-police.yaml");
    let chinese = read_unit("fixtures/county-police-zh.yaml");
    assert_same_data(&english, &chinese);
    assert_eq!(english.findings.len(), 3);
    assert!(!english.findings[2].problems[1].public);
}

#[test]
fn mixed_keys_read_the_same_as_english_keys() {
    let english = read_unit("fixtures/round-2026/units/education.yaml");
    let mixed = read_unit("fixtures/mixed-keys/education-mixed.yaml");
    assert_same_data(&english, &mixed);
}

fn round_units() -> Vec<UnitInput> {
    common::load(&[common::fixtures().join("round-2026/round.yaml")])
}

#[test]
fn units_inherit_the_round_and_override_key_by_key() {
    let units = round_units();
    let names: Vec<_> = units
        .iter()
        .map(|u| u.unit.org.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["县教育体育局", "县卫生健康局"]);
    let (education, health) = (&units[0], &units[1]);
    for unit in &units {
        assert_eq!(unit.round.committee.as_deref(), Some("中共青山县委"));
        assert_eq!(unit.round.group.as_deref(), Some("县委第二巡察组"));
        assert_eq!(unit.deadlines.meeting_months, Some(1));
        assert_eq!(unit.deadlines.report_months, Some(3));
        let manifest = unit
            .manifest
            .as_deref()
            .expect("inherited from the manifest");
        assert!(
            manifest.ends_with("fixtures/round-2026/round.yaml"),
            "{manifest:?}"
        );
    }
    assert_eq!(education.deadlines.plan_workdays, Some(15));
    assert_eq!(
        health.deadlines.plan_workdays,
        Some(10),
        "the unit's own value wins"
    );
    let inherited = health
        .locations
        .find("deadlines.report_months")
        .expect("location");
    assert!(inherited.file.ends_with("fixtures/round-2026/round.yaml"));
    let own = health
        .locations
        .find("deadlines.plan_workdays")
        .expect("location");
    assert!(own.file.ends_with("fixtures/round-2026/units/health.yaml"));
}

#[test]
fn a_unit_reached_twice_is_loaded_once() {
    let discovery = input::discover(&[
        PathBuf::from("fixtures/round-2026/round.yaml"),
        PathBuf::from("fixtures/round-2026/units/health.yaml"),
        PathBuf::from("fixtures/round-2026"),
    ]);
    let files: Vec<_> = discovery
        .units
        .iter()
        .map(|u: &UnitSource| u.file.clone())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(discovery.units.iter().all(|u| u.manifest.is_some()));
}

#[test]
fn a_folder_stands_for_its_manifest() {
    let discovery = input::discover(&[PathBuf::from("fixtures/round-2026")]);
    assert_eq!(discovery.units.len(), 2);
}
