#!/usr/bin/env bash
# bench/orders/run.sh: work-order completions through the API, durable
# before answered, in three configurations in one run: mesd on SQLite, mesd
# on PostgreSQL 15 (one instance), and two mesd instances on one PostgreSQL
# database (the HTTP clients and the subscribers split between them, so half
# of the subscribers hear of the other instance's completions by
# LISTEN/NOTIFY). Per configuration (bench/orders/drive.mjs): phase 1,
# CLIENTS concurrent HTTP clients POSTing workOrderComplete one at a time,
# no subscriber: completions per second; phase 2, SUBS graphql-transport-ws
# subscribers to operationOrderCompletesStream and the same clients again:
# the time from a completion's answer at its client to its arrival at each
# subscriber (p50/p99/max), each subscriber checked to get every completion
# once in seq order. PostgreSQL is a throwaway cluster (scripts/pg.sh), a
# fresh database per configuration. Writes bench/orders/results.md and the
# ORDERS section of bench/RESULTS.md.
# Settings (environment): ORDERS (50000: phase 1's orders on SQLite), PG_ORDERS
# (10000: on PostgreSQL, slower to save and to complete), SECONDS_LOAD (10:
# phase 1's limit), SUBS (1000), SUB_ORDERS (3000), SECONDS_SUBS (15), SUB_RATE
# (0: phase 2 as fast as the clients go; N: paced at N completions/s),
# CLIENTS (32), PROCS (2: subscriber processes), PORT (4420; the second
# instance PORT+1), BUILD (build-release), WAIT_QUIET (300), QUIET_IDLE (90),
# ONLY (sqlite|pg1|pg2: one configuration, not written to RESULTS.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../http/lib.sh"
ORDERS=${ORDERS:-50000} PG_ORDERS=${PG_ORDERS:-10000} SECONDS_LOAD=${SECONDS_LOAD:-10} SUBS=${SUBS:-1000} SUB_ORDERS=${SUB_ORDERS:-3000}
SECONDS_SUBS=${SECONDS_SUBS:-15} SUB_RATE=${SUB_RATE:-0} CLIENTS=${CLIENTS:-32} PROCS=${PROCS:-2} PORT=${PORT:-4420} ONLY=${ONLY:-}
OUT=$HERE/results.md
TMP=$(mktemp -d /tmp/bench-orders.XXXXXX)
PG_DIR=$(mktemp -d /tmp/bench-orders-pg.XXXXXX) # outside $TMP: PostgreSQL runs as its own user
PG_STARTED=
cleanup() {
  stop_all
  if [ -n "$PG_STARTED" ]; then "$BENCH_ROOT/scripts/pg.sh" stop "$PG_DIR"; else rm -rf "$PG_DIR"; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((SUBS + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $SUBS subscribers (raise the hard limit)" >&2
  exit 1
fi
build_release

# serve NAME PORT DB: mesd serve in the background (its pid appended to
# SERVE_PIDS), its log in $TMP/NAME.log; on a fresh database the first start
# prints the admin token, kept in $TOKEN (a second instance prints none).
SERVE_PIDS=()
serve() {
  local log=$TMP/$1.log
  "$MESD" serve --listen "127.0.0.1:$2" --db "$3" --max-connections $((SUBS + 500)) >"$log" 2>&1 &
  BENCH_PIDS+=("$!")
  SERVE_PIDS+=("$!")
  wait_http "http://127.0.0.1:$2/healthz" 30 || { cat "$log" >&2; return 1; }
  local t
  t=$(sed -n 's/^admin token (shown once): //p' "$log")
  [ -z "$t" ] || TOKEN=$t
}

# pg_database NAME: a fresh database NAME in the throwaway cluster (started
# at the first call), its URL in $DB_URL
pg_database() {
  if [ -z "$PG_STARTED" ]; then
    PG_STARTED=1   # before: a half-started cluster is stopped too
    PG_URL=$("$BENCH_ROOT/scripts/pg.sh" start "$PG_DIR") || return 1
  fi
  [ -n "${PG_URL:-}" ] || return 1
  psql -q -h "$PG_DIR" -U postgres -d mesd -c "CREATE DATABASE $1" >/dev/null || return 1
  DB_URL=${PG_URL/\/mesd\?/\/$1?}
}

ROWS=()
# did_not_run LABEL REASON: the configuration's row says why
did_not_run() {
  local line
  line=$(node -e 'console.log(JSON.stringify({ label: process.argv[1], didNotRun: process.argv[2] }))' "$1" "$2")
  echo "$line" >&2
  ROWS+=("$line")
  stop_all
  SERVE_PIDS=()
}

# measure LABEL ORDERS: drive.mjs against the servers started on PORT, PORT+1, …;
# a configuration that fails (e.g. a store function PostgreSQL lacks) gets
# a row saying why, and the run goes on with the next
measure() {
  local servers=() i line pm=null log=$TMP/drive-${#ROWS[@]}.log
  for ((i = 0; i < ${#SERVE_PIDS[@]}; i++)); do
    servers+=("{\"http\":\"http://127.0.0.1:$((PORT + i))/graphql\",\"ws\":\"ws://127.0.0.1:$((PORT + i))/graphql\"}")
  done
  [ -z "$PG_STARTED" ] || pm=$(head -1 "$PG_DIR/data/postmaster.pid")
  # progress on the terminal as it comes; the log is whole once tee exits
  node "$HERE/drive.mjs" "$(printf '{"label":"%s","servers":[%s],"token":"%s","orders":%d,"subOrders":%d,"clients":%d,"subs":%d,"procs":%d,"seconds":%s,"subSeconds":%s,"subRate":%s,"mesdPids":[%s],"postmasterPid":%s}' \
    "$1" "$(IFS=,; echo "${servers[*]}")" "$TOKEN" "$2" "$SUB_ORDERS" "$CLIENTS" "$SUBS" "$PROCS" \
    "$SECONDS_LOAD" "$SECONDS_SUBS" "$SUB_RATE" "$(IFS=,; echo "${SERVE_PIDS[*]}")" "$pm")" 2>&1 | tee "$log" >&2 || true
  line=$(sed -n 's/^ORDERS_RESULT //p' "$log")
  if [ -z "$line" ]; then
    did_not_run "$1" "$(grep -m1 -E '^(Error|[A-Za-z]*Error)' "$log" | cut -c1-300)"
    return
  fi
  ROWS+=("$line")
  stop_all
  SERVE_PIDS=()
}

wait_quiet
if [ -z "$ONLY" ] || [ "$ONLY" = sqlite ]; then
  if serve sqlite "$PORT" "sqlite:$TMP/bench.db"; then measure "SQLite" "$ORDERS"
  else did_not_run "SQLite" "mesd serve did not start (its log is above)"; fi
fi
if [ -z "$ONLY" ] || [ "$ONLY" = pg1 ]; then
  if ! pg_database bench_one; then did_not_run "PostgreSQL, 1 instance" "no PostgreSQL (scripts/pg.sh start failed)"
  elif serve pg1 "$PORT" "$DB_URL"; then measure "PostgreSQL, 1 instance" "$PG_ORDERS"
  else did_not_run "PostgreSQL, 1 instance" "mesd serve did not start (its log is above)"; fi
fi
if [ -z "$ONLY" ] || [ "$ONLY" = pg2 ]; then
  if ! pg_database bench_two; then did_not_run "PostgreSQL, 2 instances" "no PostgreSQL (scripts/pg.sh start failed)"
  elif serve pg2a "$PORT" "$DB_URL" && serve pg2b $((PORT + 1)) "$DB_URL"; then measure "PostgreSQL, 2 instances" "$PG_ORDERS"
  else did_not_run "PostgreSQL, 2 instances" "mesd serve did not start (its log is above)"; fi
fi

{
  echo "# bench/orders results ($(date -u +'%Y-%m-%d %H:%M UTC'))"
  echo
  machine_info
  [ -z "$PG_STARTED" ] || echo "- PostgreSQL: $("/usr/lib/postgresql/15/bin/postgres" --version | cut -d' ' -f3), a throwaway cluster from \`scripts/pg.sh\` (Unix socket, \`fsync=off\`: PostgreSQL's commits here are not flushed to disk, SQLite's are: \`synchronous=FULL\`)"
  echo "- one process (\`bench_orders_proc\`) and one station; orders saved beforehand under one externalOrderId, 50 aliased \`operationOrderSave\` a request, 4 requests at a time; $CLIENTS HTTP/1.1 keep-alive clients in one Node process, each POSTing \`workOrderComplete\` (READY → COMPLETED in one step) one at a time; with two instances client k uses instance k mod 2"
  echo "- phase 1 (throughput): no subscriber, up to $ORDERS orders on SQLite, $PG_ORDERS on PostgreSQL, or ${SECONDS_LOAD} s"
  echo "- phase 2 (latency): $SUBS raw graphql-transport-ws subscribers (\`ws\`) in $PROCS Node processes to \`operationOrderCompletesStream(where: { externalOrderId: { _eq: \$e } })\`, subscriber k on instance k mod (instances), then the same clients for up to $SUB_ORDERS orders or ${SECONDS_SUBS} s$([ "$SUB_RATE" = 0 ] && echo ", as fast as they go" || echo ", paced at $SUB_RATE completions/s"); latency = the event's arrival at a subscriber minus its completion's answer at the client (negative: the event came first), per (completion, subscriber), CLOCK_MONOTONIC in every process"
  echo "- everything (servers, PostgreSQL, the driver, the subscribers) shares the machine's $(nproc) cores; CPU columns are CPU-seconds each used during the phase (others: every other process on the machine, from /proc/stat), out of (cores × wall seconds)"
  echo
  node "$HERE/table.mjs" "$SUBS" "${ROWS[@]}"
} >"$OUT"
cat "$OUT"
# a partial run (ONLY) is not the record
[ -n "$ONLY" ] || results_section ORDERS 'Orders (`bench/orders/run.sh`)' "$OUT"
