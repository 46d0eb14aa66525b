//! "Is this person asking something?" — a question mark outside links, or a clause that opens the way
//! questions open in English or Spanish ("how do I renew my passport", "cuándo abre la oficina").

use super::{inside, url_spans};

mod asking;
mod first_word;
mod prefilter;
mod words;

use words::{
    is_auxiliary, is_filler, is_other_subject, is_subject_pronoun, normalize, starts_capitalised,
    Lower,
};

/// Characters that end a clause; a comma ends a clause too, but see [`Boundary`].
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | ';' | ':' | '\n' | '\r' | ',' | '…' | '—' | '–' | '(' | ')' | '¡' | '|'
    )
}

/// Whether the author asks something: a `?` (or `¿`, `？`, `؟`) outside URLs, or a clause that opens like a
/// question in English or Spanish. Rhetorical questions count: intent cannot be read from text.
pub fn is_question(text: &str) -> bool {
    is_question_with(text, &url_spans(text))
}

/// [`is_question`] given the text's [`url_spans`] (computed once per post by `analyze`).
pub(crate) fn is_question_with(text: &str, urls: &[(usize, usize)]) -> bool {
    prefilter::any_question_mark(text, |i| !inside(urls, i))
        || asking::asks(text)
        || clauses_open_question(text, urls)
}

