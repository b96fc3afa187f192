//! Calendar arithmetic, in one place: ISO 8601 timestamps
//! (`2018-06-11T11:02:31+01:00`) to unix seconds and back, and the dates printed
//! on receipts. Pure arithmetic, no clock: callers pass `now` in.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

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

/// A UTC instant, broken down: (year, month, day, hour, minute, second), for
/// whoever prints dates in a form of its own (the dashboard).
pub fn civil(ts: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
    let secs = ts.rem_euclid(DAY);
    (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `2026-04-27T13:39:59Z`: unix seconds as ISO 8601 in UTC (the form our own
/// APIs and webhooks print).
pub fn to_iso8601(ts: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ts);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2026-04-27 13:39 UTC`: unix seconds as a date for people (receipts).
pub fn to_display_utc(ts: i64) -> String {
    let (y, mo, d, h, mi, _) = civil(ts);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// The start (00:00 UTC) of the day that contains `ts`.
pub fn start_of_day(ts: i64) -> i64 {
    ts - ts.rem_euclid(DAY)
}

/// The start (00:00 UTC) of the first day of the month that contains `ts`.
pub fn start_of_month(ts: i64) -> i64 {
    let (year, month, _) = civil_from_days(ts.div_euclid(DAY));
    days_from_civil(year, month, 1) * DAY
}

/// Parses a calendar date `YYYY-MM-DD` into the unix seconds of its 00:00 UTC;
/// `None` for anything else, including impossible dates.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<i64> {
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    let (year, month, day) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)` (a space is accepted
/// for `T`) into unix seconds; the fraction is dropped. `None` for anything else,
/// including impossible dates.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let num = |s: &[u8]| -> Option<i64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
    let (hour, minute, second) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
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
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &rest[1 + digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let (h, m) = (num(&[*h1, *h2])?, num(&[*m1, *m2])?);
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
    Some(days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_example_and_common_forms() {
        // 2018-06-11T10:02:31Z
        assert_eq!(
            parse_iso8601("2018-06-11T11:02:31+01:00"),
            Some(1_528_711_351)
        );
        assert_eq!(parse_iso8601("2018-06-11T10:02:31Z"), Some(1_528_711_351));
        assert_eq!(
            parse_iso8601("2018-06-11T10:02:31.123456Z"),
            Some(1_528_711_351)
        );
        assert_eq!(
            parse_iso8601("2018-06-11T05:32:31-0430"),
            Some(1_528_711_351)
        );
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601("2000-02-29T00:00:00Z"), Some(951_782_400));
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
            assert_eq!(parse_iso8601(&to_iso8601(ts)), Some(ts), "{ts}");
        }
        assert_eq!(to_iso8601(1_777_297_199), "2026-04-27T13:39:59Z");
        assert_eq!(to_display_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(to_display_utc(1_777_297_199), "2026-04-27 13:39 UTC");
        assert_eq!(to_display_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(start_of_day(1_777_297_199), 1_777_248_000);
        assert_eq!(start_of_day(-1), -DAY);
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
            assert_eq!(parse_iso8601(bad), None, "{bad:?}");
        }
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::{parse_date, parse_iso8601, start_of_month, DAY};

    #[test]
    fn months_start_on_their_first_day_utc() {
        let t = parse_iso8601("2026-11-25T13:00:00Z").unwrap();
        assert_eq!(
            start_of_month(t),
            parse_iso8601("2026-11-01T00:00:00Z").unwrap()
        );
        let first = parse_iso8601("2024-03-01T00:00:00Z").unwrap();
        assert_eq!(start_of_month(first), first);
        assert_eq!(start_of_month(first - 1), first - 29 * DAY);
    }

    #[test]
    fn dates_parse_exactly() {
        assert_eq!(
            parse_date("2026-11-25"),
            parse_iso8601("2026-11-25T00:00:00Z")
        );
        assert_eq!(parse_date("2024-02-29").map(|t| t % DAY), Some(0));
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
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
