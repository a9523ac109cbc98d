#!/usr/bin/env bash
# PostgreSQL for CI runs of the ordo/postgres server suites.
#
#   eval "$(bash scripts/ci-postgres.sh)"           start the local server if needed, create a fresh database,
#                                                   and export ORDO_PG_URL pointing at it
#   bash scripts/ci-postgres.sh drop "$ORDO_PG_URL" drop that database again (optional clean-up)
#
# Only the `export` line goes to stdout, so the output can be eval'ed; progress and errors go to stderr.
# Set ORDO_PG_HOST / ORDO_PG_PORT / ORDO_PG_USER to use another server (default postgres@127.0.0.1:5432, trust auth).
set -euo pipefail

host="${ORDO_PG_HOST:-127.0.0.1}"
port="${ORDO_PG_PORT:-5432}"
user="${ORDO_PG_USER:-postgres}"

log() { printf 'ci-postgres: %s\n' "$*" >&2; }

admin_psql() {
  psql -h "$host" -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

if [ "${1:-}" = "drop" ]; then
  url="${2:?usage: ci-postgres.sh drop <postgres url>}"
  db="${url##*/}"
  case "$db" in
    ordo_ci_*) ;;
    *) log "refusing to drop '$db': only databases created by this script (ordo_ci_*)"; exit 1 ;;
  esac
  admin_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >&2
  log "dropped $db"
  exit 0
fi

if ! pg_isready -h "$host" -p "$port" -q; then
  if [ "$host" != "127.0.0.1" ] && [ "$host" != "localhost" ]; then
    log "PostgreSQL at $host:$port is not ready, and it is not local: not starting it"
    exit 1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  log "starting the local PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi

for _ in $(seq 1 60); do
  pg_isready -h "$host" -p "$port" -q && break
  sleep 1
done
if ! pg_isready -h "$host" -p "$port" -q; then
  log "PostgreSQL at $host:$port did not become ready within 60 s"
  exit 1
fi

db="ordo_ci_$$_$(date +%s)"
admin_psql -c "CREATE DATABASE \"$db\"" >&2
log "created database $db"
printf 'export ORDO_PG_URL=postgres://%s@%s:%s/%s\n' "$user" "$host" "$port" "$db"
