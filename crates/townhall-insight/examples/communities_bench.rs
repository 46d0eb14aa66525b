//! Community detection benchmark: real interaction graphs and a planted-partition graph of ~300k nodes / ~1M edges.
//!
//! For each graph it writes the merged undirected edge list to `OUT/<graph>.edges` (first line `nodes N`, then
//! `u v w`), runs our Leiden and Louvain over several seeds (median time and modularity into `OUT/<graph>.ours.json`,
//! one partition per seed into `OUT/<graph>.<method>.<seed>.part`), and, for the synthetic graph, the planted groups
//! into `OUT/<graph>.planted`. `bench/python/louvain_networkx.py` then runs networkx on the same edge lists.
//! On the synthetic graph it also times the whole insight pass for 1,000,000 interactions: graph build, detection,
//! summary, label tally and cohort retention.
//!
//! ```sh
//! cargo run --release -p townhall-insight --example communities_bench -- \
//!     [OUT_DIR] [SEEDS] [SYNTHETIC_NODES] [MIXING] [SMALLEST_GROUP] [LARGEST_GROUP]
//! ```
//! Defaults: `bench/out/communities`, 5 seeds, 300000 nodes (0 skips the synthetic graph), mixing 0.3, groups of
//! 20..1000. `SKIP_REAL=1` skips the real graphs.

use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use townhall_insight::communities::{
    cohort_retention, detect_communities, summarize, tally_labels, Activity, DetectOptions, Graph,
    Interaction, Method, Partition, RetentionOptions, SummaryOptions,
};

const PUBLIC_REPLIES: &str = "/work/shared/data/publicreplies";
const GOV_POSTS: &str = "/work/shared/data/govposts/congresstweets-2017-06-21.json";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).map_or("bench/out/communities", String::as_str));
    let seeds: u64 = args.get(2).map_or(Ok(5), |s| s.parse())?;
    let synthetic_nodes: usize = args.get(3).map_or(Ok(300_000), |s| s.parse())?;
    let mixing: f64 = args.get(4).map_or(Ok(0.3), |s| s.parse())?;
    let smallest: usize = args.get(5).map_or(Ok(20), |s| s.parse())?;
    let largest: usize = args.get(6).map_or(Ok(1000), |s| s.parse())?;
    let skip_real = std::env::var_os("SKIP_REAL").is_some();
    fs::create_dir_all(&out)?;

    let mut names = Names::default();
    let mut languages = Languages::default();
    let replies = public_replies(&mut names, &mut languages)?;
    let gov = gov_posts(&mut names)?;
    let mut combined = replies.clone();
    combined.extend_from_slice(&gov);
    let n = names.len();
    println!(
        "real data: {} handles, {} interactions from publicreplies, {} from govposts",
        n,
        replies.len(),
        gov.len()
    );
    for (name, edges) in if skip_real {
        vec![]
    } else {
        vec![
            ("publicreplies", &replies),
            ("govposts", &gov),
            ("combined", &combined),
        ]
    } {
        let (graph, ids) = compact(n, edges)?;
        bench_graph(&out, name, &graph, seeds)?;
        if name == "combined" {
            show_summary(&graph, &ids, &names, &languages)?;
        }
    }

    if synthetic_nodes > 0 {
        let edges_wanted = synthetic_nodes * 10 / 3;
        let planted = planted_groups(synthetic_nodes, smallest, largest, 7);
        let interactions = planted_interactions(&planted, edges_wanted, mixing, 11);
        println!(
            "synthetic: {synthetic_nodes} nodes in {} planted groups of {smallest}..{largest}, {edges_wanted} interactions, mixing {mixing}",
            planted.iter().max().map_or(0, |&g| g + 1)
        );
        let started = Instant::now();
        let graph = Graph::from_interactions(synthetic_nodes, &interactions)?;
        let build = started.elapsed().as_secs_f64();
        println!("synthetic: graph built in {build:.3} s");
        write_lines(&out.join("sbm.planted"), planted.iter())?;
        bench_graph(&out, "sbm", &graph, seeds)?;
        whole_pass(&interactions, synthetic_nodes)?;
    }
    Ok(())
}

