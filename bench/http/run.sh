#!/usr/bin/env bash
# bench/http/run.sh: GraphQL over HTTP throughput, mesd against a Node
# baseline, in one run on one machine. Builds mesd (Release) if needed,
# serves a fresh SQLite database, deploys 100 processes through the API with
# an admin token, then runs wrk (POST JSON bodies, token header) for
#   A: { __typename }
#   B: { operations { id externalId name updatedAt consumedSerials { id name externalId } } }
# (B twice on mesd: as configured, i.e. from the response cache after the
# first answer, and with the cache off, which executes every request)
# against mesd and against the baseline (graphql-js 16 + graphql-http on
# node:http, the same SDL, the same 100 operations from memory). Prints req/s
# and latency, writes bench/http/results.md and the HTTP section of bench/RESULTS.md.
# Settings (environment): DURATION (10s), WARMUP (2s), THREADS (2), CONNS (50), OPS (100),
# PORT (4100), NODE_PORT (4101), NET_PORT (4102), BUILD (build-release),
# WAIT_QUIET (300), QUIET_IDLE (90),
# ONLY (mesd|net|baseline: one server instead of all three).
# A third server, net-only (bench/http/net_only.c: src/net answering a fixed
# body), shows the transport's own ceiling on the machine.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
DURATION=${DURATION:-10s} WARMUP=${WARMUP:-2s} THREADS=${THREADS:-2} CONNS=${CONNS:-50} OPS=${OPS:-100}
PORT=${PORT:-4100} NODE_PORT=${NODE_PORT:-4101} NET_PORT=${NET_PORT:-4102} ONLY=${ONLY:-}
OUT=$HERE/results.md
TMP=$(mktemp -d /tmp/bench-http.XXXXXX)
trap 'stop_all; rm -rf "$TMP"' EXIT

need_wrk
[ "$ONLY" = baseline ] || build_release
wait_quiet

Q_TYPENAME='{"query":"{ __typename }"}'
Q_OPS='{"query":"{ operations { id externalId name updatedAt consumedSerials { id name externalId } } }"}'
ROWS=()

# bench NAME URL TOKEN BODY LABEL: one wrk run after a check that the answer is right.
bench() {
  local name=$1 url=$2 token=$3 body=$4 label=$5 check
  check=$(curl -s -H 'content-type: application/json' -H 'accept: application/json' -H "x-pico-api-org: $token" --data "$body" "$url")
  case "$label" in
    typename) [[ $check == '{"data":{"__typename":"Query"}}' ]] || { echo "$name: wrong answer: $check" >&2; exit 1; } ;;
    operations) [ "$(grep -o '"externalId":"BP-' <<<"$check" | wc -l)" = "$OPS" ] || { echo "$name: wrong answer: ${check:0:300}" >&2; exit 1; } ;;
  esac
  echo "== $name $label: $(wc -c <<<"$check") bytes per answer; wrk -t$THREADS -c$CONNS -d$DURATION" >&2
  local log=$TMP/$name-$label.txt
  # a short warm-up first (JIT, caches, allocator): both servers are measured warm
  BENCH_BODY=$body BENCH_TOKEN=$token wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$HERE/post.lua" "$url" >/dev/null
  BENCH_BODY=$body BENCH_TOKEN=$token wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$HERE/post.lua" "$url" >"$log"
  sed -n '/Thread Stats/,/Transfer/p' "$log" >&2
  local r
  r=$(sed -n 's/^BENCH_RESULT //p' "$log")
  ROWS+=("$(node -e '
    const r = JSON.parse(process.argv[1]);
    const errs = Object.entries(r.errors).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    console.log(`| ${process.argv[2]} | ${process.argv[3]} | ${Math.round(r.rps).toLocaleString("en")} | ${(r.p50_us / 1000).toFixed(2)} | ${(r.p99_us / 1000).toFixed(2)} | ${(r.max_us / 1000).toFixed(1)} | ${errs} |`);
  ' "$r" "$name" "$label")")
}

if [ -z "$ONLY" ] || [ "$ONLY" = mesd ]; then
  mkdir -p "$TMP/mesd"
  mesd_start "$TMP/mesd" "$PORT"
  node "$HERE/deploy.mjs" "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$OPS" >&2
  bench mesd "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$Q_TYPENAME" typename
  bench mesd "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$Q_OPS" operations
  MESD_RSS=$(rss_kib "$MESD_PID")
  stop_pid "$MESD_PID"
  # the same query with the response cache off: what executing it costs
  # (repeated identical queries are otherwise answered from the cache)
  mkdir -p "$TMP/mesd-nocache"
  mesd_start "$TMP/mesd-nocache" "$PORT" --query-cache-entries 0
  node "$HERE/deploy.mjs" "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$OPS" >&2
  bench mesd-nocache "http://127.0.0.1:$PORT/graphql" "$TOKEN" "$Q_OPS" operations
  stop_pid "$MESD_PID"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = net ]; then
  # the transport's ceiling on this machine: src/net answering a fixed body
  "$BUILD/net_only" "$NET_PORT" >"$TMP/net_only.log" 2>&1 &
  NET_PID=$!
  BENCH_PIDS+=("$NET_PID")
  wait_http "http://127.0.0.1:$NET_PORT/"
  bench net-only "http://127.0.0.1:$NET_PORT/graphql" "" "$Q_TYPENAME" typename
  stop_pid "$NET_PID"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = baseline ]; then
  BENCH_TOKEN=bench node_start "$TMP/baseline.log" "$HERE/baseline.mjs" "$NODE_PORT" "$OPS"
  wait_http "http://127.0.0.1:$NODE_PORT/healthz"
  bench baseline "http://127.0.0.1:$NODE_PORT/graphql" bench "$Q_TYPENAME" typename
  bench baseline "http://127.0.0.1:$NODE_PORT/graphql" bench "$Q_OPS" operations
  NODE_RSS=$(rss_kib "$NODE_PID")
  stop_pid "$NODE_PID"
fi

{
  echo "# bench/http results ($(date -u +'%Y-%m-%d %H:%M UTC'))"
  echo
  machine_info
  echo "- wrk: $THREADS threads, $CONNS connections, $DURATION per run, POST JSON with the token header; $OPS operations deployed"
  echo "- server RSS after its runs: mesd ${MESD_RSS:-n/a} KiB, baseline ${NODE_RSS:-n/a} KiB"
  echo
  echo "| server | query | req/s | p50 ms | p99 ms | max ms | errors |"
  echo "|---|---|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Targets (2 cores, wrk sharing them): 80,000 req/s for typename, 10,000 req/s for operations."
} >"$OUT"
cat "$OUT"
# a partial run (ONLY) is not the record
[ -n "$ONLY" ] || results_section HTTP 'GraphQL over HTTP (`bench/http/run.sh`)' "$OUT"
