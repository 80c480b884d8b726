#!/usr/bin/env bash
# Requests per second through CurlEngine with K in flight over kept-alive connections, beside wrk.
#
#   Benchmarks/http-throughput.sh [URL]
#   env: CONCURRENCY=32, SECONDS_=5, BENCH_BIN=prebuilt stagetop-bench
#
# Without URL it starts `stagetop-bench sim` in its own process with no simulated delay on /api/health,
# so the figure is client + server cost on this machine (both share its cores, as with wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-common.sh
C=${CONCURRENCY:-32}
D=${SECONDS_:-5}
BIN=$(bench_bin)

if [[ $# -ge 1 ]]; then URL=$1; else start_sim "$BIN" "/api/health=0"; URL="$SIM_BASE/api/health"; fi

"$BIN" throughput --url "$URL" --concurrency "$C" --seconds "$D" > "$BENCH_TMP/ours.txt"
ours=$(sed -n 's/.*requests\/sec //p' "$BENCH_TMP/ours.txt")
failed=$(sed -n 's/.*ok, \([0-9]*\) failed/\1/p' "$BENCH_TMP/ours.txt")
if command -v wrk > /dev/null; then
  wrk_rps=$(wrk -t2 -c"$C" -d"${D}s" "$URL" | awk '/Requests\/sec/ { print $2 }')
else
  wrk_rps="(wrk not installed)"
fi

echo "GET $URL — $C in flight for $D s, keep-alive, $(nproc) cores shared by client and server"
printf '%-30s %14s\n' "client" "requests/sec"
printf '%-30s %14s\n' "CurlEngine (stagetop-bench)" "$ours"
printf '%-30s %14s\n' "wrk -t2 -c$C" "$wrk_rps"
[[ "${failed:-0}" == "0" ]] || echo "note: $failed CurlEngine requests failed" >&2
