//! Accuracy and single-thread speed of Townhall's language detector against plain lingua (17 languages,
//! high accuracy, preloaded models) on a `language<TAB>kind<TAB>text` test set.
//!
//! cargo run --release -p townhall-analysis --example langid_eval -- /work/shared/data/langid/testset-dev.tsv
//! cargo run --release -p townhall-analysis --example langid_eval -- /work/shared/data/publicreplies

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use lingua::{Language, LanguageDetectorBuilder};
use townhall_analysis::language::{self, SUPPORTED_LANGUAGES};

const KINDS: [&str; 3] = ["single-words", "word-pairs", "sentences"];

struct Sample {
    language: String,
    kind: String,
    text: String,
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The first `MAX_EVIDENCE_CHARS` characters of cleaned text, as the detector cuts them.
fn evidence(cleaned: &str) -> &str {
    match cleaned.char_indices().nth(language::MAX_EVIDENCE_CHARS) {
        None => cleaned,
        Some((end, _)) => {
            let head = &cleaned[..end];
            match head.rfind(' ') {
                Some(space) if space > end / 2 => &head[..space],
                _ => head,
            }
        }
    }
}

/// Our reimplementation of lingua (its mode: trigrams only from 120 letters) alone, on the cleaned text
/// (no script rules of ours).
fn ngram_scorer_code(text: &str) -> Option<String> {
    let cleaned = language::clean_post(text);
    language::lingua_confidence_values(evidence(&cleaned))
        .first()
        .filter(|(_, confidence)| *confidence > 0.0)
        .map(|(code, _)| code.to_string())
}

fn lingua_code(language: Language) -> String {
    language.iso_code_639_1().to_string()
}

/// A detector under test: text in, ISO 639-1 code out.
type Detect<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Per (language, kind): (correct, total).
type Tally = BTreeMap<(String, String), (usize, usize)>;

fn macro_accuracy(tally: &Tally, kind: &str) -> f64 {
    let per_language: Vec<f64> = SUPPORTED_LANGUAGES
        .iter()
        .filter_map(|lang| tally.get(&(lang.to_string(), kind.to_string())))
        .map(|(correct, total)| *correct as f64 / *total as f64)
        .collect();
    100.0 * per_language.iter().sum::<f64>() / per_language.len() as f64
}

/// Run `detect` over the samples of each kind; returns the tally and seconds spent per kind.
fn evaluate(samples: &[Sample], detect: Detect<'_>) -> Tally {
    let mut tally = Tally::new();
    for sample in samples {
        let entry = tally
            .entry((sample.language.clone(), sample.kind.clone()))
            .or_insert((0, 0));
        entry.1 += 1;
        if detect(&sample.text).as_deref() == Some(sample.language.as_str()) {
            entry.0 += 1;
        }
    }
    tally
}

/// Seconds per kind for each detector, on one thread. The machine is shared, so the detectors take turns
/// (same conditions for both), each pass over all texts of a kind; the median of `ROUNDS` passes counts.
fn time_interleaved(
    samples: &[Sample],
    detectors: &[Detect<'_>],
) -> Vec<HashMap<&'static str, (f64, usize)>> {
    const ROUNDS: usize = 3;
    let mut timings = vec![HashMap::new(); detectors.len()];
    for kind in KINDS {
        let of_kind: Vec<&str> = samples
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.text.as_str())
            .collect();
        let mut passes = vec![Vec::new(); detectors.len()];
        for _ in 0..ROUNDS {
            for (detect, passes) in detectors.iter().zip(passes.iter_mut()) {
                let start = Instant::now();
                for text in &of_kind {
                    std::hint::black_box(detect(text));
                }
                passes.push(start.elapsed().as_secs_f64());
            }
        }
        for (timing, mut passes) in timings.iter_mut().zip(passes) {
            passes.sort_by(f64::total_cmp);
            timing.insert(kind, (passes[passes.len() / 2], of_kind.len()));
        }
    }
    timings
}

