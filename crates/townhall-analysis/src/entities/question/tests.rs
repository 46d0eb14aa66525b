use super::*;
use proptest::prelude::*;

/// The clause loop as first written (a search of the URL list at every character).
fn clauses_as_before(text: &str, urls: &[(usize, usize)]) -> bool {
    let mut sentence_start = true;
    let mut clause_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(&(_, url_end)) = urls.iter().find(|&&(start, _)| start == i) {
            if clause_opens_question(&text[clause_start..i], sentence_start) {
                return true;
            }
            while chars.peek().is_some_and(|&(j, _)| j < url_end) {
                chars.next();
            }
            clause_start = url_end;
            sentence_start = true;
        } else if ends_clause(c) {
            if clause_opens_question(&text[clause_start..i], sentence_start) {
                return true;
            }
            clause_start = i + c.len_utf8();
            sentence_start = !matches!(c, ',' | ';' | '(' | ')' | '—' | '–');
        }
    }
    clause_opens_question(&text[clause_start..], sentence_start)
}

fn as_before(text: &str) -> bool {
    let urls = url_spans(text);
    (text.contains(['?', '？', '¿', '؟'])
        && text
            .char_indices()
            .any(|(i, c)| matches!(c, '?' | '？' | '¿' | '؟') && !inside(&urls, i)))
        || asking::ASKING_PHRASE_RE.is_match(text)
        || clauses_as_before(text, &urls)
}

#[test]
fn first_word_settles_common_clauses() {
    for clause in [
        "the council meets",
        "  Thanks all",
        "Great-job!",
        "I love it",
        "",
        "and so the vote",
        "@mayor #vote Well, thanks",
        "quick-",
    ] {
        assert!(first_word::rejects(clause), "{clause:?}");
    }
    for clause in [
        "how do I",
        "So is it",
        "@mayor is",
        "é",
        "\u{A0}is it",
        "(Did you",
        "quick is it",
        "and so well what",
    ] {
        assert!(!first_word::rejects(clause), "{clause:?}");
    }
}

proptest! {
    /// The clause scan that jumps between possible clause ends decides as the first loop did, with
    /// every clause end, characters sharing their lead bytes, and links.
    #[test]
    fn clause_jumps_equal_the_first_loop(
        words in proptest::collection::vec(
            "how|do|you|is|it|What|who|qué|cómo|and|https://t\\.co/q|www\\.a\\.org/b|[.,;:!()|\r\n]|…|—|–|¡|¢|€|é|ÿ", 0..14),
        separator in " ||\t"
    ) {
        let text = words.join(&separator);
        let urls = url_spans(&text);
        prop_assert_eq!(clauses_open_question(&text, &urls), clauses_as_before(&text, &urls));
    }

    /// Reading only the first words rejects no clause that the full reading accepts (the words
    /// include fillers, openers, mentions, non-ASCII spaces and letters).
    #[test]
    fn first_word_rejects_only_what_the_full_test_rejects(
        words in proptest::collection::vec(
            "how|do|you|is|it|What|WHO|the|qué|cómo|and|so|Okay|seriously|shouldn't|'did'|\"Is|\
             @x|#y|[a-z]{1,11}|-|\u{A0}|é|don’t|[.,;:!()']", 0..8),
        separator in " |  |\t|\u{A0}|\u{2003}",
        sentence_start in any::<bool>(),
    ) {
        let clause = words.join(&separator);
        let fully = clause_opens_question_fully(&clause, sentence_start);
        prop_assert!(!(first_word::rejects(&clause) && fully), "{:?}", clause);
        prop_assert_eq!(clause_opens_question(&clause, sentence_start), fully);
    }

    /// The faster scan decides as the first version did.
    #[test]
    fn question_scan_equals_the_first_version(
        words in proptest::collection::vec(
            "how|do|you|is|it|What|who|the|qué|cómo|and|so|@x|#y|https://t\\.co/q\\?x|www\\.a\\.org/b|[.,;:!?¿？؟…—()]|¿|é|ÿ|\\?", 0..14),
        separator in " |  |\t|\n"
    ) {
        let text = words.join(&separator);
        prop_assert_eq!(is_question(&text), as_before(&text));
    }
}
