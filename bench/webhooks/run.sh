#!/usr/bin/env bash
# bench/webhooks/run.sh: webhook deliveries per second. SUBS subscriptions
# on operationsStream to one local Node receiver (receiver.mjs) that answers
# 200 at once; EVENTS processCreate events (aliased, BATCH a request);
# deliveries per second from the first mutation sent to the last delivery
# received (SUBS × EVENTS deliveries), with the receiver's count of
# deliveries out of seq order (must be 0) and of repeats. Writes
# bench/webhooks/results.md and the WEBHOOKS section of bench/RESULTS.md.
# Settings (environment): SUBS (8), EVENTS (5000), BATCH (50), PORT (4310),
# RX_PORT (4311), BUILD (build-release), WAIT_QUIET (300), QUIET_IDLE (90),
# MESD_ARGS (extra `mesd serve` flags, e.g. the in-flight limit per host).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../http/lib.sh"
SUBS=${SUBS:-8} EVENTS=${EVENTS:-5000} BATCH=${BATCH:-50} PORT=${PORT:-4310} RX_PORT=${RX_PORT:-4311}
OUT=$HERE/results.md
TMP=$(mktemp -d /tmp/bench-webhooks.XXXXXX)
trap 'stop_all; rm -rf "$TMP"' EXIT

build_release
wait_quiet

node_start "$TMP/receiver.log" "$HERE/receiver.mjs" "$RX_PORT"
wait_http "http://127.0.0.1:$RX_PORT/stats"
# shellcheck disable=SC2086
mesd_start "$TMP" "$PORT" ${MESD_ARGS:-}
line=$(node "$HERE/drive.mjs" "$(printf '{"http":"http://127.0.0.1:%d/graphql","token":"%s","rx":"http://127.0.0.1:%d","subs":%d,"events":%d,"batch":%d}' \
  "$PORT" "$TOKEN" "$RX_PORT" "$SUBS" "$EVENTS" "$BATCH")" | sed -n 's/^WEBHOOKS_RESULT //p')
echo "$line" >&2
RSS=$(rss_kib "$MESD_PID")
stop_all

ROW=$(node -e '
  const r = JSON.parse(process.argv[1]);
  const f = (n) => n.toLocaleString("en-US");
  console.log(`| ${r.subs} | ${f(r.events)} | ${f(r.delivered)}/${f(r.want)} | ${f(r.emitMs)} | ${r.seconds} | **${f(r.perSecond)}** | ${r.outOfOrder} | ${r.repeated} |`);
' "$line")
{
  echo "# bench/webhooks results ($(date -u +'%Y-%m-%d %H:%M UTC'))"
  echo
  machine_info
  echo "- $SUBS webhook subscriptions to \`fragment B on Operation { id externalId name }\` (operationsStream), all to one local Node receiver (\`bench/webhooks/receiver.mjs\`, node:http, answers 200 at once); $EVENTS \`processCreate\` events over HTTP, $BATCH aliased creates a request; time from the first mutation sent to the last delivery received; mesd's RSS at the end: ${RSS} KiB${MESD_ARGS:+; mesd flags: \`$MESD_ARGS\`}"
  echo
  echo "| subscriptions | events | delivered | events appended ms | seconds | deliveries/s | out of order | repeated |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "$ROW"
  echo
  echo "Target: 2,000 deliveries/s on the development machine (2 cores, the receiver and the driver sharing them)."
} >"$OUT"
cat "$OUT"
results_section WEBHOOKS "Webhook deliveries (\`bench/webhooks/run.sh\`)" "$OUT"
