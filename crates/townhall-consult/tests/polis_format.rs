//! The Pol.is CSV export: every fixture reads, writes back byte for byte where the writer is
//! ours to choose, and reads back equal; arbitrary input never panics; written rows read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;

use proptest::prelude::*;
use townhall_consult::polis_format::{
    read_comments, read_participants_votes, read_summary, read_votes, write_comments,
    write_participants_votes, write_summary, write_votes, CommentRow, CommentsFormat,
    ParticipantRow, ParticipantsVotes, StatementRecord, Summary, VoteRow,
};
use townhall_consult::{analyze, read_export, write_export, Export, Settings, VoteEvent};

const CONVERSATIONS: [&str; 3] = [
    "london.youth.policing",
    "bg2050-volunteers",
    "canadian-electoral-reform",
];

fn write_all(export: &Export) -> [Vec<u8>; 4] {
    let (mut c, mut v, mut p, mut s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    write_export(export, &mut c, &mut v, Some(&mut p), Some(&mut s)).unwrap();
    [c, v, p, s]
}

#[test]
fn fixtures_round_trip_byte_for_byte() {
    for name in CONVERSATIONS {
        let export = common::load(name);
        let written = write_all(&export);
        for (file, bytes) in [
            "comments.csv",
            "votes.csv",
            "participants-votes.csv",
            "summary.csv",
        ]
        .iter()
        .zip(&written)
        {
            let original = fs::read(common::path(name, file)).unwrap();
            assert!(
                original == *bytes,
                "{name}/{file} differs after a round trip"
            );
        }
        let again = read_export(
            written[0].as_slice(),
            written[1].as_slice(),
            Some(&mut written[2].as_slice()),
            Some(&mut written[3].as_slice()),
        )
        .unwrap();
        assert_eq!(again, export, "{name}");
    }
}

#[test]
fn fixtures_have_the_documented_shape() {
    let bg = common::load("bg2050-volunteers");
    assert_eq!(bg.comments_format, CommentsFormat::Current);
    assert_eq!(bg.comments.len(), 371);
    assert_eq!(bg.votes.len(), 14_341);
    let table = bg.participants_votes.as_ref().unwrap();
    assert!(table.has_xid);
    assert_eq!(table.rows.len(), 126);
    assert_eq!(bg.group_ids().len(), 108);
    // Re-votes: the latest wins, and the matrix then equals participants-votes.csv.
    let matrix = bg.vote_matrix().unwrap();
    assert_eq!(matrix.n_votes(), 14_283);
    for row in &table.rows {
        for (id, cell) in table.comment_ids.iter().zip(&row.votes) {
            assert_eq!(
                matrix.vote(row.participant, *id),
                *cell,
                "participant {} comment {id}",
                row.participant
            );
        }
    }
    let summary = bg.summary.as_ref().unwrap();
    assert_eq!(
        summary.topic(),
        Some("Together, we'll build the BG of 2050.")
    );
    assert!(summary
        .description()
        .unwrap()
        .contains("\n\n*Share all your dreams"));

    let ca = common::load("canadian-electoral-reform");
    assert_eq!(ca.comments_format, CommentsFormat::Classic);
    assert!(!ca.participants_votes.as_ref().unwrap().has_xid);
    assert_eq!(ca.excluded_statements().len(), 22);
    assert_eq!(ca.vote_matrix().unwrap().n_votes(), 11_950);
}

#[test]
fn errors_name_file_line_and_field() {
    let votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,2,3,1\n1,x,2,3,7\n";
    assert_eq!(
        read_votes(votes.as_bytes()).unwrap_err().to_string(),
        "votes.csv: line 3: field `vote`: expected a vote -1, 0 or 1, found \"7\""
    );
    assert_eq!(
        read_votes("timestamp,comment-id,vote\n".as_bytes())
            .unwrap_err()
            .to_string(),
        "votes.csv: header: missing column `voter-id`"
    );
    let pv = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,5\n1,0,0,1,1,0,1\n2,x,0,1,1,0,1\n";
    assert_eq!(
        read_participants_votes(pv.as_bytes()).unwrap_err().to_string(),
        "participants-votes.csv: line 3: field `group-id`: expected a group number or nothing, found \"x\""
    );
    let short = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,5\n1,0,0,1\n";
    assert_eq!(
        read_participants_votes(short.as_bytes())
            .unwrap_err()
            .to_string(),
        "participants-votes.csv: line 2: expected 7 fields, found 4"
    );
    assert_eq!(
        read_summary("topic,a,b\n".as_bytes())
            .unwrap_err()
            .to_string(),
        "summary.csv: line 1: expected 2 fields, found 3"
    );
}

/// A Townhall consultation exported to the Pol.is format and read back gives the same votes
/// and groups, and Pol.is's consensus column.
#[test]
fn a_consultation_exports_and_imports() {
    let planted = townhall_consult::synthetic::planted(120, 20, 2_000, 2, 7);
    let statements: Vec<StatementRecord> = (0..20)
        .map(|i| StatementRecord {
            id: i,
            author_id: i % 5,
            timestamp_ms: 1_700_000_000_000 + i,
            moderated: if i == 3 { -1 } else { 1 },
            is_meta: i == 4,
            is_seed: i < 2,
            body: format!("Statement {i}, with \"quotes\"\nand a second line"),
        })
        .collect();
    let mut events = planted.events.clone();
    events.push(VoteEvent {
        participant_id: 0,
        statement_id: 0,
        vote: -1,
        timestamp_ms: 1_800_000_000_000,
    });
    let matrix = townhall_consult::VoteMatrix::from_events(events.iter().copied())
        .unwrap()
        .with_excluded([3, 4]);
    let analysis = analyze(&matrix, &Settings::default(), None);
    let summary = Summary {
        entries: vec![
            ("topic".into(), "Planted".into()),
            ("conversation-description".into(), "Two\nlines".into()),
        ],
    };
    let export =
        Export::from_consultation(&statements, &events, Some(&analysis), Some(summary)).unwrap();
    let written = write_all(&export);
    let back = read_export(
        written[0].as_slice(),
        written[1].as_slice(),
        Some(&mut written[2].as_slice()),
        Some(&mut written[3].as_slice()),
    )
    .unwrap();
    assert_eq!(back, export);
    assert_eq!(back.group_ids(), analysis.group_of);
    assert_eq!(
        back.excluded_statements().into_iter().collect::<Vec<_>>(),
        vec![3, 4]
    );
    let again = back.vote_matrix().unwrap();
    assert_eq!(
        again.latest_events().collect::<Vec<_>>(),
        matrix.latest_events().collect::<Vec<_>>()
    );
    assert_eq!(again.vote(0, 0), Some(-1));
    let row = &back.comments[0];
    assert_eq!(
        row.agrees + row.disagrees,
        events
            .iter()
            .filter(|e| e.statement_id == 0 && e.vote != 0)
            .count() as u64
    );
    assert!(row.group_informed_consensus.is_some());
    assert_eq!(back.summary.unwrap().get("voters"), Some("120"));
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,\"\n\r\t'éß€-]{0,30}",
        Just(String::new()),
        Just("\"".to_string()),
    ]
}

