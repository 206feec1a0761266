# shellcheck shell=bash
# Shared by the chaos commands (sourced after common.sh and bench-common.sh): the PostgreSQL
# cluster a command may restart, stop or drop.

# chaos_cluster NAME: sets CLUSTER, PG_MAJOR, PGPORT_CHAOS and exports ENGINES_DB_PORT. With a NAME,
# that existing cluster of this machine (never main or port 5432, the shared one CI uses); without,
# a throwaway cluster created here on a free port, with trust authentication on loopback, dropped
# at exit (BENCH_ON_EXIT, which bench_setup's EXIT trap runs last).
chaos_cluster() {
  CLUSTER="${1:-}"
  PG_MAJOR="${ENGINES_PG_MAJOR:-15}"
  OWN_CLUSTER=""
  [ "$(id -u)" = "0" ] || { echo "chaos: needs root (it creates, restarts and drops a PostgreSQL cluster)" >&2; exit 2; }
  if [ -n "$CLUSTER" ]; then
    PGPORT_CHAOS="$(pg_lsclusters -h | awk -v v="$PG_MAJOR" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"
    [ -n "$PGPORT_CHAOS" ] || { echo "chaos: no cluster $PG_MAJOR/$CLUSTER" >&2; exit 2; }
    if [ "$CLUSTER" = main ] || [ "$PGPORT_CHAOS" = 5432 ]; then
      echo "chaos: refusing to touch $PG_MAJOR/$CLUSTER on port $PGPORT_CHAOS (the shared cluster)" >&2
      exit 2
    fi
  else
    CLUSTER="chaos$$"
    # A free port: none a cluster of this machine is configured for, nothing listening on it.
    PGPORT_CHAOS=""
    local p
    for p in $(seq 5460 5560); do
      pg_lsclusters -h | awk '{print $3}' | grep -qx "$p" && continue
      ss -ltnH "sport = :$p" | grep -q . && continue
      PGPORT_CHAOS="$p"; break
    done
    [ -n "$PGPORT_CHAOS" ] || { echo "chaos: no free port in 5460-5560" >&2; exit 2; }
    echo "chaos: creating the throwaway cluster $PG_MAJOR/$CLUSTER on port $PGPORT_CHAOS" >&2
    pg_createcluster "$PG_MAJOR" "$CLUSTER" --port "$PGPORT_CHAOS" --start -- --auth-local=trust --auth-host=trust >/dev/null
    OWN_CLUSTER=1
  fi
  export ENGINES_DB_PORT="$PGPORT_CHAOS"
  trap chaos_cleanup_cluster EXIT
  BENCH_ON_EXIT=chaos_cleanup_cluster
}

# Drops the throwaway cluster, or starts a named one again if a fault left it stopped.
chaos_cleanup_cluster() {
  if [ -n "$OWN_CLUSTER" ]; then
    pg_dropcluster --stop "$PG_MAJOR" "$CLUSTER" || echo "chaos: could not drop $PG_MAJOR/$CLUSTER" >&2
  else
    pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$CLUSTER" start 2>/dev/null || true
  fi
}

# chaos_sql TENANT SQL: runs SQL as the database owner role on the chaos database (unaligned, no
# header), bound to TENANT and env dev: tables with forced row-level security ask the owner too.
chaos_sql() {
  PGOPTIONS="-c app.tenant_id=$1 -c app.env=dev" PGPASSWORD="${ENGINES_DB_OWNER_PASSWORD:-engines_owner_local}" \
    psql -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT_CHAOS" -U "${ENGINES_DB_OWNER:-engines_owner}" \
    -d "$BENCH_DB" -c "$2"
}
