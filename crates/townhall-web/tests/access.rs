#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real server on a free port, over HTTP: every role against every route, sign-in with cookies and
//! CSRF tokens, and sign-in rate limiting.

use std::path::PathBuf;
use std::sync::Arc;
use townhall_app::accounts::{Accounts, NewUser};
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::Store;
use townhall_core::Role;
use townhall_web::access::{Access, ROUTES};
use townhall_web::AppState;

struct Site {
    base: String,
    _dir: tempfile::TempDir,
}

fn passphrase(username: &str) -> String {
    format!("{username} has a long passphrase")
}

/// A store with a day of Congress's posts and one account per role (each with its own password), served on
/// a free port.
fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let congress = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/govposts/congresstweets-2017-06-21.json");
    import_files(
        &store,
        &ImportRequest {
            paths: vec![congress],
            ..ImportRequest::default()
        },
        &NoProgress,
    )
    .unwrap();

    let accounts = Accounts::new();
    let first = accounts
        .ensure_first_admin(&store, "admin")
        .unwrap()
        .unwrap();
    let session = accounts
        .login(&store, "admin", &first.password, "setup")
        .unwrap();
    accounts
        .change_password(&store, &session.user, &first.password, &passphrase("admin"))
        .unwrap();
    let admin = accounts
        .login(&store, "admin", &passphrase("admin"), "setup")
        .unwrap()
        .user;
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let name = role.as_str();
        let (_, one_time) = accounts
            .create_user(
                &store,
                &admin,
                &NewUser {
                    username: name.into(),
                    display_name: format!("The {name}"),
                    role,
                    team: Some("Digital engagement".into()),
                },
            )
            .unwrap();
        let session = accounts.login(&store, name, &one_time, "setup").unwrap();
        accounts
            .change_password(&store, &session.user, &one_time, &passphrase(name))
            .unwrap();
    }

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(store);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            townhall_web::serve(listener, state).await.unwrap();
        });
    });
    Site {
        base: format!("http://{addr}"),
        _dir: dir,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

struct Reply {
    status: u16,
    location: String,
    cookies: Vec<String>,
    retry_after: Option<String>,
    body: String,
}

fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header("location").unwrap_or_default();
    let retry_after = header("retry-after");
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    Reply {
        status: response.status().as_u16(),
        location,
        cookies,
        retry_after,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// A request with optional bearer token, cookie, extra headers and body.
fn send(
    method: &str,
    url: &str,
    bearer: Option<&str>,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> Reply {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = bearer {
        builder = builder.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(cookie) = cookie {
        builder = builder.header("Cookie", cookie);
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (content_type, body) = body.unwrap_or(("text/plain", String::new()));
    let request = builder
        .header("Content-Type", content_type)
        .body(body)
        .unwrap();
    reply(agent().run(request).unwrap())
}

fn json(body: &serde_json::Value) -> Option<(&'static str, String)> {
    Some(("application/json", body.to_string()))
}

fn form(fields: &[(&str, &str)]) -> Option<(&'static str, String)> {
    let encoded = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Some(("application/x-www-form-urlencoded", encoded))
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn sign_in(site: &Site, username: &str, password: &str) -> Reply {
    send(
        "POST",
        &format!("{}/api/session", site.base),
        None,
        None,
        &[],
        json(&serde_json::json!({ "username": username, "password": password })),
    )
}

fn token_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let session: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    session["token"].as_str().unwrap().to_string()
}

fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    reply
        .cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..start + 64].to_string()
}

/// Routes that end the caller's session are walked last.
fn ends_session(path: &str) -> bool {
    path == "/logout" || path == "/api/session"
}

#[test]
fn every_role_meets_every_route_as_the_table_says() {
    let site = site();
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
