#!/usr/bin/env bash
# Latency of CurlEngine against the curl CLI on the same route. Goal: medians within 2 %.
#
#   Benchmarks/http-latency.sh [URL]
#   env: N=200 sequential requests, DELAY_MS=80 (sim delay on /api/health), BENCH_BIN=prebuilt stagetop-bench
#
# Without URL it starts `stagetop-bench sim` in its own process with a fixed DELAY_MS on /api/health.
# The curl CLI opens a fresh connection per run, so the like-for-like row is CurlEngine "fresh";
# "keep-alive" is how probes actually run (connect paid once).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-common.sh
N=${N:-200}
DELAY_MS=${DELAY_MS:-80}
BIN=$(bench_bin)

if [[ $# -ge 1 ]]; then URL=$1; else start_sim "$BIN" "/api/health=$DELAY_MS"; URL="$SIM_BASE/api/health"; fi

for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$URL"; done \
  | awk '{ printf "%.3f\n", $1 * 1000 }' > "$BENCH_TMP/curl.ms"
"$BIN" latency --url "$URL" --n "$N" --fresh --raw > "$BENCH_TMP/fresh.ms"
"$BIN" latency --url "$URL" --n "$N" --raw > "$BENCH_TMP/keep.ms"

read -r c_med c_p95 < <(stats "$BENCH_TMP/curl.ms")
read -r f_med f_p95 < <(stats "$BENCH_TMP/fresh.ms")
read -r k_med k_p95 < <(stats "$BENCH_TMP/keep.ms")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f %%", (a - b) / b * 100 }'; }

echo "GET $URL — $N sequential requests each (curl $(curl --version | head -1 | cut -d' ' -f2))"
printf '%-28s %12s %12s %14s\n' "client" "median ms" "p95 ms" "median vs curl"
printf '%-28s %12s %12s %14s\n' "curl CLI (-w time_total)" "$c_med" "$c_p95" "—"
printf '%-28s %12s %12s %14s\n' "CurlEngine, fresh conn" "$f_med" "$f_p95" "$(pct "$f_med" "$c_med")"
printf '%-28s %12s %12s %14s\n' "CurlEngine, keep-alive" "$k_med" "$k_p95" "$(pct "$k_med" "$c_med")"
