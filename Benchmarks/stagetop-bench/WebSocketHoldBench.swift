import Foundation
import StageModel
import StageProbes
import StageSim
#if canImport(Glibc)
import Glibc
#endif

/// `ws-hold N`: N held-open, authenticated WebSocket probes through one `WebSocketEngine`, then this
/// process's resident memory and CPU at steady state. The goal (issue 4) is 10,000 in ≤ 200 MB.
///
///   stagetop-bench ws-hold 10000 --url ws://127.0.0.1:P/ws [--threads 1] [--ping 15] [--window 10] [--batch 250]
///   stagetop-bench ws-hold --print-sim-token      (a sim token for other clients, e.g. Benchmarks/ws_hold.py)
///
/// Without --url it starts the sim in this process, and the figures then include the server: the script
/// always passes a separately running sim.
enum WebSocketHoldBench {
    static func run(_ o: Options, positional: [String]) async throws {
        // Sim tokens are signed with the sim's fixed key, so one minted here is accepted by any sim process.
        let token = SimToken.issue(lifetimeSeconds: 4 * 3600)
        if o.flag("print-sim-token") {
            FileHandle.standardOutput.write(Data((token + "\n").utf8))
            return
        }
        let n = positional.first.flatMap(Int.init) ?? o.int("n", 1000)
        let threads = o.int("threads", 1)
        let ping = o.double("ping", 15)
        let window = o.double("window", 10)
        let batch = max(1, o.int("batch", 250))
        let settleLimit = o.double("settle-limit", 120)

        let server = try await BenchTarget.resolve(o, note: "in-process sim; RSS and CPU include the server") { $0.wsURL }
        let url = server.url

        let engine = WebSocketEngine(threads: threads)
        let target = TargetConfig(baseURL: url.replacingOccurrences(of: "ws://", with: "http://"), wsURL: url)
        let runner = WebSocketProbeRunner(engine: engine, target: target, token: Secret(token),
                                          hold: WebSocketHoldOptions(backoff: WebSocketBackoff(base: 0.25, cap: 5)))
        let welcome = WSStep.expect(match: [(key: "type", value: .string("system_message")),
                                            (key: "data.event", value: .string("connection_established"))], within: .s(10))
        let specs = (0..<n).map { i in
            ProbeSpec(name: "ws\(i)", body: .websocket(WebSocketProbeSpec(path: url, auth: .subprotocol, hold: true,
                                                                          pingInterval: .s(ping), steps: [welcome])),
                      timeout: .s(10))
        }

        let rssStart = memory().rss
        let started = Date()
        var holders: [WebSocketHolder] = []
        var firstFailures = 0
        // In batches, so a listen backlog of a few hundred is not the thing measured.
        for chunkStart in stride(from: 0, to: n, by: batch) {
            let chunk = specs[chunkStart..<min(n, chunkStart + batch)]
            let results = await withTaskGroup(of: (WebSocketHolder, Verdict)?.self) { group in
                for spec in chunk {
                    group.addTask {
                        guard let h = runner.startHolding(spec) else { return nil }
                        return (h, await h.result().verdict)
                    }
                }
                var out: [(WebSocketHolder, Verdict)] = []
                for await r in group { if let r { out.append(r) } }
                return out
            }
            holders += results.map(\.0)
            firstFailures += results.filter { $0.1 != .pass }.count
        }
        let connectSeconds = Date().timeIntervalSince(started)

        // Steady state: everything connected (failed first attempts reconnect), or give up and say so.
        let deadline = Date().addingTimeInterval(settleLimit)
        var connected = holders.filter(\.isConnected).count
        while connected < n, Date() < deadline {
            try await Task.sleep(nanoseconds: 200_000_000)
            connected = holders.filter(\.isConnected).count
        }
        try await Task.sleep(nanoseconds: 1_000_000_000)

        let before = cpuSeconds()
        let wallStart = Date()
        try await Task.sleep(nanoseconds: UInt64(window * 1e9))
        let cpu = cpuSeconds() - before
        let wall = Date().timeIntervalSince(wallStart)
        let mem = memory()
        connected = holders.filter(\.isConnected).count
        let reconnects = holders.reduce(0) { $0 + $1.reconnects }

        let line = String(format: "ws-hold client=stagetop n=%d connected=%d connect_s=%.2f rss_mb=%.1f rss_start_mb=%.1f peak_mb=%.1f cpu_pct=%.2f window_s=%.1f ping_s=%.0f threads=%d first_failures=%d reconnects=%d",
                          n, connected, connectSeconds, mem.rss, rssStart, mem.peak, 100 * cpu / wall, wall, ping, threads,
                          firstFailures, reconnects)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))

        await runner.stopHolding()
        await engine.shutdown()
        await server.stop()
    }

    /// VmRSS and VmHWM from /proc/self/status, MB.
    static func memory() -> (rss: Double, peak: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func kB(_ key: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return (kB("VmRSS") / 1024, kB("VmHWM") / 1024)
    }

    /// User + system CPU of this process so far, seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}
