#!/usr/bin/env bash
# bin/engines chaos kill: kill -9 of one of two instances mid-derivation and mid-purge.
#
# Two application JVMs (A and B) on one database and one shared filesystem store, on loopback, on a
# throwaway PostgreSQL cluster (see chaos db; --cluster NAME uses an existing one, never 5432).
#   derivation  B times a derivation of a large asset; A starts the same derivation on a twin asset
#               and is killed (SIGKILL) half way through. Then: no derivation row and no atom of
#               the twin (the derivation is one transaction), no advisory lock left, and on B the
#               rerun adds every atom, a second rerun adds none and skips them all with the same
#               derivation id and the same atom ids.
#   purge       A starts a tenant purge and is killed once the purge fence is committed and the
#               first assets are gone. Then:
#               no advisory lock left, the fence stands, and the purge run again on B completes with
#               no row and no object of the tenant left. Printed, not checked: how many rows the
#               killed purge left whose object it had already deleted (see docs/reliability.md).
# Prints each check and exits 1 when one fails. Options: --cluster NAME, --size-mb N (derivation
# asset, default 16), --assets N (assets of the purged tenant, default 200).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"
. "$ROOT/bin/lib/chaos-common.sh"

CLUSTER_ARG="" SIZE_MB=16 ASSETS=200
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) CLUSTER_ARG="$2"; shift 2 ;;
    --size-mb) SIZE_MB="$2"; shift 2 ;;
    --assets) ASSETS="$2"; shift 2 ;;
    *) echo "chaos kill: unknown option $1" >&2; exit 2 ;;
  esac
done
chaos_cluster "$CLUSTER_ARG"
A_PID=""
kill_cleanup() {
  if [ -n "$A_PID" ]; then kill "$A_PID" 2>/dev/null || true; fi
  chaos_cleanup_cluster
}
bench_setup engines_chaos
BENCH_ON_EXIT=kill_cleanup
SHARED="$WORK/shared-raw"
mkdir -p "$SHARED"

bench_start a "${ENGINES_CHAOS_PORT:-18790}" --engines.storage.filesystem.root="$SHARED"
A_PID="$PID" A_URL="$URL"
bench_start b "$(( ${ENGINES_CHAOS_PORT:-18790} + 1 ))" --engines.storage.filesystem.root="$SHARED"
B_URL="$URL" B_PID="$PID"
echo "chaos kill: instance A pid $A_PID on $A_URL, instance B pid $B_PID on $B_URL, one database and store"

FAILED=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then printf '  ok    %-58s %s\n' "$1" "$3"; else printf '  FAIL  %-58s expected %s, got %s\n' "$1" "$2" "$3"; FAILED=1; fi
}
field() { grep -o "\"$1\":[^,}]*" | head -n 1 | cut -d: -f2 | tr -d '"'; }
advisory_locks() { chaos_sql "$TENANT" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"; }
# Advisory locks are transaction-scoped: the server drops them once it sees the dead client's
# connection closed, which the kernel does at once for a killed process.
await_no_advisory_locks() {
  for _ in $(seq 1 50); do [ "$(advisory_locks)" = 0 ] && break; sleep 0.1; done
  advisory_locks
}
upload() { # upload URL FILE -> asset id
  curl -fsS "${HEADERS[@]}" -H 'Content-Type: text/plain' --data-binary "@$2" "$1/v1/assets?filename=$(basename "$2")" | field asset_id
}
derive() { # derive URL ASSET -> response body
  curl -sS "${HEADERS[@]}" -H 'Content-Type: application/json' -d '{"op_type":"text.window","params":{"size":1000}}' "$1/v1/assets/$2/derivations"
}

# ---- derivation ----
bench_tenant
set_dev_slots "$B_URL" "$TENANT" "$KEY"
awk -v n=$((SIZE_MB << 20)) 'BEGIN { srand(7); while (s < n) { l = sprintf("line %d of the chaos text, %08x, contact ana%d@example.com\n", i++, int(rand()*4294967295), i % 97); printf "%s", l; s += length(l) } }' > "$WORK/big.txt"
TIMING="$(upload "$B_URL" "$WORK/big.txt")"
TWIN="$(upload "$B_URL" "$WORK/big.txt")"
t0=$(date +%s%N)
derive "$B_URL" "$TIMING" > "$WORK/timing.json"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "chaos kill: a ${SIZE_MB} MB derivation takes ${ms} ms on B ($(field atoms < "$WORK/timing.json") atoms); A is killed $((ms / 2)) ms into the same derivation of a twin asset"
derive "$A_URL" "$TWIN" > "$WORK/killed.json" 2>&1 &
CURL=$!
sleep "$(echo "scale=3; $ms / 2000" | bc)"
# pg_stat_activity shows other roles' transactions only to a superuser.
active="$(runuser -u postgres -- psql -X -q -tA -p "$PGPORT_CHAOS" -d "$BENCH_DB" -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'engines_app' AND xact_start IS NOT NULL AND backend_type = 'client backend'")"
kill -9 "$A_PID"
wait "$A_PID" 2>/dev/null || true
A_PID=""
curl_rc=0; wait "$CURL" || curl_rc=$?
echo "chaos kill: A killed with $active app transaction(s) open; its client got: $(head -c 120 "$WORK/killed.json")"
check "the killed request got no answer (curl exit)" nonzero "$([ "$curl_rc" != 0 ] && echo nonzero || echo 0)"
check "advisory locks left" 0 "$(await_no_advisory_locks)"
check "derivation rows of the twin after the kill" 0 "$(chaos_sql "$TENANT" "SELECT count(*) FROM derivations WHERE tenant_id = '$TENANT' AND env = 'dev' AND asset_id = '$TWIN'")"
check "atoms of the twin after the kill" 0 "$(chaos_sql "$TENANT" "SELECT count(*) FROM atoms WHERE tenant_id = '$TENANT' AND env = 'dev' AND asset_id = '$TWIN'")"
first="$(derive "$B_URL" "$TWIN")"
atoms="$(echo "$first" | field atoms)"
check "rerun on B: added = atoms" "$atoms" "$(echo "$first" | field added)"
ids1="$(chaos_sql "$TENANT" "SELECT md5(string_agg(atom_id, ',' ORDER BY ordinal)) FROM atoms WHERE tenant_id = '$TENANT' AND env = 'dev' AND asset_id = '$TWIN'")"
second="$(derive "$B_URL" "$TWIN")"
check "second rerun: added" 0 "$(echo "$second" | field added)"
check "second rerun: skipped = atoms" "$atoms" "$(echo "$second" | field skipped)"
check "second rerun: same derivation id" "$(echo "$first" | field derivation_id)" "$(echo "$second" | field derivation_id)"
check "atoms stored = atoms answered" "$atoms" "$(chaos_sql "$TENANT" "SELECT count(*) FROM atoms WHERE tenant_id = '$TENANT' AND env = 'dev' AND asset_id = '$TWIN'")"
check "same atom ids after the second rerun" "$ids1" "$(chaos_sql "$TENANT" "SELECT md5(string_agg(atom_id, ',' ORDER BY ordinal)) FROM atoms WHERE tenant_id = '$TENANT' AND env = 'dev' AND asset_id = '$TWIN'")"

