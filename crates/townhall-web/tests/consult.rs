#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Consultations over HTTP on the real server: a member of the public takes part with no account
//! (signed cookie, plain forms), apps use the participant API, staff run the consultation, moderate,
//! read results with the opinion map, and share a read-only report.

mod common;

use common::*;

fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    &html[start..end]
}

#[test]
fn a_member_of_the_public_votes_writes_and_sees_where_they_stand() {
    let site = site();
    let page = send(
        "GET",
        &format!("{}/c/parks", site.base),
        None,
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains("How should the city spend its park budget?"));
    assert!(page.body.contains("Statements left for you: 8"));
    let statement: i64 = field(&page.body, "statement_id").parse().unwrap();
    // The first vote makes an anonymous participant, kept in a signed cookie for this consultation.
    let voted = send(
        "POST",
        &format!("{}/c/parks/vote", site.base),
        None,
        None,
        &[],
        form(&[
            ("statement_id", &statement.to_string()),
            ("vote", "1"),
            ("form_token", ""),
            ("xid", ""),
        ]),
    );
    assert_eq!(voted.status, 303, "{}", voted.body);
    assert!(voted.location.starts_with("/c/parks?message="));
    let cookie = voted
        .cookies
        .iter()
        .find(|c| c.starts_with("townhall_p1="))
        .expect("a participant cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/c/parks"));
    let me = format!(
        "townhall_p1={}",
        cookie_value(&voted, "townhall_p1").unwrap()
    );
    let page = send(
        "GET",
        &format!("{}{}", site.base, voted.location.trim_end_matches("#main")),
        None,
        Some(&me),
        &[],
        None,
    );
    assert!(
        page.body.contains("Your vote (agree) is recorded."),
        "{}",
        page.body
    );
    assert!(page.body.contains("You have voted on 1 of 8 statements"));
    assert!(page.body.contains("Statements left for you: 7"));
    let token = field(&page.body, "form_token").to_string();
    // With the cookie, a form without its token is refused (it did not come from this page).
    let next: i64 = field(&page.body, "statement_id").parse().unwrap();
    assert_ne!(next, statement);
    let forged = send(
        "POST",
        &format!("{}/c/parks/vote", site.base),
        None,
        Some(&me),
        &[],
        form(&[
            ("statement_id", &next.to_string()),
            ("vote", "-1"),
            ("form_token", "00"),
        ]),
    );
    assert_eq!(forged.status, 400);
    // A form posted from another site is refused.
    let cross = send(
        "POST",
        &format!("{}/c/parks/vote", site.base),
        None,
        Some(&me),
        &[("Origin", "https://evil.example")],
        form(&[
            ("statement_id", &next.to_string()),
            ("vote", "-1"),
            ("form_token", &token),
        ]),
    );
    assert_eq!(cross.status, 403);
    // Six more votes, then the participant is placed on the map (with others voting too).
    let mut current = next;
    for i in 0..6 {
        let r = send(
            "POST",
            &format!("{}/c/parks/vote", site.base),
            None,
            Some(&me),
            &[],
            form(&[
                ("statement_id", &current.to_string()),
                ("vote", if i % 2 == 0 { "-1" } else { "1" }),
                ("form_token", &token),
            ]),
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let page = send(
            "GET",
            &format!("{}/c/parks", site.base),
            None,
            Some(&me),
            &[],
            None,
        );
        current = field(&page.body, "statement_id").parse().unwrap();
    }
    // A statement with personal data waits for a moderator, and says so.
    let wrote = send(
        "POST",
        &format!("{}/c/parks/statements", site.base),
        None,
        Some(&me),
        &[],
        form(&[
            (
                "text",
                "Email me at ana.lopez@example.org about the dog park",
            ),
            ("form_token", &token),
        ]),
    );
    assert_eq!(wrote.status, 303);
    assert!(
        wrote.location.contains("personal%20details"),
        "{}",
        wrote.location
    );
    let page = send(
        "GET",
        &format!("{}/c/parks", site.base),
        None,
        Some(&me),
        &[],
        None,
    );
    assert!(page.body.contains("You have voted on 7 of 8 statements"));
    assert!(page.body.contains("Your votes, and how others voted"));
    assert!(page.body.contains("of those who voted on it did the same"));
    // Public text is escaped: a statement written as markup comes back as text.
    let staff = token_of(&sign_in(&site, "moderator", &passphrase("moderator")));
    let queue = send(
        "GET",
        &format!("{}/api/consultations/1/moderation", site.base),
        Some(&staff),
        None,
        &[],
        None,
    );
    assert_eq!(queue.status, 200, "{}", queue.body);
    let pending: serde_json::Value = serde_json::from_str(&queue.body).unwrap();
    assert_eq!(pending["pending"][0]["flags"], "personal data: email");
}

