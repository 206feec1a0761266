# Shared by the bench scripts (sourced): build the jar, run the service on its own fresh database
# and port, create a tenant, summarise a wrk run. Callers set ROOT and source common.sh first.

# bench_setup DB [wrk]: JDK, wrk when asked, a fresh database DB, the jar; sets JAR, WORK, OP
# (operator token).
bench_setup() {
  BENCH_DB="$1"
  select_jdk
  if [ "${2:-}" = wrk ]; then
    command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  fi
  "$ROOT/bin/lib/provision-postgres.sh" --fresh="$BENCH_DB" >&2
  # -DskipTests still compiles the test classes, where the load generators live.
  # ENGINES_BENCH_SKIP_BUILD=1 reuses the jar and test classes of the last build.
  if [ "${ENGINES_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    "$ROOT/mvnw" -B -ntp -q -DskipTests -pl engines-api -am package >&2
  fi
  WORK="$(mktemp -d)"
  # A copy: a build in the worktree while the bench runs must not change what it measures.
  cp "$(ls "$ROOT"/engines-api/target/engines-api-*.jar | grep -v plain | head -n 1)" "$WORK/engines-api.jar"
  JAR="$WORK/engines-api.jar"
  PID=""
  # Every JVM a bench starts (bench_start, bench_track), stopped on the way out however it ends;
  # BENCH_ON_EXIT: the caller's own cleanup (a command name), run last.
  PIDS=""
  trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done; for p in $PIDS; do wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; ${BENCH_ON_EXIT:-:}' EXIT
  OP="eop_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}

# bench_start NAME PORT [app args…]: starts the service (local profile, log in $WORK/NAME.log) and
# waits until it is ready; sets PID and URL. Fails with the log's tail if it does not come up.
# ENGINES_BENCH_JVM_OPTS adds JVM options (a JFR recording, say); ENGINES_BENCH_START_SECONDS (90) bounds
# the wait on a busy machine.
bench_start() {
  local name="$1" port="$2"
  shift 2
  URL="http://127.0.0.1:$port"
  ENGINES_DB_NAME="$BENCH_DB" ENGINES_OPERATOR_TOKEN_SHA256="$(printf '%s' "$OP" | sha256sum | cut -d' ' -f1)" \
    ENGINES_DATA_DIR="$WORK/data-$name" ENGINES_PII_MASTER_KEY="bench-master-key-0123456789abcdef0123456789" \
    "$JAVA_HOME/bin/java" ${ENGINES_BENCH_JVM_OPTS:-} -jar "$JAR" --spring.profiles.active=local --server.port="$port" "$@" > "$WORK/$name.log" 2>&1 &
  PID=$!
  PIDS="$PIDS $PID"
  bench_wait "$name" "$URL/actuator/health/readiness"
}

# bench_wait NAME URL: waits until URL answers 2xx (ENGINES_BENCH_START_SECONDS, 90 s by default,
# at most); fails with NAME's log's tail.
bench_wait() {
  for _ in $(seq 1 "${ENGINES_BENCH_START_SECONDS:-90}"); do curl -fsS -o /dev/null "$2" 2>/dev/null && return 0; sleep 1; done
  tail -20 "$WORK/$1.log" >&2
  echo "bench: $1 did not become ready ($2)" >&2
  exit 1
}

# bench_stop: stops the service bench_start started.
bench_stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PIDS="${PIDS/ $PID/}"
  PID=""
}

# bench_tenant: creates a fresh tenant through the operator API; sets TENANT, KEY (its owner's key)
# and HEADERS (the scoping headers for env dev).
bench_tenant() {
  TENANT="t_bench_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  KEY="$(curl -fsS -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
    -d "{\"tenant_id\":\"$TENANT\",\"name\":\"bench\",\"owner\":{\"email\":\"bench@bench.example\",\"display_name\":\"Bench\"}}" \
    "$URL/v1/operator/tenants" | grep -o '"token":"eng_[a-z2-7_]*"' | cut -d'"' -f4)"
  [ -n "$KEY" ] || { echo "bench: tenant creation answered without a key" >&2; exit 1; }
  HEADERS=(-H "Authorization: Bearer $KEY" -H "X-Tenant-Id: $TENANT" -H "X-Env: dev")
}

# wrk_summary FILE: p50, p90, p99 and req/s of a `wrk --latency` output, on one line.
wrk_summary() {
  printf 'p50=%-9s p90=%-9s p99=%-9s rps=%s' \
    "$(awk '$1=="50%"{print $2}' "$1")" "$(awk '$1=="90%"{print $2}' "$1")" \
    "$(awk '$1=="99%"{print $2}' "$1")" "$(awk '/Requests\/sec/{print $2}' "$1")"
}

# owner_psql [psql args…]: psql on the bench database as the owner role (the one that migrates),
# over TCP like the service. RLS is forced on the tenant tables, owner included: a statement that
# reads them binds app.tenant_id and app.env first.
owner_psql() {
  PGPASSWORD="${ENGINES_DB_OWNER_PASSWORD:-engines_owner_local}" psql -X -q -v ON_ERROR_STOP=1 \
    -h "${ENGINES_DB_HOST:-127.0.0.1}" -p "${ENGINES_DB_PORT:-5432}" -U "${ENGINES_DB_OWNER:-engines_owner}" -d "$BENCH_DB" "$@"
}

# wrk_ms FILE PCT: the PCT% latency of a `wrk --latency` output in milliseconds (wrk prints us, ms
# or s).
wrk_ms() {
  awk -v p="$2%" '$1 == p {
    v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.2f", v
  }' "$1"
}

# wrk_rps FILE: requests per second of a wrk output, as a whole number.
wrk_rps() {
  awk '/Requests\/sec/ { printf "%.0f", $2 }' "$1"
}

# ticks PID…: user + system clock ticks the processes have used (getconf CLK_TCK per second).
ticks() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$total"
}

# pg_pids: the PostgreSQL server listening on ENGINES_DB_PORT and its children (backends, WAL
# writer, checkpointer), for CPU accounting; nothing (and a warning) when none is found.
pg_pids() {
  local postmaster
  postmaster="$(ss -Hltnp "sport = :${ENGINES_DB_PORT:-5432}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)"
  if [ -z "$postmaster" ]; then
    echo "bench: no process found listening on port ${ENGINES_DB_PORT:-5432}: PostgreSQL CPU not measured" >&2
    return 0
  fi
  echo "$postmaster" $(pgrep -P "$postmaster")
}
