#!/usr/bin/env bash
# Measures the platform's cost per request against a hand-written endpoint serving the same rows
# (issue 16), on its own fresh database and ports, over loopback. The baseline is
# benchmarks/overhead-baseline (plain Spring Boot: MVC on virtual threads, JdbcTemplate, Jackson;
# no authentication, no per-request RLS binding, no ledger, no access log), built here and started
# as the same application role on the same database, its pooled connections bound once to the
# bench tenant. Phases (ENGINES_BENCH_PHASES, default "read write latency scaling"):
#   read     GET /v1/atoms/{id} against the baseline's GET /atoms/{id} (one SELECT … WHERE
#            tenant_id=? AND env=? AND atom_id=?), round robin over 500 atom ids ingested first,
#            and against the baseline's GET /atoms-with-event/{id} ("+event": the same SELECT and
#            one row in bench_dataset_events, a scratch copy of dataset_events with its indexes and
#            foreign key, in one transaction without the WAL flush): what the ledger row alone costs;
#   write    POST /v1/usage (one item: an atom id) against the baseline's POST /usage, which
#            inserts the same row into bench_usage_log, a scratch copy of usage_log (same columns,
#            checks, key, index and foreign key; no RLS);
#            both with the same wrk script, closed loop at 1 and 16 connections: a warm-up of
#            each side, then ENGINES_BENCH_ROUNDS rounds alternating platform and baseline; the
#            best round of each side counts. Prints both sides' req/s, p50, p99 and the ratios.
#   latency  open loop (dev.engines.api.bench.OpenLoad, latency from each request's intended send
#            time): GET atom p50/p90/p99 at 25, 50 and 75 % of the platform's best 16-connection
#            read throughput, against the single-client p50 (target: p50 at 50 % <= 3x);
#   scaling  a second platform instance on the same database: 16 connections against one
#            instance, then 8 against each of the two at once.
# ENGINES_BENCH_JFR=1 records a JFR of the platform during its first 16-connection read round,
# prints its hot methods and keeps the recording under .engines/bench/; and, during its first
# single-connection read round, every socket read of the JDBC driver (bin/lib/bench-wait.jfc):
# how long a lone request waits on PostgreSQL, per calling method. ENGINES_BENCH_DEFAULT_LIMITS=1
# runs the service under the deployment's default rate limits instead of raised ones.
# Knobs: ENGINES_BENCH_WARMUP (30 s per side and path), ENGINES_BENCH_ROUND_SECONDS (20),
# ENGINES_BENCH_ROUNDS (2), ENGINES_BENCH_PORT (18520; the baseline takes +1, the second instance
# +2), ENGINES_DB_PORT (the PostgreSQL used, 5432). A quick run:
#   ENGINES_BENCH_WARMUP=5 ENGINES_BENCH_ROUND_SECONDS=5 ENGINES_BENCH_ROUNDS=1 bin/engines bench overhead
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_overhead wrk
WARMUP="${ENGINES_BENCH_WARMUP:-30}"
ROUND="${ENGINES_BENCH_ROUND_SECONDS:-20}"
ROUNDS="${ENGINES_BENCH_ROUNDS:-2}"
PHASES=" ${ENGINES_BENCH_PHASES:-read write latency scaling} "
PORT="${ENGINES_BENCH_PORT:-18520}"
DB_URL="jdbc:postgresql://${ENGINES_DB_HOST:-127.0.0.1}:${ENGINES_DB_PORT:-5432}/$BENCH_DB"

"$ROOT/mvnw" -B -ntp -q -f "$ROOT/benchmarks/overhead-baseline/pom.xml" package >&2
cp "$(ls "$ROOT"/benchmarks/overhead-baseline/target/overhead-baseline-*.jar | grep -v original | head -n 1)" "$WORK/baseline.jar"
cp -r "$ROOT/engines-api/target/test-classes" "$WORK/test-classes"

# The rate limits are raised far above what wrk sends (a refusal would end the round early); the
# buckets are still taken on every request.
# ENGINES_BENCH_DEFAULT_LIMITS=1 keeps the deployment's defaults instead, to price the reservations.
LIMITS=()
if [ "${ENGINES_BENCH_DEFAULT_LIMITS:-0}" != 1 ]; then
  for limit in tenant env api-key read write heavy; do
    LIMITS+=("--engines.gates.rate-limits.$limit.value=1000000000" "--engines.gates.rate-limits.$limit.ceiling=1000000000")
  done
