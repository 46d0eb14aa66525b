#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Learning in a safe place over a real store: saved replies and outbound messages run with
//! employees first and reach the public only when the trial says they are ready; idea campaigns run
//! with employees, then the public, then close; strategies list their campaigns and measure them.

mod common;

use common::{post, Agency};
use townhall_app::campaigns::{self, CampaignInput};
use townhall_app::ideas::{submit, IdeaInput, IdeaSource};
use townhall_app::inbox::case_view;
use townhall_app::insights::Insights;
use townhall_app::strategies::{self, StrategyInput};
use townhall_app::trials::{
    create_outbound, give_feedback, list, mark_sent, release, view, OutboundInput,
};
use townhall_app::{inbox_settings, AppError, SavedReply, TrialSubject};
use townhall_core::Role;
use townhall_strategy::draft::Image;
use townhall_strategy::goals::{Direction, Goal, Metric};

fn invalid(e: AppError) -> String {
    match e {
        AppError::Invalid(m) => m,
        other => panic!("expected a refusal with reasons, got {other:?}"),
    }
}

#[test]
fn a_saved_reply_on_trial_is_kept_off_public_cases_until_employees_clear_it() {
    let agency = Agency::new();
    agency.import(&[post("q1", "ana", "When is recycling picked up?", None, 1)]);
    let admin = agency.admin_actor();
    let rita = agency.staff("rita", Role::Responder, None);
    let vic = agency.staff("vic", Role::Viewer, None);
    let insights = Insights::new();
    let post_id = agency.store.posts_after(0, 1).unwrap()[0].id;
    let case = townhall_app::cases::flag_post(&agency.store, &rita, post_id, "question").unwrap();

    let id = inbox_settings::save_saved_reply(
        &agency.store,
        &admin,
        &SavedReply {
            id: 0,
            title: "Pickup day".into(),
            team: None,
            body: "Hi {author}, recycling is picked up on Tuesdays.".into(),
            audience: "employees".into(),
        },
    )
    .unwrap();
    let offered = |who| {
        case_view(&agency.store, who, case, 0)
            .unwrap()
            .saved_replies
            .iter()
            .any(|r| r.id == id)
    };
    assert!(
        !offered(&rita),
        "a reply on trial is not offered on a public case"
    );
    let lines = list(&agency.store).unwrap();
    assert!(lines
        .iter()
        .any(|l| l.subject == TrialSubject::SavedReply && l.id == id && l.audience == "employees"));

    // One employee's verdict is not enough; a second verdict by the same employee replaces the first.
    give_feedback(
        &agency.store,
        &rita,
        TrialSubject::SavedReply,
        id,
        "unclear",
        "Which Tuesday?",
    )
    .unwrap();
    give_feedback(
        &agency.store,
        &rita,
        TrialSubject::SavedReply,
        id,
        "clear",
        "",
    )
    .unwrap();
    let v = view(&agency.store, &insights, TrialSubject::SavedReply, id).unwrap();
    assert_eq!(
        (v.check.reviews, v.check.clear, v.check.ready),
        (1, 1, false)
    );
    let why = invalid(
        release(
            &agency.store,
            &insights,
            &admin,
            TrialSubject::SavedReply,
            id,
        )
        .unwrap_err(),
    );
    assert!(why.contains("1 employee reviewed it (2 needed)"), "{why}");

    // A viewer may review but not release (saved replies are instance settings).
    give_feedback(
        &agency.store,
        &vic,
        TrialSubject::SavedReply,
        id,
        "clear",
        "Reads well",
    )
    .unwrap();
    assert!(matches!(
        release(
            &agency.store,
            &insights,
            &rita,
            TrialSubject::SavedReply,
            id
        ),
        Err(AppError::Forbidden { .. })
    ));
    let v = release(
        &agency.store,
        &insights,
        &admin,
        TrialSubject::SavedReply,
        id,
    )
    .unwrap();
    assert_eq!(v.audience, "public");
    assert!(
        offered(&rita),
        "once cleared, the reply is offered on public cases"
    );

    // Feedback is for what is on trial.
    assert!(matches!(
        give_feedback(
            &agency.store,
            &vic,
            TrialSubject::SavedReply,
            id,
            "clear",
            ""
        ),
        Err(AppError::NotOpen(_))
    ));
    assert!(give_feedback(
        &agency.store,
        &vic,
        TrialSubject::SavedReply,
        999,
        "clear",
        ""
    )
    .is_err());
}

