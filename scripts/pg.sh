#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests: `scripts/pg.sh start DIR` makes a
# cluster in DIR (owned by the postgres user, as PostgreSQL refuses to run as
# root), starts it listening only on a Unix socket in DIR, creates the
# database `mesd`, and prints its libpq URL; `scripts/pg.sh stop DIR` stops it
# and removes DIR. Installs postgresql-15 when run as root and it is missing.
# Used by the ctest fixture pg (tests/unit/pg_fixture.sh): the unit tests
# test_pg_* and the e2e tests *_postgres (docs/postgres.md).
set -euo pipefail
cmd=${1:?usage: scripts/pg.sh start|stop DIR} dir=${2:?usage: scripts/pg.sh start|stop DIR}
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
start)
  if [ ! -x "$bin/postgres" ]; then
    [ "$(id -u)" = 0 ] || { echo "pg.sh: postgresql-15 is missing; run as root: apt-get install -y postgresql-15" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
  # no TCP; fsync off: the cluster lives for one test run (mesd's own
  # durability is tested by killing mesd, not the database)
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-c listen_addresses='' -k $dir -c fsync=off" start >/dev/null
  as_pg "$bin/createdb" -h "$dir" -U postgres mesd
  echo "postgresql://postgres@/mesd?host=$dir"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "usage: scripts/pg.sh start|stop DIR" >&2; exit 2 ;;
esac