fi
# A request's stack is about 150 frames deep; JFR keeps 64 by default, the innermost, so the filters
# and the dispatcher would be missing from most samples and their inclusive shares too low.
if [ "${ENGINES_BENCH_JFR:-0}" = 1 ]; then
  ENGINES_BENCH_JVM_OPTS="${ENGINES_BENCH_JVM_OPTS:-} -XX:FlightRecorderOptions:stackdepth=256"
fi
bench_start service "$PORT" "${LIMITS[@]}"
PLATFORM_PID="$PID" PLATFORM_URL="$URL"
bench_tenant
set_dev_slots "$URL" "$TENANT" "$KEY"
ENGINES_URL="$URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" NEXUS_GETS=0 NEXUS_WARMUP_MB=0 \
  NEXUS_INGEST_MB=4 NEXUS_ASSET_MB=1 "$JAVA_HOME/bin/java" -cp "$WORK/test-classes" dev.engines.api.bench.NexusLoad >&2
curl -fsS "${HEADERS[@]}" "$URL/v1/atoms?limit=500" | grep -o '"atom_id":"at_[0-9a-f]*"' | cut -d'"' -f4 > "$WORK/atoms.txt"

# What autovacuum would have done by now in a deployment: these machines' PostgreSQL runs without
# it, and a table loaded but never analysed leaves the planner guessing (the atom lookup walked an
# index on the wrong columns: ~0.25 ms of PostgreSQL per read more).
owner_psql <<'SQL'
ANALYZE;
CREATE TABLE bench_usage_log (LIKE usage_log INCLUDING ALL);
ALTER TABLE bench_usage_log ADD FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id);
GRANT SELECT, INSERT ON bench_usage_log TO engines_app;
CREATE TABLE bench_dataset_events (LIKE dataset_events INCLUDING ALL);
ALTER TABLE bench_dataset_events ADD FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id);
GRANT SELECT, INSERT ON bench_dataset_events TO engines_app;
SELECT format('GRANT USAGE ON SEQUENCE %s TO engines_app', pg_get_serial_sequence('bench_dataset_events', 'seq')) \gexec
SQL

BASELINE_URL="http://127.0.0.1:$((PORT + 1))"
"$JAVA_HOME/bin/java" -jar "$WORK/baseline.jar" --server.port="$((PORT + 1))" --spring.datasource.url="$DB_URL" \
  --spring.datasource.username="${ENGINES_DB_APP:-engines_app}" --spring.datasource.password="${ENGINES_DB_APP_PASSWORD:-engines_app_local}" \
  "--spring.datasource.hikari.connection-init-sql=SELECT set_config('app.tenant_id', '$TENANT', false), set_config('app.env', 'dev', false)" \
  > "$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
PIDS="$PIDS $BASELINE_PID"
bench_wait baseline "$BASELINE_URL/health"
first="$(head -n 1 "$WORK/atoms.txt")"
[ "$(curl -fsS "${HEADERS[@]}" "$PLATFORM_URL/v1/atoms/$first" | grep -o '"text_sha256":"[0-9a-f]*"')" = \
  "$(curl -fsS "${HEADERS[@]}" "$BASELINE_URL/atoms/$first" | grep -o '"text_sha256":"[0-9a-f]*"')" ] \
  || { echo "bench: the baseline does not serve the platform's atom $first" >&2; exit 1; }

{
  printf 'local ids = {'
  sed 's/.*/"&",/' "$WORK/atoms.txt" | tr -d '\n'
  printf '}\n'
  cat <<'LUA'
-- MODE read: GET PREFIX..id; MODE write: POST PREFIX with one usage item naming the atom.
local mode = os.getenv("MODE") or "read"
local prefix = os.getenv("PREFIX") or "/v1/atoms/"
local headers = {}
for k, v in pairs(wrk.headers) do headers[k] = v end
headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  if mode == "read" then
    return wrk.format("GET", prefix .. id)
  end
  return wrk.format("POST", prefix, headers, '{"items":[{"ref_type":"atom","ref_id":"' .. id .. '"}]}')
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("errors=%d non2xx=%d\n", e.status + e.connect + e.read + e.write + e.timeout, e.status))
end
LUA
} > "$WORK/overhead.lua"

