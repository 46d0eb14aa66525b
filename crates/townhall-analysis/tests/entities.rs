#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Hashtags, mentions, URLs, question detection and key phrases.

use std::collections::HashMap;
use std::path::PathBuf;

use townhall_analysis::entities::{extract, is_question, key_phrases};

#[test]
fn hashtags() {
    let cases: &[(&str, &[&str])] = &[
        (
            "#IfItsSunday it's Meet the TRASH with Chuck FRAUD #MTP",
            &["ifitssunday", "mtp"],
        ),
        (
            "#changecantwait, #climateaction, #climatechange,#blacklivesmatter. Impressive",
            &[
                "changecantwait",
                "climateaction",
                "climatechange",
                "blacklivesmatter",
            ],
        ),
        (
            "We have two candidates. #Bernie2020 #Tulsi2020 #bernie2020",
            &["bernie2020", "tulsi2020"],
        ),
        (
            "Democrats are the party of hate. #SocialismKills",
            &["socialismkills"],
        ),
        ("Vote #1 on the list, item #42", &[]),
        ("#2020vision is here", &["2020vision"]),
        ("#_", &[]),
        ("#green_new_deal!", &["green_new_deal"]),
        ("Vamos #MéxicoLindo y #CDMX", &["méxicolindo", "cdmx"]),
        ("Мы за #Выборы2024", &["выборы2024"]),
        ("日本語 ＃東京 のタグ", &["東京"]),
        ("हिंदी #भारत टैग", &["भारत"]),
        ("scared the sh!# out of congress", &[]),
        ("C# and F# are languages", &[]),
        ("no#hashtag in a word", &[]),
        ("HTML entity &#39; is not a tag", &[]),
        ("##double", &[]),
        ("see https://example.com/page#section and #real", &["real"]),
        ("anchor www.example.org/#top", &[]),
        ("(#parenthesised) tag", &["parenthesised"]),
        ("", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(extract(text).hashtags, *expected, "hashtags of {text:?}");
    }
}

#[test]
fn mentions() {
    let cases: &[(&str, &[&str])] = &[
        ("@ibster45 @TroyCosey", &["ibster45", "troycosey"]),
        (
            "Progressives take the wheel.. @hmcghee @MeetThePress",
            &["hmcghee", "meetthepress"],
        ),
        ("I love you @AOC wish you the world, @aoc!", &["aoc"]),
        ("thank U & @RashidaTlaib for showing", &["rashidatlaib"]),
        ("write to foo@bar.com or info@city.gov", &[]),
        (
            "follow @gargron@mastodon.social for news",
            &["gargron@mastodon.social"],
        ),
        ("CC @Alice@Example.COM.", &["alice@example.com"]),
        (".@POTUS44 please respond", &["potus44"]),
        ("RT @user_name: hello", &["user_name"]),
        ("@José_Pérez gracias", &["josé_pérez"]),
        ("meet me @ 5pm", &[]),
        ("price is 5@10 dollars", &[]),
        (
            "medium post https://medium.com/@writer/story-1 is good",
            &[],
        ),
        ("double @@handle", &[]),
        ("email-like a+b@c.io", &[]),
        ("fullwidth ＠tanaka さん", &["tanaka"]),
    ];
    for (text, expected) in cases {
        assert_eq!(extract(text).mentions, *expected, "mentions of {text:?}");
    }
}

#[test]
fn urls() {
    let cases: &[(&str, &[&str])] = &[
        (
            "scrutiny of migrants. https://twitter.com/aclu/status/1067080208883298304?s=21 …https://twitter.com/theplumlinegs/status/1067806416919044096?s=21 …",
            &[
                "https://twitter.com/aclu/status/1067080208883298304?s=21",
                "https://twitter.com/theplumlinegs/status/1067806416919044096?s=21",
            ],
        ),
        (
            "https://amp.cnn.com/cnn/2019/03/06/politics/alexandria-ocasio-cortez-chief-of-staff-scrutiny/index.html …",
            &["https://amp.cnn.com/cnn/2019/03/06/politics/alexandria-ocasio-cortez-chief-of-staff-scrutiny/index.html"],
        ),
        ("White supremacist confirmed pic.twitter.com/ENIr5yX2CL", &["pic.twitter.com/ENIr5yX2CL"]),
        ("Read it at www.politifact.com/personalities/.", &["www.politifact.com/personalities/"]),
        ("Is this legit (see https://example.org/a?b=c)?", &["https://example.org/a?b=c"]),
        ("https://en.wikipedia.org/wiki/Foo_(bar), right", &["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("Visit HTTP://EXAMPLE.COM/Path!", &["HTTP://EXAMPLE.COM/Path"]),
        ("same https://a.gov/x and https://a.gov/x again", &["https://a.gov/x"]),
        ("link:\"https://x.io/q\" quoted", &["https://x.io/q"]),
        ("«https://le.monde.fr/article»", &["https://le.monde.fr/article"]),
        ("not a link: www. or http:// alone", &[]),
        ("version 1.2.3 and file.txt and e.g. this", &[]),
        ("a.www.example.com is fine? no", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(extract(text).urls, *expected, "urls of {text:?}");
    }
}

#[test]
fn extract_combined() {
    let found =
        extract("@AOC see #GreenNewDeal at https://example.org/gnd. Thanks @aoc #greennewdeal");
    assert_eq!(found.mentions, ["aoc"]);
    assert_eq!(found.hashtags, ["greennewdeal"]);
    assert_eq!(found.urls, ["https://example.org/gnd"]);
}

#[test]
fn questions() {
    let cases: &[(&str, bool)] = &[
        // Question marks.
        ("Why not both?", true),
        ("You value ignorance?", true),
        ("Bud or Bud light ?????????????????????", true),
        ("Is it open on Sundays？", true),
        ("هل المكتب مفتوح؟", true),
        ("¿Cuándo abre la oficina", true),
        ("Do you plan to self develop? Because in my entire life", true),
        ("He said \"are you serious?\" and left", true),
        // Interrogative openings without a question mark (English).
        ("how do I renew my passport", true),
        ("Does anyone know when the DMV opens", true),
        ("does anybody know if the library is open today", true),
        ("Does she leave a foul odor of sulfur pic.twitter.com/tDy70sbEDg", true),
        ("Who can stop the daily rapes of these boys and girls", true),
        ("Can someone tell me where to file a complaint", true),
        ("What time does the office close on Friday", true),
        ("Where can I get a copy of my birth certificate", true),
        ("When is the next town hall meeting", true),
        ("Is there a deadline for the permit application", true),
        ("Are the forms available online", true),
        ("Hey @CityHall, how do I report a pothole", true),
        ("Quick question: is the pool open this weekend", true),
        ("Did Cohen lie to Congress again", true),
        ("Anyone else think this hearing is a circus", true),
        ("How much does a fishing license cost", true),
        ("I was wondering if you could help me with my application", true),
        ("Why is the road still closed", true),
        ("What's the phone number for the permit office", true),
        ("Any update on the water main repair", true),
        // Spanish without '?'.
        ("cuándo abre la oficina", true),
        ("Dónde puedo pagar el predial", true),
        ("Alguien sabe si hay clases mañana", true),
        ("como hago para sacar mi licencia", true),
        ("Me pueden decir el horario de atención", true),
        ("Por qué no han arreglado la calle", true),
        ("Qué necesito para renovar el pasaporte", true),
        // Not questions.
        ("Build The Wall.", false),
        ("Then use the front door and wait in line.", false),
        ("What a lovely person. She is real, not pretending to be someone-else.", false),
        ("What a waste of time and money.", false),
        ("When I decided to be me, wear bright colours and great shoes, my work was better", false),
        ("When you try to save a drowning person, you are taught that it is dangerous.", false),
        ("And why they think girls don't turn into adults", false),
        ("I wonder who wrote down her questions for her.", false),
        ("Tlaib was gracious to Elijah Cummings, who handled it well.", false),
        ("She was right, which is why they attack her.", false),
        ("Have a nice day", false),
        ("Do your job and stop tweeting.", false),
        ("Do it now.", false),
        ("Was a great event tonight!", false),
        ("Is what it is.", false),
        ("Will Smith was at the rally.", false),
        // Statements that open like questions (found scanning the public replies).
        ("What's really amazing is so many of them will vote for him", false),
        ("What happened is that you are a big liar", false),
        ("No, what is at stake is our democracy", false),
        ("I want my grandkids to have a helping hand. Which is why I never gave them a car.", false),
        ("#GhettoGurl @AOC is the BOSS! SIT DOWN NANCY!", false),
        ("Washington is crazy. Out of touch. So is the TV political media.", false),
        ("Senator Feinstein, was the only rational person in the room.", false),
        ("those (WH) who designed this inhumane strategy", false),
        ("So is this the new normal", true),
        ("@CityHall do you collect bulky items", true),
        ("May the force be with you", false),
        ("read https://example.org/faq?id=12 for details", false),
        ("https://www.scientificamerican.com/article/why-are-wetlands-so-important-to-preserve/ …", false),
        ("pic.twitter.com/X0pZfzhdyq", false),
        ("Qué bonito día en la ciudad", false),
        ("Cuando llegue te aviso", false),
        ("Como siempre, gracias por nada", false),
        ("Porque no quiero", false),
        ("", false),
        ("?", true),
    ];
    let mut failures = Vec::new();
    for (text, expected) in cases {
        if is_question(text) != *expected {
            failures.push(format!("{text:?}: expected {expected}"));
        }
    }
    assert!(
        failures.is_empty(),
        "misclassified:\n{}",
        failures.join("\n")
    );
}

fn shared_data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        dir.is_dir(),
        "shared test data missing at {} (CI provides /work/shared/data)",
        dir.display()
    );
    dir
}

/// Precision and recall of `is_question` over (label, text) pairs; returns (precision, recall, count).
fn score_questions(labelled: &[(bool, String)]) -> (f64, f64, u32) {
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    for (expected, text) in labelled {
        match (*expected, is_question(text)) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                eprintln!("  false positive: {text}");
            }
            (true, false) => {
                fn_ += 1;
                eprintln!("  false negative: {text}");
            }
            (false, false) => tn += 1,
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp);
    let recall = f64::from(tp) / f64::from(tp + fn_);
    eprintln!("tp={tp} fp={fp} fn={fn_} tn={tn} precision={precision:.3} recall={recall:.3}");
    (precision, recall, tp + fp + fn_ + tn)
}

/// Resolves fixture lines `label<TAB>file stem<TAB>reply id` to (label, text), reading the reply text (element
/// [8]) from the shared publicreplies folder, since the texts may not be republished in this repository. The
/// whitespace is collapsed exactly as when the labels were given.
fn load_labelled_replies(section: &str) -> Vec<(bool, String)> {
    let dir = shared_data_dir().join("publicreplies");
    let mut threads: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut labelled = Vec::new();
    for line in section
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [label, stem, reply_id] = fields[..] else {
            panic!("expected label<TAB>file stem<TAB>reply id, got {line:?}");
        };
        let expected = match label {
            "1" => true,
            "0" => false,
            other => panic!("bad label {other:?}"),
        };
        let texts_by_id = threads.entry(stem.to_string()).or_insert_with(|| {
            let path = dir.join(format!("{stem}.json"));
            let json = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let thread: serde_json::Value = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
            thread["replies"]
                .as_array()
                .unwrap_or_else(|| panic!("no replies array in {}", path.display()))
                .iter()
                .map(|reply| {
                    let id = reply[0].as_str().unwrap_or_default().to_string();
                    let text = reply[8].as_str().unwrap_or_default();
                    (id, text.split_whitespace().collect::<Vec<_>>().join(" "))
                })
                .collect()
        });
        let text = texts_by_id
            .get(reply_id)
            .unwrap_or_else(|| panic!("reply {reply_id} not found in {stem}.json"));
        // The sample skipped empty replies, so an empty text means the fixture points at the wrong reply.
        assert!(!text.is_empty(), "reply {reply_id} in {stem}.json is empty");
        labelled.push((expected, text.clone()));
    }
    labelled
}

