#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Strategies over HTTP: created from the page with goals, listed, viewed with live goal values and what
//! blocks the next phase, moved by the API; only those who manage strategies may change them.

mod common;

use common::*;

#[test]
fn strategies_show_their_goals_live_and_what_blocks_the_next_phase() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let url = |p: &str| format!("{}{p}", site.base);
    // Strategy 1 (set up with the site) has a goal of 300 participants in /c/parks, which has none.
    let v = send(
        "GET",
        &url("/api/strategies/1"),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(v.status, 200, "{}", v.body);
    let v: serde_json::Value = serde_json::from_str(&v.body).unwrap();
    assert_eq!(v["goals"][0]["value"], 0.0);
    assert_eq!(v["goals"][0]["met"], false);
    assert_eq!(v["recommendation"]["move_now"], false);
    // Created from the page: the form's goal in percent becomes a share.
    let created = send(
        "POST",
        &url("/strategies"),
        Some(&analyst),
        None,
        &[],
        form(&[
            ("name", "Answer online"),
            ("kind", "customer_service"),
            ("team", "Benefits"),
            ("goal_1", "answered_within"),
            ("param_1", "1"),
            ("target_1", "80%"),
            ("goal_2", "reply_share_of_own_posts"),
            ("param_2", ""),
            ("target_2", "20"),
        ]),
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let page = send(
        "GET",
        &url(&created.location),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("≥ 80% public questions answered within 1 business day(s)"));
    assert!(page
        .body
        .contains("≥ 20% own posts that reply to the public"));
    assert!(page.body.contains("Next phase: Limited public"));
    assert!(page.body.contains("Blocks: "));
    let list = send(
        "GET",
        &url("/api/strategies"),
        Some(&viewer),
        None,
        &[],
        None,
    );
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list["strategies"].as_array().unwrap().len(), 2);
    // Only those who manage strategies move them; the move is kept.
    let id = created.location.rsplit('/').next().unwrap();
    let phase = |token: &str| {
        send(
            "POST",
            &url(&format!("/api/strategies/{id}/phase")),
            Some(token),
            None,
            &[],
            json(&serde_json::json!({ "phase": "limited_public" })),
        )
    };
    assert_eq!(phase(&viewer).status, 403);
    let moved = phase(&analyst);
    assert_eq!(moved.status, 200, "{}", moved.body);
    let moved: serde_json::Value = serde_json::from_str(&moved.body).unwrap();
    assert_eq!(moved["phase"], "limited_public");
    // A bad goal is refused with the goal named.
    let bad = send(
        "POST",
        &url("/api/strategies"),
        Some(&analyst),
        None,
        &[],
        json(&serde_json::json!({
            "name": "Bad", "kind": "outreach",
            "goals": [{ "metric": "reply_share_of_own_posts", "direction": "at_least", "target": 20 }],
        })),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("goal 1"), "{}", bad.body);
    // The progress report: a printable page and a PDF made by the server itself.
    let report = send(
        "GET",
        &url("/report?since=2024-01-01&until=2030-12-31"),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(report.body.contains("Period: 2024-01-01 to 2030-12-31"));
    assert!(report.body.contains("Answer online"));
    assert!(report
        .body
        .contains("≥ 300 participants in the consultation /c/parks"));
    let agent = agent();
    let mut pdf = agent
        .get(&url("/report.pdf?since=2024-01-01"))
        .header("Authorization", &format!("Bearer {viewer}"))
        .call()
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        pdf.headers().get("content-type").unwrap().to_str().unwrap(),
        "application/pdf"
    );
    let bytes = pdf.body_mut().read_to_vec().unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes)
        .contains("(Answer online \\(Customer service, Limited public\\)) Tj"));
    let bad = send(
        "GET",
        &url("/report?since=soon"),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(bad.status, 400);
}