#[test]
fn an_outbound_message_goes_out_only_after_employees_and_the_draft_checker_clear_it() {
    let agency = Agency::new();
    agency.import(&[post(
        "a1",
        "cityhall",
        "The pool reopens on Monday.",
        None,
        1,
    )]);
    let rita = agency.staff("rita", Role::Responder, None);
    let vic = agency.staff("vic", Role::Viewer, None);
    let lena = agency.staff("lena", Role::Moderator, None);
    let insights = Insights::new();

    // Personal data and an image without alt text must be fixed first, however clear it reads.
    let risky = create_outbound(
        &agency.store,
        &rita,
        &OutboundInput {
            title: "Pool hours".into(),
            body: "The pool opens at 7 on Monday. Questions? Call Jo at 555-867-5309.".into(),
            images: vec![Image {
                name: "pool.jpg".into(),
                alt: None,
            }],
            channel: Some("mastodon:cityhall".into()),
            strategy: Some("Reach people".into()),
        },
    )
    .unwrap();
    for who in [&rita, &vic] {
        give_feedback(
            &agency.store,
            who,
            TrialSubject::Outbound,
            risky,
            "clear",
            "",
        )
        .unwrap();
    }
    let v = view(&agency.store, &insights, TrialSubject::Outbound, risky).unwrap();
    assert!(!v.check.ready);
    let fix = &v.check.reasons[2].text;
    assert!(
        fix.contains("personal data (phone)") && fix.contains("alt text missing for pool.jpg"),
        "{fix}"
    );
    assert!(v
        .report
        .as_ref()
        .unwrap()
        .personal_data
        .contains(&"phone".to_string()));
    let why = invalid(
        release(
            &agency.store,
            &insights,
            &lena,
            TrialSubject::Outbound,
            risky,
        )
        .unwrap_err(),
    );
    assert!(why.contains("fix first"), "{why}");
    // Not cleared: it cannot be marked sent.
    assert!(mark_sent(&agency.store, &rita, risky).is_err());

    // A clean message with a split verdict waits; a third clear verdict makes three in four.
    let clean = create_outbound(
        &agency.store,
        &rita,
        &OutboundInput {
            title: "Pool reopens".into(),
            body: "The pool opens again on Monday at 7 in the morning.".into(),
            images: vec![Image {
                name: "pool.jpg".into(),
                alt: Some("The empty pool with lanes marked, in the sun".into()),
            }],
            ..OutboundInput::default()
        },
    )
    .unwrap();
    give_feedback(
        &agency.store,
        &rita,
        TrialSubject::Outbound,
        clean,
        "clear",
        "",
    )
    .unwrap();
    give_feedback(
        &agency.store,
        &vic,
        TrialSubject::Outbound,
        clean,
        "unclear",
        "Which pool?",
    )
    .unwrap();
    assert!(
        !view(&agency.store, &insights, TrialSubject::Outbound, clean)
            .unwrap()
            .check
            .ready
    );
    give_feedback(
        &agency.store,
        &lena,
        TrialSubject::Outbound,
        clean,
        "clear",
        "",
    )
    .unwrap();
    let admin = agency.admin_actor();
    give_feedback(
        &agency.store,
        &admin,
        TrialSubject::Outbound,
        clean,
        "clear",
        "",
    )
    .unwrap();
    let v = view(&agency.store, &insights, TrialSubject::Outbound, clean).unwrap();
    assert_eq!(
        (v.check.reviews, v.check.clear, v.check.ready),
        (4, 3, true)
    );
    assert_eq!(
        v.feedback
            .iter()
            .find(|f| f.verdict == "unclear")
            .unwrap()
            .comment,
        "Which pool?"
    );

    // A responder drafts and sends; a moderator clears for the public.
    assert!(matches!(
        release(
            &agency.store,
            &insights,
            &rita,
            TrialSubject::Outbound,
            clean
        ),
        Err(AppError::Forbidden { .. })
    ));
    assert_eq!(
        release(
            &agency.store,
            &insights,
            &lena,
            TrialSubject::Outbound,
            clean
        )
        .unwrap()
        .audience,
        "public"
    );
    assert!(release(
        &agency.store,
        &insights,
        &lena,
        TrialSubject::Outbound,
        clean
    )
    .is_err());
    mark_sent(&agency.store, &rita, clean).unwrap();
    assert_eq!(
        agency.store.outbound(clean).unwrap().unwrap().audience,
        "sent"
    );

    // Bad input is refused with the field named.
    let e = invalid(
        create_outbound(
            &agency.store,
            &rita,
            &OutboundInput {
                title: "x".into(),
                ..OutboundInput::default()
            },
        )
        .unwrap_err(),
    );
    assert!(e.starts_with("body:"), "{e}");
    assert!(matches!(
        create_outbound(
            &agency.store,
            &vic,
            &OutboundInput {
                title: "x".into(),
                body: "y".into(),
                ..OutboundInput::default()
            }
        ),
        Err(AppError::Forbidden { .. })
    ));
}

