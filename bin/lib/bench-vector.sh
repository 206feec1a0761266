#!/usr/bin/env bash
# Measures vector search against the running service, started here on its own port and fresh
# database, with the load generator dev.engines.api.bench.VectorBench:
#   data     200,000 seeded, clustered vectors of 384 dimensions in one space per tenant: the largest
#            tenant holds 40 %, a small one 1 %, ten others the rest (loaded with COPY, the HNSW
#            index rebuilt from its own definition afterwards);
#   recall   recall@10 of 200 searches through the API against exact search, for the 1 % tenant, the
#            largest tenant, and a metadata filter of 1 % selectivity inside the largest tenant;
#   embedder embeddings/s of the built-in model on one and two threads (in the load generator's JVM);
#   latency  search p50/p90 through HTTP (loopback) against the same SQL run directly, at 1 and 16
#            closed-loop clients, in ENGINES_BENCH_ROUNDS (6) alternating rounds of
#            ENGINES_BENCH_ROUND_SECONDS (3) per path after a warm-up, so both paths share the
#            machine's load; each round also times GET /v1/me, the cost of any request.
# The rate limits are raised far above what the clients send (a refusal would end the run); the
# buckets are still taken on every request.
# Knobs: ENGINES_BENCH_ROUNDS, ENGINES_BENCH_ROUND_SECONDS, ENGINES_BENCH_PORT (18490),
# ENGINES_DB_PORT (the PostgreSQL the service and the generator use, 5432).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
bench_setup engines_bench_vector
LIMITS=()
for limit in tenant env api-key read write heavy; do
  LIMITS+=("--engines.gates.rate-limits.$limit.value=10000000" "--engines.gates.rate-limits.$limit.ceiling=10000000")
done
bench_start service "${ENGINES_BENCH_PORT:-18490}" "${LIMITS[@]}"

# The load generator talks JDBC and runs the built-in embedder too: the libraries of the service's jar.
mkdir -p "$WORK/lib"
unzip -q -j -o "$JAR" 'BOOT-INF/lib/*.jar' -d "$WORK/lib"
cp -r "$ROOT/engines-api/target/test-classes" "$WORK/test-classes"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ENGINES_URL="$URL" ENGINES_OPERATOR_TOKEN="$OP" \
  ENGINES_BENCH_JDBC="jdbc:postgresql://${ENGINES_DB_HOST:-127.0.0.1}:${ENGINES_DB_PORT:-5432}/$BENCH_DB" \
  "$JAVA_HOME/bin/java" -cp "$WORK/test-classes:$WORK/lib/*" dev.engines.api.bench.VectorBench
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
