#!/usr/bin/env bash
# Measures a 90-day Temperature snapshot over TEMP_OBSERVATIONS (1,000,000) observations of one
# surface: starts the service on a fresh database, ingests them through POST /v1/metrics/observations
# (dev.engines.api.bench.TemperatureLoad, which also times GET /v1/temperature/{surface} end to end
# and checks every answer against its own exact sums), times the snapshots again after VACUUM
# ANALYZE, then asks PostgreSQL for the execution time of the snapshot's aggregate query (EXPLAIN
# ANALYZE, warm cache), next to the plain SUM over the raw observations that the rollups replace.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_temperature
PORT="${ENGINES_BENCH_PORT:-18082}"
bench_start temperature "$PORT"
bench_tenant

load() {
  ENGINES_URL="$URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" "$@" \
    "$JAVA_HOME/bin/java" -cp "$ROOT/engines-api/target/test-classes" dev.engines.api.bench.TemperatureLoad
}
echo "---- ingest, then snapshots right away (the rollups' dead row versions not vacuumed yet) ----"
load
# What autovacuum leaves behind a while later: rollup rows updated ~1,000 times each are pruned,
# and the visibility map lets the partial hours be read from the index alone.
psql -h 127.0.0.1 -U engines_owner -d engines_bench_temperature -X -q -c 'VACUUM ANALYZE metric_rollups' \
  -c 'VACUUM ANALYZE metric_observations'
echo "---- snapshots after VACUUM ANALYZE ----"
load env TEMP_INGEST=false
bench_stop

# The statement Observations.sums runs, with the window TemperatureLoad asks for:
# [2025-12-10T12:34:56.789012Z, 2026-03-10T12:34:56.789012Z): whole days from 2025-12-11 to
# 2026-03-10 (daily rollups), whole hours 13:00–24:00 and 00:00–12:00 around them (hourly rollups),
# and the two partial hours (observations).
explain() {
  PGPASSWORD=engines_app_local psql -h 127.0.0.1 -U engines_app -d engines_bench_temperature -X -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
SELECT set_config('app.tenant_id', '$TENANT', true), set_config('app.env', 'dev', true) \gset
$1
$1
$1
COMMIT;
SQL
}
W="tenant_id = '$TENANT' AND env = 'dev' AND surface = 'checkout'
   AND metric IN ('conversion', 'errors', 'latency_ms', 'orders', 'visits')"
echo "---- snapshot query (daily and hourly rollups + partial hours), third run ----"
explain "EXPLAIN (ANALYZE, BUFFERS) SELECT metric, sum(total) AS total FROM (
    SELECT metric, total FROM metric_rollups WHERE $W AND span = 'day'
       AND bucket >= '2025-12-11T00:00:00Z' AND bucket < '2026-03-10T00:00:00Z'
    UNION ALL
    SELECT metric, total FROM metric_rollups WHERE $W AND span = 'hour'
       AND bucket >= '2025-12-10T13:00:00Z' AND bucket < '2025-12-11T00:00:00Z'
    UNION ALL
    SELECT metric, total FROM metric_rollups WHERE $W AND span = 'hour'
       AND bucket >= '2026-03-10T00:00:00Z' AND bucket < '2026-03-10T12:00:00Z'
    UNION ALL
    SELECT metric, value FROM metric_observations WHERE $W
       AND observed_at >= '2025-12-10T12:34:56.789012Z' AND observed_at < '2025-12-10T13:00:00Z'
    UNION ALL
    SELECT metric, value FROM metric_observations WHERE $W
       AND observed_at >= '2026-03-10T12:00:00Z' AND observed_at < '2026-03-10T12:34:56.789012Z'
) window_rows GROUP BY metric;" | grep -E 'Execution Time|Planning Time' | tail -2
echo "---- the same sums straight from the observations (what the rollups replace), third run ----"
explain "EXPLAIN (ANALYZE, BUFFERS) SELECT metric, sum(value) FROM metric_observations WHERE $W
       AND observed_at >= '2025-12-10T12:34:56.789012Z' AND observed_at < '2026-03-10T12:34:56.789012Z'
     GROUP BY metric;" | grep -E 'Execution Time|Planning Time' | tail -2
