#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A consultation's life over a real store: set up with seeds, piloted with employees, opened to the
//! public, statements screened and moderated, votes recorded and rate-limited, live opinion groups
//! found, results and standing shown; and a Pol.is conversation moved in and out.

use std::path::PathBuf;
use townhall_app::actor::Actor;
use townhall_app::consultations::{
    self, export_polis, import_polis, ConsultationSettings, Consultations, Limit, Moderation,
    ParticipationLimits, Phase,
};
use townhall_app::{AppError, Store};
use townhall_consult::{adjusted_rand_index, synthetic};
use townhall_core::Role;

/// A staff member (no account row: the audit log names them without one).
fn staff(role: Role, id: i64) -> Actor {
    Actor {
        id: None,
        name: format!("{role}-{id}"),
        display_name: format!("{role} {id}"),
        role,
        team: None,
    }
}

fn shared(path: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    assert!(
        p.exists(),
        "test data missing: {} (CI keeps shared/ beside the repo)",
        p.display()
    );
    p
}

/// Limits loose enough for scripted voting; the limits themselves are tested separately.
fn roomy() -> ParticipationLimits {
    ParticipationLimits {
        votes_per_participant: Limit::new(1e6, 1e6),
        votes_per_address: Limit::new(1e6, 1e6),
        statements_per_participant: Limit::new(1e6, 1e6),
        statements_per_address: Limit::new(1e6, 1e6),
    }
}

