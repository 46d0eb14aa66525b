#![allow(clippy::unwrap_used, clippy::expect_used)]
use townhall_analysis::sentiment::vader;
#[test]
fn fuzz() {
    let text = std::fs::read_to_string("/tmp/fuzz.jsonl").unwrap();
    let mut bad = 0;
    let mut n = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["text"].as_str().unwrap();
        let g = vader().polarity_scores(t);
        let d = [(g.compound - v["compound"].as_f64().unwrap()).abs(), (g.pos - v["pos"].as_f64().unwrap()).abs(), (g.neu - v["neu"].as_f64().unwrap()).abs(), (g.neg - v["neg"].as_f64().unwrap()).abs()].into_iter().fold(0.0, f64::max);
        n += 1;
        if d > 1e-6 { bad += 1; if bad <= 10 { println!("{t:?} {v} {g:?}"); } }
    }
    println!("{n} texts, {bad} mismatches");
}
