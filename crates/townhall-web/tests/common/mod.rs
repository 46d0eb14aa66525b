#![allow(dead_code)]
//! The real server on a free port, with a day of Congress's posts and one account per role; HTTP helpers.

use std::path::PathBuf;
use std::sync::Arc;
use townhall_app::accounts::{Accounts, NewUser};
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::Store;
use townhall_core::Role;
use townhall_web::AppState;

pub struct Site {
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Site {
    /// The folder of the served store.
    pub fn store_dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

pub fn passphrase(username: &str) -> String {
    format!("{username} has a long passphrase")
}

/// A store with a day of Congress's posts and one account per role (each with its own password), served on
/// a free port.
pub fn site() -> Site {
    site_with(|_| {})
}

/// As [`site`], with `prepare` run on the store before serving (more imports, say).
pub fn site_with(prepare: impl FnOnce(&Store)) -> Site {
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

    prepare(&store);
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

    // Case 1 and idea 1 exist, so that their pages answer those who may see them.
    let admin_actor = townhall_app::actor::Actor::from(&admin);
    let first_post = store.posts_after(0, 1).unwrap()[0].id;
    townhall_app::cases::flag_post(&store, &admin_actor, first_post, "set-up").unwrap();
    townhall_app::ideas::submit(
        &store,
        &admin_actor,
        &townhall_app::ideas::IdeaInput {
            title: "Answer questions within a day".into(),
            body: String::new(),
            source: townhall_app::ideas::IdeaSource::Employee,
            strategy: None,
            campaign: None,
        },
    )
    .unwrap();

    // Consultation 1 (/c/parks) is open to the public with a few seed statements.
    let mut parks = townhall_app::consultations::ConsultationSettings::new(
        "How should the city spend its park budget?",
    );
    parks.slug = Some("parks".into());
    let seeds: Vec<String> = [
        "More shade trees in every playground",
        "Keep the pools open until 9 pm in summer",
        "Spend less on parks and more on roads",
        "Add lighting to the park paths",
        "Build a dog park in the north end",
        "Hire more park rangers",
        "Plant native flowers instead of lawns",
        "Put water fountains along the trails",
    ]
    .map(String::from)
    .to_vec();
    let (parks, _) =
        townhall_app::consultations::create(&store, &admin_actor, &parks, &seeds).unwrap();
    townhall_app::consultations::set_phase(
        &store,
        &admin_actor,
        parks.id,
        townhall_app::consultations::Phase::Public,
    )
    .unwrap();

    // Strategy 1 exists too, with a goal on the park consultation.
    townhall_app::strategies::create(
        &store,
        &admin_actor,
        &townhall_app::strategies::StrategyInput {
            name: "Parks consultation".into(),
            kind: "consultation".into(),
            consultations: vec!["parks".into()],
            goals: vec![townhall_strategy::goals::Goal {
                metric: townhall_strategy::goals::Metric::ConsultationParticipants {
                    consultation: "parks".into(),
                },
                direction: townhall_strategy::goals::Direction::AtLeast,
                target: 300.0,
            }],
            ..Default::default()
        },
    )
    .unwrap();

    // Idea campaign /campaigns/fixes (with employees) and outbound message 1 (on trial) exist too.
    townhall_app::campaigns::create(
        &store,
        &admin_actor,
        &townhall_app::campaigns::CampaignInput {
            slug: "fixes".into(),
            title: "Small fixes".into(),
            question: "What small fix would save the public a trip to our office?".into(),
            strategy: Some("Parks consultation".into()),
        },
    )
    .unwrap();
    // Idea campaign /i/bins is open to the public.
    townhall_app::campaigns::create(
        &store,
        &admin_actor,
        &townhall_app::campaigns::CampaignInput {
            slug: "bins".into(),
            title: "Better bin days".into(),
            question: "What would make bin collection easier for you?".into(),
            strategy: None,
        },
    )
    .unwrap();
    townhall_app::campaigns::set_audience(&store, &admin_actor, "bins", "public").unwrap();
    townhall_app::trials::create_outbound(
        &store,
        &admin_actor,
        &townhall_app::trials::OutboundInput {
            title: "Park budget survey".into(),
            body: "Tell us how to spend the park budget: vote at /c/parks before Friday.".into(),
            strategy: Some("Parks consultation".into()),
            ..Default::default()
        },
    )
    .unwrap();

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

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

pub struct Reply {
    pub status: u16,
    pub location: String,
    pub cookies: Vec<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

pub fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
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
pub fn send(
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

pub fn json(body: &serde_json::Value) -> Option<(&'static str, String)> {
    Some(("application/json", body.to_string()))
}

pub fn form(fields: &[(&str, &str)]) -> Option<(&'static str, String)> {
    let encoded = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Some(("application/x-www-form-urlencoded", encoded))
}

pub fn urlencode(value: &str) -> String {
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

pub fn sign_in(site: &Site, username: &str, password: &str) -> Reply {
    send(
        "POST",
        &format!("{}/api/session", site.base),
        None,
        None,
        &[],
        json(&serde_json::json!({ "username": username, "password": password })),
    )
}

pub fn token_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let session: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    session["token"].as_str().unwrap().to_string()
}

pub fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    reply
        .cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..start + 64].to_string()
}

/// Upload a file to `/imports` as a browser's form would (multipart), signed in with `bearer`.
pub fn upload(site: &Site, bearer: &str, file_name: &str, content: &str, own: bool) -> Reply {
    let boundary = "townhall-test-boundary-7f3a";
    let mut body = String::new();
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n"
    ));
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nauto\r\n"
    ));
    if own {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"own\"\r\n\r\n1\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    send(
        "POST",
        &format!("{}/imports", site.base),
        Some(bearer),
        None,
        &[],
        Some((
            Box::leak(format!("multipart/form-data; boundary={boundary}").into_boxed_str()),
            body,
        )),
    )
}

/// Wait for an import job to end; its JSON.
pub fn finished_job(site: &Site, bearer: &str, id: &str) -> serde_json::Value {
    let started = std::time::Instant::now();
    loop {
        let reply = send(
            "GET",
            &format!("{}/api/imports/{id}", site.base),
            Some(bearer),
            None,
            &[],
            None,
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        let job: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        if job["status"] != "running" {
            return job;
        }
        assert!(started.elapsed().as_secs() < 60, "the import never ended");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
