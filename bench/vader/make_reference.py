#!/usr/bin/env python3
"""Write reference VADER scores (Python vaderSentiment 3.3.2) for the Rust port's tests.

Outputs, under crates/townhall-analysis/tests/data/vader/:
  movie_snippets.jsonl  one line per snippet of movieReviewSnippets_GroundTruth.txt:
                        {"id", "compound", "pos", "neu", "neg"}; the texts stay in /work/shared/data
                        (their licence is unclear, see that folder's README), the test reads them there.
  edge_cases.jsonl      {"text", ["repeat"], "compound", "pos", "neu", "neg"}; the scored text is
                        text * repeat (repeat keeps very long inputs compact).
  random_mix.jsonl      {"text", "compound", "pos", "neu", "neg"} for 1,000 seeded random texts built from
                        rule words (boosters, negations, "no", "but", "least", idiom parts), lexicon words,
                        emoji, caps, attached punctuation and Unicode whitespace, to cover rule interplay.

Usage (from the repository root):
  pip install vaderSentiment==3.3.2
  python3 bench/vader/make_reference.py [--data /work/shared/data/sentiment]
"""
import argparse
import json
import pathlib
import random
import sys

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT_DIR = REPO / "crates/townhall-analysis/tests/data/vader"

# (text, repeat). Each exercises one rule of vaderSentiment 3.3.2 or one tokenising detail.
EDGE_CASES = [
    # plain and negation
    ("The book was good.", 1),
    ("The book was not good.", 1),
    ("The book isn't good.", 1),
    ("The book wasnt good at all", 1),
    ("It is not really that bad", 1),
    ("I never said it was bad", 1),
    ("Not bad at all", 1),
    ("nothing good ever happens", 1),
    ("Without a doubt, excellent idea.", 1),
    ("Without a doubt, an excellent idea.", 1),
    ("without doubt good", 1),
    ("Sentiment analysis has never been good.", 1),
    ("Sentiment analysis has never been this good!", 1),
    ("never so good", 1),
    ("it was so good", 1),
    ("this is so very good", 1),
    ("despite good reviews", 1),
    ("I can't stand it", 1),
    ("they mayn't like it", 1),
    # the 3.3 "no" rule
    ("no problem", 1),
    ("No problem at all!", 1),
    ("no", 1),
    ("no.", 1),
    ("No way this is good", 1),
    ("no good", 1),
    ("no really good ideas", 1),
    ("no fun or joy", 1),
    ("no love nor joy", 1),
    ("there is no doubt", 1),
    ("no no no", 1),
    ("no problem, no worries", 1),
    # least
    ("at least good", 1),
    ("the least good", 1),
    ("least good", 1),
    ("very least good", 1),
    ("Roger Dodger is at least compelling as a variation on the theme.", 1),
    ("Roger Dodger is one of the least compelling variations on this theme.", 1),
    ("At least it isn't a horrible book.", 1),
    # boosters and dampeners
    ("extremely good", 1),
    ("EXTREMELY good", 1),
    ("extremely good movie, extremely", 1),
    ("very very good", 1),
    ("really quite extremely good", 1),
    ("It was extremely bad", 1),
    ("barely acceptable", 1),
    ("The book was only kind of good.", 1),
    ("kind of bad", 1),
    ("it was sort of good", 1),
    ("it was sort of kind of good", 1),
    ("just enough fun", 1),
    ("it's just enough fun", 1),
    ("kinda sux", 1),
    ("Today only kinda sux! But I'll get by, lol", 1),
    ("the more the merrier", 1),
    ("extremes are bad", 1),
    ("kind", 1),
    ("kind of", 1),
    ("so", 1),
    # caps emphasis
    ("VADER is smart, handsome, and funny.", 1),
    ("VADER is VERY SMART, handsome, and FUNNY.", 1),
    ("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 1),
    ("GOOD", 1),
    ("GOOD MOVIE", 1),
    ("GOOD movie", 1),
    ("Today SUX!", 1),
    ("VERY bad", 1),
    ("it is VERY bad", 1),
    ("ÉTÉ GOOD horrible", 1),
    ("ǅungla is GOOD", 1),
    ("ΚΑΛΟΣ good ΚΑΚΟΣ", 1),
    # punctuation emphasis
    ("good!", 1),
    ("good!!", 1),
    ("good!!!", 1),
    ("good!!!!", 1),
    ("good!!!!!!!", 1),
    ("bad!!!", 1),
    ("good?", 1),
    ("good??", 1),
    ("good???", 1),
    ("good????", 1),
    ("bad???", 1),
    ("is it good?!?!", 1),
    ("why ??? !!!", 1),
    # but
    ("The plot was good, but the characters are uncompelling and the dialog is not great.", 1),
    ("good good but good good", 1),
    ("bad but good", 1),
    ("good but", 1),
    ("but good", 1),
    ("good, BUT bad", 1),
    ("great but not bad but terrible", 1),
    ("nice nice nice but nice awful nice", 1),
    # reference quirk: `sentiments.index(value)` rescales the first equal score, here "nice" (1.8 -> 0.9)
    # again when "okay" (0.9) comes up after "but"
    ("The staff were nice but the food was okay", 1),
    ("fav but bffn", 1),
    # idioms and special cases
    ("With VADER, sentiment analysis is the shit!", 1),
    ("Most automated sentiment analysis tools are shit.", 1),
    ("this movie is the bomb", 1),
    ("On the other hand, VADER is quite bad ass", 1),
    ("VADER is such a badass!", 1),
    ("Not such a badass after all.", 1),
    ("yeah right, great job", 1),
    ("oh yeah right that is great", 1),
    ("this cake is to die for", 1),
    ("that was the kiss of death for us", 1),
    ("waiting at the bus stop", 1),
    ("a beating heart", 1),
    ("he cut the mustard", 1),
    ("break a leg", 1),
    # emoticons and emoji
    ("Make sure you :) or :D today!", 1),
    (":)", 1),
    (":(", 1),
    (":-)", 1),
    (":))", 1),
    ("<3", 1),
    ("</3", 1),
    ("(:", 1),
    (":P", 1),
    ("xD", 1),
    ("Catch utf-8 emoji such as 💘 and 💋 and 😁", 1),
    ("😁", 1),
    ("😁😁😁", 1),
    ("I love it😍", 1),
    ("😡angry", 1),
    ("great 👍🏽 job", 1),
    ("family 👨‍👩‍👧 day", 1),
    ("flag 🇺🇸 waving", 1),
    ("heart ❤️ heart", 1),
    ("☹ sad face", 1),
    ("💩💩 !!", 1),
    ("  😁  ", 1),
    ("no 😁", 1),
    # empty, whitespace, punctuation
    ("", 1),
    (" ", 1),
    ("\t\n\r ", 1),
    ("!!!", 1),
    ("???", 1),
    ("?!?!", 1),
    ("...", 1),
    ("- - -", 1),
    ("'good'", 1),
    ("\"good\"", 1),
    ("(good)", 1),
    ("good,bad", 1),
    ("good\u00a0bad", 1),
    ("good\u001cbad", 1),
    ("good\u2003bad\u3000nice", 1),
    ("good\u200bbad", 1),
    # mixed and real-life
    ("It was one of the worst movies I've seen, despite good reviews. Unbelievably bad acting!! "
     "Poor direction. VERY poor production. The movie was bad. Very bad movie. VERY BAD movie!", 1),
    ("@mayor thanks for fixing the potholes on Main St! #greatjob https://example.org/x", 1),
    ("The council meeting was a total disaster, nobody listened.", 1),
    ("I am happy with the new park but the parking is terrible", 1),
    ("RT @user: LOL this is hilarious", 1),
    ("1 2 3 4 5", 1),
    # non-English
    ("Je suis surpris de voir comment VADER est incroyablement utile !", 1),
    ("Ich bin überrascht zu sehen, nur wie erstaunlich nützlich VADER!", 1),
    ("Me sorprende ver sólo cómo increíblemente útil VADER!", 1),
    ("Я удивлен увидеть, как раз как удивительно полезно ВЕЙДЕРА!", 1),
    ("私はちょうどどのように驚くほど役に立つベイダーを見て驚いています!", 1),
    ("أنا مندهش لرؤية فقط كيف مثير للدهشة فيدر فائدة!", 1),
    ("我很惊讶地看到VADER是如此有用!", 1),
    ("İyi GÜZEL good", 1),
    ("ΟΔΟΣ good", 1),
    ("Straße GROSS good", 1),
    # very long inputs
    ("The service was good but the wait was awful and nobody said sorry! ", 2000),
    ("good ", 50000),
    ("not bad but great 😁 ", 3000),
]


RULE_WORDS = ("no but least at very kind of sort just enough never so this without doubt the shit bomb bad ass "
              "yeah right to die for kiss death bus stop beating heart or nor not isn't").split()
OTHER_WORDS = ["movie", "the", "a", "it", "was", "İstanbul", "ǅx", "ΣΟΦΟΣ", "straße", "日本", "!", "?", "...", "'"]
SEPARATORS = [" ", " ", " ", " ", "  ", "\t", "\u00a0", "\u001c", "\n", "\u3000"]


def random_texts(analyzer, count, seed=7):
    """Seeded random word salads that stack VADER's rules on each other."""
    rng = random.Random(seed)
    lexicon_words = list(analyzer.lexicon)
    single_emoji = [key for key in analyzer.emojis if len(key) == 1]
    boosters = list(BOOSTER_DICT)

    def token():
        r = rng.random()
        if r < 0.3:
            word = rng.choice(lexicon_words)
        elif r < 0.45:
            word = rng.choice(boosters)
        elif r < 0.55:
            word = rng.choice(NEGATE)
        elif r < 0.75:
            word = rng.choice(RULE_WORDS)
        elif r < 0.82:
            word = rng.choice(single_emoji)
        elif r < 0.9:
            word = rng.choice(OTHER_WORDS)
        else:
            word = rng.choice(lexicon_words) + rng.choice(single_emoji)
        case = rng.random()
        if case < 0.15:
            word = word.upper()
        elif case < 0.25:
            word = word.capitalize()
        punct = rng.random()
        if punct < 0.2:
            word += rng.choice(["!", "?", "!!", "??", "!?", ",", ".", "...", "'", ")"])
        elif punct < 0.27:
            word = rng.choice(["(", "'", '"', "#", "@"]) + word
        return word

    texts = []
    for _ in range(count):
        text = "".join(token() + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 25)))
        texts.append(text.strip() if rng.random() < 0.5 else text)
    return texts