# ---- purge ----
bench_start a "${ENGINES_CHAOS_PORT:-18790}" --engines.storage.filesystem.root="$SHARED"
# bench_start keeps one PID for bench_setup's EXIT trap: B's; kill_cleanup stops A.
A_PID="$PID" PID="$B_PID"
bench_tenant
set_dev_slots "$B_URL" "$TENANT" "$KEY"
for i in $(seq 1 "$ASSETS"); do
  printf 'asset %d of the purged tenant\n' "$i" > "$WORK/p.txt"
  upload "$B_URL" "$WORK/p.txt" > /dev/null
done
echo "chaos kill: tenant $TENANT has $ASSETS assets; A purges it and is killed once the fence is committed and objects start to go"
curl -sS "${HEADERS[@]}" -H 'Content-Type: application/json' -d "{\"confirm_tenant_id\":\"$TENANT\"}" "$A_URL/v1/gdpr/tenant-purge" > "$WORK/purge-a.json" 2>&1 &
CURL=$!
for _ in $(seq 1 500); do
  [ "$(chaos_sql "$TENANT" "SELECT count(*) FROM tenant_purges WHERE tenant_id = '$TENANT'")" = 1 ] && break
  sleep 0.01
done
# Then until the purge has deleted some of the objects, not all: killed mid-deletion.
for _ in $(seq 1 2000); do
  [ "$(find "$SHARED" -path "*$TENANT*" -type f | wc -l)" -lt "$ASSETS" ] && break
  sleep 0.005
done
kill -9 "$A_PID"
wait "$A_PID" 2>/dev/null || true
A_PID=""
curl_rc=0; wait "$CURL" || curl_rc=$?
left="$(chaos_sql "$TENANT" "SELECT count(*) FROM raw_assets WHERE tenant_id = '$TENANT' AND env = 'dev'")"
echo "chaos kill: A killed; $left of $ASSETS asset rows left; its client got: $(head -c 120 "$WORK/purge-a.json")"
check "the killed purge got no answer (curl exit)" nonzero "$([ "$curl_rc" != 0 ] && echo nonzero || echo 0)"
[ "$left" -gt 0 ] || { echo "chaos kill: the purge finished before the kill; run again with more --assets"; FAILED=1; }
check "advisory locks left" 0 "$(await_no_advisory_locks)"
check "purge fence stands" 1 "$(chaos_sql "$TENANT" "SELECT count(*) FROM tenant_purges WHERE tenant_id = '$TENANT'")"
missing=0
while read -r key; do
  [ -z "$key" ] || [ -f "$SHARED/$key" ] || missing=$((missing + 1))
done < <(chaos_sql "$TENANT" "SELECT object_key FROM raw_assets WHERE tenant_id = '$TENANT' AND env = 'dev'")
objects_left="$(find "$SHARED" -path "*$TENANT*" -type f | wc -l)"
# One transaction per env deletes the rows while the objects go one by one: killed in between, the
# transaction rolls back and rows of objects already deleted stay, behind the fence, until the rerun.
echo "chaos kill: after the kill $left asset rows and $objects_left objects; rows whose object was already deleted: $missing"
again="$(curl -sS "${HEADERS[@]}" -H 'Content-Type: application/json' -d "{\"confirm_tenant_id\":\"$TENANT\"}" "$B_URL/v1/gdpr/tenant-purge")"
check "purge run again on B: complete" true "$(echo "$again" | field complete)"
check "asset rows of the tenant after it" 0 "$(chaos_sql "$TENANT" "SELECT count(*) FROM raw_assets WHERE tenant_id = '$TENANT'")"
check "objects of the tenant after it" 0 "$(find "$SHARED" -path "*$TENANT*" -type f | wc -l)"

[ "$FAILED" = 0 ] && echo "chaos kill: PASS" || echo "chaos kill: FAIL"
exit "$FAILED"
