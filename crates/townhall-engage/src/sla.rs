//! Business hours and first-response targets. Agencies promise answers "within one working day",
//! so the SLA clock only runs while the office is open, in the office's own time zone (DST
//! included), and stops on holidays. Times are Unix milliseconds; callers pass `now`.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;

const MS_PER_SECOND: i64 = 1_000;
const MS_PER_MINUTE: i64 = 60 * MS_PER_SECOND;
const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;

/// Earliest instant the clock reasons about (1000-01-01T00:00:00Z); earlier times are clamped.
/// chrono cannot represent every i64 of milliseconds, and no case is that old.
pub const EARLIEST_MS: i64 = -30_610_224_000_000;
/// Latest instant the clock reasons about (9999-12-31T23:59:59.999Z); later times are clamped.
/// [`BusinessHours::add_business_ms`] answers `i64::MAX` when the target lies beyond it.
pub const LATEST_MS: i64 = 253_402_300_799_999;

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// When an office is open. `end` of 00:00 means midnight at the end of the day (24:00), so a
/// whole day is `start` 00:00 and `end` 00:00.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub timezone: Tz,
    /// Open days, Monday first.
    pub days: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// Local dates on which the office is closed all day.
    pub holidays: Vec<NaiveDate>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self::always()
    }
}

impl BusinessHours {
    /// Open all the time (24/7, UTC, no holidays): the clock is the wall clock.
    pub fn always() -> Self {
        BusinessHours {
            timezone: Tz::UTC,
            days: [true; 7],
            start: NaiveTime::MIN,
            end: NaiveTime::MIN,
            holidays: Vec::new(),
        }
    }

    /// Reads hours as typed in settings: an IANA `timezone` ("America/New_York"), `days`
    /// ("mon-fri", "mon,wed,fri", "sat-sun", "all") and 24-hour `start`/`end` times ("09:00";
    /// `end` may be "24:00" for midnight). `start` must be before `end`.
    pub fn parse(timezone: &str, days: &str, start: &str, end: &str) -> Result<Self, SlaError> {
        let timezone_parsed: Tz =
            timezone
                .trim()
                .parse()
                .map_err(|_| SlaError::UnknownTimezone {
                    value: timezone.to_string(),
                })?;
        let days_parsed = parse_days(days)?;
        let start_time = parse_time("start", start, false)?;
        let end_time = parse_time("end", end, true)?;
        if end_time != NaiveTime::MIN && start_time >= end_time {
            return Err(SlaError::StartNotBeforeEnd {
                start: start.trim().to_string(),
                end: end.trim().to_string(),
            });
        }
        Ok(BusinessHours {
            timezone: timezone_parsed,
            days: days_parsed,
            start: start_time,
            end: end_time,
            holidays: Vec::new(),
        })
    }