/// Runs both methods over the seeds; writes the edge list, the partitions and a JSON summary.
fn bench_graph(out: &Path, name: &str, graph: &Graph, seeds: u64) -> Result<()> {
    let mut file = BufWriter::new(fs::File::create(out.join(format!("{name}.edges")))?);
    writeln!(file, "nodes {}", graph.node_count())?;
    for (u, v, w) in graph.edges() {
        writeln!(file, "{u} {v} {w}")?;
    }
    file.flush()?;
    println!(
        "{name}: {} nodes, {} edges, total weight {}",
        graph.node_count(),
        graph.edge_count(),
        graph.total_weight()
    );
    let mut methods = serde_json::Map::new();
    for (label, method, iterations) in [
        ("leiden", Method::Leiden, 2),
        ("louvain", Method::Louvain, 1),
    ] {
        let mut runs = Vec::new();
        for seed in 0..seeds {
            let options = DetectOptions {
                seed,
                method,
                iterations,
                ..DetectOptions::default()
            };
            let started = Instant::now();
            let cpu_started = thread_cpu_seconds();
            let partition = detect_communities(graph, &options)?;
            let seconds = started.elapsed().as_secs_f64();
            let cpu_seconds = thread_cpu_seconds() - cpu_started;
            write_lines(
                &out.join(format!("{name}.{label}.{seed}.part")),
                partition.community_of.iter(),
            )?;
            runs.push(json!({
                "seed": seed,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "modularity": partition.modularity,
                "communities": partition.community_count(),
                "levels": partition.levels.len(),
            }));
        }
        let median_of = |key: &str| median(runs.iter().filter_map(|r| r[key].as_f64()).collect());
        let (t, cpu, q) = (
            median_of("seconds"),
            median_of("cpu_seconds"),
            median_of("modularity"),
        );
        println!(
            "  ours {label:8} median modularity {q:.6}, median time {t:.4} s (CPU {cpu:.4} s)"
        );
        methods.insert(
            label.to_string(),
            json!({ "median_seconds": t, "median_cpu_seconds": cpu, "median_modularity": q, "runs": runs }),
        );
    }
    let summary = json!({
        "graph": name,
        "nodes": graph.node_count(),
        "edges": graph.edge_count(),
        "total_weight": graph.total_weight(),
        "methods": Value::Object(methods),
    });
    fs::write(
        out.join(format!("{name}.ours.json")),
        serde_json::to_string_pretty(&summary)?,
    )?;
    Ok(())
}

/// The whole insight pass that 1,000,000 posts ask for, each step timed.
fn whole_pass(interactions: &[Interaction], n: usize) -> Result<()> {
    let mut rng = 0x5eed_u64;
    let activity: Vec<Activity> = interactions
        .iter()
        .map(|i| Activity {
            node: i.from,
            week: (splitmix(&mut rng) % 52) as u32,
        })
        .collect();
    let labels: Vec<(u32, u32)> = interactions
        .iter()
        .map(|i| (i.from, (splitmix(&mut rng) % 40) as u32))
        .collect();
    let mut clock = StepClock::default();
    let graph = Graph::from_interactions(n, interactions)?;
    clock.step("build");
    let partition = detect_communities(&graph, &DetectOptions::default())?;
    clock.step("leiden");
    let summary = summarize(&graph, &partition.community_of, &SummaryOptions::default())?;
    clock.step("summary");
    let tally = tally_labels(&partition.community_of, labels.iter().copied(), 5)?;
    clock.step("labels");
    let retention = cohort_retention(
        &partition.community_of,
        &activity,
        &RetentionOptions::default(),
    )?;
    clock.step("retention");
    println!(
        "whole pass, {} interactions ({} communities, {} ties, {} label tallies, {} retention tables):",
        interactions.len(),
        partition.community_count(),
        summary.ties.len(),
        tally.len(),
        retention.len()
    );
    clock.print();
    Ok(())
}

/// Prints what a UI would show for the real graph: the biggest communities, their voices, bridges and ties.
fn show_summary(graph: &Graph, ids: &[u32], names: &Names, languages: &Languages) -> Result<()> {
    let partition: Partition = detect_communities(graph, &DetectOptions::default())?;
    let summary = summarize(graph, &partition.community_of, &SummaryOptions::default())?;
    let name = |v: u32| names.name(ids[v as usize]);
    // Language of each reply, by its author's node in this graph.
    let mut node_of = vec![u32::MAX; names.len()];
    for (new, &old) in ids.iter().enumerate() {
        node_of[old as usize] = new as u32;
    }
    let posts = languages
        .posts
        .iter()
        .map(|&(author, code)| (node_of[author as usize], code))
        .filter(|&(node, _)| node != u32::MAX); // authors without any tie are not in the graph
    let tallies = tally_labels(&partition.community_of, posts, 3)?;
    for c in summary.communities.iter().take(5) {
        let langs: Vec<String> = tallies[c.community as usize]
            .iter()
            .map(|l| format!("{} {}", languages.codes[l.label as usize], l.count))
            .collect();
        let voices: Vec<String> = c
            .voices
            .iter()
            .take(4)
            .map(|v| format!("{} ({}/{})", name(v.node), v.internal_strength, v.strength))
            .collect();
        println!(
            "  community {} ({} people, {} inside, {} out; replies in {}): {}",
            c.community,
            c.size,
            c.internal_weight,
            c.external_weight,
            langs.join(", "),
            voices.join(", ")
        );
    }
    for t in summary.ties.iter().take(5) {
        let brokers: Vec<String> = t
            .brokers
            .iter()
            .map(|b| format!("{} ({})", name(b.node), b.weight))
            .collect();
        println!(
            "  tie {}–{}: {} via {}",
            t.a,
            t.b,
            t.weight,
            brokers.join(", ")
        );
    }
    for b in summary.bridges.iter().take(5) {
        println!(
            "  bridge {} of {}: participation {:.3}, {} of {} outside, to {:?}",
            name(b.node),
            b.community,
            b.participation,
            b.external_strength,
            b.strength,
            b.links
                .iter()
                .take(3)
                .map(|l| (l.community, l.weight))
                .collect::<Vec<_>>()
        );
    }
    Ok(())
}

