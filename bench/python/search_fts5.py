"""Search-latency anchor: the same keyword searches Townhall's search benchmark runs, answered by
SQLite FTS5 from Python's standard library -- what an analyst would otherwise use on one machine.

    taskset -c 0 python3 bench/python/search_fts5.py bench/out/posts-1m.jsonl [--db PATH] [--cache-mib N]

The first run builds the database (ordinary table `posts` with created_at in unix ms, author,
reply_to and text, plus an external-content FTS5 table over text with the default unicode61
tokenizer) and caches it at --db; later runs reuse it. Townhall's analysis fields (lang, sentiment,
kind, channel, question, own) have no counterpart here, so only the keyword queries are run.

Each search = one top-20 query (returning id, created_at, author, text) plus one count(*) query,
because Townhall's search returns the total number of matches too. Every query runs once as a
warm-up and then 50 timed times, alternating ORDER BY bm25 rank and ORDER BY created_at DESC
(25 each). Prints a markdown table of p50/p95 per query and over all timed searches.
"""
import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timezone

RUNS_PER_QUERY = 50
LIMIT = 20


def unix_ms(iso_text):
    return int(datetime.fromisoformat(iso_text).timestamp() * 1000)


FEB_START_MS = unix_ms("2024-02-01T00:00:00+00:00")
MAR_START_MS = unix_ms("2024-03-01T00:00:00+00:00")

# (label in Townhall's query language, FTS5 MATCH expression, optional [from, to) created_at range)
QUERIES = [
    ("health care", "health care", None),
    ('"health care"', '"health care"', None),
    ("snap OR medicaid", "snap OR medicaid", None),
    ("passport", "passport", None),
    ("broad*", "broad*", None),
    ("love", "love", None),
    ("since:2024-02-01 until:2024-02-29 taxes", "taxes", (FEB_START_MS, MAR_START_MS)),
]


def build(jsonl_path, db_path):
    """Builds into a temporary file and renames it, so an interrupted build is never reused."""
    tmp_path = db_path + ".building"
    if os.path.exists(tmp_path):
        os.remove(tmp_path)
    con = sqlite3.connect(tmp_path)
    # A throwaway benchmark database: durability during the bulk load buys nothing.
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,"
        " author TEXT NOT NULL, reply_to INTEGER, text TEXT NOT NULL)"
    )
    con.execute(
        "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', content_rowid='id')"
    )
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")

    started = time.perf_counter()

    def rows():
        with open(jsonl_path, encoding="utf-8") as lines:
            for line in lines:
                post = json.loads(line)
                reply_to = post["reply_to"]
                yield (
                    int(post["id"]),
                    unix_ms(post["created_at"]),
                    post["author"],
                    None if reply_to is None else int(reply_to),
                    post["text"],
                )

    with con:
        con.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?)", rows())
    loaded = time.perf_counter()
    with con:
        con.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
    indexed = time.perf_counter()
    with con:
        con.execute("CREATE INDEX posts_created_at ON posts(created_at)")
    finished = time.perf_counter()

    post_count = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    timings = {
        "load_s": loaded - started,
        "fts_s": indexed - loaded,
        "created_at_index_s": finished - indexed,
        "total_s": finished - started,
        "posts": post_count,
        "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "source": os.path.abspath(jsonl_path),
    }
    with con:
        con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in timings.items()])
    con.close()
    os.replace(tmp_path, db_path)


