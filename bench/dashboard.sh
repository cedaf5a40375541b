#!/usr/bin/env bash
# The full insights dashboard (nine aggregations under a 12-month filter), Xinqiao's cube against
# DuckDB on the same synthetic cases in the same run, side by side; checks that both give the same
# answers.
#
#   bench/dashboard.sh [--cases N=1000000] [--runs R=50] [--duckdb-threads T]
#
# Runs `cargo bench -p xinqiao-domain --bench dashboard` (which writes the cases as CSV), then
# bench/dashboard-duckdb.py on that CSV twice: dimensions as VARCHAR, then as ENUM types. DuckDB
# comes from PyPI, installed into a venv kept at $XINQIAO_BENCH_VENV (default:
# $TMPDIR/xinqiao-bench-venv) and reused; where `python3 -m venv` does not work (Debian without
# python3-venv) it falls back to `pip install --user`. Honours CARGO_TARGET_DIR. Exits 1 when the
# answers differ.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=1000000
RUNS=50
THREADS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES=${2//_/}; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --duckdb-threads) THREADS=(--threads "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "dashboard.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Python with duckdb.
VENV=${XINQIAO_BENCH_VENV:-${TMPDIR:-/tmp}/xinqiao-bench-venv}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
  PY=$VENV/bin/python
elif python3 -m venv "$VENV" >/dev/null 2>&1; then
  echo "dashboard.sh: installing duckdb from PyPI into $VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb
  PY=$VENV/bin/python
else
  echo "dashboard.sh: python3 -m venv unavailable (Debian: apt-get install python3-venv); using pip --user" >&2
  python3 -m pip install --quiet --user duckdb 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages duckdb
  PY=python3
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CSV=$WORK/cases.csv

echo "== Xinqiao: cargo bench -p xinqiao-domain --bench dashboard ($CASES cases)"
XINQIAO_BENCH_CASES=$CASES XINQIAO_BENCH_RUNS=$RUNS XINQIAO_BENCH_CSV=$CSV \
  cargo bench --quiet -p xinqiao-domain --bench dashboard | tee "$WORK/rust.out"
echo
for SCHEMA in varchar enum; do
  echo "== DuckDB: bench/dashboard-duckdb.py --schema $SCHEMA"
  "$PY" bench/dashboard-duckdb.py "$CSV" --runs "$RUNS" --schema "$SCHEMA" "${THREADS[@]}" | tee "$WORK/duckdb-$SCHEMA.out"
  echo
done

field() { grep '^RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
R=$WORK/rust.out V=$WORK/duckdb-varchar.out E=$WORK/duckdb-enum.out
SELECTED=$(sed -n 's/^CHECK totals received=\([0-9]*\).*/\1/p' "$R")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
ms() { printf '%.2f / %.2f ms' "$(field "$1" p50_ms)" "$(field "$1" p99_ms)"; }
cpu() { printf '%.2f ms' "$(field "$1" cpu_ms)"; }
prep() { printf 'load %s ms, %s MiB' "$(field "$1" load_ms)" "$(field "$1" memory_mib)"; }

echo "| full dashboard, 12-month filter, $CASES cases | Xinqiao p50 / p99 | DuckDB p50 / p99 (VARCHAR dims) | DuckDB p50 / p99 (ENUM dims) |"
echo "|---|---|---|---|"
echo "| $SELECTED cases in the filter, $RUNS runs; Xinqiao 1 thread, DuckDB $(field "$V" threads) | $(ms "$R") | $(ms "$V") | $(ms "$E") |"
echo "| CPU time per dashboard, mean (all threads) | $(cpu "$R") | $(cpu "$V") | $(cpu "$E") |"
echo "| preparation, not timed above | build $(field "$R" build_ms) ms, $(field "$R" rows) rows, +$(field "$R" memory_mib) MiB RSS | $(prep "$V") | $(prep "$E") |"
awk -v r="$(field "$R" p50_ms)" -v v="$(field "$V" p50_ms)" -v e="$(field "$E" p50_ms)" 'BEGIN {
  d = (v < e) ? v : e
  printf "p50: Xinqiao %s the faster DuckDB variant (%.1fx); goal < 20 ms %s\n",
    (r < d ? "faster than" : "NOT faster than"), d / r, (r < 20 ? "met" : "MISSED")
}'
echo "load average during the run: $LOAD (on $(nproc) cores)"

STATUS=0
for OUT in "$V" "$E"; do
  NAME=$(field "$OUT" schema)
  if diff <(grep '^CHECK' "$R") <(grep '^CHECK' "$OUT") >"$WORK/check.diff"; then
    echo "checksums agree (DuckDB $NAME): all $(grep -c '^CHECK' "$R") CHECK lines identical (totals, rates, digests of by_day, by_category, by_bureau, by_industry, top 10)"
  else
    echo "CHECKSUMS DIFFER (DuckDB $NAME; < Xinqiao, > DuckDB):" >&2
    cat "$WORK/check.diff" >&2
    STATUS=1
  fi
done
exit $STATUS
