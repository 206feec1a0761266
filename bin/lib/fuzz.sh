#!/usr/bin/env bash
# Runs the Jazzer fuzz tests (@FuzzTest methods) in fuzzing mode, one JVM per target, since Jazzer
# explores one target per run. Each run lasts the target's maxDuration (10 s). What a run learns is
# kept in <module>/.cifuzz-corpus/ (ignored by git) and picked up by the next run; a finding is
# written by Jazzer as an input under src/test/resources/…/<Class>Inputs/<method>/, where every
# build then replays it as a regression test (commit it with the fix).
#
#   bin/engines fuzz                   every target once (the short run bin/engines test makes)
#   bin/engines fuzz --minutes 30      round-robin over every target until 30 minutes have passed
#   bin/engines fuzz --minutes 5 DetectorsFuzzTests   only targets whose class or method matches
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"
select_jdk

minutes=0
filters=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) filters+=("$1"); shift ;;
  esac
done

# Targets as module:fully.qualified.Class#method, found from the sources.
mapfile -t targets < <(grep -rl --include='*FuzzTests.java' '@FuzzTest' engines-*/src/test/java | sort | while read -r file; do
  module="${file%%/*}"
  class="$(echo "${file#*/src/test/java/}" | sed 's|/|.|g; s|\.java$||')"
  grep -A2 '@FuzzTest' "$file" | grep -oE 'void [a-zA-Z0-9_]+\(' | sed 's/void //; s/($//' | while read -r method; do
    echo "$module:$class#$method"
  done
done)
if [ ${#filters[@]} -gt 0 ]; then
  selected=()
  for target in "${targets[@]}"; do
    for f in "${filters[@]}"; do [[ "$target" == *"$f"* ]] && { selected+=("$target"); break; }; done
  done
  targets=("${selected[@]}")
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no @FuzzTest target matches ${filters[*]:-}" >&2; exit 2; }

run_one() {
  local module="${1%%:*}" test="${1#*:}"
  echo "fuzz: $test (${module})" >&2
  JAZZER_FUZZ=1 "$ROOT/mvnw" -B -ntp -q -o test-compile surefire:test -pl "$module" -am \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Denforcer.skip=true >"$ROOT/$module/target/fuzz.log" 2>&1
}

deadline=$(( $(date +%s) + minutes * 60 ))
failed=0
runs=0
while :; do
  for target in "${targets[@]}"; do
    if ! run_one "$target"; then
      failed=$((failed + 1))
      echo "fuzz: FINDING or failure in $target; see ${target%%:*}/target/fuzz.log and the new input under its src/test/resources" >&2
    fi
    runs=$((runs + 1))
  done
  [ "$(date +%s)" -lt "$deadline" ] || break
done
echo "fuzz: targets=${#targets[@]} runs=$runs failed=$failed"
[ "$failed" -eq 0 ]