#[test]
fn a_consultation_from_employee_pilot_to_public_results() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let service = Consultations::new(roomy());
    let organiser = staff(Role::Analyst, 1);
    let moderator = staff(Role::Moderator, 2);
    let viewer = staff(Role::Viewer, 3);

    let mut settings = ConsultationSettings::new("How should the city spend its park budget?");
    settings.moderation = Moderation::ApproveFirst;
    settings.languages = vec!["en".into(), "es".into()];
    let seeds: Vec<String> = (0..12)
        .map(|i| format!("Seed statement number {i} about parks"))
        .chain([
            "x".to_string(),
            "Seed statement number 0 about parks".to_string(),
        ])
        .collect();
    // A viewer cannot run consultations.
    assert!(matches!(
        consultations::create(&store, &viewer, &settings, &seeds),
        Err(AppError::Forbidden { .. })
    ));
    let (row, report) = consultations::create(&store, &organiser, &settings, &seeds).unwrap();
    assert_eq!(row.slug, "how-should-the-city-spend-its-park-budget");
    assert_eq!(row.phase, "draft");
    assert_eq!(row.languages, "en,es");
    assert_eq!((report.added, report.duplicates), (12, 1));
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].starts_with("statement 13: too short"));

    // Draft: nobody takes part.
    assert!(matches!(
        service.join(&store, &row, None, None),
        Err(AppError::NotOpen(_))
    ));
    // Employees first: staff may, the public may not.
    let row = consultations::set_phase(&store, &organiser, row.id, Phase::Employees).unwrap();
    assert!(matches!(
        service.join(&store, &row, None, None),
        Err(AppError::NotOpen(_))
    ));
    let (employee, token) = service.join(&store, &row, Some(3), None).unwrap();
    assert!(employee.employee);
    assert_eq!(
        service.signer(&store).unwrap().verify(&token),
        Some(employee)
    );
    // The same account is the same participant when it comes back.
    let (again, _) = service.join(&store, &row, Some(3), None).unwrap();
    assert_eq!(again.participant_id, employee.participant_id);
    let first = service
        .next_statement(&store, row.id, Some(&employee))
        .unwrap()
        .unwrap();
    assert_eq!(first.remaining, 12);
    service
        .vote(&store, &employee, "10.0.0.1", first.id, 1)
        .unwrap();
    // A re-vote replaces the vote: one current vote per participant and statement.
    service
        .vote(&store, &employee, "10.0.0.1", first.id, -1)
        .unwrap();
    let next = service
        .next_statement(&store, row.id, Some(&employee))
        .unwrap()
        .unwrap();
    assert_ne!(next.id, first.id);
    assert_eq!(next.remaining, 11);
    assert_eq!(store.consultation(row.id).unwrap().unwrap().votes, 1);
    // Votes: only 1, 0, -1, and only on this consultation's open statements.
    assert!(service.vote(&store, &employee, "a", first.id, 2).is_err());
    assert!(service.vote(&store, &employee, "a", 999_999, 1).is_err());

    // Public: anyone, through a signed anonymous id; an external id brings back the same participant.
    let row = consultations::set_phase(&store, &organiser, row.id, Phase::Public).unwrap();
    let (anon, _) = service.join(&store, &row, None, Some("survey-42")).unwrap();
    let (anon_again, _) = service.join(&store, &row, None, Some("survey-42")).unwrap();
    assert_eq!(anon.participant_id, anon_again.participant_id);
    assert!(!anon.employee);

    // Statements: approve-first keeps them waiting; personal data always waits, flagged.
    let plain = service
        .submit_statement(
            &store,
            &anon,
            "1.2.3.4",
            "Keep the   parks open\nlater in summer",
        )
        .unwrap();
    assert_eq!(plain.status, "pending");
    let private = service
        .submit_statement(
            &store,
            &anon,
            "1.2.3.4",
            "Write to me at ana.lopez@example.org about the dog park",
        )
        .unwrap();
    assert_eq!(private.status, "pending");
    assert!(private.message.contains("personal details"));
    let duplicate = service
        .submit_statement(
            &store,
            &anon,
            "1.2.3.4",
            "Keep the parks open later in summer",
        )
        .unwrap();
    assert_eq!(duplicate.id, None);
    let long = "a ".repeat(300);
    assert!(matches!(
        service.submit_statement(&store, &anon, "1.2.3.4", &long),
        Err(AppError::Invalid(m)) if m.contains("too long")
    ));
    assert!(service.moderation_queue(&store, &viewer, row.id).is_err());
    let queue = service
        .moderation_queue(&store, &moderator, row.id)
        .unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[1].flags, "personal data: email");
    assert_eq!(queue[0].text, "Keep the parks open later in summer");
    // Not votable until accepted.
    let pending_id = plain.id.unwrap();
    assert!(service.vote(&store, &anon, "a", pending_id, 1).is_err());
    service
        .moderate(&store, &moderator, row.id, pending_id, true)
        .unwrap();
    service
        .moderate(&store, &moderator, row.id, private.id.unwrap(), false)
        .unwrap();
    service.vote(&store, &anon, "a", pending_id, 1).unwrap();

    // Forty more people vote along two planted sides.
    let statements = store.statements(row.id, Some("accepted")).unwrap();
    assert_eq!(statements.len(), 13);
    let mut people = Vec::new();
    for p in 0..40 {
        let (who, _) = service.join(&store, &row, None, None).unwrap();
        for (i, s) in statements.iter().enumerate() {
            let side = if (p % 2 == 0) == (i % 2 == 0) { 1 } else { -1 };
            service.vote(&store, &who, "10.1.1.1", s.id, side).unwrap();
        }
        people.push((who, p % 2));
    }
    let results = service.results(&store, row.id).unwrap();
    assert_eq!(results.groups.len(), 2, "{:?}", results.groups);
    let ours: Vec<usize> = people
        .iter()
        .map(|(w, _)| results.group_of[&w.participant_id])
        .collect();
    let planted: Vec<usize> = people.iter().map(|(_, g)| *g).collect();
    assert!((adjusted_rand_index(&ours, &planted) - 1.0).abs() < 1e-12);
    assert!(results.groups.iter().all(|g| !g.representative.is_empty()));
    assert!(!results.divisive.is_empty());
    assert_eq!(results.voters, 42);
    assert!(
        results
            .participation
            .iter()
            .map(|d| d.new_participants)
            .sum::<u64>()
            >= 42
    );
    // Where one of them stands: placed in a group, on the map, with how others voted alike.
    let standing = service.standing(&store, &people[0].0).unwrap();
    assert_eq!(standing.votes_cast, 13);
    assert_eq!(standing.votes_to_be_placed, 0);
    let (label, size) = standing.group.clone().unwrap();
    assert_eq!(size, 20);
    assert!(label == "A" || label == "B");
    assert!(standing.position.is_some());
    assert!(standing.votes.iter().all(|v| v.same_share.unwrap() >= 0.45));
    assert!(service
        .next_statement(&store, row.id, Some(&people[0].0))
        .unwrap()
        .is_none());

    // Closed: results stay, votes stop.
    consultations::set_phase(&store, &organiser, row.id, Phase::Closed).unwrap();
    assert!(matches!(
        service.vote(&store, &anon, "a", statements[0].id, 1),
        Err(AppError::NotOpen(_))
    ));
    assert!(consultations::set_phase(&store, &organiser, row.id, Phase::Draft).is_err());
    // Every organiser and moderator change is in the audit log.
    let audit = store.audit_page(None, 100).unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for action in [
        "consultation.create",
        "consultation.seed",
        "consultation.phase",
        "consultation.statement.accepted",
        "consultation.statement.rejected",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[test]
fn votes_and_statements_are_rate_limited_per_participant_and_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let service = Consultations::new(ParticipationLimits {
        votes_per_participant: Limit::new(0.001, 5.0),
        votes_per_address: Limit::new(0.001, 8.0),
        statements_per_participant: Limit::new(0.001, 1.0),
        statements_per_address: Limit::new(0.001, 100.0),
    });
    let organiser = staff(Role::Admin, 1);
    let mut settings = ConsultationSettings::new("Library hours");
    settings.moderation = Moderation::RemoveAfter;
    let seeds: Vec<String> = (0..10)
        .map(|i| format!("Open the library at {i} am"))
        .collect();
    let (row, _) = consultations::create(&store, &organiser, &settings, &seeds).unwrap();
    let row = consultations::set_phase(&store, &organiser, row.id, Phase::Public).unwrap();
    let ids: Vec<i64> = store
        .statements(row.id, None)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let (a, _) = service.join(&store, &row, None, None).unwrap();
    let (b, _) = service.join(&store, &row, None, None).unwrap();
    for id in &ids[..5] {
        service.vote(&store, &a, "1.1.1.1", *id, 1).unwrap();
    }
    let refused = service.vote(&store, &a, "1.1.1.1", ids[5], 1);
    assert!(
        matches!(refused, Err(AppError::RateLimited { retry_after_secs, .. }) if retry_after_secs >= 1),
        "{refused:?}"
    );
    // Another participant at the same address shares the address's bucket (8 in all; the refused
    // vote above took none).
    for id in &ids[..3] {
        service.vote(&store, &b, "1.1.1.1", *id, 1).unwrap();
    }
    assert!(matches!(
        service.vote(&store, &b, "1.1.1.1", ids[3], 1),
        Err(AppError::RateLimited { .. })
    ));
    // ... but not from another address.
    service.vote(&store, &b, "2.2.2.2", ids[3], 1).unwrap();
    // Remove-after: a clean statement is shown at once; the next is over the participant's limit.
    let shown = service
        .submit_statement(&store, &b, "2.2.2.2", "Open the library on Sundays too")
        .unwrap();
    assert_eq!(shown.status, "accepted");
    assert!(matches!(
        service.submit_statement(&store, &b, "2.2.2.2", "Open the library on holidays"),
        Err(AppError::RateLimited { .. })
    ));
    assert_eq!(store.consultation(row.id).unwrap().unwrap().votes, 9);
}

