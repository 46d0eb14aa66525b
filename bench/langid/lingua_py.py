#!/usr/bin/env python3
"""Accuracy and single-thread speed of Python lingua-language-detector (high accuracy) on the langid test set.

The anchor figure for the Rust detector in crates/townhall-analysis (see bench/results/langid.md).

    pip install lingua-language-detector
    python3 bench/langid/lingua_py.py /work/shared/data/langid/testset-dev.tsv [--languages all|17]

Accuracy is macro-averaged over the 17 languages per kind (single-words, word-pairs, sentences), as in
examples/langid_eval.rs; an undetected text counts as wrong. Speed is texts per second on one thread,
timed after a warm-up pass (models preloaded).
"""

import argparse
import collections
import time

from lingua import IsoCode639_1, LanguageDetectorBuilder

LANGUAGES = "ar de en es fa fr hi it ja ko pl pt ru tl ur vi zh".split()
KINDS = ["single-words", "word-pairs", "sentences"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("testset")
    parser.add_argument("--languages", choices=["all", "17"], default="all")
    args = parser.parse_args()

    samples = []
    with open(args.testset, encoding="utf-8") as f:
        for line in f:
            language, kind, text = line.rstrip("\n").split("\t", 2)
            samples.append((language, kind, text))

    if args.languages == "all":
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    start = time.perf_counter()
    detector = builder.with_preloaded_language_models().build()
    print(f"lingua-language-detector, {args.languages} languages, high accuracy: "
          f"built in {time.perf_counter() - start:.1f} s")

    for _, _, text in samples:  # warm-up
        detector.detect_language_of(text)

    tally = collections.defaultdict(lambda: [0, 0])
    print("| kind | texts | texts/s |")
    print("| --- | --- | --- |")
    total_seconds = 0.0
    for kind in KINDS:
        of_kind = [s for s in samples if s[1] == kind]
        start = time.perf_counter()
        results = [detector.detect_language_of(text) for _, _, text in of_kind]
        seconds = time.perf_counter() - start
        total_seconds += seconds
        print(f"| {kind} | {len(of_kind)} | {len(of_kind) / seconds:.0f} |")
        for (language, _, _), result in zip(of_kind, results):
            code = result.iso_code_639_1.name.lower() if result is not None else None
            cell = tally[(language, kind)]
            cell[1] += 1
            cell[0] += code == language
    print(f"| all | {len(samples)} | {len(samples) / total_seconds:.0f} |")

    accuracies = []
    for kind in KINDS:
        per_language = [tally[(l, kind)][0] / tally[(l, kind)][1] for l in LANGUAGES if tally[(l, kind)][1]]
        accuracies.append(100 * sum(per_language) / len(per_language))
    print("accuracy single words / word pairs / sentences: " + " / ".join(f"{a:.1f}" for a in accuracies) + " %")


if __name__ == "__main__":
    main()
