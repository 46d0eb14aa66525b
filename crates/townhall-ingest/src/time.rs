//! Timestamp parsing shared by the readers. Every function returns `None` instead of failing so a
//! bad time becomes a located reject, never a panic.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Seconds values with this many digits or more are taken as milliseconds (12 digits of seconds
/// would be past the year 5000; 12 digits of milliseconds start in 1973).
const MILLIS_MIN_DIGITS: usize = 12;

/// RFC 3339, `YYYY-MM-DD HH:MM:SS[.f]` (UTC), `YYYY-MM-DDTHH:MM[:SS]` without offset (UTC),
/// `YYYY-MM-DDTHH:MMZ` (regulations.gov), a bare date (midnight UTC), or Unix seconds/milliseconds.
pub fn parse_flexible(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(unix) = parse_unix(s) {
        return Some(unix);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // RFC 3339 without seconds ("2021-03-02T05:00Z", as regulations.gov exports write it).
    if let Some(without_z) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        if let Ok(t) = NaiveDateTime::parse_from_str(without_z, "%Y-%m-%dT%H:%M") {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    for layout in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, layout) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    for layout in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S %Z"] {
        if let Ok(t) = DateTime::parse_from_str(s, layout) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for layout in ["%Y-%m-%d", "%m/%d/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, layout) {
            return d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
        }
    }
    None
}

/// Unix seconds (optionally with a fraction) or milliseconds, decided by the number of digits.
pub fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if whole.is_empty() || whole.len() > 18 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole_value: i64 = whole.parse().ok()?;
    if whole.len() >= MILLIS_MIN_DIGITS {
        return DateTime::from_timestamp_millis(whole_value);
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return None,
        Some(f) => {
            let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            digits.parse::<u32>().ok()?
        }
    };
    DateTime::from_timestamp(whole_value, nanos)
}

/// Twitter's `created_at`: `Wed Jun 21 14:05:17 +0000 2017`.
pub fn parse_twitter(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(raw.trim(), "%a %b %d %H:%M:%S %z %Y")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Twitter ids since November 2010 are "snowflakes" that carry their creation time:
/// milliseconds since the Twitter epoch in the bits above the low 22.
pub fn from_twitter_snowflake(id: &str) -> Option<DateTime<Utc>> {
    const TWITTER_EPOCH_MS: i64 = 1_288_834_974_657;
    // Snowflakes were introduced at this id; smaller ids are sequential and carry no time.
    const FIRST_SNOWFLAKE: u64 = 29_700_859_247;
    let value: u64 = id.trim().parse().ok()?;
    if value < FIRST_SNOWFLAKE {
        return None;
    }
    let millis = i64::try_from(value >> 22)
        .ok()?
        .checked_add(TWITTER_EPOCH_MS)?;
    DateTime::from_timestamp_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(t: Option<DateTime<Utc>>) -> String {
        t.map(|t| t.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn accepts_documented_layouts() {
        assert_eq!(
            iso(parse_flexible("2017-06-21T10:05:17-04:00")),
            "2017-06-21T14:05:17+00:00"
        );
        assert_eq!(
            iso(parse_flexible("2017-06-21 14:05:17")),
            "2017-06-21T14:05:17+00:00"
        );
        assert_eq!(
            iso(parse_flexible("1498053917")),
            "2017-06-21T14:05:17+00:00"
        );
        assert_eq!(
            iso(parse_flexible("1498053917123")),
            "2017-06-21T14:05:17.123+00:00"
        );
        assert_eq!(
            iso(parse_flexible("2021-03-02T05:00Z")),
            "2021-03-02T05:00:00+00:00"
        );
        assert_eq!(
            iso(parse_flexible("2021-03-02")),
            "2021-03-02T00:00:00+00:00"
        );
        assert_eq!(parse_flexible("yesterday"), None);
        assert_eq!(parse_flexible("99999999999999999"), None);
    }

    #[test]
    fn twitter_formats() {
        assert_eq!(
            iso(parse_twitter("Wed Jun 21 14:05:17 +0000 2017")),
            "2017-06-21T14:05:17+00:00"
        );
        // 1101218752220315648 was posted 28 Feb 2019 12:33 PM Pacific = 20:33 UTC.
        let t = from_twitter_snowflake("1101218752220315648");
        assert_eq!(iso(t).get(..16), Some("2019-02-28T20:33"));
        assert_eq!(from_twitter_snowflake("12"), None);
    }
}
