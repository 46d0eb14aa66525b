//! Personal data in post text: e-mail addresses, US phone numbers, US social security numbers and US street
//! addresses. Detection favours precision: tweet ids, dates, prices and version numbers must not be flagged.

use once_cell::sync::Lazy;
use regex::Regex;
use townhall_core::{PersonalDataKind, PersonalDataMatch};

use crate::entities::compile;

static EMAIL_RE: Lazy<Regex> = Lazy::new(|| {
    compile(
        r"(?i)[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}(?-u:\b)",
    )
});

/// NANP numbers: optional +1/1, area code (bracketed or not), exchange and line with a separator between the
/// groups — ten bare digits are too often ids. "+1" followed by ten digits is unambiguous, so it is allowed.
/// Area code and exchange start with 2–9. An extension ("ext. 12", "x12") belongs to the number.
static PHONE_RE: Lazy<Regex> = Lazy::new(|| {
    compile(
        r"(?ix)
        (?:
            (?:\+1[\s.-]?|(?-u:\b)1[\s.-])?
            (?:\(\s?[2-9][0-9]{2}\s?\)[\s.-]?|(?-u:\b)[2-9][0-9]{2}[\s.-])
            [2-9][0-9]{2}[\s.-][0-9]{4}
          | \+1[2-9][0-9]{2}[2-9][0-9]{6}
        )
        (?:\s?(?:ext\.?|extension|x)\s?[0-9]{1,5})?
        ",
    )
});

/// 123-45-6789. Spaces or no separator only after an explicit SSN label (see `LABELLED_SSN_RE`).
static SSN_RE: Lazy<Regex> =
    Lazy::new(|| compile(r"(?-u:\b)([0-9]{3})-([0-9]{2})-([0-9]{4})(?-u:\b)"));

static LABELLED_SSN_RE: Lazy<Regex> = Lazy::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:ssn|ss#|social security(?: number| no\.?| num\.?| #)?)\s*(?:is|:|#|-)?\s*(([0-9]{3})[ -]?([0-9]{2})[ -]?([0-9]{4}))(?-u:\b)",
    )
});