def read_meta(con):
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def search(con, match, date_range, order_by_rank):
    """One search as Townhall answers it: the first LIMIT posts plus the total match count."""
    if date_range is None:
        order = "f.rank" if order_by_rank else "p.created_at DESC"
        top = con.execute(
            "SELECT p.id, p.created_at, p.author, p.text FROM posts_fts f"
            " JOIN posts p ON p.id = f.rowid WHERE posts_fts MATCH ?"
            f" ORDER BY {order} LIMIT {LIMIT}",
            (match,),
        ).fetchall()
        total = con.execute(
            "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", (match,)
        ).fetchone()[0]
    else:
        since_ms, until_ms = date_range
        order = "f.rank" if order_by_rank else "p.created_at DESC"
        top = con.execute(
            "SELECT p.id, p.created_at, p.author, p.text FROM posts_fts f"
            " JOIN posts p ON p.id = f.rowid WHERE posts_fts MATCH ?"
            " AND p.created_at >= ? AND p.created_at < ?"
            f" ORDER BY {order} LIMIT {LIMIT}",
            (match, since_ms, until_ms),
        ).fetchall()
        total = con.execute(
            "SELECT count(*) FROM posts_fts f JOIN posts p ON p.id = f.rowid"
            " WHERE posts_fts MATCH ? AND p.created_at >= ? AND p.created_at < ?",
            (match, since_ms, until_ms),
        ).fetchone()[0]
    return top, total


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", help="JSONL from `townhall-bench gen-posts`")
    parser.add_argument("--db", default="/tmp/fts5-bench.sqlite")
    parser.add_argument(
        "--cache-mib", type=int, default=None,
        help="PRAGMA cache_size for the query connection (default: SQLite's own, about 2 MiB)",
    )
    args = parser.parse_args()

    built_now = not os.path.exists(args.db)
    if built_now:
        print(f"building {args.db} from {args.posts} ...", file=sys.stderr)
        build(args.posts, args.db)

    con = sqlite3.connect(args.db)
    if args.cache_mib is not None:
        con.execute(f"PRAGMA cache_size=-{args.cache_mib * 1024}")
    meta = read_meta(con)
    if meta["source"] != os.path.abspath(args.posts):
        sys.exit(f"{args.db} was built from {meta['source']}; delete it or pass another --db")

    all_ms = []
    by_order = {True: [], False: []}
    table_rows = []
    for label, match, date_range in QUERIES:
        _, expected_total = search(con, match, date_range, True)  # warm-up
        times_ms = []
        for run in range(RUNS_PER_QUERY):
            order_by_rank = run % 2 == 0
            started = time.perf_counter()
            top, total = search(con, match, date_range, order_by_rank)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if total != expected_total or len(top) != min(LIMIT, total):
                sys.exit(f"inconsistent result for {label!r}: {total} vs {expected_total}")
            times_ms.append(elapsed_ms)
            by_order[order_by_rank].append(elapsed_ms)
        all_ms.extend(times_ms)
        rank_ms = times_ms[0::2]
        date_ms = times_ms[1::2]
        table_rows.append(
            f"| `{label}` | `{match}`{' + created_at in [Feb 1, Mar 1)' if date_range else ''}"
            f" | {expected_total} | {statistics.median(times_ms):.2f} | {percentile(times_ms, 0.95):.2f}"
            f" | {statistics.median(rank_ms):.2f} | {statistics.median(date_ms):.2f} |"
        )

    db_mib = os.path.getsize(args.db) / 2**20
    print(
        f"SQLite {sqlite3.sqlite_version} FTS5 (unicode61), Python {sys.version.split()[0]},"
        f" {meta['posts']} posts, database {db_mib:.0f} MiB, page cache"
        f" {'SQLite default' if args.cache_mib is None else str(args.cache_mib) + ' MiB'}"
    )
    print(
        f"build{' (this run)' if built_now else ' (cached, built ' + meta['built_at'] + ')'}:"
        f" {float(meta['total_s']):.1f} s = load JSONL + insert {float(meta['load_s']):.1f} s"
        f" + FTS5 rebuild {float(meta['fts_s']):.1f} s"
        f" + created_at index {float(meta['created_at_index_s']):.1f} s"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| query (Townhall) | FTS5 MATCH | hits | p50 ms | p95 ms | p50 by rank | p50 by date |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in table_rows:
        print(row)
    print()
    print(
        f"all {len(all_ms)} searches: p50 {statistics.median(all_ms):.2f} ms,"
        f" p95 {percentile(all_ms, 0.95):.2f} ms, max {max(all_ms):.2f} ms"
        f" (by rank: p50 {statistics.median(by_order[True]):.2f} / p95 {percentile(by_order[True], 0.95):.2f};"
        f" by created_at desc: p50 {statistics.median(by_order[False]):.2f}"
        f" / p95 {percentile(by_order[False], 0.95):.2f})"
    )


if __name__ == "__main__":
    main()
