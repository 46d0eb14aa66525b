#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The readiness assessment over HTTP: answers suggested from the data, taken by the API and the page,
//! scored per practice area, kept over time; only those who manage strategies may take it.

mod common;

use common::*;

#[test]
fn the_readiness_assessment_is_suggested_from_data_taken_and_kept() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let url = format!("{}/api/readiness", site.base);
    let view = send("GET", &url, Some(&viewer), None, &[], None);
    assert_eq!(view.status, 200, "{}", view.body);
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["questions"].as_array().unwrap().len(), 12);
    // The test store holds posts from hundreds of Congress accounts, none the agency's own: the data
    // answers "where is the public" (4 channels or more: "Established").
    let where_q = view["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"]["id"] == "cu-where")
        .unwrap();
    assert_eq!(where_q["suggested"][0], 3);
    let evidence = where_q["suggested"][1].as_str().unwrap();
    let channels: u64 = evidence
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap();
    assert!(channels >= 4, "{evidence}");
    assert!(view["history"].as_array().unwrap().is_empty());

    let answers = serde_json::json!({ "answers": [
        { "question": "lm-sponsor", "level": 3, "evidence": "The deputy director, reviewed monthly" },
        { "question": "lm-delegation", "level": 1, "evidence": "" },
        { "question": "cu-where", "level": 1, "evidence": "One channel" },
        { "question": "id-pilots", "level": 2, "evidence": "" },
    ]});
    let refused = send("POST", &url, Some(&viewer), None, &[], json(&answers));
    assert_eq!(refused.status, 403);
    let taken = send("POST", &url, Some(&analyst), None, &[], json(&answers));
    assert_eq!(taken.status, 201, "{}", taken.body);
    let taken: serde_json::Value = serde_json::from_str(&taken.body).unwrap();
    let scores = taken["scores"].as_array().unwrap();
    assert_eq!(scores[0]["area"], "leadership_management");
    assert!((scores[0]["score"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert!((scores[1]["score"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert!(scores[2]["score"].is_null(), "Enterprise not assessed");
    // A bad answer is refused with the question named.
    let bad = send(
        "POST",
        &url,
        Some(&analyst),
        None,
        &[],
        json(
            &serde_json::json!({ "answers": [{ "question": "lm-sponsor", "level": 7, "evidence": "" }] }),
        ),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("lm-sponsor"));
    // On the page: the last answers come back checked; a second assessment joins the history.
    let page = send(
        "GET",
        &format!("{}/readiness", site.base),
        Some(&analyst),
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("id=\"lm-sponsor-3\" name=\"level_lm-sponsor\" value=\"3\" checked"));
    assert!(page.body.contains("The deputy director, reviewed monthly"));
    let saved = send(
        "POST",
        &format!("{}/readiness", site.base),
        Some(&analyst),
        None,
        &[],
        form(&[
            ("level_lm-sponsor", "3"),
            ("evidence_lm-sponsor", "Reviewed monthly"),
            ("level_en-tools", "2"),
            ("evidence_en-tools", "Inventory done"),
        ]),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.location.contains("Assessment%20saved"));
    let view = send("GET", &url, Some(&viewer), None, &[], None);
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["history"].as_array().unwrap().len(), 2);
    // The site's strategy 1 (a consultation strategy in its pilot) gets a recommendation with reasons.
    let advice = &view["recommendations"][0];
    assert_eq!(advice["name"], "Parks consultation");
    assert!(
        advice["recommendation"]["reasons"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    let page = send(
        "GET",
        &format!("{}/readiness", site.base),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert!(page.body.contains("Parks consultation</a> "));
    let enterprise = view["history"][0]["scores"][2]["score"].as_f64().unwrap();
    assert!((enterprise - 200.0 / 3.0).abs() < 1e-9, "{enterprise}");
}
