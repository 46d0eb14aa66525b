//! `char::is_alphabetic`, `char::is_alphanumeric` and a caseless test, with the Basic Multilingual Plane
//! read from bitmaps that `build.rs` derives from the standard library's own functions: the same answers,
//! but a bit test instead of the library's table searches (hundreds of instructions per non-ASCII
//! character), which the per-character loops of language detection, sentiment and key phrases spent much
//! of their time in.

include!(concat!(env!("OUT_DIR"), "/char_classes.rs"));

fn in_bitmap(bitmap: &[u64; 1024], code: u32) -> bool {
    bitmap[(code / 64) as usize] & (1 << (code % 64)) != 0
}

/// Exactly `c.is_alphabetic()`.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    let code = u32::from(c);
    if code < 0x80 {
        c.is_ascii_alphabetic()
    } else if code < 0x1_0000 {
        in_bitmap(&ALPHABETIC_BMP, code)
    } else {
        c.is_alphabetic()
    }
}

/// Exactly `c.is_alphanumeric()`.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    let code = u32::from(c);
    if code < 0x80 {
        c.is_ascii_alphanumeric()
    } else if code < 0x1_0000 {
        in_bitmap(&ALPHABETIC_BMP, code) || in_bitmap(&NUMERIC_BMP, code)
    } else {
        c.is_alphanumeric()
    }
}

/// A character that is neither lower- nor upper-case and that `to_lowercase` leaves as it is (most
/// letters of caseless scripts: Arabic, Devanagari, Han…). `false` for every other character, and for
/// characters beyond the BMP (not known here: the caller takes its general path).
#[inline]
pub(crate) fn is_caseless(c: char) -> bool {
    let code = u32::from(c);
    code < 0x1_0000 && in_bitmap(&CASELESS_BMP, code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bitmaps_agree_with_the_standard_library_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if super::is_caseless(c) {
                assert!(!c.is_lowercase() && !c.is_uppercase(), "{c:?}");
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
            }
        }
    }
}
