#!/usr/bin/env bash
# Finds or provisions PostgreSQL 15+ with pgvector for local runs and tests, then creates the
# two roles Engines needs (an owner that runs migrations, a non-owner app role bound by RLS) and
# the databases. Idempotent: every step checks before it acts.
#
# Order of preference:
#   1. ENGINES_DB_EXTERNAL=1  - the caller manages the database; nothing is provisioned.
#   2. a working Docker engine - docker compose starts the pgvector/pgvector image.
#   3. Debian packages        - the PostgreSQL major the OS ships (15 on Debian 12, 17 on Debian 13),
#                               pgvector from apt when its package is >= 0.8 (Debian 13), else built
#                               from Debian's trixie source package (Debian 12), whose deb-src line is
#                               removed again afterwards.
set -euo pipefail
DB_HOST="${ENGINES_DB_HOST:-127.0.0.1}"
DB_PORT="${ENGINES_DB_PORT:-5432}"
OWNER_ROLE="${ENGINES_DB_OWNER:-engines_owner}"
OWNER_PASSWORD="${ENGINES_DB_OWNER_PASSWORD:-engines_owner_local}"
APP_ROLE="${ENGINES_DB_APP:-engines_app}"
APP_PASSWORD="${ENGINES_DB_APP_PASSWORD:-engines_app_local}"
FRESH=()
DATABASES=()
for arg in "$@"; do
  case "$arg" in
    --fresh=*) FRESH+=("${arg#--fresh=}"); DATABASES+=("${arg#--fresh=}") ;;
    *) DATABASES+=("$arg") ;;
  esac
