//! Civil dates for the generator: days since 1970-01-01 to year-month-day and back (Howard
//! Hinnant's algorithms), Brussels time-zone offsets, and the literal and title forms the data uses.
//!
//! Written by hand instead of pulling in a date crate: the generator needs a handful of
//! operations on whole days, and these algorithms are exact for the whole proleptic Gregorian
//! calendar, so data sets that reach back a century stay correct.

use std::fmt;

/// A calendar day, as days since 1970-01-01 (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Day(pub(super) i64);

/// Dutch month names, for titles such as "Ministerraad van 9 oktober 2026".
const MONTHS_NL: [&str; 12] = crate::model::DUTCH_MONTHS;

/// English month names, for the English titles.
const MONTHS_EN: [&str; 12] = crate::model::ENGLISH_MONTHS;

impl Day {
    /// The day of a civil date (`month` 1..=12, `day` 1..=31).
    pub(super) const fn from_civil(year: i64, month: u32, day: u32) -> Self {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = month as i64;
        let day_of_year =
            (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Self(era * 146_097 + day_of_era - 719_468)
    }

    /// The civil date of this day: (year, month 1..=12, day 1..=31).
    pub(super) fn civil(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// The day `days` later (earlier when negative).
    pub(super) fn plus(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// Days from `earlier` to `self`.
    pub(super) fn since(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }

    /// Day of the week, 0 = Sunday (1970-01-01 was a Thursday).
    fn weekday(self) -> i64 {
        (self.0 + 4).rem_euclid(7)
    }

    /// The UTC offset in hours of Brussels at 09:00 or later on this day: +02:00 from the last
    /// Sunday of March up to the last Sunday of October, +01:00 otherwise. The current EU rule is
    /// applied to every year, which is good enough for synthetic data.
    pub(super) fn brussels_offset(self) -> u32 {
        let (year, _, _) = self.civil();
        let last_sunday = |month| {
            let last = Day::from_civil(year, month, 31);
            last.plus(-last.weekday())
        };
        if self >= last_sunday(3) && self < last_sunday(10) {
            2
        } else {
            1
        }
    }

    /// The year of this day.
    pub(super) fn year(self) -> i64 {
        self.civil().0
    }

    /// "9 oktober 2026".
    pub(super) fn dutch(self) -> String {
        let (year, month, day) = self.civil();
        format!("{day} {} {year}", MONTHS_NL[month as usize - 1])
    }

    /// "9 October 2026".
    pub(super) fn english(self) -> String {
        let (year, month, day) = self.civil();
        format!("{day} {} {year}", MONTHS_EN[month as usize - 1])
    }
}

/// `xsd:date` lexical form: "2026-10-09".
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// A local Brussels time on a given day, written as an `xsd:dateTime` with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LocalTime {
    /// The day.
    pub(super) day: Day,
    /// Minutes after midnight, local time (09:00 or later, so the offset rule holds).
    pub(super) minute: u32,
    /// Seconds within the minute (59 for closing times such as 23:59:59).
    pub(super) second: u32,
}

impl LocalTime {
    /// `hour:minute:00` local time on `day`.
    pub(super) fn at(day: Day, hour: u32, minute: u32) -> Self {
        Self {
            day,
            minute: hour * 60 + minute,
            second: 0,
        }
    }

    /// 23:59:59 local time on `day`: how closing times are written.
    pub(super) fn end_of(day: Day) -> Self {
        Self {
            day,
            minute: 23 * 60 + 59,
            second: 59,
        }
    }

    /// The same day, `minutes` later (callers keep it before midnight).
    pub(super) fn plus_minutes(self, minutes: u32) -> Self {
        Self {
            minute: (self.minute + minutes).min(23 * 60 + 59),
            ..self
        }
    }
}

/// "2026-10-09T10:00:00+02:00".
impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}+{:02}:00",
            self.day,
            self.minute / 60,
            self.minute % 60,
            self.second,
            self.day.brussels_offset()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn civil_dates_round_trip() -> TestResult {
        for days in [-800_000, -1, 0, 1, 59, 365, 20_000, 20_777, 2_000_000] {
            let (year, month, day) = Day(days).civil();
            assert_eq!(Day::from_civil(year, month, day), Day(days));
        }
        assert_eq!(Day(0).to_string(), "1970-01-01");
        assert_eq!(Day::from_civil(2026, 11, 20).to_string(), "2026-11-20");
        assert_eq!(
            Day::from_civil(2000, 2, 29).plus(1).to_string(),
            "2000-03-01"
        );
        assert_eq!(Day::from_civil(1969, 12, 31), Day(-1));
        Ok(())
    }

    #[test]
    fn brussels_switches_on_the_last_sundays_of_march_and_october() -> TestResult {
        // 2026: summer time from 29 March to 25 October.
        let time = |m, d| LocalTime::at(Day::from_civil(2026, m, d), 10, 0).to_string();
        assert_eq!(time(3, 28), "2026-03-28T10:00:00+01:00");
        assert_eq!(time(3, 29), "2026-03-29T10:00:00+02:00");
        assert_eq!(time(10, 24), "2026-10-24T10:00:00+02:00");
        assert_eq!(time(10, 25), "2026-10-25T10:00:00+01:00");
        let close = LocalTime::end_of(Day::from_civil(2026, 12, 18)).to_string();
        assert_eq!(close, "2026-12-18T23:59:59+01:00");
        Ok(())
    }

    #[test]
    fn titles_use_month_names() -> TestResult {
        let day = Day::from_civil(2026, 10, 9);
        assert_eq!(day.dutch(), "9 oktober 2026");
        assert_eq!(day.english(), "9 October 2026");
        assert_eq!(day.year(), 2026);
        assert_eq!(Day::from_civil(2026, 10, 9).weekday(), 5);
        Ok(())
    }
}
