#!/usr/bin/env python3
"""Throughput of Python vaderSentiment 3.3.2 on the 10,605 movie-review snippets (single thread).

Usage: python3 bench/vader/python_speed.py [SNIPPET_FILE] [PASSES]
"""
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

path = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/sentiment/movieReviewSnippets_GroundTruth.txt"
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
lines = open(path, "rb").read().decode("utf-8").split("\n")
snippets = [line.removesuffix("\r").split("\t", 2)[2] for line in lines if line.strip()]

started = time.perf_counter()
analyzer = SentimentIntensityAnalyzer()
print(f"lexicon build: {(time.perf_counter() - started) * 1e3:.1f} ms")

checksum = 0.0
started = time.perf_counter()
for _ in range(passes):
    for snippet in snippets:
        checksum += analyzer.polarity_scores(snippet)["compound"]
seconds = time.perf_counter() - started
texts = len(snippets) * passes
print(f"{texts} texts ({len(snippets)} snippets x {passes} passes) in {seconds:.3f} s: "
      f"{texts / seconds:.0f} texts/s (checksum {checksum:.4f})")