    /// The same hours, closed on `holidays` (local dates).
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.holidays = holidays.into_iter().collect();
        self
    }

    /// The open days in the syntax [`BusinessHours::parse`] reads: "all", "mon-fri",
    /// "mon,wed,fri", "mon-tue,sun"; empty when no day is open.
    pub fn days_text(&self) -> String {
        if self.days.iter().all(|open| *open) {
            return "all".to_string();
        }
        let mut parts = Vec::new();
        let mut day = 0;
        while day < 7 {
            if !self.days[day] {
                day += 1;
                continue;
            }
            let first = day;
            while day + 1 < 7 && self.days[day + 1] {
                day += 1;
            }
            if first == day {
                parts.push(DAY_NAMES[day].to_string());
            } else {
                parts.push(format!("{}-{}", DAY_NAMES[first], DAY_NAMES[day]));
            }
            day += 1;
        }
        parts.join(",")
    }

    /// The opening time as "HH:MM".
    pub fn start_text(&self) -> String {
        self.start.format("%H:%M").to_string()
    }

    /// The closing time as "HH:MM", with "24:00" for midnight at the end of the day.
    pub fn end_text(&self) -> String {
        if self.end == NaiveTime::MIN {
            "24:00".to_string()
        } else {
            self.end.format("%H:%M").to_string()
        }
    }

    /// Business time elapsed between two instants; 0 when `to_ms <= from_ms`. Walks day by day,
    /// so a span of years costs a few thousand steps.
    pub fn business_ms_between(&self, from_ms: i64, to_ms: i64) -> i64 {
        let (from, to) = (clamp(from_ms), clamp(to_ms));
        if to <= from {
            return 0;
        }
        if self.is_always_open() {
            return to - from;
        }
        let mut total = 0;
        let mut date = day_before(self.local_date(from));
        let last = day_after(self.local_date(to));
        while date <= last {
            if let Some((open, close)) = self.window(date) {
                let (open, close) = (open.max(from), close.min(to));
                if close > open {
                    total += close - open;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }

    /// The first instant by which `business_ms` of business time has passed since `from_ms`
    /// (`from_ms` itself when `business_ms <= 0`). `i64::MAX` when that never happens before
    /// [`LATEST_MS`], for example when no day is open.
    pub fn add_business_ms(&self, from_ms: i64, business_ms: i64) -> i64 {
        if business_ms <= 0 {
            return from_ms;
        }
        let from = clamp(from_ms);
        if self.is_always_open() {
            return match from.checked_add(business_ms) {
                Some(due) if due <= LATEST_MS => due,
                _ => i64::MAX,
            };
        }
        if !self.opens_at_all() {
            return i64::MAX;
        }
        let mut remaining = business_ms;
        let mut date = day_before(self.local_date(from));
        let last = day_after(self.local_date(LATEST_MS));
        while date <= last {
            if let Some((open, close)) = self.window(date) {
                let open = open.max(from);
                if close > open {
                    let available = close - open;
                    if remaining <= available {
                        return open + remaining;
                    }
                    remaining -= available;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        i64::MAX
    }

    fn is_always_open(&self) -> bool {
        self.days.iter().all(|open| *open)
            && self.start == NaiveTime::MIN
            && self.end == NaiveTime::MIN
            && self.holidays.is_empty()
    }

    fn opens_at_all(&self) -> bool {
        self.days.iter().any(|open| *open) && (self.end == NaiveTime::MIN || self.start < self.end)
    }

    fn is_open_on(&self, date: NaiveDate) -> bool {
        self.days[date.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&date)
    }

    /// The open interval of `date` as UTC milliseconds, or None when closed that day.
    fn window(&self, date: NaiveDate) -> Option<(i64, i64)> {
        if !self.is_open_on(date) {
            return None;
        }
        let open = self.local_to_ms(date.and_time(self.start));
        let close = if self.end == NaiveTime::MIN {
            self.local_to_ms(date.succ_opt()?.and_time(NaiveTime::MIN))
        } else {
            self.local_to_ms(date.and_time(self.end))
        };
        let (open, close) = (clamp(open), clamp(close));
        (close > open).then_some((open, close))
    }

    fn local_date(&self, ms: i64) -> NaiveDate {
        self.timezone
            .from_utc_datetime(&utc(ms).naive_utc())
            .date_naive()
    }

    /// The first instant whose local wall time is `local` or later: the earlier of two in an
    /// autumn fold, the end of the gap when clocks spring forward over `local`.
    fn local_to_ms(&self, local: NaiveDateTime) -> i64 {
        match self.timezone.from_local_datetime(&local) {
            LocalResult::Single(instant) => instant.timestamp_millis(),
            LocalResult::Ambiguous(earliest, _) => earliest.timestamp_millis(),
            LocalResult::None => self.first_instant_at_or_after(local),
        }
    }

    fn first_instant_at_or_after(&self, local: NaiveDateTime) -> i64 {
        // UTC offsets stay within ±26 h, so the instant lies in this bracket.
        let naive_ms = local.and_utc().timestamp_millis();
        let mut before = clamp(naive_ms - 26 * MS_PER_HOUR);
        let mut after = clamp(naive_ms + 26 * MS_PER_HOUR);
        while after - before > 1 {
            let middle = before + (after - before) / 2;
            let wall = self
                .timezone
                .from_utc_datetime(&utc(middle).naive_utc())
                .naive_local();
            if wall >= local {
                after = middle;
            } else {
                before = middle;
            }
        }
        after
    }
}

impl fmt::Display for BusinessHours {
    /// "mon-fri 09:00-17:00 America/New_York".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}-{} {}",
            self.days_text(),
            self.start_text(),
            self.end_text(),
            self.timezone.name()
        )
    }
}

fn clamp(ms: i64) -> i64 {
    ms.clamp(EARLIEST_MS, LATEST_MS)
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(clamp(ms)).unwrap_or(DateTime::UNIX_EPOCH)
}

fn day_before(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

fn day_after(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(date)
}

fn parse_days(text: &str) -> Result<[bool; 7], SlaError> {
    let bad = |reason: String| SlaError::BadDays {
        value: text.to_string(),
        reason,
    };
    let lowered = text.trim().to_lowercase();
    match lowered.as_str() {
        "" => return Err(bad("no day is given".to_string())),
        "all" | "daily" => return Ok([true; 7]),
        "weekdays" => return Ok([true, true, true, true, true, false, false]),
        "weekends" => return Ok([false, false, false, false, false, true, true]),
        _ => {}
    }
    let mut days = [false; 7];
    for item in lowered.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(bad("a comma has no day after it".to_string()));
        }
        let day = |name: &str| {
            day_index(name.trim()).ok_or_else(|| {
                bad(format!(
                    "{:?} is not a day: use mon, tue, wed, thu, fri, sat or sun",
                    name.trim()
                ))
            })
        };
        match item.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (day(first)?, day(last)?);
                let mut current = first;
                loop {
                    days[current] = true;
                    if current == last {
                        break;
                    }
                    current = (current + 1) % 7;
                }
            }
            None => days[day(item)?] = true,
        }
    }
    Ok(days)
}

