#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The draft checker over HTTP: a wordy, inaccessible draft gets every finding, on the page and in the
//! API, and public text in the draft comes back escaped.

mod common;

use common::*;

#[test]
fn a_draft_is_checked_before_it_goes_out() {
    let site = site();
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let draft = "In order to utilize SNAP benefits, households shall renew prior to June. Email help@example.gov. #snapbenefitsrenewal <b>now</b>";
    let checked = send(
        "POST",
        &format!("{}/api/drafts/check", site.base),
        Some(&viewer),
        None,
        &[],
        json(&serde_json::json!({
            "text": draft,
            "images": [{ "name": "chart.png", "alt": null }, { "name": "map.png", "alt": "Map of the offices" }],
        })),
    );
    assert_eq!(checked.status, 200, "{}", checked.body);
    let report: serde_json::Value = serde_json::from_str(&checked.body).unwrap();
    let fixes: Vec<&str> = report["plain_fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["found"].as_str().unwrap())
        .collect();
    assert_eq!(fixes, vec!["utilize", "in order to", "prior to", "shall"]);
    assert_eq!(report["acronyms"], serde_json::json!(["SNAP"]));
    assert_eq!(report["missing_alt"], serde_json::json!(["chart.png"]));
    assert_eq!(
        report["hashtags_not_camel_case"],
        serde_json::json!(["#snapbenefitsrenewal"])
    );
    assert_eq!(report["personal_data"], serde_json::json!(["email"]));
    // Too long or empty: a clear refusal naming the field.
    let empty = send(
        "POST",
        &format!("{}/api/drafts/check", site.base),
        Some(&viewer),
        None,
        &[],
        json(&serde_json::json!({ "text": "  " })),
    );
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("text"));
    // The page: the same findings, the draft escaped in the form.
    let page = send(
        "POST",
        &format!("{}/drafts", site.base),
        Some(&viewer),
        None,
        &[],
        form(&[("text", draft), ("image_1", "chart.png"), ("alt_1", "")]),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Findings: "));
    assert!(page.body.contains("use “use”"));
    assert!(page.body.contains("#snapbenefitsrenewal"));
    assert!(!page.body.contains("<b>now</b>"));
}