#[test]
fn apps_take_part_through_the_api_and_staff_run_the_consultation() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let api = |path: &str| format!("{}{path}", site.base);
    // Staff create a consultation (as a draft), with seeds; a viewer may not.
    let body = serde_json::json!({
        "question": "When should the library open?",
        "slug": "library",
        "moderation": "remove_after",
        "seeds": ["Open at 8 am on weekdays", "Open on Sunday afternoons", "Stay open until 9 pm", "Close on public holidays", "Open earlier in exam season", "Keep the reading room open at lunch", "Open the children's room on Saturday mornings"],
    });
    assert_eq!(
        send(
            "POST",
            &api("/api/consultations"),
            Some(&viewer),
            None,
            &[],
            json(&body)
        )
        .status,
        403
    );
    let created = send(
        "POST",
        &api("/api/consultations"),
        Some(&analyst),
        None,
        &[],
        json(&body),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let created: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    let id = created["consultation"]["id"].as_i64().unwrap();
    assert_eq!(created["seeds"]["added"], 7);
    // Draft: not open; the public page is not even found.
    let join = |bearer: Option<&str>| {
        send(
            "POST",
            &api("/api/c/library/participants"),
            bearer,
            None,
            &[],
            None,
        )
    };
    assert_eq!(join(None).status, 403);
    assert_eq!(
        send("GET", &api("/c/library"), None, None, &[], None).status,
        404
    );
    // Employees first: staff join as employees, the public is told to wait.
    let phase = |p: &str| {
        send(
            "POST",
            &api(&format!("/api/consultations/{id}/phase")),
            Some(&analyst),
            None,
            &[],
            json(&serde_json::json!({ "phase": p })),
        )
    };
    assert_eq!(phase("employees").status, 200);
    let refused = join(None);
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("not_open"));
    let employee = join(Some(&viewer));
    assert_eq!(employee.status, 201, "{}", employee.body);
    let employee: serde_json::Value = serde_json::from_str(&employee.body).unwrap();
    assert_eq!(employee["participant"]["employee"], true);
    assert_eq!(phase("public").status, 200);
    let joined: serde_json::Value = serde_json::from_str(&join(None).body).unwrap();
    let token = joined["participant_token"].as_str().unwrap().to_string();
    // Next statement, vote, standing.
    let next = send(
        "GET",
        &api("/api/c/library/next"),
        None,
        None,
        &[("X-Participant", &token)],
        None,
    );
    let next: serde_json::Value = serde_json::from_str(&next.body).unwrap();
    assert_eq!(next["statement"]["remaining"], 7);
    let statement = next["statement"]["id"].as_i64().unwrap();
    let vote = |value: i64, who: &str| {
        send(
            "POST",
            &api("/api/c/library/votes"),
            None,
            None,
            &[("X-Participant", who)],
            json(&serde_json::json!({ "statement_id": statement, "vote": value })),
        )
    };
    assert_eq!(vote(1, &token).status, 200);
    assert_eq!(vote(-1, &token).status, 200, "a re-vote replaces the vote");
    assert_eq!(vote(1, "1.1.p.00").status, 400, "a forged token is refused");
    assert_eq!(vote(5, &token).status, 400);
    let standing = send(
        "GET",
        &api("/api/c/library/standing"),
        None,
        None,
        &[("X-Participant", &token)],
        None,
    );
    let standing: serde_json::Value = serde_json::from_str(&standing.body).unwrap();
    assert_eq!(standing["votes_cast"], 1);
    assert_eq!(standing["votes"][0]["vote"], -1);
    // A participant's token does not work in another consultation.
    let elsewhere = send(
        "POST",
        &api("/api/c/parks/votes"),
        None,
        None,
        &[("X-Participant", &token)],
        json(&serde_json::json!({ "statement_id": 1, "vote": 1 })),
    );
    assert_eq!(elsewhere.status, 400);
    // One participant voting faster than a person can read is slowed down (2/s, bursts of 20).
    let mut limited = None;
    for _ in 0..25 {
        let r = vote(1, &token);
        if r.status == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, 200);
    }
    let limited = limited.expect("rate limited within 25 votes");
    assert!(limited.retry_after.is_some());
    // Remove-after: a participant's statement is open to votes at once; too long is refused.
    let said = send(
        "POST",
        &api("/api/c/library/statements"),
        None,
        None,
        &[("X-Participant", &token)],
        json(&serde_json::json!({ "text": "Lend out laptops for the day" })),
    );
    let said: serde_json::Value = serde_json::from_str(&said.body).unwrap();
    assert_eq!(said["status"], "accepted");
    let long = send(
        "POST",
        &api("/api/c/library/statements"),
        None,
        None,
        &[("X-Participant", &token)],
        json(&serde_json::json!({ "text": "x".repeat(400) })),
    );
    assert_eq!(long.status, 400);
    assert!(long.body.contains("too long"));
    // Staff read the results; the page draws the opinion map with its table.
    let results = send(
        "GET",
        &api(&format!("/api/consultations/{id}")),
        Some(&viewer),
        None,
        &[],
        None,
    );
    let results: serde_json::Value = serde_json::from_str(&results.body).unwrap();
    assert_eq!(results["voters"], 1);
    assert_eq!(results["statements"].as_array().unwrap().len(), 8);
    let page = send(
        "GET",
        &api(&format!("/consultations/{id}")),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("class=\"chart opinion-map\""));
    assert!(page.body.contains("Votes per day"));
    assert!(page.body.contains("Lend out laptops for the day"));
}

