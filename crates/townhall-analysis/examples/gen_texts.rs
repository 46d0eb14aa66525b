//! The 20,000-text benchmark input without building the whole workspace: the same texts, in the same
//! order, as `townhall-bench gen-texts` (same corpus, same seed, the same random generator as its
//! `fastrand` 2 `Rng`, reproduced here so that this crate needs no new dependency):
//! `cargo run --release -p townhall-analysis --example gen_texts -- --n 20000 --out bench/out/texts-20k.txt --shared ../shared/data`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// fastrand 2's wyrand generator and its `usize(..n)` (Lemire's multiply-shift with rejection).
struct Rng(u64);

impl Rng {
    fn gen_u64(&mut self) -> u64 {
        let s = self.0.wrapping_add(0x2d35_8dcc_aa6c_78a5);
        self.0 = s;
        let t = u128::from(s) * u128::from(s ^ 0x8bb8_4b93_962e_acc9);
        (t as u64) ^ (t >> 64) as u64
    }

    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let mul_high = |a: u64, b: u64| ((u128::from(a) * u128::from(b)) >> 64) as u64;
        let mut r = self.gen_u64();
        let mut hi = mul_high(r, n);
        let mut lo = r.wrapping_mul(n);
        if lo < n {
            let t = n.wrapping_neg() % n;
            while lo < t {
                r = self.gen_u64();
                hi = mul_high(r, n);
                lo = r.wrapping_mul(n);
            }
        }
        hi as usize
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The benchmark corpus of `bench/harness/src/generate.rs`, in its order.
fn corpus(shared: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    let gov: Vec<serde_json::Value> = serde_json::from_str(&read(
        &shared.join("govposts/congresstweets-2017-06-21.json"),
    ))
    .expect("govposts JSON");
    texts.extend(
        gov.iter()
            .filter_map(|p| p["text"].as_str().map(str::to_string)),
    );
    for entry in std::fs::read_dir(shared.join("publicreplies")).expect("publicreplies") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let thread: serde_json::Value =
                serde_json::from_str(&read(&path)).expect("thread JSON");
            for reply in thread["replies"].as_array().into_iter().flatten() {
                if let Some(t) = reply[8].as_str() {
                    texts.push(t.to_string());
                }
            }
        }
    }
    let reviews = read(&shared.join("sentiment/movieReviewSnippets_GroundTruth.txt"));
    for line in reviews.lines() {
        if let Some(t) = line.trim_end_matches('\r').splitn(3, '\t').nth(2) {
            texts.push(t.to_string());
        }
    }
    let langid = read(&shared.join("langid/testset-dev.tsv"));
    for line in langid.lines() {
        let mut parts = line.splitn(3, '\t');
        if let (Some(_), Some("sentences"), Some(t)) = (parts.next(), parts.next(), parts.next()) {
            texts.push(t.to_string());
        }
    }
    assert!(!texts.is_empty(), "no texts under {}", shared.display());
    texts
}

fn main() {
    let (mut n, mut out, mut shared, mut seed) = (
        20_000usize,
        PathBuf::from("bench/out/texts-20k.txt"),
        PathBuf::from("../shared/data"),
        7u64,
    );
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--n" => n = value.parse().expect("--n is a number"),
            "--out" => out = value.into(),
            "--shared" => shared = value.into(),
            "--seed" => seed = value.parse().expect("--seed is a number"),
            other => panic!("unknown flag {other}"),
        }
    }
    let texts = corpus(&shared);
    let mut rng = Rng(seed);
    let mut w = BufWriter::new(std::fs::File::create(&out).expect("output file"));
    for _ in 0..n {
        let text = &texts[rng.below(texts.len())];
        writeln!(w, "{}", text.replace(['\n', '\r'], " ")).expect("write");
    }
    w.flush().expect("flush");
    eprintln!(
        "wrote {n} texts to {} (from {} real texts)",
        out.display(),
        texts.len()
    );
}
