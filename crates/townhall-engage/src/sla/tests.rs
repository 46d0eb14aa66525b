use super::*;
use chrono_tz::America::New_York;
use proptest::prelude::*;

const HOUR: i64 = MS_PER_HOUR;
const DAY: i64 = 24 * HOUR;

fn new_york(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    New_York
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .unwrap()
        .timestamp_millis()
}

fn utc_ms(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .unwrap()
        .timestamp_millis()
}

fn office() -> BusinessHours {
    BusinessHours::parse("America/New_York", "mon-fri", "09:00", "17:00").unwrap()
}

#[test]
fn the_clamp_bounds_are_the_documented_dates() {
    assert_eq!(EARLIEST_MS, utc_ms(1000, 1, 1, 0, 0));
    assert_eq!(LATEST_MS, utc_ms(9999, 12, 31, 23, 59) + 59_999);
}

#[test]
fn parses_settings_and_writes_days_back() {
    let hours = office();
    assert_eq!(hours.timezone, New_York);
    assert_eq!(hours.days, [true, true, true, true, true, false, false]);
    assert_eq!(hours.days_text(), "mon-fri");
    assert_eq!(hours.to_string(), "mon-fri 09:00-17:00 America/New_York");
    for (text, expected) in [
        ("all", "all"),
        ("sat-sun", "sat-sun"),
        ("mon,wed,fri", "mon,wed,fri"),
        ("Monday, Tuesday , sun", "mon-tue,sun"),
        ("fri-mon", "mon,fri-sun"),
        ("thurs", "thu"),
    ] {
        let parsed = BusinessHours::parse("UTC", text, "08:00", "16:30").unwrap();
        assert_eq!(parsed.days_text(), expected, "{text}");
    }
    let night = BusinessHours::parse("Europe/Paris", "all", "18:00", "24:00").unwrap();
    assert_eq!(night.end, NaiveTime::MIN);
    assert_eq!(night.end_text(), "24:00");
}

#[test]
fn bad_settings_name_the_field_and_value() {
    let error = BusinessHours::parse("Mars/Olympus", "mon-fri", "09:00", "17:00").unwrap_err();
    assert_eq!(
        error,
        SlaError::UnknownTimezone {
            value: "Mars/Olympus".into()
        }
    );
    assert!(error.to_string().contains("Mars/Olympus"));

    let error = BusinessHours::parse("UTC", "mon-fryday", "09:00", "17:00").unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("mon-fryday") && message.contains("fryday"),
        "{message}"
    );
    assert!(BusinessHours::parse("UTC", "", "09:00", "17:00").is_err());
    assert!(BusinessHours::parse("UTC", "mon,,tue", "09:00", "17:00").is_err());

    let error = BusinessHours::parse("UTC", "all", "9am", "17:00").unwrap_err();
    assert_eq!(
        error,
        SlaError::BadTime {
            field: "start",
            value: "9am".into()
        }
    );
    assert!(error.to_string().starts_with("start time \"9am\""));
    assert!(BusinessHours::parse("UTC", "all", "24:00", "17:00").is_err());

    let error = BusinessHours::parse("UTC", "all", "17:00", "09:00").unwrap_err();
    assert_eq!(
        error.to_string(),
        "start time \"17:00\" must be before end time \"09:00\""
    );
    assert!(BusinessHours::parse("UTC", "all", "09:00", "09:00").is_err());
}

#[test]
fn a_weekend_does_not_count() {
    let hours = office();
    // Friday 1 March 2024, 16:00 EST, to Monday 4 March, 10:00 EST: one hour each side.
    let friday = new_york(2024, 3, 1, 16, 0);
    let monday = new_york(2024, 3, 4, 10, 0);
    assert_eq!(hours.business_ms_between(friday, monday), 2 * HOUR);
    assert_eq!(hours.add_business_ms(friday, 2 * HOUR), monday);
    // Exactly one hour lands on the Friday close, not on Monday's opening.
    assert_eq!(
        hours.add_business_ms(friday, HOUR),
        new_york(2024, 3, 1, 17, 0)
    );
    // Opened on Saturday: the clock starts on Monday at 09:00.
    let saturday = new_york(2024, 3, 2, 11, 0);
    assert_eq!(
        hours.add_business_ms(saturday, 30 * MS_PER_MINUTE),
        new_york(2024, 3, 4, 9, 30)
    );
    assert_eq!(hours.business_ms_between(saturday, monday), HOUR);
}

#[test]
fn the_march_dst_change_moves_the_office_in_utc() {
    let hours = office();
    // Clocks spring forward on Sunday 10 March 2024: 09:00 on Friday is 14:00 UTC, on Monday 13:00.
    let friday = new_york(2024, 3, 8, 16, 0);
    assert_eq!(friday, utc_ms(2024, 3, 8, 21, 0));
    let due = hours.add_business_ms(friday, 2 * HOUR);
    assert_eq!(due, new_york(2024, 3, 11, 10, 0));
    assert_eq!(due, utc_ms(2024, 3, 11, 14, 0));
    assert_eq!(hours.business_ms_between(friday, due), 2 * HOUR);
    // A full week with the change inside it is still five eight-hour days.
    let week = hours.business_ms_between(new_york(2024, 3, 8, 0, 0), new_york(2024, 3, 15, 0, 0));
    assert_eq!(week, 5 * 8 * HOUR);
}