#[test]
fn live_groups_follow_the_planted_truth_and_stay_stable_as_votes_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let service = Consultations::new(roomy());
    let organiser = staff(Role::Admin, 1);
    let seeds: Vec<String> = (0..30)
        .map(|i| format!("Planted statement {i:02}"))
        .collect();
    let (row, _) = consultations::create(
        &store,
        &organiser,
        &ConsultationSettings::new("Planted"),
        &seeds,
    )
    .unwrap();
    let row = consultations::set_phase(&store, &organiser, row.id, Phase::Public).unwrap();
    let statement_ids: Vec<i64> = store
        .statements(row.id, None)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let truth = synthetic::planted(300, 30, 4_500, 3, 7);
    let mut participant_of = std::collections::HashMap::new();
    let mut earlier = None;
    for (i, event) in truth.events.iter().enumerate() {
        let who = *participant_of
            .entry(event.participant_id)
            .or_insert_with(|| service.join(&store, &row, None, None).unwrap().0);
        service
            .vote(
                &store,
                &who,
                "10.0.0.1",
                statement_ids[event.statement_id as usize],
                event.vote,
            )
            .unwrap();
        if i == truth.events.len() * 3 / 4 {
            earlier = Some(service.results(&store, row.id).unwrap());
        }
    }
    assert_eq!(service.refresh_all(&store).unwrap(), 1);
    let results = service.results(&store, row.id).unwrap();
    let people: Vec<i64> = (0..300).collect();
    let ours: Vec<usize> = people
        .iter()
        .map(|p| {
            results
                .group_of
                .get(&participant_of[p].participant_id)
                .copied()
                .unwrap_or(99)
        })
        .collect();
    let planted: Vec<usize> = people.iter().map(|p| truth.group_of[*p as usize]).collect();
    let ari = adjusted_rand_index(&ours, &planted);
    // The engine on the same votes straight from memory, no store, no live updates in between.
    let matrix = townhall_consult::VoteMatrix::from_events(truth.events.iter().copied()).unwrap();
    let direct = townhall_consult::analyze(&matrix, &townhall_consult::Settings::default(), None);
    let theirs: Vec<usize> = people
        .iter()
        .map(|p| direct.group_of.get(p).copied().unwrap_or(99))
        .collect();
    let same = adjusted_rand_index(&ours, &theirs);
    let direct_ari = adjusted_rand_index(&theirs, &planted);
    println!(
        "live vs planted ARI {ari:.3}, engine alone {direct_ari:.3}, live vs engine {same:.3}"
    );
    assert!(
        same >= 0.95,
        "live groups differ from the engine's: ARI {same}"
    );
    assert!(ari >= direct_ari - 0.05 && ari >= 0.75, "ARI {ari}");
    // Group ids stay with their members from one update to the next.
    let earlier = earlier.unwrap();
    let kept = earlier
        .group_of
        .iter()
        .filter(|(p, g)| results.group_of.get(p) == Some(g))
        .count();
    assert!(
        kept as f64 >= 0.9 * earlier.group_of.len() as f64,
        "{kept} of {} kept their group id",
        earlier.group_of.len()
    );
}