/// House number, one to five capitalised (or ordinal) name words, a street suffix, optional direction, unit
/// and ", City, ST 12345". Name words must be capitalised so that "3 blocks down the street" is not an address.
static STREET_ADDRESS_RE: Lazy<Regex> = Lazy::new(|| {
    compile(
        r"(?x)
        (?-u:\b)[0-9]{1,6}[A-Za-z]?\s+
        (?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?
        (?:(?:[A-Z][A-Za-z'-]*\.?|[0-9]{1,3}(?:st|nd|rd|th))\s+){1,5}
        (?i:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Way|Terrace|Ter
            |Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Trl|Plaza|Plz|Alley|Aly|Broadway|Pike|Row
            |Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)(?-u:\b)\.?
        (?:\s+(?:NW|NE|SW|SE|N|S|E|W)(?-u:\b)\.?)?
        (?:,?\s+(?i:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room)\.?\s*\#?\s*[A-Za-z0-9-]+|,?\s+\#\s?[0-9]+[A-Za-z]?)?
        (?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},?\s+[A-Z]{2}(?:\s+[0-9]{5}(?:-[0-9]{4})?)?(?-u:\b))?
        ",
    )
});

static PO_BOX_RE: Lazy<Regex> =
    Lazy::new(|| compile(r"(?i)(?-u:\b)P\.?\s?O\.?\s+Box\s+[0-9]{1,6}(?-u:\b)"));

/// All personal data in `text`: byte spans on char boundaries, sorted, non-overlapping. Where two findings
/// overlap the earlier one wins, and of two starting together the longer.
pub fn find(text: &str) -> Vec<PersonalDataMatch> {
    let mut found = Vec::new();
    if text.contains('@') {
        for m in EMAIL_RE.find_iter(text) {
            // "@user@mastodon.social" is a fediverse handle, not an address.
            if !text[..m.start()].ends_with('@') {
                found.push(span(PersonalDataKind::Email, m.start(), m.end()));
            }
        }
    }
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 9 {
        find_ssns(text, &mut found);
        for m in PHONE_RE.find_iter(text) {
            if standalone_number(text, m.start(), m.end()) {
                found.push(span(PersonalDataKind::Phone, m.start(), m.end()));
            }
        }
    }
    if digits >= 1 {
        find_addresses(text, &mut found);
    }
    resolve_overlaps(found)
}

/// Street addresses and PO boxes, each pattern run only where the text has what every match of it needs.
fn find_addresses(text: &str, found: &mut Vec<PersonalDataMatch>) {
    let streets = may_hold_street_address(text).then(|| STREET_ADDRESS_RE.find_iter(text));
    let boxes = may_hold_po_box(text).then(|| PO_BOX_RE.find_iter(text));
    for m in streets
        .into_iter()
        .flatten()
        .chain(boxes.into_iter().flatten())
    {
        if standalone_number(text, m.start(), m.end()) {
            found.push(span(PersonalDataKind::StreetAddress, m.start(), m.end()));
        }
    }
}

/// Whether `text` has what every match of [`STREET_ADDRESS_RE`] starts with: a digit, at most one ASCII
/// letter, whitespace, then a capital letter or a digit (a direction, a capitalised name word or an
/// ordinal comes next). Most posts with numbers ("2024 was", "10 minutes") have none.
fn may_hold_street_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(u8::is_ascii_digit) {
        let mut next = at + offset + 1;
        if bytes.get(next).is_some_and(u8::is_ascii_alphabetic) {
            next += 1;
        }
        let rest = &text[next..];
        let after_space = rest.trim_start();
        if after_space.len() < rest.len()
            && after_space
                .as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return true;
        }
        at = next;
    }
    false
}

/// Whether `text` holds "box" in any case, as every match of [`PO_BOX_RE`] does.
fn may_hold_po_box(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"box"))
}

fn find_ssns(text: &str, found: &mut Vec<PersonalDataMatch>) {
    for caps in SSN_RE.captures_iter(text) {
        let (Some(whole), Some(area), Some(group), Some(serial)) =
            (caps.get(0), caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        if valid_ssn(area.as_str(), group.as_str(), serial.as_str())
            && standalone_number(text, whole.start(), whole.end())
        {
            found.push(span(PersonalDataKind::Ssn, whole.start(), whole.end()));
        }
    }
    for caps in LABELLED_SSN_RE.captures_iter(text) {
        let (Some(number), Some(area), Some(group), Some(serial)) =
            (caps.get(1), caps.get(2), caps.get(3), caps.get(4))
        else {
            continue;
        };
        if valid_ssn(area.as_str(), group.as_str(), serial.as_str())
            && standalone_number(text, number.start(), number.end())
        {
            found.push(span(PersonalDataKind::Ssn, number.start(), number.end()));
        }
    }
}

/// The SSA never issues area 000, 666 or 900–999, group 00 or serial 0000.
fn valid_ssn(area: &str, group: &str, serial: &str) -> bool {
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

/// Rejects numbers that are part of something longer: an id, a price, a version or a dotted/dashed series
/// ("$555.123.4567", "v1.555.123.4567", "555-123-4567-89").
fn standalone_number(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| {
        c.is_ascii_digit() || c.is_alphabetic() || matches!(c, '$' | '€' | '£' | '_' | '/')
    }) {
        return false;
    }
    let mut before_two = text[..start].chars().rev();
    if let (Some(sep), Some(prev)) = (before_two.next(), before_two.next()) {
        if matches!(sep, '.' | '-' | ',' | ':') && prev.is_ascii_digit() {
            return false;
        }
    }
    let mut after = text[end..].chars();
    match (after.next(), after.next()) {
        (Some(c), _) if c.is_ascii_digit() || c == '_' => false,
        (Some('.' | '-' | ',' | ':' | '/'), Some(d)) if d.is_ascii_digit() => false,
        _ => true,
    }
}

fn span(kind: PersonalDataKind, start: usize, end: usize) -> PersonalDataMatch {
    PersonalDataMatch { kind, start, end }
}

fn resolve_overlaps(mut found: Vec<PersonalDataMatch>) -> Vec<PersonalDataMatch> {
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<PersonalDataMatch> = Vec::with_capacity(found.len());
    for m in found {
        if kept.last().is_none_or(|last| m.start >= last.end) {
            kept.push(m);
        }
    }
    kept
}

/// The placeholder that replaces a span of `kind` in redacted text.
pub fn placeholder(kind: PersonalDataKind) -> &'static str {
    match kind {
        PersonalDataKind::Email => "[email]",
        PersonalDataKind::Phone => "[phone]",
        PersonalDataKind::Ssn => "[ssn]",
        PersonalDataKind::StreetAddress => "[address]",
    }
}

