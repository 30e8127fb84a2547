//! The HTTP `Date` header, read as
//! [RFC 9110 §5.6.7](https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7) (RFC 7231 §7.1.1.1
//! before it) asks: a recipient accepts all three forms,
//!
//! - IMF-fixdate, what servers send: `Sun, 06 Nov 1994 08:49:37 GMT`;
//! - the obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`;
//! - ANSI C's `asctime()` form: `Sun Nov  6 08:49:37 1994`.
//!
//! A diagnosis compares the server's `Date` with the timestamp sent, so it is read in seconds
//! since the Unix epoch (UTC, a leap second `:60` counted as the next second, as POSIX time
//! does). Day and month names are case-sensitive, as the grammar writes them; the weekday is
//! not checked against the date (no rule asks a recipient to).

use alloc::vec::Vec;

/// `s` as seconds since the epoch, or `None` when it is none of the three forms or names no
/// real time. `near` (seconds since the epoch, the timestamp sent) resolves the RFC 850 form's
/// two-digit year: the next year with those last two digits (from `near`'s on), unless it is
/// more than 50 years ahead, when it is "the most recent year in the past that had the same
/// last two digits" (RFC 9110 §5.6.7).
pub(super) fn http_date(s: &str, near: u64) -> Option<u64> {
    let words: Vec<&str> = s.split_ascii_whitespace().collect();
    let (day, month, year, time) = match words[..] {
        // IMF-fixdate = day-name "," SP day SP month SP year SP time-of-day SP "GMT"
        [name, day, month, year, time, "GMT"] if is_day(name, ",", false) => {
            (day, month, number(year, 4, 4)?, time)
        }
        // rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP "GMT"
        [name, date, time, "GMT"] if is_day(name, ",", true) => {
            let mut date = date.split('-');
            let (day, month, yy) = (date.next()?, date.next()?, date.next()?);
            if date.next().is_some() {
                return None;
            }
            // The first year from `near`'s on with these two digits, or the century before
            // when that one is more than 50 years ahead.
            let near_year = civil_year(near);
            let mut year = near_year - near_year % 100 + number(yy, 2, 2)?;
            if year < near_year {
                year += 100;
            }
            if year > near_year + 50 {
                year -= 100;
            }
            (day, month, year, time)
        }
        // asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
        [name, month, day, time, year] if is_day(name, "", false) => {
            (day, month, number(year, 4, 4)?, time)
        }
        _ => return None,
    };
    let day = number(day, 1, 2)?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut hms = time.split(':');
    let (h, m, sec) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() {
        return None;
    }
    let (h, m, sec) = (number(h, 2, 2)?, number(m, 2, 2)?, number(sec, 2, 2)?);
    let month_days = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=month_days).contains(&day) || h > 23 || m > 59 || sec > 60 || year < 1970 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Whether `word` is a day's name followed by `end`: its whole name (`Sunday`) when `long`,