/// Hand-labelled public replies (labelling rule in the fixture's header). The first 200 were read while the
/// rules were written; the held-out 100 were labelled before the detector ever saw them.
#[test]
fn question_detection_on_labelled_replies() {
    let fixture = include_str!("data/questions_labeled.tsv");
    let (development, held_out) = fixture.split_once("# held-out").expect("held-out section");
    let development = load_labelled_replies(development);
    let held_out = load_labelled_replies(held_out.split_once('\n').map_or("", |(_, rest)| rest));

    eprintln!("development sample:");
    let (precision, recall, count) = score_questions(&development);
    assert_eq!(count, 200);
    assert!(
        precision >= DEV_PRECISION_FLOOR,
        "precision {precision:.3} < {DEV_PRECISION_FLOOR}"
    );
    assert!(
        recall >= DEV_RECALL_FLOOR,
        "recall {recall:.3} < {DEV_RECALL_FLOOR}"
    );

    eprintln!("held-out sample:");
    let (precision, recall, count) = score_questions(&held_out);
    assert_eq!(count, 100);
    assert!(
        precision >= HELD_OUT_PRECISION_FLOOR,
        "precision {precision:.3} < {HELD_OUT_PRECISION_FLOOR}"
    );
    assert!(
        recall >= HELD_OUT_RECALL_FLOOR,
        "recall {recall:.3} < {HELD_OUT_RECALL_FLOOR}"
    );
}

