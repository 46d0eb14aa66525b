#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The inbox and the idea pipeline through the real server over HTTP: a responder's day on the pages,
//! a moderator's approval, the JSON API (versions, conflicts, bulk, ideas) and escaping of the public's
//! text on every new page.

mod common;

use common::*;
use serde_json::json;

fn get(site: &Site, token: &str, path: &str) -> Reply {
    send(
        "GET",
        &format!("{}{path}", site.base),
        Some(token),
        None,
        &[],
        None,
    )
}

fn post_form(site: &Site, token: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
    send(
        "POST",
        &format!("{}{path}", site.base),
        Some(token),
        None,
        &[],
        form(fields),
    )
}

fn post_json(site: &Site, token: &str, path: &str, body: serde_json::Value) -> Reply {
    send(
        "POST",
        &format!("{}{path}", site.base),
        Some(token),
        None,
        &[],
        json(&body),
    )
}

fn body_json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

fn token(site: &Site, who: &str) -> String {
    token_of(&sign_in(site, who, &passphrase(who)))
}

#[test]
fn a_responders_day_on_the_pages_with_a_moderators_approval() {
    let site = site();
    let admin = token(&site, "admin");
    let responder = token(&site, "responder");
    let moderator = token(&site, "moderator");

    // The admin sets the team's target and asks for approval of its replies, and adds a saved reply.
    let saved = post_form(
        &site,
        &admin,
        "/inbox/settings",
        &[
            ("kind", "team"),
            ("team", "Digital engagement"),
            ("first_response_minutes", "60"),
            ("timezone", "America/New_York"),
            ("days", "mon-fri"),
            ("day_start", "08:00"),
            ("day_end", "18:00"),
            ("max_reading_grade", "8"),
            ("requires_approval", "1"),
        ],
    );
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/inbox/settings?done=saved"),
        "{}",
        saved.body
    );
    let bad = post_form(
        &site,
        &admin,
        "/inbox/settings",
        &[
            ("kind", "team"),
            ("team", "X"),
            ("timezone", "Mars/Olympus"),
        ],
    );
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("Mars/Olympus"),
        "the error names the bad value"
    );
    post_form(
        &site,
        &admin,
        "/inbox/settings",
        &[
            ("kind", "saved_reply"),
            ("title", "Thanks"),
            ("body", "Thank you {author}. {agent}"),
        ],
    );
    let routed = post_json(
        &site,
        &admin,
        "/api/cases/1/actions",
        json!({"action": "route", "team": "Digital engagement"}),
    );
    assert_eq!(routed.status, 200, "{}", routed.body);
    let settings = get(&site, &admin, "/inbox/settings");
    assert!(settings.body.contains("America/New_York") && settings.body.contains("Thanks"));

    // The responder's own queue is first and empty; the team's queue holds case 1.
    let inbox = get(&site, &responder, "/inbox");
    assert_eq!(inbox.status, 200);
    assert!(inbox.body.contains("Assigned to me (0)"));
    assert!(inbox.body.contains("No cases here."));
    let team = get(&site, &responder, "/inbox?view=team");
    assert!(team.body.contains("href=\"/cases/1\""), "{}", team.body);

    let taken = post_form(&site, &responder, "/cases/1", &[("action", "take")]);
    assert_eq!(
        (taken.status, taken.location.as_str()),
        (303, "/cases/1?done=assigned")
    );
    let mine = get(&site, &responder, "/inbox");
    assert!(mine.body.contains("Assigned to me (1)") && mine.body.contains("href=\"/cases/1\""));

    // The saved reply fills the draft; a check reports the reading grade without sending anything.
    let case = get(&site, &responder, "/cases/1");
    assert!(!case.body.contains("Take this case"), "already hers");
    assert!(case.body.contains("Send for approval"));
    let saved_id = case
        .body
        .split("<option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let filled = get(&site, &responder, &format!("/cases/1?saved={saved_id}"));
    assert!(
        filled.body.contains("Thank you @") || filled.body.contains("Thank you "),
        "{}",
        filled.body
    );
    assert!(filled.body.contains("The responder"));
    let checked = post_form(
        &site,
        &responder,
        "/cases/1",
        &[
            ("action", "check"),
            ("text", "Thanks, we will look into it today."),
        ],
    );
    assert_eq!(checked.status, 200);
    assert!(
        checked.body.contains("Reading grade:") && checked.body.contains("No personal data found.")
    );
    // Personal data stops the reply; the page keeps the text.
    let refused = post_form(
        &site,
        &responder,
        "/cases/1",
        &[
            ("action", "reply"),
            ("text", "Call our clerk on 555-867-5309."),
        ],
    );
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("personal data"), "{}", refused.body);
    assert!(
        refused.body.contains("555-867-5309.</textarea>"),
        "the text is kept: {}",
        refused.body.split("<textarea").nth(1).unwrap_or_default()
    );
    let replied = post_form(
        &site,
        &responder,
        "/cases/1",
        &[
            ("action", "reply"),
            ("text", "Thanks for asking. We will answer you today."),
        ],
    );
    assert_eq!(
        (replied.status, replied.location.as_str()),
        (303, "/cases/1?done=drafted"),
        "{}",
        replied.body
    );

    // The moderator sees it waiting and approves it; the case is answered and the reply is in the outbox.
    let review = get(&site, &moderator, "/cases/1");
    assert!(review.body.contains("Replies awaiting approval"));
    let reply_id = body_json(&get(&site, &moderator, "/api/cases/1"))["replies"][0]["id"]
        .as_i64()
        .unwrap();
    let approved = post_form(
        &site,
        &moderator,
        "/cases/1/approval",
        &[("action", "approve"), ("reply_id", &reply_id.to_string())],
    );
    assert_eq!(
        (approved.status, approved.location.as_str()),
        (303, "/cases/1?done=approved"),
        "{}",
        approved.body
    );
    // A responder cannot approve.
    let not_hers = post_form(
        &site,
        &responder,
        "/cases/1/approval",
        &[("action", "approve"), ("reply_id", "1")],
    );
    assert_eq!(not_hers.status, 403);
    let answered = body_json(&get(&site, &responder, "/api/cases/1"));
    assert_eq!(answered["case"]["status"], "answered");
    assert!(answered["case"]["first_response_at"].is_i64());
    let outbox = body_json(&get(&site, &responder, "/api/outbox"));
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    assert_eq!(
        outbox[0]["body"],
        "Thanks for asking. We will answer you today."
    );

    // Close it; the timeline on the page tells the whole story.
    let closed = post_form(&site, &responder, "/cases/1", &[("action", "close")]);
    assert_eq!(closed.status, 303);
    let page = get(&site, &responder, "/cases/1");
    for step in [
        "opened",
        "routed",
        "assigned",
        "reply drafted",
        "reply approved",
        "closed",
    ] {
        assert!(
            page.body.contains(&format!(": {step}")),
            "timeline lacks {step}"
        );
    }
    // The engagement page carries the inbox's measures.
    let engagement = get(&site, &responder, "/engagement");
    assert!(engagement.body.contains("How the inbox answers"));
    assert!(
        engagement
            .body
            .contains("1 of 1 cases have a first response (100"),
        "{}",
        engagement.body
    );
    let measures = body_json(&get(&site, &responder, "/api/inbox/measures"));
    assert_eq!(measures["responded"], 1);
}

