//! Every importer on arbitrary bytes: reading must never panic, whatever the bytes are; bad
//! records become rejects that name the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use townhall_ingest::{detect, read, Format, ImportOptions};

/// The format after `format` in a fixed order (`None` starts). The exhaustive match stops this
/// file compiling when a format is added, so no importer is left out of fuzzing.
fn next_format(format: Option<Format>) -> Option<Format> {
    match format {
        None => Some(Format::Jsonl),
        Some(Format::Jsonl) => Some(Format::Csv),
        Some(Format::Csv) => Some(Format::CongressTweets),
        Some(Format::CongressTweets) => Some(Format::Mastodon),
        Some(Format::Mastodon) => Some(Format::Bluesky),
        Some(Format::Bluesky) => Some(Format::XArchive),
        Some(Format::XArchive) => Some(Format::PublicReplies),
        Some(Format::PublicReplies) => Some(Format::Feed),
        Some(Format::Feed) => Some(Format::RegulationsGov),
        Some(Format::RegulationsGov) => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = detect("fuzz", data);
    let options = ImportOptions::default();
    let mut format = next_format(None);
    while let Some(current) = format {
        if let Ok(records) = read("fuzz", Cursor::new(data.to_vec()), current, &options) {
            for record in records {
                if let Err(reject) = record {
                    assert_eq!(reject.file, "fuzz", "{current:?}: {reject}");
                }
            }
        }
        format = next_format(format);
    }
});
