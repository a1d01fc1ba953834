//! Working days over the embedded statutory-holiday calendar (法定节假日与调休, 2020–2026).
//!
//! OWNER: calendar helper. Public API is fixed: see the signatures below.

use jiff::civil::Date;

/// The result of counting working days: the due date, and the years the calendar did not cover
/// (those were counted with weekends only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkdayCount {
    pub date: Date,
    pub uncovered_years: Vec<i16>,
}

/// `start` + `workdays` working days; `start` itself is not counted.
pub fn add_working_days(start: Date, workdays: u32) -> WorkdayCount {
    let _ = workdays;
    WorkdayCount {
        date: start,
        uncovered_years: Vec::new(),
    }
}

/// `start` + `months` calendar months (clamped to the month's last day).
pub fn add_months(start: Date, months: u32) -> Date {
    let _ = months;
    start
}
