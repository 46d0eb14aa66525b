#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real server on a free port, over HTTP: every role against every route, sign-in with cookies and
//! CSRF tokens, and sign-in rate limiting.

mod common;

use common::*;
use townhall_core::Role;
use townhall_web::access::{Access, ROUTES};

/// Routes that end the caller's session are walked last.
fn ends_session(path: &str) -> bool {
    path == "/logout" || path == "/api/session"
}

#[test]
fn every_role_meets_every_route_as_the_table_says() {
    let site = site();
    // Import job 1 exists, so that its pages answer those who may see them.
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let started = upload(
        &site,
        &admin,
        "one.jsonl",
        "{\"id\":\"m1\",\"text\":\"hello\",\"created_at\":\"2024-01-01T00:00:00Z\"}\n",
        false,
    );
    assert_eq!(started.location, "/imports/1", "{}", started.body);
    for role in Role::ALL {
        let token = token_of(&sign_in(&site, role.as_str(), &passphrase(role.as_str())));
        let rules = ROUTES
            .iter()
            .filter(|r| r.access != Access::Public && !ends_session(r.path));
        for rule in rules {
            let url = format!("{}{}", site.base, rule.example);
            let body = (rule.method != "GET").then(|| ("application/json", "{}".to_string()));
            let got = send(rule.method, &url, Some(&token), None, &[], body);
            let allowed = match rule.access {
                Access::Public | Access::SignedIn => true,
                Access::Needs(permission) => role.allows(permission),
            };
            let what = format!("{role} {} {} -> {}", rule.method, rule.example, got.status);
            if allowed {
                assert!(
                    ![401, 403, 404].contains(&got.status) && !got.location.starts_with("/login"),
                    "{what}: {}",
                    got.body
                );
            } else {
                assert_eq!(got.status, 403, "{what}: {}", got.body);
            }
        }
        // Every role may end its own session, by the page's form or by the API.
        let me = format!("{}/api/me", site.base);
        let logout = send(
            "POST",
            &format!("{}/logout", site.base),
            Some(&token),
            None,
            &[],
            None,
        );
        assert_eq!((logout.status, logout.location.as_str()), (303, "/login"));
        assert_eq!(send("GET", &me, Some(&token), None, &[], None).status, 401);
        let token = token_of(&sign_in(&site, role.as_str(), &passphrase(role.as_str())));
        let url = format!("{}/api/session", site.base);
        assert_eq!(
            send("DELETE", &url, Some(&token), None, &[], None).status,
            204
        );
        assert_eq!(send("GET", &me, Some(&token), None, &[], None).status, 401);
    }
}

#[test]
fn without_a_session_pages_send_to_login_and_the_api_answers_401() {
    let site = site();
    for rule in ROUTES.iter().filter(|r| r.access != Access::Public) {
        let url = format!("{}{}", site.base, rule.example);
        let got = send(rule.method, &url, None, None, &[], None);
        if rule.path.starts_with("/api/") {
            assert_eq!(got.status, 401, "{} {}", rule.method, rule.example);
        } else {
            assert_eq!(got.status, 303, "{} {}", rule.method, rule.example);
            assert!(got.location.starts_with("/login"), "{}", got.location);
        }
    }
    // A made-up token is no session either.
    let got = send(
        "GET",
        &format!("{}/api/search?q=x", site.base),
        Some(&"ab".repeat(32)),
        None,
        &[],
        None,
    );
    assert_eq!(got.status, 401);
    // Public routes stay open.
    let got = send(
        "GET",
        &format!("{}/api/health", site.base),
        None,
        None,
        &[],
        None,
    );
    assert_eq!(got.status, 200);
    let got = send(
        "GET",
        &format!("{}/explore?q=health", site.base),
        None,
        None,
        &[],
        None,
    );
    assert_eq!(got.location, "/login?next=%2Fexplore%3Fq%3Dhealth");
}

