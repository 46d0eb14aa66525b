#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Importing from the web: upload a file, watch the job, read what was rejected and why.

mod common;

use common::*;

const FILE: &str = r#"{"id":"w1","text":"When does the passport office open?","created_at":"2024-05-01T09:00:00Z","author":"ana"}
{"id":"w2","text":"Thanks for the quick answer","created_at":"2024-05-01T09:05:00Z","author":"ben"}
this line is not JSON
{"id":"w3","created_at":"2024-05-01T09:06:00Z","author":"cy"}
{"id":"w4","text":"Is SNAP open on holidays?","created_at":"2024-05-01T10:00:00Z","author":"dee"}
"#;

#[test]
fn an_uploaded_file_is_imported_and_its_rejects_are_shown_with_reasons() {
    let site = site();
    let analyst = token_of(&sign_in(&site, "analyst", &passphrase("analyst")));
    let started = upload(&site, &analyst, "web-posts.jsonl", FILE, false);
    assert_eq!(started.status, 303, "{}", started.body);
    let id = started
        .location
        .strip_prefix("/imports/")
        .unwrap()
        .to_string();
    let job = finished_job(&site, &analyst, &id);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["file"], "web-posts.jsonl");
    assert_eq!(job["started_by"], "analyst");
    assert_eq!(job["summary"]["imported"], 3);
    assert_eq!(job["summary"]["rejected"], 2);
    let rejects = job["rejects"].as_array().unwrap();
    let places: Vec<&str> = rejects
        .iter()
        .map(|r| r["location"].as_str().unwrap())
        .collect();
    assert_eq!(places, vec!["line 3", "line 4"]);
    assert!(rejects.iter().all(|r| r["file"] == "web-posts.jsonl"));
    assert!(
        rejects[1]["reason"].as_str().unwrap().contains("text"),
        "{job}"
    );

    // The page says the same to a person.
    let page = send(
        "GET",
        &format!("{}/imports/{id}", site.base),
        Some(&analyst),
        None,
        &[],
        None,
    );
    assert!(
        page.body
            .contains("3 posts imported, 0 already stored, 2 rejected"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<th scope=\"row\">line 3</th>"));
    // The posts are searchable; a second upload of the same file adds nothing.
    let found = send(
        "GET",
        &format!("{}/api/search?q=passport%20office", site.base),
        Some(&analyst),
        None,
        &[],
        None,
    );
    assert!(found.body.contains("When does the passport office open?"));
    let again = upload(&site, &analyst, "web-posts.jsonl", FILE, false);
    let job = finished_job(
        &site,
        &analyst,
        again.location.strip_prefix("/imports/").unwrap(),
    );
    assert_eq!(job["summary"]["imported"], 0);
    assert_eq!(job["summary"]["duplicates"], 3);

    // Viewers may look at channels but not import; an empty upload is refused with a reason.
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    assert_eq!(upload(&site, &viewer, "x.jsonl", FILE, false).status, 403);
    let channels = send(
        "GET",
        &format!("{}/channels", site.base),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(channels.status, 200);
    assert!(
        !channels.body.contains("enctype=\"multipart/form-data\""),
        "no import form for viewers"
    );
    let empty = upload(&site, &analyst, "empty.jsonl", "", false);
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("choose a file that is not empty"));
    // A refused upload leaves nothing in the store's upload folder (finished ones are removed too).
    let uploads = site.store_dir().join("uploads");
    let left: Vec<_> = std::fs::read_dir(&uploads).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");

    // Started and finished imports are in the audit log.
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let audit = send(
        "GET",
        &format!("{}/api/audit", site.base),
        Some(&admin),
        None,
        &[],
        None,
    );
    assert!(audit.body.contains("\"action\":\"import.start\""));
    assert!(audit.body.contains("imported 3, duplicates 0, rejected 2"));
}
