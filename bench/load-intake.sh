#!/usr/bin/env bash
# Load test of public intake against a real `xinqiao serve` process (release build, SQLite),
# driven from outside by wrk: the whole pipeline (validation, PII masking, sealing, blind
# indexes, audit, group commit). Afterwards it stops the server and checks that every
# acknowledged case is in the database.
#
#   bench/load-intake.sh [SECONDS=10] [CONNECTIONS=32]
#
# Needs wrk (Debian: apt-get install wrk) and sqlite3. Honours CARGO_TARGET_DIR; with
# XINQIAO_BENCH_BUILT=1 (set by bench/run, which has just built it) it skips the build.
# XINQIAO_BENCH_SERVER_CPUS and XINQIAO_BENCH_WRK_CPUS (taskset CPU lists, e.g. 0 and 1) pin the
# server and the load generator to separate CPUs, so wrk does not starve the server.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-10}
CONNECTIONS=${2:-32}
for tool in wrk sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "load-intake: $tool is required (apt-get install $tool)" >&2; exit 2; }
done
[ "${XINQIAO_BENCH_BUILT:-0}" = 1 ] || cargo build --release --quiet -p xinqiao
BIN=${CARGO_TARGET_DIR:-target}/release/xinqiao
DATA=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
# A load test is one client: the per-client limits of public posts are off for it.
SERVER_PIN=(); WRK_PIN=()
[ -n "${XINQIAO_BENCH_SERVER_CPUS:-}" ] && SERVER_PIN=(taskset -c "$XINQIAO_BENCH_SERVER_CPUS")
[ -n "${XINQIAO_BENCH_WRK_CPUS:-}" ] && WRK_PIN=(taskset -c "$XINQIAO_BENCH_WRK_CPUS")
XINQIAO_INTAKE_PER_HOUR=0 XINQIAO_PUBLIC_POSTS_PER_MINUTE=0 \
  "${SERVER_PIN[@]}" "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.1
done
# Let the PII dictionary finish loading, as on a server that has been up for a moment.
sleep 1
OUT=$("${WRK_PIN[@]}" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s bench/intake.lua "http://127.0.0.1:$PORT")
echo "$OUT" | grep -v '^RESULT'
RESULT=$(echo "$OUT" | grep '^RESULT')
kill -TERM $SERVER
wait $SERVER || true
REQUESTS=$(echo "$RESULT" | sed -E 's/.*requests=([0-9]+).*/\1/')
FAILED=$(echo "$RESULT" | sed -E 's/.*failed=([0-9]+).*/\1/')
ACKED=$((REQUESTS - FAILED))
STORED=$(sqlite3 "$DATA/xinqiao.db" "SELECT COUNT(DISTINCT access_key_hash) FROM cases")
echo "$RESULT acknowledged=$ACKED stored_submissions=$STORED"
if [ "$STORED" -lt "$ACKED" ]; then
  echo "load-intake: LOST $((ACKED - STORED)) acknowledged submissions" >&2
  exit 1
fi
echo "load-intake: every acknowledged submission is stored"
