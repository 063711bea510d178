#!/usr/bin/env bash
# bench/fanout/run.sh: N graphql-transport-ws subscribers to operationsStream
# (raw `ws` clients in PROCS Node worker processes), resident memory per idle
# subscriber (the server's VmRSS before and after), then one processCreate
# and p50/p99 of the time until each subscriber has the event; against mesd
# and against a Node baseline (graphql-ws useServer on ws, same SDL) in the
# same run. Writes bench/fanout/results.md and the FANOUT section of
# bench/RESULTS.md.
# Settings (environment): N (10000), PROCS (4), PORT (4200), NODE_PORT (4201),
# BUILD (build-release), WAIT_QUIET (300), QUIET_IDLE (90), ONLY (mesd|baseline).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../http/lib.sh"
N=${N:-10000} PROCS=${PROCS:-4} PORT=${PORT:-4200} NODE_PORT=${NODE_PORT:-4201} ONLY=${ONLY:-}
OUT=$HERE/results.md
TMP=$(mktemp -d /tmp/bench-fanout.XXXXXX)
trap 'stop_all; rm -rf "$TMP"' EXIT

# every subscriber is a socket at both ends
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((N + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $N subscribers (raise the hard limit)" >&2
  exit 1
fi
[ "$ONLY" = baseline ] || build_release
wait_quiet

ROWS=()
# measure LABEL WS_URL HTTP_URL TOKEN PID
measure() {
  local line
  line=$(node "$HERE/fanout.mjs" "$(printf '{"label":"%s","ws":"%s","http":"%s","token":"%s","n":%d,"procs":%d,"pid":%d}' \
    "$1" "$2" "$3" "$4" "$N" "$PROCS" "$5")" | sed -n 's/^FANOUT_RESULT //p')
  echo "$line" >&2
  ROWS+=("$(node -e '
    const r = JSON.parse(process.argv[1]);
    const errs = Object.entries(r.errors).map(([k, v]) => `${v}× ${k}`).join("; ") || "none";
    console.log(`| ${r.label} | ${r.subscribed}/${r.n} | ${r.received} | ${r.rssBeforeKiB} → ${r.rssAfterKiB} | ${r.bytesPerSubscriber} | ${r.mutationMs} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${errs} |`);
  ' "$line")")
}

if [ "$ONLY" != baseline ]; then
  mkdir -p "$TMP/mesd"
  mesd_start "$TMP/mesd" "$PORT" --max-connections $((N + 100))
  measure mesd "ws://127.0.0.1:$PORT/graphql" "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$MESD_PID"
  stop_pid "$MESD_PID"
fi
if [ "$ONLY" != mesd ]; then
  BENCH_TOKEN=bench node_start "$TMP/baseline.log" "$HERE/baseline.mjs" "$NODE_PORT"
  wait_http "http://127.0.0.1:$NODE_PORT/healthz"
  measure baseline "ws://127.0.0.1:$NODE_PORT/graphql" "http://127.0.0.1:$NODE_PORT/graphql" bench "$NODE_PID"
  stop_pid "$NODE_PID"
fi

{
  echo "# bench/fanout results ($(date -u +'%Y-%m-%d %H:%M UTC'))"
  echo
  machine_info
  echo "- $N graphql-transport-ws subscribers to \`subscription { operationsStream { id externalId name seq updatedAt } }\` from $PROCS Node worker processes (raw \`ws\` clients) on the same machine; one \`processCreate\` over HTTP; latency from the mutation's send to each subscriber's receipt of its \`next\` (CLOCK_MONOTONIC in every process)"
  echo
  echo "| server | subscribed | received | server RSS KiB (idle → subscribed) | bytes per idle subscriber | mutation answered ms | p50 ms | p99 ms | max ms | errors |"
  echo "|---|---|---:|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Targets: p99 under 100 ms, at most 8 KiB (8192 bytes) per idle subscriber."
} >"$OUT"
cat "$OUT"
# a partial run (ONLY) is not the record
[ -n "$ONLY" ] || results_section FANOUT 'Subscription fanout (`bench/fanout/run.sh`)' "$OUT"