# CPU time per request, measured besides the wall clock: on two shared cores the throughput of a
# side depends on what else runs, its CPU per request much less. The service's is its JVM's
# (/proc/PID/stat utime + stime), PostgreSQL's the sum over the cluster's processes (the server
# listening on the bench's port and its children: the backends of both sides' pools, the WAL
# writer, the checkpointer). Rounds run one side at a time, so PostgreSQL's time in a round is that
# side's.
pg_ticks() {
  # shellcheck disable=SC2046
  ticks $(pg_pids)
}
HZ="$(getconf CLK_TCK)"

# drive SIDE MODE CONNECTIONS SECONDS OUT: one wrk run against the platform or the baseline; the
# side's CPU per request (service and PostgreSQL, ms) goes on OUT's last line: "cpu=SERVICE PG".
drive() {
  local side="$1" mode="$2" connections="$3" seconds="$4" out="$5" url prefix pid
  case "$side" in
    platform) url="$PLATFORM_URL"; prefix="/v1/atoms/"; [ "$mode" = write ] && prefix="/v1/usage"; pid="$PLATFORM_PID" ;;
    baseline) url="$BASELINE_URL"; prefix="/atoms/"; [ "$mode" = write ] && prefix="/usage"; pid="$BASELINE_PID" ;;
    +event) url="$BASELINE_URL"; prefix="/atoms-with-event/"; pid="$BASELINE_PID" ;;
  esac
  local s0 p0 s1 p1
  s0="$(ticks "$pid")" p0="$(pg_ticks)"
  MODE="$mode" PREFIX="$prefix" wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency \
    -s "$WORK/overhead.lua" "${HEADERS[@]}" "$url" > "$out"
  s1="$(ticks "$pid")" p1="$(pg_ticks)"
  awk -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v hz="$HZ" '/ requests in / { n = $1 } END {
    if (n > 0) printf "cpu=%.3f %.3f\n", s * 1000 / hz / n, p * 1000 / hz / n }' "$out" >> "$out"
  if ! grep -q '^errors=0 ' "$out"; then
    echo "bench: $side $mode c=$connections answered with errors ($(grep '^errors=' "$out"))" >&2
  fi
}

# wrk_cpu FILE: "SERVICE PG", the CPU ms per request drive() appended.
wrk_cpu() {
  awk '/^cpu=/ { sub(/^cpu=/, ""); print }' "$1"
}

declare -A RPS P50 P99 CPU
JFR_FILE="" WAIT_FILE="" WAIT_REQUESTS=""
measure() {
  local mode="$1" connections round side key out all="platform baseline"
  # The read has a third side: the baseline's read plus the platform's ledger row (+event).
  [ "$mode" = read ] && all="platform baseline +event"
  for side in $all; do drive "$side" "$mode" 16 "$WARMUP" "$WORK/warmup.txt"; done
  for connections in 1 16; do
    for round in $(seq 1 "$ROUNDS"); do
      # Which side goes first alternates too: a machine whose load drifts favours neither.
      sides="$all"; [ $((round % 2)) = 0 ] && sides="$(echo "$all" | tr ' ' '\n' | tac | tr '\n' ' ')"
      for side in $sides; do
        key="$mode:$connections:$side" out="$WORK/$mode-$connections-$side-$round.txt"
        if [ "${ENGINES_BENCH_JFR:-0}" = 1 ] && [ "$key" = read:1:platform ] && [ "$round" = 1 ]; then
          mkdir -p "$ROOT/.engines/bench"
          WAIT_FILE="$ROOT/.engines/bench/overhead-read-c1-wait-$(date -u +%Y%m%dT%H%M%SZ).jfr"
          jcmd "$PLATFORM_PID" JFR.start name=wait settings="$ROOT/bin/lib/bench-wait.jfc" filename="$WAIT_FILE" > /dev/null
          drive "$side" "$mode" "$connections" "$ROUND" "$out"
          jcmd "$PLATFORM_PID" JFR.stop name=wait > /dev/null
          WAIT_REQUESTS="$(awk '/ requests in / { print $1 }' "$out")"
        elif [ "${ENGINES_BENCH_JFR:-0}" = 1 ] && [ "$key" = read:16:platform ] && [ "$round" = 1 ]; then
          mkdir -p "$ROOT/.engines/bench"
          JFR_FILE="$ROOT/.engines/bench/overhead-read-c16-$(date -u +%Y%m%dT%H%M%SZ).jfr"
          jcmd "$PLATFORM_PID" JFR.start name=overhead settings=profile filename="$JFR_FILE" > /dev/null
          drive "$side" "$mode" "$connections" "$ROUND" "$out"
          jcmd "$PLATFORM_PID" JFR.stop name=overhead > /dev/null
        else
          drive "$side" "$mode" "$connections" "$ROUND" "$out"
        fi
        read -r cpu_service cpu_pg <<< "$(wrk_cpu "$out")"
        printf '%-5s c=%-2s round %s %-8s rps=%-6s p50=%sms p99=%sms cpu/request: service %s ms, postgresql %s ms %s\n' \
          "$mode" "$connections" "$round" "$side" "$(wrk_rps "$out")" "$(wrk_ms "$out" 50)" "$(wrk_ms "$out" 99)" \
          "$cpu_service" "$cpu_pg" "$(grep '^errors=' "$out")"
        if [ -z "${RPS[$key]:-}" ] || [ "$(wrk_rps "$out")" -gt "${RPS[$key]}" ]; then
          RPS[$key]="$(wrk_rps "$out")" P50[$key]="$(wrk_ms "$out" 50)" P99[$key]="$(wrk_ms "$out" 99)" CPU[$key]="$cpu_service $cpu_pg"
        fi
      done
    done
  done
}

