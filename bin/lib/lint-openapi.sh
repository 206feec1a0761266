#!/usr/bin/env bash
# Lints the committed OpenAPI document (docs/openapi.json, which the test suite holds equal to
# /v3/api-docs) with Redocly CLI's recommended rules: any error fails. Redocly CLI comes from the
# npm registry, pinned, through the machine's Node.js.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REDOCLY="@redocly/cli@2.77.0"
if ! command -v npx >/dev/null 2>&1; then
  echo "lint-openapi: npx (Node.js 20+ with npm) is needed to lint docs/openapi.json; install Node.js and npm" >&2
  exit 1
fi
echo "---- OpenAPI lint (Redocly CLI, recommended rules) ----"
exec npx --yes "$REDOCLY" lint "$ROOT/docs/openapi.json" --format=summary
