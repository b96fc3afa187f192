//! Instants and calendar arithmetic, in one place.
//!
//! An instant is one of two types, [`UnixSeconds`] and [`UnixMillis`], never a
//! bare integer: the session model, events and signatures count in seconds,
//! the webhook outbox and the object's alarms in milliseconds, and a number
//! read in the wrong unit is a thousandfold wrong without a type to say so.
//! The only conversions between the two are [`UnixSeconds::to_millis`] and
//! [`UnixMillis::to_seconds`]. Durations stay plain `i64` counts whose names
//! say their unit (`DAY`, `TIMEOUT_MS`).
//!
//! Both serialise as the bare integer they hold (`#[serde(transparent)]`), so
//! JSON, KV records and the account object's protocol read exactly what they
//! read before the types existed, and SQL binds the integer each holds.
//!
//! Calendar arithmetic: ISO 8601 timestamps (`2018-06-11T11:02:31+01:00`) to
//! unix seconds and back, and the dates printed on receipts. Pure arithmetic,
//! no clock: callers pass `now` in.

use serde::{Deserialize, Serialize};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Milliseconds in a second: the one factor between the two instants.
const MILLIS: i64 = 1_000;

/// Milliseconds in a day, for durations on the millisecond clock (the outbox).
pub const DAY_MS: i64 = DAY * MILLIS;

/// An instant in whole seconds since 1970-01-01T00:00:00Z: what sessions,
/// events, keys and signatures hold and what the APIs print.
///
/// Arithmetic saturates (an instant read from a request can be anything), and
/// it takes a duration in seconds, so that adding an instant to an instant
/// does not compile.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixSeconds(pub i64);

/// An instant in milliseconds since 1970-01-01T00:00:00Z: the clock's own
/// unit, kept where seconds are too coarse (the webhook outbox's schedule,
/// alarms, one-a-second limits).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(pub i64);

impl UnixSeconds {
    /// `seconds` later (earlier if negative), saturating at the ends of `i64`.
    pub const fn plus(self, seconds: i64) -> UnixSeconds {
        UnixSeconds(self.0.saturating_add(seconds))
    }

    /// `seconds` earlier, saturating: a cutoff such as "a day ago".
    pub const fn minus(self, seconds: i64) -> UnixSeconds {
        UnixSeconds(self.0.saturating_sub(seconds))
    }

    /// Seconds from `earlier` to this instant (negative if `earlier` is later),
    /// saturating.
    pub const fn since(self, earlier: UnixSeconds) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The same instant in milliseconds (saturating).
    pub const fn to_millis(self) -> UnixMillis {
        UnixMillis(self.0.saturating_mul(MILLIS))
    }

