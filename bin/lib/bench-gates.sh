#!/usr/bin/env bash
# Measures what the gates cost each tenant request: the one statement GateInterceptor runs per
# request, now gate_admit (V65: kill switch, budgets, request quotas, four token buckets, in one
# round trip), against kill_switch_lookup (V41, the kill switch check it replaced) and SELECT 1 (the
# round trip alone), interleaved at random in the same pgbench run (-M prepared, as engines_app, on
# loopback), at 1 and 4 clients of one tenant/env (so the 4 contend for the same bucket rows).
# p50/p90 per statement come from pgbench's per-transaction log. The service runs on its own fresh
# database only to migrate it and create the tenant.
# Knobs: ENGINES_BENCH_SECONDS (default 20 per run), ENGINES_BENCH_PORT (18500).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_gates
bench_start service "${ENGINES_BENCH_PORT:-18500}"
bench_tenant
# pgbench reads :name as a variable, even inside quotes: the statements below cast with CAST(… AS …)
# and spell the colons of names as chr(58).
# One request through the whole stack first, so the tenant's buckets and counters exist as they
# would on a live service.
curl -fsS -o /dev/null "${HEADERS[@]}" "$URL/v1/me"
bench_stop

SECONDS_PER_RUN="${ENGINES_BENCH_SECONDS:-20}"
cat > "$WORK/floor.sql" <<SQL
SELECT 1;
SQL
cat > "$WORK/kill_switch.sql" <<SQL
SELECT * FROM kill_switch_lookup('$TENANT', 'dev');
SQL
# The arguments GateChain.admit passes for a read by the tenant's owner key under the deployment
# defaults (GatesSettings.DEFAULTS): four rate limits with their values and ceilings, and the
# request and cost-unit counters of the day and the month (no quota, no budget: counted only).
cat > "$WORK/gate_admit.sql" <<SQL
SELECT * FROM gate_admit('$TENANT', 'dev', 'tenant' || chr(58) || 'me_get',
  ARRAY['', 'rate_limits.env', 'rate_limits.api_key', 'rate_limits.read'],
  ARRAY['tenant', 'env' || chr(58) || 'dev', 'key' || chr(58) || 'bench', 'env' || chr(58) || 'dev' || chr(58) || 'read'],
  CAST(ARRAY[60000, 30000, 12000, 30000] AS float8[]), CAST(ARRAY[600000, 300000, 120000, 300000] AS float8[]),
  ARRAY['quotas.requests_per_day', 'quotas.requests_per_month', 'budgets.cost_units_per_day', 'budgets.cost_units_per_month'],
  ARRAY['requests', 'requests', 'cost_units', 'cost_units'], ARRAY['day', 'month', 'day', 'month'],
  CAST(ARRAY[NULL, NULL, NULL, NULL] AS float8[]), CAST(ARRAY[NULL, NULL, NULL, NULL] AS float8[]));
SQL

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for clients in 1 4; do
  rm -f "$WORK"/pgbench_log.*
  (cd "$WORK" && PGPASSWORD="${ENGINES_DB_APP_PASSWORD:-engines_app_local}" pgbench -n -M prepared -c "$clients" -j "$clients" \
    -T "$SECONDS_PER_RUN" -l -h "${ENGINES_DB_HOST:-127.0.0.1}" -p "${ENGINES_DB_PORT:-5432}" -U engines_app \
    -f floor.sql -f kill_switch.sql -f gate_admit.sql "$BENCH_DB" > "$WORK/pgbench.out")
  # log columns: client, transaction, latency (µs), script number, epoch s, µs
  cat "$WORK"/pgbench_log.* | awk -v c="$clients" '
    { lat[$4] = lat[$4] " " $3 }
    END {
      split("SELECT_1 kill_switch_lookup gate_admit", name, " ")
      for (s = 0; s < 3; s++) {
        n = split(substr(lat[s], 2), v, " ")
        asort(v)
        p50[s] = v[int(n * 0.5) + 1] / 1000; p90[s] = v[int(n * 0.9) + 1] / 1000
        printf "clients=%d %-18s n=%-7d p50=%.3f ms p90=%.3f ms\n", c, name[s + 1], n, p50[s], p90[s]
      }
      printf "clients=%d gate_admit vs kill_switch_lookup: p50 ratio %.2f, added %.3f ms p50; vs SELECT 1: ratio %.2f\n",
        c, p50[2] / p50[1], p50[2] - p50[1], p50[2] / p50[0]
    }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
