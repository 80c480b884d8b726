#!/usr/bin/env bash
# Soak (issue 13, part 5): `stagetop agent` with 1,000 probes of every kind against the simulated staging for
# DURATION seconds (default 3600) while a fault flipper changes the sim's faults every few seconds, sampling
# the agent's RSS, open fds, threads, CPU and completed runs every 10 s. At the end a summary table, and exit 1
# when a goal is missed:
#   - RSS growth after warm-up <= 5 %  (RSS "at 5 min" = median of the samples in the minute after warm-up,
#     RSS "at end" = median of the last minute's samples)
#   - open fds flat after warm-up      (median of the second half <= median of the first half x 1.10 + 5: the
#                                       extremes follow the faults, e.g. slow routes and hung streams hold sockets,
#                                       held WebSockets refused during a storm release theirs)
#   - threads flat after warm-up       (max of the second half <= max of the first half + 2)
#   - no probe behind its schedule     (runs after warm-up >= window / (1.1 x interval + the kind's longest run) - 1)
#   - no run stuck in progress at the end (running for longer than the kind's longest run + 10 s)
#   - the agent still alive at the end
#
#   Benchmarks/soak.sh [DURATION]        # make soak [SOAK_DURATION=600]
#   env: BIN_DIR=prebuilt release bin dir  RESULTS_DIR=where the CSV and logs go (default /tmp/stagetop-soak-STAMP)
#        WARMUP=300 (s, capped at DURATION/2)  SAMPLE=10 (s)  FLIP_MIN=3 FLIP_MAX=8 (s)  SEED=1
#        STATE_EVERY=0 (s; N > 0 also reads /api/v1/state every N s into state.csv. It perturbs what is measured:
#        each read of the state document leaves the agent's RSS tens of MB higher, growing with the document)
#
# Processes: the sim (`stagetop sim`, its own process), the agent (`stagetop agent CONFIG --listen 127.0.0.1:0`),
# the flipper (python3, the sim's /__sim/ control endpoint). The mix: 850 HTTP (10 routes, some bearer, a POST,
# 401/404 expectations), 80 held WebSockets (ping 5-15 s), 50 streams (the three SSE routes, 3 s first byte and
# gap, 10 s finish), 20 bursts (4 of them rate-limit checks on /api/health); intervals 5-30 s (about 80 runs/s).
# The sim's tokens live 300 s, so the agent logs in again every 4 min. Held connections are closed by the sim
# (1001) 20-90 s after they open, so they reconnect all along and pick up whatever WebSocket fault is current.
#
# Results: samples.csv (every SAMPLE s, with the load average: the machine may be shared), runs-warmup.tsv /
# runs-end.tsv (each probe's runs from /metrics), state-end.json and state.csv (/api/v1/state read once after
# the last sample: runs in progress, queue lag of the last results; and the RSS that read cost), flips.tsv,
# config.yaml, probes.tsv, agent.log, sim.out, summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- the summary (also: Benchmarks/soak.sh --summary RESULTS_DIR, for a run cut short) ---------------------
# summarize DIR DURATION WARMUP AGENT_RC DIED: the table on stdout; exit 1 when a goal is missed.
summarize() {
  STATE_READ_RSS_KB="${STATE_READ_RSS_KB:-}" python3 - "$@" "$(nproc)" <<'PY'
import csv, json, statistics, sys, os
R, duration, warmup, agent_rc, died, cores = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
rows = [r for r in csv.DictReader(open(f"{R}/samples.csv")) if r["rss_kb"]]
num = lambda r, k: float(r[k]) if r.get(k) not in (None, "") else float("nan")
probes = [l.rstrip("\n").split("\t") for l in list(open(f"{R}/probes.tsv"))[1:]]
kinds = {}
for name, kind, iv, longest in probes: kinds.setdefault(kind, []).append((name, float(iv), float(longest)))
flips = [l.rstrip("\n").split("\t") for l in list(open(f"{R}/flips.tsv"))[1:]] if os.path.exists(f"{R}/flips.tsv") else []
results = []  # (metric, value, goal, ok or None)
fails = []
def add(metric, value, goal="", ok=None):
    results.append((metric, value, goal, ok))
    if ok is False: fails.append(metric)

post = [r for r in rows if num(r, "t_s") >= warmup]
if died: add("agent alive at the end", "no: " + died, "alive", False)
elif agent_rc == "": add("agent alive at the end", "not recorded (summary of a run cut short)")
else: add("agent alive at the end", "yes (exit %s after SIGTERM)" % agent_rc, "alive, exit 0", agent_rc == "0")
if len(post) >= 4:
    first_min = [num(r, "rss_kb") for r in post if num(r, "t_s") < warmup + 60] or [num(post[0], "rss_kb")]
    last_min = [num(r, "rss_kb") for r in rows if num(r, "t_s") > num(rows[-1], "t_s") - 60]
    rss0, rss1 = statistics.median(first_min) / 1024, statistics.median(last_min) / 1024
    growth = 100 * (rss1 - rss0) / rss0
    add("RSS at %d min (MB)" % round(warmup / 60) if warmup % 60 == 0 else "RSS at %.0f s (MB)" % warmup, "%.1f" % rss0)
    add("RSS at end (MB)", "%.1f" % rss1)
    add("RSS growth after warm-up", "%+.1f %%" % growth, "<= 5 %", growth <= 5)
    if "rss_anon_kb" in post[0] and post[0]["rss_anon_kb"]:
        for key, label in (("rss_anon_kb", "anonymous (heap, stacks)"), ("rss_file_kb", "file-backed (code, libraries)")):
            a0 = statistics.median([num(r, key) for r in post if num(r, "t_s") < warmup + 60] or [num(post[0], key)]) / 1024
            a1 = statistics.median([num(r, key) for r in rows if num(r, "t_s") > num(rows[-1], "t_s") - 60]) / 1024
            add("  of which " + label + " (MB)", "%.1f -> %.1f (%+.1f)" % (a0, a1, a1 - a0))
    half = len(post) // 2
    def halves(key):
        a = [num(r, key) for r in post[:half]]; b = [num(r, key) for r in post[half:]]
        return a, b, "%d .. %d  (halves: %d..%d, %d..%d)" % (min(a + b), max(a + b), min(a), max(a), min(b), max(b))
    def fit(key):
        xs = [num(r, "t_s") for r in post]; ys = [num(r, key) for r in post]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        return 3600 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(1e-9, sum((x - mx) ** 2 for x in xs))
    add("RSS trend after warm-up (MB/h, fit)", "%+.1f" % (fit("rss_kb") / 1024))
    ys = [num(r, "rss_kb") / 1024 for r in post]
    add("RSS min .. max after warm-up (MB)", "%.1f .. %.1f" % (min(ys), max(ys)))
    a, b, v = halves("fds")
    add("open fds after warm-up", v + "  medians %d, %d" % (statistics.median(a), statistics.median(b)), "flat",
        statistics.median(b) <= statistics.median(a) * 1.10 + 5)
    add("  fds trend (per hour, fit)", "%+.0f" % fit("fds"))
    a, b, v = halves("fd_sockets"); add("  of which sockets", v)
    a, b, v = halves("threads"); add("threads after warm-up", v, "flat", max(b) <= max(a) + 2)
    cpus = [num(r, "cpu_pct") for r in post]
    add("agent CPU % of a core (mean / max)", "%.0f / %.0f" % (statistics.mean(cpus), max(cpus)))
    scpus = [num(r, "sim_cpu_pct") for r in post]
    add("sim CPU % of a core (mean / max)", "%.0f / %.0f" % (statistics.mean(scpus), max(scpus)))
    srss = [num(r, "sim_rss_kb") / 1024 for r in post]
    add("sim RSS after warm-up (MB)", "%.1f .. %.1f" % (min(srss), max(srss)))
    l1 = [num(r, "load1") for r in rows]
    add("load average 1 min (mean / max, %s cores)" % cores, "%.2f / %.2f" % (statistics.mean(l1), max(l1)))
    sc = [num(r, "scrape_ms") for r in post if r["scrape_ms"]]
    if sc: add("/metrics scrape ms (median / max)", "%.0f / %.0f" % (statistics.median(sc), max(sc)))
else:
    add("samples after warm-up", str(len(post)), ">= 4", False)

# Runs: the whole run from /metrics, and per probe after warm-up from the two state documents.
if rows:
    last = rows[-1]; t_last = num(last, "t_s")
    ideal = sum(t_last / iv for ps in kinds.values() for _, iv, _ in ps)
    add("runs completed (whole run, /metrics)", "%d of %d ideal (%.1f %%)" % (num(last, "runs"), ideal, 100 * num(last, "runs") / ideal))
    add("  verdicts pass / fail / hang / error", "%d / %d / %d / %d" % tuple(num(last, k) for k in ("runs_pass", "runs_fail", "runs_hang", "runs_error")))
    cyc = num(last, "cycles"); slowest = max(iv * 1.1 + lo for ps in kinds.values() for _, iv, lo in ps)
    add("cycles completed (every probe reported)", "%d (a cycle needs the slowest probe: >= %d expected)" % (cyc, int(t_last // slowest)))
def runs_at(path):
    lines = open(path).read().splitlines()
    return float(lines[0].split("=")[1]), {l.split("\t")[0]: float(l.split("\t")[1]) for l in lines[1:] if "\t" in l}
try:
    if os.path.exists(f"{R}/runs-warmup.tsv"):
        t0, r0 = runs_at(f"{R}/runs-warmup.tsv"); t1, r1 = runs_at(f"{R}/runs-end.tsv")
    else:  # results of the first version, which read the per-probe runs from two state documents
        import datetime
        ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
        w0 = json.load(open(f"{R}/state-warmup.json")); w1 = json.load(open(f"{R}/state-end.json"))
        t0, t1 = ts(w0["taken_at"]), ts(w1["taken_at"])
        r0 = {p["name"]: p["runs"] for p in w0["probes"]}; r1 = {p["name"]: p["runs"] for p in w1["probes"]}
    window = t1 - t0
    behind = []
    for kind, ps in kinds.items():
        done = exp = 0; k_behind = 0
        for name, iv, longest in ps:
            n = r1.get(name, 0) - r0.get(name, 0); e = window / iv; floor = window / (1.1 * iv + longest) - 1
            done += n; exp += e
            if n < floor: k_behind += 1; behind.append((name, n, e, floor))
        add("  %s runs after warm-up (%d probes)" % (kind, len(ps)), "%d of %d ideal (%.1f %%), %d behind" % (done, exp, 100 * done / exp, k_behind))
    add("probes behind schedule after warm-up", "%d of %d (window %.0f s)" % (len(behind), len(probes), window), "0", not behind)
    for name, n, e, floor in behind[:10]:
        add("    " + name, "%d runs, ideal %.1f, floor %.1f" % (n, e, floor))
except (OSError, ValueError, KeyError, IndexError, ZeroDivisionError) as e:
    add("per-probe runs after warm-up", "unavailable (%s)" % e, "0 behind", False)

states = [l.strip().split(",") for l in list(open(f"{R}/state.csv"))[1:]]
if states:
    add("runs in progress at end (over their limit)", "%s (%s)" % (states[-1][1], states[-1][2]), "0 over", states[-1][2] == "0")
    post_s = [s for s in states if float(s[0]) >= warmup] or states
    add("queue lag of last results, p99 (max over samples) ms", "%.0f (max %.0f)" % (max(float(s[4]) for s in post_s), max(float(s[5]) for s in post_s)))
    add("oldest last result at any sample (s)", "%.0f" % max(float(s[6]) for s in post_s))
    add("state document KB (last)", states[-1][9])
cost = os.environ.get("STATE_READ_RSS_KB", "").split()
if len(cost) == 3 and all(c.isdigit() for c in cost):
    before, after, size = (int(c) for c in cost)
    add("one GET /api/v1/state at the end: RSS (MB)", "%.1f -> %.1f (%+.1f) for a %.1f MB document" % (before / 1024, after / 1024, (after - before) / 1024, size / 1e6))
add("fault flips (control errors)", "%d (%d)" % (len(flips), sum(int(f[3]) for f in flips)))
add("agent.log MB", "%.1f" % (os.path.getsize(f"{R}/agent.log") / 1e6))

w = max(len(m) for m, *_ in results)
print("stagetop soak: %d probes (%s), %d s, warm-up %.0f s, faults flipped every few seconds" % (
    len(probes), ", ".join("%d %s" % (len(v), k) for k, v in kinds.items()), duration, warmup))
print("%-*s  %-52s  %-14s  %s" % (w, "metric", "value", "goal", "ok"))
for m, v, g, ok in results:
    print("%-*s  %-52s  %-14s  %s" % (w, m, v, g, "" if ok is None else ("ok" if ok else "MISSED")))
print("results: %s" % R)
print("GOALS MISSED: " + "; ".join(fails) if fails else "all goals met")
sys.exit(1 if fails else 0)
PY
}

if [[ "${1:-}" == "--summary" ]]; then
  [[ -f "${2:-}/run.env" ]] || { echo "usage: $0 --summary RESULTS_DIR (a soak's results, with run.env)" >&2; exit 2; }
  # shellcheck source=/dev/null
  source "$2/run.env"
  summarize "$2" "$DURATION" "$WARMUP" "${AGENT_RC:-}" "${DIED:-}"
  exit
fi
DURATION=${1:-3600}
[[ "$DURATION" =~ ^[0-9]+$ ]] && (( DURATION >= 60 )) || { echo "usage: $0 [DURATION seconds, >= 60]" >&2; exit 2; }
WARMUP=${WARMUP:-300}; (( WARMUP > DURATION / 2 )) && WARMUP=$(( DURATION / 2 ))
SAMPLE=${SAMPLE:-10}; STATE_EVERY=${STATE_EVERY:-0}
FLIP_MIN=${FLIP_MIN:-3}; FLIP_MAX=${FLIP_MAX:-8}; SEED=${SEED:-1}
RESULTS_DIR=${RESULTS_DIR:-/tmp/stagetop-soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS_DIR"
R=$RESULTS_DIR
printf 'DURATION=%d\nWARMUP=%d\n' "$DURATION" "$WARMUP" > "$R/run.env"

SIM_PID=""; AGENT_PID=""; FLIP_PID=""
cleanup() {
  for p in $FLIP_PID $AGENT_PID $SIM_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if [[ -z "${BIN_DIR:-}" ]]; then
  swift build -c release --product stagetop >&2
  BIN_DIR=$(swift build -c release --show-bin-path)
fi
BIN="$BIN_DIR/stagetop"
[[ -x "$BIN" ]] || { echo "no stagetop binary at $BIN" >&2; exit 2; }

# --- the simulated staging, its own process ------------------------------------------------------------------
"$BIN" sim --port 0 --scenario healthy > "$R/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do grep -q ' at http://' "$R/sim.out" && break; sleep 0.1; done
BASE=$(sed -n 's/.* at \(http:\/\/[^ ]*\).*/\1/p' "$R/sim.out" | head -1)
[[ -n "$BASE" ]] || { echo "the simulated staging did not start:" >&2; cat "$R/sim.out" >&2; exit 2; }
curl -sf -o /dev/null -X PUT "$BASE/__sim/token" -d '{"lifetime_seconds":300}'
curl -sf -o /dev/null -X PUT "$BASE/__sim/ws" -d '{"closeAfterSeconds":60}'

# --- the config: 1,000 probes --------------------------------------------------------------------------------
python3 - "$BASE" "$SEED" "$R/config.yaml" "$R/probes.tsv" <<'PY'
import random, sys
base, seed, cfg, tsv = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(seed)
out = [f"name: soak-1000", f'target: {{ base_url: "{base}", headers: {{ X-Client: stagetop-soak }} }}',
       "auth:", "  login: { method: POST, path: /auth/e2e/token, headers: { X-E2E-Bypass-Key: sim-bypass-key },"
       " body: { user: soak-user }, token_path: access_token }",
       "defaults: { interval: 10s, timeout: 5s, max_in_flight: 128 }", "probes:"]
rows = []  # name kind interval_s longest_run_s
def interval(weights):
    return rnd.choices([5, 10, 15, 20, 30], weights)[0]
# HTTP: (path-block, conditions)
http = [
    ("{ path: /health }", '["[STATUS] == 200", "[BODY].status == healthy"]'),
    ("{ path: /health, follow_redirects: true }", '["[STATUS] == 200"]'),
    ("{ path: /api/discovery/services }", '["[STATUS] == 200", "len([BODY].services) >= 1"]'),
    ("{ path: /api/mcp/tools }", '["[STATUS] == 200", "len([BODY].tools) == 11"]'),
    ("{ path: /api/agents/status, auth: bearer }", '["[STATUS] == 200", "[BODY].status == ready"]'),
    ("{ path: /api/user/profile, auth: bearer }", '["[STATUS] == 200", "[BODY].user_id == soak-user"]'),
    ("{ path: /api/threads, auth: bearer }", '["[STATUS] == 200", "has([BODY].threads) == true"]'),
    ("{ path: /api/messages, auth: bearer }", '["[STATUS] == 200", "has([BODY].messages) == true"]'),
    ("{ path: /api/chat/messages, auth: bearer }", '["[STATUS] == 200", "has([BODY].messages) == true"]'),
    ("{ method: POST, path: /api/agents/start, auth: bearer, body: { agent_id: soak-agent-%d, agent_type: supervisor_agent } }",
     '["[STATUS] == 200", "[BODY].status == started"]'),
    ('{ path: /api/user/profile, headers: { Authorization: "Bearer not-a-valid-session" } }', '["[STATUS] == 401"]'),
    ("{ path: /api/does-not-exist }", '["[STATUS] == 404"]'),
]
for i in range(850):
    block, cond = http[i % len(http)]
    if "%d" in block: block = block % (i % 5)
    iv = interval([10, 30, 30, 0, 30])
    out += [f"  - name: http-{i:03d}", "    group: http", f"    interval: {iv}s", f"    http: {block}", f"    conditions: {cond}"]
    rows.append((f"http-{i:03d}", "http", iv, 5))
for i in range(80):
    iv = interval([0, 40, 30, 0, 30]); ping = rnd.choice([5, 10, 15]); auth = "query" if i % 8 == 7 else "subprotocol"
    out += [f"  - name: ws-{i:02d}", "    group: websocket", f"    interval: {iv}s",
            f"    websocket: {{ auth: {auth}, hold: true, ping_interval: {ping}s, steps: [ "
            "{ expect: { type: system_message, data.event: connection_established }, within: 3s }, "
            "{ send: { type: ping } }, { expect: { type: pong }, within: 2s } ] }"]
    rows.append((f"ws-{i:02d}", "websocket", iv, 5 + 3 + 2 + 1))
streams = [
    "{ method: POST, path: /api/chat/stream, auth: bearer, body: { content: soak }, first_byte_within: 3s, max_gap: 3s, finish_within: 10s }",
    "{ path: /api/agents/stream, auth: bearer, first_byte_within: 3s, max_gap: 3s, finish_within: 10s }",
    "{ path: /api/events/stream, auth: bearer, first_byte_within: 3s, max_gap: 3s, finish_within: 10s }",
]
for i in range(50):
    iv = interval([0, 30, 30, 20, 20])
    out += [f"  - name: stream-{i:02d}", "    group: stream", f"    interval: {iv}s", f"    stream: {streams[i % 3]}"]
    rows.append((f"stream-{i:02d}", "stream", iv, 10))
for i in range(20):
    if i < 4:
        iv = 30; block = "{ path: /api/health, requests: 30, within: 2s }"; cond = '\n    conditions: ["[STATUSES] contains 429"]'
    else:
        iv = interval([0, 0, 50, 0, 50])
        block = "{ path: %s, auth: bearer, requests: 10, within: 2s }" % ["/api/agents/status", "/api/threads"][i % 2]; cond = ""
    out += [f"  - name: burst-{i:02d}", "    group: burst", f"    interval: {iv}s", f"    burst: {block}{cond}"]
    rows.append((f"burst-{i:02d}", "burst", iv, 2 + 5))
open(cfg, "w").write("\n".join(out) + "\n")
with open(tsv, "w") as f:
    f.write("name\tkind\tinterval_s\tlongest_run_s\n")
    for r in rows: f.write("\t".join(map(str, r)) + "\n")
PY

# --- the agent ----------------------------------------------------------------------------------------------
"$BIN" agent "$R/config.yaml" --listen 127.0.0.1:0 --location soak 2> "$R/agent.log" &
AGENT_PID=$!
for _ in $(seq 100); do grep -q 'agent started' "$R/agent.log" && break; sleep 0.1; done
ADDR=$(sed -n 's/.*listen=\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$R/agent.log" | head -1)
[[ -n "$ADDR" ]] || { echo "the agent did not start:" >&2; head -20 "$R/agent.log" >&2; exit 2; }
START=$(date +%s.%N)

# --- the fault flipper ------------------------------------------------------------------------------------------
python3 - "$BASE" "$FLIP_MIN" "$FLIP_MAX" "$SEED" "$R/flips.tsv" <<'PY' &
import json, random, sys, time, urllib.request
base, lo, hi, seed, log = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rnd = random.Random(seed * 7919)
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as r: return r.status
    except Exception as e:
        return getattr(e, "code", None) or type(e).__name__
ROUTES = ["/health", "/api/discovery/services", "/api/mcp/tools", "/api/agents/status", "/api/user/profile",
          "/api/threads", "/api/messages", "/api/chat/messages", "/api/agents/start", "/api/events/stream"]
def route_faults(fault, n):
    return [("PUT", "/__sim/faults", {"route": r, "fault": fault}) for r in rnd.sample(ROUTES, n)]
# name, weight, () -> (route/stream calls, ws faults or None)
STATES = [
    ("healthy", 6, lambda: ([], None)),
    ("http-500", 2, lambda: (route_faults({"status": 500}, rnd.randint(1, 4)), None)),
    ("http-307", 2, lambda: ([("PUT", "/__sim/faults", {"route": r, "fault": {"redirectTo": r + "/"}})
                              for r in ["/health", "/api/discovery/services", "/api/mcp/tools"]], None)),
    ("http-slow", 1, lambda: (route_faults({"delayMs": 800, "jitterMs": 700}, 3), None)),
    ("http-timeout", 1, lambda: (route_faults({"delayMs": 6500}, 1), None)),
    ("wrong-shape", 1, lambda: (route_faults({"wrongShape": True}, 2), None)),
    ("ws-1011", 2, lambda: ([], {"closeAfterWelcome": 1011})),
    ("ws-1008", 1, lambda: ([], {"rejectAllTokens": True})),
    ("ws-403", 1, lambda: ([], {"handshakeStatus": 403})),
    ("ws-close-on-connect", 1, lambda: ([], {"closeOnConnect": 1011})),
    ("streams-hang", 2, lambda: ([("PUT", "/__sim/streams", {"route": "/api/chat/stream", "mode": {"kind": "stallAfter", "events": 2}}),
                                  ("PUT", "/__sim/streams", {"route": "/api/events/stream", "mode": {"kind": "noFirstByte"}}),
                                  ("PUT", "/__sim/streams", {"route": "/api/agents/stream", "mode": {"kind": "neverFinish"}})], None)),
    ("streams-slow", 1, lambda: ([("PUT", "/__sim/streams", {"route": r, "mode": {"kind": "slowDrip", "gapMs": 400, "count": 6}})
                                  for r in ["/api/chat/stream", "/api/agents/stream", "/api/events/stream"]], None)),
    ("login-401", 0.3, lambda: ([("PUT", "/__sim/faults", {"route": "/auth/e2e/token", "fault": {"status": 401, "detail": "Invalid E2E bypass key"}})], None)),
]
t0 = time.monotonic()
with open(log, "w", buffering=1) as f:
    f.write("t_s\tstates\tws\tcontrol_errors\n")
    while True:
        picked = rnd.choices(STATES, [s[1] for s in STATES], k=1 if rnd.random() < 0.7 else 2)
        names = sorted({s[0] for s in picked})
        if len(names) > 1 and "healthy" in names: names.remove("healthy")
        calls, ws = [], {"closeAfterSeconds": rnd.choice([20, 30, 45, 60, 90])}
        for s in picked:
            c, w = s[2]()
            calls += c
            if w: ws.update(w)
        errors = 0
        for m, p, b in [("DELETE", "/__sim/faults", None), ("PUT", "/__sim/ws", ws)] + calls:
            if call(m, p, b) != 200: errors += 1
        f.write("%.1f\t%s\t%s\t%d\n" % (time.monotonic() - t0, "+".join(names), json.dumps(ws, separators=(",", ":")), errors))
        time.sleep(rnd.uniform(lo, hi))
PY
FLIP_PID=$!

# --- sampling --------------------------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
fd_counts() { ls -l "/proc/$1/fd" 2>/dev/null | awk 'NR > 1 { n++; if ($NF ~ /^socket:/) s++ } END { print n + 0, s + 0 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$(now)" -v b="$START" 'BEGIN { printf "%.1f", a - b }'; }

echo "t_s,rss_kb,fds,fd_sockets,threads,cpu_pct,runs,runs_http,runs_websocket,runs_stream,runs_burst,runs_pass,runs_fail,runs_hang,runs_error,cycles,scrape_ms,sim_rss_kb,sim_fds,sim_cpu_pct,sim_ws,sim_streams,load1,load5,load15,rss_anon_kb,rss_file_kb" > "$R/samples.csv"
echo "t_s,probes_running,running_over_limit,queue_p50_ms,queue_p99_ms,queue_max_ms,last_age_max_s,log_total,closes_total,state_kb" > "$R/state.csv"

# state_sample T FILE: one line of state.csv from /api/v1/state (kept in FILE).
state_sample() {
  python3 - "$1" "$2" "$R/probes.tsv" >> "$R/state.csv" <<'PY'
import json, os, sys, datetime
t, path, tsv = sys.argv[1], sys.argv[2], sys.argv[3]
longest = {l.split("\t")[0]: float(l.split("\t")[3]) for l in list(open(tsv))[1:]}
d = json.load(open(path))
ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
taken = ts(d["taken_at"])
running = over = 0; q = []; age = 0.0
for p in d["probes"]:
    if p.get("running_since"):
        running += 1
        if taken - ts(p["running_since"]) > longest.get(p["name"], 5) + 10: over += 1
    last = p.get("last")
    if last:
        q.append(last.get("queue_ms") or 0.0)
        age = max(age, taken - ts(last["finished_at"]))
q.sort()
pick = lambda f: q[min(len(q) - 1, int(f * len(q)))] if q else float("nan")
print("%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%d" % (t, running, over, pick(0.5), pick(0.99), q[-1] if q else float("nan"), age,
      d.get("log_total", 0), sum(d.get("close_counts", {}).values()), os.path.getsize(path) // 1024))
PY
}

echo "soak: $DURATION s, warm-up $WARMUP s, sim $BASE (pid $SIM_PID), agent $ADDR (pid $AGENT_PID), results in $R" >&2
PT=$(ticks "$AGENT_PID"); ST=$(ticks "$SIM_PID"); PW=$(now)
k=0; NEXT_STATE=0; WARM_SAVED=0; DIED=""; STATE_READ_RSS_KB=""
while :; do
  k=$(( k + 1 )); target=$(( k * SAMPLE ))
  (( target > DURATION )) && break
  wait_s=$(awk -v t="$target" -v s="$START" -v n="$(now)" 'BEGIN { w = s + t - n; printf "%.3f", (w > 0 ? w : 0) }')
  sleep "$wait_s"
  if ! kill -0 "$AGENT_PID" 2>/dev/null; then DIED="the agent exited before the end (at ~${target} s)"; break; fi
  T=$(elapsed)
  CT=$(ticks "$AGENT_PID"); CST=$(ticks "$SIM_PID"); CW=$(now)
  CPU=$(awk -v a="$CT" -v b="$PT" -v w1="$CW" -v w0="$PW" -v hz="$HZ" 'BEGIN { printf "%.1f", 100 * (a - b) / hz / (w1 - w0) }')
  SCPU=$(awk -v a="$CST" -v b="$ST" -v w1="$CW" -v w0="$PW" -v hz="$HZ" 'BEGIN { printf "%.1f", 100 * (a - b) / hz / (w1 - w0) }')
  PT=$CT; ST=$CST; PW=$CW
  read -r FDS SOCKS < <(fd_counts "$AGENT_PID")
  read -r SFDS _ < <(fd_counts "$SIM_PID")
  RSS=$(status_kb "$AGENT_PID" VmRSS); THREADS=$(awk '$1 == "Threads:" { print $2 }' "/proc/$AGENT_PID/status" 2>/dev/null || echo 0)
  SRSS=$(status_kb "$SIM_PID" VmRSS)
  # Anonymous (heap, stacks) and file-backed (code, mapped libraries) apart: only the first is ours to grow.
  ANON=$(status_kb "$AGENT_PID" RssAnon); FILEB=$(status_kb "$AGENT_PID" RssFile)
  rm -f "$R/.metrics"
  SCRAPE_MS=$(curl -s -m 20 -o "$R/.metrics" -w '%{time_total}' "http://$ADDR/metrics" | awk '{ printf "%.0f", 1000 * $1 }') || SCRAPE_MS=""
  RUNS=$(awk '
    /^stagetop_probe_runs_total\{/ {
      v = $NF; match($0, /kind="[a-z]+"/); k = substr($0, RSTART + 6, RLENGTH - 7)
      match($0, /verdict="[a-z]+"/); d = substr($0, RSTART + 9, RLENGTH - 10)
      tot += v; byk[k] += v; byv[d] += v }
    /^stagetop_cycles_completed/ { cyc = $NF }
    END { printf "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", tot, byk["http"], byk["websocket"], byk["stream"], byk["burst"],
          byv["pass"], byv["fail"], byv["hang"], byv["error"], cyc }' "$R/.metrics" 2>/dev/null || echo ",,,,,,,,,")
  SIMSTATE=$(curl -s -m 5 "$BASE/__sim/state" || true)
  SWS=$(grep -o '"ws_connections" *: *[0-9]*' <<< "$SIMSTATE" | grep -o '[0-9]*$' || true)
  SSTR=$(grep -o '"open_streams" *: *[0-9]*' <<< "$SIMSTATE" | grep -o '[0-9]*$' || true)
  # Each probe's runs (all verdicts) at the first sample after the warm-up and at every sample (the last is kept).
  awk -v t="$T" 'BEGIN { print "#t_s=" t } /^stagetop_probe_runs_total\{/ { match($0, /probe="[^"]*"/); n[substr($0, RSTART + 7, RLENGTH - 8)] += $NF }
    END { for (p in n) print p "\t" n[p] }' "$R/.metrics" > "$R/.runs.tsv" 2>/dev/null || true
  if (( WARM_SAVED == 0 && target >= WARMUP )) && [[ -s "$R/.runs.tsv" ]]; then cp "$R/.runs.tsv" "$R/runs-warmup.tsv"; WARM_SAVED=1; fi
  [[ -s "$R/.runs.tsv" ]] && cp "$R/.runs.tsv" "$R/runs-end.tsv"
  read -r L1 L5 L15 _ < /proc/loadavg
  echo "$T,$RSS,$FDS,$SOCKS,$THREADS,$CPU,$RUNS,$SCRAPE_MS,$SRSS,$SFDS,$SCPU,$SWS,$SSTR,$L1,$L5,$L15,$ANON,$FILEB" >> "$R/samples.csv"
  # /api/v1/state every STATE_EVERY s when asked (see above: it raises the RSS being measured).
  if (( STATE_EVERY > 0 && target >= NEXT_STATE )); then
    NEXT_STATE=$(( target + STATE_EVERY ))
    if curl -s -m 30 -o "$R/.state.json" "http://$ADDR/api/v1/state"; then state_sample "$T" "$R/.state.json" || true; fi
  fi
  if (( k % 30 == 0 )); then echo "  $T s: RSS $(( RSS / 1024 )) MB, $FDS fds, $THREADS threads, CPU $CPU %, runs ${RUNS%%,*}, load $L1" >&2; fi
done
# The end: the state (runs still in progress, queue lag), read once after the last sample, with the RSS it cost;
# then everything stopped.
if [[ -z "$DIED" ]]; then
  RSS_BEFORE=$(status_kb "$AGENT_PID" VmRSS)
  curl -s -m 30 -o "$R/state-end.json" "http://$ADDR/api/v1/state" || true
  sleep 1; RSS_AFTER=$(status_kb "$AGENT_PID" VmRSS)
  STATE_READ_RSS_KB="$RSS_BEFORE $RSS_AFTER $(stat -c %s "$R/state-end.json" 2>/dev/null || echo 0)"
  printf 'STATE_READ_RSS_KB="%s"\n' "$STATE_READ_RSS_KB" >> "$R/run.env"
  [[ -s "$R/state-end.json" ]] && state_sample "$(elapsed)" "$R/state-end.json" || true
fi
kill "$FLIP_PID" 2>/dev/null || true; wait "$FLIP_PID" 2>/dev/null || true; FLIP_PID=""
AGENT_RC=0
if [[ -z "$DIED" ]]; then
  kill -TERM "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" || AGENT_RC=$?
else
  wait "$AGENT_PID" || AGENT_RC=$?
fi
AGENT_PID=""
rm -f "$R/.metrics" "$R/.state.json" "$R/.runs.tsv"
printf 'AGENT_RC=%d\nDIED=%q\n' "$AGENT_RC" "$DIED" >> "$R/run.env"

set +e
summarize "$R" "$DURATION" "$WARMUP" "$AGENT_RC" "$DIED" | tee "$R/summary.txt"
exit "${PIPESTATUS[0]}"
