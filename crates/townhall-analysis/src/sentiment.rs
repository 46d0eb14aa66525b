//! VADER sentiment (placeholder until the port lands).
use once_cell::sync::Lazy;
use townhall_core::Sentiment;
pub struct Vader;
static VADER: Lazy<Vader> = Lazy::new(|| Vader);
pub fn vader() -> &'static Vader { &VADER }
impl Vader { pub fn polarity_scores(&self, _text: &str) -> Sentiment { Sentiment::default() } }
