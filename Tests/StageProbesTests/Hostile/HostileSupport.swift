import Foundation
import StageModel
import StageProbes
import StageTestSupport
import Testing

/// The promise every hostile case checks besides verdict, class and message: the probe ends within its
/// timeout plus 100 ms, and what the server sent did not become our memory.
struct Bounds {
    static let slack = 0.1
    /// Resident memory a single hostile run may add, at most. A 1 MB header or a 200 MB gzip bomb kept
    /// whole would pass it; the body cap (64 KB) and curl's header limit (100 KB) keep us far below.
    static let maxGrowthMB = 48.0
}

/// Samples this process's resident set every 5 ms on its own thread while `body` runs: the peak growth.
final class RSSWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0.0
    private var running = true
    let base: Double

    init() {
        base = Self.residentMB()
        peak = base
        Thread { [self] in
            while lock.withLock({ running }) {
                let now = Self.residentMB()
                lock.withLock { peak = max(peak, now) }
                Thread.sleep(forTimeInterval: 0.005)
            }
        }.start()
    }

    /// Stops sampling; the largest growth over the base seen.
    func stop() -> Double {
        let now = Self.residentMB()
        return lock.withLock {
            running = false
            peak = max(peak, now)
            return peak - base
        }
    }

    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kb / 1024
    }
}

/// One hostile run: the server, a fresh engine, the elapsed time and the memory growth.
struct HostileRun {
    var result: ProbeResult
    var seconds: Double
    var growthMB: Double
    var connections: Int

    /// The bounds every case asserts.
    func expectBounded(timeout: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(seconds <= timeout + Bounds.slack, "took \(seconds) s for a \(timeout) s timeout", sourceLocation: sourceLocation)
        #expect(growthMB < Bounds.maxGrowthMB, "resident memory grew \(growthMB) MB", sourceLocation: sourceLocation)
    }
}

/// Runs one probe against a hostile server whose every connection runs `behavior`.
func hostile(_ spec: ProbeSpec, target: (RawServer) -> TargetConfig = { TargetConfig(baseURL: $0.baseURL) },
             runner: @escaping @Sendable (CurlEngine, TargetConfig) -> any ProbeRunner = { HTTPProbeRunner(engine: $0, target: $1, token: nil) },
             _ behavior: @escaping @Sendable (RawConnection) -> Void) async throws -> HostileRun {
    let server = RawServer(behavior)
    let engine = CurlEngine()
    defer { engine.shutdown(); server.stop() }
    let t = target(server)
    return try await withTimeout(spec.timeout.seconds + 10) {
        let watch = RSSWatch()
        let start = ContinuousClock.now
        let r = await runner(engine, t).run(spec)
        return HostileRun(result: r, seconds: (ContinuousClock.now - start).seconds, growthMB: watch.stop(), connections: server.accepted)
    }
}

/// A response head: status line, headers, blank line.
func head(_ status: String = "200 OK", _ headers: [String] = []) -> String {
    "HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
}

/// One WebSocket probe against a hostile server, with the same bounds as `hostile`.
func hostileWS(_ spec: ProbeSpec, url: (@Sendable (RawServer) -> String)? = nil, tls: TLSSettings = TLSSettings(),
               _ behavior: @escaping @Sendable (RawConnection) -> Void) async throws -> HostileRun {
    try await withRawServer(timeout: spec.timeout.seconds + 10, behavior) { server, engine in
        var target = wsTarget(url?(server) ?? server.wsURL)
        target.tls = tls
        let watch = RSSWatch()
        let start = ContinuousClock.now
        let r = await WebSocketProbeRunner(engine: engine, target: target, token: Secret("t0ken-value")).run(spec)
        return HostileRun(result: r, seconds: (ContinuousClock.now - start).seconds, growthMB: watch.stop(), connections: server.accepted)
    }
}

extension Swift.Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