    /// The instant, broken down in UTC: (year, month, day, hour, minute,
    /// second), for whoever prints dates in a form of its own (the dashboard).
    pub fn civil(self) -> (i64, i64, i64, i64, i64, i64) {
        let ts = self.0;
        let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
        let secs = ts.rem_euclid(DAY);
        (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    /// `2026-04-27T13:39:59Z`: ISO 8601 in UTC (the form our own APIs and
    /// webhooks print).
    pub fn to_iso8601(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// `2026-04-27 13:39 UTC`: a date for people (receipts).
    pub fn to_display_utc(self) -> String {
        let (y, mo, d, h, mi, _) = self.civil();
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
    }

    /// The start (00:00 UTC) of the day that contains this instant.
    pub fn start_of_day(self) -> UnixSeconds {
        UnixSeconds(self.0 - self.0.rem_euclid(DAY))
    }

    /// The start (00:00 UTC) of the first day of the month that contains this
    /// instant.
    pub fn start_of_month(self) -> UnixSeconds {
        let (year, month, _) = civil_from_days(self.0.div_euclid(DAY));
        UnixSeconds(days_from_civil(year, month, 1) * DAY)
    }

    /// Parses a calendar date `YYYY-MM-DD` into its 00:00 UTC; `None` for
    /// anything else, including impossible dates.
    pub fn parse_date(text: &str) -> Option<UnixSeconds> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(UnixSeconds(days_from_civil(year, month, day) * DAY))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)` (a space is
    /// accepted for `T`); the fraction is dropped. `None` for anything else,
    /// including impossible dates.
    pub fn parse_iso8601(text: &str) -> Option<UnixSeconds> {
        let b = text.trim().as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        let (hour, minute, second) = (
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        );
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &b[19..];
        if rest.first() == Some(&b'.') {
            let count = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if count == 0 {
                return None;
            }
            rest = &rest[1 + count..];
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
                let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
                if h > 23 || m > 59 {
                    return None;
                }
                let seconds = h * 3600 + m * 60;
                if *sign == b'+' {
                    seconds
                } else {
                    -seconds
                }
            }
            _ => return None,
        };
        Some(UnixSeconds(
            days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second - offset,
        ))
    }
}

impl UnixMillis {
    /// `ms` later (earlier if negative), saturating at the ends of `i64`.
    pub const fn plus(self, ms: i64) -> UnixMillis {
        UnixMillis(self.0.saturating_add(ms))
    }

    /// `ms` earlier, saturating.
    pub const fn minus(self, ms: i64) -> UnixMillis {
        UnixMillis(self.0.saturating_sub(ms))
    }

    /// Milliseconds from `earlier` to this instant (negative if `earlier` is
    /// later), saturating.
    pub const fn since(self, earlier: UnixMillis) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The second this instant falls in: rounded down, also before 1970
    /// (-1 ms is -1 s, not 0), so that an instant is never counted in a
    /// second that has not begun.
    pub const fn to_seconds(self) -> UnixSeconds {
        UnixSeconds(self.0.div_euclid(MILLIS))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day number since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A run of ASCII digits as a number; `None` if empty or anything else.
fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<i64> {
        UnixSeconds::parse_iso8601(text).map(|t| t.0)
    }

    #[test]
    fn parses_the_seed_example_and_common_forms() {
        // 2018-06-11T10:02:31Z
        assert_eq!(iso("2018-06-11T11:02:31+01:00"), Some(1_528_711_351));
        assert_eq!(iso("2018-06-11T10:02:31Z"), Some(1_528_711_351));
        assert_eq!(iso("2018-06-11T10:02:31.123456Z"), Some(1_528_711_351));
        assert_eq!(iso("2018-06-11T05:32:31-0430"), Some(1_528_711_351));
        assert_eq!(iso("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(iso("2000-02-29T00:00:00Z"), Some(951_782_400));
    }

    #[test]
    fn prints_what_it_parses() {
        for ts in [
            0,
            951_782_400,
            1_528_711_351,
            1_777_297_199,
            -86_401,
            4_102_444_800,
        ] {
            let t = UnixSeconds(ts);
            assert_eq!(UnixSeconds::parse_iso8601(&t.to_iso8601()), Some(t), "{ts}");
        }
        assert_eq!(
            UnixSeconds(1_777_297_199).to_iso8601(),
            "2026-04-27T13:39:59Z"
        );
        assert_eq!(UnixSeconds(0).to_display_utc(), "1970-01-01 00:00 UTC");
        assert_eq!(
            UnixSeconds(1_777_297_199).to_display_utc(),
            "2026-04-27 13:39 UTC"
        );
        assert_eq!(
            UnixSeconds(951_782_400).to_display_utc(),
            "2000-02-29 00:00 UTC"
        );
        assert_eq!(
            UnixSeconds(1_777_297_199).start_of_day(),
            UnixSeconds(1_777_248_000)
        );
        assert_eq!(UnixSeconds(-1).start_of_day(), UnixSeconds(-DAY));
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for bad in [
            "",
            "2018-06-11",
            "2018-06-11T11:02:31",
            "2018-02-30T00:00:00Z",
            "2019-02-29T00:00:00Z",
            "2018-13-01T00:00:00Z",
            "2018-06-11T24:00:00Z",
            "2018-06-11T11:02:31+25:00",
            "yesterday",
            "2018-06-11T11:02:31.Z",
            "+2018-06-11T11:02:31Z",
        ] {
            assert_eq!(UnixSeconds::parse_iso8601(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn millis_round_down_to_the_second_they_fall_in() {
        assert_eq!(UnixMillis(1_999).to_seconds(), UnixSeconds(1));
        assert_eq!(UnixMillis(2_000).to_seconds(), UnixSeconds(2));
        assert_eq!(UnixMillis(0).to_seconds(), UnixSeconds(0));
        // Before 1970 too: -1 ms is in the second that began at -1 s.
        assert_eq!(UnixMillis(-1).to_seconds(), UnixSeconds(-1));
        assert_eq!(UnixMillis(-1_000).to_seconds(), UnixSeconds(-1));
        assert_eq!(UnixMillis(-1_001).to_seconds(), UnixSeconds(-2));
        assert_eq!(UnixSeconds(-2).to_millis(), UnixMillis(-2_000));
        assert_eq!(
            UnixSeconds(1_777_297_199).to_millis().to_seconds(),
            UnixSeconds(1_777_297_199)
        );
    }

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(UnixSeconds(i64::MAX).plus(1), UnixSeconds(i64::MAX));
        assert_eq!(UnixSeconds(i64::MIN).minus(1), UnixSeconds(i64::MIN));
        assert_eq!(UnixSeconds(i64::MAX).to_millis(), UnixMillis(i64::MAX));
        assert_eq!(UnixSeconds(i64::MIN).to_millis(), UnixMillis(i64::MIN));
        assert_eq!(UnixSeconds(i64::MIN).since(UnixSeconds(1)), i64::MIN);
        assert_eq!(UnixMillis(i64::MAX).plus(1), UnixMillis(i64::MAX));
        assert_eq!(UnixMillis(i64::MIN).minus(1), UnixMillis(i64::MIN));
        assert_eq!(UnixMillis(0).since(UnixMillis(i64::MIN)), i64::MAX);
        assert_eq!(UnixSeconds(10).plus(-3), UnixSeconds(7));
        assert_eq!(UnixSeconds(10).since(UnixSeconds(13)), -3);
        assert_eq!(UnixMillis(10).minus(3).since(UnixMillis(2)), 5);
    }

    #[test]
    fn instants_are_bare_numbers_on_the_wire() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Row {
            at: UnixSeconds,
            next: Option<UnixMillis>,
        }
        let row = Row {
            at: UnixSeconds(1_777_297_199),
            next: Some(UnixMillis(-1_777_297_199_001)),
        };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"{"at":1777297199,"next":-1777297199001}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        assert_eq!(
            serde_json::from_str::<UnixMillis>("9007199254740991").unwrap(),
            UnixMillis(9_007_199_254_740_991)
        );
        assert!(serde_json::from_str::<UnixSeconds>("\"1\"").is_err());
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::{UnixSeconds, DAY};

    fn iso(text: &str) -> UnixSeconds {
        UnixSeconds::parse_iso8601(text).unwrap()
    }

    #[test]
    fn months_start_on_their_first_day_utc() {
        let t = iso("2026-11-25T13:00:00Z");
        assert_eq!(t.start_of_month(), iso("2026-11-01T00:00:00Z"));
        let first = iso("2024-03-01T00:00:00Z");
        assert_eq!(first.start_of_month(), first);
        assert_eq!(first.minus(1).start_of_month(), first.minus(29 * DAY));
    }

    #[test]
    fn dates_parse_exactly() {
        assert_eq!(
            UnixSeconds::parse_date("2026-11-25"),
            UnixSeconds::parse_iso8601("2026-11-25T00:00:00Z")
        );
        assert_eq!(
            UnixSeconds::parse_date("2024-02-29").map(|t| t.0 % DAY),
            Some(0)
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-11-25",
            "2026-11-25T",
            "",
            "2026/11/25",
            "+026-11-25",
        ] {
            assert_eq!(UnixSeconds::parse_date(bad), None, "{bad:?}");
        }
    }
}