/// Public replies: the reply author → the author directly replied to (first handle of the reply chain), and → each
/// @mention in the reply's text.
fn public_replies(names: &mut Names, languages: &mut Languages) -> Result<Vec<Interaction>> {
    let mut files: Vec<PathBuf> = fs::read_dir(PUBLIC_REPLIES)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut edges = Vec::new();
    for file in files {
        let thread: Value = serde_json::from_str(&fs::read_to_string(&file)?)?;
        for reply in thread["replies"].as_array().into_iter().flatten() {
            let Some(author) = reply[4].as_str() else {
                continue;
            };
            let from = names.id(author);
            if let Some(code) = reply[9].as_str() {
                languages.record(from, code);
            }
            if let Some(parent) = reply[6]
                .as_str()
                .and_then(|chain| chain.split_whitespace().next())
            {
                edges.push(Interaction::new(from, names.id(parent), 1.0));
            }
            for handle in mentions(reply[8].as_str().unwrap_or("")) {
                edges.push(Interaction::new(from, names.id(handle), 1.0));
            }
        }
    }
    Ok(edges)
}

/// Congress posts: retweet → the original author; quote → the quoted author, plus mentions in the post's own text;
/// reply or post → every @handle in its own text (leading handles are the reply targets).
fn gov_posts(names: &mut Names) -> Result<Vec<Interaction>> {
    let posts: Vec<Value> = serde_json::from_str(&fs::read_to_string(GOV_POSTS)?)?;
    let mut seen = std::collections::HashSet::new();
    let mut edges = Vec::new();
    for post in &posts {
        let (Some(id), Some(author), Some(text)) = (
            post["id"].as_str(),
            post["screen_name"].as_str(),
            post["text"].as_str(),
        ) else {
            continue;
        };
        if !seen.insert(id.to_string()) {
            continue; // the README's duplicated post
        }
        let from = names.id(author);
        if let Some(rest) = text.strip_prefix("RT @") {
            if let Some(original) = mentions(&format!("@{rest}")).next() {
                edges.push(Interaction::new(from, names.id(original), 1.0));
            }
            continue;
        }
        let own = match text.find(" QT @") {
            Some(at) => {
                if let Some(quoted) = mentions(&text[at + 4..]).next() {
                    edges.push(Interaction::new(from, names.id(quoted), 1.0));
                }
                &text[..at]
            }
            None => text,
        };
        for handle in mentions(own) {
            edges.push(Interaction::new(from, names.id(handle), 1.0));
        }
    }
    Ok(edges)
}

/// `@handle` tokens (1–15 of `[A-Za-z0-9_]`, not preceded by a handle character, so e-mail addresses don't count).
fn mentions(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    (0..bytes.len()).filter_map(move |i| {
        let is_handle = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if bytes[i] != b'@' || (i > 0 && is_handle(bytes[i - 1])) {
            return None;
        }
        let len = bytes[i + 1..].iter().take_while(|&&b| is_handle(b)).count();
        (1..=15).contains(&len).then(|| &text[i + 1..i + 1 + len])
    })
}

/// The language code Twitter gave each public reply, by author.
#[derive(Default)]
struct Languages {
    codes: Vec<String>,
    posts: Vec<(u32, u32)>,
}

impl Languages {
    fn record(&mut self, author: u32, code: &str) {
        let label = match self.codes.iter().position(|c| c == code) {
            Some(i) => i,
            None => {
                self.codes.push(code.to_string());
                self.codes.len() - 1
            }
        };
        self.posts.push((author, label as u32));
    }
}