// Measured: development 46/46 found, no false positive (precision 1.000, recall 1.000, biased: rules were
// written while reading it); held-out 19 of 22 found, 1 false positive (precision 0.950, recall 0.864).
// Floors leave room for about one more error each.
const DEV_PRECISION_FLOOR: f64 = 0.97;
const DEV_RECALL_FLOOR: f64 = 0.97;
const HELD_OUT_PRECISION_FLOOR: f64 = 0.93;
const HELD_OUT_RECALL_FLOOR: f64 = 0.80;

#[test]
fn key_phrase_examples() {
    // (text, phrases that must be among the top 5, words that must not appear in any phrase)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "The cost of healthcare is exorbitant not because of government intervention but because of rampant greed",
            &["government intervention", "rampant greed"],
            &["the", "of"],
        ),
        (
            "How do I renew my passport before my trip to Canada?",
            &["renew", "passport", "trip", "canada"],
            &["how", "my"],
        ),
        (
            "Solar and wind are the fastest growing energy sources https://example.org/energy @AOC #climate",
            &["fastest growing energy sources", "solar", "wind"],
            &["https", "example", "aoc", "climate"],
        ),
        (
            "El alcalde prometió arreglar los baches de la avenida principal",
            &["avenida principal", "alcalde prometió arreglar", "baches"],
            &["el", "de", "la", "los"],
        ),
        ("Fake News", &["fake news"], &[]),
        (
            "When you're talking about 22 million illegals 50,000 detained is nothing",
            &["million illegals 50,000 detained"],
            &["22", "50", "000"],
        ),
        ("In 2019 we paid 12 billion dollars", &["paid 12 billion dollars"], &["2019"]),
    ];
    for (text, must_have, must_not) in cases {
        let phrases = key_phrases(text, 5);
        for p in *must_have {
            assert!(
                phrases.iter().any(|q| q == p),
                "{text:?}: expected {p:?} in {phrases:?}"
            );
        }
        for w in *must_not {
            assert!(
                phrases.iter().all(|q| q.split(' ').all(|x| x != *w)),
                "{text:?}: {w:?} should not be in {phrases:?}"
            );
        }
    }
}

