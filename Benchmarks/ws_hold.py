#!/usr/bin/env python3
"""Hold N authenticated WebSocket connections open with the `websockets` library, the way the staging
reports' Python tests connect, and print this process's RSS and CPU at steady state in the same format as
`stagetop-bench ws-hold`, so Benchmarks/ws-hold.sh can put the two side by side.

    python3 ws_hold.py N --url ws://127.0.0.1:P/ws --token TOKEN [--ping 15] [--window 10] [--batch 250]
"""
import argparse
import asyncio
import base64
import resource
import sys
import time

import websockets


def rss_mb():
    rss = peak = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return rss, peak


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


async def hold(url, subprotocol, ping, ready, stop, state):
    """One connection: connect, read the welcome, then keep it open (library pings every `ping` s)."""
    while not stop.is_set():
        try:
            async with websockets.connect(url, subprotocols=[subprotocol], ping_interval=ping,
                                          ping_timeout=2 * ping, open_timeout=10, max_size=1 << 20) as ws:
                await asyncio.wait_for(ws.recv(), 10)
                state["connected"] += 1
                if not ready.done():
                    ready.set_result(True)
                try:
                    # Read (and drop) whatever comes until the server closes or we are told to stop.
                    async for _ in ws:
                        pass
                finally:
                    state["connected"] -= 1
                if not stop.is_set():
                    state["reconnects"] += 1
        except Exception:
            if not ready.done():
                ready.set_result(False)
                state["first_failures"] += 1
            await asyncio.sleep(0.25)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ping", type=float, default=15)
    p.add_argument("--window", type=float, default=10)
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--settle-limit", type=float, default=120)
    a = p.parse_args()

    sub = "jwt." + base64.urlsafe_b64encode(a.token.encode()).decode().rstrip("=")
    state = {"connected": 0, "reconnects": 0, "first_failures": 0}
    stop = asyncio.Event()
    rss_start, _ = rss_mb()
    started = time.monotonic()
    tasks = []
    for i in range(0, a.n, a.batch):
        readies = []
        for _ in range(min(a.batch, a.n - i)):
            ready = asyncio.get_running_loop().create_future()
            readies.append(ready)
            tasks.append(asyncio.create_task(hold(a.url, sub, a.ping, ready, stop, state)))
        await asyncio.gather(*readies)
    connect_s = time.monotonic() - started

    deadline = time.monotonic() + a.settle_limit
    while state["connected"] < a.n and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)

    before = cpu_seconds()
    t0 = time.monotonic()
    await asyncio.sleep(a.window)
    cpu = cpu_seconds() - before
    wall = time.monotonic() - t0
    rss, peak = rss_mb()
    print(f"ws-hold client=python-websockets-{websockets.__version__} n={a.n} connected={state['connected']} "
          f"connect_s={connect_s:.2f} rss_mb={rss:.1f} rss_start_mb={rss_start:.1f} peak_mb={peak:.1f} "
          f"cpu_pct={100 * cpu / wall:.2f} window_s={wall:.1f} ping_s={a.ping:.0f} threads=1 "
          f"first_failures={state['first_failures']} reconnects={state['reconnects']}", flush=True)

    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
