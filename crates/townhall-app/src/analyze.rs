//! Analysis of free text on all cores (for `townhall analyze` and the API).

use rayon::prelude::*;
use townhall_core::{cap_text, Analysis};

/// Analyse `(text, declared language)` pairs in parallel, keeping their order.
pub fn analyze_batch(texts: &[(&str, Option<&str>)]) -> Vec<Analysis> {
    texts
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| {
            let capped: Vec<(String, Option<&str>)> = chunk
                .iter()
                .map(|(text, lang)| (cap_text(text.to_string()), *lang))
                .collect();
            let posts: Vec<(&str, Option<&str>)> = capped
                .iter()
                .map(|(text, lang)| (text.as_str(), *lang))
                .collect();
            townhall_analysis::analyze_many(&posts)
        })
        .collect()
}

/// Texts analysed together, component by component (`townhall_analysis::analyze_many`).
const CHUNK: usize = 128;