# summary MODE: the best round of each side, one line per connection count, then one line in all.
# Both ratios read "higher is better, 1 = no overhead": throughput platform/baseline, and p50
# baseline/platform (issue 16's targets: >= 0.5 for the read's throughput at 16 connections and
# for its p50 at 1).
summary() {
  local mode="$1" c
  for c in 1 16; do
    awk -v m="$mode" -v c="$c" -v pr="${RPS[$mode:$c:platform]}" -v br="${RPS[$mode:$c:baseline]}" \
      -v p50="${P50[$mode:$c:platform]}" -v b50="${P50[$mode:$c:baseline]}" \
      -v p99="${P99[$mode:$c:platform]}" -v b99="${P99[$mode:$c:baseline]}" 'BEGIN {
      printf "%-5s c=%-2s platform %6d req/s p50 %6.2f ms p99 %7.2f ms | baseline %6d req/s p50 %6.2f ms p99 %7.2f ms | ratios: throughput %.2f, p50 %.2f\n",
        m, c, pr, p50, p99, br, b50, b99, pr / br, b50 / p50 }'
  done
  awk -v m="$mode" \
    -v pr1="${RPS[$mode:1:platform]}" -v br1="${RPS[$mode:1:baseline]}" -v pr16="${RPS[$mode:16:platform]}" -v br16="${RPS[$mode:16:baseline]}" \
    -v p1="${P50[$mode:1:platform]}" -v b1="${P50[$mode:1:baseline]}" -v p16="${P50[$mode:16:platform]}" -v b16="${P50[$mode:16:baseline]}" \
    -v q1="${P99[$mode:1:platform]}" -v c1="${P99[$mode:1:baseline]}" -v q16="${P99[$mode:16:platform]}" -v c16="${P99[$mode:16:baseline]}" 'BEGIN {
    printf "SUMMARY %s: throughput platform/baseline %.2f (c=1) %.2f (c=16); p50 baseline/platform %.2f (c=1) %.2f (c=16); p50 ms platform %s/%s baseline %s/%s; p99 ms platform %s/%s baseline %s/%s (c=1/c=16)\n",
      m, pr1 / br1, pr16 / br16, b1 / p1, b16 / p16, p1, p16, b1, b16, q1, q16, c1, c16 }'
  if [ -n "${RPS[$mode:16:+event]:-}" ]; then
    awk -v m="$mode" -v p1="${RPS[$mode:1:platform]}" -v e1="${RPS[$mode:1:+event]}" -v p16="${RPS[$mode:16:platform]}" \
      -v e16="${RPS[$mode:16:+event]}" -v q1="${P50[$mode:1:platform]}" -v f1="${P50[$mode:1:+event]}" \
      -v c="${CPU[$mode:16:+event]}" 'BEGIN { split(c, cs, " ")
      printf "SUMMARY %s against the baseline with the ledger row (+event): %d/%d req/s (c=1/c=16), p50 %s ms at c=1; throughput platform/+event %.2f (c=1) %.2f (c=16), p50 +event/platform %.2f (c=1); +event cpu/request (c=16) service %.3f + postgresql %.3f ms\n",
        m, e1, e16, f1, p1 / e1, p16 / e16, f1 / q1, cs[1], cs[2] }'
  fi
  # CPU per request at 16 connections, each side's best round: what the ratio is made of.
  awk -v m="$mode" -v p="${CPU[$mode:16:platform]}" -v b="${CPU[$mode:16:baseline]}" 'BEGIN {
    split(p, ps, " "); split(b, bs, " ")
    printf "SUMMARY %s cpu/request (c=16): platform service %.3f + postgresql %.3f = %.3f ms; baseline service %.3f + postgresql %.3f = %.3f ms; baseline/platform %.2f\n",
      m, ps[1], ps[2], ps[1] + ps[2], bs[1], bs[2], bs[1] + bs[2], (bs[1] + bs[2]) / (ps[1] + ps[2]) }'
}

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds: warm-up ${WARMUP}s per side, best of $ROUNDS x ${ROUND}s per side, alternating; $(wc -l < "$WORK/atoms.txt") atom ids"
SUMMARIES=()
for mode in read write; do
  case "$PHASES" in *" $mode "*) measure "$mode"; SUMMARIES+=("$mode") ;; esac