#[test]
fn browser_sign_in_uses_cookies_and_every_change_needs_the_csrf_token() {
    let site = site();
    let base = &site.base;
    // The sign-in form carries its own anti-forgery token, matched against a cookie.
    let page = send(
        "GET",
        &format!("{base}/login?next=/explore"),
        None,
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    let login_token = cookie_value(&page, "townhall_login").unwrap();
    assert_eq!(hidden_csrf(&page.body), login_token);
    assert!(page.cookies[0].contains("HttpOnly") && page.cookies[0].contains("SameSite=Strict"));
    let forged = send(
        "POST",
        &format!("{base}/login"),
        None,
        None,
        &[],
        form(&[
            ("username", "analyst"),
            ("password", &passphrase("analyst")),
            ("csrf", &login_token),
        ]),
    );
    assert_eq!(forged.status, 403, "no login cookie: refused");
    let signed = send(
        "POST",
        &format!("{base}/login"),
        None,
        Some(&format!("townhall_login={login_token}")),
        &[],
        form(&[
            ("username", "analyst"),
            ("password", &passphrase("analyst")),
            ("csrf", &login_token),
            ("next", "/explore"),
        ]),
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert_eq!(signed.location, "/explore");
    let session = cookie_value(&signed, "townhall_session").unwrap();
    let cookie = format!("townhall_session={session}");

    let explore = send(
        "GET",
        &format!("{base}/explore"),
        None,
        Some(&cookie),
        &[],
        None,
    );
    assert_eq!(explore.status, 200);
    assert!(explore.body.contains("The analyst"));
    assert!(
        !explore.body.contains("href=\"/settings\""),
        "analysts see no settings link"
    );
    let csrf = hidden_csrf(&explore.body);

    let url = format!("{base}/api/tracked-topics");
    let topic = serde_json::json!({ "name": "benefits", "query": "snap OR medicaid" });
    let no_token = send("POST", &url, None, Some(&cookie), &[], json(&topic));
    assert_eq!(no_token.status, 403);
    assert!(no_token.body.contains("csrf"));
    let other_site = send(
        "POST",
        &url,
        None,
        Some(&cookie),
        &[("X-CSRF-Token", &csrf), ("Origin", "https://evil.example")],
        json(&topic),
    );
    assert_eq!(other_site.status, 403);
    let saved = send(
        "POST",
        &url,
        None,
        Some(&cookie),
        &[("X-CSRF-Token", &csrf)],
        json(&topic),
    );
    assert_eq!(saved.status, 201, "{}", saved.body);

    // The analyst's change is in the audit log, which only the admin may read.
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let audit = send(
        "GET",
        &format!("{base}/api/audit"),
        Some(&admin),
        None,
        &[],
        None,
    );
    let records: Vec<serde_json::Value> = serde_json::from_str(&audit.body).unwrap();
    let saved = records
        .iter()
        .find(|r| r["action"] == "tracked_topic.save")
        .unwrap();
    assert_eq!(saved["actor"], "analyst");
    assert_eq!(saved["target"], "benefits");
    assert_eq!(saved["detail"], "snap OR medicaid");
    let page = send(
        "GET",
        &format!("{base}/audit"),
        Some(&admin),
        None,
        &[],
        None,
    );
    assert!(page.body.contains("tracked_topic.save"));
    let export = send(
        "GET",
        &format!("{base}/audit/export?format=csv"),
        Some(&admin),
        None,
        &[],
        None,
    );
    assert!(export
        .body
        .starts_with("id,at,actor_id,actor,action,target,detail"));

    // Signing out needs the token too, and ends the session.
    let forged_logout = send(
        "POST",
        &format!("{base}/logout"),
        None,
        Some(&cookie),
        &[],
        form(&[("csrf", "0")]),
    );
    assert_eq!(forged_logout.status, 403);
    let logout = send(
        "POST",
        &format!("{base}/logout"),
        None,
        Some(&cookie),
        &[],
        form(&[("csrf", &csrf)]),
    );
    assert_eq!(logout.status, 303);
    assert_eq!(logout.location, "/login");
    let after = send(
        "GET",
        &format!("{base}/explore"),
        None,
        Some(&cookie),
        &[],
        None,
    );
    assert_eq!(after.status, 303);
}

#[test]
fn admins_manage_accounts_from_the_settings_page() {
    let site = site();
    let base = &site.base;
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let settings = send(
        "GET",
        &format!("{base}/settings"),
        Some(&admin),
        None,
        &[],
        None,
    );
    assert_eq!(settings.status, 200);
    for role in Role::ALL {
        assert!(settings
            .body
            .contains(&format!("<th scope=\"row\">{role}</th>")));
    }
    let created = send(
        "POST",
        &format!("{base}/settings/users"),
        Some(&admin),
        None,
        &[],
        form(&[
            ("username", "rosa"),
            ("display_name", "Rosa <b>Responder</b>"),
            ("role", "responder"),
            ("team", "Service desk"),
        ]),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(created.body.contains("Account rosa added as responder."));
    // Public or not, every text is escaped.
    assert!(
        created
            .body
            .contains("Rosa &#60;b&#62;Responder&#60;/b&#62;")
            || created.body.contains("Rosa &lt;b&gt;Responder&lt;/b&gt;")
    );
    let marker = "<code class=\"secret\">";
    let start = created.body.find(marker).unwrap() + marker.len();
    let one_time = &created.body[start..start + 20];
    let rosa = token_of(&sign_in(&site, "rosa", one_time));
    let me = send(
        "GET",
        &format!("{base}/api/me"),
        Some(&rosa),
        None,
        &[],
        None,
    );
    assert!(
        me.body.contains("\"must_change_password\":true"),
        "{}",
        me.body
    );

    let disabled = send(
        "POST",
        &format!("{base}/settings/users/rosa"),
        Some(&admin),
        None,
        &[],
        form(&[("action", "disable")]),
    );
    assert!(disabled.body.contains("rosa is disabled."));
    let me = send(
        "GET",
        &format!("{base}/api/me"),
        Some(&rosa),
        None,
        &[],
        None,
    );
    assert_eq!(me.status, 401, "disabling ends the sessions");
}

#[test]
fn repeated_wrong_passwords_are_slowed_down() {
    let site = site();
    for _ in 0..5 {
        assert_eq!(sign_in(&site, "viewer", "not the password").status, 401);
    }
    let refused = sign_in(&site, "viewer", &passphrase("viewer"));
    assert_eq!(refused.status, 429, "{}", refused.body);
    let seconds: u64 = refused.retry_after.unwrap().parse().unwrap();
    assert!((1..=900).contains(&seconds));
    // Other accounts are unaffected.
    assert_eq!(
        sign_in(&site, "moderator", &passphrase("moderator")).status,
        200
    );
}
