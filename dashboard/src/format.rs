//! Times and durations as the dashboard shows them: always UTC, because the API's
//! days (the overview's "today", the sessions' date filters) are UTC days, and a
//! merchant comparing the dashboard with their receiver's logs should not have to
//! guess a time zone. Pure functions over core's calendar
//! (`checkout_core::time`), without `chrono`: a date crate is kilobytes of wasm.

use checkout_core::time::{UnixMillis, UnixSeconds};

/// The start (00:00 UTC) of a `YYYY-MM-DD` day, if it is one.
pub fn parse_day(text: &str) -> Option<UnixSeconds> {
    UnixSeconds::parse_date(text)
}

/// `2026-11-25`.
pub fn day(at: UnixSeconds) -> String {
    let (y, m, d, ..) = at.civil();
    format!("{y:04}-{m:02}-{d:02}")
}

/// `25 Nov`: the chart's axis labels.
pub fn short_day(at: UnixSeconds) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, m, d, ..) = at.civil();
    format!("{d} {}", MONTHS[(m - 1) as usize])
}

/// `2026-11-25 13:05:07 UTC`.
pub fn utc(at: UnixSeconds) -> String {
    let (_, _, _, h, m, s) = at.civil();
    format!("{} {h:02}:{m:02}:{s:02} UTC", day(at))
}

/// `2026-11-25 13:05:07.042 UTC`: attempts happen milliseconds apart when
/// time is compressed, and their order matters.
pub fn utc_ms(at: UnixMillis) -> String {
    let secs = at.to_seconds();
    let (_, _, _, h, m, s) = secs.civil();
    let millis = at.since(secs.to_millis());
    format!("{} {h:02}:{m:02}:{s:02}.{millis:03} UTC", day(secs))
}

/// `340 ms`, `1.2 s`, `10.0 s`.
pub fn duration(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    }
}

/// The instant of a `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">`
/// gives; read as UTC, as the page says), with optional `:SS`.
pub fn parse_datetime(text: &str) -> Option<UnixSeconds> {
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
    Some(day.plus(h * 3600 + m * 60 + s))
}

/// `2026-11-25T13:05`: a value for a datetime-local input.
pub fn datetime_input(at: UnixSeconds) -> String {
    let (_, _, _, h, m, _) = at.civil();
    format!("{}T{h:02}:{m:02}", day(at))
}

/// A count with its noun: `1 session`, `3 sessions`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(UnixSeconds(0)), "1970-01-01 00:00:00 UTC");
        // 2024-02-29 23:59:59, a leap day.
        assert_eq!(utc(UnixSeconds(1_709_251_199)), "2024-02-29 23:59:59 UTC");
        assert_eq!(
            utc_ms(UnixMillis(1_709_251_199_042)),
            "2024-02-29 23:59:59.042 UTC"
        );
        assert_eq!(day(UnixSeconds(1_709_251_200)), "2024-03-01");
        assert_eq!(short_day(UnixSeconds(1_709_251_200)), "1 Mar");
        // Before 1970 still counts down correctly.
        assert_eq!(utc(UnixSeconds(-1)), "1969-12-31 23:59:59 UTC");
        assert_eq!(utc_ms(UnixMillis(-1)), "1969-12-31 23:59:59.999 UTC");
    }

    #[test]
    fn parses_days_and_refuses_impossible_ones() {
        assert_eq!(parse_day("1970-01-02"), Some(UnixSeconds(86_400)));
        assert_eq!(parse_day("2024-02-29"), Some(UnixSeconds(1_709_164_800)));
        assert_eq!(parse_day("2023-02-29"), None);
        assert_eq!(parse_day("2024-13-01"), None);
        assert_eq!(parse_day("2024-1-01"), None);
        assert_eq!(parse_day("2024-01-+1"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn parses_datetime_local_values_as_utc() {
        assert_eq!(parse_datetime("1970-01-01T01:02"), Some(UnixSeconds(3720)));
        assert_eq!(
            parse_datetime("1970-01-01T01:02:03"),
            Some(UnixSeconds(3723))
        );
        assert_eq!(parse_datetime("1970-01-01T24:00"), None);
        assert_eq!(parse_datetime("1970-01-01"), None);
        assert_eq!(parse_datetime("1970-01-01T1:02"), None);
        let t = UnixSeconds(1_709_251_140);
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