#[test]
fn staff_moderate_upload_seeds_and_share_a_read_only_report() {
    let site = site();
    let moderator = token_of(&sign_in(&site, "moderator", &passphrase("moderator")));
    let api = |path: &str| format!("{}{path}", site.base);
    // Seeds from a CSV upload: good rows kept, the bad line named.
    let boundary = "consult-seeds-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"seeds.csv\"\r\nContent-Type: text/csv\r\n\r\ntext\nOpen a skate park\n\nRepaint the benches\n\r\n--{boundary}--\r\n"
    );
    let uploaded = send(
        "POST",
        &api("/consultations/1/seeds"),
        Some(&moderator),
        None,
        &[],
        Some((
            Box::leak(format!("multipart/form-data; boundary={boundary}").into_boxed_str()),
            body,
        )),
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    assert!(
        uploaded.location.contains("2%20seed%20statements%20added"),
        "{}",
        uploaded.location
    );
    // A participant's statement waits (approve-first); the moderator accepts it on the page.
    let joined = send(
        "POST",
        &api("/api/c/parks/participants"),
        None,
        None,
        &[],
        None,
    );
    let joined: serde_json::Value = serde_json::from_str(&joined.body).unwrap();
    let token = joined["participant_token"].as_str().unwrap().to_string();
    let said = send(
        "POST",
        &api("/api/c/parks/statements"),
        None,
        None,
        &[("X-Participant", &token)],
        json(&serde_json::json!({ "text": "<script>alert(1)</script> Fix the swings" })),
    );
    let said: serde_json::Value = serde_json::from_str(&said.body).unwrap();
    assert_eq!(said["status"], "pending");
    let statement = said["id"].as_i64().unwrap();
    let queue = send(
        "GET",
        &api("/consultations/1/moderation"),
        Some(&moderator),
        None,
        &[],
        None,
    );
    assert_eq!(queue.status, 200);
    assert!(
        queue
            .body
            .contains("alert(1)&#60;/script&#62; Fix the swings"),
        "{}",
        queue.body
    );
    assert!(!queue.body.contains("<script>alert"));
    let decided = send(
        "POST",
        &api("/consultations/1/moderation"),
        Some(&moderator),
        None,
        &[],
        form(&[
            ("statement_id", &statement.to_string()),
            ("decision", "accept"),
        ]),
    );
    assert_eq!(decided.status, 303, "{}", decided.body);
    let page = send("GET", &api("/c/parks"), None, None, &[], None);
    assert!(
        page.body.contains("Statements left for you: 11"),
        "8 seeds + 2 uploaded + 1 accepted"
    );
    // Once shown, a moderator can still take it down.
    let queue = send(
        "GET",
        &api("/consultations/1/moderation"),
        Some(&moderator),
        None,
        &[],
        None,
    );
    assert!(queue
        .body
        .contains(&format!("Remove statement {statement}")));
    let removed = send(
        "POST",
        &api("/consultations/1/moderation"),
        Some(&moderator),
        None,
        &[],
        form(&[
            ("statement_id", &statement.to_string()),
            ("decision", "reject"),
        ]),
    );
    assert_eq!(removed.status, 303);
    let page = send("GET", &api("/c/parks"), None, None, &[], None);
    assert!(page.body.contains("Statements left for you: 10"));
    // The report, for staff and shared read-only by its secret link (no account needed).
    let report = send(
        "GET",
        &api("/consultations/1/report"),
        Some(&moderator),
        None,
        &[],
        None,
    );
    assert_eq!(report.status, 200);
    assert!(report.body.contains("Consultation report"));
    let staff_page = send(
        "GET",
        &api("/consultations/1"),
        Some(&moderator),
        None,
        &[],
        None,
    );
    let marker = "<code>/r/";
    let start = staff_page.body.find(marker).unwrap() + marker.len();
    let secret = &staff_page.body[start..start + staff_page.body[start..].find('<').unwrap()];
    let shared = send("GET", &api(&format!("/r/{secret}")), None, None, &[], None);
    assert_eq!(shared.status, 200);
    assert!(shared
        .body
        .contains("How should the city spend its park budget?"));
    assert!(shared.body.contains("shared read-only"));
    assert!(!shared.body.contains("Sign out"));
    assert_eq!(
        send(
            "GET",
            &api("/r/0123456789abcdef0123456789abcdef0000"),
            None,
            None,
            &[],
            None
        )
        .status,
        404
    );
}
