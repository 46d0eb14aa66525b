#![allow(clippy::unwrap_used, clippy::expect_used)]
#[test]
fn scratch() {
    for q in ["NOT(a)", "a OR-b", "since:2017-06-21t09:30:00z", "tax*reform", "@", "Or", "(lang:es)", "-lang:es", "İstanbul", "ΣΑΣ", "a\u{301}b", "x:y", "Q:A", "http://a", "foo:"] {
        let r = townhall_core::query::parse(q);
        println!("{q:?} => {r:?} => {:?}", r.as_ref().map(|x| x.to_string()));
    }
}
