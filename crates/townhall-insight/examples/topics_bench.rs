//! Topic discovery benchmark: quality (NPMI coherence) on real posts beside scikit-learn, and speed.
//!
//! ```sh
//! export CARGO_TARGET_DIR=/tmp/target-insight-c
//! B=$CARGO_TARGET_DIR/release/examples/topics_bench
//! cargo build --release -p townhall-insight --example topics_bench
//! $B export  --data /work/shared/data --out /tmp/topics/real-terms.jsonl
//! python3 bench/python/topics_sklearn.py quality --terms /tmp/topics/real-terms.jsonl --k 10 20 \
//!     --out /tmp/topics/sklearn-topics.json
//! $B quality --data /work/shared/data --sklearn /tmp/topics/sklearn-topics.json --k 10 20
//! $B speed   --posts bench/out/posts-1m.jsonl --fit 100000 --assign 1000000 --k 20 --repeat 3
//! python3 bench/python/topics_sklearn.py speed --posts bench/out/posts-1m.jsonl --n 100000 --k 20 --repeat 3
//! ```
//!
//! `export` writes each real post as the terms our tokenizer, phrase finder and vocabulary give it (one JSON
//! array per line); scikit-learn fits on exactly those documents, and `quality` scores both sides' top-10 terms
//! with the same [`CoOccurrence`] index over the same term documents.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use townhall_insight::topics::{
    discover, CoOccurrence, TopicConfig, TopicCount, TopicModel, COHERENCE_TOP_TERMS,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("");
    let flag = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let list = |name: &str| -> Vec<usize> {
        args.iter()
            .position(|a| a == name)
            .map(|i| {
                args[i + 1..]
                    .iter()
                    .take_while(|a| !a.starts_with("--"))
                    .filter_map(|a| a.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let data = PathBuf::from(flag("--data").unwrap_or_else(|| "/work/shared/data".into()));
    match command {
        "export" => export(&data, Path::new(&flag("--out").ok_or("--out FILE")?)),
        "quality" => {
            let ks = non_empty(list("--k"), vec![10, 20]);
            quality(&data, flag("--sklearn").map(PathBuf::from).as_deref(), &ks)
        }
        "speed" => speed(
            Path::new(&flag("--posts").ok_or("--posts FILE")?),
            flag("--fit")
                .and_then(|v| v.parse().ok())
                .unwrap_or(100_000),
            flag("--assign")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1_000_000),
            flag("--k").and_then(|v| v.parse().ok()).unwrap_or(20),
            flag("--repeat").and_then(|v| v.parse().ok()).unwrap_or(3),
        ),
        _ => Err("usage: topics_bench export|quality|speed (see the file's doc comment)".into()),
    }
}

fn non_empty(v: Vec<usize>, default: Vec<usize>) -> Vec<usize> {
    if v.is_empty() {
        default
    } else {
        v
    }
}

/// The real corpus: congressional posts of one day plus the public's replies to a member of Congress.
fn real_posts(data: &Path) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    let gov: serde_json::Value = serde_json::from_str(&fs::read_to_string(
        data.join("govposts/congresstweets-2017-06-21.json"),
    )?)?;
    for post in gov.as_array().ok_or("govposts: not an array")? {
        if let Some(text) = post["text"].as_str() {
            texts.push(text.to_owned());
        }
    }
    let mut files: Vec<PathBuf> = fs::read_dir(data.join("publicreplies"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let thread: serde_json::Value = serde_json::from_str(&fs::read_to_string(&file)?)?;
        for reply in thread["replies"]
            .as_array()
            .ok_or("replies: not an array")?
        {
            if let Some(text) = reply.get(8).and_then(|t| t.as_str()) {
                texts.push(text.to_owned());
            }
        }
    }
    Ok(texts)
}

/// The configuration used for the real corpus (the defaults, with the topic count set).
fn config(k: usize) -> TopicConfig {
    let mut config = TopicConfig {
        topics: TopicCount::Fixed(k),
        ..TopicConfig::default()
    };
    // Overrides for exploring settings; the reported figures use the defaults.
    if let Some(v) = std::env::var("TOPICS_MIN_WEIGHT")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.min_weight = v;
    }
    if let Some(v) = std::env::var("TOPICS_TOL")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.tol = v;
    }
    if let Some(v) = std::env::var("TOPICS_MIN_FIT_TERMS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.min_fit_terms = v;
    }
    config
}

