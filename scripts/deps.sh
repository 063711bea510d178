#!/usr/bin/env bash
# Installs what building and testing mesd needs on Debian 12: the Debian
# packages (when run as root; otherwise prints the apt-get command), and the
# npm packages of the node-side tests from the committed package-lock.json.
# Usage: scripts/deps.sh build|test
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

pkgs=(build-essential cmake pkg-config libcmocka-dev libsqlite3-dev libssl-dev
      libuv1-dev libjson-c-dev node-llhttp libcurl4-openssl-dev libpq-dev)
if [ "$what" = test ]; then
  # chromium: the browser the operator app's e2e test drives (playwright-core);
  # postgresql-15: the throwaway server of the PostgreSQL tests (scripts/pg.sh);
  # sqlite3: the command-line shell some tests look under the store with
  pkgs+=(clang libclang-rt-14-dev valgrind chromium postgresql-15 sqlite3)
fi
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "deps: missing Debian packages; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ "$what" = test ]; then
  # npm ci only when the lock file changed since the last install
  stamp=tests/node_modules/.mesd-lock
  if [ ! -f "$stamp" ] || ! cmp -s tests/package-lock.json "$stamp"; then
    echo "deps: npm ci in tests/"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/package-lock.json "$stamp"
  fi
fi
