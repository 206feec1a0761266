#!/usr/bin/env bash
# Measures what the DatasetEvent ledger adds to a scoped read: GET /v1/me with the owner's key,
# once with the ledger on and once with engines.ledger.enabled=false, each on its own fresh JVM,
# one after the other, on a fresh database. Load: wrk on loopback (installed from Debian when
# missing), a 45 s warm-up (the JIT compiler is still busy before that), then
# ENGINES_BENCH_SECONDS (30) measured at 1 and at 16 connections. Prints p50/p90/p99 and throughput.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_ledger wrk
PORT="${ENGINES_BENCH_PORT:-18080}"
DURATION="${ENGINES_BENCH_SECONDS:-30}"

run_mode() {
  local mode="$1" enabled="$2"
  bench_start "$mode" "$PORT" --engines.ledger.enabled="$enabled"
  bench_tenant
  wrk -t2 -c16 -d45s "${HEADERS[@]}" "$URL/v1/me" > /dev/null
  for connections in 1 16; do
    local threads=$(( connections < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency "${HEADERS[@]}" "$URL/v1/me" > "$WORK/wrk.txt"
    printf '%-9s c=%-3s %s\n' "$mode" "$connections" "$(wrk_summary "$WORK/wrk.txt")"
  done
  bench_stop
}

run_mode ledger true
run_mode no-ledger false
