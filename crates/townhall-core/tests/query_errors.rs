//! Queries an analyst can get wrong: each must fail with a message that says what is wrong, at
//! the character where it is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use townhall_core::query::parse;

/// (input, expected position, a fragment the message must contain)
const CASES: &[(&str, usize, &str)] = &[
    ("\"town hall", 0, "unclosed quote"),
    ("budget \"town hall", 7, "unclosed quote"),
    ("from:\"jane", 5, "unclosed quote"),
    ("(a OR b", 0, "unclosed parenthesis"),
    ("x (a (b)", 2, "unclosed parenthesis"),
    ("a)", 1, "unmatched closing parenthesis"),
    ("(a)) b", 3, "unmatched closing parenthesis"),
    (")", 0, "unmatched closing parenthesis"),
    ("()", 1, "empty parentheses"),
    ("a ( ) b", 4, "empty parentheses"),
    ("NOT", 3, "expected a term after NOT"),
    ("a NOT", 5, "expected a term after NOT"),
    ("(NOT) a", 4, "expected a term after NOT"),
    ("NOT OR a", 4, "expected a term after NOT"),
    ("a AND", 5, "expected a term after AND"),
    ("a AND OR b", 6, "expected a term after AND"),
    ("a OR", 4, "expected a term after OR"),
    ("a OR OR b", 5, "expected a term after OR"),
    ("a OR )", 5, "expected a term after OR"),
    ("AND a", 0, "expected a term before AND"),
    ("OR a", 0, "expected a term before OR"),
    ("(OR a)", 1, "expected a term before OR"),
    (
        "lnag:es",
        0,
        "unknown field 'lnag' — fields are lang, channel, from, own, sentiment, question, since, until, kind",
    ),
    ("tax lnag:es", 4, "unknown field 'lnag'"),
    ("lang:", 5, "lang: needs a value"),
    ("a lang: es", 7, "lang: needs a value"),
    ("lang:spanish", 5, "lang: expects a two-letter language code"),
    ("channel:twiter", 8, "unknown channel 'twiter' — channels are x, mastodon"),
    ("channel:x:", 8, "needs an account"),
    ("from:@", 5, "from: expects a handle"),
    ("own:maybe", 4, "own: expects true or false"),
    ("question:perhaps", 9, "question: expects true or false"),
    ("sentiment:0.5", 10, "sentiment needs a comparison like sentiment:<-0.05"),
    ("sentiment:negative", 10, "sentiment needs a comparison"),
    ("sentiment:<", 11, "sentiment scores are numbers from -1 to 1"),
    ("sentiment:>2", 11, "sentiment scores are numbers from -1 to 1"),
    ("sentiment:<=1e-3", 12, "sentiment scores are numbers from -1 to 1"),
    ("sentiment:>NaN", 11, "sentiment scores are numbers from -1 to 1"),
    ("since:yesterday", 6, "since: expects a date like 2024-05-01"),
    ("since:2017-02-30", 6, "since: expects a date like 2024-05-01"),
    ("since:21/06/2017", 6, "since: expects a date like 2024-05-01"),
    ("until:2017-06", 6, "until: expects a date like 2024-05-31"),
    ("until:2017-06-21T25:00:00Z", 6, "until: expects a date"),
    ("kind:retweet", 5, "kind: expects original, reply, repost or quote"),
    // Positions are characters, not bytes.
    ("España lnag:es", 7, "unknown field"),
    ("政府 (", 3, "unclosed parenthesis"),
];

#[test]
fn errors_name_the_problem_and_its_position() {
    let mut failures = Vec::new();
    for &(input, position, fragment) in CASES {
        match parse(input) {
            Err(e) if e.position == position && e.message.contains(fragment) => {}
            other => failures.push(format!(
                "{input:?}: expected error at {position} containing {fragment:?}, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn too_long_queries_are_refused() {
    let input = "a".repeat(1001);
    let error = parse(&input).unwrap_err();
    assert_eq!(error.position, 1000);
    assert!(error.message.contains("too long"), "{}", error.message);
    assert!(
        error.message.contains("1001 characters"),
        "{}",
        error.message
    );
    assert!(error.message.contains("at most 1000"), "{}", error.message);
}

#[test]
fn deep_nesting_is_refused_not_overflowing_the_stack() {
    let parens = format!("{}a{}", "(".repeat(33), ")".repeat(33));
    let error = parse(&parens).unwrap_err();
    assert_eq!(error.position, 32);
    assert!(
        error.message.contains("nests too deeply"),
        "{}",
        error.message
    );

    let nots = format!("{}a", "NOT ".repeat(33));
    let error = parse(&nots).unwrap_err();
    assert_eq!(error.position, 32 * 4);
    assert!(
        error.message.contains("nests too deeply"),
        "{}",
        error.message
    );

    let minuses = format!("{}a", "-".repeat(500));
    assert!(parse(&minuses)
        .unwrap_err()
        .message
        .contains("nests too deeply"));

    // As deep as the length limit allows.
    let worst = "(".repeat(1000);
    assert!(parse(&worst)
        .unwrap_err()
        .message
        .contains("nests too deeply"));
}

#[test]
fn error_display_names_the_position() {
    let error = parse("lnag:es").unwrap_err();
    let shown = error.to_string();
    assert!(shown.starts_with("unknown field 'lnag'"), "{shown}");
    assert!(shown.ends_with("(at position 0)"), "{shown}");
}

#[test]
fn pointer_puts_a_caret_under_the_problem() {
    let input = "tax (reform OR budget";
    let error = parse(input).unwrap_err();
    assert_eq!(error.pointer(input), "tax (reform OR budget\n    ^");

    let input = "a OR";
    let error = parse(input).unwrap_err();
    assert_eq!(error.pointer(input), "a OR\n    ^");

    // Tabs and newlines are shown as spaces so the caret stays aligned.
    let input = "a\tb\nlnag:x";
    let error = parse(input).unwrap_err();
    assert_eq!(error.position, 4);
    assert_eq!(error.pointer(input), "a b lnag:x\n    ^");

    // Accented letters take one column, CJK characters two.
    let input = "ñandú lnag:x";
    assert_eq!(
        parse(input).unwrap_err().pointer(input),
        "ñandú lnag:x\n      ^"
    );
    let input = "政府 lnag:x";
    assert_eq!(
        parse(input).unwrap_err().pointer(input),
        "政府 lnag:x\n     ^"
    );
}
