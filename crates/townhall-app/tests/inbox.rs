#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The inbox over a real SQLite store: intake and routing rules, a responder's day (queue, take, note,
//! reply checked and approved, close), conflicts between two people, bulk actions on thousands of cases,
//! concurrent work that loses or duplicates nothing, and the measures.

mod common;

use common::{post, questions, Agency};
use std::collections::HashSet;
use townhall_app::cases::{flag_post, open_cases};
use townhall_app::inbox::{
    act, bulk, case_view, check_reply, queue, render_saved_reply, BulkCommand, CaseCommand,
    QueueRequest, QueueView,
};
use townhall_app::inbox_settings::{
    measures, outbox, save_intake_rule, save_routing_rule, save_saved_reply, save_team_settings,
};
use townhall_app::{AppError, StoreError};
use townhall_core::Role;
use townhall_engage::SlaState;
use townhall_store::{IntakeRule, RoutingRule, RuleFilters, SavedReply, TeamSettings};

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn view(v: QueueView) -> QueueRequest {
    QueueRequest {
        view: v,
        ..QueueRequest::default()
    }
}

#[test]
fn routing_rules_send_spanish_benefit_questions_to_the_benefits_team() {
    let agency = Agency::new();
    let admin = agency.admin_actor();
    save_routing_rule(
        &agency.store,
        &admin,
        &RoutingRule {
            id: 0,
            position: 0,
            name: "Spanish benefits".into(),
            filters: RuleFilters {
                query: "beneficios OR snap".into(),
                language: Some("es".into()),
                ..RuleFilters::default()
            },
            team: "Beneficios".into(),
        },
    )
    .unwrap();
    save_routing_rule(
        &agency.store,
        &admin,
        &RoutingRule {
            id: 0,
            position: 0,
            name: "Benefits".into(),
            filters: RuleFilters {
                query: "benefits OR snap".into(),
                ..RuleFilters::default()
            },
            team: "Benefits".into(),
        },
    )
    .unwrap();
    // A rule naming a topic nobody tracks, or a query that does not parse, is refused with the field named.
    let bad = save_routing_rule(
        &agency.store,
        &admin,
        &RoutingRule {
            id: 0,
            position: 0,
            name: "Broken".into(),
            filters: RuleFilters {
                topic: Some("nothing".into()),
                ..RuleFilters::default()
            },
            team: "X".into(),
        },
    )
    .unwrap_err();
    assert!(bad.to_string().starts_with("topic:"), "{bad}");

    agency.import(&[
        post("a1", "cityhall", "Benefit payments and park hours for May are now online.", None, 1),
        post(
            "q1",
            "maria",
            "¿Cuándo llegan los beneficios de SNAP este mes? No he recibido nada todavía y tengo que pagar la renta.",
            Some("a1"),
            2,
        ),
        post(
            "q2",
            "sam",
            "When do the SNAP benefits arrive this month? I still have not received anything.",
            Some("a1"),
            2,
        ),
        post(
            "q3",
            "lucia",
            "¿A qué hora abre el parque los domingos? Quiero llevar a mis hijos por la mañana.",
            Some("a1"),
            2,
        ),
    ]);
    let scan = open_cases(&agency.store).unwrap();
    assert_eq!(scan.filed.opened, 3, "{scan:?}");
    let cases = townhall_app::inbox::list_cases(&agency.store, None, None, 10).unwrap();
    let team_of = |author: &str| {
        cases
            .iter()
            .find(|c| c.author.as_deref() == Some(author))
            .unwrap_or_else(|| panic!("no case by {author}: {cases:?}"))
            .team
            .clone()
    };
    assert_eq!(team_of("@maria").as_deref(), Some("Beneficios"));
    assert_eq!(team_of("@sam").as_deref(), Some("Benefits"));
    assert_eq!(team_of("@lucia"), None);
    let maria = cases
        .iter()
        .find(|c| c.author.as_deref() == Some("@maria"))
        .unwrap();
    assert_eq!(maria.language.as_deref(), Some("es"));
    // The timeline says which rule opened the case and where it was routed.
    let detail = agency.store.case_detail(maria.id).unwrap().unwrap();
    assert_eq!(detail.events[0].kind, "opened");
    assert!(
        detail.events[0].detail.contains("Beneficios"),
        "{:?}",
        detail.events[0]
    );
}

