use crate::cli::{AnalyzeArgs, AnalyzeInput};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use townhall_app::analyze::analyze_batch;
use townhall_core::Analysis;

#[derive(Deserialize)]
struct Input {
    text: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Output<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    text: &'a str,
    #[serde(flatten)]
    analysis: &'a Analysis,
}

const CHUNK: usize = 1_024;

pub fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut chunk: Vec<Input> = Vec::with_capacity(CHUNK);
    let mut bad_lines = 0u64;
    let flush = |chunk: &mut Vec<Input>, out: &mut BufWriter<_>| -> anyhow::Result<()> {
        let texts: Vec<(&str, Option<&str>)> = chunk
            .iter()
            .map(|i| (i.text.as_str(), i.lang.as_deref()))
            .collect();
        for (input, analysis) in chunk.iter().zip(analyze_batch(&texts)) {
            let line = Output {
                id: input.id.as_ref(),
                text: &input.text,
                analysis: &analysis,
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        chunk.clear();
        Ok(())
    };
    for (n, line) in stdin.lines().enumerate() {
        let line = line.with_context(|| format!("reading stdin line {}", n + 1))?;
        let input = match args.input {
            AnalyzeInput::Text => Input {
                text: line,
                lang: None,
                id: None,
            },
            AnalyzeInput::Jsonl => {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Input>(&line) {
                    Ok(input) => input,
                    Err(e) => {
                        eprintln!("stdin line {}: skipped: {e}", n + 1);
                        bad_lines += 1;
                        continue;
                    }
                }
            }
        };
        chunk.push(input);
        if chunk.len() == CHUNK {
            flush(&mut chunk, &mut out)?;
        }
    }
    flush(&mut chunk, &mut out)?;
    out.flush()?;
    Ok(if bad_lines > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
