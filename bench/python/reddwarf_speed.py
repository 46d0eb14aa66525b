"""Time red-dwarf's Pol.is pipeline (the Python package a team would otherwise use) on the votes written by
`cargo run --release -p townhall-consult --example write_votes -- votes.csv`, the same votes Townhall's
`consult_speed` example times.

    pip install red-dwarf==0.4.0
    python3 bench/python/reddwarf_speed.py votes.csv
"""
import csv
import sys
import time

from reddwarf.implementations.polis import run_pipeline


def main(path: str) -> None:
    started = time.perf_counter()
    with open(path, newline="") as f:
        votes = [
            {
                "participant_id": int(r["participant_id"]),
                "statement_id": int(r["statement_id"]),
                "vote": int(r["vote"]),
                "modified": int(r["modified"]),
            }
            for r in csv.DictReader(f)
        ]
    print(f"read {len(votes)} votes in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    result = run_pipeline(votes=votes, random_state=42)
    elapsed = time.perf_counter() - started
    groups = len(set(int(g) for g in result.participants_df["cluster_id"].dropna()))
    print(f"red-dwarf run_pipeline: {elapsed:.2f} s, {groups} groups")


if __name__ == "__main__":
    main(sys.argv[1])
