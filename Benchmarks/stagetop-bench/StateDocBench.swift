import CMalloc
import Foundation
import StageModel
import StageReports

/// What serving `GET /api/v1/state` costs the agent: the document's size, time per encode, and the
/// resident memory the process keeps after N encodes (the soak's RSS growth came from here: see the
/// README's Reliability section). The snapshot is synthetic: `--probes` probes with full histories
/// (`Store.historyLimit` points each) and a full event log.
enum StateDocBench {
    static func run(_ o: Options) {
        let probes = o.int("probes", 1000), reads = o.int("reads", 40)
        // The agent's allocator setting (Sources/StageApp/Support/MemoryReturn.swift), unless --glibc-default.
        if !o.flag("glibc-default") { _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024) }
        let snapshot = SyntheticDashboard.snapshot(probes: probes, history: Store.historyLimit, logEntries: Store.logLimit)
        let before = residentMB()
        var times: [Double] = []
        var bytes = 0
        var afterEach: [Double] = []
        let cache = StateDocumentCache()  // kept across reads, as the agent keeps it
        for _ in 0..<reads {
            let start = DispatchTime.now().uptimeNanoseconds
            bytes = StateDocument.withBytes(snapshot, location: "bench", cache: cache) { $0.count }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            afterEach.append(residentMB())
        }
        let first = times.first ?? 0
        times.sort()
        print(String(format: "state document, %d probes × %d history points, %d log entries: %.1f MB", probes, Store.historyLimit,
                     Store.logLimit, Double(bytes) / 1e6))
        print(String(format: "  encode: first %.1f ms, median %.1f ms, max %.1f ms over %d reads", first, times[times.count / 2], times.last ?? 0, reads))
        print(String(format: "  RSS: %.1f MB before, %.1f MB after the first read, %.1f MB after %d reads; peak (VmHWM) %.1f MB",
                     before, afterEach.first ?? 0, afterEach.last ?? 0, reads, peakMB()))
    }

    static func residentMB() -> Double { statusField("VmRSS:") }
    static func peakMB() -> Double { statusField("VmHWM:") }

    private static func statusField(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kb / 1024
    }
}
