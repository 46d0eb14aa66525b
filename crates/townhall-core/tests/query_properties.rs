//! Properties of the query parser: it never panics, errors point inside the input, and every
//! query it can produce survives printing and parsing again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use proptest::prelude::*;
use townhall_core::query::{parse, Cmp, FieldFilter, Query};
use townhall_core::PostKind;

/// Words as the parser produces them: lower-case runs of word characters, in several scripts.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9]{1,8}",
        1 => prop::sample::select(vec![
            "españa", "привет", "हिन्दी", "政府", "السلام", "ภาษาไทย", "ñandú", "straße",
            "and", "or", "not", "lang", "ü",
        ])
        .prop_map(str::to_string),
    ]
}

fn handle() -> impl Strategy<Value = String> {
    "[a-z0-9_]{1,10}"
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    let day = (1970i32..2200, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
    (
        day,
        prop::bool::ANY,
        0u32..86_400,
        prop::option::of(0u32..1_000_000_000),
    )
        .prop_map(|(day, midnight, seconds, nanos)| {
            let start = day.and_time(NaiveTime::MIN).and_utc();
            if midnight {
                start
            } else {
                start
                    + chrono::Duration::seconds(i64::from(seconds))
                    + chrono::Duration::nanoseconds(i64::from(nanos.unwrap_or(0)))
            }
        })
}

fn score() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..=1000).prop_map(|n| f64::from(n) / 1000.0),
        -1.0f64..=1.0,
    ]
}

fn field() -> impl Strategy<Value = FieldFilter> {
    let channel_kind = prop::sample::select(vec![
        "x",
        "mastodon",
        "bluesky",
        "feed",
        "regulations_gov",
        "generic",
    ]);
    let cmp = prop::sample::select(vec![Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq]);
    let kind = prop::sample::select(vec![
        PostKind::Original,
        PostKind::Reply,
        PostKind::Repost,
        PostKind::Quote,
    ]);
    prop_oneof![
        "[a-z]{2}".prop_map(FieldFilter::Lang),
        (channel_kind, prop::option::of(handle())).prop_map(|(kind, account)| {
            FieldFilter::Channel(match account {
                Some(account) => format!("{kind}:{account}"),
                None => kind.to_string(),
            })
        }),
        prop_oneof![handle(), "[a-z]{1,6} [a-z]{1,6}", "[a-z]{1,6}\\.[a-z]{1,6}"]
            .prop_map(FieldFilter::From),
        any::<bool>().prop_map(FieldFilter::Own),
        (cmp, score()).prop_map(|(cmp, score)| FieldFilter::Sentiment(cmp, score)),
        any::<bool>().prop_map(FieldFilter::Question),
        time().prop_map(FieldFilter::Since),
        time().prop_map(FieldFilter::Until),
        prop_oneof![word(), "[a-z0-9_]{1,10}"].prop_map(FieldFilter::Hashtag),
        prop_oneof![
            handle(),
            (handle(), "[a-z]{1,8}\\.[a-z]{2,6}").prop_map(|(h, host)| format!("{h}@{host}")),
        ]
        .prop_map(FieldFilter::Mention),
        kind.prop_map(FieldFilter::Kind),
    ]
}

fn leaf() -> impl Strategy<Value = Query> {
    prop_oneof![
        word().prop_map(Query::Term),
        prop::collection::vec(word(), 2..5).prop_map(Query::Phrase),
        word().prop_map(Query::Prefix),
        field().prop_map(Query::Field),
    ]
}

/// AND/OR children spliced the way the parser flattens them.
fn flattened(items: Vec<Query>, is_and: bool) -> Query {
    let mut flat = Vec::new();
    for item in items {
        match (item, is_and) {
            (Query::And(inner), true) | (Query::Or(inner), false) => flat.extend(inner),
            (other, _) => flat.push(other),
        }
    }
    if flat.len() == 1 {
        flat.pop().unwrap()
    } else if is_and {
        Query::And(flat)
    } else {
        Query::Or(flat)
    }
}

/// Trees in the parser's normal form: no AND directly inside an AND, no OR inside an OR, no
/// single-child AND/OR, no `All` below the top.
fn query() -> impl Strategy<Value = Query> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..5).prop_map(|items| flattened(items, true)),
            prop::collection::vec(inner.clone(), 2..5).prop_map(|items| flattened(items, false)),
            inner.prop_map(|q| Query::Not(Box::new(q))),
        ]
    })
}

/// Strings made of the language's own pieces, to reach deep into the parser more often than
/// arbitrary strings do.
fn query_like_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "AND ",
        "OR ",
        "NOT ",
        "-",
        "(",
        ")",
        "\"",
        " ",
        "*",
        "#",
        "@",
        ":",
        "lang:",
        "from:",
        "channel:x:",
        "sentiment:<",
        "sentiment:>=",
        "since:",
        "until:",
        "2017-06-21",
        "T09:30:00Z",
        "own:",
        "kind:",
        "tax",
        "é",
        "政府",
        "0.5",
        "-0.05",
        "true",
        "lnag:",
        "https://",
        ".",
        "\t",
        "\u{301}",
        "\u{200d}",
        "\u{94d}",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn check_never_panics(input: &str) -> Result<(), TestCaseError> {
    match parse(input) {
        Ok(query) => {
            // Whatever parses must print to text that parses to the same tree.
            // (Printing can lengthen a query, `-a` → `NOT a`, and wrap a negated multi-word
            // item in parentheses, so a query at a limit may print past it.)
            let printed = query.to_string();
            match parse(&printed) {
                Ok(reparsed) => prop_assert_eq!(reparsed, query, "printed as {:?}", printed),
                Err(error) => prop_assert!(
                    error.message.contains("too long")
                        || error.message.contains("nests too deeply"),
                    "{:?} printed as {:?} fails: {:?}",
                    input,
                    printed,
                    error
                ),
            }
        }
        Err(error) => {
            let length = input.chars().count();
            prop_assert!(
                error.position <= length,
                "{error:?} past the end of {input:?}"
            );
            prop_assert!(!error.message.is_empty());
            let pointer = error.pointer(input);
            prop_assert_eq!(pointer.lines().count(), 2);
            prop_assert!(pointer.ends_with('^'));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_arbitrary_text(input in any::<String>()) {
        check_never_panics(&input)?;
    }

    #[test]
    fn parse_never_panics_on_query_like_text(input in query_like_text()) {
        check_never_panics(&input)?;
    }

    #[test]
    fn printed_queries_parse_back_to_the_same_tree(query in query()) {
        let printed = query.to_string();
        prop_assume!(printed.chars().count() <= 1000);
        prop_assert_eq!(parse(&printed), Ok(query), "printed as {:?}", printed);
    }
}

#[test]
fn since_and_until_on_the_same_day_cover_exactly_that_day() {
    let since = parse("since:2017-06-21").unwrap();
    let until = parse("until:2017-06-21").unwrap();
    let (Query::Field(FieldFilter::Since(start)), Query::Field(FieldFilter::Until(end))) =
        (since, until)
    else {
        panic!("expected since and until filters");
    };
    assert_eq!(end - start, chrono::Duration::days(1));
    assert_eq!(start, Utc.with_ymd_and_hms(2017, 6, 21, 0, 0, 0).unwrap());
}
