#!/usr/bin/env bash
# The agent under load: N HTTP probes at a fixed interval against the simulated staging (its own process),
# while /metrics is scraped back to back. Prints scrape latency (median, p99, max), the exposition's size,
# the agent's RSS and CPU. Target (issue 11): p99 <= 20 ms with 1,000 probes at 10 s.
#   Benchmarks/agent-metrics.sh            # N=1000, interval 10 s, 500 scrapes after a 15 s warm-up
#   PROBES=5000 SCRAPES=200 Benchmarks/agent-metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PROBES=${PROBES:-1000}; INTERVAL=${INTERVAL:-10}; SCRAPES=${SCRAPES:-500}; WARMUP=${WARMUP:-15}
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

if [[ -z "${BIN_DIR:-}" ]]; then
  swift build -c release --product stagetop >&2 && swift build -c release --product stagetop-bench >&2
  BIN_DIR=$(swift build -c release --show-bin-path)
fi

# The server: the simulated staging without its rate limit or delays, in its own process.
"$BIN_DIR/stagetop-bench" sim --port 0 --delay-route "/health=0" > "$TMP/sim.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^listening ' "$TMP/sim.out" && break; sleep 0.1; done
BASE=$(sed -n 's/^listening //p' "$TMP/sim.out")
[[ -n "$BASE" ]] || { echo "the server did not start" >&2; cat "$TMP/sim.out" >&2; exit 1; }

CFG="$TMP/agent.yaml"
{
  echo "name: agent-bench"; echo "target: { base_url: \"$BASE\" }"
  echo "defaults: { interval: ${INTERVAL}s, timeout: 5s }"; echo "probes:"
  for i in $(seq "$PROBES"); do echo "  - { name: p$i, group: g$((i % 10)), http: { path: /health } }"; done
} > "$CFG"
"$BIN_DIR/stagetop" agent "$CFG" --listen 127.0.0.1:0 --location bench 2> "$TMP/agent.err" &
AGENT=$!
PIDS+=($AGENT)
for _ in $(seq 100); do grep -q 'agent started' "$TMP/agent.err" && break; sleep 0.1; done
ADDR=$(sed -n 's/.*listen=\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$TMP/agent.err" | head -1)
[[ -n "$ADDR" ]] || { echo "the agent did not start" >&2; cat "$TMP/agent.err" >&2; exit 1; }
sleep "$WARMUP"

HZ=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
T0=$(ticks "$AGENT"); S0=$(date +%s.%N)
# Bodies go to /dev/null: writing 3.5 MB to a file per scrape doubled curl's time_total (measured), and
# that is the client's disk, not the agent. One more scrape is kept for the sample count.
for _ in $(seq "$SCRAPES"); do curl -s -o /dev/null -w '%{time_total}\n' "http://$ADDR/metrics"; done > "$TMP/scrapes.txt"
T1=$(ticks "$AGENT"); S1=$(date +%s.%N)
curl -s -o "$TMP/metrics.txt" "http://$ADDR/metrics"
RSS=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$AGENT/status")
RUNS=$(grep -c '^stagetop_probe_runs_total{.*verdict="pass"}' "$TMP/metrics.txt" || true)
python3 - "$TMP/scrapes.txt" "$TMP/metrics.txt" "$PROBES" "$INTERVAL" "$RSS" "$T0" "$T1" "$S0" "$S1" "$HZ" "$RUNS" <<'PY'
import sys, os
xs = sorted(1000 * float(l) for l in open(sys.argv[1]))
size = os.path.getsize(sys.argv[2])
lines = sum(1 for l in open(sys.argv[2]) if not l.startswith('#'))
n, interval, rss = sys.argv[3], sys.argv[4], sys.argv[5]
t0, t1, s0, s1, hz = int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9]), int(sys.argv[10])
cpu = 100 * (t1 - t0) / hz / (s1 - s0)
p = lambda q: xs[min(len(xs) - 1, max(0, int(-(-q * len(xs) // 1)) - 1))]
print("%-8s %9s %7s %10s %10s %10s %10s %11s %8s %12s" % ("probes", "interval", "scrapes", "median ms", "p99 ms", "max ms", "KB/scrape", "samples", "RSS MB", "CPU % (agent)"))
print("%-8s %8ss %7d %10.2f %10.2f %10.2f %10.0f %11d %8s %12.0f" % (n, interval, len(xs), p(0.5), p(0.99), xs[-1], size / 1024, lines, rss, cpu))
PY
