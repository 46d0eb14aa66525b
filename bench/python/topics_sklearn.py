#!/usr/bin/env python3
"""Reference topic models with scikit-learn, for bench/results/topics.md.

quality: fits NMF (TF-IDF, NNDSVD and NNDSVDa starts, coordinate descent) and LDA (term counts, batch
         variational Bayes) on the term documents written by `topics_bench export` -- the same posts, tokens,
         phrases and vocabulary as ours -- and writes each topic's top terms as JSON for `topics_bench quality`,
         which scores them with the same NPMI implementation as our topics.
speed:   times scikit-learn's own pipeline (TfidfVectorizer with English stop words + NMF) on the first N posts of
         a JSONL file (field `text`), median of --repeat runs, to set beside `topics_bench speed`.

    pip install scikit-learn
    python3 bench/python/topics_sklearn.py quality --terms /tmp/topics/real-terms.jsonl --k 10 20 \
        --out /tmp/topics/sklearn-topics.json
    python3 bench/python/topics_sklearn.py speed --posts bench/out/posts-1m.jsonl --n 100000 --k 20 --repeat 3
"""

import argparse
import json
import statistics
import time

import numpy as np
import sklearn
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

TOP = 10


def identity(doc):
    return doc


def top_terms(components, vocabulary):
    return [[vocabulary[i] for i in np.argsort(-row, kind="stable")[:TOP] if row[i] > 0] for row in components]


def quality(args):
    docs = [json.loads(line) for line in open(args.terms, encoding="utf-8")]
    # The exported documents already hold only vocabulary terms (min/max document frequency applied), so the
    # vectorizers keep every term: min_df=1, max_df=1.0. TF-IDF as ours: sublinear tf, smoothed idf, l2 rows.
    tfidf = TfidfVectorizer(analyzer=identity, sublinear_tf=True, smooth_idf=True, norm="l2")
    x = tfidf.fit_transform(docs)
    vocab = tfidf.get_feature_names_out()
    counts = CountVectorizer(analyzer=identity)
    c = counts.fit_transform(docs)
    c_vocab = counts.get_feature_names_out()
    # The rows our method learns from: posts with at least 3 distinct terms, each distinct term set once. Fitting
    # scikit-learn's NMF on the same rows shows how much of the difference is that choice rather than the solver.
    seen, informative = set(), []
    for i, doc in enumerate(docs):
        key = tuple(sorted(set(doc)))
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            informative.append(i)
    x_informative = x[informative]
    out = {}
    for k in args.k:
        start = time.perf_counter()
        nmf = NMF(n_components=k, init="nndsvd", solver="cd", max_iter=200, random_state=0).fit(x_informative)
        elapsed = time.perf_counter() - start
        name = f"sklearn NMF nndsvd, our fitting rows ({sklearn.__version__})"
        out.setdefault(name, {})[str(k)] = top_terms(nmf.components_, vocab)
        print(f"k={k} NMF init=nndsvd on {len(informative)} informative rows: {nmf.n_iter_} iterations, {elapsed:.2f} s")
        for init in ("nndsvd", "nndsvda"):
            start = time.perf_counter()
            nmf = NMF(n_components=k, init=init, solver="cd", max_iter=200, random_state=0).fit(x)
            elapsed = time.perf_counter() - start
            out.setdefault(f"sklearn NMF {init} ({sklearn.__version__})", {})[str(k)] = top_terms(nmf.components_, vocab)
            print(f"k={k} NMF init={init}: {nmf.n_iter_} iterations, {elapsed:.2f} s")
        start = time.perf_counter()
        lda = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=args.lda_iter, random_state=0).fit(c)
        elapsed = time.perf_counter() - start
        out.setdefault(f"sklearn LDA ({sklearn.__version__})", {})[str(k)] = top_terms(lda.components_, c_vocab)
        print(f"k={k} LDA: {lda.n_iter_} iterations, {elapsed:.2f} s")
    print(f"{x.shape[0]} documents, {x.shape[1]} terms, {x.nnz} non-zeros")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


def speed(args):
    texts = []
    with open(args.posts, encoding="utf-8") as f:
        for line in f:
            if len(texts) == args.n:
                break
            texts.append(json.loads(line)["text"])
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        # The same document-frequency limits and vocabulary cap as ours (min 3 posts, max 30 %, 20,000 terms).
        vectorizer = TfidfVectorizer(
            stop_words="english", min_df=3, max_df=0.3, max_features=args.max_features or None, sublinear_tf=True
        )
        x = vectorizer.fit_transform(texts)
        nmf = NMF(n_components=args.k, init="nndsvd", solver="cd", max_iter=200, random_state=0)
        w = nmf.fit_transform(x)
        w.argmax(axis=1)
        times.append(time.perf_counter() - start)
        print(f"run {len(times)}: {times[-1]:.2f} s, CPU so far {time.process_time():.2f} s", flush=True)
    print(
        f"sklearn {sklearn.__version__}: TF-IDF + NMF (k={args.k}) on {len(texts)} posts: median {statistics.median(times):.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in times)}); {x.shape[1]} terms, {nmf.n_iter_} iterations"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--terms", required=True)
    q.add_argument("--k", type=int, nargs="+", default=[10, 20])
    q.add_argument("--out", required=True)
    q.add_argument("--lda-iter", type=int, default=50)
    s = sub.add_parser("speed")
    s.add_argument("--posts", required=True)
    s.add_argument("--n", type=int, default=100_000)
    s.add_argument("--k", type=int, default=20)
    s.add_argument("--repeat", type=int, default=3)
    s.add_argument("--max-features", type=int, default=20_000, help="vocabulary cap; 0 for none")
    args = parser.parse_args()
    quality(args) if args.command == "quality" else speed(args)


if __name__ == "__main__":
    main()