#[test]
fn key_phrase_rules() {
    // Ranking: the longest content phrase scores highest.
    assert_eq!(
        key_phrases("Keep up the great work on affordable housing policy!", 1),
        ["affordable housing policy"]
    );
    assert!(key_phrases("", 5).is_empty());
    assert!(key_phrases("the and of to is", 5).is_empty());
    assert!(key_phrases("2019 2020 100 12", 5).is_empty());
    assert!(key_phrases("@AOC @POTUS https://t.co/abc", 5).is_empty());
    assert!(key_phrases("Climate change is real", 0).is_empty());
    // RAKE favours the longer phrase; a repeated phrase is listed once.
    assert_eq!(
        key_phrases("Climate change is real and climate change matters", 5),
        ["climate change matters", "climate change", "real"]
    );
    // Lower-cased, deduplicated, never more than asked.
    let phrases = key_phrases(
        "BUILD THE WALL. Build the wall! Stop the invasion, fund border security now",
        2,
    );
    assert_eq!(phrases.len(), 2);
    assert!(phrases.iter().all(|p| p.chars().all(|c| !c.is_uppercase())));
    let unique: std::collections::HashSet<_> = phrases.iter().collect();
    assert_eq!(unique.len(), phrases.len());
    // Another language, no stop-word list: falls back to words.
    let russian = key_phrases(
        "Власти города обещают отремонтировать дороги весной следующего года",
        3,
    );
    assert_eq!(russian.len(), 3);
    assert!(russian.iter().all(|p| !p.contains(' ')), "{russian:?}");
}

