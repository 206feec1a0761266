#!/usr/bin/env bash
# Soak: mixed traffic over every engine against the service, started here on its own port and fresh
# database as the benches do (bin/lib/bench-common.sh), for a fixed time; samples the service's heap
# after a full GC, open database connections, threads and file descriptors, and each interval's
# p99 and errors; prints the least-squares slope per minute of each and exits non-zero on any error
# or a slope beyond its threshold (dev.engines.api.bench.SoakDriver, see docs/reliability.md).
#
#   bin/engines soak                 20 minutes
#   bin/engines soak --minutes 5     a shorter run
# Knobs: SOAK_CLIENTS (4), SOAK_SAMPLE_SECONDS (30), SOAK_WARMUP_SECONDS (60),
# ENGINES_BENCH_PORT (18490), ENGINES_SOAK_JVM_OPTS (default -Xmx512m), SOAK_REPORT (also write the
# table to this file).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
. "$ROOT/bin/lib/bench-common.sh"

minutes=20
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[1-9][0-9]*$ ]] || { echo "soak: --minutes takes a whole number of minutes" >&2; exit 2; }

bench_setup engines_soak
# A fixed heap: a leak shows as a rising floor after full GCs, not as a heap that merely grew.
ENGINES_BENCH_JVM_OPTS="${ENGINES_SOAK_JVM_OPTS:--Xmx512m}" bench_start service "${ENGINES_BENCH_PORT:-18490}"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The driver's classes are copied too, so a build in the worktree while the soak runs cannot change them.
mkdir -p "$WORK/driver/dev/engines/api"
cp -r "$ROOT/engines-api/target/test-classes/dev/engines/api/bench" "$WORK/driver/dev/engines/api/"
rc=0
ENGINES_URL="$URL" ENGINES_OPERATOR_TOKEN="$OP" SOAK_PID="$PID" SOAK_DB="$BENCH_DB" SOAK_MINUTES="$minutes" \
  ENGINES_DB_PORT="${ENGINES_DB_PORT:-5432}" \
  "$JAVA_HOME/bin/java" -cp "$WORK/driver" dev.engines.api.bench.SoakDriver || rc=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -E ' (ERROR|WARN) ' "$WORK/service.log" | grep -v 'deprecat' | head -5 | grep -q .; then
  echo "soak: the service logged warnings or errors (first five):"
  grep -E ' (ERROR|WARN) ' "$WORK/service.log" | head -5
fi
bench_stop
exit "$rc"
