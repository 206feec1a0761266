#!/usr/bin/env bash
# bin/engines key --tenant T [--env E]: issues a new owner key for tenant T of the local service
# (started by `bin/engines run`), through the operator API with the operator token kept in
# .engines/local/operator.token, and prints it once as shell assignments:
#   ENGINES_TENANT=t_local
#   ENGINES_ENV=dev
#   ENGINES_OWNER_KEY=eng_…
# Everything else goes to stderr, so `eval "$(bin/engines key --tenant t_local)"` works. --env only
# says which env the key is checked against (GET /v1/me); an owner key serves every env.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${ENGINES_URL:-http://127.0.0.1:${ENGINES_PORT:-8080}}"
TOKEN_FILE="$ROOT/.engines/local/operator.token"
say() { printf '[engines] %s\n' "$*" >&2; }
usage() { say "usage: bin/engines key --tenant t_local [--env dev]"; exit 2; }

tenant=""
env="dev"
while [ $# -gt 0 ]; do
  case "$1" in
    --tenant) [ $# -ge 2 ] || usage; tenant="$2"; shift 2 ;;
    --tenant=*) tenant="${1#--tenant=}"; shift ;;
    --env) [ $# -ge 2 ] || usage; env="$2"; shift 2 ;;
    --env=*) env="${1#--env=}"; shift ;;
    *) usage ;;
  esac
done
[ -n "$tenant" ] || usage
[[ "$tenant" =~ ^t_[a-z0-9_-]{1,62}$ ]] || { say "not a tenant id: $tenant"; exit 2; }
[[ "$env" =~ ^[a-z]{1,16}$ ]] || { say "not an env: $env"; exit 2; }
[ -s "$TOKEN_FILE" ] || { say "no operator token in .engines/local/operator.token: start the service with bin/engines run first"; exit 1; }
operator_token="$(tr -d '\n' < "$TOKEN_FILE")"

body="$(mktemp)"
trap 'rm -f "$body"' EXIT
# The token goes to curl on stdin (a config line), never on its command line, where ps shows it.
status="$(printf 'header = "Authorization: Bearer %s"\n' "$operator_token" \
  | curl -sS -K - -o "$body" -w '%{http_code}' -X POST "$URL/v1/operator/tenants/$tenant/owner-keys")" \
  || { say "the service does not answer on $URL (bin/engines run starts it)"; exit 1; }
case "$status" in
  201) ;;
  404) say "tenant $tenant does not exist on $URL"; exit 1 ;;
  401|403) say "the operator token was refused: is $URL the service bin/engines run started?"; exit 1 ;;
  *) say "issuing the key failed (HTTP $status): $(grep -o '"detail":"[^"]*"' "$body" || true)"; exit 1 ;;
esac
key="$(grep -o '"token":"eng_[a-z2-7_]*"' "$body" | cut -d'"' -f4)"
key_id="$(grep -o '"key_id":"ak_[a-z2-7]*"' "$body" | head -n 1 | cut -d'"' -f4)"
[ -n "$key" ] || { say "the service answered without a key"; exit 1; }
check="$(printf 'header = "Authorization: Bearer %s"\n' "$key" \
  | curl -sS -K - -o /dev/null -w '%{http_code}' -H "X-Tenant-Id: $tenant" -H "X-Env: $env" "$URL/v1/me")" || check="000"
[ "$check" = "200" ] || say "warning: the new key answered HTTP $check on GET /v1/me in env $env"
say "issued owner key $key_id for tenant $tenant; it is printed once below and never again"
echo "ENGINES_TENANT=$tenant"
echo "ENGINES_ENV=$env"
echo "ENGINES_OWNER_KEY=$key"