#[test]
fn the_json_api_runs_cases_and_ideas_with_versions() {
    let site = site();
    let responder = token(&site, "responder");
    let viewer = token(&site, "viewer");
    let moderator = token(&site, "moderator");

    // Flag two more posts into the inbox.
    for post in [2, 3] {
        let flagged = post_json(
            &site,
            &responder,
            &format!("/api/posts/{post}/flag"),
            json!({"why": "needs an answer"}),
        );
        assert_eq!(flagged.status, 200, "{}", flagged.body);
    }
    let all = body_json(&get(&site, &responder, "/api/cases?view=all"));
    assert_eq!(all["total"], 3);
    let case = body_json(&get(&site, &responder, "/api/cases/2"));
    let version = case["case"]["version"].as_i64().unwrap();
    let noted = post_json(
        &site,
        &responder,
        "/api/cases/2/actions",
        json!({"action": "note", "text": "first", "version": version}),
    );
    assert_eq!(noted.status, 200, "{}", noted.body);
    // The same old version again: refused, 409, nothing lost.
    let stale = post_json(
        &site,
        &responder,
        "/api/cases/2/actions",
        json!({"action": "close", "version": version}),
    );
    assert_eq!(stale.status, 409);
    assert_eq!(body_json(&stale)["error"], "conflict");
    assert_eq!(
        body_json(&get(&site, &responder, "/api/cases/2"))["case"]["status"],
        "open"
    );
    // A viewer reads but cannot act.
    assert_eq!(
        post_json(
            &site,
            &viewer,
            "/api/cases/2/actions",
            json!({"action": "close"})
        )
        .status,
        403
    );
    // Bulk close.
    let bulk = post_json(
        &site,
        &responder,
        "/api/cases/bulk",
        json!({"action": "close", "ids": [1, 2, 3, 999]}),
    );
    assert_eq!(body_json(&bulk), json!({"changed": 3, "skipped": 1}));
    // Bad input is named.
    let bad = post_json(
        &site,
        &responder,
        "/api/cases/2/actions",
        json!({"action": "snooze"}),
    );
    assert_eq!(bad.status, 400);
    assert!(body_json(&bad)["message"]
        .as_str()
        .unwrap()
        .contains("snooze"));

    // Inbox settings over the API (admins only): a routing rule with a bad query is refused and named.
    let admin = token(&site, "admin");
    let rule = json!({"name": "Benefits", "query": "snap OR benefits", "language": null, "channel": null, "topic": null, "max_sentiment": null, "team": "Benefits"});
    assert_eq!(
        post_json(&site, &admin, "/api/inbox/routing-rules", rule.clone()).status,
        200
    );
    assert_eq!(
        post_json(&site, &responder, "/api/inbox/routing-rules", rule).status,
        403
    );
    let bad_rule = post_json(
        &site,
        &admin,
        "/api/inbox/routing-rules",
        json!({"name": "Bad", "query": "(snap", "team": "X"}),
    );
    assert_eq!(bad_rule.status, 400, "{}", bad_rule.body);
    let settings = body_json(&get(&site, &admin, "/api/inbox/settings"));
    assert_eq!(settings["routing_rules"][0]["team"], "Benefits");
    assert_eq!(settings["intake_rules"].as_array().unwrap().len(), 3);
    let removed = send(
        "DELETE",
        &format!("{}/api/inbox/routing-rules/Benefits", site.base),
        Some(&admin),
        None,
        &[],
        None,
    );
    assert_eq!(removed.status, 200);

    // Ideas: a viewer submits one; the near-duplicate is offered for merging; the moderator merges it.
    let first = post_json(
        &site,
        &viewer,
        "/api/ideas",
        json!({"title": "Publish answers to common questions weekly", "source": {"kind": "employee"}}),
    );
    assert_eq!(first.status, 200, "{}", first.body);
    let first_id = body_json(&first)["id"].as_i64().unwrap();
    let second = body_json(&post_json(
        &site,
        &viewer,
        "/api/ideas",
        json!({"title": "Publish weekly answers to the common questions", "source": {"kind": "case", "id": 2}}),
    ));
    assert_eq!(second["similar"][0]["id"], first_id, "{second}");
    let second_id = second["id"].as_i64().unwrap();
    assert_eq!(
        post_json(
            &site,
            &viewer,
            &format!("/api/ideas/{second_id}/actions"),
            json!({"action": "merge_into", "idea": first_id})
        )
        .status,
        403
    );
    let merged = post_json(
        &site,
        &moderator,
        &format!("/api/ideas/{second_id}/actions"),
        json!({"action": "merge_into", "idea": first_id}),
    );
    assert_eq!(merged.status, 200, "{}", merged.body);
    let voted = post_json(
        &site,
        &viewer,
        &format!("/api/ideas/{first_id}/actions"),
        json!({"action": "vote", "value": 1}),
    );
    assert_eq!(voted.status, 200);
    let moved = post_json(
        &site,
        &moderator,
        &format!("/api/ideas/{first_id}/actions"),
        json!({"action": "move", "stage": "declined", "reason": ""}),
    );
    assert_eq!(moved.status, 400, "declining needs a reason");
    let listed = body_json(&get(&site, &viewer, "/api/ideas"));
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Publish answers to common questions weekly"));
    assert!(
        !titles.contains(&"Publish weekly answers to the common questions"),
        "merged ideas leave the list"
    );
    let idea = body_json(&get(&site, &viewer, &format!("/api/ideas/{first_id}")));
    assert_eq!(idea["idea"]["votes_for"], 1);
    assert_eq!(idea["merged"].as_array().unwrap().len(), 1);
}

