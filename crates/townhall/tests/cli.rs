#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real binary, driven as a user would: the demo over HTTP, imports that are killed, the CLI.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn townhall(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_townhall"));
    cmd.arg("--data")
        .arg(data)
        .env_remove("TOWNHALL_ADDR")
        .env_remove("RUST_LOG");
    cmd
}

/// Run a CLI command that must succeed and print JSON; the error output is shown when it fails.
fn json_of(command: &mut Command) -> serde_json::Value {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Kills the child when the test ends, pass or fail.
struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET as the signed-in user of `token`.
fn get(token: &str, url: &str) -> (u16, String) {
    let mut response = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// POST a JSON body (as `token`'s user when given).
fn post_json(token: Option<&str>, url: &str, body: &serde_json::Value) -> (u16, String) {
    let mut request = agent().post(url).header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body.to_string()).unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// Sign in over the API; the session token.
fn sign_in(base: &str, username: &str, password: &str) -> String {
    let (status, body) = post_json(
        None,
        &format!("{base}/api/session"),
        &serde_json::json!({ "username": username, "password": password }),
    );
    assert_eq!(status, 200, "{body}");
    let session: serde_json::Value = serde_json::from_str(&body).unwrap();
    session["token"].as_str().unwrap().to_string()
}

/// Start `townhall demo` or `townhall serve` on a free port; returns the process, its base URL and the
/// session token of the first administrator, who has replaced the one-time password the server printed.
/// The address is printed once the listener is bound, so no sleeps are needed.
fn start_server(data: &Path, command: &str) -> (Running, String, String) {
    start_server_with(data, command, &[])
}

/// As [`start_server`], with environment settings for the server.
fn start_server_with(
    data: &Path,
    command: &str,
    env: &[(&str, &str)],
) -> (Running, String, String) {
    let mut child = townhall(data)
        .args([command, "--addr", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Running(child);
    let mut one_time = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("one-time password ").nth(1) {
            one_time = rest.split_whitespace().next().map(str::to_string);
        }
        if let Some(rest) = line.split("serving on ").nth(1) {
            let base = rest.split_whitespace().next().unwrap();
            let base = base.trim_end_matches('/').to_string();
            let one_time = one_time.expect("the first run prints a one-time admin password");
            let token = sign_in(&base, "admin", &one_time);
            // Until the one-time password is replaced, only the password change is allowed.
            let (status, body) = get(&token, &format!("{base}/api/search?q=x"));
            assert_eq!(status, 403, "{body}");
            assert!(body.contains("password_change_required"), "{body}");
            let (status, body) = post_json(
                Some(&token),
                &format!("{base}/api/account/password"),
                &serde_json::json!({ "current": one_time, "new": "the demo admin's passphrase" }),
            );
            assert_eq!(status, 204, "{body}");
            let token = sign_in(&base, "admin", "the demo admin's passphrase");
            return (server, base, token);
        }
    }
    panic!("`townhall {command}` never printed its address");
}

#[test]
fn demo_serves_the_bundled_sample_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let (demo, base, token) = start_server(dir.path(), "demo");

    let (status, body) = get(&token, &format!("{base}/api/health"));
    assert_eq!(status, 200);
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(health["posts"].as_u64().unwrap() > 3_000, "{body}");

    let (status, body) = get(&token, &format!("{base}/api/search?q=kind:repost&limit=5"));
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 504);
    assert_eq!(page["posts"].as_array().unwrap().len(), 5);

    let (status, body) = get(&token, &format!("{base}/api/search?q=health%20AND%20(care"));
    assert_eq!(status, 400);
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"], "query_syntax");
    assert_eq!(error["position"], 11);

    let (status, html) = get(
        &token,
        &format!("{base}/explore?q=%22health+care%22&sort=newest"),
    );
    assert_eq!(status, 200);
    assert!(html.contains("<main"), "a page with landmarks");
    assert!(html.contains("of "), "a result count");
    assert!(html.to_lowercase().contains("health care"));

    let id = page["posts"][0]["id"].as_i64().unwrap();
    let (status, html) = get(&token, &format!("{base}/posts/{id}"));
    assert_eq!(status, 200);
    assert!(html.contains("Analysis"));
    // Drill-down from the agency's post to the public's replies, as JSON and as a page.
    let (_, body) = get(&token, &format!("{base}/api/search?q=from:AOC"));
    let aoc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let origin = &aoc["posts"][0];
    let (status, body) = get(&token, &format!("{base}/api/posts/{}/thread", origin["id"]));
    assert_eq!(status, 200);
    let thread: serde_json::Value = serde_json::from_str(&body).unwrap();
    let replies = thread["replies"].as_array().unwrap();
    assert!(replies.len() > 100, "{} replies", replies.len());
    assert!(replies
        .iter()
        .all(|r| r["reply_to"] == origin["external_id"]));
    let (status, html) = get(&token, &format!("{base}/posts/{}", origin["id"]));
    assert_eq!(status, 200);
    assert!(html.contains("stored replies, oldest first"));
    let (status, html) = get(&token, &format!("{base}/posts/{}", replies[0]["id"]));
    assert_eq!(status, 200);
    assert!(html.contains("In reply to"));

    let (status, _) = get(&token, &format!("{base}/posts/999999999"));
    assert_eq!(status, 404);

    // Insight over the same sample, as JSON; a bad date is a 400 that names the field.
    let (status, body) = get(&token, &format!("{base}/api/insights?top=5"));
    assert_eq!(status, 200);
    let insights: serde_json::Value = serde_json::from_str(&body).unwrap();
    for key in [
        "where",
        "topics",
        "language",
        "sentiment",
        "communities",
        "engagement",
    ] {
        assert!(insights.get(key).is_some(), "missing {key}");
    }
    assert!(insights["scope"]["posts"].as_u64().unwrap() > 3_000);
    let (status, body) = get(&token, &format!("{base}/api/insights?since=soon"));
    assert_eq!(status, 400);
    assert!(body.contains("since"), "{body}");
    let (status, body) = get(&token, &format!("{base}/api/insights?q=from:AOC"));
    assert_eq!(status, 200);
    let aoc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (_, body) = get(&token, &format!("{base}/api/search?q=from:AOC"));
    let searched: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        aoc["scope"]["posts"], searched["total"],
        "the scope is the query's posts"
    );
    // The demo's consultations: a finished Pol.is conversation with its groups, and an open pilot.
    let (status, body) = get(&token, &format!("{base}/api/consultations"));
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let list = list["consultations"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{body}");
    let polis = list
        .iter()
        .find(|c| c["slug"] == "electoral-reform")
        .unwrap();
    assert_eq!(polis["phase"], "closed");
    let (_, body) = get(&token, &format!("{base}/api/consultations/{}", polis["id"]));
    let results: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        results["groups"].as_array().unwrap().len() >= 2,
        "{}",
        results["groups"]
    );
    let (status, html) = get(&token, &format!("{base}/c/answering-online"));
    assert_eq!(status, 200);
    assert!(html.contains("Statements left for you: 8"));
    // Three example strategies in different phases.
    let (status, body) = get(&token, &format!("{base}/api/strategies"));
    assert_eq!(status, 200);
    let strategies: serde_json::Value = serde_json::from_str(&body).unwrap();
    let phases: Vec<&str> = strategies["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, vec!["scaled", "limited_public", "pilot"]);
    let (status, html) = get(&token, &format!("{base}/strategies/2"));
    assert_eq!(status, 200);
    assert!(html.contains("participants in the consultation /c/answering-online"));
    // The outreach strategy covers the agency's own channels and tries a message with employees first;
    // the innovation strategy runs an idea campaign.
    let (_, body) = get(&token, &format!("{base}/api/strategies/1"));
    let outreach: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(!outreach["strategy"]["channels"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(outreach["trials"][0]["title"], "Winter office hours");
    let (_, body) = get(&token, &format!("{base}/api/strategies/3"));
    let innovation: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(innovation["campaigns"][0]["slug"], "fewer-trips");
    let (_, body) = get(&token, &format!("{base}/api/trials"));
    let trials: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(trials["trials"].as_array().unwrap().len(), 2, "{trials}");
    drop(demo);
}

#[test]
fn insights_json_reports_the_congress_days_engagement_counts() {
    let dir = tempfile::tempdir().unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/govposts/congresstweets-2017-06-21.json");
    let status = townhall(dir.path())
        .args(["import", "--quiet", "--own"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());

    let out = townhall(dir.path())
        .args(["track", "add", "health", "\"health care\" OR trumpcare"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = townhall(dir.path())
        .args(["track", "add", "broken", "(health"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains('^'),
        "a pointer at the error"
    );

    let report = json_of(townhall(dir.path()).args(["insights", "--json"]));
    let e = &report["engagement"];
    assert_eq!(
        (&e["original"], &e["quote"], &e["repost"], &e["reply"]),
        (&1_841.into(), &273.into(), &504.into(), &109.into())
    );
    assert_eq!(report["topics"]["tracked"][0]["name"], "health");
    assert!(report["topics"]["tracked"][0]["posts"].as_u64().unwrap() > 10);
    // Changes made from the command line are audited too (the refused one is not a change).
    {
        let store = townhall_app::Store::open(dir.path()).unwrap();
        let audit = store.audit_page(None, 10).unwrap();
        let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, vec!["tracked_topic.save", "import.finish"]);
        assert!(
            audit.iter().all(|r| r.actor.starts_with("cli:")),
            "{audit:?}"
        );
        assert!(audit[1].detail.contains("imported 2727"), "{audit:?}");
    }

    // The human summary names every section; a window keeps only its posts.
    let out = townhall(dir.path()).args(["insights"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in [
        "WHERE PEOPLE ARE",
        "WHAT THEY CARE ABOUT",
        "WHAT LANGUAGE",
        "WHAT MAKES THEM TICK",
        "WHAT MAKES THEM STICK",
        "ENGAGEMENT",
    ] {
        assert!(text.contains(heading), "missing {heading} in:\n{text}");
    }
    assert!(text.contains("1841 original"), "{text}");
    let out = townhall(dir.path())
        .args([
            "insights",
            "--json",
            "--since",
            "2017-06-21T12:00:00Z",
            "--until",
            "2017-06-21",
        ])
        .output()
        .unwrap();
    let window: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kept = window["scope"]["posts"].as_u64().unwrap();
    assert!(kept > 0 && kept < 2_727, "{kept}");
    let e = &window["engagement"];
    let kinds: u64 = ["original", "quote", "repost", "reply"]
        .iter()
        .map(|k| e[*k].as_u64().unwrap())
        .sum();
    assert_eq!(
        kinds, kept,
        "every own post in the window is classified once"
    );
    let out = townhall(dir.path())
        .args(["insights", "--since", "June"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Posts in the store, read straight from its SQLite file; `None` while the store is not created yet.
fn post_count(data: &Path) -> Option<i64> {
    let path = data.join("townhall.sqlite");
    if !path.exists() {
        return None;
    }
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.busy_timeout(Duration::from_secs(5)).ok()?;
    conn.query_row("SELECT count(*) FROM posts", [], |r| r.get(0))
        .ok()
}

fn write_posts(path: &PathBuf, n: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        writeln!(
            f,
            r#"{{"id":"{i}","text":"Post number {i}: when does the office open? I love the new park.","created_at":"2024-05-01T10:00:00Z","author":"user{}"}}"#,
            i % 977
        )
        .unwrap();
    }
}

#[test]
fn an_import_killed_half_way_leaves_no_half_written_post() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let file = dir.path().join("many.jsonl");
    let n = 30_000;
    write_posts(&file, n);

    let child = townhall(&data)
        .args(["import", "--quiet"])
        .arg(&file)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut import = Running(child);
    let started = Instant::now();
    // Wait until some batches are committed, then kill without warning.
    while post_count(&data).unwrap_or(0) < 4_000 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import made no progress"
        );
        if let Some(status) = import.0.try_wait().unwrap() {
            panic!("the import ended before it could be killed: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    import.0.kill().unwrap();
    import.0.wait().unwrap();
    drop(import);

    let stored = post_count(&data).expect("the store exists after the import ran");
    assert!(
        stored > 0 && (stored as usize) < n,
        "killed half way: {stored}"
    );
    // Batches are whole: a multiple of the batch size was committed.
    assert_eq!(
        stored % 2_000,
        0,
        "{stored} posts: a partial batch was written"
    );

    // Reopening indexes whatever the index had not committed: every stored post can be found.
    let page = json_of(townhall(&data).args(["search", "", "--json", "--limit", "1"]));
    assert_eq!(page["total"].as_i64().unwrap(), stored);

    // Importing again completes the file without duplicating anything.
    let summary = json_of(townhall(&data).args(["import", "--json"]).arg(&file));
    assert_eq!(summary["imported"].as_i64().unwrap(), n as i64 - stored);
    assert_eq!(summary["duplicates"].as_i64().unwrap(), stored);
    assert_eq!(post_count(&data), Some(n as i64));
}

#[test]
fn search_reports_a_syntax_error_with_a_pointer_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = townhall(dir.path())
        .args(["search", "lang:es AND"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn analyze_turns_text_lines_into_jsonl() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_townhall"))
        .args(["analyze", "--input", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        writeln!(
            stdin,
            r#"{{"id":1,"text":"No problem, this is great! #SNAP @USDA"}}"#
        )
        .unwrap();
        writeln!(stdin, "not json").unwrap();
        writeln!(
            stdin,
            r#"{{"id":2,"text":"¿Dónde puedo renovar mi pasaporte?"}}"#
        )
        .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "a bad line is reported in the exit code"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 2"));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert!(lines[0]["sentiment"]["compound"].as_f64().unwrap() > 0.5);
    assert_eq!(lines[0]["hashtags"][0], "snap");
    assert_eq!(lines[0]["mentions"][0], "usda");
    assert_eq!(lines[1]["lang"], "es");
    assert_eq!(lines[1]["is_question"], true);
}

#[test]
fn the_cli_searches_and_imports_beside_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let (server, base, token) = start_server(&data, "serve");

    let file = dir.path().join("posts.jsonl");
    write_posts(&file, 500);
    let output = townhall(&data)
        .args(["import", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = json_of(townhall(&data).args(["search", "office", "--json"]));
    assert_eq!(page["total"], 500);

    // The server sees the other process's commit once its reader reloads (bounded wait).
    let started = Instant::now();
    loop {
        let (status, body) = get(&token, &format!("{base}/api/search?q=office&limit=1"));
        assert_eq!(status, 200);
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        if page["total"] == 500 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server never saw the import: {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server);
}

#[test]
fn a_settings_file_configures_the_server_and_logs_are_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("townhall.toml");
    std::fs::write(
        &settings,
        format!(
            "data = {:?}\naddr = \"127.0.0.1:0\"\nadmin = \"chief\"\nlog_format = \"json\"\n",
            dir.path().join("store").display().to_string()
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("log.jsonl")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_townhall"))
        .arg("--config")
        .arg(&settings)
        .arg("serve")
        .env_remove("TOWNHALL_ADDR")
        .env_remove("TOWNHALL_DATA")
        .env("RUST_LOG", "townhall=info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Running(child);
    let (mut base, mut first_admin) = (None, None);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.contains("sign in as chief") {
            first_admin = Some(line.clone());
        }
        if let Some(rest) = line.split("serving on ").nth(1) {
            base = rest
                .split_whitespace()
                .next()
                .map(|b| b.trim_end_matches('/').to_string());
            break;
        }
    }
    let base = base.expect("the address comes from the file (port 0: a free one)");
    assert!(
        first_admin.is_some(),
        "the admin's name comes from the file"
    );
    assert!(
        dir.path().join("store/townhall.sqlite").exists(),
        "the store folder comes from the file"
    );
    let (status, _) = post_json(
        None,
        &format!("{base}/api/session"),
        &serde_json::json!({"username": "chief", "password": "wrong password!"}),
    );
    assert_eq!(status, 401);
    drop(server);
    let log = std::fs::read_to_string(dir.path().join("log.jsonl")).unwrap();
    let request = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|event| event["fields"]["message"] == "request")
        .unwrap_or_else(|| panic!("no JSON request event in:\n{log}"));
    assert_eq!(request["fields"]["path"], "/api/session");
    assert_eq!(request["fields"]["status"], 401);
}

#[test]
fn cases_json_lists_the_questions_addressed_to_the_agency() {
    let dir = tempfile::tempdir().unwrap();
    import_public_replies(dir.path());
    let listed = json_of(townhall(dir.path()).args(["cases", "--json"]));
    let listed = listed.as_array().unwrap();
    assert!(!listed.is_empty());
    for case in listed {
        for field in [
            "id",
            "status",
            "team",
            "assignee",
            "post",
            "opened_at",
            "first_response_at",
        ] {
            assert!(case.get(field).is_some(), "{field} missing in {case}");
        }
        assert_eq!(case["status"], "open");
    }
    // Listing again opens nothing new; filters work.
    let again = json_of(townhall(dir.path()).args(["cases", "--json"]));
    assert_eq!(again.as_array().unwrap().len(), listed.len());
    let closed = json_of(townhall(dir.path()).args(["cases", "--status", "closed", "--json"]));
    assert!(closed.as_array().unwrap().is_empty());
}

#[test]
fn cases_bulk_actions_and_ideas_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    import_public_replies(dir.path());
    let open = json_of(townhall(dir.path()).args(["cases", "--status", "open", "--json"]));
    let open = open.as_array().unwrap().len() as u64;
    assert!(open > 100);
    // A bulk action needs to be told which cases.
    assert!(!townhall(dir.path())
        .args(["cases", "--close"])
        .status()
        .unwrap()
        .success());
    let tagged = json_of(
        townhall(dir.path()).args(["cases", "--status", "open", "--tag", "triage", "--json"]),
    );
    assert_eq!(tagged["changed"], open);
    let closed =
        json_of(townhall(dir.path()).args(["cases", "--ids", "1,2,3", "--close", "--json"]));
    assert_eq!(closed["changed"], 3);
    let still_open = json_of(townhall(dir.path()).args(["cases", "--status", "open", "--json"]));
    assert_eq!(still_open.as_array().unwrap().len() as u64, open - 3);
    assert!(still_open.as_array().unwrap()[0]["tags"]
        .as_array()
        .unwrap()
        .contains(&"triage".into()));
    // No ideas yet; the outbox is empty.
    let ideas = json_of(townhall(dir.path()).args(["ideas", "--json"]));
    assert!(ideas.as_array().unwrap().is_empty());
    let outbox = townhall(dir.path()).args(["outbox"]).output().unwrap();
    assert!(outbox.status.success() && outbox.stdout.is_empty());
}

#[test]
fn consult_analyze_finds_the_opinion_groups_of_a_polis_export() {
    let export = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/polis/canadian-electoral-reform");
    let dir = tempfile::tempdir().unwrap();
    let report = json_of(
        townhall(dir.path())
            .args(["consult", "analyze", "--json"])
            .arg(&export),
    );
    let groups = report["groups"].as_object().unwrap();
    assert_eq!(groups.len() as u64, report["clustered"].as_u64().unwrap());
    assert!(report["group_reports"].as_array().unwrap().len() >= 2);
    let ari = report["agreement_with_export"].as_f64().unwrap();
    assert!(
        ari >= 0.9,
        "adjusted Rand index with Pol.is's groups: {ari}"
    );
    // A folder without an export is refused with the file named.
    let out = townhall(dir.path())
        .args(["consult", "analyze"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("comments.csv"));
}

/// Import the public's reply threads with AOC as the agency's own account.
fn import_public_replies(data: &std::path::Path) {
    let replies =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/publicreplies");
    let status = townhall(data)
        .args([
            "import",
            "--quiet",
            "--own-account",
            "AOC",
            "--format",
            "publicreplies",
        ])
        .args(
            std::fs::read_dir(&replies)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json")),
        )
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn an_acknowledged_vote_survives_the_server_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let seeds = dir.path().join("seeds.csv");
    let mut csv = String::from("text\n");
    for i in 0..40 {
        csv.push_str(&format!("Statement number {i} about the park budget\n"));
    }
    std::fs::write(&seeds, csv).unwrap();
    let out = townhall(&data)
        .args([
            "consult",
            "create",
            "How should we spend the park budget?",
            "--slug",
            "parks",
        ])
        .arg("--seeds")
        .arg(&seeds)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("40 seed statements"));
    assert!(townhall(&data)
        .args(["consult", "phase", "1", "public"])
        .status()
        .unwrap()
        .success());
    let statements: Vec<i64> = {
        let db = rusqlite::Connection::open(data.join("townhall.sqlite")).unwrap();
        let mut stmt = db
            .prepare("SELECT id FROM consult_statements ORDER BY id")
            .unwrap();
        let ids = stmt.query_map([], |r| r.get(0)).unwrap();
        ids.map(Result::unwrap).collect()
    };
    // Rate limits out of the way: this test is about durability.
    let (mut server, base, _) = start_server_with(
        &data,
        "serve",
        &[
            ("TOWNHALL_VOTES_PER_ADDRESS", "1000000"),
            ("TOWNHALL_VOTES_PER_PARTICIPANT", "1000000"),
        ],
    );
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let voters: Vec<_> = (0..8)
        .map(|_| {
            let (base, statements) = (base.clone(), statements.clone());
            let (acknowledged, count) = (acknowledged.clone(), count.clone());
            std::thread::spawn(move || {
                // Each voter joins, then votes until the server is gone.
                for _round in 0..1_000 {
                    let Ok(mut joined) = agent()
                        .post(&format!("{base}/api/c/parks/participants"))
                        .send_empty()
                    else {
                        return;
                    };
                    if joined.status() != 201 {
                        return;
                    }
                    let joined: serde_json::Value =
                        serde_json::from_str(&joined.body_mut().read_to_string().unwrap()).unwrap();
                    let token = joined["participant_token"].as_str().unwrap().to_string();
                    let participant = joined["participant"]["participant_id"].as_i64().unwrap();
                    for s in &statements {
                        let vote = ((participant + s) % 3) - 1;
                        let sent = agent()
                            .post(&format!("{base}/api/c/parks/votes"))
                            .header("Content-Type", "application/json")
                            .header("X-Participant", &token)
                            .send(
                                serde_json::json!({ "statement_id": s, "vote": vote }).to_string(),
                            );
                        match sent {
                            Ok(r) if r.status() == 200 => {
                                acknowledged.lock().unwrap().push((participant, *s, vote));
                                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            Ok(r) => panic!("vote refused: {}", r.status()),
                            Err(_) => return,
                        }
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while count.load(std::sync::atomic::Ordering::Relaxed) < 2_000 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "votes too slow"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL: no shutdown, no flush.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    for v in voters {
        v.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let db = rusqlite::Connection::open(data.join("townhall.sqlite")).unwrap();
    let mut lost = Vec::new();
    for (participant, statement, vote) in &acknowledged {
        let stored: Option<i64> = db
            .query_row(
                "SELECT vote FROM consult_votes WHERE participant_id = ?1 AND statement_id = ?2",
                [participant, statement],
                |r| r.get(0),
            )
            .ok();
        if stored != Some(*vote) {
            lost.push((participant, statement, vote, stored));
        }
    }
    let stored: i64 = db
        .query_row("SELECT count(*) FROM consult_votes", [], |r| r.get(0))
        .unwrap();
    println!(
        "{} votes acknowledged before the kill, {stored} stored, {} lost",
        acknowledged.len(),
        lost.len()
    );
    assert!(acknowledged.len() >= 2_000);
    assert!(
        lost.is_empty(),
        "acknowledged votes lost: {:?}",
        &lost[..lost.len().min(10)]
    );
    // The store opens cleanly afterwards and the consultation's results include every stored vote.
    let results = json_of(townhall(&data).args(["consult", "results", "1", "--json"]));
    assert_eq!(results["votes"].as_i64().unwrap(), stored);
}

#[test]
fn consultations_move_between_polis_and_townhall_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let export = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/polis/canadian-electoral-reform");
    let out = townhall(&data)
        .args(["consult", "import", "--slug", "reform"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(/c/reform, closed)"));
    let list = json_of(townhall(&data).args(["consult", "list", "--json"]));
    assert_eq!(list[0]["slug"], "reform");
    assert_eq!(list[0]["phase"], "closed");
    let results = json_of(townhall(&data).args(["consult", "results", "1", "--json"]));
    assert!(results["groups"].as_array().unwrap().len() >= 2);
    // Out again, and Townhall's own analysis of the written folder finds the same groups.
    let folder = dir.path().join("out");
    let out = townhall(&data)
        .args(["consult", "export", "1"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "comments.csv",
        "votes.csv",
        "participants-votes.csv",
        "summary.csv",
    ] {
        assert!(folder.join(file).exists(), "{file}");
    }
    let again = json_of(
        townhall(&data)
            .args(["consult", "analyze", "--json"])
            .arg(&folder),
    );
    assert_eq!(again["groups"], results["group_of"]);
    assert_eq!(again["agreement_with_export"].as_f64(), Some(1.0));
    // Bad input is refused with the reason: an unknown phase, a missing consultation.
    let out = townhall(&data)
        .args(["consult", "phase", "1", "later"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("draft, employees, public or closed"));
    let out = townhall(&data)
        .args(["consult", "results", "9", "--json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no consultation 9"));
}

#[test]
fn strategies_are_listed_with_their_goals_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    // An empty store lists nothing; the demo's three strategies are listed with their goals.
    let empty = json_of(townhall(&data).args(["strategies", "--json"]));
    assert_eq!(empty, serde_json::json!([]));
    let store = townhall_app::Store::open(&data).unwrap();
    let actor = townhall_app::actor::Actor::cli("test");
    townhall_app::strategies::create(
        &store,
        &actor,
        &townhall_app::strategies::StrategyInput {
            name: "Ideas".into(),
            kind: "innovation".into(),
            goals: vec![townhall_strategy::goals::Goal {
                metric: townhall_strategy::goals::Metric::IdeasAdopted,
                direction: townhall_strategy::goals::Direction::AtLeast,
                target: 1.0,
            }],
            ..Default::default()
        },
    )
    .unwrap();
    drop(store);
    let listed = json_of(townhall(&data).args(["strategies", "--json"]));
    assert_eq!(listed[0]["strategy"]["name"], "Ideas");
    assert_eq!(listed[0]["goals"][0]["value"], 0.0);
    assert_eq!(listed[0]["recommendation"]["move_now"], false);
    let text = townhall(&data).arg("strategies").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("not met ≥ 1 ideas adopted: now 0"), "{text}");
    // Trials and idea campaigns, listed from the command line.
    let store = townhall_app::Store::open(&data).unwrap();
    townhall_app::campaigns::create(
        &store,
        &actor,
        &townhall_app::campaigns::CampaignInput {
            slug: "queues".into(),
            title: "Shorter queues".into(),
            question: "Where do you wait longest?".into(),
            strategy: Some("Ideas".into()),
        },
    )
    .unwrap();
    townhall_app::trials::create_outbound(
        &store,
        &actor,
        &townhall_app::trials::OutboundInput {
            title: "Queue times".into(),
            body: "See how long the queue is before you come: live times on our website.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    drop(store);
    let campaigns = json_of(townhall(&data).args(["campaigns", "--json"]));
    assert_eq!(campaigns[0]["slug"], "queues");
    assert_eq!(campaigns[0]["audience"], "employees");
    let trials = json_of(townhall(&data).args(["trials", "--json"]));
    assert_eq!(trials[0]["title"], "Queue times");
    assert_eq!(trials[0]["check"]["ready"], false);
    let text = townhall(&data).arg("trials").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("outbound 1 \"Queue times\": employees, 0 of 0 review(s) found it clear")
            && text.contains("waits: 0 employees reviewed it (2 needed)"),
        "{text}"
    );
    // The progress report, as a PDF written by the binary itself and as HTML.
    let pdf = dir.path().join("report.pdf");
    let out = townhall(&data)
        .args([
            "report",
            "--since",
            "2024-01-01",
            "--until",
            "2030-12-31",
            "--out",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"));
    let raw = String::from_utf8_lossy(&bytes);
    // Uncompressed text operators: the strategy, its goal and the readiness heading are on the page.
    assert!(
        raw.contains("(Ideas \\(Innovation and new services, Pilot with employees\\)) Tj"),
        "{raw}"
    );
    assert!(raw.contains("(> 1 ideas adopted) Tj"), "{raw}");
    assert!(raw.contains("(Readiness) Tj"));
    let html = dir.path().join("report.html");
    let out = townhall(&data)
        .args(["report", "--out"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h3 id=\"s-1\">Ideas</h3>"));
    assert!(page.contains("≥ 1 ideas adopted"));
    let out = townhall(&data)
        .args(["report", "--since", "soon", "--out"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("since \"soon\""));
}