#[test]
fn key_phrases_on_real_replies_are_well_formed() {
    let dir = shared_data_dir().join("publicreplies");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let thread: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for reply in thread["replies"].as_array().unwrap() {
            let text = reply[8].as_str().unwrap_or_default();
            let phrases = key_phrases(text, 5);
            assert!(phrases.len() <= 5);
            for p in &phrases {
                assert!(
                    !p.is_empty() && p == &p.to_lowercase(),
                    "{p:?} from {text:?}"
                );
                assert!(
                    p.chars().any(char::is_alphabetic),
                    "numeric-only {p:?} from {text:?}"
                );
                assert!(
                    !p.contains("http") && !p.contains('@') && !p.contains('#'),
                    "{p:?} from {text:?}"
                );
                assert!(!p.contains("pic.twitter"), "{p:?} from {text:?}");
            }
            checked += 1;
        }
    }
    assert!(
        checked > 5000,
        "only {checked} replies read from {}",
        dir.display()
    );
}

/// Throughput of this crate's entity and personal-data functions on real replies. Ignored by default because
/// timings in the dev profile mean little; run with
/// `cargo test --release -p townhall-analysis --test entities -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput_on_real_replies() {
    let dir = shared_data_dir().join("publicreplies");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let thread: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for reply in thread["replies"].as_array().unwrap() {
            texts.push(reply[8].as_str().unwrap_or_default().to_string());
        }
    }
    // Warm up the lazily compiled regexes and stop-word sets.
    let _ = (extract("x"), is_question("x"), key_phrases("x y", 5));
    let _ = townhall_analysis::personal_data::find("555-234-5678");
    const ROUNDS: usize = 20;
    let time = |name: &str, f: &dyn Fn(&str) -> usize| {
        let started = std::time::Instant::now();
        let mut sink = 0usize;
        for _ in 0..ROUNDS {
            for text in &texts {
                sink += f(text);
            }
        }
        let per_post = started.elapsed().as_secs_f64() / (ROUNDS * texts.len()) as f64;
        eprintln!(
            "{name}: {:.2} µs per post (checksum {sink})",
            per_post * 1e6
        );
        per_post
    };
    let part_sum = time("extract", &|t| extract(t).urls.len())
        + time("is_question", &|t| usize::from(is_question(t)))
        + time("key_phrases", &|t| key_phrases(t, 5).len())
        + time("personal_data::find", &|t| {
            townhall_analysis::personal_data::find(t).len()
        });
    eprintln!("sum of parts: {:.2} µs per post", part_sum * 1e6);
    let started = std::time::Instant::now();
    let mut sink = 0usize;
    for _ in 0..ROUNDS {
        for text in &texts {
            let found = extract(text);
            sink += found.hashtags.len() + found.mentions.len() + found.urls.len();
            sink += usize::from(is_question(text));
            sink += key_phrases(text, 5).len();
            sink += townhall_analysis::personal_data::find(text).len();
        }
    }
    let per_post = started.elapsed().as_secs_f64() / (ROUNDS * texts.len()) as f64;
    eprintln!(
        "{} posts x {ROUNDS}: {:.2} µs per post (checksum {sink})",
        texts.len(),
        per_post * 1e6
    );
    assert!(
        per_post < 20e-6,
        "{:.2} µs per post exceeds the 20 µs budget",
        per_post * 1e6
    );
}
