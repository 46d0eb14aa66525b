//! Merges lingua's 17 n-gram probability models (the `lingua-*-language-model` crates, compiled in as
//! build-dependencies, so nothing is downloaded) into one table in which a single look-up of an n-gram
//! yields the log-probability of every language, and writes it to OUT_DIR for `include_bytes!`.
//! The layout is described in `src/language/table_format.rs`; the reader is `src/language/ngram_table.rs`.

#[path = "src/language/table_format.rs"]
mod table_format;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

use fst::Streamer;
use table_format::{
    key_bits, mix, CHAR_BITS, MASK_BYTES, MAX_ORDER, UNIGRAM_KEY_BITS, VALUE_SCALE,
};

/// The models in the order of `language::SUPPORTED_LANGUAGES` (bit i of a mask is language i).
fn models() -> [(&'static str, Option<&'static [u8]>); 17] {
    const NGRAMS: &str = "ngrams.fst";
    [
        (
            "ar",
            lingua_arabic_language_model::ARABIC_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "de",
            lingua_german_language_model::GERMAN_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "en",
            lingua_english_language_model::ENGLISH_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "es",
            lingua_spanish_language_model::SPANISH_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "fa",
            lingua_persian_language_model::PERSIAN_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "fr",
            lingua_french_language_model::FRENCH_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "hi",
            lingua_hindi_language_model::HINDI_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "it",
            lingua_italian_language_model::ITALIAN_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "ja",
            lingua_japanese_language_model::JAPANESE_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "ko",
            lingua_korean_language_model::KOREAN_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "pl",
            lingua_polish_language_model::POLISH_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "pt",
            lingua_portuguese_language_model::PORTUGUESE_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "ru",
            lingua_russian_language_model::RUSSIAN_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "tl",
            lingua_tagalog_language_model::TAGALOG_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "ur",
            lingua_urdu_language_model::URDU_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "vi",
            lingua_vietnamese_language_model::VIETNAMESE_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
        (
            "zh",
            lingua_chinese_language_model::CHINESE_MODELS_DIRECTORY
                .get_file(NGRAMS)
                .map(|f| f.contents()),
        ),
    ]
}

/// One n-gram of the merged table: which languages know it and their quantised log-probabilities.
#[derive(Clone)]
struct Entry {
    mask: u32,
    values: [u16; 17],
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/language/table_format.rs");
    let out_dir = std::env::var("OUT_DIR")?;
    let out_dir = Path::new(&out_dir);
    write_char_classes(out_dir)?;

    let mut maps = Vec::new();
    for (code, bytes) in models() {
        let bytes = bytes.ok_or_else(|| format!("lingua model for {code} has no ngrams.fst"))?;
        maps.push(fst::Map::new(bytes)?);
    }

    // Character ids: those in n-grams of order ≥ 2 first (they must fit CHAR_BITS), then unigram-only ones.
    let mut in_longer = BTreeSet::new();
    let mut all_chars = BTreeSet::new();
    for map in &maps {
        let mut stream = map.stream();
        while let Some((key, _)) = stream.next() {
            let ngram = std::str::from_utf8(key)?;
            all_chars.extend(ngram.chars());
            if ngram.chars().count() >= 2 {
                in_longer.extend(ngram.chars());
            }
        }
    }
    let mut char_ids: HashMap<char, u64> = HashMap::new();
    for c in in_longer.iter().chain(all_chars.difference(&in_longer)) {
        char_ids.insert(*c, char_ids.len() as u64);
    }
    if in_longer.len() > 1 << CHAR_BITS || all_chars.len() > 1 << UNIGRAM_KEY_BITS {
        return Err(format!(
            "{} characters in longer n-grams / {} in all: raise CHAR_BITS / UNIGRAM_KEY_BITS",
            in_longer.len(),
            all_chars.len()
        )
        .into());
    }

    // Merge: per order, packed key -> entry.
    let mut orders: Vec<HashMap<u64, Entry>> = vec![HashMap::new(); MAX_ORDER];
    for (language, map) in maps.iter().enumerate() {
        let mut stream = map.stream();
        while let Some((key, bits)) = stream.next() {
            let ngram = std::str::from_utf8(key)?;
            let mut packed = 0u64;
            let mut order = 0;
            for c in ngram.chars() {
                packed |= char_ids[&c] << (CHAR_BITS as usize * order);
                order += 1;
            }
            if !(1..=MAX_ORDER).contains(&order) {
                return Err(format!("n-gram {ngram:?} has {order} characters").into());
            }
            let log_probability = f64::from_bits(bits);
            let scaled = (-log_probability * VALUE_SCALE).round();
            if !(0.0..=f64::from(u16::MAX)).contains(&scaled) {
                return Err(
                    format!("log-probability {log_probability} of {ngram:?} out of range").into(),
                );
            }
            let entry = orders[order - 1].entry(packed).or_insert(Entry {
                mask: 0,
                values: [0; 17],
            });
            entry.mask |= 1 << language;
            entry.values[language] = scaled as u16;
        }
    }

    // The scorer relies on the merged table being prefix-closed per language: every language whose
    // model holds an n-gram holds its prefix one character shorter (lingua's models are built so).
    for order in 2..=MAX_ORDER {
        let prefix_bits = CHAR_BITS as usize * (order - 1);
        for (packed, entry) in &orders[order - 1] {
            let prefix = packed & ((1u64 << prefix_bits) - 1);
            let prefix_mask = orders[order - 2].get(&prefix).map_or(0, |e| e.mask);
            if entry.mask & !prefix_mask != 0 {
                return Err(format!(
                    "n-gram {packed:#x} of order {order}: languages {:#x} lack its prefix",
                    entry.mask & !prefix_mask
                )
                .into());
            }
        }
    }

    let mut generated =
        String::from("// Generated by build.rs from lingua's language models: do not edit.\n\n");
    writeln!(
        generated,
        "/// Characters with ids below this occur in n-grams of order 2 to 5."
    )?;
    writeln!(
        generated,
        "pub(super) const LONGER_NGRAM_CHARS: u32 = {};",
        in_longer.len()
    )?;
    writeln!(
        generated,
        "pub(super) static ORDER_TABLES: [OrderTable; {MAX_ORDER}] = ["
    )?;
    for (index, entries) in orders.iter().enumerate() {
        let order = index + 1;
        let bits = key_bits(order);
        // About three n-grams per bucket, and a remainder of at most 32 bits.
        let mut bucket_bits = 1;
        while (1usize << bucket_bits) * 3 < entries.len() {
            bucket_bits += 1;
        }
        bucket_bits = bucket_bits.max(bits.saturating_sub(32)).min(bits);
        let remainder_bits = bits - bucket_bits;
        let mut buckets: BTreeMap<u64, Vec<(u32, &Entry)>> = BTreeMap::new();
        for (packed, entry) in entries {
            let mixed = mix(*packed, bits);
            let remainder = (mixed & ((1u64 << remainder_bits) - 1)) as u32;
            buckets
                .entry(mixed >> remainder_bits)
                .or_default()
                .push((remainder, entry));
        }
        let mut directory = Vec::with_capacity(4 << bucket_bits);
        let mut records = Vec::new();
        for bucket in 0..(1u64 << bucket_bits) {
            directory.extend_from_slice(&(records.len() as u32).to_le_bytes());
            let Some(members) = buckets.get_mut(&bucket) else {
                continue;
            };
            members.sort_by_key(|(remainder, _)| *remainder);
            if members.len() > usize::from(u8::MAX) {
                return Err(format!("bucket with {} n-grams", members.len()).into());
            }
            records.push(members.len() as u8);
            for (remainder, _) in members.iter() {
                records.extend_from_slice(&remainder.to_le_bytes());
            }
            for (_, entry) in members.iter() {
                records.extend_from_slice(&entry.mask.to_le_bytes()[..MASK_BYTES]);
            }
            for (_, entry) in members.iter() {
                for (language, value) in entry.values.iter().enumerate() {
                    if entry.mask & (1 << language) != 0 {
                        records.extend_from_slice(&value.to_le_bytes());
                    }
                }
            }
        }
        directory.extend_from_slice(&(records.len() as u32).to_le_bytes());
        let directory_file = format!("ngrams-{order}-directory.bin");
        let records_file = format!("ngrams-{order}-records.bin");
        std::fs::write(out_dir.join(&directory_file), &directory)?;
        std::fs::write(out_dir.join(&records_file), &records)?;
        writeln!(
            generated,
            "    OrderTable {{ key_bits: {bits}, bucket_bits: {bucket_bits}, \
             directory: include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{directory_file}\")), \
             records: include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{records_file}\")) }},"
        )?;
    }
    writeln!(generated, "];")?;

    // Character ids by code point: a page index (u16 per 256 code points, 0 = no page) and the pages
    // (u16 per code point, 0 = not in the models, else id + 1).
    let mut page_index = vec![0u16; 0x11_0000 >> 8];
    let mut pages: Vec<u16> = Vec::new();
    let mut sorted: Vec<(char, u64)> = char_ids.into_iter().collect();
    sorted.sort();
    for (c, id) in sorted {
        let page = (c as usize) >> 8;
        if page_index[page] == 0 {
            pages.extend(std::iter::repeat_n(0, 256));
            page_index[page] = u16::try_from(pages.len() / 256)?;
        }
        let slot = (usize::from(page_index[page]) - 1) * 256 + (c as usize & 0xFF);
        pages[slot] = u16::try_from(id + 1)?;
    }
    let to_bytes = |words: &[u16]| {
        words
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect::<Vec<u8>>()
    };
    std::fs::write(out_dir.join("char-page-index.bin"), to_bytes(&page_index))?;
    std::fs::write(out_dir.join("char-pages.bin"), to_bytes(&pages))?;
    writeln!(
        generated,
        "pub(super) static CHAR_PAGE_INDEX: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/char-page-index.bin\"));"
    )?;
    writeln!(
        generated,
        "pub(super) static CHAR_PAGES: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/char-pages.bin\"));"
    )?;
    std::fs::write(out_dir.join("ngram_tables.rs"), generated)?;
    Ok(())
}

/// Bitmaps of the Basic Multilingual Plane's alphabetic, numeric and caseless characters, taken from the
/// standard library's own `char::is_alphabetic`, `char::is_numeric`, `is_lowercase`, `is_uppercase` and
/// `to_lowercase` (same toolchain, same Unicode version), for `src/chars.rs`: a bit test instead of the
/// library's table searches for every non-ASCII letter.
fn write_char_classes(out_dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut alphabetic = vec![0u64; 1024];
    let mut numeric = vec![0u64; 1024];
    let mut caseless = vec![0u64; 1024];
    for code in 0..0x1_0000u32 {
        if let Some(c) = char::from_u32(code) {
            let (word, bit) = ((code / 64) as usize, code % 64);
            if c.is_alphabetic() {
                alphabetic[word] |= 1 << bit;
            }
            if c.is_numeric() {
                numeric[word] |= 1 << bit;
            }
            let mut lowered = c.to_lowercase();
            if !c.is_lowercase()
                && !c.is_uppercase()
                && lowered.next() == Some(c)
                && lowered.next().is_none()
            {
                caseless[word] |= 1 << bit;
            }
        }
    }
    let mut generated = String::new();
    for (name, bits) in [
        ("ALPHABETIC_BMP", &alphabetic),
        ("NUMERIC_BMP", &numeric),
        ("CASELESS_BMP", &caseless),
    ] {
        writeln!(generated, "pub(crate) static {name}: [u64; 1024] = [")?;
        for word in bits {
            writeln!(generated, "    {word:#x},")?;
        }
        writeln!(generated, "];")?;
    }
    std::fs::write(out_dir.join("char_classes.rs"), generated)?;
    Ok(())
}
