#!/usr/bin/env bash
# N held-open, authenticated WebSocket connections against the simulated staging: stagetop's
# WebSocketEngine (via `stagetop-bench ws-hold`) beside Python's `websockets`, each in its own process,
# RSS (VmRSS) and CPU (getrusage over a window) at steady state. Issue 4's goal: 10,000 in <= 200 MB.
#
#   Benchmarks/ws-hold.sh            # N = 1000 and 10000
#   env: COUNTS="1000 10000", WINDOW=10, PING=15, THREADS=1, BENCH_BIN=prebuilt stagetop-bench,
#        SKIP_PYTHON=1 (ours only)
#
# Both clients and the sim share this machine's cores; the sim runs in its own process, so neither
# client's figures include the server.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-common.sh
COUNTS=${COUNTS:-"1000 10000"}
WINDOW=${WINDOW:-10}
PING=${PING:-15}
THREADS=${THREADS:-1}

# Each connection is a file descriptor in the client and one in the sim (a child, so it inherits this).
max=0; for n in $COUNTS; do (( n > max )) && max=$n; done
want=$(( max + 1024 ))
hard=$(ulimit -Hn)
if [[ "$hard" != "unlimited" && "$hard" -lt "$want" ]]; then
  echo "note: ulimit -Hn is $hard; N above $(( hard - 1024 )) will fail to connect" >&2
  want=$hard
fi
ulimit -n "$want"

BIN=$(bench_bin)
start_sim "$BIN" "/api/health=0"
WS_URL="${SIM_BASE/http:/ws:}/ws"

results=()
for n in $COUNTS; do
  results+=("$("$BIN" ws-hold "$n" --url "$WS_URL" --window "$WINDOW" --ping "$PING" --threads "$THREADS")")
done

if [[ -z "${SKIP_PYTHON:-}" ]]; then
  VENV="$BENCH_TMP/venv"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check websockets
  TOKEN=$("$BIN" ws-hold --print-sim-token)
  for n in $COUNTS; do
    results+=("$("$VENV/bin/python" Benchmarks/ws_hold.py "$n" --url "$WS_URL" --token "$TOKEN" --window "$WINDOW" --ping "$PING")")
  done
fi

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
echo "held-open WebSockets to $WS_URL — welcome read, then ping every ${PING} s; CPU over ${WINDOW} s; $(nproc) cores shared with the sim"
printf '%-32s %7s %11s %10s %9s %8s %9s\n' client N connected connect_s rss_mb cpu_% peak_mb
for r in "${results[@]}"; do
  printf '%-32s %7s %11s %10s %9s %8s %9s\n' "$(field client "$r")" "$(field n "$r")" "$(field connected "$r")" \
    "$(field connect_s "$r")" "$(field rss_mb "$r")" "$(field cpu_pct "$r")" "$(field peak_mb "$r")"
done
