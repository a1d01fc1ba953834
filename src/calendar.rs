//! Working days over the embedded statutory-holiday calendar (法定节假日与调休, 2020–2026).
//!
//! This module owns the answer to "is this date a working day?" and the two date derivations of §3.4 of
//! the design: plan due = feedback date + N **working** days ([`add_working_days`]), meeting and report
//! due = feedback date + N **calendar months** ([`add_months`]).
//!
//! The facts come from `data/holiday-cn/YYYY.json` (the holiday-cn data set, MIT, LICENSE beside the
//! files), embedded with `include_str!` and parsed once on first use. A date is a working day when it is
//! Monday–Friday and not listed as a holiday (`isOffDay: true`), or when it is a Saturday/Sunday listed as
//! a 调休 working day (`isOffDay: false`). For a year the data does not cover, only weekends are days off:
//! [`add_working_days`] still answers, and names every such year in
//! [`WorkdayCount::uncovered_years`] so that the caller can warn (the README of the data folder requires
//! that an uncovered year is never silently treated as covered).
//!
//! Nothing here panics, for any [`Date`] jiff can represent (years −9999 to 9999): arithmetic that would
//! leave jiff's range saturates at [`Date::MAX`] (9999-12-31) — see the functions' documentation.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use jiff::civil::{Date, Weekday};

/// The embedded year files. A new year is added here (and its JSON file beside the others).
const YEAR_FILES: &[(&str, &str)] = &[
    ("2020.json", include_str!("../data/holiday-cn/2020.json")),
    ("2021.json", include_str!("../data/holiday-cn/2021.json")),
    ("2022.json", include_str!("../data/holiday-cn/2022.json")),
    ("2023.json", include_str!("../data/holiday-cn/2023.json")),
    ("2024.json", include_str!("../data/holiday-cn/2024.json")),
    ("2025.json", include_str!("../data/holiday-cn/2025.json")),
    ("2026.json", include_str!("../data/holiday-cn/2026.json")),
];

/// The result of counting working days: the due date, and the years the calendar did not cover
/// (those were counted with weekends only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkdayCount {
    pub date: Date,
    /// Years (sorted, each once) in which at least one day was counted with the weekend-only fallback.
    pub uncovered_years: Vec<i16>,
}

/// One `YYYY.json` file, as far as this module needs it (`$schema`, `papers`, `name` are ignored).
#[derive(serde::Deserialize)]
struct YearFile {
    year: i16,
    days: Vec<DayEntry>,
}

#[derive(serde::Deserialize)]
struct DayEntry {
    date: Date,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// The parsed calendar: every listed date (true = day off) and the years whose arrangement is known.
struct Calendar {
    listed: HashMap<Date, bool>,
    covered: BTreeSet<i16>,
    /// The first and last date the data says anything about (1 January of the first covered year or an
    /// earlier listed date; 31 December of the last covered year or a later listed date). Outside this
    /// range every day follows the weekend-only fallback, which lets long counts skip whole weeks.
    known: Option<(Date, Date)>,
}

impl Calendar {
    /// Parses the embedded files. A file that does not parse leaves its year uncovered (so callers
    /// warn about it) instead of panicking; the unit tests assert that every embedded file parses.
    fn from_files(files: &[(&str, &str)]) -> Calendar {
        let mut listed = HashMap::new();
        let mut covered = BTreeSet::new();
        for (_, text) in files {
            let Ok(file) = serde_json::from_str::<YearFile>(text) else {
                continue;
            };
            covered.insert(file.year);
            // An entry may lie in the neighbouring year (2023.json lists 2022-12-31); it is keyed by
            // its own date.
            listed.extend(file.days.into_iter().map(|d| (d.date, d.is_off_day)));
        }
        let first = covered
            .first()
            .and_then(|&y| Date::new(y, 1, 1).ok())
            .into_iter()
            .chain(listed.keys().copied())
            .min();
        let last = covered
            .last()
            .and_then(|&y| Date::new(y, 12, 31).ok())
            .into_iter()
            .chain(listed.keys().copied())
            .max();
        let known = first.zip(last);
        Calendar {
            listed,
            covered,
            known,
        }
    }

    fn get() -> &'static Calendar {
        static CALENDAR: OnceLock<Calendar> = OnceLock::new();
        CALENDAR.get_or_init(|| Calendar::from_files(YEAR_FILES))
    }

