#!/usr/bin/env bash
# Fetches the OpenTelemetry Java agent from Maven Central (once) and prints its path.
# The agent adds HTTP server, JDBC and HTTP client spans and exports them over OTLP; Engines
# then uses the agent's trace and span ids for its responses, logs and DatasetEvents.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="${ENGINES_OTEL_AGENT_VERSION:-2.33.1}"
DEST="$ROOT/.engines/otel"
JAR="$DEST/opentelemetry-javaagent-$VERSION.jar"
if [ ! -s "$JAR" ]; then
  mkdir -p "$DEST"
  "$ROOT/mvnw" -B -ntp -q dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$VERSION" \
    -DoutputDirectory="$DEST" >&2
fi
echo "$JAR"