/// Replaces each found span with a placeholder such as "[email]". Spans that are out of range, not on char
/// boundaries or overlapping an earlier span are ignored, so stale matches cannot corrupt the text.
pub fn redact(text: &str, found: &[PersonalDataMatch]) -> String {
    let mut spans: Vec<&PersonalDataMatch> = found.iter().collect();
    spans.sort_by_key(|m| (m.start, m.end));
    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0;
    for m in spans {
        if m.start < copied_to || m.start >= m.end || text.get(m.start..m.end).is_none() {
            continue;
        }
        out.push_str(&text[copied_to..m.start]);
        out.push_str(placeholder(m.kind));
        copied_to = m.end;
    }
    out.push_str(&text[copied_to..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The prefilters never skip a text the patterns match.
        #[test]
        fn prefilters_pass_every_match(
            text in "([0-9]{1,4}|[A-Za-z]{1,6}|[ \t\u{a0}\u{2003},.#]|Main|St|Ave|N|North|PO|P\\.O\\.|Box|box|BOX|1st|Apt|é){0,14}"
        ) {
            if STREET_ADDRESS_RE.is_match(&text) {
                prop_assert!(may_hold_street_address(&text), "{text:?}");
            }
            if PO_BOX_RE.is_match(&text) {
                prop_assert!(may_hold_po_box(&text), "{text:?}");
            }
        }
    }

    proptest! {
        /// Address-shaped text (every one a match) passes the prefilters, amid any other text.
        #[test]
        fn prefilters_pass_addresses_amid_text(
            before in "[a-z0-9 ,.]{0,12}",
            address in "[1-9][0-9]{0,4}[a-zA-Z]?[ \t\u{a0}\u{2003}]{1,2}(N |North |SW\\. |)(Main|[A-Z][a-z]{1,6}|1st|22nd) (St|Street|Ave|Rd|Way|BLVD)",
            boxed in "(P\\.?O\\.?|p\\.o\\.|PO|P\\. O\\.) (Box|BOX|box) [0-9]{1,5}",
            after in "[a-z ,.]{0,12}",
        ) {
            let text = format!("{before} {address}{after} {boxed}");
            prop_assert!(STREET_ADDRESS_RE.is_match(&address), "{address:?}");
            prop_assert!(PO_BOX_RE.is_match(&boxed), "{boxed:?}");
            prop_assert!(may_hold_street_address(&text), "{text:?}");
            prop_assert!(may_hold_po_box(&text), "{text:?}");
        }
    }

    #[test]
    fn prefilters_skip_numbers_that_start_no_address() {
        assert!(!may_hold_street_address("10 minutes past 2024, at 3pm"));
        assert!(may_hold_street_address("12 Main Street"));
        assert!(may_hold_street_address("12b\u{a0}Main Street"));
        assert!(!may_hold_po_box("no post office here"));
        assert!(may_hold_po_box("P.O. BOX 12"));
    }
}
