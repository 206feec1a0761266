#!/usr/bin/env bash
# Measures what the gates cost each tenant request, as statements interleaved at random in the same
# pgbench run (-M prepared, as engines_app, on loopback), at 1 and 4 clients of one tenant/env:
#   SELECT 1             the round trip alone;
#   kill_switch_lookup   V41, what each request ran before the limits existed (the baseline);
#   gate_admit           V65, what each request ran with the first version of the limits (kill
#                        switch, counters, four token buckets in one statement);
#   gate_lookup          V70, what each request runs now (kill switch and the gates slot's values;
#                        the tokens come from the replica's reservation, the counts are kept in
#                        memory where no request quota or budget applies);
#   gate_tokens          V70, a replica taking a batch of the four buckets: one request in
#                        "batch" runs it (the smallest batch under the defaults: 120, 1 % of the
#                        api key's 12,000 per minute).
# p50/p90/mean per statement come from pgbench's per-transaction log; "added" is the p50 of the
# per-request statement minus the kill switch lookup's, plus for gate_lookup gate_tokens' mean over
# its batch. The service runs on its own fresh database only to migrate it and create the tenant.
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
# GateChain.admit under the same defaults: the slot's values at the rate-limit and count paths.
cat > "$WORK/gate_lookup.sql" <<SQL
SELECT * FROM gate_lookup('$TENANT', 'dev', 'tenant' || chr(58) || 'me_get',
  ARRAY['', 'rate_limits.env', 'rate_limits.api_key', 'rate_limits.read', 'quotas.requests_per_day',
        'quotas.requests_per_month', 'budgets.cost_units_per_day', 'budgets.cost_units_per_month']);
SQL
# TokenReservations.take when the four holdings are empty: a batch of each (1 % of its limit).
cat > "$WORK/gate_tokens.sql" <<SQL
SELECT * FROM gate_tokens('$TENANT',
  ARRAY['env' || chr(58) || 'dev', 'env' || chr(58) || 'dev' || chr(58) || 'read', 'key' || chr(58) || 'bench', 'tenant'],
  CAST(ARRAY[30000, 30000, 12000, 60000] AS float8[]), CAST(ARRAY[300, 300, 120, 600] AS float8[]));
SQL
BATCH=120

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for clients in 1 4; do
  rm -f "$WORK"/pgbench_log.*
  (cd "$WORK" && PGPASSWORD="${ENGINES_DB_APP_PASSWORD:-engines_app_local}" pgbench -n -M prepared -c "$clients" -j "$clients" \
    -T "$SECONDS_PER_RUN" -l -h "${ENGINES_DB_HOST:-127.0.0.1}" -p "${ENGINES_DB_PORT:-5432}" -U engines_app \
    -f floor.sql -f kill_switch.sql -f gate_admit.sql -f gate_lookup.sql -f gate_tokens.sql "$BENCH_DB" > "$WORK/pgbench.out")
  # log columns: client, transaction, latency (µs), script number, epoch s, µs
  cat "$WORK"/pgbench_log.* | awk -v c="$clients" -v batch="$BATCH" '
    { lat[$4] = lat[$4] " " $3; sum[$4] += $3; cnt[$4]++ }
    END {
      split("SELECT_1 kill_switch_lookup gate_admit gate_lookup gate_tokens", name, " ")
      for (s = 0; s < 5; s++) {
        n = split(substr(lat[s], 2), v, " ")
        asort(v)
        p50[s] = v[int(n * 0.5) + 1] / 1000; p90[s] = v[int(n * 0.9) + 1] / 1000; mean[s] = sum[s] / cnt[s] / 1000
        printf "clients=%d %-18s n=%-7d p50=%.3f ms p90=%.3f ms mean=%.3f ms\n", c, name[s + 1], n, p50[s], p90[s], mean[s]
      }
      printf "clients=%d before (gate_admit per request): added %.3f ms p50 over the kill switch lookup\n", c, p50[2] - p50[1]
      printf "clients=%d now (gate_lookup per request, gate_tokens per %d): added %.3f ms p50 + %.3f ms mean = %.3f ms\n",
        c, batch, p50[3] - p50[1], mean[4] / batch, p50[3] - p50[1] + mean[4] / batch
    }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
