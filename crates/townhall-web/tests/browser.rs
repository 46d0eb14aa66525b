#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The web app in a real browser (Debian's headless Chromium through chromedriver): sign in with the
//! keyboard-reachable form, browse every page, take a screenshot of each, and run axe-core on each, which
//! must find no serious or critical WCAG 2.1 A/AA violation. `.ci/run` installs Chromium, chromedriver and
//! axe-core (into `target/axe`).

mod common;

use common::*;
use fantoccini::actions::InputSource;
use fantoccini::{ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn axe_source() -> String {
    let path = workspace().join("target/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "axe-core is missing at {}: run `npm install --prefix target/axe axe-core@4.14.1` (\
             .ci/run does)",
            path.display()
        )
    })
}

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver on a free port, ready for sessions.
fn start_chromedriver() -> (Driver, String) {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: `apt-get install chromium chromium-driver` (.ci/run does)"
        );
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Driver(child), url)
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // `help` and `nodes` are read through Debug in failure messages
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    nodes: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_keyboard_usable_and_passes_axe_in_chromium() {
    let site = site();
    let axe = axe_source();
    let (_driver, driver_url) = start_chromedriver();
    let browser = connect(&driver_url).await;
    let shots = workspace().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let base = site.base.clone();

    // Without a session every page leads to the sign-in form.
    browser.goto(&format!("{base}/topics")).await.unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/login");

    // The sign-in form takes the keyboard focus at once.
    let focused = browser
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "username");

    // Sign in by typing into the form.
    browser
        .find(Locator::Css("#username"))
        .await
        .unwrap()
        .send_keys("admin")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(&passphrase("admin"))
        .await
        .unwrap();
    let login_violations = run_axe(&browser, &axe).await;
    assert_clean("login", &login_violations);
    save_shot(&browser, &shots, "login").await;
    browser
        .find(Locator::Css("form.stacked button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/topics").await;

    // Keyboard: on any page the first Tab reaches the skip link, and it leads to the main content.
    browser.goto(&format!("{base}/")).await.unwrap();
    let tab: char = fantoccini::key::Key::Tab.into();
    let enter: char = fantoccini::key::Key::Enter.into();
    let press = |key: char| {
        fantoccini::actions::KeyActions::new("keyboard".into())
            .then(fantoccini::actions::KeyAction::Down { value: key })
            .then(fantoccini::actions::KeyAction::Up { value: key })
    };
    browser.perform_actions(press(tab)).await.unwrap();
    let focused = browser
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "skip-link");
    browser.perform_actions(press(enter)).await.unwrap();
    let focused = browser
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "main");

    // Import a file the way staff do: choose it on the channels page, then watch the import's page, which
    // updates itself (our own script) and ends on the outcome.
    let upload_dir = tempfile::tempdir().unwrap();
    let upload = upload_dir.path().join("browser-posts.jsonl");
    std::fs::write(
        &upload,
        "{\"id\":\"b1\",\"text\":\"Where do I renew my passport?\",\"created_at\":\"2024-05-02T08:00:00Z\"}\nnot json\n",
    )
    .unwrap();
    browser.goto(&format!("{base}/channels")).await.unwrap();
    assert_clean("channels", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "channels").await;
    browser
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(upload.to_str().unwrap())
        .await
        .unwrap();
    browser
        .find(Locator::Css("form[enctype] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    let notice = loop {
        if let Ok(done) = browser.find(Locator::Css("main .notice")).await {
            break done.text().await.unwrap();
        }
        if started.elapsed() > Duration::from_secs(30) {
            let url = browser.current_url().await.unwrap();
            let text = browser
                .find(Locator::Css("main"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            panic!("the import page never showed the outcome: {url}\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        notice.contains("1 posts imported") && notice.contains("1 rejected"),
        "{notice}"
    );
    assert_clean("import", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "import").await;

    let mut pages: Vec<(String, String)> = Vec::new();
    for (name, path) in [
        ("overview", "/"),
        ("explore", "/explore?q=%22health%20care%22&sort=newest"),
        ("topics", "/topics"),
        ("language", "/language"),
        ("communities", "/communities"),
        ("engagement", "/engagement"),
        ("post", "/posts/1"),
        ("inbox", "/inbox?view=all"),
        ("case", "/cases/1"),
        ("inbox-settings", "/inbox/settings"),
        ("ideas", "/ideas"),
        ("idea", "/ideas/1"),
        ("consultations", "/consultations"),
        ("consultation", "/consultations/1"),
        ("consult-moderation", "/consultations/1/moderation"),
        ("consult-report", "/consultations/1/report"),
        ("drafts", "/drafts"),
        ("readiness", "/readiness"),
        ("strategies", "/strategies"),
        ("strategy", "/strategies/1"),
        ("report", "/report"),
        ("trials", "/trials"),
        ("trial", "/trials/outbound/1"),
        ("campaigns", "/campaigns"),
        ("campaign", "/campaigns/fixes"),
        ("public-idea", "/i/bins"),
        ("settings", "/settings"),
        ("audit", "/audit"),
        ("password", "/account/password"),
    ] {
        pages.push((name.into(), path.into()));
    }
    for (name, path) in &pages {
        browser.goto(&format!("{base}{path}")).await.unwrap();
        let heading = browser.find(Locator::Css("main h1")).await;
        assert!(heading.is_ok(), "{name}: no heading");
        let violations = run_axe(&browser, &axe).await;
        assert_clean(name, &violations);
        save_shot(&browser, &shots, name).await;
    }
    // The phone layout renders too.
    browser.set_window_size(390, 844).await.unwrap();
    browser.goto(&format!("{base}/")).await.unwrap();
    let violations = run_axe(&browser, &axe).await;
    assert_clean("overview on a phone", &violations);
    save_shot(&browser, &shots, "overview-phone").await;
    for (name, _) in &pages {
        let shot = shots.join(format!("{name}.png"));
        assert!(std::fs::metadata(&shot).unwrap().len() > 1_000, "{name}");
    }
    // The check itself works: an image without a text alternative is caught.
    browser
        .execute(
            "const img = document.createElement('img'); img.src = '/assets/none.png'; document.querySelector('main').appendChild(img);",
            vec![],
        )
        .await
        .unwrap();
    let violations = run_axe(&browser, &axe).await;
    assert!(
        violations
            .iter()
            .any(|v| v.id == "image-alt" && v.impact.as_deref() == Some("critical")),
        "{violations:?}"
    );
    browser.close().await.unwrap();
}

async fn connect(driver_url: &str) -> fantoccini::Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"],
        }),
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities)
        .connect(driver_url)
        .await
        .unwrap()
}

