//! Loading the Pol.is open-data fixtures kept in `shared/data/polis`.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::fs::File;
use std::path::PathBuf;

use townhall_consult::{read_export, Export};

/// The fixtures folder (a sibling of the work tree).
pub fn data_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/polis"
    ))
}

/// Path of one export file.
pub fn path(conversation: &str, file: &str) -> PathBuf {
    data_dir().join(conversation).join(file)
}

/// A whole export, participants-votes and summary included.
pub fn load(conversation: &str) -> Export {
    let open = |f: &str| {
        File::open(path(conversation, f)).unwrap_or_else(|e| panic!("{conversation}/{f}: {e}"))
    };
    let mut pv = open("participants-votes.csv");
    let mut summary = open("summary.csv");
    read_export(
        open("comments.csv"),
        open("votes.csv"),
        Some(&mut pv),
        Some(&mut summary),
    )
    .unwrap()
}
