#!/usr/bin/env bash
# The ctest fixture of the PostgreSQL unit tests (CMakeLists.txt: pg/start,
# pg/stop). `start STATE` starts a throwaway PostgreSQL 15 with scripts/pg.sh
# in a new folder under /tmp (short, so the socket path fits in sun_path, and
# reachable by the postgres user wherever the build tree is) and writes its
# folder to STATE/dir and its URL to STATE/url; a server left by an earlier
# run that died is removed first. `stop STATE` removes it.
set -euo pipefail
cmd=${1:?usage: pg_fixture.sh start|stop STATE} state=${2:?usage: pg_fixture.sh start|stop STATE}
pg="$(cd "$(dirname "$0")/../.." && pwd)/scripts/pg.sh"

stop() {
  if [ -f "$state/dir" ]; then "$pg" stop "$(cat "$state/dir")"; fi
  rm -rf "$state"
}

case $cmd in
start)
  stop
  mkdir -p "$state"
  dir=$(mktemp -d /tmp/mesd-pg.XXXXXX)
  echo "$dir" >"$state/dir"
  "$pg" start "$dir" >"$state/url.tmp"
  mv "$state/url.tmp" "$state/url"
  echo "PostgreSQL for the tests: $(cat "$state/url")"
  ;;
stop) stop ;;
*) echo "usage: pg_fixture.sh start|stop STATE" >&2; exit 2 ;;
esac
