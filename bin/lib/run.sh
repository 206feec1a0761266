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
  ( umask 077; printf 'eop_%s\n' "$(head -c 30 /dev/urandom | base32 | tr -d '=' | tr 'A-Z' 'a-z')" > "$STATE/operator.token" )
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
  JAR="$(ls "$ROOT"/engines-api/target/engines-api-*.jar | grep -v plain | head -n 1)"
  AGENT=()
  if [ "${ENGINES_OTEL_AGENT:-0}" = "1" ]; then
    # Traces over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318, e.g. Jaeger from docker-compose.yml).
    AGENT=("-javaagent:$("$ROOT/bin/lib/otel-agent.sh")")
    export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-engines}"
    say "OpenTelemetry agent attached (exporter: ${OTEL_TRACES_EXPORTER:-otlp})"
  fi
  say "starting on $URL (log: .engines/local/engines.log)"
  ENGINES_OPERATOR_TOKEN_SHA256="$OPERATOR_HASH" ENGINES_DATA_DIR="$STATE/data" \
    ENGINES_PII_MASTER_KEY="$(cat "$STATE/pii-master.key")" \
    nohup "$JAVA_HOME/bin/java" "${AGENT[@]}" -jar "$JAR" --spring.profiles.active=local --server.port="$PORT" \
    > "$STATE/engines.log" 2>&1 &
  echo $! > "$STATE/engines.pid"
  for _ in $(seq 1 120); do
    healthy && break
    kill -0 "$(cat "$STATE/engines.pid")" 2>/dev/null || { tail -n 40 "$STATE/engines.log" >&2; say "the service exited during startup"; exit 1; }
    sleep 1
  done
  healthy || { tail -n 40 "$STATE/engines.log" >&2; say "not ready after 120 s"; exit 1; }
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
  say "tenant $TENANT exists; its owner key was printed when it was created (create another with the API)"
else
  say "could not check tenant $TENANT (HTTP $status)"; exit 1
fi
