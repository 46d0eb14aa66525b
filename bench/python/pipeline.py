"""The per-post pipeline an analyst would otherwise script in Python: VADER sentiment
(vaderSentiment 3.3.2), language (lingua-language-detector, high accuracy, the same 17 languages),
and hashtags / mentions / URLs / question marks with regular expressions.

    pip install vaderSentiment==3.3.2 lingua-language-detector
    python3 bench/python/pipeline.py bench/out/texts-20k.txt

Prints texts/s on one thread (median of 3 runs).
"""
import re
import statistics
import sys
import time

from lingua import Language, LanguageDetectorBuilder
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

LANGS = [Language.ARABIC, Language.GERMAN, Language.ENGLISH, Language.SPANISH, Language.PERSIAN,
         Language.FRENCH, Language.HINDI, Language.ITALIAN, Language.JAPANESE, Language.KOREAN,
         Language.POLISH, Language.PORTUGUESE, Language.RUSSIAN, Language.TAGALOG, Language.URDU,
         Language.VIETNAMESE, Language.CHINESE]
HASHTAG = re.compile(r"#(\w+)")
MENTION = re.compile(r"@(\w+)")
URL = re.compile(r"https?://\S+")


def main(path):
    texts = [line.rstrip("\n") for line in open(path, encoding="utf-8")]
    vader = SentimentIntensityAnalyzer()
    detector = LanguageDetectorBuilder.from_languages(*LANGS).with_preloaded_language_models().build()
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            scores = vader.polarity_scores(text)
            lang = detector.detect_language_of(text)
            tags = [t.lower() for t in HASHTAG.findall(text)]
            mentions = [m.lower() for m in MENTION.findall(text)]
            urls = URL.findall(text)
            question = "?" in URL.sub("", text)
        rates.append(len(texts) / (time.perf_counter() - start))
    print(f"python pipeline: median {statistics.median(rates):.0f} texts/s over 3 runs of {len(texts)}")


if __name__ == "__main__":
    main(sys.argv[1])
