//! Language identification (placeholder until the detector lands).
use once_cell::sync::Lazy;
pub struct Detected { pub code: &'static str, pub confidence: f64 }
pub struct LanguageDetector;
static DETECTOR: Lazy<LanguageDetector> = Lazy::new(|| LanguageDetector);
pub fn detector() -> &'static LanguageDetector { &DETECTOR }
impl LanguageDetector { pub fn detect(&self, _text: &str, _declared: Option<&str>) -> Option<Detected> { None } }