/// Bytes that may start a character of [`ends_clause`]: the ASCII ones and the lead bytes of '…', '—',
/// '–' (E2) and '¡' (C2). Lead bytes are never continuation bytes, so each hit is a character boundary.
static MAY_END_CLAUSE: [bool; 256] = {
    let mut table = [false; 256];
    let ascii = b".!;:\n\r,()|";
    let mut k = 0;
    while k < ascii.len() {
        table[ascii[k] as usize] = true;
        k += 1;
    }
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

/// The clauses of the text (split at [`ends_clause`] characters and at links), each tested by
/// [`clause_opens_question`]. Jumps from one possible clause end or link to the next instead of visiting
/// every character.
fn clauses_open_question(text: &str, urls: &[(usize, usize)]) -> bool {
    let bytes = text.as_bytes();
    let mut sentence_start = true;
    let mut clause_start = 0;
    // The URLs are sorted and do not overlap: the next one to meet is tracked instead of searched for.
    let mut next_url = 0;
    let mut at = 0;
    loop {
        // The first link starting at or after `at` (links starting earlier were skipped over).
        while urls.get(next_url).is_some_and(|&(start, _)| start < at) {
            next_url += 1;
        }
        let url = urls.get(next_url).copied();
        let ender = bytes
            .get(at..)
            .and_then(|rest| rest.iter().position(|&b| MAY_END_CLAUSE[usize::from(b)]))
            .map(|offset| at + offset);
        match (url, ender) {
            (Some((start, url_end)), _) if ender.is_none_or(|i| start <= i) => {
                next_url += 1;
                if clause_opens_question(&text[clause_start..start], sentence_start) {
                    return true;
                }
                // Skip the link: the next character is the first one at or after its end.
                at = url_end.max(start + 1);
                while !text.is_char_boundary(at) && at < bytes.len() {
                    at += 1;
                }
                clause_start = url_end;
                sentence_start = true;
            }
            (_, Some(i)) => {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                at = i + c.len_utf8();
                if ends_clause(c) {
                    if clause_opens_question(&text[clause_start..i], sentence_start) {
                        return true;
                    }
                    clause_start = i + c.len_utf8();
                    sentence_start = !matches!(c, ',' | ';' | '(' | ')' | '—' | '–');
                }
            }
            _ => break,
        }
    }
    clause_opens_question(&text[clause_start..], sentence_start)
}

/// Where a clause starts and what was skipped before its first word.
struct Opening<'a> {
    /// The first (up to) four words after fillers, lower-cased.
    words: [&'a str; 4],
    /// The same words as written.
    raw: [&'a str; 4],
    /// False after a comma or bracket, where "who/which/where/when" usually open a relative clause.
    sentence_start: bool,
    /// After a comma, a leading mention ("@AOC is the boss") or "so" ("so is the media"), an auxiliary is
    /// more often a verb whose subject came first; only a pronoun subject makes it a question then.
    strict: bool,
    /// Auxiliaries among the clause's first words, fillers included ("what happened is that …" has one).
    auxiliaries: usize,
}

/// Looks at the first words of a clause; most are settled by their first word alone.
fn clause_opens_question(clause: &str, sentence_start: bool) -> bool {
    !first_word::rejects(clause) && clause_opens_question_fully(clause, sentence_start)
}

/// [`clause_opens_question`] reading every word it needs.
fn clause_opens_question_fully(clause: &str, sentence_start: bool) -> bool {
    const MAX_WORDS: usize = 4;
    /// How far to look for a second auxiliary (pseudo-clefts: "what matters is …").
    const SCAN_WORDS: usize = 12;
    let mut raw: [&str; MAX_WORDS] = [""; MAX_WORDS];
    let mut words: [Lower<'_>; MAX_WORDS] = Default::default();
    let mut count = 0;
    let mut fillers = 0;
    let mut strict = !sentence_start;
    let mut auxiliaries = 0;
    for (scanned, token) in clause.split_whitespace().enumerate() {
        if scanned == SCAN_WORDS {
            break;
        }
        if count == 0 && (token.starts_with('@') || token.starts_with('#')) {
            strict = true;
            continue;
        }
        let word = token
            .trim_matches(|c: char| !(crate::chars::is_alphanumeric(c) || c == '\'' || c == '’'));
        if word.is_empty() {
            continue;
        }
        let lower = normalize(word);
        let l: &str = &lower;
        if is_auxiliary(l) || matches!(l, "what's" | "whats") {
            auxiliaries += 1;
        }
        if count == 0 && fillers < 3 && is_filler(l) {
            fillers += 1;
            strict |= matches!(l, "so" | "or");
            continue;
        }
        if count < MAX_WORDS {
            if count == 0 && !may_open_question(l) {
                // Neither `english_question` nor `spanish_question` accepts a clause that opens with
                // this word, whatever follows: no need to read on.
                return false;
            }
            raw[count] = word;
            words[count] = lower;
            count += 1;
        }
    }
    if count < 2 {
        return false;
    }
    let opening = Opening {
        words: [&*words[0], &*words[1], &*words[2], &*words[3]],
        raw,
        sentence_start,
        strict,
        auxiliaries,
    };
    english_question(&opening) || spanish_question(opening.words, sentence_start)
}

/// The words a question can open with: the first words that [`english_question`] or [`spanish_question`]
/// can accept (every other first word makes both return false).
fn may_open_question(first: &str) -> bool {
    matches!(
        first,
        // english_question
        "do" | "don't" | "dont" | "have" | "had" | "may" | "might" | "must" | "shall" | "am"
            | "will" | "won't" | "wont" | "is" | "are" | "was" | "were" | "does" | "did" | "can"
            | "could" | "would" | "should" | "has" | "isn't" | "aren't" | "wasn't" | "weren't"
            | "doesn't" | "didn't" | "can't" | "couldn't" | "wouldn't" | "shouldn't" | "hasn't"
            | "haven't" | "hadn't" | "isnt" | "arent" | "doesnt" | "didnt" | "cant" | "couldnt"
            | "wouldnt" | "shouldnt"
            | "anyone" | "anybody" | "somebody" | "someone" | "any"
            | "what's" | "whats" | "who's" | "whos" | "where's" | "wheres" | "when's" | "who'd"
            | "where'd" | "how's" | "hows" | "why's" | "whys" | "how'd" | "how'll" | "what'll"
            | "why'd" | "how" | "why" | "what" | "which" | "whose" | "who" | "whom" | "where"
            | "when"
            // spanish_question
            | "qué" | "cuándo" | "dónde" | "adónde" | "cuánto" | "cuánta" | "cuántos" | "cuántas"
            | "cuál" | "cuáles" | "quién" | "quiénes" | "cómo" | "por" | "como" | "donde"
            | "cuando" | "cuanto" | "cuanta" | "cuantos" | "cuantas" | "que" | "alguien" | "sabe"
            | "saben" | "sabes" | "sabía" | "sabían" | "sabias" | "sabian" | "puede" | "pueden"
            | "podría" | "podrían" | "podrias" | "podrías" | "puedes" | "hay"
    )
}

/// "it", "there", "this", "that": subjects that keep "so is this …" a question in strict position.
fn is_strict_subject(word: &str) -> bool {
    is_subject_pronoun(word) || matches!(word, "it" | "there" | "this" | "that")
}

fn english_question(o: &Opening<'_>) -> bool {
    let [first, second, third, fourth] = o.words;
    let sentence_start = o.sentence_start;
    // "What matters is …", "what's amazing is …": a second auxiliary after a wh-clause without a pronoun
    // subject marks a statement (pseudo-cleft), not a question.
    let pseudo_cleft = |subject: &str| o.auxiliaries >= 2 && !is_subject_pronoun(subject);
    match first {
        // Yes/no questions: auxiliary, then subject.
        "do" | "don't" | "dont" | "have" | "had" | "may" | "might" | "must" | "shall" | "am" => {
            is_subject_pronoun(second) || (first == "am" && second == "i")
        }
        "will" | "won't" | "wont" | "is" | "are" | "was" | "were" | "does" | "did" | "can"
        | "could" | "would" | "should" | "has" | "isn't" | "aren't" | "wasn't" | "weren't"
        | "doesn't" | "didn't" | "can't" | "couldn't" | "wouldn't" | "shouldn't" | "hasn't"
        | "haven't" | "hadn't" | "isnt" | "arent" | "doesnt" | "didnt" | "cant" | "couldnt"
        | "wouldnt" | "shouldnt" => {
            if o.strict {
                return is_strict_subject(second);
            }
            is_subject_pronoun(second)
                || is_other_subject(second)
                // "Did Cohen lie", "Is Trump …" — a capitalised name in a clause that is not all capitals;
                // "Will Smith" is more often a name than a question.
                || (!matches!(first, "will" | "won't" | "wont")
                    && starts_capitalised(o.raw[1])
                    && !o.raw[0].chars().skip(1).any(char::is_uppercase))
        }
        "anyone" | "anybody" | "somebody" | "someone" => matches!(
            second,
            "know" | "knows" | "else" | "have" | "got" | "seen" | "tried"
        ),
        "any" => matches!(
            second,
            "idea" | "ideas" | "update" | "updates" | "news" | "word" | "chance"
        ),
        "what's" | "whats" => {
            !pseudo_cleft(second) && (sentence_start || is_subject_pronoun(second))
        }
        "who's" | "whos" | "where's" | "wheres" | "when's" | "who'd" | "where'd" => sentence_start,
        "how's" | "hows" | "why's" | "whys" | "how'd" | "how'll" | "what'll" | "why'd" => true,
        "how" => {
            is_auxiliary(second)
                || matches!(second, "come" | "about" | "so")
                || (matches!(
                    second,
                    "much" | "many" | "long" | "often" | "far" | "old" | "soon" | "big"
                ) && (is_auxiliary(third) || is_auxiliary(fourth)))
        }
        "why" => is_auxiliary(second) || matches!(second, "not" | "no" | "on"),
        "what" if !sentence_start || o.strict => is_auxiliary(second) && is_subject_pronoun(third),
        "what" => {
            matches!(second, "about" | "if" | "else" | "now" | "gives")
                || (is_auxiliary(second) && !pseudo_cleft(third))
                || (matches!(second, "happened" | "happens") && !pseudo_cleft(second))
                || (!is_subject_pronoun(second)
                    && second != "people"
                    && is_auxiliary(third)
                    && !pseudo_cleft(fourth))
        }
        // "Which is why …" / "which is exactly …" continue a statement.
        "which" | "whose" => {
            sentence_start
                && ((is_auxiliary(second) && (is_strict_subject(third) || is_other_subject(third)))
                    || (!is_subject_pronoun(second) && is_auxiliary(third)))
        }
        "who" => sentence_start && !is_subject_pronoun(second) && !is_other_subject(second),
        "whom" | "where" | "when" => sentence_start && is_auxiliary(second),
        _ => false,
    }
}

fn spanish_question(w: [&str; 4], sentence_start: bool) -> bool {
    let [first, second, third, _] = w;
    match first {
        "qué" => !matches!(
            second,
            "bonito"
                | "bonita"
                | "lindo"
                | "linda"
                | "bien"
                | "mal"
                | "asco"
                | "horror"
                | "vergüenza"
                | "pena"
                | "bueno"
                | "buena"
                | "maravilla"
                | "hermoso"
                | "hermosa"
                | "triste"
                | "rico"
                | "rica"
                | "increíble"
                | "barbaridad"
                | "raro"
                | "feo"
                | "fea"
                | "lástima"
                | "orgullo"
                | "alegría"
                | "gusto"
                | "emoción"
                | "miedo"
                | "guapa"
                | "guapo"
                | "grande"
                | "gran"
        ),
        "cuándo" | "dónde" | "adónde" | "cuánto" | "cuánta" | "cuántos" | "cuántas" | "cuál"
        | "cuáles" | "quién" | "quiénes" => true,
        "cómo" => {
            !matches!(second, "me" | "te" | "nos") || matches!(third, "puedo" | "ayudan" | "ayuda")
        }
        "por" => matches!(second, "qué") || (sentence_start && second == "que"),
        // Accents are often dropped on social media; only unambiguous continuations count then.
        "como" => matches!(
            second,
            "hago" | "puedo" | "podemos" | "puedes" | "funciona" | "se" | "saco" | "pago"
        ),
        "donde" => matches!(
            second,
            "esta" | "está" | "están" | "estan" | "queda" | "puedo" | "hay" | "se"
        ),
        "cuando" => {
            sentence_start
                && matches!(
                    second,
                    "abre"
                        | "abren"
                        | "cierra"
                        | "cierran"
                        | "sera"
                        | "será"
                        | "empieza"
                        | "llega"
                        | "sale"
                )
        }
        "cuanto" | "cuanta" | "cuantos" | "cuantas" => matches!(
            second,
            "cuesta" | "cuestan" | "vale" | "tiempo" | "tarda" | "falta"
        ),
        "que" => {
            sentence_start
                && matches!(
                    second,
                    "hora"
                        | "paso"
                        | "pasó"
                        | "pasa"
                        | "hago"
                        | "significa"
                        | "opina"
                        | "opinas"
                        | "onda"
                )
        }
        "alguien" => matches!(
            second,
            "sabe" | "sabrá" | "tiene" | "conoce" | "puede" | "me" | "más" | "mas"
        ),
        "sabe" | "saben" | "sabes" | "sabía" | "sabían" | "sabias" | "sabian" => matches!(
            second,
            "alguien"
                | "si"
                | "usted"
                | "ustedes"
                | "cuándo"
                | "cuando"
                | "dónde"
                | "donde"
                | "cómo"
                | "como"
                | "qué"
        ),
        "puede" | "pueden" | "podría" | "podrían" | "podrias" | "podrías" | "puedes" => {
            matches!(
                second,
                "alguien"
                    | "usted"
                    | "ustedes"
                    | "decirme"
                    | "ayudarme"
                    | "explicarme"
                    | "me"
                    | "informarme"
            )
        }
        "hay" => matches!(
            second,
            "alguna" | "algún" | "algun" | "alguien" | "forma" | "manera"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
