#!/usr/bin/env bash
# stagetop at scale: N HTTP probes (N = 100, 1,000, 10,000) at one interval against a local server in its own
# process, beside Prometheus blackbox_exporter probing the same route at the same rate through its /probe
# endpoint. One table: RSS, CPU % of a core, CPU per probe, probes completed per second, scheduling lag p99
# (stagetop's queue: due → started), and stagetop's reported median latency next to curl's on the route alone.
#
#   Benchmarks/scale.sh
#   env: COUNTS="100 1000 10000"  INTERVAL=5 (s)  WARMUP=8 (s)  WINDOW=20 (s)  BIN_DIR=prebuilt release bin dir
#
# stagetop runs as `watch` in a detached tmux pane (the real dashboard, rendering included) with --record,
# whose result lines give the completed count, latencies and queue times of the measured window.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=${COUNTS:-"100 1000 10000"}
INTERVAL=${INTERVAL:-5}
WARMUP=${WARMUP:-8}
WINDOW=${WINDOW:-20}
TMP=$(mktemp -d)
SIM_PID=""; BB_PID=""
cleanup() {
  tmux kill-session -t stagetop-scale 2>/dev/null || true
  for p in $SIM_PID $BB_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

if [[ -z "${BIN_DIR:-}" ]]; then
  swift build -c release --product stagetop >&2 && swift build -c release --product stagetop-bench >&2
  BIN_DIR=$(swift build -c release --show-bin-path)
fi
if ! command -v prometheus-blackbox-exporter > /dev/null; then
  [[ "$(id -u)" -eq 0 ]] || { echo "needs prometheus-blackbox-exporter (apt-get install prometheus-blackbox-exporter)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-blackbox-exporter > /dev/null
fi

# The server: the simulated staging, no simulated delay, in its own process.
"$BIN_DIR/stagetop-bench" sim --port 0 --delay-route "/health=0" > "$TMP/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do grep -q '^listening ' "$TMP/sim.out" && break; sleep 0.1; done
BASE=$(sed -n 's/^listening //p' "$TMP/sim.out")
[[ -n "$BASE" ]] || { echo "the server did not start" >&2; cat "$TMP/sim.out" >&2; exit 1; }
URL="$BASE/health"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)

# curl alone on the route: 200 sequential requests, median ms.
for _ in $(seq 200); do curl -s -o /dev/null -w '%{time_total}\n' "$URL"; done > "$TMP/curl.txt"
CURL_MED=$(python3 -c "import statistics,sys; print('%.2f' % (1000*statistics.median(float(l) for l in open(sys.argv[1]))))" "$TMP/curl.txt")

printf '%-15s %7s %8s %8s %12s %10s %13s %14s %12s\n' "client" "probes" "RSS MB" "CPU %" "CPU/probe ms" "probes/s" "lag p99 ms" "median ms" "curl med ms"
for N in $COUNTS; do
  # stagetop: N probes of the same route, watch in tmux.
  CFG="$TMP/scale-$N.yaml"; REC="$TMP/scale-$N.jsonl"
  {
    echo "name: scale-$N"; echo "target: { base_url: \"$BASE\" }"
    echo "defaults: { interval: ${INTERVAL}s, timeout: 5s }"; echo "probes:"
    for i in $(seq "$N"); do echo "  - { name: p$i, http: { path: /health } }"; done
  } > "$CFG"
  tmux new-session -d -s stagetop-scale -x 200 -y 60 "$BIN_DIR/stagetop watch $CFG --record $REC"
  sleep 1
  PID=$(pgrep -f "^$BIN_DIR/stagetop watch $CFG" | head -1)
  sleep "$WARMUP"
  t0=$(ticks "$PID"); start=$(date +%s.%N)
  sleep "$WINDOW"
  t1=$(ticks "$PID"); end=$(date +%s.%N); RSS=$(rss_mb "$PID")
  tmux send-keys -t stagetop-scale q; sleep 2; tmux kill-session -t stagetop-scale 2>/dev/null || true
  python3 - "$REC" "$start" "$end" "$t0" "$t1" "$HZ" "$N" "$RSS" "$CURL_MED" <<'PY'
import json, sys, statistics, datetime
rec, start, end, t0, t1, hz, n, rss, curl = sys.argv[1:]
start, end = float(start), float(end)
lat, queue = [], []
def ts(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
for line in open(rec):
    d = json.loads(line)
    if d.get("type") != "result": continue
    r = d["result"]
    if not (start <= ts(r["finished_at"]) <= end): continue
    if r.get("latency_ms") is not None: lat.append(r["latency_ms"])
    queue.append(r.get("queue_ms") or 0.0)
done = len(queue)
cpu_s = (int(t1) - int(t0)) / int(hz)
window = end - start
q = sorted(queue); p99 = q[min(len(q) - 1, int(0.99 * len(q)))] if q else float("nan")
print("%-15s %7s %8s %8.1f %12.3f %10.1f %13.1f %14.2f %12s" % ("stagetop", n, rss, 100 * cpu_s / window,
      1000 * cpu_s / max(done, 1), done / window, p99, statistics.median(lat) if lat else float("nan"), curl))
PY

  # blackbox_exporter: the same route at the same rate (N per INTERVAL) through /probe.
  BBPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  printf 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n' > "$TMP/bb.yml"
  prometheus-blackbox-exporter --config.file="$TMP/bb.yml" --web.listen-address="127.0.0.1:$BBPORT" > "$TMP/bb.out" 2>&1 &
  BB_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$BBPORT/metrics" && break; sleep 0.1; done
  python3 - "$BBPORT" "$URL" "$N" "$INTERVAL" "$WARMUP" "$WINDOW" "$BB_PID" "$HZ" "$CURL_MED" <<'PY'
import sys, time, threading, urllib.request, urllib.parse, statistics
port, url, n, interval, warmup, window, pid, hz, curl = sys.argv[1:]
n, interval, warmup, window, hz = int(n), float(interval), float(warmup), float(window), int(hz)
rate = n / interval
probe = "http://127.0.0.1:%s/probe?%s" % (port, urllib.parse.urlencode({"target": url, "module": "http_2xx"}))
lock = threading.Lock(); done = [0]; durs = []; measuring = [False]
def ticks(): f = open("/proc/%s/stat" % pid).read().split(); return int(f[13]) + int(f[14])
def rss(): return next(int(l.split()[1]) for l in open("/proc/%s/status" % pid) if l.startswith("VmRSS")) / 1024
sem = threading.Semaphore(64)
def one():
    try:
        body = urllib.request.urlopen(probe, timeout=10).read().decode()
        d = next((float(l.split()[-1]) for l in body.splitlines() if l.startswith("probe_duration_seconds")), None)
        with lock:
            if measuring[0]:
                done[0] += 1
                if d is not None: durs.append(1000 * d)
    finally:
        sem.release()
t_start = time.monotonic(); k = 0; t0 = None
while True:
    now = time.monotonic() - t_start
    if t0 is None and now >= warmup: t0 = (ticks(), time.monotonic()); measuring[0] = True
    if now >= warmup + window: break
    due = k / rate
    if due > now: time.sleep(min(due - now, 0.01)); continue
    if sem.acquire(blocking=False):
        threading.Thread(target=one, daemon=True).start()
    k += 1
measuring[0] = False
t1 = (ticks(), time.monotonic())
cpu_s = (t1[0] - t0[0]) / hz; w = t1[1] - t0[1]
print("%-15s %7s %8.0f %8.1f %12.3f %10.1f %13s %14.2f %12s" % ("blackbox_exp.", n, rss(), 100 * cpu_s / w,
      1000 * cpu_s / max(done[0], 1), done[0] / w, "-", statistics.median(durs) if durs else float("nan"), curl))
PY
  kill "$BB_PID" 2>/dev/null || true; wait "$BB_PID" 2>/dev/null || true; BB_PID=""
done
echo "($(nproc) cores shared by the server, the prober and the load driver; interval ${INTERVAL}s, window ${WINDOW}s after ${WARMUP}s warm-up)"