/// Accuracy when every text comes with a declared language: the true one (`offset` 0) or the next language
/// in [`SUPPORTED_LANGUAGES`] (`offset` 1, always wrong).
fn evaluate_declared(
    samples: &[Sample],
    ours: &language::LanguageDetector,
    offset: usize,
) -> Tally {
    let mut tally = Tally::new();
    for sample in samples {
        let index = SUPPORTED_LANGUAGES
            .iter()
            .position(|l| *l == sample.language)
            .unwrap_or(0);
        let declared = SUPPORTED_LANGUAGES[(index + offset) % SUPPORTED_LANGUAGES.len()];
        let detected = ours.detect(&sample.text, Some(declared));
        let entry = tally
            .entry((sample.language.clone(), sample.kind.clone()))
            .or_insert((0, 0));
        entry.1 += 1;
        entry.0 += usize::from(detected.map(|d| d.code) == Some(sample.language.as_str()));
    }
    tally
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or("usage: langid_eval <testset.tsv | publicreplies dir> [--tune | --profile]")?;
    if std::path::Path::new(path).is_dir() {
        return evaluate_replies(
            std::path::Path::new(path),
            args.iter().any(|a| a == "--show"),
        );
    }
    let samples: Vec<Sample> = std::fs::read_to_string(path)?
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            Some(Sample {
                language: fields.next()?.to_string(),
                kind: fields.next()?.to_string(),
                text: fields.next()?.to_string(),
            })
        })
        .collect();
    println!("{} samples from {path}\n", samples.len());

    let rss_before = rss_mib();
    let start = Instant::now();
    let ours = language::detector();
    let build_seconds = start.elapsed().as_secs_f64();
    let rss_ours = rss_mib();
    println!(
        "Townhall detector: built in {build_seconds:.2} s, RSS {rss_before:.0} MiB -> {rss_ours:.0} MiB (+{:.0} MiB)",
        rss_ours - rss_before
    );

    if args.iter().any(|a| a == "--tune") {
        tune_short_ngram_rule(&samples);
        return Ok(());
    }
    if args.iter().any(|a| a == "--profile") {
        // Only our detector, ten passes: for a profiler.
        for _ in 0..10 {
            for sample in &samples {
                std::hint::black_box(ours.detect(&sample.text, None));
            }
        }
        return Ok(());
    }

    // (kind, route) -> (texts, seconds, correct)
    let mut routes: BTreeMap<(String, String), (usize, f64, usize)> = BTreeMap::new();
    for sample in &samples {
        let start = Instant::now();
        let (detected, route) = ours.detect_with_route(&sample.text, None);
        let seconds = start.elapsed().as_secs_f64();
        let entry = routes
            .entry((sample.kind.clone(), format!("{route:?}")))
            .or_default();
        entry.0 += 1;
        entry.1 += seconds;
        entry.2 += usize::from(detected.map(|d| d.code) == Some(sample.language.as_str()));
    }

    let ours_detect = |text: &str| ours.detect(text, None).map(|d| d.code.to_string());
    let our_tally = evaluate(&samples, &ours_detect);
    println!(
        "RSS after running the Townhall detector over the whole set: {:.0} MiB",
        rss_mib()
    );
    let start = Instant::now();
    let lingua = plain_lingua();
    println!(
        "plain lingua: built in {:.2} s (models shared with ours, RSS now {:.0} MiB)\n",
        start.elapsed().as_secs_f64(),
        rss_mib()
    );
    let lingua_detect = |text: &str| lingua.detect_language_of(text).map(lingua_code);
    let lingua_tally = evaluate(&samples, &lingua_detect);
    let scorer_detect = |text: &str| ngram_scorer_code(text);
    let scorer_tally = evaluate(&samples, &scorer_detect);
    agreement_with_lingua(&samples, &lingua);
    let timings = time_interleaved(&samples, &[&ours_detect, &lingua_detect, &scorer_detect]);
    let (our_timing, lingua_timing, scorer_timing) = (&timings[0], &timings[1], &timings[2]);

    println!("| detector | single words | word pairs | sentences |");
    println!("| --- | --- | --- | --- |");
    for (name, tally) in [
        ("Townhall", &our_tally),
        ("plain lingua high", &lingua_tally),
        (
            "our reimplementation of lingua alone (cleaned text)",
            &scorer_tally,
        ),
    ] {
        println!(
            "| {name} | {:.2} % | {:.2} % | {:.2} % |",
            macro_accuracy(tally, KINDS[0]),
            macro_accuracy(tally, KINDS[1]),
            macro_accuracy(tally, KINDS[2])
        );
    }

    // The declared language only breaks near-ties: how much a right or a wrong declaration changes accuracy.
    for (label, pick) in [
        ("Townhall, declared = true language", 0usize),
        ("Townhall, declared = a wrong language", 1),
    ] {
        let tally = evaluate_declared(&samples, ours, pick);
        println!(
            "| {label} | {:.1} % | {:.1} % | {:.1} % |",
            macro_accuracy(&tally, KINDS[0]),
            macro_accuracy(&tally, KINDS[1]),
            macro_accuracy(&tally, KINDS[2])
        );
    }

    println!("\nSpeed, one thread (texts/s):\n");
    println!("| kind | texts | Townhall | plain lingua high | ratio | our reimplementation alone | ratio |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut totals = [(0.0, 0usize), (0.0, 0usize)];
    for kind in KINDS {
        let (our_seconds, count) = our_timing[kind];
        let (lingua_seconds, _) = lingua_timing[kind];
        let (scorer_seconds, _) = scorer_timing[kind];
        totals[0].0 += our_seconds;
        totals[0].1 += count;
        totals[1].0 += lingua_seconds;
        totals[1].1 += count;
        println!(
            "| {kind} | {count} | {:.0} | {:.0} | {:.1}× | {:.0} | {:.1}× |",
            count as f64 / our_seconds,
            count as f64 / lingua_seconds,
            lingua_seconds / our_seconds,
            count as f64 / scorer_seconds,
            lingua_seconds / scorer_seconds
        );
    }
    println!(
        "| all | {} | {:.0} | {:.0} | {:.1}× |",
        totals[0].1,
        totals[0].1 as f64 / totals[0].0,
        totals[1].1 as f64 / totals[1].0,
        totals[1].0 / totals[0].0
    );

    println!("\nPer language, Townhall / plain lingua (%):\n");
    println!("| lang | single words | word pairs | sentences |");
    println!("| --- | --- | --- | --- |");
    for lang in SUPPORTED_LANGUAGES {
        let cell = |kind: &str| {
            let key = (lang.to_string(), kind.to_string());
            let pct = |tally: &Tally| {
                tally
                    .get(&key)
                    .map_or(f64::NAN, |(c, t)| 100.0 * *c as f64 / *t as f64)
            };
            format!("{:.1} / {:.1}", pct(&our_tally), pct(&lingua_tally))
        };
        println!(
            "| {lang} | {} | {} | {} |",
            cell(KINDS[0]),
            cell(KINDS[1]),
            cell(KINDS[2])
        );
    }

    println!("\nWhich stage decided (texts per kind):\n");
    println!("| kind | stage | texts | share of time | correct |");
    println!("| --- | --- | --- | --- | --- |");
    for ((kind, route), (count, seconds, correct)) in &routes {
        let kind_seconds: f64 = routes
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|(_, (_, s, _))| s)
            .sum();
        println!(
            "| {kind} | {route} | {count} | {:.0} % | {:.1} % |",
            100.0 * seconds / kind_seconds,
            100.0 * *correct as f64 / *count as f64
        );
    }
    println!("\nRSS at the end: {:.0} MiB", rss_mib());
    Ok(())
}

