#!/usr/bin/env bash
# stagetop at scale: N HTTP probes at an interval against a local server in its own process, beside
# Prometheus blackbox_exporter probing the same route at the same rate through its /probe endpoint, and
# `stagetop check` of 1,000 probes. One table: RSS, CPU % of a core, CPU per probe run, runs completed per
# second, scheduling lag p99 (stagetop's queue: due → started) and the reported median latency next to curl's
# on the route alone.
#
#   Benchmarks/scale.sh
#   env: RUNS="100@1 1000@1 10000@10" (probes@interval seconds)  WARMUP=8 (s)  WINDOW=20 (s)
#        CHECK=1000 (probes for the check rows, 0: none)  CHECK_FLIGHTS="64" (max_in_flight of extra check rows)
#        BIN_DIR=prebuilt release bin dir
#
# Each N runs three times: `stagetop watch` in a detached tmux pane (the real dashboard, rendering included),
# its runs counted at the server (/__sim/state requests_served), which is the `watch` row; the same with
# `--record`, whose result lines give the latency and queue columns (and what recording costs); then
# blackbox_exporter at the same rate; then the floor, libcurl alone in C (Benchmarks/curl_floor.c), at the same rate.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-"100@1 1000@1 10000@10"}
WARMUP=${WARMUP:-8}
WINDOW=${WINDOW:-20}
CHECK=${CHECK:-1000}
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
served() { curl -s "$BASE/__sim/state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests_served"])'; }
HZ=$(getconf CLK_TCK)

# The C floor (see Benchmarks/curl_floor.c).
# Any C compiler: the Swift toolchain brings clang when the machine has no cc.
"${CC:-$(command -v cc || command -v clang)}" -O2 Benchmarks/curl_floor.c -o "$TMP/curl_floor" -lcurl -lm

# curl alone on the route: 200 sequential requests, median ms.
for _ in $(seq 200); do curl -s -o /dev/null -w '%{time_total}\n' "$URL"; done > "$TMP/curl.txt"
CURL_MED=$(python3 -c "import statistics,sys; print('%.2f' % (1000*statistics.median(float(l) for l in open(sys.argv[1]))))" "$TMP/curl.txt")

config() {  # config N INTERVAL FILE
  {
    echo "name: scale-$1"; echo "target: { base_url: \"$BASE\" }"
    echo "defaults: { interval: ${2}s, timeout: 5s }"; echo "probes:"
    for i in $(seq "$1"); do echo "  - { name: p$i, http: { path: /health } }"; done
  } > "$3"
}

# One watch run: prints "cpu_s window_s rss_mb served_in_window start end".
watch_run() {  # watch_run CFG EXTRA_ARGS...
  local cfg=$1; shift
  tmux new-session -d -s stagetop-scale -x 200 -y 60 "$BIN_DIR/stagetop watch $cfg $*"
  sleep 1
  local pid; pid=$(pgrep -f "^$BIN_DIR/stagetop watch $cfg" | head -1)
  sleep "$WARMUP"
  local t0 s0 start t1 s1 end rss
  t0=$(ticks "$pid"); s0=$(served); start=$(date +%s.%N)
  sleep "$WINDOW"
  t1=$(ticks "$pid"); s1=$(served); end=$(date +%s.%N); rss=$(rss_mb "$pid")
  tmux send-keys -t stagetop-scale q; sleep 2; tmux kill-session -t stagetop-scale 2>/dev/null || true
  python3 -c "import sys; t0,t1,hz,s0,s1,a,b,r=sys.argv[1:]; print((int(t1)-int(t0))/int(hz), float(b)-float(a), r, int(s1)-int(s0), a, b)" \
    "$t0" "$t1" "$HZ" "$s0" "$s1" "$start" "$end" "$rss"
}

