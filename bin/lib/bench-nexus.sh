#!/usr/bin/env bash
# Measures Nexus against the running service, started here on its own port and fresh database:
#   ingest  MB/s of text uploaded and derived into atoms (PII pass, atom inserts and DatasetEvents
#           included) at 2 and 4 concurrent clients, by the load generator
#           dev.engines.api.bench.NexusLoad, after a warm-up ingest that is not counted;
#   get     GET /v1/atoms/{id} latency with wrk over loopback, round robin over 500 atom ids,
#           after a 45 s warm-up (the JIT compiler is still busy before that): closed loop at 1, 16
#           and 64 connections (each sends its next request when the previous answer arrives), then
#           64 connections that each think 100, 50 and 20 ms on average between requests
#           (exponentially distributed, wrk's delay()).
#   copy    (last) the floor ingest is measured against: PostgreSQL COPY, as the owner over loopback, of
#           every atom the ingest runs wrote (already redacted), into bench_atoms_copy, a scratch
#           table shaped like atoms (its columns, checks, primary key, index and foreign key to
#           derivations; no RLS), best of two; ingest MB/s is printed as a fraction of COPY's,
#           both counted in MB of uploaded text (the text those atoms were derived from).
# Knobs: NEXUS_INGEST_MB (default 64 per run), NEXUS_WARMUP_MB (32), NEXUS_ASSET_MB (4),
# NEXUS_CLIENTS (the ingest runs' client counts, "2 4"), NEXUS_PHASES ("ingest get copy"; copy needs
# ingest), ENGINES_BENCH_SECONDS (30 per GET run), ENGINES_BENCH_PORT (18480),
# ENGINES_BENCH_APP_ARGS (settings for the service, e.g. --engines.pii.analysis-threads=1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_nexus wrk
DURATION="${ENGINES_BENCH_SECONDS:-30}"
PHASES=" ${NEXUS_PHASES:-ingest get copy} "
# shellcheck disable=SC2086
bench_start service "${ENGINES_BENCH_PORT:-18480}" ${ENGINES_BENCH_APP_ARGS:-}
bench_tenant
set_dev_slots "$URL" "$TENANT" "$KEY"

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Ingest at 2 and at 4 clients (NEXUS_CLIENTS); the first run warms the service up
# (NEXUS_WARMUP_MB, not counted). Each run's CPU per MB of text, the service's and PostgreSQL's,
# says where the time went: on two shared cores, more threads only help while a core is idle.
warmup="${NEXUS_WARMUP_MB:-32}"
case "$PHASES" in *" ingest "*)
  for clients in ${NEXUS_CLIENTS:-2 4}; do
    if [ "$warmup" != 0 ]; then
      ENGINES_URL="$URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" NEXUS_GETS=0 NEXUS_INGEST_CLIENTS="$clients" \
        NEXUS_WARMUP_MB=0 NEXUS_INGEST_MB="$warmup" "$JAVA_HOME/bin/java" -cp "$ROOT/engines-api/target/test-classes" \
        dev.engines.api.bench.NexusLoad > "$WORK/warmup.txt"
      awk '/ MB in / { print }' "$WORK/warmup.txt" | sed 's/^ingest:/warmup:/' >> "$WORK/ingest-all.txt"
      warmup=0
    fi
    # shellcheck disable=SC2046
    service0="$(ticks "$PID")" pg0="$(ticks $(pg_pids))"
    ENGINES_URL="$URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" NEXUS_GETS=0 NEXUS_INGEST_CLIENTS="$clients" \
      NEXUS_WARMUP_MB=0 "$JAVA_HOME/bin/java" -cp "$ROOT/engines-api/target/test-classes" dev.engines.api.bench.NexusLoad \
      | tee -a "$WORK/ingest.txt"
    # shellcheck disable=SC2046
    service1="$(ticks "$PID")" pg1="$(ticks $(pg_pids))"
    awk -v s="$((service1 - service0))" -v p="$((pg1 - pg0))" -v hz="$(getconf CLK_TCK)" -v c="$clients" \
      '/ MB in / { mb = $2 } END { if (mb > 0) printf "ingest cpu (%d clients): service %.1f ms + postgresql %.1f ms per MB of text\n", c, s * 1000 / hz / mb, p * 1000 / hz / mb }' \
      "$WORK/ingest.txt"
  done
  ;;
esac