#[test]
fn intake_rules_decide_which_posts_open_cases() {
    let agency = Agency::new();
    let admin = agency.admin_actor();
    townhall_app::tracked::track(&agency.store, "Parks", "park OR parque").unwrap();
    // Only questions about parks, and any mention of the agency with negative words.
    save_intake_rule(
        &agency.store,
        &admin,
        &IntakeRule {
            id: 0,
            position: 1,
            name: "Questions to the agency".into(),
            trigger: "question".into(),
            filters: RuleFilters {
                topic: Some("Parks".into()),
                ..RuleFilters::default()
            },
            enabled: true,
        },
    )
    .unwrap();
    save_intake_rule(
        &agency.store,
        &admin,
        &IntakeRule {
            id: 0,
            position: 3,
            name: "Every mention of the agency".into(),
            trigger: "mention".into(),
            filters: RuleFilters {
                max_sentiment: Some(-0.3),
                ..RuleFilters::default()
            },
            enabled: true,
        },
    )
    .unwrap();
    let refused = save_intake_rule(
        &agency.store,
        &admin,
        &IntakeRule {
            id: 0,
            position: 0,
            name: "Odd".into(),
            trigger: "always".into(),
            filters: RuleFilters::default(),
            enabled: true,
        },
    )
    .unwrap_err();
    assert!(refused.to_string().starts_with("trigger:"), "{refused}");

    agency.import(&[
        post("a1", "cityhall", "Summer schedules are out.", None, 1),
        post(
            "q1",
            "ann",
            "Is the park pool open on Sundays?",
            Some("a1"),
            2,
        ),
        post(
            "q2",
            "bob",
            "Is the library open on Sundays?",
            Some("a1"),
            2,
        ),
        post(
            "m1",
            "cat",
            "@cityhall this is a terrible, awful mess and I hate it.",
            None,
            2,
        ),
        post(
            "m2",
            "dan",
            "@cityhall thanks, lovely work on the square.",
            None,
            2,
        ),
    ]);
    let scan = open_cases(&agency.store).unwrap();
    let cases = townhall_app::inbox::list_cases(&agency.store, None, None, 10).unwrap();
    let authors: HashSet<_> = cases.iter().filter_map(|c| c.author.clone()).collect();
    assert_eq!(
        authors,
        HashSet::from(["@ann".to_string(), "@cat".to_string()]),
        "{scan:?}"
    );
    let ann = cases
        .iter()
        .find(|c| c.author.as_deref() == Some("@ann"))
        .unwrap();
    assert_eq!(ann.topic.as_deref(), Some("Parks"));
    assert_eq!(ann.rule.as_deref(), Some("Questions to the agency"));

    // Anyone who may respond can flag any post into the inbox; flagging it again finds the same case.
    let responder = agency.staff("rita", Role::Responder, None);
    let bob = agency
        .store
        .matching_ids(&townhall_core::query::parse("from:bob").unwrap())
        .unwrap()[0];
    let case = flag_post(&agency.store, &responder, bob, "needs an answer too").unwrap();
    assert_eq!(flag_post(&agency.store, &responder, bob, "").unwrap(), case);
    let flagged = agency.store.case_row(case).unwrap().unwrap();
    assert_eq!(flagged.reason, "flagged");
    let viewer = agency.staff("vic", Role::Viewer, None);
    assert!(matches!(
        flag_post(&agency.store, &viewer, bob, ""),
        Err(AppError::Forbidden { .. })
    ));
}