fn export(data: &Path, out: &Path) -> Result<()> {
    let posts = real_posts(data)?;
    let model = discover(&posts, &config(10));
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut writer = BufWriter::new(fs::File::create(out)?);
    for post in &posts {
        writeln!(writer, "{}", serde_json::to_string(&model.terms_of(post))?)?;
    }
    writer.flush()?;
    eprintln!(
        "{} posts, {} terms ({} phrases) written to {}",
        posts.len(),
        model.vocabulary.len(),
        model.vocabulary.iter().filter(|t| t.contains(' ')).count(),
        out.display()
    );
    Ok(())
}

fn quality(data: &Path, sklearn: Option<&Path>, ks: &[usize]) -> Result<()> {
    let posts = real_posts(data)?;
    let reference_model = discover(&posts, &config(10));
    let term_docs: Vec<Vec<String>> = posts.iter().map(|p| reference_model.terms_of(p)).collect();
    let index = CoOccurrence::new(&term_docs);
    let others: BTreeMap<String, BTreeMap<String, Vec<Vec<String>>>> = match sklearn {
        Some(path) => serde_json::from_str(&fs::read_to_string(path)?)?,
        None => BTreeMap::new(),
    };
    println!(
        "reference corpus: {} posts, {} terms\n",
        index.documents(),
        reference_model.vocabulary.len()
    );
    println!("| k | method | mean NPMI (top-10) | median topic NPMI | min | topics |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut labels = String::new();
    for &k in ks {
        let start = Instant::now();
        let model = discover(&posts, &config(k));
        let seconds = start.elapsed().as_secs_f64();
        let ours: Vec<Vec<String>> = model
            .topics
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .take(COHERENCE_TOP_TERMS)
                    .map(|(term, _)| term.clone())
                    .collect()
            })
            .collect();
        print_row(
            k,
            &format!("townhall NMF ({seconds:.2} s)"),
            &scores(&index, &ours),
        );
        let mut weights: Vec<f64> = model.documents.iter().flatten().map(|d| d.weight).collect();
        weights.sort_by(f64::total_cmp);
        let quantile = |q: f64| {
            weights
                .get((q * weights.len() as f64) as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        eprintln!(
            "k={k}: {} of {} posts with a topic; weight deciles 1,3,5,7,9: {:.3} {:.3} {:.3} {:.3} {:.3}; {} NMF iterations",
            weights.len(),
            posts.len(),
            quantile(0.1),
            quantile(0.3),
            quantile(0.5),
            quantile(0.7),
            quantile(0.9),
            model.iterations
        );
        labels.push_str(&format!("\n### k = {k}: townhall\n\n| topic | size | NPMI | label | top terms |\n|---|---:|---:|---|---|\n"));
        for topic in &model.topics {
            labels.push_str(&format!(
                "| {} | {} | {:.3} | {} | {} |\n",
                topic.id,
                topic.size,
                index.npmi(&ours[topic.id]).unwrap_or(f64::NAN),
                topic.label,
                ours[topic.id].join(", ")
            ));
        }
        describe_representatives(&model, &posts, &mut labels);
        for (method, by_k) in &others {
            if let Some(topics) = by_k.get(&k.to_string()) {
                let topics: Vec<Vec<String>> = topics
                    .iter()
                    .map(|t| t.iter().take(COHERENCE_TOP_TERMS).cloned().collect())
                    .collect();
                print_row(k, method, &scores(&index, &topics));
                labels.push_str(&format!(
                    "\n### k = {k}: {method}\n\n| topic | NPMI | top terms |\n|---|---:|---|\n"
                ));
                for (i, topic) in topics.iter().enumerate() {
                    labels.push_str(&format!(
                        "| {i} | {:.3} | {} |\n",
                        index.npmi(topic).unwrap_or(f64::NAN),
                        topic.join(", ")
                    ));
                }
            }
        }
    }
    println!("{labels}");
    Ok(())
}

fn scores(index: &CoOccurrence, topics: &[Vec<String>]) -> Vec<f64> {
    topics.iter().filter_map(|t| index.npmi(t)).collect()
}

fn print_row(k: usize, method: &str, scores: &[f64]) {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = sorted.iter().sum::<f64>() / sorted.len().max(1) as f64;
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    let min = sorted.first().copied().unwrap_or(f64::NAN);
    println!(
        "| {k} | {method} | {mean:.4} | {median:.4} | {min:.4} | {} |",
        sorted.len()
    );
}

fn describe_representatives(model: &TopicModel, posts: &[String], out: &mut String) {
    out.push_str("\nMost typical post per topic:\n\n");
    for topic in &model.topics {
        if let Some(&doc) = topic.representatives.first() {
            // Handles are masked: the replies come from members of the public (see the data's README).
            let text: String = posts[doc]
                .split_whitespace()
                .map(|word| if word.contains('@') { "@…" } else { word })
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(140)
                .collect::<String>()
                .replace('|', " ");
            out.push_str(&format!("- {} ({}): {}\n", topic.id, topic.label, text));
        }
    }
}

fn read_posts(path: &Path, limit: usize) -> Result<Vec<String>> {
    let reader = BufReader::new(fs::File::open(path)?);
    let mut texts = Vec::with_capacity(limit.min(2_000_000));
    for line in reader.lines() {
        if texts.len() == limit {
            break;
        }
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(text) = value["text"].as_str() {
            texts.push(text.to_owned());
        }
    }
    Ok(texts)
}

/// CPU seconds (user + system, all threads) this process has used so far, from /proc/self/stat; on this shared
/// machine it shows the work done when wall-clock time is inflated by other people's jobs.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let ticks = field(11) + field(12);
    ticks / 100.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn speed(path: &Path, fit: usize, assign: usize, k: usize, repeat: usize) -> Result<()> {
    let posts = read_posts(path, fit.max(assign))?;
    let fit_posts = &posts[..fit.min(posts.len())];
    let assign_posts = &posts[..assign.min(posts.len())];
    println!("threads: {}", rayon::current_num_threads());
    let mut fit_times = Vec::new();
    let mut fit_cpu = Vec::new();
    let mut model = None;
    for _ in 0..repeat.max(1) {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let m = discover(fit_posts, &config(k));
        fit_times.push(start.elapsed().as_secs_f64());
        fit_cpu.push(cpu_seconds() - cpu);
        model = Some(m);
    }
    let model = model.ok_or("no run")?;
    println!(
        "discover {} posts, k={k}: median {:.2} s (runs {:?}; CPU {:.2} s); {} terms, {} NMF iterations, mean NPMI {:.4}, {} of {} posts with a topic",
        fit_posts.len(),
        median(fit_times.clone()),
        fit_times.iter().map(|t| format!("{t:.2}")).collect::<Vec<_>>(),
        median(fit_cpu),
        model.vocabulary.len(),
        model.iterations,
        model.coherence().unwrap_or(f64::NAN),
        model.documents.iter().flatten().count(),
        model.documents.len()
    );
    for topic in &model.topics {
        println!("  {:>2} {:>6}  {}", topic.id, topic.size, topic.label);
    }
    let mut assign_times = Vec::new();
    let mut assign_cpu = Vec::new();
    let mut assigned = 0;
    for _ in 0..repeat.max(1) {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let result = model.assign_all(assign_posts);
        assign_times.push(start.elapsed().as_secs_f64());
        assign_cpu.push(cpu_seconds() - cpu);
        assigned = result.iter().flatten().count();
    }
    let t = median(assign_times.clone());
    println!(
        "assign {} posts: median {:.2} s (runs {:?}; CPU {:.2} s), {:.0} posts/s, {} with a topic",
        assign_posts.len(),
        t,
        assign_times
            .iter()
            .map(|t| format!("{t:.2}"))
            .collect::<Vec<_>>(),
        median(assign_cpu),
        assign_posts.len() as f64 / t,
        assigned
    );
    Ok(())
}
