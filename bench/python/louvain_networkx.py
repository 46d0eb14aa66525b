#!/usr/bin/env python3
"""networkx's Louvain on the edge lists written by `communities_bench`, side by side with our partitions.

For one graph NAME in OUT (default bench/out/communities) it reads OUT/NAME.edges (`nodes N`, then `u v w`), runs
`networkx.community.louvain_communities(G, weight="weight", resolution=1.0, seed=s)` for each seed, times it and
scores it with `networkx.community.modularity`. It then scores our partitions (OUT/NAME.<method>.<seed>.part) with
the same networkx function, so both sides are measured by the same code, and compares with the modularity our
code reported (OUT/NAME.ours.json). If OUT/NAME.planted exists, both sides' partitions are compared with the
planted groups by NMI and ARI, computed by the functions below for every partition alike.

    python3 bench/python/louvain_networkx.py NAME [--out DIR] [--seeds 5]

Writes OUT/NAME.networkx.json and prints a markdown table.
"""

import argparse
import json
import math
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import networkx as nx


def read_graph(path):
    with open(path) as f:
        first = f.readline().split()
        assert first[0] == "nodes", "first line must be 'nodes N'"
        n = int(first[1])
        g = nx.Graph()
        g.add_nodes_from(range(n))
        edges = []
        for line in f:
            u, v, w = line.split()
            edges.append((int(u), int(v), float(w)))
        g.add_weighted_edges_from(edges)
    return g


def read_labels(path):
    with open(path) as f:
        return [int(line) for line in f]


def communities_to_labels(communities, n):
    labels = [0] * n
    for c, members in enumerate(communities):
        for v in members:
            labels[v] = c
    return labels


def labels_to_communities(labels):
    groups = {}
    for v, c in enumerate(labels):
        groups.setdefault(c, set()).add(v)
    return list(groups.values())


def entropy(counts, n):
    return -sum(c / n * math.log(c / n) for c in counts if c)


def nmi(a, b):
    """Normalised mutual information, arithmetic-mean normalisation (sklearn's default)."""
    n = len(a)
    joint = Counter(zip(a, b))
    ca, cb = Counter(a), Counter(b)
    mi = sum(c / n * math.log(c * n / (ca[x] * cb[y])) for (x, y), c in joint.items())
    ha, hb = entropy(ca.values(), n), entropy(cb.values(), n)
    if ha == 0 and hb == 0:
        return 1.0
    return mi / ((ha + hb) / 2)


def ari(a, b):
    """Adjusted Rand index (Hubert & Arabie)."""
    n = len(a)
    pairs = lambda k: k * (k - 1) / 2
    index = sum(pairs(c) for c in Counter(zip(a, b)).values())
    sa = sum(pairs(c) for c in Counter(a).values())
    sb = sum(pairs(c) for c in Counter(b).values())
    expected = sa * sb / pairs(n)
    best = (sa + sb) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--out", default="bench/out/communities")
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    out = Path(args.out)

    g = read_graph(out / f"{args.name}.edges")
    n = g.number_of_nodes()
    planted_path = out / f"{args.name}.planted"
    planted = read_labels(planted_path) if planted_path.exists() else None
    print(f"{args.name}: {n} nodes, {g.number_of_edges()} edges; networkx {nx.__version__}, "
          f"python {sys.version.split()[0]}", flush=True)

    runs = []
    for seed in range(args.seeds):
        start, cpu_start = time.perf_counter(), time.process_time()
        communities = nx.community.louvain_communities(g, weight="weight", resolution=1.0, seed=seed)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        q = nx.community.modularity(g, communities, weight="weight", resolution=1.0)
        run = {"seed": seed, "seconds": seconds, "cpu_seconds": cpu_seconds, "modularity": q,
               "communities": len(communities)}
        if planted is not None:
            labels = communities_to_labels(communities, n)
            run["nmi"] = nmi(planted, labels)
            run["ari"] = ari(planted, labels)
        runs.append(run)
        print(f"  networkx seed {seed}: Q={q:.6f}, {len(communities)} communities, {seconds:.3f} s ({cpu_seconds:.3f} s CPU)", flush=True)

    ours = json.loads((out / f"{args.name}.ours.json").read_text())
    ours_scored = {}
    for method, summary in ours["methods"].items():
        scored = []
        for run in summary["runs"]:
            labels = read_labels(out / f"{args.name}.{method}.{run['seed']}.part")
            q_nx = nx.community.modularity(g, labels_to_communities(labels), weight="weight", resolution=1.0)
            entry = {"seed": run["seed"], "modularity_ours": run["modularity"], "modularity_by_networkx": q_nx,
                     "seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"],
                     "communities": run["communities"]}
            if planted is not None:
                entry["nmi"] = nmi(planted, labels)
                entry["ari"] = ari(planted, labels)
            scored.append(entry)
        ours_scored[method] = scored

    result = {"graph": args.name, "nodes": n, "edges": g.number_of_edges(), "networkx": runs, "ours": ours_scored}
    if planted is not None:
        result["planted_modularity"] = nx.community.modularity(
            g, labels_to_communities(planted), weight="weight", resolution=1.0)
    (out / f"{args.name}.networkx.json").write_text(json.dumps(result, indent=2))

    med = lambda rows, key: statistics.median(r[key] for r in rows)
    nx_q, nx_t, nx_c = med(runs, "modularity"), med(runs, "seconds"), med(runs, "cpu_seconds")
    print()
    extra = " median NMI | median ARI |" if planted is not None else ""
    print(f"| {args.name} | median Q | Q / networkx | median wall (s) | networkx / ours | median CPU (s) "
          f"| networkx / ours |{extra}")
    print("|---|---|---|---|---|---|---|" + ("---|---|" if planted is not None else ""))
    rows = [("networkx louvain_communities", runs, "modularity")]
    rows += [(f"ours, {m}", s, "modularity_by_networkx") for m, s in ours_scored.items()]
    for label, rs, qkey in rows:
        q, t, c = med(rs, qkey), med(rs, "seconds"), med(rs, "cpu_seconds")
        # Our CPU clock (/proc/thread-self/schedstat) ticks in 4 ms steps here: too coarse for small graphs.
        cpu_cells = f"{c:.4f} | {nx_c / c:.1f}" if c >= 0.1 else "– | –"
        cells = f"| {label} | {q:.6f} | {q / nx_q:.4f} | {t:.4f} | {nx_t / t:.1f} | {cpu_cells} |"
        if planted is not None:
            cells += f" {med(rs, 'nmi'):.4f} | {med(rs, 'ari'):.4f} |"
        print(cells)
    if planted is not None:
        print(f"\nplanted partition: Q = {result['planted_modularity']:.6f}")
    worst = max(abs(e["modularity_ours"] - e["modularity_by_networkx"]) for s in ours_scored.values() for e in s)
    print(f"largest |our modularity − networkx's modularity of our partition| = {worst:.2e}")


if __name__ == "__main__":
    main()