printf '%-15s %7s %8s %8s %12s %10s %13s %14s %12s\n' "client" "probes" "RSS MB" "CPU %" "CPU/probe ms" "probes/s" "lag p99 ms" "median ms" "curl med ms"
for RUN in $RUNS; do
  N=${RUN%@*}; INTERVAL=${RUN#*@}
  CFG="$TMP/scale-$N.yaml"; REC="$TMP/scale-$N.jsonl"
  config "$N" "$INTERVAL" "$CFG"
  # watch as run by hand: runs counted at the server.
  read -r CPU_S WIN RSS DONE _ _ < <(watch_run "$CFG")
  python3 -c "import sys; c,w,r,d,n,iv=sys.argv[1:]; c,w,d=float(c),float(w),int(d); print('%-15s %7s %8s %8.1f %12.3f %10.1f %13s %14s %12s' % ('stagetop', n+'@'+iv+'s', r, 100*c/w, 1000*c/max(d,1), d/w, '-', '-', '-'))" \
    "$CPU_S" "$WIN" "$RSS" "$DONE" "$N" "$INTERVAL"
  # The same with --record: its result lines give the latency and the queue of the measured window.
  read -r CPU_S WIN RSS DONE START END < <(watch_run "$CFG" --record "$REC")
  python3 - "$REC" "$START" "$END" "$CPU_S" "$WIN" "$N@${INTERVAL}s" "$RSS" "$CURL_MED" "$DONE" <<'PY'
import json, sys, statistics, datetime
rec, start, end, cpu_s, window, n, rss, curl, done = sys.argv[1:]
start, end, cpu_s, window, done = float(start), float(end), float(cpu_s), float(window), int(done)
lat, queue = [], []
def ts(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
for line in open(rec):
    d = json.loads(line)
    if d.get("type") != "result": continue
    r = d["result"]
    if not (start <= ts(r["finished_at"]) <= end): continue
    if r.get("latency_ms") is not None: lat.append(r["latency_ms"])
    queue.append(r.get("queue_ms") or 0.0)
q = sorted(queue); p99 = q[min(len(q) - 1, int(0.99 * len(q)))] if q else float("nan")
print("%-15s %7s %8s %8.1f %12.3f %10.1f %13.1f %14.2f %12s" % ("  --record", n, rss, 100 * cpu_s / window,
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
from concurrent.futures import ThreadPoolExecutor
port, url, n, interval, warmup, window, pid, hz, curl = sys.argv[1:]
n, interval, warmup, window, hz = int(n), float(interval), float(warmup), float(window), int(hz)
rate = n / interval
probe = "http://127.0.0.1:%s/probe?%s" % (port, urllib.parse.urlencode({"target": url, "module": "http_2xx"}))
lock = threading.Lock(); done = [0]; durs = []; measuring = [False]
def ticks(): f = open("/proc/%s/stat" % pid).read().split(); return int(f[13]) + int(f[14])
def rss(): return next(int(l.split()[1]) for l in open("/proc/%s/status" % pid) if l.startswith("VmRSS")) / 1024
# 64 in flight at most, on 64 reused threads: a thread started per probe cost the driver more CPU than
# blackbox_exporter had, on the same two cores, and it fell behind the rate (555 of 1,000 a second).
sem = threading.Semaphore(64)
pool = ThreadPoolExecutor(max_workers=64)
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
        pool.submit(one)
    k += 1
measuring[0] = False
t1 = (ticks(), time.monotonic())
cpu_s = (t1[0] - t0[0]) / hz; w = t1[1] - t0[1]
# '!': behind the rate (under 95 % of it): its cost per run is then of fewer runs, not like for like.
behind = "!" if done[0] / w < 0.95 * rate else ""
print("%-15s %7s %8.0f %8.1f %12.3f %10s %13s %14.2f %12s" % ("blackbox_exp.", "%d@%gs" % (n, interval), rss(), 100 * cpu_s / w,
      1000 * cpu_s / max(done[0], 1), "%.1f%s" % (done[0] / w, behind), "-", statistics.median(durs) if durs else float("nan"), curl))
pool.shutdown(wait=False, cancel_futures=True)
PY
  kill "$BB_PID" 2>/dev/null || true; wait "$BB_PID" 2>/dev/null || true; BB_PID=""

  # The floor: libcurl alone, in C, at the same rate, one request per wake-up and ten (as stagetop sends them).
  for B in 1 10; do
    read -r FDONE _ FWALL FPCT FPER FMED _ < <("$TMP/curl_floor" "$URL" "$(python3 -c "print($N / $INTERVAL)")" "$WINDOW" "$B")
    printf '%-15s %7s %8s %8.1f %12.3f %10.1f %13s %14.2f %12s\n' "C libcurl x$B" "$N@${INTERVAL}s" "-" "$FPCT" "$FPER" \
      "$(python3 -c "print($FDONE / $FWALL)")" "-" "$FMED" "$CURL_MED"
  done
done

# check: every probe once, as CI runs it; peak RSS and the reported median beside curl's.
# Once with the default max_in_flight (16), once with each of CHECK_FLIGHTS (64: the old default, for comparison).
for FLIGHT in default ${CHECK_FLIGHTS:-64}; do
  [[ "$CHECK" -gt 0 ]] || break
  CFG="$TMP/check.yaml"; config "$CHECK" 10 "$CFG"
  [[ "$FLIGHT" == default ]] || sed -i "s/timeout: 5s }/timeout: 5s, max_in_flight: $FLIGHT }/" "$CFG"
  python3 - "$BIN_DIR/stagetop" "$CFG" "$TMP/check.json" "$CHECK" "$CURL_MED" "$FLIGHT" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
binary, cfg, out, n, curl, flight = sys.argv[1:]
t = time.monotonic()
p = subprocess.Popen([binary, "check", cfg, "--json", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
wall = time.monotonic() - t
doc = json.load(open(out))
probes = doc["probes"]
lat = [r["latency_ms"]["last"] for r in probes if (r.get("latency_ms") or {}).get("last") is not None]
queue = sorted((r.get("timings_ms") or {}).get("queue") or 0.0 for r in probes)
cpu = usage.ru_utime + usage.ru_stime
label = "check" if flight == "default" else "check /%s" % flight
print("%-15s %7s %8.0f %8.1f %12.3f %10.1f %13.1f %14.2f %12s" % (label, n, usage.ru_maxrss / 1024, 100 * cpu / wall,
      1000 * cpu / max(len(lat), 1), len(lat) / wall, queue[min(len(queue) - 1, int(0.99 * len(queue)))], statistics.median(lat), curl))
PY
done
echo "($(nproc) cores shared by the server, the prober and the load driver; N@I: N probes every I s; window ${WINDOW}s after ${WARMUP}s warm-up; 'C libcurl xB': libcurl alone in C, B requests per wake-up; check: peak RSS, lag = queue p99, 'check /64': max_in_flight 64; '!' after probes/s: behind the rate)"
