# Shared by http-latency.sh and http-throughput.sh (sourced, not run).
# Builds stagetop-bench in release unless BENCH_BIN names a prebuilt one; starts/stops the simulated staging.

bench_bin() {
  if [[ -n "${BENCH_BIN:-}" ]]; then echo "$BENCH_BIN"; return; fi
  swift build -c release --product stagetop-bench >&2
  echo "$(swift build -c release --show-bin-path)/stagetop-bench"
}

SIM_PID=""
BENCH_TMP=$(mktemp -d)
bench_cleanup() {
  if [[ -n "$SIM_PID" ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT

# start_sim BIN ROUTE=MS → sets SIM_BASE to the sim's base URL (a separate process, so clients compare fairly).
start_sim() {
  "$1" sim --port 0 --delay-route "$2" > "$BENCH_TMP/sim.out" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 100); do
    grep -q '^listening ' "$BENCH_TMP/sim.out" && break
    sleep 0.1
  done
  SIM_BASE=$(sed -n 's/^listening //p' "$BENCH_TMP/sim.out")
  if [[ -z "$SIM_BASE" ]]; then echo "the simulated staging did not start:" >&2; cat "$BENCH_TMP/sim.out" >&2; exit 1; fi
}

# stats FILE (one number per line) → "median p95" (nearest-rank p95), the same method for every client.
stats() {
  sort -n "$1" | awk '{ a[NR] = $1 }
    END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
          r = int(0.95 * NR); if (r < 0.95 * NR) r++
          printf "%.3f %.3f\n", m, a[r] }'
}