#[test]
fn a_round_the_clock_office_has_a_short_day_in_march() {
    let hours = BusinessHours::parse("America/New_York", "all", "00:00", "24:00")
        .unwrap()
        .with_holidays([NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()]);
    let sunday =
        hours.business_ms_between(new_york(2024, 3, 10, 0, 0), new_york(2024, 3, 11, 0, 0));
    assert_eq!(sunday, 23 * HOUR);
    // Opening at 02:00, which does not exist that day, means opening when clocks reach 03:00.
    let early = BusinessHours::parse("America/New_York", "sun", "02:00", "04:00").unwrap();
    let open = early.business_ms_between(new_york(2024, 3, 10, 0, 0), new_york(2024, 3, 11, 0, 0));
    assert_eq!(open, HOUR);
    assert_eq!(
        early.add_business_ms(new_york(2024, 3, 10, 0, 0), 1),
        utc_ms(2024, 3, 10, 7, 0) + 1
    );
}

#[test]
fn holidays_are_closed() {
    let hours = office().with_holidays([NaiveDate::from_ymd_opt(2024, 7, 4).unwrap()]);
    // Wednesday 3 July 16:00 + 2 h: the Thursday is Independence Day, so Friday 10:00.
    let due = hours.add_business_ms(new_york(2024, 7, 3, 16, 0), 2 * HOUR);
    assert_eq!(due, new_york(2024, 7, 5, 10, 0));
}

#[test]
fn long_spans_are_cheap_and_never_reached_targets_say_so() {
    let hours = office();
    let start = new_york(2000, 1, 3, 9, 0);
    let end = new_york(2100, 1, 4, 9, 0);
    let business = hours.business_ms_between(start, end);
    assert!(business > 0 && business < end - start);
    let due = hours.add_business_ms(start, business);
    assert!(due <= end);
    assert_eq!(hours.business_ms_between(start, due), business);
    let closed = BusinessHours {
        days: [false; 7],
        ..office()
    };
    assert_eq!(closed.add_business_ms(start, 1), i64::MAX);
    assert_eq!(closed.business_ms_between(start, end), 0);
    assert_eq!(
        BusinessHours::always().add_business_ms(LATEST_MS, 1),
        i64::MAX
    );
    assert_eq!(
        BusinessHours::always().business_ms_between(i64::MIN, i64::MAX),
        LATEST_MS - EARLIEST_MS
    );
}

fn target(minutes: u32) -> SlaTarget {
    SlaTarget {
        first_response_minutes: minutes,
        hours: office(),
    }
}

#[test]
fn sla_states_over_a_weekend() {
    let eight_hours = target(8 * 60);
    let opened = new_york(2024, 3, 1, 13, 0); // Friday 13:00
    let due = new_york(2024, 3, 4, 13, 0); // Monday 13:00
    assert_eq!(
        sla_state(&eight_hours, opened, None, new_york(2024, 3, 2, 12, 0)),
        SlaState::Running {
            left_ms: 4 * HOUR,
            due_at: due
        }
    );
    assert_eq!(
        sla_state(&eight_hours, opened, None, new_york(2024, 3, 4, 15, 30)),
        SlaState::Overdue {
            over_ms: 2 * HOUR + 30 * MS_PER_MINUTE,
            due_at: due
        }
    );
    assert_eq!(
        sla_state(
            &eight_hours,
            opened,
            Some(new_york(2024, 3, 4, 10, 0)),
            new_york(2024, 3, 9, 0, 0)
        ),
        SlaState::Met { took_ms: 5 * HOUR }
    );
    assert_eq!(
        sla_state(&eight_hours, opened, Some(due), due),
        SlaState::Met { took_ms: 8 * HOUR }
    );
    assert_eq!(
        sla_state(
            &eight_hours,
            opened,
            Some(new_york(2024, 3, 5, 9, 15)),
            new_york(2024, 3, 9, 0, 0)
        ),
        SlaState::Missed {
            late_ms: 4 * HOUR + 15 * MS_PER_MINUTE
        }
    );
}

#[test]
fn sla_state_serialises_with_a_state_tag() {
    let json = serde_json::to_value(SlaState::Running {
        left_ms: 5,
        due_at: 9,
    })
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"state": "running", "left_ms": 5, "due_at": 9})
    );
    let hours = serde_json::to_value(office()).unwrap();
    assert_eq!(hours["timezone"], "America/New_York");
    let back: BusinessHours = serde_json::from_value(hours).unwrap();
    assert_eq!(back, office());
}