#[test]
fn an_idea_campaign_hears_employees_first_then_the_public_then_closes() {
    let agency = Agency::new();
    agency.import(&[post(
        "p1",
        "ana",
        "Please put the bus times at every stop.",
        None,
        1,
    )]);
    let lena = agency.staff("lena", Role::Moderator, None);
    let vic = agency.staff("vic", Role::Viewer, None);
    let analyst = agency.staff("al", Role::Analyst, None);
    let public_post = agency.store.posts_after(0, 1).unwrap()[0].id;

    assert!(matches!(
        campaigns::create(
            &agency.store,
            &vic,
            &CampaignInput {
                slug: "x".into(),
                title: "x".into(),
                question: "x?".into(),
                strategy: None
            }
        ),
        Err(AppError::Forbidden { .. })
    ));
    let c = campaigns::create(
        &agency.store,
        &lena,
        &CampaignInput {
            slug: "better-buses".into(),
            title: "Better buses".into(),
            question: "What one change would make the bus easier to use?".into(),
            strategy: Some("Ideas from the front line".into()),
        },
    )
    .unwrap();
    assert_eq!(c.audience, "employees");
    let bad = invalid(
        campaigns::create(
            &agency.store,
            &lena,
            &CampaignInput {
                slug: "Better Buses".into(),
                title: "t".into(),
                question: "q".into(),
                strategy: None,
            },
        )
        .unwrap_err(),
    );
    assert!(bad.starts_with("slug:"), "{bad}");
    let taken = invalid(
        campaigns::create(
            &agency.store,
            &lena,
            &CampaignInput {
                slug: "better-buses".into(),
                title: "t".into(),
                question: "q".into(),
                strategy: None,
            },
        )
        .unwrap_err(),
    );
    assert!(taken.contains("exists already"), "{taken}");

    let idea = |source, title: &str| IdeaInput {
        title: title.into(),
        body: String::new(),
        source,
        strategy: None,
        campaign: Some("better-buses".into()),
    };
    // Employees first: an employee's idea joins, a public post's waits for the public phase.
    submit(
        &agency.store,
        &vic,
        &idea(IdeaSource::Employee, "Real-time bus screens in the lobby"),
    )
    .unwrap();
    let why = invalid(
        submit(
            &agency.store,
            &vic,
            &idea(IdeaSource::Post(public_post), "Bus times at every stop"),
        )
        .unwrap_err(),
    );
    assert!(why.contains("employees only for now"), "{why}");

    campaigns::set_audience(&agency.store, &lena, "better-buses", "public").unwrap();
    submit(
        &agency.store,
        &vic,
        &idea(IdeaSource::Post(public_post), "Bus times at every stop"),
    )
    .unwrap();
    let v = campaigns::view(&agency.store, "better-buses").unwrap();
    assert_eq!(v.campaign.ideas, 2);
    assert_eq!(v.ideas.len(), 2);
    assert!(v.ideas.iter().all(|i| i.campaign_id == Some(c.id)));
    assert_eq!(
        v.stages.iter().find(|(s, _)| s == "submitted").unwrap().1,
        2
    );

    campaigns::set_audience(&agency.store, &lena, "better-buses", "closed").unwrap();
    let closed = invalid(
        submit(
            &agency.store,
            &vic,
            &idea(IdeaSource::Employee, "Late buses"),
        )
        .unwrap_err(),
    );
    assert!(closed.contains("closed"), "{closed}");
    assert!(campaigns::set_audience(&agency.store, &lena, "better-buses", "everyone").is_err());
    let unknown = invalid(
        submit(
            &agency.store,
            &vic,
            &IdeaInput {
                campaign: Some("nope".into()),
                ..idea(IdeaSource::Employee, "x")
            },
        )
        .unwrap_err(),
    );
    assert!(unknown.contains("no idea campaign"), "{unknown}");

    // A strategy runs the campaign and measures the ideas it received.
    let s = strategies::create(
        &agency.store,
        &analyst,
        &StrategyInput {
            name: "Ideas from the front line".into(),
            kind: "innovation".into(),
            channels: vec!["jsonl:test".into()],
            campaigns: vec!["better-buses".into(), "gone".into()],
            goals: vec![Goal {
                metric: Metric::CampaignIdeas {
                    campaign: "better-buses".into(),
                },
                direction: Direction::AtLeast,
                target: 3.0,
            }],
            ..StrategyInput::default()
        },
    )
    .unwrap();
    assert_eq!(s.channels, vec!["jsonl:test".to_string()]);
    let v = strategies::view(&agency.store, s.id, chrono::Utc::now().timestamp_millis()).unwrap();
    assert_eq!(v.goals[0].value, Some(2.0));
    assert!(!v.goals[0].met);
    assert_eq!(
        v.campaigns.len(),
        1,
        "an unknown campaign address lists nothing"
    );
    assert_eq!(v.campaigns[0].slug, "better-buses");
    let too_many = invalid(
        strategies::create(
            &agency.store,
            &analyst,
            &StrategyInput {
                name: "Too wide".into(),
                kind: "outreach".into(),
                topics: (0..51).map(|i| format!("t{i}")).collect(),
                ..StrategyInput::default()
            },
        )
        .unwrap_err(),
    );
    assert!(too_many.starts_with("topics:"), "{too_many}");
}

