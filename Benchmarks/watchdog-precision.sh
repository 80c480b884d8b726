#!/usr/bin/env bash
# Stream watchdog precision (GitHub issue 5): over N hangs against the simulated staging, the delay
# between a stream limit falling due and the `hang` verdict reaching the caller. Goal: p99 <= 50 ms.
#
#   Benchmarks/watchdog-precision.sh [N]
#   env: LIMIT_MS=200 (first_byte_within / max_gap), MODE=mixed (noFirstByte, stallAfter or both alternating),
#        CONCURRENCY=1 (hangs in flight at once), BENCH_BIN=prebuilt stagetop-bench (else a release build)
#
# The sim runs in-process: the streams hang on purpose, so no client comparison is involved.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-common.sh
N=${1:-100}
BIN=$(bench_bin)
echo "$(uname -sr), $(nproc) cores, $(swift --version 2>/dev/null | head -1)"
"$BIN" watchdog "$N" --limit-ms "${LIMIT_MS:-200}" --mode "${MODE:-mixed}" --concurrency "${CONCURRENCY:-1}"