#[test]
fn durations_read_like_people_write_them() {
    assert_eq!(describe_duration(0), "0 s");
    assert_eq!(describe_duration(45_000), "45 s");
    assert_eq!(describe_duration(-45_999), "45 s");
    assert_eq!(describe_duration(12 * MS_PER_MINUTE + 59_000), "12 min");
    assert_eq!(describe_duration(3 * HOUR + 5 * MS_PER_MINUTE), "3 h 5 min");
    assert_eq!(describe_duration(3 * HOUR), "3 h");
    assert_eq!(
        describe_duration(2 * DAY + 4 * HOUR + 59 * MS_PER_MINUTE),
        "2 d 4 h"
    );
    assert_eq!(describe_duration(-2 * DAY), "2 d");
    assert!(!describe_duration(i64::MIN).is_empty());
}

fn any_hours() -> impl Strategy<Value = BusinessHours> {
    let zones = prop::sample::select(vec![
        "UTC",
        "America/New_York",
        "Europe/London",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "Pacific/Apia",
        "America/Sao_Paulo",
        "Pacific/Chatham",
    ]);
    (
        zones,
        prop::array::uniform7(any::<bool>()),
        0u32..24 * 60,
        1u32..=24 * 60,
        prop::collection::vec(0i64..20_000, 0..5),
    )
        .prop_map(|(zone, days, first, second, holidays)| {
            let (start, end) = if first < second {
                (first, second)
            } else {
                (second.saturating_sub(1), first + 1)
            };
            let time =
                |minutes: u32| NaiveTime::from_hms_opt(minutes / 60 % 24, minutes % 60, 0).unwrap();
            let epoch = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap();
            BusinessHours {
                timezone: zone.parse().unwrap(),
                days,
                start: time(start),
                end: time(end),
                holidays: holidays
                    .into_iter()
                    .map(|offset| epoch + chrono::Days::new(offset as u64))
                    .collect(),
            }
        })
}

/// 1995 to 2045.
fn any_instant() -> impl Strategy<Value = i64> {
    788_918_400_000i64..2_366_841_600_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn adding_then_measuring_gives_back_the_amount(
        hours in any_hours(),
        from in any_instant(),
        amount in 0i64..60 * DAY,
    ) {
        let due = hours.add_business_ms(from, amount);
        if hours.days.iter().any(|open| *open) {
            prop_assert!(due >= from);
            prop_assert_eq!(hours.business_ms_between(from, due), amount);
            if amount > 0 {
                // The earliest such instant.
                prop_assert!(hours.business_ms_between(from, due - 1) < amount);
            }
        } else if amount > 0 {
            prop_assert_eq!(due, i64::MAX);
        }
    }

    #[test]
    fn measuring_is_additive_and_bounded_by_the_wall_clock(
        hours in any_hours(),
        mut instants in prop::array::uniform3(any_instant()),
    ) {
        instants.sort_unstable();
        let [a, b, c] = instants;
        let (ab, bc, ac) = (
            hours.business_ms_between(a, b),
            hours.business_ms_between(b, c),
            hours.business_ms_between(a, c),
        );
        prop_assert_eq!(ab + bc, ac);
        prop_assert!(ac >= 0 && ac <= c - a);
        prop_assert_eq!(hours.business_ms_between(c, a), 0);
    }

    #[test]
    fn always_is_the_wall_clock(a in any::<i64>(), b in any::<i64>(), amount in 0i64..1_000 * DAY) {
        let always = BusinessHours::always();
        let (from, to) = (clamp(a.min(b)), clamp(a.max(b)));
        prop_assert_eq!(always.business_ms_between(from, to), to - from);
        let from = clamp(a) / 2;
        prop_assert_eq!(always.add_business_ms(from, amount), from + amount);
    }

    #[test]
    fn days_text_reads_back(days in prop::array::uniform7(any::<bool>())) {
        prop_assume!(days.iter().any(|open| *open));
        let hours = BusinessHours { days, ..BusinessHours::always() };
        let parsed = BusinessHours::parse("UTC", &hours.days_text(), "00:00", "24:00").unwrap();
        prop_assert_eq!(parsed.days, days);
    }

    #[test]
    fn sla_durations_are_never_negative(
        from in any_instant(),
        response in prop::option::of(0i64..30 * DAY),
        now in 0i64..30 * DAY,
        minutes in 0u32..5_000,
    ) {
        let state = sla_state(&target(minutes), from, response.map(|r| from + r), from + now);
        let durations = match state {
            SlaState::Met { took_ms } => [took_ms, 0],
            SlaState::Missed { late_ms } => [late_ms, 0],
            SlaState::Running { left_ms, due_at } => [left_ms, due_at - from],
            SlaState::Overdue { over_ms, due_at } => [over_ms, due_at - from],
        };
        prop_assert!(durations.iter().all(|d| *d >= 0), "{:?}", state);
    }
}
