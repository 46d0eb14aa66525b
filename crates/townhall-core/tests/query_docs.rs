//! `docs/query-language.md` must say what the parser does: its examples parse, its precedence
//! table holds and its error table shows the parser's actual messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use townhall_core::query::parse;

fn guide() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/query-language.md");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the user guide {}: {e}", path.display()))
}

/// The cells of the markdown table rows that follow `heading_line`, up to the next blank line
/// after the table.
fn table_after(guide: &str, heading_line: &str) -> Vec<Vec<String>> {
    let start = guide
        .find(heading_line)
        .unwrap_or_else(|| panic!("{heading_line:?} not found in the guide"));
    guide[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // header and separator
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

fn code(cell: &str) -> &str {
    cell.strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .unwrap_or_else(|| panic!("expected a `code` cell, got {cell:?}"))
}

#[test]
fn the_opening_examples_parse() {
    let guide = guide();
    let block = guide
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the guide opens with a text block of examples");
    let mut count = 0;
    for line in block.lines() {
        // Each line is the query, then at least two spaces, then the explanation.
        let query = line.split("  ").next().unwrap().trim();
        assert!(parse(query).is_ok(), "{query:?}: {:?}", parse(query));
        count += 1;
    }
    assert!(count >= 10, "only {count} examples found");
}

#[test]
fn the_precedence_table_holds() {
    let rows = table_after(&guide(), "### Precedence");
    assert!(rows.len() >= 5, "{rows:?}");
    for row in rows {
        let (typed, means) = (code(&row[0]), &row[1]);
        if let Some(explicit) = means.strip_prefix('`').and_then(|m| m.strip_suffix('`')) {
            assert_eq!(parse(typed), parse(explicit), "{typed:?} vs {explicit:?}");
        } else {
            assert!(parse(typed).is_ok(), "{typed:?}");
        }
    }
}

#[test]
fn the_error_table_shows_the_real_messages() {
    let rows = table_after(&guide(), "Typical messages:");
    assert!(rows.len() >= 10, "{rows:?}");
    for row in rows {
        let (query, message) = (code(&row[0]), &row[1]);
        let error = parse(query).expect_err(query);
        assert_eq!(&error.message, message, "for {query:?}");
    }
}

#[test]
fn the_error_example_shows_the_real_pointer() {
    let guide = guide();
    let query = "tax (reform OR budget";
    let error = parse(query).unwrap_err();
    let shown = format!("error: {error}\n{}", error.pointer(query));
    assert!(guide.contains(&shown), "the guide should show:\n{shown}");
}
