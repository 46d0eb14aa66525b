use crate::cli::{SearchArgs, SortArg};
use std::process::ExitCode;
use townhall_app::search::search;
use townhall_app::{AppError, Sort, Store};

pub fn run(store: &Store, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let sort = match args.sort {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Newest => Sort::Newest,
        SortArg::Oldest => Sort::Oldest,
    };
    let page = match search(store, &args.query, sort, args.limit, args.offset) {
        Ok(page) => page,
        Err(AppError::Query {
            message, pointer, ..
        }) => {
            eprintln!("error: {message}\n{pointer}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&page)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} posts match.", page.total);
    for post in &page.posts {
        let text: String = post.text.chars().take(280).collect();
        println!(
            "\n#{} {} {} {} [{} {:+.2}{}]\n  {}",
            post.id,
            post.created_at.format("%Y-%m-%d %H:%M"),
            post.channel,
            post.author.as_deref().unwrap_or("unknown"),
            post.analysis.lang.as_deref().unwrap_or("?"),
            post.analysis.sentiment.compound,
            if post.analysis.is_question {
                " question"
            } else {
                ""
            },
            text.replace('\n', "\n  ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