done
for mode in "${SUMMARIES[@]}"; do summary "$mode"; done

if [ -n "$JFR_FILE" ]; then
  echo "jfr: platform during read c=16 round 1: $JFR_FILE"
  # CPU: how much of the machine the service had; a service that waits (on the database, on a
  # lock) shows it here before it shows in the methods.
  jfr print --events jdk.CPULoad "$JFR_FILE" | awk -F'= ' '
    /jvmUser/ { u += $2 } /jvmSystem/ { s += $2 } /machineTotal/ { m += $2; n++ }
    END { if (n) printf "jfr cpu: service %.0f%% user + %.0f%% system, machine %.0f%% (mean of %d samples)\n", u / n, s / n, m / n, n }'
  # head ends its pipe early: under pipefail the writer's SIGPIPE must not end the script.
  jfr view --width 160 hot-methods "$JFR_FILE" | head -n 30 || true
  # Inclusive: the share of samples whose stack holds the method anywhere (once per sample), for
  # the service's own code, the driver, the pool, Jackson, logging and metrics: a flame graph's
  # widest boxes, as text. The filter chain's wrappers are left out: they hold every sample.
  echo "jfr inclusive (share of samples with the method on the stack):"
  jfr print --events jdk.ExecutionSample --stack-depth 256 "$JFR_FILE" | awk '
    /^jdk.ExecutionSample/ { n++; delete seen; next }
    /line:/ {
      f = $1; sub(/\(.*/, "", f)
      if (f ~ /^(dev\.engines|org\.postgresql|com\.zaxxer|tools\.jackson|ch\.qos|io\.micrometer)/ && !(f in seen)) {
        seen[f] = 1; count[f]++
      }
    }
    END { for (f in count) printf "%6.1f%%  %s\n", 100 * count[f] / n, f }' | sort -rn | head -n 40 || true
fi

if [ -n "$WAIT_FILE" ]; then
  # Where a lone request waits on PostgreSQL: the socket reads of the JDBC driver during the
  # single-connection read round, summed per calling method of the service (the innermost
  # dev.engines frame) and divided by the round's requests.
  echo "jfr wait: database reads per request, platform read c=1 round 1 ($WAIT_REQUESTS requests): $WAIT_FILE"
  jfr print --events jdk.SocketRead --stack-depth 64 "$WAIT_FILE" | awk -v n="$WAIT_REQUESTS" '
    function flush() { if (started) { key = (caller == "" ? "(no dev.engines frame)" : caller); total[key] += us; count[key]++ } }
    /^jdk.SocketRead/ { flush(); started = 1; us = 0; caller = ""; next }
    /^[ \t]*duration = / {
      v = $3; u = $4
      if (u == "ms") v *= 1000; else if (u == "s") v *= 1000000; else if (u == "ns") v /= 1000
      us = v
    }
    /line:/ && /dev\.engines/ && caller == "" { caller = $1; sub(/\(.*/, "", caller) }
    END { flush(); for (k in total) printf "%8.1f us per request  %6.2f reads per request  %s\n", total[k] / n, count[k] / n, k }' | sort -rn | head -n 12 || true
fi

case "$PHASES" in *" latency "*)
  max="${RPS[read:16:platform]:-}"
  if [ -z "$max" ]; then
    drive platform read 16 "$WARMUP" "$WORK/warmup.txt"
    drive platform read 16 "$ROUND" "$WORK/max.txt"
    max="$(wrk_rps "$WORK/max.txt")"
    drive platform read 1 "$ROUND" "$WORK/single.txt"
    P50[read:1:platform]="$(wrk_ms "$WORK/single.txt" 50)"
  fi
  rates="$((max / 4)),$((max / 2)),$((max * 3 / 4))"
  echo "latency: open loop (Poisson arrivals, latency from the intended send time), ${ROUND}s per rate; max = $max req/s (read c=16)"
  ENGINES_URL="$PLATFORM_URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" OPEN_IDS_FILE="$WORK/atoms.txt" \
    OPEN_RATES="$rates" OPEN_LABELS="25%,50%,75%" OPEN_SECONDS="$ROUND" OPEN_WARMUP_SECONDS="$(( WARMUP < 10 ? WARMUP : 10 ))" \
    "$JAVA_HOME/bin/java" -cp "$WORK/test-classes" dev.engines.api.bench.OpenLoad | tee "$WORK/open.txt"
  awk -v single="${P50[read:1:platform]}" '$3 == "50%" {
    v = $0; sub(/.*p50=/, "", v); sub(/ms.*/, "", v)
    printf "SUMMARY latency: p50 at 50%% of max %.2f ms = %.1fx the single-client p50 %.2f ms (target <= 3x)\n", v, v / single, single }' "$WORK/open.txt"
  ;;
