//! Analysis of free text on all cores (for `townhall analyze` and the API).

use rayon::prelude::*;
use townhall_core::{cap_text, Analysis};

/// Analyse `(text, declared language)` pairs in parallel, keeping their order.
pub fn analyze_batch(texts: &[(&str, Option<&str>)]) -> Vec<Analysis> {
    texts
        .par_iter()
        .map(|(text, lang)| {
            let capped = cap_text(text.to_string());
            townhall_analysis::analyze(&capped, *lang)
        })
        .collect()
}
