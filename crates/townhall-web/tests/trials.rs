#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Learning in a safe place over HTTP: an outbound message drafted on the page, reviewed by
//! employees, released by a moderator and marked sent; a saved reply saved for employees first shows
//! among the trials; an idea campaign started, fed by employees, opened to the public; and a strategy
//! created with its channels and campaigns ticked on the form.

mod common;

use common::*;

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

#[test]
fn an_outbound_message_runs_with_employees_before_it_goes_out() {
    let site = site();
    let responder = token_of(&sign_in(&site, "responder", &passphrase("responder")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let moderator = token_of(&sign_in(&site, "moderator", &passphrase("moderator")));

    let created = post_form(
        &site,
        &responder,
        "/trials",
        &[
            ("title", "Library hours <script>alert(1)</script>"),
            ("body", "The library opens at 9 on Saturday from next week."),
            ("channel", "mastodon:cityhall"),
            ("strategy", "Parks consultation"),
            ("image", "library.jpg"),
            ("alt", "The library's front door, open"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location.clone();
    assert!(path.starts_with("/trials/outbound/"), "{path}");
    let page = get(&site, &viewer, &path);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Library hours &#60;script&#62;")
            || page.body.contains("Library hours &lt;script&gt;"),
        "untrusted text is escaped"
    );
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("on trial with employees"));
    assert!(page
        .body
        .contains("Not met: 0 employees reviewed it (2 needed)"));
    assert!(
        page.body.contains("Findings:"),
        "the draft checker's report is on the page"
    );
    assert!(
        !page.body.contains("Release to the public"),
        "a viewer cannot release"
    );

    // Two employees give their verdict on the page.
    for token in [&viewer, &responder] {
        let r = post_form(
            &site,
            token,
            &path,
            &[
                ("action", "feedback"),
                ("verdict", "clear"),
                ("comment", "Clear to me"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(r.location.contains("message=Thank%20you"), "{}", r.location);
    }
    // A moderator releases it; a responder marks it sent.
    let page = get(&site, &moderator, &path);
    assert!(
        page.body.contains("Yes: every condition holds."),
        "{}",
        page.body
    );
    let r = post_form(&site, &moderator, &path, &[("action", "release")]);
    assert!(r.location.contains("Released"), "{}", r.location);
    let page = get(&site, &responder, &path);
    assert!(page.body.contains("cleared for the public") && page.body.contains("Mark as sent"));
    let id = path.rsplit('/').next().unwrap();
    let sent = send(
        "POST",
        &format!("{}/api/outbound/{id}/sent", site.base),
        Some(&responder),
        None,
        &[],
        None,
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    let v: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(v["audience"], "sent");
    assert_eq!(v["feedback"].as_array().unwrap().len(), 2);
    // A refusal is shown on the page, not as an error page.
    let r = post_form(
        &site,
        &viewer,
        &path,
        &[("action", "feedback"), ("verdict", "clear")],
    );
    assert!(
        r.location.contains("no%20longer%20on%20trial"),
        "{}",
        r.location
    );

    // Over the API: a message with personal data is not ready, and says why.
    let created = send(
        "POST",
        &format!("{}/api/outbound", site.base),
        Some(&responder),
        None,
        &[],
        json(
            &serde_json::json!({"title": "Call us", "body": "Questions? Email jo.smith@example.org today."}),
        ),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let v: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    assert_eq!(v["check"]["ready"], false);
    let id = v["id"].as_i64().unwrap();
    for token in [&viewer, &responder] {
        let r = send(
            "POST",
            &format!("{}/api/trials/outbound/{id}/feedback", site.base),
            Some(token),
            None,
            &[],
            json(&serde_json::json!({"verdict": "clear"})),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let refused = send(
        "POST",
        &format!("{}/api/trials/outbound/{id}/release", site.base),
        Some(&moderator),
        None,
        &[],
        None,
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("personal data (email)"),
        "{}",
        refused.body
    );
    let listed = get(&site, &viewer, "/api/trials");
    let listed: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    assert!(listed["trials"].as_array().unwrap().len() >= 3);
}

#[test]
fn a_saved_reply_for_employees_first_is_listed_among_the_trials() {
    let site = site();
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let r = post_form(
        &site,
        &admin,
        "/inbox/settings",
        &[
            ("kind", "saved_reply"),
            ("title", "Opening hours"),
            ("team", ""),
            ("audience", "employees"),
            ("body", "Hi {author}, we open at 9."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let settings = get(&site, &admin, "/inbox/settings");
    assert!(settings.body.contains("on trial with employees"));
    let trials = get(&site, &admin, "/trials");
    assert!(trials.body.contains("Opening hours") && trials.body.contains("Saved reply"));
    let listed: serde_json::Value =
        serde_json::from_str(&get(&site, &admin, "/api/trials").body).unwrap();
    let reply = listed["trials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == "saved_reply")
        .unwrap()
        .clone();
    let page = get(
        &site,
        &admin,
        &format!("/trials/saved_reply/{}", reply["id"]),
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hi {author}, we open at 9."));
    assert_eq!(get(&site, &admin, "/trials/nothing/1").status, 400);
    assert_eq!(get(&site, &admin, "/trials/outbound/999").status, 404);
}

#[test]
fn an_idea_campaign_and_a_strategy_that_runs_it() {
    let site = site();
    let moderator = token_of(&sign_in(&site, "moderator", &passphrase("moderator")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));

    let created = post_form(
        &site,
        &moderator,
        "/campaigns",
        &[
            ("title", "Shorter forms"),
            ("slug", "shorter-forms"),
            ("question", "Which of our forms asks for too much?"),
            ("strategy", ""),
        ],
    );
    assert_eq!(
        (created.status, created.location.as_str()),
        (303, "/campaigns/shorter-forms"),
        "{}",
        created.body
    );
    // An employee adds an idea from the campaign's page form.
    let idea = post_form(
        &site,
        &viewer,
        "/ideas",
        &[
            ("title", "One address field, not five"),
            ("body", ""),
            ("campaign", "shorter-forms"),
        ],
    );
    assert_eq!(idea.status, 303, "{}", idea.body);
    let page = get(&site, &viewer, "/campaigns/shorter-forms");
    assert!(page.body.contains("One address field, not five"));
    assert!(page.body.contains("Employees only"));
    assert!(page.body.contains("Add your idea"));
    let ideas_page = get(&site, &viewer, "/ideas");
    assert!(ideas_page
        .body
        .contains("<option value=\"shorter-forms\">Shorter forms</option>"));
    let r = post_form(
        &site,
        &moderator,
        "/campaigns/shorter-forms",
        &[("audience", "closed")],
    );
    assert!(r.location.contains("Closed"), "{}", r.location);
    let page = get(&site, &viewer, "/campaigns/shorter-forms");
    assert!(
        !page.body.contains("Add your idea"),
        "a closed campaign takes no ideas"
    );
    let v: serde_json::Value =
        serde_json::from_str(&get(&site, &viewer, "/api/campaigns/shorter-forms").body).unwrap();
    assert_eq!(v["campaign"]["ideas"], 1);
    assert_eq!(v["campaign"]["audience"], "closed");

    // The strategy form offers the channels, topics, consultations and campaigns to tick.
    let form_page = get(&site, &analyst, "/strategies");
    assert!(form_page
        .body
        .contains("name=\"campaigns\" type=\"checkbox\" value=\"shorter-forms\""));
    assert!(form_page
        .body
        .contains("name=\"channels\" type=\"checkbox\""));
    let channel = form_page
        .body
        .split("name=\"channels\" type=\"checkbox\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let created = post_form(
        &site,
        &analyst,
        "/strategies",
        &[
            ("name", "Simpler services"),
            ("kind", "innovation"),
            ("channels", &channel),
            ("campaigns", "shorter-forms"),
            ("campaigns", "fixes"),
            ("consultations", "parks"),
            ("goal_1", "campaign_ideas"),
            ("param_1", "shorter-forms"),
            ("target_1", "10"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let page = get(&site, &viewer, &created.location);
    assert!(page.body.contains(&channel), "{channel}");
    assert!(page.body.contains("Idea campaigns it runs"));
    assert!(page
        .body
        .contains("<a href=\"/campaigns/fixes\">Small fixes</a>"));
    assert!(page
        .body
        .contains("≥ 10 ideas received by the idea campaign"));
    let id = created.location.rsplit('/').next().unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&get(&site, &viewer, &format!("/api/strategies/{id}")).body).unwrap();
    assert_eq!(
        v["strategy"]["campaigns"],
        serde_json::json!(["shorter-forms", "fixes"])
    );
    assert_eq!(v["goals"][0]["value"], 1.0);
    // Strategy 1 lists the outbound message drafted for it.
    let one = get(&site, &viewer, "/strategies/1");
    assert!(
        one.body
            .contains("Outbound messages tried with employees first")
            && one.body.contains("Park budget survey")
    );
}

#[test]
fn a_strategy_is_changed_from_its_page_and_over_the_api() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    // The form comes filled in with what strategy 1 has now: its consultation ticked, its goal chosen.
    let page = get(&site, &analyst, "/strategies/1");
    assert!(page.body.contains("Change this strategy"));
    assert!(page
        .body
        .contains("name=\"consultations\" type=\"checkbox\" value=\"parks\" checked"));
    assert!(page
        .body
        .contains("<option value=\"consultation_participants\" selected>"));
    assert!(page
        .body
        .contains("name=\"target_1\" type=\"text\" maxlength=\"20\" value=\"300\""));
    assert!(!get(&site, &viewer, "/strategies/1")
        .body
        .contains("Change this strategy"));

    let saved = post_form(
        &site,
        &analyst,
        "/strategies/1/edit",
        &[
            ("name", "Parks, consulted"),
            ("kind", "consultation"),
            ("purpose", "Ask before the park budget is set"),
            ("team", "Parks"),
            ("consultations", "parks"),
            ("campaigns", "fixes"),
            ("next_review", "2027-04-01"),
            ("goal_1", "consultation_participants"),
            ("param_1", "parks"),
            ("target_1", "150"),
            ("goal_2", "answered_within"),
            ("param_2", "2"),
            ("target_2", "90"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved.location.contains("Saved%20Parks%2C%20consulted"),
        "{}",
        saved.location
    );
    let v: serde_json::Value =
        serde_json::from_str(&get(&site, &viewer, "/api/strategies/1").body).unwrap();
    assert_eq!(v["strategy"]["name"], "Parks, consulted");
    assert_eq!(v["strategy"]["team"], "Parks");
    assert_eq!(v["strategy"]["campaigns"], serde_json::json!(["fixes"]));
    assert_eq!(v["strategy"]["goals"][0]["target"], 150.0);
    assert_eq!(v["strategy"]["goals"][1]["target"], 0.9);
    assert_eq!(v["strategy"]["goals"][1]["days"], 2.0);

    // Over the API; a viewer may not.
    let body =
        serde_json::json!({"name": "Parks", "kind": "consultation", "next_review": "2027-05-01"});
    let put = |token: &str| {
        send(
            "PUT",
            &format!("{}/api/strategies/1", site.base),
            Some(token),
            None,
            &[],
            json(&body),
        )
    };
    assert_eq!(put(&viewer).status, 403);
    let r = put(&analyst);
    assert_eq!(r.status, 200, "{}", r.body);
    let s: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (s["name"].as_str(), s["next_review"].as_str()),
        (Some("Parks"), Some("2027-05-01"))
    );
    assert_eq!(s["goals"], serde_json::json!([]));
}

#[test]
fn the_public_sends_ideas_to_an_open_campaign_without_an_account() {
    let site = site();
    let moderator = token_of(&sign_in(&site, "moderator", &passphrase("moderator")));
    let public = |method: &str, fields: Option<&[(&str, &str)]>, origin: Option<&str>| {
        let headers: Vec<(&str, &str)> = origin.map(|o| vec![("Origin", o)]).unwrap_or_default();
        send(
            method,
            &format!("{}/i/fixes", site.base),
            None,
            None,
            &headers,
            fields.and_then(form),
        )
    };
    // While the campaign runs with employees, the public page does not exist.
    assert_eq!(public("GET", None, None).status, 404);
    let opened = send(
        "POST",
        &format!("{}/api/campaigns/fixes/audience", site.base),
        Some(&moderator),
        None,
        &[],
        json(&serde_json::json!({"audience": "public"})),
    );
    assert_eq!(opened.status, 200, "{}", opened.body);
    let page = public("GET", None, None);
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("What small fix would save the public a trip to our office?"));
    let staff_page = get(&site, &moderator, "/campaigns/fixes");
    assert!(staff_page
        .body
        .contains("<a href=\"/i/fixes\">/i/fixes</a>"));

    let sent = public(
        "POST",
        Some(&[
            ("title", "Renew parking permits <b>online</b>"),
            ("body", "Without the queue."),
        ]),
        Some(&site.base),
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(sent.location.contains("Thank%20you"), "{}", sent.location);
    // Personal data is sent back, not kept; another site cannot post in a visitor's name.
    let pii = public(
        "POST",
        Some(&[
            ("title", "Call me on 555-867-5309 about bins"),
            ("body", ""),
        ]),
        Some(&site.base),
    );
    assert!(
        pii.location.contains("Not%20sent%3A%20personal%20data"),
        "{}",
        pii.location
    );
    let forged = public(
        "POST",
        Some(&[("title", "Forged"), ("body", "")]),
        Some("https://evil.example"),
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    let empty = public(
        "POST",
        Some(&[("title", " "), ("body", "")]),
        Some(&site.base),
    );
    assert!(
        empty.location.contains("Not%20sent%3A%20title"),
        "{}",
        empty.location
    );
    // Five at once from one address, then one a minute.
    let mut refused = None;
    for i in 0..6 {
        let r = public(
            "POST",
            Some(&[("title", &format!("Idea number {i}")), ("body", "")]),
            Some(&site.base),
        );
        if r.location.contains("try%20again") {
            refused = Some(i);
            break;
        }
    }
    assert_eq!(
        refused,
        Some(4),
        "the sixth idea from one address waits (one was sent before)"
    );

    let v: serde_json::Value =
        serde_json::from_str(&get(&site, &moderator, "/api/campaigns/fixes").body).unwrap();
    assert_eq!(v["campaign"]["ideas"], 5);
    let ideas = v["ideas"].as_array().unwrap();
    let first = ideas
        .iter()
        .find(|i| i["title"] == "Renew parking permits <b>online</b>")
        .unwrap();
    assert_eq!(first["source_kind"], "public");
    assert_eq!(first["submitted_by"], "a member of the public");
    assert_eq!(first["strategy"], "Parks consultation");
    assert!(!ideas
        .iter()
        .any(|i| i["title"].as_str().unwrap().contains("555")));
    let staff_view = get(&site, &moderator, "/campaigns/fixes");
    assert!(
        !staff_view.body.contains("<b>online</b>"),
        "the public's text is escaped"
    );

    // Closed: the page says so, and takes nothing more.
    let closed = send(
        "POST",
        &format!("{}/api/campaigns/fixes/audience", site.base),
        Some(&moderator),
        None,
        &[],
        json(&serde_json::json!({"audience": "closed"})),
    );
    assert_eq!(closed.status, 200);
    let page = public("GET", None, None);
    assert!(page.body.contains("is closed"), "{}", page.body);
    assert_ne!(page.status, 200);
}

#[test]
fn a_strategy_review_is_recorded_on_its_page_and_over_the_api() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    assert!(get(&site, &viewer, "/strategies/1")
        .body
        .contains("Not reviewed yet."));
    let r = post_form(
        &site,
        &analyst,
        "/strategies/1/reviews",
        &[
            ("note", "On track <i>so far</i>"),
            ("next_review", "2099-01-31"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = get(&site, &viewer, "/strategies/1");
    assert!(page.body.contains("Reviews, the latest first"));
    assert!(page.body.contains("2099-01-31"));
    assert!(!page.body.contains("<i>so far</i>"), "the note is escaped");
    assert!(
        !page.body.contains("Record a review"),
        "a viewer cannot record one"
    );
    let refused = send(
        "POST",
        &format!("{}/api/strategies/1/reviews", site.base),
        Some(&viewer),
        None,
        &[],
        json(&serde_json::json!({"note": "x"})),
    );
    assert_eq!(refused.status, 403);
    let created = send(
        "POST",
        &format!("{}/api/strategies/1/reviews", site.base),
        Some(&analyst),
        None,
        &[],
        json(&serde_json::json!({"note": "Second look", "next_review": "2099-06-30"})),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let v: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    assert_eq!(v["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(v["reviews"][0]["note"], "Second look");
    assert_eq!(v["strategy"]["next_review"], "2099-06-30");
    assert_eq!(v["review_due"], false);
}