    /// How many whole weeks (at most `max_weeks`) after `date` lie entirely outside the known range,
    /// so that each of them holds exactly five fallback working days.
    fn fallback_weeks_after(&self, date: Date, max_weeks: u32) -> u32 {
        let days_between =
            |a: Date, b: Date| a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0);
        let available = match self.known {
            // (date, date + 7w] must stay before the first known date …
            Some((first, _)) if date < first => days_between(date, first) - 1,
            // … or after the last known date, and within jiff's range.
            Some((_, last)) if date >= last => days_between(date, Date::MAX),
            Some(_) => 0,
            None => days_between(date, Date::MAX),
        };
        let weeks = u32::try_from(available.max(0) / 7).unwrap_or(u32::MAX);
        weeks.min(max_weeks)
    }

    fn is_working_day(&self, date: Date) -> Option<bool> {
        if let Some(&off) = self.listed.get(&date) {
            return Some(!off);
        }
        self.covered
            .contains(&date.year())
            .then(|| is_weekday(date))
    }
}

fn is_weekday(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Whether `date` is a working day by the embedded calendar; `None` when its year is not covered
/// (and the date is not listed in a neighbouring year's file).
pub fn is_working_day(date: Date) -> Option<bool> {
    Calendar::get().is_working_day(date)
}

/// The years whose holiday arrangement is embedded, ascending.
pub fn covered_years() -> Vec<i16> {
    Calendar::get().covered.iter().copied().collect()
}

/// `start` + `workdays` working days; `start` itself is not counted, so the result is the
/// `workdays`-th working day strictly after `start` (and `start` itself when `workdays` is 0).
///
/// Days in years the calendar does not cover count by weekday alone (Monday–Friday) and their years are
/// reported in [`WorkdayCount::uncovered_years`].
///
/// Saturation: if the count would run past [`Date::MAX`] (9999-12-31), the result stops at
/// `Date::MAX` (with 9999 among the uncovered years) instead of panicking or wrapping. Outside the
/// embedded data the count skips whole weeks (five working days each), so even `u32::MAX` is cheap.
pub fn add_working_days(start: Date, workdays: u32) -> WorkdayCount {
    add_working_days_with(start, workdays, &Supplement::default())
}

/// Holidays and 调休 working days that the user supplies (`deadlines.holidays` / `deadlines.workdays`)
/// for a year the embedded calendar lacks, or to correct it. A year with any supplied day counts as
/// covered: the user has written out that year's arrangement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Supplement {
    pub off_days: Vec<Date>,
    pub work_days: Vec<Date>,
}

impl Supplement {
    pub fn is_empty(&self) -> bool {
        self.off_days.is_empty() && self.work_days.is_empty()
    }

    /// Whether the user said `date` is a working day (a supplied 调休 day) or not (a supplied holiday).
    fn classify(&self, date: Date) -> Option<bool> {
        if self.off_days.contains(&date) {
            Some(false)
        } else if self.work_days.contains(&date) {
            Some(true)
        } else {
            None
        }
    }

    fn covers(&self, year: i16) -> bool {
        self.off_days
            .iter()
            .chain(&self.work_days)
            .any(|d| d.year() == year)
    }
}

/// As [`add_working_days`], with the user's supplement taking precedence over the embedded data.
pub fn add_working_days_with(start: Date, workdays: u32, supplement: &Supplement) -> WorkdayCount {
    let calendar = Calendar::get();
    let mut uncovered = BTreeSet::new();
    let mut date = start;
    let mut remaining = workdays;
    while remaining > 0 {
        // Skip whole fallback weeks, leaving at least one working day for the day-by-day walk, so
        // the result is always reached by the walk and is a working day. Supplied days may fall
        // anywhere, so with a supplement every day is walked (the caller caps the count).
        let weeks = if supplement.is_empty() {
            calendar.fallback_weeks_after(date, (remaining - 1) / 5)
        } else {
            0
        };
        if weeks > 0 {
            let to = jiff::Span::new()
                .try_days(i64::from(weeks) * 7)
                .ok()
                .and_then(|span| date.checked_add(span).ok());
            if let (Ok(first_day), Some(to)) = (date.tomorrow(), to) {
                uncovered.extend(first_day.year()..=to.year());
                date = to;
                remaining -= weeks * 5;
                continue;
            }
        }
        let Ok(next) = date.tomorrow() else {
            break; // saturate at Date::MAX
        };
        date = next;
        let working = supplement
            .classify(date)
            .or_else(|| calendar.is_working_day(date))
            .unwrap_or_else(|| {
                if !supplement.covers(date.year()) {
                    uncovered.insert(date.year());
                }
                is_weekday(date)
            });
        if working {
            remaining -= 1;
        }
    }
    WorkdayCount {
        date,
        uncovered_years: uncovered.into_iter().collect(),
    }
}

