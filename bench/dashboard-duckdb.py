#!/usr/bin/env python3
"""DuckDB side of bench/dashboard.sh: the insights dashboard's nine aggregations under the same
12-month filter, over the cases CSV that `cargo bench -p xinqiao-domain --bench dashboard` writes
(XINQIAO_BENCH_CSV).

    python3 bench/dashboard-duckdb.py CASES.csv [--runs 50] [--today 20454] [--threads N]

Loads the CSV into an in-memory table (timed apart, like the cube's build), then per run executes
one batch of nine SQL statements (volume by day, by category with cumulative share, by bureau, by
industry, top 10 enterprises, on-time share, mediation success rate, average rating, money
recovered) and fetches every result. Prints p50/p99/mean in ms and the same CHECK lines as the
Rust bench: FNV-1a digests of each aggregation's canonical text, so the answers can be compared.
"""

import argparse
import math
import statistics
import time

import duckdb

# Same as TODAY in crates/xinqiao-domain/benches/dashboard.rs: 2026-01-01, days since 1970-01-01.
TODAY = 20454

LOAD = """
CREATE TABLE cases AS
SELECT day,
       bureau,
       kind,
       coalesce(category, 'unclassified') AS category,  -- as the cube files an empty category
       coalesce(industry, '') AS industry,
       coalesce(enterprise, '') AS enterprise,
       closed, closed_on_time, mediated, mediated_success, rating, recovered_cents
FROM read_csv(?, header = true, auto_detect = false, columns = {
    'day': 'BIGINT', 'bureau': 'VARCHAR', 'kind': 'VARCHAR', 'category': 'VARCHAR',
    'industry': 'VARCHAR', 'enterprise': 'VARCHAR', 'closed': 'TINYINT',
    'closed_on_time': 'TINYINT', 'mediated': 'TINYINT', 'mediated_success': 'TINYINT',
    'rating': 'TINYINT', 'recovered_cents': 'BIGINT'})
"""

# $from and $to are the filter's first and last day, inclusive. Rankings: largest first, ties by
# code, as the cube ranks; by_day is zero-filled over the whole range, as the cube's is.
WHERE = "day BETWEEN $from AND $to"
STATEMENTS = {
    "by_day": f"""
        SELECT r.range AS day, coalesce(c.n, 0) AS n
        FROM range($from, $to + 1) r
        LEFT JOIN (SELECT day, count(*) AS n FROM cases WHERE {WHERE} GROUP BY day) c ON c.day = r.range
        ORDER BY day""",
    "by_category": f"""
        SELECT category, n,
               n::DOUBLE / sum(n) OVER () AS share,
               sum(n) OVER (ORDER BY n DESC, category ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::DOUBLE
                   / sum(n) OVER () AS cumulative_share
        FROM (SELECT category, count(*) AS n FROM cases WHERE {WHERE} GROUP BY category)
        ORDER BY n DESC, category""",
    "by_bureau": f"SELECT bureau, count(*) AS n FROM cases WHERE {WHERE} GROUP BY bureau ORDER BY n DESC, bureau",
    "by_industry": f"""
        SELECT industry, count(*) AS n FROM cases WHERE {WHERE} GROUP BY industry ORDER BY n DESC, industry""",
    "top_enterprises": f"""
        SELECT enterprise, count(*) AS n FROM cases WHERE {WHERE} AND enterprise <> ''
        GROUP BY enterprise ORDER BY n DESC, enterprise LIMIT 10""",
    "on_time": f"""
        SELECT count(*), sum(closed), sum(closed_on_time), sum(closed_on_time)::DOUBLE / nullif(sum(closed), 0)
        FROM cases WHERE {WHERE}""",
    "mediation": f"""
        SELECT sum(mediated), sum(mediated_success), sum(mediated_success)::DOUBLE / nullif(sum(mediated), 0)
        FROM cases WHERE {WHERE}""",
    "rating": f"""
        SELECT coalesce(sum(rating), 0), count(rating), sum(rating)::DOUBLE / nullif(count(rating), 0)
        FROM cases WHERE {WHERE}""",
    "recovered": f"SELECT coalesce(sum(recovered_cents), 0) FROM cases WHERE {WHERE}",
}


# With --schema enum the five dimensions become ENUM types (DuckDB's dictionary encoding, as the
# cube interns them to u32). Each type lists its values sorted, so ORDER BY still ranks ties by code.
DIMENSIONS = ("bureau", "kind", "category", "industry", "enterprise")
ENUMS = [f"CREATE TYPE {d}_t AS ENUM (SELECT DISTINCT {d} FROM cases ORDER BY {d})" for d in DIMENSIONS] + [
    "CREATE TABLE enum_cases AS SELECT day, "
    + ", ".join(f"{d}::{d}_t AS {d}" for d in DIMENSIONS)
    + ", closed, closed_on_time, mediated, mediated_success, rating, recovered_cents FROM cases",
    "DROP TABLE cases",
    "ALTER TABLE enum_cases RENAME TO cases",
]