/// Index (Monday = 0) of "mon", "monday", "tues", "thurs" and the like.
fn day_index(name: &str) -> Option<usize> {
    (0..7).find(|&index| {
        name.len() >= 3
            && name.starts_with(DAY_NAMES[index])
            && FULL_DAY_NAMES[index].starts_with(name)
    })
}

fn parse_time(field: &'static str, text: &str, is_end: bool) -> Result<NaiveTime, SlaError> {
    let trimmed = text.trim();
    if is_end && (trimmed == "24:00" || trimmed == "24:00:00") {
        return Ok(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(trimmed, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(trimmed, "%H:%M:%S"))
        .map_err(|_| SlaError::BadTime {
            field,
            value: text.to_string(),
        })
}

/// A first-response promise: answer within so many minutes of business time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub first_response_minutes: u32,
    pub hours: BusinessHours,
}

impl SlaTarget {
    pub fn target_ms(&self) -> i64 {
        i64::from(self.first_response_minutes) * MS_PER_MINUTE
    }
}

/// How a case stands against its first-response target. Every duration is business time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaState {
    /// Answered by the due instant, after `took_ms` of business time.
    Met { took_ms: i64 },
    /// Answered after the due instant; `late_ms` of business time late (0 when the reply came
    /// after the deadline but before the office reopened).
    Missed { late_ms: i64 },
    /// Not answered yet, `left_ms` of business time before `due_at`.
    Running { left_ms: i64, due_at: i64 },
    /// Not answered and past `due_at` by `over_ms` of business time.
    Overdue { over_ms: i64, due_at: i64 },
}

/// Where a case opened at `opened_ms` stands at `now_ms`. The deadline is the instant at which the
/// target's business time has elapsed; a reply at that instant still meets it.
pub fn sla_state(
    target: &SlaTarget,
    opened_ms: i64,
    first_response_ms: Option<i64>,
    now_ms: i64,
) -> SlaState {
    let hours = &target.hours;
    let target_ms = target.target_ms();
    let due_at = hours.add_business_ms(opened_ms, target_ms);
    match first_response_ms {
        Some(responded) if responded <= due_at => SlaState::Met {
            took_ms: hours.business_ms_between(opened_ms, responded),
        },
        Some(responded) => SlaState::Missed {
            late_ms: hours.business_ms_between(due_at, responded),
        },
        None if now_ms <= due_at => SlaState::Running {
            left_ms: (target_ms - hours.business_ms_between(opened_ms, now_ms)).max(0),
            due_at,
        },
        None => SlaState::Overdue {
            over_ms: hours.business_ms_between(due_at, now_ms),
            due_at,
        },
    }
}

/// A short, human duration of the absolute value of `ms`: "45 s", "12 min", "3 h 5 min",
/// "2 d 4 h". Rounds down.
pub fn describe_duration(ms: i64) -> String {
    let seconds = ms.unsigned_abs() / 1_000;
    let minutes = seconds / 60;
    let hours = minutes / 60;
    let days = hours / 24;
    if minutes == 0 {
        format!("{seconds} s")
    } else if hours == 0 {
        format!("{minutes} min")
    } else if days == 0 {
        match minutes % 60 {
            0 => format!("{hours} h"),
            rest => format!("{hours} h {rest} min"),
        }
    } else {
        match hours % 24 {
            0 => format!("{days} d"),
            rest => format!("{days} d {rest} h"),
        }
    }
}

/// Business hours that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    #[error(
        "timezone {value:?} is unknown: use an IANA name such as \"America/New_York\" or \"UTC\""
    )]
    UnknownTimezone { value: String },
    #[error("days {value:?} are not valid: {reason}; write ranges like \"mon-fri\", lists like \"mon,wed,fri\", or \"all\"")]
    BadDays { value: String, reason: String },
    #[error("{field} time {value:?} is not valid: use 24-hour HH:MM such as \"09:00\"")]
    BadTime { field: &'static str, value: String },
    #[error("start time {start:?} must be before end time {end:?}")]
    StartNotBeforeEnd { start: String, end: String },
}

#[cfg(test)]
mod tests;
