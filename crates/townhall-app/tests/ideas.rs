#![allow(clippy::unwrap_used, clippy::expect_used)]
//! An idea's life over a real store: captured from a public post, a case and an employee; similar ideas
//! offered for merging; votes and comments; stages with reasons, owner and strategy; the public source told
//! what became of it; merged duplicates; every change audited.

mod common;

use common::{post, Agency};
use townhall_app::cases::open_cases;
use townhall_app::ideas::{act, list, submit, view, IdeaCommand, IdeaInput, IdeaSource};
use townhall_app::inbox_settings::outbox;
use townhall_app::{AppError, StoreError};
use townhall_core::Role;

#[test]
fn an_idea_goes_from_a_public_post_to_adoption_and_its_author_is_told() {
    let agency = Agency::new();
    agency.import(&[
        post(
            "a1",
            "cityhall",
            "Tell us how to make Main Street safer.",
            None,
            1,
        ),
        post(
            "p1",
            "ana",
            "Please add protected bike lanes on Main Street, it would make cycling to school safe.",
            Some("a1"),
            2,
        ),
        post(
            "p2",
            "ben",
            "Could the library open longer on weekends?",
            Some("a1"),
            2,
        ),
    ]);
    open_cases(&agency.store).unwrap();
    let lead = agency.staff("lena", Role::Moderator, None);
    let rita = agency.staff("rita", Role::Responder, None);
    let vic = agency.staff("vic", Role::Viewer, None);
    let ana_post = agency
        .store
        .matching_ids(&townhall_core::query::parse("from:ana").unwrap())
        .unwrap()[0];

    // From the public's post.
    let first = submit(
        &agency.store,
        &rita,
        &IdeaInput {
            title: "Protected bike lanes on Main Street".into(),
            body: "Raised from the public's replies.".into(),
            source: IdeaSource::Post(ana_post),
            strategy: None,
            campaign: None,
        },
    )
    .unwrap();
    assert!(first.similar.is_empty());
    // An employee's near-duplicate is offered the first one for merging.
    let second = submit(
        &agency.store,
        &vic,
        &IdeaInput {
            title: "More bike lanes for Main Street".into(),
            body: "Protected lanes please".into(),
            source: IdeaSource::Employee,
            strategy: None,
            campaign: None,
        },
    )
    .unwrap();
    assert_eq!(
        second.similar.first().map(|s| s.id),
        Some(first.id),
        "{:?}",
        second.similar
    );
    // From a case; an unrelated idea is not offered.
    let case = townhall_app::inbox::list_cases(&agency.store, None, None, 10)
        .unwrap()
        .into_iter()
        .find(|c| c.author.as_deref() == Some("@ben"))
        .unwrap();
    let library = submit(
        &agency.store,
        &rita,
        &IdeaInput {
            title: "Weekend library hours".into(),
            body: String::new(),
            source: IdeaSource::Case(case.id),
            strategy: Some("Service".into()),
            campaign: None,
        },
    )
    .unwrap();
    assert!(library.similar.iter().all(|s| s.id != first.id));

    // Votes and comments from staff; a vote is one per person.
    for (who, value) in [(&rita, 1), (&vic, 1), (&lead, -1), (&vic, 1)] {
        act(
            &agency.store,
            who,
            first.id,
            None,
            &IdeaCommand::Vote { value },
        )
        .unwrap();
    }
    act(
        &agency.store,
        &vic,
        second.id,
        None,
        &IdeaCommand::Vote { value: -1 },
    )
    .unwrap();
    act(
        &agency.store,
        &vic,
        first.id,
        None,
        &IdeaCommand::Comment {
            text: "The school run would love this.".into(),
        },
    )
    .unwrap();

    // Only idea managers move stages; a viewer cannot.
    let move_to = |stage: &str, reason: &str| IdeaCommand::Move {
        stage: stage.into(),
        reason: reason.into(),
    };
    assert!(matches!(
        act(
            &agency.store,
            &vic,
            first.id,
            None,
            &move_to("under_review", "")
        ),
        Err(AppError::Forbidden { .. })
    ));
    // Skipping stages, or adopting without a reason, is refused.
    assert!(act(
        &agency.store,
        &lead,
        first.id,
        None,
        &move_to("adopted", "ok")
    )
    .is_err());
    let v = view(&agency.store, first.id).unwrap();
    assert_eq!(v.similar.first().map(|s| s.id), Some(second.id));
    act(
        &agency.store,
        &lead,
        first.id,
        Some(v.detail.idea.version),
        &move_to("under_review", ""),
    )
    .unwrap();
    // A change made from an old version is refused.
    let stale = act(
        &agency.store,
        &lead,
        first.id,
        Some(v.detail.idea.version),
        &move_to("piloting", ""),
    );
    assert!(matches!(
        stale,
        Err(AppError::Store(StoreError::Conflict(_)))
    ));
    act(
        &agency.store,
        &lead,
        first.id,
        None,
        &IdeaCommand::Own {
            user: Some("rita".into()),
        },
    )
    .unwrap();
    act(
        &agency.store,
        &lead,
        first.id,
        None,
        &IdeaCommand::Strategy {
            strategy: Some("Outreach".into()),
        },
    )
    .unwrap();
    act(
        &agency.store,
        &lead,
        first.id,
        None,
        &move_to("piloting", "Two-block pilot in June"),
    )
    .unwrap();
    assert!(act(
        &agency.store,
        &lead,
        first.id,
        None,
        &move_to("adopted", "  ")
    )
    .is_err());
    let adopted = act(
        &agency.store,
        &lead,
        first.id,
        None,
        &move_to(
            "adopted",
            "The pilot cut near misses by half; the lanes are permanent from July.",
        ),
    )
    .unwrap();
    assert!(adopted.source_told);

    // Merge the duplicate: its votes join (one per person), it leaves the list.
    act(
        &agency.store,
        &lead,
        second.id,
        None,
        &IdeaCommand::MergeInto { idea: first.id },
    )
    .unwrap();
    let ideas = list(&agency.store, None, 100).unwrap();
    assert_eq!(ideas.len(), 2);
    let first_row = ideas.iter().find(|i| i.id == first.id).unwrap();
    assert_eq!(first_row.stage, "adopted");
    assert_eq!(first_row.owner.as_deref(), Some("rita (staff)"));
    assert_eq!(first_row.strategy.as_deref(), Some("Outreach"));
    assert_eq!(
        (first_row.votes_for, first_row.votes_against),
        (2, 1),
        "vic's vote on the duplicate does not count twice"
    );
    assert_eq!(first_row.comments, 1);
    assert_eq!(list(&agency.store, Some("adopted"), 10).unwrap().len(), 1);
    assert!(list(&agency.store, Some("dreaming"), 10).is_err());

    let detail = view(&agency.store, first.id).unwrap().detail;
    let history: Vec<&str> = detail.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(
        history,
        [
            "submitted",
            "stage",
            "owner",
            "strategy",
            "stage",
            "stage",
            "merged"
        ]
    );
    assert!(detail.history[5].detail.contains("near misses"));
    assert_eq!(detail.merged.len(), 1);

    // Ana is told, in the outbox, each time the idea moved.
    let news: Vec<_> = outbox(&agency.store, &rita, 0, 100)
        .unwrap()
        .into_iter()
        .filter(|o| o.kind == "idea_update")
        .collect();
    assert_eq!(news.len(), 3, "under review, piloting, adopted");
    assert_eq!(news[2].recipient.as_deref(), Some("ana"));
    assert_eq!(news[2].in_reply_to, Some(ana_post));
    assert!(news[2].body.starts_with("@ana Thank you for your idea"));
    assert!(news[2].body.contains("it is now adopted"));

    // Every change is in the audit log.
    let audit = agency.store.audit_page(None, 1_000).unwrap();
    let about_first = audit
        .iter()
        .filter(|a| a.target == format!("idea {}", first.id))
        .count();
    // Submitted, 4 votes, a comment, 3 stage changes, owner, strategy (the merge is recorded on the
    // merged idea).
    assert_eq!(about_first, 11);
}
