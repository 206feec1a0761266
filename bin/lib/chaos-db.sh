#!/usr/bin/env bash
# bin/engines chaos db: restarts PostgreSQL under load and checks that nothing acknowledged was lost.
#
# The service runs on loopback on a PostgreSQL cluster this command owns: by default a throwaway
# cluster it creates (pg_createcluster, on a free port) and drops again at exit; or, with
# --cluster NAME, an existing cluster of this machine's PostgreSQL that the caller hands over (it
# is restarted and stopped; never the cluster on port 5432, which CI and `bin/engines run` use).
# While the load generator dev.engines.api.chaos.ChaosLoad runs (uploads, derivations, key
# creations, observations and reads from several clients), the cluster is
#   1. restarted (pg_ctlcluster restart, fast shutdown: every connection is cut), then
#   2. stopped, left down for --outage seconds, and started again.
# Then ChaosLoad checks, as the database's owner role, every write answered 2xx (row, DatasetEvent,
# audit entry for key creations), asks the audit chain to verify, prints the counts and exits 1 on
# any lost write, 5xx other than a 503 problem, 4xx, client timeout, or when readiness never dipped.
#
# Options: --cluster NAME (use this existing cluster instead of a throwaway one), --seconds N (load,
# default 60), --clients N (6), --outage N (seconds down in fault 2, default 8),
# --timeout N (client timeout per request, 15). ENGINES_BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
. "$ROOT/bin/lib/chaos-common.sh"

CLUSTER="" SECONDS_LOAD=60 CLIENTS=6 OUTAGE=8 TIMEOUT=15
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) CLUSTER="$2"; shift 2 ;;
    --seconds) SECONDS_LOAD="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --outage) OUTAGE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) echo "chaos db: unknown option $1" >&2; exit 2 ;;
  esac
done
chaos_cluster "$CLUSTER"
bench_setup engines_chaos
bench_start service "${ENGINES_CHAOS_PORT:-18780}"
bench_tenant
set_dev_slots "$URL" "$TENANT" "$KEY"

# The load generator talks JDBC to check rows: the driver the service's jar carries.
mkdir -p "$WORK/lib"
unzip -q -j -o "$JAR" 'BOOT-INF/lib/postgresql-*.jar' -d "$WORK/lib"
CP="$ROOT/engines-api/target/test-classes:$(ls "$WORK"/lib/postgresql-*.jar | head -n 1)"

echo "chaos db: $CLIENTS clients for ${SECONDS_LOAD}s on $URL; faults on $PG_MAJOR/$CLUSTER (port $PGPORT_CHAOS)"
ENGINES_URL="$URL" ENGINES_TENANT="$TENANT" ENGINES_OWNER_KEY="$KEY" \
  CHAOS_DB_URL="jdbc:postgresql://127.0.0.1:$PGPORT_CHAOS/$BENCH_DB" \
  CHAOS_SECONDS="$SECONDS_LOAD" CHAOS_CLIENTS="$CLIENTS" CHAOS_TIMEOUT_SECONDS="$TIMEOUT" \
  "$JAVA_HOME/bin/java" -cp "$CP" dev.engines.api.chaos.ChaosLoad &
LOAD=$!

# Fault 1 a quarter into the load, fault 2 at the half; both well before its end, so the load
# also runs after recovery.
t0=$(date +%s.%N)
at() { local wait; wait=$(echo "$1 - ($(date +%s.%N) - $t0)" | bc); [ "${wait:0:1}" = - ] || sleep "$wait"; }
stamp() { printf '[%6.1fs] %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$*"; }
at "$((SECONDS_LOAD / 4))"
stamp "fault 1: pg_ctlcluster restart $PG_MAJOR/$CLUSTER"
pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$CLUSTER" restart
stamp "fault 1: cluster back"
at "$((SECONDS_LOAD / 2))"
stamp "fault 2: pg_ctlcluster stop $PG_MAJOR/$CLUSTER, ${OUTAGE}s down"
pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$CLUSTER" stop
sleep "$OUTAGE"
pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$CLUSTER" start
stamp "fault 2: cluster started"
rc=0
wait "$LOAD" || rc=$?
# The service's log outlives the work directory; its errors, counted by logger and exception type.
LOG_KEEP="${TMPDIR:-/tmp}/engines-chaos-db-service.log"
cp "$WORK/service.log" "$LOG_KEEP"
echo "chaos db: service log kept in $LOG_KEEP; ERROR lines by logger and exception:"
grep '"level":"ERROR"' "$LOG_KEEP" | sed -E 's/.*"logger":"([^"]*)".*"error":\{"type":"([^"]*)".*/  \1 \2/' | sort | uniq -c | sort -rn | head -10 || true
exit "$rc"
