#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the tests (idempotent) and prints
# `export TEST_DATABASE_URL=...`. PostgreSQL refuses to run as root, so the cluster belongs to
# the `postgres` user (created by Debian's package) or, failing that, to `nobody`.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PGPORT=${PGPORT:-54329}
PGDATA_DIR=${PGDATA_DIR:-/tmp/concord-pg-$PGPORT}
[ -x "$PGBIN/postgres" ] || { echo "PostgreSQL binaries not found; install Debian's postgresql" >&2; exit 1; }

run_as=postgres
id -u "$run_as" >/dev/null 2>&1 || run_as=nobody
as_user() {
  if [ "$(id -u)" = 0 ]; then su -s /bin/bash "$run_as" -c "$*"; else bash -c "$*"; fi
}

if ! as_user "$PGBIN/pg_ctl -D $PGDATA_DIR status" >/dev/null 2>&1; then
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown "$run_as" "$PGDATA_DIR"
    as_user "$PGBIN/initdb -D $PGDATA_DIR -U concord --auth=trust -E UTF8 >/dev/null"
  fi
  as_user "$PGBIN/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/server.log -w \
    -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on' start >/dev/null"
fi
echo "export TEST_DATABASE_URL=postgres://concord@127.0.0.1:$PGPORT/postgres"