esac

case "$PHASES" in *" scaling "*)
  bench_start service2 "$((PORT + 2))" "${LIMITS[@]}"
  SECOND_URL="$URL"
  # Waits name their job: a bare wait would wait for the JVMs started in the background too.
  drive platform read 16 "$WARMUP" "$WORK/warmup.txt" &
  other=$!
  PLATFORM_URL="$SECOND_URL" drive platform read 16 "$WARMUP" "$WORK/warmup2.txt"
  wait "$other"
  best1=0 best2=0
  for round in $(seq 1 "$ROUNDS"); do
    drive platform read 16 "$ROUND" "$WORK/one.txt"
    drive platform read 8 "$ROUND" "$WORK/two-a.txt" &
    other=$!
    PLATFORM_URL="$SECOND_URL" drive platform read 8 "$ROUND" "$WORK/two-b.txt"
    wait "$other"
    one="$(wrk_rps "$WORK/one.txt")" two=$(( $(wrk_rps "$WORK/two-a.txt") + $(wrk_rps "$WORK/two-b.txt") ))
    printf 'scaling round %s: 1 instance c=16 %s req/s p50 %sms | 2 instances c=8+8 %s req/s (%s + %s) p50 %sms / %sms\n' \
      "$round" "$one" "$(wrk_ms "$WORK/one.txt" 50)" "$two" "$(wrk_rps "$WORK/two-a.txt")" "$(wrk_rps "$WORK/two-b.txt")" \
      "$(wrk_ms "$WORK/two-a.txt" 50)" "$(wrk_ms "$WORK/two-b.txt" 50)"
    [ "$one" -gt "$best1" ] && best1="$one"
    [ "$two" -gt "$best2" ] && best2="$two"
  done
  awk -v a="$best1" -v b="$best2" -v n="$(nproc)" 'BEGIN {
    printf "SUMMARY scaling: GET atom 1 instance %d req/s, 2 instances %d req/s (x%.2f) on %d cores shared with PostgreSQL and wrk\n", a, b, b / a, n }'
  ;;
esac
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
