//! Benchmark corpora resampled from the real texts in shared/data: government posts, the public's
//! replies, movie-review snippets and the multilingual sentences of the language-ID set.

use anyhow::Context;
use chrono::{Duration, TimeZone, Utc};
use std::io::{BufWriter, Write};
use std::path::Path;

/// (text, true when written by a government account)
fn corpus(shared: &Path) -> anyhow::Result<Vec<(String, bool)>> {
    let mut texts = Vec::new();
    let gov = std::fs::read_to_string(shared.join("govposts/congresstweets-2017-06-21.json"))
        .context("reading govposts")?;
    let gov: Vec<serde_json::Value> = serde_json::from_str(&gov)?;
    for post in gov {
        if let Some(t) = post["text"].as_str() {
            texts.push((t.to_string(), true));
        }
    }
    for entry in std::fs::read_dir(shared.join("publicreplies"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let thread: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
            for reply in thread["replies"].as_array().into_iter().flatten() {
                if let Some(t) = reply[8].as_str() {
                    texts.push((t.to_string(), false));
                }
            }
        }
    }
    let reviews =
        std::fs::read_to_string(shared.join("sentiment/movieReviewSnippets_GroundTruth.txt"))?;
    for line in reviews.lines() {
        if let Some(t) = line.trim_end_matches('\r').splitn(3, '\t').nth(2) {
            texts.push((t.to_string(), false));
        }
    }
    let langid = std::fs::read_to_string(shared.join("langid/testset-dev.tsv"))?;
    for line in langid.lines() {
        let mut parts = line.splitn(3, '\t');
        if let (Some(_), Some("sentences"), Some(t)) = (parts.next(), parts.next(), parts.next()) {
            texts.push((t.to_string(), false));
        }
    }
    anyhow::ensure!(
        !texts.is_empty(),
        "no texts found under {}",
        shared.display()
    );
    Ok(texts)
}

pub fn posts(shared: &Path, out: &Path, n: usize, seed: u64) -> anyhow::Result<()> {
    let texts = corpus(shared)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .context("start time")?;
    let tags = [
        "snap",
        "medicaid",
        "passport",
        "taxes",
        "veterans",
        "wildfire",
        "broadband",
    ];
    for i in 0..n {
        let (text, gov) = &texts[rng.usize(..texts.len())];
        // Resample: a real text, sometimes followed by a second one or a hashtag, so that
        // documents are not all verbatim copies.
        let mut body = text.clone();
        if rng.u8(..10) == 0 {
            body.push(' ');
            body.push_str(&texts[rng.usize(..texts.len())].0);
        }
        if rng.u8(..8) == 0 {
            body.push_str(" #");
            body.push_str(tags[rng.usize(..tags.len())]);
        }
        let author = if *gov {
            format!("agency{}", rng.u32(..40))
        } else {
            format!("user{}", rng.u32(..60_000))
        };
        let created = start + Duration::seconds(rng.i64(0..90 * 86_400));
        let reply_to = (!gov && rng.bool()).then(|| rng.usize(..i.max(1)).to_string());
        let record = serde_json::json!({
            "id": i.to_string(),
            "text": body,
            "created_at": created.to_rfc3339(),
            "author": author,
            "reply_to": reply_to,
        });
        serde_json::to_writer(&mut w, &record)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    eprintln!(
        "wrote {n} posts to {} (from {} real texts)",
        out.display(),
        texts.len()
    );
    Ok(())
}

pub fn texts(shared: &Path, out: &Path, n: usize, seed: u64) -> anyhow::Result<()> {
    let texts = corpus(shared)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    for _ in 0..n {
        let text = &texts[rng.usize(..texts.len())].0;
        writeln!(w, "{}", text.replace(['\n', '\r'], " "))?;
    }
    w.flush()?;
    Ok(())
}