def dashboard(con, params):
    """One run: the nine statements, every result fetched."""
    return {name: con.execute(sql, params).fetchall() for name, sql in STATEMENTS.items()}


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def lines(rows, fmt):
    return "".join(fmt(r) + "\n" for r in rows)


def checks(d):
    """The CHECK lines, exactly as benches/dashboard.rs prints them."""
    rate = lambda r: "none" if r is None else f"{r:.6f}"
    received, closed, on_time, on_time_rate = d["on_time"][0]
    mediated, success, mediation_rate = d["mediation"][0]
    rating_sum, rating_count, average_rating = d["rating"][0]
    (recovered,) = d["recovered"][0]
    none = lambda v: 0 if v is None else v
    pairs = lambda rows: lines(rows, lambda r: f"{r[0]}:{r[1]}")
    top = d["top_enterprises"]
    first = f"{top[0][0]}:{top[0][1]}" if top else "none:0"
    return [
        f"totals received={received} closed={none(closed)} closed_on_time={none(on_time)} "
        f"mediated={none(mediated)} mediated_success={none(success)} rating_sum={rating_sum} "
        f"rating_count={rating_count}",
        f"on_time_rate {rate(on_time_rate)}",
        f"mediation_success_rate {rate(mediation_rate)}",
        f"average_rating {rate(average_rating)}",
        f"recovered_cents {recovered}",
        f"by_day rows={len(d['by_day'])} fnv={fnv1a(pairs(d['by_day'])):016x}",
        f"by_category rows={len(d['by_category'])} "
        f"fnv={fnv1a(lines(d['by_category'], lambda r: f'{r[0]}:{r[1]}:{r[3]:.6f}')):016x}",
        f"by_bureau rows={len(d['by_bureau'])} fnv={fnv1a(pairs(d['by_bureau'])):016x}",
        f"by_industry rows={len(d['by_industry'])} fnv={fnv1a(pairs(d['by_industry'])):016x}",
        f"top_enterprises rows={len(top)} first={first} fnv={fnv1a(pairs(top)):016x}",
    ]


def percentile(sorted_times, p):
    """Nearest-rank percentile, as the Rust bench computes it."""
    rank = min(max(math.ceil(p * len(sorted_times)), 1), len(sorted_times))
    return sorted_times[rank - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--today", type=int, default=TODAY)
    ap.add_argument(
        "--schema",
        choices=["varchar", "enum"],
        default="varchar",
        help="dimension columns as VARCHAR (default) or as ENUM types (dictionary-encoded, timed in the load)",
    )
    ap.add_argument("--threads", type=int, help="DuckDB threads (default: DuckDB's own, one per core)")
    args = ap.parse_args()

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t = time.perf_counter()
    con.execute(LOAD, [args.csv])
    if args.schema == "enum":
        for sql in ENUMS:
            con.execute(sql)
    load = time.perf_counter() - t
    (n,) = con.execute("SELECT count(*) FROM cases").fetchone()
    (memory,) = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
    memory /= 1 << 20
    print(
        f"DuckDB {duckdb.__version__}, {threads} threads, {args.schema} dimensions: loaded {n} cases in "
        f"{load * 1e3:.0f} ms (not timed below), {memory:.0f} MiB in memory"
    )

    params = {"from": args.today - 364, "to": args.today}
    reference = dashboard(con, params)
    for _ in range(3):
        dashboard(con, params)
    times = []
    cpu = time.process_time()
    for _ in range(max(args.runs, 1)):
        t = time.perf_counter()
        d = dashboard(con, params)
        times.append((time.perf_counter() - t) * 1e3)
        assert d["on_time"] == reference["on_time"]
    cpu = (time.process_time() - cpu) * 1e3 / len(times)  # every thread's, Python's too
    times.sort()
    p50, p99, mean = percentile(times, 0.50), percentile(times, 0.99), statistics.fmean(times)
    received = reference["on_time"][0][0]
    print(
        f"DuckDB ({args.schema}) nine statements, 12-month filter ({received} of {n} cases), {len(times)} runs: "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {mean:.2f} ms; CPU {cpu:.2f} ms per run (all threads)"
    )
    for line in checks(reference):
        print(f"CHECK {line}")
    print(
        f"RESULT duckdb p50_ms={p50:.3f} p99_ms={p99:.3f} mean_ms={mean:.3f} cpu_ms={cpu:.3f} "
        f"load_ms={load * 1e3:.0f} memory_mib={memory:.0f} threads={threads} schema={args.schema}"
    )


if __name__ == "__main__":
    main()
