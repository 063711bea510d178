# lib.sh: what bench/http/run.sh and bench/fanout/run.sh share (sourced, not
# run): the machine's description, a Release build of mesd, a mesd server on
# a fresh SQLite database with an admin token, waiting for a port, stopping
# what was started. Never touches anything but the processes it starts and
# its own temporary directory.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$BENCH_ROOT/build-release}
MESD=$BUILD/mesd
BENCH_PIDS=()

machine_info() {
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
  echo "- kernel: $(uname -sr); node $(node --version); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- other load: ${QUIET_NOTE:-not measured}; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- mesd: $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$BENCH_ROOT" diff --quiet HEAD -- src CMakeLists.txt 2>/dev/null || echo ' (with uncommitted source changes)'), Release build ($BUILD)"
}

# Percent of the machine's CPU time idle over the next 2 seconds.
cpu_idle_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( total ? 100 * idle / total : 0 ))
}

# wait_quiet: a benchmark on a shared machine measures its neighbours too:
# wait (up to WAIT_QUIET seconds, default 300) until the CPU is at least
# QUIET_IDLE percent idle (default 90), and note what it was in QUIET_NOTE.
wait_quiet() {
  local end=$((SECONDS + ${WAIT_QUIET:-300})) idle
  while :; do
    idle=$(cpu_idle_pct)
    [ "$idle" -ge "${QUIET_IDLE:-90}" ] && break
    [ $SECONDS -ge $end ] && { echo "the machine stayed busy (${idle}% idle): measuring anyway" >&2; break; }
    echo "waiting for a quiet machine (${idle}% idle)" >&2
  done
  QUIET_NOTE="CPU ${idle}% idle just before the run"
}

build_release() {
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$BENCH_ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$BUILD" -j2 --target mesd >/dev/null
  # the transport alone (bench/http/net_only.c), linked from the same libraries
  local src=$BENCH_ROOT/bench/http/net_only.c
  if [ ! -x "$BUILD/net_only" ] || [ "$src" -nt "$BUILD/net_only" ] || [ "$BUILD/libmesd_core.a" -nt "$BUILD/net_only" ]; then
    cc -O2 -std=gnu17 -I"$BENCH_ROOT/src/net" -I/usr/share/include/llhttp "$src" "$BUILD/libmesd_core.a" \
      "$BUILD/libgql.a" "$BUILD/libllhttp.a" -luv -lsqlite3 -lcrypto -lpthread -lm -o "$BUILD/net_only"
  fi
}

need_wrk() {
  command -v wrk >/dev/null && return
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else echo "wrk is missing: apt-get install wrk (as root)" >&2; exit 1; fi
}

# wait_http URL [SECONDS]: until URL answers at all.
wait_http() {
  local url=$1 end=$((SECONDS + ${2:-20}))
  until curl -s -o /dev/null "$url"; do
    [ $SECONDS -ge $end ] && { echo "no answer from $url" >&2; return 1; }
    sleep 0.1
  done
}

# mesd_start DIR PORT [SERVE FLAGS…]: a fresh database in DIR, an admin token
# in $TOKEN, the server on 127.0.0.1:PORT in the background ($MESD_PID), its
# log in DIR.
mesd_start() {
  local dir=$1 port=$2 db="sqlite:$1/bench.db"
  shift 2
  "$MESD" migrate --db "$db" >"$dir/migrate.log" 2>&1
  TOKEN=$("$MESD" token create --role admin --name bench --db "$db" 2>>"$dir/migrate.log" | tail -n 1)
  [ -n "$TOKEN" ] || { echo "mesd token create gave no token (see $dir/migrate.log)" >&2; return 1; }
  "$MESD" serve --listen "127.0.0.1:$port" --db "$db" "$@" >"$dir/mesd.log" 2>&1 &
  MESD_PID=$!
  BENCH_PIDS+=("$MESD_PID")
  wait_http "http://127.0.0.1:$port/healthz"
}

# node_start LOG SCRIPT ARGS...: a Node process in the background ($NODE_PID).
node_start() {
  local log=$1
  shift
  node "$@" >"$log" 2>&1 &
  NODE_PID=$!
  BENCH_PIDS+=("$NODE_PID")
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

stop_all() {
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
  BENCH_PIDS=()
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# results_section NAME TITLE FILE: replace the NAME section of bench/RESULTS.md
# (between <!-- NAME:BEGIN --> and <!-- NAME:END -->, appended when missing)
# with TITLE as its heading and FILE's text without its first heading.
results_section() {
  node -e '
    const fs = require("fs");
    const [name, title, file, results] = process.argv.slice(1);
    const body = fs.readFileSync(file, "utf8").replace(/^# .*\n+/, "").trim();
    const section = `<!-- ${name}:BEGIN -->\n## ${title}\n\n${body}\n<!-- ${name}:END -->`;
    let text = fs.existsSync(results) ? fs.readFileSync(results, "utf8") : "# Benchmark results\n";
    const re = new RegExp(`<!-- ${name}:BEGIN -->[\\s\\S]*<!-- ${name}:END -->`);
    text = re.test(text) ? text.replace(re, () => section) : text.trimEnd() + "\n\n\n" + section + "\n";
    fs.writeFileSync(results, text);
  ' "$1" "$2" "$3" "$BENCH_ROOT/bench/RESULTS.md"
}
