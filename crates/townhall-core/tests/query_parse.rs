//! Table-driven: query text → expected AST, and the printed form of each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use townhall_core::query::{parse, Cmp, FieldFilter, Query};
use townhall_core::PostKind;

fn term(w: &str) -> Query {
    Query::Term(w.into())
}
fn phrase(ws: &[&str]) -> Query {
    Query::Phrase(ws.iter().map(|w| w.to_string()).collect())
}
fn prefix(p: &str) -> Query {
    Query::Prefix(p.into())
}
fn and(items: Vec<Query>) -> Query {
    Query::And(items)
}
fn or(items: Vec<Query>) -> Query {
    Query::Or(items)
}
fn not(q: Query) -> Query {
    Query::Not(Box::new(q))
}
fn field(f: FieldFilter) -> Query {
    Query::Field(f)
}
fn lang(l: &str) -> Query {
    field(FieldFilter::Lang(l.into()))
}
fn channel(c: &str) -> Query {
    field(FieldFilter::Channel(c.into()))
}
fn from(h: &str) -> Query {
    field(FieldFilter::From(h.into()))
}
fn hashtag(t: &str) -> Query {
    field(FieldFilter::Hashtag(t.into()))
}
fn mention(m: &str) -> Query {
    field(FieldFilter::Mention(m.into()))
}
fn sentiment(cmp: Cmp, v: f64) -> Query {
    field(FieldFilter::Sentiment(cmp, v))
}
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn cases() -> Vec<(&'static str, Query)> {
    vec![
        // Empty input matches everything.
        ("", Query::All),
        ("   \t\n ", Query::All),
        ("!!! ... --", Query::All),
        // Words: lower-cased, split on punctuation, unicode kept.
        ("Tax", term("tax")),
        ("tax reform", and(vec![term("tax"), term("reform")])),
        ("covid-19", phrase(&["covid", "19"])),
        ("U.S.", phrase(&["u", "s"])),
        ("don't", phrase(&["don", "t"])),
        ("hello, world!", and(vec![term("hello"), term("world")])),
        ("España", term("españa")),
        ("ПРИВЕТ мир", and(vec![term("привет"), term("мир")])),
        ("हिन्दी", term("हिन्दी")),
        ("政府改革", term("政府改革")),
        ("السلام", term("السلام")),
        // Phrases.
        (
            "\"Town Hall meeting\"",
            phrase(&["town", "hall", "meeting"]),
        ),
        ("\"single\"", term("single")),
        ("\"AND\"", term("and")),
        ("\"lang:es\"", phrase(&["lang", "es"])),
        ("\"\"", Query::All),
        ("\"a b\"c", and(vec![phrase(&["a", "b"]), term("c")])),
        // Prefixes.
        ("tax*", prefix("tax")),
        ("Vaccin*", prefix("vaccin")),
        ("tax*,", prefix("tax")),
        ("e-gov*", and(vec![term("e"), prefix("gov")])),
        ("*", Query::All),
        // Keywords are upper-case only.
        ("a AND b", and(vec![term("a"), term("b")])),
        ("a and b", and(vec![term("a"), term("and"), term("b")])),
        ("a OR b", or(vec![term("a"), term("b")])),
        ("a or b", and(vec![term("a"), term("or"), term("b")])),
        ("NOT a", not(term("a"))),
        ("not a", and(vec![term("not"), term("a")])),
        ("-a", not(term("a"))),
        ("a -b", and(vec![term("a"), not(term("b"))])),
        ("a - b", and(vec![term("a"), term("b")])),
        ("a-b", phrase(&["a", "b"])),
        ("-NOT", not(term("not"))),
        ("\"x\"-y", and(vec![term("x"), term("y")])),
        ("(a)-b", and(vec![term("a"), not(term("b"))])),
        ("--a", not(not(term("a")))),
        ("NOT NOT a", not(not(term("a")))),
        ("-\"a b\"", not(phrase(&["a", "b"]))),
        ("-covid-19", not(phrase(&["covid", "19"]))),
        // Precedence NOT > AND > OR.
        (
            "a b OR c",
            or(vec![and(vec![term("a"), term("b")]), term("c")]),
        ),
        (
            "a OR b c",
            or(vec![term("a"), and(vec![term("b"), term("c")])]),
        ),
        (
            "a OR b AND c OR d",
            or(vec![term("a"), and(vec![term("b"), term("c")]), term("d")]),
        ),
        ("NOT a b", and(vec![not(term("a")), term("b")])),
        ("NOT a OR b", or(vec![not(term("a")), term("b")])),
        ("NOT (a OR b)", not(or(vec![term("a"), term("b")]))),
        ("-(a b)", not(and(vec![term("a"), term("b")]))),
        (
            "(a OR b) c",
            and(vec![or(vec![term("a"), term("b")]), term("c")]),
        ),
        // Flattening and collapsing.
        ("((a))", term("a")),
        (
            "(a b) (c d)",
            and(vec![term("a"), term("b"), term("c"), term("d")]),
        ),
        (
            "a OR (b OR c) OR d",
            or(vec![term("a"), term("b"), term("c"), term("d")]),
        ),
        (
            "(a AND (b AND c))",
            and(vec![term("a"), term("b"), term("c")]),
        ),
        ("f(x)", and(vec![term("f"), term("x")])),
        // Fields.
        ("lang:es", lang("es")),
        ("LANG:ES", lang("es")),
        ("lang:\"en\"", lang("en")),
        ("channel:x", channel("x")),
        ("channel:x:RepErikPaulsen", channel("x:reperikpaulsen")),
        ("channel:x:@RepErikPaulsen", channel("x:reperikpaulsen")),
        ("channel:Mastodon", channel("mastodon")),
        ("channel:regulations_gov", channel("regulations_gov")),
        (
            "channel:feed:https://example.gov/rss",
            channel("feed:https://example.gov/rss"),
        ),
        ("from:@CityHall", from("cityhall")),
        ("from:cityhall", from("cityhall")),
        ("from:\"Jane Doe\"", from("jane doe")),
        ("from:\"@jane\"", from("jane")),
        ("own:true", field(FieldFilter::Own(true))),
        ("own:yes", field(FieldFilter::Own(true))),
        ("own:False", field(FieldFilter::Own(false))),
        ("own:no", field(FieldFilter::Own(false))),
        ("question:true", field(FieldFilter::Question(true))),
        ("question:false", field(FieldFilter::Question(false))),
        ("sentiment:<-0.05", sentiment(Cmp::Lt, -0.05)),
        ("sentiment:>0.3", sentiment(Cmp::Gt, 0.3)),
        ("sentiment:<=-0.5", sentiment(Cmp::Le, -0.5)),
        ("sentiment:>=.05", sentiment(Cmp::Ge, 0.05)),
        ("sentiment:=0", sentiment(Cmp::Eq, 0.0)),
        ("sentiment:>1", sentiment(Cmp::Gt, 1.0)),
        (
            "since:2017-06-21",
            field(FieldFilter::Since(utc(2017, 6, 21, 0, 0, 0))),
        ),
        (
            "until:2017-06-21",
            field(FieldFilter::Until(utc(2017, 6, 22, 0, 0, 0))),
        ),
        (
            "until:2016-12-31",
            field(FieldFilter::Until(utc(2017, 1, 1, 0, 0, 0))),
        ),
        (
            "until:2016-02-28",
            field(FieldFilter::Until(utc(2016, 2, 29, 0, 0, 0))),
        ),
        (
            "since:2017-06-21T09:30:00Z",
            field(FieldFilter::Since(utc(2017, 6, 21, 9, 30, 0))),
        ),
        (
            "since:2017-06-21T09:30:00+02:00",
            field(FieldFilter::Since(utc(2017, 6, 21, 7, 30, 0))),
        ),
        (
            "until:2017-06-21T17:00:00-04:00",
            field(FieldFilter::Until(utc(2017, 6, 21, 21, 0, 0))),
        ),
        ("kind:reply", field(FieldFilter::Kind(PostKind::Reply))),
        (
            "kind:Original",
            field(FieldFilter::Kind(PostKind::Original)),
        ),
        ("kind:repost", field(FieldFilter::Kind(PostKind::Repost))),
        ("kind:quote", field(FieldFilter::Kind(PostKind::Quote))),
        // Hashtags and mentions.
        ("#Covid19", hashtag("covid19")),
        ("#tax_reform", hashtag("tax_reform")),
        ("#covid19.", hashtag("covid19")),
        (
            "#MeToo-movement",
            and(vec![hashtag("metoo"), term("movement")]),
        ),
        ("#España", hashtag("españa")),
        ("#", Query::All),
        ("@RepErikPaulsen", mention("reperikpaulsen")),
        ("@mayor,", mention("mayor")),
        ("@user@mastodon.social", mention("user@mastodon.social")),
        ("@name.bsky.social.", mention("name.bsky.social")),
        ("-#spam", not(hashtag("spam"))),
        ("a#b", phrase(&["a", "b"])),
        // Words that merely contain a colon.
        ("Re: budget", and(vec![term("re"), term("budget")])),
        (
            "https://example.gov/a",
            phrase(&["https", "example", "gov", "a"]),
        ),
        ("10:30", phrase(&["10", "30"])),
        // Everything together.
        (
            "(tax* OR #budget) lang:es -from:@bot sentiment:<-0.05 since:2024-05-01",
            and(vec![
                or(vec![prefix("tax"), hashtag("budget")]),
                lang("es"),
                not(from("bot")),
                sentiment(Cmp::Lt, -0.05),
                field(FieldFilter::Since(utc(2024, 5, 1, 0, 0, 0))),
            ]),
        ),
        (
            "\"public transport\" OR buses channel:x:CityHall question:true NOT kind:repost",
            or(vec![
                phrase(&["public", "transport"]),
                and(vec![
                    term("buses"),
                    channel("x:cityhall"),
                    field(FieldFilter::Question(true)),
                    not(field(FieldFilter::Kind(PostKind::Repost))),
                ]),
            ]),
        ),
    ]
}