/// else its first three letters (`Sun`).
fn is_day(word: &str, end: &str, long: bool) -> bool {
    word.strip_suffix(end).is_some_and(|name| {
        DAYS.iter().any(|d| {
            if long {
                *d == name
            } else {
                d.get(..3) == Some(name)
            }
        })
    })
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `s` as a decimal number of `min` to `max` digits (no sign, no space).
fn number(s: &str, min: usize, max: usize) -> Option<u64> {
    if !(min..=max).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// Days from 1970-01-01 to a civil date on or after it (Howard Hinnant's `days_from_civil`,
/// <https://howardhinnant.github.io/date_algorithms.html#days_from_civil>).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let (era, yoe) = (y / 400, y % 400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil year of a time in seconds since the epoch (Hinnant's `civil_from_days`).
fn civil_year(seconds: u64) -> u64 {
    let z = seconds / 86_400 + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + u64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1994-11-06 08:49:37 UTC, the example of RFC 9110 §5.6.7: 24 years of 365 days and 6
    /// leap days to 1994-01-01 (8,766 days), and 309 days to November 6 (304 to November 1),
    /// 9,075 days of 86,400 s, plus 8 h 49 min 37 s (31,777 s).
    const EXAMPLE: u64 = 9_075 * 86_400 + 31_777;
    /// 2026-12-08 00:00:00 UTC: 56 years of 365 days and 14 leap days (1972 to 2024) to
    /// 2026-01-01, then 334 days to December 1 and 7 more.
    const NOW: u64 = (56 * 365 + 14 + 334 + 7) * 86_400;

    #[test]
    fn the_three_forms_of_rfc_9110() {
        assert_eq!(EXAMPLE, 784_111_777);
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
            Some(EXAMPLE)
        );
        assert_eq!(
            http_date("Sunday, 06-Nov-94 08:49:37 GMT", NOW),
            Some(EXAMPLE)
        );
        assert_eq!(http_date("Sun Nov  6 08:49:37 1994", NOW), Some(EXAMPLE));
        assert_eq!(http_date("Sun Nov 06 08:49:37 1994", NOW), Some(EXAMPLE));
    }

    #[test]
    fn the_epoch_and_leap_days() {
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT", NOW), Some(0));
        // 2000 is a leap year (divisible by 400): 30 years and 7 leap days (1972-1996) to
        // 2000-01-01, then 31 + 28 days to Feb 29.
        let feb29 = (30 * 365 + 7 + 59) * 86_400;
        assert_eq!(http_date("Tue, 29 Feb 2000 00:00:00 GMT", NOW), Some(feb29));
        assert_eq!(
            http_date("Wed, 01 Mar 2000 00:00:00 GMT", NOW),
            Some(feb29 + 86_400)
        );
        // 1900 and 2100 are not (divisible by 100, not by 400).
        assert_eq!(http_date("Mon, 29 Feb 2100 00:00:00 GMT", NOW), None);
        assert_eq!(
            http_date("Thu, 28 Feb 2030 23:59:59 GMT", NOW).map(|s| s % 86_400),
            Some(86_399)
        );
        // A leap second is the next second.
        assert_eq!(
            http_date("Sat, 31 Dec 2016 23:59:60 GMT", NOW),
            http_date("Sun, 01 Jan 2017 00:00:00 GMT", NOW)
        );
        assert_eq!(http_date("Wed, 08 Dec 2026 00:00:00 GMT", NOW), Some(NOW));
    }

    #[test]
    fn a_two_digit_year_is_at_most_50_years_ahead() {
        // Read in 2026: 76 is 2076 (50 years ahead), 77 is 1977 (2077 is more than 50 ahead),
        // 26 is 2026, 00 is 2000.
        let year_of = |yy: &str| {
            http_date(&alloc::format!("Friday, 01-Jan-{yy} 00:00:00 GMT"), NOW).map(civil_year)
        };
        assert_eq!(year_of("76"), Some(2076));
        assert_eq!(year_of("77"), Some(1977));
        assert_eq!(year_of("26"), Some(2026));
        assert_eq!(year_of("00"), Some(2000));
        // Read in 1994 (the example's own time), 44 is 2044 and 45 is 1945, before the epoch.
        assert_eq!(
            http_date("Friday, 01-Jan-44 00:00:00 GMT", EXAMPLE).map(civil_year),
            Some(2044)
        );
        assert_eq!(http_date("Friday, 01-Jan-45 00:00:00 GMT", EXAMPLE), None);
    }

    #[test]
    fn civil_years() {
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(EXAMPLE), 1994);
        assert_eq!(civil_year(NOW), 2026);
        // The last second of 1999 and the first of 2000: 30 years and 7 leap days.
        let y2k = (30 * 365 + 7) * 86_400;
        assert_eq!(civil_year(y2k - 1), 1999);
        assert_eq!(civil_year(y2k), 2000);
    }

    #[test]
    fn bad_dates() {
        for bad in [
            "",
            "GMT",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "sun, 06 Nov 1994 08:49:37 GMT",
            "Son, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 November 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 006 Nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 1994 08:49:3a GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sunday Nov  6 08:49:37 1994",
            "Sun 6 Nov 08:49:37 1994",
            "1994-11-06T08:49:37Z",
            "784111777",
        ] {
            assert_eq!(http_date(bad, NOW), None, "{bad:?}");
        }
    }
}