done
[ ${#DATABASES[@]} -gt 0 ] || DATABASES=(engines)

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

# The PostgreSQL major to use: ENGINES_PG_MAJOR, else the newest one installed, else the one this
# OS release's `postgresql` package depends on (apt knows which: 15 on Debian 12, 17 on Debian 13).
detect_pg_major() {
  if [ -n "${ENGINES_PG_MAJOR:-}" ]; then echo "$ENGINES_PG_MAJOR"; return; fi
  local installed
  installed="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null \
    | awk -F/ '{print $5}' | sort -n | tail -n 1)"
  if [ -n "$installed" ]; then echo "$installed"; return; fi
  if command -v apt-cache >/dev/null 2>&1; then
    apt-cache depends postgresql 2>/dev/null | awk '/Depends: postgresql-[0-9]+$/ {sub("postgresql-", "", $2); print $2; exit}'
  fi
}

if [ "${ENGINES_DB_EXTERNAL:-0}" = "1" ]; then
  log "ENGINES_DB_EXTERNAL=1: using the database you configured; nothing provisioned."
  exit 0
fi

if [ -z "${ENGINES_DB_DOCKER:-}" ] && docker info >/dev/null 2>&1; then
  export ENGINES_DB_DOCKER=1
fi
PG_MAJOR=""
if [ -z "${ENGINES_DB_DOCKER:-}" ]; then
  PG_MAJOR="$(detect_pg_major)"
  [ -n "$PG_MAJOR" ] || die "cannot tell which PostgreSQL this system ships (no apt, nothing under /usr/lib/postgresql): set ENGINES_PG_MAJOR, or ENGINES_DB_EXTERNAL=1 with ENGINES_DB_URL."
  [ "$PG_MAJOR" -ge 15 ] || die "PostgreSQL ${PG_MAJOR} is older than 15, which Engines needs: set ENGINES_PG_MAJOR to a newer installed major."
fi

superuser_psql() {
  if [ -n "${ENGINES_DB_DOCKER:-}" ]; then
    docker compose -f "$(dirname "$0")/../../docker-compose.yml" exec -T postgres psql -U postgres -v ON_ERROR_STOP=1 "$@"
  elif [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- psql -p "$DB_PORT" -v ON_ERROR_STOP=1 -X -q "$@"
  else
    sudo -u postgres psql -p "$DB_PORT" -v ON_ERROR_STOP=1 -X -q "$@"
  fi
}

pg_bin() { echo "/usr/lib/postgresql/${PG_MAJOR}/bin"; }

ensure_debian_postgres() {
  if [ ! -x "$(pg_bin)/postgres" ]; then
    [ "$(id -u)" = "0" ] || die "PostgreSQL ${PG_MAJOR} is not installed and this is not root: install postgresql-${PG_MAJOR} or set ENGINES_DB_EXTERNAL=1 with ENGINES_DB_URL."
    log "installing postgresql-${PG_MAJOR} from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}" >/dev/null
  fi
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_MAJOR} main"; then
    log "creating cluster ${PG_MAJOR}/main"
    pg_createcluster "$PG_MAJOR" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting cluster ${PG_MAJOR}/main"
    pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 1; done
  pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || die "PostgreSQL does not answer on ${DB_HOST}:${DB_PORT}"
}

# The default_version of the installed pgvector, or nothing when it is not installed.
pgvector_version() {
  awk -F"'" '/^default_version/ {print $2}' "$1/extension/vector.control" 2>/dev/null || true
}

# Whether version $1 is at least 0.8 (iterative index scans, which vector search needs).
pgvector_recent() {
  [ -n "$1" ] && [ "$(printf '%s\n0.8.0\n' "$1" | sort -V | head -n 1)" = "0.8.0" ]
}

ensure_pgvector() {
  local sharedir installed
  sharedir="$("$(pg_bin)/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/${PG_MAJOR}")"
  installed="$(pgvector_version "$sharedir")"
  if pgvector_recent "$installed"; then return 0; fi
  [ "$(id -u)" = "0" ] || die "pgvector >= 0.8 is missing (found: ${installed:-none}) and this is not root: build it from source (see docs/operations.md)."
  # Debian 13 packages pgvector 0.8 for its PostgreSQL; Debian 12's package is 0.4, too old.
  local packaged
  packaged="$(apt-cache policy "postgresql-${PG_MAJOR}-pgvector" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
  if [ -n "$packaged" ] && [ "$packaged" != "(none)" ] && pgvector_recent "${packaged%%-*}"; then
    log "installing postgresql-${PG_MAJOR}-pgvector ${packaged} from apt"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PG_MAJOR}-pgvector" >/dev/null
  else
    build_pgvector_from_trixie
  fi
  installed="$(pgvector_version "$sharedir")"
  pgvector_recent "$installed" || die "pgvector build finished but ${sharedir}/extension/vector.control says ${installed:-nothing}, not >= 0.8"
  log "pgvector ${installed} installed"
}

# The trixie deb-src line is needed only to download the source package: it goes again as soon as
# the download is over (or fails), so the system's apt sources end as they were found.
TRIXIE_SRC_LIST=/etc/apt/sources.list.d/engines-trixie-src.list
remove_trixie_source() {
  if [ -f "$TRIXIE_SRC_LIST" ]; then
    rm -f "$TRIXIE_SRC_LIST"
    apt-get update -qq || log "apt-get update after removing ${TRIXIE_SRC_LIST} failed; run it again later"
  fi
}

build_pgvector_from_trixie() {
  log "pgvector ${installed:-missing} is older than 0.8 or missing: building it from Debian's trixie source package (about 15 s)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev >/dev/null
  local work; work="$(mktemp -d)"
  trap 'remove_trixie_source; rm -rf "$work"' EXIT
  echo "deb-src http://deb.debian.org/debian trixie main" > "$TRIXIE_SRC_LIST"
  apt-get update -qq
  ( cd "$work" && apt-get source --download-only -qq pgvector >/dev/null )
  remove_trixie_source
  ( cd "$work" && dpkg-source -x pgvector_*.dsc src >/dev/null \
      && make -s -C src PG_CONFIG="$(pg_bin)/pg_config" >/dev/null && make -s -C src PG_CONFIG="$(pg_bin)/pg_config" install >/dev/null )
  rm -rf "$work"
  trap - EXIT
}

ensure_docker_postgres() {
  log "Docker engine found: starting PostgreSQL+pgvector with docker compose"
  docker compose -f "$(dirname "$0")/../../docker-compose.yml" up -d --wait postgres
}

ensure_roles_and_databases() {
  superuser_psql -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
    CREATE ROLE ${OWNER_ROLE} LOGIN PASSWORD '${OWNER_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
\$\$;
ALTER ROLE ${APP_ROLE} NOSUPERUSER NOBYPASSRLS;
SQL
  local db
  for db in "${FRESH[@]}"; do
    # Test databases start empty on every run, so each suite sees exactly the migrations it ships.
    superuser_psql -d postgres -c "DROP DATABASE IF EXISTS ${db} WITH (FORCE)"
  done
  for db in "${DATABASES[@]}"; do
    if [ "$(superuser_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${db}'")" != "1" ]; then
      log "creating database ${db}"
      superuser_psql -d postgres -c "CREATE DATABASE ${db} OWNER ${OWNER_ROLE}"
    fi
    # Extensions need a superuser; the owner role then runs every migration.
    superuser_psql -d "$db" <<SQL
CREATE EXTENSION IF NOT EXISTS vector;
-- A database created under an older pgvector keeps its old version until updated.
ALTER EXTENSION vector UPDATE;
REVOKE ALL ON DATABASE ${db} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${APP_ROLE};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO ${OWNER_ROLE};
GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
SQL
  done
}

if [ -n "${ENGINES_DB_DOCKER:-}" ]; then
  ensure_docker_postgres
else
  ensure_debian_postgres
  ensure_pgvector
fi
ensure_roles_and_databases
log "PostgreSQL ready on ${DB_HOST}:${DB_PORT} (databases: ${DATABASES[*]}; owner ${OWNER_ROLE}, app ${APP_ROLE})"
