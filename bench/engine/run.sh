#!/usr/bin/env bash
# Engine benchmark: mesd's engine (C, in process) against graphql-js 16 (node),
# the same three workloads measured in the same run on the same machine.
# Prints the table and rewrites the "engine" section of bench/RESULTS.md.
# usage: bench/engine/run.sh [ITERATIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
iters=${1:-3000}
build=$root/build-bench
"$root/scripts/deps.sh" test >/dev/null
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_engine -j"$(nproc)" >/dev/null
mesd_out=$("$build/bench_engine" "$here" "$iters")
js_out=$(node "$here/graphql-js.mjs" "$here" "$iters")
MESD="$mesd_out" JS="$js_out" ITERS="$iters" node "$here/report.mjs" "$root/bench/RESULTS.md"