#[test]
fn a_responders_day_from_queue_to_closed_case() {
    let agency = Agency::new();
    let admin = agency.admin_actor();
    save_team_settings(
        &agency.store,
        &admin,
        &TeamSettings {
            requires_approval: true,
            first_response_minutes: 120,
            timezone: "America/New_York".into(),
            ..TeamSettings::default_for("Recycling")
        },
    )
    .unwrap();
    save_routing_rule(
        &agency.store,
        &admin,
        &RoutingRule {
            id: 0,
            position: 0,
            name: "Pickup".into(),
            filters: RuleFilters {
                query: "pickup".into(),
                ..RuleFilters::default()
            },
            team: "Recycling".into(),
        },
    )
    .unwrap();
    save_saved_reply(
        &agency.store,
        &admin,
        &SavedReply {
            id: 0,
            title: "Pickup day".into(),
            team: Some("Recycling".into()),
            body: "Hi {author}, pickup is on Tuesdays. {agent}, {team} (case {case})".into(),
            audience: "public".into(),
        },
    )
    .unwrap();
    assert!(save_saved_reply(
        &agency.store,
        &admin,
        &SavedReply {
            id: 0,
            title: "Broken".into(),
            team: None,
            body: "Hi {nmae}".into(),
            audience: "public".into(),
        },
    )
    .is_err());

    agency.import(&questions(3, "q"));
    open_cases(&agency.store).unwrap();
    let rita = agency.staff("rita", Role::Responder, Some("Recycling"));
    let raj = agency.staff("raj", Role::Responder, Some("Recycling"));
    let mona = agency.staff("mona", Role::Moderator, None);

    // Her own queue is empty; her team's has the three new cases, oldest first, with the clock running.
    let mine = queue(&agency.store, &rita, &view(QueueView::Mine), now()).unwrap();
    assert_eq!((mine.total, mine.mine), (0, 0));
    let team = queue(&agency.store, &rita, &view(QueueView::Team), now()).unwrap();
    assert_eq!(team.total, 3);
    assert!(team
        .rows
        .windows(2)
        .all(|w| w[0].case.opened_at <= w[1].case.opened_at));
    // The posts are from 2024: long overdue against a two-hour target.
    assert!(
        matches!(team.rows[0].sla, SlaState::Overdue { .. }),
        "{:?}",
        team.rows[0].sla
    );
    assert!(team.rows[0].sla_text.starts_with("overdue by"));

    let id = team.rows[0].case.id;
    let taken = act(
        &agency.store,
        &rita,
        id,
        Some(team.rows[0].case.version),
        &CaseCommand::AssignToMe,
        now(),
    )
    .unwrap();
    let mine = queue(&agency.store, &rita, &view(QueueView::Mine), now()).unwrap();
    assert_eq!((mine.total, mine.mine, mine.rows[0].case.id), (1, 1, id));

    // Rita opens the case; when Raj opens it, he is warned that she is working on it.
    let seen_by_rita = case_view(&agency.store, &rita, id, now()).unwrap();
    assert!(seen_by_rita.others_working.is_empty());
    assert_eq!(seen_by_rita.saved_replies.len(), 1);
    let seen_by_raj = case_view(&agency.store, &raj, id, now()).unwrap();
    assert_eq!(seen_by_raj.others_working.len(), 1);
    assert_eq!(seen_by_raj.others_working[0].name, "rita (staff)");

    // Rita adds a note; Raj, working from the version he loaded before, cannot close it over her change.
    let noted = act(
        &agency.store,
        &rita,
        id,
        Some(taken.version),
        &CaseCommand::Note {
            text: "Checking the route map first.".into(),
        },
        now(),
    )
    .unwrap();
    let stale = act(
        &agency.store,
        &raj,
        id,
        Some(seen_by_raj.detail.case.version),
        &CaseCommand::Close { why: String::new() },
        now(),
    )
    .unwrap_err();
    match stale {
        AppError::Store(StoreError::Conflict(m)) => assert!(m.contains("rita"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }

    // The saved reply fills its placeholders.
    let case = agency.store.case_row(id).unwrap().unwrap();
    let text = render_saved_reply(&seen_by_rita.saved_replies[0], &case, &rita, now()).unwrap();
    assert!(
        text.starts_with(&format!("Hi {}, pickup", case.author.clone().unwrap())),
        "{text}"
    );
    assert!(text.contains("rita (staff), Recycling (case"));

    // Personal data stops a reply until confirmed; plain language is checked and reported.
    let refused = act(
        &agency.store,
        &rita,
        id,
        Some(noted.version),
        &CaseCommand::Reply {
            text: "Call me on 555-123-4567 or write to rita@example.gov.".into(),
            confirm_personal_data: false,
        },
        now(),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("personal data"), "{refused}");
    let hard = check_reply(
        "Notwithstanding the aforementioned considerations, municipal sanitation operations necessitate comprehensive reorganization of collection itineraries.",
        Some("en"),
        8.0,
    );
    assert!(
        hard.reading_grade.unwrap() > 8.0 && !hard.advice.is_empty(),
        "{hard:?}"
    );

    // The team needs approval: Rita's reply waits; Mona approves it; then it counts as the first response.
    let drafted = act(
        &agency.store,
        &rita,
        id,
        Some(noted.version),
        &CaseCommand::Reply {
            text: text.clone(),
            confirm_personal_data: false,
        },
        now(),
    )
    .unwrap();
    let check = drafted.check.unwrap();
    assert!(check.reading_grade.is_some() && check.personal_data.is_empty());
    let waiting = agency.store.case_detail(id).unwrap().unwrap();
    assert_eq!(waiting.case.status, "open");
    assert_eq!(waiting.case.first_response_at, None);
    assert_eq!(waiting.replies[0].status, "awaiting_approval");
    assert!(matches!(
        act(
            &agency.store,
            &raj,
            id,
            None,
            &CaseCommand::Approve {
                reply_id: waiting.replies[0].id
            },
            now()
        ),
        Err(AppError::Forbidden { .. })
    ));
    assert!(outbox(&agency.store, &rita, 0, 10).unwrap().is_empty());
    act(
        &agency.store,
        &mona,
        id,
        Some(drafted.version),
        &CaseCommand::Approve {
            reply_id: waiting.replies[0].id,
        },
        now(),
    )
    .unwrap();
    let answered = agency.store.case_detail(id).unwrap().unwrap();
    assert_eq!(answered.case.status, "answered");
    assert!(answered.case.first_response_at.is_some());
    assert_eq!(answered.replies[0].status, "sent");
    assert_eq!(answered.replies[0].author, "rita");
    assert_eq!(answered.replies[0].approved_by.as_deref(), Some("mona"));
    let out = outbox(&agency.store, &rita, 0, 10).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].body, text);
    assert_eq!(out[0].recipient, case.author);
    assert_eq!(out[0].in_reply_to, Some(case.post));

    // The person writes again: the answered case is open again, with the follow-up in it.
    let handle = case.author.clone().unwrap();
    agency.import(&[post(
        "again",
        handle.trim_start_matches('@'),
        "Thanks! And which day for glass?",
        Some("a1"),
        5,
    )]);
    open_cases(&agency.store).unwrap();
    let reopened = agency.store.case_detail(id).unwrap().unwrap();
    assert_eq!(reopened.case.status, "open");
    assert_eq!(reopened.post_ids.len(), 2);
    assert_eq!(reopened.events.last().unwrap().kind, "reopened");

    // Snooze another case, wake it, escalate and route it; close the answered one, reopen it, close again.
    let other = team.rows[1].case.id;
    act(
        &agency.store,
        &raj,
        other,
        None,
        &CaseCommand::Snooze {
            until: None,
            hours: Some(2.0),
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        agency.store.case_row(other).unwrap().unwrap().status,
        "snoozed"
    );
    let woke_later = queue(
        &agency.store,
        &raj,
        &view(QueueView::All),
        now() + 3 * 3_600_000,
    )
    .unwrap();
    assert!(woke_later
        .rows
        .iter()
        .any(|r| r.case.id == other && r.case.status == "open"));
    act(
        &agency.store,
        &raj,
        other,
        None,
        &CaseCommand::Escalate {
            why: "Angry council member".into(),
        },
        now(),
    )
    .unwrap();
    act(
        &agency.store,
        &raj,
        other,
        None,
        &CaseCommand::Route {
            team: Some("Sanitation".into()),
        },
        now(),
    )
    .unwrap();
    let escalated = queue(
        &agency.store,
        &raj,
        &QueueRequest {
            view: QueueView::All,
            escalated: true,
            ..QueueRequest::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(escalated.total, 1);
    assert_eq!(escalated.rows[0].case.team.as_deref(), Some("Sanitation"));

    for command in [
        CaseCommand::Close {
            why: "answered".into(),
        },
        CaseCommand::Reopen,
        CaseCommand::Close { why: String::new() },
    ] {
        act(&agency.store, &rita, id, None, &command, now()).unwrap();
    }
    let bad = act(
        &agency.store,
        &rita,
        id,
        None,
        &CaseCommand::Snooze {
            until: None,
            hours: Some(1.0),
        },
        now(),
    );
    assert!(bad.unwrap_err().to_string().contains("closed"));

    // The timeline and the audit log hold every step, with who did it.
    let timeline: Vec<(String, String)> = agency
        .store
        .case_detail(id)
        .unwrap()
        .unwrap()
        .events
        .into_iter()
        .map(|e| (e.kind, e.actor))
        .collect();
    let expected = [
        ("opened", "Townhall"),
        ("assigned", "rita"),
        ("note", "rita"),
        ("reply_drafted", "rita"),
        ("reply_approved", "mona"),
        ("joined", "Townhall"),
        ("reopened", "Townhall"),
        ("closed", "rita"),
        ("reopened", "rita"),
        ("closed", "rita"),
    ];
    assert_eq!(
        timeline,
        expected
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .to_vec()
    );
    let audit = agency.store.audit_page(None, 100).unwrap();
    let case_target = format!("case {id}");
    let audited = audit.iter().filter(|a| a.target == case_target).count();
    assert_eq!(
        audited,
        expected.len() - 3,
        "every change but the automatic opening, joining and reopening"
    );

    // Measures: one of three cases answered, its first response time known, backlog by team.
    // A closed case without a reply stops its clock.
    let stopped = queue(
        &agency.store,
        &rita,
        &QueueRequest {
            view: QueueView::All,
            status: Some("any".into()),
            ..QueueRequest::default()
        },
        now(),
    )
    .unwrap();
    assert!(stopped.rows.iter().all(|r| r.case.status != "closed"
        || r.case.first_response_at.is_some()
        || r.sla_text == "closed without a reply"));
    let m = measures(&agency.store, None, now()).unwrap();
    assert_eq!((m.cases, m.responded), (3, 1));
    assert!((m.response_rate.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert!(m.median_first_response_ms.is_some());
    let open_backlog: u64 = m.backlog.iter().map(|b| b.total).sum();
    assert_eq!(open_backlog, 2);
}

#[test]
fn bulk_actions_work_on_thousands_of_cases() {
    let agency = Agency::new();
    agency.import(&questions(3_000, "b"));
    let scan = open_cases(&agency.store).unwrap();
    assert_eq!(scan.filed.opened, 3_000);
    let rita = agency.staff("rita", Role::Responder, None);
    let all =
        townhall_app::inbox::matching_case_ids(&agency.store, &QueueRequest::default()).unwrap();
    assert_eq!(all.len(), 3_000);
    let audit_before = agency.store.audit_page(None, 100_000).unwrap().len();

    // A count read before a change is never shown after it.
    assert_eq!(
        queue(&agency.store, &rita, &view(QueueView::Mine), now())
            .unwrap()
            .total,
        0
    );
    let tagged = bulk(
        &agency.store,
        &rita,
        &all,
        &BulkCommand::Tag {
            tag: "storm".into(),
        },
    )
    .unwrap();
    assert_eq!((tagged.changed, tagged.skipped), (3_000, 0));
    let assigned = bulk(
        &agency.store,
        &rita,
        &all[..2_500],
        &BulkCommand::Assign {
            user: Some("rita".into()),
        },
    )
    .unwrap();
    assert_eq!(assigned.changed, 2_500);
    assert_eq!(
        queue(&agency.store, &rita, &view(QueueView::Mine), now())
            .unwrap()
            .total,
        2_500
    );
    // The same case named twice is changed once.
    let twice = bulk(
        &agency.store,
        &rita,
        &[all[0], all[0]],
        &BulkCommand::Tag { tag: "dup".into() },
    )
    .unwrap();
    assert_eq!(twice.changed, 1);
    let closed = bulk(&agency.store, &rita, &all[..2_000], &BulkCommand::Close).unwrap();
    assert_eq!(closed.changed, 2_000);
    // Closing again skips what is closed already.
    let again = bulk(&agency.store, &rita, &all[..2_100], &BulkCommand::Close).unwrap();
    assert_eq!((again.changed, again.skipped), (100, 2_000));

    let mine = queue(&agency.store, &rita, &view(QueueView::Mine), now()).unwrap();
    assert_eq!(mine.total, 400);
    let storm = queue(
        &agency.store,
        &rita,
        &QueueRequest {
            view: QueueView::All,
            tag: Some("storm".into()),
            status: Some("any".into()),
            ..QueueRequest::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(storm.total, 3_000);
    let audit_after = agency.store.audit_page(None, 100_000).unwrap().len();
    assert_eq!(audit_after - audit_before, 3_000 + 2_500 + 1 + 2_000 + 100);
    let viewer = agency.staff("vic", Role::Viewer, None);
    assert!(matches!(
        bulk(&agency.store, &viewer, &all, &BulkCommand::Close),
        Err(AppError::Forbidden { .. })
    ));
}

#[test]
fn people_acting_at_once_never_lose_or_duplicate_a_case() {
    let agency = Agency::new();
    agency.import(&questions(200, "c"));
    open_cases(&agency.store).unwrap();
    let staff: Vec<_> = (0..6)
        .map(|i| agency.staff(&format!("r{i}"), Role::Responder, None))
        .collect();
    let ids = townhall_app::inbox::matching_case_ids(
        &agency.store,
        &QueueRequest {
            status: Some("any".into()),
            ..QueueRequest::default()
        },
    )
    .unwrap();
    // Follow-ups from the same people (they join their cases) and newcomers, imported while staff work
    // and two scans for new cases run side by side.
    let mut follow_ups = Vec::new();
    for i in 0..200 {
        follow_ups.push(post(
            &format!("f{i}"),
            &format!("cperson{i}"),
            &format!("Any news about street number {i}? Still waiting."),
            Some("a1"),
            3,
        ));
        follow_ups.push(post(
            &format!("n{i}"),
            &format!("newcomer{i}"),
            &format!("Does the schedule change for avenue {i} too?"),
            Some("a1"),
            3,
        ));
    }
    let follow_path = common::write_jsonl(agency.dir.path(), "follow-ups.jsonl", &follow_ups);

    let successes = std::sync::atomic::AtomicU64::new(0);
    let conflicts = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| {
        let store = &agency.store;
        scope.spawn(|| {
            common::import_at(store, follow_path.clone());
        });
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..5 {
                    open_cases(store).unwrap();
                }
            });
        }
        for (t, person) in staff.iter().enumerate() {
            let ids = &ids;
            let successes = &successes;
            let conflicts = &conflicts;
            scope.spawn(move || {
                for step in 0..60usize {
                    let id = ids[(step * 7 + t * 13) % 12];
                    // Work from the version read a moment ago: another person may change it in between.
                    let version = store.case_row(id).unwrap().unwrap().version;
                    let command = match (step + t) % 5 {
                        0 => CaseCommand::AssignToMe,
                        1 => CaseCommand::Note {
                            text: format!("note {t}/{step}"),
                        },
                        2 => CaseCommand::Tag {
                            tag: format!("t{t}"),
                        },
                        3 => CaseCommand::Close { why: String::new() },
                        _ => CaseCommand::Reopen,
                    };
                    match act(store, person, id, Some(version), &command, now()) {
                        Ok(_) => {
                            successes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(AppError::Store(StoreError::Conflict(_))) => {
                            conflicts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        // Closing a closed case or reopening an open one is refused, not a loss.
                        Err(AppError::Invalid(_)) => {}
                        Err(other) => panic!("{other:?}"),
                    }
                }
            });
        }
    });
    open_cases(&agency.store).unwrap();

    let cases = townhall_app::inbox::list_cases(&agency.store, None, None, 100_000).unwrap();
    // Each newcomer opened one case; each follow-up joined its author's case, unless that case had been
    // closed, when it opened a new one.
    let mut reopened_by_follow_up = 0;
    for c in &cases {
        let first = agency.store.post(c.post).unwrap().unwrap();
        if first.external_id.starts_with('f') {
            reopened_by_follow_up += 1;
            let earlier = cases
                .iter()
                .find(|o| o.author == c.author && o.id != c.id)
                .expect("the author's first case");
            let events = agency
                .store
                .case_detail(earlier.id)
                .unwrap()
                .unwrap()
                .events;
            assert!(
                events.iter().any(|e| e.kind == "closed"),
                "case {} was never closed",
                earlier.id
            );
        }
    }
    assert_eq!(
        cases.len(),
        400 + reopened_by_follow_up,
        "200 first questions + 200 newcomers"
    );
    let mut seen = HashSet::new();
    let mut staff_events = 0u64;
    for c in &cases {
        let detail = agency.store.case_detail(c.id).unwrap().unwrap();
        for p in &detail.post_ids {
            assert!(seen.insert(*p), "post {p} is in two cases");
        }
        // No lost update: every change bumped the version once and left one timeline entry.
        assert_eq!(c.version, detail.events.len() as i64 + 1, "case {}", c.id);
        staff_events += detail
            .events
            .iter()
            .filter(|e| e.actor.starts_with('r') && e.actor.len() == 2)
            .count() as u64;
    }
    assert_eq!(
        seen.len(),
        600,
        "every question and follow-up filed exactly once"
    );
    assert_eq!(
        staff_events,
        successes.load(std::sync::atomic::Ordering::Relaxed)
    );
    eprintln!(
        "{} changes applied, {} refused as conflicts",
        successes.into_inner(),
        conflicts.into_inner()
    );
}
