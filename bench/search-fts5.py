#!/usr/bin/env python3
"""SQLite FTS5 side of the search row of bench/run: the same narratives and the same queries as
`cargo bench -p xinqiao-search --bench search` (exported with XQ_SEARCH_EXPORT=DIR), searched
with FTS5's trigram tokenizer in an on-disk database.

    python3 bench/search-fts5.py DIR [--db PATH]

Each query's whitespace-separated parts of three or more characters become quoted substring
phrases, ORed (Xinqiao ORs its clauses too) and ranked by bm25; parts shorter than three
characters cannot use a trigram index, so a query made only of such parts runs as LIKE
'%part%' ORed (a full scan, as FTS5 would do it). Top 20 with a snippet, scoped to the same
organisations. Prints a RESULT line: build time, p50/p99 in ms.
"""

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time


def percentile(sorted_ms, p):
    i = max(1, min(len(sorted_ms), int(-(-len(sorted_ms) * p // 1)))) - 1
    return sorted_ms[i]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--db")
    args = ap.parse_args()
    db = args.db or os.path.join(tempfile.mkdtemp(prefix="xq-fts5-"), "fts.db")
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    try:
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(narrative, org UNINDEXED, id UNINDEXED, tokenize='trigram')")
    except sqlite3.OperationalError as e:
        print(f"RESULT error=no_fts5_trigram ({e}; SQLite {sqlite3.sqlite_version})")
        return 0
    started = time.perf_counter()
    n = 0
    with open(os.path.join(args.dir, "docs.tsv"), encoding="utf-8") as f:
        batch = []
        for line in f:
            doc_id, org, text = line.rstrip("\n").split("\t", 2)
            batch.append((text, org, doc_id))
            if len(batch) == 10000:
                con.executemany("INSERT INTO docs(narrative, org, id) VALUES (?, ?, ?)", batch)
                n += len(batch)
                batch = []
        con.executemany("INSERT INTO docs(narrative, org, id) VALUES (?, ?, ?)", batch)
        n += len(batch)
    con.commit()
    con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    con.commit()
    build = time.perf_counter() - started
    size = os.path.getsize(db)
    queries = []
    with open(os.path.join(args.dir, "queries.tsv"), encoding="utf-8") as f:
        for line in f:
            text, orgs = line.rstrip("\n").split("\t")
            queries.append((text, None if orgs == "*" else orgs.split(",")))

    def run(text, orgs):
        parts = text.split()
        long_parts = [p for p in parts if len(p) >= 3]
        params = []
        if long_parts:
            where = "docs MATCH ?"
            params.append(" OR ".join('"' + p.replace('"', '""') + '"' for p in long_parts))
            order = "ORDER BY rank"
        else:
            where = "(" + " OR ".join("narrative LIKE ?" for _ in parts) + ")"
            params.extend(f"%{p}%" for p in parts)
            order = ""
        if orgs is not None:
            where += " AND org IN (" + ",".join("?" for _ in orgs) + ")"
            params.extend(orgs)
        sql = f"SELECT id, snippet(docs, 0, '[', ']', '…', 16) FROM docs WHERE {where} {order} LIMIT 20"
        return con.execute(sql, params).fetchall()

    for text, orgs in queries[:100]:  # warm-up
        run(text, orgs)
    times, hits, empty = [], 0, 0
    for text, orgs in queries:
        t = time.perf_counter()
        found = run(text, orgs)
        times.append((time.perf_counter() - t) * 1e3)
        hits += len(found)
        empty += not found
    times.sort()
    print(
        f"fts5 trigram: {n} narratives indexed in {build:.1f} s ({size / 1e6:.0f} MB), {len(queries)} queries: "
        f"p50 {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms, mean {statistics.mean(times):.2f} ms; "
        f"{hits / len(queries):.1f} hits per query, {empty} with none (SQLite {sqlite3.sqlite_version})"
    )
    print(
        f"RESULT docs={n} queries={len(queries)} p50_ms={percentile(times, 0.5):.3f} p99_ms={percentile(times, 0.99):.3f} "
        f"build_s={build:.1f} hits_per_query={hits / len(queries):.2f} empty={empty}"
    )
    con.close()
    if not args.db:
        os.remove(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
