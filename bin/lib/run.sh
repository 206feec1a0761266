#!/usr/bin/env bash
# bin/engines run: provision PostgreSQL+pgvector, build, start the API on localhost in the
# background, bootstrap the first tenant (with explicit storage, nexus and session config slots for env dev)
# and print its owner key once, as shell assignments:
#   ENGINES_URL=http://127.0.0.1:8080
#   ENGINES_TENANT=t_local
#   ENGINES_OWNER_KEY=eng_…        (only on the run that created the tenant)
# Everything else goes to stderr, so `eval "$(bin/engines run)"` works. Idempotent: a second run
# finds the running service and the existing tenant and changes nothing.
# ENGINES_OTEL_AGENT=1 attaches the OpenTelemetry Java agent (HTTP and JDBC spans, OTLP export).
# Logs: .engines/local/engines.log, JSON lines (ECS), rotated by size (ENGINES_LOG_MAX_FILE_SIZE,
# default 10MB per file) with a cap on all files together (ENGINES_LOG_TOTAL_SIZE_CAP, default
# 100MB); .engines/local/engines.out keeps what the JVM prints before logging starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/bin/lib/common.sh"

PORT="${ENGINES_PORT:-8080}"
TENANT="${ENGINES_BOOTSTRAP_TENANT:-t_local}"
OWNER_EMAIL="${ENGINES_BOOTSTRAP_OWNER_EMAIL:-owner@local.test}"
STATE="$ROOT/.engines/local"
URL="http://127.0.0.1:${PORT}"
say() { printf '[engines] %s\n' "$*" >&2; }

select_jdk
mkdir -p "$STATE/data"
chmod 700 "$ROOT/.engines" "$STATE"

"$ROOT/bin/lib/provision-postgres.sh" engines

# The operator credential is generated once and kept in a 0600 file; only its hash reaches the app.
if [ ! -s "$STATE/operator.token" ]; then
  ( umask 077; printf 'eop_%s\n' "$(head -c 30 /dev/urandom | base32 | tr -d '=' | tr '[:upper:]' '[:lower:]')" > "$STATE/operator.token" )
fi
OPERATOR_TOKEN="$(tr -d '\n' < "$STATE/operator.token")"
# The PII master key (pseudonym/token key derivation) is generated once, like the operator token.
if [ ! -s "$STATE/pii-master.key" ]; then
  ( umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > "$STATE/pii-master.key" )
fi
OPERATOR_HASH="$(printf '%s' "$OPERATOR_TOKEN" | sha256sum | cut -d' ' -f1)"

healthy() { curl -fsS -o /dev/null "$URL/actuator/health/readiness" 2>/dev/null; }

if [ -f "$STATE/engines.pid" ] && kill -0 "$(cat "$STATE/engines.pid")" 2>/dev/null && healthy; then
  say "already running (pid $(cat "$STATE/engines.pid")) on $URL"
else
  say "building (mvnw package, tests skipped: 'bin/engines test' runs them)"
  "$ROOT/mvnw" -B -ntp -q -DskipTests -pl engines-api -am package >&2
  JAR=""
  for candidate in "$ROOT"/engines-api/target/engines-api-*.jar; do
    case "$candidate" in *plain*) ;; *) JAR="$candidate"; break ;; esac
  done
  [ -n "$JAR" ] || { say "the build produced no engines-api jar"; exit 1; }
  AGENT=()
  if [ "${ENGINES_OTEL_AGENT:-0}" = "1" ]; then
    # Traces over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318, e.g. Jaeger from docker-compose.yml).
    AGENT=("-javaagent:$("$ROOT/bin/lib/otel-agent.sh")")
    export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-engines}"
    say "OpenTelemetry agent attached (exporter: ${OTEL_TRACES_EXPORTER:-otlp})"
  fi
  say "starting on $URL (log: .engines/local/engines.log, rotated at ${ENGINES_LOG_MAX_FILE_SIZE:-10MB}, ${ENGINES_LOG_TOTAL_SIZE_CAP:-100MB} in all)"
  # The log goes to a size-rotated file, not to the console: a redirected console grows without bound.
  ENGINES_OPERATOR_TOKEN_SHA256="$OPERATOR_HASH" ENGINES_DATA_DIR="$STATE/data" \
    ENGINES_PII_MASTER_KEY="$(cat "$STATE/pii-master.key")" \
    nohup "$JAVA_HOME/bin/java" "${AGENT[@]}" -jar "$JAR" --spring.profiles.active=local --server.port="$PORT" \
      --logging.file.name="$STATE/engines.log" --logging.structured.format.file=dev.engines.api.logging.EcsLogFormatter --logging.threshold.console=OFF \
      --logging.logback.rollingpolicy.max-file-size="${ENGINES_LOG_MAX_FILE_SIZE:-10MB}" \
      --logging.logback.rollingpolicy.total-size-cap="${ENGINES_LOG_TOTAL_SIZE_CAP:-100MB}" \
      --logging.logback.rollingpolicy.max-history=7 \
    > "$STATE/engines.out" 2>&1 &
  echo $! > "$STATE/engines.pid"
  startup_output() { tail -n 20 "$STATE/engines.out" >&2; [ ! -f "$STATE/engines.log" ] || tail -n 20 "$STATE/engines.log" >&2; }
  for _ in $(seq 1 120); do
    healthy && break
    kill -0 "$(cat "$STATE/engines.pid")" 2>/dev/null || { startup_output; say "the service exited during startup"; exit 1; }
    sleep 1
  done
  healthy || { startup_output; say "not ready after 120 s"; exit 1; }
  say "ready (pid $(cat "$STATE/engines.pid"))"
fi

echo "ENGINES_URL=$URL"
echo "ENGINES_TENANT=$TENANT"
say "admin console: $URL/console/ (sign in with the tenant, env dev and the owner key)"
status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OPERATOR_TOKEN" "$URL/v1/operator/tenants/$TENANT")"
if [ "$status" = "404" ]; then
  body="$(curl -fsS -H "Authorization: Bearer $OPERATOR_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"tenant_id\":\"$TENANT\",\"name\":\"Local tenant\",\"owner\":{\"email\":\"$OWNER_EMAIL\",\"display_name\":\"Local owner\"}}" \
    "$URL/v1/operator/tenants")"
  key="$(printf '%s' "$body" | grep -o '"token":"eng_[a-z2-7_]*"' | cut -d'"' -f4)"
  [ -n "$key" ] || { say "bootstrap answered without a key"; exit 1; }
  set_dev_slots "$URL" "$TENANT" "$key" || { say "could not set the storage, nexus, session and vector slots of $TENANT/dev"; exit 1; }
  say "created tenant $TENANT with storage, nexus, session and vector slots for env dev; its owner key is printed once below and never again"
  echo "ENGINES_OWNER_KEY=$key"
elif [ "$status" = "200" ]; then
  say "tenant $TENANT exists; its owner key was printed only when it was created."
  say "to get a new owner key: eval \"\$(bin/engines key --tenant $TENANT)\"   (prints ENGINES_OWNER_KEY=eng_…)"
else
  say "could not check tenant $TENANT (HTTP $status)"; exit 1
fi
