#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for tests, idempotently, and prints its URL.
# Usage: scripts/start-postgres.sh [port]   (default 55432; data under ${PGTEST_DIR:-/tmp/concord-pg})
# PostgreSQL refuses to run as root, so as root it runs the server as the `postgres` user.
set -euo pipefail

PORT="${1:-${PGTEST_PORT:-55432}}"
DIR="${PGTEST_DIR:-/tmp/concord-pg}"
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -s "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
  as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null
fi

echo "$URL"