def scores(analyzer, text):
    s = analyzer.polarity_scores(text)
    return {"compound": s["compound"], "pos": s["pos"], "neu": s["neu"], "neg": s["neg"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/work/shared/data/sentiment", help="folder with the snippet file")
    args = parser.parse_args()

    from importlib.metadata import version as dist_version
    installed = dist_version("vaderSentiment")
    if installed != "3.3.2":
        sys.exit(f"need vaderSentiment 3.3.2, found {installed}")
    analyzer = SentimentIntensityAnalyzer()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    dumps = lambda obj: json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    snippet_path = pathlib.Path(args.data) / "movieReviewSnippets_GroundTruth.txt"
    text = snippet_path.read_bytes().decode("utf-8")
    count = 0
    with open(OUT_DIR / "movie_snippets.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for line in text.split("\n"):
            line = line.removesuffix("\r")
            if not line:
                continue
            snippet_id, _rating, snippet = line.split("\t", 2)
            out.write(dumps({"id": int(snippet_id), **scores(analyzer, snippet)}) + "\n")
            count += 1

    with open(OUT_DIR / "edge_cases.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for case, repeat in EDGE_CASES:
            record = {"text": case}
            if repeat != 1:
                record["repeat"] = repeat
            record.update(scores(analyzer, case * repeat))
            out.write(dumps(record) + "\n")
    mixes = random_texts(analyzer, 1000)
    with open(OUT_DIR / "random_mix.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for text in mixes:
            out.write(dumps({"text": text, **scores(analyzer, text)}) + "\n")
    print(f"vaderSentiment {installed}: {count} snippets, {len(EDGE_CASES)} edge cases, "
          f"{len(mixes)} random mixes -> {OUT_DIR}")


if __name__ == "__main__":
    main()
