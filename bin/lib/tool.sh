#!/usr/bin/env bash
# Runs a module's command-line tool, building it first when its sources changed.
#   tool.sh pii analyze        JSONL {id,text} on stdin -> JSONL {id,spans,redacted} on stdout
#   tool.sh pii eval FILE      score the PII engine on a labelled JSONL corpus
# Maven's output goes to stderr: stdout carries only the tool's own output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/lib/common.sh
. "$ROOT/bin/lib/common.sh"
select_jdk

tool="${1:-}"; shift || true
case "$tool" in
  pii) module=engines-pii; main=dev.engines.pii.cli.PiiCli ;;
  *) echo "tool.sh: unknown tool '${tool}' (known: pii)" >&2; exit 2 ;;
esac

target="$ROOT/$module/target"
classpath_file="$target/tool-classpath.txt"
stale=""
if [ ! -s "$classpath_file" ] || [ ! -d "$target/classes" ]; then
  stale=yes
elif [ -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" "$ROOT/engines-core/pom.xml" "$ROOT/engines-core/src/main" -newer "$classpath_file" -print -quit)" ]; then
  stale=yes
fi
if [ -n "$stale" ]; then
  echo "tool.sh: building $module ..." >&2
  # One reactor run packages the module and its dependencies and writes the runtime classpath,
  # which then points at the reactor's jars rather than the local repository.
  if ! (cd "$ROOT" && ./mvnw -B -ntp -q -pl "$module" -am -DskipTests package dependency:build-classpath \
        -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath_file.tmp") >&2; then
    echo "tool.sh: building $module failed" >&2
    exit 1
  fi
  mv "$classpath_file.tmp" "$classpath_file"
fi
exec java -cp "$target/classes:$(cat "$classpath_file")" "$main" "$@"
