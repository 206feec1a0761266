#!/usr/bin/env bash
# Measures what the DatasetEvent ledger adds to a scoped read: GET /v1/me with a member key,
# once with the ledger on and once with engines.ledger.enabled=false, each on its own fresh JVM,
# one after the other. Load: wrk on loopback (installed from Debian when missing), a 45 s warm-up
# (the JIT compiler is still busy before that),
# then 30 s measured at 1 and at 16 connections. Prints p50/p90/p99 and throughput per run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
select_jdk
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
"$ROOT/bin/lib/provision-postgres.sh" engines >&2
"$ROOT/mvnw" -B -ntp -q -DskipTests -pl engines-api -am package >&2
JAR="$(ls "$ROOT"/engines-api/target/engines-api-*.jar | grep -v plain | head -n 1)"
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
OP="eop_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PORT="${ENGINES_BENCH_PORT:-18080}"
DURATION="${ENGINES_BENCH_SECONDS:-30}"

run_mode() {
  local mode="$1" enabled="$2"
  ENGINES_OPERATOR_TOKEN_SHA256="$(printf '%s' "$OP" | sha256sum | cut -d' ' -f1)" ENGINES_DATA_DIR="$WORK" \
    ENGINES_PII_MASTER_KEY="bench-master-key-0123456789abcdef0123456789" \
    "$JAVA_HOME/bin/java" -jar "$JAR" --spring.profiles.active=local --server.port="$PORT" \
    --engines.ledger.enabled="$enabled" > "$WORK/$mode.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 90); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null && break; sleep 1; done
  local tenant="t_bench_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  local key
  key="$(curl -fsS -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d "{\"tenant_id\":\"$tenant\",\"name\":\"bench\",\"owner\":{\"email\":\"bench@bench.example\",\"display_name\":\"Bench\"}}" \
    "http://127.0.0.1:$PORT/v1/operator/tenants" | grep -o '"token":"eng_[a-z2-7_]*"' | cut -d'"' -f4)"
  local headers=(-H "Authorization: Bearer $key" -H "X-Tenant-Id: $tenant" -H "X-Env: dev")
  wrk -t2 -c16 -d45s "${headers[@]}" "http://127.0.0.1:$PORT/v1/me" > /dev/null
  for connections in 1 16; do
    local threads=$(( connections < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency "${headers[@]}" "http://127.0.0.1:$PORT/v1/me" > "$WORK/wrk.txt"
    printf '%-8s c=%-3s p50=%-9s p90=%-9s p99=%-9s rps=%s\n' "$mode" "$connections" \
      "$(awk '$1=="50%"{print $2}' "$WORK/wrk.txt")" "$(awk '$1=="90%"{print $2}' "$WORK/wrk.txt")" \
      "$(awk '$1=="99%"{print $2}' "$WORK/wrk.txt")" "$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.txt")"
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true
}

run_mode ledger true
run_mode no-ledger false
