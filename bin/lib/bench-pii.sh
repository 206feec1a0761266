#!/usr/bin/env bash
# Runs the engines-pii JMH benchmarks (src/jmh/java, Maven profile jmh).
#   bin/lib/bench-pii.sh                 all benchmarks, short settings (1 fork, 3x2 s warmup, 5x2 s measurement)
#   bin/lib/bench-pii.sh -rf json ...    extra arguments go to JMH (e.g. a benchmark regex, -p size=1024)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/lib/common.sh
. "$ROOT/bin/lib/common.sh"
select_jdk
cd "$ROOT"
classpath_file="$ROOT/engines-pii/target/jmh-classpath.txt"
./mvnw -B -ntp -q -Pjmh -pl engines-pii -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
cp="$ROOT/engines-pii/target/test-classes:$ROOT/engines-pii/target/classes:$(cat "$classpath_file")"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
fi
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