fn comment_row(format: CommentsFormat) -> impl Strategy<Value = CommentRow> {
    (
        any::<i64>(),
        any::<i64>(),
        any::<i64>(),
        any::<u64>(),
        any::<u64>(),
        -1i8..=1,
        any::<(bool, bool)>(),
        proptest::option::of(-1e9f64..1e9),
        text(),
        "[A-Za-z0-9 :]{0,28}",
    )
        .prop_map(
            move |(ts, id, author, agrees, disagrees, moderated, (meta, seed), gic, body, dt)| {
                let current = format == CommentsFormat::Current;
                CommentRow {
                    timestamp_ms: ts,
                    datetime: (!current).then_some(dt),
                    comment_id: id,
                    author_id: author,
                    agrees,
                    disagrees,
                    moderated,
                    is_meta: meta && current,
                    is_seed: seed && current,
                    group_informed_consensus: gic.filter(|_| current),
                    body,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_votes(bytes.as_slice());
        let _ = read_comments(bytes.as_slice());
        let _ = read_participants_votes(bytes.as_slice());
        let _ = read_summary(bytes.as_slice());
    }

    #[test]
    fn parsers_never_panic_on_near_valid_text(
        header in prop::sample::select(vec![
            "timestamp,datetime,comment-id,voter-id,vote",
            "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body",
            "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,1,2",
        ]),
        body in "[0-9a-z,\"\n -]{0,200}",
    ) {
        let text = format!("{header}\n{body}");
        let _ = read_votes(text.as_bytes());
        let _ = read_comments(text.as_bytes());
        let _ = read_participants_votes(text.as_bytes());
        let _ = read_summary(text.as_bytes());
    }

    #[test]
    fn votes_round_trip(rows in proptest::collection::vec(
        (any::<i64>(), "[A-Za-z0-9 :,\"]{0,30}", any::<i64>(), any::<i64>(), -1i8..=1)
            .prop_map(|(timestamp_ms, datetime, comment_id, voter_id, vote)| VoteRow { timestamp_ms, datetime, comment_id, voter_id, vote }),
        0..20,
    )) {
        let mut out = Vec::new();
        write_votes(&mut out, &rows).unwrap();
        prop_assert_eq!(read_votes(out.as_slice()).unwrap(), rows);
    }

    #[test]
    fn comments_round_trip(
        (format, rows) in prop_oneof![Just(CommentsFormat::Classic), Just(CommentsFormat::Current)]
            .prop_flat_map(|f| (Just(f), proptest::collection::vec(comment_row(f), 0..12)))
    ) {
        let mut out = Vec::new();
        write_comments(&mut out, format, &rows).unwrap();
        let (read_format, back) = read_comments(out.as_slice()).unwrap();
        prop_assert_eq!(read_format, format);
        prop_assert_eq!(back, rows);
    }

    #[test]
    fn participants_votes_round_trip(
        has_xid in any::<bool>(),
        ids in proptest::collection::btree_set(any::<i64>(), 0..8),
        seed_rows in proptest::collection::vec((any::<i64>(), "[a-z0-9]{0,6}", proptest::option::of(0usize..5), any::<[u64; 4]>(), proptest::collection::vec(proptest::option::of(-1i8..=1), 8)), 0..10),
    ) {
        let comment_ids: Vec<i64> = ids.into_iter().collect();
        let rows = seed_rows.into_iter().map(|(participant, xid, group_id, n, votes)| ParticipantRow {
            participant,
            xid: Some(xid).filter(|x| has_xid && !x.is_empty()),
            group_id,
            n_comments: n[0], n_votes: n[1], n_agree: n[2], n_disagree: n[3],
            votes: votes[..comment_ids.len()].to_vec(),
        }).collect();
        let table = ParticipantsVotes { has_xid, comment_ids, rows };
        let mut out = Vec::new();
        write_participants_votes(&mut out, &table).unwrap();
        prop_assert_eq!(read_participants_votes(out.as_slice()).unwrap(), table);
    }

    #[test]
    fn summary_round_trip(entries in proptest::collection::vec(("[a-z-]{1,12}", text()), 0..10)) {
        let summary = Summary { entries };
        let mut out = Vec::new();
        write_summary(&mut out, &summary).unwrap();
        prop_assert_eq!(read_summary(out.as_slice()).unwrap(), summary);
    }
}