#[test]
fn a_strategy_is_changed_but_its_phase_moves_only_on_its_own() {
    let agency = Agency::new();
    let analyst = agency.staff("al", Role::Analyst, None);
    let viewer = agency.staff("vi", Role::Viewer, None);
    let input = StrategyInput {
        name: "Service".into(),
        kind: "customer_service".into(),
        phase: Some("scaled".into()),
        next_review: Some("2027-01-01".into()),
        ..StrategyInput::default()
    };
    let s = strategies::create(&agency.store, &analyst, &input).unwrap();
    strategies::create(
        &agency.store,
        &analyst,
        &StrategyInput {
            name: "Other".into(),
            kind: "outreach".into(),
            ..StrategyInput::default()
        },
    )
    .unwrap();
    let changed = StrategyInput {
        name: "Answering the public".into(),
        team: Some("Contact centre".into()),
        topics: vec!["parking".into()],
        next_review: Some("2027-03-01".into()),
        phase: Some("pilot".into()),
        goals: vec![Goal {
            metric: Metric::MedianFirstResponseHours,
            direction: Direction::AtMost,
            target: 8.0,
        }],
        ..input.clone()
    };
    let after = strategies::update(&agency.store, &analyst, s.id, &changed).unwrap();
    assert_eq!(after.name, "Answering the public");
    assert_eq!(after.team.as_deref(), Some("Contact centre"));
    assert_eq!(after.next_review.as_deref(), Some("2027-03-01"));
    assert_eq!(after.goals.len(), 1);
    assert_eq!(
        after.phase,
        townhall_strategy::model::StrategyPhase::Scaled,
        "the phase is not changed by an edit"
    );
    assert!(matches!(
        strategies::update(&agency.store, &viewer, s.id, &changed),
        Err(AppError::Forbidden { .. })
    ));
    let taken = strategies::update(
        &agency.store,
        &analyst,
        s.id,
        &StrategyInput {
            name: "Other".into(),
            ..changed.clone()
        },
    )
    .unwrap_err();
    assert!(taken.to_string().contains("exists already"), "{taken}");
    let bad_date = strategies::update(
        &agency.store,
        &analyst,
        s.id,
        &StrategyInput {
            next_review: Some("March".into()),
            ..changed
        },
    )
    .unwrap_err();
    assert!(bad_date.to_string().contains("next review"), "{bad_date}");
}