/// Real posts: the reply threads of `/work/shared/data/publicreplies` (`{"replies": [[.., text at 8, Twitter's
/// language at 9, ..]]}`). Agreement with Twitter's label, and speed of both detectors on real post lengths.
fn evaluate_replies(
    dir: &std::path::Path,
    show_disagreements: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut posts: Vec<(String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let thread: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        for reply in thread["replies"].as_array().into_iter().flatten() {
            if let (Some(text), Some(lang)) = (reply[8].as_str(), reply[9].as_str()) {
                posts.push((text.to_string(), lang.to_string()));
            }
        }
    }
    let ours = language::detector();
    let lingua = plain_lingua();
    println!("{} replies from {}\n", posts.len(), dir.display());

    // Twitter label -> (posts, ours agrees, lingua agrees, ours None, lingua None)
    let mut agreement: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for (text, lang) in &posts {
        let our_code = ours.detect(text, None).map(|d| d.code.to_string());
        let lingua_code = lingua
            .detect_language_of(language::clean_post(text))
            .map(lingua_code);
        let label = if SUPPORTED_LANGUAGES.contains(&lang.as_str()) || lang == "und" {
            lang.clone()
        } else {
            "other".to_string()
        };
        let cell = agreement.entry(label).or_default();
        cell[0] += 1;
        cell[1] += usize::from(our_code.as_deref() == Some(lang.as_str()));
        cell[2] += usize::from(lingua_code.as_deref() == Some(lang.as_str()));
        cell[3] += usize::from(our_code.is_none());
        cell[4] += usize::from(lingua_code.is_none());
    }
    let mut routes: BTreeMap<String, usize> = BTreeMap::new();
    for (text, lang) in &posts {
        let (detected, route) = ours.detect_with_route(text, None);
        *routes.entry(format!("{route:?}")).or_default() += 1;
        let code = detected.map(|d| d.code).unwrap_or("none");
        if show_disagreements && lang != "en" && lang != "und" && code != lang {
            println!(
                "twitter {lang}, Townhall {code}: {}",
                text.replace('\n', " ")
            );
        }
    }
    println!("Which stage decided: {routes:?}\n");
    println!(
        "| Twitter label | posts | Townhall agrees | lingua agrees | Townhall none | lingua none |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (label, [n, ours_ok, lingua_ok, ours_none, lingua_none]) in &agreement {
        println!("| {label} | {n} | {ours_ok} | {lingua_ok} | {ours_none} | {lingua_none} |");
    }

    // Speed on the posts as they are; lingua gets the same cleaned text our detector works on (cleaning
    // included in its time), so the comparison is of detection, not of URL handling.
    let texts: Vec<Sample> = posts
        .iter()
        .map(|(text, lang)| Sample {
            language: lang.clone(),
            kind: "sentences".to_string(),
            text: text.clone(),
        })
        .collect();
    let ours_detect = |text: &str| ours.detect(text, None).map(|d| d.code.to_string());
    let lingua_detect = |text: &str| {
        lingua
            .detect_language_of(language::clean_post(text))
            .map(lingua_code)
    };
    let timings = time_interleaved(&texts, &[&ours_detect, &lingua_detect]);
    let (our_seconds, count) = timings[0]["sentences"];
    let (lingua_seconds, _) = timings[1]["sentences"];
    println!(
        "\nSpeed on {count} real replies, one thread: Townhall {:.0} texts/s, lingua high {:.0} texts/s ({:.1}×)",
        count as f64 / our_seconds,
        count as f64 / lingua_seconds,
        lingua_seconds / our_seconds
    );
    Ok(())
}

