#!/usr/bin/env bash
# Finds or installs the headless browser the console's browser tests drive: Debian's chromium and
# chromium-driver (the driver matches the browser, both come from the same source package).
# Idempotent: nothing is installed when both are there. The tests fail, never skip, without them.
#
#   ENGINES_CHROMIUM / ENGINES_CHROMEDRIVER  use these binaries instead (nothing is installed)
set -euo pipefail

log() { printf '[browser] %s\n' "$*" >&2; }
die() { printf '[browser] ERROR: %s\n' "$*" >&2; exit 1; }

CHROMIUM="${ENGINES_CHROMIUM:-/usr/bin/chromium}"
DRIVER="${ENGINES_CHROMEDRIVER:-/usr/bin/chromedriver}"

if [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; then
  log "$("$CHROMIUM" --version 2>/dev/null || echo chromium) with $("$DRIVER" --version 2>/dev/null | cut -d' ' -f1-2)"
  exit 0
fi
if [ -n "${ENGINES_CHROMIUM:-}${ENGINES_CHROMEDRIVER:-}" ]; then
  die "ENGINES_CHROMIUM=${CHROMIUM} / ENGINES_CHROMEDRIVER=${DRIVER}: not both executable"
fi
command -v apt-get >/dev/null 2>&1 \
  || die "chromium and chromium-driver are missing and this is no Debian machine: install Chromium and its driver, then set ENGINES_CHROMIUM and ENGINES_CHROMEDRIVER."
[ "$(id -u)" = "0" ] \
  || die "chromium and chromium-driver are missing and this is not root: apt-get install chromium chromium-driver"
log "installing chromium and chromium-driver from Debian packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
[ -x "$CHROMIUM" ] && [ -x "$DRIVER" ] || die "the packages installed, but ${CHROMIUM} or ${DRIVER} is missing"
log "$("$CHROMIUM" --version 2>/dev/null) installed"
