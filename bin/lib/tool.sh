#!/usr/bin/env bash
# Runs a module's command-line tool, building it first when its sources changed.
#   tool.sh pii analyze        JSONL {id,text} on stdin -> JSONL {id,spans,redacted} on stdout
#   tool.sh pii eval FILE      score the PII engine on a labelled JSONL corpus
#   tool.sh keys status|add|rotate|retire  the PII key-encryption-key ring (KeysCli)
#   tool.sh gates [options]    the production-readiness gate (GatesCli in engines-api's test sources:
#                              it needs ArchUnit and the whole application, which only that classpath has)
# Maven's output goes to stderr: stdout carries only the tool's own output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/lib/common.sh
. "$ROOT/bin/lib/common.sh"
select_jdk

tool="${1:-}"; shift || true
case "$tool" in
  pii) module=engines-pii; main=dev.engines.pii.cli.PiiCli; scope=runtime ;;
  keys) module=engines-pii; main=dev.engines.pii.cli.KeysCli; scope=runtime ;;
  gates) module=engines-api; main=dev.engines.api.safety.GatesCli; scope=test ;;
  *) echo "tool.sh: unknown tool '${tool}' (known: pii, keys, gates)" >&2; exit 2 ;;
esac

target="$ROOT/$module/target"
classpath_file="$target/tool-classpath-$scope.txt"
stale=""
if [ ! -s "$classpath_file" ] || [ ! -d "$target/classes" ]; then
  stale=yes
elif [ "$scope" = test ] && [ -n "$(find "$ROOT/pom.xml" "$ROOT"/engines-*/pom.xml "$ROOT"/engines-*/src/main "$ROOT/$module/src/test" -newer "$classpath_file" -print -quit)" ]; then
  stale=yes
elif [ -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" "$ROOT/engines-core/pom.xml" "$ROOT/engines-core/src/main" -newer "$classpath_file" -print -quit)" ]; then
  stale=yes
fi
if [ -n "$stale" ]; then
  echo "tool.sh: building $module ..." >&2
  # One reactor run packages the module and its dependencies and writes the runtime classpath,
  # which then points at the reactor's jars rather than the local repository.
  if ! (cd "$ROOT" && ./mvnw -B -ntp -q -pl "$module" -am -DskipTests package dependency:build-classpath \
        -Dmdep.includeScope="$scope" -Dmdep.outputFile="$classpath_file.tmp") >&2; then
    echo "tool.sh: building $module failed" >&2
    exit 1
  fi
  mv "$classpath_file.tmp" "$classpath_file"
fi
classes="$target/classes"
if [ "$scope" = test ]; then
  classes="$target/test-classes:$classes"
fi
# Relative paths in the arguments (gates --config FILE) are the caller's, not the repository's.
cd "${ENGINES_CALLER_DIR:-$PWD}"
exec java -cp "$classes:$(cat "$classpath_file")" "$main" "$@"