case "$PHASES" in *" get "*)
curl -fsS "${HEADERS[@]}" "$URL/v1/atoms?limit=500" | grep -o '"atom_id":"at_[0-9a-f]*"' | cut -d'"' -f4 > "$WORK/atoms.txt"
{
  printf 'local ids = {'
  sed 's/.*/"&",/' "$WORK/atoms.txt" | tr -d '\n'
  printf '}\n'
  # Think time is exponential with mean THINK_MS, per connection, so that 64 clients behave as
  # independent callers; a fixed pause would keep them in step and send them in bursts of 64.
  cat <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/atoms/" .. ids[(n % #ids) + 1])
end
local think = tonumber(os.getenv("THINK_MS") or "0")
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(seed or 1)
end
delay = function()
  if think == 0 then
    return 0
  end
  return -math.log(1 - math.random()) * think
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("errors=%d non2xx=%d\n", e.status + e.connect + e.read + e.write + e.timeout, e.status))
end
LUA
} > "$WORK/atoms.lua"
echo "get atom: $(wc -l < "$WORK/atoms.txt") atom ids, ${DURATION}s per run after a 45 s warm-up"
wrk -t2 -c64 -d45s -s "$WORK/atoms.lua" "${HEADERS[@]}" "$URL" > /dev/null
for run in 1:0 16:0 64:0 64:100 64:50 64:20; do
  connections="${run%%:*}" think="${run#*:}"
  threads=$(( connections < 2 ? 1 : 2 ))
  THINK_MS="$think" wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s "$WORK/atoms.lua" "${HEADERS[@]}" "$URL" > "$WORK/wrk.txt"
  printf 'get atom c=%-3s think=%-4s %s %s\n' "$connections" "${think}ms" "$(wrk_summary "$WORK/wrk.txt")" \
    "$(grep '^errors=' "$WORK/wrk.txt")"
done
;;
esac
# COPY of the same atom rows: the database's own ingest speed, which an ingest API can approach but
# not pass. It runs last: a few hundred MB of COPY and their WAL must not leave a checkpoint for the
# GET runs to wait on. The rows are exported once (a read, bound to the tenant: RLS is forced on
# atoms) and loaded twice into an empty scratch table with the atoms table's indexes and foreign key.
case "$PHASES" in *" copy "*)
owner_psql <<SQL > /dev/null
CREATE TABLE bench_atoms_copy (LIKE atoms INCLUDING ALL);
ALTER TABLE bench_atoms_copy ADD FOREIGN KEY (tenant_id, env, asset_id, op_type, op_version, params_hash)
  REFERENCES derivations (tenant_id, env, asset_id, op_type, op_version, params_hash);
SELECT set_config('app.tenant_id', '$TENANT', false), set_config('app.env', 'dev', false);
\copy (SELECT * FROM atoms) TO '$WORK/atoms.copy'
SQL
copy_best=""
for _ in 1 2; do
  owner_psql -c 'TRUNCATE bench_atoms_copy'
  start="$(date +%s.%N)"
  owner_psql -c "\\copy bench_atoms_copy FROM '$WORK/atoms.copy'"
  took="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')"
  if [ -z "$copy_best" ] || awk -v a="$took" -v b="$copy_best" 'BEGIN { exit !(a < b) }'; then copy_best="$took"; fi
done
rows="$(owner_psql -At -c 'SELECT count(*) FROM bench_atoms_copy')"
# The uploaded text of every ingest round, warm-up included: the text the copied atoms came from.
text_mb="$(cat "$WORK/ingest-all.txt" "$WORK/ingest.txt" 2>/dev/null | awk '/ MB in / { sum += $2 } END { printf "%.1f", sum }')"
copy_mbs="$(awk -v mb="$text_mb" -v s="$copy_best" 'BEGIN { printf "%.1f", mb / s }')"
awk -v r="$rows" -v b="$(stat -c %s "$WORK/atoms.copy")" -v mb="$text_mb" -v s="$copy_best" -v rate="$copy_mbs" 'BEGIN {
  printf "copy: %d atoms (%.1f MB as COPY text, from %s MB of uploaded text) in %s s = %s MB/s of text (%.0f atoms/s), best of 2\n",
    r, b / 1048576, mb, s, rate, r / s }'
awk -v copy="$copy_mbs" '/^ingest: .* MB\/s/ { for (i = 1; i <= NF; i++) if ($i == "MB/s,") mbs = $(i - 1)
  printf "SUMMARY ingest: %s MB/s = %.2f of COPY (%s MB/s)\n", mbs, mbs / copy, copy }' "$WORK/ingest.txt"
;;
esac

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