/// How often our reimplementation picks lingua's language on the same (cleaned) text, and how far the
/// confidences are apart.
fn agreement_with_lingua(samples: &[Sample], lingua: &lingua::LanguageDetector) {
    let (mut same, mut max_difference) = (0usize, 0.0f64);
    for sample in samples {
        let cleaned = language::clean_post(&sample.text);
        let text = evidence(&cleaned);
        let ours = language::lingua_confidence_values(text);
        let theirs = lingua.compute_language_confidence_values(text);
        same += usize::from(ours[0].0 == lingua_code(theirs[0].0));
        for (language, confidence) in &theirs {
            let code = lingua_code(*language);
            if let Some((_, our)) = ours.iter().find(|(c, _)| *c == code) {
                max_difference = max_difference.max((our - confidence).abs());
            }
        }
    }
    println!(
        "Our reimplementation vs lingua on the same cleaned texts: same best language for {same} of {} texts, \
         largest confidence difference {max_difference:.5}\n",
        samples.len()
    );
}

fn plain_lingua() -> lingua::LanguageDetector {
    LanguageDetectorBuilder::from_languages(&townhall_analysis::language::LINGUA_LANGUAGES)
        .with_preloaded_language_models()
        .build()
}

/// Accuracy per kind for several `SHORT_NGRAM_RULE`s: on the texts the rule lets n-grams of length 1 to 3
/// decide, how often that is wrong compared with the full scoring (lengths 1 to 5) on the same texts.
fn tune_short_ngram_rule(samples: &[Sample]) {
    let full = language::LanguageDetector::with_short_ngram_rule(usize::MAX, 2.0);
    let full_right: Vec<bool> = samples
        .iter()
        .map(|s| full.detect(&s.text, None).map(|d| d.code) == Some(s.language.as_str()))
        .collect();
    println!("| min letters | min confidence | kind | decided early | wrong early | full scoring wrong on those | accuracy |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for min_letters in [10, 15, 20, 30, 40] {
        for min_confidence in [0.6, 0.8, 0.9, 0.95, 0.99] {
            let rule =
                language::LanguageDetector::with_short_ngram_rule(min_letters, min_confidence);
            let mut tally = Tally::new();
            // kind -> (decided early, wrong early, full wrong on those)
            let mut early: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
            for (sample, full_ok) in samples.iter().zip(&full_right) {
                let (detected, route) = rule.detect_with_route(&sample.text, None);
                let ok = detected.map(|d| d.code) == Some(sample.language.as_str());
                let entry = tally
                    .entry((sample.language.clone(), sample.kind.clone()))
                    .or_insert((0, 0));
                entry.1 += 1;
                entry.0 += usize::from(ok);
                if route == language::Route::ShortNgrams {
                    let cell = early.entry(sample.kind.as_str()).or_default();
                    cell.0 += 1;
                    cell.1 += usize::from(!ok);
                    cell.2 += usize::from(!full_ok);
                }
            }
            for kind in KINDS {
                let (n, wrong, full_wrong) = early.get(kind).copied().unwrap_or_default();
                println!(
                    "| {min_letters} | {min_confidence} | {kind} | {n} | {wrong} | {full_wrong} | {:.2} % |",
                    macro_accuracy(&tally, kind)
                );
            }
        }
    }
}