/// `start` + `months` calendar months. The day is clamped to the last day of the target month
/// (2026-01-31 + 1 month = 2026-02-28; 2028-01-31 + 1 month = 2028-02-29).
///
/// Saturation: a result past 9999-12 gives [`Date::MAX`] (9999-12-31).
pub fn add_months(start: Date, months: u32) -> Date {
    let index = i64::from(start.year()) * 12 + i64::from(start.month() - 1) + i64::from(months);
    let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month0 + 1)) else {
        return Date::MAX;
    };
    let Ok(first) = Date::new(year, month, 1) else {
        return Date::MAX; // year beyond 9999
    };
    let day = start.day().min(first.days_in_month());
    Date::new(year, month, day).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn wd(start: Date, n: u32) -> WorkdayCount {
        add_working_days(start, n)
    }

    #[test]
    fn every_embedded_file_parses_and_names_its_year() {
        for (name, text) in YEAR_FILES {
            let file: YearFile = serde_json::from_str(text).expect(name);
            assert_eq!(format!("{}.json", file.year), *name);
            assert!(!file.days.is_empty(), "{name}");
        }
        assert_eq!(covered_years(), (2020..=2026).collect::<Vec<i16>>());
    }

    #[test]
    fn files_do_not_contradict_each_other() {
        let mut seen: HashMap<Date, bool> = HashMap::new();
        for (name, text) in YEAR_FILES {
            let file: YearFile = serde_json::from_str(text).expect(name);
            for d in file.days {
                if let Some(prev) = seen.insert(d.date, d.is_off_day) {
                    assert_eq!(prev, d.is_off_day, "{} in {name}", d.date);
                }
            }
        }
    }

    #[test]
    fn listed_days_and_weekdays() {
        // 国庆 2026: 10-01..10-07 off, Saturday 10-10 is a 调休 working day, Sunday 10-11 is not.
        assert_eq!(is_working_day(date(2026, 10, 1)), Some(false));
        assert_eq!(is_working_day(date(2026, 10, 7)), Some(false));
        assert_eq!(is_working_day(date(2026, 10, 10)), Some(true));
        assert_eq!(is_working_day(date(2026, 10, 11)), Some(false));
        // Ordinary days.
        assert_eq!(is_working_day(date(2026, 5, 12)), Some(true)); // Tuesday
        assert_eq!(is_working_day(date(2026, 5, 16)), Some(false)); // Saturday
        // 2022-12-31 is listed in 2023.json.
        assert_eq!(is_working_day(date(2022, 12, 31)), Some(false));
        // Not covered.
        assert_eq!(is_working_day(date(2027, 3, 1)), None);
        assert_eq!(is_working_day(date(2019, 6, 3)), None);
    }

    #[test]
    fn national_day_2026() {
        // After Mon 09-28: 09-29 (1), 09-30 (2), 10-01..10-07 off, 10-08 (3), 10-09 (4),
        // Sat 10-10 调休 (5), Sun 10-11 off, 10-12..10-16 (6..10).
        let r = wd(date(2026, 9, 28), 10);
        assert_eq!(r.date, date(2026, 10, 16));
        assert!(r.uncovered_years.is_empty());
        // The 调休 Saturday itself is reached as the 5th day.
        assert_eq!(wd(date(2026, 9, 28), 5).date, date(2026, 10, 10));
    }

    #[test]
    fn county_police_fixture() {
        // Feedback Tue 2026-05-12, 10 working days: 05-13..15 (3), 05-18..22 (8), 05-25 (9), 05-26 (10).
        let r = wd(date(2026, 5, 12), 10);
        assert_eq!(r.date, date(2026, 5, 26));
        assert!(r.uncovered_years.is_empty());
    }

    #[test]
    fn round_fixture() {
        // Feedback Wed 2026-06-10. 06-11, 06-12 (2), 06-15..18 (6), Fri 06-19 端午 off, 06-20/21 off,
        // 06-22..25 (10); 06-26 (11), 06-29 (12), 06-30 (13), 07-01 (14), 07-02 (15).
        assert_eq!(wd(date(2026, 6, 10), 10).date, date(2026, 6, 25));
        assert_eq!(wd(date(2026, 6, 10), 15).date, date(2026, 7, 2));
    }

    #[test]
    fn spring_festival_2026() {
        // Tue 02-10: 02-11 (1), 02-12 (2), 02-13 (3), Sat 02-14 调休 (4), 02-15..02-23 off, 02-24 (5).
        assert_eq!(wd(date(2026, 2, 10), 4).date, date(2026, 2, 14));
        assert_eq!(wd(date(2026, 2, 10), 5).date, date(2026, 2, 24));
        // Starting on the 调休 Saturday: the next working day is after the whole holiday.
        assert_eq!(wd(date(2026, 2, 14), 1).date, date(2026, 2, 24));
        // Sat 02-28 is a 调休 working day: 02-25 (1), 02-26 (2), 02-27 (3), 02-28 (4), 03-02 (5).
        assert_eq!(wd(date(2026, 2, 24), 4).date, date(2026, 2, 28));
        assert_eq!(wd(date(2026, 2, 24), 5).date, date(2026, 3, 2));
    }

    #[test]
    fn uncovered_years_are_reported() {
        // Mon 2027-03-01: 03-02..03-05 (4), 03-08 (5), weekends only.
        let r = wd(date(2027, 3, 1), 5);
        assert_eq!(r.date, date(2027, 3, 8));
        assert_eq!(r.uncovered_years, vec![2027]);
        // Across the year end: Thu 2026-12-24: 12-25 (1), 12-28..31 (5), 2027-01-01 (6, fallback),
        // 01-04..07 (10).
        let r = wd(date(2026, 12, 24), 10);
        assert_eq!(r.date, date(2027, 1, 7));
        assert_eq!(r.uncovered_years, vec![2027]);
        // Before the data and across it: both ends reported, once each, sorted.
        let r = wd(date(2019, 12, 20), 2000);
        assert_eq!(r.uncovered_years.first(), Some(&2019));
        assert!(!r.uncovered_years.contains(&2020));
        // Within 2026 only: nothing to report even though the start year is fine.
        assert!(wd(date(2026, 12, 30), 1).uncovered_years.is_empty());
    }

    #[test]
    fn supplied_days_cover_a_missing_year() {
        let d = |m, day| Date::new(2027, m, day).unwrap();
        // 2027 元旦 as the State Council might set it: 1–3 January off, no 调休.
        let supplement = Supplement {
            off_days: vec![d(1, 1)],
            work_days: vec![d(1, 9)],
        };
        let counted = add_working_days_with(Date::new(2026, 12, 30).unwrap(), 3, &supplement);
        // 12-31 (Thu), 1-1 off (supplied), 1-4 (Mon), 1-5 → third working day is 1-5.
        assert_eq!(counted.date, d(1, 5));
        assert!(counted.uncovered_years.is_empty());
        // A supplied 调休 Saturday counts.
        let counted = add_working_days_with(d(1, 8), 1, &supplement);
        assert_eq!(counted.date, d(1, 9));
        // Without a supplement the year is reported.
        assert_eq!(
            add_working_days_with(d(1, 8), 1, &Supplement::default()).uncovered_years,
            [2027]
        );
    }

    #[test]
    fn zero_working_days_is_start() {
        for d in [
            date(2026, 10, 1),
            date(2026, 5, 12),
            date(2027, 1, 2),
            Date::MAX,
            Date::MIN,
        ] {
            assert_eq!(
                wd(d, 0),
                WorkdayCount {
                    date: d,
                    uncovered_years: vec![]
                }
            );
        }
    }

    #[test]
    fn saturates_at_max_date() {
        assert_eq!(wd(Date::MAX, 1).date, Date::MAX);
        let r = wd(date(9999, 12, 20), 100);
        assert_eq!(r.date, Date::MAX);
        assert_eq!(r.uncovered_years, vec![9999]);
        let r = wd(Date::MIN, u32::MAX);
        assert_eq!(r.date, Date::MAX);
        assert_eq!(r.uncovered_years.len(), 19999 - 7); // every year but 2020..=2026
        // Within range, a huge count beyond the data still walks the right weekdays.
        let r = wd(date(2026, 12, 31), 100_000);
        assert_eq!(r, reference(date(2026, 12, 31), 100_000));
        assert_eq!(r.uncovered_years.first(), Some(&2027));
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(date(2026, 5, 12), 2), date(2026, 7, 12));
        assert_eq!(add_months(date(2026, 5, 12), 0), date(2026, 5, 12));
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
        assert_eq!(add_months(date(2028, 1, 31), 1), date(2028, 2, 29)); // leap year
        assert_eq!(add_months(date(2024, 2, 29), 12), date(2025, 2, 28));
        assert_eq!(add_months(date(2024, 2, 29), 48), date(2028, 2, 29));
        assert_eq!(add_months(date(2100, 1, 29), 1), date(2100, 2, 28)); // 2100 is not leap
        assert_eq!(add_months(date(2000, 1, 30), 1), date(2000, 2, 29)); // 2000 is
        assert_eq!(add_months(date(2026, 8, 31), 1), date(2026, 9, 30));
        assert_eq!(add_months(date(2026, 11, 30), 3), date(2027, 2, 28));
        assert_eq!(add_months(date(2026, 12, 15), 1), date(2027, 1, 15));
        assert_eq!(add_months(date(-1, 12, 31), 2), date(0, 2, 29)); // year 0 is leap
    }

    #[test]
    fn months_saturate() {
        assert_eq!(add_months(date(9999, 12, 1), 1), Date::MAX);
        assert_eq!(add_months(date(9999, 11, 30), 1), date(9999, 12, 30));
        assert_eq!(add_months(Date::MIN, u32::MAX), Date::MAX);
        assert_eq!(add_months(Date::MAX, u32::MAX), Date::MAX);
    }

    /// Days from 2019-01-01 to 2028-12-31 (covered years and a margin on both sides).
    fn around_data() -> impl Strategy<Value = Date> {
        (0i32..3653).prop_map(|n| {
            date(2019, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()
        })
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (-9999i16..=9999, 1i8..=12, 1i8..=28, any::<bool>()).prop_map(|(y, m, d, last)| {
            let d = date(y, m, d);
            if last { d.last_of_month() } else { d }
        })
    }

    /// The plain day-by-day definition, without the week skipping.
    fn reference(start: Date, n: u32) -> WorkdayCount {
        let mut uncovered = BTreeSet::new();
        let (mut d, mut left) = (start, n);
        while left > 0 {
            let Ok(next) = d.tomorrow() else { break };
            d = next;
            if is_working_day(d).is_none() {
                uncovered.insert(d.year());
            }
            if counted_working_day(d) {
                left -= 1;
            }
        }
        WorkdayCount {
            date: d,
            uncovered_years: uncovered.into_iter().collect(),
        }
    }

    /// Days from 2010-01-01 to 2036-12-31, and the last and first 40 days of jiff's range.
    fn near_edges() -> impl Strategy<Value = Date> {
        prop_oneof![
            (0i32..9861).prop_map(|n| date(2010, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()),
            (0i32..40).prop_map(|n| Date::MAX.checked_sub(jiff::Span::new().days(n)).unwrap()),
            (0i32..40).prop_map(|n| Date::MIN.checked_add(jiff::Span::new().days(n)).unwrap()),
        ]
    }

    fn counted_working_day(d: Date) -> bool {
        is_working_day(d).unwrap_or_else(|| is_weekday(d))
    }

    proptest! {
        #[test]
        fn result_is_a_working_day_after_start(start in around_data(), n in 1u32..400) {
            let r = add_working_days(start, n);
            prop_assert!(r.date > start);
            prop_assert!(counted_working_day(r.date));
            // Exactly n working days in (start, r.date].
            let mut count = 0;
            let mut d = start;
            while d < r.date {
                d = d.tomorrow().unwrap();
                if counted_working_day(d) {
                    count += 1;
                }
            }
            prop_assert_eq!(count, n);
            // The reported years are exactly the uncovered years walked through.
            let uncovered: Vec<i16> = (start.year()..=r.date.year())
                .filter(|y| !covered_years().contains(y))
                .filter(|&y| y != start.year() || start < date(y, 12, 31))
                .collect();
            prop_assert_eq!(r.uncovered_years, uncovered);
        }

        #[test]
        fn week_skipping_matches_the_day_walk(start in near_edges(), n in 0u32..4000) {
            prop_assert_eq!(add_working_days(start, n), reference(start, n));
        }

        #[test]
        fn never_panics(start in any_date(), n in any::<u32>(), m in any::<u32>()) {
            let r = add_working_days(start, n);
            prop_assert!(r.date >= start);
            prop_assert!(r.uncovered_years.windows(2).all(|w| w[0] < w[1]));
            let later = add_months(start, m);
            prop_assert!(later >= start);
        }
    }
}
