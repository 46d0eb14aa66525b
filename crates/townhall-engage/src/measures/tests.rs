use super::*;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

const HOUR: i64 = 60 * 60 * 1_000;

fn at(year: i32, month: u32, day: u32, hour: u32) -> i64 {
    Utc.with_ymd_and_hms(year, month, day, hour, 0, 0)
        .single()
        .unwrap()
        .timestamp_millis()
}

fn fact(opened_ms: i64, response_after: Option<i64>) -> CaseFact {
    CaseFact {
        opened_ms,
        first_response_ms: response_after.map(|after| opened_ms + after),
        closed: false,
        team: None,
        channel: "email".to_string(),
        topic: None,
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn nearest_rank_percentiles() {
    let hours: Vec<i64> = (1..=10).map(|h| h * HOUR).collect();
    assert_eq!(percentile(&hours, 50.0), Some(5 * HOUR));
    assert_eq!(percentile(&hours, 90.0), Some(9 * HOUR));
    assert_eq!(percentile(&hours, 100.0), Some(10 * HOUR));
    assert_eq!(percentile(&hours, 0.1), Some(HOUR));
    assert_eq!(percentile(&hours, 0.0), None);
    assert_eq!(percentile(&hours, 100.5), None);
    assert_eq!(percentile(&hours, f64::NAN), None);
    assert_eq!(percentile(&[], 50.0), None);
    assert_eq!(percentile(&[7], 50.0), Some(7));
}

#[test]
fn ten_cases_answered_in_one_to_ten_hours() {
    let monday = at(2024, 3, 4, 9);
    let mut facts: Vec<CaseFact> = (1..=10).map(|h| fact(monday, Some(h * HOUR))).collect();
    facts.push(fact(monday, None));
    facts.push(CaseFact {
        closed: true,
        ..fact(monday, None)
    });
    let measures = inbox_measures(&facts, monday + 30 * HOUR);
    assert_eq!(measures.cases, 12);
    assert_eq!(measures.responded, 10);
    assert_eq!(measures.response_rate, Some(10.0 / 12.0));
    assert_eq!(measures.median_first_response_ms, Some(5 * HOUR));
    assert_eq!(measures.p90_first_response_ms, Some(9 * HOUR));
    assert_eq!(
        measures.backlog,
        vec![TeamBacklog {
            team: None,
            under_1_day: 0,
            days_1_to_3: 1,
            days_3_to_7: 0,
            over_7_days: 0,
            total: 1
        }]
    );
    assert_eq!(measures.backlog[0].label(), "Unassigned team");
    assert_eq!(measures.weeks.len(), 1);
    assert_eq!(measures.weeks[0].week_start, date(2024, 3, 4));
    assert_eq!(measures.weeks[0].median_first_response_ms, Some(5 * HOUR));
}

#[test]
fn backlog_by_team_and_age() {
    let now = at(2024, 3, 20, 12);
    let open = |team: Option<&str>, age_hours: i64| CaseFact {
        team: team.map(str::to_string),
        ..fact(now - age_hours * HOUR, None)
    };
    let facts = vec![
        open(Some("Roads"), 1),
        open(Some("Roads"), 30),
        open(Some("Roads"), 24 * 8),
        open(None, 2),
        open(Some("Parks"), 24 * 3),
        open(Some("  "), 24 * 5),
        CaseFact {
            team: Some("Zoning".into()),
            ..fact(now - HOUR, Some(HOUR / 2))
        },
    ];
    let backlog = inbox_measures(&facts, now).backlog;
    let rows: Vec<(&str, [u64; 5])> = backlog
        .iter()
        .map(|row| {
            (
                row.label(),
                [
                    row.under_1_day,
                    row.days_1_to_3,
                    row.days_3_to_7,
                    row.over_7_days,
                    row.total,
                ],
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Parks", [0, 0, 1, 0, 1]),
            ("Roads", [1, 1, 0, 1, 3]),
            ("Unassigned team", [1, 0, 1, 0, 2]),
        ]
    );
}

#[test]
fn shares_by_channel_and_topic() {
    let now = at(2024, 3, 20, 12);
    let case = |channel: &str, topic: Option<&str>, answered: bool| CaseFact {
        channel: channel.to_string(),
        topic: topic.map(str::to_string),
        ..fact(now - HOUR, answered.then_some(HOUR / 2))
    };
    let facts = vec![
        case("email", Some("roads"), true),
        case("email", Some("roads"), false),
        case("x", Some("parks"), true),
        case("facebook", None, true),
        case("x", None, false),
        case("email", Some("parks"), true),
    ];
    let measures = inbox_measures(&facts, now);
    let channels: Vec<(&str, u64, u64)> = measures
        .by_channel
        .iter()
        .map(|share| (share.name.as_str(), share.answered, share.total))
        .collect();
    assert_eq!(
        channels,
        vec![("email", 2, 3), ("x", 1, 2), ("facebook", 1, 1)]
    );
    assert!((measures.by_channel[0].share - 2.0 / 3.0).abs() < 1e-12);
    let topics: Vec<(&str, u64, u64)> = measures
        .by_topic
        .iter()
        .map(|share| (share.name.as_str(), share.answered, share.total))
        .collect();
    assert_eq!(
        topics,
        vec![("No topic", 1, 2), ("parks", 2, 2), ("roads", 1, 2)]
    );
}

#[test]
fn weeks_run_monday_to_sunday_with_gaps_filled() {
    let facts = vec![
        fact(at(2024, 3, 3, 23), Some(2 * HOUR)), // Sunday: week of 26 February
        fact(at(2024, 3, 4, 0), Some(4 * HOUR)),  // Monday: week of 4 March
        fact(at(2024, 3, 10, 12), None),          // Sunday: week of 4 March
        fact(at(2024, 3, 19, 8), Some(HOUR)),     // week of 18 March
    ];
    let weeks = inbox_measures(&facts, at(2024, 3, 25, 0)).weeks;
    type WeekSummary = (NaiveDate, u64, u64, Option<f64>, Option<i64>);
    let summary: Vec<WeekSummary> = weeks
        .iter()
        .map(|w| {
            (
                w.week_start,
                w.opened,
                w.responded,
                w.response_rate,
                w.median_first_response_ms,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (date(2024, 2, 26), 1, 1, Some(1.0), Some(2 * HOUR)),
            (date(2024, 3, 4), 2, 1, Some(0.5), Some(4 * HOUR)),
            (date(2024, 3, 11), 0, 0, None, None),
            (date(2024, 3, 18), 1, 1, Some(1.0), Some(HOUR)),
        ]
    );
}

#[test]
fn no_cases_no_measures() {
    let measures = inbox_measures(&[], 0);
    assert_eq!(measures.cases, 0);
    assert_eq!(measures.response_rate, None);
    assert_eq!(measures.median_first_response_ms, None);
    assert!(measures.backlog.is_empty() && measures.weeks.is_empty());
    assert!(measures.by_channel.is_empty() && measures.by_topic.is_empty());
}

fn any_fact() -> impl Strategy<Value = CaseFact> {
    (
        1_600_000_000_000i64..1_700_000_000_000,
        prop::option::of(-HOUR..30 * 24 * HOUR),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["Roads", "Parks", "Water"])),
        prop::sample::select(vec!["email", "x", "web"]),
        prop::option::of(prop::sample::select(vec!["bins", "buses"])),
    )
        .prop_map(
            |(opened_ms, response, closed, team, channel, topic)| CaseFact {
                opened_ms,
                first_response_ms: response.map(|after| opened_ms + after),
                closed,
                team: team.map(str::to_string),
                channel: channel.to_string(),
                topic: topic.map(str::to_string),
            },
        )
}

proptest! {
    #[test]
    fn measures_are_consistent(
        facts in prop::collection::vec(any_fact(), 0..60),
        now in 1_600_000_000_000i64..1_800_000_000_000,
    ) {
        let measures = inbox_measures(&facts, now);
        if let (Some(median), Some(p90)) =
            (measures.median_first_response_ms, measures.p90_first_response_ms)
        {
            prop_assert!(median <= p90);
            prop_assert!(median >= 0);
        }
        if let Some(rate) = measures.response_rate {
            prop_assert!((0.0..=1.0).contains(&rate));
        }
        let open = facts.iter().filter(|f| f.first_response_ms.is_none() && !f.closed).count() as u64;
        prop_assert_eq!(measures.backlog.iter().map(|row| row.total).sum::<u64>(), open);
        for row in &measures.backlog {
            prop_assert_eq!(
                row.under_1_day + row.days_1_to_3 + row.days_3_to_7 + row.over_7_days,
                row.total
            );
        }
        prop_assert_eq!(measures.weeks.iter().map(|w| w.opened).sum::<u64>(), measures.cases);
        prop_assert_eq!(measures.by_channel.iter().map(|s| s.total).sum::<u64>(), measures.cases);
        prop_assert_eq!(measures.by_topic.iter().map(|s| s.answered).sum::<u64>(), measures.responded);
        for pair in measures.weeks.windows(2) {
            prop_assert_eq!(pair[1].week_start - pair[0].week_start, chrono::Duration::days(7));
        }
        for week in &measures.weeks {
            prop_assert_eq!(week.week_start.weekday(), chrono::Weekday::Mon);
            if let (Some(median), Some(p90)) = (week.median_first_response_ms, week.p90_first_response_ms) {
                prop_assert!(median <= p90);
            }
        }
    }

    #[test]
    fn percentiles_are_ordered(mut values in prop::collection::vec(any::<i64>(), 1..50), p in 0.001f64..=100.0) {
        values.sort_unstable();
        let value = percentile(&values, p).unwrap();
        prop_assert!(values.contains(&value));
        prop_assert!(percentile(&values, 50.0) <= percentile(&values, 90.0));
    }
}