#[test]
fn a_strategy_review_is_recorded_and_sets_the_next_one() {
    let agency = Agency::new();
    let analyst = agency.staff("al", Role::Analyst, None);
    let viewer = agency.staff("vi", Role::Viewer, None);
    let s = strategies::create(
        &agency.store,
        &analyst,
        &StrategyInput {
            name: "Service".into(),
            kind: "customer_service".into(),
            phase: Some("limited_public".into()),
            next_review: Some("2026-01-15".into()),
            ..StrategyInput::default()
        },
    )
    .unwrap();
    // 2026-03-01: the review set for January is overdue.
    let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let v = strategies::view(&agency.store, s.id, now).unwrap();
    assert!(v.review_due);
    assert!(v.reviews.is_empty());
    let review = |who, note: &str, next: Option<&str>| {
        strategies::record_review(
            &agency.store,
            who,
            s.id,
            &strategies::ReviewInput {
                note: note.into(),
                next_review: next.map(str::to_string),
            },
            now,
        )
    };
    assert!(matches!(
        review(&viewer, "Looks fine", Some("2026-06-01")),
        Err(AppError::Forbidden { .. })
    ));
    assert!(invalid(review(&analyst, "  ", Some("2026-06-01")).unwrap_err()).starts_with("note:"));
    assert!(
        invalid(review(&analyst, "Fine", Some("2026-02-01")).unwrap_err())
            .contains("a day after today")
    );
    assert!(invalid(review(&analyst, "Fine", Some("June")).unwrap_err()).contains("YYYY-MM-DD"));
    let v = review(
        &analyst,
        "Goals on track; stay in limited public until the spring consultation.",
        Some("2026-06-01"),
    )
    .unwrap();
    assert!(!v.review_due);
    assert_eq!(v.strategy.next_review.as_deref(), Some("2026-06-01"));
    assert_eq!(v.reviews.len(), 1);
    let r = &v.reviews[0];
    assert_eq!(
        (
            r.reviewed_on.as_str(),
            r.phase.as_str(),
            r.next_review.as_deref(),
            r.reviewer.as_str()
        ),
        (
            "2026-03-01",
            "limited_public",
            Some("2026-06-01"),
            "al (staff)"
        )
    );
    // A second review is listed first; one without a next date clears it.
    let v = review(&analyst, "Paused for the budget cycle.", None).unwrap();
    assert_eq!(v.reviews.len(), 2);
    assert_eq!(v.reviews[0].note, "Paused for the budget cycle.");
    assert_eq!(v.strategy.next_review, None);
}