async fn type_into(browser: &fantoccini::Client, css: &str, text: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(browser: &fantoccini::Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn main_text(browser: &fantoccini::Client) -> String {
    browser
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Wait until the page's status notice says `text`.
async fn wait_for_notice(browser: &fantoccini::Client, text: &str) {
    let started = Instant::now();
    loop {
        if let Ok(notice) = browser.find(Locator::Css("main .notice")).await {
            if notice.text().await.unwrap_or_default().contains(text) {
                return;
            }
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!(
                "never saw {text:?} on {}:\n{}",
                browser.current_url().await.unwrap(),
                main_text(browser).await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sign_in_as(browser: &fantoccini::Client, base: &str, who: &str) {
    browser.goto(&format!("{base}/login")).await.unwrap();
    type_into(browser, "#username", who).await;
    type_into(browser, "#password", &passphrase(who)).await;
    click(browser, "form.stacked button[type=submit]").await;
    wait_for_path(browser, "/").await;
}

/// A responder's day (queue → case → check → reply → close) and an idea's life (submitted, voted,
/// commented, moved to adopted by a moderator with the reason), all by clicking and typing in Chromium,
/// with axe-core on each new screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responders_day_and_an_ideas_life_in_chromium() {
    let site = site();
    let axe = axe_source();
    let (_driver, driver_url) = start_chromedriver();
    let browser = connect(&driver_url).await;
    let shots = workspace().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let base = site.base.clone();

    sign_in_as(&browser, &base, "responder").await;
    // The inbox opens on the responder's own queue, empty; case 1 waits among all cases.
    browser.goto(&format!("{base}/inbox")).await.unwrap();
    let text = main_text(&browser).await;
    assert!(
        text.contains("Assigned to me (0)") && text.contains("No cases here."),
        "{text}"
    );
    click(&browser, "nav[aria-label=Queues] li:last-child a").await;
    assert_clean("inbox, all", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "day-inbox").await;
    click(&browser, "a[href=\"/cases/1\"]").await;
    wait_for_path(&browser, "/cases/1").await;
    click(&browser, "button[value=take]").await;
    wait_for_notice(&browser, "Assignment saved.").await;
    browser.goto(&format!("{base}/inbox")).await.unwrap();
    assert!(main_text(&browser).await.contains("Assigned to me (1)"));
    browser.goto(&format!("{base}/cases/1")).await.unwrap();

    // Check a draft, then record the reply.
    type_into(
        &browser,
        "#reply-text",
        "Thanks for asking. We will call you back today.",
    )
    .await;
    click(&browser, "button[value=check]").await;
    let started = Instant::now();
    while browser.find(Locator::Css(".check")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no check shown"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let check = browser
        .find(Locator::Css(".check"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        check.contains("Reading grade") && check.contains("No personal data found."),
        "{check}"
    );
    assert_clean("case with a checked reply", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "day-case-check").await;
    click(&browser, "button[value=reply]").await;
    wait_for_notice(&browser, "Reply recorded").await;
    click(&browser, "button[value=close]").await;
    wait_for_notice(&browser, "Case closed.").await;
    let timeline = browser
        .find(Locator::Css("ol.timeline"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for step in ["assigned", "replied", "closed"] {
        assert!(timeline.contains(step), "{step} missing from {timeline}");
    }
    save_shot(&browser, &shots, "day-case-closed").await;

    // An idea: submitted by the responder, voted and commented on.
    browser.goto(&format!("{base}/ideas")).await.unwrap();
    type_into(
        &browser,
        "#idea-title",
        "Publish a weekly round-up of the public's questions",
    )
    .await;
    type_into(
        &browser,
        "#idea-body",
        "Many ask the same things; answer them once, in the open.",
    )
    .await;
    click(
        &browser,
        "form[aria-labelledby=new-idea] button[type=submit]",
    )
    .await;
    wait_for_notice(&browser, "Idea submitted.").await;
    let idea_path = browser.current_url().await.unwrap().path().to_string();
    click(&browser, "form input[name=value][value=\"1\"] ~ button").await;
    wait_for_notice(&browser, "Saved.").await;
    type_into(
        &browser,
        "#comment-text",
        "The benefits team would love this.",
    )
    .await;
    click(&browser, "form[aria-label=Comment] button").await;
    wait_for_notice(&browser, "Saved.").await;
    let text = main_text(&browser).await;
    assert!(
        text.contains("1 for, 0 against") && text.contains("The benefits team would love this."),
        "{text}"
    );
    assert_clean("idea", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "life-idea").await;

    // A moderator moves it on to adoption, giving the reason.
    click(&browser, "form[action=\"/logout\"] button").await;
    wait_for_path(&browser, "/login").await;
    sign_in_as(&browser, &base, "moderator").await;
    for (stage, reason) in [
        ("under_review", ""),
        ("piloting", "A four-week trial on the website."),
        (
            "adopted",
            "The trial halved repeat questions; it runs every Friday from now on.",
        ),
    ] {
        browser.goto(&format!("{base}{idea_path}")).await.unwrap();
        browser
            .find(Locator::Css(&format!("#stage option[value={stage}]")))
            .await
            .unwrap_or_else(|e| panic!("{stage}: {e}"))
            .click()
            .await
            .unwrap();
        if !reason.is_empty() {
            type_into(&browser, "#stage-reason", reason).await;
        }
        click(&browser, "form[aria-labelledby=stage-heading] button").await;
        wait_for_notice(&browser, "Saved").await;
    }
    let text = main_text(&browser).await;
    assert!(
        text.contains("Adopted: The trial halved repeat questions"),
        "{text}"
    );
    browser
        .goto(&format!("{base}/ideas?stage=adopted"))
        .await
        .unwrap();
    assert!(main_text(&browser)
        .await
        .contains("Publish a weekly round-up"));
    assert_clean("ideas, adopted", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "life-adopted").await;
    browser.close().await.unwrap();
}

async fn wait_for_path(browser: &fantoccini::Client, path: &str) {
    let started = Instant::now();
    loop {
        if browser.current_url().await.unwrap().path() == path {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never reached {path}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn save_shot(browser: &fantoccini::Client, dir: &Path, name: &str) {
    let png = browser.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// axe-core's violations of WCAG 2.0/2.1 A and AA on the current page.
async fn run_axe(browser: &fantoccini::Client, axe: &str) -> Vec<Violation> {
    browser.execute(axe, vec![]).await.unwrap();
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(JSON.stringify(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))))
               .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: 0 }])));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_str(result.as_str().unwrap()).unwrap()
}

fn assert_clean(page: &str, violations: &[Violation]) {
    let serious: Vec<&Violation> = violations
        .iter()
        .filter(|v| matches!(v.impact.as_deref(), Some("serious" | "critical")))
        .collect();
    assert!(
        serious.is_empty(),
        "{page}: serious or critical axe violations: {serious:#?}"
    );
}

/// A member of the public on a phone takes part in a consultation without an account: votes by
/// tapping, writes a statement, and sees the group their votes place them in, with axe-core on each
/// screen. Forty earlier participants voted along two sides, so there are groups to join.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_of_the_public_takes_part_on_a_phone_in_chromium() {
    let site = site_with(|store| {
        let service = townhall_app::consultations::Consultations::new(
            townhall_app::consultations::ParticipationLimits {
                votes_per_participant: townhall_app::consultations::Limit::new(1e6, 1e6),
                votes_per_address: townhall_app::consultations::Limit::new(1e6, 1e6),
                ..Default::default()
            },
        );
        let admin = townhall_app::actor::Actor::cli("test");
        let mut settings = townhall_app::consultations::ConsultationSettings::new(
            "Should the library open on Sundays?",
        );
        settings.slug = Some("library".into());
        settings.moderation = townhall_app::consultations::Moderation::ApproveFirst;
        let seeds: Vec<String> = (0..8)
            .map(|i| format!("Library statement number {i} for the test"))
            .collect();
        let (row, _) =
            townhall_app::consultations::create(store, &admin, &settings, &seeds).unwrap();
        let row = townhall_app::consultations::set_phase(
            store,
            &admin,
            row.id,
            townhall_app::consultations::Phase::Public,
        )
        .unwrap();
        let ids: Vec<i64> = store
            .statements(row.id, None)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        for p in 0..40 {
            let (who, _) = service.join(store, &row, None, None).unwrap();
            for (i, id) in ids.iter().enumerate() {
                let side = if (p % 2 == 0) == (i % 2 == 0) { 1 } else { -1 };
                service.vote(store, &who, "test", *id, side).unwrap();
            }
        }
    });
    let axe = axe_source();
    let (_driver, driver_url) = start_chromedriver();
    let browser = connect(&driver_url).await;
    let shots = workspace().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    browser.set_window_size(390, 844).await.unwrap();
    browser
        .goto(&format!("{}/c/library", site.base))
        .await
        .unwrap();
    assert!(main_text(&browser)
        .await
        .contains("Statements left for you: 8"));
    assert_clean("participate", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "participate-phone").await;
    // Eight votes by tapping: agree on the even statements, disagree on the odd ones (one side).
    for round in 0..8 {
        let legend = browser
            .find(Locator::Css(".statement-card"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let n: usize = legend
            .split_whitespace()
            .nth(3)
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("{legend}"));
        let button = if n.is_multiple_of(2) {
            "Agree"
        } else {
            "Disagree"
        };
        browser
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{button}']"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        // The page comes back with one statement fewer (or none left).
        let expected = if round < 7 {
            format!("Statements left for you: {}", 7 - round)
        } else {
            "You have voted on every statement so far".to_string()
        };
        let started = Instant::now();
        while !text_during_navigation(&browser).await.contains(&expected) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "never saw {expected}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        wait_for_notice(&browser, "is recorded").await;
        if round == 0 {
            assert_clean("participate, voted", &run_axe(&browser, &axe).await);
        }
    }
    let text = main_text(&browser).await;
    assert!(
        text.contains("You have voted on every statement so far"),
        "{text}"
    );
    assert!(
        text.contains("You have voted on 8 of 8 statements"),
        "{text}"
    );
    // Results may be up to two seconds behind the last vote: the page says so, and a reload a moment
    // later shows the group.
    let started = Instant::now();
    let text = loop {
        let text = main_text(&browser).await;
        if text.contains("Your votes place you in opinion group") {
            break text;
        }
        assert!(text.contains("Groups are being worked out"), "{text}");
        assert!(started.elapsed() < Duration::from_secs(15), "{text}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        browser.refresh().await.unwrap();
    };
    assert!(
        text.contains("with 21 participants") || text.contains("with 20 participants"),
        "{text}"
    );
    let map = browser.find(Locator::Css("svg.opinion-map")).await.unwrap();
    assert!(map.html(false).await.unwrap().contains(">you</text>"));
    // A statement of their own waits for a moderator.
    type_into(
        &browser,
        "#statement-text",
        "Open the study rooms until midnight in May",
    )
    .await;
    click(&browser, "form[action='/c/library/statements'] button").await;
    wait_for_notice(&browser, "A moderator will read it").await;
    assert_clean("participate, placed", &run_axe(&browser, &axe).await);
    save_shot(&browser, &shots, "participate-placed").await;
    browser.close().await.unwrap();
}

/// The main text, or nothing while a page is being replaced.
async fn text_during_navigation(browser: &fantoccini::Client) -> String {
    match browser.find(Locator::Css("main")).await {
        Ok(main) => main.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}
