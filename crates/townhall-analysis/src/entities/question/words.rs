//! The word lists and word normalisation that the clause test reads.

/// Words that may precede the question proper: discourse markers, greetings, mentions.
pub(super) fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "but"
            | "so"
            | "ok"
            | "okay"
            | "well"
            | "also"
            | "then"
            | "hey"
            | "hi"
            | "hello"
            | "yes"
            | "no"
            | "yeah"
            | "yea"
            | "yo"
            | "lol"
            | "honestly"
            | "seriously"
            | "oh"
            | "um"
            | "uh"
            | "quick"
            | "question"
            | "sir"
            | "madam"
            | "maam"
            | "ma'am"
            | "really"
            | "now"
            | "wait"
            | "or"
            | "y"
            | "pero"
            | "entonces"
            | "oye"
            | "hola"
            | "bueno"
            | "o"
            | "pregunta"
            | "señor"
            | "señora"
            | "disculpe"
            | "perdón"
            | "perdon"
    )
}

/// Subjects after which an auxiliary-first clause is a yes/no question ("do you", "is there", "can anyone").
pub(super) fn is_subject_pronoun(word: &str) -> bool {
    matches!(
        word,
        "i" | "you"
            | "u"
            | "we"
            | "they"
            | "he"
            | "she"
            | "anyone"
            | "anybody"
            | "someone"
            | "somebody"
            | "everyone"
            | "everybody"
            | "y'all"
            | "yall"
            | "ya"
            | "ye"
            | "people"
            | "ppl"
            | "folks"
            | "nobody"
    )
}

/// Subjects that are fine after most auxiliaries but not after "do"/"have", where they mark an imperative
/// ("do it", "have some respect").
pub(super) fn is_other_subject(word: &str) -> bool {
    matches!(
        word,
        "it" | "there"
            | "this"
            | "that"
            | "these"
            | "those"
            | "the"
            | "my"
            | "your"
            | "our"
            | "their"
            | "his"
            | "her"
            | "its"
            | "any"
            | "anything"
            | "something"
            | "all"
            | "everything"
    )
}

pub(super) fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "is" | "are"
            | "was"
            | "were"
            | "am"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "would"
            | "should"
            | "will"
            | "shall"
            | "may"
            | "might"
            | "must"
            | "has"
            | "have"
            | "had"
            | "isn't"
            | "aren't"
            | "wasn't"
            | "weren't"
            | "don't"
            | "doesn't"
            | "didn't"
            | "can't"
            | "couldn't"
            | "wouldn't"
            | "shouldn't"
            | "won't"
            | "hasn't"
            | "haven't"
            | "hadn't"
            | "isnt"
            | "arent"
            | "dont"
            | "doesnt"
            | "didnt"
            | "cant"
            | "couldnt"
            | "wouldnt"
            | "shouldnt"
            | "wont"
    )
}

/// Lower-cased word with typographic apostrophes straightened; borrows when nothing changes, and lower-cases
/// a short ASCII word with capitals (the first word of most sentences) on the stack.
pub(super) fn normalize(word: &str) -> Lower<'_> {
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Lower::Borrowed(word);
        }
        if let Some(buffer) = Lower::short(word.as_bytes()) {
            return buffer;
        }
    }
    if word.chars().any(|c| c.is_uppercase() || c == '’') {
        Lower::Owned(
            word.chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase)
                .collect(),
        )
    } else {
        Lower::Borrowed(word)
    }
}

/// A word as [`normalize`] returns it.
pub(super) enum Lower<'a> {
    Borrowed(&'a str),
    /// ASCII, lower-cased, in the first `len` bytes.
    Short {
        bytes: [u8; 16],
        len: usize,
    },
    Owned(String),
}

impl Lower<'_> {
    /// `word` (ASCII) lower-cased on the stack, if it fits.
    fn short(word: &[u8]) -> Option<Self> {
        let mut bytes = [0u8; 16];
        bytes.get_mut(..word.len())?.copy_from_slice(word);
        bytes.make_ascii_lowercase();
        Some(Lower::Short {
            bytes,
            len: word.len(),
        })
    }
}

impl Default for Lower<'_> {
    fn default() -> Self {
        Lower::Borrowed("")
    }
}

impl std::ops::Deref for Lower<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Lower::Borrowed(word) => word,
            // Only ASCII bytes are stored.
            Lower::Short { bytes, len } => {
                std::str::from_utf8(bytes.get(..*len).unwrap_or_default()).unwrap_or_default()
            }
            Lower::Owned(word) => word,
        }
    }
}

pub(super) fn starts_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `normalize` as first written: a new `String` whenever a character changes.
    fn normalize_as_before(word: &str) -> std::borrow::Cow<'_, str> {
        if word.chars().any(|c| c.is_uppercase() || c == '’') {
            std::borrow::Cow::Owned(
                word.chars()
                    .map(|c| if c == '’' { '\'' } else { c })
                    .flat_map(char::to_lowercase)
                    .collect(),
            )
        } else {
            std::borrow::Cow::Borrowed(word)
        }
    }

    proptest! {
        /// Lower-casing short ASCII words on the stack gives the words the first version gave.
        #[test]
        fn normalize_equals_the_first_version(word in "[a-zA-Z0-9']{0,20}|[a-zA-Z'’éÉİßΣ]{0,20}") {
            prop_assert_eq!(&*normalize(&word), &*normalize_as_before(&word));
        }
    }
}
