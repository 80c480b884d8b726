#!/usr/bin/env bash
# `make bench`: every benchmark, one after another (they would skew each other on 2 cores), on one release
# build. Each prints its own table; README.md ("Performance") records the figures and how each was run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product stagetop >&2
swift build -c release --product stagetop-bench >&2
export BIN_DIR BENCH_BIN
BIN_DIR=$(swift build -c release --show-bin-path)
BENCH_BIN="$BIN_DIR/stagetop-bench"
run() { echo; echo "== $*"; "$@"; }
run Benchmarks/http-latency.sh
run Benchmarks/http-throughput.sh
run Benchmarks/watchdog-precision.sh
run Benchmarks/ws-hold.sh
run "$BENCH_BIN" render --probes 1000 --width 200 --height 60
run "$BENCH_BIN" render --probes 10000 --width 200 --height 60
run "$BENCH_BIN" replay
run Benchmarks/scale.sh
run Benchmarks/agent-metrics.sh