/// Handles (case-insensitive) ↔ dense ids.
#[derive(Default)]
struct Names {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, handle: &str) -> u32 {
        let key = handle.to_ascii_lowercase();
        let next = self.names.len() as u32;
        *self.ids.entry(key).or_insert_with(|| {
            self.names.push(handle.to_string());
            next
        })
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    fn len(&self) -> usize {
        self.names.len()
    }
}

/// Keeps only the nodes that `edges` touch, renumbered densely; returns the graph and new id → old id.
fn compact(n: usize, edges: &[Interaction]) -> Result<(Graph, Vec<u32>)> {
    let mut new_id = vec![u32::MAX; n];
    let mut old_id = Vec::new();
    let mut remapped = Vec::with_capacity(edges.len());
    for e in edges {
        let mut map = |v: u32| {
            let slot = &mut new_id[v as usize];
            if *slot == u32::MAX {
                *slot = old_id.len() as u32;
                old_id.push(v);
            }
            *slot
        };
        let (from, to) = (map(e.from), map(e.to));
        remapped.push(Interaction::new(from, to, e.weight));
    }
    Ok((Graph::from_interactions(old_id.len(), &remapped)?, old_id))
}

/// Group sizes log-uniform in `smallest..largest` until `n` nodes are covered; returns each node's group.
fn planted_groups(n: usize, smallest: usize, largest: usize, seed: u64) -> Vec<u32> {
    let mut rng = seed;
    let mut group_of = Vec::with_capacity(n);
    let mut group = 0u32;
    while group_of.len() < n {
        let u = (splitmix(&mut rng) >> 11) as f64 / (1u64 << 53) as f64;
        let size = (smallest as f64 * (largest as f64 / smallest as f64).powf(u)) as usize;
        for _ in 0..size.min(n - group_of.len()) {
            group_of.push(group);
        }
        group += 1;
    }
    group_of
}

/// `m` interactions from uniformly drawn nodes: with probability `1 − mixing` to a member of the same group,
/// otherwise to any node.
fn planted_interactions(group_of: &[u32], m: usize, mixing: f64, seed: u64) -> Vec<Interaction> {
    let n = group_of.len();
    let groups = group_of.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    let mut start = vec![0usize; groups + 1];
    for &g in group_of {
        start[g as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut rng = seed;
    (0..m)
        .map(|_| {
            let u = (splitmix(&mut rng) % n as u64) as usize;
            let coin = (splitmix(&mut rng) >> 11) as f64 / (1u64 << 53) as f64;
            let v = if coin < 1.0 - mixing {
                let g = group_of[u] as usize;
                start[g] + (splitmix(&mut rng) % (start[g + 1] - start[g]) as u64) as usize
            } else {
                (splitmix(&mut rng) % n as u64) as usize
            };
            Interaction::new(u as u32, v as u32, 1.0)
        })
        .collect()
}

/// Wall and CPU time of consecutive steps.
struct StepClock {
    steps: Vec<(&'static str, f64, f64)>,
    wall: Instant,
    cpu: f64,
}

impl Default for StepClock {
    fn default() -> Self {
        Self {
            steps: Vec::new(),
            wall: Instant::now(),
            cpu: thread_cpu_seconds(),
        }
    }
}

impl StepClock {
    fn step(&mut self, name: &'static str) {
        let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
        self.steps
            .push((name, (wall - self.wall).as_secs_f64(), cpu - self.cpu));
        (self.wall, self.cpu) = (wall, cpu);
    }

    fn print(&self) {
        for (name, wall, cpu) in &self.steps {
            println!("  {name:10} {wall:7.3} s wall, {cpu:7.3} s CPU");
        }
        let wall: f64 = self.steps.iter().map(|s| s.1).sum();
        let cpu: f64 = self.steps.iter().map(|s| s.2).sum();
        println!("  {:10} {wall:7.3} s wall, {cpu:7.3} s CPU", "total");
    }
}

/// CPU time of the calling thread (Linux: first field of /proc/thread-self/schedstat, in ns); NaN elsewhere.
/// The machine is shared, so wall time alone overstates our cost when other jobs hold the cores.
fn thread_cpu_seconds() -> f64 {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn write_lines<T: std::fmt::Display>(path: &Path, items: impl Iterator<Item = T>) -> Result<()> {
    let mut file = BufWriter::new(fs::File::create(path)?);
    for item in items {
        writeln!(file, "{item}")?;
    }
    file.flush()?;
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        len if len % 2 == 1 => values[len / 2],
        len => (values[len / 2 - 1] + values[len / 2]) / 2.0,
    }
}
