//! Insight over a large store: the cold load, a full report, a repeated report, and a report after
//! new posts arrive (incremental).

use anyhow::Context;
use std::path::Path;
use std::time::Instant;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::insights::{InsightRequest, Insights};
use townhall_app::Store;

fn seconds(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn run(data: &Path, runs: usize, add: Option<&Path>) -> anyhow::Result<()> {
    let store = Store::open(data).with_context(|| format!("opening {}", data.display()))?;
    println!("{} posts in the store", store.post_count()?);
    let insights = Insights::new();
    let request = InsightRequest::default();

    let t = Instant::now();
    let loaded = insights.refresh(&store)?;
    println!("load facts of {loaded} posts: {:.2} s", seconds(t));

    let t = Instant::now();
    let first = insights.report(&store, &request)?;
    println!(
        "first report (topics fitted on {} posts, {} topics, coherence {:?}): {:.2} s",
        first.report.topics.fitted_on,
        first.report.topics.discovered.len(),
        first.report.topics.coherence,
        seconds(t)
    );
    for topic in &first.report.topics.discovered {
        println!(
            "  topic {}: {} ({} posts)",
            topic.id, topic.label, topic.size
        );
    }
    println!(
        "  communities: {} voices, {} ties, modularity {:.3}",
        first.report.communities.voices,
        first.report.communities.ties,
        first.report.communities.modularity
    );

    let mut repeat = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        std::hint::black_box(insights.report(&store, &request)?);
        repeat.push(seconds(t));
    }
    println!(
        "repeated report, median of {}: {:.2} s",
        repeat.len(),
        median(repeat)
    );

    if let Some(path) = add {
        let t = Instant::now();
        let summary = import_files(
            &store,
            &ImportRequest {
                paths: vec![path.to_path_buf()],
                ..ImportRequest::default()
            },
            &NoProgress,
        )?;
        println!(
            "imported {} new posts in {:.2} s",
            summary.imported,
            seconds(t)
        );
        let t = Instant::now();
        let after = insights.report(&store, &request)?;
        println!(
            "report after new posts (incremental, refitted: {}): {:.2} s over {} posts",
            after.report.topics.refitted,
            seconds(t),
            after.scope.posts
        );
    }
    Ok(())
}