#[test]
fn queries_parse_to_the_expected_tree() {
    let mut failures = Vec::new();
    for (input, expected) in cases() {
        match parse(input) {
            Ok(actual) if actual == expected => {}
            other => failures.push(format!("{input:?}: expected {expected:?}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_expected_tree_prints_to_text_that_parses_back() {
    for (input, expected) in cases() {
        let printed = expected.to_string();
        assert_eq!(
            parse(&printed).unwrap(),
            expected,
            "{input:?} printed as {printed:?}"
        );
    }
}

#[test]
fn printed_form_is_what_an_analyst_would_type() {
    let examples = [
        ("tax   reform", "tax reform"),
        ("a b OR c", "a b OR c"),
        ("(a OR b) c", "(a OR b) c"),
        ("NOT (a b)", "NOT (a b)"),
        ("-a", "NOT a"),
        ("covid-19", "\"covid 19\""),
        ("from:\"Jane Doe\"", "from:\"jane doe\""),
        ("from:@x", "from:x"),
        ("sentiment:<-.05", "sentiment:<-0.05"),
        ("since:2017-06-21", "since:2017-06-21"),
        ("until:2017-06-21", "until:2017-06-21"),
        (
            "since:2017-06-21T09:30:00+02:00",
            "since:2017-06-21T07:30:00Z",
        ),
        ("own:yes", "own:true"),
        ("#Tag @Who", "#tag @who"),
        ("tax*", "tax*"),
        ("", ""),
    ];
    for (input, printed) in examples {
        assert_eq!(parse(input).unwrap().to_string(), printed, "{input:?}");
    }
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let input = format!("{}a{}", "(".repeat(32), ")".repeat(32));
    assert_eq!(parse(&input).unwrap(), term("a"));
    let nots = format!("{}a", "NOT ".repeat(32));
    let mut expected = term("a");
    for _ in 0..32 {
        expected = not(expected);
    }
    assert_eq!(parse(&nots).unwrap(), expected);
}

#[test]
fn a_thousand_characters_are_accepted() {
    let input = "ab ".repeat(333) + "c";
    assert_eq!(input.chars().count(), 1000);
    match parse(&input).unwrap() {
        Query::And(items) => assert_eq!(items.len(), 334),
        other => panic!("expected an AND, got {other:?}"),
    }
    // The limit counts characters, not bytes.
    let wide = "é".repeat(1000);
    assert_eq!(parse(&wide).unwrap(), Query::Term("é".repeat(1000)));
}
