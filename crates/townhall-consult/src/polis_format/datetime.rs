//! Java `Date.toString()` text for a timestamp, in UTC: the exports carry it beside each
//! millisecond timestamp. Computed from the timestamp alone (no clock, no time-zone database).

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `EEE MMM dd HH:mm:ss zzz yyyy` in UTC, e.g. `Fri Sep 20 19:29:43 UTC 2024`.
pub(crate) fn java_date_string(timestamp_ms: i64) -> String {
    let secs = timestamp_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    format!(
        "{weekday} {} {day:02} {:02}:{:02}:{:02} UTC {year}",
        MONTHS[(month - 1) as usize],
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_java_in_utc() {
        // votes.csv of bg2050: 1726860583813 is "Fri Sep 20 14:29:43 CDT 2024" (UTC−5).
        assert_eq!(
            java_date_string(1_726_860_583_813),
            "Fri Sep 20 19:29:43 UTC 2024"
        );
        assert_eq!(java_date_string(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(java_date_string(-1), "Wed Dec 31 23:59:59 UTC 1969");
        assert_eq!(
            java_date_string(951_782_400_000),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
    }
}
