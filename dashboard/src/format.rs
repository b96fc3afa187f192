//! Times and durations as the dashboard shows them: always UTC, because the API's
//! days (the overview's "today", the sessions' date filters) are UTC days, and a
//! merchant comparing the dashboard with their receiver's logs should not have to
//! guess a time zone. Pure functions, without `chrono`: a calendar is 30 lines,
//! a date crate is kilobytes of wasm.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-11-25` for unix seconds.
pub fn day(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `25 Nov` for unix seconds: the chart's axis labels.
pub fn short_day(secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{d} {}", MONTHS[(m - 1) as usize])
}

/// `2026-11-25 13:05:07 UTC` for unix seconds.
pub fn utc(secs: i64) -> String {
    let t = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        day(secs),
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

/// `2026-11-25 13:05:07.042 UTC` for unix milliseconds: attempts happen
/// milliseconds apart when time is compressed, and their order matters.
pub fn utc_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let t = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}.{:03} UTC",
        day(secs),
        t / 3600,
        t % 3600 / 60,
        t % 60,
        ms.rem_euclid(1000)
    )
}

/// `340 ms`, `1.2 s`, `10.0 s`.
pub fn duration(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    }
}

/// Unix seconds of the start (00:00 UTC) of a `YYYY-MM-DD` day, if it is one.
pub fn parse_day(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| -> Option<u32> {
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(&text[..4])?, num(&text[5..7])?, num(&text[8..])?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(i64::from(y), m) {
        return None;
    }
    Some(days_from_civil(i64::from(y), m, d) * 86_400)
}

/// Unix seconds of a `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">`
/// gives; read as UTC, as the page says), with optional `:SS`.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let day = parse_day(date)?;
    let mut parts = time.split(':');
    let mut next = |max: i64| -> Option<i64> {
        let p = parts.next()?;
        let v: i64 =
            (p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse().ok())??;
        (v <= max).then_some(v)
    };
    let (h, m) = (next(23)?, next(59)?);
    let s = next(59).unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    Some(day + h * 3600 + m * 60 + s)
}

/// `2026-11-25T13:05` for unix seconds: a value for a datetime-local input.
pub fn datetime_input(secs: i64) -> String {
    let t = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}", day(secs), t / 3600, t % 3600 / 60)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A count with its noun: `1 session`, `3 sessions`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_over_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        // 2024-02-29 23:59:59, a leap day.
        assert_eq!(utc(1_709_251_199), "2024-02-29 23:59:59 UTC");
        assert_eq!(utc_ms(1_709_251_199_042), "2024-02-29 23:59:59.042 UTC");
        assert_eq!(day(1_709_251_200), "2024-03-01");
        assert_eq!(short_day(1_709_251_200), "1 Mar");
        // Before 1970 still counts down correctly.
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn parses_days_and_refuses_impossible_ones() {
        assert_eq!(parse_day("1970-01-02"), Some(86_400));
        assert_eq!(parse_day("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_day("2023-02-29"), None);
        assert_eq!(parse_day("2024-13-01"), None);
        assert_eq!(parse_day("2024-1-01"), None);
        assert_eq!(parse_day("2024-01-+1"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn parses_datetime_local_values_as_utc() {
        assert_eq!(parse_datetime("1970-01-01T01:02"), Some(3720));
        assert_eq!(parse_datetime("1970-01-01T01:02:03"), Some(3723));
        assert_eq!(parse_datetime("1970-01-01T24:00"), None);
        assert_eq!(parse_datetime("1970-01-01"), None);
        assert_eq!(parse_datetime("1970-01-01T1:02"), None);
        let t = 1_709_251_140;
        assert_eq!(parse_datetime(&datetime_input(t)), Some(t));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0 ms");
        assert_eq!(duration(999), "999 ms");
        assert_eq!(duration(1250), "1.2 s");
        assert_eq!(duration(10_000), "10.0 s");
        assert_eq!(plural(1, "session", "sessions"), "1 session");
        assert_eq!(plural(2, "session", "sessions"), "2 sessions");
    }
}