#[test]
fn a_polis_conversation_moves_in_and_out_with_its_groups() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let service = Consultations::default();
    let organiser = staff(Role::Analyst, 1);
    let folder = shared("polis/canadian-electoral-reform");
    let imported = import_polis(&store, &service, &organiser, &folder, None).unwrap();
    assert_eq!(imported.consultation.phase, "closed");
    assert!(imported.participants > 50 && imported.votes > 1_000);
    // Townhall's groups over the imported votes agree with Pol.is's own.
    let export = townhall_consult::read_export(
        std::fs::File::open(folder.join("comments.csv")).unwrap(),
        std::fs::File::open(folder.join("votes.csv")).unwrap(),
        Some(&mut std::fs::File::open(folder.join("participants-votes.csv")).unwrap()),
        None,
    )
    .unwrap();
    let polis_groups = export.group_ids();
    let results = service.results(&store, imported.consultation.id).unwrap();
    let ours: Vec<usize> = polis_groups
        .keys()
        .map(|p| {
            results
                .group_of
                .get(&imported.participant_ids[p])
                .copied()
                .unwrap_or(usize::MAX)
        })
        .collect();
    let theirs: Vec<usize> = polis_groups.values().copied().collect();
    let ari = adjusted_rand_index(&ours, &theirs);
    assert!(ari >= 0.9, "ARI against Pol.is after import: {ari}");

    // Out again: a Pol.is export folder that reads back with the same votes and groups.
    let out = tempfile::tempdir().unwrap();
    export_polis(
        &store,
        &service,
        &organiser,
        imported.consultation.id,
        out.path(),
    )
    .unwrap();
    let back = townhall_consult::read_export(
        std::fs::File::open(out.path().join("comments.csv")).unwrap(),
        std::fs::File::open(out.path().join("votes.csv")).unwrap(),
        Some(&mut std::fs::File::open(out.path().join("participants-votes.csv")).unwrap()),
        Some(&mut std::fs::File::open(out.path().join("summary.csv")).unwrap()),
    )
    .unwrap();
    assert_eq!(back.comments.len(), export.comments.len());
    assert_eq!(back.votes.len(), imported.votes);
    assert_eq!(
        back.summary.as_ref().and_then(|s| s.topic()),
        Some(imported.consultation.question.as_str())
    );
    let exported_groups = back.group_ids();
    assert_eq!(exported_groups, results.group_of);
    let again = townhall_app::consult::analyze_polis_export(out.path()).unwrap();
    assert_eq!(again.groups, results.group_of);
}