#[test]
fn the_publics_text_is_escaped_on_the_inbox_case_and_idea_pages() {
    let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let site = site_with(|store| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("evil.jsonl");
        std::fs::write(
            &path,
            format!(
                "{}\n",
                json!({"id": "e1", "text": format!("Is this zebrafish safe? {payload}"), "created_at": "2024-01-02T00:00:00Z", "author": "mallory"})
            ),
        )
        .unwrap();
        townhall_app::import::import_files(
            store,
            &townhall_app::import::ImportRequest {
                paths: vec![path],
                ..Default::default()
            },
            &townhall_app::import::NoProgress,
        )
        .unwrap();
    });
    let responder = token(&site, "responder");
    let evil_post = body_json(&get(&site, &responder, "/api/search?q=zebrafish"))["posts"][0]["id"]
        .as_i64()
        .unwrap();
    let flagged = post_form(
        &site,
        &responder,
        &format!("/posts/{evil_post}/flag"),
        &[("why", payload)],
    );
    assert_eq!(flagged.status, 303, "{}", flagged.body);
    let case_path = flagged.location.split('?').next().unwrap().to_string();
    post_form(
        &site,
        &responder,
        &case_path,
        &[("action", "note"), ("text", payload)],
    );
    post_form(
        &site,
        &responder,
        &case_path,
        &[("action", "tag"), ("tag", "<b>x</b>")],
    );
    let idea = post_form(
        &site,
        &responder,
        "/ideas",
        &[
            ("title", payload),
            ("source", "post"),
            ("source_id", &evil_post.to_string()),
        ],
    );
    assert_eq!(idea.status, 303, "{}", idea.body);
    let idea_path = idea.location.split('?').next().unwrap().to_string();
    post_form(
        &site,
        &responder,
        &idea_path,
        &[("action", "comment"), ("text", payload)],
    );
    for path in [
        "/inbox?view=all",
        case_path.as_str(),
        "/ideas",
        idea_path.as_str(),
    ] {
        let page = get(&site, &responder, path);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.body.contains("<script>alert"),
            "{path} lets a script through"
        );
        assert!(
            !page.body.contains("<img src=x"),
            "{path} lets markup through"
        );
        assert!(
            page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
            "{path} shows the text escaped"
        );
    }
}
